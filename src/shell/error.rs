use leptos::prelude::*;

use crate::components::page::PageHeading;
use crate::ctx::use_texts;

/// Shown by the error boundary instead of a blank page.
#[component]
pub fn ErrorPage() -> impl IntoView {
    let t = use_texts().get_untracked();
    let reload = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    };
    view! {
        <PageHeading text=t.error_title.to_string() error=true/>
        <p>{t.error_body}</p>
        <button type="button" class="button" on:click=reload>{t.reload}</button>
    }
}
