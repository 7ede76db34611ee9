//! Shared set-up of the API tests: a portal on a temporary SQLite file,
//! requests as the app sends them, and the journeys other tests start from.
#![allow(dead_code)]

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use portal::store::dossiers::{transition, Move};
use portal::{app, catalog, db::Db, AppState};
use serde_json::{json, Value};
use std::net::SocketAddr;
use tower::ServiceExt;

// ---- from catalog
pub struct Fixture {
    _dir: Option<tempfile::TempDir>,
    pub router: axum::Router,
    pub state: AppState,
}

/// The metrics token every test portal is given.
pub const METRICS_TOKEN: &str = "metrics-token-for-tests-0001";
/// The header that shows it.
pub const METRICS_AUTH: (&str, &str) = ("authorization", "Bearer metrics-token-for-tests-0001");

pub fn fixture(dev: bool) -> Fixture {
    fixture_with(dev, |_| {})
}

/// As [`fixture`], with `tweak` applied to the state before the router is made.
pub fn fixture_with(dev: bool, tweak: impl FnOnce(&mut AppState)) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("db")).unwrap();
    db.with(catalog::seed).unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<html><script type=module>boot()</script><div id=app></div></html>",
    )
    .unwrap();
    std::fs::write(dist.join("app-0123456789abcdef.js"), "export{}").unwrap();
    let mut state = AppState::new(db, dev, dir.path());
    // PDFs are parsed by the portal's own binary, as when it serves.
    state.pdf_parser = portal::filecheck::Parser::Child(env!("CARGO_BIN_EXE_portal").into());
    state.metrics_token = Some(METRICS_TOKEN.into());
    tweak(&mut state);
    let router = app(state.clone(), &dist);
    Fixture { _dir: Some(dir), router, state }
}

impl Fixture {
    /// A portal set up by the test itself (its folder is the test's).
    pub fn from_parts(router: axum::Router, state: AppState) -> Fixture {
        Fixture { _dir: None, router, state }
    }
}

/// A header of an answer, as text ("" when absent).
pub fn header_of(h: &axum::http::HeaderMap, name: impl axum::http::header::AsHeaderName) -> &str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

pub async fn get(
    f: &Fixture,
    uri: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = f.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let h = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, h, body)
}

pub fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap()
}

// ---- from accounts
pub struct Res {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
}

/// A request as the app sends it: JSON, the CSRF header, a cookie if given,
/// from client address `ip`.
pub async fn call(
    f: &Fixture,
    method: &str,
    uri: &str,
    body: Value,
    cookie: Option<&str>,
    ip: &str,
) -> Res {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-motcua", "1");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let mut req = req.body(Body::from(body.to_string())).unwrap();
    let addr: SocketAddr = format!("{ip}:40000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    send(f, req).await
}

/// Runs one request through the router; a body that is not JSON comes back
/// as a string, an empty one as null.
pub async fn send(f: &Fixture, req: Request<Body>) -> Res {
    let res = f.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let b = res.into_body().collect().await.unwrap().to_bytes();
    let body = if b.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&b)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&b).into()))
    };
    Res { status, headers, body }
}

/// The one-time code step: the last code sent is typed in.
pub async fn verify(f: &Fixture, challenge: &str, code: &str) -> Res {
    let uri = format!("/api/v1/challenges/{challenge}/verify");
    post(f, &uri, json!({ "code": code })).await
}

/// The password step of registration or reset.
pub async fn password(f: &Fixture, challenge: &str, password: &str) -> Res {
    let body = json!({ "challenge": challenge, "password": password });
    post(f, "/api/v1/accounts/password", body).await
}

/// `GET /api/v1/me` with a session cookie.
pub async fn whoami(f: &Fixture, cookie: &str) -> Res {
    call(f, "GET", "/api/v1/me", Value::Null, Some(cookie), "10.0.0.1").await
}

pub async fn post(f: &Fixture, uri: &str, body: Value) -> Res {
    call(f, "POST", uri, body, None, "10.0.0.1").await
}

pub fn details() -> Value {
    json!({
        "citizen_id": "020 090 123456",
        "full_name": "  Nguyễn   Thị Lan ",
        "birth_date": "09/05/1990",
        "phone": "+84 912 345 678",
        "email": ""
    })
}

/// The last code the dev outbox shows for `phone`.
pub fn last_code(f: &Fixture, phone: &str) -> String {
    let msg = f
        .state
        .sms
        .outbox()
        .into_iter()
        .rev()
        .find(|m| m.phone == phone)
        .expect("a message to that phone");
    msg.text
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no code in {:?}", msg.text))
        .to_string()
}

pub fn session_of(r: &Res) -> String {
    let set = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    set.split(';').next().unwrap().to_string()
}

/// Lan's registration started: its challenge and the code sent to her phone.
pub async fn lan_code(f: &Fixture) -> (String, String) {
    let r = post(f, "/api/v1/accounts/register", details()).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    (challenge(&r), last_code(f, "0912345678"))
}

/// Registration through all three steps: details, the code sent to
/// `phone`, then `pw`; returns the answer to the password step.
pub async fn register(f: &Fixture, details: Value, phone: &str, pw: &str) -> Res {
    let r = post(f, "/api/v1/accounts/register", details).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let ch = challenge(&r);
    let code = last_code(f, phone);
    let r = verify(f, &ch, &code).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    password(f, &ch, pw).await
}

/// Register Lan through code and password; returns her session cookie.
/// Read with `read` every `every` until `done` holds of the answer, which
/// is returned; fail, showing the last answer, after `limit`.
pub async fn poll<F: std::future::Future<Output = Value>>(
    (limit, every): (std::time::Duration, std::time::Duration),
    read: impl Fn() -> F,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let start = std::time::Instant::now();
    loop {
        let v = read().await;
        if done(&v) {
            return v;
        }
        assert!(start.elapsed() < limit, "{v:#}");
        tokio::time::sleep(every).await;
    }
}

/// The `key` of each item of the JSON list, as text.
pub fn each<'a>(list: &'a Value, key: &str) -> Vec<&'a str> {
    list.as_array().into_iter().flatten().map(|v| v[key].as_str().unwrap_or_default()).collect()
}

/// A fresh dev portal with Lan signed in: the fixture and her session.
pub async fn with_lan() -> (Fixture, String) {
    let f = fixture(true);
    let lan = register_lan(&f).await;
    (f, lan)
}

/// The number `sql` counts in the fixture's database.
pub fn count(f: &Fixture, sql: &str) -> i64 {
    f.state.db.with(|c| c.query_row(sql, [], |r| r.get(0))).unwrap()
}

/// The message an error answer gives for `field`.
pub fn field_error<'a>(body: &'a Value, field: &str) -> &'a str {
    body["error"]["fields"][field].as_str().unwrap_or_default()
}

pub async fn register_lan(f: &Fixture) -> String {
    let r = register(f, details(), "0912345678", "Lan@2026vn").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["full_name"], "Nguyễn Thị Lan");
    assert_eq!(r.body["phone"], "0912345678");
    session_of(&r)
}

// ---- from dossiers
/// The start of a 16×16 JPEG: JFIF header, then its frame header (SOF0).
pub const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF,
    0xC0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF,
    0xD9,
];

/// A POST as the app sends it with the session `cookie`, one header more
/// (`extra`), and `body` of type `mime`.
async fn post_with(
    f: &Fixture,
    uri: &str,
    cookie: &str,
    extra: (&str, &str),
    mime: &str,
    body: Vec<u8>,
) -> Res {
    let req = Request::post(uri)
        .header("x-motcua", "1")
        .header(header::COOKIE, cookie)
        .header(extra.0, extra.1)
        .header(header::CONTENT_TYPE, mime)
        .body(Body::from(body))
        .unwrap();
    send(f, req).await
}

pub async fn upload(f: &Fixture, cookie: &str, name: &str, bytes: &[u8]) -> Res {
    let mime = "application/octet-stream";
    post_with(f, "/api/v1/files", cookie, ("x-file-name", name), mime, bytes.to_vec()).await
}

/// A second citizen, Nam; returns his session.
/// A fresh dev portal with Nam signed in, a volunteer.
pub async fn with_volunteer_nam() -> (Fixture, String) {
    let f = fixture(true);
    let nam = register_nam(&f).await;
    f.state.db.with(|c| portal::store::accounts::grant_volunteer(c, "020195000123").unwrap());
    (f, nam)
}

pub async fn register_nam(f: &Fixture) -> String {
    let nam = json!({ "citizen_id": "020195000123", "full_name": "Hoàng Văn Nam",
                      "birth_date": "01/02/1995", "phone": "0987111222", "email": "" });
    session_of(&register(f, nam, "0987111222", "Nam#2026ls").await)
}

pub async fn submit(f: &Fixture, cookie: &str, key: &str, body: &Value) -> Res {
    let (uri, json) = ("/api/v1/dossiers", body.to_string().into_bytes());
    post_with(f, uri, cookie, ("idempotency-key", key), "application/json", json).await
}

/// A birth registration (1.001193) at Đồng Đăng with its two required documents.
pub async fn birth_registration(f: &Fixture, cookie: &str) -> Value {
    let a = upload(f, cookie, "to%20khai.jpg", JPEG).await;
    let b = upload(f, cookie, "giay%20chung%20sinh.jpg", JPEG).await;
    json!({
        "procedure": "1.001193",
        "unit": "000.05.37.H37",
        "applicant": {
            "full_name": "Nguyễn Thị Lan", "citizen_id": "020090123456", "birth_date": "09/05/1990",
            "phone": "0912345678", "email": "", "address": "Thôn Pò Mỏ, xã Đồng Đăng"
        },
        "request": "Đăng ký khai sinh cho con gái <b>Bé</b>",
        "copies": 2,
        "notes": "",
        "documents": [
            { "name": "Tờ khai đăng ký khai sinh", "files": [a.body["id"]] },
            { "name": "Giấy chứng sinh; nếu không có thì văn bản của người làm chứng hoặc giấy cam đoan về việc sinh",
              "files": [b.body["id"]] }
        ],
        "delivery": { "kind": "office", "unit": "000.05.37.H37" },
        "declaration": true
    })
}

/// The name of the birth registration's authorisation to file (required
/// of anyone but a close relative filing for someone).
pub const AUTHORISATION: &str = "Văn bản ủy quyền có chứng thực (khi nhờ người khác đăng ký thay)";

/// `body` filed for a resident as `relationship`, with their consent and,
/// where the relationship needs one, a photo of their authorisation.
pub async fn for_resident(f: &Fixture, cookie: &str, body: &mut Value, relationship: &str) {
    body["on_behalf"] = json!(true);
    body["relationship"] = json!(relationship);
    body["consent"] = json!(true);
    if contract::dossier::authorisation_needed(AUTHORISATION, relationship) {
        let a = upload(f, cookie, "uy%20quyen.jpg", JPEG).await;
        body["documents"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "name": AUTHORISATION, "files": [a.body["id"]] }));
    }
}

pub fn dossiers(f: &Fixture) -> i64 {
    f.state.db.with(|c| portal::store::dossiers::count(c).unwrap())
}

// ---- from security
pub const NOBODY: &str =
    "motcua_session=0000000000000000000000000000000000000000000000000000000000000000";

pub async fn ask(f: &Fixture, method: &str, uri: &str, body: Value, cookie: &str) -> Res {
    call(f, method, uri, body, Some(cookie), "10.0.0.20").await
}

// ---- from tracking
/// Lan's birth registration, submitted: (code, token, Lan's session).
pub async fn lan_dossier(f: &Fixture) -> (String, String, String) {
    let lan = register_lan(f).await;
    let body = birth_registration(f, &lan).await;
    let r = submit(f, &lan, "key-tracking-00000001", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    (r.body["code"].as_str().unwrap().into(), r.body["token"].as_str().unwrap().into(), lan)
}

pub fn officer(f: &Fixture, code: &str, to: u8, note: &str) {
    let now = f.state.now() as i64;
    f.state
        .db
        .with(|c| {
            let m = Move { to, note, amount: (to == 6).then_some(120_000), by_citizen: false };
            transition(c, code, m, now).unwrap()
        })
        .unwrap_or_else(|e| panic!("{code} to {to}: {e:?}"));
}

pub async fn get_as(f: &Fixture, uri: &str, cookie: Option<&str>) -> Res {
    call(f, "GET", uri, Value::Null, cookie, "10.0.0.7").await
}

pub async fn lookup(f: &Fixture, code: &str, id: &str) -> Res {
    call(f, "POST", "/api/v1/tracking", json!({ "code": code, "citizen_id": id }), None, "10.0.0.8")
        .await
}

/// Signs in by citizen ID or phone and password.
pub async fn sign_in(f: &Fixture, identifier: &str, password: &str) -> Res {
    let body = json!({ "identifier": identifier, "password": password });
    post(f, "/api/v1/session", body).await
}

/// Asks for a password reset code.
pub async fn reset(f: &Fixture, identifier: &str) -> Res {
    post(f, "/api/v1/accounts/reset", json!({ "identifier": identifier })).await
}

/// The challenge a registration or reset answer names.
pub fn challenge(r: &Res) -> String {
    r.body["challenge"].as_str().unwrap().to_string()
}

/// A request from the usual client address, with a session if given.
pub async fn send_as(
    f: &Fixture,
    method: &str,
    uri: &str,
    body: Value,
    cookie: Option<&str>,
) -> Res {
    call(f, method, uri, body, cookie, "10.0.0.1").await
}

/// A one-page PDF whose catalog carries `extra` (e.g. an `/OpenAction`),
/// with a correct cross-reference table.
pub fn one_page_pdf(extra: &str) -> Vec<u8> {
    let objects = [
        format!("<< /Type /Catalog /Pages 2 0 R {extra} >>"),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A stand-in binary (`exe`) started on a free port, as it announces it
/// ("… listening on <url>"); killed when dropped.
pub struct Spawned(std::process::Child);

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `exe` with `args` and `env`; the process and the URL it listens on.
pub fn spawn_standin(exe: &str, args: &[&str], env: &[(&str, &str)]) -> (Spawned, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(exe)
        .args(args)
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{exe}: {e}"));
    let out = std::io::BufReader::new(child.stdout.take().unwrap());
    let line = out.lines().map(Result::unwrap).find(|l| l.contains("listening on")).unwrap();
    let url = line.rsplit("listening on ").next().unwrap().to_string();
    (Spawned(child), url)
}
