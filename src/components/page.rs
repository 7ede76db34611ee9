//! The page heading: sets the document title, announces the page to screen
//! readers and is where focus lands after a route change.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::ctx::use_ctx;

/// Move focus to the current page's `h1` (called after a route change).
pub fn focus_heading() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(h1) = doc
        .query_selector("main h1")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = h1.focus();
    }
}

/// The `h1` of a page. `error` prefixes the document title with "Lỗi: ".
#[component]
pub fn PageHeading(
    #[prop(into)] text: Signal<String>,
    #[prop(optional, into)] error: Signal<bool>,
) -> impl IntoView {
    let ctx = use_ctx();
    let province = ctx.config.with_value(|c| c.province.clone());
    Effect::new(move |_| {
        let heading = text.get();
        let prefix = if error.get() {
            match ctx.lang.get() {
                crate::i18n::Lang::Vi => "Lỗi: ",
                crate::i18n::Lang::En => "Error: ",
            }
        } else {
            ""
        };
        let title = format!("{prefix}{heading} — Một Cửa {province}");
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(&title);
        }
        ctx.announcement.set(title);
    });
    view! { <h1 tabindex="-1">{text}</h1> }
}

/// A table that scrolls sideways on a narrow phone, under its column headings.
#[component]
pub fn ScrollTable(
    heads: Vec<&'static str>,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView {
    let heads = heads.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view();
    view! {
        <div class="table-scroll">
            <table class=(!class.is_empty()).then_some(class)>
                <thead><tr>{heads}</tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// The portal could not be reached: said plainly, with a button that
/// tries again.
#[component]
pub fn Unreachable<F: Fn() + 'static>(retry: F) -> impl IntoView {
    let t = crate::ctx::use_texts().get_untracked();
    view! {
        <div class="notice notice-error" role="alert">
            <p>{t.network_error}</p>
            <button type="button" class="button" on:click=move |_| retry()>{t.retry}</button>
        </div>
    }
}

/// Move focus to the element with `id` once the page has been drawn.
pub fn focus_id(id: impl Into<String>) {
    let id: String = id.into();
    request_animation_frame(move || {
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}
