//! The dictionary of citizens' words: phrases people type replaced by the
//! words of official names, before matching.

use contract::text::fold;

/// The words people use instead of official names (`so do` → giấy chứng
/// nhận quyền sử dụng đất), folded: (" said ", " meant ") with spaces
/// around so that only whole words are replaced. The dictionary is data
/// the portal serves (`GET /api/v1/search/synonyms`, from
/// `crates/portal/data/synonyms.txt`), loaded with the procedure list: it
/// may grow without costing the first load.
type Table = Vec<(String, String)>;

thread_local! {
    static SYNONYMS: std::cell::RefCell<Table> = std::cell::RefCell::new(initial());
}

/// Native tests search with the portal's dictionary, as it serves it.
#[cfg(test)]
fn initial() -> Table {
    let national = include_str!("../../crates/portal/data/synonyms-national.txt");
    parse(&[national, include_str!("../../crates/portal/data/synonyms.txt")].join("\n"))
}

#[cfg(not(test))]
fn initial() -> Table {
    Vec::new()
}

/// `said = meant` lines; `#` starts a comment line.
fn parse(text: &str) -> Table {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(said, meant)| {
            let meant = fold(meant);
            let with = if meant.is_empty() { " ".to_string() } else { format!(" {meant} ") };
            (format!(" {} ", fold(said)), with)
        })
        .collect()
}

/// Search with this dictionary from now on.
pub fn set_synonyms(text: &str) {
    SYNONYMS.with(|t| *t.borrow_mut() = parse(text));
}

/// Replace every synonym phrase found (as whole words) in a folded query.
pub(super) fn expand_synonyms(folded: &str) -> String {
    let mut q = format!(" {folded} ");
    SYNONYMS.with(|t| {
        for (said, with) in t.borrow().iter() {
            if q.contains(said.as_str()) {
                q = q.replace(said.as_str(), with);
            }
        }
    });
    q.trim().to_string()
}

/// Only the dictionary's phrases that mean nothing ("cần giấy tờ gì",
/// "cho con"), taken out of a folded query.
pub(super) fn drop_empty(folded: &str) -> String {
    let mut q = format!(" {folded} ");
    SYNONYMS.with(|t| {
        for (said, with) in t.borrow().iter() {
            if with == " " && q.contains(said.as_str()) {
                q = q.replace(said.as_str(), " ");
            }
        }
    });
    q.split_whitespace().collect::<Vec<_>>().join(" ")
}
