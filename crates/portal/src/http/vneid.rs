//! Signing in with VNeID: `start` sends the browser to the provider with a
//! cookie binding the sign-in to it; `callback` checks the answer, links
//! the account by the proven ID number and starts the portal's own session.
//! Every failure ends on the sign-in page with `?vneid=` saying why (see
//! `contract::account::VneidFailure`), never on a bare error.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use contract::account::{
    safe_next, VneidFailure, SIGN_IN_PATH, VNEID_COOKIE, VNEID_FAILED_PARAM, VNEID_TTL_SECS,
};
use serde::Deserialize;

use super::extract::{cookie, start_session, token_hash, ClientIp};
use crate::error::Result;
use crate::secrets::same_secret;
use crate::vneid::Failed;
use crate::{store, AppState};

pub fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    paths!(start; callback)
}

/// VNeID sign-ins one client may start in 15 minutes (an office's kiosks
/// may share one address).
const STARTS_PER_CLIENT: crate::limits::Rule = crate::limits::Rule::new(30, 15 * 60);

/// Where a sign-in returns when it was not asked to go anywhere.
const HOME: &str = "/tai-khoan";

#[derive(Deserialize, utoipa::IntoParams)]
pub struct StartQuery {
    /// Where to return after signing in: a path of the app.
    #[serde(default)]
    tiep: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct CallbackQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    state: String,
    /// The provider's error, e.g. `access_denied` when the citizen cancelled.
    #[serde(default)]
    error: String,
}

/// A redirect that is never cached, setting `cookies`.
/// Set on the sign-in that made an account without a phone; the app reads
/// it (it says nothing but "ask"), asks once and deletes it.
pub const ASK_PHONE_COOKIE: &str = "motcua_ask_phone";

fn see_other(to: &str, cookies: &[HeaderValue]) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    let h = res.headers_mut();
    h.insert(header::LOCATION, HeaderValue::from_str(to).unwrap_or(HeaderValue::from_static("/")));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for c in cookies {
        h.append(header::SET_COOKIE, c.clone());
    }
    res
}

/// The binding cookie: HttpOnly, and SameSite=Lax so that it comes along on
/// the provider's redirect back (a top-level navigation from another site).
fn binding(st: &AppState, value: &str, max_age: u64) -> HeaderValue {
    let secure = if st.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{VNEID_COOKIE}={value}; Path=/api/v1/vneid; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .expect("cookie is ASCII")
}

/// Back to the sign-in page, saying why, still on the way to `next`.
fn failed(st: &AppState, why: VneidFailure, next: &str) -> Response {
    let mut to = format!("{SIGN_IN_PATH}?{VNEID_FAILED_PARAM}={}", why.slug());
    if !next.is_empty() {
        to.push_str("&tiep=");
        to.extend(url::form_urlencoded::byte_serialize(next.as_bytes()));
    }
    see_other(&to, &[binding(st, "", 0)])
}

/// Start signing in with VNeID (a page navigation): on to the provider's
/// login page, or back to the sign-in page with `?vneid=` saying why not.
#[utoipa::path(get, path = "/api/v1/vneid/start", tag = "accounts", params(StartQuery),
    responses((status = 303, description = "To the provider's login page; or to the sign-in page with `?vneid=` naming why not")))]
pub async fn start(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Query(q): Query<StartQuery>,
) -> Result<Response> {
    // A return path longer than any of the app's (or not the app's) is
    // dropped: the sign-in still works and ends on the account page.
    let next = safe_next(&q.tiep).unwrap_or("").to_string();
    let Some(vneid) = st.vneid.clone() else {
        return Ok(failed(&st, VneidFailure::Off, &next));
    };
    // Each start stores a row for ten minutes: counted per client (not
    // widened in --dev: no test starts thirty).
    if st.limits.take(&format!("vneid-ip:{ip}"), STARTS_PER_CLIENT, st.now()).is_err() {
        return Ok(failed(&st, VneidFailure::TooMany, &next));
    }
    let started = match vneid.start().await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(?e, "VNeID sign-in could not start");
            return Ok(failed(&st, VneidFailure::Provider, &next));
        }
    };
    let (hash, expires) = (token_hash(&started.state), st.now() as i64 + VNEID_TTL_SECS as i64);
    let (nonce, verifier) = (started.nonce, started.verifier);
    st.db
        .call(move |c| {
            store::accounts::insert_vneid_login(c, &hash, &nonce, &verifier, &next, expires)
        })
        .await?;
    Ok(see_other(&started.url, &[binding(&st, &started.state, VNEID_TTL_SECS)]))
}

/// Where VNeID sends the citizen back: the answer must belong to a sign-in
/// this browser started (state and its cookie), once and in time; then the
/// code is exchanged and the ID token checked; the account is the one of
/// the proven ID number (made, or taken over from an unproven one).
#[utoipa::path(get, path = "/api/v1/vneid/callback", tag = "accounts", params(CallbackQuery),
    responses((status = 303, description = "Signed in (session cookie) and on to where the sign-in was going; or to the sign-in page with `?vneid=` naming why not")))]
pub async fn callback(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Result<Response> {
    let bound = cookie(&headers, VNEID_COOKIE).unwrap_or_default();
    let ours = !q.state.is_empty() && same_secret(&q.state, &bound);
    let (hash, now) = (token_hash(&q.state), st.now() as i64);
    let login = if ours {
        st.db.call(move |c| store::accounts::take_vneid_login(c, &hash, now)).await?
    } else {
        None
    };
    let Some(login) = login else {
        return Ok(failed(&st, VneidFailure::State, ""));
    };
    if !q.error.is_empty() {
        let why = if q.error == "access_denied" {
            VneidFailure::Cancelled
        } else {
            VneidFailure::Provider
        };
        return Ok(failed(&st, why, &login.next));
    }
    let Some(vneid) = st.vneid.clone() else {
        return Ok(failed(&st, VneidFailure::Off, &login.next));
    };
    let claims = match vneid.finish(&q.code, &login.verifier, &login.nonce).await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(?e, "VNeID sign-in refused");
            let why = match e {
                Failed::Provider(_) => VneidFailure::Provider,
                Failed::Token(_) => VneidFailure::Token,
            };
            return Ok(failed(&st, why, &login.next));
        }
    };
    // The ID number checked by the contract's own rule, against the birth date too.
    let birth = contract::account::birth_date_from_claim(&claims.birth_date);
    let day = birth.as_deref().and_then(contract::time::parse_dmy);
    let id = contract::validate::citizen_id(&claims.citizen_id, day).ok();
    let (Some(birth), Some(citizen_id), true) = (birth, id, claims.level >= 2) else {
        return Ok(failed(&st, VneidFailure::Level, &login.next));
    };
    let name = claims.full_name.split_whitespace().collect::<Vec<_>>().join(" ");
    let (account, no_phone_yet) = st
        .db
        .call(move |c| store::accounts::link_proven(c, &citizen_id, &name, &birth, now))
        .await?;
    let session = start_session(&st, account).await?;
    let next = if login.next.is_empty() { HOME } else { &login.next };
    let mut cookies = vec![session, binding(&st, "", 0)];
    // VNeID gives no phone: the app asks for one, once, wherever this lands.
    if no_phone_yet {
        let secure = if st.secure_cookies { "; Secure" } else { "" };
        cookies.push(
            HeaderValue::from_str(&format!(
                "{ASK_PHONE_COOKIE}=1; Path=/; SameSite=Strict; Max-Age=900{secure}"
            ))
            .expect("cookie is ASCII"),
        );
    }
    Ok(see_other(next, &cookies))
}
