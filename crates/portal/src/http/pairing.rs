//! Signing a shared kiosk in from the citizen's own phone, so nobody types
//! a password on a public screen (see `contract::account::PAIRING_TTL_SECS`).
//!
//! 1. The kiosk starts a pairing: it gets a code for its QR link and an
//!    HttpOnly cookie (path `/api/v1/pairings`) that only it holds.
//! 2. The phone, signed in (its own password, later VNeID), opens the link
//!    and confirms, having compared the two check digits on both screens.
//! 3. The kiosk, polling with its cookie, then gets a session of its own for
//!    that account; the pairing is deleted. A photo of the screen is worth
//!    nothing without the kiosk's cookie, and a code is confirmed only once.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Json;
use contract::account::{
    is_pairing_code, Me, PairingInfo, PairingStarted, PairingWait, PAIRING_COOKIE, PAIRING_TTL_SECS,
};
use contract::error::ApiError;
use utoipa_axum::router::OpenApiRouter;

use crate::error::{Error, Result};
use crate::http::extract::Asked;
use crate::http::extract::{
    cookie, new_session, no_store, strict_cookie, token_hash, with_cookie, ClientIp,
};
use crate::limits::Rule;
use crate::{secrets, store, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    paths!(start; info; approve; collect)
}

/// A kiosk starts a new pairing every few minutes at most; an office's
/// kiosks may share one address.
const START_PER_CLIENT: Rule = Rule::new(60, 15 * 60);
const COOKIE_PATH: &str = "/api/v1/pairings";

fn gone() -> Error {
    Error::new(
        StatusCode::NOT_FOUND,
        "pairing_gone",
        "Mã QR này đã hết hạn hoặc đã được dùng. Trên máy kiosk, chọn “Tạo mã mới” rồi quét lại. / This QR code has expired or was already used. On the kiosk, choose “New code” and scan again.",
    )
}

fn pairing_cookie(st: &AppState, value: &str, max_age: u64) -> HeaderValue {
    strict_cookie(st, PAIRING_COOKIE, COOKIE_PATH, value, max_age)
}

/// A pairing in time, by a code of the right shape.
async fn load(st: &AppState, code: &str) -> Result<store::accounts::Pairing> {
    if !is_pairing_code(code) {
        return Err(gone());
    }
    let (code, now) = (code.to_string(), st.now() as i64);
    st.db.call(move |c| store::accounts::pairing(c, &code, now)).await?.ok_or_else(gone)
}

fn left(st: &AppState, p: &store::accounts::Pairing) -> u64 {
    (p.expires_at - st.now() as i64).max(0) as u64
}

/// Start a pairing (the kiosk's sign-in page). Sets the kiosk's pairing cookie.
#[utoipa::path(post, path = "/api/v1/pairings", tag = "accounts",
    responses((status = 201, body = PairingStarted), (status = 429, body = ApiError)))]
pub async fn start(State(st): State<AppState>, ClientIp(ip): ClientIp) -> Result<Response> {
    let now = st.now();
    st.limits.take(&format!("pairing-ip:{ip}"), START_PER_CLIENT, now).map_err(Error::too_many)?;
    let code = secrets::random_hex::<16>();
    let secret = secrets::random_hex::<32>();
    let check = format!("{:02}", u16::from_le_bytes(secrets::random_bytes::<2>()) % 100);
    let expires = now + PAIRING_TTL_SECS;
    let (c2, hash, ch) = (code.clone(), token_hash(&secret), check.clone());
    st.db
        .call(move |c| {
            store::accounts::insert_pairing(c, &c2, &hash, &ch, now as i64, expires as i64)
        })
        .await?;
    let started = PairingStarted { code, check, expires_in: PAIRING_TTL_SECS };
    let cookie = pairing_cookie(&st, &secret, PAIRING_TTL_SECS);
    Ok(with_cookie(cookie, StatusCode::CREATED, Json(started)))
}

/// What the phone is asked to confirm (it has opened the kiosk's link).
#[utoipa::path(get, path = "/api/v1/pairings/{code}", tag = "accounts",
    params(("code" = String, Path, description = "The code of the kiosk's QR link")),
    responses((status = 200, body = PairingInfo), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn info(Asked { st, me: _me, name: code }: Asked) -> Result<Response> {
    let p = load(&st, &code).await?;
    if p.account.is_some() {
        return Err(gone());
    }
    st.db.call(move |c| store::accounts::pairing_opened(c, &code)).await?;
    let body = PairingInfo { check: p.check.clone(), expires_in: left(&st, &p) };
    Ok(no_store(Json(body)))
}

/// The phone's citizen confirms: the kiosk may sign in as them (once).
#[utoipa::path(post, path = "/api/v1/pairings/{code}/approve", tag = "accounts",
    params(("code" = String, Path, description = "The code of the kiosk's QR link")),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn approve(Asked { st, me, name: code }: Asked) -> Result<StatusCode> {
    if !is_pairing_code(&code) {
        return Err(gone());
    }
    // A kiosk's own session cannot sign in a further kiosk: only the
    // citizen's own device, signed in by them, gives that grant.
    if me.paired {
        return Err(Error::new(
            StatusCode::FORBIDDEN,
            "pairing_from_kiosk",
            "Chỉ có thể xác nhận bằng điện thoại của chính bạn, nơi bạn tự đăng nhập; phiên trên máy kiosk không xác nhận được máy khác / Confirm on your own phone, where you signed in yourself; a kiosk's session cannot sign in another device",
        ));
    }
    let (account, now, by) = (me.account, st.now() as i64, me.session.clone());
    let done =
        st.db.call(move |c| store::accounts::approve_pairing(c, &code, account, &by, now)).await?;
    if done {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(gone())
    }
}

/// The kiosk asks whether its pairing was confirmed: `202` while not, and
/// once it is, the session (cookie) and who is signed in.
#[utoipa::path(post, path = "/api/v1/pairings/{code}/session", tag = "accounts",
    params(("code" = String, Path, description = "The code of the kiosk's QR link")),
    responses((status = 200, body = Me), (status = 202, body = PairingWait), (status = 404, body = ApiError)))]
pub async fn collect(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response> {
    let p = load(&st, &code).await?;
    // Only the kiosk that started it: the same answer as for no pairing.
    let held = cookie(&headers, PAIRING_COOKIE).map(|s| token_hash(&s));
    if !held.is_some_and(|h| secrets::same_secret(&h, &p.kiosk_hash)) {
        return Err(gone());
    }
    let Some(account) = p.account else {
        let wait = PairingWait { opened: p.opened, expires_in: left(&st, &p) };
        return Ok(no_store((StatusCode::ACCEPTED, Json(wait))));
    };
    // Collected once, and only while the session that approved it lives:
    // a sign-out, a password reset or a takeover since has ended it.
    if !st.db.call(move |c| store::accounts::collect_pairing(c, &code)).await? {
        return Err(gone());
    }
    let session = new_session(&st, account, true).await?;
    let me = st.db.call(move |c| store::accounts::me(c, account)).await?;
    let mut res = with_cookie(session, StatusCode::OK, Json(me));
    res.headers_mut().append(header::SET_COOKIE, pairing_cookie(&st, "", 0));
    Ok(res)
}
