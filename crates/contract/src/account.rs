//! Citizen accounts: registration with a one-time code sent by SMS, sign-in,
//! password reset and the profile. Requests are validated by the portal with
//! `validate` (the app runs the same checks next to each field first).

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Header every state-changing API request must carry (CSRF defence beside
/// SameSite=Strict: a cross-site form cannot set it, and a cross-site script
/// cannot send it without a CORS preflight the portal never approves).
pub const CSRF_HEADER: &str = "x-motcua";
/// Name of the HttpOnly session cookie.
pub const SESSION_COOKIE: &str = "motcua_session";

/// One-time codes: digits, lifetime, attempts, and the wait before another send.
pub const CODE_DIGITS: usize = 6;
pub const CODE_TTL_SECS: u64 = 5 * 60;
pub const CODE_MAX_ATTEMPTS: u8 = 5;
pub const CODE_RESEND_SECS: u64 = 60;

/// Step 1 of registration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RegisterRequest {
    pub citizen_id: String,
    pub full_name: String,
    /// As typed: dd/mm/yyyy.
    pub birth_date: String,
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

/// A one-time code was (or would have been) sent. The answer is the same
/// whether or not an account exists, so it reveals nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CodeSent {
    /// Opaque id of this code exchange.
    pub challenge: String,
    /// The phone the code went to, mostly hidden: `******5678`.
    pub phone_hint: String,
    pub expires_in: u64,
    /// Seconds before another code can be asked for.
    pub resend_in: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct VerifyRequest {
    pub code: String,
}

/// Last step of registration or reset: the password, for a verified challenge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PasswordRequest {
    pub challenge: String,
    pub password: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SignInRequest {
    /// Citizen ID or phone number.
    pub identifier: String,
    pub password: String,
}

/// Start a password reset: a code goes to the account's phone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResetRequest {
    /// Citizen ID or phone number.
    pub identifier: String,
}

/// The signed-in citizen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Me {
    pub citizen_id: String,
    pub full_name: String,
    /// dd/mm/yyyy
    pub birth_date: String,
    pub phone: String,
    pub email: String,
    /// A youth-union volunteer who may file for residents ("nộp hộ").
    #[serde(default)]
    pub volunteer: bool,
}

/// Who is signed in on this browser, if anyone (never an error: a first
/// visitor is simply nobody).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SessionState {
    pub me: Option<Me>,
}

/// Contact details the citizen may change; a new phone needs a code sent to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProfileUpdate {
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PhoneChangeRequest {
    pub phone: String,
}

/// A message the portal would have sent by SMS (`--dev` outbox).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OutboxMessage {
    pub phone: String,
    pub text: String,
    /// Unix seconds.
    pub at: u64,
}

/// `0912345678` → `******5678`.
pub fn phone_hint(phone: &str) -> String {
    let n = phone.chars().count();
    let keep = 4.min(n);
    let tail: String = phone.chars().skip(n - keep).collect();
    format!("{}{tail}", "*".repeat(n - keep))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_hide_all_but_four_digits() {
        assert_eq!(phone_hint("0912345678"), "******5678");
        assert_eq!(phone_hint("12"), "12");
    }
}
