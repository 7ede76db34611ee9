//! The national dossier sync, for when this portal is the system of record
//! (the `local` store): every dossier and every change of its status is
//! sent to the national portal's integration adapter, in the shapes
//! published in OpenCPS's `DVCQGIntegrationActionImpl` (opencps-v2,
//! `modules/backend-dossiermgt`):
//!
//! - log in: `POST <adapter><auth path>` with the header `dstcode` and
//!   `{"username", "password"}` → `{"error_code": 0, "session": "…"}`;
//! - `POST <adapter><integration path>` with `dstcode`, and
//!   `{"session", "madonvi", "service": "DongBoHoSoMC", "isUpdating": "False"|"True",
//!   "data": [dossier record]}` or `{"service": "CapNhatTienDoHoSoMC", "data":
//!   [progress record]}` → `{"error_code": 0 | "00", …}`.
//!
//! Records are written to the `national_sync` outbox in the same
//! transaction as the dossier or its change, so none is lost; a worker
//! sends them one at a time, in order per dossier, retried with backoff
//! until the adapter acknowledges each, across restarts. Dates are
//! `yyyyMMddHHmmss`, Vietnam time.
//!
//! Where sources disagree, the choice made: `LoaiDoiTuong` is "1" for a
//! citizen and "2" for an organisation (OpenCPS's `applicantIdType`
//! "business" → 2); our applicants are citizens. `HinhThuc` is "0" (result
//! at the desk) or "1" (by post), as OpenCPS derives it from `viaPostal`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use contract::dossier::Receipt;
use serde_json::{json, Value};

use crate::db::Db;

pub const DOSSIER: &str = "DongBoHoSoMC";
pub const PROGRESS: &str = "CapNhatTienDoHoSoMC";

/// `yyyyMMddHHmmss` of a unix time, in Vietnam (UTC+7).
pub fn stamp(unix: i64) -> String {
    let t = unix + 7 * 3600;
    let day = contract::time::vn_date(unix.max(0) as u64);
    let secs = t.rem_euclid(86_400);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        day.year,
        day.month,
        day.day,
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// `yyyyMMddHHmmss` of a `dd/mm/yyyy` date (at the end of the working day,
/// 17:00, when it is a due date); empty when there is none.
pub fn stamp_day(dmy: &str) -> String {
    contract::time::parse_dmy(dmy.get(..10).unwrap_or(dmy))
        .map(|d| format!("{:04}{:02}{:02}170000", d.year, d.month, d.day))
        .unwrap_or_default()
}

/// The dossier record (`DongBoHoSoMC`) of a receipt.
pub fn dossier_record(r: &Receipt, received_at: i64, summary: &str) -> Value {
    let documents: Vec<Value> = r
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            json!({
                "TepDinhKemId": format!("{}-{}", r.code, i + 1),
                "TenTepDinhKem": d.name,
                "IsDeleted": "False",
                "MaThanhPhanHoSo": format!("{}", i + 1),
                "DuongDanTaiTepTin": "",
            })
        })
        .collect();
    let fees: Vec<Value> = if r.fee.trim().is_empty() {
        Vec::new()
    } else {
        vec![json!({
            "TenPhiLePhi": r.fee,
            "MaPhiLePhi": "",
            "HinhThucThu": "1",
            "Gia": "",
            "LoaiPhiLePhi": "1",
        })]
    };
    let by_post = matches!(r.delivery, contract::dossier::Delivery::Post { .. });
    json!({
        "MaHoSo": r.code,
        "MaTTHC": r.procedure_code,
        "TenTTHC": r.procedure_name,
        "MaLinhVuc": "",
        "TenLinhVuc": "",
        "ChuHoSo": r.applicant.full_name,
        "LoaiDoiTuong": "1",
        "MaDoiTuong": "",
        "ThongTinKhac": "",
        "Email": r.applicant.email,
        "Fax": "",
        "SoDienThoai": r.applicant.phone,
        "TrichYeuHoSo": summary.chars().take(500).collect::<String>(),
        "NgayTiepNhan": stamp(received_at),
        "NgayHenTra": stamp_day(&r.due_date),
        "TrangThaiHoSo": r.status.number().to_string(),
        "NgayTra": "",
        "ThongTinTra": "",
        "HinhThuc": if by_post { "1" } else { "0" },
        "NgayKetThucXuLy": "",
        "DonViXuLy": r.agency_name,
        "GhiChu": "",
        "TaiLieuNop": documents,
        "DanhSachLePhi": fees,
        "DanhSachTepDinhKemKhac": [],
        "DanhSachHoSoBoSung": [],
        "DanhSachGiayToKetQua": [],
    })
}

/// The progress record (`CapNhatTienDoHoSoMC`) of one change of status.
pub fn progress_record(
    code: &str,
    status: u8,
    at: i64,
    note: &str,
    by_citizen: bool,
    agency: &str,
    due: &str,
) -> Value {
    json!({
        "MaHoSo": code,
        "NguoiXuLy": if by_citizen { "Công dân" } else { "Cán bộ Bộ phận Một cửa" },
        "ChucDanh": "",
        "ThoiDiemXuLy": stamp(at),
        "PhongBanXuLy": agency,
        "NoiDungXuLy": note.chars().take(500).collect::<String>(),
        "TrangThai": status.to_string(),
        "NgayBatDau": stamp(at),
        "NgayKetThucTheoQuyDinh": stamp_day(due),
    })
}

// ------------------------------------------------------------------ sending

/// How to reach the adapter (`--national-sync-*`; secrets from the environment).
#[derive(Clone, Debug)]
pub struct Config {
    /// The adapter's base URL.
    pub url: String,
    pub auth_path: String,
    pub sync_path: String,
    pub username: String,
    pub password: String,
    pub dstcode: String,
    /// The province's unit code at the national portal.
    pub madonvi: String,
    /// First wait after a failure; doubled each time, at most an hour.
    pub retry: Duration,
}

impl Config {
    /// The adapter's settings with its account from the environment
    /// (`PORTAL_NATIONAL_SYNC_USERNAME`, `…_PASSWORD`, `…_DSTCODE`): all
    /// three, or an error naming those missing.
    pub fn from_env(
        url: &str,
        auth_path: &str,
        sync_path: &str,
        madonvi: &str,
        retry_secs: u64,
    ) -> anyhow::Result<Config> {
        let env = |k: &str| std::env::var(k).unwrap_or_default();
        let names = [
            "PORTAL_NATIONAL_SYNC_USERNAME",
            "PORTAL_NATIONAL_SYNC_PASSWORD",
            "PORTAL_NATIONAL_SYNC_DSTCODE",
        ];
        let [username, password, dstcode] = names.map(env);
        let given = [&username, &password, &dstcode];
        let missing: Vec<&str> =
            names.iter().zip(given).filter(|(_, v)| v.is_empty()).map(|(k, _)| *k).collect();
        if !missing.is_empty() {
            anyhow::bail!(
                "--national-sync-url needs the adapter account in the environment; missing: {}",
                missing.join(", ")
            );
        }
        Ok(Config {
            url: url.to_string(),
            auth_path: auth_path.to_string(),
            sync_path: sync_path.to_string(),
            username,
            password,
            dstcode,
            madonvi: madonvi.to_string(),
            retry: Duration::from_secs(retry_secs.max(1)),
        })
    }
}

/// The adapter: its login session and the two calls.
pub struct Adapter {
    config: Config,
    http: reqwest::Client,
    session: Mutex<Option<String>>,
}

/// The worker: one record at a time, oldest first, in order per dossier.
pub struct Sync {
    db: Db,
    adapter: Adapter,
    pub wake: tokio::sync::Notify,
}

/// Why a send did not count.
#[derive(Debug)]
pub enum Failed {
    /// Not reached, timed out, or a 5xx: try again later.
    Away(String),
    /// The adapter answered with an error code.
    Refused(String),
}

fn ok_code(v: &Value) -> bool {
    match v.get("error_code") {
        Some(Value::Number(n)) => n.as_i64() == Some(0),
        Some(Value::String(s)) => s.trim_start_matches('0').is_empty(),
        _ => false,
    }
}

impl Adapter {
    pub fn new(config: Config) -> anyhow::Result<Adapter> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()?;
        Ok(Adapter { config, http, session: Mutex::new(None) })
    }

    async fn post(&self, path: &str, body: &Value) -> Result<Value, Failed> {
        let url = format!("{}{}", self.config.url.trim_end_matches('/'), path);
        let res = self
            .http
            .post(&url)
            .header("dstcode", &self.config.dstcode)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| Failed::Away(e.to_string()))?;
        let status = res.status();
        let text = res.text().await.map_err(|e| Failed::Away(e.to_string()))?;
        if status.is_server_error() {
            return Err(Failed::Away(format!(
                "{status}: {}",
                text.chars().take(200).collect::<String>()
            )));
        }
        serde_json::from_str(&text).map_err(|_| {
            Failed::Refused(format!("{status}: {}", text.chars().take(200).collect::<String>()))
        })
    }

    /// The adapter's session, logging in when there is none.
    async fn session(&self) -> Result<String, Failed> {
        if let Some(s) = self.session.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            return Ok(s);
        }
        let body = json!({ "username": self.config.username, "password": self.config.password });
        let answer = self.post(&self.config.auth_path, &body).await?;
        let session = answer.get("session").and_then(Value::as_str).unwrap_or("");
        if !ok_code(&answer) || session.is_empty() {
            return Err(Failed::Refused(format!("login: {answer}")));
        }
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = Some(session.to_string());
        Ok(session.to_string())
    }

    /// Send one record; `Ok` only when the adapter acknowledged it.
    pub async fn send(
        &self,
        service: &str,
        record: &Value,
        updating: bool,
    ) -> Result<Value, Failed> {
        let session = self.session().await?;
        let mut body = json!({
            "session": session,
            "madonvi": self.config.madonvi,
            "service": service,
            "data": [record],
        });
        if service == DOSSIER {
            body["isUpdating"] = json!(if updating { "True" } else { "False" });
        }
        let answer = self.post(&self.config.sync_path, &body).await?;
        if ok_code(&answer) {
            return Ok(answer);
        }
        // A session the adapter no longer knows: log in again next time.
        let text = answer.to_string().to_lowercase();
        if text.contains("session") {
            *self.session.lock().unwrap_or_else(|p| p.into_inner()) = None;
        }
        Err(Failed::Refused(answer.to_string()))
    }
}

impl Sync {
    pub fn new(db: Db, config: Config) -> anyhow::Result<Arc<Sync>> {
        Ok(Arc::new(Sync { db, adapter: Adapter::new(config)?, wake: tokio::sync::Notify::new() }))
    }

    /// Send what is due until nothing is, then wait to be woken (or 2 s).
    /// The task runs until aborted (its handle) or the runtime ends.
    pub fn start(
        self: &Arc<Self>,
        clock: impl Fn() -> u64 + Send + std::marker::Sync + 'static,
    ) -> tokio::task::JoinHandle<()> {
        let me = self.clone();
        tokio::spawn(async move {
            loop {
                let now = clock() as i64;
                let due = me.db.call(move |c| crate::store::national::due(c, now)).await;
                let Ok(Some(row)) = due else {
                    tokio::select! {
                        _ = me.wake.notified() => {}
                        _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                    }
                    continue;
                };
                let record: Value = serde_json::from_str(&row.payload).unwrap_or(Value::Null);
                let id = row.id;
                match me.adapter.send(&row.service, &record, row.updating).await {
                    Ok(answer) => {
                        let text = answer.to_string();
                        let at = clock() as i64;
                        let _ = me
                            .db
                            .call(move |c| crate::store::national::acknowledged(c, id, at, &text))
                            .await;
                    }
                    Err(e) => {
                        let (why, text) = match &e {
                            Failed::Away(t) => ("away", t.clone()),
                            Failed::Refused(t) => ("refused", t.clone()),
                        };
                        tracing::warn!(id, why, answer = %text, "national sync: not acknowledged");
                        let wait = me
                            .adapter
                            .config
                            .retry
                            .saturating_mul(1 << row.attempts.clamp(0, 12))
                            .min(Duration::from_secs(3600));
                        let next = clock() as i64 + wait.as_secs().max(1) as i64;
                        let _ = me
                            .db
                            .call(move |c| crate::store::national::failed(c, id, next, &text))
                            .await;
                    }
                }
            }
        })
    }
}

/// `portal national-check`: what a province runs against the national
/// portal's sandbox before integration day. Logs in, sends a test dossier
/// record and one progress record for it (its code says it is a test), and
/// answers with one line per step: (step, passed, what was answered).
pub async fn check(config: Config) -> Vec<(&'static str, bool, String)> {
    let mut out = Vec::new();
    let adapter = match Adapter::new(config) {
        Ok(a) => a,
        Err(e) => return vec![("set-up", false, e.to_string())],
    };
    let said = |r: Result<Value, Failed>| match r {
        Ok(v) => (true, v.to_string()),
        Err(Failed::Away(t)) => (false, format!("away: {t}")),
        Err(Failed::Refused(t)) => (false, format!("refused: {t}")),
    };
    let login = adapter.session().await.map(|s| json!({ "session": s }));
    let (ok, text) = said(login);
    out.push(("login (dstcode, username, password)", ok, text));
    if !ok {
        return out;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let code = format!("KIEMTHU-{}", stamp(now));
    let record = json!({
        "MaHoSo": code, "MaTTHC": "1.001193", "TenTTHC": "Đăng ký khai sinh (hồ sơ kiểm thử)",
        "MaLinhVuc": "", "TenLinhVuc": "", "ChuHoSo": "Hồ sơ kiểm thử", "LoaiDoiTuong": "1",
        "MaDoiTuong": "", "ThongTinKhac": "", "Email": "", "Fax": "", "SoDienThoai": "",
        "TrichYeuHoSo": "Kiểm thử kết nối, không xử lý", "NgayTiepNhan": stamp(now),
        "NgayHenTra": stamp(now + 86_400), "TrangThaiHoSo": "1", "NgayTra": "", "ThongTinTra": "",
        "HinhThuc": "0", "NgayKetThucXuLy": "", "DonViXuLy": "Kiểm thử", "GhiChu": "",
        "TaiLieuNop": [], "DanhSachLePhi": [], "DanhSachTepDinhKemKhac": [],
        "DanhSachHoSoBoSung": [], "DanhSachGiayToKetQua": [],
    });
    let (ok, text) = said(adapter.send(DOSSIER, &record, false).await);
    out.push(("DongBoHoSoMC (a test dossier)", ok, text));
    if !ok {
        return out;
    }
    let progress = progress_record(&code, 2, now, "Kiểm thử kết nối", false, "Kiểm thử", "");
    let (ok, text) = said(adapter.send(PROGRESS, &progress, false).await);
    out.push(("CapNhatTienDoHoSoMC (its status to 2)", ok, text));
    out
}

/// `portal national-check`: run [`check`], print its table; an error
/// unless every step passed.
pub fn check_and_report(config: Config) -> anyhow::Result<()> {
    let steps = tokio::runtime::Runtime::new()?.block_on(check(config));
    let steps: Vec<crate::backend::check::Step> =
        steps.into_iter().map(|(s, ok, a)| (s.to_string(), ok, a)).collect();
    crate::backend::check::report(&steps, 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_vietnam_time_stamps() {
        // 2026-11-27 01:30:05 UTC is 08:30:05 in Vietnam.
        assert_eq!(stamp(1_795_743_005), "20261127083005");
        assert_eq!(stamp_day("01/12/2026"), "20261201170000");
        assert_eq!(stamp_day("01/12/2026 09:30"), "20261201170000");
        assert_eq!(stamp_day(""), "");
    }

    #[test]
    fn acknowledgements_are_read_as_the_adapters_write_them() {
        assert!(ok_code(&json!({ "error_code": 0 })));
        assert!(ok_code(&json!({ "error_code": "00" })));
        assert!(!ok_code(&json!({ "error_code": "01" })));
        assert!(!ok_code(&json!({ "error_code": -1 })));
        assert!(!ok_code(&json!({})));
    }
}
