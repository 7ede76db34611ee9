//! Registration and password reset with a one-time code.
//!
//! - One-time codes: 6 digits, 5 minutes, 5 attempts, a new code at most every
//!   60 s; stored as SHA-256 of a server key, the exchange id and the code.
//! - No enumeration: registering a known ID or phone, or resetting an unknown
//!   one, answers exactly like the real thing; the owner is told by SMS instead.
//! - Rate limits per phone and per client on code sending and checking,
//!   answered `429` with `retry_after` seconds.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use contract::account::*;
use contract::error::ApiError;
use contract::time::{dmy, vn_date};
use contract::validate;

use crate::error::{Error, Result};
use crate::http::extract::{start_session, with_cookie, ClientIp};
use crate::limits::Rule;
use crate::{secrets, store, AppState};

use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    paths!(register; reset; resend; verify; set_password)
}

/// After a code is verified, the citizen has this long to choose a password.
const VERIFIED_TTL: u64 = 15 * 60;
const MAX_SENDS: i64 = 5;

const SENDS_PER_PHONE: Rule = Rule::new(5, 60 * 60);
const SENDS_PER_CLIENT: Rule = Rule::new(20, 60 * 60);
const CHECKS_PER_CLIENT: Rule = Rule::new(30, 15 * 60);

/// With `--dev`, every test browser and script comes from one address: the
/// per-client limits are wider there (the per-phone, per-account and
/// per-code limits stay as they are).
pub fn per_client(st: &AppState, rule: Rule) -> Rule {
    if st.dev {
        Rule { max: rule.max * 25, ..rule }
    } else {
        rule
    }
}

/// Count one event of `key` under `rule`; 429 when its window is full.
pub fn limit(st: &AppState, key: &str, rule: Rule) -> Result<()> {
    st.limits.take(key, rule, st.now()).map_err(Error::too_many)
}

fn code_hash(st: &AppState, challenge: &str, code: &str) -> String {
    secrets::sha256_parts(&[&st.secret, challenge.as_bytes(), code.as_bytes()])
}

pub fn code_message(code_for: &str) -> String {
    format!("Mã xác thực Một Cửa {code_for}: {{code}}. Hết hạn sau 5 phút. Không đưa mã này cho bất kỳ ai.")
}

pub fn expired() -> Error {
    Error::new(
        StatusCode::GONE,
        "code_expired",
        "Mã xác thực đã hết hạn; hãy bấm gửi lại mã / The code has expired; ask for a new one",
    )
}

fn locked() -> Error {
    Error::new(
        StatusCode::GONE,
        "code_locked",
        "Bạn đã nhập sai mã 5 lần; hãy bấm gửi lại mã để nhận mã mới / Wrong code 5 times; ask for a new code",
    )
}

/// A code exchange to start.
pub struct NewChallenge {
    pub purpose: &'static str,
    pub phone: String,
    pub account: Option<i64>,
    pub payload: String,
    pub live: bool,
    /// Where the message goes and what it says (`{code}` is replaced).
    pub message: Option<(String, String)>,
}

pub async fn create_challenge(st: &AppState, ip: &str, ch: NewChallenge) -> Result<CodeSent> {
    let now = st.now();
    limit(st, &format!("send-ip:{ip}"), per_client(st, SENDS_PER_CLIENT))?;
    limit(st, &format!("send-phone:{}", ch.phone), SENDS_PER_PHONE)?;
    let id = secrets::random_hex::<16>();
    let code = secrets::new_code();
    let hash = code_hash(st, &id, &code);
    if let Some((to, text)) = &ch.message {
        st.sms
            .send(to, &text.replace("{code}", &code), now)
            .map_err(|_| Error::sms_unavailable())?;
    }
    let (idc, phone) = (id.clone(), ch.phone.clone());
    st.db
        .call(move |c| {
            store::accounts::insert_challenge(
                c,
                &store::accounts::NewChallenge {
                    id: &idc,
                    purpose: ch.purpose,
                    phone: &phone,
                    account: ch.account,
                    payload: &ch.payload,
                    live: ch.live,
                    code_hash: &hash,
                    now: now as i64,
                    expires_at: (now + CODE_TTL_SECS) as i64,
                },
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

pub async fn load_challenge(st: &AppState, id: &str) -> Result<store::accounts::Challenge> {
    let id = id.to_string();
    st.db.call(move |c| store::accounts::challenge(c, &id)).await?.ok_or_else(expired)
}

/// A phone number that stands, always the same, for an unknown ID number
/// (derived from it with the server's secret, so nobody can tell it apart
/// from a real one by its hint).
fn stand_in_phone(st: &AppState, citizen_id: &str) -> String {
    let digest = secrets::sha256_parts(&[&st.secret, b"reset-stand-in", citizen_id.as_bytes()]);
    let digits: String = digest.bytes().take(8).map(|b| char::from(b'0' + b % 10)).collect();
    format!("09{digits}")
}

/// A citizen ID (12 digits) or a phone number, as typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Identifier {
    CitizenId(String),
    Phone(String),
}

pub fn identifier(input: &str) -> std::result::Result<Identifier, validate::Problem> {
    let digits: String = input.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() == 12 && !input.trim_start().starts_with('+') {
        return validate::citizen_id(input, None).map(Identifier::CitizenId);
    }
    validate::phone(input).map(Identifier::Phone).map_err(|_| validate::Problem {
        vi: "Nhập số định danh cá nhân (12 chữ số) hoặc số điện thoại di động (10 chữ số)".into(),
        en: "Enter your personal ID number (12 digits) or mobile number (10 digits)".into(),
    })
}

/// The account an identifier names: (id, phone, password hash).
pub async fn find_account(
    st: &AppState,
    key: &Identifier,
) -> Result<Option<store::accounts::Found>> {
    let key = key.clone();
    Ok(st
        .db
        .call(move |c| match &key {
            Identifier::CitizenId(v) => store::accounts::find_by_citizen_id(c, v),
            Identifier::Phone(v) => store::accounts::find_by_phone(c, v),
        })
        .await?)
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
    let today = vn_date(st.now());
    let mut problems = Vec::new();
    let birth = validate::account_birth_date(&req.birth_date, today)
        .map_err(|p| problems.push(("birth_date", p)))
        .ok();
    let citizen_id = validate::citizen_id(&req.citizen_id, birth)
        .map_err(|p| problems.push(("citizen_id", p)))
        .ok();
    let full_name =
        validate::full_name(&req.full_name).map_err(|p| problems.push(("full_name", p))).ok();
    let phone = validate::phone(&req.phone).map_err(|p| problems.push(("phone", p))).ok();
    let email = validate::email(&req.email).map_err(|p| problems.push(("email", p))).ok();
    let (Some(birth), Some(citizen_id), Some(full_name), Some(phone), Some(email)) =
        (birth, citizen_id, full_name, phone, email)
    else {
        return Err(Error::invalid(problems));
    };
    let (cid, ph) = (citizen_id.clone(), phone.clone());
    // Who already holds this ID or this phone (and their phone, to warn them).
    let holders = st.db.call(move |c| store::accounts::holders(c, &cid, &ph)).await?;
    let payload = serde_json::to_string(&Me {
        citizen_id,
        full_name,
        birth_date: dmy(birth),
        phone: phone.clone(),
        email,
        volunteer: false,
        identity_verified: false,
        status_texts: true,
        last_address: String::new(),
        last_phone: String::new(),
    })?;
    // The typed phone is answered the same way whether or not the ID
    // number has an account: it gets its code (and proves it is the
    // typist's); an ID number already held is refused only when the
    // password is set, after that proof. The holder of the ID number is
    // warned, at most once an hour and apart from their own codes' room.
    // A phone that is an account's already is its holder's: the warning
    // goes there instead of a code.
    const WARNING: &str = "Một Cửa: có người vừa đăng ký tài khoản bằng số định danh cá nhân hoặc số điện thoại của bạn. Nếu là bạn, hãy đăng nhập hoặc lấy lại mật khẩu. Nếu không, hãy đăng nhập bằng VNeID.";
    if let Some(Some(holder)) = &holders.id {
        if *holder != phone {
            st.sms.warn(holder, WARNING, st.now());
        }
    }
    let live = !holders.phone;
    let message = if live {
        Some((phone.clone(), code_message("đăng ký tài khoản")))
    } else {
        st.sms.warn(&phone, WARNING, st.now());
        None
    };
    let sent = create_challenge(
        &st,
        &ip,
        NewChallenge { purpose: "register", phone, account: None, payload, live, message },
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
    let key = identifier(&req.identifier).map_err(|p| Error::invalid([("identifier", p)]))?;
    let known = find_account(&st, &key).await?;
    // An account made through VNeID has no phone until its holder adds one.
    let known = known.filter(|(_, phone, _)| !phone.starts_with(store::accounts::NO_PHONE));
    let (phone, account, live, message) = match known {
        Some((id, phone, _)) => {
            (phone.clone(), Some(id), true, Some((phone, code_message("lấy lại mật khẩu"))))
        }
        // Unknown: a challenge that never verifies, "sent" to what was typed
        // or, for an ID number, to a stand-in phone of its own: the same
        // hint and the same limits each time, as a known one would get.
        None => (
            match &key {
                Identifier::Phone(p) => p.clone(),
                Identifier::CitizenId(id) => stand_in_phone(&st, id),
            },
            None,
            false,
            None,
        ),
    };
    let sent = create_challenge(
        &st,
        &ip,
        NewChallenge { purpose: "reset", phone, account, payload: "{}".into(), live, message },
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
    let ch = load_challenge(&st, &id).await?;
    if ch.used || ch.verified {
        return Err(expired());
    }
    let wait = ch.sent_at + CODE_RESEND_SECS as i64 - now;
    if wait > 0 {
        return Err(Error::too_many(wait as u64));
    }
    if ch.sends >= MAX_SENDS {
        return Err(Error::too_many(60 * 60));
    }
    limit(&st, &format!("send-ip:{ip}"), per_client(&st, SENDS_PER_CLIENT))?;
    limit(&st, &format!("send-phone:{}", ch.phone), SENDS_PER_PHONE)?;
    let code = secrets::new_code();
    let hash = code_hash(&st, &id, &code);
    if ch.live {
        let what = match ch.purpose.as_str() {
            "register" => "đăng ký tài khoản",
            "reset" => "lấy lại mật khẩu",
            _ => "đổi số điện thoại",
        };
        st.sms
            .send(&ch.phone, &code_message(what).replace("{code}", &code), now as u64)
            .map_err(|_| Error::sms_unavailable())?;
    }
    let idc = id.clone();
    st.db
        .call(move |c| store::accounts::resent(c, &idc, &hash, now, now + CODE_TTL_SECS as i64))
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
    let code = validate::one_time_code(&req.code).map_err(|p| Error::invalid([("code", p)]))?;
    limit(&st, &format!("check-ip:{ip}"), per_client(&st, CHECKS_PER_CLIENT))?;
    let ch = load_challenge(&st, &id).await?;
    if ch.used || now as i64 >= ch.expires_at {
        return Err(expired());
    }
    if ch.verified {
        return Ok(StatusCode::NO_CONTENT);
    }
    if ch.attempts >= CODE_MAX_ATTEMPTS as i64 {
        return Err(locked());
    }
    let right = secrets::same_secret(&code_hash(&st, &id, &code), &ch.code_hash) && ch.live;
    if right {
        st.db.call(move |c| store::accounts::verified(c, &id, (now + VERIFIED_TTL) as i64)).await?;
        return Ok(StatusCode::NO_CONTENT);
    }
    st.db.call(move |c| store::accounts::wrong_attempt(c, &id)).await?;
    let left = CODE_MAX_ATTEMPTS as i64 - ch.attempts - 1;
    if left <= 0 {
        return Err(locked());
    }
    Err(Error::invalid([(
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
    let ch = load_challenge(&st, &req.challenge).await?;
    if !ch.verified || ch.used || now >= ch.expires_at || !ch.live || ch.purpose == "phone" {
        return Err(expired());
    }
    validate::password(&req.password).map_err(|p| Error::invalid([("password", p)]))?;
    if secrets::is_common_password(&req.password) {
        return Err(Error::field(
            "password",
            "Mật khẩu này quá phổ biến, kẻ gian đoán ra trong vài giây; hãy chọn một câu dễ nhớ với bạn, ví dụ: Nha-toi#o-Ky-Lua",
            "This password is among the most common ones and is guessed in seconds; choose a phrase you remember, e.g. My-home#in-Ky-Lua",
        ));
    }
    // Who the password is for: what it must not be made of.
    let person: Me = if ch.purpose == "register" {
        serde_json::from_str(&ch.payload)?
    } else {
        let account = ch.account.unwrap_or(-1);
        st.db.call(move |c| store::accounts::me(c, account)).await?
    };
    let about = validate::PersonalData {
        full_name: &person.full_name,
        birth_date: &person.birth_date,
        citizen_id: &person.citizen_id,
        phone: &person.phone,
    };
    if let Some(p) = validate::guessable_password(&req.password, &about) {
        return Err(Error::invalid([("password", p)]));
    }
    let hash = crate::hashing::hash(&req.password)
        .await
        .map_err(|_| Error::busy(5))?
        .map_err(Error::internal)?;
    let id = req.challenge.clone();
    let account = st
        .db
        .call(move |c| -> rusqlite::Result<Option<i64>> {
            let tx = crate::db::write_tx(c)?;
            let account = if ch.purpose == "register" {
                let me: Me = serde_json::from_str(&ch.payload)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
                match store::accounts::insert(&tx, &me, &hash, now)? {
                    Some(a) => a,
                    None => return Ok(None),
                }
            } else {
                let account = ch.account.unwrap_or(-1);
                store::accounts::set_password(&tx, account, &hash)?;
                account
            };
            store::accounts::used(&tx, &id)?;
            tx.commit()?;
            Ok(Some(account))
        })
        .await?
        .ok_or_else(|| {
            Error::conflict(
                "Số định danh cá nhân hoặc số điện thoại này đã có tài khoản. Nếu là của bạn, hãy đăng nhập, lấy lại mật khẩu, hoặc đăng nhập bằng VNeID để chứng minh số định danh cá nhân là của bạn",
                "This ID number or phone already has an account. If it is yours, sign in, reset the password, or sign in with VNeID to prove the ID number is yours",
            )
        })?;
    let cookie = start_session(&st, account).await?;
    let me = st.db.call(move |c| store::accounts::me(c, account)).await?;
    Ok(with_cookie(cookie, StatusCode::OK, Json(me)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(identifier("020 090 123456"), Ok(Identifier::CitizenId("020090123456".into())));
        assert_eq!(identifier("+84 912 345 678"), Ok(Identifier::Phone("0912345678".into())));
        assert_eq!(identifier("0912.345.678"), Ok(Identifier::Phone("0912345678".into())));
        assert!(identifier("12345").is_err());
    }
}
