//! In-memory rate limits: sliding windows of event times per key. One portal
//! process answers for one database, so memory is the right place; a restart
//! forgets the windows, which errs on the side of the citizen.
//!
//! Memory is bounded whatever arrives: keys are grouped by their class (the
//! part before the first `:`, e.g. `send-phone`, `signin-account`), each
//! class keeps at most [`KEYS_PER_CLASS`] keys, and when one is full its
//! longest-quiet tenth is dropped. A flood of new phones can so only push
//! out other phones' counts, never the counts protecting sign-in. Classes
//! whose keys are accounts (a `signin-account:` lock) are bounded by the
//! accounts that exist, not by what strangers send: they keep up to
//! [`KEYS_PER_ACCOUNT_CLASS`] keys, and a key locked now is never the one
//! dropped while a quiet one is there.

use std::collections::HashMap;
use std::sync::Mutex;

/// Keys one class remembers at most (about 2 MB at worst). Low enough that
/// a flood of new phones stops growing memory early; texts to one phone are
/// capped again, durably, by the outbox (`sms::PER_PHONE_PER_HOUR`).
pub const KEYS_PER_CLASS: usize = 5_000;
/// Keys a class named in [`ACCOUNT_CLASSES`] remembers (about 20 MB at worst).
pub const KEYS_PER_ACCOUNT_CLASS: usize = 200_000;
/// Classes keyed by an account id: nobody can make up new keys in them.
pub const ACCOUNT_CLASSES: &[&str] = &["signin-account"];

fn cap_of(class: &str) -> usize {
    if ACCOUNT_CLASSES.contains(&class) {
        KEYS_PER_ACCOUNT_CLASS
    } else {
        KEYS_PER_CLASS
    }
}

type Windows = HashMap<String, Vec<u64>>;

#[derive(Default)]
pub struct Limiter {
    classes: Mutex<HashMap<String, Windows>>,
    /// When keys with nothing recent were last dropped.
    swept: std::sync::atomic::AtomicU64,
}

/// No rule looks further back than this: a key quiet for longer is forgotten.
const LONGEST_WINDOW: u64 = 24 * 60 * 60;

/// How many events a window allows.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub max: usize,
    pub window: u64,
}

impl Rule {
    /// At most `max` events in any `window` seconds.
    pub const fn new(max: usize, window: u64) -> Rule {
        Rule { max, window }
    }
}

fn class_of(key: &str) -> &str {
    key.split(':').next().unwrap_or("")
}

impl Limiter {
    /// Seconds until `key` may act again under `rule`, if it is blocked now.
    pub fn blocked(&self, key: &str, rule: Rule, now: u64) -> Option<u64> {
        let mut classes = self.classes.lock().unwrap_or_else(|p| p.into_inner());
        classes.get_mut(class_of(key))?.get_mut(key).and_then(|list| wait(list, rule, now))
    }

    /// Drop keys with no event in the longest window (at most once a minute).
    fn sweep(&self, classes: &mut HashMap<String, Windows>, now: u64) {
        use std::sync::atomic::Ordering;
        if now.saturating_sub(self.swept.load(Ordering::Relaxed)) < 60 {
            return;
        }
        self.swept.store(now, Ordering::Relaxed);
        for keys in classes.values_mut() {
            keys.retain(|_, list| list.last().is_some_and(|&t| t + LONGEST_WINDOW > now));
        }
        classes.retain(|_, keys| !keys.is_empty());
    }

    /// How many keys are remembered (for tests).
    pub fn keys(&self) -> usize {
        self.classes.lock().unwrap_or_else(|p| p.into_inner()).values().map(HashMap::len).sum()
    }

    /// Check and count one event: `Err(seconds)` when the window is full.
    /// Atomic: under one lock, so parallel requests cannot all pass.
    pub fn take(&self, key: &str, rule: Rule, now: u64) -> Result<(), u64> {
        let mut classes = self.classes.lock().unwrap_or_else(|p| p.into_inner());
        self.sweep(&mut classes, now);
        let class = class_of(key);
        let cap = cap_of(class);
        let keys = classes.entry(class.to_string()).or_default();
        if keys.len() >= cap && !keys.contains_key(key) {
            make_room(keys, cap);
        }
        let list = keys.entry(key.to_string()).or_default();
        if let Some(seconds) = wait(list, rule, now) {
            return Err(seconds);
        }
        list.push(now);
        Ok(())
    }

    /// Give back the latest event of `key` (it turned out not to count).
    pub fn untake(&self, key: &str) {
        let mut classes = self.classes.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(list) = classes.get_mut(class_of(key)).and_then(|k| k.get_mut(key)) {
            list.pop();
        }
    }

    pub fn clear(&self, key: &str) {
        let mut classes = self.classes.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(keys) = classes.get_mut(class_of(key)) {
            keys.remove(key);
        }
    }
}

/// A full class drops its tenth of keys quiet for longest.
fn make_room(keys: &mut Windows, cap: usize) {
    let mut last: Vec<u64> = keys.values().map(|l| l.last().copied().unwrap_or(0)).collect();
    let cut = cap / 10;
    let (_, &mut threshold, _) = last.select_nth_unstable(cut);
    let mut dropped = 0;
    keys.retain(|_, l| {
        let quiet = l.last().copied().unwrap_or(0) <= threshold && dropped < cut;
        dropped += usize::from(quiet);
        !quiet
    });
    keys.shrink_to(cap);
}

/// Drop `list`'s events older than the window; the seconds to wait if it is full.
fn wait(list: &mut Vec<u64>, rule: Rule, now: u64) -> Option<u64> {
    list.retain(|&t| t + rule.window > now);
    (list.len() >= rule.max)
        .then(|| (list[list.len() - rule.max] + rule.window).saturating_sub(now).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_when_full_and_releases_as_the_window_slides() {
        let l = Limiter::default();
        let rule = Rule { max: 3, window: 60 };
        assert!(l.take("a", rule, 100).is_ok());
        assert!(l.take("a", rule, 110).is_ok());
        assert!(l.take("a", rule, 120).is_ok());
        assert_eq!(l.take("a", rule, 130), Err(30));
        assert!(l.take("b", rule, 130).is_ok(), "keys are separate");
        assert!(l.take("a", rule, 160).is_ok(), "the first event left the window");
        assert_eq!(l.blocked("a", rule, 161), Some(9));
        l.clear("a");
        assert_eq!(l.blocked("a", rule, 161), None);
    }

    #[test]
    fn quiet_keys_are_forgotten() {
        let l = Limiter::default();
        let rule = Rule::new(5, 60);
        for n in 0..1000 {
            l.take(&format!("phone:{n}"), rule, 100).unwrap();
        }
        assert_eq!(l.keys(), 1000);
        l.take("later", rule, 100 + LONGEST_WINDOW + 61).unwrap();
        assert_eq!(l.keys(), 1, "only the fresh key is left");
    }

    /// A limiter in which account 42 has used its five sign-ins in 15 minutes.
    fn account_42_locked() -> (Limiter, Rule) {
        let l = Limiter::default();
        let rule = Rule::new(5, 900);
        for _ in 0..5 {
            l.take("signin-account:42", rule, 100).unwrap();
        }
        (l, rule)
    }

    #[test]
    fn a_flood_of_unknown_sign_ins_cannot_erase_an_account_lock() {
        let (l, rule) = account_42_locked();
        for n in 0..(3 * KEYS_PER_CLASS) {
            let _ = l.take(&format!("signin-unknown:09{n:08}"), rule, 101);
            let _ = l.take(&format!("signin-ip:10.0.{}.{}", n / 256, n % 256), rule, 101);
        }
        assert!(l.take("signin-account:42", rule, 102).is_err(), "still locked");
        // The account class is bounded too, by its own (larger) cap.
        for n in 0..(KEYS_PER_ACCOUNT_CLASS + 10) {
            let _ = l.take(&format!("signin-account:{}", 1000 + n), rule, 103);
        }
        assert!(l.keys() <= KEYS_PER_ACCOUNT_CLASS + 2 * KEYS_PER_CLASS, "{}", l.keys());
    }

    #[test]
    fn a_flood_of_new_keys_stays_bounded_and_cannot_erase_sign_in_counts() {
        let (l, rule) = account_42_locked();
        for n in 0..(3 * KEYS_PER_CLASS) {
            let _ = l.take(&format!("send-phone:09{n:08}"), rule, 101);
        }
        assert!(l.keys() <= KEYS_PER_CLASS + 1, "{}", l.keys());
        assert!(l.take("signin-account:42", rule, 102).is_err(), "still counted");
        // The newest phones are the ones remembered.
        let last = format!("send-phone:09{:08}", 3 * KEYS_PER_CLASS - 1);
        assert!(l.take(&last, Rule::new(1, 900), 103).is_err());
    }
}
