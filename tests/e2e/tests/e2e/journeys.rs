//! The lookup journey in real headless Chromium against the real portal.

use crate::support::Step::*;
use crate::support::*;
use fantoccini::Locator;

#[tokio::test]
async fn home_page_renders_real_procedures_and_is_accessible() {
    let c = browser().await;
    open(&c, "/").await;
    assert_eq!(heading(&c).await, "Dịch vụ công trực tuyến");
    wait_text(&c, ".cards", "Đăng ký khai sinh").await;
    let cards = c.find_all(Locator::Css(".cards .card")).await.unwrap();
    assert!(cards.len() >= 5, "popular procedures shown: {}", cards.len());
    let title = js(&c, "return document.title").await;
    assert!(title.as_str().unwrap().contains("Dịch vụ công trực tuyến"));
    assert_eq!(js(&c, "return document.documentElement.lang").await, "vi");
    assert_accessible(&c, "/").await;

    // Search from the home page lands on the list with the query in the URL.
    send_keys(&c, Locator::Css("#home-q"), "chung thuc ban sao").await;
    walk(
        &c,
        &[
            Click(".search-form button[type=submit]"),
            Page("Tra cứu thủ tục"),
            See("#results .card-title", "Chứng thực bản sao"),
        ],
    )
    .await;
    assert!(c.current_url().await.unwrap().as_str().contains("q=chung%20thuc%20ban%20sao"));
    finish(c).await;
}

#[tokio::test]
async fn search_without_diacritics_then_open_the_detail() {
    let c = browser().await;
    open(&c, "/thu-tuc").await;
    assert_eq!(heading(&c).await, "Tra cứu thủ tục hành chính");
    let input = c.find(Locator::Css("input#q[type=search]")).await.unwrap();
    // The label is visible and tied to the box.
    let label = c.find(Locator::Css("label[for=q]")).await.unwrap();
    assert!(label.is_displayed().await.unwrap());
    input.send_keys("dang ky khai sinh").await.unwrap();
    walk(&c, &[See("#results .card-title", "Đăng ký khai sinh"), See("#result-count", "Tìm thấy")])
        .await;
    let first = c.find(Locator::Css("#results .card-title a")).await.unwrap();
    assert_eq!(first.text().await.unwrap(), "Đăng ký khai sinh");
    // Matched words are highlighted.
    let marks = c.find_all(Locator::Css("#results .card:first-child mark")).await.unwrap();
    assert!(marks.len() >= 3);
    // The URL follows once typing pauses.
    walk(&c, &[Url("q=dang%20ky%20khai%20sinh"), Axe("/thu-tuc?q=dang ky khai sinh")]).await;

    first.click().await.unwrap();
    wait_text(&c, "main h1", "Đăng ký khai sinh").await;
    // Focus moved to the new page's heading, and the title follows it.
    let focused = js(&c, "return document.activeElement && document.activeElement.tagName").await;
    assert_eq!(focused, "H1");
    let title = js(&c, "return document.title").await;
    assert!(title.as_str().unwrap().starts_with("Đăng ký khai sinh"));
    // Every part a citizen needs, in order.
    let sections: Vec<String> = {
        let mut v = Vec::new();
        for h in c.find_all(Locator::Css("main h2")).await.unwrap() {
            v.push(h.text().await.unwrap());
        }
        v
    };
    for want in ["Tóm tắt", "Giấy tờ cần chuẩn bị", "Cách thức thực hiện", "Trình tự thực hiện"]
    {
        assert!(sections.iter().any(|s| s == want), "missing section {want}: {sections:?}");
    }
    walk(
        &c,
        &[
            See(".glance", "Toàn trình"),
            See("main table", "Giấy chứng sinh"),
            // Legal basis is collapsed until asked for.
            Click("details.legal summary"),
            See("details.legal", "Luật Hộ tịch"),
            Axe("/thu-tuc/1.001193"),
        ],
    )
    .await;

    // Back returns to the list with the query still there.
    c.back().await.unwrap();
    wait_text(&c, "main h1", "Tra cứu thủ tục").await;
    assert_eq!(prop(&c, "#q", "value").await.as_deref(), Some("dang ky khai sinh"));
    finish(c).await;
}

#[tokio::test]
async fn filters_live_in_the_url_and_can_be_cleared() {
    let c = browser().await;
    // A shared link opens with its filters applied.
    walk(
        &c,
        &[
            Open("/thu-tuc?q=dang%20ky&linh-vuc=H%E1%BB%99%20t%E1%BB%8Bch&truc-tuyen=1"),
            See("#results .card-title", "Đăng ký khai sinh"),
        ],
    )
    .await;
    assert_eq!(prop(&c, "#f-online", "checked").await.as_deref(), Some("true"));
    assert_eq!(prop(&c, "#f-field", "value").await.as_deref(), Some("Hộ tịch"));
    let metas = c.find_all(Locator::Css("#results .card-meta")).await.unwrap();
    assert!(!metas.is_empty());
    for m in metas {
        assert!(m.text().await.unwrap().starts_with("Hộ tịch"));
    }
    let badges = c.find_all(Locator::Css("#results .badge:not(.badge-case)")).await.unwrap();
    for b in badges {
        assert!(b.text().await.unwrap().starts_with("Toàn trình"));
    }
    // "Đăng ký kết hôn" is only partly online: hidden by the filter.
    let all = text_of(&c, Locator::Css("#results")).await;
    assert!(!all.contains("Đăng ký kết hôn"));
    assert_accessible(&c, "/thu-tuc with filters").await;

    // Level filter updates the URL. On a phone the filters wait behind "Lọc".
    walk(
        &c,
        &[
            Click(".filter-toggle"),
            Click("#f-online"),
            Click("#f-level option[value=xa]"),
            See("#results", "Đăng ký kết hôn"),
        ],
    )
    .await;
    let url = c.current_url().await.unwrap().to_string();
    assert!(url.contains("cap=xa") && !url.contains("truc-tuyen"), "{url}");

    // Nothing found: say so, suggest other words and where to ask in person.
    send_keys(&c, Locator::Css("#q"), "zzqx wvvk").await;
    walk(
        &c,
        &[
            See("#result-count", "Không tìm thấy"),
            See(".empty", "Bộ phận Một cửa"),
            Axe("/thu-tuc with no results"),
        ],
    )
    .await;

    // Clear all.
    walk(&c, &[Click(".filters button"), See("#result-count", "Có")]).await;
    assert!(c.current_url().await.unwrap().as_str().ends_with("/thu-tuc"));
    assert_eq!(prop(&c, "#q", "value").await.as_deref(), Some(""));
    finish(c).await;
}

#[tokio::test]
async fn catalog_and_recent_procedures_survive_a_dropped_connection() {
    let c = browser().await;
    walk(
        &c,
        &[
            Open("/thu-tuc/1.001193"),
            Page("Đăng ký khai sinh"),
            See("nav", "Thủ tục"),
            // Let the catalog arrive (and be kept) before the connection drops.
            Open("/thu-tuc"),
            See("#result-count", "thủ tục"),
        ],
    )
    .await;

    drop_api_connection(&c, true).await;
    walk(
        &c,
        &[
            Open("/thu-tuc/1.001193"),
            Page("Đăng ký khai sinh"),
            See(".offline-banner", "Không có kết nối mạng"),
            See("main table", "Giấy chứng sinh"),
            Axe("detail offline"),
        ],
    )
    .await;

    // Search still works on the kept catalog.
    click(&c, "nav a[href='/thu-tuc']").await;
    send_keys(&c, Locator::Css("#q"), "tam tru").await;
    wait_text(&c, "#results .card-title", "Đăng ký tạm trú").await;

    // A procedure never opened on this device cannot be shown: say so plainly.
    walk(
        &c,
        &[
            Open("/thu-tuc/1.004873"),
            See("main [role=alert]", "Không tải được thủ tục"),
            Axe("detail offline, not kept"),
        ],
    )
    .await;

    drop_api_connection(&c, false).await;
    c.refresh().await.unwrap();
    wait_text(&c, "main h1", "Cấp Giấy xác nhận tình trạng hôn nhân").await;
    assert!(c.find(Locator::Css(".offline-banner")).await.is_err());
    finish(c).await;
}

/// Where the procedure page's "form to print" link goes.
async fn template_href(c: &fantoccini::Client) -> String {
    let a = c.find(Locator::Css("main a.form-template")).await.unwrap();
    a.attr("href").await.unwrap().unwrap()
}

#[tokio::test]
async fn detail_loads_from_a_cold_url_and_unknown_pages_are_friendly() {
    let c = browser().await;
    walk(
        &c,
        &[
            Open("/thu-tuc/1.004222"),
            Page("Đăng ký thường trú"),
            See(".glance", "07 ngày làm việc"),
            See("main", "10.000 đồng"),
        ],
    )
    .await;
    // Its declaration (CT01) can be printed blank, to fill in by hand.
    open(&c, &template_href(&c).await).await;
    walk(
        &c,
        &[
            Page("TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ"),
            See("main", "Mẫu CT01"),
            Axe("blank CT01"),
            // A procedure without an electronic form: a request laid out from the catalog.
            Open("/thu-tuc/2.000635"),
            Page("Cấp bản sao Trích lục"),
        ],
    )
    .await;
    open(&c, &template_href(&c).await).await;
    walk(
        &c,
        &[
            Page("ĐƠN ĐỀ NGHỊ GIẢI QUYẾT THỦ TỤC"),
            See("main", "Tờ khai cấp bản sao trích lục hộ tịch"),
        ],
    )
    .await;

    open(&c, "/khong-co-trang-nay").await;
    assert_eq!(heading(&c).await, "Không tìm thấy trang");
    let link = c.find(Locator::Css("main a[href='/']")).await.unwrap();
    assert!(link.is_displayed().await.unwrap());
    assert_accessible(&c, "404").await;

    walk(&c, &[Open("/thu-tuc/9.999999"), Page("Không tìm thấy thủ tục này")]).await;
    let title = js(&c, "return document.title").await;
    assert!(title.as_str().unwrap().starts_with("Lỗi: "), "{title}");
    finish(c).await;
}

#[tokio::test]
async fn language_switch_changes_every_string_and_is_remembered() {
    let c = browser().await;
    walk(
        &c,
        &[Open("/thu-tuc"), Click("button.lang-switch"), Page("Find an administrative procedure")],
    )
    .await;
    assert_eq!(js(&c, "return document.documentElement.lang").await, "en");
    wait_text(&c, "label[for=q]", "Search procedures").await;
    c.refresh().await.unwrap();
    walk(
        &c,
        &[
            Page("Find an administrative procedure"),
            Axe("/thu-tuc in English"),
            Click("button.lang-switch"),
            Page("Tra cứu thủ tục hành chính"),
        ],
    )
    .await;
    c.close().await.unwrap();
}

/// In English, the most used procedures are found by their English names
/// and named so; every procedure page says its details are Vietnamese. On a
/// phone the documents table stacks without scrolling sideways, and the
/// desk gives its street address and a number to call.
#[tokio::test]
async fn english_readers_find_the_most_used_procedures_by_their_names() {
    let c = browser_with(&["--window-size=360,740"]).await;
    // A window is never narrower than 500 px here: the phone's width is emulated.
    cdp(
        &c,
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": true }),
    )
    .await;
    open(&c, "/thu-tuc").await;
    js(&c, "localStorage.setItem('motcua.lang', 'en');").await;
    for (query, name, english) in [
        ("birth%20registration", "Đăng ký khai sinh", "Birth registration"),
        (
            "identity%20card",
            "Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên",
            "Identity card, age 14 and over",
        ),
        ("criminal%20record", "Cấp Phiếu lý lịch tư pháp", "Criminal record certificate"),
        ("marriage%20registration", "Đăng ký kết hôn", "Marriage registration"),
    ] {
        open(&c, &format!("/thu-tuc?q={query}")).await;
        wait_text(&c, "#results .card", name).await;
        let first = text_of(&c, Locator::Css("#results .card")).await;
        assert!(first.contains(name) && first.contains(english), "{query}: {first}");
    }
    walk(
        &c,
        &[
            See("#q-hint", "published in Vietnamese"),
            Shot("english-search"),
            Axe("English search"),
            Open("/thu-tuc/1.001193"),
            See("#name-en", "Birth registration"),
            See("#in-vietnamese", "published in Vietnamese only"),
        ],
    )
    .await;
    // The documents, one block each, nothing wider than the phone.
    let stacked = js(
        &c,
        "const t = document.querySelector('.docs-table'); const row = t.querySelector('tbody tr');
         return [getComputedStyle(row).display, t.closest('.table-scroll').scrollWidth <= t.closest('.table-scroll').clientWidth + 1,
                 getComputedStyle(row.querySelector('td'), '::before').content];",
    )
    .await;
    assert_eq!(stacked[0], "block", "{stacked}");
    assert_eq!(stacked[1], true, "{stacked}");
    assert!(stacked[2].as_str().unwrap_or("").contains("Originals"), "{stacked}");
    // The desk: its street and a number to call.
    walk(
        &c,
        &[
            Click("#d-place option[value='000.05.37.H37']"),
            See(".desk", "Số 1 đường Hoàng Văn Thụ"),
        ],
    )
    .await;
    let tel = js(&c, "const a = document.querySelector('.desk a[href^=\"tel:\"]'); return a ? a.getAttribute('href') : null;").await;
    assert!(tel.as_str().is_some_and(|t| t.starts_with("tel:0205")), "{tel}");
    walk(&c, &[Shot("english-procedure-360"), Axe("procedure in English at 360 px")]).await;
    finish(c).await;
}

#[tokio::test]
async fn keyboard_only_journey_from_skip_link_to_a_detail_page() {
    const TAB: &str = "\u{E004}";
    const ENTER: &str = "\u{E007}";
    let c = browser().await;
    walk(&c, &[Open("/"), See(".cards", "Đăng ký")]).await;
    // First Tab lands on the skip link; Enter moves focus to the main content.
    c.active_element().await.unwrap().send_keys(TAB).await.unwrap();
    assert_eq!(js(&c, "return document.activeElement.className").await, "skip-link");
    c.active_element().await.unwrap().send_keys(ENTER).await.unwrap();
    assert_eq!(js(&c, "return document.activeElement.id").await, "main");
    // Next Tab reaches the search box; typing and Enter search.
    c.active_element().await.unwrap().send_keys(TAB).await.unwrap();
    assert_eq!(js(&c, "return document.activeElement.id").await, "home-q");
    c.active_element().await.unwrap().send_keys("tam tru").await.unwrap();
    c.active_element().await.unwrap().send_keys(ENTER).await.unwrap();
    wait_text(&c, "#results .card-title", "Đăng ký tạm trú").await;
    // Focus went to the new page's heading; Tab onwards reaches the first result.
    assert_eq!(js(&c, "return document.activeElement.tagName").await, "H1");
    for _ in 0..10 {
        let on_result = js(&c, "return !!document.activeElement.closest('#results')").await;
        if on_result == true {
            break;
        }
        c.active_element().await.unwrap().send_keys(TAB).await.unwrap();
    }
    let text = js(&c, "return document.activeElement.textContent").await;
    assert_eq!(text, "Đăng ký tạm trú");
    c.active_element().await.unwrap().send_keys(ENTER).await.unwrap();
    wait_text(&c, "main h1", "Đăng ký tạm trú").await;
    assert_eq!(js(&c, "return document.activeElement.tagName").await, "H1");
    c.close().await.unwrap();
}

/// The CSP check above can fail: an injected inline handler is blocked and reported.
#[tokio::test]
async fn injected_inline_script_is_blocked_and_reported() {
    let c = browser().await;
    open(&c, CSP_PROBE).await;
    js(
        &c,
        "window.__ran = false; document.body.insertAdjacentHTML('beforeend', \
         '<img src=/nope.png onerror=\"window.__ran = true\">'); return null",
    )
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !csp_reports().iter().any(|r| r.contains(CSP_PROBE)) {
        assert!(std::time::Instant::now() < deadline, "the violation was never reported");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(js(&c, "return window.__ran").await, false);
    c.close().await.unwrap();
}

#[test]
fn portal_headers_are_strict_and_assets_compressed() {
    let (status, hs, body) = http("GET", "/", &[]);
    assert_eq!(status, 200);
    let csp = header(&hs, "content-security-policy").expect("CSP on /");
    let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap();
    assert!(
        !script_src.contains("'unsafe-inline'") && !script_src.contains("'unsafe-eval'"),
        "{csp}"
    );
    assert_eq!(header(&hs, "cache-control"), Some("no-cache"));
    let html = String::from_utf8(body).unwrap();
    let wasm = html
        .split('"')
        .chain(html.split(['=', ' ', '>', '`']))
        .find(|s| s.ends_with("_bg.wasm"))
        .expect("wasm link in index.html")
        .to_string();
    let path = if wasm.starts_with('/') { wasm } else { format!("/{wasm}") };
    let (status, hs, _) = http("GET", &path, &[("Accept-Encoding", "gzip, deflate, br")]);
    assert_eq!(status, 200, "{path}");
    assert_eq!(header(&hs, "content-encoding"), Some("br"));
    assert_eq!(header(&hs, "content-type"), Some("application/wasm"));
    assert!(header(&hs, "cache-control").unwrap().contains("immutable"));

    let (status, hs, body) = http("GET", "/api/v1/x", &[]);
    assert_eq!(status, 404);
    assert!(header(&hs, "content-type").unwrap().starts_with("application/json"));
    let err: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(err["error"]["code"], "not_found");

    let (status, _, body) = http("GET", "/api/v1/openapi.json", &[]);
    assert_eq!(status, 200);
    let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));

    let (_, _, body) = http("GET", "/api/v1/procedures", &[]);
    let list: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
    assert!(list.len() >= 60, "{}", list.len());
}

#[tokio::test]
async fn places_desks_copy_link_and_back_button() {
    let c = browser().await;
    // A shared link with a commune chosen: only what its desk handles, and where it is.
    walk(
        &c,
        &[
            Open("/thu-tuc?noi=000.05.37.H37"),
            See(".desk", "Xã Đồng Đăng"),
            See(".desk", "7:30"),
            See("#result-count", "thủ tục"),
        ],
    )
    .await;
    assert_eq!(prop(&c, "#f-place", "value").await.as_deref(), Some("000.05.37.H37"));
    let all = text_of(&c, Locator::Css("#results")).await;
    assert!(all.contains("Đăng ký khai sinh"), "{all}");
    // Land certificates are handled by the province only.
    assert!(!all.contains("Tách thửa hoặc hợp thửa đất"), "{all}");
    assert_accessible(&c, "/thu-tuc with a place").await;

    // Choosing the province's centre puts it in the URL.
    walk(
        &c,
        &[
            Click(".filter-toggle"),
            Click("#f-place option[value='000.00.00.H37']"),
            See(".desk", "Trung tâm Phục vụ hành chính công tỉnh"),
        ],
    )
    .await;
    let url = c.current_url().await.unwrap().to_string();
    assert!(url.contains("noi=000.00.00.H37"), "{url}");
    send_keys(&c, Locator::Css("#q"), "tach thua").await;
    wait_text(&c, "#results .card-title", "Tách thửa").await;

    // A commune-level procedure: pick a commune, see its desk, and it is
    // remembered on the next procedure.
    walk(
        &c,
        &[
            Click("#results .card-title a"),
            Page("Tách thửa"),
            See("#where-h", "Nơi nộp hồ sơ"),
            See("main .desk", "Trung tâm Phục vụ hành chính công tỉnh"),
        ],
    )
    .await;
    assert!(c.find(Locator::Css("#d-place")).await.is_err());
    // Browser Back returns to the list with the query and place intact.
    c.back().await.unwrap();
    walk(&c, &[Page("Tra cứu thủ tục"), See("#results .card-title", "Tách thửa")]).await;
    assert_eq!(prop(&c, "#q", "value").await.as_deref(), Some("tach thua"));
    assert_eq!(prop(&c, "#f-place", "value").await.as_deref(), Some("000.00.00.H37"));
    c.forward().await.unwrap();
    wait_text(&c, "main h1", "Tách thửa").await;

    walk(
        &c,
        &[
            Open("/thu-tuc/1.001193"),
            Page("Đăng ký khai sinh"),
            See("#where-h", "Nơi nộp hồ sơ"),
            Click("#d-place option[value='000.03.37.H37']"),
            See("main .desk", "Phường Kỳ Lừa"),
            See("main .desk", "Thứ Hai"),
            Axe("detail with a desk"),
            Open("/thu-tuc/1.001022"),
            See("main .desk", "Phường Kỳ Lừa"),
        ],
    )
    .await;

    // Copy link: the page's address lands on the clipboard.
    cdp(
        &c,
        "Browser.grantPermissions",
        serde_json::json!({ "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"] }),
    )
    .await;
    walk(&c, &[Click(".copy-link button"), See(".copy-status", "Đã sao chép liên kết")]).await;
    let copied = c
        .execute_async(
            "navigator.clipboard.readText().then(arguments[0], e => arguments[0]('ERR ' + e))",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(copied.as_str().unwrap(), format!("{}/thu-tuc/1.001022", base()));
    finish(c).await;
}

/// Layout shifts since the page started loading, with what moved.
const LAYOUT_SHIFTS: &str = r#"
const done = arguments[arguments.length - 1];
new PerformanceObserver(() => {}).observe({ type: 'layout-shift', buffered: true });
setTimeout(() => {
  const entries = performance.getEntriesByType('layout-shift');
  done(entries.map(e => ({
    value: e.value,
    sources: (e.sources || []).map(s => s.node ? (s.node.nodeName + '.' + (s.node.className || '') + ' ' + (s.node.textContent || '').slice(0, 40)) : '?'),
  })));
}, 300);
"#;

#[tokio::test]
async fn nothing_moves_while_the_app_and_its_data_arrive() {
    let c = browser().await;
    // As Lighthouse's mobile run: a Moto G Power's screen on slow 4G, where
    // the app and its data arrive in separate frames.
    cdp(
        &c,
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 412, "height": 823, "deviceScaleFactor": 1.75, "mobile": true }),
    )
    .await;
    cdp(&c, "Network.enable", serde_json::json!({})).await;
    cdp(
        &c,
        "Network.emulateNetworkConditions",
        serde_json::json!({ "offline": false, "latency": 150, "downloadThroughput": 204800, "uploadThroughput": 96000 }),
    )
    .await;
    for (path, ready) in
        [("/", ".cards .card"), ("/thu-tuc/1.001193", "main table"), ("/thu-tuc", "#results .card")]
    {
        c.goto(&format!("{}{path}", base())).await.unwrap();
        c.wait()
            .at_most(std::time::Duration::from_secs(20))
            .for_element(Locator::Css(ready))
            .await
            .unwrap();
        let shifts = c.execute_async(LAYOUT_SHIFTS, vec![]).await.unwrap();
        let total: f64 =
            shifts.as_array().unwrap().iter().map(|s| s["value"].as_f64().unwrap()).sum();
        assert!(total == 0.0, "{path}: layout shift {total}: {shifts}");
    }
    finish(c).await;
}

/// On a 360×740 phone the first result of a search is on the first screen:
/// the filters wait behind "Lọc" (which says how many are on), and "Tìm"
/// closes the keyboard and shows the results.
#[tokio::test]
async fn search_results_start_on_the_first_screen_of_a_phone() {
    let c = browser_with(&["--window-size=360,740"]).await;
    walk(
        &c,
        &[Open("/thu-tuc?q=khai%20sinh&noi=000.05.37.H37"), See("#results", "Đăng ký khai sinh")],
    )
    .await;
    let top = js(
        &c,
        "const r = document.querySelector('#results li').getBoundingClientRect(); return r.top + window.scrollY;",
    )
    .await
    .as_f64()
    .unwrap();
    let screen = js(&c, "return window.innerHeight").await.as_f64().unwrap();
    assert!(top < screen, "the first result starts at y = {top}, below {screen}");
    // The filters are one tap away and say one is on.
    wait_text(&c, ".filter-toggle", "(1)").await;
    assert_eq!(prop(&c, ".filter-toggle", "ariaExpanded").await.as_deref(), Some("false"));
    click(&c, ".filter-toggle").await;
    assert_eq!(prop(&c, ".filter-toggle", "ariaExpanded").await.as_deref(), Some("true"));
    let shown = js(&c, "return document.getElementById('f-place').offsetParent !== null").await;
    assert_eq!(shown, true);
    walk(
        &c,
        &[
            Axe("/thu-tuc on a phone, filters open"),
            // "Tìm" submits the search form (there is a submit button).
            Click(".search-form button[type=submit]"),
            See("#result-count", "thủ tục"),
        ],
    )
    .await;
    finish(c).await;
}

/// A search that finds nothing is not a dead end: under it, the nearest
/// fields to browse and the desk's phone; near-twins say their case on
/// the card.
#[tokio::test]
async fn a_search_that_misses_still_leads_somewhere() {
    let c = browser_with(&["--window-size=360,740"]).await;
    walk(
        &c,
        &[
            Open("/thu-tuc?q=c%C6%B0%20xyzw"),
            See("#result-count", "Không tìm thấy"),
            See("#miss-h", "Không thấy thủ tục bạn cần?"),
        ],
    )
    .await;
    let links = c.find_all(Locator::Css(".miss-fields a")).await.unwrap();
    assert_eq!(links.len(), 3);
    // A word of the query ("cư") leads to the residence field.
    let mut residence = None;
    for l in &links {
        if l.text().await.unwrap().contains("cư trú") {
            residence = Some(l.clone());
        }
    }
    let residence = residence.expect("the residence field is offered");
    let tel = prop(&c, ".miss a[href^='tel:']", "href").await.unwrap();
    assert!(tel.len() > "tel:".len() + 6, "{tel}");
    assert_accessible(&c, "/thu-tuc: a search that found nothing").await;
    // Browsing the field lists its procedures, the query cleared.
    residence.click().await.unwrap();
    walk(&c, &[Url("linh-vuc="), See("#results", "thường trú")]).await;
    assert_eq!(prop(&c, "#q", "value").await.as_deref(), Some(""));

    // Near-twins: the case is on the card.
    walk(
        &c,
        &[
            Open("/thu-tuc?q=can%20cuoc"),
            See("#results", "Cấp lại"),
            See("#results .badge-case", ""),
        ],
    )
    .await;
    let cases: Vec<String> = js_as(
        &c,
        "return [...document.querySelectorAll('#results .badge-case')].map(e => e.textContent)",
    )
    .await;
    assert!(
        cases.iter().any(|c| c == "Cấp lại") && cases.iter().any(|c| c == "Cấp đổi"),
        "{cases:?}"
    );
    finish(c).await;
}

/// "Nghe đọc" on a procedure page: a small button where a Vietnamese voice
/// exists; the first press brings the reader, which reads the page in
/// order, heading first; no voice, no button.
#[tokio::test]
async fn a_procedure_is_read_aloud_from_its_page() {
    let c = browser_with(&["--window-size=360,740"]).await;
    cdp(&c, "Page.addScriptToEvaluateOnNewDocument", speech("[{ lang: 'vi-VN', name: 'Thử' }]"))
        .await;
    walk(
        &c,
        &[
            Open("/thu-tuc/1.001193"),
            Page("khai sinh"),
            See("#read-aloud", "Nghe đọc"),
            Axe("procedure: listen button"),
            Click("#read-aloud"),
        ],
    )
    .await;
    // Read to the end: the reader's own Listen button comes back.
    let done =
        "return !!document.querySelector('.read-aloud #read-aloud') && window.__spoken.length > 0;";
    wait_js(&c, done, "the reading ended").await;
    let spoken = js(&c, "return window.__spoken.map(s => s.text);").await;
    let texts: Vec<&str> = spoken.as_array().unwrap().iter().filter_map(|s| s.as_str()).collect();
    let h1 = text_of(&c, Locator::Css("main h1")).await;
    assert_eq!(texts.first().copied(), Some(h1.trim()), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("Tờ khai đăng ký khai sinh")), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("Nghe đọc")), "{texts:?}");
    // A table row is one sentence with its headings, not cell by cell.
    assert!(
        texts.iter().any(|t| t.starts_with("Tờ khai đăng ký khai sinh. Bản chính: 1, Bản sao: 0")),
        "{texts:?}"
    );
    assert!(
        !texts.iter().any(|t| *t == "Bản chính" || *t == "1" || *t == "Tên giấy tờ"),
        "{texts:?}"
    );
    // Its speed control is a target a finger can hit.
    let h =
        js(&c, "return document.getElementById('read-aloud-rate').getBoundingClientRect().height")
            .await;
    assert!(h.as_f64().unwrap_or(0.0) >= 44.0, "{h}");
    assert_accessible(&c, "procedure: reader").await;
    finish(c).await;

    let c = browser_with(&["--window-size=360,740"]).await;
    cdp(&c, "Page.addScriptToEvaluateOnNewDocument", speech("[]")).await;
    walk(&c, &[Open("/thu-tuc/1.001193"), Page("khai sinh")]).await;
    tokio::time::sleep(std::time::Duration::from_millis(2000)).await;
    assert!(c.find(Locator::Id("read-aloud")).await.is_err(), "no voice, no button");
    finish(c).await;
}
