-- A desk's telephone beside its address and hours (shown where a citizen
-- is told where to go; the seed fills it).
ALTER TABLE units ADD COLUMN phone TEXT NOT NULL DEFAULT '';
