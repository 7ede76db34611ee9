//! News of a dossier for its applicant, through real loopback servers the
//! test starts: the SMS gateway and Zalo's notification service, each
//! recording what it receives (headers and body) and answering as told.
//! Also the citizen's opt-out, the caps, and what monitoring sees.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use portal::sms::{queue, Message, PER_DOSSIER_PER_DAY, PER_PHONE_PER_HOUR};
use serde_json::{json, Value};

use crate::sms::{gateways, until};
use crate::support::*;

/// What a recording server received: the `access_token` header and the body.
type Seen = Arc<Mutex<Vec<(String, Value)>>>;

/// A server on a free loopback port answering 200 with each scripted body
/// in turn, then with `then`.
async fn recorder(script: &[&'static str], then: &'static str) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let script = Arc::new(Mutex::new(script.iter().copied().collect::<VecDeque<_>>()));
    let s = seen.clone();
    let handler = move |headers: HeaderMap, body: String| {
        let (s, script) = (s.clone(), script.clone());
        async move {
            let token = headers.get("access_token").and_then(|v| v.to_str().ok()).unwrap_or("");
            let json = serde_json::from_str(&body).unwrap_or(Value::Null);
            s.lock().unwrap().push((token.to_string(), json));
            script.lock().unwrap().pop_front().unwrap_or(then)
        }
    };
    let router = axum::Router::new().route("/send", axum::routing::post(handler));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, seen)
}

const TOKEN: &str = "can-bo-mot-cua-2026";

/// Lan's dossier, filed on a `--dev` portal; the officer API turned on.
async fn filed() -> (Fixture, String, String) {
    let mut f = fixture(true);
    let (code, _token, lan) = lan_dossier(&f).await;
    f.state.officer_token = Some(TOKEN.into());
    f.router = portal::app(f.state.clone(), &f.state.files_dir.join("..").join("dist"));
    (f, code, lan)
}

/// The portal now sends through `sms` (the same database).
fn sending_through(f: &mut Fixture, sms: portal::sms::Sms) {
    f.state.sms = sms;
    f.router = portal::app(f.state.clone(), &f.state.files_dir.join("..").join("dist"));
}

async fn move_to(f: &Fixture, code: &str, body: Value) {
    let req = axum::http::Request::post(format!("/api/v1/officer/dossiers/{code}/transitions"))
        .header("x-motcua", "1")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {TOKEN}"))
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    assert_eq!(send(f, req).await.status, StatusCode::NO_CONTENT, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn news_goes_by_zalo_and_by_sms_when_zalo_refuses_it() {
    let (mut f, code, _lan) = filed().await;
    let (sms_url, by_sms) = recorder(&[], r#"{"ok":true}"#).await;
    // Zalo takes the first message and refuses the second (no Zalo account).
    let refused = r#"{"error":-118,"message":"Zalo account not existed"}"#;
    let (zalo_url, by_zalo) =
        recorder(&[r#"{"error":0,"data":{"msg_id":"a1"}}"#, refused], "").await;
    let (sms, _worker) = gateways(&f.state.db, &sms_url, false, Some(&zalo_url));
    sending_through(&mut f, sms);

    move_to(&f, &code, json!({ "to": 2 })).await;
    until(|| by_zalo.lock().unwrap().len() == 1, "the news at Zalo").await;
    let (token, body) = by_zalo.lock().unwrap()[0].clone();
    assert_eq!(token, "oa-token");
    assert_eq!(body["phone"], "84912345678", "international form");
    assert_eq!(body["template_id"], "248163");
    let data = &body["template_data"];
    assert_eq!(data["ma_ho_so"], code.as_str());
    assert_eq!(data["trang_thai"], "Được tiếp nhận");
    assert!(data["lien_ket"].as_str().unwrap().contains(&format!("/tra-cuu/{code}?t=")));
    assert!(!body.to_string().contains("Lan") && !body.to_string().contains("020090123456"));
    assert!(by_sms.lock().unwrap().is_empty(), "delivered by Zalo: no SMS");

    // Refused by Zalo: the same news reaches the phone by SMS, once.
    move_to(&f, &code, json!({ "to": 4 })).await;
    move_to(&f, &code, json!({ "to": 5, "note": "Bổ sung bản sao giấy chứng sinh" })).await;
    until(|| by_sms.lock().unwrap().len() == 1, "the fallback SMS").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(by_zalo.lock().unwrap().len(), 2, "4 is not news; 5 went to Zalo first");
    let text = by_sms.lock().unwrap()[0].1["text"].as_str().unwrap().to_string();
    assert_eq!(by_sms.lock().unwrap().len(), 1, "once");
    assert!(text.contains(&code) && text.contains("Can bo sung: Bo sung ban sao"), "{text}");
    assert!(text.is_ascii(), "unmarked for a gateway without Unicode: {text}");
    // Codes never go by Zalo.
    let r = post(&f, "/api/v1/accounts/reset", json!({ "identifier": "0912345678" })).await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    until(|| by_sms.lock().unwrap().len() == 2, "the reset code by SMS").await;
    assert_eq!(by_zalo.lock().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unicode_gateway_gets_vietnamese_with_its_marks() {
    let (mut f, code, _lan) = filed().await;
    let (url, seen) = recorder(&[], r#"{"ok":true}"#).await;
    let (sms, _worker) = gateways(&f.state.db, &url, true, None);
    sending_through(&mut f, sms);
    move_to(&f, &code, json!({ "to": 2 })).await;
    until(|| seen.lock().unwrap().len() == 1, "the news").await;
    let text = seen.lock().unwrap()[0].1["text"].as_str().unwrap().to_string();
    assert!(text.starts_with("Một Cửa: hồ sơ") && text.contains("Được tiếp nhận"), "{text}");
}

#[tokio::test]
async fn a_citizen_who_turned_status_texts_off_is_sent_none_and_still_gets_codes() {
    let (f, code, lan) = filed().await;
    assert_eq!(whoami(&f, &lan).await.body["status_texts"], true, "on by default");
    let r = ask(&f, "PATCH", "/api/v1/me", json!({ "status_texts": false }), &lan).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status_texts"], false);
    assert_eq!(whoami(&f, &lan).await.body["email"], "", "the e-mail left as it was");
    let before = f.state.sms.outbox().len();
    move_to(&f, &code, json!({ "to": 2 })).await;
    move_to(&f, &code, json!({ "to": 4 })).await;
    move_to(&f, &code, json!({ "to": 6, "amount": 8000 })).await;
    assert_eq!(f.state.sms.outbox().len(), before, "no news sent");
    // Codes are not news: a reset still reaches her.
    assert_eq!(reset(&f, "0912345678").await.status, StatusCode::ACCEPTED);
    assert_eq!(f.state.sms.outbox().len(), before + 1);
    // On again: the next news arrives, with the amount.
    let r = ask(&f, "PATCH", "/api/v1/me", json!({ "status_texts": true }), &lan).await;
    assert_eq!(r.body["status_texts"], true);
    move_to(&f, &code, json!({ "to": 4 })).await;
    move_to(&f, &code, json!({ "to": 9 })).await;
    let last = f.state.sms.outbox().pop().unwrap();
    assert!(last.text.contains(&code) && last.text.contains("Da xu ly xong"), "{}", last.text);
    assert_eq!(last.channel, "sms");
}

#[test]
fn one_phone_and_one_dossier_are_capped_whatever_asks() {
    let f = fixture(true);
    let now = 1_800_000_000;
    f.state.db.with(|c| {
        let news = |phone: &str| Message {
            dossier: Some("G22.39-261127-0001".into()),
            ..Message::to(phone, "tin")
        };
        for i in 0..PER_DOSSIER_PER_DAY {
            let to = format!("09000000{i:02}");
            assert!(queue(c, "sms", &news(&to), "dev", now).unwrap().is_some());
        }
        assert!(queue(c, "sms", &news("0911111111"), "dev", now).unwrap().is_none());
        assert!(queue(c, "sms", &news("0911111111"), "dev", now + 86_401).unwrap().is_some());
        for _ in 0..PER_PHONE_PER_HOUR {
            assert!(queue(c, "sms", &Message::to("0922222222", "ma"), "dev", now)
                .unwrap()
                .is_some());
        }
        assert!(queue(c, "sms", &Message::to("0922222222", "ma"), "dev", now).unwrap().is_none());
        assert!(queue(c, "sms", &Message::to("0922222222", "ma"), "dev", now + 3601)
            .unwrap()
            .is_some());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_metrics_tell_monitoring_what_it_needs() {
    let mut f = fixture(false);
    let (url, _seen) = recorder(&[], "{}").await;
    let (sms, _worker) = gateways(&f.state.db, &url, false, None);
    sending_through(&mut f, sms);
    let r = get_as(&f, "/api/v1/health", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["ok"], true);
    assert_eq!(r.body["database"], true);
    assert_eq!(r.body["sms_gateway"], true);
    assert!(r.body["disk_free_bytes"].as_u64().unwrap() > 0);
    // A gateway nobody answers at: unhealthy, and said so.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/send", closed.local_addr().unwrap());
    drop(closed);
    let (sms, _worker) = gateways(&f.state.db, &dead, false, None);
    sending_through(&mut f, sms);
    let r = get_as(&f, "/api/v1/health", None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
    assert_eq!(r.body["sms_gateway"], false);
    let (_, _, m) = get(&f, "/api/v1/metrics", &[METRICS_AUTH]).await;
    let text = String::from_utf8(m).unwrap();
    assert!(text.contains("motcua_requests_total{part=\"api\",status=\"5xx\"} 1"), "{text}");
    assert!(text.contains("motcua_request_seconds_bucket{part=\"api\",le=\"+Inf\"} 2"), "{text}");
    assert!(text.contains("motcua_dossiers") && text.contains("motcua_outbox"), "{text}");
}
