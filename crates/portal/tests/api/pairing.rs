//! Signing a kiosk in from the citizen's phone: only the kiosk that asked
//! collects the session, only once, only in time, only after a signed-in
//! phone confirmed.

use crate::support::*;
use axum::http::{header, StatusCode};
use serde_json::Value;
use std::sync::atomic::Ordering;

const KIOSK_IP: &str = "10.0.0.50";

/// A kiosk starts a pairing: (code, check digits, its pairing cookie).
async fn start(f: &Fixture) -> (String, String, String) {
    let r = call(f, "POST", "/api/v1/pairings", Value::Null, None, KIOSK_IP).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let set = r.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set.starts_with("motcua_pairing="), "{set}");
    for part in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/pairings", "Max-Age=300"] {
        assert!(set.contains(part), "{set} lacks {part}");
    }
    let code = r.body["code"].as_str().unwrap().to_string();
    assert!(contract::account::is_pairing_code(&code), "{code}");
    let check = r.body["check"].as_str().unwrap().to_string();
    assert!(check.len() == 2 && check.bytes().all(|b| b.is_ascii_digit()));
    (code, check, set.split(';').next().unwrap().to_string())
}

async fn poll(f: &Fixture, code: &str, cookie: Option<&str>) -> Res {
    let uri = format!("/api/v1/pairings/{code}/session");
    call(f, "POST", &uri, Value::Null, cookie, KIOSK_IP).await
}

#[tokio::test]
async fn a_phone_signs_the_kiosk_in_once_and_only_the_kiosk_collects() {
    let f = fixture(true);
    let (code, check, kiosk) = start(&f).await;
    let info = format!("/api/v1/pairings/{code}");
    let approve = format!("/api/v1/pairings/{code}/approve");

    // Waiting; nobody else can ask (a photo of the QR code is not enough).
    let r = poll(&f, &code, Some(&kiosk)).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert_eq!(r.body["opened"], false);
    for other in [None, Some("motcua_pairing=00ff")] {
        let r = poll(&f, &code, other).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert_eq!(r.body["error"]["code"], "pairing_gone");
    }
    // The phone must be signed in.
    let r = get_as(&f, &info, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = send_as(&f, "POST", &approve, Value::Null, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let lan = register_lan(&f).await;
    let r = get_as(&f, &info, Some(&lan)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["check"], check.as_str());
    assert!(r.body["expires_in"].as_u64().unwrap() <= 300);
    let r = poll(&f, &code, Some(&kiosk)).await;
    assert_eq!((r.status, &r.body["opened"]), (StatusCode::ACCEPTED, &Value::Bool(true)));

    let r = ask(&f, "POST", &approve, Value::Null, &lan).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    // Confirmed once: a second phone cannot take it over.
    let nam = register_nam(&f).await;
    let r = ask(&f, "POST", &approve, Value::Null, &nam).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

    let r = poll(&f, &code, Some(&kiosk)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["full_name"], "Nguyễn Thị Lan");
    let cookies: Vec<_> = r.headers.get_all(header::SET_COOKIE).iter().collect();
    assert!(cookies.iter().any(|c| c.to_str().unwrap().starts_with("motcua_pairing=;")));
    let session = session_of(&r);
    assert!(session.starts_with("motcua_session=") && session != lan);
    assert_eq!(whoami(&f, &session).await.body["full_name"], "Nguyễn Thị Lan");
    // Used once.
    let r = poll(&f, &code, Some(&kiosk)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The phone's own session goes on.
    assert_eq!(whoami(&f, &lan).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_pairing_ends_after_five_minutes_and_odd_codes_are_refused() {
    let f = fixture(true);
    let (code, _, kiosk) = start(&f).await;
    let lan = register_lan(&f).await;
    f.state.clock_offset.fetch_add(301, Ordering::Relaxed);
    let r = ask(&f, "POST", &format!("/api/v1/pairings/{code}/approve"), Value::Null, &lan).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body["error"]["message"].as_str().unwrap().contains("hết hạn"));
    assert_eq!(poll(&f, &code, Some(&kiosk)).await.status, StatusCode::NOT_FOUND);
    for bad in ["..%2F..%2Fx", "ABCDEF", "0123456789abcdef0123456789abcdeg"] {
        let r = get_as(&f, &format!("/api/v1/pairings/{bad}"), Some(&lan)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
    }
}

/// Approve, then revoke, then collect: whatever ended the account's
/// sessions in between (a password reset, a takeover by the proven
/// identity, signing out on the phone) ends the pairing too.
#[tokio::test]
async fn a_pairing_approved_before_a_revocation_cannot_be_collected_after_it() {
    // After a password reset.
    let (f, lan) = with_lan().await;
    let (code, kiosk) = approved(&f, &lan).await;
    let r = reset(&f, "0912345678").await;
    let ch = r.body["challenge"].as_str().unwrap().to_string();
    let code_sent = last_code(&f, "0912345678");
    assert_eq!(verify(&f, &ch, &code_sent).await.status, StatusCode::NO_CONTENT);
    assert_eq!(password(&f, &ch, "Moi#2026mk-lan").await.status, StatusCode::OK);
    let r = poll(&f, &code, Some(&kiosk)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert!(r
        .headers
        .get(header::SET_COOKIE)
        .is_none_or(|c| !c.to_str().unwrap().starts_with("motcua_session=")));

    // After the phone signed out.
    let (f, lan) = with_lan().await;
    let (code, kiosk) = approved(&f, &lan).await;
    assert_eq!(
        ask(&f, "DELETE", "/api/v1/session", Value::Null, &lan).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(poll(&f, &code, Some(&kiosk)).await.status, StatusCode::NOT_FOUND);

    // After "sign out everywhere" from another device of Lan's.
    let (f, lan) = with_lan().await;
    let other = session_of(&sign_in(&f, "0912345678", "Lan@2026vn").await);
    let (code, kiosk) = approved(&f, &lan).await;
    let r = ask(&f, "DELETE", "/api/v1/me/sessions", Value::Null, &other).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(whoami(&f, &lan).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(whoami(&f, &other).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(poll(&f, &code, Some(&kiosk)).await.status, StatusCode::NOT_FOUND);

    // After the proven identity took the account over (VNeID).
    let (f, lan) = with_lan().await;
    let (code, kiosk) = approved(&f, &lan).await;
    let now = f.state.now() as i64;
    f.state
        .db
        .with(|c| {
            portal::store::accounts::link_proven(
                c,
                "020090123456",
                "Nguyễn Thị Lan",
                "09/05/1990",
                now,
            )
        })
        .unwrap();
    assert_eq!(whoami(&f, &lan).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(poll(&f, &code, Some(&kiosk)).await.status, StatusCode::NOT_FOUND);
}

/// A kiosk's session (made by a pairing) cannot sign in another kiosk:
/// approve-then-collect cannot chain one grant into the next.
#[tokio::test]
async fn a_session_from_a_pairing_cannot_approve_another() {
    let (f, lan) = with_lan().await;
    let (code, kiosk) = approved(&f, &lan).await;
    let r = poll(&f, &code, Some(&kiosk)).await;
    assert_eq!(r.status, StatusCode::OK);
    let paired = session_of(&r);
    let (next, _, next_kiosk) = start(&f).await;
    let r =
        ask(&f, "POST", &format!("/api/v1/pairings/{next}/approve"), Value::Null, &paired).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.body["error"]["code"], "pairing_from_kiosk");
    assert_eq!(poll(&f, &next, Some(&next_kiosk)).await.status, StatusCode::ACCEPTED);
    // The phone's own session still can.
    let r = ask(&f, "POST", &format!("/api/v1/pairings/{next}/approve"), Value::Null, &lan).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
}

/// A kiosk's pairing, approved by `who` on the phone: its code and the
/// kiosk's cookie.
async fn approved(f: &Fixture, who: &str) -> (String, String) {
    let (code, _, kiosk) = start(f).await;
    let approve = format!("/api/v1/pairings/{code}/approve");
    assert_eq!(ask(f, "POST", &approve, Value::Null, who).await.status, StatusCode::NO_CONTENT);
    (code, kiosk)
}
