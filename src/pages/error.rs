use leptos::prelude::*;

use crate::app::use_texts;
use crate::components::page::PageHeading;

/// Shown by the error boundary instead of a blank page.
#[component]
pub fn ErrorPage() -> impl IntoView {
    let t = use_texts();
    let reload = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    };
    view! {
        <PageHeading text=Signal::derive(move || t.get().error_title.to_string()) error=true/>
        <p>{move || t.get().error_body}</p>
        <button type="button" class="button" on:click=reload>{move || t.get().reload}</button>
    }
}
