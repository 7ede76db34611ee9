-- electronic results (Decree 45/2020): each with its own code
-- `<dossier code>-KQ<n>`, its SHA-256 and, when given, who signed it
CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    n INTEGER NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    mime TEXT NOT NULL,
    signer TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    UNIQUE (dossier_id, n)
);
CREATE INDEX results_sha ON results(sha256);
