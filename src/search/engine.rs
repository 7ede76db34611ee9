//! The app's side of search. The index, the ranking and the dictionary
//! live in a wasm of their own (`src/bin/search.rs`, built from this
//! module's siblings), loaded by `js/search_loader.js` when a page first
//! wants the whole list; the first load carries none of them.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/search_loader.js")]
extern "C" {
    #[wasm_bindgen(js_name = prepareSearch)]
    fn prepare_search() -> js_sys::Promise;
    #[wasm_bindgen(js_name = loadSearch)]
    fn load_search(list: &str, words: &str, about: &str) -> bool;
    #[wasm_bindgen(js_name = searchHits)]
    fn search_hits(query: &str) -> Vec<u32>;
    #[wasm_bindgen(js_name = queryTerms)]
    fn query_terms(query: &str) -> String;
}

/// Start loading search's wasm (once); the future says whether it loaded.
pub fn prepare() -> impl std::future::Future<Output = bool> {
    let loading = wasm_bindgen_futures::JsFuture::from(prepare_search());
    async move { loading.await.is_ok() }
}

/// Index `list` (the list's JSON, as the portal sent it) with the
/// dictionary `words` and the `about` lines. False when it does not parse
/// or search is not loaded.
pub fn load(list: &str, words: &str, about: &str) -> bool {
    load_search(list, words, about)
}

/// Positions in the indexed list, best first.
pub fn hits(query: &str) -> Vec<usize> {
    search_hits(query).into_iter().map(|i| i as usize).collect()
}

/// The query's words as search matched them (for highlighting).
pub fn terms(query: &str) -> Vec<String> {
    query_terms(query).split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect()
}
