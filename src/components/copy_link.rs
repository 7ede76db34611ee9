//! "Chia sẻ" and "Copy link": the page's address (or the one given) to the
//! phone's own share sheet (Zalo, Messenger, SMS) where the browser has the
//! Web Share API, and to the clipboard always, so a volunteer can send a
//! search, a procedure or a dossier's status to a resident. Where the
//! clipboard is not available (an insecure origin, a locked-down kiosk) the
//! link is shown, selected, to copy by hand.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::ctx::use_texts;

#[derive(Clone, Copy, PartialEq)]
enum State {
    Idle,
    Copied,
    Failed,
}

/// `navigator.share`, where the browser has it (phones, mostly).
fn share_api() -> Option<(web_sys::Navigator, js_sys::Function)> {
    use wasm_bindgen::JsCast;
    let nav = web_sys::window()?.navigator();
    let f = js_sys::Reflect::get(&nav, &"share".into()).ok()?;
    Some((nav, f.dyn_into().ok()?))
}

/// The link to give: `url` (a path or an address) or this page's.
fn link(url: &str) -> String {
    let loc = web_sys::window().map(|w| w.location());
    match loc {
        Some(l) if url.starts_with('/') => format!("{}{url}", l.origin().unwrap_or_default()),
        Some(l) if url.is_empty() => l.href().unwrap_or_default(),
        _ => url.to_string(),
    }
}

#[component]
pub fn CopyLink(#[prop(optional, into)] url: String) -> impl IntoView {
    let t = use_texts().get_untracked();
    let state = RwSignal::new(State::Idle);
    let href = RwSignal::new(String::new());
    let url = StoredValue::new(url);
    let share = share_api().map(|_| {
        view! {
            <button type="button" class="button" id="share-link" on:click=move |_| {
                let Some((nav, f)) = share_api() else { return };
                let data = js_sys::Object::new();
                let title = web_sys::window().and_then(|w| w.document()).map(|d| d.title()).unwrap_or_default();
                let _ = js_sys::Reflect::set(&data, &"title".into(), &title.into());
                let _ = js_sys::Reflect::set(&data, &"url".into(), &link(&url.get_value()).into());
                // A closed share sheet is not an error worth a word.
                if let Ok(p) = f.call1(&nav, &data) {
                    leptos::task::spawn_local(async move {
                        let _ = JsFuture::from(js_sys::Promise::from(p)).await;
                    });
                }
            }>{t.share}</button>
        }
    });
    let copy = move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let url = link(&url.get_value());
        href.set(url.clone());
        let clipboard = window.navigator().clipboard();
        leptos::task::spawn_local(async move {
            let done = JsFuture::from(clipboard.write_text(&url)).await.is_ok();
            state.set(if done { State::Copied } else { State::Failed });
        });
    };
    let message = move || {
        match state.get() {
        State::Idle => None,
        State::Copied => Some(view! { <span>{t.link_copied}</span> }.into_any()),
        State::Failed => Some(
            view! {
                <label for="copy-url">{t.copy_failed}</label>
                <input id="copy-url" class="input" readonly prop:value=href
                    on:focus=|ev| {
                        use wasm_bindgen::JsCast;
                        if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            i.select();
                        }
                    }/>
            }
            .into_any(),
        ),
    }
    };
    view! {
        <div class="copy-link">
            {share}
            <button type="button" class="button button-secondary" on:click=copy>{t.copy_link}</button>
            <p class="copy-status" role="status">{message}</p>
        </div>
    }
}
