//! `portal backup` while dossiers are being filed, then `portal restore`:
//! every dossier acknowledged before the backup began is back, with every
//! file of every dossier the backup holds.

use portal::{app, catalog, db::Db, AppState};

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_filing_restores_with_nothing_acknowledged_missing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = Db::open(&data).unwrap();
    db.with(catalog::seed).unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<html></html>").unwrap();
    let state = AppState::new(db, true, &data);
    let f = Fixture::from_parts(app(state.clone(), &dist), state);
    let lan = register_lan(&f).await;
    let mut before = Vec::new();
    for i in 0..3 {
        let body = birth_registration(&f, &lan).await;
        let r = submit(&f, &lan, &format!("key-backup-before-{i:04}"), &body).await;
        before.push(r.body["code"].as_str().unwrap().to_string());
    }
    // The backup runs while more are filed.
    let out = dir.path().join("backup");
    let (from, to) = (data.clone(), out.clone());
    let backup = std::thread::spawn(move || portal::backup::backup(&from, &to));
    for i in 0..3 {
        let body = birth_registration(&f, &lan).await;
        let r = submit(&f, &lan, &format!("key-backup-during-{i:04}"), &body).await;
        assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.body);
    }
    let taken = backup.join().unwrap().unwrap();
    assert!(taken.dossiers >= 3, "{taken:?}");
    assert!(portal::backup::backup(&data, &out).is_err(), "a backup is never overwritten");

    let restored = dir.path().join("restored");
    let back = portal::backup::restore(&out, &restored, false).unwrap();
    assert_eq!(back.dossiers, taken.dossiers);
    let db = Db::open(&restored).unwrap();
    for code in &before {
        let n: i64 = db.with(|c| {
            c.query_row("SELECT COUNT(*) FROM dossiers WHERE code = ?1", [code], |r| r.get(0))
                .unwrap()
        });
        assert_eq!(n, 1, "{code} was acknowledged before the backup");
    }
    let named: Vec<String> = db.with(|c| {
        let mut q = c.prepare("SELECT sha256 FROM files WHERE dossier_id IS NOT NULL").unwrap();
        q.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    });
    assert!(named.len() >= 6);
    for sha in named {
        assert!(restored.join("files").join(&sha).exists(), "file {sha} restored");
    }
    // A data folder with a database is not overwritten unless asked.
    let said = portal::backup::restore(&out, &restored, false).unwrap_err().to_string();
    assert!(said.contains("--overwrite"), "{said}");
    assert!(portal::backup::restore(&out, &restored, true).is_ok());
}

/// Scheduled snapshots: each whole one named by its time, the oldest
/// removed beyond the number kept, and each restorable.
#[tokio::test]
async fn scheduled_snapshots_keep_the_newest_and_each_restores() {
    let (f, lan) = with_lan().await;
    let data = f.state.files_dir.parent().unwrap().join("db");
    let root = tempfile::tempdir().unwrap();
    let mut taken = Vec::new();
    for (i, at) in [1_800_000_000u64, 1_800_086_400, 1_800_172_800].into_iter().enumerate() {
        let body = birth_registration(&f, &lan).await;
        submit(&f, &lan, &format!("key-snapshot-{i:04}"), &body).await;
        taken.push(portal::backup::snapshot(&data, root.path(), 2, at).unwrap());
    }
    let mut left: Vec<String> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["snapshot-1800086400", "snapshot-1800172800"], "the newest two, no parts");
    let back = tempfile::tempdir().unwrap();
    let restored = portal::backup::restore(&taken[2], back.path(), false).unwrap();
    assert_eq!(restored.dossiers, 3);
}
