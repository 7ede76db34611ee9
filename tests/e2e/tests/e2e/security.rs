//! Injection in real Chromium: the payloads of `data/xss-corpus.txt` go
//! through the search box, officers' notes, free-text fields of a dossier
//! and of a draft, and file names. On every page that shows them, none may
//! run (no `window.__xss`, no dialog, no CSP report) and each is shown as
//! text: the elements holding them have no child elements.

use crate::support::Step::*;
use crate::support::*;
use fantoccini::Client;
use serde_json::{json, Value};

const PASSWORD: &str = "Xss#2026ls";

fn corpus() -> Vec<String> {
    let text = include_str!("../../data/xss-corpus.txt");
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            if l == "@long" {
                // A very long note ending in a script (notes keep 2,000 characters).
                format!("{}<script>window.__xss=99</script>", "Dài quá ".repeat(230))
            } else {
                l.to_string()
            }
        })
        .collect()
}

/// A browser in which any dialog or assignment to `window.__xss` is caught,
/// installed before any page script runs (DevTools, so CSP does not apply).
async fn trapped_browser() -> Client {
    let c = browser().await;
    cdp(
        &c,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": "window.__dialogs = 0; \
            window.alert = window.confirm = window.prompt = function () { window.__dialogs++; };" }),
    )
    .await;
    c
}

async fn assert_nothing_ran(c: &Client, surface: &str) {
    let got = js(c, "return [String(window.__xss), window.__dialogs, location.protocol];").await;
    assert_eq!(got[0], "undefined", "{surface}: a payload ran");
    assert_eq!(got[1], 0, "{surface}: a dialog opened");
    assert_eq!(got[2], "http:", "{surface}: the page was navigated away");
}

/// The text of every element matching `css`, and how many of them hold
/// child elements (0 when everything is shown as text).
async fn texts_of(c: &Client, css: &str) -> (Vec<String>, u64) {
    let v = c
        .execute(
            "const els = Array.from(document.querySelectorAll(arguments[0]));
             return [els.map(e => e.textContent), els.filter(e => e.children.length > 0).length];",
            vec![json!(css)],
        )
        .await
        .unwrap();
    (serde_json::from_value(v[0].clone()).unwrap(), v[1].as_u64().unwrap())
}

/// Navigate inside the app (no reload, so the trap and the app stay).
async fn go(c: &Client, path: &str) {
    c.execute(
        "history.pushState({}, '', arguments[0]); dispatchEvent(new PopStateEvent('popstate'));",
        vec![json!(path)],
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn no_payload_runs_in_the_search_box() {
    let payloads = corpus();
    assert!(payloads.len() >= 50, "the corpus has {}", payloads.len());
    let c = trapped_browser().await;
    walk(&c, &[Open("/thu-tuc"), See("#result-count", "thủ tục")]).await;
    for p in &payloads {
        let shown = c
            .execute_async(
                "const [text, done] = [arguments[0], arguments[1]];
                 const q = document.getElementById('q');
                 q.value = text;
                 q.dispatchEvent(new Event('input', { bubbles: true }));
                 setTimeout(() => done(document.getElementById('q').value), 30);",
                vec![json!(p)],
            )
            .await
            .unwrap();
        assert_eq!(shown, json!(p));
        assert_nothing_ran(&c, &format!("search {p:?}")).await;
    }
    // Through the address bar too (a shared link).
    for p in payloads.iter().take(12) {
        let q = url::form_urlencoded::byte_serialize(p.as_bytes()).collect::<String>();
        c.goto(&format!("{}/thu-tuc?q={q}", base())).await.unwrap();
        wait_text(&c, "main h1", "thủ tục").await;
        assert_nothing_ran(&c, &format!("search link {p:?}")).await;
    }
    finish(c).await;
}

#[tokio::test]
async fn no_payload_runs_in_notes_fields_drafts_or_file_names() {
    let payloads = corpus();
    let (cccd, phone) = unique_ids("0915", 90);
    make_account(&cccd, &phone, "Đinh Thị Xuân", "05/05/1990", PASSWORD);
    let cookie = sign_in_api(&phone, PASSWORD);
    let who = (cccd.as_str(), "Đinh Thị Xuân", "05/05/1990", phone.as_str());

    // Officers' notes: one dossier asked for documents once per payload.
    let (code, token) = file_dossier_api(&cookie, who);
    officer_api(&code, 2, "");
    officer_api(&code, 4, "");
    for p in &payloads {
        officer_api(&code, 5, p);
        officer_api(&code, 4, "");
    }
    let c = trapped_browser().await;
    open(&c, &format!("/tra-cuu/{code}?t={token}")).await;
    wait_text(&c, "#status", "Đang xử lý").await;
    let (notes, with_children) = texts_of(&c, "#timeline .timeline-note").await;
    assert_eq!(with_children, 0, "a note became markup");
    let want: Vec<String> = payloads.iter().map(|p| p.trim().to_string()).collect();
    assert_eq!(notes, want, "notes are shown exactly as written");
    assert_nothing_ran(&c, "officer notes, public view").await;
    assert_accessible(&c, "status with the injection corpus").await;

    // Free text of a dossier (the applicant's address), on the receipt.
    sign_in(&c, &phone, PASSWORD, "/ho-so-cua-toi").await;
    wait_text(&c, "main h1", "Hồ sơ của tôi").await;
    let mut checked = 0;
    for (i, p) in payloads.iter().enumerate().step_by(3) {
        let Some(code) = dossier_with_address(&cookie, who, p, i) else {
            continue; // refused by the portal's validation: also fine
        };
        go(&c, &format!("/bien-nhan/{code}")).await;
        wait_text(&c, "#dossier-code", &code).await;
        let (shown, with_children) = texts_of(&c, ".receipt .details dd").await;
        assert_eq!(with_children, 0);
        assert!(shown.iter().any(|s| s.contains(p.trim())), "{p:?} not shown literally: {shown:?}");
        assert_nothing_ran(&c, &format!("receipt address {p:?}")).await;
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} addresses were accepted");

    // A draft (kept on the server) whose request, notes and file names are
    // the payloads, opened on a new device: documents page and check page.
    let files: Vec<Value> = payloads
        .iter()
        .map(|p| {
            let name = url::form_urlencoded::byte_serialize(p.as_bytes()).collect::<String>();
            let (status, _, body) = http_bytes(
                "POST",
                "/api/v1/files",
                &[("x-motcua", "1"), ("cookie", &cookie), ("x-file-name", &name)],
                &std::fs::read(jpeg("xss.jpg")).unwrap(),
            );
            assert_eq!(status, 201);
            serde_json::from_slice(&body).unwrap()
        })
        .collect();
    let joined = payloads.join("\n");
    let draft = json!({
        "id": "xssdraft0000000000000000000000001",
        "key": "xsskey00000000000000000000000001",
        "owner": cccd,
        "procedure": "1.001193",
        "procedure_name": "Đăng ký khai sinh",
        "unit": "000.05.37.H37",
        "applicant": { "full_name": "Đinh Thị Xuân", "citizen_id": cccd, "birth_date": "05/05/1990",
                       "phone": phone, "email": "", "address": payloads[7] },
        "request": payloads[0],
        "copies": "1",
        // The birth registration's e-form says what is asked: its notes are shown instead.
        "notes": joined.chars().take(1900).collect::<String>(),
        "documents": [{ "name": "Giấy chứng sinh; nếu không có thì văn bản của người làm chứng hoặc giấy cam đoan về việc sinh", "files": files }],
        "delivery": "online"
    });
    let (status, body) = api(
        "PUT",
        "/api/v1/drafts/xssdraft0000000000000000000000001",
        json!({ "procedure": "1.001193", "data": draft }),
        &cookie,
    );
    assert!(status == 200 || status == 204, "{status} {body}");
    js(&c, "localStorage.clear(); sessionStorage.clear();").await;
    go(&c, "/nop-ho-so/1.001193/giay-to").await;
    walk(&c, &[Page("Giấy tờ đính kèm"), See("main .files", "xss")]).await;
    let (names, with_children) = texts_of(&c, "main .files .file-name").await;
    assert_eq!(with_children, 0);
    assert!(names.len() >= payloads.len(), "{} names", names.len());
    assert_nothing_ran(&c, "file names").await;
    go(&c, "/nop-ho-so/1.001193/kiem-tra").await;
    wait_text(&c, "main h1", "Kiểm tra").await;
    let (answers, with_children) = texts_of(&c, "main dl.answers dd:not(.change)").await;
    assert_eq!(with_children, 0, "an answer became markup");
    assert!(answers.iter().any(|a| a.contains("window.__xss=2")));
    assert_nothing_ran(&c, "check your answers").await;
    finish(c).await;
}

/// A dossier whose applicant lives at `address` (`None` if the portal refuses it).
fn dossier_with_address(
    cookie: &str,
    who: (&str, &str, &str, &str),
    address: &str,
    i: usize,
) -> Option<String> {
    let bytes = std::fs::read(jpeg("addr.jpg")).unwrap();
    let ids: Vec<String> = (0..2)
        .map(|_| upload_api(cookie, "a.jpg", &bytes).1["id"].as_str().unwrap().to_string())
        .collect();
    let body = birth_registration(who, address, &ids);
    let key = format!("xss-address-{}-{i:04}", std::process::id());
    let (status, v) = submit_api(cookie, &body, &key);
    (status == 201).then(|| v["code"].as_str().unwrap().to_string())
}
