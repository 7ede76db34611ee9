//! Component tests in headless Chromium (wasm-bindgen-test).
//! Run by `cargo xtask test`; they need the wasm32 target and chromedriver.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use motcua::components::highlight::Highlighted;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Let Leptos run its scheduled effects.
async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn container() -> web_sys::HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el.unchecked_into()
}

fn marks(el: &web_sys::HtmlElement) -> Vec<String> {
    let list = el.query_selector_all("mark").unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().text_content().unwrap_or_default()).collect()
}

#[wasm_bindgen_test]
async fn highlighted_marks_what_the_query_matched_and_follows_it() {
    let el = container();
    let query = RwSignal::new("khai sinh".to_string());
    let _handle = leptos::mount::mount_to(el.clone(), move || {
        let terms = Signal::derive(move || motcua::search::query_terms(&query.get()));
        view! { <Highlighted text="Đăng ký khai sinh" terms=terms/> }
    });
    tick().await;
    assert_eq!(el.text_content().unwrap(), "Đăng ký khai sinh");
    assert_eq!(marks(&el), vec!["khai", "sinh"]);

    // Typed without diacritics, in another order: still marks the original letters.
    query.set("DANG ky".to_string());
    tick().await;
    assert_eq!(marks(&el), vec!["Đăng", "ký"]);

    query.set(String::new());
    tick().await;
    assert!(marks(&el).is_empty());
    assert_eq!(el.text_content().unwrap(), "Đăng ký khai sinh");
}

#[wasm_bindgen_test]
async fn highlighted_never_interprets_markup() {
    let el = container();
    let _handle = leptos::mount::mount_to(el.clone(), move || {
        view! { <Highlighted text="<img src=x onerror=alert(1)> giấy phép" terms=Signal::derive(|| motcua::search::query_terms("img giay"))/> }
    });
    tick().await;
    assert!(el.query_selector("img").unwrap().is_none());
    assert_eq!(el.text_content().unwrap(), "<img src=x onerror=alert(1)> giấy phép");
    assert_eq!(marks(&el), vec!["img", "giấy"]);
}
