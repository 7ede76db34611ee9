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

/// The app's context, as a page has it (no portal behind it here).
fn with_ctx() {
    motcua::ctx::provide_ctx(motcua::config::Config::default(), motcua::i18n::Lang::Vi, false);
}

fn find(el: &web_sys::HtmlElement, css: &str) -> web_sys::Element {
    el.query_selector(css).unwrap().unwrap_or_else(|| panic!("no {css}"))
}

/// A form page's field and its error: the summary above the form links to
/// the field, the field says it is invalid and is described by its error,
/// and following the link puts the focus in the field.
#[wasm_bindgen_test]
async fn a_field_names_its_error_and_the_summary_leads_to_it() {
    use motcua::components::form::{Busy, Field, FormPage, Problems};
    let el = container();
    let problems: Problems = RwSignal::new(Vec::new());
    let _handle = leptos::mount::mount_to(el.clone(), move || {
        with_ctx();
        let value = RwSignal::new(String::new());
        view! {
            <FormPage title="Mã xác thực".to_string() problems=problems busy=Busy::new()
                on_submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default() button="Tiếp tục">
                <Field id="code" label="Mã gồm 6 chữ số" problems=problems value=value inputmode="numeric"/>
            </FormPage>
        }
    });
    tick().await;
    assert!(el.query_selector("#error-summary").unwrap().is_none(), "no summary before a problem");
    assert_eq!(find(&el, "label[for=code]").text_content().unwrap(), "Mã gồm 6 chữ số");
    assert_eq!(find(&el, "#code").get_attribute("inputmode").as_deref(), Some("numeric"));

    problems.set(vec![("code".into(), "Nhập đủ 6 chữ số".into())]);
    tick().await;
    let link = find(&el, "#error-summary a[href='#code']");
    assert_eq!(link.text_content().unwrap(), "Nhập đủ 6 chữ số");
    let input = find(&el, "#code");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = input.get_attribute("aria-describedby").unwrap_or_default();
    let error = find(&el, "#code-error");
    assert!(described.split(' ').any(|id| id == "code-error"), "{described}");
    assert!(error.text_content().unwrap().contains("Nhập đủ 6 chữ số"));

    link.unchecked_ref::<web_sys::HtmlElement>().click();
    // The focus moves on the next animation frame: wait for it (1 s at most).
    let doc = web_sys::window().unwrap().document().unwrap();
    let focused = || doc.active_element().map(|a| a.id());
    for _ in 0..100 {
        if focused().as_deref() == Some("code") {
            break;
        }
        tick().await;
    }
    assert_eq!(focused().as_deref(), Some("code"));

    problems.set(Vec::new());
    tick().await;
    assert!(el.query_selector("#error-summary").unwrap().is_none(), "gone once fixed");
    assert_eq!(find(&el, "#code").get_attribute("aria-invalid"), None);
}

/// "Could not reach the portal": said as an alert, and its button tries again.
#[wasm_bindgen_test]
async fn unreachable_says_so_and_tries_again() {
    let el = container();
    let tries = RwSignal::new(0);
    let _handle = leptos::mount::mount_to(el.clone(), move || {
        with_ctx();
        view! { <motcua::components::page::Unreachable retry=move || tries.update(|n| *n += 1)/> }
    });
    tick().await;
    let alert = find(&el, "[role=alert]");
    assert!(!alert.text_content().unwrap().trim().is_empty());
    find(&el, "button").unchecked_ref::<web_sys::HtmlElement>().click();
    find(&el, "button").unchecked_ref::<web_sys::HtmlElement>().click();
    assert_eq!(tries.get_untracked(), 2);
}

/// The uploader: one section per document, two ways in (camera, file),
/// each named by its document; a file of a kind the portal refuses is
/// said beside that document, by name, and nothing is sent.
#[wasm_bindgen_test]
async fn the_uploader_names_each_way_in_and_refuses_a_wrong_kind_beside_its_document() {
    use contract::catalog::RequiredDocument;
    use motcua::components::form::Problems;
    let el = container();
    let problems: Problems = RwSignal::new(Vec::new());
    let draft = RwSignal::new(motcua::wizard::Draft::default());
    let doc = |name: &str| RequiredDocument {
        name: name.into(),
        originals: 1,
        copies: 0,
        form: None,
        conditional: false,
    };
    let documents = vec![doc("Tờ khai đăng ký khai sinh"), doc("Giấy chứng sinh")];
    let _handle = leptos::mount::mount_to(el.clone(), move || {
        with_ctx();
        view! {
            <motcua::bundles::uploader::Documents key="kiem-thu-web".to_string()
                documents=documents.clone() draft=draft problems=problems/>
        }
    });
    tick().await;
    assert_eq!(el.query_selector_all("section.document").unwrap().length(), 2);
    for id in ["documents.1", "documents.1.camera"] {
        let label = find(&el, &format!("label[for='{id}']"));
        assert!(label.text_content().unwrap().contains("Giấy chứng sinh"), "{id}");
    }
    // A program, not a photo or a PDF: chosen for the second document.
    let choose = js_sys::Function::new_with_args(
        "input",
        "const dt = new DataTransfer();
         dt.items.add(new File(['MZ'], 'cai-dat.exe', { type: 'application/x-msdownload' }));
         input.files = dt.files;
         input.dispatchEvent(new Event('change', { bubbles: true }));",
    );
    let input = el.query_selector("[id='documents.1']").unwrap().unwrap();
    choose.call1(&wasm_bindgen::JsValue::NULL, &input).unwrap();
    tick().await;
    let said = problems.get_untracked();
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0].0, "documents.1");
    assert!(said[0].1.starts_with("cai-dat.exe: "), "{}", said[0].1);
    let section = el.query_selector_all("section.document").unwrap().item(1).unwrap();
    let section: web_sys::Element = section.unchecked_into();
    assert!(section.class_list().contains("field-invalid"));
    assert!(el.query_selector(".uploads li").unwrap().is_none(), "nothing sent");
    assert!(draft.with_untracked(|d| d.documents.iter().all(|x| x.files.is_empty())));
}

/// A dossier's timeline: each move in order with its time, the officer's
/// note and an amount asked; the citizen's own moves marked.
#[wasm_bindgen_test]
async fn the_timeline_lists_each_move_with_its_note_and_marks_the_citizens_own() {
    use contract::status::DossierStatus;
    use contract::tracking::HistoryEntry;
    let entry = |status, at: &str, note: &str, amount, by_citizen| HistoryEntry {
        status,
        at: at.into(),
        note: note.into(),
        amount,
        by_citizen,
    };
    let history = vec![
        entry(DossierStatus::Accepted, "01/12/2026 08:05", "", None, false),
        entry(
            DossierStatus::SupplementRequested,
            "02/12/2026 09:00",
            "Thiếu giấy chứng sinh",
            None,
            false,
        ),
        entry(DossierStatus::Processing, "02/12/2026 10:30", "Đã gửi bổ sung", None, true),
        entry(DossierStatus::PaymentRequested, "03/12/2026 14:00", "", Some(50_000), false),
    ];
    let el = container();
    let _handle = leptos::mount::mount_to(el.clone(), move || {
        with_ctx();
        view! { <ol class="timeline">{motcua::bundles::track::timeline_items(&history)}</ol> }
    });
    tick().await;
    let items = el.query_selector_all("ol.timeline > li").unwrap();
    assert_eq!(items.length(), 4);
    let text = |i: u32| items.item(i).unwrap().text_content().unwrap();
    assert!(text(0).contains("01/12/2026 08:05"), "{}", text(0));
    assert!(text(1).contains("Thiếu giấy chứng sinh"), "{}", text(1));
    assert!(text(3).contains("50.000 đ"), "{}", text(3));
    let marked: Vec<bool> = (0..4)
        .map(|i| {
            let li: web_sys::Element = items.item(i).unwrap().unchecked_into();
            li.class_list().contains("timeline-citizen")
        })
        .collect();
    assert_eq!(marked, vec![false, false, true, false]);
}
