//! A STAND-IN for the national portal's dossier-sync adapter, for tests and
//! `--dev`; not the real service, which cannot run here.
//!
//! Built from published sources only: the request and answer shapes that
//! OpenCPS's `DVCQGIntegrationActionImpl` (VietOpenCPS/opencps-v2,
//! `modules/backend-dossiermgt`) sends and reads — log in with `dstcode`
//! and `{username, password}` for a `session`; `DongBoHoSoMC` (dossier
//! records, `isUpdating`) and `CapNhatTienDoHoSoMC` (progress records),
//! `error_code` 0 for success — and the national status codes 1–10.
//!
//! It refuses what the real one would: a wrong `dstcode`, no or an unknown
//! session, an unknown service, a record missing a required field or with
//! one of the wrong type or form (codes, `yyyyMMddHHmmss` dates, status
//! 1–10), progress for a dossier it was never sent. It keeps state as the
//! real one does (dossiers by `MaHoSo`, their progress, each record once
//! however often it is retried), and can be told to fail, slow down or go
//! away: `POST /control {"fail_next": n, "status": 503, "delay_ms": n,
//! "down": bool, "expire_sessions": bool}`. `GET /records` shows its state.
//!
//! Usage: `national-standin [--port N] [--dstcode X] [--username U] [--password P]`;
//! prints `national stand-in listening on http://…` when ready.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

#[derive(Default)]
struct Control {
    fail_next: u32,
    status: u16,
    delay_ms: u64,
    down: bool,
}

#[derive(Default)]
struct Books {
    sessions: Vec<String>,
    /// Dossier records by `MaHoSo`, as last sent.
    dossiers: BTreeMap<String, Value>,
    /// Progress records, in the order acknowledged, each once.
    progress: Vec<Value>,
    /// Every request that reached the sync endpoint, acknowledged or not.
    deliveries: u64,
    refused: Vec<String>,
}

struct Standin {
    dstcode: String,
    username: String,
    password: String,
    control: Mutex<Control>,
    books: Mutex<Books>,
}

type St = Arc<Standin>;

fn refuse(code: &str, message: impl Into<String>) -> Response {
    Json(json!({ "error_code": code, "message": message.into() })).into_response()
}

/// Fail, slow down or be away, as told.
async fn as_told(st: &St) -> Option<Response> {
    let (delay, fail) = {
        let mut c = st.control.lock().unwrap();
        let fail = if c.down {
            Some(StatusCode::SERVICE_UNAVAILABLE)
        } else if c.fail_next > 0 {
            c.fail_next -= 1;
            Some(StatusCode::from_u16(c.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        } else {
            None
        };
        (c.delay_ms, fail)
    };
    if delay > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
    fail.map(|s| (s, "stand-in told to fail").into_response())
}

fn dstcode_ok(st: &St, h: &HeaderMap) -> bool {
    h.get("dstcode").and_then(|v| v.to_str().ok()) == Some(st.dstcode.as_str())
}

async fn login(State(st): State<St>, h: HeaderMap, body: String) -> Response {
    if let Some(r) = as_told(&st).await {
        return r;
    }
    if !dstcode_ok(&st, &h) {
        return refuse("401", "dstcode không hợp lệ");
    }
    let Ok(v) = serde_json::from_str::<Value>(&body) else {
        return refuse("400", "body is not JSON");
    };
    if v["username"] != st.username.as_str() || v["password"] != st.password.as_str() {
        return refuse("401", "Sai tên đăng nhập hoặc mật khẩu");
    }
    let session = format!("s-{:x}", rand_u64());
    st.books.lock().unwrap().sessions.push(session.clone());
    Json(json!({ "error_code": 0, "session": session })).into_response()
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos(),
    );
    h.finish()
}

/// A `yyyyMMddHHmmss` date (or empty, where `optional`).
fn stamp_ok(v: &Value, optional: bool) -> bool {
    match v.as_str() {
        Some("") => optional,
        Some(s) => s.len() == 14 && s.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

fn status_ok(v: &Value) -> bool {
    v.as_str().and_then(|s| s.parse::<u8>().ok()).is_some_and(|n| (1..=10).contains(&n))
}

/// The first thing wrong with a dossier record, named by its field.
fn check_dossier(r: &Value) -> Option<String> {
    for f in [
        "MaHoSo",
        "MaTTHC",
        "TenTTHC",
        "MaLinhVuc",
        "TenLinhVuc",
        "ChuHoSo",
        "LoaiDoiTuong",
        "MaDoiTuong",
        "SoDienThoai",
        "Email",
        "TrichYeuHoSo",
        "NgayTiepNhan",
        "NgayHenTra",
        "TrangThaiHoSo",
        "NgayTra",
        "HinhThuc",
        "DonViXuLy",
    ] {
        if !r.get(f).is_some_and(Value::is_string) {
            return Some(format!("{f}: thiếu hoặc không phải chuỗi / missing or not a string"));
        }
    }
    for f in ["TaiLieuNop", "DanhSachLePhi", "DanhSachGiayToKetQua"] {
        if !r.get(f).is_some_and(Value::is_array) {
            return Some(format!("{f}: thiếu hoặc không phải mảng / missing or not an array"));
        }
    }
    if r["MaHoSo"].as_str().is_some_and(str::is_empty) {
        return Some("MaHoSo: trống / empty".into());
    }
    if r["MaTTHC"].as_str().is_some_and(str::is_empty) {
        return Some("MaTTHC: trống / empty".into());
    }
    if !stamp_ok(&r["NgayTiepNhan"], false) {
        return Some("NgayTiepNhan: không đúng dạng yyyyMMddHHmmss".into());
    }
    if !stamp_ok(&r["NgayHenTra"], true) || !stamp_ok(&r["NgayTra"], true) {
        return Some("NgayHenTra/NgayTra: không đúng dạng yyyyMMddHHmmss".into());
    }
    if !status_ok(&r["TrangThaiHoSo"]) {
        return Some("TrangThaiHoSo: không thuộc 1–10".into());
    }
    if !matches!(r["LoaiDoiTuong"].as_str(), Some("1" | "2")) {
        return Some("LoaiDoiTuong: 1 (công dân) hoặc 2 (tổ chức)".into());
    }
    if !matches!(r["HinhThuc"].as_str(), Some("0" | "1")) {
        return Some("HinhThuc: 0 hoặc 1".into());
    }
    None
}

fn check_progress(r: &Value) -> Option<String> {
    for f in [
        "MaHoSo",
        "NguoiXuLy",
        "ChucDanh",
        "ThoiDiemXuLy",
        "PhongBanXuLy",
        "NoiDungXuLy",
        "TrangThai",
        "NgayBatDau",
        "NgayKetThucTheoQuyDinh",
    ] {
        if !r.get(f).is_some_and(Value::is_string) {
            return Some(format!("{f}: thiếu hoặc không phải chuỗi / missing or not a string"));
        }
    }
    if !stamp_ok(&r["ThoiDiemXuLy"], false) {
        return Some("ThoiDiemXuLy: không đúng dạng yyyyMMddHHmmss".into());
    }
    if !stamp_ok(&r["NgayBatDau"], true) || !stamp_ok(&r["NgayKetThucTheoQuyDinh"], true) {
        return Some("NgayBatDau/NgayKetThucTheoQuyDinh: không đúng dạng yyyyMMddHHmmss".into());
    }
    if !status_ok(&r["TrangThai"]) {
        return Some("TrangThai: không thuộc 1–10".into());
    }
    None
}

async fn sync(State(st): State<St>, h: HeaderMap, body: String) -> Response {
    if let Some(r) = as_told(&st).await {
        return r;
    }
    st.books.lock().unwrap().deliveries += 1;
    if !dstcode_ok(&st, &h) {
        return refuse("401", "dstcode không hợp lệ");
    }
    let Ok(v) = serde_json::from_str::<Value>(&body) else {
        return refuse("400", "body is not JSON");
    };
    let mut books = st.books.lock().unwrap();
    let session = v["session"].as_str().unwrap_or("");
    if !books.sessions.iter().any(|s| s == session) {
        return refuse("-1", "session không hợp lệ hoặc đã hết hạn");
    }
    if !v["madonvi"].is_string() {
        return refuse("400", "madonvi: thiếu");
    }
    let Some(data) = v["data"].as_array() else {
        return refuse("400", "data: thiếu hoặc không phải mảng");
    };
    let wrong = |books: &mut Books, why: String| {
        books.refused.push(why.clone());
        refuse("400", why)
    };
    match v["service"].as_str() {
        Some("DongBoHoSoMC") => {
            if !matches!(v["isUpdating"].as_str(), Some("True" | "False")) {
                return wrong(&mut books, "isUpdating: True hoặc False".into());
            }
            if let Some(why) = data.iter().find_map(check_dossier) {
                return wrong(&mut books, why);
            }
            for r in data {
                let code = r["MaHoSo"].as_str().unwrap_or("").to_string();
                books.dossiers.insert(code, r.clone());
            }
        }
        Some("CapNhatTienDoHoSoMC") => {
            if let Some(why) = data.iter().find_map(check_progress) {
                return wrong(&mut books, why);
            }
            for r in data {
                let code = r["MaHoSo"].as_str().unwrap_or("");
                if !books.dossiers.contains_key(code) {
                    return wrong(&mut books, format!("MaHoSo {code}: chưa được đồng bộ"));
                }
                // The same record again (a retry): kept once.
                let same = |p: &&Value| {
                    p["MaHoSo"] == r["MaHoSo"]
                        && p["TrangThai"] == r["TrangThai"]
                        && p["ThoiDiemXuLy"] == r["ThoiDiemXuLy"]
                };
                if !books.progress.iter().any(|p| same(&p)) {
                    books.progress.push(r.clone());
                    if let Some(d) = books.dossiers.get_mut(code) {
                        d["TrangThaiHoSo"] = r["TrangThai"].clone();
                    }
                }
            }
        }
        _ => return wrong(&mut books, "service: không được hỗ trợ".into()),
    }
    Json(json!({ "error_code": "00", "message": "Thành công" })).into_response()
}

async fn control(State(st): State<St>, Json(v): Json<Value>) -> StatusCode {
    let mut c = st.control.lock().unwrap();
    if let Some(n) = v["fail_next"].as_u64() {
        c.fail_next = n as u32;
    }
    c.status = v["status"].as_u64().map_or(503, |s| s as u16);
    if let Some(d) = v["delay_ms"].as_u64() {
        c.delay_ms = d;
    }
    if let Some(d) = v["down"].as_bool() {
        c.down = d;
    }
    if v["expire_sessions"] == true {
        st.books.lock().unwrap().sessions.clear();
    }
    StatusCode::NO_CONTENT
}

async fn records(State(st): State<St>) -> Json<Value> {
    let b = st.books.lock().unwrap();
    Json(json!({
        "dossiers": b.dossiers,
        "progress": b.progress,
        "deliveries": b.deliveries,
        "refused": b.refused,
    }))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut port, mut dstcode, mut username, mut password) =
        (0u16, "000.00.00.H37".to_string(), "motcua".to_string(), "stand-in".to_string());
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| anyhow::anyhow!("{a} needs a value"));
        match a.as_str() {
            "--port" => port = value()?.parse()?,
            "--dstcode" => dstcode = value()?,
            "--username" => username = value()?,
            "--password" => password = value()?,
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    let st = Arc::new(Standin {
        dstcode,
        username,
        password,
        control: Mutex::default(),
        books: Mutex::default(),
    });
    let app = Router::new()
        .route("/auth", post(login))
        .route("/integration", post(sync))
        .route("/control", post(control))
        .route("/records", get(records))
        .with_state(st);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("national stand-in listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
