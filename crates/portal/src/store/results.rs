//! Electronic results of dossiers: every SQL statement about them.

use contract::dossier::ResultFile;
use rusqlite::{params, Connection};

/// A result file to record for a dossier (stored under its SHA-256).
pub struct NewResult<'a> {
    pub name: &'a str,
    pub size: u64,
    pub sha256: &'a str,
    pub mime: &'a str,
    pub signer: &'a str,
    /// Its reference in the back office that issued it (src/backend/).
    pub remote_ref: Option<&'a str>,
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<ResultFile> {
    Ok(ResultFile {
        n: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        size: r.get::<_, i64>(3)? as u64,
        sha256: r.get(4)?,
        mime: r.get(5)?,
        signer: r.get(6)?,
        issued_at: contract::time::vn_datetime(r.get(7)?),
    })
}

const COLUMNS: &str = "n, code, name, size, sha256, mime, signer, at";

/// Record the next result of dossier `dossier` (code `dossier_code`):
/// numbered 1, 2, … with the code `<dossier code>-KQ<n>`.
pub fn add(
    c: &mut Connection,
    dossier: i64,
    dossier_code: &str,
    r: &NewResult,
    now: i64,
) -> rusqlite::Result<ResultFile> {
    let tx = crate::db::write_tx(c)?;
    let n: u32 = super::value(
        &tx,
        "SELECT COALESCE(MAX(n), 0) + 1 FROM results WHERE dossier_id = ?1",
        [dossier],
    )?;
    let code = format!("{dossier_code}-KQ{n}");
    tx.execute(
        "INSERT INTO results(dossier_id, n, code, name, size, sha256, mime, signer, at, remote_ref)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            dossier,
            n,
            code,
            r.name,
            r.size as i64,
            r.sha256,
            r.mime,
            r.signer,
            now,
            r.remote_ref
        ],
    )?;
    let made = tx.query_row(
        &format!("SELECT {COLUMNS} FROM results WHERE dossier_id = ?1 AND n = ?2"),
        params![dossier, n],
        row,
    )?;
    tx.commit()?;
    Ok(made)
}

/// The dossier's results, first first.
pub fn of(c: &Connection, dossier: i64) -> rusqlite::Result<Vec<ResultFile>> {
    let mut q = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM results WHERE dossier_id = ?1 ORDER BY n"
    ))?;
    let rows = q.query_map([dossier], row)?;
    rows.collect()
}

/// The back-office references of the results already copied for a dossier.
pub fn remote_refs(c: &Connection, dossier: i64) -> rusqlite::Result<Vec<String>> {
    let mut q = c.prepare_cached(
        "SELECT remote_ref FROM results WHERE dossier_id = ?1 AND remote_ref IS NOT NULL",
    )?;
    let rows = q.query_map([dossier], |r| r.get(0))?;
    rows.collect()
}
