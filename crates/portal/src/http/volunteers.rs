//! Volunteers filing for residents ("nộp hộ"). A volunteer (granted with
//! `portal officer grant-volunteer CCCD`) files through the same wizard,
//! for someone else and with their consent; the dossier then belongs to the
//! resident's ID number (see `dossiers::submit`), and the volunteer keeps:
//! a dashboard of the dossiers they helped with, showing no more of the
//! resident than initials and the last digits of the ID, and a way to send
//! the tracking link to the resident's phone.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::dossier::{AssistedDossier, DossierSummary, Receipt};
use contract::error::ApiError;

use crate::error::{Error, Result};
use crate::http::accounts::limit;
use crate::http::extract::SignedIn;
use crate::limits::Rule;
use crate::store::dossiers::Access;
use crate::AppState;

use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    paths!(assisted; send_link; hand_over)
}

/// Every look of a volunteer at a resident's details is recorded (who,
/// which dossier, when); a failure to record is logged, not shown.
pub async fn record_view(st: &AppState, dossier: i64, volunteer: Option<i64>) {
    let Some(volunteer) = volunteer else { return };
    let now = st.now() as i64;
    let done = st
        .db
        .call(move |c| crate::store::dossiers::record_assist_view(c, dossier, volunteer, now))
        .await;
    if let Err(e) = done {
        tracing::warn!(error = %e, "a volunteer's view not recorded");
    }
}

/// "Người tiếp theo": the volunteer hands over; the residents' receipts
/// they could still open show no personal details to them from now on.
#[utoipa::path(post, path = "/api/v1/assisted/hand-over", tag = "volunteers",
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub async fn hand_over(State(st): State<AppState>, s: SignedIn) -> Result<StatusCode> {
    if !s.me.volunteer {
        return Err(forbidden());
    }
    let (account, now) = (s.account, s.now);
    st.db.call(move |c| crate::store::dossiers::hand_over(c, account, now)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Tracking links sent per dossier.
const LINKS_PER_DOSSIER: Rule = Rule::new(3, 60 * 60);

/// "N. T. L. · ***456": enough to tell residents apart, not to identify
/// one (the masking of a receipt seen with its token, shortened).
pub fn resident_hint(a: &contract::dossier::Applicant) -> String {
    let masked = crate::http::dossiers::mask(a);
    let n = masked.citizen_id.chars().count();
    let tail: String = masked.citizen_id.chars().skip(n.saturating_sub(6)).collect();
    format!("{} · {tail}", masked.full_name)
}

fn forbidden() -> Error {
    Error::new(
        StatusCode::FORBIDDEN,
        "not_volunteer",
        "Chỉ tình nguyện viên được cấp quyền mới dùng được chức năng này / Only volunteers may use this",
    )
}

/// The dossiers this volunteer helped file, newest first.
#[utoipa::path(get, path = "/api/v1/assisted", tag = "volunteers",
    responses((status = 200, body = Vec<AssistedDossier>), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub async fn assisted(State(st): State<AppState>, s: SignedIn) -> Result<Response> {
    if !s.me.volunteer {
        return Err(forbidden());
    }
    let rows = st.db.call(move |c| crate::store::dossiers::assisted_by(c, s.account)).await?;
    let mut out = Vec::new();
    for (body, status) in rows {
        let r: Receipt = serde_json::from_str(&body)?;
        let resident = resident_hint(&r.applicant);
        out.push(AssistedDossier { dossier: DossierSummary::of(r, status), resident });
    }
    Ok(([(header::CACHE_CONTROL, "private, no-store")], Json(out)).into_response())
}

/// Send the tracking link to the applicant's phone (by the volunteer who
/// filed it, or its owner). The address is `--public-url`, else the one
/// the browser reached.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/send-link", tag = "volunteers",
    params(("code" = String, Path)),
    responses((status = 204), (status = 401, body = ApiError), (status = 404, body = ApiError), (status = 429, body = ApiError)))]
pub async fn send_link(
    State(st): State<AppState>,
    s: SignedIn,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<StatusCode> {
    let (d, a) = crate::http::dossiers::open(&st, &code, Some(&s), "").await?;
    if !matches!(a, Access::Owner | Access::Assistant) {
        return Err(Error::not_found());
    }
    if d.receipt.applicant.phone.is_empty() {
        return Err(Error::field(
            "phone",
            "Người được nộp hộ không có số điện thoại; hãy đưa họ giấy tiếp nhận có mã QR",
            "The resident has no phone; give them the receipt with its QR code",
        ));
    }
    limit(&st, &format!("link:{code}"), LINKS_PER_DOSSIER)?;
    let mut text = crate::notify::status_text(&origin(&st, &headers), &d, "");
    // Until claimed, the code that makes it the resident's own in their account.
    if let Some(claim) = d.claim_code.as_deref().filter(|_| d.claimed_by.is_none()) {
        text.push_str(&format!(". Mã nhận hồ sơ vào tài khoản: {claim}"));
    }
    let phone = &d.receipt.applicant.phone;
    let m = crate::sms::Message {
        dossier: Some(code.clone()),
        ..crate::sms::Message::to(phone, &text)
    };
    st.sms.send_message(&m, st.now()).map_err(|_| Error::sms_unavailable())?;
    Ok(StatusCode::NO_CONTENT)
}

/// The address links in texts are built on: the deployment's own when
/// configured (`--public-url`; a forged Host header must not put another
/// site in a text to a citizen), else the one the request reached.
pub fn origin(st: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &st.public_url {
        return u.to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b)))
        .unwrap_or("localhost");
    let scheme = if st.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residents_are_shown_by_initials_and_three_digits() {
        let lan = contract::dossier::Applicant {
            full_name: "Nguyễn Thị Lan".into(),
            citizen_id: "020090123456".into(),
            birth_date: "09/05/1990".into(),
            phone: "0912345678".into(),
            email: String::new(),
            address: "Pò Mỏ".into(),
        };
        assert_eq!(resident_hint(&lan), "N. T. L. · ***456");
    }
}
