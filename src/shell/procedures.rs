//! Procedure list with search and filters. Query and filters live in the
//! URL so a volunteer can share the link; typing updates it without adding a
//! history entry per keystroke, and Back/Forward restore it.

use crate::router::Page;
use contract::catalog::Level;
use leptos::prelude::*;

use crate::components::copy_link::CopyLink;
use crate::components::page::PageHeading;
use crate::components::place::{place_options, remember_place, use_units, Desk};
use crate::components::procedure_card::ProcedureCard;
use crate::ctx::{use_ctx, use_texts};
use crate::search::filters::{self, Filters};

const PAGE: usize = 12;

fn replace_url(query: &str, f: &Filters) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let pairs = f.to_pairs(query);
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let url = Page::Procedures.with(&pairs);
    if let Ok(history) = window.history() {
        let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
        let _ = history.replace_state_with_url(&state, "", Some(&url));
    }
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn filters_from(pairs: &[(String, String)]) -> Filters {
    Filters::from_pairs(|k| get(pairs, k))
}

/// What the list page keeps: the query, the filters (both in the URL)
/// and how many cards are shown.
#[derive(Clone, Copy)]
struct Search {
    query: RwSignal<String>,
    filters: RwSignal<Filters>,
    shown: RwSignal<usize>,
}

impl Search {
    /// From the URL, and following it on Back/Forward to another search.
    fn from_url(location: crate::router::Location) -> Search {
        let url_query = Memo::new(move |_| crate::router::parse_query(&location.query.get()));
        let params = url_query.get_untracked();
        let query = RwSignal::new(get(&params, "q").unwrap_or_default().to_string());
        let filters = RwSignal::new(filters_from(&params));
        Effect::new(move |_| {
            let params = url_query.get();
            let q = get(&params, "q").unwrap_or_default().to_string();
            if q != query.get_untracked() {
                query.set(q);
            }
            let f = filters_from(&params);
            if f != filters.get_untracked() {
                filters.set(f);
            }
        });
        Search { query, filters, shown: RwSignal::new(PAGE) }
    }

    fn searching(self) -> bool {
        !self.query.get().trim().is_empty() || !self.filters.get().is_empty()
    }
}

/// Keeping the URL in step: typing writes it when the typing pauses
/// (replacing the URL costs ~6 ms per call on a slow phone); a filter
/// changed, or leaving the page, writes it at once. The query field's
/// input handler, and what a filter calls after changing.
fn url_writer(
    s: Search,
    location: crate::router::Location,
) -> (impl Fn(web_sys::Event) + Copy + 'static, impl Fn() + Copy + Send + Sync + 'static) {
    let write_url = move || {
        if let (Some(q), Some(f)) = (s.query.try_get_untracked(), s.filters.try_get_untracked()) {
            replace_url(&q, &f);
        }
    };
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    let flush = move || {
        if let Some(h) = pending.try_update_value(Option::take).flatten() {
            h.clear();
            write_url();
        }
    };
    location.before_leave(flush);
    on_cleanup(move || {
        if let Some(h) = pending.try_update_value(Option::take).flatten() {
            h.clear();
        }
    });
    let sync_url = move || {
        flush();
        write_url();
        s.shown.set(PAGE);
    };
    let on_input = move |ev| {
        s.query.set(event_target_value(&ev));
        s.shown.set(PAGE);
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let timer = set_timeout_with_handle(
            move || {
                if pending.try_update_value(Option::take).is_some() {
                    write_url();
                }
            },
            std::time::Duration::from_millis(300),
        );
        pending.set_value(timer.ok());
    };
    (on_input, sync_url)
}

/// The filters: field, level, place, fully online, and clearing them all.
fn filter_fields(
    s: Search,
    sync_url: impl Fn() + Copy + Send + Sync + 'static,
    units: ReadSignal<Option<Vec<contract::catalog::Unit>>>,
    show_filters: RwSignal<bool>,
) -> impl IntoView {
    let ctx = use_ctx();
    let t = use_texts().get_untracked();
    let filters = s.filters;
    let on_field = move |ev| {
        let v = event_target_value(&ev);
        filters.update(|f| f.field = (!v.is_empty()).then_some(v));
        sync_url();
    };
    let on_level = move |ev| {
        let v = event_target_value(&ev);
        filters.update(|f| {
            f.level = match v.as_str() {
                "tinh" => Some(Level::Province),
                "xa" => Some(Level::Commune),
                _ => None,
            }
        });
        sync_url();
    };
    let on_place = move |ev| {
        let v = event_target_value(&ev);
        if !v.is_empty() {
            remember_place(&v);
        }
        filters.update(|f| f.place = (!v.is_empty()).then_some(v));
        sync_url();
    };
    let on_online = move |ev| {
        let on = event_target_checked(&ev);
        filters.update(|f| f.fully_online = on);
        sync_url();
    };
    let clear = move |_| {
        s.query.set(String::new());
        filters.set(Filters::default());
        sync_url();
    };
    let field_options = Memo::new(move |_| {
        ctx.catalog
            .get()
            .and_then(|r| r.ok())
            .map(|cat| filters::fields(&cat.items))
            .unwrap_or_default()
    });
    let level_value = move || match filters.get().level {
        Some(Level::Province) => "tinh",
        Some(Level::Commune) => "xa",
        _ => "",
    };
    view! {
        <fieldset class="filters" id="filters" class:open=move || show_filters.get()>
            <legend>{t.shell().filter_legend}</legend>
            <div class="filter">
                <label for="f-field" class="label">{t.field}</label>
                <select id="f-field" class="input" on:change=on_field
                    prop:value=move || filters.get().field.unwrap_or_default()>
                    <option value="">{t.shell().all_fields}</option>
                    {move || field_options.get().into_iter().map(|(name, n)| {
                        let selected = filters.get_untracked().field.as_deref() == Some(name.as_str());
                        view! { <option value=name.clone() selected=selected>{format!("{name} ({n})")}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="filter">
                <label for="f-level" class="label">{t.level}</label>
                <select id="f-level" class="input" on:change=on_level prop:value=level_value>
                    <option value="">{t.shell().all_levels}</option>
                    <option value="tinh">{t.level(Level::Province)}</option>
                    <option value="xa">{t.level(Level::Commune)}</option>
                </select>
            </div>
            <div class="filter">
                <label for="f-place" class="label">{t.shell().place_filter}</label>
                <select id="f-place" class="input" on:change=on_place
                    prop:value=move || filters.get().place.unwrap_or_default()>
                    <option value="">{t.shell().all_places}</option>
                    {move || units.get().map(|u| {
                        place_options(&u, filters.get_untracked().place.as_deref(), false)
                    })}
                </select>
            </div>
            <div class="filter checkbox">
                <input id="f-online" type="checkbox" on:change=on_online prop:checked=move || filters.get().fully_online/>
                <label for="f-online">{t.shell().fully_online_only}</label>
            </div>
            {move || s.searching().then(|| view! {
                <button type="button" class="button button-secondary" on:click=clear>{t.shell().clear_filters}</button>
            })}
        </fieldset>
    }
}

/// The hits: the catalog (once the whole list is here) and the indexes of
/// the procedures found, best first.
type Hits =
    Memo<Option<Result<(std::sync::Arc<crate::ctx::Catalog>, Vec<usize>), crate::api::FetchError>>>;

/// The results: loading or failed, the cards (a page at a time), what to
/// do when nothing was found, and where else to look.
fn results(s: Search, hits: Hits, terms: Memo<Vec<String>>) -> impl IntoView {
    let ctx = use_ctx();
    let t = use_texts().get_untracked();
    // Cards are keyed by procedure code: while typing, most of the top
    // results stay and only their highlighting changes. Measured in Chromium
    // at 4x CPU throttle: input to render p50 55 ms rebuilt, 40 ms keyed.
    let cards = Memo::new(move |_| match hits.get() {
        Some(Ok((cat, h))) => {
            h.iter().take(s.shown.get()).map(|&hit| cat.items[hit].clone()).collect::<Vec<_>>()
        }
        _ => Vec::new(),
    });
    let total = Memo::new(move |_| match hits.get() {
        Some(Ok((_, h))) => Some(h.len()),
        _ => None,
    });
    let status = move || match hits.get() {
        None => Some(view! { <p class="loading">{t.loading}</p> }.into_any()),
        Some(Err(_)) => Some(
            view! {
                <div class="notice notice-error" role="alert">
                    <p>{t.shell().list_error}</p>
                    <button type="button" class="button" on:click=move |_| ctx.catalog.refetch()>
                        {t.retry}
                    </button>
                </div>
            }
            .into_any(),
        ),
        Some(Ok(_)) => None,
    };
    let after = move || {
        let total = total.get()?;
        let filtered = !s.filters.get_untracked().is_empty();
        Some(view! {
            {(total == 0).then(|| view! {
                <div class="empty">
                    {filtered.then(|| view! { <p>{t.shell().results_none_filters}</p> })}
                    <p class="hint">{t.shell().results_none_help}</p>
                </div>
            })}
            {(s.shown.get() < total).then(|| view! {
                <button type="button" class="button button-secondary"
                    on:click=move |_| s.shown.update(|n| *n += PAGE)>
                    {t.shell().show_more}
                </button>
            })}
        })
    };
    view! {
        {status}
        <ul class="cards" id="results">
            <For each=move || cards.get() key=|s| s.code.clone() let:s>
                <ProcedureCard summary=s terms=terms/>
            </For>
        </ul>
        {after}
        {miss(s, hits, terms)}
    }
}

/// A search is never a dead end: the nearest fields to browse, and the
/// desk's phone, under the results (or in place of them).
fn miss(s: Search, hits: Hits, terms: Memo<Vec<String>>) -> impl IntoView {
    let ctx = use_ctx();
    let t = use_texts().get_untracked();
    let hotline = StoredValue::new(ctx.config.with_value(|c| c.hotline.clone()));
    let nearest = Memo::new(move |_| match hits.get() {
        Some(Ok((cat, h))) if !s.query.get().trim().is_empty() => {
            filters::nearest_fields(&cat.items, &h, &terms.get())
        }
        _ => Vec::new(),
    });
    move || {
        let fields = nearest.get();
        let hotline = hotline.get_value();
        (!fields.is_empty()).then(move || {
            let tel = format!("tel:{}", hotline.replace(' ', ""));
            view! {
                <section class="miss" aria-labelledby="miss-h">
                    <h2 id="miss-h">{t.shell().miss_title}</h2>
                    <p>{t.shell().miss_fields}</p>
                    <ul class="miss-fields">
                        {fields.into_iter().map(|f| {
                            let href = Page::Procedures.with(&[("linh-vuc", f.as_str())]);
                            view! { <li><a href=href>{f}</a></li> }
                        }).collect_view()}
                    </ul>
                    <p>{t.shell().miss_call} " " <a href=tel>{hotline}</a></p>
                </section>
            }
        })
    }
}

/// "Tìm": the list already follows the typing; close the phone's keyboard
/// and bring the results into view.
fn on_search(ev: leptos::ev::SubmitEvent) {
    ev.prevent_default();
    let doc = document();
    if let Some(el) = doc
        .active_element()
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        let _ = el.blur();
    }
    if let Some(count) = doc.get_element_by_id("result-count") {
        count.scroll_into_view();
    }
}

#[component]
pub fn Procedures() -> impl IntoView {
    let ctx = use_ctx();
    ctx.want_catalog(2);
    let t = use_texts().get_untracked();
    let location = crate::router::use_location();
    let s = Search::from_url(location);
    let (query, filters) = (s.query, s.filters);
    let (on_input, sync_url) = url_writer(s, location);
    let units = use_units();
    let hits = Memo::new(move |_| {
        let q = query.get();
        let f = filters.get();
        let units = units.get().unwrap_or_default();
        // The home page's few until the whole list is here: still loading.
        ctx.catalog.get().filter(|r| r.as_ref().map_or(true, |c| c.complete)).map(|r| {
            r.map(|cat| {
                let _timing = crate::timing::measure("search");
                let mut hits = crate::search::engine::hits(&q);
                if !f.is_empty() {
                    let level = f.place_level(&units);
                    hits.retain(|&h| f.keep_at(&cat.items[h], level));
                }
                (cat, hits)
            })
        })
    });
    let show_filters = RwSignal::new(false);
    let count_text = move || match hits.get() {
        Some(Ok((_, h))) if h.is_empty() => t.shell().results_none.to_string(),
        Some(Ok((_, h))) if !s.searching() => t.count(t.shell().results_all, h.len()),
        Some(Ok((_, h))) => t.count(t.shell().results_count, h.len()),
        _ => String::new(),
    };
    // The query's terms, worked out once for all the cards' highlighting.
    let terms = Memo::new(move |_| crate::search::engine::terms(&query.get()));
    view! {
        <PageHeading text=t.shell().list_title.to_string()/>
        <form class="search-form" role="search" on:submit=on_search>
            <label for="q" class="label">{t.shell().search_label}</label>
            <p id="q-hint" class="hint">{t.shell().search_hint}</p>
            <div class="search-row">
                <input id="q" name="q" type="search" class="input" autocomplete="off" spellcheck="false"
                    aria-describedby="q-hint" aria-controls="results"
                    prop:value=query on:input=on_input/>
                <button type="submit" class="button">{t.shell().home_search_button}</button>
            </div>
            // On a phone the filters wait behind this button, so the results
            // start on the first screen (CSS shows it below 40rem only).
            <button type="button" class="button button-secondary filter-toggle" aria-controls="filters"
                aria-expanded=move || if show_filters.get() { "true" } else { "false" }
                on:click=move |_| show_filters.update(|s| *s = !*s)>
                {move || match filters.with(Filters::active) {
                    0 => t.shell().filter_legend.to_string(),
                    n => format!("{} ({n})", t.shell().filter_legend),
                }}
            </button>
            {filter_fields(s, sync_url, units, show_filters)}
        </form>
        <p class="result-count" role="status" aria-live="polite" id="result-count">{count_text}</p>
        {results(s, hits, terms)}
        // After the list: the results come first on a phone's first screen.
        {move || {
            let code = filters.get().place?;
            let unit = units.get()?.into_iter().find(|u| u.code == code)?;
            Some(view! { <Desk unit=unit/> })
        }}
        {move || s.searching().then(|| view! { <CopyLink/> })}
    }
}
