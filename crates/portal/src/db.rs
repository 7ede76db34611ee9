//! SQLite access: one file under the data dir, migrations at start, and a
//! small async wrapper that runs blocking queries off the async threads.

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use rusqlite::Connection;

/// Ordered migrations; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: catalog
    r#"
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE units (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        parent TEXT,
        address TEXT NOT NULL,
        position INTEGER NOT NULL
    );
    CREATE TABLE procedures (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        field TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('seed', 'import')),
        popularity INTEGER NOT NULL DEFAULT 0,
        summary TEXT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX procedures_field ON procedures(field);
    "#,
    // 2: opening hours of each one-stop desk
    r#"
    ALTER TABLE units ADD COLUMN hours TEXT NOT NULL DEFAULT '';
    "#,
    // 3: citizen accounts, sessions and one-time codes
    r#"
    CREATE TABLE accounts (
        id INTEGER PRIMARY KEY,
        citizen_id TEXT NOT NULL UNIQUE,
        full_name TEXT NOT NULL,
        birth_date TEXT NOT NULL,
        phone TEXT NOT NULL UNIQUE,
        email TEXT NOT NULL DEFAULT '',
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen INTEGER NOT NULL
    );
    CREATE INDEX sessions_account ON sessions(account_id);
    -- A code exchange. `live` = 0 answers like a real one but never
    -- verifies: registering a known ID, or resetting an unknown one.
    CREATE TABLE challenges (
        id TEXT PRIMARY KEY,
        purpose TEXT NOT NULL CHECK (purpose IN ('register', 'reset', 'phone')),
        phone TEXT NOT NULL,
        account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
        payload TEXT NOT NULL DEFAULT '{}',
        live INTEGER NOT NULL,
        code_hash TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        sends INTEGER NOT NULL DEFAULT 1,
        sent_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        verified INTEGER NOT NULL DEFAULT 0,
        used INTEGER NOT NULL DEFAULT 0
    );
    "#,
    // 4: files, drafts, dossiers and their status history
    r#"
    CREATE TABLE dossiers (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        -- The tracking link's secret (the QR code carries it; it shows no personal data).
        token TEXT NOT NULL,
        owner_id INTEGER NOT NULL REFERENCES accounts(id),
        filed_by INTEGER NOT NULL REFERENCES accounts(id),
        idempotency_key TEXT NOT NULL,
        procedure_code TEXT NOT NULL,
        unit TEXT NOT NULL,
        request TEXT NOT NULL,
        body TEXT NOT NULL,
        status INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        due_date TEXT NOT NULL,
        UNIQUE (filed_by, idempotency_key)
    );
    CREATE INDEX dossiers_owner ON dossiers(owner_id);
    CREATE TABLE dossier_history (
        id INTEGER PRIMARY KEY,
        dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
        status INTEGER NOT NULL,
        at INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE dossier_sequence (
        agency TEXT NOT NULL,
        day TEXT NOT NULL,
        last INTEGER NOT NULL,
        PRIMARY KEY (agency, day)
    );
    CREATE TABLE files (
        id TEXT PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        mime TEXT NOT NULL,
        dossier_id INTEGER REFERENCES dossiers(id),
        created_at INTEGER NOT NULL
    );
    CREATE INDEX files_account ON files(account_id);
    CREATE TABLE drafts (
        id TEXT PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        procedure_code TEXT NOT NULL,
        data TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX drafts_account ON drafts(account_id);
    "#,
    // 5: tracking: who made a change, amounts to pay, ratings
    r#"
    ALTER TABLE dossier_history ADD COLUMN amount INTEGER;
    ALTER TABLE dossier_history ADD COLUMN by_citizen INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX dossier_history_dossier ON dossier_history(dossier_id);
    CREATE TABLE ratings (
        dossier_id INTEGER PRIMARY KEY REFERENCES dossiers(id),
        level TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        at INTEGER NOT NULL
    );
    "#,
    // 6: how each dossier came in (1 at the desk, 2 online, 3 by post), for statistics
    r#"
    ALTER TABLE dossiers ADD COLUMN channel INTEGER NOT NULL DEFAULT 2;
    CREATE INDEX dossier_history_status ON dossier_history(status, dossier_id);
    "#,
    // 7: volunteers filing for residents: a dossier belongs to the citizen
    // ID it is for (the resident), and remembers who assisted
    r#"
    ALTER TABLE accounts ADD COLUMN volunteer INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE dossiers ADD COLUMN owner_citizen_id TEXT NOT NULL DEFAULT '';
    ALTER TABLE dossiers ADD COLUMN assisted_by INTEGER REFERENCES accounts(id);
    UPDATE dossiers SET owner_citizen_id =
        COALESCE((SELECT citizen_id FROM accounts a WHERE a.id = dossiers.owner_id), '');
    CREATE INDEX dossiers_owner_citizen ON dossiers(owner_citizen_id);
    CREATE INDEX dossiers_assisted ON dossiers(assisted_by);
    "#,
];

#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    /// Open (creating if needed) `dir/motcua.sqlite3` and run pending migrations.
    pub fn open(dir: &Path) -> anyhow::Result<Db> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join("motcua.sqlite3");
        let conn =
            Connection::open(&path).with_context(|| format!("opening {}", path.display()))?;
        Self::from_connection(conn)
    }

    pub fn from_connection(mut conn: Connection) -> anyhow::Result<Db> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
        })
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

    /// Run `f` on the current thread (CLI commands, start-up).
    pub fn with<R>(&self, f: impl FnOnce(&mut Connection) -> R) -> R {
        let mut guard = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }
}

fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    let done: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .with_context(|| format!("migration {}", i + 1))?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
        tracing::info!(migration = i + 1, "applied");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        Db::open(dir.path()).unwrap();
        let db = Db::open(dir.path()).unwrap();
        let v: usize = db.with(|c| {
            c.pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap()
        });
        assert_eq!(v, MIGRATIONS.len());
    }
}
