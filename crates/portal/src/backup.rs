//! Backups you can restore: `portal backup DIR` takes a consistent snapshot
//! of the database while the portal serves (`VACUUM INTO`: one read
//! transaction, so every dossier in it is whole) and then copies the files
//! folder (files are written before the dossier that names them and are
//! never changed, so each file a snapshot names is there by then).
//! `portal restore DIR` puts one back into a data folder with the portal
//! stopped, refusing to overwrite a database unless told to.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use crate::db::Db;

const DB_FILE: &str = "motcua.sqlite3";

/// What a backup or restore copied.
#[derive(Debug, PartialEq, Eq)]
pub struct Copied {
    pub dossiers: i64,
    pub files: usize,
}

fn copy_files(from: &Path, to: &Path) -> anyhow::Result<usize> {
    std::fs::create_dir_all(to)?;
    let mut n = 0;
    if !from.exists() {
        return Ok(0);
    }
    for e in std::fs::read_dir(from)? {
        let e = e?;
        // Content-addressed and never changed: one already there is the same.
        let target = to.join(e.file_name());
        if e.file_type()?.is_file() && !target.exists() {
            let tmp = to.join(format!(".{}.part", e.file_name().to_string_lossy()));
            std::fs::copy(e.path(), &tmp)?;
            std::fs::rename(&tmp, &target)?;
            n += 1;
        }
    }
    Ok(n)
}

fn dossiers(dir: &Path) -> anyhow::Result<i64> {
    let c = rusqlite::Connection::open(dir.join(DB_FILE))?;
    Ok(crate::store::dossiers::count(&c)?)
}

/// Snapshot `data_dir` (database, then files) into the new folder `out`.
pub fn backup(data_dir: &Path, out: &Path) -> anyhow::Result<Copied> {
    if out.join(DB_FILE).exists() {
        bail!("{} already holds a backup; choose a new folder", out.display());
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let db = Db::open(data_dir)?;
    let target: PathBuf = out.join(DB_FILE);
    let target = target.to_str().context("the backup folder's path must be UTF-8")?.to_string();
    db.with(|c| crate::store::meta::copy_into(c, &target))?;
    let files = copy_files(&data_dir.join("files"), &out.join("files"))?;
    Ok(Copied { dossiers: dossiers(out)?, files })
}

/// Put the backup in `from` back into `data_dir` (the portal stopped).
pub fn restore(from: &Path, data_dir: &Path, overwrite: bool) -> anyhow::Result<Copied> {
    let source = from.join(DB_FILE);
    if !source.exists() {
        bail!("{} holds no backup ({DB_FILE} is missing)", from.display());
    }
    let target = data_dir.join(DB_FILE);
    if target.exists() && !overwrite {
        bail!(
            "{} already has a database; stop the portal and restore with --overwrite to replace it",
            data_dir.display()
        );
    }
    std::fs::create_dir_all(data_dir)?;
    // The old write-ahead log must not be replayed onto the restored file.
    for stale in ["motcua.sqlite3-wal", "motcua.sqlite3-shm"] {
        let _ = std::fs::remove_file(data_dir.join(stale));
    }
    let tmp = data_dir.join(".motcua.sqlite3.restoring");
    std::fs::copy(&source, &tmp)?;
    std::fs::rename(&tmp, &target)?;
    let files = copy_files(&from.join("files"), &data_dir.join("files"))?;
    // Opening it checks it and brings its schema up to this version.
    Db::open(data_dir)?;
    Ok(Copied { dossiers: dossiers(data_dir)?, files })
}

/// A scheduled snapshot: taken into `root/.snapshot-<unix seconds>.part`,
/// renamed to `root/snapshot-<unix seconds>` once whole, then all but the
/// newest `keep` whole snapshots removed. Returns the new snapshot.
pub fn snapshot(data_dir: &Path, root: &Path, keep: usize, now: u64) -> anyhow::Result<PathBuf> {
    let part = root.join(format!(".snapshot-{now}.part"));
    let done = root.join(format!("snapshot-{now}"));
    let _ = std::fs::remove_dir_all(&part);
    backup(data_dir, &part)?;
    std::fs::rename(&part, &done)?;
    let mut whole: Vec<(u64, PathBuf)> = std::fs::read_dir(root)?
        .filter_map(|e| {
            let e = e.ok()?;
            let at = e.file_name().to_str()?.strip_prefix("snapshot-")?.parse().ok()?;
            Some((at, e.path()))
        })
        .collect();
    whole.sort();
    let extra = whole.len().saturating_sub(keep.max(1));
    for (_, old) in whole.into_iter().take(extra) {
        std::fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
    }
    Ok(done)
}

/// `--backup-dir`: a snapshot every `hours`, the first one at start.
pub fn schedule(data_dir: PathBuf, root: PathBuf, hours: u64, keep: usize) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(hours.max(1) * 3600));
        loop {
            every.tick().await;
            let (d, r) = (data_dir.clone(), root.clone());
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|t| t.as_secs())
                .unwrap_or(0);
            match tokio::task::spawn_blocking(move || snapshot(&d, &r, keep, now)).await {
                Ok(Ok(dir)) => tracing::info!(dir = %dir.display(), "scheduled backup taken"),
                Ok(Err(e)) => tracing::error!(error = %e, "scheduled backup FAILED"),
                Err(e) => tracing::error!(error = %e, "scheduled backup FAILED"),
            }
        }
    });
}
