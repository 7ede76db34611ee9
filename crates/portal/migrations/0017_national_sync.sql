-- The national dossier sync's outbox: one record per dossier filed
-- (DongBoHoSoMC) and per change of its status (CapNhatTienDoHoSoMC),
-- written in the same transaction as what it reports; sent in order per
-- dossier until the national adapter acknowledges it.
CREATE TABLE national_sync (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    service TEXT NOT NULL CHECK (service IN ('DongBoHoSoMC', 'CapNhatTienDoHoSoMC')),
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    next_try_at INTEGER NOT NULL,
    sent_at INTEGER,
    answer TEXT NOT NULL DEFAULT ''
);
CREATE INDEX national_sync_due ON national_sync(status, next_try_at);
CREATE INDEX national_sync_dossier ON national_sync(dossier_id, status, id);
