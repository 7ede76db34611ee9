//! "Copy link": the page's address to the clipboard, so a volunteer can
//! send a search or a procedure to a resident. Where the clipboard is not
//! available (an insecure origin, a locked-down kiosk) the link is shown,
//! selected, to copy by hand.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::app::use_texts;

#[derive(Clone, Copy, PartialEq)]
enum State {
    Idle,
    Copied,
    Failed,
}

#[component]
pub fn CopyLink() -> impl IntoView {
    let t = use_texts().get_untracked();
    let state = RwSignal::new(State::Idle);
    let href = RwSignal::new(String::new());
    let copy = move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let url = window.location().href().unwrap_or_default();
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
            <button type="button" class="button button-secondary" on:click=copy>{t.copy_link}</button>
            <p class="copy-status" role="status">{message}</p>
        </div>
    }
}
