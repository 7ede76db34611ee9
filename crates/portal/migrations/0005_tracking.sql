-- tracking: who made a change, amounts to pay, ratings
ALTER TABLE dossier_history ADD COLUMN amount INTEGER;
ALTER TABLE dossier_history ADD COLUMN by_citizen INTEGER NOT NULL DEFAULT 0;
CREATE INDEX dossier_history_dossier ON dossier_history(dossier_id);
CREATE TABLE ratings (
    dossier_id INTEGER PRIMARY KEY REFERENCES dossiers(id),
    level TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
);

