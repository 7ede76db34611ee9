use leptos::prelude::*;

use crate::app::use_texts;
use crate::components::page::PageHeading;

/// Friendly 404 for any address the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    let t = use_texts().get_untracked();
    view! {
        <PageHeading text=t.not_found_title.to_string()/>
        <p>{t.not_found_body}</p>
        <p><a href="/">{t.go_home}</a></p>
        <p><a href="/thu-tuc">{t.nav_procedures}</a></p>
    }
}
