// Loads procedure search (a wasm of its own, src/bin/search.rs) the first
// time a page wants the whole list, and answers the app's queries with it.
let engine = null;

export async function prepareSearch() {
  if (!engine) {
    const m = await import('/search.js');
    await m.default({ module_or_path: '/search_bg.wasm' });
    engine = m;
    // Used now: the service worker keeps it for offline search.
    navigator.serviceWorker?.ready.then((r) => r.active?.postMessage('cache-search'));
  }
}

export function loadSearch(list, words, about) {
  return engine ? engine.load(list, words, about) : false;
}

export function searchHits(query) {
  return engine ? engine.search(query) : new Uint32Array(0);
}

export function queryTerms(query) {
  return engine ? engine.terms(query) : '';
}
