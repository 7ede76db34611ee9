-- text messages waiting for the SMS gateway, and what became of them
CREATE TABLE sms_outbox (
    id INTEGER PRIMARY KEY,
    phone TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    next_try_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sent', 'refused', 'failed')),
    sent_at INTEGER,
    answer TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sms_outbox_due ON sms_outbox(status, next_try_at);
