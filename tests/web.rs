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

/// `motcua::json` in the browser (the browser's JSON, our deserializer,
/// serde-wasm-bindgen) reads and writes what `serde_json` does, for the
/// shapes the app's types use: nested structs, maps, options, numbers,
/// internally tagged enums, `flatten`, `try_from` numbers.
#[wasm_bindgen_test]
fn json_in_the_browser_agrees_with_serde_json() {
    use contract::dossier::{
        Applicant, AssistedDossier, AttachedDocument, Delivery, DossierSummary, SubmitRequest,
    };
    use contract::error::ApiError;
    use motcua::json;
    use serde::{de::DeserializeOwned, Serialize};
    use std::fmt::Debug;

    fn both_ways<T: Serialize + DeserializeOwned + PartialEq + Debug>(v: &T) {
        let theirs = serde_json::to_string(v).unwrap();
        assert_eq!(json::parse::<T>(&theirs).as_ref(), Some(v), "reading {theirs}");
        let ours = json::to_string(v).unwrap();
        assert_eq!(&serde_json::from_str::<T>(&ours).unwrap(), v, "written {ours}");
    }

    let applicant = Applicant {
        full_name: "Nguyễn Thị Lan".into(),
        citizen_id: "020090123456".into(),
        birth_date: "05/09/1990".into(),
        phone: "0912345678".into(),
        email: String::new(),
        address: "Thôn Nà Nưa, \"xã\" Hợp Thành\n".into(),
    };
    let mut request = SubmitRequest {
        procedure: "1.001193".into(),
        unit: "000.05.37.H37".into(),
        on_behalf: true,
        relationship: "con".into(),
        consent: true,
        applicant: applicant.clone(),
        request: "Khai sinh cho bé Mai".into(),
        copies: 2,
        notes: String::new(),
        documents: vec![AttachedDocument {
            name: "Tờ khai".into(),
            files: vec!["f1".into(), "f2".into()],
        }],
        delivery: Delivery::Post { address: "Số 1, Lạng Sơn".into() },
        draft: Some("d1".into()),
        declaration: true,
        form: Some(contract::eform::FormAnswers {
            form: "khai-sinh".into(),
            version: 3,
            answers: [("child.name".to_string(), "Mai".to_string())].into(),
        }),
    };
    both_ways(&request);
    request.delivery = Delivery::Online;
    request.draft = None;
    request.form = None;
    both_ways(&request);

    let mut draft = motcua::wizard::Draft {
        id: "a".into(),
        procedure: "1.001193".into(),
        applicant,
        copies: "1".into(),
        form: [("x".to_string(), "ý".to_string())].into(),
        ..Default::default()
    };
    draft.documents.push(motcua::wizard::DocumentFiles { name: "CCCD".into(), files: Vec::new() });
    both_ways(&draft);
    // Every field has a default: an old draft missing some still reads.
    assert_eq!(json::parse::<motcua::wizard::Draft>(r#"{"id":"a"}"#).unwrap().id, "a");

    let mut error = ApiError::new("rate_limited", "Thử lại sau");
    error.error.retry_after = Some(30);
    error.error.fields.insert("phone".into(), "Số điện thoại không đúng".into());
    both_ways(&error);

    let listed: AssistedDossier = serde_json::from_str(
        r#"{"code":"HS-1","token":"t","procedure_name":"Khai sinh","status":3,
            "received_at":"27/11/2026","due_date":"01/12/2026","resident":"N. T. L. · ***456"}"#,
    )
    .unwrap();
    both_ways(&listed);
    both_ways(&vec![listed.dossier.clone()]);

    // What is not a `T` is refused, never guessed.
    assert_eq!(json::parse::<u8>("300"), None);
    assert_eq!(json::parse::<u32>("1.5"), None);
    assert_eq!(json::parse::<String>("12"), None);
    assert_eq!(json::parse::<SubmitRequest>("{}"), None);
    assert_eq!(json::parse::<Delivery>(r#"{"kind":"post"}"#), None);
    assert_eq!(json::parse::<Vec<u8>>("[1, 2,"), None);
    assert_eq!(
        json::parse::<DossierSummary>(
            r#"{"code":"HS-1","token":"t","procedure_name":"","status":99,"received_at":"","due_date":""}"#
        ),
        None
    );
}
