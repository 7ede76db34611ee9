//! Files, drafts and dossiers through the whole router.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::support::*;

#[tokio::test]
async fn uploads_are_checked_by_content_and_size() {
    let (f, lan) = with_lan().await;
    let r = upload(&f, &lan, "gi%E1%BA%A5y%20t%E1%BB%9D.jpg", JPEG).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["mime"], "image/jpeg");
    assert_eq!(r.body["name"], "giấy tờ.jpg");
    assert_eq!(r.body["size"], JPEG.len());
    // The file is on disk under its hash, and nothing half-written is left.
    let sha = r.body["sha256"].as_str().unwrap();
    let stored = std::fs::read(f.state.files_dir.join(sha)).unwrap();
    assert_eq!(stored, JPEG);
    let leftovers = std::fs::read_dir(f.state.files_dir.as_path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".part"))
        .count();
    assert_eq!(leftovers, 0);

    let html = upload(&f, &lan, "anh.jpg", b"<html><script>alert(1)</script></html>").await;
    assert_eq!(html.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(html.body["error"]["code"], "file_type");
    let empty = upload(&f, &lan, "anh.jpg", b"").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A large photo or scan within the limit is fine.
    let mut large = JPEG.to_vec();
    large.resize(9 * 1024 * 1024, 7);
    let r9 = upload(&f, &lan, "scan.jpg", &large).await;
    assert_eq!(r9.status, StatusCode::CREATED, "{}", r9.body);
    let mut big = JPEG.to_vec();
    big.resize(portal::http::files::MAX_FILE + 1, 0);
    let big = upload(&f, &lan, "big.jpg", &big).await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", big.body);
    assert_eq!(big.body["error"]["code"], "file_too_large");
    let anon = upload(&f, "motcua_session=nope", "a.jpg", JPEG).await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);

    // Only the owner can read it back, as a download of its checked type.
    let id = r.body["id"].as_str().unwrap();
    let req = Request::get(format!("/api/v1/files/{id}"))
        .header(header::COOKIE, &lan)
        .body(Body::empty())
        .unwrap();
    let mine = f.router.clone().oneshot(req).await.unwrap();
    assert_eq!(mine.status(), StatusCode::OK);
    assert_eq!(mine.headers()[header::CONTENT_TYPE], "image/jpeg");
    // Never kept in the browser's cache (a shared device's next person).
    assert_eq!(mine.headers()[header::CACHE_CONTROL], "private, no-store");
    assert!(mine.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let bytes = mine.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&bytes[..], JPEG);
    let nam = register_nam(&f).await;
    let theirs = get_as(&f, &format!("/api/v1/files/{id}"), Some(&nam)).await;
    let nothing = get_as(&f, "/api/v1/files/0123456789abcdef0123456789abcdef", Some(&nam)).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(theirs.body, nothing.body);
}

#[tokio::test]
async fn drafts_belong_to_their_owner_only() {
    let (f, lan) = with_lan().await;
    let nam = register_nam(&f).await;
    let id = "draft-0001-lan-khai-sinh";
    let body =
        json!({ "procedure": "1.001193", "data": { "step": 3, "request": "Khai sinh cho con" } });
    let r = send_as(&f, "PUT", &format!("/api/v1/drafts/{id}"), body.clone(), Some(&lan)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = get_as(&f, &format!("/api/v1/drafts/{id}"), Some(&lan)).await;
    assert_eq!(r.body["data"]["step"], 3);
    let list = get_as(&f, "/api/v1/drafts", Some(&lan)).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);

    // Nam cannot read, overwrite, delete or list Lan's draft, and learns
    // nothing: a draft id names a draft within its account only, so Lan's id
    // is answered for Nam exactly as a free one is.
    let free = "draft-9999-none";
    for (method, b) in [("GET", Value::Null), ("DELETE", Value::Null), ("PUT", body.clone())] {
        let (at_theirs, at_free) =
            (format!("/api/v1/drafts/{id}"), format!("/api/v1/drafts/{free}"));
        let theirs = call(&f, method, &at_theirs, b.clone(), Some(&nam), "10.0.0.1").await;
        let unknown = call(&f, method, &at_free, b, Some(&nam), "10.0.0.1").await;
        assert_eq!(theirs.status, unknown.status, "{method}");
        assert_eq!(theirs.body, unknown.body, "{method}");
    }
    // Nam's PUTs made his own two drafts; Lan's is as it was.
    let list = get_as(&f, "/api/v1/drafts", Some(&nam)).await;
    assert_eq!(list.body.as_array().unwrap().len(), 2);
    let list = get_as(&f, "/api/v1/drafts", Some(&lan)).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    let r = get_as(&f, &format!("/api/v1/drafts/{id}"), Some(&lan)).await;
    assert_eq!(r.body["data"]["request"], "Khai sinh cho con", "untouched");
    let r = get_as(&f, "/api/v1/drafts", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn submit_gives_a_coded_receipt_once_per_key() {
    let (f, lan) = with_lan().await;
    let body = birth_registration(&f, &lan).await;
    let r = submit(&f, &lan, "key-0000000000000001", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.body["code"].as_str().unwrap().to_string();
    let today = contract::time::vn_date(f.state.now());
    let day = format!("{:02}{:02}{:02}", today.year % 100, today.month, today.day);
    assert_eq!(code, format!("000.05.37.H37-{day}-0001"));
    assert_eq!(r.body["status"], 1);
    assert_eq!(r.body["documents"].as_array().unwrap().len(), 2);
    assert_eq!(r.body["working_days"], 0);
    assert!(!r.body["due_date"].as_str().unwrap().is_empty());
    assert_eq!(r.body["request"], Value::Null, "the receipt lists documents, not the request text");
    let token = r.body["token"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 32);

    // Retried (double click, or the answer was lost): the same dossier.
    let again = submit(&f, &lan, "key-0000000000000001", &body).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["code"], code.as_str());
    assert_eq!(dossiers(&f), 1);
    let mine = get_as(&f, "/api/v1/dossiers", Some(&lan)).await;
    assert_eq!(mine.body.as_array().unwrap().len(), 1);
    assert_eq!(mine.body[0]["code"], code.as_str());
    assert_eq!(mine.body[0]["status"], 1);

    // The files are now part of that dossier: a second dossier cannot reuse them.
    let reuse = submit(&f, &lan, "key-0000000000000002", &body).await;
    assert_eq!(reuse.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(dossiers(&f), 1);
    let next = birth_registration(&f, &lan).await;
    let r2 = submit(&f, &lan, "key-0000000000000003", &next).await;
    assert_eq!(r2.body["code"], format!("000.05.37.H37-{day}-0002"));

    // The history starts at 1 "Mới đăng ký".
    let history: i64 = f.state.db.with(|c| {
        c.query_row(
            "SELECT COUNT(*) FROM dossier_history h JOIN dossiers d ON d.id = h.dossier_id WHERE d.code = ?1 AND h.status = 1",
            [&code],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert_eq!(history, 1);

    // Receipt: in full for the owner; masked with the token; nothing otherwise.
    let uri = format!("/api/v1/dossiers/{code}/receipt");
    let own = get_as(&f, &uri, Some(&lan)).await;
    assert_eq!(own.body["applicant"]["full_name"], "Nguyễn Thị Lan");
    assert_eq!(own.body["applicant"]["address"], "Thôn Pò Mỏ, xã Đồng Đăng");
    let public = get_as(&f, &format!("{uri}?token={token}"), None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.body["applicant"]["full_name"], "N. T. L.");
    assert_eq!(public.body["applicant"]["citizen_id"], "*********456");
    assert_eq!(public.body["applicant"]["address"], "");
    let nam = register_nam(&f).await;
    let others = get_as(&f, "/api/v1/dossiers", Some(&nam)).await;
    assert_eq!(others.body.as_array().unwrap().len(), 0, "Nam sees none of Lan's");
    let wrong =
        send_as(&f, "GET", &format!("{uri}?token={}", "0".repeat(32)), Value::Null, Some(&nam))
            .await;
    let unknown = get_as(
        &f,
        &format!("/api/v1/dossiers/000.05.37.H37-{day}-9999/receipt?token={token}"),
        None,
    )
    .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(wrong.body, unknown.body);
}

#[tokio::test]
async fn concurrent_submissions_get_unique_consecutive_codes() {
    let (f, lan) = with_lan().await;
    let mut bodies = Vec::new();
    for _ in 0..8 {
        bodies.push(birth_registration(&f, &lan).await);
    }
    let tasks: Vec<_> = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let (f, lan, b) = (&f, lan.clone(), b.clone());
            async move { submit(f, &lan, &format!("concurrent-key-{i:04}"), &b).await }
        })
        .collect();
    // Polled together: they interleave at every await, the database included.
    let results = futures_util::future::join_all(tasks).await;
    let mut codes: Vec<String> = results
        .iter()
        .map(|r| {
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            r.body["code"].as_str().unwrap().to_string()
        })
        .collect();
    codes.sort();
    let seqs: Vec<String> =
        codes.iter().map(|c| c.rsplit('-').next().unwrap().to_string()).collect();
    assert_eq!(seqs, (1..=8).map(|n| format!("{n:04}")).collect::<Vec<_>>());
}

#[tokio::test]
async fn every_missing_or_wrong_part_is_named() {
    let (f, lan) = with_lan().await;
    let mut body = birth_registration(&f, &lan).await;
    body["documents"].as_array_mut().unwrap().pop();
    body["applicant"]["phone"] = json!("0123");
    body["applicant"]["address"] = json!(" ");
    body["on_behalf"] = json!(true);
    body["copies"] = json!(0);
    body["unit"] = json!("000.00.00.H37");
    let r = submit(&f, &lan, "key-invalid-000000001", &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = r.body["error"]["fields"].as_object().unwrap();
    for k in [
        "documents.1",
        "applicant.phone",
        "applicant.address",
        "relationship",
        "consent",
        "copies",
        "unit",
    ] {
        assert!(fields.contains_key(k), "{k} missing from {fields:?}");
        assert!(r.body["error"]["fields_en"][k].is_string(), "{k}");
    }
    assert_eq!(dossiers(&f), 0);
    // Another citizen's file cannot be put in my dossier.
    let nam = register_nam(&f).await;
    let theirs = birth_registration(&f, &nam).await;
    let r = submit(&f, &lan, "key-others-files-0001", &theirs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(dossiers(&f), 0);
    // No key, no submission.
    let r = submit(&f, &lan, "", &theirs).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Not signed in.
    let r = submit(&f, "motcua_session=x", "key-anonymous-00000001", &theirs).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn officers_move_dossiers_only_as_the_rules_allow() {
    use portal::store::dossiers::{transition, Move, TransitionError};
    let mut f = fixture(true);
    let lan = register_lan(&f).await;
    let body = birth_registration(&f, &lan).await;
    let r = submit(&f, &lan, "key-officer-000000001", &body).await;
    let code = r.body["code"].as_str().unwrap().to_string();
    let now = f.state.now() as i64;
    let mv = |f: &Fixture, to: u8, note: &str| {
        f.state.db.with(|c| {
            let m = Move { to, note, amount: (to == 6).then_some(50_000), by_citizen: false };
            transition(c, &code, m, now).unwrap().map(|x| x.0)
        })
    };
    // 1 → 2 → 4 → 5 (with a note) → 4 → 9: every move in the history.
    for (to, note) in [(2, ""), (4, ""), (5, "Bổ sung bản sao sổ hộ khẩu"), (4, ""), (9, "")]
    {
        assert!(mv(&f, to, note).is_ok(), "to {to}");
    }
    // Finished dossiers do not move back; unknown numbers and codes are refused.
    assert_eq!(mv(&f, 4, ""), Err(TransitionError::NotAllowed { from: 9, to: 4 }));
    assert_eq!(mv(&f, 11, ""), Err(TransitionError::UnknownStatus));
    assert_eq!(
        f.state.db.with(|c| {
            let m = Move { to: 2, note: "", amount: None, by_citizen: false };
            transition(c, "000.05.37.H37-000000-0000", m, now).unwrap().map(|x| x.0)
        }),
        Err(TransitionError::UnknownDossier)
    );
    let history: Vec<(u8, String)> = f.state.db.with(|c| {
        let mut q = c
            .prepare("SELECT h.status, h.note FROM dossier_history h JOIN dossiers d ON d.id = h.dossier_id WHERE d.code = ?1 ORDER BY h.id")
            .unwrap();
        q.query_map([&code], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    });
    let statuses: Vec<u8> = history.iter().map(|h| h.0).collect();
    assert_eq!(statuses, vec![1, 2, 4, 5, 4, 9]);
    assert_eq!(history[3].1, "Bổ sung bản sao sổ hộ khẩu");

    // The API: no token configured, or a wrong one, is refused.
    let uri = format!("/api/v1/officer/dossiers/{code}/transitions");
    let ask = |f: &Fixture, token: &str| {
        let req = Request::post(uri.clone())
            .header("x-motcua", "1")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(json!({ "to": 10 }).to_string()))
            .unwrap();
        let router = f.router.clone();
        async move { router.oneshot(req).await.unwrap().status() }
    };
    assert_eq!(ask(&f, "").await, StatusCode::UNAUTHORIZED);
    f.state.officer_token = Some("can-bo-mot-cua-2026".into());
    f.router = portal::app(f.state.clone(), &f.state.files_dir.join("..").join("dist"));
    assert_eq!(ask(&f, "sai").await, StatusCode::UNAUTHORIZED);
    assert_eq!(ask(&f, "can-bo-mot-cua-2026").await, StatusCode::NO_CONTENT);
    assert_eq!(ask(&f, "can-bo-mot-cua-2026").await, StatusCode::CONFLICT, "10 is final");
}

/// The applicant's phone is texted when the dossier is received and when it
/// needs them (with what is asked), not at steps that ask nothing of them.
#[tokio::test]
async fn officers_moves_that_need_the_citizen_text_the_applicant() {
    let mut f = fixture(true);
    let (code, _token, _lan) = lan_dossier(&f).await;
    f.state.officer_token = Some("can-bo-mot-cua-2026".into());
    f.router = portal::app(f.state.clone(), &f.state.files_dir.join("..").join("dist"));
    let before = f.state.sms.outbox().len();
    let uri = format!("/api/v1/officer/dossiers/{code}/transitions");
    for body in [
        json!({ "to": 2 }),
        json!({ "to": 4 }),
        json!({ "to": 5, "note": "Bổ sung bản sao giấy chứng sinh" }),
    ] {
        let req = Request::post(uri.clone())
            .header("x-motcua", "1")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, "Bearer can-bo-mot-cua-2026")
            .body(Body::from(body.to_string()))
            .unwrap();
        assert_eq!(send(&f, req).await.status, StatusCode::NO_CONTENT, "{body}");
    }
    let sent: Vec<_> = f.state.sms.outbox().into_iter().skip(before).collect();
    assert_eq!(sent.len(), 2, "received and supplement, not processing: {sent:?}");
    assert!(sent.iter().all(|m| m.phone == "0912345678"));
    assert!(
        sent[0].text.contains(&code) && sent[0].text.contains("Duoc tiep nhan"),
        "{}",
        sent[0].text
    );
    let asked = &sent[1].text;
    assert!(asked.contains("Can bo sung: Bo sung ban sao giay chung sinh"), "{asked}");
    assert!(asked.contains(&format!("/tra-cuu/{code}?t=")), "{asked}");
    assert!(!asked.contains("Lan") && !asked.contains("020090123456"), "nothing personal: {asked}");
}

/// The declaration is required; the receipt becomes the acceptance receipt,
/// with the due date counted again, only when an officer accepts.
#[tokio::test]
async fn the_declaration_is_required_and_the_appointment_comes_with_acceptance() {
    let (f, lan) = with_lan().await;
    let mut body = birth_registration(&f, &lan).await;
    body["declaration"] = json!(false);
    let r = submit(&f, &lan, "key-declaration-0001", &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(field_error(&r.body, "declaration").contains("cam đoan"));
    body["declaration"] = json!(true);
    let r = submit(&f, &lan, "key-declaration-0002", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(r.body.get("accepted_at").is_none(), "not accepted yet: {}", r.body);
    let code = r.body["code"].as_str().unwrap().to_string();
    let token = r.body["token"].as_str().unwrap().to_string();
    let filed_due = contract::time::parse_dmy(r.body["due_date"].as_str().unwrap()).unwrap();
    // Accepted ten days later: the appointment counts from then.
    f.state.clock_offset.fetch_add(10 * 86_400, std::sync::atomic::Ordering::Relaxed);
    officer(&f, &code, 2, "");
    let r = get_as(&f, &format!("/api/v1/dossiers/{code}/receipt?token={token}"), None).await;
    let accepted = r.body["accepted_at"].as_str().unwrap().to_string();
    let today = contract::time::vn_date(f.state.now());
    assert!(accepted.starts_with(&contract::time::dmy(today)), "{accepted}");
    let due = contract::time::parse_dmy(r.body["due_date"].as_str().unwrap()).unwrap();
    assert!(due >= today && due > filed_due, "{due:?}, accepted {today:?}, filed {filed_due:?}");
}

/// A draft's save that arrives after its submission does not bring the
/// draft back (the wizard saves a moment after the last change).
#[tokio::test]
async fn a_late_save_does_not_bring_a_submitted_draft_back() {
    let (f, lan) = with_lan().await;
    let id = "draft-late-save-0001";
    let draft = json!({ "procedure": "1.001193", "data": { "request": "Khai sinh" } });
    let r = send_as(&f, "PUT", &format!("/api/v1/drafts/{id}"), draft.clone(), Some(&lan)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let mut body = birth_registration(&f, &lan).await;
    body["draft"] = json!(id);
    assert_eq!(submit(&f, &lan, "key-late-save-000001", &body).await.status, StatusCode::CREATED);
    let r = send_as(&f, "PUT", &format!("/api/v1/drafts/{id}"), draft, Some(&lan)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let list = get_as(&f, "/api/v1/drafts", Some(&lan)).await;
    assert_eq!(list.body, json!([]), "{}", list.body);
}

/// Filing for oneself with an identity VNeID proved, the proven name, ID
/// number and birth date are used, whatever was typed.
#[tokio::test]
async fn a_proven_identity_is_used_as_proven_not_as_typed() {
    let (f, lan) = with_lan().await;
    f.state
        .db
        .with(|c| {
            c.execute(
                "UPDATE accounts SET identity_verified = 1 WHERE citizen_id = '020090123456'",
                [],
            )
        })
        .unwrap();
    let mut body = birth_registration(&f, &lan).await;
    body["applicant"]["full_name"] = json!("Tên Gõ Khác");
    body["applicant"]["citizen_id"] = json!("020090999999");
    let r = submit(&f, &lan, "key-proven-00000001", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["applicant"]["citizen_id"], "020090123456");
    assert_eq!(r.body["applicant"]["full_name"], "Nguyễn Thị Lan");
}

/// A price per copy is said as the total for the copies asked; any other
/// fee as written.
#[tokio::test]
async fn the_fee_is_the_total_for_the_copies_asked() {
    let (f, lan) = with_lan().await;
    // Lan's birth registration, asked instead as two copies of an extract
    // (2.000635, 8.000 đồng a copy).
    let a = upload(&f, &lan, "to%20khai.jpg", JPEG).await;
    let mut body = birth_registration(&f, &lan).await;
    body["procedure"] = json!("2.000635");
    body["request"] = json!("Hai bản sao giấy khai sinh cho con");
    body["documents"] =
        json!([{ "name": "Tờ khai cấp bản sao trích lục hộ tịch", "files": [a.body["id"]] }]);
    body["delivery"] = json!({ "kind": "online" });
    let r = submit(&f, &lan, "key-fee-copies-000001", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["fee"], "16.000 đồng (2 bản × 8.000 đồng)", "{}", r.body);
    // The birth registration's fee is not a price per copy: as written.
    let body = birth_registration(&f, &lan).await;
    let r = submit(&f, &lan, "key-fee-copies-000002", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(!r.body["fee"].as_str().unwrap().contains('×'), "{}", r.body);
}
