//! Random values, digests and their comparison: tokens, one-time codes,
//! hashes of session tokens and codes. A leaf: it knows nothing of HTTP or
//! of the database.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// `N` bytes from the operating system's random source.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the operating system's random source");
    b
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// `N` random bytes as hex (2N characters).
pub fn random_hex<const N: usize>() -> String {
    hex(&random_bytes::<N>())
}

/// A tracking token (the receipt's QR) or an id: 128 random bits as hex.
pub fn new_token() -> String {
    random_hex::<16>()
}

/// A six-digit one-time code, every value equally likely.
pub fn new_code() -> String {
    // Rejection sampling keeps every 6-digit code equally likely.
    loop {
        let n = u32::from_le_bytes(random_bytes());
        if n < 4_000_000_000 {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

/// A dossier's claim code: ten digits, easy to read out and type.
pub fn new_claim_code() -> String {
    format!("{}{}", new_code(), &new_code()[..4])
}

/// SHA-256 of `bytes`, as hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// SHA-256 of several parts, each prefixed with its length (so that no two
/// different lists of parts hash alike), as hex.
pub fn sha256_parts(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    hex(&h.finalize())
}

/// Equal secrets, compared in time that does not depend on where they
/// differ. An empty expected secret matches nothing.
pub fn same_secret(given: &str, expected: &str) -> bool {
    !expected.is_empty() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

/// Equal byte strings, compared in time that does not depend on where
/// they differ.
pub fn same_bytes(given: &[u8], expected: &[u8]) -> bool {
    bool::from(given.ct_eq(expected))
}

// --------------------------------------------------------------- passwords

/// An argon2id PHC string of `pw`, with its own salt and parameters: only
/// for [`dummy_hash`] (made once) and tests; requests hash on the pool
/// (`hashing.rs`).
pub fn hash_password(pw: &str) -> Result<String, String> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::encode_b64(&random_bytes::<16>()).map_err(|e| e.to_string())?;
    argon2::Argon2::default()
        .hash_password(pw.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// A valid argon2id hash of nothing anyone knows: verifying against it takes
/// as long as a real check, so an unknown account is not faster to refuse.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_hex::<16>()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        let t = new_token();
        assert_eq!(t.len(), 32);
        assert!(t.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(t, new_token());
        assert!(same_secret(&t, &t.clone()));
        assert!(!same_secret(&t[..31], &t));
        assert!(!same_secret(&format!("{t}0"), &t));
        assert!(!same_secret("", &t));
        // An empty stored secret matches nothing, not even itself.
        assert!(!same_secret("", ""));
        let mut other = t.clone().into_bytes();
        other[31] = if other[31] == b'0' { b'1' } else { b'0' };
        assert!(!same_secret(std::str::from_utf8(&other).unwrap(), &t));
    }

    #[test]
    fn codes_are_six_digits_and_digests_are_hex() {
        for _ in 0..100 {
            let c = new_code();
            assert_eq!(c.len(), 6);
            assert!(c.bytes().all(|b| b.is_ascii_digit()));
        }
        assert_eq!(hex(&[0, 15, 255]), "000fff");
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(sha256_parts(&[b"ab", b"c"]), sha256_parts(&[b"a", b"bc"]));
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("Mk!2026abc").unwrap();
        assert!(h.starts_with("$argon2id$"));
        // Checked as sign-in checks it (`hashing.rs`, one buffer reused).
        let check_password =
            |pw: &str, stored: &str| crate::hashing::check_with(pw, stored, &mut Vec::new());
        assert!(check_password("Mk!2026abc", &h));
        assert!(!check_password("Mk!2026abd", &h));
        assert!(!check_password("x", "not a hash"));
        assert!(!check_password("anything", dummy_hash()));
    }
}

// ------------------------------------------------------- common passwords

/// 49,233 passwords seen most often in breaches, lower-cased (from the
/// MIT-licensed `@zxcvbn-ts/language-common`; see data/common-passwords.LICENSE.txt).
const COMMON: &str = include_str!("../data/common-passwords.txt");

/// Is `pw` a common password, or one with digits and symbols stuck on
/// either end of a common one ("Password1!", "!qwerty2024")?
pub fn is_common_password(pw: &str) -> bool {
    static SET: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
        std::sync::LazyLock::new(|| COMMON.lines().filter(|l| !l.is_empty()).collect());
    let lower = pw.to_lowercase();
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    SET.contains(lower.as_str()) || (core.chars().count() >= 4 && SET.contains(core))
}

#[cfg(test)]
mod common_tests {
    use super::is_common_password;

    #[test]
    fn common_passwords_and_their_decorated_forms_are_known() {
        assert!(super::COMMON.lines().count() >= 10_000);
        for pw in ["Password1!", "password", "Qwerty123@", "!Dragon2024", "iloveyou"] {
            assert!(is_common_password(pw), "{pw}");
        }
        for pw in ["Lan@2026vn", "Nam#2026ls", "Tr4ng-Đinh#Kỳ Lừa"] {
            assert!(!is_common_password(pw), "{pw}");
        }
    }
}
