//! Accounts through the whole router: registration, codes, sessions, limits.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use tower::ServiceExt;

use crate::support::*;

#[tokio::test]
async fn register_verify_password_then_signed_in_with_a_strict_cookie() {
    let f = fixture(true);
    let r = post(&f, "/api/v1/accounts/register", details()).await;
    let ch = challenge(&r);
    // A password before the code is verified is refused.
    let early = password(&f, &ch, "Lan@2026vn").await;
    assert_eq!(early.status, StatusCode::GONE);

    let code = last_code(&f, "0912345678");
    verify(&f, &ch, &code).await;
    let weak = password(&f, &ch, "password").await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&weak.body, "password").contains("chữ hoa"));
    // Meets every rule, but is one of the most common passwords.
    for common in ["Password1!", "Qwerty123@"] {
        let r = password(&f, &ch, common).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{common}");
        let said = field_error(&r.body, "password");
        assert!(said.contains("quá phổ biến"), "{said}");
    }
    // Meets every rule, but made of what anyone tries first or knows of Lan
    // (born 09/05/1990, phone 0912 345 678): refused, saying why.
    for (guessable, why) in [
        ("Abc@1234", "dãy phím"),
        ("Langson@2026", "tên tỉnh"),
        ("Motcua@2026", "tên tỉnh"),
        ("Lan@1990", "tên hoặc ngày sinh"),
        ("NguyenThiLan#0905", "tên hoặc ngày sinh"),
        ("Pw@0912345678", "số điện thoại"),
    ] {
        let r = password(&f, &ch, guessable).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{guessable}");
        let said = field_error(&r.body, "password");
        assert!(said.contains(why), "{guessable}: {said}");
    }
    let r = password(&f, &ch, "Lan@2026vn").await;
    assert_eq!(r.status, StatusCode::OK);
    let set = header_of(&r.headers, header::SET_COOKIE);
    assert!(set.starts_with("motcua_session="), "{set}");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/"),
        "{set}"
    );
    let cookie = session_of(&r);
    let me = whoami(&f, &cookie).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["citizen_id"], "020090123456");
    assert_eq!(me.body["birth_date"], "09/05/1990");

    // The challenge is spent.
    let again = password(&f, &ch, "Lan@2026vn").await;
    assert_eq!(again.status, StatusCode::GONE);
    // The hash is argon2id, never the password.
    let stored: String = f
        .state
        .db
        .with(|c| c.query_row("SELECT password_hash FROM accounts", [], |r| r.get(0)).unwrap());
    assert!(stored.starts_with("$argon2id$") && !stored.contains("Lan@2026vn"));
}

#[tokio::test]
async fn every_invalid_field_gets_its_own_message_in_both_languages() {
    let f = fixture(true);
    let r = post(
        &f,
        "/api/v1/accounts/register",
        json!({
            "citizen_id": "02009012345",
            "full_name": "Lan 2",
            "birth_date": "31/02/1990",
            "phone": "0123",
            "email": "lan@"
        }),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &r.body["error"]["fields"];
    assert_eq!(fields["citizen_id"], "Số định danh cá nhân gồm 12 chữ số; bạn đã nhập 11");
    for k in ["full_name", "birth_date", "phone", "email"] {
        assert!(fields[k].is_string(), "{k}: {}", r.body);
        assert!(r.body["error"]["fields_en"][k].is_string(), "{k}");
    }
    // An ID whose year digits disagree with the date of birth.
    let mut d = details();
    d["birth_date"] = json!("09/05/1991");
    let r = post(&f, "/api/v1/accounts/register", d).await;
    assert!(field_error(&r.body, "citizen_id").contains("1990"));
    assert!(f.state.sms.outbox().is_empty(), "nothing sent for invalid input");
}

#[tokio::test]
async fn five_wrong_codes_lock_it_and_a_resend_after_the_wait_unlocks() {
    let f = fixture(true);
    let (ch, right) = lan_code(&f).await;
    let wrong = if right == "000000" { "111111" } else { "000000" };
    let verify = format!("/api/v1/challenges/{ch}/verify");
    for left in (1..5).rev() {
        let r = post(&f, &verify, json!({ "code": wrong })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(field_error(&r.body, "code").contains(&format!("còn {left} lần")), "{}", r.body);
    }
    let r = post(&f, &verify, json!({ "code": wrong })).await;
    assert_eq!(r.body["error"]["code"], "code_locked");
    // Even the right code no longer works.
    let r = post(&f, &verify, json!({ "code": right })).await;
    assert_eq!(r.body["error"]["code"], "code_locked");

    // A new code only after the wait, and it works.
    let resend = format!("/api/v1/challenges/{ch}/resend");
    let r = post(&f, &resend, Value::Null).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body["error"]["retry_after"].as_u64().unwrap() <= 60);
    f.state.clock_offset.fetch_add(61, Ordering::Relaxed);
    let r = post(&f, &resend, Value::Null).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let fresh = last_code(&f, "0912345678");
    let r = post(&f, &verify, json!({ "code": fresh })).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn codes_expire_after_five_minutes() {
    let f = fixture(true);
    let (ch, code) = lan_code(&f).await;
    f.state.clock_offset.fetch_add(5 * 60, Ordering::Relaxed);
    let r = verify(&f, &ch, &code).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert_eq!(r.body["error"]["code"], "code_expired");
}

#[tokio::test]
async fn a_known_id_or_phone_gets_the_same_answer_and_the_owner_is_told() {
    let f = fixture(true);
    register_lan(&f).await;
    let sent_before = f.state.sms.outbox().len();
    // Someone else tries Lan's ID with their own phone.
    let mut d = details();
    d["phone"] = json!("0987 654 321");
    let known = post(&f, "/api/v1/accounts/register", d).await;
    // A new person.
    let fresh = post(
        &f,
        "/api/v1/accounts/register",
        json!({
            "citizen_id": "020195000123",
            "full_name": "Hoàng Văn Nam",
            "birth_date": "01/02/1995",
            "phone": "0987 111 222",
            "email": "nam@vi-du.vn"
        }),
    )
    .await;
    assert_eq!(known.status, fresh.status);
    let keys = |v: &Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&known.body), keys(&fresh.body));
    assert_eq!(known.body["expires_in"], fresh.body["expires_in"]);
    assert_eq!(known.body["phone_hint"], "******4321");
    // The asker's phone is answered as a new person's is: a code. Lan's
    // phone got a warning, not a code.
    let out = f.state.sms.outbox();
    let to_asker: Vec<_> = out[sent_before..].iter().filter(|m| m.phone == "0987654321").collect();
    let to_fresh: Vec<_> = out[sent_before..].iter().filter(|m| m.phone == "0987111222").collect();
    assert_eq!(to_asker.len(), 1);
    assert_eq!(to_fresh.len(), 1);
    let shape = |t: &str| t.chars().filter(|c| !c.is_ascii_digit()).collect::<String>();
    assert_eq!(shape(&to_asker[0].text), shape(&to_fresh[0].text), "the same text");
    let warn = out[sent_before..].iter().find(|m| m.phone == "0912345678").unwrap();
    assert!(warn.text.contains("lay lai mat khau"), "{}", warn.text);
    // The code verifies (the phone is the asker's); only the password step,
    // after that proof, says the ID number has an account.
    let ch = known.body["challenge"].as_str().unwrap();
    let code = last_code(&f, "0987654321");
    assert_eq!(verify(&f, ch, &code).await.status, StatusCode::NO_CONTENT);
    let r = post(
        &f,
        "/api/v1/accounts/password",
        json!({ "challenge": ch, "password": "Khac#2026mk" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body["error"]["message"].as_str().unwrap().contains("VNeID"));
    // A second try within the hour: no second warning to Lan.
    let mut d = details();
    d["phone"] = json!("0987 654 999");
    post(&f, "/api/v1/accounts/register", d).await;
    let out = f.state.sms.outbox();
    assert_eq!(out[sent_before..].iter().filter(|m| m.phone == "0912345678").count(), 1);
    // Someone typing Lan's own phone: that phone is Lan's, so it gets the
    // warning's place, never a code, and no exchange for it can verify.
    let mut d = details();
    d["citizen_id"] = json!("020195000777");
    d["birth_date"] = json!("01/02/1995");
    let phone_known = post(&f, "/api/v1/accounts/register", d).await;
    assert_eq!(phone_known.status, known.status);
    assert_eq!(keys(&phone_known.body), keys(&fresh.body));
    let ch = phone_known.body["challenge"].as_str().unwrap();
    for code in ["000000", "123456"] {
        let r = verify(&f, ch, code).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    // Reset: known and unknown identifiers answer alike.
    let a = reset(&f, "020090123456").await;
    let b = reset(&f, "020090999999").await;
    assert_eq!(a.status, StatusCode::ACCEPTED);
    assert_eq!(a.status, b.status);
    assert_eq!(keys(&a.body), keys(&b.body));
}

#[tokio::test]
async fn sign_in_by_phone_or_id_sign_out_revokes_and_reset_ends_sessions() {
    let f = fixture(true);
    let first = register_lan(&f).await;
    let r = sign_in(&f, "0912 345 678", "Lan@2026vn").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let by_phone = session_of(&r);
    let r = sign_in(&f, "020090123456", "wrong-Pass1!").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["error"]["code"], "bad_credentials");

    // Sign-out ends that session on the server, not just in the browser.
    let out = send_as(&f, "DELETE", "/api/v1/session", Value::Null, Some(&by_phone)).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(out.headers[header::SET_COOKIE].to_str().unwrap().contains("Max-Age=0"));
    let me = whoami(&f, &by_phone).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me.body["error"]["code"], "session_expired");
    let me = get_as(&f, "/api/v1/me", None).await;
    assert_eq!(me.body["error"]["code"], "unauthorized");
    // The other session still works...
    let me = whoami(&f, &first).await;
    assert_eq!(me.status, StatusCode::OK);

    // ...until a password reset, which ends them all and signs in anew.
    let r = reset(&f, "0912345678").await;
    let ch = challenge(&r);
    let code = last_code(&f, "0912345678");
    verify(&f, &ch, &code).await;
    let r = password(&f, &ch, "Moi#2026lan").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let me = whoami(&f, &first).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    let r = sign_in(&f, "0912345678", "Moi#2026lan").await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn sessions_end_after_thirty_idle_minutes() {
    let f = fixture(true);
    let cookie = register_lan(&f).await;
    f.state.clock_offset.fetch_add(29 * 60, Ordering::Relaxed);
    let me = whoami(&f, &cookie).await;
    assert_eq!(me.status, StatusCode::OK, "used within 30 minutes");
    f.state.clock_offset.fetch_add(29 * 60, Ordering::Relaxed);
    let me = whoami(&f, &cookie).await;
    assert_eq!(me.status, StatusCode::OK, "idle time counts from the last use");
    f.state.clock_offset.fetch_add(31 * 60, Ordering::Relaxed);
    let me = whoami(&f, &cookie).await;
    assert_eq!(me.body["error"]["code"], "session_expired");
}

#[tokio::test]
async fn wrong_sign_ins_are_rate_limited_then_released() {
    let f = fixture(true);
    register_lan(&f).await;
    let wrong = json!({ "identifier": "0912345678", "password": "Sai#mat1khau" });
    let mut limited = None;
    for i in 0..10 {
        let r = post(&f, "/api/v1/session", wrong.clone()).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some((i, r));
            break;
        }
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let (i, r) = limited.expect("ten fast wrong sign-ins must be limited");
    assert_eq!(i, 5, "the sixth try is refused");
    let wait = r.body["error"]["retry_after"].as_u64().unwrap();
    assert!(wait > 0 && wait <= 15 * 60);
    assert!(r.body["error"]["message"].as_str().unwrap().contains(&format!("{wait} giây")));
    // Even the right password waits: the lock is on the account.
    let right = json!({ "identifier": "0912345678", "password": "Lan@2026vn" });
    let r = post(&f, "/api/v1/session", right.clone()).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    f.state.clock_offset.fetch_add(wait, Ordering::Relaxed);
    let r = post(&f, "/api/v1/session", right).await;
    assert_eq!(r.status, StatusCode::OK, "released after the wait: {}", r.body);

    // One client trying many accounts is limited too.
    for n in 0..20 {
        let r = call(
            &f,
            "POST",
            "/api/v1/session",
            json!({ "identifier": format!("09{:08}", 10_000_000 + n), "password": "Sai#mat1khau" }),
            None,
            "10.9.9.9",
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = call(&f, "POST", "/api/v1/session", wrong, None, "10.9.9.9").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn requests_without_the_app_header_are_refused() {
    let f = fixture(true);
    let req = Request::post("/api/v1/accounts/register")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(details().to_string()))
        .unwrap();
    let res = f.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body = json(&res.into_body().collect().await.unwrap().to_bytes());
    assert_eq!(body["error"]["code"], "csrf");
    assert!(f.state.sms.outbox().is_empty());
    // Reading needs no header; browsers' CSP reports are exempt.
    let req = Request::post("/api/v1/csp-reports").body(Body::from("{}")).unwrap();
    let res = f.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn profile_email_and_phone_change_with_a_code_to_the_new_phone() {
    let f = fixture(true);
    let cookie = register_lan(&f).await;
    let r = send_as(&f, "PATCH", "/api/v1/me", json!({ "email": "lan@" }), Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r =
        send_as(&f, "PATCH", "/api/v1/me", json!({ "email": "lan@vi-du.vn" }), Some(&cookie)).await;
    assert_eq!(r.body["email"], "lan@vi-du.vn");

    let r =
        send_as(&f, "POST", "/api/v1/me/phone", json!({ "phone": "0388 777 666" }), Some(&cookie))
            .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let ch = challenge(&r);
    let code = last_code(&f, "0388777666");
    // Not before the code is verified.
    let early =
        send_as(&f, "POST", &format!("/api/v1/me/phone/{ch}"), Value::Null, Some(&cookie)).await;
    assert_eq!(early.status, StatusCode::GONE);
    verify(&f, &ch, &code).await;
    let r =
        send_as(&f, "POST", &format!("/api/v1/me/phone/{ch}"), Value::Null, Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["phone"], "0388777666");
    // Without a session, nothing.
    let r = send_as(&f, "PATCH", "/api/v1/me", json!({ "email": "x@y.vn" }), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn outbox_exists_only_in_dev_and_sms_fails_clearly_without_a_gateway() {
    let f = fixture(false);
    let r = get_as(&f, "/api/v1/dev/outbox", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post(&f, "/api/v1/accounts/register", details()).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.body["error"]["code"], "sms_unavailable");
    let f = fixture(true);
    post(&f, "/api/v1/accounts/register", details()).await;
    let r = get_as(&f, "/api/v1/dev/outbox", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body[0]["phone"], "0912345678");
}

#[tokio::test]
async fn one_client_may_ask_for_twenty_codes_an_hour_and_more_only_in_dev() {
    let ask = |f: &Fixture, n: u32| {
        let body = json!({
            "citizen_id": format!("020195{n:06}"), "full_name": "Hoàng Văn Nam",
            "birth_date": "01/02/1995", "phone": format!("0987{n:06}"), "email": ""
        });
        let f = f.router.clone();
        async move {
            let req = Request::post("/api/v1/accounts/register")
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-motcua", "1")
                .body(Body::from(body.to_string()))
                .unwrap();
            f.oneshot(req).await.unwrap().status()
        }
    };
    // Without --dev (and without an SMS gateway) each try still counts.
    let prod = fixture(false);
    for n in 0..20 {
        assert_eq!(ask(&prod, n).await, StatusCode::SERVICE_UNAVAILABLE);
    }
    assert_eq!(ask(&prod, 20).await, StatusCode::TOO_MANY_REQUESTS);
    let dev = fixture(true);
    for n in 0..25 {
        assert_eq!(ask(&dev, n).await, StatusCode::ACCEPTED, "try {n}");
    }
}

/// Sixty wrong attempts at once on one account, from sixty addresses, ID
/// number and phone mixed: the account-wide thirty are checked, the rest
/// refused before any password is looked at; the right password then waits
/// too. (Which of a burst are checked is the scheduler's choice, so the
/// right password comes after it.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_parallel_sign_ins_never_passes_the_limit() {
    let f = fixture(true);
    register_lan(&f).await;
    let ips: Vec<String> = (0..60).map(|i| format!("10.7.0.{}", i + 1)).collect();
    let tries = ips.iter().enumerate().map(|(i, ip)| {
        let identifier = if i % 2 == 0 { "020090123456" } else { "0912 345 678" };
        let body = json!({ "identifier": identifier, "password": "Sai#mat1khau" });
        call(&f, "POST", "/api/v1/session", body, None, ip)
    });
    let answers = futures_util::future::join_all(tries).await;
    let checked = answers.iter().filter(|r| r.status == StatusCode::UNAUTHORIZED).count();
    let refused = answers.iter().filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(checked, 30, "only thirty attempts are ever checked");
    assert_eq!(refused, 30);
    let right = json!({ "identifier": "0912345678", "password": "Lan@2026vn" });
    let r = call(&f, "POST", "/api/v1/session", right, None, "10.7.1.1").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

/// The ID number and the phone of one account share one count; a stranger
/// who guesses from one client locks out only that client, never the
/// owner on theirs.
#[tokio::test]
async fn the_id_number_and_the_phone_share_one_count() {
    let f = fixture(true);
    register_lan(&f).await;
    for identifier in ["020090123456", "0912345678"].iter().cycle().take(5) {
        let body = json!({ "identifier": identifier, "password": "Sai#mat1khau" });
        let r = call(&f, "POST", "/api/v1/session", body, None, "10.8.0.1").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    for identifier in ["020090123456", "0912345678"] {
        let body = json!({ "identifier": identifier, "password": "Lan@2026vn" });
        let r = call(&f, "POST", "/api/v1/session", body, None, "10.8.0.1").await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{identifier}");
    }
    // Lan, on her own phone's connection, is not locked out.
    let body = json!({ "identifier": "0912345678", "password": "Lan@2026vn" });
    let r = call(&f, "POST", "/api/v1/session", body, None, "10.8.9.9").await;
    assert_eq!(r.status, StatusCode::OK);
}

/// A flood of sign-ins for identifiers nobody has, from thousands of
/// clients, neither erases a lock nor lets the locked client guess again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_unknown_sign_ins_leaves_a_locked_account_locked() {
    let f = fixture(true);
    register_lan(&f).await;
    for _ in 0..5 {
        let body = json!({ "identifier": "0912345678", "password": "Sai#mat1khau" });
        call(&f, "POST", "/api/v1/session", body, None, "10.9.0.1").await;
    }
    // Straight into the limiter, as 6,000 distinct clients would (each
    // request would also wait for a password check; the counts are the point).
    for n in 0..6000u32 {
        let (now, ip) =
            (f.state.now(), format!("10.{}.{}.{}", 10 + n / 65536, (n / 256) % 256, n % 256));
        let rule = portal::limits::Rule::new(20, 900);
        let _ = f.state.limits.take(&format!("signin-ip:{ip}"), rule, now);
        let _ = f.state.limits.take(&format!("signin-unknown:{n:012}"), rule, now);
    }
    let body = json!({ "identifier": "0912345678", "password": "Lan@2026vn" });
    let r = call(&f, "POST", "/api/v1/session", body, None, "10.9.0.1").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "still locked");
}

/// A reset for a known and for an unknown ID number cannot be told apart,
/// however often it is tried: the same kind of hint (never a tell-tale one),
/// the same hint each time, and the limit at the same try.
#[tokio::test]
async fn resets_for_known_and_unknown_ids_answer_alike_every_time() {
    let f = fixture(true);
    register_lan(&f).await;
    // An hour on: the registration's own text no longer counts against her phone.
    f.state.clock_offset.fetch_add(60 * 60 + 1, Ordering::Relaxed);
    let mut seen = Vec::new();
    for id in ["020090123456", "020090999999", "020090888888"] {
        let mut answers = Vec::new();
        for i in 0..7 {
            let body = json!({ "identifier": id });
            let ip = format!("10.6.{}.{i}", seen.len());
            let r = call(&f, "POST", "/api/v1/accounts/reset", body, None, &ip).await;
            answers.push((r.status, r.body["phone_hint"].as_str().map(String::from)));
        }
        let statuses: Vec<StatusCode> = answers.iter().map(|a| a.0).collect();
        let hints: Vec<&Option<String>> =
            answers.iter().map(|a| &a.1).filter(|h| h.is_some()).collect();
        assert!(hints.windows(2).all(|w| w[0] == w[1]), "{id}: one hint");
        let hint = hints[0].clone().unwrap();
        assert!(
            hint.starts_with("******") && hint.len() == 10 && !hint.ends_with("0000"),
            "{hint}"
        );
        seen.push(statuses);
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:?}");
    assert_eq!(seen[0][0], StatusCode::ACCEPTED);
    assert!(seen[0].contains(&StatusCode::TOO_MANY_REQUESTS));
}

/// Twenty registrations with Lan's ID number and invented phones: Lan is
/// warned once, and her own reset code still reaches her.
#[tokio::test]
async fn registrations_with_someones_id_cannot_block_their_reset() {
    let f = fixture(true);
    register_lan(&f).await;
    for n in 0..20 {
        let mut d = details();
        d["phone"] = json!(format!("0987 {:06}", 100_000 + n));
        let r =
            call(&f, "POST", "/api/v1/accounts/register", d, None, &format!("10.30.0.{n}")).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    }
    let to_lan =
        |f: &Fixture| f.state.sms.outbox().into_iter().filter(|m| m.phone == "0912345678").count();
    let warned = to_lan(&f);
    let r = reset(&f, "020090123456").await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert_eq!(to_lan(&f), warned + 1, "the reset code arrived");
    let out = f.state.sms.outbox();
    let last = out.iter().rev().find(|m| m.phone == "0912345678").unwrap();
    assert!(
        last.text.contains("lay lai mat khau") && last.text.chars().any(|c| c.is_ascii_digit())
    );
    // One warning in the hour, whatever the number of registrations.
    let warnings =
        out.iter().filter(|m| m.phone == "0912345678" && m.text.contains("vua dang ky")).count();
    assert_eq!(warnings, 1);
}

/// A return path is a path of this app: none of the tricks browsers
/// forgive leads off the origin, and one too long is dropped.
#[tokio::test]
async fn vneid_start_returns_only_inside_the_app_and_is_limited() {
    let mut f = fixture(true);
    // A provider nobody answers at: each start is counted, none is stored.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let redirect = "http://127.0.0.1:8080/api/v1/vneid/callback";
    f.state.vneid =
        Some(std::sync::Arc::new(portal::vneid::Vneid::new(&dead, "x", "y", redirect).unwrap()));
    f.router = portal::app(f.state.clone(), &f.state.files_dir.join("..").join("dist"));
    let long = format!("%2F{}", "a".repeat(60 * 1024));
    for tiep in [
        "%2F%09%2Fevil.example",
        "%2F%0A%2Fevil.example",
        "%2F%5Cevil.example",
        "%2F%2Fevil.example",
        long.as_str(),
    ] {
        let r = get_as(&f, &format!("/api/v1/vneid/start?tiep={tiep}"), None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let to = r.headers[header::LOCATION].to_str().unwrap();
        assert!(to.starts_with("/dang-nhap?vneid="), "{to}");
        assert!(!to.contains("tiep="), "the return path was dropped: {to}");
    }
    for _ in 5..30 {
        get_as(&f, "/api/v1/vneid/start?tiep=%2Ftai-khoan", None).await;
    }
    let r = get_as(&f, "/api/v1/vneid/start?tiep=%2Ftai-khoan", None).await;
    let to = r.headers[header::LOCATION].to_str().unwrap();
    assert!(to.starts_with("/dang-nhap?vneid=qua-nhieu"), "{to}");
    assert!(to.contains("tiep=%2Ftai-khoan"), "{to}");
    let rows = count(&f, "SELECT COUNT(*) FROM vneid_logins");
    assert_eq!(rows, 0);
}
