//! Paying a dossier's fee online (status 6, or on filing where the catalog
//! says the fee is paid then) through the national payment
//! platform (`payment.rs`): starting a payment, and the platform's signed
//! callback. The status page reads where a payment stands from tracking.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use contract::error::ApiError;
use contract::tracking::{PayAsk, PaymentStart};
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::http::accounts::{limit, per_client};
use crate::http::extract::{ClientIp, Viewer};
use crate::limits::Rule;
use crate::payment::{self, Confirm};
use crate::store::dossiers::Access;
use crate::{store, AppState};
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    paths!(start; confirm; qr)
}

/// The pending payment's page as a QR code (SVG), for a kiosk to show the
/// citizen's phone: to whoever holds the dossier's link, only while a
/// payment is pending (what it encodes is the platform's page, nothing
/// personal).
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/payment/qr.svg", tag = "tracking",
    params(("code" = String, Path), ("token" = Option<String>, Query)),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = ApiError)))]
pub async fn qr(
    State(st): State<AppState>,
    Path(code): Path<String>,
    axum::extract::Query(q): axum::extract::Query<crate::http::dossiers::TokenQuery>,
) -> Result<axum::response::Response> {
    use axum::response::IntoResponse;
    let d = crate::http::dossiers::stored(&st, &code).await?.ok_or_else(Error::not_found)?;
    if !crate::secrets::same_secret(&q.token, &d.token) {
        return Err(Error::not_found());
    }
    let id = d.id;
    let pending = st.db.call(move |c| store::payments::pending_of(c, id)).await?;
    let Some((_, _, url)) = pending.filter(|p| !p.2.is_empty()) else {
        return Err(Error::not_found());
    };
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| Error::not_found())?;
    let w = code.width();
    let mut path = String::new();
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == qrcode::Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % w, i / w));
        }
    }
    let size = w + 8;
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="-4 -4 {size} {size}" shape-rendering="crispEdges"><rect x="-4" y="-4" width="{size}" height="{size}" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    );
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
            (axum::http::header::CACHE_CONTROL, "private, no-store"),
        ],
        svg,
    )
        .into_response())
}

/// How asking to pay ended in the store.
enum Begun {
    /// The fee is paid already.
    Paid,
    /// One is pending already: (reference, amount, page), handed back.
    Pending((String, u64, String)),
    /// A new attempt was recorded: the platform is asked next.
    New,
    /// Too many new attempts of this dossier lately (seconds to wait).
    Limited(u64),
}

/// New attempts (INIT messages) one dossier may make in 15 minutes: enough
/// for a cancelled payment or two and a bank that refused; while the
/// platform is away each press would otherwise hold a connection for up to
/// 20 s and leave a failed row.
const INITS_PER_DOSSIER: Rule = Rule::new(6, 15 * 60);

/// Payments asked for without signing in (QR link + ID number), per client.
const PUBLIC_ASKS_PER_CLIENT: Rule = Rule::new(20, 15 * 60);

fn off() -> Error {
    Error::new(
        StatusCode::NOT_FOUND,
        "payment_off",
        "Cổng này chưa nhận thanh toán trực tuyến: hãy nộp phí tại Bộ phận Một cửa / This portal does not take payments online yet: pay at the one-stop desk",
    )
}

/// Begin (or take up again) paying the fee of a dossier at status 6. The
/// owner, the volunteer who filed it (until they hand over), or — without
/// an account — whoever holds its QR link and types the applicant's ID
/// number. A payment already pending is handed back, never charged twice.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/payment", tag = "tracking",
    params(("code" = String, Path)), request_body = PayAsk,
    responses((status = 200, body = PaymentStart), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 429, body = ApiError), (status = 503, body = ApiError)))]
pub async fn start(
    State(st): State<AppState>,
    Viewer(viewer): Viewer,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(code): Path<String>,
    Json(ask): Json<PayAsk>,
) -> Result<Json<PaymentStart>> {
    let platform = st.payment.clone().ok_or_else(off)?;
    let d = crate::http::dossiers::stored(&st, &code).await?.ok_or_else(Error::not_found)?;
    let signed_in = match viewer.as_ref() {
        Some(v) => crate::http::dossiers::admit(&st, &d, Some(v), "").await?,
        None => Access::None,
    };
    let may = match signed_in {
        Access::Owner | Access::Assistant => true,
        _ => {
            limit(&st, &format!("pay-ip:{ip}"), per_client(&st, PUBLIC_ASKS_PER_CLIENT))?;
            crate::secrets::same_secret(&ask.token, &d.token)
                && crate::secrets::same_secret(&ask.citizen_id, &d.receipt.applicant.citizen_id)
        }
    };
    if !may {
        return Err(Error::not_found());
    }
    let Some((amount, asked_at)) = d.fee_due() else {
        return Err(Error::conflict(
            "Hồ sơ này không chờ nộp phí",
            "This dossier is not waiting for a fee",
        ));
    };
    let id = d.id;
    let now = st.now() as i64;
    let reference = format!(
        "{}-{}{}",
        d.receipt.code,
        payment::gd_time(now),
        &crate::secrets::random_hex::<2>()
    );
    let inits = format!("pay-init:{id}");
    let blocked = st.limits.blocked(&inits, INITS_PER_DOSSIER, st.now());
    let begun = {
        let reference = reference.clone();
        st.db
            .call(move |c| -> rusqlite::Result<Begun> {
                let tx = crate::db::write_tx(c)?;
                if store::payments::paid_for(&tx, id, asked_at)? {
                    return Ok(Begun::Paid);
                }
                if let Some(p) = store::payments::pending_of(&tx, id)? {
                    if !p.2.is_empty() {
                        return Ok(Begun::Pending(p));
                    }
                }
                if let Some(wait) = blocked {
                    return Ok(Begun::Limited(wait));
                }
                store::payments::begin(&tx, id, &reference, amount, now, asked_at)?;
                tx.commit()?;
                Ok(Begun::New)
            })
            .await?
    };
    match begun {
        Begun::Paid => {
            return Err(Error::conflict("Phí của hồ sơ này đã được nộp", "The fee is paid already"))
        }
        Begun::Pending((reference, amount, pay_url)) => {
            return Ok(Json(PaymentStart { reference, amount, pay_url }))
        }
        Begun::Limited(wait) => {
            let minutes = wait.div_ceil(60);
            let mut e = Error::too_many(wait);
            e.body.error.message = format!(
                "Hồ sơ này đã mở giao dịch thanh toán nhiều lần; hãy thử lại sau {minutes} phút, hoặc nộp tại Bộ phận Một cửa. Chưa có khoản nào bị trừ / Payment was opened many times for this dossier; try again in {minutes} minutes or pay at the one-stop desk. Nothing was charged"
            );
            return Err(e);
        }
        Begun::New => {
            let _ = st.limits.take(&inits, INITS_PER_DOSSIER, st.now());
        }
    }
    let back = format!(
        "{}{}{}?t={}&thanh-toan=1",
        crate::http::volunteers::origin(&st, &headers),
        contract::tracking::STATUS_PATH,
        d.receipt.code,
        d.token
    );
    let init = init_message(&d.receipt, &reference, amount, now, &ip, back);
    match platform.init(init).await {
        Ok(url) => {
            let (r2, u2) = (reference.clone(), url.clone());
            st.db.call(move |c| store::payments::set_url(c, &r2, &u2)).await?;
            Ok(Json(PaymentStart { reference, amount, pay_url: url }))
        }
        Err(e) => {
            tracing::warn!(?e, %reference, "payment platform did not open a payment");
            let r2 = reference.clone();
            let why = "Nền tảng thanh toán không mở được giao dịch. / The payment platform did not open the payment.";
            st.db.call(move |c| store::payments::abandon(c, &r2, why, now)).await?;
            Err(Error::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "payment_away",
                "Lúc này chưa kết nối được với nền tảng thanh toán. Vui lòng thử lại sau ít phút; chưa có khoản nào bị trừ / The payment platform cannot be reached now. Try again in a few minutes; nothing was charged",
            ))
        }
    }
}

/// The platform's callback (CONFIRM): signed with the partner's secret.
/// Settled once by its transaction code; anything it cannot prove —
/// a forged MAC, another partner, an unknown reference, another amount or
/// currency, a time more than a day away, a transaction code seen under
/// another reference — is refused and logged, with the same answer.
#[utoipa::path(post, path = "/api/v1/payments/confirm", tag = "tracking",
    request_body = Value, responses((status = 200, body = Value)))]
pub async fn confirm(State(st): State<AppState>, Json(m): Json<Confirm>) -> Result<Json<Value>> {
    let Some(platform) = st.payment.clone() else { return Err(off()) };
    let now = st.now() as i64;
    let reference = m.ma_tham_chieu.clone();
    let settled = st.db.call(move |c| payment::settle(c, &m, &platform, now)).await?;
    match settled {
        Ok(s) => {
            tracing::info!(%reference, ?s, "payment confirmed by the platform");
            Ok(Json(json!({ "MaLoi": payment::OK, "MoTaLoi": "Thành công" })))
        }
        Err(why) => {
            tracing::warn!(%reference, ?why, "payment callback refused");
            Ok(Json(json!({ "MaLoi": "99", "MoTaLoi": "Từ chối" })))
        }
    }
}

/// The platform's INIT message for a dossier's fee, with the e-receipt's
/// details (who pays, for what, to which agency).
fn init_message(
    r: &contract::dossier::Receipt,
    reference: &str,
    amount: u64,
    now: i64,
    ip: &str,
    back: String,
) -> payment::Init {
    payment::Init {
        loai_ban_tin: "INIT".into(),
        phien_ban: payment::VERSION.into(),
        ma_doi_tac: String::new(),
        ma_tham_chieu: reference.to_string(),
        so_tien: amount.to_string(),
        loai_hinh_thanh_toan: "PAY".into(),
        ma_kenh_thanh_toan: "1".into(),
        ma_thiet_bi: "1".into(),
        ngon_ngu: "vi".into(),
        ma_tien_te: payment::CURRENCY.into(),
        ma_ngan_hang: String::new(),
        thong_tin_giao_dich: format!("Nop phi ho so {}", r.code),
        thoi_gian_gd: payment::gd_time(now),
        ip: ip.to_string(),
        url_tra_ve: back,
        thong_tin_bien_lai: payment::BienLai {
            ma_ho_so: r.code.clone(),
            ma_tthc: r.procedure_code.clone(),
            ma_dvc: r.procedure_code.clone(),
            ma_don_vi: r.code.split('-').next().unwrap_or_default().to_string(),
            tk_thu_huong: String::new(),
            ma_nh_thu_huong: String::new(),
            ten_tk_thu_huong: r.agency_name.clone(),
            ho_ten_nguoi_nop: r.applicant.full_name.clone(),
            so_cmnd_nguoi_nop: r.applicant.citizen_id.clone(),
            phi_le_phi: vec![payment::PhiLePhi {
                loai: "2".into(),
                ma: "2".into(),
                ten: format!("Phí, lệ phí: {}", r.procedure_name),
                so_tien: amount,
            }],
            ds_khoan_nop: vec![payment::KhoanNop {
                noi_dung: format!("Hồ sơ {}", r.code),
                so_tien: amount,
            }],
        },
        ma_xac_thuc: String::new(),
    }
}
