//! The SMS gateway adapter against a real HTTP server on loopback, started
//! by the test, that records what it receives and answers as scripted:
//! a failure, a timeout, then success — and a restart in between.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use portal::sms::{Gateway, GatewayConfig, Provider, Sms, GENERIC_BODY};
use portal::{app, catalog, db::Db, AppState};
use serde_json::Value;

use crate::support::*;

/// How the recording gateway answers the next request.
#[derive(Clone, Copy, Debug)]
enum Answer {
    Fail,
    Hang,
    Ok,
}

#[derive(Default)]
struct Recorded {
    script: VecDeque<Answer>,
    /// Every request: its body, and what it was answered.
    seen: Vec<(Value, &'static str)>,
}

/// A gateway on a free loopback port; answers `Ok` once the script is done.
async fn recording_gateway(script: &[Answer]) -> (String, Arc<Mutex<Recorded>>) {
    let rec = Arc::new(Mutex::new(Recorded {
        script: script.iter().copied().collect(),
        ..Default::default()
    }));
    let r = rec.clone();
    let handler = move |body: String| {
        let r = r.clone();
        async move {
            let next = r.lock().unwrap().script.pop_front().unwrap_or(Answer::Ok);
            let json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            match next {
                Answer::Fail => {
                    r.lock().unwrap().seen.push((json, "500"));
                    (StatusCode::INTERNAL_SERVER_ERROR, "busy")
                }
                Answer::Hang => {
                    r.lock().unwrap().seen.push((json, "timeout"));
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    (StatusCode::OK, "too late")
                }
                Answer::Ok => {
                    r.lock().unwrap().seen.push((json, "200"));
                    (StatusCode::OK, "{\"accepted\":true}")
                }
            }
        }
    };
    let router = axum::Router::new().route("/send", axum::routing::post(handler));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, rec)
}

/// A portal (not --dev) on the SQLite file in `dir`, sending through `url`.
fn portal_with_gateway(
    dir: &std::path::Path,
    url: &str,
) -> (axum::Router, AppState, tokio::task::JoinHandle<()>) {
    let db = Db::open(&dir.join("db")).unwrap();
    db.with(catalog::seed).unwrap();
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<html><script type=module>boot()</script></html>")
        .unwrap();
    let mut state = AppState::new(db.clone(), false, dir);
    let (sms, worker) = gateways(&db, url, false, None);
    state.sms = sms;
    (app(state.clone(), &dist), state, worker)
}

/// Senders on `db`: the SMS gateway at `url` (taking Unicode or not) and
/// Zalo's notification service at `zalo`, falling back to SMS, if given.
/// Quick retries; the SMS worker is returned (to stop it, as a restart).
pub fn gateways(
    db: &Db,
    url: &str,
    unicode: bool,
    zalo: Option<&str>,
) -> (Sms, tokio::task::JoinHandle<()>) {
    let config = GatewayConfig {
        url: url.to_string(),
        provider: Provider::Generic { body: GENERIC_BODY.to_string() },
        brand: "MOTCUA".into(),
        token: "gateway-token".into(),
        secret: String::new(),
        timeout: Duration::from_millis(800),
        retry: Duration::from_millis(50),
        unicode,
    };
    let clock =
        || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let zalo = zalo.map(|url| {
        let provider = Provider::Zns { template: "248163".into() };
        let z =
            GatewayConfig { url: url.into(), provider, token: "oa-token".into(), ..config.clone() };
        Gateway::new(db.clone(), z).unwrap()
    });
    let gateway = Gateway::new(db.clone(), config).unwrap();
    let worker = gateway.start(clock);
    if let Some(z) = &zalo {
        z.fall_back_to(gateway.clone());
        z.start(clock);
    }
    (Sms::Gateway(gateway, zalo), worker)
}

pub async fn until(mut done: impl FnMut() -> bool, what: &str) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never: {what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_reaches_the_gateway_once_after_a_failure_and_a_timeout() {
    let (url, rec) = recording_gateway(&[Answer::Fail, Answer::Hang]).await;
    let dir = tempfile::tempdir().unwrap();
    let (router, state, _worker) = portal_with_gateway(dir.path(), &url);
    let f = Fixture::from_parts(router, state);
    // Queued at once: the citizen is not kept waiting by the gateway.
    let r = post(&f, "/api/v1/accounts/register", details()).await;
    assert_eq!(r.status, axum::http::StatusCode::ACCEPTED, "{}", r.body);
    until(|| rec.lock().unwrap().seen.iter().any(|s| s.1 == "200"), "a delivery").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let seen = rec.lock().unwrap().seen.clone();
    let outcomes: Vec<&str> = seen.iter().map(|s| s.1).collect();
    assert_eq!(outcomes, ["500", "timeout", "200"], "retried, and delivered once");
    let body = &seen[2].0;
    assert_eq!(body["phone"], "0912345678");
    assert_eq!(body["brand"], "MOTCUA");
    let text = body["text"].as_str().unwrap();
    assert!(text.split(|c: char| !c.is_ascii_digit()).any(|w| w.len() == 6), "{text}");
    let (status, attempts): (String, i64) = f.state.db.with(|c| {
        c.query_row("SELECT status, attempts FROM outbox", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
    });
    assert_eq!((status.as_str(), attempts), ("sent", 3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_queued_before_a_restart_is_sent_after_it_once() {
    let dir = tempfile::tempdir().unwrap();
    // The gateway is down (every answer a failure) while the portal runs…
    let (down, rec_down) = recording_gateway(&[Answer::Fail; 1000]).await;
    let (router, state, worker) = portal_with_gateway(dir.path(), &down);
    let f = Fixture::from_parts(router, state);
    let r = post(&f, "/api/v1/accounts/register", details()).await;
    assert_eq!(r.status, axum::http::StatusCode::ACCEPTED, "{}", r.body);
    until(|| !rec_down.lock().unwrap().seen.is_empty(), "a first try").await;
    // …and the portal restarts on the same file, with the gateway back.
    worker.abort();
    drop(f);
    let (up, rec_up) = recording_gateway(&[]).await;
    let (_router, _state, _worker) = portal_with_gateway(dir.path(), &up);
    until(|| rec_up.lock().unwrap().seen.iter().any(|s| s.1 == "200"), "delivery after restart")
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(rec_up.lock().unwrap().seen.len(), 1, "once");
    assert!(rec_down.lock().unwrap().seen.iter().all(|s| s.1 == "500"));
}
