//! Faults in real Chromium: the portal killed during submit and started
//! again, the draft store answering 500, a network so slow that requests
//! time out. Each time nothing typed is lost, the citizen is told in plain
//! words, and trying again makes exactly one dossier. (A dropped
//! connection during upload, an expired session mid-wizard and a lost
//! answer to submit are in `submission.rs`; a full disk in the portal's
//! own tests.)

use std::time::Duration;

use crate::support::Step::*;
use crate::support::*;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

const PASSWORD: &str = "Loi#2026ls";

fn account(seed: u32) -> (String, String) {
    let (cccd, phone) = unique_ids("0917", 30 + seed);
    make_account(&cccd, &phone, "Lò Văn Lợi", "06/06/1990", PASSWORD);
    (cccd, phone)
}

async fn dossiers_of(c: &Client) -> Vec<Value> {
    let cookie = c.get_named_cookie("motcua_session").await.unwrap();
    let (status, list) =
        api("GET", "/api/v1/dossiers", Value::Null, &format!("motcua_session={}", cookie.value()));
    assert_eq!(status, 200);
    list.as_array().unwrap().clone()
}

#[tokio::test]
async fn the_portal_killed_during_submit_comes_back_and_files_once() {
    let (data, dist, port) = own_site("killed");
    let portal = OwnPortal::start(&data, &dist, port);
    set_base(&format!("http://127.0.0.1:{port}"));
    let (_, phone) = account(1);
    let c = browser().await;
    sign_in(&c, &phone, PASSWORD, "/nop-ho-so/1.001193").await;
    wizard_to_check(&c, "000.05.37.H37", "Bản Lải, xã Đồng Đăng", "Khai sinh cho bé Na").await;

    // Submit, and the portal dies at that moment: the request is held in
    // the page until the portal is gone, then goes.
    js(
        &c,
        "const real = window.fetch;
         const held = new Promise(r => { window.__release = r; });
         window.fetch = async (...args) => {
           const url = String(args[0] && args[0].url || args[0]);
           if (url.endsWith('/api/v1/dossiers')) { await held; }
           return real.apply(window, args);
         };",
    )
    .await;
    submit_form(&c).await;
    drop(portal);
    js(&c, "window.__release();").await;
    walk(
        &c,
        &[
            See("#error-summary", "không bị nộp hai lần"),
            See("main", "Khai sinh cho bé Na"),
            Axe("check: the portal is down"),
        ],
    )
    .await;

    // It comes back; submitting again makes one dossier, whichever way the
    // first attempt ended.
    let _portal = OwnPortal::start(&data, &dist, port);
    walk(&c, &[Submit, Page("Giấy xác nhận đã nhận hồ sơ trực tuyến")]).await;
    assert_eq!(dossiers_of(&c).await.len(), 1);
    submit_form_if_any(&c).await;
    assert_eq!(dossiers_of(&c).await.len(), 1);
    c.close().await.unwrap();
}

/// Pressing a submit button again (if the page still has one) must not file twice.
async fn submit_form_if_any(c: &Client) {
    if let Ok(b) = c.find(Locator::Css("main form button[type=submit]")).await {
        let _ = b.click().await;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test]
async fn a_draft_store_answering_500_is_said_and_nothing_is_lost() {
    let (_, phone) = account(2);
    let c = browser().await;
    sign_in(&c, &phone, PASSWORD, "/nop-ho-so/1.001193").await;
    wait_text(&c, "main h1", "Ai nộp hồ sơ").await;
    // The portal's draft store fails from now on.
    js(
        &c,
        "const real = window.fetch;
         window.fetch = async (...args) => {
           const url = String(args[0] && args[0].url || args[0]);
           const method = (args[1] && args[1].method) || (args[0] && args[0].method) || 'GET';
           if (url.includes('/api/v1/drafts/') && method.toUpperCase() === 'PUT') {
             return new Response(JSON.stringify({ error: { code: 'internal', message: 'boom' } }),
               { status: 500, headers: { 'content-type': 'application/json' } });
           }
           return real.apply(window, args);
         };",
    )
    .await;
    walk(
        &c,
        &[
            Click("#unit option[value='000.05.37.H37']"),
            Submit,
            Page("Thông tin người yêu cầu"),
            Fill("#applicant\\.address", "Thôn Na Sầm"),
            See("#save-status", "Chưa lưu được lên cổng"),
            Axe("wizard: draft not saved on the portal"),
        ],
    )
    .await;
    // A reload keeps everything (the device's copy), and with the portal
    // answering again the draft reaches it.
    c.refresh().await.unwrap();
    wait_text(&c, "main h1", "Thông tin người yêu cầu").await;
    assert_eq!(prop(&c, "#applicant\\.address", "value").await.as_deref(), Some("Thôn Na Sầm"));
    walk(
        &c,
        &[
            Fill("#applicant\\.address", "Thôn Na Sầm, xã Đồng Đăng"),
            See("#save-status", "trên máy này và trên cổng"),
        ],
    )
    .await;
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_stalled_network_times_out_plainly_and_a_retry_files_once() {
    let (_, phone) = account(3);
    let c = browser().await;
    sign_in(&c, &phone, PASSWORD, "/nop-ho-so/1.001193").await;
    wizard_to_check(&c, "000.05.37.H37", "Thôn Khòn Pát", "Khai sinh cho bé Ngân").await;
    // Every answer now takes 60 s: longer than the app waits.
    slow_network(&c, 60000).await;
    let started = std::time::Instant::now();
    submit_form(&c).await;
    // The deadline is 25 s; allow for the slow page.
    let deadline = started + Duration::from_secs(45);
    loop {
        let text = text_of(&c, Locator::Css("main")).await;
        if text.contains("không bị nộp hai lần") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no message after a stalled submit");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    wait_text(&c, "main", "Khai sinh cho bé Ngân").await;
    cdp(
        &c,
        "Network.emulateNetworkConditions",
        json!({ "offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
    )
    .await;
    walk(&c, &[Submit, Page("Giấy xác nhận đã nhận hồ sơ trực tuyến")]).await;
    assert_eq!(dossiers_of(&c).await.len(), 1);
    c.close().await.unwrap();
}

/// On a slow network, the list page opened from a page that loads no list
/// says it is loading, never that the list failed, until the list is here.
#[tokio::test]
async fn the_list_loads_without_a_false_error_on_a_slow_network() {
    let c = browser().await;
    walk(&c, &[Open("/thu-tuc/1.001193"), Page("Đăng ký khai sinh")]).await;
    slow_network(&c, 1500).await;
    walk(&c, &[Click("a[href='/thu-tuc']"), Page("")]).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let main = text_of(&c, Locator::Css("main")).await;
        assert!(c.find(Locator::Css("main .notice-error")).await.is_err(), "a false error: {main}");
        if main.contains("khai sinh") && c.find(Locator::Css("#results li")).await.is_ok() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the list never came: {main}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    cdp(
        &c,
        "Network.emulateNetworkConditions",
        json!({ "offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
    )
    .await;
    finish(c).await;
}

/// Every request from now on waits `latency_ms` before its answer.
async fn slow_network(c: &Client, latency_ms: u64) {
    cdp(c, "Network.enable", json!({})).await;
    let conditions = json!({ "offline": false, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": -1 });
    cdp(c, "Network.emulateNetworkConditions", conditions).await;
}
