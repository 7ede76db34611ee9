-- volunteers filing for residents: a dossier belongs to the citizen ID it is for (the resident), and remembers who assisted
ALTER TABLE accounts ADD COLUMN volunteer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN owner_citizen_id TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN assisted_by INTEGER REFERENCES accounts(id);
UPDATE dossiers SET owner_citizen_id =
    COALESCE((SELECT citizen_id FROM accounts a WHERE a.id = dossiers.owner_id), '');
CREATE INDEX dossiers_owner_citizen ON dossiers(owner_citizen_id);
CREATE INDEX dossiers_assisted ON dossiers(assisted_by);

