-- files, drafts, dossiers and their status history
CREATE TABLE dossiers (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    -- The tracking link's secret (the QR code carries it; it shows no personal data).
    token TEXT NOT NULL,
    owner_id INTEGER NOT NULL REFERENCES accounts(id),
    filed_by INTEGER NOT NULL REFERENCES accounts(id),
    idempotency_key TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    unit TEXT NOT NULL,
    request TEXT NOT NULL,
    body TEXT NOT NULL,
    status INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    due_date TEXT NOT NULL,
    UNIQUE (filed_by, idempotency_key)
);
CREATE INDEX dossiers_owner ON dossiers(owner_id);
CREATE TABLE dossier_history (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    status INTEGER NOT NULL,
    at INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE dossier_sequence (
    agency TEXT NOT NULL,
    day TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (agency, day)
);
CREATE TABLE files (
    id TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    mime TEXT NOT NULL,
    dossier_id INTEGER REFERENCES dossiers(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX files_account ON files(account_id);
CREATE TABLE drafts (
    id TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    procedure_code TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX drafts_account ON drafts(account_id);

