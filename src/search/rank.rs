//! What a match is worth: how well a query word matches a word, and an
//! entry's score for a whole query.

use super::typing::{one_letter_off, without_telex_tone};
use super::Entry;

/// How well query word `term` matches word `w`: 3 the same word, 2 a prefix
/// of it (typing in progress), 1 with a typing slip (a Telex tone letter left
/// at the end, one letter missing, added or doubled), 0 not at all.
pub(super) fn word_quality(w: &str, term: &str) -> u8 {
    if w == term {
        3
    } else if w.starts_with(term) {
        2
    } else if without_telex_tone(term) == Some(w) || one_letter_off(w, term) {
        1
    } else {
        0
    }
}

/// How many of `n` query words an entry must match: all of one or two words;
/// at least half of longer queries, so that an extra word ("… cho con")
/// narrows the ranking instead of emptying the list.
pub(super) fn required(n: usize) -> usize {
    if n <= 2 {
        n
    } else {
        n.div_ceil(2)
    }
}

/// The best quality of query word `t` over `words`.
pub(super) fn best(table: &[Vec<u8>], t: usize, words: &[u32]) -> u8 {
    words.iter().map(|&w| table[t][w as usize]).max().unwrap_or(0)
}

/// Whether the query's words stand in the name in order, side by side,
/// starting at word `at`: all whole words but the last, which may be a prefix.
pub(super) fn phrase_at(table: &[Vec<u8>], words: &[u32], at: usize) -> bool {
    let n = table.len();
    at + n <= words.len()
        && (0..n).all(|k| {
            let q = table[k][words[at + k] as usize];
            if k + 1 == n {
                q >= 2
            } else {
                q == 3
            }
        })
}

/// Preferences among near-twins, when the query does not say otherwise.
#[derive(Clone, Copy)]
pub(super) struct Prefer {
    pub(super) first_issue: bool,
    pub(super) commune: bool,
    pub(super) reissue: bool,
}

pub(super) fn score(
    e: &Entry,
    at: usize,
    table: &[Vec<u8>],
    about: &[Vec<u16>],
    prefer: Prefer,
) -> Option<u32> {
    let n = table.len();
    let mut in_name = 0u32;
    let mut elsewhere = 0u32;
    let mut quality = 0u32;
    let mut found = 0u32;
    for (t, about) in about.iter().enumerate() {
        let m = best(table, t, &e.name_words);
        if m > 0 {
            in_name += 1;
            quality += m as u32;
        } else if best(table, t, &e.field_words) > 0 {
            elsewhere += 1;
            found += 30;
        } else if about[at] > 0 {
            elsewhere += 1;
            found += about[at] as u32;
        }
    }
    if ((in_name + elsewhere) as usize) < required(n) {
        return None;
    }
    let mut s = in_name * 100 + found + quality * 5 + 10;
    if prefer.reissue && e.reissue {
        s += 40;
    }
    // Query words that stand next to each other in the name.
    let adjacent = (0..n.saturating_sub(1))
        .filter(|&t| {
            e.name_words
                .windows(2)
                .any(|w| table[t][w[0] as usize] >= 2 && table[t + 1][w[1] as usize] >= 2)
        })
        .count() as u32;
    s += adjacent * 60;
    if in_name as usize == n {
        s += 500;
        if phrase_at(table, &e.name_words, 0) {
            s += 1100;
        } else if (1..e.name_words.len()).any(|at| phrase_at(table, &e.name_words, at)) {
            s += 1000;
        }
    }
    Some(s)
}
