//! Access control and bad files through the whole router: another citizen
//! (or nobody) asking for a citizen's things gets exactly the answer a
//! thing that does not exist gets; bad files are refused and nothing of
//! them is stored.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

#[tokio::test]
async fn nobody_sees_or_touches_another_citizens_things() {
    let (f, lan) = with_lan().await;
    let nam = register_nam(&f).await;
    // Lan's things: a file, a draft, a dossier.
    let file = upload(&f, &lan, "giay.jpg", JPEG).await.body["id"].as_str().unwrap().to_string();
    let draft = "d0000000000000000000000000000001";
    let r = ask(
        &f,
        "PUT",
        &format!("/api/v1/drafts/{draft}"),
        json!({ "procedure": "1.001193", "data": { "request": "của Lan" } }),
        &lan,
    )
    .await;
    assert!(r.status.is_success(), "{}", r.body);
    let body = birth_registration(&f, &lan).await;
    let r = submit(&f, &lan, "key-access-000000001", &body).await;
    let code = r.body["code"].as_str().unwrap().to_string();
    let (no_file, no_draft) =
        ("ffffffffffffffffffffffffffffffff", "d9999999999999999999999999999999");
    let no_code = "000.05.37.H37-990101-0999";

    // (method, Lan's, the same for something that does not exist, body)
    let matrix: Vec<(&str, String, String, Value)> = vec![
        ("GET", format!("/api/v1/files/{file}"), format!("/api/v1/files/{no_file}"), Value::Null),
        (
            "GET",
            format!("/api/v1/drafts/{draft}"),
            format!("/api/v1/drafts/{no_draft}"),
            Value::Null,
        ),
        (
            "DELETE",
            format!("/api/v1/drafts/{draft}"),
            format!("/api/v1/drafts/{no_draft}"),
            Value::Null,
        ),
        (
            "PUT",
            format!("/api/v1/drafts/{draft}"),
            format!("/api/v1/drafts/{no_draft}"),
            json!({ "procedure": "1.001193", "data": { "request": "của Nam" } }),
        ),
        (
            "GET",
            format!("/api/v1/dossiers/{code}/receipt"),
            format!("/api/v1/dossiers/{no_code}/receipt"),
            Value::Null,
        ),
        (
            "GET",
            format!("/api/v1/tracking/{code}"),
            format!("/api/v1/tracking/{no_code}"),
            Value::Null,
        ),
        (
            "POST",
            format!("/api/v1/dossiers/{code}/supplement"),
            format!("/api/v1/dossiers/{no_code}/supplement"),
            json!({ "files": [file] }),
        ),
        (
            "POST",
            format!("/api/v1/dossiers/{code}/withdraw"),
            format!("/api/v1/dossiers/{no_code}/withdraw"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/dossiers/{code}/rating"),
            format!("/api/v1/dossiers/{no_code}/rating"),
            json!({ "level": "dissatisfied" }),
        ),
    ];
    for who in [nam.as_str(), NOBODY] {
        for (method, theirs, missing, body) in &matrix {
            let a = ask(&f, method, theirs, body.clone(), who).await;
            // A draft id names a draft within its account: Nam's PUT of
            // Lan's id makes Nam's own draft, as with any free id, and
            // leaves Lan's alone (checked below).
            if *method == "PUT" && who == nam {
                assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
                continue;
            }
            assert!(!a.status.is_success(), "{method} {theirs} as {who}: {}", a.status);
            let b = ask(&f, method, missing, body.clone(), who).await;
            assert_eq!(
                (a.status, &a.body),
                (b.status, &b.body),
                "{method} {theirs} as {who} differs from a missing one"
            );
        }
    }
    // Lists hold only one's own.
    let r = ask(&f, "GET", "/api/v1/dossiers", Value::Null, &nam).await;
    assert_eq!(r.body, json!([]));
    let r = ask(&f, "GET", &format!("/api/v1/drafts/{draft}"), Value::Null, &nam).await;
    assert!(!r.body.to_string().contains("của Lan"), "{}", r.body);
    // Lan's things are untouched.
    let r = ask(&f, "GET", &format!("/api/v1/drafts/{draft}"), Value::Null, &lan).await;
    assert_eq!(r.body["data"]["request"], "của Lan");
    let r = ask(&f, "GET", &format!("/api/v1/tracking/{code}"), Value::Null, &lan).await;
    assert_eq!(r.body["status"], 1);
    assert!(r.body["rating"].is_null());

    // Guessing tokens reveals nothing.
    let first =
        ask(&f, "GET", &format!("/api/v1/tracking/{code}?token=00"), Value::Null, NOBODY).await;
    for i in 0..300u32 {
        let guess =
            format!("{:032x}", (i as u128).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835));
        let r =
            ask(&f, "GET", &format!("/api/v1/tracking/{code}?token={guess}"), Value::Null, NOBODY)
                .await;
        assert_eq!((r.status, &r.body), (first.status, &first.body));
        let r = ask(
            &f,
            "GET",
            &format!("/api/v1/dossiers/{code}/receipt?token={guess}"),
            Value::Null,
            NOBODY,
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}

fn stored(f: &Fixture) -> (i64, usize) {
    let rows =
        f.state.db.with(|c| c.query_row("SELECT COUNT(*) FROM files", [], |r| r.get(0)).unwrap());
    let on_disk = std::fs::read_dir(f.state.files_dir.as_path()).map(|d| d.count()).unwrap_or(0);
    (rows, on_disk)
}

/// A PNG header claiming `w` × `h` pixels.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    b.extend_from_slice(b"IHDR");
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    b.extend(std::iter::repeat_n(0u8, 64));
    b
}

/// A JPEG whose frame header claims `w` × `h` pixels.
fn jpeg_frame(w: u16, h: u16) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 8];
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    b.extend(std::iter::repeat_n(0u8, 64));
    b.extend_from_slice(&[0xFF, 0xD9]);
    b
}

#[tokio::test]
async fn bad_files_are_refused_and_nothing_of_them_is_stored() {
    let (f, lan) = with_lan().await;
    let before = stored(&f);
    let mut oversize = JPEG.to_vec();
    oversize.resize(portal::http::files::MAX_FILE + 1, 0);
    let html = b"<!doctype html><html><script>alert(1)</script></html>".to_vec();
    let mut pdf_html = b"%PDF-1.7\n".to_vec();
    pdf_html.extend_from_slice(&html);
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "anh.jpg",
            b"GIF89a not a jpeg at all".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_type",
        ),
        ("to-khai.pdf", html.clone(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "file_type"),
        ("to-khai.pdf", pdf_html, StatusCode::UNSUPPORTED_MEDIA_TYPE, "file_type"),
        (
            "kich-ban.pdf",
            one_page_pdf("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_type",
        ),
        (
            "mo-chuong-trinh.pdf",
            one_page_pdf("/OpenAction << /S /Launch /F (cmd.exe) >>"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_type",
        ),
        (
            "html-ten-pdf.pdf",
            b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_type",
        ),
        ("rong.jpg", Vec::new(), StatusCode::UNPROCESSABLE_ENTITY, "validation"),
        ("to.jpg", oversize, StatusCode::PAYLOAD_TOO_LARGE, "file_too_large"),
        ("bom.png", png(100_000, 100_000), StatusCode::UNSUPPORTED_MEDIA_TYPE, "file_image"),
        ("hep.png", png(60_000, 10), StatusCode::UNSUPPORTED_MEDIA_TYPE, "file_image"),
        ("bom.jpg", jpeg_frame(65_535, 65_535), StatusCode::UNSUPPORTED_MEDIA_TYPE, "file_image"),
    ];
    for (name, bytes, status, code) in cases {
        let r = upload(&f, &lan, name, &bytes).await;
        assert_eq!(r.status, status, "{name}: {}", r.body);
        assert_eq!(r.body["error"]["code"], code, "{name}");
        let message = r.body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(" / "), "{name}: both languages: {message}");
    }
    assert_eq!(stored(&f), before, "nothing of a refused file is kept");

    // A name with folders in it keeps only its last part.
    let r = upload(&f, &lan, "..%2F..%2Fetc%2Fpasswd%5Cx.jpg", JPEG).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.body["name"], "x.jpg");
    let r = upload(&f, &lan, "%2E%2E%2F", JPEG).await;
    assert_eq!(r.body["name"], "tep");
    // A real small PDF and a normal PNG are fine.
    let r = upload(&f, &lan, "ok.pdf", &one_page_pdf("")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = upload(&f, &lan, "ok.png", &png(1200, 1600)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn a_full_disk_is_said_plainly_and_leaves_nothing_behind() {
    let mut f = fixture(true);
    let lan = register_lan(&f).await;
    // The files folder cannot be made: every write fails, as on a full disk.
    let blocked = f.state.files_dir.with_extension("blocked");
    std::fs::write(&blocked, b"not a folder").unwrap();
    f.state.files_dir = std::sync::Arc::new(blocked.join("files"));
    f.router = portal::app(f.state.clone(), &blocked.join("..").join("dist"));
    let before: i64 =
        f.state.db.with(|c| c.query_row("SELECT COUNT(*) FROM files", [], |r| r.get(0)).unwrap());
    let r = upload(&f, &lan, "anh.jpg", JPEG).await;
    assert_eq!(r.status, StatusCode::INSUFFICIENT_STORAGE, "{}", r.body);
    assert_eq!(r.body["error"]["code"], "storage");
    let after: i64 =
        f.state.db.with(|c| c.query_row("SELECT COUNT(*) FROM files", [], |r| r.get(0)).unwrap());
    assert_eq!(before, after);
}

/// One account keeps at most 200 MB (or 300 files) on the portal.
#[tokio::test]
async fn an_account_cannot_store_more_than_its_quota() {
    let (f, lan) = with_lan().await;
    assert_eq!(upload(&f, &lan, "a.jpg", JPEG).await.status, StatusCode::CREATED);
    // As if it had already uploaded nearly 200 MB.
    f.state.db.with(|c| {
        c.execute(
            "UPDATE files SET size = ?1 WHERE account_id = (SELECT id FROM accounts WHERE citizen_id = '020090123456')",
            [portal::http::files::QUOTA_BYTES - 10],
        )
        .unwrap()
    });
    let r = upload(&f, &lan, "b.jpg", JPEG).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(r.body["error"]["code"], "quota");
    // Another account is not affected.
    let nam = register_nam(&f).await;
    assert_eq!(upload(&f, &nam, "c.jpg", JPEG).await.status, StatusCode::CREATED);
}

/// Files already in dossiers do not fill an account's space (a volunteer
/// filing for a queue of residents never runs out): only its files not yet
/// submitted do, and everything it uploaded in the last 24 hours.
#[tokio::test]
async fn submitted_files_free_the_space_and_a_day_has_its_own_limit() {
    let (f, lan) = with_lan().await;
    let body = birth_registration(&f, &lan).await;
    let r = submit(&f, &lan, "key-quota-000000001", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let set = |sql: &str, value: i64| {
        f.state.db.with(|c| {
            c.execute(
                &format!("UPDATE files SET {sql} WHERE account_id = (SELECT id FROM accounts WHERE citizen_id = '020090123456')"),
                [value],
            )
            .unwrap()
        })
    };
    // The two submitted files, as if they were the whole quota, and
    // uploaded two days ago: not counted.
    set("size = ?1", portal::http::files::QUOTA_BYTES);
    let long_ago = f.state.now() as i64 - 2 * 24 * 60 * 60;
    set("created_at = ?1", long_ago);
    let r = upload(&f, &lan, "c.jpg", JPEG).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // A file not yet submitted, at the quota: the next is refused, saying why.
    f.state.db.with(|c| {
        c.execute(
            "UPDATE files SET size = ?1 WHERE dossier_id IS NULL",
            [portal::http::files::QUOTA_BYTES],
        )
        .unwrap()
    });
    let r = upload(&f, &lan, "d.jpg", JPEG).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert!(r.body["error"]["message"].as_str().unwrap().contains("chưa nộp"), "{}", r.body);
    // Submitted today, the same bytes count towards the day's limit.
    f.state.db.with(|c| c.execute("DELETE FROM files WHERE dossier_id IS NULL", []).unwrap());
    set("size = ?1", portal::http::files::DAY_BYTES / 2);
    set("created_at = ?1", f.state.now() as i64);
    let r = upload(&f, &lan, "e.jpg", JPEG).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert!(r.body["error"]["message"].as_str().unwrap().contains("24 giờ"), "{}", r.body);
}

/// Drafts: a real procedure code, at most 20 of them an account.
#[tokio::test]
async fn drafts_are_bounded_in_shape_and_number() {
    let (f, lan) = with_lan().await;
    let put = |id: String, procedure: String| {
        let lan = lan.clone();
        let f = &f;
        async move {
            ask(
                f,
                "PUT",
                &format!("/api/v1/drafts/{id}"),
                json!({ "procedure": procedure, "data": {} }),
                &lan,
            )
            .await
        }
    };
    let r = put("draft-bad-0001".into(), "x".repeat(100_000)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for n in 0..20 {
        let r = put(format!("draft-{n:04}-abcd"), "1.001193".into()).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{n}: {}", r.body);
    }
    let r = put("draft-0021-abcd".into(), "1.001193".into()).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["error"]["code"], "too_many_drafts");
    // An existing one can still be saved.
    let r = put("draft-0003-abcd".into(), "1.001193".into()).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
}

/// The hourly clean-up forgets expired codes, stale drafts and files never
/// submitted, and says which stored blobs nothing names any more.
#[tokio::test]
async fn the_clean_up_forgets_what_nobody_will_come_back_for() {
    let (f, lan) = with_lan().await;
    let id = upload(&f, &lan, "a.jpg", JPEG).await.body["id"].as_str().unwrap().to_string();
    let count =
        |sql: &str| f.state.db.with(|c| c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap());
    assert_eq!(count("SELECT COUNT(*) FROM files"), 1);
    assert!(count("SELECT COUNT(*) FROM challenges") > 0);
    let later = f.state.now() as i64 + 31 * 24 * 3600;
    let orphans = f.state.db.with(|c| portal::store::files::clean_up(c, later).unwrap());
    assert_eq!(orphans.len(), 1);
    assert_eq!(count("SELECT COUNT(*) FROM files"), 0, "{id}");
    assert_eq!(count("SELECT COUNT(*) FROM challenges"), 0);
    // The account and its session are not touched.
    assert_eq!(whoami(&f, &lan).await.status, StatusCode::OK);
}

/// Outside `--dev` the portal refuses to start without the address citizens
/// use or an SMS gateway, and says plainly what is missing.
#[test]
fn production_refuses_to_start_without_its_public_address() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["--bind", "127.0.0.1:0"])
        .env_remove("PORTAL_PUBLIC_URL")
        .env_remove("PORTAL_DEV")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("--public-url") && said.contains("--sms-gateway"), "{said}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["--bind", "127.0.0.1:0", "--public-url", "dichvucong.example"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("https://"));
    // Over HTTPS the session cookie must be marked Secure.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["--bind", "127.0.0.1:0", "--public-url", "https://dichvucong.example", "--no-sms"])
        .env_remove("PORTAL_SECURE_COOKIES")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("--secure-cookies") && !said.contains("--sms-gateway"), "{said}");
}

/// An officer's move on the command line queues the applicant's message
/// for the serving portal's gateway, as the officer API would send it.
#[tokio::test]
async fn an_officer_move_on_the_command_line_queues_the_applicants_message() {
    let f = fixture(true);
    let (code, _token, _lan) = lan_dossier(&f).await;
    let data = f.state.files_dir.parent().unwrap().join("db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("--data-dir")
        .arg(&data)
        .args(["officer", "transition", &code, "--to", "2"])
        .args(["--public-url", "https://dichvucong.example/"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (phone, text, status): (String, String, String) = f.state.db.with(|c| {
        c.query_row("SELECT phone, text, status FROM outbox ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap()
    });
    assert_eq!((phone.as_str(), status.as_str()), ("0912345678", "pending"));
    assert!(text.contains(&format!("https://dichvucong.example/tra-cuu/{code}?t=")), "{text}");
    // Once the portal has served, the command line needs no address: it
    // queues as the serving portal would, by its channel (Zalo here).
    let route = portal::notify::Route {
        origin: "https://dvc.langson.example".into(),
        channel: Some(("zalo".into(), "pending".into())),
    };
    f.state.db.with(|c| portal::notify::remember(c, &route)).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("--data-dir")
        .arg(&data)
        .args(["officer", "transition", &code, "--to", "4"])
        .env_remove("PORTAL_PUBLIC_URL")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("--data-dir")
        .arg(&data)
        .args(["officer", "transition", &code, "--to", "9", "--note", "Xong"])
        .env_remove("PORTAL_PUBLIC_URL")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (channel, text): (String, String) = f.state.db.with(|c| {
        c.query_row("SELECT channel, text FROM outbox ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
    });
    assert_eq!(channel, "zalo");
    assert!(text.contains(&format!("https://dvc.langson.example/tra-cuu/{code}?t=")), "{text}");
}

/// The serving portal says, at start, how it sends news: its address and
/// its channel, for the command line beside it.
#[test]
fn the_serving_portal_remembers_how_it_sends_news() {
    let dir = tempfile::tempdir().unwrap();
    let p = start_portal(dir.path(), &["--public-url", "https://dvc.langson.example/"]);
    let db = portal::db::Db::open(&dir.path().join("data")).unwrap();
    let route = db.with(|c| portal::notify::remembered(c)).unwrap().unwrap();
    assert_eq!(route.origin, "https://dvc.langson.example");
    assert_eq!(route.channel, Some(("sms".into(), "dev".into())));
    drop(p);
}

/// CSP reports: over 8 KB refused before they are stored, a flood limited,
/// and a newline in one cannot make a log line of its own.
#[tokio::test]
async fn csp_reports_are_small_limited_and_cannot_forge_log_lines() {
    let f = fixture(true);
    let report = |body: String| {
        Request::post("/api/v1/csp-reports")
            .header(header::CONTENT_TYPE, "application/csp-report")
            .body(Body::from(body))
            .unwrap()
    };
    let big = format!(r#"{{"csp-report":{{"x":"{}"}}}}"#, "a".repeat(100 * 1024));
    assert_eq!(send(&f, report(big)).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    let forged = "{\"csp-report\":{}}\n2026-11-27T00:00:00Z INFO portal: signed in as admin";
    assert_eq!(send(&f, report(forged.into())).await.status, StatusCode::NO_CONTENT);
    let kept = f.state.csp_reports.lock().unwrap().clone();
    assert_eq!(kept.len(), 1, "the big one is not kept");
    assert!(!kept[0].contains('\n') && kept[0].contains("\\n"), "{:?}", kept[0]);
    let mut limited = false;
    for _ in 0..130 {
        limited |= send(&f, report("{}".into())).await.status == StatusCode::TOO_MANY_REQUESTS;
    }
    assert!(limited, "a flood of reports is limited");
}

/// Behind the province's reverse proxy (`--trusted-proxy`), limits count the
/// client it names; anyone else's `X-Forwarded-For` is ignored.
#[tokio::test]
async fn limits_count_the_client_a_trusted_proxy_names() {
    let f = fixture_with(true, |s| s.trusted_proxy = Some("10.0.0.1".parse().unwrap()));
    let sign_in = |peer: &str, forwarded: &str, n: u32| {
        let body =
            json!({ "identifier": format!("09{:08}", 20_000_000 + n), "password": "Sai#mat1khau" });
        let mut req = Request::post("/api/v1/session")
            .header("x-motcua", "1")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-forwarded-for", forwarded)
            .body(Body::from(body.to_string()))
            .unwrap();
        let addr: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(addr));
        req
    };
    for n in 0..20 {
        let r = send(&f, sign_in("10.0.0.1", "198.51.100.7, 203.0.113.5", n)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = send(&f, sign_in("10.0.0.1", "203.0.113.5", 100)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "that client is limited");
    let r = send(&f, sign_in("10.0.0.1", "203.0.113.6", 101)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "its neighbour behind the proxy is not");
    // A client that is not the proxy cannot pick who it is counted as.
    for n in 0..20 {
        send(&f, sign_in("10.0.0.9", &format!("203.0.113.{}", 10 + n), 200 + n)).await;
    }
    let r = send(&f, sign_in("10.0.0.9", "203.0.113.99", 300)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

/// The officers' token cannot be guessed: ten wrong tries, then a wait;
/// the right token still works.
#[tokio::test]
async fn officer_token_guesses_are_limited() {
    let f = fixture_with(true, |s| s.officer_token = Some("can-bo-mot-cua-2026".into()));
    let guess = |token: String| {
        Request::post("/api/v1/officer/dossiers/000.05.37.H37-261127-0001/transitions")
            .header("x-motcua", "1")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(json!({ "to": 2 }).to_string()))
            .unwrap()
    };
    for n in 0..10 {
        assert_eq!(send(&f, guess(format!("doan-{n}"))).await.status, StatusCode::UNAUTHORIZED);
    }
    let r = send(&f, guess("doan-10".into())).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // Strangers' wrong guesses never lock the right token out.
    let r = send(&f, guess("can-bo-mot-cua-2026".into())).await;
    assert!(
        r.status != StatusCode::UNAUTHORIZED && r.status != StatusCode::TOO_MANY_REQUESTS,
        "{} {}",
        r.status,
        r.body
    );
}

/// The real binary, on a free port, with `args`; killed when dropped.
struct Running(std::process::Child, String);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_portal(dir: &std::path::Path, args: &[&str]) -> Running {
    use std::io::BufRead;
    std::fs::create_dir_all(dir.join("dist")).unwrap();
    std::fs::write(dir.join("dist/index.html"), "<html></html>").unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("--data-dir")
        .arg(dir.join("data"))
        .arg("--dist-dir")
        .arg(dir.join("dist"))
        .args(["--dev", "--bind", "127.0.0.1:0"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let out = std::io::BufReader::new(child.stdout.take().unwrap());
    let line = out.lines().map(Result::unwrap).find(|l| l.contains("listening on")).unwrap();
    let addr = line.rsplit("http://").next().unwrap().to_string();
    Running(child, addr)
}

/// Reads what the server sends until it closes (or `wait` passes).
fn read_until_closed(s: &mut std::net::TcpStream, wait: std::time::Duration) -> (String, bool) {
    use std::io::Read;
    s.set_read_timeout(Some(wait)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return (String::from_utf8_lossy(&got).into(), true),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => {
                // Reset (closed with our bytes unread) is closed too; a
                // timeout is not.
                let closed = matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted
                );
                return (String::from_utf8_lossy(&got).into(), closed);
            }
        }
    }
}

/// Cheap refusals, black-box: a client dribbling its headers is cut off,
/// connections over the cap are closed at once, an anonymous upload is
/// refused before its body is sent, and HSTS is sent when asked for.
#[test]
fn slow_clients_and_floods_are_cut_off_cheaply() {
    use std::io::Write;
    use std::net::TcpStream;
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let p = start_portal(
        dir.path(),
        &["--header-timeout-secs", "1", "--max-connections", "4", "--hsts"],
    );
    // Headers never finished: closed after the timeout.
    let mut slow = TcpStream::connect(&p.1).unwrap();
    slow.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n").unwrap();
    let started = std::time::Instant::now();
    let (_, closed) = read_until_closed(&mut slow, Duration::from_secs(5));
    assert!(closed && started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
    // Over the cap: four idle connections held, the fifth is closed at once.
    let held: Vec<TcpStream> = (0..4).map(|_| TcpStream::connect(&p.1).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut fifth = TcpStream::connect(&p.1).unwrap();
    let _ = fifth.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
    let (answer, closed) = read_until_closed(&mut fifth, Duration::from_millis(800));
    assert!(closed && answer.is_empty(), "{answer:?}");
    drop(held);
    std::thread::sleep(Duration::from_millis(200));
    // An anonymous 10 MB upload: refused on its headers alone.
    let mut up = TcpStream::connect(&p.1).unwrap();
    up.write_all(
        b"POST /api/v1/files HTTP/1.1\r\nHost: x\r\nx-motcua: 1\r\ncontent-type: application/octet-stream\r\ncontent-length: 10485760\r\n\r\n",
    )
    .unwrap();
    let (answer, _) = read_until_closed(&mut up, Duration::from_millis(1500));
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer:?}");
    // A normal request is answered, with HSTS.
    let mut ok = TcpStream::connect(&p.1).unwrap();
    ok.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let (answer, _) = read_until_closed(&mut ok, Duration::from_secs(5));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
    assert!(
        answer.to_lowercase().contains("strict-transport-security: max-age=31536000"),
        "{answer}"
    );
}

/// Resident memory of a process, in bytes (Linux).
fn rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .unwrap_or(0);
    kb * 1024
}

/// Sixty anonymous clients each starting a 10 MB upload: each is answered
/// 401 on its headers, and the portal's memory grows by far less than the
/// 600 MB they would be if bodies were read first.
#[test]
fn anonymous_uploads_cannot_fill_the_portals_memory() {
    use std::io::Write;
    use std::net::TcpStream;
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let p = start_portal(dir.path(), &[]);
    let pid = p.0.id();
    let before = rss(pid);
    let chunk = vec![b'x'; 1024 * 1024];
    let clients: Vec<_> = (0..60)
        .map(|_| {
            let addr = p.1.clone();
            let chunk = chunk.clone();
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(&addr).unwrap();
                s.set_write_timeout(Some(Duration::from_secs(2))).unwrap();
                let head = "POST /api/v1/files HTTP/1.1\r\nHost: x\r\nx-motcua: 1\r\n\
                            content-type: application/octet-stream\r\ncontent-length: 10485759\r\n\r\n";
                let _ = s.write_all(head.as_bytes());
                for _ in 0..10 {
                    if s.write_all(&chunk).is_err() {
                        break;
                    }
                }
                let (answer, _) = read_until_closed(&mut s, Duration::from_secs(5));
                answer
            })
        })
        .collect();
    let answers: Vec<String> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    let after = rss(pid);
    assert!(answers.iter().all(|a| a.is_empty() || a.starts_with("HTTP/1.1 401")), "{answers:?}");
    let grew = after.saturating_sub(before);
    assert!(grew < 100 * 1024 * 1024, "grew by {} MB", grew / 1024 / 1024);
}

/// One request over a fresh connection to the real binary: (status, head, body).
fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String, Vec<u8>) {
    use std::io::Write;
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nx-motcua: 1\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut got = Vec::new();
    use std::io::Read;
    s.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    let _ = s.read_to_end(&mut got);
    let split = got.windows(4).position(|w| w == b"\r\n\r\n").map_or(got.len(), |p| p + 4);
    let head = String::from_utf8_lossy(&got[..split]).to_string();
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, head, got[split..].to_vec())
}

/// Register an account on the real binary (`--dev`: the code from the
/// outbox); its session cookie.
fn account_on(addr: &str, cccd: &str, phone: &str) -> String {
    let json = [("content-type", "application/json")];
    let body = json!({ "citizen_id": cccd, "full_name": "Vi Văn Thử", "birth_date": "01/01/1990",
                       "phone": phone, "email": "" });
    let (status, _, body) =
        http(addr, "POST", "/api/v1/accounts/register", &json, body.to_string().as_bytes());
    assert_eq!(status, 202, "{}", String::from_utf8_lossy(&body));
    let ch: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let ch = ch["challenge"].as_str().unwrap().to_string();
    let (_, _, out) = http(addr, "GET", "/api/v1/dev/outbox", &[], b"");
    let out: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let text = out.as_array().unwrap().iter().rev().find(|m| m["phone"] == phone).unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    let code: String = text.split(": ").nth(1).unwrap().chars().take(6).collect();
    let (status, _, _) = http(
        addr,
        "POST",
        &format!("/api/v1/challenges/{ch}/verify"),
        &json,
        json!({ "code": code }).to_string().as_bytes(),
    );
    assert_eq!(status, 204);
    let (status, head, _) = http(
        addr,
        "POST",
        "/api/v1/accounts/password",
        &json,
        json!({ "challenge": ch, "password": "Thu#2026ls-vi" }).to_string().as_bytes(),
    );
    assert_eq!(status, 200, "{head}");
    head.lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_string()
}

/// A 10 KB PDF of thousands of nested arrays, in the file and packed in an
/// object stream, against the real binary: refused, the portal keeps
/// answering, and nothing of the file is left behind.
#[test]
fn a_nested_pdf_is_refused_and_the_portal_keeps_answering() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let p = start_portal(dir.path(), &[]);
    let cookie = account_on(&p.1, "020090555001", "0905555001");
    let upload = |bytes: &[u8]| {
        let h = [("cookie", cookie.as_str()), ("content-type", "application/octet-stream")];
        http(&p.1, "POST", "/api/v1/files", &h, bytes)
    };
    let nested = format!(
        "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /X {}{} >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(format!("2 0 {}", "[".repeat(2_000_000)).as_bytes()).unwrap();
    let z = z.finish().unwrap();
    let mut packed =
        format!("%PDF-1.5\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n", z.len())
            .into_bytes();
    packed.extend(&z);
    packed.extend(b"\nendstream\nendobj\n%%EOF\n");
    for (what, bytes) in [("nested", nested.into_bytes()), ("packed", packed)] {
        let (status, _, body) = upload(&bytes);
        assert_eq!(status, 415, "{what}: {}", String::from_utf8_lossy(&body));
        assert!(String::from_utf8_lossy(&body).contains("quá phức tạp"), "{what}");
        let (status, _, _) = http(&p.1, "GET", "/api/v1/health", &[], b"");
        assert_eq!(status, 200, "{what}: the portal still answers");
    }
    let left: Vec<_> = std::fs::read_dir(dir.path().join("data/files"))
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

/// 150 wrong sign-ins at once from 150 clients (behind the trusted
/// proxy), against the real binary: password checks run on a fixed pool
/// with one working buffer each, so resident memory stays near where it was.
#[test]
fn a_burst_of_wrong_sign_ins_keeps_memory_bounded() {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let p = start_portal(dir.path(), &["--trusted-proxy", "127.0.0.1"]);
    account_on(&p.1, "020090555002", "0905555002");
    let pid = p.0.id();
    let before = rss(pid);
    let (done, peak) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU64::new(before)));
    let watch = {
        let (done, peak) = (done.clone(), peak.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(rss(pid), Ordering::Relaxed);
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        })
    };
    let tries: Vec<_> = (0..150)
        .map(|n| {
            let addr = p.1.clone();
            std::thread::spawn(move || {
                let ip = format!("198.51.{}.{}", n / 200, n % 200 + 1);
                let body =
                    json!({ "identifier": "0905555002", "password": format!("Sai#{n}mat-khau") });
                let h = [("content-type", "application/json"), ("x-forwarded-for", ip.as_str())];
                http(&addr, "POST", "/api/v1/session", &h, body.to_string().as_bytes()).0
            })
        })
        .collect();
    let answers: Vec<u16> = tries.into_iter().map(|t| t.join().unwrap()).collect();
    done.store(true, Ordering::Relaxed);
    watch.join().unwrap();
    assert!(answers.iter().all(|s| [401, 429, 503].contains(s)), "{answers:?}");
    assert!(answers.contains(&401), "some were checked");
    let grew = peak.load(Ordering::Relaxed).saturating_sub(before);
    assert!(grew < 150 * 1024 * 1024, "grew by {} MB", grew / 1024 / 1024);
}

/// A JSON body dribbled byte by byte holds its connection no longer than
/// the body timeout (uploads keep theirs).
#[test]
fn a_slow_json_body_is_cut_off_at_its_own_timeout() {
    use std::io::Write;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let p = start_portal(dir.path(), &["--body-timeout-secs", "1"]);
    let mut s = std::net::TcpStream::connect(&p.1).unwrap();
    s.write_all(
        b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nx-motcua: 1\r\ncontent-type: application/json\r\ncontent-length: 200\r\n\r\n{\"ide",
    )
    .unwrap();
    let started = Instant::now();
    let (answer, _) = read_until_closed(&mut s, Duration::from_secs(10));
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer:?}");
}

/// What the portal writes is its own: the data folder 0700, the database
/// and a backup readable by nobody else; tokens shorter than 16
/// characters are refused at start, whatever their source.
#[test]
fn the_data_is_private_and_short_tokens_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let p = start_portal(dir.path(), &[]);
    drop(p);
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    for f in std::fs::read_dir(&data).unwrap().flatten() {
        assert_eq!(mode(&f.path()) & 0o077, 0, "{:?}", f.path());
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("--data-dir")
        .arg(&data)
        .arg("backup")
        .arg(dir.path().join("backups/b1"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(mode(&dir.path().join("backups/b1")) & 0o077, 0);
    for f in std::fs::read_dir(dir.path().join("backups/b1")).unwrap().flatten() {
        assert_eq!(mode(&f.path()) & 0o077, 0, "{:?}", f.path());
    }
    for args in [vec!["--officer-token", "short"], vec!["--metrics-token", "0123456789abcde"]] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
            .arg("--data-dir")
            .arg(&data)
            .args(["--dev", "--bind", "127.0.0.1:0"])
            .args(&args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("at least 16 characters"),
            "{args:?}"
        );
    }
}

/// Every officer route, as the OpenAPI document lists them, answers 401
/// without the officer token, before any body is read: one gate for all
/// (`http::officer::Officer`).
#[tokio::test]
async fn every_officer_route_is_behind_the_officer_token() {
    let f = fixture_with(true, |s| s.officer_token = Some("can-bo-mot-cua-2026".into()));
    let doc = get_as(&f, "/api/v1/openapi.json", None).await.body;
    let mut seen = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/officer/") {
            continue;
        }
        let uri = path.replace("{code}", "000.05.37.H37-261127-0001");
        for method in ["get", "post"] {
            if item.get(method).is_none() {
                continue;
            }
            seen += 1;
            let req = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&uri)
                .header("x-motcua", "1")
                .header(header::AUTHORIZATION, "Bearer not-the-token-at-all")
                .body(Body::from(vec![b'x'; 1024]))
                .unwrap();
            let r = send(&f, req).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}: {}", r.body);
        }
    }
    assert!(seen >= 3, "{seen} officer routes");
}
