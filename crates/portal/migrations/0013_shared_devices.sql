-- shared devices: a volunteer sees a resident's personal details only until
-- they hand over ("Người tiếp theo") or for a day at most, and each look is
-- recorded; a draft's id names it within its account only (someone else's
-- id is a free one)
ALTER TABLE dossiers ADD COLUMN assist_until INTEGER;
UPDATE dossiers SET assist_until = received_at + 86400 WHERE assisted_by IS NOT NULL;
CREATE TABLE assist_views (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    at INTEGER NOT NULL
);
CREATE INDEX assist_views_dossier ON assist_views(dossier_id);
CREATE TABLE drafts_by_account (
    id TEXT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    procedure_code TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, id)
);
INSERT INTO drafts_by_account(id, account_id, procedure_code, data, updated_at)
    SELECT id, account_id, procedure_code, data, updated_at FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_by_account RENAME TO drafts;
