//! The message outbox (`crate::sms`): every SQL statement about it.

use rusqlite::{params, Connection, OptionalExtension};

/// Messages of `kind` to `phone` since `since` (unix seconds).
pub fn to_phone_since(
    c: &Connection,
    phone: &str,
    kind: &str,
    since: i64,
) -> rusqlite::Result<i64> {
    super::value(
        c,
        "SELECT COUNT(*) FROM outbox WHERE phone = ?1 AND kind = ?2 AND created_at > ?3",
        params![phone, kind, since],
    )
}

/// Messages about dossier `dossier` since `since`.
pub fn on_dossier_since(c: &Connection, dossier: &str, since: i64) -> rusqlite::Result<i64> {
    super::value(
        c,
        "SELECT COUNT(*) FROM outbox WHERE dossier = ?1 AND created_at > ?2",
        params![dossier, since],
    )
}

/// A message to write.
pub struct New<'a> {
    pub channel: &'a str,
    pub phone: &'a str,
    pub text: &'a str,
    pub data: Option<&'a str>,
    pub dossier: Option<&'a str>,
    pub status: &'a str,
    /// `warning` or `message` (counted apart).
    pub kind: &'a str,
}

/// Write a message due at once; its row id.
pub fn insert(c: &Connection, m: &New, now: i64) -> rusqlite::Result<i64> {
    c.execute(
        "INSERT INTO outbox(channel, phone, text, data, dossier, status, created_at, next_try_at, kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
        params![m.channel, m.phone, m.text, m.data, m.dossier, m.status, now, m.kind],
    )?;
    Ok(c.last_insert_rowid())
}

/// The newest `limit` messages, oldest first: (phone, text, created at, channel).
pub fn newest(c: &Connection, limit: u32) -> rusqlite::Result<Vec<(String, String, i64, String)>> {
    let mut q = c.prepare(
        "SELECT phone, text, created_at, channel FROM
         (SELECT * FROM outbox ORDER BY id DESC LIMIT ?1) ORDER BY id",
    )?;
    let rows = q.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    rows.collect()
}

/// A message due: (id, phone, text, data, attempts, created at).
pub type Due = (i64, String, String, Option<String>, i64, i64);

/// Up to `limit` messages of `channel` due at `now`, oldest first.
pub fn due(c: &Connection, channel: &str, now: i64, limit: u32) -> rusqlite::Result<Vec<Due>> {
    let mut q = c.prepare(
        "SELECT id, phone, text, data, attempts, created_at FROM outbox
         WHERE channel = ?1 AND status = 'pending' AND next_try_at <= ?2
         ORDER BY id LIMIT ?3",
    )?;
    let rows = q.query_map(params![channel, now, limit], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
    })?;
    rows.collect()
}

/// What became of one attempt at a message.
pub struct Attempt<'a> {
    pub id: i64,
    /// `sent`, `refused`, `failed` or still `pending`.
    pub status: &'a str,
    pub attempts: i64,
    pub next_try_at: i64,
    pub answer: &'a str,
    /// Refused for good on its channel: queue the same text by SMS.
    pub fall_back: bool,
}

/// Record an attempt (once: only while the message is pending), and its
/// SMS fallback in the same transaction.
pub fn settle(c: &mut Connection, a: &Attempt, now: i64) -> rusqlite::Result<()> {
    let tx = crate::db::write_tx(c)?;
    let changed = tx.execute(
        "UPDATE outbox SET status = ?2, attempts = ?3, next_try_at = ?4,
                answer = ?5, sent_at = CASE WHEN ?2 = 'sent' THEN ?6 END
         WHERE id = ?1 AND status = 'pending'",
        params![a.id, a.status, a.attempts, a.next_try_at, a.answer, now],
    )?;
    if a.fall_back && changed == 1 {
        tx.execute(
            "INSERT INTO outbox(channel, phone, text, dossier, created_at, next_try_at)
             SELECT 'sms', phone, text, dossier, ?2, ?2 FROM outbox WHERE id = ?1",
            params![a.id, now],
        )?;
    }
    tx.commit()
}

/// When the next message of `channel` is due, if any waits.
pub fn next_due(c: &Connection, channel: &str) -> rusqlite::Result<Option<i64>> {
    c.query_row(
        "SELECT MIN(next_try_at) FROM outbox WHERE channel = ?1 AND status = 'pending'",
        [channel],
        |r| r.get::<_, Option<i64>>(0),
    )
    .optional()
    .map(Option::flatten)
}
