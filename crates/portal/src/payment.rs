//! Fees paid online through the national payment platform (Nền tảng thanh
//! toán of the national public service portal, PayGov before it): the
//! messages in their published shapes, their MAC, the client that starts
//! and queries payments, and how an answer settles one.
//!
//! Shapes from the published integrations (the issue's list; OpenCPS's
//! `pay-gate-integration` module, `KeypayDVCQGTerm`/`KeypayDVCQGUtils`, for
//! the receipt block `ThongTinBienLai`: `MaHoSo, MaTTHC, MaDVC, MaDonVi,
//! TKThuHuong, MaNHThuHuong, TenTKThuHuong, HoTenNguoiNop, SoCMNDNguoiNop,
//! PhiLePhi[{LoaiPhiLePhi, MaPhiLePhi, TenPhiLePhi, SoTien}],
//! DSKhoanNop[{NoiDung, SoTien}]`). Where the sources are silent or differ
//! (docs/decisions.md, "Paying online"): `MaXacThuc` is HMAC-SHA256 with the
//! partner's secret over the message's plain fields in their published
//! order, joined by `|`, lower-case hex; times are `yyyyMMddHHmmss` in
//! Vietnam's time on a 24-hour clock; `MaLoi` "00" is success.

use std::time::Duration;

use hmac::{Hmac, Mac};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// Success, in every answer.
pub const OK: &str = "00";
/// The bank refused the payment.
pub const REFUSED: &str = "01";
/// The payer cancelled on the platform's page.
pub const CANCELLED: &str = "02";
/// Still open on the platform (a query's answer).
pub const OPEN: &str = "03";
/// The platform does not know the reference (a query's answer).
pub const UNKNOWN: &str = "04";
pub const VERSION: &str = "1.0.0";
pub const CURRENCY: &str = "VND";
/// The most any answer of the platform may weigh.
const MAX_ANSWER: usize = 64 * 1024;

/// `MaXacThuc`: HMAC-SHA256 of the values joined by `|`, lower-case hex.
pub fn mac(secret: &str, values: &[&str]) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    m.update(values.join("|").as_bytes());
    crate::secrets::hex(&m.finalize().into_bytes())
}

/// Whether `given` is the MAC of `values` (constant time).
pub fn mac_ok(secret: &str, values: &[&str], given: &str) -> bool {
    crate::secrets::same_secret(&given.to_ascii_lowercase(), &mac(secret, values))
}

/// `yyyyMMddHHmmss`, Vietnam's time, 24-hour clock.
pub fn gd_time(unix: i64) -> String {
    let d = contract::time::vn_date(unix.max(0) as u64);
    let s = (unix.max(0) + 7 * 3600) % 86_400;
    format!("{:04}{:02}{:02}{:02}{:02}{:02}", d.year, d.month, d.day, s / 3600, s / 60 % 60, s % 60)
}

/// Unix seconds of a `yyyyMMddHHmmss` in Vietnam's time; `None` when it is
/// not one (a 12-hour clock's "0130" at 13:30 still parses, and is caught
/// by the freshness check, not here).
pub fn parse_gd_time(s: &str) -> Option<i64> {
    if s.len() != 14 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |a: usize, b: usize| s[a..b].parse::<u32>().ok();
    let date = contract::validate::Date {
        year: n(0, 4)? as u16,
        month: n(4, 6)? as u8,
        day: n(6, 8)? as u8,
    };
    let (h, m, sec) = (n(8, 10)?, n(10, 12)?, n(12, 14)?);
    let days = contract::workdays::days_from_civil(date);
    // A date that does not exist (31/02) comes back as another one.
    if h > 23 || m > 59 || sec > 59 || contract::workdays::civil_from_days(days) != date {
        return None;
    }
    Some(days * 86_400 + i64::from(h * 3600 + m * 60 + sec) - 7 * 3600)
}

/// A fee line of the receipt block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhiLePhi {
    #[serde(rename = "LoaiPhiLePhi")]
    pub loai: String,
    #[serde(rename = "MaPhiLePhi")]
    pub ma: String,
    #[serde(rename = "TenPhiLePhi")]
    pub ten: String,
    #[serde(rename = "SoTien")]
    pub so_tien: u64,
}

/// A line of what is paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KhoanNop {
    #[serde(rename = "NoiDung")]
    pub noi_dung: String,
    #[serde(rename = "SoTien")]
    pub so_tien: u64,
}

/// `ThongTinBienLai`: what the e-receipt (biên lai điện tử) is made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BienLai {
    #[serde(rename = "MaHoSo")]
    pub ma_ho_so: String,
    #[serde(rename = "MaTTHC")]
    pub ma_tthc: String,
    #[serde(rename = "MaDVC")]
    pub ma_dvc: String,
    #[serde(rename = "MaDonVi")]
    pub ma_don_vi: String,
    #[serde(rename = "TKThuHuong")]
    pub tk_thu_huong: String,
    #[serde(rename = "MaNHThuHuong")]
    pub ma_nh_thu_huong: String,
    #[serde(rename = "TenTKThuHuong")]
    pub ten_tk_thu_huong: String,
    #[serde(rename = "HoTenNguoiNop")]
    pub ho_ten_nguoi_nop: String,
    #[serde(rename = "SoCMNDNguoiNop")]
    pub so_cmnd_nguoi_nop: String,
    #[serde(rename = "PhiLePhi")]
    pub phi_le_phi: Vec<PhiLePhi>,
    #[serde(rename = "DSKhoanNop")]
    pub ds_khoan_nop: Vec<KhoanNop>,
}

/// INIT: the portal asks the platform to open a payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Init {
    pub loai_ban_tin: String,
    pub phien_ban: String,
    pub ma_doi_tac: String,
    pub ma_tham_chieu: String,
    pub so_tien: String,
    pub loai_hinh_thanh_toan: String,
    pub ma_kenh_thanh_toan: String,
    pub ma_thiet_bi: String,
    pub ngon_ngu: String,
    pub ma_tien_te: String,
    pub ma_ngan_hang: String,
    pub thong_tin_giao_dich: String,
    #[serde(rename = "ThoiGianGD")]
    pub thoi_gian_gd: String,
    pub ip: String,
    /// Where the payer's browser returns to.
    pub url_tra_ve: String,
    pub thong_tin_bien_lai: BienLai,
    pub ma_xac_thuc: String,
}

impl Init {
    pub fn signed(&self) -> [&str; 15] {
        [
            &self.loai_ban_tin,
            &self.phien_ban,
            &self.ma_doi_tac,
            &self.ma_tham_chieu,
            &self.so_tien,
            &self.loai_hinh_thanh_toan,
            &self.ma_kenh_thanh_toan,
            &self.ma_thiet_bi,
            &self.ngon_ngu,
            &self.ma_tien_te,
            &self.ma_ngan_hang,
            &self.thong_tin_giao_dich,
            &self.thoi_gian_gd,
            &self.ip,
            &self.url_tra_ve,
        ]
    }
}

/// The platform's answer to INIT.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitAnswer {
    pub ma_loi: String,
    #[serde(default)]
    pub mo_ta_loi: String,
    #[serde(default)]
    pub ma_tham_chieu: String,
    #[serde(default)]
    pub url_thanh_toan: String,
    #[serde(default)]
    pub ma_xac_thuc: String,
}

impl InitAnswer {
    pub fn signed(&self) -> [&str; 3] {
        [&self.ma_loi, &self.ma_tham_chieu, &self.url_thanh_toan]
    }
}

/// CONFIRM (the platform's callback) and the answer to a QUERY: how a
/// payment ended, or that it has not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Confirm {
    pub ma_loi: String,
    pub ma_doi_tac: String,
    pub ma_tham_chieu: String,
    pub so_tien: String,
    pub ma_tien_te: String,
    #[serde(default)]
    pub ma_giao_dich: String,
    #[serde(default)]
    pub ma_ngan_hang: String,
    #[serde(rename = "ThoiGianGD")]
    pub thoi_gian_gd: String,
    #[serde(default)]
    pub thong_tin_giao_dich: String,
    pub ma_xac_thuc: String,
}

impl Confirm {
    pub fn signed(&self) -> [&str; 9] {
        [
            &self.ma_loi,
            &self.ma_doi_tac,
            &self.ma_tham_chieu,
            &self.so_tien,
            &self.ma_tien_te,
            &self.ma_giao_dich,
            &self.ma_ngan_hang,
            &self.thoi_gian_gd,
            &self.thong_tin_giao_dich,
        ]
    }
}

/// QUERY: the portal asks how a payment stands (its callback never came).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Query {
    pub loai_ban_tin: String,
    pub phien_ban: String,
    pub ma_doi_tac: String,
    pub ma_tham_chieu: String,
    #[serde(rename = "ThoiGianGD")]
    pub thoi_gian_gd: String,
    pub ma_xac_thuc: String,
}

impl Query {
    pub fn signed(&self) -> [&str; 5] {
        [
            &self.loai_ban_tin,
            &self.phien_ban,
            &self.ma_doi_tac,
            &self.ma_tham_chieu,
            &self.thoi_gian_gd,
        ]
    }
}

/// The platform as this province is set up there.
pub struct Platform {
    /// Its base URL (`/init`, `/query` under it).
    pub url: String,
    /// The province's partner code (MaDoiTac).
    pub partner: String,
    secret: String,
    http: reqwest::Client,
    /// The e-receipts' series prefix; the year's two digits follow it.
    receipt_series: String,
}

/// Why a payment could not be started.
#[derive(Debug)]
pub enum Failed {
    /// The platform did not answer, or not as itself (unsigned, too large).
    Away(String),
    /// It answered with a refusal (`MaLoi` other than "00").
    Refused(String),
}

impl Platform {
    pub fn new(url: &str, partner: &str, secret: &str) -> anyhow::Result<Platform> {
        anyhow::ensure!(!partner.is_empty(), "--payment-partner is empty");
        anyhow::ensure!(secret.len() >= 16, "PORTAL_PAYMENT_SECRET must be at least 16 characters");
        let parsed = url::Url::parse(url)?;
        anyhow::ensure!(
            parsed.scheme() == "https" || parsed.host_str() == Some("127.0.0.1"),
            "--payment-url must be https:// (or a stand-in on 127.0.0.1)"
        );
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(20))
            .build()?;
        Ok(Platform {
            url: url.trim_end_matches('/').to_string(),
            partner: partner.into(),
            secret: secret.into(),
            http,
            receipt_series: "MC".into(),
        })
    }

    /// Number e-receipts under `prefix` (1–8 capital letters or digits).
    pub fn with_receipt_series(mut self, prefix: &str) -> anyhow::Result<Platform> {
        anyhow::ensure!(
            (1..=8).contains(&prefix.len())
                && prefix.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
            "--payment-receipt-series must be 1 to 8 capital letters or digits, not {prefix:?}"
        );
        self.receipt_series = prefix.into();
        Ok(self)
    }

    /// The series an e-receipt issued at `unix` is numbered in: the prefix
    /// and the year's two digits in Vietnam (numbering starts again at 1
    /// each year).
    pub fn receipt_series(&self, unix: i64) -> String {
        format!(
            "{}{:02}",
            self.receipt_series,
            contract::time::vn_date(unix.max(0) as u64).year % 100
        )
    }

    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// The platform's origin: the only place a payer is sent.
    pub fn origin(&self) -> String {
        url::Url::parse(&self.url).map(|u| u.origin().ascii_serialization()).unwrap_or_default()
    }

    pub(crate) async fn post<T: Serialize, A: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        body: &T,
    ) -> Result<A, Failed> {
        let mut res = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/json")
            .body(serde_json::to_vec(body).map_err(|e| Failed::Away(e.to_string()))?)
            .send()
            .await
            .map_err(|e| Failed::Away(e.to_string()))?;
        if !res.status().is_success() {
            return Err(Failed::Away(format!("HTTP {}", res.status())));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = res.chunk().await.map_err(|e| Failed::Away(e.to_string()))? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_ANSWER {
                return Err(Failed::Away("an answer over 64 KB".into()));
            }
        }
        serde_json::from_slice(&bytes).map_err(|e| Failed::Away(format!("not its answer: {e}")))
    }

    /// Open a payment: the page the payer goes to, which must be the
    /// platform's own.
    pub async fn init(&self, mut m: Init) -> Result<String, Failed> {
        m.ma_doi_tac = self.partner.clone();
        m.ma_xac_thuc = mac(&self.secret, &m.signed());
        let a: InitAnswer = self.post("/init", &m).await?;
        if !mac_ok(&self.secret, &a.signed(), &a.ma_xac_thuc) {
            return Err(Failed::Away("an answer not signed with our secret".into()));
        }
        if a.ma_loi != OK {
            return Err(Failed::Refused(format!("{} {}", a.ma_loi, a.mo_ta_loi)));
        }
        let origin = self.origin();
        let same = url::Url::parse(&a.url_thanh_toan)
            .is_ok_and(|u| u.origin().ascii_serialization() == origin);
        if a.ma_tham_chieu != m.ma_tham_chieu || !same {
            return Err(Failed::Away("a payment page that is not the platform's".into()));
        }
        Ok(a.url_thanh_toan)
    }

    /// How a payment stands at the platform.
    pub async fn query(&self, reference: &str, now: i64) -> Result<Confirm, Failed> {
        let mut q = Query {
            loai_ban_tin: "QUERY".into(),
            phien_ban: VERSION.into(),
            ma_doi_tac: self.partner.clone(),
            ma_tham_chieu: reference.into(),
            thoi_gian_gd: gd_time(now),
            ma_xac_thuc: String::new(),
        };
        q.ma_xac_thuc = mac(&self.secret, &q.signed());
        self.post("/query", &q).await
    }
}

/// What a CONFIRM (or a query's answer) did.
#[derive(Debug, PartialEq, Eq)]
pub enum Settled {
    /// Paid now; the dossier moved on when it was waiting for it.
    Paid {
        dossier: String,
        moved: bool,
    },
    /// The same payment told again: nothing more happens.
    Again,
    Failed,
    /// Not ended yet (a query's answer).
    Open,
}

/// Why a CONFIRM was refused (logged, never told to the caller).
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Signature,
    Partner,
    UnknownReference,
    Amount,
    Currency,
    Late,
    /// A transaction code already settled under another reference.
    Replayed,
    Malformed,
}

/// Settle the payment a CONFIRM (the platform's callback, or its answer to
/// our query) speaks of, once it proved itself: signed with our secret, for
/// our partner code and a reference we issued, the amount and currency we
/// asked, at a time within a day of now. A success settles it once, by its
/// transaction code, and moves the dossier from 6 to 4 when it is still at
/// 6 (through the same move officers make); a late success after the
/// payer gave up still counts.
pub fn settle(
    c: &mut Connection,
    m: &Confirm,
    platform: &Platform,
    now: i64,
) -> rusqlite::Result<Result<Settled, Refusal>> {
    use crate::store::payments;
    use contract::tracking::PaymentState;
    if !mac_ok(platform.secret(), &m.signed(), &m.ma_xac_thuc) {
        return Ok(Err(Refusal::Signature));
    }
    if m.ma_doi_tac != platform.partner {
        return Ok(Err(Refusal::Partner));
    }
    let Some(at) = parse_gd_time(&m.thoi_gian_gd) else { return Ok(Err(Refusal::Malformed)) };
    if (now - at).abs() > 86_400 {
        return Ok(Err(Refusal::Late));
    }
    let tx = crate::db::write_tx(c)?;
    let Some((_, code, amount, state)) = payments::by_reference(&tx, &m.ma_tham_chieu)? else {
        return Ok(Err(Refusal::UnknownReference));
    };
    if m.ma_loi == OPEN {
        return Ok(Ok(Settled::Open));
    }
    if m.so_tien.parse::<u64>().ok() != Some(amount) {
        return Ok(Err(Refusal::Amount));
    }
    if m.ma_tien_te != CURRENCY {
        return Ok(Err(Refusal::Currency));
    }
    if m.ma_loi != OK {
        let reason = if m.ma_loi == CANCELLED {
            "Bạn đã hủy thanh toán. / You cancelled the payment."
        } else {
            "Ngân hàng từ chối giao dịch. / The bank refused the payment."
        };
        let failed = payments::settle_failed(&tx, &m.ma_tham_chieu, reason, now)?;
        tx.commit()?;
        return Ok(Ok(if failed { Settled::Failed } else { Settled::Again }));
    }
    if m.ma_giao_dich.is_empty() || m.ma_giao_dich.len() > 64 {
        return Ok(Err(Refusal::Malformed));
    }
    if payments::transaction_known(&tx, &m.ma_giao_dich)? {
        return Ok(if state == PaymentState::Paid {
            Ok(Settled::Again)
        } else {
            Err(Refusal::Replayed)
        });
    }
    if state == PaymentState::Paid {
        // Paid already under another transaction code: a second charge the
        // platform made; kept for the officers, never merged.
        return Ok(Err(Refusal::Replayed));
    }
    let bank: String = m.ma_ngan_hang.chars().take(32).collect();
    let paid = payments::settle_paid(&tx, &m.ma_tham_chieu, &m.ma_giao_dich, &bank, now)?;
    if !paid {
        return Ok(Ok(Settled::Again));
    }
    payments::issue_receipt(&tx, &m.ma_tham_chieu, &platform.receipt_series(now))?;
    let note = format!(
        "Đã nộp phí, lệ phí trực tuyến: {} đồng, mã giao dịch {}.",
        contract::text::grouped(amount, '.'),
        m.ma_giao_dich
    );
    // Only a fee asked at 6 moves the dossier on; one paid on filing
    // leaves it where it is.
    let waiting = crate::store::dossiers::status_of(&tx, &code)? == Some(6);
    let step = crate::store::dossiers::Move { to: 4, note: &note, amount: None, by_citizen: false };
    let moved = waiting && crate::store::dossiers::transition_in(&tx, &code, step, now)?.is_ok();
    tx.commit()?;
    Ok(Ok(Settled::Paid { dossier: code, moved }))
}

/// Every `every`: ask the platform about payments left pending for two
/// minutes whose callback never came, and settle them.
pub fn reconcile_every(st: crate::AppState, platform: std::sync::Arc<Platform>, every: Duration) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            let now = st.now() as i64;
            reconcile_once(&st, &platform, now, now - every.as_secs() as i64).await;
        }
    });
}

/// One round of the reconciliation at `now`: payments pending since two
/// minutes before, not asked about since `asked`. Returns how many settled.
pub async fn reconcile_once(
    st: &crate::AppState,
    platform: &std::sync::Arc<Platform>,
    now: i64,
    asked: i64,
) -> usize {
    let refs = st
        .db
        .call(move |c| crate::store::payments::to_reconcile(c, now - 120, asked, now, 100))
        .await
        .unwrap_or_default();
    let mut settled = 0;
    for r in refs {
        match platform.query(&r, now).await {
            Ok(answer) => {
                let p = platform.clone();
                let done = st.db.call(move |c| settle(c, &answer, &p, now)).await;
                if matches!(done, Ok(Ok(Settled::Paid { .. } | Settled::Failed))) {
                    settled += 1;
                }
                tracing::info!(reference = %r, ?done, "payment reconciled");
            }
            Err(e) => tracing::warn!(reference = %r, ?e, "payment query failed"),
        }
    }
    settled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_vietnams_on_a_24_hour_clock() {
        // 2026-12-07 06:30:05 UTC is 13:30:05 in Vietnam.
        let t = 1_796_625_005;
        assert_eq!(gd_time(t), "20261207133005");
        assert_eq!(parse_gd_time("20261207133005"), Some(t));
        assert_eq!(parse_gd_time("20261207253005"), None);
        assert_eq!(parse_gd_time("2026120713300"), None);
        assert_eq!(parse_gd_time("20260231133005"), None);
    }

    #[test]
    fn the_mac_covers_every_signed_field_in_order() {
        let a = mac("0123456789abcdef", &["00", "X", "1"]);
        assert_eq!(a.len(), 64);
        assert!(mac_ok("0123456789abcdef", &["00", "X", "1"], &a.to_uppercase()));
        assert!(!mac_ok("0123456789abcdef", &["00", "1", "X"], &a));
        assert!(!mac_ok("another-secret-16", &["00", "X", "1"], &a));
    }
}
