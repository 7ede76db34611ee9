//! Tracking through the whole router: public views reveal nothing to wrong
//! secrets, and only the owner may act.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::support::*;

#[tokio::test]
async fn wrong_secrets_get_the_same_answer_as_an_unknown_code() {
    let f = fixture(true);
    let (code, token, lan) = lan_dossier(&f).await;
    let unknown = "000.05.37.H37-990101-0001";

    // The QR's token: status and dates, no personal data.
    let r = get_as(&f, &format!("/api/v1/tracking/{code}?token={token}"), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], 1);
    assert_eq!(r.body["owner"], false);
    assert_eq!(r.body["history"].as_array().unwrap().len(), 1);
    let text = r.body.to_string();
    for personal in ["Nguyễn", "020090123456", "0912345678", "Pò Mỏ", "Bé"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
    assert_eq!(r.headers.get("cache-control").unwrap(), "private, no-store");

    // Code + the applicant's ID number: the same view, with the token.
    let r = lookup(&f, &code, "020090123456").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["token"], token.as_str());
    assert_eq!(r.body["owner"], false);

    // Wrong token, wrong ID, unknown code, no secret: one and the same 404.
    // (Its last digit changed: to 1 when it was 0, so it is really wrong.)
    let last = if token.ends_with('0') { '1' } else { '0' };
    let wrong_token = format!("{}{last}", &token[..token.len() - 1]);
    let answers = [
        get_as(&f, &format!("/api/v1/tracking/{code}?token={wrong_token}"), None).await,
        get_as(&f, &format!("/api/v1/tracking/{code}"), None).await,
        get_as(&f, &format!("/api/v1/tracking/{code}?token="), None).await,
        get_as(&f, &format!("/api/v1/tracking/{unknown}?token={token}"), None).await,
        lookup(&f, &code, "020090123457").await,
        lookup(&f, unknown, "020090123456").await,
    ];
    for r in &answers {
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(r.body, answers[0].body);
    }
    // Another citizen signed in sees nothing either.
    let nam = register_nam(&f).await;
    let r = get_as(&f, &format!("/api/v1/tracking/{code}"), Some(&nam)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body, answers[0].body);
    // The owner sees everything without a token.
    let r = get_as(&f, &format!("/api/v1/tracking/{code}"), Some(&lan)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["owner"], true);
    // A malformed code or ID is a validation error, named by field.
    let r = lookup(&f, "abc", "020090123456").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["error"]["fields"]["code"].is_string(), "{}", r.body);
    let r = lookup(&f, &code, "12").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["error"]["fields"]["citizen_id"].is_string());
}

#[tokio::test]
async fn lookups_by_id_number_are_rate_limited() {
    let mut f = fixture(true);
    let (code, _, _) = lan_dossier(&f).await;
    // Without --dev (which widens per-client limits for test browsers).
    f.state.dev = false;
    f.router = portal::app(f.state.clone(), &f.state.files_dir.join("..").join("dist"));
    for _ in 0..30 {
        assert_eq!(lookup(&f, &code, "020090123457").await.status, StatusCode::NOT_FOUND);
    }
    let r = lookup(&f, &code, "020090123456").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body["error"]["retry_after"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn supplement_withdraw_and_rating_are_the_owners_alone() {
    let f = fixture(true);
    let (code, token, lan) = lan_dossier(&f).await;
    let nam = register_nam(&f).await;
    let act = |who: &str, what: &str, body: Value| {
        let (who, uri) = (who.to_string(), format!("/api/v1/dossiers/{code}/{what}"));
        let f = &f;
        async move { call(f, "POST", &uri, body, Some(&who), "10.0.0.9").await }
    };

    // 2 → 4 → 5 with a note: the public view shows the officer's note.
    officer(&f, &code, 2, "");
    officer(&f, &code, 4, "");
    officer(&f, &code, 5, "Bổ sung bản sao giấy đăng ký kết hôn của cha mẹ");
    let r = get_as(&f, &format!("/api/v1/tracking/{code}?token={token}"), None).await;
    assert_eq!(r.body["status"], 5);
    let h = r.body["history"].as_array().unwrap();
    assert_eq!(h.len(), 4);
    assert_eq!(h[3]["note"], "Bổ sung bản sao giấy đăng ký kết hôn của cha mẹ");

    // Supplement: not by Nam, not without files, not with Nam's file.
    let mine = upload(&f, &lan, "ket%20hon.jpg", JPEG).await.body["id"].clone();
    let his = upload(&f, &nam, "x.jpg", JPEG).await.body["id"].clone();
    let r = act(&nam, "supplement", json!({ "files": [mine] })).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = act(&lan, "supplement", json!({ "files": [] })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["error"]["fields"]["files"].is_string());
    let r = act(&lan, "supplement", json!({ "files": [his] })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r =
        act(&lan, "supplement", json!({ "files": [mine], "note": "Bản sao có chứng thực" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], 4);
    assert_eq!(r.body["history"][4]["by_citizen"], true);
    assert_eq!(r.body["history"][4]["note"], "Bản sao có chứng thực");
    // Once is enough: the dossier is no longer waiting.
    let r = act(&lan, "supplement", json!({ "files": [mine] })).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // The citizen's own words are not in the public view.
    let r = get_as(&f, &format!("/api/v1/tracking/{code}?token={token}"), None).await;
    assert_eq!(r.body["history"][4]["note"], "");

    // Payment: the amount is shown.
    officer(&f, &code, 6, "Lệ phí cấp bản sao trích lục");
    let r = get_as(&f, &format!("/api/v1/tracking/{code}?token={token}"), None).await;
    assert_eq!(r.body["history"][5]["amount"], 120_000);
    officer(&f, &code, 4, "");

    // Rating before the end is refused; after 9, once, by the owner only.
    let rating = json!({ "level": "very_satisfied", "comment": "Nhanh" });
    assert_eq!(act(&lan, "rating", rating.clone()).await.status, StatusCode::CONFLICT);
    officer(&f, &code, 9, "Kết quả tại bộ phận một cửa");
    assert_eq!(act(&nam, "rating", rating.clone()).await.status, StatusCode::NOT_FOUND);
    let r = act(&lan, "rating", rating.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["rating"]["level"], "very_satisfied");
    assert!(r.body["timeliness"].is_string());
    let again = json!({ "level": "dissatisfied" });
    assert_eq!(act(&lan, "rating", again).await.status, StatusCode::CONFLICT);
    let stored: Vec<String> = f.state.db.with(|c| {
        let mut q = c.prepare("SELECT level FROM ratings").unwrap();
        q.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    });
    assert_eq!(stored, vec!["very_satisfied"]);
    // Resolved: no withdrawing any more.
    assert_eq!(act(&lan, "withdraw", json!({})).await.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_withdrawal_is_asked_for_by_the_owner() {
    let f = fixture(true);
    let (code, _, lan) = lan_dossier(&f).await;
    let nam = register_nam(&f).await;
    let uri = format!("/api/v1/dossiers/{code}/withdraw");
    let body = json!({ "reason": "Nộp nhầm thủ tục" });
    let r = call(&f, "POST", &uri, body.clone(), Some(&nam), "10.0.0.9").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = call(&f, "POST", &uri, body.clone(), None, "10.0.0.9").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = call(&f, "POST", &uri, body.clone(), Some(&lan), "10.0.0.9").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], 7);
    let r = call(&f, "POST", &uri, body, Some(&lan), "10.0.0.9").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn statistics_count_what_happened_and_refuse_odd_periods() {
    let f = fixture(true);
    let (code, _, lan) = lan_dossier(&f).await;
    for to in [2, 4, 9] {
        officer(&f, &code, to, "");
    }
    let r = call(
        &f,
        "POST",
        &format!("/api/v1/dossiers/{code}/rating"),
        json!({ "level": "very_satisfied" }),
        Some(&lan),
        "10.0.0.9",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = get_as(&f, "/api/v1/stats", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t = &r.body["totals"];
    assert_eq!(t["received"], 1);
    assert_eq!(t["online"], 1);
    assert_eq!(t["resolved"], 1);
    assert_eq!(
        t["early"].as_u64().unwrap() + t["on_time"].as_u64().unwrap(),
        1,
        "a same-day procedure resolved today is on time: {t}"
    );
    assert_eq!(t["very_satisfied"], 1);
    assert_eq!(r.body["months"].as_array().unwrap().len(), 12);
    assert_eq!(r.body["units"][0]["key"], "000.05.37.H37");
    assert_eq!(r.body["fields"][0]["figures"]["received"], 1);
    // Another desk has none of it.
    let r = get_as(&f, "/api/v1/stats?unit=000.01.37.H37", None).await;
    assert_eq!(r.body["totals"]["received"], 0);
    for (query, field) in [
        ("from=2026-13", "from"),
        ("from=2026-05&to=2026-01", "from"),
        ("from=2020-01&to=2026-01", "from"),
        ("to=abc", "to"),
        ("unit=nowhere", "unit"),
    ] {
        let r = get_as(&f, &format!("/api/v1/stats?{query}"), None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(r.body["error"]["fields"][field].is_string(), "{query}: {}", r.body);
    }
}

#[tokio::test]
async fn a_volunteer_needs_the_residents_authorisation_a_mother_does_not() {
    let (f, nam) = with_volunteer_nam().await;
    // A youth-union member without the authorisation: refused by the document, naming why.
    let mut body = birth_registration(&f, &nam).await;
    body["on_behalf"] = json!(true);
    body["relationship"] = json!("Đoàn viên, tình nguyện viên");
    body["consent"] = json!(true);
    let r = submit(&f, &nam, "key-authorise-000001", &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?} {}", r.status, r.body);
    let fields = r.body["error"]["fields"].to_string();
    assert!(fields.contains("Người nộp hộ là “Đoàn viên, tình nguyện viên”"), "{fields}");
    assert!(fields.contains(AUTHORISATION), "{fields}");
    // With it: filed.
    for_resident(&f, &nam, &mut body, "Đoàn viên, tình nguyện viên").await;
    let r = submit(&f, &nam, "key-authorise-000002", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // A mother filing for her child needs none.
    let mut body = birth_registration(&f, &nam).await;
    for_resident(&f, &nam, &mut body, "Cha, mẹ").await;
    assert_eq!(body["documents"].as_array().unwrap().len(), 2);
    let r = submit(&f, &nam, "key-authorise-000003", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn a_volunteer_files_for_a_resident_who_owns_it() {
    // Links sent by SMS use the deployment's address, not the Host header.
    let f = fixture_with(true, |s| s.public_url = Some("https://dichvucong.example".into()));
    // Nam is the volunteer; Lan, the resident, has no account yet.
    let nam = register_nam(&f).await;
    assert!(f
        .state
        .db
        .with(|c| portal::store::accounts::grant_volunteer(c, "020195000123").unwrap()));
    let r = get_as(&f, "/api/v1/me", Some(&nam)).await;
    assert_eq!(r.body["volunteer"], true);
    let mut body = birth_registration(&f, &nam).await;
    for_resident(&f, &nam, &mut body, "Hàng xóm").await;
    let r = submit(&f, &nam, "key-volunteer-000001", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.body["code"].as_str().unwrap().to_string();
    assert_eq!(r.body["assisted"]["relationship"], "Hàng xóm");
    assert!(r.body["assisted"]["consent_at"].as_str().unwrap().len() >= 16);
    // Not the volunteer's own dossier…
    let r = get_as(&f, "/api/v1/dossiers", Some(&nam)).await;
    assert_eq!(r.body, json!([]));
    // …but on the volunteer's dashboard, without the resident's details.
    let r = get_as(&f, "/api/v1/assisted", Some(&nam)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body[0]["code"], code.as_str());
    assert_eq!(r.body[0]["resident"], "N. T. L. · ***456");
    assert!(!r.body.to_string().contains("0912345678"));
    // The tracking link goes to the resident's phone.
    let r = ask(&f, "POST", &format!("/api/v1/dossiers/{code}/send-link"), Value::Null, &nam).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let sent = f.state.sms.outbox();
    let last = sent.last().unwrap();
    assert_eq!(last.phone, "0912345678");
    assert!(
        last.text.contains(&format!("https://dichvucong.example/tra-cuu/{code}?t=")),
        "{}",
        last.text
    );
    // An account merely registered with the resident's ID number (anyone
    // could do that) gains nothing: not in its list, no details, no actions.
    let lan = register_lan(&f).await;
    let r = get_as(&f, "/api/v1/dossiers", Some(&lan)).await;
    assert_eq!(r.body, json!([]));
    let r = get_as(&f, &format!("/api/v1/tracking/{code}"), Some(&lan)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let withdraw = format!("/api/v1/dossiers/{code}/withdraw");
    let r = ask(&f, "POST", &withdraw, json!({ "reason": "x" }), &lan).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The claim code (on the receipt, and in the text to the resident's
    // phone) makes it theirs; not a wrong code, not for another ID number.
    let claim_code = last.text.rsplit(": ").next().unwrap().trim().to_string();
    assert_eq!(claim_code.len(), 10, "{}", last.text);
    let claim = format!("/api/v1/dossiers/{code}/claim");
    let r = ask(&f, "POST", &claim, json!({ "claim_code": "0000000000" }), &lan).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["error"]["fields"]["claim_code"].is_string());
    let r = ask(&f, "POST", &claim, json!({ "claim_code": claim_code }), &nam).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "not the volunteer's");
    let receipt = format!("/api/v1/dossiers/{code}/receipt");
    let r = get_as(&f, &receipt, Some(&nam)).await;
    assert_eq!(r.body["assisted"]["claim_code"], claim_code.as_str());
    let r = ask(&f, "POST", &claim, json!({ "claim_code": claim_code }), &lan).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["owner"], true);
    let r = get_as(&f, "/api/v1/dossiers", Some(&lan)).await;
    assert_eq!(r.body[0]["code"], code.as_str());
    // Used: the volunteer's receipt no longer shows it.
    let r = get_as(&f, &receipt, Some(&nam)).await;
    assert!(r.body["assisted"].get("claim_code").is_none(), "{}", r.body);
    assert!(last.text.contains("Moi dang ky"), "the status as it is: {}", last.text);
    // Someone who is not a volunteer has no dashboard and sends no links.
    let r = get_as(&f, "/api/v1/assisted", Some(&lan)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A resident without a phone can be filed for; no text can reach them.
    let mut body = birth_registration(&f, &nam).await;
    for_resident(&f, &nam, &mut body, "Cháu").await;
    body["applicant"]["phone"] = json!("");
    let r = submit(&f, &nam, "key-volunteer-000002", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.body["code"].as_str().unwrap().to_string();
    let r = ask(&f, "POST", &format!("/api/v1/dossiers/{code}/send-link"), Value::Null, &nam).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(field_error(&r.body, "phone").contains("không có số điện thoại"));
    // Filing for oneself, the phone is still required, and said so plainly.
    let mut body = birth_registration(&f, &nam).await;
    body["applicant"]["phone"] = json!("");
    let r = submit(&f, &nam, "key-volunteer-000003", &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(field_error(&r.body, "applicant.phone").starts_with("Nhập số điện thoại"));
}

/// A proven identity (VNeID) under the resident's ID number owns what was
/// filed for them, without a claim code.
#[tokio::test]
async fn a_proven_identity_owns_what_was_filed_under_its_id_number() {
    let (f, nam) = with_volunteer_nam().await;
    let mut body = birth_registration(&f, &nam).await;
    for_resident(&f, &nam, &mut body, "Hàng xóm").await;
    let r = submit(&f, &nam, "key-volunteer-000009", &body).await;
    let code = r.body["code"].as_str().unwrap().to_string();
    let lan = register_lan(&f).await;
    assert_eq!(get_as(&f, "/api/v1/dossiers", Some(&lan)).await.body, json!([]));
    f.state.db.with(|c| {
        c.execute("UPDATE accounts SET identity_verified = 1 WHERE citizen_id = '020090123456'", [])
            .unwrap()
    });
    let r = get_as(&f, "/api/v1/dossiers", Some(&lan)).await;
    assert_eq!(r.body[0]["code"], code.as_str());
    let r = get_as(&f, &format!("/api/v1/tracking/{code}"), Some(&lan)).await;
    assert_eq!(r.body["owner"], true);
}

/// The province's monitoring reads counts in Prometheus' format: dossiers by
/// status, accounts, texts, procedures; nothing personal.
#[tokio::test]
async fn metrics_count_without_naming_anyone() {
    let f = fixture(true);
    let (code, _, _) = lan_dossier(&f).await;
    // Only to the holder of the metrics token; to anyone else, no such page.
    assert_eq!(get(&f, "/api/v1/metrics", &[]).await.0, StatusCode::NOT_FOUND);
    let wrong = ("authorization", "Bearer metrics-token-for-tests-0002");
    assert_eq!(get(&f, "/api/v1/metrics", &[wrong]).await.0, StatusCode::NOT_FOUND);
    let (status, headers, body) = get(&f, "/api/v1/metrics", &[METRICS_AUTH]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = String::from_utf8(body).unwrap();
    for line in [
        "# TYPE motcua_dossiers gauge",
        "motcua_dossiers{status=\"1\"} 1",
        "motcua_accounts{proven=\"false\"} 1",
        "motcua_procedures ",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    assert!(!text.contains(&code) && !text.contains("0912345678") && !text.contains("Lan"));
}

/// A volunteer sees a resident's details until "Người tiếp theo" (or for a
/// day at most); every look is recorded; afterwards the receipt answers
/// them as anyone without its token, and with the token it is masked.
#[tokio::test]
async fn a_volunteer_sees_a_residents_details_only_until_the_hand_over() {
    let (f, nam) = with_volunteer_nam().await;
    let for_resident = || async {
        let mut body = birth_registration(&f, &nam).await;
        for_resident(&f, &nam, &mut body, "Hàng xóm").await;
        body
    };
    let mut codes = Vec::new();
    for key in ["key-handover-000001", "key-handover-000002"] {
        let r = submit(&f, &nam, key, &for_resident().await).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        codes.push((
            r.body["code"].as_str().unwrap().to_string(),
            r.body["token"].as_str().unwrap().to_string(),
        ));
    }
    let receipt = |code: &str| format!("/api/v1/dossiers/{code}/receipt");
    let r = get_as(&f, &receipt(&codes[0].0), Some(&nam)).await;
    assert_eq!(r.body["applicant"]["citizen_id"], "020090123456", "{}", r.body);
    let r = get_as(&f, &format!("/api/v1/tracking/{}", codes[0].0), Some(&nam)).await;
    assert_eq!(r.status, StatusCode::OK);
    // The printable form is a look at the resident's details too.
    get_as(&f, &format!("/api/v1/dossiers/{}/form.html", codes[0].0), Some(&nam)).await;
    let views: i64 = f
        .state
        .db
        .with(|c| c.query_row("SELECT COUNT(*) FROM assist_views", [], |r| r.get(0)).unwrap());
    assert_eq!(views, 3, "each look recorded");

    let r = ask(&f, "POST", "/api/v1/assisted/hand-over", Value::Null, &nam).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = get_as(&f, &receipt(&codes[0].0), Some(&nam)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert!(r.headers[axum::http::header::CACHE_CONTROL].to_str().unwrap().contains("no-store"));
    let with_token = format!("{}?token={}", receipt(&codes[0].0), codes[0].1);
    let r = get_as(&f, &with_token, Some(&nam)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.to_string().contains("020090123456"), "masked: {}", r.body);
    // A jammed print: the volunteer who filed it prints it again, masked,
    // with the resident's claim code; the token alone does not show it.
    let claim = r.body["assisted"]["claim_code"].as_str().unwrap_or_default().to_string();
    assert_eq!(claim.len(), 10, "{}", r.body);
    let r = get_as(&f, &with_token, None).await;
    assert!(r.body["assisted"]["claim_code"].is_null(), "{}", r.body);
    // The dashboard still lists them, by initials.
    let r = get_as(&f, "/api/v1/assisted", Some(&nam)).await;
    assert_eq!(r.body.as_array().unwrap().len(), 2);

    // Filed now, and not handed over: visible for a day, then no longer.
    let r = submit(&f, &nam, "key-handover-000003", &for_resident().await).await;
    let code = r.body["code"].as_str().unwrap().to_string();
    assert_eq!(get_as(&f, &receipt(&code), Some(&nam)).await.status, StatusCode::OK);
    f.state.clock_offset.fetch_add(86_401, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(get_as(&f, &receipt(&code), Some(&nam)).await.status, StatusCode::NOT_FOUND);
    // Someone who is not a volunteer cannot hand over.
    let lan = register_lan(&f).await;
    let r = ask(&f, "POST", "/api/v1/assisted/hand-over", Value::Null, &lan).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// The officer API attaching `pdf` as a result of `code`.
async fn attach_result(f: &Fixture, code: &str, pdf: &[u8]) -> Res {
    use axum::body::Body;
    use axum::http::{header, Request};
    let req = Request::post(format!("/api/v1/officer/dossiers/{code}/results"))
        .header("x-motcua", "1")
        .header(header::AUTHORIZATION, "Bearer can-bo-mot-cua-2026")
        .header("x-file-name", "Gi%E1%BA%A5y%20khai%20sinh.pdf")
        .header("x-signer", "UBND%20x%C3%A3%20%C4%90%E1%BB%93ng%20%C4%90%C4%83ng")
        .body(Body::from(pdf.to_vec()))
        .unwrap();
    send(f, req).await
}

/// An officer attaches an electronic result at 9; its owner downloads it
/// with the SHA-256 it was given; the token shows only that it exists;
/// nobody else gets it.
#[tokio::test]
async fn electronic_results_reach_their_owner_only() {
    use axum::body::Body;
    use axum::http::{header, Request};
    let f = fixture_with(true, |s| s.officer_token = Some("can-bo-mot-cua-2026".into()));
    let (code, token, lan) = lan_dossier(&f).await;
    let pdf = one_page_pdf("");
    assert_eq!(attach_result(&f, &code, &pdf).await.status, StatusCode::CONFLICT, "not before 9");
    for to in [2, 4, 9] {
        officer(&f, &code, to, "");
    }
    let r = attach_result(&f, &code, &pdf).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["code"], format!("{code}-KQ1"));
    assert_eq!(r.body["signer"], "UBND xã Đồng Đăng");
    let sha = r.body["sha256"].as_str().unwrap().to_string();
    assert_eq!(sha, portal::secrets::sha256_hex(&pdf));
    // The owner sees it on the status page and downloads the same bytes.
    let t = get_as(&f, &format!("/api/v1/tracking/{code}"), Some(&lan)).await;
    assert_eq!(t.body["result_count"], 1);
    assert_eq!(t.body["results"][0]["sha256"], sha.as_str());
    assert_eq!(t.body["pickup"], "office", "how, never where");
    let req = Request::get(format!("/api/v1/dossiers/{code}/results/1"))
        .header(header::COOKIE, &lan)
        .body(Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(f.router.clone(), req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[header::CACHE_CONTROL].to_str().unwrap().contains("no-store"));
    let bytes = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
    assert_eq!(portal::secrets::sha256_hex(&bytes), sha);
    // And from "Hồ sơ của tôi".
    let mine = get_as(&f, "/api/v1/dossiers", Some(&lan)).await;
    assert_eq!(mine.body[0]["results"][0]["sha256"], sha.as_str(), "{}", mine.body);
    // The token alone: that a result exists, not the file.
    let t = get_as(&f, &format!("/api/v1/tracking/{code}?token={token}"), None).await;
    assert_eq!(t.body["result_count"], 1);
    assert!(t.body.get("results").is_none(), "{}", t.body);
    let path = format!("/api/v1/dossiers/{code}/results/1?token={token}");
    assert_eq!(get_as(&f, &path, None).await.status, StatusCode::NOT_FOUND);
    // Another citizen: as if nothing were there.
    let nam = register_nam(&f).await;
    let theirs = get_as(&f, &format!("/api/v1/dossiers/{code}/results/1"), Some(&nam)).await;
    let none = get_as(&f, &format!("/api/v1/dossiers/{code}/results/9"), Some(&lan)).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(theirs.body, none.body);
    // A second result is numbered on.
    assert_eq!(attach_result(&f, &code, &pdf).await.body["code"], format!("{code}-KQ2"));
}

/// The QR link's page: the app with the public status in it, for a
/// request holding the token and no session; the plain app otherwise.
#[tokio::test]
async fn the_qr_link_page_carries_the_public_status_and_nothing_personal() {
    let f = fixture(true);
    let (code, token, lan) = lan_dossier(&f).await;
    let link = format!("/tra-cuu/{code}?t={token}");
    let page = |body: Vec<u8>| String::from_utf8(body).unwrap();

    let (status, h, body) = get(&f, &link, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h.get(axum::http::header::CACHE_CONTROL).unwrap(), "no-store");
    let html = page(body);
    assert!(html.contains("id=app"), "still the app");
    assert!(html.contains(&format!("data-path=\"/tra-cuu/{code}\"")), "{html}");
    assert!(html.contains("<strong id=\"status\">Mới đăng ký</strong>"), "{html}");
    assert!(html.contains("id=\"first-paint-data\""));
    for personal in ["Nguyễn Thị Lan", "020090123456", "0912345678", "09/05/1990"] {
        let shown = html.split("first-paint").skip(1).any(|part| part.contains(personal));
        assert!(!shown, "{personal} in the public page");
    }

    // An officer's note is text, in the markup and in the JSON alike.
    officer(&f, &code, 3, "Thiếu giấy tờ </script><script>alert(1)</script>");
    let (_, _, body) = get(&f, &link, &[]).await;
    let html = page(body);
    assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)"), "{html}");
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert_eq!(html.matches("</script>").count(), 2, "only the app's and the data's: {html}");

    // A wrong token, no token, or a signed-in citizen: the app as usual.
    let wrong = format!("/tra-cuu/{code}?t=0000{}", &token[4..]);
    let bare = format!("/tra-cuu/{code}");
    for (uri, cookie) in
        [(wrong.as_str(), None), (bare.as_str(), None), (link.as_str(), Some(lan.as_str()))]
    {
        let headers: Vec<(&str, &str)> = cookie.map(|c| ("cookie", c)).into_iter().collect();
        let (status, _, body) = get(&f, uri, &headers).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let html = page(body);
        assert!(html.contains("id=app") && !html.contains("first-paint"), "{uri}: {html}");
    }
}

/// The address and phone of a citizen's own last dossier come back with
/// who they are, to be offered again; what a volunteer filed for someone
/// else is not the volunteer's.
#[tokio::test]
async fn the_last_own_dossiers_contact_is_offered_again() {
    let f = fixture(true);
    let (_, _, lan) = lan_dossier(&f).await;
    let r = get_as(&f, "/api/v1/me", Some(&lan)).await;
    assert_eq!(r.body["last_address"], "Thôn Pò Mỏ, xã Đồng Đăng", "{}", r.body);
    assert_eq!(r.body["last_phone"], "0912345678", "{}", r.body);
    let nam = register_nam(&f).await;
    f.state.db.with(|c| portal::store::accounts::grant_volunteer(c, "020195000123").unwrap());
    let mut body = birth_registration(&f, &nam).await;
    for_resident(&f, &nam, &mut body, "Cha, mẹ").await;
    let r = submit(&f, &nam, "key-contact-00000001", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = get_as(&f, "/api/v1/me", Some(&nam)).await;
    assert_eq!(r.body["last_address"], "", "{}", r.body);
}
