//! The installable app: after one visit it opens with the portal gone,
//! lookup and the wizard work, a submission waits in the outbox and is sent
//! exactly once when the portal is back; and a new build is announced
//! ("Có phiên bản mới — Tải lại") and replaces the old caches. Each test
//! runs a portal of its own (it is stopped to play "no network") on a copy
//! of `dist/` (the update test edits its service worker).

use std::time::Duration;

use crate::support::Step::*;
use crate::support::*;
use fantoccini::{Client, Locator};
use serde_json::Value;

const PASSWORD: &str = "Mang#2026ls";

/// The names of this origin's caches, once the service worker is active
/// (none while the page is reloading).
async fn caches(c: &Client) -> Vec<String> {
    let asked = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             setTimeout(() => done([]), 3000);
             navigator.serviceWorker.ready.then(() => caches.keys()).then(done, () => done([]));",
            vec![],
        )
        .await;
    asked.ok().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default()
}

async fn wait_caches(c: &Client, ok: impl Fn(&[String]) -> bool) -> Vec<String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let names = caches(c).await;
        if ok(&names) {
            return names;
        }
        assert!(std::time::Instant::now() < deadline, "caches: {names:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The paths this origin's service-worker cache holds.
async fn cached_paths(c: &Client) -> Vec<String> {
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             caches.keys()
               .then((names) => Promise.all(names.map((n) => caches.open(n).then((k) => k.keys()))))
               .then((lists) => done(lists.flat().map((r) => new URL(r.url).pathname)), () => done([]));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap_or_default()
}

/// Wait until the worker's cache holds every one of `paths`.
async fn wait_cached(c: &Client, paths: &[&str]) -> Vec<String> {
    wait_cached_for(c, paths, 10).await
}

async fn wait_cached_for(c: &Client, paths: &[&str], secs: u64) -> Vec<String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let kept = cached_paths(c).await;
        if paths.iter().all(|p| kept.iter().any(|k| k == p)) {
            return kept;
        }
        assert!(std::time::Instant::now() < deadline, "{kept:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// A first visit to the home page keeps the shell for offline use, not
/// search or the services bundle, at first (what offline use needs comes
/// at idle: the next test); a search keeps search, using a services page
/// keeps that too.
#[tokio::test]
async fn a_first_visit_caches_the_shell_and_the_services_bundle_only_once_used() {
    let (_portal, _) = OwnPortal::site("first-visit");
    let c = browser().await;
    open(&c, "/").await;
    wait_caches(&c, |n| n.iter().any(|x| x.starts_with("motcua-shell-"))).await;
    let kept = cached_paths(&c).await;
    assert!(kept.iter().any(|p| p.ends_with(".wasm")), "{kept:?}");
    assert!(
        !kept.iter().any(|p| p.starts_with("/services") || p.starts_with("/search")),
        "{kept:?}"
    );
    // A search loads search's own wasm, and the worker keeps it.
    go(&c, "/thu-tuc?q=khai%20sinh").await;
    wait_text(&c, "main", "Đăng ký khai sinh").await;
    let kept = wait_cached(&c, &["/search.js", "/search_bg.wasm"]).await;
    assert!(!kept.iter().any(|p| p.starts_with("/services")), "{kept:?}");
    go(&c, "/tra-cuu").await;
    wait_text(&c, "main h1", "Tra cứu hồ sơ").await;
    // The lookup page of tracking is a page of the tracking bundle: that
    // bundle is kept, not the wizard's or the accounts' (not yet used).
    let kept =
        wait_cached(&c, &["/services_track.js", "/services_track_bg.wasm", "/services.css"]).await;
    assert!(
        !kept.iter().any(|p| p.starts_with("/services_submit") || p.starts_with("/services_acc")),
        "{kept:?}"
    );
    c.close().await.unwrap();
}

/// One ordinary visit (the home page, a procedure page, no search typed):
/// at idle the device keeps what offline use needs, so with the network
/// gone search, the lookup page and the procedure still work.
#[tokio::test]
async fn after_an_ordinary_visit_search_and_lookup_work_offline() {
    let (portal, _) = OwnPortal::site("ordinary");
    let c = browser().await;
    walk(&c, &[Open("/"), Page("")]).await;
    go(&c, "/thu-tuc/1.001193").await;
    wait_text(&c, "main h1", "Đăng ký khai sinh").await;
    wait_cached_for(
        &c,
        &[
            "/search_bg.wasm",
            "/services_track_bg.wasm",
            "/services_mine_bg.wasm",
            "/services_receipt_bg.wasm",
        ],
        40,
    )
    .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while js(&c, "return localStorage.getItem('motcua.kept')").await.is_null() {
        assert!(std::time::Instant::now() < deadline, "the list was not kept");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    drop(portal);
    c.refresh().await.unwrap();
    wait_text(&c, "main h1", "Đăng ký khai sinh").await;
    go(&c, "/thu-tuc?q=tam%20tru").await;
    walk(
        &c,
        &[
            See("#result-count", "thủ tục"),
            See("#results", "Đăng ký tạm trú"),
            Shot("offline-search"),
        ],
    )
    .await;
    go(&c, "/tra-cuu").await;
    walk(&c, &[Page("Tra cứu hồ sơ"), See("main", "Mã hồ sơ"), Axe("offline: lookup")]).await;
    c.close().await.unwrap();
}

/// Signed in, "Hồ sơ của tôi" seen once: with the network gone the header
/// still says who is signed in here, and the list is shown as last seen,
/// said to be so.
#[tokio::test]
async fn my_dossiers_and_who_i_am_stay_offline() {
    let (portal, _) = OwnPortal::site("mine-offline");
    let (cccd, phone) = unique_ids("0920", 2);
    make_account(&cccd, &phone, "Mã Văn Bình", "10/10/1990", PASSWORD);
    let cookie = sign_in_api(&phone, PASSWORD);
    let (code, token) = file_dossier_api(&cookie, (&cccd, "Mã Văn Bình", "10/10/1990", &phone));
    let c = browser().await;
    let receipt = format!("/bien-nhan/{code}?t={token}");
    sign_in(&c, &phone, PASSWORD, &receipt).await;
    wait_text(&c, "#dossier-code", &code).await;
    go(&c, "/ho-so-cua-toi").await;
    wait_text(&c, "main", &code).await;
    wait_cached(&c, &["/services_mine_bg.wasm", "/services_receipt_bg.wasm"]).await;

    drop(portal);
    c.refresh().await.unwrap();
    wait_text(&c, "#mine-offline", "Không có kết nối mạng").await;
    wait_text(&c, "main", &code).await;
    wait_text(&c, "header", "Tài khoản").await;
    assert!(!text_of(&c, Locator::Css("header")).await.contains("Đăng nhập"));
    walk(&c, &[Axe("offline: my dossiers"), Shot("mine-offline")]).await;
    // The receipt seen before opens too, said to be the kept copy.
    go(&c, &receipt).await;
    wait_text(&c, "#receipt-offline", "Không có kết nối mạng").await;
    wait_text(&c, "#dossier-code", &code).await;
    assert_accessible(&c, "offline: a receipt seen before").await;
    c.close().await.unwrap();
}

/// Navigate inside the app (no reload).
async fn go(c: &Client, path: &str) {
    c.execute(
        "history.pushState({}, '', arguments[0]); dispatchEvent(new PopStateEvent('popstate'));",
        vec![serde_json::json!(path)],
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn after_one_visit_it_works_offline_and_the_outbox_sends_once() {
    let (data, dist, port) = own_site("offline");
    let portal = OwnPortal::start(&data, &dist, port);
    set_base(&format!("http://127.0.0.1:{port}"));
    let (cccd, phone) = unique_ids("0920", 1);
    make_account(&cccd, &phone, "Mã Thị Ngọc", "11/11/1990", PASSWORD);
    let c = browser().await;
    // One visit that looked a procedure up (the whole list loads with
    // search, not with the first paint), then filed.
    walk(&c, &[Open("/thu-tuc?q=khai%20sinh"), See("main", "Đăng ký khai sinh")]).await;
    sign_in(&c, &phone, PASSWORD, "/nop-ho-so/1.001193").await;
    wizard_to_check(&c, "000.05.37.H37", "Thôn Nà Nưa", "Khai sinh cho bé Mai").await;
    wait_caches(&c, |n| n.iter().any(|x| x.starts_with("motcua-shell-"))).await;
    // The wizard in use: the worker keeps its bundle, and fetches the
    // receipt's ahead (it is where the wizard ends).
    wait_cached(
        &c,
        &["/services_submit_bg.wasm", "/services_receipt.js", "/services_receipt_bg.wasm"],
    )
    .await;
    let cookie = c.get_named_cookie("motcua_session").await.unwrap();
    let session = format!("motcua_session={}", cookie.value());

    // The network is gone (the portal stops); the app still opens.
    drop(portal);
    c.refresh().await.unwrap();
    walk(&c, &[Page("Kiểm tra trước khi nộp"), See("main", "Khai sinh cho bé Mai")]).await;
    // Lookup works from what the device keeps.
    go(&c, "/thu-tuc?q=khai%20sinh").await;
    walk(&c, &[See("#result-count", "thủ tục"), See("main", "Đăng ký khai sinh")]).await;
    // The draft can still be edited…
    go(&c, "/nop-ho-so/1.001193/yeu-cau").await;
    wait_text(&c, "main h1", "Số bản kết quả và ghi chú").await;
    answer!(c, "#notes" => "Khai sinh cho bé Mai (sửa khi mất mạng)"; "main h1" => "Giấy tờ đính kèm");
    go(&c, "/nop-ho-so/1.001193/kiem-tra").await;
    walk(
        &c,
        &[
            See("main", "sửa khi mất mạng"),
            // …and submitted into the outbox, with the person told what waits.
            Submit,
            See("#error-summary", "không bị nộp hai lần"),
            See("#outbox-notice", "1 hồ sơ đang chờ gửi"),
            Axe("offline: a submission waiting"),
        ],
    )
    .await;

    // The portal is back: sent once, by itself.
    let _portal = OwnPortal::start(&data, &dist, port);
    js(&c, "window.dispatchEvent(new Event('online'));").await;
    wait_text(&c, "main h1", "Giấy xác nhận đã nhận hồ sơ trực tuyến").await;
    assert!(c.find(Locator::Id("outbox-notice")).await.is_err());
    js(&c, "window.dispatchEvent(new Event('online'));").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let (status, mine) = api("GET", "/api/v1/dossiers", Value::Null, &session);
    assert_eq!(status, 200);
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_new_build_is_announced_and_its_caches_replace_the_old() {
    let (_portal, dist) = OwnPortal::site("update");
    let c = browser().await;
    open(&c, "/").await;
    let first = wait_caches(&c, |n| n.iter().any(|x| x.starts_with("motcua-shell-"))).await;
    // Controlled from the second load on.
    c.refresh().await.unwrap();
    wait_text(&c, "main h1", "").await;

    // A new build: its service worker differs (a new version).
    let sw = std::fs::read_to_string(dist.join("sw.js")).unwrap();
    let start = sw.find("const VERSION = '").unwrap() + "const VERSION = '".len();
    let end = start + sw[start..].find('\'').unwrap();
    let changed = format!("{}{}-next{}", &sw[..start], &sw[start..end], &sw[end..]);
    std::fs::write(dist.join("sw.js"), changed).unwrap();
    for ext in ["br", "gz"] {
        let _ = std::fs::remove_file(dist.join(format!("sw.js.{ext}")));
    }
    js(&c, "navigator.serviceWorker.getRegistration().then(r => r && r.update());").await;
    walk(&c, &[See(".update-banner", "Có phiên bản mới"), Axe("update banner")]).await;
    element(&c, Locator::Id("update-reload")).await.click().await.unwrap();
    let now = wait_caches(&c, |n| {
        n.iter().filter(|x| x.starts_with("motcua-shell-")).count() == 1
            && n.iter().any(|x| x.ends_with("-next"))
    })
    .await;
    assert!(!now.iter().any(|x| first.contains(x)), "old caches stay: {now:?}");
    assert!(c.find(Locator::Css(".update-banner")).await.is_err());
    c.close().await.unwrap();
}
