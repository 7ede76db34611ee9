//! A STAND-IN for the national payment platform (Nền tảng thanh toán of the
//! national public service portal), for tests and `--dev`; not the real
//! service, which cannot run here.
//!
//! Built from published sources only: the INIT / CONFIRM / QUERY messages
//! and their fields as provincial and open-source integrations publish them
//! (the issue's list; OpenCPS's `pay-gate-integration`, `KeypayDVCQGTerm`,
//! for the receipt block), signed as `portal::payment` signs them (see
//! docs/decisions.md, "Paying online", for what the sources leave open).
//!
//! It refuses what the real one would: a MAC that is not the partner's, an
//! unknown partner, a currency other than VND, an amount that is not a
//! positive whole number of đồng, a time that is not `yyyyMMddHHmmss` on a
//! 24-hour clock, a reference used before, a return address that is not a
//! web address. Its payment page (`/pay/<id>`) lets the payer choose a bank
//! and pay (the first submit button) or cancel; then it calls the portal's
//! confirm endpoint, signed, and sends the browser back. It can be told to
//! misbehave: `POST /control {"delay_ms": n, "drop": bool, "duplicate":
//! bool, "forge": bool, "down": bool}` (callbacks late, never, twice, with a
//! wrong MAC; every call 503). `GET /state` shows its transactions.
//!
//! Usage: `payment-standin [--port N] [--partner CODE] [--confirm-url URL]`,
//! the secret from PAYMENT_STANDIN_SECRET (default: the dev secret); prints
//! `payment stand-in listening on http://…` when ready.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use portal::payment::{self, Confirm, Init, InitAnswer, Query};
use serde_json::{json, Value};

#[derive(Default, serde::Deserialize)]
struct Control {
    #[serde(default)]
    delay_ms: u64,
    #[serde(default)]
    drop: bool,
    #[serde(default)]
    duplicate: bool,
    #[serde(default)]
    forge: bool,
    #[serde(default)]
    down: bool,
}

#[derive(Clone, serde::Serialize)]
struct Txn {
    id: String,
    reference: String,
    amount: u64,
    back: String,
    /// open, paid, cancelled
    state: String,
    transaction: String,
    bank: String,
    callbacks: u32,
    description: String,
}

struct Standin {
    partner: String,
    secret: String,
    confirm_url: Mutex<String>,
    base: Mutex<String>,
    control: Mutex<Control>,
    txns: Mutex<BTreeMap<String, Txn>>,
    http: reqwest::Client,
}

type St = Arc<Standin>;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn random_hex() -> String {
    portal::secrets::random_hex::<8>()
}

fn answer_init(st: &St, code: &str, what: &str, reference: &str, url: &str) -> Response {
    let mut a = InitAnswer {
        ma_loi: code.into(),
        mo_ta_loi: what.into(),
        ma_tham_chieu: reference.into(),
        url_thanh_toan: url.into(),
        ma_xac_thuc: String::new(),
    };
    a.ma_xac_thuc = payment::mac(&st.secret, &a.signed());
    Json(a).into_response()
}

fn down(st: &St) -> Option<Response> {
    st.control
        .lock()
        .unwrap()
        .down
        .then(|| (StatusCode::SERVICE_UNAVAILABLE, "stand-in told to be away").into_response())
}

async fn init(State(st): State<St>, body: String) -> Response {
    if let Some(r) = down(&st) {
        return r;
    }
    let Ok(m) = serde_json::from_str::<Init>(&body) else {
        return answer_init(&st, "10", "Bản tin không đúng cấu trúc", "", "");
    };
    if !payment::mac_ok(&st.secret, &m.signed(), &m.ma_xac_thuc) {
        return answer_init(&st, "11", "Sai mã xác thực", &m.ma_tham_chieu, "");
    }
    if m.ma_doi_tac != st.partner || m.loai_ban_tin != "INIT" {
        return answer_init(&st, "12", "Đối tác không hợp lệ", &m.ma_tham_chieu, "");
    }
    let amount = m
        .so_tien
        .parse::<u64>()
        .ok()
        .filter(|a| *a > 0 && m.so_tien.bytes().all(|b| b.is_ascii_digit()));
    let Some(amount) = amount else {
        return answer_init(&st, "13", "Số tiền không hợp lệ", &m.ma_tham_chieu, "");
    };
    if m.ma_tien_te != payment::CURRENCY {
        return answer_init(&st, "14", "Loại tiền không hợp lệ", &m.ma_tham_chieu, "");
    }
    if payment::parse_gd_time(&m.thoi_gian_gd).is_none_or(|t| (now() - t).abs() > 3600) {
        return answer_init(&st, "15", "Thời gian giao dịch không hợp lệ", &m.ma_tham_chieu, "");
    }
    if m.ma_tham_chieu.is_empty()
        || m.ma_tham_chieu.len() > 100
        || !m.url_tra_ve.starts_with("http")
    {
        return answer_init(
            &st,
            "16",
            "Thiếu mã tham chiếu hoặc địa chỉ trả về",
            &m.ma_tham_chieu,
            "",
        );
    }
    let mut txns = st.txns.lock().unwrap();
    if txns.values().any(|t| t.reference == m.ma_tham_chieu) {
        drop(txns);
        return answer_init(&st, "17", "Mã tham chiếu đã được dùng", &m.ma_tham_chieu, "");
    }
    let id = random_hex();
    txns.insert(
        id.clone(),
        Txn {
            id: id.clone(),
            reference: m.ma_tham_chieu.clone(),
            amount,
            back: m.url_tra_ve.clone(),
            state: "open".into(),
            transaction: String::new(),
            bank: String::new(),
            callbacks: 0,
            description: m
                .thong_tin_bien_lai
                .phi_le_phi
                .first()
                .map(|p| p.ten.clone())
                .unwrap_or_default(),
        },
    );
    drop(txns);
    let url = format!("{}/pay/{id}", st.base.lock().unwrap());
    answer_init(&st, payment::OK, "Thành công", &m.ma_tham_chieu, &url)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

async fn page(State(st): State<St>, Path(id): Path<String>) -> Response {
    let Some(t) = st.txns.lock().unwrap().get(&id).cloned() else {
        return (StatusCode::NOT_FOUND, "Không có giao dịch này").into_response();
    };
    if t.state != "open" {
        return Html(format!("<!doctype html><html lang=vi><title>Đã xử lý</title><p>Giao dịch đã xử lý ({}). <a href=\"{}\">Quay lại cổng dịch vụ công</a></p></html>", t.state, escape(&t.back))).into_response();
    }
    let amount = contract::text::grouped(t.amount, '.');
    Html(format!(
        r#"<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Thanh toán — Nền tảng thanh toán (bản giả lập)</title></head>
<body style="font-family:sans-serif;max-width:30rem;margin:1rem auto;padding:0 1rem">
<h1>Nền tảng thanh toán (bản giả lập để thử nghiệm)</h1>
<p>{desc}</p>
<p>Mã tham chiếu: <code>{reference}</code></p>
<p>Số tiền: <strong id="amount">{amount} đồng</strong></p>
<form method="post" action="/pay/{id}">
<fieldset><legend>Chọn ngân hàng hoặc ví</legend>
<label><input type="radio" name="bank" value="VCB" checked> Vietcombank</label><br>
<label><input type="radio" name="bank" value="BIDV"> BIDV</label><br>
<label><input type="radio" name="bank" value="AGRIBANK"> Agribank</label><br>
<label><input type="radio" name="bank" value="MOMO"> Ví MoMo</label>
</fieldset>
<p><button type="submit" name="action" value="pay" id="pay">Thanh toán</button>
<button type="submit" name="action" value="cancel" id="cancel">Hủy giao dịch</button></p>
</form></body></html>"#,
        desc = escape(&t.description),
        reference = escape(&t.reference),
    ))
    .into_response()
}

#[derive(serde::Deserialize)]
struct Choice {
    #[serde(default)]
    action: String,
    #[serde(default)]
    bank: String,
}

/// The CONFIRM for `t`, signed (or not, when told to forge).
fn confirm_of(st: &St, t: &Txn, forge: bool) -> Confirm {
    let code = match t.state.as_str() {
        "paid" => payment::OK,
        "cancelled" => payment::CANCELLED,
        "open" => payment::OPEN,
        _ => payment::REFUSED,
    };
    let mut c = Confirm {
        ma_loi: code.into(),
        ma_doi_tac: st.partner.clone(),
        ma_tham_chieu: t.reference.clone(),
        so_tien: t.amount.to_string(),
        ma_tien_te: payment::CURRENCY.into(),
        ma_giao_dich: t.transaction.clone(),
        ma_ngan_hang: t.bank.clone(),
        thoi_gian_gd: payment::gd_time(now()),
        thong_tin_giao_dich: String::new(),
        ma_xac_thuc: String::new(),
    };
    c.ma_xac_thuc = if forge {
        payment::mac("not-the-partners-secret", &c.signed())
    } else {
        payment::mac(&st.secret, &c.signed())
    };
    c
}

async fn pay(State(st): State<St>, Path(id): Path<String>, Form(choice): Form<Choice>) -> Response {
    if let Some(r) = down(&st) {
        return r;
    }
    let t = {
        let mut txns = st.txns.lock().unwrap();
        let Some(t) = txns.get_mut(&id) else {
            return (StatusCode::NOT_FOUND, "Không có giao dịch này").into_response();
        };
        if t.state == "open" {
            if choice.action == "cancel" {
                t.state = "cancelled".into();
            } else {
                t.state = "paid".into();
                t.transaction = format!("GD{}", random_hex().to_uppercase());
                t.bank = if choice.bank.is_empty() {
                    "VCB".into()
                } else {
                    choice.bank.chars().take(16).collect()
                };
            }
        }
        t.clone()
    };
    let (delay, drop_it, twice, forge) = {
        let c = st.control.lock().unwrap();
        (c.delay_ms, c.drop, c.duplicate, c.forge)
    };
    let back = t.back.clone();
    if !drop_it {
        let st2 = st.clone();
        tokio::spawn(async move {
            if delay > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
            }
            let url = st2.confirm_url.lock().unwrap().clone();
            for _ in 0..(if twice { 2 } else { 1 }) {
                let body = serde_json::to_vec(&confirm_of(&st2, &t, forge)).unwrap_or_default();
                // As the platform does: a callback not taken is sent again
                // (three times, a second apart).
                for attempt in 0..3 {
                    let sent = st2
                        .http
                        .post(&url)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await;
                    if let Some(x) = st2.txns.lock().unwrap().get_mut(&t.id) {
                        x.callbacks += 1;
                    }
                    match sent {
                        Ok(r) if r.status().is_success() => break,
                        Ok(r) => eprintln!(
                            "payment stand-in: callback answered {} (try {attempt})",
                            r.status()
                        ),
                        Err(e) => {
                            eprintln!("payment stand-in: callback failed: {e} (try {attempt})")
                        }
                    }
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        });
    }
    (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response()
}

async fn query(State(st): State<St>, Json(q): Json<Query>) -> Response {
    if let Some(r) = down(&st) {
        return r;
    }
    if !payment::mac_ok(&st.secret, &q.signed(), &q.ma_xac_thuc) || q.ma_doi_tac != st.partner {
        return Json(json!({ "MaLoi": "11", "MoTaLoi": "Sai mã xác thực" })).into_response();
    }
    let found = st.txns.lock().unwrap().values().find(|t| t.reference == q.ma_tham_chieu).cloned();
    match found {
        Some(t) => Json(confirm_of(&st, &t, false)).into_response(),
        None => {
            let unknown = Txn {
                id: String::new(),
                reference: q.ma_tham_chieu.clone(),
                amount: 0,
                back: String::new(),
                state: "unknown".into(),
                transaction: String::new(),
                bank: String::new(),
                callbacks: 0,
                description: String::new(),
            };
            let mut c = confirm_of(&st, &unknown, false);
            c.ma_loi = payment::UNKNOWN.into();
            c.ma_xac_thuc = payment::mac(&st.secret, &c.signed());
            Json(c).into_response()
        }
    }
}

async fn control(State(st): State<St>, Json(c): Json<Control>) -> Response {
    *st.control.lock().unwrap() = c;
    StatusCode::NO_CONTENT.into_response()
}

async fn state(State(st): State<St>) -> Json<Value> {
    let txns: Vec<Txn> = st.txns.lock().unwrap().values().cloned().collect();
    Json(json!({ "transactions": txns }))
}

#[derive(serde::Deserialize)]
struct Setup {
    confirm_url: String,
}

/// Where callbacks go (a test's own portal tells it).
async fn setup(State(st): State<St>, Json(s): Json<Setup>) -> StatusCode {
    *st.confirm_url.lock().unwrap() = s.confirm_url;
    StatusCode::NO_CONTENT
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut port, mut partner, mut confirm_url) = (
        0u16,
        "MOTCUA-H37".to_string(),
        "http://127.0.0.1:8080/api/v1/payments/confirm".to_string(),
    );
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| anyhow::anyhow!("{a} needs a value"));
        match a.as_str() {
            "--port" => port = value()?.parse()?,
            "--partner" => partner = value()?,
            "--confirm-url" => confirm_url = value()?,
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    let secret = std::env::var("PAYMENT_STANDIN_SECRET").unwrap_or_else(|_| DEV_SECRET.to_string());
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let base = format!("http://{}", listener.local_addr()?);
    let st = Arc::new(Standin {
        partner,
        secret,
        confirm_url: Mutex::new(confirm_url),
        base: Mutex::new(base.clone()),
        control: Mutex::default(),
        txns: Mutex::default(),
        http: reqwest::Client::new(),
    });
    let app = Router::new()
        .route("/init", post(init))
        .route("/query", post(query))
        .route("/pay/{id}", get(page).post(pay))
        .route("/control", post(control))
        .route("/setup", post(setup))
        .route("/state", get(state))
        .with_state(st);
    println!("payment stand-in listening on {base}");
    axum::serve(listener, app).await?;
    Ok(())
}

/// The secret `cargo xtask run` and the tests share with the portal.
const DEV_SECRET: &str = "motcua-dev-payment-secret";
