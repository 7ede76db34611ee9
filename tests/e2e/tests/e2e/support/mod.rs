#![allow(dead_code)] // each test binary uses a different subset
//! Shared set-up: a Chromium session, page helpers, axe-core and CSP checks.

use std::io::{Read, Write};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

mod walk;
#[allow(unused_imports)] // the examples that share this module walk no journeys
pub use walk::{walk, Step};

/// The `key` of each item of the JSON list, as text.
pub fn each<'a>(list: &'a Value, key: &str) -> Vec<&'a str> {
    list.as_array().into_iter().flatten().map(|v| v[key].as_str().unwrap_or_default()).collect()
}

pub fn env(key: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| {
        panic!("{key} is not set: the end-to-end tests are run by `cargo xtask test`, which starts the portal and chromedriver")
    })
}

thread_local! {
    /// A test that starts a portal of its own points the helpers at it.
    static BASE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

pub fn base() -> String {
    BASE.with(|b| b.borrow().clone()).unwrap_or_else(|| env("E2E_BASE_URL"))
}

/// Point this test's helpers at another portal (its own, started by the test).
pub fn set_base(url: &str) {
    BASE.with(|b| *b.borrow_mut() = Some(url.to_string()));
}

/// A fresh headless Chromium at a phone's width.
pub async fn browser() -> Client {
    browser_with(&[]).await
}

/// As `browser`, with more command-line switches (a fake camera, say).
pub async fn browser_with(extra: &[&str]) -> Client {
    let mut args = vec![
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=412,915",
        "--lang=vi-VN",
    ];
    args.extend_from_slice(extra);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_string(),
        json!({ "binary": "/usr/bin/chromium", "args": args }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&env("E2E_WEBDRIVER_URL"))
        .await
        .expect("chromedriver session")
}

/// Open `path` and wait until the app has replaced the static shell with a page heading.
pub async fn open(c: &Client, path: &str) {
    c.goto(&format!("{}{path}", base())).await.unwrap();
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("main h1"))
        .await
        .unwrap_or_else(|e| panic!("{path}: no page heading: {e}"));
}

/// Wait until `css` matches an element whose text contains `text`.
pub async fn wait_text(c: &Client, css: &str, text: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            if el.text().await.unwrap_or_default().contains(text) {
                return;
            }
        }
        if std::time::Instant::now() > deadline {
            let got = match c.find(Locator::Css(css)).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => "<no element>".into(),
            };
            panic!("{css} never contained {text:?}; it shows {got:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Click the first element matching `css`.
pub async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

/// Wait until the address bar's URL contains `part`.
pub async fn wait_url(c: &Client, part: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let url = c.current_url().await.unwrap().to_string();
        if url.contains(part) {
            return;
        }
        if std::time::Instant::now() > deadline {
            panic!("the URL never contained {part:?}; it is {url}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Wait until the script `expr` (a `return …` statement) answers true,
/// asked in the page: for states whose elements are redrawn meanwhile.
pub async fn wait_js(c: &Client, expr: &str, what: &str) {
    for _ in 0..100 {
        if js(c, expr).await == true {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never: {what}");
}

/// Wait until the address is exactly `path` on this site (no query).
pub async fn wait_url_is(c: &Client, path: &str) {
    let want = format!("{}{path}", base());
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let url = c.current_url().await.unwrap().to_string();
        if url == want {
            return;
        }
        if std::time::Instant::now() > deadline {
            panic!("the URL never became {want:?}; it is {url}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn heading(c: &Client) -> String {
    text_of(c, Locator::Css("main h1")).await
}

/// The element `at` finds (it must be there).
pub async fn element(c: &Client, at: Locator<'_>) -> fantoccini::elements::Element {
    c.find(at).await.unwrap_or_else(|e| panic!("{at:?}: {e}"))
}

/// The text of the element `at` finds.
pub async fn text_of(c: &Client, at: Locator<'_>) -> String {
    element(c, at).await.text().await.unwrap()
}

/// Type `keys` into the element `at` finds (for a file input: a file's path).
pub async fn send_keys(c: &Client, at: Locator<'_>, keys: &str) {
    element(c, at).await.send_keys(keys).await.unwrap();
}

/// A PNG of the element `at` finds.
pub async fn shot(c: &Client, at: Locator<'_>) -> Vec<u8> {
    element(c, at).await.screenshot().await.unwrap()
}

/// Make requests to URLs matching `patterns` fail (none: all go through again).
pub async fn block_urls(c: &Client, patterns: &[&str]) {
    cdp(c, "Network.enable", json!({})).await;
    cdp(c, "Network.setBlockedURLs", json!({ "urls": patterns })).await;
}

/// With `E2E_SHOTS_DIR` set, keep a screenshot of the window as `<name>.png`
/// there, to look at (nothing is compared).
pub async fn keep_shot(c: &Client, name: &str) {
    let Ok(dir) = std::env::var("E2E_SHOTS_DIR") else { return };
    let _ = std::fs::create_dir_all(&dir);
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png);
    }
}

/// Choose the option of value `value` in the `<select>` matching `css`.
pub async fn choose(c: &Client, css: &str, value: &str) {
    let select = c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
    select.select_by_value(value).await.unwrap_or_else(|e| panic!("{css} = {value}: {e}"));
}

/// A DOM property of the first element matching `css` (e.g. an input's `value`).
pub async fn prop(c: &Client, css: &str, name: &str) -> Option<String> {
    c.find(Locator::Css(css)).await.unwrap().prop(name).await.unwrap()
}

/// A Chrome DevTools-protocol command sent through chromedriver.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

pub async fn cdp(c: &Client, cmd: &'static str, params: Value) -> Value {
    c.issue_cmd(Cdp { cmd, params }).await.unwrap_or_else(|e| panic!("{cmd}: {e}"))
}

/// Make every API request fail as on a dropped connection (the app shell still loads).
pub async fn drop_api_connection(c: &Client, dropped: bool) {
    cdp(c, "Network.enable", json!({})).await;
    let urls = if dropped { json!(["*/api/v1/*"]) } else { json!([]) };
    cdp(c, "Network.setBlockedURLs", json!({ "urls": urls })).await;
}

/// Close the session after checking that no page broke the CSP.
pub async fn finish(c: Client) {
    assert_no_csp_violations();
    c.close().await.unwrap();
}

/// Run `script` in the page and read its answer as `T`.
pub async fn js_as<T: serde::de::DeserializeOwned>(c: &Client, script: &str) -> T {
    serde_json::from_value(js(c, script).await).unwrap()
}

pub async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

/// Run axe-core on the page; fail on any WCAG 2.x A/AA violation.
pub async fn assert_accessible(c: &Client, page: &str) {
    let axe = std::fs::read_to_string(env("E2E_AXE_JS")).expect("axe-core script");
    c.execute(&axe, vec![]).await.unwrap();
    let result = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
                 .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' +
                        v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(' | '))))
                 .catch(e => done(['axe failed: ' + e]));"#,
            vec![],
        )
        .await
        .unwrap();
    let violations: Vec<String> = serde_json::from_value(result).unwrap();
    assert!(violations.is_empty(), "{page}: accessibility violations:\n{}", violations.join("\n"));
}

/// Plain HTTP/1.1 request to the portal: status, lower-cased headers, body.
pub fn http(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    http_with_body(method, path, headers, "")
}

/// As `http`, sending `body` (with its Content-Length) when not empty.
pub fn http_with_body(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    http_bytes(method, path, headers, body.as_bytes())
}

/// As `http_with_body`, with any bytes (a file upload).
pub fn http_bytes(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let addr = base().trim_start_matches("http://").to_string();
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    s.write_all(&bytes).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
    let hs = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, hs, raw[split + 4..].to_vec())
}

pub fn header<'a>(hs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    hs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The page where a test provokes a violation on purpose, to prove reports arrive.
pub const CSP_PROBE: &str = "/csp-probe";

/// Violations browsers reported to the portal (started with `--dev`).
pub fn csp_reports() -> Vec<String> {
    let (status, _, body) = http("GET", "/api/v1/dev/csp-reports", &[]);
    assert_eq!(status, 200);
    serde_json::from_slice(&body).unwrap()
}

/// No violation anywhere but on the probe page.
pub fn assert_no_csp_violations() {
    let reports: Vec<String> =
        csp_reports().into_iter().filter(|r| !r.contains(CSP_PROBE)).collect();
    assert!(reports.is_empty(), "Content-Security-Policy violations: {reports:#?}");
}

// ---- Accounts and forms, shared by the account and submission journeys ----

/// The newest six-digit code the dev outbox holds for `phone`.
pub fn code_for(phone: &str) -> String {
    let (status, _, body) = http("GET", "/api/v1/dev/outbox", &[]);
    assert_eq!(status, 200, "the portal must run with --dev");
    let list: Vec<Value> = serde_json::from_slice(&body).unwrap();
    let text = list
        .iter()
        .rev()
        .find(|m| m["phone"] == phone)
        .unwrap_or_else(|| panic!("no message to {phone}"))["text"]
        .as_str()
        .unwrap()
        .to_string();
    text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).unwrap().to_string()
}

/// A JSON API call as the app makes it (with the CSRF header and, when not
/// empty, a cookie).
pub fn api(method: &str, path: &str, body: Value, cookie: &str) -> (u16, Value) {
    let mut headers = vec![("content-type", "application/json"), ("x-motcua", "1")];
    if !cookie.is_empty() {
        headers.push(("cookie", cookie));
    }
    let (status, _, bytes) = http_with_body(method, path, &headers, &body.to_string());
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// A citizen ID (for someone born in 1990) and a mobile number starting
/// with `prefix` that no other test uses (the tests share one portal).
pub fn unique_ids(prefix: &str, seed: u32) -> (String, String) {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()
        as u64;
    let tail = (ms % 10_000) * 100 + seed as u64;
    (format!("020090{tail:06}"), format!("{prefix}{tail:06}"))
}

/// Walk the registration pages in the browser, from the ID number page to
/// the code page (the code is sent to `phone`).
pub async fn register_to_code(c: &Client, cccd: &str, name: &str, birth: &str, phone: &str) {
    for (heading, field, value) in [
        ("Số định danh cá nhân", "#citizen_id", cccd),
        ("Họ và tên", "#full_name", name),
        ("Ngày sinh", "#birth_date", birth),
        ("Số điện thoại", "#phone", phone),
    ] {
        wait_text(c, "main h1", heading).await;
        fill(c, field, value).await;
        submit_form(c).await;
    }
    wait_text(c, "main h1", "Nhập mã xác thực").await;
}

/// An account made through the API (the UI journey has its own tests).
pub fn make_account(cccd: &str, phone: &str, name: &str, birth: &str, password: &str) {
    let (status, sent) = api(
        "POST",
        "/api/v1/accounts/register",
        json!({ "citizen_id": cccd, "full_name": name, "birth_date": birth, "phone": phone, "email": "" }),
        "",
    );
    assert_eq!(status, 202, "{sent}");
    let ch = sent["challenge"].as_str().unwrap().to_string();
    let (status, _) = api(
        "POST",
        &format!("/api/v1/challenges/{ch}/verify"),
        json!({ "code": code_for(phone) }),
        "",
    );
    assert_eq!(status, 204);
    let (status, _) = api(
        "POST",
        "/api/v1/accounts/password",
        json!({ "challenge": ch, "password": password }),
        "",
    );
    assert_eq!(status, 200);
}

pub async fn fill(c: &Client, css: &str, text: &str) {
    let el = c.find(Locator::Css(css)).await.unwrap();
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

/// One step of a form, on one line:
/// `answer!(c, "#a" => value, "#b" => value; "main h1" => "next page")`
/// fills the fields, submits the page's form and waits for the text.
#[macro_export]
macro_rules! answer {
    ($c:expr, $($css:literal => $v:expr),+ ; $then:literal => $text:expr) => {
        $crate::support::answer(
            &$c,
            &[$(($css, AsRef::<str>::as_ref(&$v))),+],
            ($then, AsRef::<str>::as_ref(&$text)),
        )
        .await
    };
}

/// What `answer!` does: fill `fields` (selector, value), submit the page's
/// form, and wait until `then.0` shows `then.1`.
pub async fn answer(c: &Client, fields: &[(&str, &str)], then: (&str, &str)) {
    for (css, value) in fields {
        fill(c, css, value).await;
    }
    submit_form(c).await;
    wait_text(c, then.0, then.1).await;
}

/// Press the page form's submit button.
pub async fn submit_form(c: &Client) {
    element(c, Locator::Css("main form button[type=submit]")).await.click().await.unwrap();
}

/// Sign in on the sign-in page, to go on to `next` (a path).
/// Sign out with the header's button, and wait until the header says so.
pub async fn sign_out(c: &Client) {
    click(c, "nav .nav-button").await;
    wait_text(c, "nav", "Đăng nhập").await;
}

pub async fn sign_in(c: &Client, identifier: &str, password: &str, next: &str) {
    open(c, &format!("/dang-nhap?tiep={}", next.replace('/', "%2F"))).await;
    fill(c, "#identifier", identifier).await;
    fill(c, "#password", password).await;
    submit_form(c).await;
}

/// A small real JPEG file on disk (the portal checks the first bytes).
pub fn jpeg(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("motcua-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];
    bytes.extend(std::iter::repeat_n(0x55u8, 20_000));
    bytes.extend([0xFF, 0xD9]);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

/// Sign in through the API; the session cookie as `name=value`.
pub fn sign_in_api(identifier: &str, password: &str) -> String {
    let body = json!({ "identifier": identifier, "password": password }).to_string();
    let (status, headers, _) = http_with_body(
        "POST",
        "/api/v1/session",
        &[("content-type", "application/json"), ("x-motcua", "1")],
        &body,
    );
    assert_eq!(status, 200);
    header(&headers, "set-cookie").and_then(|c| c.split(';').next()).unwrap().to_string()
}

/// Upload `bytes` as file `name` for the signed-in citizen: (status, answer).
pub fn upload_api(cookie: &str, name: &str, bytes: &[u8]) -> (u16, Value) {
    let (status, _, body) = http_bytes(
        "POST",
        "/api/v1/files",
        &[("x-motcua", "1"), ("cookie", cookie), ("x-file-name", name)],
        bytes,
    );
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// A birth registration at Đồng Đăng, filed online, for `who` (ID, full
/// name, birth date, phone) living at `address`, with two uploaded files.
pub fn birth_registration(who: (&str, &str, &str, &str), address: &str, files: &[String]) -> Value {
    let (cccd, name, birth, phone) = who;
    json!({
        "procedure": "1.001193", "unit": "000.05.37.H37",
        "applicant": { "full_name": name, "citizen_id": cccd, "birth_date": birth,
                       "phone": phone, "email": "", "address": address },
        "request": "Đăng ký khai sinh", "copies": 1, "notes": "",
        "documents": [
            { "name": "Tờ khai đăng ký khai sinh", "files": [files[0]] },
            { "name": "Giấy chứng sinh; nếu không có thì văn bản của người làm chứng hoặc giấy cam đoan về việc sinh",
              "files": [files[1]] }
        ],
        "delivery": { "kind": "online" },
        "declaration": true
    })
}

/// Submit a dossier with idempotency `key`: (status, answer).
pub fn submit_api(cookie: &str, body: &Value, key: &str) -> (u16, Value) {
    let headers = [
        ("content-type", "application/json"),
        ("x-motcua", "1"),
        ("cookie", cookie),
        ("idempotency-key", key),
    ];
    let (status, _, answer) =
        http_with_body("POST", "/api/v1/dossiers", &headers, &body.to_string());
    (status, serde_json::from_slice(&answer).unwrap_or(Value::Null))
}

/// A birth registration filed through the API for the signed-in citizen
/// (`who`: ID, full name, birth date, phone); returns (code, token).
pub fn file_dossier_api(cookie: &str, who: (&str, &str, &str, &str)) -> (String, String) {
    let bytes = std::fs::read(jpeg("api-upload.jpg")).unwrap();
    let mut ids = Vec::new();
    for name in ["to-khai.jpg", "giay-chung-sinh.jpg"] {
        let (status, v) = upload_api(cookie, name, &bytes);
        assert_eq!(status, 201, "{v}");
        ids.push(v["id"].as_str().unwrap().to_string());
    }
    let body = birth_registration(who, "Thôn Pò Mỏ, xã Đồng Đăng", &ids);
    let key = format!("e2e-api-{}-{}", std::process::id(), ids[0]);
    let (status, v) = submit_api(cookie, &body, &key);
    assert_eq!(status, 201, "{v}");
    (v["code"].as_str().unwrap().to_string(), v["token"].as_str().unwrap().to_string())
}

/// Move a dossier as an officer with the portal's CLI, on the same SQLite
/// file the running portal uses.
pub fn officer_cli(code: &str, to: u8, note: &str, amount: Option<u64>) {
    let mut cmd = std::process::Command::new(env("E2E_PORTAL_BIN"));
    cmd.arg("--data-dir").arg(env("E2E_DATA_DIR")).args([
        "officer",
        "transition",
        code,
        "--to",
        &to.to_string(),
        "--note",
        note,
    ]);
    if let Some(a) = amount {
        cmd.args(["--amount", &a.to_string()]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "officer transition {code} -> {to}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Make the holder of `cccd` a youth-union volunteer (`portal officer
/// grant-volunteer`, on the running portal's database).
pub fn grant_volunteer(cccd: &str) {
    let out = std::process::Command::new(env("E2E_PORTAL_BIN"))
        .arg("--data-dir")
        .arg(env("E2E_DATA_DIR"))
        .args(["officer", "grant-volunteer", cccd])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Move a dossier through the officers' API (bearer token).
pub fn officer_api(code: &str, to: u8, note: &str) {
    let auth = format!("Bearer {}", env("E2E_OFFICER_TOKEN"));
    let body = json!({ "to": to, "note": note }).to_string();
    let (status, _, answer) = http_with_body(
        "POST",
        &format!("/api/v1/officer/dossiers/{code}/transitions"),
        &[("content-type", "application/json"), ("x-motcua", "1"), ("authorization", &auth)],
        &body,
    );
    assert_eq!(status, 204, "{}", String::from_utf8_lossy(&answer));
}

/// Attach `bytes` as an electronic result of `code` through the officers'
/// API; the result's JSON (code, sha256…).
pub fn officer_result_api(code: &str, name: &str, bytes: &[u8]) -> Value {
    let auth = format!("Bearer {}", env("E2E_OFFICER_TOKEN"));
    let (status, _, answer) = http_bytes(
        "POST",
        &format!("/api/v1/officer/dossiers/{code}/results"),
        &[
            ("x-motcua", "1"),
            ("authorization", &auth),
            ("x-file-name", name),
            ("x-signer", "UBND%20x%C3%A3%20%C4%90%E1%BB%93ng%20%C4%90%C4%83ng"),
        ],
        bytes,
    );
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&answer));
    serde_json::from_slice(&answer).unwrap()
}

/// A one-page PDF with a correct cross-reference table.
pub fn small_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut at = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        at.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(b"xref\n0 4\n0000000000 65535 f \n");
    for off in at {
        out.extend(format!("{off:010} 00000 n \n").bytes());
    }
    out.extend(format!("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").bytes());
    out
}

/// A browser whose camera films a QR code of `text` (Chromium's fake device).
pub async fn browser_filming(text: &str) -> Client {
    let video = qr_video(text);
    let file = format!("--use-file-for-fake-video-capture={video}");
    browser_with(&["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", &file])
        .await
}

/// Make a photo-like JPEG (smooth light and shade, fine grain, lines of
/// ink) of `arguments[1]`×`arguments[2]` pixels at quality `arguments[3]`
/// in the page, and hand it to file input `arguments[0]` as if the camera
/// had taken it; answers its size in bytes.
pub const CAMERA_PHOTO: &str = r#"
const [id, w, h, quality, done] = arguments;
const c = document.createElement('canvas');
c.width = w; c.height = h;
const g = c.getContext('2d');
const img = g.createImageData(w, h);
let x = 12345;
for (let y = 0, i = 0; y < h; y++) {
  for (let col = 0; col < w; col++, i += 4) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const grain = (x & 31) - 16;
    const ink = (y % 60 < 3 && col % 700 < 600) ? -120 : 0;
    const base = 200 - (col / w) * 40 - (y / h) * 30 + ink;
    img.data[i] = base + grain; img.data[i + 1] = base + grain * 0.8; img.data[i + 2] = base - 10 + grain; img.data[i + 3] = 255;
  }
}
g.putImageData(img, 0, 0);
c.toBlob(b => {
  const dt = new DataTransfer();
  dt.items.add(new File([b], 'anh-chup.jpg', { type: 'image/jpeg' }));
  const input = document.getElementById(id);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  done(b.size);
}, 'image/jpeg', quality);
"#;

/// A Y4M video (what Chromium's fake camera plays) showing `text` as a QR code.
pub fn qr_video(text: &str) -> String {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let modules = code.width();
    let colors = code.to_colors();
    let (w, h, scale) = (640usize, 480usize, 8usize);
    let size = (modules + 8) * scale;
    let (x0, y0) = ((w - size) / 2, (h - size) / 2);
    let mut y = vec![235u8; w * h];
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (mx, my) = (i % modules + 4, i / modules + 4);
            for dy in 0..scale {
                for dx in 0..scale {
                    y[(y0 + my * scale + dy) * w + x0 + mx * scale + dx] = 16;
                }
            }
        }
    }
    let mut out = format!("YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\n").into_bytes();
    for _ in 0..10 {
        out.extend_from_slice(b"FRAME\n");
        out.extend_from_slice(&y);
        out.extend(std::iter::repeat_n(128u8, w * h / 2));
    }
    let path = std::env::temp_dir().join(format!("motcua-e2e-qr-{}.y4m", std::process::id()));
    std::fs::write(&path, out).unwrap();
    path.to_string_lossy().into_owned()
}

/// From the wizard's first page to "check your answers" for a birth
/// registration at `unit`, attaching two small photos.
pub async fn wizard_to_check(c: &Client, unit: &str, address: &str, request: &str) {
    wait_text(c, "main h1", "Ai nộp hồ sơ").await;
    element(c, Locator::Css(&format!("#unit option[value='{unit}']"))).await.click().await.unwrap();
    submit_form(c).await;
    wait_text(c, "main h1", "Thông tin người yêu cầu").await;
    fill(c, "#applicant\\.address", address).await;
    submit_form(c).await;
    birth_form(c).await;
    fill(c, "#notes", request).await;
    submit_form(c).await;
    wait_text(c, "main h1", "Giấy tờ đính kèm").await;
    // The paper declaration is the e-form: only the birth certificate.
    send_keys(c, Locator::Id("documents.1"), &jpeg("trang-1.jpg")).await;
    wait_text(c, "main .files", "trang-1.jpg").await;
    submit_form(c).await;
    wait_text(c, "main h1", "Cách nhận kết quả").await;
    submit_form(c).await;
    wait_text(c, "main h1", "Kiểm tra trước khi nộp").await;
    declare(c).await;
}

/// The birth registration's electronic form, from its first part to the
/// request page: a girl born at the provincial hospital, the mother known,
/// the father not, filed by the mother.
pub async fn birth_form(c: &Client) {
    // Who files comes first, as on the national form.
    wait_text(c, "main h1", "Người đi đăng ký").await;
    click(c, "#form\\.declarant\\.relationship").await;
    submit_form(c).await;
    wait_text(c, "main h1", "Người được khai sinh").await;
    fill(c, "#form\\.child\\.full_name", "Hoàng Bảo Na").await;
    fill(c, "#form\\.child\\.birth_date", "02/11/2026").await;
    click(c, "#form\\.child\\.sex-nu").await;
    submit_form(c).await;
    wait_text(c, "main h1", "Nơi sinh, dân tộc, quốc tịch").await;
    fill(c, "#form\\.child\\.birth_place", "Bệnh viện Đa khoa tỉnh Lạng Sơn").await;
    choose(c, "#form\\.child\\.ethnicity", "Tày").await;
    submit_form(c).await;
    wait_text(c, "main h1", "Người mẹ").await;
    fill(c, "#form\\.mother\\.full_name", "Hoàng Thị Mai").await;
    fill(c, "#form\\.mother\\.birth_date", "12/03/1996").await;
    choose(c, "#form\\.mother\\.ethnicity", "Tày").await;
    fill(c, "#form\\.mother\\.residence", "Thôn Nà Nưa, xã Đồng Đăng").await;
    submit_form(c).await;
    wait_text(c, "main h1", "Người cha").await;
    click(c, "#form\\.father\\.known-khong").await;
    submit_form(c).await;
    wait_text(c, "main h1", "Số bản kết quả và ghi chú").await;
}

/// The officers' export of a dossier's electronic form (bearer token).
pub fn officer_form_api(code: &str) -> Value {
    let auth = format!("Bearer {}", env("E2E_OFFICER_TOKEN"));
    let (status, _, answer) = http_bytes(
        "GET",
        &format!("/api/v1/officer/dossiers/{code}/form"),
        &[("authorization", &auth)],
        b"",
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    serde_json::from_slice(&answer).unwrap()
}

/// Tick the declaration ("Tôi xin cam đoan…") on the check page.
pub async fn declare(c: &Client) {
    click(c, "#declaration").await;
}

/// Decode every QR code in a PNG screenshot.
pub fn qr_texts(png_bytes: &[u8]) -> Vec<String> {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let grey = |x: usize, y: usize| -> u8 {
        let i = (y * w + x) * channels;
        if channels >= 3 {
            ((buf[i] as u16 + buf[i + 1] as u16 + buf[i + 2] as u16) / 3) as u8
        } else {
            buf[i]
        }
    };
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, grey);
    img.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect()
}

/// A portal of a test's own, on its own SQLite file and site folder;
/// stopped when dropped.
pub struct OwnPortal {
    child: std::process::Child,
}

impl OwnPortal {
    /// A portal of its own on a copy of the site (`own_site`), which the
    /// helpers then address: the portal and its copy of the app.
    pub fn site(name: &str) -> (OwnPortal, std::path::PathBuf) {
        let (data, dist, port) = own_site(name);
        let portal = OwnPortal::start(&data, &dist, port);
        set_base(&format!("http://127.0.0.1:{port}"));
        (portal, dist)
    }

    pub fn start(data: &std::path::Path, dist: &std::path::Path, port: u16) -> OwnPortal {
        OwnPortal::start_with(data, dist, port, &[])
    }

    /// With more of the portal's arguments.
    pub fn start_with(
        data: &std::path::Path,
        dist: &std::path::Path,
        port: u16,
        extra: &[&str],
    ) -> OwnPortal {
        OwnPortal::start_with_env(data, dist, port, extra, &[])
    }

    /// With more arguments and environment variables (secrets).
    pub fn start_with_env(
        data: &std::path::Path,
        dist: &std::path::Path,
        port: u16,
        extra: &[&str],
        vars: &[(&str, &str)],
    ) -> OwnPortal {
        let child = std::process::Command::new(env("E2E_PORTAL_BIN"))
            .envs(vars.iter().copied())
            .args(extra)
            .arg("--data-dir")
            .arg(data)
            .arg("--dist-dir")
            .arg(dist)
            .args(["--dev", "--bind", &format!("127.0.0.1:{port}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "own portal did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        OwnPortal { child }
    }
}

impl Drop for OwnPortal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A fresh data folder, a copy of dist/ and a free port for `name`.
pub fn own_site(name: &str) -> (std::path::PathBuf, std::path::PathBuf, u16) {
    let tmp = std::env::temp_dir().join(format!("motcua-e2e-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let dist = tmp.join("dist");
    copy_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist"), &dist);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    (tmp.join("data"), dist, port)
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A stand-in for the browser's speech synthesis with the given voices:
/// records what it is asked to say, and ends each sentence at once.
pub fn speech(voices: &str) -> Value {
    let source = format!(
        "window.__spoken = [];
         const synth = {{
           getVoices() {{ return {voices}; }},
           speak(u) {{ window.__spoken.push({{ text: u.text, lang: u.lang, rate: u.rate }});
                       setTimeout(() => {{ if (!synth.paused && u.onend) u.onend(); }}, 10); }},
           cancel() {{}}, pause() {{ synth.paused = true; }}, resume() {{ synth.paused = false; }},
           paused: false, onvoiceschanged: null,
         }};
         Object.defineProperty(window, 'speechSynthesis', {{ value: synth, configurable: true }});
         window.SpeechSynthesisUtterance = function (t) {{ this.text = t; }};"
    );
    serde_json::json!({ "source": source })
}
