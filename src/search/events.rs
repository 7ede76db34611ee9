//! Life events in a query ("bố mất", "mở quán", "có em bé"): the table is
//! `contract::catalog::LIFE_EVENTS`; here, finding them in a folded query
//! and what they add to their procedures' scores.

use contract::catalog::{LifeEvent, LIFE_EVENTS};

/// What a lead of the event is worth before the query's other words:
/// enough to come before procedures that merely share a word, less the
/// later it stands in the event's list.
const LEAD: u32 = 1000;
const LEAD_STEP: u32 = 40;
/// Per remaining query word that stands in a lead's own words.
const LEAD_WORD: u32 = 600;
/// When every remaining word stands in the lead's words.
const LEAD_ALL: u32 = 600;
/// A lead none of the remaining words picks out, when there are some.
const LEAD_UNNAMED: u32 = 300;
const LEAD_UNNAMED_STEP: u32 = 20;

/// The events a folded query tells, the phrases that told them, and the
/// query with those phrases taken out (the longest first, whole words only).
pub(super) fn detect(folded: &str) -> (Vec<&'static LifeEvent>, Vec<&'static str>, String) {
    let mut q = format!(" {folded} ");
    let mut found: Vec<&'static LifeEvent> = Vec::new();
    let mut said: Vec<&'static str> = Vec::new();
    for (spaced, phrase, i) in phrases() {
        let (phrase, i) = (*phrase, *i);
        if q.contains(spaced.as_str()) {
            q = q.replace(spaced.as_str(), " ");
            said.push(phrase);
            let e = &LIFE_EVENTS[i];
            if !found.iter().any(|f| std::ptr::eq(*f, e)) {
                found.push(e);
            }
        }
    }
    (found, said, q.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Every event phrase, spaced for whole-word matching, with the phrase and
/// its event, the longest first (worked out once, not per keystroke).
fn phrases() -> &'static [(String, &'static str, usize)] {
    static PHRASES: std::sync::OnceLock<Vec<(String, &'static str, usize)>> =
        std::sync::OnceLock::new();
    PHRASES.get_or_init(|| {
        let mut all: Vec<(String, &'static str, usize)> = LIFE_EVENTS
            .iter()
            .enumerate()
            .flat_map(|(i, e)| e.says.iter().map(move |s| (format!(" {s} "), *s, i)))
            .collect();
        all.sort_by_key(|(_, s, _)| std::cmp::Reverse(s.len()));
        all
    })
}

/// Each lead's code and what it adds, for the events found; `rest` is the
/// query's other words (folded, before the dictionary, without filler);
/// `said` the event phrases found, which pick a lead too when its words
/// hold them ("ở trọ": the temporary residence among moving house's).
pub(super) fn bonuses(
    events: &[&'static LifeEvent],
    said: &[&str],
    rest: &[String],
) -> Vec<(&'static str, u32)> {
    let mut out: Vec<(&'static str, u32)> = Vec::new();
    for (k, e) in events.iter().enumerate() {
        // A second event told in the same query counts a little less.
        let damp = if k == 0 { 0 } else { 100 };
        for (pos, (code, words)) in e.leads.iter().enumerate() {
            let pos = pos as u32;
            // The query's words are `loose` (y as i), so are these.
            let named_rest = rest
                .iter()
                .filter(|w| words.split(' ').any(|l| super::typing::loose(l) == w.as_str()))
                .count();
            let spaced = format!(" {words} ");
            let named_said = said.iter().filter(|p| spaced.contains(&format!(" {p} "))).count();
            let named = named_rest + named_said;
            // Named by at least half the other words (or by the event's
            // phrase): one stray word does not pick a lead.
            let picked = named_said > 0 || (named_rest > 0 && named_rest * 2 >= rest.len());
            let bonus = if picked {
                let all = if named_rest == rest.len() { LEAD_ALL } else { 0 };
                (LEAD - LEAD_STEP * pos + LEAD_WORD * named as u32 + all).saturating_sub(damp)
            } else if rest.is_empty() {
                (LEAD - LEAD_STEP * pos).saturating_sub(damp)
            } else {
                (LEAD_UNNAMED - LEAD_UNNAMED_STEP * pos).saturating_sub(damp)
            };
            match out.iter_mut().find(|(c, _)| c == code) {
                Some((_, b)) => *b = (*b).max(bonus),
                None => out.push((code, bonus)),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_found_and_its_words_taken_out() {
        let (events, _, rest) = detect("bo mat lam giay bao tu");
        assert_eq!(events.iter().map(|e| e.slug).collect::<Vec<_>>(), ["nguoi-than-mat"]);
        assert_eq!(rest, "lam giay bao tu");
        // Whole words only: "bom at" is not "bo mat".
        assert!(detect("bom at").0.is_empty());
        let (events, _, _) = detect("ket hon voi nguoi nuoc ngoai");
        assert!(events.is_empty(), "a procedure's own words tell no event");
    }

    /// The home page links each event to a search for its Vietnamese
    /// name: that search must read as the event alone.
    #[test]
    fn each_event_name_searches_for_the_event() {
        for (slug, vi, _) in contract::catalog::LIFE_EVENT_NAMES {
            let (events, _, rest) = detect(&contract::text::fold(vi));
            assert_eq!(events.first().map(|e| e.slug), Some(*slug), "{vi}");
            assert_eq!(rest, "", "{vi}: {rest:?} is left");
        }
    }

    #[test]
    fn the_remaining_words_pick_a_lead_out_of_the_event() {
        let (events, _, _) = detect("bo mat chia dat");
        let b = bonuses(&events, &[], &["chia".into(), "dat".into()]);
        let of = |code: &str| b.iter().find(|(c, _)| *c == code).map(|(_, v)| *v).unwrap();
        assert!(of("2.001406") > of("1.000656"), "{b:?}");
        let b = bonuses(&events, &[], &[]);
        let of = |code: &str| b.iter().find(|(c, _)| *c == code).map(|(_, v)| *v).unwrap();
        assert!(of("1.000656") > of("2.001406"), "with no other words, the event's order");
    }
}
