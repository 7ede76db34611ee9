//! Accounts: one function per endpoint the pages use.

use super::{decode, get_json, json, send_text, FetchError};
use contract::account::*;

/// The signed-in citizen, or `None` when nobody is signed in (asked of
/// `/session`, which never answers an error for nobody: no console noise).
pub async fn me(base: &str) -> Result<Option<Me>, FetchError> {
    Ok(get_json::<SessionState>(base, "/session").await?.me)
}

/// Who is signed in, and the answer as sent (kept on the device as is:
/// no second copy of the code that writes it).
pub async fn me_kept(base: &str) -> Result<(Option<Me>, String), FetchError> {
    let text = super::get_text(base, "/session").await?;
    Ok((me_of(&text)?, text))
}

/// Who is signed in, from a session answer kept earlier.
pub fn me_of(text: &str) -> Result<Option<Me>, FetchError> {
    Ok(decode::<SessionState>(text)?.me)
}

pub async fn register(base: &str, req: &RegisterRequest) -> Result<CodeSent, FetchError> {
    decode(&send_text("POST", base, "/accounts/register", json(req)).await?)
}

pub async fn reset(base: &str, identifier: &str) -> Result<CodeSent, FetchError> {
    let body = json(&ResetRequest { identifier: identifier.to_string() });
    decode(&send_text("POST", base, "/accounts/reset", body).await?)
}

pub async fn verify(base: &str, challenge: &str, code: &str) -> Result<(), FetchError> {
    let body = json(&VerifyRequest { code: code.to_string() });
    send_text("POST", base, &format!("/challenges/{challenge}/verify"), body).await?;
    Ok(())
}

pub async fn resend(base: &str, challenge: &str) -> Result<CodeSent, FetchError> {
    decode(&send_text("POST", base, &format!("/challenges/{challenge}/resend"), None).await?)
}

pub async fn set_password(base: &str, challenge: &str, password: &str) -> Result<Me, FetchError> {
    let body =
        json(&PasswordRequest { challenge: challenge.to_string(), password: password.to_string() });
    decode(&send_text("POST", base, "/accounts/password", body).await?)
}

pub async fn sign_in(base: &str, identifier: &str, password: &str) -> Result<Me, FetchError> {
    let body =
        json(&SignInRequest { identifier: identifier.to_string(), password: password.to_string() });
    decode(&send_text("POST", base, "/session", body).await?)
}

/// End the session on the portal. Only its own answer counts: `204` with
/// no body. A page of some proxy or captive portal (a 2xx with a body) is
/// not a confirmation.
pub async fn sign_out(base: &str) -> Result<(), FetchError> {
    let body = send_text("DELETE", base, "/session", None).await?;
    if body.is_empty() {
        Ok(())
    } else {
        Err(FetchError::Decode)
    }
}

pub async fn update_email(base: &str, email: &str) -> Result<Me, FetchError> {
    let body = json(&ProfileUpdate { email: Some(email.to_string()), status_texts: None });
    decode(&send_text("PATCH", base, "/me", body).await?)
}

/// Turn the texts about the account's dossiers on or off.
pub async fn set_status_texts(base: &str, on: bool) -> Result<Me, FetchError> {
    let body = json(&ProfileUpdate { email: None, status_texts: Some(on) });
    decode(&send_text("PATCH", base, "/me", body).await?)
}

pub async fn change_phone(base: &str, phone: &str) -> Result<CodeSent, FetchError> {
    let body = json(&PhoneChangeRequest { phone: phone.to_string() });
    decode(&send_text("POST", base, "/me/phone", body).await?)
}

pub async fn confirm_phone(base: &str, challenge: &str) -> Result<Me, FetchError> {
    decode(&send_text("POST", base, &format!("/me/phone/{challenge}"), None).await?)
}

/// A kiosk starts signing in from a phone (the portal sets its pairing cookie).
pub async fn start_pairing(base: &str) -> Result<PairingStarted, FetchError> {
    decode(&send_text("POST", base, "/pairings", None).await?)
}

/// The kiosk's pairing: confirmed (who is now signed in) or still waiting.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(untagged)]
pub enum Collected {
    SignedIn(Me),
    Waiting(PairingWait),
}

pub async fn collect_pairing(base: &str, code: &str) -> Result<Collected, FetchError> {
    decode(&send_text("POST", base, &format!("/pairings/{code}/session"), None).await?)
}

/// On the phone: what to confirm, then the confirmation.
pub async fn pairing_info(base: &str, code: &str) -> Result<PairingInfo, FetchError> {
    get_json(base, &format!("/pairings/{code}")).await
}

pub async fn approve_pairing(base: &str, code: &str) -> Result<(), FetchError> {
    send_text("POST", base, &format!("/pairings/{code}/approve"), None).await?;
    Ok(())
}
