//! The tracking bundle (see `motcua::bundles`): lookup, status, scanning;
//! and the reader that procedure pages of the main app borrow.

use std::cell::RefCell;

use leptos::prelude::*;
use motcua::i18n::Lang;
use wasm_bindgen::prelude::*;

motcua::services_bundle!(motcua::bundles::track::draw, Some(motcua::bundles::send_outbox));

thread_local! {
    static READER: RefCell<Option<Box<dyn std::any::Any>>> = const { RefCell::new(None) };
}

/// Draw the reader into `host` on a page of the main app, reading at once.
#[wasm_bindgen(js_name = mount_reader)]
pub fn mount_reader(host: web_sys::HtmlElement, lang: String) {
    unmount_reader();
    let lang = Lang::from_code(&lang).unwrap_or_default();
    let handle = leptos::mount::mount_to(host, move || {
        view! { <motcua::components::read_aloud::ReadAloud lang=lang autostart=true/> }
    });
    READER.with(|m| *m.borrow_mut() = Some(Box::new(handle)));
}

/// Remove the reader (its page is left).
#[wasm_bindgen(js_name = unmount_reader)]
pub fn unmount_reader() {
    let old = READER.with(|m| m.borrow_mut().take());
    drop(old);
}
