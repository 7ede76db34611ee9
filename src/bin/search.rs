//! Procedure search as a wasm of its own (no Leptos), loaded when a page
//! first wants the whole procedure list (`js/search_loader.js`): the
//! first load does not pay for the index, the ranking or the dictionary,
//! and they can grow without costing it. The logic is `motcua::search`
//! (plain Rust, tested natively); this file only holds the index.

use std::cell::RefCell;

use contract::catalog::ProcedureSummary;
use motcua::search::Index;
use wasm_bindgen::prelude::*;

thread_local! {
    static INDEX: RefCell<Option<Index>> = const { RefCell::new(None) };
}

fn main() {}

/// Build the index from the procedure list as the portal sent it (JSON),
/// the dictionary of citizens' words (`said = meant` lines) and what each
/// procedure is about (`code<TAB>words` lines). False when the list does
/// not parse.
#[wasm_bindgen]
pub fn load(list: &str, synonyms: &str, about: &str) -> bool {
    motcua::search::set_synonyms(synonyms);
    let Ok(items) = serde_json::from_str::<Vec<ProcedureSummary>>(list) else {
        return false;
    };
    let mut index = Index::new(&items);
    index.add_about(about);
    INDEX.with(|i| *i.borrow_mut() = Some(index));
    true
}

/// Positions in the list, best first (everything, most used first, for an
/// empty query).
#[wasm_bindgen]
pub fn search(query: &str) -> Vec<u32> {
    INDEX.with(|i| {
        i.borrow()
            .as_ref()
            .map(|idx| idx.search(query).iter().map(|h| h.index as u32).collect())
            .unwrap_or_default()
    })
}

/// The query's words as search matched them, space-separated, for
/// highlighting (`motcua::search::highlight_terms`).
#[wasm_bindgen]
pub fn terms(query: &str) -> String {
    motcua::search::query_terms(query).join(" ")
}
