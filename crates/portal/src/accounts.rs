//! Citizen accounts: registration with a one-time code, sign-in and -out,
//! password reset, the profile, and the session cookie.
//!
//! - Passwords: argon2id (PHC string with its own salt and parameters).
//! - One-time codes: 6 digits, 5 minutes, 5 attempts, a new code at most every
//!   60 s; stored as SHA-256 of a server key, the exchange id and the code.
//! - Sessions: a random 256-bit token in an HttpOnly, SameSite=Strict cookie;
//!   only its SHA-256 is stored. They end after 30 minutes without use, after
//!   12 hours in all, at sign-out, and (all of them) at a password reset.
//! - No enumeration: registering a known ID or phone, or resetting an unknown
//!   one, answers exactly like the real thing; the owner is told by SMS instead.
//! - Rate limits per account and per client on sign-in, code sending and code
//!   checking, answered `429` with `retry_after` seconds.

use std::net::SocketAddr;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::account::*;
use contract::error::ApiError;
use contract::validate::{self, Date};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::limits::Rule;
use crate::AppState;

const SESSION_IDLE: u64 = 30 * 60;
const SESSION_MAX: u64 = 12 * 60 * 60;
/// After a code is verified, the citizen has this long to choose a password.
const VERIFIED_TTL: u64 = 15 * 60;
const MAX_SENDS: i64 = 5;

const SIGN_IN_PER_ACCOUNT: Rule = Rule {
    max: 5,
    window: 15 * 60,
};
const SIGN_IN_PER_CLIENT: Rule = Rule {
    max: 20,
    window: 15 * 60,
};
const SENDS_PER_PHONE: Rule = Rule {
    max: 5,
    window: 60 * 60,
};
const SENDS_PER_CLIENT: Rule = Rule {
    max: 20,
    window: 60 * 60,
};
/// With `--dev`, every test browser and script comes from one address: the
/// per-client limits on sending and checking codes are wider there (the
/// per-phone, per-account and per-code limits stay as they are).
pub fn per_client(st: &AppState, rule: Rule) -> Rule {
    if st.dev {
        Rule {
            max: rule.max * 25,
            ..rule
        }
    } else {
        rule
    }
}

const CHECKS_PER_CLIENT: Rule = Rule {
    max: 30,
    window: 15 * 60,
};

// ---------------------------------------------------------------- helpers

/// The key mixed into code hashes, created once per database.
pub fn server_secret(conn: &mut Connection) -> anyhow::Result<Vec<u8>> {
    let hex: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'code_secret'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(hex) = hex {
        return Ok(hex.into_bytes());
    }
    let hex = random_hex(32);
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('code_secret', ?1)",
        [&hex],
    )?;
    Ok(hex.into_bytes())
}

pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the operating system's random source");
    b
}

fn random_hex(n: usize) -> String {
    let bytes: [u8; 32] = random_bytes();
    bytes[..n.min(32)]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn new_code() -> String {
    // Rejection sampling keeps every 6-digit code equally likely.
    loop {
        let n = u32::from_le_bytes(random_bytes());
        if n < 4_000_000_000 {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

fn sha256_hex(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn code_hash(st: &AppState, challenge: &str, code: &str) -> String {
    sha256_hex(&[&st.secret, challenge.as_bytes(), code.as_bytes()])
}

/// Equal-time comparison of two hex digests.
fn same(a: &str, b: &str) -> bool {
    crate::tracking::same_secret(a, b)
}

fn hash_password(pw: &str) -> Result<String> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).map_err(Error::internal)?;
    Argon2::default()
        .hash_password(pw.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(Error::internal)
}

/// A valid argon2id hash of nothing anyone knows: verifying against it takes
/// as long as a real check, so an unknown account is not faster to refuse.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_hex(16)).unwrap_or_default())
}

fn check_password(pw: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

fn today(st: &AppState) -> Date {
    civil_date(st.now())
}

/// The calendar date in Vietnam (UTC+7) at Unix time `secs`.
pub fn civil_date(secs: u64) -> Date {
    contract::workdays::civil_from_days(((secs + 7 * 3600) / 86_400) as i64)
}

fn fmt_date(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day, d.month, d.year)
}

pub fn too_many(wait: u64) -> Error {
    let mut body = ApiError::new(
        "rate_limited",
        format!("Bạn đã thử quá nhiều lần; hãy thử lại sau {wait} giây / Too many attempts; try again in {wait} seconds"),
    );
    body.error.retry_after = Some(wait);
    Error {
        status: StatusCode::TOO_MANY_REQUESTS,
        body,
    }
}

fn invalid(fields: Vec<(&str, validate::Problem)>) -> Error {
    let mut body = ApiError::new(
        "validation",
        "Thông tin chưa hợp lệ; xem hướng dẫn ở từng ô / Some details need fixing; see each field",
    );
    for (f, p) in fields {
        body = body.with_problem(f, p);
    }
    Error {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body,
    }
}

fn fail(status: StatusCode, code: &str, message: &str) -> Error {
    Error {
        status,
        body: ApiError::new(code, message),
    }
}

/// The client's address, as the socket saw it ("local" in tests).
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        _: &S,
    ) -> std::result::Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_else(|| "local".into()),
        ))
    }
}

/// Refuse state-changing API requests without the app's custom header.
pub async fn require_csrf_header(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let path = req.uri().path();
    // Browsers post CSP reports themselves and cannot add the header.
    let exempt = path == "/api/v1/csp-reports" || !path.starts_with("/api/");
    if safe || exempt || req.headers().get(CSRF_HEADER).is_some_and(|v| v == "1") {
        return next.run(req).await;
    }
    fail(
        StatusCode::FORBIDDEN,
        "csrf",
        "Yêu cầu bị từ chối vì không đến từ ứng dụng / Request refused: it did not come from the app",
    )
    .into_response()
}

// --------------------------------------------------------------- sessions

fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == SESSION_COOKIE && !v.is_empty()).then(|| v.to_string())
        })
}

fn session_cookie(st: &AppState, token: &str, max_age: u64) -> HeaderValue {
    let secure = if st.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .expect("cookie is ASCII")
}

async fn start_session(st: &AppState, account: i64) -> Result<HeaderValue> {
    let token: String = random_bytes::<32>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let hash = sha256_hex(&[token.as_bytes()]);
    let now = st.now() as i64;
    st.db
        .call(move |c| {
            c.execute(
                "INSERT INTO sessions(token_hash, account_id, created_at, last_seen) VALUES (?1, ?2, ?3, ?3)",
                params![hash, account, now],
            )
        })
        .await?;
    Ok(session_cookie(st, &token, SESSION_MAX))
}

/// The signed-in account, from the session cookie.
pub struct Session {
    pub account: i64,
}

/// Find the session; `session_expired` when a cookie is there but no longer
/// valid (so the app can say so), `unauthorized` when there is none.
pub async fn session(st: &AppState, headers: &HeaderMap) -> Result<Session> {
    let Some(token) = cookie_value(headers) else {
        return Err(fail(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Bạn cần đăng nhập / Please sign in",
        ));
    };
    let hash = sha256_hex(&[token.as_bytes()]);
    let now = st.now() as i64;
    let found = st
        .db
        .call(move |c| -> rusqlite::Result<Option<i64>> {
            let row: Option<(i64, i64, i64)> = c
                .query_row(
                    "SELECT account_id, created_at, last_seen FROM sessions WHERE token_hash = ?1",
                    [&hash],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            match row {
                Some((account, created, seen))
                    if now - seen < SESSION_IDLE as i64 && now - created < SESSION_MAX as i64 =>
                {
                    if now - seen >= 30 {
                        c.execute(
                            "UPDATE sessions SET last_seen = ?1 WHERE token_hash = ?2",
                            params![now, hash],
                        )?;
                    }
                    Ok(Some(account))
                }
                Some(_) => {
                    c.execute("DELETE FROM sessions WHERE token_hash = ?1", [&hash])?;
                    Ok(None)
                }
                None => Ok(None),
            }
        })
        .await?;
    found.map(|account| Session { account }).ok_or_else(|| {
        fail(
            StatusCode::UNAUTHORIZED,
            "session_expired",
            "Phiên đăng nhập đã hết hạn; hãy đăng nhập lại / Your session has expired; please sign in again",
        )
    })
}

fn me_row(c: &Connection, account: i64) -> rusqlite::Result<Me> {
    c.query_row(
        "SELECT citizen_id, full_name, birth_date, phone, email, volunteer FROM accounts WHERE id = ?1",
        [account],
        |r| {
            Ok(Me {
                citizen_id: r.get(0)?,
                full_name: r.get(1)?,
                birth_date: r.get(2)?,
                phone: r.get(3)?,
                email: r.get(4)?,
                volunteer: r.get(5)?,
            })
        },
    )
}

/// The signed-in account's details (ID number, name, volunteer or not).
pub async fn who(st: &AppState, account: i64) -> Result<Me> {
    Ok(st.db.call(move |c| me_row(c, account)).await?)
}

/// Make the holder of `citizen_id` a volunteer (`portal officer
/// grant-volunteer`); false when no account has that ID.
pub fn grant_volunteer(c: &Connection, citizen_id: &str) -> rusqlite::Result<bool> {
    Ok(c.execute(
        "UPDATE accounts SET volunteer = 1 WHERE citizen_id = ?1",
        [citizen_id],
    )? > 0)
}

fn with_cookie(cookie: HeaderValue, status: StatusCode, body: impl IntoResponse) -> Response {
    let mut res = (status, body).into_response();
    res.headers_mut().insert(header::SET_COOKIE, cookie);
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

// ------------------------------------------------------------- challenges

struct NewChallenge {
    purpose: &'static str,
    phone: String,
    account: Option<i64>,
    payload: String,
    live: bool,
    /// Where the message goes and what it says (`{code}` is replaced).
    message: Option<(String, String)>,
}

async fn create_challenge(st: &AppState, ip: &str, ch: NewChallenge) -> Result<CodeSent> {
    let now = st.now();
    if let Err(wait) = st.limits.take(
        &format!("send-ip:{ip}"),
        per_client(st, SENDS_PER_CLIENT),
        now,
    ) {
        return Err(too_many(wait));
    }
    if let Err(wait) = st
        .limits
        .take(&format!("send-phone:{}", ch.phone), SENDS_PER_PHONE, now)
    {
        return Err(too_many(wait));
    }
    let id = random_hex(16);
    let code = new_code();
    let hash = code_hash(st, &id, &code);
    if let Some((to, text)) = &ch.message {
        st.sms
            .send(to, &text.replace("{code}", &code), now)
            .map_err(|_| sms_unavailable())?;
    }
    let (idc, phone) = (id.clone(), ch.phone.clone());
    st.db
        .call(move |c| {
            c.execute(
                "INSERT INTO challenges(id, purpose, phone, account_id, payload, live, code_hash, sent_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    idc,
                    ch.purpose,
                    phone,
                    ch.account,
                    ch.payload,
                    ch.live,
                    hash,
                    now as i64,
                    (now + CODE_TTL_SECS) as i64
                ],
            )
        })
        .await?;
    Ok(CodeSent {
        challenge: id,
        phone_hint: phone_hint(&ch.phone),
        expires_in: CODE_TTL_SECS,
        resend_in: CODE_RESEND_SECS,
    })
}

pub fn sms_unavailable() -> Error {
    fail(
        StatusCode::SERVICE_UNAVAILABLE,
        "sms_unavailable",
        "Chưa gửi được tin nhắn: cổng SMS chưa được cấu hình; hãy liên hệ Bộ phận Một cửa / The text message could not be sent: no SMS gateway is configured",
    )
}

fn code_message(code_for: &str) -> String {
    format!("Ma xac thuc Mot Cua {code_for}: {{code}}. Het han sau 5 phut. Khong dua ma nay cho bat ky ai.")
}

#[derive(Debug)]
struct ChallengeRow {
    purpose: String,
    phone: String,
    account: Option<i64>,
    payload: String,
    live: bool,
    code_hash: String,
    attempts: i64,
    sends: i64,
    sent_at: i64,
    expires_at: i64,
    verified: bool,
    used: bool,
}

async fn load_challenge(st: &AppState, id: &str) -> Result<Option<ChallengeRow>> {
    let id = id.to_string();
    Ok(st
        .db
        .call(move |c| {
            c.query_row(
                "SELECT purpose, phone, account_id, payload, live, code_hash, attempts, sends, sent_at,
                        expires_at, verified, used FROM challenges WHERE id = ?1",
                [&id],
                |r| {
                    Ok(ChallengeRow {
                        purpose: r.get(0)?,
                        phone: r.get(1)?,
                        account: r.get(2)?,
                        payload: r.get(3)?,
                        live: r.get(4)?,
                        code_hash: r.get(5)?,
                        attempts: r.get(6)?,
                        sends: r.get(7)?,
                        sent_at: r.get(8)?,
                        expires_at: r.get(9)?,
                        verified: r.get(10)?,
                        used: r.get(11)?,
                    })
                },
            )
            .optional()
        })
        .await?)
}

fn expired() -> Error {
    fail(
        StatusCode::GONE,
        "code_expired",
        "Mã xác thực đã hết hạn; hãy bấm gửi lại mã / The code has expired; ask for a new one",
    )
}

fn locked() -> Error {
    fail(
        StatusCode::GONE,
        "code_locked",
        "Bạn đã nhập sai mã 5 lần; hãy bấm gửi lại mã để nhận mã mới / Wrong code 5 times; ask for a new code",
    )
}

// ---------------------------------------------------------------- handlers

/// Start registration: validate the details and send a code to the phone.
#[utoipa::path(post, path = "/api/v1/accounts/register", tag = "accounts",
    request_body = RegisterRequest,
    responses((status = 202, body = CodeSent), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn register(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<RegisterRequest>,
) -> Result<(StatusCode, Json<CodeSent>)> {
    let today = today(&st);
    let mut problems = Vec::new();
    let birth = validate::account_birth_date(&req.birth_date, today)
        .map_err(|p| problems.push(("birth_date", p)))
        .ok();
    let citizen_id = validate::citizen_id(&req.citizen_id, birth)
        .map_err(|p| problems.push(("citizen_id", p)))
        .ok();
    let full_name = validate::full_name(&req.full_name)
        .map_err(|p| problems.push(("full_name", p)))
        .ok();
    let phone = validate::phone(&req.phone)
        .map_err(|p| problems.push(("phone", p)))
        .ok();
    let email = validate::email(&req.email)
        .map_err(|p| problems.push(("email", p)))
        .ok();
    let (Some(birth), Some(citizen_id), Some(full_name), Some(phone), Some(email)) =
        (birth, citizen_id, full_name, phone, email)
    else {
        return Err(invalid(problems));
    };
    let (cid, ph) = (citizen_id.clone(), phone.clone());
    // Who already holds this ID or this phone (and their phone, to warn them).
    let holders: Vec<String> = st
        .db
        .call(move |c| -> rusqlite::Result<Vec<String>> {
            let mut s =
                c.prepare("SELECT phone FROM accounts WHERE citizen_id = ?1 OR phone = ?2")?;
            let rows = s.query_map(params![cid, ph], |r| r.get(0))?;
            rows.collect()
        })
        .await?;
    let payload = serde_json::to_string(&Me {
        citizen_id,
        full_name,
        birth_date: fmt_date(birth),
        phone: phone.clone(),
        email,
        volunteer: false,
    })?;
    let live = holders.is_empty();
    let message = if live {
        Some((phone.clone(), code_message("dang ky tai khoan")))
    } else {
        // Told to the holder's phone, never to the one asking.
        Some((
            holders[0].clone(),
            "Mot Cua: co nguoi vua dang ky tai khoan bang so CCCD hoac so dien thoai cua ban. Neu la ban, hay dang nhap hoac lay lai mat khau.".to_string(),
        ))
    };
    let sent = create_challenge(
        &st,
        &ip,
        NewChallenge {
            purpose: "register",
            phone,
            account: None,
            payload,
            live,
            message,
        },
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(sent)))
}

/// Start a password reset; the answer is the same whether or not the account exists.
#[utoipa::path(post, path = "/api/v1/accounts/reset", tag = "accounts",
    request_body = ResetRequest,
    responses((status = 202, body = CodeSent), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn reset(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<ResetRequest>,
) -> Result<(StatusCode, Json<CodeSent>)> {
    let key = identifier(&req.identifier).map_err(|p| invalid(vec![("identifier", p)]))?;
    let lookup = key.clone();
    let found = st.db.call(move |c| find_account(c, &lookup)).await?;
    let (phone, account, live, message) = match found {
        Some((id, phone, _)) => (
            phone.clone(),
            Some(id),
            true,
            Some((phone, code_message("lay lai mat khau"))),
        ),
        // Unknown: a challenge that never verifies, "sent" to what was typed.
        None => (
            match &key {
                Identifier::Phone(p) => p.clone(),
                Identifier::CitizenId(_) => "0000000000".into(),
            },
            None,
            false,
            None,
        ),
    };
    let sent = create_challenge(
        &st,
        &ip,
        NewChallenge {
            purpose: "reset",
            phone,
            account,
            payload: "{}".into(),
            live,
            message,
        },
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(sent)))
}

/// Send a new code for the same exchange (after the wait), resetting attempts.
#[utoipa::path(post, path = "/api/v1/challenges/{id}/resend", tag = "accounts",
    params(("id" = String, Path)),
    responses((status = 202, body = CodeSent), (status = 410, body = ApiError), (status = 429, body = ApiError)))]
pub async fn resend(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<CodeSent>)> {
    let now = st.now() as i64;
    let ch = load_challenge(&st, &id).await?.ok_or_else(expired)?;
    if ch.used || ch.verified {
        return Err(expired());
    }
    let wait = ch.sent_at + CODE_RESEND_SECS as i64 - now;
    if wait > 0 {
        return Err(too_many(wait as u64));
    }
    if ch.sends >= MAX_SENDS {
        return Err(too_many(60 * 60));
    }
    if let Err(wait) = st.limits.take(
        &format!("send-ip:{ip}"),
        per_client(&st, SENDS_PER_CLIENT),
        now as u64,
    ) {
        return Err(too_many(wait));
    }
    if let Err(wait) = st.limits.take(
        &format!("send-phone:{}", ch.phone),
        SENDS_PER_PHONE,
        now as u64,
    ) {
        return Err(too_many(wait));
    }
    let code = new_code();
    let hash = code_hash(&st, &id, &code);
    if ch.live {
        let what = match ch.purpose.as_str() {
            "register" => "dang ky tai khoan",
            "reset" => "lay lai mat khau",
            _ => "doi so dien thoai",
        };
        st.sms
            .send(
                &ch.phone,
                &code_message(what).replace("{code}", &code),
                now as u64,
            )
            .map_err(|_| sms_unavailable())?;
    }
    let idc = id.clone();
    st.db
        .call(move |c| {
            c.execute(
                "UPDATE challenges SET code_hash = ?1, attempts = 0, sends = sends + 1, sent_at = ?2, expires_at = ?3
                 WHERE id = ?4",
                params![hash, now, now + CODE_TTL_SECS as i64, idc],
            )
        })
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(CodeSent {
            challenge: id,
            phone_hint: phone_hint(&ch.phone),
            expires_in: CODE_TTL_SECS,
            resend_in: CODE_RESEND_SECS,
        }),
    ))
}

/// Check a code. Five wrong codes lock the exchange until a new code is sent.
#[utoipa::path(post, path = "/api/v1/challenges/{id}/verify", tag = "accounts",
    params(("id" = String, Path)), request_body = VerifyRequest,
    responses((status = 204), (status = 422, body = ApiError), (status = 410, body = ApiError), (status = 429, body = ApiError)))]
pub async fn verify(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Json(req): Json<VerifyRequest>,
) -> Result<StatusCode> {
    let now = st.now();
    let code = validate::one_time_code(&req.code).map_err(|p| invalid(vec![("code", p)]))?;
    if let Err(wait) = st.limits.take(
        &format!("check-ip:{ip}"),
        per_client(&st, CHECKS_PER_CLIENT),
        now,
    ) {
        return Err(too_many(wait));
    }
    let ch = load_challenge(&st, &id).await?.ok_or_else(expired)?;
    if ch.used || now as i64 >= ch.expires_at {
        return Err(expired());
    }
    if ch.verified {
        return Ok(StatusCode::NO_CONTENT);
    }
    if ch.attempts >= CODE_MAX_ATTEMPTS as i64 {
        return Err(locked());
    }
    let right = same(&code_hash(&st, &id, &code), &ch.code_hash) && ch.live;
    let idc = id.clone();
    if right {
        st.db
            .call(move |c| {
                c.execute(
                    "UPDATE challenges SET verified = 1, expires_at = ?1 WHERE id = ?2",
                    params![(now + VERIFIED_TTL) as i64, idc],
                )
            })
            .await?;
        return Ok(StatusCode::NO_CONTENT);
    }
    st.db
        .call(move |c| {
            c.execute(
                "UPDATE challenges SET attempts = attempts + 1 WHERE id = ?1",
                [idc],
            )
        })
        .await?;
    let left = CODE_MAX_ATTEMPTS as i64 - ch.attempts - 1;
    if left <= 0 {
        return Err(locked());
    }
    Err(invalid(vec![(
        "code",
        validate::Problem {
            vi: format!("Mã không đúng; bạn còn {left} lần thử"),
            en: format!("That code is not right; {left} tries left"),
        },
    )]))
}

/// Finish registration or a reset: set the password, sign in.
#[utoipa::path(post, path = "/api/v1/accounts/password", tag = "accounts",
    request_body = PasswordRequest,
    responses((status = 200, body = Me), (status = 422, body = ApiError), (status = 409, body = ApiError), (status = 410, body = ApiError)))]
pub async fn set_password(
    State(st): State<AppState>,
    Json(req): Json<PasswordRequest>,
) -> Result<Response> {
    let now = st.now() as i64;
    let ch = load_challenge(&st, &req.challenge)
        .await?
        .ok_or_else(expired)?;
    if !ch.verified || ch.used || now >= ch.expires_at || !ch.live || ch.purpose == "phone" {
        return Err(expired());
    }
    validate::password(&req.password).map_err(|p| invalid(vec![("password", p)]))?;
    let hash = tokio::task::spawn_blocking({
        let pw = req.password.clone();
        move || hash_password(&pw)
    })
    .await
    .map_err(Error::internal)??;
    let id = req.challenge.clone();
    let account = st
        .db
        .call(move |c| -> rusqlite::Result<std::result::Result<i64, &'static str>> {
            let tx = c.transaction()?;
            let account = if ch.purpose == "register" {
                let me: Me = serde_json::from_str(&ch.payload).map_err(|e| {
                    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
                })?;
                let inserted = tx.execute(
                    "INSERT INTO accounts(citizen_id, full_name, birth_date, phone, email, password_hash, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
                    params![me.citizen_id, me.full_name, me.birth_date, me.phone, me.email, hash, now],
                )?;
                if inserted == 0 {
                    return Ok(Err("conflict"));
                }
                tx.last_insert_rowid()
            } else {
                let account = ch.account.unwrap_or(-1);
                tx.execute(
                    "UPDATE accounts SET password_hash = ?1 WHERE id = ?2",
                    params![hash, account],
                )?;
                // A new password ends every other session.
                tx.execute("DELETE FROM sessions WHERE account_id = ?1", [account])?;
                account
            };
            tx.execute("UPDATE challenges SET used = 1 WHERE id = ?1", [&id])?;
            tx.commit()?;
            Ok(Ok(account))
        })
        .await?
        .map_err(|_| {
            fail(
                StatusCode::CONFLICT,
                "conflict",
                "Số CCCD hoặc số điện thoại này vừa được dùng để đăng ký; hãy đăng nhập hoặc lấy lại mật khẩu / This ID or phone was just registered; sign in or reset the password",
            )
        })?;
    let cookie = start_session(&st, account).await?;
    let me = st.db.call(move |c| me_row(c, account)).await?;
    Ok(with_cookie(cookie, StatusCode::OK, Json(me)))
}

#[derive(Clone, Debug, PartialEq)]
enum Identifier {
    CitizenId(String),
    Phone(String),
}

/// A citizen ID (12 digits) or a phone number, as typed.
fn identifier(input: &str) -> std::result::Result<Identifier, validate::Problem> {
    let digits: String = input.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() == 12 && !input.trim_start().starts_with('+') {
        return validate::citizen_id(input, None).map(Identifier::CitizenId);
    }
    validate::phone(input)
        .map(Identifier::Phone)
        .map_err(|_| validate::Problem {
            vi: "Nhập số CCCD (12 chữ số) hoặc số điện thoại di động (10 chữ số)".into(),
            en: "Enter your citizen ID (12 digits) or mobile number (10 digits)".into(),
        })
}

/// (id, phone, password hash)
fn find_account(
    c: &mut Connection,
    key: &Identifier,
) -> rusqlite::Result<Option<(i64, String, String)>> {
    let (sql, value) = match key {
        Identifier::CitizenId(v) => (
            "SELECT id, phone, password_hash FROM accounts WHERE citizen_id = ?1",
            v,
        ),
        Identifier::Phone(v) => (
            "SELECT id, phone, password_hash FROM accounts WHERE phone = ?1",
            v,
        ),
    };
    c.query_row(sql, [value], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()
}

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
    let key = identifier(&req.identifier).map_err(|p| invalid(vec![("identifier", p)]))?;
    let account_key = format!("signin:{key:?}");
    let client_key = format!("signin-ip:{ip}");
    for (k, rule) in [
        (&account_key, SIGN_IN_PER_ACCOUNT),
        (&client_key, SIGN_IN_PER_CLIENT),
    ] {
        if let Some(wait) = st.limits.blocked(k, rule, now) {
            return Err(too_many(wait));
        }
    }
    let lookup = key.clone();
    let found = st.db.call(move |c| find_account(c, &lookup)).await?;
    let stored = found
        .as_ref()
        .map(|f| f.2.clone())
        .unwrap_or_else(|| dummy_hash().to_string());
    let pw = req.password.clone();
    let ok = tokio::task::spawn_blocking(move || check_password(&pw, &stored))
        .await
        .map_err(Error::internal)?;
    match found {
        Some((account, _, _)) if ok => {
            st.limits.clear(&account_key);
            let cookie = start_session(&st, account).await?;
            let me = st.db.call(move |c| me_row(c, account)).await?;
            Ok(with_cookie(cookie, StatusCode::OK, Json(me)))
        }
        _ => {
            st.limits.record(&account_key, now);
            st.limits.record(&client_key, now);
            Err(fail(
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "Số CCCD/số điện thoại hoặc mật khẩu không đúng / The ID or phone, or the password, is not right",
            ))
        }
    }
}

/// Sign out: the session ends on the server too.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts", responses((status = 204)))]
pub async fn sign_out(State(st): State<AppState>, headers: HeaderMap) -> Result<Response> {
    if let Some(token) = cookie_value(&headers) {
        let hash = sha256_hex(&[token.as_bytes()]);
        st.db
            .call(move |c| c.execute("DELETE FROM sessions WHERE token_hash = ?1", [hash]))
            .await?;
    }
    Ok(with_cookie(
        session_cookie(&st, "", 0),
        StatusCode::NO_CONTENT,
        (),
    ))
}

/// Who is signed in on this browser: `{"me": null}` for nobody.
#[utoipa::path(get, path = "/api/v1/session", tag = "accounts",
    responses((status = 200, body = SessionState)))]
pub async fn current_session(State(st): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let me = match session(&st, &headers).await {
        Ok(s) => Some(st.db.call(move |c| me_row(c, s.account)).await?),
        Err(_) => None,
    };
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(SessionState { me }),
    )
        .into_response())
}

/// The signed-in citizen.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, body = ApiError)))]
pub async fn me(State(st): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let s = session(&st, &headers).await?;
    let me = st.db.call(move |c| me_row(c, s.account)).await?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(me)).into_response())
}

/// Change the e-mail address.
#[utoipa::path(patch, path = "/api/v1/me", tag = "accounts", request_body = ProfileUpdate,
    responses((status = 200, body = Me), (status = 401, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update_me(
    State(st): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<ProfileUpdate>,
) -> Result<Json<Me>> {
    let s = session(&st, &headers).await?;
    let email = validate::email(&req.email).map_err(|p| invalid(vec![("email", p)]))?;
    let me = st
        .db
        .call(move |c| {
            c.execute(
                "UPDATE accounts SET email = ?1 WHERE id = ?2",
                params![email, s.account],
            )?;
            me_row(c, s.account)
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
    headers: HeaderMap,
    Json(req): Json<PhoneChangeRequest>,
) -> Result<(StatusCode, Json<CodeSent>)> {
    let s = session(&st, &headers).await?;
    let phone = validate::phone(&req.phone).map_err(|p| invalid(vec![("phone", p)]))?;
    let ph = phone.clone();
    let taken = st
        .db
        .call(move |c| {
            c.query_row(
                "SELECT COUNT(*) FROM accounts WHERE phone = ?1",
                [ph],
                |r| r.get::<_, i64>(0),
            )
        })
        .await?
        > 0;
    let sent = create_challenge(
        &st,
        &ip,
        NewChallenge {
            purpose: "phone",
            phone: phone.clone(),
            account: Some(s.account),
            payload: "{}".into(),
            live: !taken,
            message: (!taken).then(|| (phone, code_message("doi so dien thoai"))),
        },
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(sent)))
}

/// Finish a phone change once its code is verified.
#[utoipa::path(post, path = "/api/v1/me/phone/{id}", tag = "accounts", params(("id" = String, Path)),
    responses((status = 200, body = Me), (status = 401, body = ApiError), (status = 410, body = ApiError)))]
pub async fn confirm_phone(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Me>> {
    let s = session(&st, &headers).await?;
    let now = st.now() as i64;
    let ch = load_challenge(&st, &id).await?.ok_or_else(expired)?;
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
            let tx = c.transaction()?;
            let changed = tx.execute(
                "UPDATE accounts SET phone = ?1 WHERE id = ?2 AND NOT EXISTS (SELECT 1 FROM accounts WHERE phone = ?1)",
                params![ch.phone, s.account],
            )?;
            tx.execute("UPDATE challenges SET used = 1 WHERE id = ?1", [&id])?;
            let me = me_row(&tx, s.account)?;
            tx.commit()?;
            Ok((changed == 1).then_some(me))
        })
        .await?;
    me.map(Json).ok_or_else(|| {
        fail(
            StatusCode::CONFLICT,
            "conflict",
            "Số điện thoại này đã được dùng cho tài khoản khác / This phone is used by another account",
        )
    })
}

/// `--dev` only: the text messages the portal would have sent.
pub async fn dev_outbox(State(st): State<AppState>) -> Json<Vec<OutboxMessage>> {
    Json(st.sms.outbox())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: Vec<String> = (0..50).map(|_| new_code()).collect();
        assert!(codes
            .iter()
            .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit())));
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert!(distinct.len() > 40);
    }

    #[test]
    fn constant_time_comparison_is_still_a_comparison() {
        assert!(same("abcd", "abcd"));
        assert!(!same("abcd", "abce"));
        assert!(!same("abcd", "abc"));
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("Mk!2026abc").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(check_password("Mk!2026abc", &h));
        assert!(!check_password("Mk!2026abd", &h));
        assert!(!check_password("x", "not a hash"));
        assert!(!check_password("anything", dummy_hash()));
    }

    #[test]
    fn identifiers() {
        assert_eq!(
            identifier("020 090 123456"),
            Ok(Identifier::CitizenId("020090123456".into()))
        );
        assert_eq!(
            identifier("+84 912 345 678"),
            Ok(Identifier::Phone("0912345678".into()))
        );
        assert_eq!(
            identifier("0912.345.678"),
            Ok(Identifier::Phone("0912345678".into()))
        );
        assert!(identifier("12345").is_err());
    }

    #[test]
    fn civil_date_in_vietnam() {
        let d = |year, month, day| Date { year, month, day };
        assert_eq!(civil_date(0), d(1970, 1, 1));
        // 2026-11-26T16:59:59Z is still the 26th in Hà Nội; a second later, the 27th.
        assert_eq!(civil_date(1_795_712_399), d(2026, 11, 26));
        assert_eq!(civil_date(1_795_712_400), d(2026, 11, 27));
        // 2028-02-29 (leap day) at noon Hà Nội time.
        assert_eq!(civil_date(1_835_413_200), d(2028, 2, 29));
    }
}
