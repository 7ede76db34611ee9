-- ownership by proof: an account's identity may be proven (VNeID); a dossier a
-- volunteer filed for a resident becomes theirs by that proof or by its claim code
ALTER TABLE accounts ADD COLUMN identity_verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN claim_code TEXT;
ALTER TABLE dossiers ADD COLUMN claimed_by INTEGER REFERENCES accounts(id);
CREATE INDEX dossiers_claimed ON dossiers(claimed_by);
