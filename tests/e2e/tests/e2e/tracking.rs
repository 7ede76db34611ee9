//! Tracking a dossier in real headless Chromium against the real portal:
//! the receipt's QR code, officers' moves (CLI and API), the supplement,
//! the rating, lookup by code + ID number, a scanner's input, "Hồ sơ của
//! tôi", and the scan page reading a fake camera through the wasm decoder.

use crate::support::Step::*;
use crate::support::*;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

const PASSWORD: &str = "Hoa#2026ls";
const ENTER: &str = "\u{E007}";

/// A new account; (ID, phone, cookie of an API session).
fn account(seed: u32, name: &str) -> (String, String, String) {
    let (cccd, phone) = unique_ids("0914", 70 + seed);
    make_account(&cccd, &phone, name, "04/04/1990", PASSWORD);
    let cookie = sign_in_api(&phone, PASSWORD);
    (cccd, phone, cookie)
}

/// A new account (`account`) with a dossier filed through the API: its ID
/// number, phone, session cookie, and the dossier's code and token.
fn filed(seed: u32, name: &str) -> (String, String, String, String, String) {
    let (cccd, phone, cookie) = account(seed, name);
    let (code, token) = file_dossier_api(&cookie, (&cccd, name, "04/04/1990", &phone));
    (cccd, phone, cookie, code, token)
}

/// The dates of the timeline's entries, oldest first.
async fn timeline(c: &Client) -> Vec<String> {
    let items = c.find_all(Locator::Css("#timeline li")).await.unwrap();
    let mut out = Vec::new();
    for li in items {
        out.push(li.text().await.unwrap());
    }
    out
}

/// Bring the page to the front again, as a citizen coming back to the tab.
async fn come_back(c: &Client) {
    js(c, "document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));").await;
}

fn tracking_api(code: &str, cookie: &str) -> Value {
    let (status, v) = api("GET", &format!("/api/v1/tracking/{code}"), Value::Null, cookie);
    assert_eq!(status, 200, "{v}");
    v
}

#[tokio::test]
async fn the_receipt_qr_opens_the_status_which_follows_the_officer_to_a_rating() {
    let (cccd, phone, cookie, code, token) = filed(1, "Hoàng Thị Hoa");

    // The owner's receipt; a screenshot of its QR code gives the tracking link.
    let owner = browser().await;
    sign_in(&owner, &phone, PASSWORD, &format!("/bien-nhan/{code}")).await;
    wait_text(&owner, "#dossier-code", &code).await;
    let shot = shot(&owner, Locator::Css("svg.qr")).await;
    let link = qr_texts(&shot).pop().expect("a QR code on the receipt");
    assert_eq!(link, format!("{}/tra-cuu/{code}?t={token}", base()));

    // Anyone holding it (another phone, not signed in) sees the status.
    let anyone = browser().await;
    anyone.goto(&link).await.unwrap();
    wait_text(&anyone, "main h1", &code).await;
    wait_text(&anyone, "#status", "Mới đăng ký").await;
    let page = text_of(&anyone, Locator::Css("main")).await;
    for personal in ["Hoàng Thị Hoa", cccd.as_str(), phone.as_str(), "Pò Mỏ"] {
        assert!(!page.contains(personal), "{personal} shown publicly");
    }
    assert_accessible(&anyone, "status: registered, public").await;

    // The officer moves it 2 → 4 → 5 with the CLI; the open page follows
    // when its tab comes back into view.
    officer_cli(&code, 2, "", None);
    officer_cli(&code, 4, "", None);
    officer_cli(&code, 5, "Bổ sung bản sao giấy đăng ký kết hôn của cha mẹ", None);
    come_back(&anyone).await;
    wait_text(&anyone, "#status", "Yêu cầu bổ sung giấy tờ").await;
    let entries = timeline(&anyone).await;
    assert_eq!(entries.len(), 4, "{entries:?}");
    for (entry, name) in entries.iter().zip([
        "Mới đăng ký",
        "Được tiếp nhận",
        "Đang xử lý",
        "Yêu cầu bổ sung giấy tờ",
    ]) {
        assert!(entry.contains(name), "{entry}");
        // Each with its date and time.
        assert!(
            entry.split_whitespace().any(|w| w.len() == 10 && w.matches('/').count() == 2),
            "{entry}"
        );
    }
    assert!(entries[3].contains("giấy đăng ký kết hôn"));
    walk(
        &anyone,
        &[
            See("main", "Đăng nhập bằng tài khoản đã nộp hồ sơ"),
            Axe("status: supplement requested, public"),
        ],
    )
    .await;

    // The owner sees what is asked and answers with a photo.
    owner.goto(&link).await.unwrap();
    walk(
        &owner,
        &[
            See("#asked", "giấy đăng ký kết hôn"),
            Click("#supplement-send"),
            See("#error-summary", "Hãy đính kèm"),
            Axe("status: supplement, nothing attached"),
            Attach("documents.0", "ket-hon.jpg"),
            See("main .document .files", "ket-hon.jpg"),
            Fill("#supplement-note", "Bản sao có chứng thực"),
            Click("#supplement-send"),
            See("#status", "Đang xử lý"),
        ],
    )
    .await;
    let entries = timeline(&owner).await;
    assert_eq!(entries.len(), 5);
    assert!(entries[4].contains("Bạn thực hiện") && entries[4].contains("chứng thực"));
    assert_accessible(&owner, "status: processing after the supplement").await;

    // Resolved (through the API this time): rate once.
    officer_api(&code, 9, "Kết quả gửi qua tài khoản");
    come_back(&owner).await;
    walk(
        &owner,
        &[
            See("#status", "Đã xử lý xong"),
            Click("#rate-send"),
            See("#error-summary", "Chọn một mức"),
            Axe("status: rating without a choice"),
            Click("#level-satisfied"),
            Fill("#rate-comment", "Cán bộ hướng dẫn tận tình"),
            Click("#rate-send"),
            See("#rated", "Hài lòng"),
            Axe("status: rated"),
        ],
    )
    .await;
    let t = tracking_api(&code, &cookie);
    assert_eq!(t["rating"]["level"], "satisfied");
    // Resolved the day it was filed: before its due day ("early") when filed
    // after 15:00 (a birth is then due the next working day), else on it.
    let today = t["received_at"].as_str().unwrap_or("").get(..10).unwrap_or("");
    let expected = if t["due_date"] == today { "on_time" } else { "early" };
    assert_eq!(t["timeliness"], expected, "{t}");
    let (status, _) = api(
        "POST",
        &format!("/api/v1/dossiers/{code}/rating"),
        serde_json::json!({ "level": "dissatisfied" }),
        &cookie,
    );
    assert_eq!(status, 409, "rated once only");

    // Offline: the last known status stays, labelled as such.
    drop_api_connection(&owner, true).await;
    walk(
        &owner,
        &[
            Click(".freshness button"),
            See(".freshness", "Không có kết nối mạng"),
            See("#status", "Đã xử lý xong"),
        ],
    )
    .await;
    drop_api_connection(&owner, false).await;
    finish(anyone).await;
    finish(owner).await;
}

/// What the page has fetched so far: (names, encoded body bytes in all).
async fn fetched(c: &Client) -> (Vec<String>, u64) {
    let v = js(
        c,
        "const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
         return [all.map((e) => e.name), all.reduce((n, e) => n + (e.encodedBodySize || 0), 0)];",
    )
    .await;
    let names = v[0].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect();
    (names, v[1].as_u64().unwrap())
}

#[tokio::test]
async fn the_qr_link_paints_the_status_before_the_services_bundle_is_needed() {
    let (cccd, phone, _, code, token) = filed(7, "Lộc Văn Tâm");
    officer_cli(&code, 2, "", None);
    let link = format!("{}/tra-cuu/{code}?t={token}", base());

    // A phone that never visited: the portal's page carries the status,
    // the shell shows it, and the services bundle is not fetched.
    let c = browser_with(&["--window-size=360,740"]).await;
    c.goto(&link).await.unwrap();
    wait_text(&c, "#status", "Được tiếp nhận").await;
    wait_text(&c, "main h1", &code).await;
    wait_text(&c, "#next-step", "chuyển xử lý").await;
    assert_eq!(timeline(&c).await.len(), 2);
    let page = text_of(&c, Locator::Css("main")).await;
    for personal in ["Lộc Văn Tâm", cccd.as_str(), phone.as_str(), "Pò Mỏ"] {
        assert!(!page.contains(personal), "{personal} shown publicly");
    }
    // The token left the address bar; the status is kept for offline use.
    let url = c.current_url().await.unwrap();
    assert_eq!(url.as_str(), format!("{}/tra-cuu/{code}", base()));
    let kept = js(&c, &format!("return localStorage.getItem('motcua.track.{code}');")).await;
    assert!(kept.as_str().unwrap_or("").contains(&token), "{kept}");
    let title = js(&c, "return document.title;").await;
    assert!(title.as_str().unwrap().contains(&code), "{title}");
    assert_accessible(&c, "QR link: first paint").await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    // The status painted with the HTML stays where it is when the app takes over.
    let shift = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             new PerformanceObserver((list) => done(list.getEntries().reduce((n, e) => n + e.value, 0)))
               .observe({ type: 'layout-shift', buffered: true });
             setTimeout(() => done(0), 1000);",
            vec![],
        )
        .await
        .unwrap();
    assert!(shift.as_f64().unwrap() < 0.01, "layout shift {shift}");
    let (names, bytes) = fetched(&c).await;
    // Any services bundle (its loader, part of the shell, aside).
    let bundle = |n: &String| n.contains("/services_") && !n.contains("/services_loader");
    assert!(!names.iter().any(bundle), "{names:#?}");
    eprintln!("QR link before any use: {bytes} bytes in {} responses", names.len());

    // Pressing "Làm mới" brings the live page (the same Leptos app: the
    // header's links still work without a reload).
    walk(
        &c,
        &[Click(".freshness button"), See(".copy-link", ""), See("#status", "Được tiếp nhận")],
    )
    .await;
    let (names, _) = fetched(&c).await;
    assert!(names.iter().any(|n| n.contains("/services_track_bg")), "{names:#?}");
    walk(&c, &[Axe("QR link: live"), Click("a.brand"), Page("")]).await;
    c.back().await.unwrap();
    wait_text(&c, "#status", "Được tiếp nhận").await;
    finish(c).await;

    // From the first paint, the receipt link goes straight to the receipt,
    // and Back returns to the status.
    let c = browser().await;
    c.goto(&link).await.unwrap();
    walk(&c, &[See("#status", "Được tiếp nhận"), Click("main .no-print a")]).await;
    wait_text(&c, "#dossier-code", &code).await;
    c.back().await.unwrap();
    wait_text(&c, "#status", "Được tiếp nhận").await;
    finish(c).await;

    // In English, the first paint (in Vietnamese) is not used.
    let c = browser().await;
    open(&c, "/").await;
    js(&c, "localStorage.setItem('motcua.lang', 'en');").await;
    c.goto(&link).await.unwrap();
    wait_text(&c, "main h1", &format!("Dossier {code}")).await;
    wait_text(&c, "#status", "Accepted").await;
    finish(c).await;
}

#[tokio::test]
async fn typed_code_and_id_a_scanner_and_my_dossiers() {
    let (cccd, phone, cookie, code, token) = filed(2, "Vi Văn Thành");
    let c = browser().await;
    walk(&c, &[Open("/tra-cuu"), Axe("lookup")]).await;

    // A wrong ID reveals nothing.
    answer!(c, "#code" => code, "#citizen_id" => "020090999999"; "#error-summary" => "Không tìm thấy hồ sơ");
    assert_accessible(&c, "lookup: not found").await;
    answer!(c, "#code" => "abc"; "#error-summary" => "Mã hồ sơ chưa đúng");

    // A barcode scanner types the code and Enter: on to the ID field.
    open(&c, "/tra-cuu").await;
    send_keys(&c, Locator::Id("code"), &format!("{code}{ENTER}")).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(js(&c, "return document.activeElement.id;").await, "citizen_id");
    send_keys(&c, Locator::Id("citizen_id"), &format!("{cccd}{ENTER}")).await;
    wait_text(&c, "#status", "Mới đăng ký").await;
    // Read and kept on the device: the token leaves the address bar.
    wait_url_is(&c, &format!("/tra-cuu/{code}")).await;

    // Scanning the receipt's QR code with a scanner types the whole link.
    open(&c, "/tra-cuu").await;
    send_keys(&c, Locator::Id("code"), &format!("{}/tra-cuu/{code}?t={token}{ENTER}", base()))
        .await;
    wait_text(&c, "#status", "Mới đăng ký").await;
    finish(c).await;

    // "Hồ sơ của tôi", filtered by what needs the citizen.
    let (code2, _) = file_dossier_api(&cookie, (&cccd, "Vi Văn Thành", "04/04/1990", &phone));
    for to in [2, 4] {
        officer_api(&code2, to, "");
    }
    officer_cli(&code2, 6, "Lệ phí cấp bản sao", Some(8_000));
    let c = browser().await;
    sign_in(&c, &phone, PASSWORD, "/ho-so-cua-toi").await;
    walk(
        &c,
        &[
            Page("Hồ sơ của tôi"),
            See("main", "2 hồ sơ"),
            Axe("my dossiers"),
            Click("#nhom option[value='can-xu-ly']"),
            See("main", "1 hồ sơ"),
        ],
    )
    .await;
    wait_text(&c, "main .cards", &code2).await;
    wait_url(&c, "nhom=can-xu-ly").await;
    walk(&c, &[Click("#nhom option[value='da-ket-thuc']"), See("main", "Không có hồ sơ nào khớp")])
        .await;
    // The payment asked for: amount and how to pay.
    open(&c, &format!("/tra-cuu/{code2}")).await;
    walk(
        &c,
        &[
            See("#status", "nghĩa vụ tài chính"),
            See("main .amount", "8.000 đ"),
            Axe("status: payment requested"),
            // Withdrawing asks first, then moves it to 7.
            Click("#withdraw"),
            See("#withdraw-h", "Rút hồ sơ này"),
            Axe("status: confirm withdrawal"),
            Click("#withdraw-confirm"),
            See("#status", "Công dân yêu cầu rút hồ sơ"),
        ],
    )
    .await;
    // Another citizen's dossier is never shown.
    let (_, _, other) = account(3, "Lộc Văn Bình");
    let (status, body) = api("GET", &format!("/api/v1/tracking/{code2}"), Value::Null, &other);
    assert_eq!(status, 404, "{body}");
    finish(c).await;
}

#[tokio::test]
async fn the_scan_page_reads_a_fake_camera_through_the_wasm_decoder() {
    let (_, _, _, code, token) = filed(4, "Nông Thị Sen");

    // No camera at all: said plainly, with the way to type the code instead.
    let c = browser().await;
    walk(
        &c,
        &[
            Open("/quet-ma"),
            Axe("scan"),
            Click("#scan-start"),
            See("#scan-message", "camera"),
            Axe("scan: no camera"),
        ],
    )
    .await;
    finish(c).await;

    let c = browser_filming(&format!("{}/tra-cuu/{code}?t={token}", base())).await;
    open(&c, "/quet-ma").await;
    assert_eq!(
        js(&c, "return typeof window.BarcodeDetector;").await,
        "undefined",
        "this test is about the wasm decoder"
    );
    walk(&c, &[Click("#scan-start"), See("#status", "Mới đăng ký")]).await;
    wait_url_is(&c, &format!("/tra-cuu/{code}")).await;
    // Decoded by the scanner wasm (its frames are measured), fetched only now.
    let frames =
        js(&c, "return performance.getEntriesByName('qr-decode').map(e => e.duration);").await;
    let frames = frames.as_array().unwrap();
    assert!(!frames.is_empty(), "no frame went through the wasm decoder");
    let loaded = js(
        &c,
        "return performance.getEntriesByType('resource').some(e => e.name.endsWith('/scanner_bg.wasm'));",
    )
    .await;
    assert_eq!(loaded, true);
    println!("qr-decode per frame (ms): {frames:?}");
    // The camera is off once the page is left.
    let live = js(
        &c,
        "return Array.from(document.querySelectorAll('video')).filter(v => v.srcObject).length;",
    )
    .await;
    assert_eq!(live, 0);
    finish(c).await;
}

/// The status page offers the phone's own share sheet where the browser has
/// one (Chromium on Linux has none: the test gives it one that records what
/// it is handed), with copying the link beside it.
#[tokio::test]
async fn the_status_page_shares_its_link_through_the_phone_share_sheet() {
    let (_, _, _, code, token) = filed(6, "Lộc Thị Mai");
    let c = browser_with(&["--window-size=360,740"]).await;
    cdp(
        &c,
        "Page.addScriptToEvaluateOnNewDocument",
        serde_json::json!({ "source": "navigator.share = async (d) => { window.__shared = d; };" }),
    )
    .await;
    open(&c, &format!("/tra-cuu/{code}?t={token}")).await;
    walk(
        &c,
        &[
            See("#status", "Mới đăng ký"),
            See("#share-link", "Chia sẻ"),
            Click("#share-link"),
            // From the QR link's first paint, the press reaches the live page's
            // button once the services bundle has loaded.
            Until("return !!window.__shared;", "the share sheet opened"),
        ],
    )
    .await;
    let shared = js(&c, "return window.__shared ? window.__shared.url : ''").await;
    let shared = shared.as_str().unwrap_or_default().to_string();
    assert!(shared.ends_with(&format!("/tra-cuu/{code}?t={token}")), "{shared}");
    assert_accessible(&c, "status page with share").await;
    finish(c).await;
}

/// An officer attaches an electronic result at 9: its owner downloads it
/// from the status page and it hashes to the SHA-256 shown; the link's
/// token alone shows only that it exists; another citizen gets nothing.
#[tokio::test]
async fn an_electronic_result_reaches_its_owner_and_nobody_else() {
    let (_, phone, _, code, token) = filed(9, "Triệu Thị Lê");
    for to in [2, 4, 9] {
        officer_api(&code, to, "");
    }
    let made = officer_result_api(&code, "Trich%20luc%20khai%20sinh.pdf", &small_pdf());
    let sha = made["sha256"].as_str().unwrap().to_string();
    assert_eq!(made["code"], format!("{code}-KQ1"));

    let c = browser_with(&["--window-size=360,740"]).await;
    let path = format!("/tra-cuu/{code}");
    sign_in(&c, &phone, PASSWORD, &path).await;
    // The result first, as a plain download; the survey after it; the
    // code, signer and checksum behind "Chi tiết".
    wait_text(&c, "#result-download-1", "Tải kết quả: Trich luc khai sinh.pdf, PDF").await;
    let order = js(
        &c,
        "const a = document.getElementById('result-first'), b = document.getElementById('rate-h');
         return !!(a && b && (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING));",
    )
    .await;
    assert_eq!(order, json!(true), "the result comes before the survey");
    assert!(c.find(Locator::Id("pickup")).await.is_err(), "the button, not where to look");
    walk(&c, &[Shot("result-first"), Click("#results details summary")]).await;
    wait_text(&c, "#results", &format!("{code}-KQ1")).await;
    wait_text(&c, "#results", "UBND xã Đồng Đăng").await;
    assert_eq!(text_of(&c, Locator::Css(".result-sha")).await, sha);
    // What the link downloads hashes to what the page says.
    let got = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(document.querySelector('.result-link').href)
               .then(r => r.arrayBuffer()).then(b => crypto.subtle.digest('SHA-256', b))
               .then(h => done([...new Uint8Array(h)].map(x => x.toString(16).padStart(2, '0')).join('')))
               .catch(e => done('failed: ' + e));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(got.as_str(), Some(sha.as_str()));
    walk(
        &c,
        &[
            Axe("status: electronic result"),
            // "Hồ sơ của tôi" offers it too, on the dossier's card.
            Open("/ho-so-cua-toi"),
        ],
    )
    .await;
    wait_text(&c, ".card-results .result-link", &format!("{code}-KQ1")).await;
    assert_accessible(&c, "my dossiers: electronic result").await;
    finish(c).await;

    // The QR link's token alone: that a result exists, no file.
    let other = browser_with(&["--window-size=360,740"]).await;
    open(&other, &format!("/tra-cuu/{code}?t={token}")).await;
    walk(&other, &[See("#results", "1 kết quả điện tử"), See("#results", "Đăng nhập")]).await;
    assert!(other.find(Locator::Css(".result-link")).await.is_err());
    let (status, _) = api("GET", &format!("/api/v1/dossiers/{code}/results/1"), Value::Null, "");
    assert_eq!(status, 404);
    finish(other).await;
    // Another citizen, signed in: as if there were none.
    let (_, _, stranger) = account(10, "Lý Văn Tư");
    let (status, _) =
        api("GET", &format!("/api/v1/dossiers/{code}/results/1"), Value::Null, &stranger);
    assert_eq!(status, 404);
}

/// "Nghe đọc" on the status page: with a Vietnamese voice, the page's text
/// is spoken in order (heading first), at the speed chosen, never the
/// reader's own controls; without one, no button and one plain sentence.
#[tokio::test]
async fn the_status_page_is_read_aloud_in_order_where_a_vietnamese_voice_exists() {
    let (_, _, _, code, token) = filed(11, "Hứa Thị Nga");
    officer_api(&code, 2, "Hồ sơ đầy đủ. Hẹn trả đúng hạn.");
    let c = browser_with(&["--window-size=360,740"]).await;
    cdp(&c, "Page.addScriptToEvaluateOnNewDocument", speech("[{ lang: 'vi-VN', name: 'Thử' }]"))
        .await;
    open(&c, &format!("/tra-cuu/{code}?t={token}")).await;
    walk(
        &c,
        &[
            See("#status", "Được tiếp nhận"),
            See("#read-aloud", "Nghe đọc"),
            Axe("status: read aloud"),
            Click("#read-aloud-rate option[value='125']"),
            Click("#read-aloud"),
        ],
    )
    .await;
    // Done when the Listen button comes back (asked in the page: the
    // controls are redrawn as the reader moves on).
    let done = "return !!document.querySelector('#read-aloud') && window.__spoken.length > 0;";
    wait_js(&c, done, "the reading ended").await;
    let spoken = js(&c, "return window.__spoken;").await;
    let spoken = spoken.as_array().unwrap().clone();
    let texts: Vec<&str> = spoken.iter().map(|s| s["text"].as_str().unwrap()).collect();
    let h1 = text_of(&c, Locator::Css("main h1")).await;
    assert_eq!(texts.first().copied(), Some(h1.trim()), "the heading first: {texts:?}");
    let at = |needle: &str| texts.iter().position(|t| t.contains(needle));
    let (said, full, timely) = (at("Được tiếp nhận"), at("Hồ sơ đầy đủ."), at("Hẹn trả đúng hạn."));
    assert!(said.is_some() && full.is_some(), "{texts:?}");
    assert_eq!(timely, full.map(|i| i + 1), "one sentence after the other: {texts:?}");
    assert!(spoken.iter().all(|s| s["lang"] == "vi-VN" && s["rate"] == 1.25), "{spoken:?}");
    assert!(!texts.iter().any(|t| t.contains("Tốc độ đọc")), "the reader does not read itself");
    finish(c).await;

    // No Vietnamese voice: no button, and one plain sentence.
    let c = browser_with(&["--window-size=360,740"]).await;
    cdp(&c, "Page.addScriptToEvaluateOnNewDocument", speech("[{ lang: 'en-US', name: 'E' }]"))
        .await;
    open(&c, &format!("/tra-cuu/{code}?t={token}")).await;
    // The QR link's first paint waits for the citizen before the services
    // bundle (which says so) loads; a voice would have loaded it at once.
    wait_text(&c, "#status", "Được tiếp nhận").await;
    assert!(c.find(Locator::Id("read-aloud")).await.is_err());
    walk(
        &c,
        &[Click(".freshness button"), See("#read-aloud-none", "chưa có giọng đọc tiếng Việt")],
    )
    .await;
    assert!(c.find(Locator::Id("read-aloud")).await.is_err());
    finish(c).await;
}
