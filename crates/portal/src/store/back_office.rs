//! Dossiers handed to the back office (`crate::backend`): the hand-over
//! queue, what to send, and what the back office last said.

use rusqlite::{params, Connection, OptionalExtension};

/// Queue dossier `dossier` for the back office `driver` (inside the
/// transaction that files it).
pub fn enqueue(c: &Connection, dossier: i64, driver: &str, now: i64) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO back_office(dossier_id, driver, created_at, next_try_at) VALUES (?1, ?2, ?3, ?3)",
        params![dossier, driver, now],
    )
    .map(|_| ())
}

/// One stored file of a dossier, as uploaded.
pub struct FileRow {
    pub id: String,
    pub name: String,
    pub mime: String,
    pub sha256: String,
}

/// A dossier waiting to be handed over, with what is sent.
pub struct Pending {
    pub dossier_id: i64,
    pub attempts: u32,
    pub remote_id: Option<String>,
    /// The receipt (JSON), the request as sent (JSON), the e-form answers.
    pub receipt: String,
    pub request: String,
    pub form: Option<String>,
    pub files: Vec<FileRow>,
}

/// The oldest dossier due to be handed over now.
pub fn due(c: &Connection, now: i64) -> rusqlite::Result<Option<Pending>> {
    let row = c
        .query_row(
            "SELECT b.dossier_id, b.attempts, b.remote_id, d.body, d.request, d.form
             FROM back_office b JOIN dossiers d ON d.id = b.dossier_id
             WHERE b.state = 'pending' AND b.next_try_at <= ?1
             ORDER BY b.next_try_at, b.dossier_id LIMIT 1",
            [now],
            |r| {
                from_row!(r, Pending { dossier_id, attempts, remote_id, receipt, request, form; files: Vec::new() })
            },
        )
        .optional()?;
    let Some(mut p) = row else { return Ok(None) };
    let mut q = c.prepare(
        "SELECT id, name, mime, sha256 FROM files WHERE dossier_id = ?1 ORDER BY created_at, id",
    )?;
    p.files = q
        .query_map([p.dossier_id], |r| {
            Ok(FileRow { id: r.get(0)?, name: r.get(1)?, mime: r.get(2)?, sha256: r.get(3)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(p))
}

/// The back office created it under `remote_id` (kept across retries).
pub fn created(c: &Connection, dossier: i64, remote_id: &str) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE back_office SET remote_id = ?2 WHERE dossier_id = ?1",
        params![dossier, remote_id],
    )
    .map(|_| ())
}

/// The back office has it, submitted.
pub fn delivered(c: &Connection, dossier: i64, now: i64, status: &str) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE back_office SET state = 'delivered', delivered_at = ?2, confirmed_at = ?2,
                polled_at = ?2, attempts = attempts + 1, remote_status = ?3, answer = ''
         WHERE dossier_id = ?1",
        params![dossier, now, status],
    )
    .map(|_| ())
}

/// Not handed over this time: try again at `next`.
pub fn failed(c: &Connection, dossier: i64, next: i64, answer: &str) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE back_office SET attempts = attempts + 1, next_try_at = ?2, answer = ?3
         WHERE dossier_id = ?1",
        params![dossier, next, answer.chars().take(500).collect::<String>()],
    )
    .map(|_| ())
}

/// Delivered dossiers whose status may still change, least recently asked
/// first, not asked since `before`: (row id, code, remote id).
pub fn to_poll(
    c: &Connection,
    before: i64,
    limit: u32,
) -> rusqlite::Result<Vec<(i64, String, String)>> {
    let mut q = c.prepare(
        "SELECT d.id, d.code, COALESCE(b.remote_id, d.code)
         FROM back_office b JOIN dossiers d ON d.id = b.dossier_id
         WHERE b.state = 'delivered' AND b.polled_at <= ?1 AND d.status NOT IN (3, 8, 10)
         ORDER BY b.polled_at, d.id LIMIT ?2",
    )?;
    let rows = q.query_map(params![before, limit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

/// The back office answered for it at `now` (`status`: its own words).
pub fn confirmed(c: &Connection, dossier: i64, now: i64, status: &str) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE back_office SET confirmed_at = ?2, polled_at = ?2, remote_status = ?3
         WHERE dossier_id = ?1",
        params![dossier, now, status],
    )
    .map(|_| ())
}

/// Asked at `now`, not answered.
pub fn unanswered(c: &Connection, dossier: i64, now: i64) -> rusqlite::Result<()> {
    c.execute("UPDATE back_office SET polled_at = ?2 WHERE dossier_id = ?1", params![dossier, now])
        .map(|_| ())
}

/// Where a dossier is with the back office: (handed over, last confirmed
/// at); none for a dossier this portal keeps itself.
pub fn standing(c: &Connection, dossier: i64) -> rusqlite::Result<Option<(bool, Option<i64>)>> {
    c.query_row(
        "SELECT state = 'delivered', confirmed_at FROM back_office WHERE dossier_id = ?1",
        [dossier],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// (waiting, delivered, most attempts of one waiting), for metrics.
pub fn counts(c: &Connection) -> rusqlite::Result<(i64, i64, i64)> {
    super::outbox_counts(c, "SELECT state, attempts FROM back_office", "delivered")
}

/// The back office's id for a dossier handed over to it.
pub fn remote_id(c: &Connection, dossier: i64) -> rusqlite::Result<Option<String>> {
    super::value(
        c,
        "SELECT remote_id FROM back_office WHERE dossier_id = ?1 AND state = 'delivered'",
        [dossier],
    )
    .optional()
    .map(Option::flatten)
}
