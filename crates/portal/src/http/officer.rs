//! Officers move dossiers through their statuses (token in
//! `Authorization: Bearer …`, set with `--officer-token`); the rules are
//! the contract's, applied by `store::dossiers::transition`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use contract::error::ApiError;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::store::dossiers::{Move, TransitionError};
use crate::{secrets, AppState};

use utoipa_axum::router::OpenApiRouter;

/// Wrong officer tokens one client may try in 15 minutes.
const OFFICER_TRIES: crate::limits::Rule = crate::limits::Rule::new(10, 15 * 60);

pub fn routes() -> OpenApiRouter<AppState> {
    paths!(officer_transition; officer_payments)
}

/// The officer's bearer token, checked; wrong guesses are limited per client.
fn authorize(
    st: &AppState,
    ip: &crate::http::extract::ClientIp,
    headers: &HeaderMap,
) -> Result<()> {
    let given = crate::http::extract::bearer(headers);
    let expected = st.officer_token.as_deref().unwrap_or("");
    // The right token is never locked out by others' wrong ones (a
    // stranger behind the same address cannot stop the desk's work); it
    // is long and random, so the limit only slows the guessing of wrong ones.
    if !expected.is_empty() && secrets::same_secret(given, expected) {
        return Ok(());
    }
    let key = format!("officer:{}", ip.0);
    crate::http::accounts::limit(st, &key, OFFICER_TRIES)?;
    Err(Error::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "Cần mã truy cập của cán bộ / An officer token is required",
    ))
}

/// An officer, by the bearer token: the one gate of every officer route
/// (checked before any body is read).
pub struct Officer;

impl axum::extract::FromRequestParts<AppState> for Officer {
    type Rejection = Error;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        st: &AppState,
    ) -> Result<Self> {
        let ip = crate::http::extract::ClientIp::from_request_parts(parts, st)
            .await
            .unwrap_or_else(|never| match never {});
        authorize(st, &ip, &parts.headers)?;
        Ok(Officer)
    }
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct TransitionRequest {
    /// The new status, 1–10 as the national portal numbers them.
    pub to: u8,
    /// A note the citizen will see (what to bring, why it stopped…).
    #[serde(default)]
    pub note: String,
    /// Required when `to` is 6: the amount to pay, in đồng.
    #[serde(default)]
    pub amount: Option<u64>,
}

/// Officers (token in `Authorization: Bearer …`, set with `--officer-token`)
/// move a dossier to its next status; the rules are the contract's.
#[utoipa::path(post, path = "/api/v1/officer/dossiers/{code}/transitions", tag = "officer",
    params(("code" = String, Path)), request_body = TransitionRequest,
    responses((status = 204), (status = 401, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn officer_transition(
    State(st): State<AppState>,
    _: Officer,
    headers: HeaderMap,
    Path(code): Path<String>,
    Json(req): Json<TransitionRequest>,
) -> Result<StatusCode> {
    let now = st.now() as i64;
    let note = req.note.chars().take(2000).collect::<String>();
    let route = crate::notify::Route {
        origin: crate::http::volunteers::origin(&st, &headers),
        channel: st.sms.news_route().map(|(c, s)| (c.to_string(), s.to_string())),
    };
    let told = st
        .db
        .call(move |c| {
            let m = Move { to: req.to, note: &note, amount: req.amount, by_citizen: false };
            crate::notify::move_and_tell(c, &code, m, (now, crate::notify::By::Officer), &route)
        })
        .await?;
    if told.queued {
        st.sms.wake();
    }
    match told.moved {
        Ok(_) => Ok(StatusCode::NO_CONTENT),
        Err(TransitionError::UnknownDossier) => Err(Error::not_found()),
        Err(TransitionError::AmountMissing) => Err(Error::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Cần số tiền phải nộp (amount, đồng) / The amount to pay (amount, in đồng) is required",
        )),
        Err(TransitionError::UnknownStatus) => Err(Error::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Trạng thái từ 1 đến 10 / Status is 1 to 10",
        )),
        Err(TransitionError::NotAllowed { from, to }) => Err(Error::new(
            StatusCode::CONFLICT,
            "transition",
            format!("Không chuyển được từ trạng thái {from} sang {to} / Status {from} cannot move to {to}"),
        )),
        Err(TransitionError::KeptByBackOffice) => Err(Error::new(
            StatusCode::CONFLICT,
            "transition",
            "Hồ sơ do hệ thống một cửa của tỉnh xử lý; hãy chuyển trạng thái ở đó / The province's back office keeps this dossier; move it there",
        )),
    }
}

/// Officers see every payment attempt of a dossier (paid, pending, failed),
/// with its e-receipt and whether the back office was told.
#[utoipa::path(get, path = "/api/v1/officer/dossiers/{code}/payments", tag = "officer",
    params(("code" = String, Path)),
    responses((status = 200, body = Vec<contract::tracking::OfficerPayment>), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn officer_payments(
    State(st): State<AppState>,
    _: Officer,
    Path(code): Path<String>,
) -> Result<Json<Vec<contract::tracking::OfficerPayment>>> {
    let d = crate::http::dossiers::stored(&st, &code).await?.ok_or_else(Error::not_found)?;
    let id = d.id;
    Ok(Json(st.db.call(move |c| crate::store::payments::of_dossier(c, id)).await?))
}
