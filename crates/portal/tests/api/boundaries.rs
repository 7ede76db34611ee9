//! The portal's invariants of `ARCHITECTURE.md` that a grep can hold.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn all() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    files.into_iter().map(|p| (p.clone(), std::fs::read_to_string(&p).unwrap())).collect()
}

/// Ending an account's sessions is written once (`store::accounts::
/// end_sessions`), so no revocation forgets the pairings or code exchanges.
#[test]
fn revocation_is_written_once() {
    for needle in [
        "DELETE FROM sessions WHERE account_id",
        "DELETE FROM pairings WHERE account_id",
        "UPDATE challenges SET used = 1 WHERE account_id",
    ] {
        let found: Vec<_> = all()
            .into_iter()
            .filter(|(_, text)| text.contains(needle))
            .map(|(p, text)| (p, text.matches(needle).count()))
            .collect();
        assert_eq!(found.len(), 1, "{needle}: {found:?}");
        assert!(
            found[0].0.ends_with("store/accounts.rs") && found[0].1 == 1,
            "{needle}: {found:?}"
        );
    }
}

/// Passwords are hashed and checked only on the fixed pool (`hashing.rs`):
/// no handler runs argon2 on the blocking pool, whose memory is unbounded.
#[test]
fn passwords_are_hashed_only_on_the_pool() {
    for (path, text) in all() {
        if path.ends_with("secrets.rs") || path.ends_with("hashing.rs") {
            continue;
        }
        for call in ["check_password(", "hash_password(", "Argon2::default()"] {
            assert!(!text.contains(call), "{} calls {call}", path.display());
        }
    }
}

/// SQL lives in `store/` (the catalog's own in `catalog/`, the demo
/// data's own rows in `demo.rs`, the migrations in `db.rs`): nowhere else
/// does the portal run a statement.
#[test]
fn sql_lives_in_the_store() {
    let allowed = |p: &Path| {
        p.components().any(|c| c.as_os_str() == "store" || c.as_os_str() == "catalog")
            || ["catalog.rs", "demo.rs", "db.rs"]
                .iter()
                .any(|f| p.ends_with(f) && !p.to_string_lossy().contains("/http/"))
    };
    for (path, text) in all() {
        if allowed(&path) {
            continue;
        }
        for call in [".execute(", ".query_row(", ".prepare(", ".prepare_cached(", ".execute_batch("]
        {
            assert!(!text.contains(call), "{} runs SQL ({call}) outside store/", path.display());
        }
    }
}
