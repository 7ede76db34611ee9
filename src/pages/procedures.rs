//! Procedure list with search. The query lives in the URL (`?q=`) so a
//! volunteer can share the link; typing updates it without a new history entry.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::app::{use_ctx, use_texts};
use crate::components::page::PageHeading;
use crate::components::procedure_card::ProcedureCard;

const PAGE: usize = 30;

fn replace_url_query(q: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let url = if q.is_empty() {
        "/thu-tuc".to_string()
    } else {
        format!("/thu-tuc?q={}", js_sys::encode_uri_component(q))
    };
    if let Ok(history) = window.history() {
        let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
        let _ = history.replace_state_with_url(&state, "", Some(&url));
    }
}

#[component]
pub fn Procedures() -> impl IntoView {
    let ctx = use_ctx();
    let t = use_texts();
    let url_query = use_query_map();
    let query = RwSignal::new(url_query.get_untracked().get("q").unwrap_or_default());
    // Back/forward to another query: follow the URL.
    Effect::new(move |_| {
        let from_url = url_query.get().get("q").unwrap_or_default();
        if from_url != query.get_untracked() {
            query.set(from_url);
        }
    });
    let shown = RwSignal::new(PAGE);
    let on_input = move |ev| {
        let v = event_target_value(&ev);
        replace_url_query(v.trim());
        shown.set(PAGE);
        query.set(v);
    };

    let hits = Memo::new(move |_| {
        let q = query.get();
        ctx.catalog.get().map(|r| {
            r.map(|cat| {
                let hits = cat.index.search(&q);
                (cat, hits)
            })
        })
    });
    let count_text = move || {
        let t = t.get();
        match hits.get() {
            Some(Ok((_, h))) if h.is_empty() => t.results_none.to_string(),
            Some(Ok((_, h))) if query.get().trim().is_empty() => t.count(t.results_all, h.len()),
            Some(Ok((_, h))) => t.count(t.results_count, h.len()),
            _ => String::new(),
        }
    };
    let results = move || match hits.get() {
        None => view! { <p class="loading">{move || t.get().loading}</p> }.into_any(),
        Some(Err(_)) => view! {
            <div class="notice notice-error" role="alert">
                <p>{move || t.get().list_error}</p>
                <button type="button" class="button" on:click=move |_| ctx.catalog.refetch()>
                    {move || t.get().retry}
                </button>
            </div>
        }
        .into_any(),
        Some(Ok((cat, h))) => {
            let total = h.len();
            let limit = shown.get().min(total);
            let cards = h[..limit]
                .iter()
                .map(|hit| {
                    let s = cat.items[hit.index].clone();
                    view! { <ProcedureCard summary=s query=query/> }
                })
                .collect_view();
            view! {
                <ul class="cards" id="results">{cards}</ul>
                {(total == 0).then(|| view! { <p class="hint">{move || t.get().results_none_help}</p> })}
                {(limit < total).then(|| view! {
                    <button type="button" class="button button-secondary"
                        on:click=move |_| shown.update(|n| *n += PAGE)>
                        {move || t.get().show_more}
                    </button>
                })}
            }
            .into_any()
        }
    };

    view! {
        <PageHeading text=Signal::derive(move || t.get().list_title.to_string())/>
        <form class="search-form" role="search" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <label for="q" class="label">{move || t.get().search_label}</label>
            <p id="q-hint" class="hint">{move || t.get().search_hint}</p>
            <input id="q" name="q" type="search" class="input" autocomplete="off" spellcheck="false"
                aria-describedby="q-hint" aria-controls="results"
                prop:value=query on:input=on_input/>
        </form>
        <p class="result-count" role="status" aria-live="polite" id="result-count">{count_text}</p>
        {results}
    }
}
