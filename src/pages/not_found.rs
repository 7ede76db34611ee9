use crate::router::Page;
use leptos::prelude::*;

use crate::app::use_texts;
use crate::components::page::PageHeading;

/// A page that only says something and offers two ways on.
fn message(title: &str, body: &'static str, ways: [(Page, &'static str); 2]) -> impl IntoView {
    let ways = ways.map(|(page, label)| view! { <p><a href=page.href()>{label}</a></p> });
    view! {
        <PageHeading text=title.to_string()/>
        <p>{body}</p>
        {ways}
    }
}

/// Friendly 404 for any address the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    let t = use_texts().get_untracked();
    let ways = [(Page::Home, t.go_home), (Page::Procedures, t.nav_procedures)];
    message(t.not_found_title, t.not_found_body, ways)
}

/// A lookup-only kiosk asked for signing in or filing: where to do it instead.
#[component]
pub fn LookupOnly() -> impl IntoView {
    let t = use_texts().get_untracked();
    message(
        t.tiles_label,
        t.lookup_only,
        [(Page::Procedures, t.tile_find), (Page::Track, t.tile_track)],
    )
}
