//! The one registry of what the app keeps on the device: every
//! `localStorage` and `sessionStorage` key and the IndexedDB database,
//! declared once with its class, and the only code that opens them.
//!
//! Classes decide what each wipe clears:
//!
//! | class | what | sign-out | next resident | kiosk wipe |
//! |---|---|---|---|---|
//! | `Public` | the catalog kept offline, the language | keeps | keeps | keeps |
//! | `Trail` | what a person looked at: recent procedures, the desk chosen | keeps | clears | clears |
//! | `Personal` | drafts, statuses, waiting files and submissions | clears | clears | clears |
//! | `KioskSwitch` | "this tab is a kiosk" | keeps | keeps | keeps |
//!
//! A key the registry does not know is treated as personal (cleared by
//! every wipe), and a native test fails when the source names a
//! `motcua.` key that is not here or opens storage anywhere else.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    Local,
    Session,
    IndexedDb,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Public,
    Trail,
    Personal,
    KioskSwitch,
}

/// The moments the device forgets a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wipe {
    /// Signing out on one's own phone.
    SignOut,
    /// A volunteer's "Người tiếp theo" between two residents.
    NextResident,
    /// A kiosk between two strangers.
    Kiosk,
}

impl Wipe {
    pub fn clears(self, class: Class) -> bool {
        match class {
            Class::Personal => true,
            Class::Trail => self != Wipe::SignOut,
            Class::Public | Class::KioskSwitch => false,
        }
    }
}

pub const LANG: &str = "motcua.lang";
pub const CATALOG: &str = "motcua.catalog";
/// The home page's most used procedures.
pub const POPULAR: &str = "motcua.popular";
/// The search dictionary.
pub const SYNONYMS: &str = "motcua.synonyms";
/// What each procedure is about besides its name, for search.
pub const ABOUT: &str = "motcua.about";
pub const UNITS: &str = "motcua.units";
/// The day (days since 1970) what offline use needs was last kept.
pub const KEPT_ON: &str = "motcua.kept";
pub const RECENT: &str = "motcua.recent";
/// One procedure kept for offline reading: `motcua.p.<code>`.
pub const PROCEDURE: &str = "motcua.p.";
/// The desk the citizen last chose, preselected on detail pages.
pub const PLACE: &str = "motcua.place";
/// A submission wizard's draft: `motcua.wizard.<procedure>`.
pub const WIZARD: &str = "motcua.wizard.";
/// Who was signed in here last (`Me`), for the header and pages offline.
pub const ME: &str = "motcua.me";
/// A receipt seen, for offline: `motcua.receipt.<code>`.
pub const RECEIPT: &str = "motcua.receipt.";
/// "Hồ sơ của tôi" as last seen, for offline.
pub const MINE: &str = "motcua.mine";
/// A dossier's last known status: `motcua.track.<code>`.
pub const TRACK: &str = "motcua.track.";
/// A supplement being prepared: `motcua.supplement.<code>`.
pub const SUPPLEMENT: &str = "motcua.supplement.";
/// A submission waiting for the portal: `motcua.outbox.<key>`.
pub const OUTBOX: &str = "motcua.outbox.";
/// The details of someone a booking is being made for (the tab only).
pub const BOOKING_FOR: &str = "motcua.booking.for";
/// A booking's ticket as last seen, to show at the desk offline: `motcua.ticket.<code>`.
pub const TICKET: &str = "motcua.ticket.";
pub const REGISTER: &str = "motcua.register";
pub const RESET: &str = "motcua.reset";
pub const KIOSK: &str = "motcua.kiosk";
/// The desk a kiosk stands at (`/kiosk?don-vi=`), preselected.
pub const KIOSK_PLACE: &str = "motcua.kiosk.place";
/// How many wipes this browser has seen: a page restored from the
/// back/forward cache after one reloads (see `app::App`).
pub const WIPED: &str = "motcua.wiped";
/// The IndexedDB database of files chosen but not yet uploaded.
pub const FILES_DB: &str = "motcua";

/// Every key: (name, is a prefix, area, class).
pub const REGISTRY: &[(&str, bool, Area, Class)] = &[
    (LANG, false, Area::Local, Class::Public),
    (CATALOG, false, Area::Local, Class::Public),
    (POPULAR, false, Area::Local, Class::Public),
    (SYNONYMS, false, Area::Local, Class::Public),
    (ABOUT, false, Area::Local, Class::Public),
    (UNITS, false, Area::Local, Class::Public),
    (KEPT_ON, false, Area::Local, Class::Public),
    (RECENT, false, Area::Local, Class::Trail),
    (PROCEDURE, true, Area::Local, Class::Trail),
    (PLACE, false, Area::Local, Class::Trail),
    (WIZARD, true, Area::Local, Class::Personal),
    (TRACK, true, Area::Local, Class::Personal),
    (ME, false, Area::Local, Class::Personal),
    (MINE, false, Area::Local, Class::Personal),
    (RECEIPT, true, Area::Local, Class::Personal),
    (SUPPLEMENT, true, Area::Local, Class::Personal),
    (OUTBOX, true, Area::Local, Class::Personal),
    (BOOKING_FOR, false, Area::Session, Class::Personal),
    (TICKET, true, Area::Local, Class::Personal),
    (REGISTER, false, Area::Session, Class::Personal),
    (RESET, false, Area::Session, Class::Personal),
    (KIOSK, false, Area::Session, Class::KioskSwitch),
    (KIOSK_PLACE, false, Area::Session, Class::KioskSwitch),
    (WIPED, false, Area::Local, Class::Public),
    (FILES_DB, false, Area::IndexedDb, Class::Personal),
];

/// The class of a key, if the registry knows it.
pub fn class_of(area: Area, key: &str) -> Option<Class> {
    REGISTRY
        .iter()
        .find(|(name, prefix, a, _)| {
            *a == area && if *prefix { key.starts_with(name) } else { key == *name }
        })
        .map(|e| e.3)
}

/// Whether `wipe` removes `key` (unknown keys: yes).
pub fn cleared_by(wipe: Wipe, area: Area, key: &str) -> bool {
    class_of(area, key).is_none_or(|c| wipe.clears(c))
}

// ------------------------------------------------------------ the browser

fn area(area: Area) -> Option<web_sys::Storage> {
    let w = web_sys::window()?;
    match area {
        Area::Local => w.local_storage().ok().flatten(),
        Area::Session => w.session_storage().ok().flatten(),
        Area::IndexedDb => None,
    }
}

pub fn local() -> Option<web_sys::Storage> {
    area(Area::Local)
}

pub fn session() -> Option<web_sys::Storage> {
    area(Area::Session)
}

/// The browser's IndexedDB factory.
pub fn indexed_db() -> Option<web_sys::IdbFactory> {
    web_sys::window()?.indexed_db().ok().flatten()
}

/// Every key of one storage area.
pub fn keys(s: &web_sys::Storage) -> Vec<String> {
    (0..s.length().unwrap_or(0)).filter_map(|i| s.key(i).ok().flatten()).collect()
}

/// Forget what `wipe` clears: both storage areas and the files database.
pub fn wipe(wipe: Wipe) {
    for a in [Area::Local, Area::Session] {
        if let Some(s) = area(a) {
            for k in keys(&s) {
                if cleared_by(wipe, a, &k) {
                    let _ = s.remove_item(&k);
                }
            }
        }
    }
    if let Some(idb) = indexed_db() {
        let _ = idb.delete_database(FILES_DB);
    }
    if let Some(s) = local() {
        let _ = s.set_item(WIPED, &(wipes() + 1).to_string());
    }
}

/// How many wipes this browser has seen.
pub fn wipes() -> u32 {
    local().and_then(|s| s.get_item(WIPED).ok().flatten()).and_then(|n| n.parse().ok()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wipes_clear_by_class() {
        use Wipe::*;
        let wizard = "motcua.wizard.1.001193";
        for w in [SignOut, NextResident, Kiosk] {
            assert!(cleared_by(w, Area::Local, wizard));
            assert!(cleared_by(w, Area::Session, REGISTER));
            assert!(!cleared_by(w, Area::Local, CATALOG));
            assert!(!cleared_by(w, Area::Session, KIOSK));
            // Unknown keys are treated as personal.
            assert!(cleared_by(w, Area::Local, "motcua.something-new"));
        }
        // What a person looked at stays on their own phone, not on a
        // shared one.
        assert!(!cleared_by(SignOut, Area::Local, RECENT));
        assert!(cleared_by(Kiosk, Area::Local, RECENT));
        assert!(cleared_by(Kiosk, Area::Local, "motcua.p.1.001193"));
        assert!(cleared_by(NextResident, Area::Local, PLACE));
        // The same name in another area is another key.
        assert_eq!(class_of(Area::Session, CATALOG), None);
    }

    /// Every `"motcua.…"` key named in the app's source is in the registry,
    /// and no file but this one opens the browser's storage.
    #[test]
    fn storage_goes_only_through_the_registry() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    files.push(p);
                }
            }
        }
        assert!(files.len() > 20, "the app's source was found");
        let me = root.join("storage.rs");
        for f in files.iter().filter(|f| **f != me) {
            let text = std::fs::read_to_string(f).unwrap();
            for opener in [".local_storage()", ".session_storage()", ".indexed_db()"] {
                assert!(
                    !text.contains(opener),
                    "{} opens storage itself ({opener}); use crate::storage",
                    f.display()
                );
            }
            for (i, _) in text.match_indices("\"motcua.") {
                let key: String =
                    text[i + 1..].chars().take_while(|c| *c != '"' && *c != '{').collect();
                let known =
                    REGISTRY.iter().any(
                        |(name, prefix, _, _)| {
                            if *prefix {
                                key.starts_with(name)
                            } else {
                                key == *name
                            }
                        },
                    );
                assert!(
                    known,
                    "{} names the storage key {key:?}, which the registry does not declare",
                    f.display()
                );
            }
        }
    }
}
