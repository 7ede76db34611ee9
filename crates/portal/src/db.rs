//! SQLite access: one file under the data dir, migrations at start, and a
//! small async wrapper that runs blocking queries off the async threads.

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use rusqlite::Connection;

/// Ordered migrations (`migrations/NNNN_*.sql`); `PRAGMA user_version`
/// records how many have run. A new one goes at the end, never in between.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_catalog.sql"),
    include_str!("../migrations/0002_opening_hours.sql"),
    include_str!("../migrations/0003_accounts.sql"),
    include_str!("../migrations/0004_dossiers.sql"),
    include_str!("../migrations/0005_tracking.sql"),
    include_str!("../migrations/0006_channels.sql"),
    include_str!("../migrations/0007_volunteers.sql"),
    include_str!("../migrations/0008_pairings.sql"),
    include_str!("../migrations/0009_ownership.sql"),
    include_str!("../migrations/0010_vneid.sql"),
    include_str!("../migrations/0011_sms_outbox.sql"),
    include_str!("../migrations/0012_notices.sql"),
    include_str!("../migrations/0013_shared_devices.sql"),
    include_str!("../migrations/0014_results.sql"),
    include_str!("../migrations/0015_forms.sql"),
    include_str!("../migrations/0016_revocation.sql"),
    include_str!("../migrations/0017_national_sync.sql"),
    include_str!("../migrations/0018_back_office.sql"),
    include_str!("../migrations/0019_unit_phone.sql"),
    include_str!("../migrations/0020_payments.sql"),
    include_str!("../migrations/0021_payment_receipts.sql"),
    include_str!("../migrations/0022_bookings.sql"),
];

#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
    /// A second, read-only connection for long reads (statistics), so they
    /// do not hold the one that serves citizens; none for an in-memory base.
    reader: Option<Arc<Mutex<Connection>>>,
}

impl Db {
    /// Open (creating if needed) `dir/motcua.sqlite3` and run pending migrations.
    pub fn open(dir: &Path) -> anyhow::Result<Db> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join("motcua.sqlite3");
        let conn =
            Connection::open(&path).with_context(|| format!("opening {}", path.display()))?;
        let mut db = Self::from_connection(conn)?;
        let reader = Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        reader.busy_timeout(std::time::Duration::from_secs(5))?;
        db.reader = Some(Arc::new(Mutex::new(reader)));
        Ok(db)
    }

    pub fn from_connection(mut conn: Connection) -> anyhow::Result<Db> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(Db { conn: Arc::new(Mutex::new(conn)), reader: None })
    }

    /// Run `f` with the connection on a blocking thread.
    pub async fn call<F, R>(&self, f: F) -> R
    where
        F: FnOnce(&mut Connection) -> R + Send + 'static,
        R: Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .expect("database task panicked")
    }

    /// Run the read `f` on the read connection (the main one if there is
    /// none), on a blocking thread.
    pub async fn read<F, R>(&self, f: F) -> R
    where
        F: FnOnce(&Connection) -> R + Send + 'static,
        R: Send + 'static,
    {
        let conn = self.reader.clone().unwrap_or_else(|| self.conn.clone());
        tokio::task::spawn_blocking(move || {
            let guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&guard)
        })
        .await
        .expect("database task panicked")
    }

    /// Run `f` on the current thread (CLI commands, start-up).
    pub fn with<R>(&self, f: impl FnOnce(&mut Connection) -> R) -> R {
        let mut guard = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }
}

fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    let done: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = crate::db::write_tx(conn)?;
        tx.execute_batch(sql).with_context(|| format!("migration {}", i + 1))?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
        tracing::info!(migration = i + 1, "applied");
    }
    Ok(())
}

/// A transaction that takes SQLite's write lock at once (IMMEDIATE). Every
/// transaction that writes starts so: a read-then-write transaction
/// beside another writer (the officer CLI, a backup, an import) would
/// otherwise fail at once with "database is locked" instead of waiting
/// its turn (busy_timeout does not cover a read lock's upgrade).
pub fn write_tx(c: &mut rusqlite::Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        Db::open(dir.path()).unwrap();
        let db = Db::open(dir.path()).unwrap();
        let v: usize =
            db.with(|c| c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap());
        assert_eq!(v, MIGRATIONS.len());
    }
}
