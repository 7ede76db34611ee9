use crate::router::Page;
use leptos::prelude::*;

use crate::components::page::PageHeading;
use crate::ctx::use_texts;

/// Friendly 404 for any address the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    let t = use_texts().get_untracked();
    view! {
        <PageHeading text=t.not_found_title.to_string()/>
        <p>{t.not_found_body}</p>
        <p><a href=Page::Home.href()>{t.shell().go_home}</a></p>
        <p><a href=Page::Procedures.href()>{t.nav_procedures}</a></p>
    }
}

/// A lookup-only kiosk asked for signing in or filing: where to do it instead.
#[component]
pub fn LookupOnly() -> impl IntoView {
    let t = use_texts().get_untracked();
    view! {
        <PageHeading text=t.shell().tiles_label.to_string()/>
        <p>{t.shell().lookup_only}</p>
        <p><a href=Page::Procedures.href()>{t.shell().tile_find}</a></p>
        <p><a href=Page::Track.href()>{t.shell().tile_track}</a></p>
    }
}
