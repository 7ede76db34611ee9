-- catalog
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE units (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent TEXT,
    address TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE TABLE procedures (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    field TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('seed', 'import')),
    popularity INTEGER NOT NULL DEFAULT 0,
    summary TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX procedures_field ON procedures(field);

