-- one outbox for every message to a phone: its channel (SMS, or Zalo's
-- notification service for status news), the dossier it is about (for the
-- per-dossier limit), template data for Zalo, and 'dev' rows that --dev only
-- lists; accounts may turn status texts off
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'zalo')),
    phone TEXT NOT NULL,
    text TEXT NOT NULL,
    data TEXT,
    dossier TEXT,
    created_at INTEGER NOT NULL,
    next_try_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('dev', 'pending', 'sent', 'refused', 'failed')),
    sent_at INTEGER,
    answer TEXT NOT NULL DEFAULT ''
);
INSERT INTO outbox(id, phone, text, created_at, next_try_at, attempts, status, sent_at, answer)
    SELECT id, phone, text, created_at, next_try_at, attempts, status, sent_at, answer FROM sms_outbox;
DROP TABLE sms_outbox;
CREATE INDEX outbox_due ON outbox(channel, status, next_try_at);
CREATE INDEX outbox_phone ON outbox(phone, created_at);
CREATE INDEX outbox_dossier ON outbox(dossier, created_at);
ALTER TABLE accounts ADD COLUMN status_texts INTEGER NOT NULL DEFAULT 1;
