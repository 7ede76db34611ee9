-- Revocation reaches every grant: a session says whether a kiosk pairing
-- made it (such a session cannot approve another pairing), and a pairing
-- names the session that approved it (collected only while that session
-- lives: ending an account's sessions ends its pairings too).
ALTER TABLE sessions ADD COLUMN paired INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pairings ADD COLUMN approved_by TEXT;
-- A warning to the holder of an ID number or phone (someone registered
-- with it) is counted apart from the codes that holder asks for.
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'message';
CREATE INDEX outbox_phone_kind ON outbox(phone, kind, created_at);
