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
    /// Identity proven by the national electronic identity (VNeID): only
    /// then does the account own dossiers others filed under its ID number.
    #[serde(default)]
    pub identity_verified: bool,
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

// ------------------------------------------------------- kiosk by phone

/// Signing a shared kiosk in from the citizen's own phone: the kiosk asks
/// for a pairing and shows the QR code of `pairing_path(code)`; the phone,
/// signed in there, opens it and confirms (after comparing `check` with the
/// number on the kiosk's screen); the kiosk, polling, then gets a session
/// of its own for that account. A pairing lives this long and is used once.
pub const PAIRING_TTL_SECS: u64 = 5 * 60;
/// The HttpOnly cookie that ties a pairing to the kiosk that asked for it:
/// whoever else learns the code (a photo of the screen) cannot collect the
/// session.
pub const PAIRING_COOKIE: &str = "motcua_pairing";

/// A pairing just started (the kiosk's view).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PairingStarted {
    /// 32 hexadecimal digits, the secret part of the QR code's link.
    pub code: String,
    /// Two digits shown on both screens, so the citizen sees the phone
    /// confirms this kiosk and not the one beside it.
    pub check: String,
    pub expires_in: u64,
}

/// A pairing not confirmed yet (`202` to the kiosk's poll).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PairingWait {
    /// The phone has opened the link (the kiosk then says "confirm on your phone").
    pub opened: bool,
    pub expires_in: u64,
}

/// What the phone is asked to confirm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PairingInfo {
    pub check: String,
    pub expires_in: u64,
}

/// Is `code` the shape of a pairing code (32 lowercase hexadecimal digits)?
pub fn is_pairing_code(code: &str) -> bool {
    code.len() == 32 && code.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The app's page a kiosk's QR code opens on the phone.
pub fn pairing_path(code: &str) -> String {
    format!("/ket-noi-kiosk/{code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_hide_all_but_four_digits() {
        for (phone, hint) in [("0912345678", "******5678"), ("12", "12")] {
            assert_eq!(phone_hint(phone), hint);
        }
    }

    #[test]
    fn pairing_codes_are_32_lowercase_hex_digits() {
        assert!(is_pairing_code("0123456789abcdef0123456789abcdef"));
        assert!(!is_pairing_code("0123456789ABCDEF0123456789abcdef"));
        assert!(!is_pairing_code("0123456789abcdef"));
        assert!(!is_pairing_code("../../0123456789abcdef0123456789a"));
        assert_eq!(pairing_path("ab"), "/ket-noi-kiosk/ab");
    }
}
