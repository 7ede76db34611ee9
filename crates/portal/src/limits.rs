//! In-memory rate limits: sliding windows of event times per key. One portal
//! process answers for one database, so memory is the right place; a restart
//! forgets the windows, which errs on the side of the citizen.

use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
pub struct Limiter {
    events: Mutex<HashMap<String, Vec<u64>>>,
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

impl Limiter {
    /// Seconds until `key` may act again under `rule`, if it is blocked now.
    pub fn blocked(&self, key: &str, rule: Rule, now: u64) -> Option<u64> {
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        events.get_mut(key).and_then(|list| wait(list, rule, now))
    }

    /// Drop keys with no event in the longest window (at most once a minute),
    /// so a flood of distinct phones or addresses does not grow memory for ever.
    fn sweep(&self, events: &mut HashMap<String, Vec<u64>>, now: u64) {
        use std::sync::atomic::Ordering;
        if now.saturating_sub(self.swept.load(Ordering::Relaxed)) < 60 {
            return;
        }
        self.swept.store(now, Ordering::Relaxed);
        events.retain(|_, list| list.last().is_some_and(|&t| t + LONGEST_WINDOW > now));
    }

    /// How many keys are remembered (for tests).
    pub fn keys(&self) -> usize {
        self.events.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Check and count one event: `Err(seconds)` when the window is full.
    /// Atomic: under one lock, so parallel requests cannot all pass.
    pub fn take(&self, key: &str, rule: Rule, now: u64) -> Result<(), u64> {
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        self.sweep(&mut events, now);
        let list = events.entry(key.to_string()).or_default();
        if let Some(seconds) = wait(list, rule, now) {
            return Err(seconds);
        }
        list.push(now);
        Ok(())
    }

    /// Give back the latest event of `key` (it turned out not to count).
    pub fn untake(&self, key: &str) {
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(list) = events.get_mut(key) {
            list.pop();
        }
    }

    pub fn clear(&self, key: &str) {
        self.events.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
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
}
