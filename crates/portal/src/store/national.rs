//! The national sync's outbox (`crate::national`): queue, next due, outcome.

use rusqlite::{params, Connection, OptionalExtension};

/// Queue one record about dossier `dossier` (inside the caller's transaction).
pub fn enqueue(
    c: &Connection,
    dossier: i64,
    service: &str,
    payload: &serde_json::Value,
    now: i64,
) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO national_sync(dossier_id, service, payload, created_at, next_try_at)
         VALUES (?1, ?2, ?3, ?4, ?4)",
        params![dossier, service, payload.to_string(), now],
    )
    .map(|_| ())
}

/// A record to send.
pub struct Due {
    pub id: i64,
    pub service: String,
    pub payload: String,
    pub attempts: u32,
    /// A dossier record of a dossier the adapter has already acknowledged.
    pub updating: bool,
}

/// The oldest record due now whose dossier has nothing older still waiting.
pub fn due(c: &Connection, now: i64) -> rusqlite::Result<Option<Due>> {
    c.query_row(
        "SELECT s.id, s.service, s.payload, s.attempts,
                EXISTS(SELECT 1 FROM national_sync a WHERE a.dossier_id = s.dossier_id
                         AND a.service = 'DongBoHoSoMC' AND a.status = 'sent')
         FROM national_sync s
         WHERE s.status = 'pending' AND s.next_try_at <= ?1
           AND NOT EXISTS (SELECT 1 FROM national_sync p WHERE p.dossier_id = s.dossier_id
                             AND p.status = 'pending' AND p.id < s.id)
         ORDER BY s.id LIMIT 1",
        [now],
        |r| from_row!(r, Due { id, service, payload, attempts, updating }),
    )
    .optional()
}

pub fn acknowledged(c: &Connection, id: i64, now: i64, answer: &str) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE national_sync SET status = 'sent', sent_at = ?2, answer = ?3,
                attempts = attempts + 1 WHERE id = ?1",
        params![id, now, answer.chars().take(500).collect::<String>()],
    )
    .map(|_| ())
}

pub fn failed(c: &Connection, id: i64, next: i64, answer: &str) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE national_sync SET attempts = attempts + 1, next_try_at = ?2, answer = ?3 WHERE id = ?1",
        params![id, next, answer.chars().take(500).collect::<String>()],
    )
    .map(|_| ())
}

/// (waiting, acknowledged, most attempts of one waiting record), for metrics.
pub fn counts(c: &Connection) -> rusqlite::Result<(i64, i64, i64)> {
    super::outbox_counts(c, "SELECT status AS state, attempts FROM national_sync", "sent")
}
