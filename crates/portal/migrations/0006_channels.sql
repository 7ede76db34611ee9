-- how each dossier came in (1 at the desk, 2 online, 3 by post), for statistics
ALTER TABLE dossiers ADD COLUMN channel INTEGER NOT NULL DEFAULT 2;
CREATE INDEX dossier_history_status ON dossier_history(status, dossier_id);

