//! Uploaded files' records (the bytes live under `<data>/files/<sha256>`)
//! and drafts: every SQL statement about them. Both belong to one account
//! and are only ever found together with it.

use contract::dossier::FileInfo;
use rusqlite::{params, Connection};

pub fn insert(c: &Connection, account: i64, f: &FileInfo, now: i64) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO files(id, account_id, name, size, sha256, mime, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![f.id, account, f.name, f.size as i64, f.sha256, f.mime, now],
    )
    .map(|_| ())
}

/// (sha256, mime, name) of one of the account's files.
pub fn own(
    c: &Connection,
    account: i64,
    id: &str,
) -> rusqlite::Result<Option<(String, String, String)>> {
    let sql = "SELECT sha256, mime, name FROM files WHERE id = ?1 AND account_id = ?2";
    super::one(c, sql, params![id, account])
}

/// The size of one of the account's files not yet in a dossier.
pub fn unattached_size(c: &Connection, account: i64, id: &str) -> rusqlite::Result<Option<i64>> {
    let sql = "SELECT size FROM files WHERE id = ?1 AND account_id = ?2 AND dossier_id IS NULL";
    Ok(super::one::<(i64,)>(c, sql, params![id, account])?.map(|(size,)| size))
}

/// Put one of the account's unattached files into a dossier; false when
/// there is no such file.
pub fn attach(c: &Connection, account: i64, id: &str, dossier: i64) -> rusqlite::Result<bool> {
    Ok(c.execute(
        "UPDATE files SET dossier_id = ?1 WHERE id = ?2 AND account_id = ?3 AND dossier_id IS NULL",
        params![dossier, id, account],
    )? == 1)
}

// ------------------------------------------------------------------ drafts

/// Of an account's files: those not yet in a dossier, and those uploaded
/// since `since` (unix seconds), submitted or not.
pub struct Usage {
    pub pending_bytes: i64,
    pub pending_files: i64,
    pub day_bytes: i64,
    pub day_files: i64,
}

pub fn usage(c: &Connection, account: i64, since: i64) -> rusqlite::Result<Usage> {
    c.query_row(
        "SELECT COALESCE(SUM(CASE WHEN dossier_id IS NULL THEN size END), 0),
                COALESCE(SUM(dossier_id IS NULL), 0),
                COALESCE(SUM(CASE WHEN created_at >= ?2 THEN size END), 0),
                COALESCE(SUM(created_at >= ?2), 0)
         FROM files WHERE account_id = ?1",
        params![account, since],
        |r| from_row!(r, Usage { pending_bytes, pending_files, day_bytes, day_files }),
    )
}

/// How many drafts an account keeps, and whether `id` is one of them.
pub fn draft_count(c: &Connection, account: i64, id: &str) -> rusqlite::Result<(i64, bool)> {
    c.query_row(
        "SELECT COUNT(*), COALESCE(SUM(id = ?2), 0) > 0 FROM drafts WHERE account_id = ?1",
        params![account, id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Forget what nobody will come back for: codes and pairings over a day
/// ago, drafts untouched for 90 days, files never submitted after 30 days.
/// Returns the stored blobs no row names any more (to delete from disk).
pub fn clean_up(c: &mut Connection, now: i64) -> rusqlite::Result<Vec<String>> {
    let tx = crate::db::write_tx(c)?;
    tx.execute("DELETE FROM challenges WHERE expires_at < ?1", [now - 24 * 3600])?;
    tx.execute("DELETE FROM assist_views WHERE at < ?1", [now - 365 * 24 * 3600])?;
    tx.execute("DELETE FROM pairings WHERE expires_at < ?1", [now - 24 * 3600])?;
    tx.execute("DELETE FROM vneid_logins WHERE expires_at < ?1", [now - 24 * 3600])?;
    // Texts the gateway took or gave up on: a week for questions, then gone.
    tx.execute(
        "DELETE FROM outbox WHERE status <> 'pending' AND created_at < ?1",
        [now - 7 * 24 * 3600],
    )?;
    tx.execute("DELETE FROM drafts WHERE updated_at < ?1", [now - 90 * 24 * 3600])?;
    // National sync records the adapter acknowledged: a month for questions.
    tx.execute(
        "DELETE FROM national_sync WHERE status = 'sent' AND sent_at < ?1",
        [now - 30 * 24 * 3600],
    )?;
    let stale: Vec<String> = {
        let mut q = tx.prepare(
            "SELECT DISTINCT sha256 FROM files WHERE dossier_id IS NULL AND created_at < ?1",
        )?;
        let rows = q.query_map([now - 30 * 24 * 3600], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    tx.execute(
        "DELETE FROM files WHERE dossier_id IS NULL AND created_at < ?1",
        [now - 30 * 24 * 3600],
    )?;
    let mut orphans = Vec::new();
    for sha in stale {
        let used: bool = super::value(
            &tx,
            "SELECT EXISTS(SELECT 1 FROM files WHERE sha256 = ?1)
                     OR EXISTS(SELECT 1 FROM results WHERE sha256 = ?1)",
            [&sha],
        )?;
        if !used {
            orphans.push(sha);
        }
    }
    tx.commit()?;
    Ok(orphans)
}

/// A draft's row: (id, procedure, data JSON, updated at).
pub type DraftRow = (String, String, String, i64);

/// Write a draft; false when its id is another account's.
pub fn save_draft(
    c: &Connection,
    account: i64,
    id: &str,
    procedure: &str,
    data: &str,
    now: i64,
) -> rusqlite::Result<bool> {
    Ok(c.execute(
        // A draft already submitted is not made again by a late save.
        "INSERT INTO drafts(id, account_id, procedure_code, data, updated_at)
         SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM dossiers
             WHERE filed_by = ?2 AND json_extract(request, '$.draft') = ?1)
         ON CONFLICT(account_id, id) DO UPDATE SET procedure_code = excluded.procedure_code,
            data = excluded.data, updated_at = excluded.updated_at",
        params![id, account, procedure, data, now],
    )? > 0)
}

/// The account's drafts without their data, newest first.
pub fn drafts(c: &Connection, account: i64) -> rusqlite::Result<Vec<DraftRow>> {
    let mut q = c.prepare(
        "SELECT id, procedure_code, updated_at FROM drafts WHERE account_id = ?1 ORDER BY updated_at DESC",
    )?;
    let rows = q.query_map([account], |r| Ok((r.get(0)?, r.get(1)?, String::new(), r.get(2)?)))?;
    rows.collect()
}

pub fn draft(c: &Connection, account: i64, id: &str) -> rusqlite::Result<Option<DraftRow>> {
    let sql =
        "SELECT id, procedure_code, data, updated_at FROM drafts WHERE id = ?1 AND account_id = ?2";
    super::one(c, sql, params![id, account])
}

/// Delete one of the account's drafts; false when there is none.
pub fn delete_draft(c: &Connection, account: i64, id: &str) -> rusqlite::Result<bool> {
    Ok(c.execute("DELETE FROM drafts WHERE id = ?1 AND account_id = ?2", params![id, account])? > 0)
}
