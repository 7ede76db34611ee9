//! Keeping what the citizen has already loaded, so that a dropped connection
//! does not take the catalog or a recently opened procedure away.
//!
//! The catalog and the last procedures opened are kept in `localStorage`
//! (public data only, never personal data). The list bookkeeping is plain
//! Rust and unit-tested natively.

/// How many opened procedures are kept.
pub const RECENT_MAX: usize = 20;
pub const CATALOG_KEY: &str = "motcua.catalog";
pub const UNITS_KEY: &str = "motcua.units";
/// The desk the citizen last chose, preselected on detail pages.
pub const PLACE_KEY: &str = "motcua.place";
const RECENT_KEY: &str = "motcua.recent";

fn procedure_key(code: &str) -> String {
    format!("motcua.p.{code}")
}

/// Put `code` first in a comma-separated recent list; returns the new list
/// and the codes that fell off its end.
pub fn push_recent(list: &str, code: &str, max: usize) -> (String, Vec<String>) {
    let mut codes: Vec<&str> = list
        .split(',')
        .filter(|c| !c.is_empty() && *c != code)
        .collect();
    codes.insert(0, code);
    let evicted = codes
        .split_off(codes.len().min(max))
        .into_iter()
        .map(str::to_string)
        .collect();
    (codes.join(","), evicted)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
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
    let list = s.get_item(RECENT_KEY).ok().flatten().unwrap_or_default();
    let (list, evicted) = push_recent(&list, code, RECENT_MAX);
    for old in evicted {
        let _ = s.remove_item(&procedure_key(&old));
    }
    let _ = s.set_item(RECENT_KEY, &list);
    let _ = s.set_item(&procedure_key(code), json);
}

/// Keys of `localStorage` that hold nothing personal: the public catalog
/// kept for offline use, the desk chosen, the language.
pub fn is_public_key(key: &str) -> bool {
    key == CATALOG_KEY
        || key == UNITS_KEY
        || key == PLACE_KEY
        || key == RECENT_KEY
        || key == "motcua.lang"
        || key.starts_with("motcua.p.")
}

/// Forget everything of the signed-in citizen kept in this browser: the
/// journeys' drafts (tab and device), dossiers' last known statuses, and
/// files waiting in IndexedDB. Used
/// at sign-out, so the next person on a shared phone or kiosk finds nothing.
/// The public catalog and the language stay.
pub fn forget_personal() {
    let Some(w) = web_sys::window() else { return };
    if let Ok(Some(s)) = w.session_storage() {
        // All of the tab's storage but the kiosk switch (not personal).
        let keys: Vec<String> = (0..s.length().unwrap_or(0))
            .filter_map(|i| s.key(i).ok().flatten())
            .filter(|k| k != crate::kiosk::FLAG)
            .collect();
        for k in keys {
            let _ = s.remove_item(&k);
        }
    }
    if let Some(s) = storage() {
        let keys: Vec<String> = (0..s.length().unwrap_or(0))
            .filter_map(|i| s.key(i).ok().flatten())
            .filter(|k| {
                [
                    "motcua.wizard.",
                    "motcua.track.",
                    "motcua.supplement.",
                    "motcua.outbox.",
                ]
                .iter()
                .any(|p| k.starts_with(p))
            })
            .collect();
        for k in keys {
            let _ = s.remove_item(&k);
        }
    }
    if let Ok(Some(idb)) = w.indexed_db() {
        let _ = idb.delete_database("motcua");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_list_moves_to_front_and_evicts_the_oldest() {
        assert_eq!(
            push_recent("", "1.001193", 3),
            ("1.001193".to_string(), vec![])
        );
        let (l, e) = push_recent("a,b,c", "b", 3);
        assert_eq!((l.as_str(), e.len()), ("b,a,c", 0));
        let (l, e) = push_recent("a,b,c", "d", 3);
        assert_eq!(l, "d,a,b");
        assert_eq!(e, vec!["c".to_string()]);
    }
}
