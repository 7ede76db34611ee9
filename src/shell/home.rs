use crate::router::Page;
use leptos::prelude::*;

use crate::components::page::PageHeading;
use crate::components::procedure_card::ProcedureCard;
use crate::ctx::{use_ctx, use_texts};

#[component]
pub fn Home() -> impl IntoView {
    let ctx = use_ctx();
    ctx.want_catalog(1);
    let t = use_texts().get_untracked();
    let (query, set_query) = signal(String::new());
    let location = crate::router::use_location();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = query.get_untracked();
        let url = Page::Procedures.with(&[("q", q.trim())]);
        location.navigate(&url);
    };
    // Until search wants the whole list, the catalog holds only the most
    // used procedures (see `ctx::provide_ctx`).
    let popular = move || {
        ctx.catalog.get().and_then(|r| r.ok()).map(|cat| {
            cat.items
                .iter()
                .take(8)
                .cloned()
                .map(|s| view! { <ProcedureCard summary=s terms=Signal::derive(Vec::new)/> })
                .collect_view()
        })
    };
    let on_kiosk = ctx.config.with_value(|c| crate::kiosk::active(c.kiosk));
    // A kiosk starts with big tiles (filing only where the kiosk allows it).
    let tiles = ctx.config.with_value(|c| {
        crate::kiosk::active(c.kiosk).then(|| {
            let file = (!c.kiosk_lookup_only)
                .then(|| view! { <li><a class="tile" href=Page::Procedures.with(&[("truc-tuyen", "1")])>{t.shell().tile_file}</a></li> });
            view! {
                <nav class="tiles" aria-label=t.shell().tiles_label>
                    <ul>
                        <li><a class="tile" href=Page::Procedures.href()>{t.shell().tile_find}</a></li>
                        <li><a class="tile" href=Page::Track.href()>{t.shell().tile_track}</a></li>
                        <li><a class="tile" href=Page::Scan.href()>{t.shell().tile_scan}</a></li>
                        <li><a class="tile" href=Page::Queue.href() id="tile-queue">{t.shell().tile_queue}</a></li>
                        {file}
                    </ul>
                </nav>
            }
        })
    });
    view! {
        <PageHeading text=t.shell().home_title.to_string()/>
        {tiles}
        <p class="lead">{t.shell().home_lead}</p>
        <form class="search-form" role="search" action=Page::Procedures.href() method="get" on:submit=submit>
            <label for="home-q" class="label">{t.shell().search_label}</label>
            <p id="home-q-hint" class="hint">{t.shell().search_hint}</p>
            <div class="search-row">
                <input id="home-q" name="q" type="search" class="input" autocomplete="off"
                    aria-describedby="home-q-hint" on:focus=move |_| ctx.want_catalog(2)
                    prop:value=query on:input=move |ev| set_query.set(event_target_value(&ev))/>
                <button type="submit" class="button">{t.shell().home_search_button}</button>
            </div>
        </form>
        <LifeEvents/>
        <section aria-labelledby="popular-h">
            <h2 id="popular-h">{t.shell().home_popular}</h2>
            // Above the list, not below: the list fills in when the catalog
            // arrives, and nothing on screen may move when it does (CLS 0).
            <p><a href=Page::Procedures.href()>{t.shell().home_all}</a>
                // A kiosk has its tile for the desk; a phone books from here.
                {(!on_kiosk).then(|| view! { " · " <a href=Page::Book.href() id="home-book">{t.shell().book_cta}</a> })}</p>
            <ul class="cards">{popular}</ul>
        </section>
    }
}

/// "Bạn đang cần làm gì?": life events as a way in. Each links to a search
/// for the event's Vietnamese name, which search reads as the event and
/// answers with its procedures in the order they are needed
/// (`contract::catalog::LIFE_EVENTS`); the first load holds only the names.
#[component]
fn LifeEvents() -> impl IntoView {
    let t = use_texts().get_untracked();
    let english = t.lang == crate::i18n::Lang::En;
    let items = contract::catalog::LIFE_EVENT_NAMES
        .iter()
        .map(|(slug, vi, en)| {
            let href = Page::Procedures.with(&[("q", vi)]);
            let id = format!("event-{slug}");
            view! { <li><a class="chip" id=id href=href>{if english { *en } else { *vi }}</a></li> }
        })
        .collect_view();
    view! {
        <section aria-labelledby="events-h" class="events">
            <h2 id="events-h">{t.shell().home_events}</h2>
            <p class="hint">{t.shell().home_events_hint}</p>
            <ul class="chips">{items}</ul>
        </section>
    }
}
