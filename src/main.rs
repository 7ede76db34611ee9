use leptos::prelude::*;
use motcua::{config::Config, App};
use wasm_bindgen::JsCast;

fn main() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
        show_crash_message();
    }));
    wasm_bindgen_futures::spawn_local(async {
        let config = load_config().await;
        // The mount is a task of its own, not one with the module's start
        // and the config's answer (no long task at start on a slow phone).
        motcua::timing::yield_now().await;
        let document = web_sys::window().and_then(|w| w.document()).expect("document");
        let root = document
            .get_element_by_id("app")
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .expect("#app in index.html");
        // The static shell stays until the live layout replaces it (`App`).
        leptos::mount::mount_to(root, move || view! { <App config=config.clone()/> }).forget();
    });
}

/// Settings of this deployment; the defaults serve the reference portal.
async fn load_config() -> Config {
    match gloo_net::http::Request::get("/config.json").send().await {
        Ok(res) if res.ok() => {
            res.text().await.ok().and_then(|t| motcua::json::parse(&t)).unwrap_or_default()
        }
        _ => Config::default(),
    }
}

/// A plain message instead of a blank page if the app ever panics. Text
/// only (never HTML from data), in both languages as the language is unknown here.
fn show_crash_message() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(root) = doc.get_element_by_id("app") else {
        return;
    };
    root.set_text_content(None);
    let p = |text: &str| {
        if let Ok(el) = doc.create_element("p") {
            el.set_text_content(Some(text));
            let _ = root.append_child(&el);
        }
    };
    p("Đã có lỗi khi hiển thị trang. Những gì bạn đã nhập vẫn được giữ trên máy. Hãy tải lại trang.");
    p("Something went wrong. What you typed is kept on this device. Please reload the page.");
}
