//! Keeping what the citizen has already loaded, so that a dropped connection
//! does not take the catalog or a recently opened procedure away.
//!
//! The catalog and the last procedures opened are kept in `localStorage`
//! (public data only, never personal data). The list bookkeeping is plain
//! Rust and unit-tested natively.

/// How many opened procedures are kept.
pub const RECENT_MAX: usize = 20;
use crate::storage::{local as storage, PROCEDURE, RECENT};

fn procedure_key(code: &str) -> String {
    format!("{PROCEDURE}{code}")
}

/// Put `code` first in a comma-separated recent list; returns the new list
/// and the codes that fell off its end.
pub fn push_recent(list: &str, code: &str, max: usize) -> (String, Vec<String>) {
    let mut codes: Vec<&str> = list.split(',').filter(|c| !c.is_empty() && *c != code).collect();
    codes.insert(0, code);
    let evicted = codes.split_off(codes.len().min(max)).into_iter().map(str::to_string).collect();
    (codes.join(","), evicted)
}

pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Best effort: a full or disabled storage only means less is kept.
pub fn save(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn load_procedure(code: &str) -> Option<String> {
    load(&procedure_key(code))
}

pub fn save_procedure(code: &str, json: &str) {
    let Some(s) = storage() else { return };
    let list = s.get_item(RECENT).ok().flatten().unwrap_or_default();
    let (list, evicted) = push_recent(&list, code, RECENT_MAX);
    for old in evicted {
        let _ = s.remove_item(&procedure_key(&old));
    }
    let _ = s.set_item(RECENT, &list);
    let _ = s.set_item(&procedure_key(code), json);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_list_moves_to_front_and_evicts_the_oldest() {
        assert_eq!(push_recent("", "1.001193", 3), ("1.001193".to_string(), vec![]));
        let (l, e) = push_recent("a,b,c", "b", 3);
        assert_eq!((l.as_str(), e.len()), ("b,a,c", 0));
        let (l, e) = push_recent("a,b,c", "d", 3);
        assert_eq!(l, "d,a,b");
        assert_eq!(e, vec!["c".to_string()]);
    }
}
