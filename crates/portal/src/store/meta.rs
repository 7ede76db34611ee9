//! The `meta` table: a few named values the portal keeps about itself.

use rusqlite::{params, Connection, OptionalExtension};

pub fn get(c: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    c.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()
}

pub fn set(c: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )
    .map(|_| ())
}

/// A consistent copy of the whole database into the new file `path`
/// (`VACUUM INTO`), while others read and write.
pub fn copy_into(c: &Connection, path: &str) -> rusqlite::Result<()> {
    c.execute("VACUUM INTO ?1", [path]).map(|_| ())
}
