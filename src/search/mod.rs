//! Procedure search over the summary index held in memory (plain Rust, no
//! browser APIs: unit-tested natively).
//!
//! Folding (case, diacritics in NFC or NFD, đ → d) comes from the contract
//! crate; here are the index and its ranking. The dictionary of citizens'
//! words is `dictionary.rs`, typing slips `typing.rs`, what a match is
//! worth `rank.rs`, highlighting `highlight.rs`.

mod dictionary;
pub mod engine;
pub mod eval;
mod events;
pub mod filters;
mod highlight;
mod queries;
mod rank;
mod typing;

pub use dictionary::set_synonyms;
use dictionary::{drop_empty, expand_synonyms};
pub use highlight::{highlight, highlight_terms};
use rank::{required, score, word_quality, Prefer};
use typing::{loose, plain_letters, untyped, without_marks};

use contract::catalog::ProcedureSummary;
use contract::text::{fold, words};

/// Words that say "a procedure" without saying which, or who it is for
/// ("cho cháu", "cho tôi"): not matched unless the query has nothing else,
/// but a name holding one ranks a little higher ("làm hộ chiếu": the
/// procedure that issues it, "Cấp hộ chiếu…", before the one that reports
/// it lost).
const FILLER: &[&str] = &[
    "thu", "tuc", "lam", "xin", "cap", "muon", "nao", "o", "va", "cho", "toi", "chau", "minh",
    "khi",
];

/// Relatives, as people name who a paper is for after "cho".
const KIN: &[&str] = &[
    "ong", "ba", "bo", "me", "cha", "vo", "chong", "con", "em", "anh", "chi", "noi", "ngoai",
    "chau", "co", "chu", "bac", "di", "cau", "thim", "mo", "nguoi", "nha", "ca", "gia", "dinh",
    "nho", "gai", "trai", "be", "cac", "hai", "toi", "minh",
];

/// What a filler word found in a name adds.
const HINT: u32 = 15;

struct Entry {
    /// Length of the folded name (shorter names win ties).
    name_len: usize,
    /// The name's words, as positions in the index's vocabulary.
    name_words: Vec<u32>,
    field_words: Vec<u32>,
    /// The nearest level that handles it: a commune or ward desk is
    /// preferred among near-twins when the query names no level, then the
    /// province's.
    level: Option<contract::catalog::Level>,
    /// The name is a variant case (re-issue, exchange, renewal, change…):
    /// the first issue is preferred when the query names no case.
    variant: bool,
    /// The name issues a paper again ("Cấp lại…"): what a query saying the
    /// paper was lost or damaged wants.
    reissue: bool,
    code: String,
    /// Place among all entries by use (most used 0; equally used, equal).
    used_rank: u16,
    /// Place among all entries by name length, then code: the last tie-break.
    tie_rank: u16,
}

/// The searchable form of the catalog, built once when it arrives. Words are
/// stored once in a vocabulary, so a query compares each distinct word once
/// (a few thousand comparisons) and then scores entries by table look-ups.
pub struct Index {
    entries: Vec<Entry>,
    vocab: Vec<String>,
    ids: std::collections::HashMap<String, u32>,
    /// Per vocabulary word, what matching it in an entry's `about` words
    /// is worth: more the fewer entries have it (inverse document
    /// frequency, as BM25 weighs terms), 0 when no entry has it there.
    about_weight: Vec<u16>,
    /// Per vocabulary word, the entries whose `about` has it: a query word
    /// looks at the few words it matches, not at every entry's list.
    about_postings: Vec<Vec<u32>>,
    /// Per vocabulary word, the entries whose name or field has it: only
    /// entries that match enough of a query's words are scored.
    postings: Vec<Vec<u32>>,
    /// Entry by procedure code (a life event names its procedures so).
    by_code: std::collections::HashMap<String, u32>,
}

/// Folded phrases that make a name a variant case.
const VARIANTS: &[&str] = &[
    " cap lai ",
    " cap doi ",
    " lai ",
    " gia han ",
    " thu hoi ",
    " dieu chinh ",
    " thay doi ",
    " dinh chinh ",
    " mat ",
];

/// Query words that ask for a variant case or a level: then neither
/// preference applies.
const CASE_WORDS: &[&str] = &["lai", "doi", "han", "hoi", "chinh", "mat", "hong", "sai"];
const LEVEL_WORDS: &[&str] = &["tinh", "huyen", "bo", "trung", "uong"];

/// Whether the query names a case ("cấp lại", "đổi", "mất"…); "lái xe"
/// (driving) folds like "lại" and does not.
fn asks_case(terms: &[String]) -> bool {
    terms.iter().enumerate().any(|(i, t)| {
        CASE_WORDS.contains(&t.as_str())
            && !(t == "lai" && terms.get(i + 1).is_some_and(|n| n == "xe"))
    })
}

/// Query words saying a paper was lost or damaged: a re-issue is wanted.
const LOST_WORDS: &[&str] = &["mat", "hong", "rach", "chay"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Position in the summaries the index was built from.
    pub index: usize,
    pub score: u32,
}

impl Index {
    pub fn new(items: &[ProcedureSummary]) -> Index {
        let mut index = Index {
            entries: Vec::new(),
            vocab: Vec::new(),
            ids: Default::default(),
            about_weight: Vec::new(),
            about_postings: Vec::new(),
            postings: Vec::new(),
            by_code: Default::default(),
        };
        for p in items {
            let name = loose(&fold(&p.name));
            let spaced = format!(" {name} ");
            // A name's abbreviations spelled out ("TNLĐ": tai nạn lao động)
            // and spelled-out phrases abbreviated ("bảo hiểm y tế": BHYT)
            // count as its words, after its own: people write either.
            let other = contract::catalog::other_forms(&words(&p.name)).join(" ");
            let name_words: Vec<u32> = name
                .split(' ')
                .map(str::to_string)
                .chain(other.split(' ').filter(|w| !w.is_empty()).map(loose))
                .map(|w| index.intern(&w))
                .collect();
            let entry = Entry {
                name_len: name.len(),
                name_words,
                field_words: words(&p.field).iter().map(|w| index.intern(&loose(w))).collect(),
                level: [contract::catalog::Level::Commune, contract::catalog::Level::Province]
                    .into_iter()
                    .find(|l| p.levels.contains(l)),
                // "lái xe" (driving) folds like "lại" (again).
                variant: VARIANTS.iter().any(|v| spaced.replace(" lai xe ", " xe ").contains(v)),
                reissue: spaced.contains(" cap lai "),
                code: p.code.clone(),
                used_rank: 0,
                tie_rank: 0,
            };
            index.entries.push(entry);
        }
        index.about_weight = vec![0; index.vocab.len()];
        let mut postings = vec![Vec::new(); index.vocab.len()];
        for (i, e) in index.entries.iter().enumerate() {
            for &w in e.name_words.iter().chain(&e.field_words) {
                let list: &mut Vec<u32> = &mut postings[w as usize];
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        index.postings = postings;
        for (i, e) in index.entries.iter().enumerate() {
            index.by_code.entry(e.code.clone()).or_insert(i as u32);
        }
        let mut by_use: Vec<usize> = (0..items.len()).collect();
        by_use.sort_by_key(|&i| std::cmp::Reverse(items[i].popularity));
        let mut rank = 0u16;
        for (k, &i) in by_use.iter().enumerate() {
            if k > 0 && items[i].popularity != items[by_use[k - 1]].popularity {
                rank = k.min(u16::MAX as usize) as u16;
            }
            index.entries[i].used_rank = rank;
        }
        let mut by_name: Vec<usize> = (0..items.len()).collect();
        by_name.sort_by(|&a, &b| {
            let (ea, eb) = (&index.entries[a], &index.entries[b]);
            ea.name_len.cmp(&eb.name_len).then(ea.code.cmp(&eb.code))
        });
        for (k, &i) in by_name.iter().enumerate() {
            index.entries[i].tie_rank = k.min(u16::MAX as usize) as u16;
        }
        index
    }

    fn intern(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.ids.get(w) {
            return id;
        }
        self.vocab.push(w.to_string());
        let id = (self.vocab.len() - 1) as u32;
        self.ids.insert(w.to_string(), id);
        id
    }

    /// Add what the procedures are about besides their names: `code<TAB>words`
    /// lines (`GET /api/v1/search/about`, folded words from
    /// `contract::catalog::about_words`). Matching them counts less than a
    /// name's words, and less the more procedures share the word.
    pub fn add_about(&mut self, text: &str) {
        let at: std::collections::HashMap<String, usize> =
            self.entries.iter().enumerate().map(|(i, e)| (e.code.clone(), i)).collect();
        let mut postings: Vec<Vec<u32>> = Vec::new();
        for line in text.lines() {
            let Some((code, ws)) = line.split_once('\t') else { continue };
            let Some(&i) = at.get(code) else { continue };
            for w in ws.split(' ').filter(|w| !w.is_empty()) {
                // A word a query would read as Telex (English "status",
                // "register") is found as the query will have it too.
                let telex = without_marks(w)
                    .filter(|_| typing::typed_with_marks(w))
                    .and_then(|p| String::from_utf8(p).ok());
                for form in std::iter::once(w.to_string()).chain(telex) {
                    let id = self.intern(&loose(&form)) as usize;
                    if postings.len() <= id {
                        postings.resize(id + 1, Vec::new());
                    }
                    if postings[id].last() != Some(&(i as u32)) {
                        postings[id].push(i as u32);
                    }
                }
            }
        }
        postings.resize(self.vocab.len(), Vec::new());
        let n = self.entries.len().max(1) as f64;
        self.about_weight = postings
            .iter()
            .map(|p| p.len())
            .map(|d| if d == 0 { 0 } else { (8.0 * (n / d as f64).ln()).clamp(6.0, 60.0) as u16 })
            .collect();
        self.about_postings = postings;
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Hits for `query`, best first. An empty query lists everything, most used first.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let Parsed { terms, hints, events, said: phrases, rest } = parse_query(query);
        let hints: Vec<u32> =
            hints.iter().filter_map(|h| self.ids.get(h.as_str()).copied()).collect();
        let said: Vec<String> = rest.iter().chain(&terms).cloned().collect();
        let says = |list: &[&str]| said.iter().any(|t| list.contains(&t.as_str()));
        let lost = events.iter().any(|e| e.slug == "mat-giay-to");
        let prefer = Prefer {
            first_issue: !asks_case(&said) && !lost,
            commune: !says(LEVEL_WORDS),
            reissue: says(LOST_WORDS) || lost,
        };
        // What the life events told in the query add to their procedures.
        let lead: Vec<(usize, u32)> = events::bonuses(&events, &phrases, &rest)
            .into_iter()
            .filter_map(|(code, b)| self.by_code.get(code).map(|&i| (i as usize, b)))
            .collect();
        let lead_of = |i: usize| lead.iter().find(|(e, _)| *e == i).map(|(_, b)| *b);
        let q = query.trim();
        let is_code = q.contains('.') && q.chars().all(|c| c.is_ascii_digit() || c == '.');
        let mut hits: Vec<Hit> = if is_code {
            self.entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.code.starts_with(q))
                .map(|(index, _)| Hit { index, score: 0 })
                .collect()
        } else if terms.is_empty() && !lead.is_empty() {
            // Only the event was told: its procedures, in its order.
            lead.iter().map(|&(index, score)| Hit { index, score }).collect()
        } else if terms.is_empty() {
            (0..self.entries.len()).map(|index| Hit { index, score: 0 }).collect()
        } else {
            let table = self.word_table(&terms);
            let about = self.about_table(&table);
            let matched = self.matched(&table, &about);
            // In a life event, a procedure that is not one of its leads
            // must match every other word (all but one in four): half of
            // them is not enough to come between the event's own.
            let need = required(terms.len()) as u8;
            let need_other =
                if lead.is_empty() { need } else { (terms.len() - terms.len() / 4) as u8 };
            self.entries
                .iter()
                .enumerate()
                .filter(|(index, _)| match lead_of(*index) {
                    Some(_) => true,
                    None => matched[*index] >= need_other,
                })
                .filter_map(|(index, e)| {
                    let hinted = hints.iter().filter(|h| e.name_words.contains(h)).count() as u32;
                    let lead = lead_of(index);
                    let base = score(e, index, &table, &about, prefer);
                    let base = if lead.is_some() { Some(base.unwrap_or(0)) } else { base };
                    base.map(|s| Hit { index, score: s + hinted * HINT + lead.unwrap_or(0) })
                })
                .collect()
        };
        self.sort(&mut hits, prefer);
        hits
    }

    /// How well each query word matches each distinct word, computed once.
    /// Only the last word may be a word still being typed: an earlier one
    /// is whole ("ho" is not "hoa").
    fn word_table(&self, terms: &[String]) -> Vec<Vec<u8>> {
        let last = terms.len() - 1;
        terms
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let plain = without_marks(t);
                self.vocab
                    .iter()
                    .map(|w| {
                        let q = word_quality(w, t);
                        let q = if q == 2 && i < last { 0 } else { q };
                        q.max(u8::from(plain.as_deref() == Some(w.as_bytes())))
                    })
                    .collect()
            })
            .collect()
    }

    /// Per query word and entry, what its best `about` match is worth.
    fn about_table(&self, table: &[Vec<u8>]) -> Vec<Vec<u16>> {
        table
            .iter()
            .map(|row| {
                let mut best = vec![0u16; self.entries.len()];
                for (w, postings) in self.about_postings.iter().enumerate() {
                    if row[w] >= 2 {
                        for &e in postings {
                            let b = &mut best[e as usize];
                            *b = (*b).max(self.about_weight[w]);
                        }
                    }
                }
                best
            })
            .collect()
    }

    /// How many query words each entry matches anywhere.
    fn matched(&self, table: &[Vec<u8>], about: &[Vec<u16>]) -> Vec<u8> {
        let mut matched = vec![0u8; self.entries.len()];
        let mut last = vec![u8::MAX; self.entries.len()];
        for (t, row) in table.iter().enumerate() {
            for (w, &q) in row.iter().enumerate() {
                let name_field = if q > 0 { self.postings.get(w) } else { None };
                for &e in name_field.into_iter().flatten() {
                    if last[e as usize] != t as u8 {
                        last[e as usize] = t as u8;
                        matched[e as usize] += 1;
                    }
                }
            }
            for (e, &b) in about[t].iter().enumerate() {
                if b > 0 && last[e] != t as u8 {
                    last[e] = t as u8;
                    matched[e] += 1;
                }
            }
        }
        matched
    }

    /// Best first. Equal scores: the most used, then among near-twins
    /// (names that differ by case or level) the first issue and the
    /// nearest desk, unless the query says otherwise.
    fn sort(&self, hits: &mut [Hit], prefer: Prefer) {
        let variant = |e: &Entry| prefer.first_issue && e.variant;
        let far = |e: &Entry| match (prefer.commune, e.level) {
            (false, _) => 0,
            (true, Some(contract::catalog::Level::Commune)) => 0,
            (true, Some(contract::catalog::Level::Province)) => 1,
            (true, _) => 2,
        };
        // One integer per hit, sorted as such (a short query hits
        // thousands): score, then the orders fixed when the index was built.
        let key = |h: &Hit| {
            let e = &self.entries[h.index];
            const TOP: u32 = (1 << 24) - 1;
            (u64::from(TOP - h.score.min(TOP)) << 40)
                | (u64::from(e.used_rank) << 24)
                | (u64::from(variant(e)) << 23)
                | ((far(e) as u64) << 21)
                | u64::from(e.tie_rank)
        };
        hits.sort_unstable_by_key(key);
    }
}

/// Folded query words without filler (unless filler is all there is).
pub fn query_terms(query: &str) -> Vec<String> {
    parse_query(query).terms
}

/// A query as search reads it.
struct Parsed {
    /// The words to match (as `query_terms`).
    terms: Vec<String>,
    /// Filler words it also has, as hints (see `FILLER`).
    hints: Vec<String>,
    /// The life events it tells (their phrases are not in `terms`).
    events: Vec<&'static contract::catalog::LifeEvent>,
    /// The events' phrases found.
    said: Vec<&'static str>,
    /// When it tells an event, its other words before the dictionary
    /// (without filler or who it is for): they pick among the event's
    /// procedures.
    rest: Vec<String>,
}

/// Words that tell when or why ("mới", "vừa", "đã", "sắp", "để"): in a
/// life event, they say nothing about which procedure.
const WHEN: &[&str] = &["moi", "vua", "da", "roi", "sap", "dang", "de"];

/// Words of a life-event query that cannot pick one of its procedures:
/// filler, who it happens to, and when.
fn in_event_filler(w: &str) -> bool {
    FILLER.contains(&w) || KIN.contains(&w) || WHEN.contains(&w)
}

/// Particles that end a spoken question ("… có phải xin phép không",
/// "… nhỉ"): no procedure's name ends with one. Not "ạ" or "thế": "hạng
/// A", "cá thể".
const QUESTION_ENDS: &[&str] = &["khong", "nhi", "nhe", "vay"];

fn parse_query(query: &str) -> Parsed {
    let mut folded = fold(query);
    while let Some((head, last)) = folded.rsplit_once(' ') {
        if !QUESTION_ENDS.contains(&last) {
            break;
        }
        folded = head.to_string();
    }
    // The event's phrases as typed, or typed in Telex without an input
    // method; the dictionary comes after (it would rewrite them).
    let (events, said, folded) = match events::detect(&folded) {
        (found, said, rest) if !found.is_empty() => (found, said, rest),
        _ => match events::detect(&plain_letters(&folded)) {
            (found, said, rest) if !found.is_empty() => (found, said, rest),
            _ => (Vec::new(), Vec::new(), folded),
        },
    };
    let rest: Vec<String> = if events.is_empty() {
        Vec::new()
    } else {
        let (words, _) = split_words(&drop_empty(&folded));
        words.into_iter().filter(|w| !in_event_filler(w)).collect()
    };
    let (mut terms, hints) = split_words(&expand_synonyms(&untyped(&folded)));
    // In a life event, relatives are the people it happens to ("con lấy
    // vợ", "bố mất"), not words of a procedure's name.
    if !events.is_empty() {
        terms.retain(|w| !KIN.contains(&w.as_str()) && !WHEN.contains(&w.as_str()));
    }
    // Filler alone after an event ("làm gì"): the event is the query.
    let terms = if events.is_empty() || !rest.is_empty() { terms } else { Vec::new() };
    Parsed { terms, hints, events, said, rest }
}

/// A folded query's words to match, and its filler words as hints.
fn split_words(expanded: &str) -> (Vec<String>, Vec<String>) {
    let all: Vec<String> = words(expanded).iter().map(|w| loose(w)).collect();
    // Who it is for ("… cho ông ngoại", "cho mẹ"): the words after "cho"
    // that name a relative are left out, so "ngoại" cannot pull in
    // procedures for foreigners ("người nước ngoài") ahead of the paper
    // asked for.
    let for_whom: Vec<bool> = {
        let mut after_cho = false;
        all.iter()
            .map(|w| {
                if w == "cho" {
                    after_cho = true;
                    return false;
                }
                after_cho = after_cho && KIN.contains(&w.as_str());
                after_cho
            })
            .collect()
    };
    let mut filler = Vec::new();
    let mut meaningful = Vec::new();
    for (w, kin) in all.iter().zip(&for_whom) {
        if *kin {
            // Not even a hint: a name with "ngoài" is no closer for it.
            continue;
        }
        if FILLER.contains(&w.as_str()) {
            filler.push(w.clone());
        } else {
            meaningful.push(w.clone());
        }
    }
    if meaningful.is_empty() {
        return (all, Vec::new());
    }
    // "thủ tục" says nothing even as a hint (most imported names start with it).
    let mut hints: Vec<String> =
        filler.into_iter().filter(|w| !["thu", "tuc"].contains(&w.as_str())).collect();
    hints.dedup();
    (meaningful, hints)
}

#[cfg(test)]
mod tests;
