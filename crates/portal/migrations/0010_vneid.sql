-- VNeID sign-ins under way: what the callback needs, found by the hash of
-- the state the browser's binding cookie carries; each is used once
CREATE TABLE vneid_logins (
    state_hash TEXT PRIMARY KEY,
    nonce TEXT NOT NULL,
    verifier TEXT NOT NULL,
    next TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
);
