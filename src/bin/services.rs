//! The services bundle's entry points (see `motcua::services`): the main app
//! calls `mount` when one of its pages is shown and `unmount` when it leaves.

use std::cell::RefCell;

use leptos::prelude::*;
use motcua::i18n::Lang;
use motcua::services::Services;
use wasm_bindgen::prelude::*;

thread_local! {
    static MOUNTED: RefCell<Option<Box<dyn std::any::Any>>> = const { RefCell::new(None) };
}

fn main() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
    }));
}

/// Draw the services app into `host` (replacing what is there).
#[wasm_bindgen]
pub fn mount(host: web_sys::HtmlElement, api_base: String, lang: String, focus: bool) {
    unmount();
    host.set_inner_html("");
    let lang = Lang::from_code(&lang).unwrap_or_default();
    let handle = leptos::mount::mount_to(host, move || {
        view! { <Services api_base=api_base.clone() lang=lang focus=focus/> }
    });
    MOUNTED.with(|m| *m.borrow_mut() = Some(Box::new(handle)));
}

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

/// Remove the services app and dispose of its state.
#[wasm_bindgen]
pub fn unmount() {
    let old = MOUNTED.with(|m| m.borrow_mut().take());
    drop(old);
}
