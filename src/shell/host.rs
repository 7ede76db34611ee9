//! The main app's side of the services bundles (`bundles/mod.rs` is the
//! bundles' side): the host element a bundle mounts into, the loader that
//! fetches it, and the reader's button on the main app's pages. A file of
//! its own so that a bundle's page can show the button without importing
//! the bundles' router (no import circles).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::ctx::{use_ctx, use_texts};
use crate::router::Bundle;

#[wasm_bindgen(module = "/js/services_loader.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = mountServices)]
    async fn mount_services(
        el: web_sys::HtmlElement,
        bundle: &str,
        api_base: String,
        lang: String,
        focus: bool,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = unmountServices)]
    fn unmount_services();
    #[wasm_bindgen(js_name = listenLater)]
    fn listen_later(el: web_sys::HtmlElement, lang: String);
    #[wasm_bindgen(js_name = unmountReader)]
    fn unmount_reader();
}

/// "Nghe đọc" on a page of the main app (a procedure): `listenLater` shows
/// a button where the device has a Vietnamese voice, and the reader itself
/// comes with the services bundle on the first press (the first load has no
/// room for it; the button is plain DOM for the same reason).
#[component]
pub fn ListenLater() -> impl IntoView {
    let ctx = use_ctx();
    let slot = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = slot.get() {
            listen_later(el.into(), ctx.lang.get_untracked().code().to_string());
        }
    });
    on_cleanup(unmount_reader);
    view! { <div node_ref=slot class="no-print"></div> }
}

/// In the main app: where the services bundle is drawn.
#[component]
pub fn ServicesHost(bundle: Bundle, focus: bool) -> impl IntoView {
    let t = use_texts().get_untracked();
    let ctx = use_ctx();
    let host = NodeRef::<leptos::html::Div>::new();
    let failed = RwSignal::new(false);
    Effect::new(move |_| {
        let Some(el) = host.get() else { return };
        let el: web_sys::HtmlElement = el.into();
        let lang = ctx.lang.get_untracked().code().to_string();
        leptos::task::spawn_local(async move {
            if mount_services(el, bundle.name(), ctx.api_base(), lang, focus).await.is_err() {
                failed.try_set(true);
            }
        });
    });
    on_cleanup(unmount_services);
    view! {
        <div node_ref=host class="services">
            <p class="loading">{t.loading}</p>
        </div>
        {move || failed.get().then(|| view! {
            <div class="notice notice-error" role="alert">
                <p>{t.network_error}</p>
                <button type="button" class="button" on:click=|_| { let _ = window().location().reload(); }>
                    {t.retry}
                </button>
            </div>
        })}
    }
}
