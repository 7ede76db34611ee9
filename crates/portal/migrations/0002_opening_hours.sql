-- opening hours of each one-stop desk
ALTER TABLE units ADD COLUMN hours TEXT NOT NULL DEFAULT '';

