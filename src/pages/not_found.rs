use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::use_texts;
use crate::components::page::PageHeading;

/// Friendly 404 for any address the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    let t = use_texts().get_untracked();
    view! {
        <PageHeading text=t.not_found_title.to_string()/>
        <p>{t.not_found_body}</p>
        <p><A href="/">{t.go_home}</A></p>
        <p><A href="/thu-tuc">{t.nav_procedures}</A></p>
    }
}
