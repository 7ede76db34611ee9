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
    /// Send a text when a dossier needs the citizen or has news (received,
    /// refused, documents or a fee asked, result ready or handed over).
    #[serde(default = "yes")]
    pub status_texts: bool,
    /// The address given on the citizen's own last dossier, offered again.
    #[serde(default)]
    pub last_address: String,
    /// The phone given on the citizen's own last dossier (an account made
    /// with VNeID has none of its own until one is added).
    #[serde(default)]
    pub last_phone: String,
}

fn yes() -> bool {
    true
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
    /// A new e-mail address (empty: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Turn status texts on or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_texts: Option<bool>,
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
    /// `sms` or `zalo` (Zalo Notification Service).
    #[serde(default)]
    pub channel: String,
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

// ------------------------------------------------------------------- VNeID

// Signing in with VNeID, the national electronic identity (OpenID Connect),
// as the portal runs it: the browser only navigates; the portal holds the
// provider's tokens and answers with its own session cookie.

/// The app's sign-in page (where a failed VNeID sign-in returns).
pub const SIGN_IN_PATH: &str = "/dang-nhap";

/// A page navigation (not a fetch) starts a VNeID sign-in; `?tiep=` is where
/// to return afterwards (a path of the app, see [`safe_next`]).
pub const VNEID_START: &str = "/api/v1/vneid/start";
/// Where the provider sends the citizen back (the redirect URI to register).
pub const VNEID_CALLBACK: &str = "/api/v1/vneid/callback";
/// Binds a sign-in under way to the browser that started it (HttpOnly, Lax:
/// it must come along on the provider's redirect back).
pub const VNEID_COOKIE: &str = "motcua_vneid";
/// How long the citizen has at the provider's pages.
pub const VNEID_TTL_SECS: u64 = 10 * 60;
/// The sign-in page's query parameter naming why a VNeID sign-in failed.
pub const VNEID_FAILED_PARAM: &str = "vneid";

/// Why a VNeID sign-in ended without signing in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VneidFailure {
    /// The citizen cancelled at the provider's pages.
    Cancelled,
    /// The answer does not belong to a sign-in this browser started, or came
    /// too late or twice.
    State,
    /// The provider's token did not check out (signature, issuer, audience,
    /// expiry, nonce) or the code was refused.
    Token,
    /// The provider could not be reached, or answered with an error.
    Provider,
    /// The identity is not proven (VNeID level 1) or lacks an ID number.
    Level,
    /// This portal has no VNeID client configured.
    Off,
    /// Too many sign-ins were started from this address just now.
    TooMany,
}

impl VneidFailure {
    pub const ALL: [VneidFailure; 7] = [
        VneidFailure::Cancelled,
        VneidFailure::State,
        VneidFailure::Token,
        VneidFailure::Provider,
        VneidFailure::Level,
        VneidFailure::Off,
        VneidFailure::TooMany,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            VneidFailure::Cancelled => "huy",
            VneidFailure::State => "phien",
            VneidFailure::Token => "xac-thuc",
            VneidFailure::Provider => "khong-ket-noi",
            VneidFailure::Level => "muc-dinh-danh",
            VneidFailure::Off => "chua-cau-hinh",
            VneidFailure::TooMany => "qua-nhieu",
        }
    }

    pub fn from_slug(slug: &str) -> Option<VneidFailure> {
        VneidFailure::ALL.into_iter().find(|f| f.slug() == slug)
    }
}

/// The longest return path kept (a path of this app is far shorter).
pub const MAX_NEXT: usize = 512;

/// Where a sign-in may return to: a path of this app, nothing else. Browsers
/// drop tabs and line breaks anywhere in a URL and read `\` as `/`, so
/// `/<TAB>/host` would lead to `//host`: a return path holds no control
/// character, no white space and no backslash, begins with one `/` and is
/// at most [`MAX_NEXT`] bytes.
pub fn safe_next(next: &str) -> Option<&str> {
    let clean = !next.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    let inside = next.starts_with('/') && !next.starts_with("//");
    (clean && inside && next.len() <= MAX_NEXT).then_some(next)
}

/// `yyyymmdd` (as the national provider sends a birth date) as `dd/mm/yyyy`.
pub fn birth_date_from_claim(yyyymmdd: &str) -> Option<String> {
    let ok = yyyymmdd.len() == 8 && yyyymmdd.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| format!("{}/{}/{}", &yyyymmdd[6..8], &yyyymmdd[4..6], &yyyymmdd[0..4]))
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

    #[test]
    fn failures_read_back_from_their_slugs() {
        for f in VneidFailure::ALL {
            assert_eq!(VneidFailure::from_slug(f.slug()), Some(f));
        }
        assert_eq!(VneidFailure::from_slug("x"), None);
    }

    #[test]
    fn returns_only_inside_the_app_and_dates_turn_around() {
        assert_eq!(safe_next("/nop-ho-so/1.001193?x=1"), Some("/nop-ho-so/1.001193?x=1"));
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "javascript:alert(1)",
            "",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{85}/evil.example",
            "/\u{3000}/evil.example",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
        let long = format!("/{}", "a".repeat(MAX_NEXT));
        assert_eq!(safe_next(&long), None);
        assert!(safe_next(&long[..MAX_NEXT]).is_some());
        assert_eq!(birth_date_from_claim("19900115").as_deref(), Some("15/01/1990"));
        assert_eq!(birth_date_from_claim("1990-01-15"), None);
    }
}
