-- Fees paid online through the national payment platform (src/payment.rs):
-- one row per attempt, under our reference (MaThamChieu). A dossier has at
-- most one attempt pending at a time; a paid one is settled once, by the
-- platform's transaction code (MaGiaoDich), whether its callback or the
-- reconciliation's query tells first.
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    reference TEXT NOT NULL UNIQUE,
    amount INTEGER NOT NULL CHECK (amount > 0),
    state TEXT NOT NULL CHECK (state IN ('pending', 'paid', 'failed')),
    pay_url TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    settled_at INTEGER,
    transaction_code TEXT UNIQUE,
    bank TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    last_query_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX payments_dossier ON payments(dossier_id, id);
CREATE INDEX payments_pending ON payments(state, created_at) WHERE state = 'pending';
