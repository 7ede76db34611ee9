//! Signing in and out, and the signed-in citizen's own profile.
//!
//! - Passwords: argon2id (PHC string with its own salt and parameters).
//! - Sessions: a random 256-bit token in an HttpOnly, SameSite=Strict cookie;
//!   only its SHA-256 is stored. They end after 30 minutes without use, after
//!   12 hours in all, at sign-out, and (all of them) at a password reset.
//! - Sign-in is limited per account and per client (`429` with `retry_after`).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use contract::account::*;
use contract::error::ApiError;
use contract::validate;

use crate::error::{Error, Result};
use crate::http::accounts::{
    code_message, create_challenge, expired, find_account, identifier, load_challenge, NewChallenge,
};
use crate::http::extract::Asked;
use crate::http::extract::{
    no_store, session_cookie, session_token, start_session, token_hash, with_cookie, ClientIp,
    SignedIn, Viewer,
};
use crate::limits::Rule;
use crate::{secrets, store, AppState};

use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    paths!(current_session, sign_in, sign_out; me, update_me; change_phone; confirm_phone; sign_out_everywhere)
}

/// Wrong passwords for one account from one client: a stranger who tries
/// locks out only themselves.
const SIGN_IN_PER_ACCOUNT_AND_CLIENT: Rule = Rule::new(5, 15 * 60);
/// Wrong passwords for one account from everywhere: a guesser with many
/// addresses is still slowed, and the owner's own client keeps its five.
const SIGN_IN_PER_ACCOUNT: Rule = Rule::new(30, 15 * 60);
/// An identifier no account has: answered as slowly, counted alike.
const SIGN_IN_PER_UNKNOWN: Rule = Rule::new(5, 15 * 60);
const SIGN_IN_PER_CLIENT: Rule = Rule::new(20, 15 * 60);

/// Sign in with citizen ID or phone and password.
#[utoipa::path(post, path = "/api/v1/session", tag = "accounts",
    request_body = SignInRequest,
    responses((status = 200, body = Me), (status = 401, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn sign_in(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<SignInRequest>,
) -> Result<Response> {
    let now = st.now();
    let key = identifier(&req.identifier).map_err(|p| Error::invalid([("identifier", p)]))?;
    let found = find_account(&st, &key).await?;
    // Counted before the password is checked, in one step each, so a
    // burst of parallel attempts cannot slip past; per account whichever
    // identifier was typed (ID number and phone share one count).
    let (account_key, pair_key) = match &found {
        Some((account, _, _)) => {
            (format!("signin-account:{account}"), format!("signin-pair:{account}:{ip}"))
        }
        None => (format!("signin-unknown:{key:?}"), String::new()),
    };
    let client_key = format!("signin-ip:{ip}");
    // Each count taken in turn; one that is full gives back those before it.
    let mut taken: Vec<&str> = Vec::new();
    let counts = [
        (client_key.as_str(), SIGN_IN_PER_CLIENT),
        (pair_key.as_str(), SIGN_IN_PER_ACCOUNT_AND_CLIENT),
        (
            account_key.as_str(),
            if found.is_some() { SIGN_IN_PER_ACCOUNT } else { SIGN_IN_PER_UNKNOWN },
        ),
    ];
    for (key, rule) in counts.into_iter().filter(|(k, _)| !k.is_empty()) {
        if let Err(wait) = st.limits.take(key, rule, now) {
            taken.iter().for_each(|k| st.limits.untake(k));
            return Err(Error::too_many(wait));
        }
        taken.push(key);
    }
    let stored =
        found.as_ref().map(|f| f.2.clone()).unwrap_or_else(|| secrets::dummy_hash().to_string());
    let Ok(ok) = crate::hashing::check(&req.password, &stored).await else {
        // Not checked: it was no attempt against anyone.
        taken.iter().for_each(|k| st.limits.untake(k));
        return Err(Error::busy(5));
    };
    match found {
        Some((account, _, _)) if ok => {
            // A right password is not an attempt against anyone: this
            // client's count on the account starts again, and the tries it
            // made give their room back to the account's and its own.
            st.limits.clear(&pair_key);
            st.limits.untake(&account_key);
            st.limits.untake(&client_key);
            let cookie = start_session(&st, account).await?;
            let me = st.db.call(move |c| store::accounts::me(c, account)).await?;
            Ok(with_cookie(cookie, StatusCode::OK, Json(me)))
        }
        _ => Err(Error::new(
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "Số định danh cá nhân/số điện thoại hoặc mật khẩu không đúng / The ID or phone, or the password, is not right",
        )),
    }
}

/// Sign out: the session ends on the server too.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts", responses((status = 204)))]
pub async fn sign_out(State(st): State<AppState>, headers: HeaderMap) -> Result<Response> {
    if let Some(token) = session_token(&headers) {
        let hash = token_hash(&token);
        st.db.call(move |c| store::accounts::delete_session(c, &hash)).await?;
    }
    Ok(with_cookie(session_cookie(&st, "", 0), StatusCode::NO_CONTENT, ()))
}

/// Sign out everywhere: every session of the account ends (this one too),
/// with every kiosk pairing approved from one and code exchange in flight.
#[utoipa::path(delete, path = "/api/v1/me/sessions", tag = "accounts",
    responses((status = 204), (status = 401, body = ApiError)))]
pub async fn sign_out_everywhere(State(st): State<AppState>, s: SignedIn) -> Result<Response> {
    let account = s.account;
    st.db
        .call(move |c| -> rusqlite::Result<()> {
            let tx = crate::db::write_tx(c)?;
            store::accounts::end_sessions(&tx, account)?;
            tx.commit()
        })
        .await?;
    Ok(with_cookie(session_cookie(&st, "", 0), StatusCode::NO_CONTENT, ()))
}

/// Who is signed in on this browser: `{"me": null}` for nobody.
#[utoipa::path(get, path = "/api/v1/session", tag = "accounts",
    responses((status = 200, body = SessionState)))]
pub async fn current_session(Viewer(viewer): Viewer) -> Response {
    no_store(Json(SessionState { me: viewer.map(|v| v.me) }))
}

/// The signed-in citizen.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, body = ApiError)))]
pub async fn me(me: SignedIn) -> Response {
    no_store(Json(me.me))
}

/// Change the e-mail address, or turn status texts on or off.
#[utoipa::path(patch, path = "/api/v1/me", tag = "accounts", request_body = ProfileUpdate,
    responses((status = 200, body = Me), (status = 401, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update_me(
    State(st): State<AppState>,
    s: SignedIn,
    Json(req): Json<ProfileUpdate>,
) -> Result<Json<Me>> {
    let email = match &req.email {
        Some(e) => Some(validate::email(e).map_err(|p| Error::invalid([("email", p)]))?),
        None => None,
    };
    let me = st
        .db
        .call(move |c| {
            if let Some(email) = email {
                store::accounts::set_email(c, s.account, &email)?;
            }
            if let Some(on) = req.status_texts {
                store::accounts::set_status_texts(c, s.account, on)?;
            }
            store::accounts::me(c, s.account)
        })
        .await?;
    Ok(Json(me))
}

/// Start a phone change: a code goes to the new phone.
#[utoipa::path(post, path = "/api/v1/me/phone", tag = "accounts", request_body = PhoneChangeRequest,
    responses((status = 202, body = CodeSent), (status = 401, body = ApiError), (status = 422, body = ApiError)))]
pub async fn change_phone(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    s: SignedIn,
    Json(req): Json<PhoneChangeRequest>,
) -> Result<(StatusCode, Json<CodeSent>)> {
    let phone = validate::phone(&req.phone).map_err(|p| Error::invalid([("phone", p)]))?;
    let ph = phone.clone();
    let taken = st.db.call(move |c| store::accounts::phone_taken(c, &ph)).await?;
    let sent = create_challenge(
        &st,
        &ip,
        NewChallenge {
            purpose: "phone",
            phone: phone.clone(),
            account: Some(s.account),
            payload: "{}".into(),
            live: !taken,
            message: (!taken).then(|| (phone, code_message("đổi số điện thoại"))),
        },
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(sent)))
}

/// Finish a phone change once its code is verified.
#[utoipa::path(post, path = "/api/v1/me/phone/{id}", tag = "accounts", params(("id" = String, Path)),
    responses((status = 200, body = Me), (status = 401, body = ApiError), (status = 410, body = ApiError)))]
pub async fn confirm_phone(Asked { st, me: s, name: id }: Asked) -> Result<Json<Me>> {
    let now = st.now() as i64;
    let ch = load_challenge(&st, &id).await?;
    if ch.purpose != "phone"
        || ch.account != Some(s.account)
        || !ch.verified
        || ch.used
        || now >= ch.expires_at
    {
        return Err(expired());
    }
    let me = st
        .db
        .call(move |c| -> rusqlite::Result<Option<Me>> {
            let tx = crate::db::write_tx(c)?;
            let changed = store::accounts::set_phone(&tx, s.account, &ch.phone)?;
            store::accounts::used(&tx, &id)?;
            let me = store::accounts::me(&tx, s.account)?;
            tx.commit()?;
            Ok(changed.then_some(me))
        })
        .await?;
    me.map(Json).ok_or_else(|| {
        Error::conflict(
            "Số điện thoại này đã được dùng cho tài khoản khác",
            "This phone is used by another account",
        )
    })
}

/// `--dev` only: the text messages the portal would have sent.
pub async fn dev_outbox(State(st): State<AppState>) -> Json<Vec<OutboxMessage>> {
    Json(st.sms.outbox())
}
