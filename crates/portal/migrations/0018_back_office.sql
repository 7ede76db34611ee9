-- Dossiers handed to the province's back office (a driver other than
-- `local`, src/backend/): one row per dossier, written in the transaction
-- that files it, so a dossier accepted here is never lost whether the back
-- office answers or not. The worker delivers each row until the back office
-- has it (create, files, submit: each step idempotent by our code), then
-- polls its status; `confirmed_at` is when the back office last answered
-- for it.
CREATE TABLE back_office (
    dossier_id INTEGER PRIMARY KEY REFERENCES dossiers(id),
    driver TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered')),
    -- The back office's own id for it, once created there.
    remote_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER,
    confirmed_at INTEGER,
    -- When its status was last asked for (answered or not).
    polled_at INTEGER NOT NULL DEFAULT 0,
    -- The back office's own status words, as last read.
    remote_status TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT ''
);
CREATE INDEX back_office_due ON back_office(state, next_try_at);
-- A result the back office issued, once copied here: its reference there,
-- so it is copied once.
ALTER TABLE results ADD COLUMN remote_ref TEXT;
