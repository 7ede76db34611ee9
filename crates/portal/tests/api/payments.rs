//! Paying a fee online through the payment platform's stand-in (a real
//! process; its callbacks are sent here by the test, signed or not, since
//! this portal is in-process): started once, confirmed once, refused when
//! it cannot prove itself, settled by the reconciliation when the callback
//! never came.

use crate::support::*;
use axum::http::StatusCode;
use portal::payment::{self, Confirm};
use serde_json::{json, Value};

const SECRET: &str = "motcua-dev-payment-secret";
const PARTNER: &str = "MOTCUA-H37";
const OFFICER: &str = "can-bo-mot-cua-2026";

/// The officers' list of a dossier's payments (`GET …/payments`).
async fn officers_list(f: &Fixture, code: &str, token: &str) -> Res {
    use axum::body::Body;
    use axum::http::{header, Request};
    let req = Request::get(format!("/api/v1/officer/dossiers/{code}/payments"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    send(f, req).await
}

/// The stand-in and the URL it listens on.
struct Standin(#[allow(dead_code)] Spawned, String);

fn standin() -> Standin {
    let (p, url) = spawn_standin(
        env!("CARGO_BIN_EXE_payment-standin"),
        &["--partner", PARTNER],
        &[("PAYMENT_STANDIN_SECRET", SECRET)],
    );
    Standin(p, url)
}

async fn to_standin(s: &Standin, method: &str, path: &str, body: Option<Value>) -> Value {
    let c = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let url = format!("{}{path}", s.1);
    let r = match (method, body) {
        ("GET", _) => c.get(url).send().await.unwrap(),
        (_, Some(b)) => c
            .post(url)
            .header("content-type", "application/json")
            .body(b.to_string())
            .send()
            .await
            .unwrap(),
        (_, None) => c
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("action=pay&bank=BIDV")
            .send()
            .await
            .unwrap(),
    };
    serde_json::from_str(&r.text().await.unwrap_or_default()).unwrap_or(Value::Null)
}

/// A fixture whose portal takes payments through `s`, and Lan's dossier at
/// status 6 (120,000 đồng asked): (fixture, code, token, Lan's session).
async fn at_six(s: &Standin) -> (Fixture, String, String, String) {
    let platform = std::sync::Arc::new(payment::Platform::new(&s.1, PARTNER, SECRET).unwrap());
    let f = fixture_with(true, |st| {
        st.payment = Some(platform);
        st.officer_token = Some(OFFICER.into());
    });
    // Callbacks are sent by the test itself (this portal has no port).
    to_standin(s, "POST", "/control", Some(json!({ "drop": true }))).await;
    let (code, token, lan) = lan_dossier(&f).await;
    officer(&f, &code, 2, "");
    officer(&f, &code, 4, "");
    officer(&f, &code, 6, "Lệ phí đăng ký");
    (f, code, token, lan)
}

async fn start(f: &Fixture, code: &str, cookie: Option<&str>, body: Value) -> Res {
    let uri = format!("/api/v1/dossiers/{code}/payment");
    match cookie {
        Some(c) => ask(f, "POST", &uri, body, c).await,
        None => post(f, &uri, body).await,
    }
}

/// The CONFIRM the platform would send for `reference`, changed by `edit`, then signed with `secret`.
fn confirm(reference: &str, edit: impl FnOnce(&mut Confirm), secret: &str) -> Value {
    let mut c = Confirm {
        ma_loi: payment::OK.into(),
        ma_doi_tac: PARTNER.into(),
        ma_tham_chieu: reference.into(),
        so_tien: "120000".into(),
        ma_tien_te: "VND".into(),
        ma_giao_dich: "GD0000000001".into(),
        ma_ngan_hang: "VCB".into(),
        thoi_gian_gd: payment::gd_time(now()),
        thong_tin_giao_dich: String::new(),
        ma_xac_thuc: String::new(),
    };
    edit(&mut c);
    c.ma_xac_thuc = payment::mac(secret, &c.signed());
    serde_json::to_value(c).unwrap()
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

async fn callback(f: &Fixture, body: Value) -> String {
    use axum::body::Body;
    use axum::http::{header, Request};
    // The platform sends no app header and no cookie.
    let mut req = Request::builder()
        .method("POST")
        .uri("/api/v1/payments/confirm")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let addr: std::net::SocketAddr = "10.0.0.99:40000".parse().unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(addr));
    let r = send(f, req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["MaLoi"].as_str().unwrap_or_default().to_string()
}

async fn standing(f: &Fixture, code: &str, cookie: &str) -> Value {
    get_as(f, &format!("/api/v1/tracking/{code}"), Some(cookie)).await.body
}

#[tokio::test]
async fn a_payment_is_charged_once_and_confirmed_once_by_a_signed_callback() {
    let s = standin();
    let (f, code, _, lan) = at_six(&s).await;
    let r = start(&f, &code, Some(&lan), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["amount"], 120_000);
    let reference = r.body["reference"].as_str().unwrap().to_string();
    let url = r.body["pay_url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&s.1), "{url}");
    // A second press while it is pending: the same payment, no second charge.
    let again = start(&f, &code, Some(&lan), json!({})).await;
    assert_eq!(again.body["reference"], reference.as_str());
    let state = to_standin(&s, "GET", "/state", None).await;
    assert_eq!(state["transactions"].as_array().unwrap().len(), 1, "{state}");
    assert_eq!(standing(&f, &code, &lan).await["payment"]["state"], "pending");

    // What cannot prove itself is refused, and changes nothing.
    let forged = confirm(&reference, |_| {}, "not-the-partners-secret-16");
    assert_ne!(callback(&f, forged).await, "00");
    let wrong_amount = confirm(&reference, |c| c.so_tien = "1000".into(), SECRET);
    assert_ne!(callback(&f, wrong_amount).await, "00");
    let unknown = confirm("000.05.37.H37-261207-9999-x", |_| {}, SECRET);
    assert_ne!(callback(&f, unknown).await, "00");
    let other_partner = confirm(&reference, |c| c.ma_doi_tac = "KHAC".into(), SECRET);
    assert_ne!(callback(&f, other_partner).await, "00");
    let late =
        confirm(&reference, |c| c.thoi_gian_gd = payment::gd_time(now() - 3 * 86_400), SECRET);
    assert_ne!(callback(&f, late).await, "00");
    let twelve_hour = confirm(&reference, |c| c.thoi_gian_gd.replace_range(8..10, "25"), SECRET);
    assert_ne!(callback(&f, twelve_hour).await, "00");
    let t = standing(&f, &code, &lan).await;
    assert_eq!(
        (t["payment"]["state"].as_str(), t["status"].as_u64()),
        (Some("pending"), Some(6)),
        "{t}"
    );

    // The real one, twice (a duplicated callback): one payment, one move.
    let good = confirm(&reference, |_| {}, SECRET);
    assert_eq!(callback(&f, good.clone()).await, "00");
    assert_eq!(callback(&f, good).await, "00");
    let t = standing(&f, &code, &lan).await;
    assert_eq!(t["payment"]["state"], "paid", "{t}");
    assert_eq!(t["payment"]["transaction"], "GD0000000001");
    assert_eq!(t["status"], 4, "6 → 4 once paid: {t}");
    let moves = t["history"].as_array().unwrap().iter().filter(|h| h["status"] == 4).count();
    assert_eq!(moves, 2, "one move for the payment (and the earlier one): {t}");
    assert!(t["history"].to_string().contains("mã giao dịch GD0000000001"), "{t}");
    // The e-receipt: the first of the year's series, the amount in words;
    // the owner sees her name, whoever holds only the link her initials.
    let r = &t["payment"]["receipt"];
    let year = contract::time::vn_date(now() as u64).year % 100;
    assert_eq!(
        (r["series"].as_str(), r["number"].as_str()),
        (Some(&*format!("MC{year:02}")), Some("0000001")),
        "{t}"
    );
    assert_eq!(r["in_words"], "Một trăm hai mươi nghìn đồng");
    assert_eq!(r["payer"], "Nguyễn Thị Lan");
    let token = t["token"].as_str().unwrap();
    let public = get_as(&f, &format!("/api/v1/tracking/{code}?token={token}"), None).await.body;
    assert_eq!(public["payment"]["receipt"]["payer"], "N. T. L.", "{public}");
    assert_eq!(public["payment"]["receipt"]["number"], "0000001");
    // Officers see it in the API (not without their token).
    assert_eq!(officers_list(&f, &code, "sai").await.status, StatusCode::UNAUTHORIZED);
    let list = officers_list(&f, &code, OFFICER).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let paid = &list.body[0];
    assert_eq!(
        (paid["state"].as_str(), paid["transaction"].as_str()),
        (Some("paid"), Some("GD0000000001")),
        "{paid}"
    );
    assert_eq!(paid["receipt"], format!("MC{year:02} 0000001"));
    assert_eq!(paid["reported_at"], "", "this portal keeps the dossier itself");
    // …and on the command line, on the same database.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("--data-dir")
        .arg(f.state.files_dir.parent().unwrap().join("db"))
        .args(["officer", "payments", &code])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        text.contains("paid 120.000 đ")
            && text.contains("transaction GD0000000001 (VCB)")
            && text.contains(&format!("e-receipt MC{year:02} 0000001")),
        "{text}"
    );
    // Paid: nothing more to pay.
    assert_eq!(start(&f, &code, Some(&lan), json!({})).await.status, StatusCode::CONFLICT);
    // Counted beside the dossiers filed online.
    let stats = get_as(&f, "/api/v1/stats", None).await;
    assert_eq!(stats.body["totals"]["paid_online"], 1, "{}", stats.body);
}

#[tokio::test]
async fn a_payment_whose_callback_never_came_is_settled_by_the_reconciliation() {
    let s = standin();
    let (f, code, _, lan) = at_six(&s).await;
    let r = start(&f, &code, Some(&lan), json!({})).await;
    let url = r.body["pay_url"].as_str().unwrap().to_string();
    // Paid on the platform's page; the callback is dropped.
    let path = url.trim_start_matches(&s.1).to_string();
    to_standin(&s, "POST", &path, None).await;
    assert_eq!(standing(&f, &code, &lan).await["payment"]["state"], "pending");
    let platform = f.state.payment.clone().unwrap();
    let later = now() + 300;
    assert_eq!(payment::reconcile_once(&f.state, &platform, later, later - 60).await, 1);
    let t = standing(&f, &code, &lan).await;
    assert_eq!(t["payment"]["state"], "paid", "{t}");
    assert_eq!(t["payment"]["bank"], "BIDV");
    assert_eq!(t["status"], 4);
    // Asked once a round: nothing left to ask.
    assert_eq!(payment::reconcile_once(&f.state, &platform, later + 60, later).await, 0);
}

#[tokio::test]
async fn a_cancelled_payment_can_be_tried_again() {
    let s = standin();
    let (f, code, _, lan) = at_six(&s).await;
    let first = start(&f, &code, Some(&lan), json!({})).await.body["reference"]
        .as_str()
        .unwrap()
        .to_string();
    let cancelled = confirm(
        &first,
        |c| {
            c.ma_loi = payment::CANCELLED.into();
            c.ma_giao_dich = String::new();
        },
        SECRET,
    );
    assert_eq!(callback(&f, cancelled).await, "00");
    let t = standing(&f, &code, &lan).await;
    assert_eq!(t["payment"]["state"], "failed");
    assert!(t["payment"]["reason"].as_str().unwrap().contains("hủy"), "{t}");
    // Tried again: a new payment.
    let second = start(&f, &code, Some(&lan), json!({})).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    assert_ne!(second.body["reference"], first.as_str());
}

#[tokio::test]
async fn the_qr_holder_pays_with_the_id_number_and_nobody_else_can() {
    let s = standin();
    let (f, code, token, _) = at_six(&s).await;
    let none =
        start(&f, &code, None, json!({ "token": token, "citizen_id": "020090999999" })).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    let no_token =
        start(&f, &code, None, json!({ "token": "x", "citizen_id": "020090123456" })).await;
    assert_eq!(no_token.status, StatusCode::NOT_FOUND);
    let stranger = register_nam(&f).await;
    assert_eq!(start(&f, &code, Some(&stranger), json!({})).await.status, StatusCode::NOT_FOUND);
    let ok = start(&f, &code, None, json!({ "token": token, "citizen_id": "020090123456" })).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
}

#[tokio::test]
async fn without_a_platform_the_fee_is_paid_at_the_desk() {
    let f = fixture(true);
    let (code, _, lan) = lan_dossier(&f).await;
    let r = start(&f, &code, Some(&lan), json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body["error"]["code"], "payment_off");
}

#[test]
fn the_platform_is_refused_when_set_up_wrong() {
    assert!(payment::Platform::new("http://pay.example.vn", PARTNER, SECRET).is_err(), "not https");
    assert!(payment::Platform::new("https://pay.example.vn", "", SECRET).is_err(), "no partner");
    assert!(
        payment::Platform::new("https://pay.example.vn", PARTNER, "short").is_err(),
        "weak secret"
    );
    assert!(payment::Platform::new("https://pay.example.vn", PARTNER, SECRET).is_ok());
}

/// The conformance run a province points at its sandbox passes against the
/// stand-in, and fails when the secret is not the platform's.
#[test]
fn the_payment_check_passes_and_fails_on_a_wrong_secret() {
    let s = standin();
    let run = |secret: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
            .args(["--data-dir", tempfile::tempdir().unwrap().path().to_str().unwrap()])
            .args(["payment-check", "--url", &s.1, "--partner", PARTNER])
            .env("PORTAL_PAYMENT_SECRET", secret)
            .output()
            .unwrap()
    };
    let good = run(SECRET);
    let table = String::from_utf8_lossy(&good.stdout).to_string();
    assert!(good.status.success(), "{table}{}", String::from_utf8_lossy(&good.stderr));
    assert!(table.contains("5 of 5 steps passed"), "{table}");
    let bad = run("a-secret-that-is-not-theirs");
    let table = String::from_utf8_lossy(&bad.stdout).to_string();
    assert!(!bad.status.success(), "{table}");
    assert!(table.contains("FAIL INIT opens a payment"), "{table}");
}

/// While the platform is away each press is refused at once with nothing
/// charged; after six tries in 15 minutes the dossier waits, told how long,
/// and the platform is not asked again meanwhile.
#[tokio::test]
async fn pressing_pay_while_the_platform_is_away_is_bounded() {
    let s = standin();
    let (f, code, _, lan) = at_six(&s).await;
    to_standin(&s, "POST", "/control", Some(json!({ "down": true }))).await;
    for i in 0..6 {
        let r = start(&f, &code, Some(&lan), json!({})).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "press {i}: {}", r.body);
        assert!(r.body["error"]["message"].as_str().unwrap().contains("chưa có khoản nào bị trừ"));
    }
    let r = start(&f, &code, Some(&lan), json!({})).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    let message = r.body["error"]["message"].as_str().unwrap();
    assert!(message.contains("15 phút") && message.contains("Bộ phận Một cửa"), "{message}");
    let list = officers_list(&f, &code, OFFICER).await.body;
    assert_eq!(list.as_array().unwrap().len(), 6, "no row for the refused press: {list}");
    assert!(list.as_array().unwrap().iter().all(|p| p["state"] == "failed"));
}

/// Where the catalog says the fee is paid on filing (two copies of a civil
/// status extract, 8,000 đồng each), the receipt says what to pay now and
/// the fee is paid at once, without moving the dossier; the birth
/// registration (free) has nothing to pay; an officer asking more at 6
/// later is a new payment.
#[tokio::test]
async fn a_fee_paid_on_filing_is_paid_right_after_submitting() {
    let s = standin();
    let (f, _, _, lan) = at_six(&s).await;
    let a = upload(&f, &lan, "to%20khai.jpg", JPEG).await;
    let body = json!({
        "procedure": "2.000635", "unit": "000.05.37.H37",
        "applicant": {
            "full_name": "Nguyễn Thị Lan", "citizen_id": "020090123456", "birth_date": "09/05/1990",
            "phone": "0912345678", "email": "", "address": "Thôn Pò Mỏ, xã Đồng Đăng"
        },
        "request": "Hai bản sao giấy khai sinh cho con", "copies": 2, "notes": "",
        "documents": [{ "name": "Tờ khai cấp bản sao trích lục hộ tịch", "files": [a.body["id"]] }],
        "delivery": { "kind": "online" }, "declaration": true
    });
    let r = submit(&f, &lan, "key-fee-on-filing-0001", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["fee_on_filing"], 16_000, "{}", r.body);
    let code = r.body["code"].as_str().unwrap().to_string();
    let t = standing(&f, &code, &lan).await;
    assert_eq!((t["status"].as_u64(), t["fee_due"].as_u64()), (Some(1), Some(16_000)), "{t}");
    let started = start(&f, &code, Some(&lan), json!({})).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    assert_eq!(started.body["amount"], 16_000);
    let reference = started.body["reference"].as_str().unwrap().to_string();
    let paid = confirm(
        &reference,
        |c| {
            c.so_tien = "16000".into();
            c.ma_giao_dich = "GD-FILING-1".into()
        },
        SECRET,
    );
    assert_eq!(callback(&f, paid).await, "00");
    let t = standing(&f, &code, &lan).await;
    assert_eq!(t["payment"]["state"], "paid", "{t}");
    assert_eq!(
        (t["status"].as_u64(), t["fee_due"].as_u64()),
        (Some(1), None),
        "paid, not moved: {t}"
    );
    assert_eq!(start(&f, &code, Some(&lan), json!({})).await.status, StatusCode::CONFLICT);
    // More asked at 6 later: due again, a new payment.
    officer(&f, &code, 2, "");
    officer(&f, &code, 4, "");
    officer(&f, &code, 6, "Phí gửi kết quả qua bưu điện");
    let t = standing(&f, &code, &lan).await;
    assert_eq!(t["fee_due"], 120_000, "{t}");
    assert!(t["payment"].is_null(), "the paid one was another fee: {t}");
    let again = start(&f, &code, Some(&lan), json!({})).await;
    assert_eq!(
        (again.status, again.body["amount"].as_u64()),
        (StatusCode::OK, Some(120_000)),
        "{}",
        again.body
    );
    // A free procedure: nothing due on filing.
    let free = birth_registration(&f, &lan).await;
    let r = submit(&f, &lan, "key-fee-on-filing-0002", &free).await;
    assert!(r.body["fee_on_filing"].is_null(), "{}", r.body);
    let code = r.body["code"].as_str().unwrap().to_string();
    assert_eq!(start(&f, &code, Some(&lan), json!({})).await.status, StatusCode::CONFLICT);
}
