//! What handlers take from a request besides its body: the client's
//! address, the signed-in citizen (required or optional), the
//! idempotency key of a submission; and the CSRF rule as middleware.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use contract::account::{Me, CSRF_HEADER, SESSION_COOKIE};

use crate::error::{Error, Result};
use crate::{secrets, store, AppState};

/// Sessions end after this long without use …
pub const SESSION_IDLE: u64 = 30 * 60;
/// … and after this long in all.
pub const SESSION_MAX: u64 = 12 * 60 * 60;

/// The client's address, as the socket saw it ("local" in tests).
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        st: &AppState,
    ) -> std::result::Result<Self, Self::Rejection> {
        let Some(peer) = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()) else {
            return Ok(ClientIp("local".into()));
        };
        // Behind the province's reverse proxy (`--trusted-proxy`), the
        // client is the address it appended last; nobody else may say so.
        let forwarded = (Some(peer) == st.trusted_proxy)
            .then(|| parts.headers.get("x-forwarded-for"))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<std::net::IpAddr>().ok());
        Ok(ClientIp(client_key(forwarded.unwrap_or(peer))))
    }
}

/// What the rate limits count a client by: its IPv4 address, or the /64
/// an IPv6 address belongs to (one household or phone has a whole /64).
pub fn client_key(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Refuse state-changing API requests without the app's custom header.
pub async fn require_csrf_header(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let path = req.uri().path();
    // Browsers post CSP reports themselves and cannot add the header; the
    // payment platform's callback proves itself with its MAC instead.
    let exempt = path == "/api/v1/csp-reports"
        || path == "/api/v1/payments/confirm"
        || !path.starts_with("/api/");
    if safe || exempt || req.headers().get(CSRF_HEADER).is_some_and(|v| v == "1") {
        return next.run(req).await;
    }
    Error::new(
        StatusCode::FORBIDDEN,
        "csrf",
        "Yêu cầu bị từ chối vì không đến từ ứng dụng / Request refused: it did not come from the app",
    )
    .into_response()
}

// ------------------------------------------------------------------ cookies

/// The value of cookie `name` the browser sent, if any.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name && !v.is_empty()).then(|| v.to_string())
        })
}

/// The bearer token of `Authorization: Bearer …`; empty when there is none.
pub fn bearer(headers: &HeaderMap) -> &str {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("")
}

/// The session token the browser sent, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE)
}

/// Only the token's digest is stored.
pub fn token_hash(token: &str) -> String {
    secrets::sha256_parts(&[token.as_bytes()])
}

/// `Set-Cookie` for the session: HttpOnly, SameSite=Strict, Secure when
/// the portal is reached over HTTPS. An empty token and 0 clear it.
pub fn session_cookie(st: &AppState, token: &str, max_age: u64) -> HeaderValue {
    strict_cookie(st, SESSION_COOKIE, "/", token, max_age)
}

/// `Set-Cookie` for an HttpOnly, SameSite=Strict cookie under `path`.
pub fn strict_cookie(
    st: &AppState,
    name: &str,
    path: &str,
    value: &str,
    max_age: u64,
) -> HeaderValue {
    let secure = if st.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .expect("cookie is ASCII")
}

/// A response that is never cached.
pub fn no_store(body: impl IntoResponse) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// A response that sets a cookie and is never cached.
pub fn with_cookie(cookie: HeaderValue, status: StatusCode, body: impl IntoResponse) -> Response {
    let mut res = (status, body).into_response();
    res.headers_mut().insert(header::SET_COOKIE, cookie);
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Start a session for `account`; the cookie that carries it.
pub async fn start_session(st: &AppState, account: i64) -> Result<HeaderValue> {
    new_session(st, account, false).await
}

/// Start a session for `account`, saying whether a kiosk pairing made it.
pub async fn new_session(st: &AppState, account: i64, paired: bool) -> Result<HeaderValue> {
    let token = secrets::random_hex::<32>();
    let hash = token_hash(&token);
    let now = st.now() as i64;
    st.db.call(move |c| store::accounts::insert_session(c, &hash, account, now, paired)).await?;
    Ok(session_cookie(st, &token, SESSION_MAX))
}

// ------------------------------------------------------------ who is asking

/// The signed-in citizen: their account and its details. Handlers that
/// take it answer 401 (`unauthorized`, or `session_expired` when a cookie
/// came whose session is over) to anyone else.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub account: i64,
    pub me: Me,
    /// Unix seconds when the request came.
    pub now: i64,
    /// The session's token hash (what a grant made from it names).
    pub session: String,
    /// A kiosk pairing made this session: it cannot approve another.
    pub paired: bool,
}

impl SignedIn {
    /// Who is asking, as `store::dossiers::access` takes it.
    pub fn viewer(&self) -> store::dossiers::Viewer<'_> {
        store::dossiers::Viewer {
            account: self.account,
            citizen_id: &self.me.citizen_id,
            verified: self.me.identity_verified,
            now: self.now,
        }
    }
}

async fn signed_in(st: &AppState, headers: &HeaderMap) -> Result<SignedIn> {
    let token = session_token(headers).ok_or_else(Error::unauthorized)?;
    let hash = token_hash(&token);
    let now = st.now() as i64;
    let session = hash.clone();
    let found = st
        .db
        .call(move |c| -> rusqlite::Result<Option<(store::accounts::Live, Me)>> {
            let live = store::accounts::live_session(
                c,
                &hash,
                now,
                SESSION_IDLE as i64,
                SESSION_MAX as i64,
            )?;
            live.map(|l| store::accounts::me(c, l.account).map(|me| (l, me))).transpose()
        })
        .await?;
    found
        .map(|(l, me)| SignedIn { account: l.account, me, now, session, paired: l.paired })
        .ok_or_else(Error::session_expired)
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Error;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self> {
        signed_in(st, &parts.headers).await
    }
}

/// A signed-in citizen asking about one thing the path names (a dossier's
/// or booking's code, a draft's or session's id): the portal, who asks,
/// and the name. Whether the thing is theirs is the handler's to check.
pub struct Asked {
    pub st: AppState,
    pub me: SignedIn,
    pub name: String,
}

impl FromRequestParts<AppState> for Asked {
    type Rejection = Error;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self> {
        let me = signed_in(st, &parts.headers).await?;
        let axum::extract::Path(name) =
            axum::extract::Path::<String>::from_request_parts(parts, st)
                .await
                .map_err(|_| Error::not_found())?;
        Ok(Asked { st: st.clone(), me, name })
    }
}

/// Whoever is asking: a signed-in citizen, or nobody (public pages).
pub struct Viewer(pub Option<SignedIn>);

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Error;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self> {
        match signed_in(st, &parts.headers).await {
            Ok(s) => Ok(Viewer(Some(s))),
            Err(e) if e.status == StatusCode::UNAUTHORIZED => Ok(Viewer(None)),
            Err(e) => Err(e),
        }
    }
}

/// The `Idempotency-Key` header of a submission: 16–100 visible ASCII
/// characters, required.
pub struct IdempotencyKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = Error;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self> {
        let key = parts.headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or("");
        if (16..=100).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(IdempotencyKey(key.to_string()))
        } else {
            Err(Error::new(
                StatusCode::BAD_REQUEST,
                "idempotency_key",
                "Thiếu khóa chống nộp trùng (Idempotency-Key, 16–100 ký tự) / Idempotency-Key (16–100 characters) is required",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::client_key;

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        let a = client_key("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = client_key("2001:db8:1:2:bbbb::9".parse().unwrap());
        assert_eq!(a, b);
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_ne!(a, client_key("2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(client_key("::ffff:203.0.113.5".parse().unwrap()), "203.0.113.5");
        assert_eq!(client_key("203.0.113.5".parse().unwrap()), "203.0.113.5");
    }
}
