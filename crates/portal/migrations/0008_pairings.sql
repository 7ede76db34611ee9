-- signing a kiosk in from the citizen's phone: a short-lived pairing, used once
CREATE TABLE pairings (
    code TEXT PRIMARY KEY,
    kiosk_hash TEXT NOT NULL,
    check_digits TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    opened INTEGER NOT NULL DEFAULT 0,
    account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE
);
CREATE INDEX pairings_expiry ON pairings(expires_at);
