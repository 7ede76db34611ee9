//! A youth-union volunteer files for a resident, hands over the receipt,
//! and clears the device for the next resident; and a kiosk left idle wipes
//! everything personal after warning. Real Chromium, real portal.

use std::time::Duration;

use crate::support::Step::*;
use crate::support::*;
use fantoccini::{Client, Locator};
use serde_json::Value;

const PASSWORD: &str = "Doan#2026ls";

/// What this origin keeps in the browser: localStorage keys, sessionStorage
/// keys, IndexedDB databases.
async fn stored(c: &Client) -> (Vec<String>, Vec<String>, Vec<String>) {
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const keys = s => Array.from({ length: s.length }, (_, i) => s.key(i));
             indexedDB.databases().then(dbs => done([keys(localStorage), keys(sessionStorage), dbs.map(d => d.name)]));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

/// What a shared device may keep between two people: the public catalog
/// and the language (anything not the app's own is not ours to judge).
fn kept_between_people(key: &str) -> bool {
    // `motcua.wiped` is a count of wipes, nothing of anyone; `motcua.kept`
    // the day the public list was last kept for offline use.
    [
        "motcua.catalog",
        "motcua.popular",
        "motcua.synonyms",
        "motcua.about",
        "motcua.kept",
        "motcua.units",
        "motcua.lang",
        "motcua.wiped",
    ]
    .contains(&key)
        || !key.starts_with("motcua")
}

fn personal(key: &str) -> bool {
    ["motcua.wizard.", "motcua.track.", "motcua.supplement.", "motcua.register"]
        .iter()
        .any(|p| key.starts_with(p))
}

#[tokio::test]
async fn a_volunteer_files_for_a_resident_who_then_owns_it() {
    let (vol_id, vol_phone) = unique_ids("0919", 1);
    make_account(&vol_id, &vol_phone, "Hà Văn Đoàn", "08/08/1990", PASSWORD);
    grant_volunteer(&vol_id);
    let (res_id, res_phone) = unique_ids("0919", 2);

    let c = browser().await;
    sign_in(&c, &vol_phone, PASSWORD, "/tai-khoan").await;
    walk(&c, &[See("#volunteer-badge", "Tình nguyện viên"), Axe("account of a volunteer")]).await;

    // The wizard, for someone else, with their consent.
    walk(&c, &[
        Open("/nop-ho-so/1.001193"),
        Page("Ai nộp hồ sơ"),
        Click("#unit option[value='000.05.37.H37']"),
        Click("#behalf"),
        // A youth-union volunteer files as one: chosen for them, said why it matters.
        Until("return document.getElementById('relationship').value === 'Đoàn viên, tình nguyện viên'", "the volunteer's relationship preselected"),
        See("#relationship-hint", "cần"),
        Click("#consent"),
        Submit,
        Page("Thông tin người yêu cầu"),
    ]).await;
    assert_eq!(
        prop(&c, "#applicant\\.full_name", "autocomplete").await.as_deref(),
        Some("off"),
        "the volunteer's own details must not be filled in"
    );
    answer!(c, "#applicant\\.full_name" => "Nông Thị Dung", "#applicant\\.citizen_id" => res_id, "#applicant\\.birth_date" => "09/09/1990", "#applicant\\.phone" => res_phone, "#applicant\\.address" => "Thôn Bản Pẻn, xã Đồng Đăng"; "main h1" => "Người đi đăng ký");
    birth_form(&c).await;
    answer!(c, "#notes" => "Khai sinh cho cháu"; "main h1" => "Giấy tờ đính kèm");
    // Not a relative: the resident's authorisation is required, and said so.
    wait_text(
        &c,
        "main .authorisation",
        "Bắt buộc: bạn nộp hộ với tư cách “Đoàn viên, tình nguyện viên”",
    )
    .await;
    walk(
        &c,
        &[
            Attach("documents.1", "chung-sinh.jpg"),
            See("main .files", "chung-sinh.jpg"),
            Shot("volunteer-authorisation"),
            Axe("wizard: a volunteer's documents"),
            Submit,
            See("#error-summary", "cần đính kèm “Văn bản ủy quyền có chứng thực"),
            Attach("documents.3", "uy-quyen.jpg"),
            See("main", "uy-quyen.jpg"),
            Submit,
            Page("Cách nhận kết quả"),
            Submit,
            Page("Kiểm tra trước khi nộp"),
            Declare,
            Submit,
            Page("Giấy xác nhận đã nhận hồ sơ trực tuyến"),
            See("#assisted", "Hà Văn Đoàn (Đoàn viên, tình nguyện viên)"),
        ],
    )
    .await;
    let code = text_of(&c, Locator::Id("dossier-code")).await;
    // The receipt carries the code that will make it the resident's own.
    let claim_code = text_of(&c, Locator::Id("claim-code")).await;
    assert_eq!(claim_code.len(), 10, "{claim_code}");

    // The resident leaves with the QR code shown large, and a text message.
    walk(
        &c,
        &[
            Click("#qr-big"),
            See(".qr-overlay h2", "Chụp ảnh mã này bằng điện thoại của bạn"),
            Axe("receipt: large QR code"),
            Click("#qr-close"),
            Click("#send-link"),
            See("#link-status", "Đã gửi"),
        ],
    )
    .await;
    let (_, _, outbox) = http("GET", "/api/v1/dev/outbox", &[]);
    let outbox: Vec<Value> = serde_json::from_slice(&outbox).unwrap();
    let sms = outbox
        .iter()
        .rev()
        .find(|m| m["phone"] == res_phone.as_str())
        .expect("a message to the resident");
    let text = sms["text"].as_str().unwrap();
    assert!(text.contains(&format!("/tra-cuu/{code}?t=")), "{text}");
    assert!(text.contains(&claim_code), "{text}");
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/tra-cuu/"))
        .unwrap()
        .trim_end_matches('.')
        .to_string();

    // Not the volunteer's dossier; on the volunteer's dashboard, masked.
    let cookie = c.get_named_cookie("motcua_session").await.unwrap();
    let vol_cookie = format!("motcua_session={}", cookie.value());
    let (_, mine) = api("GET", "/api/v1/dossiers", Value::Null, &vol_cookie);
    assert!(!mine.to_string().contains(&code), "{mine}");
    open(&c, "/ho-tro").await;
    wait_text(&c, "#assisted", &code).await;
    wait_text(&c, "#assisted", "N. T. D. · ***").await;
    let page = text_of(&c, Locator::Css("main")).await;
    assert!(!page.contains(&res_phone) && !page.contains("Nông Thị Dung"));
    assert_accessible(&c, "volunteer dashboard").await;

    // "Next resident": nothing of the resident stays; the volunteer does.
    walk(&c, &[Click("#next-resident"), See("main", "Sẵn sàng cho người tiếp theo")]).await;
    let (local, session, dbs) = stored(&c).await;
    assert!(!local.iter().any(|k| personal(k)), "{local:?}");
    assert!(local.iter().all(|k| kept_between_people(k)), "{local:?}");
    assert!(session.is_empty(), "{session:?}");
    assert!(!dbs.iter().any(|d| d == "motcua"), "{dbs:?}");
    let (status, _) = api("GET", "/api/v1/me", Value::Null, &vol_cookie);
    assert_eq!(status, 200, "the volunteer is still signed in");
    // Back, step by step through the resident's receipt and form, and the
    // HTTP cache: nothing of them comes back.
    let secrets = [res_phone.as_str(), res_id.as_str(), "Nông Thị Dung"];
    nothing_personal_going_back(&c, 4, &secrets).await;
    let cached = js(
        &c,
        &format!(
            "return fetch('/api/v1/dossiers/{code}/receipt', {{cache: 'only-if-cached', mode: 'same-origin'}})
               .then(r => r.text()).catch(() => 'not cached');"
        ),
    )
    .await;
    assert!(secrets.iter().all(|s| !cached.to_string().contains(s)), "{cached}");
    // A jammed print: printed again from the dashboard, without the
    // resident's details but with the code that makes it theirs.
    open(&c, "/ho-tro").await;
    wait_text(&c, "#assisted", &code).await;
    walk(&c, &[Click("#assisted a.reprint"), See("#reprint", "Bản in lại")]).await;
    wait_text(&c, "#claim-code", &claim_code).await;
    wait_text(&c, "#dossier-code", &code).await;
    let page = text_of(&c, Locator::Css("main")).await;
    assert!(secrets.iter().all(|s| !page.contains(s)), "{page}");
    // Nobody's phone, so no promise of texts or of "this page".
    assert!(!page.contains("tại trang này"), "{page}");
    walk(&c, &[Shot("volunteer-reprint"), Axe("receipt printed again")]).await;

    finish(c).await;

    // The resident registers: an ID number typed at registration proves
    // nothing, so the dossier is not theirs yet…
    make_account(&res_id, &res_phone, "Nông Thị Dung", "09/09/1990", "Dung#2026ls");
    let res_cookie = sign_in_api(&res_phone, "Dung#2026ls");
    let (_, theirs) = api("GET", "/api/v1/dossiers", Value::Null, &res_cookie);
    assert_eq!(theirs, serde_json::json!([]), "{theirs}");
    // …until, on their phone, from the text's link, they sign in and give the claim code.
    let phone = browser_with(&["--window-size=360,740"]).await;
    let path = &link[link.find("/tra-cuu/").unwrap()..];
    open(&phone, path).await;
    wait_text(&phone, "main", "Đăng nhập để nhận hồ sơ").await;
    sign_in(&phone, &res_phone, "Dung#2026ls", path).await;
    walk(&phone, &[See("details.claim summary", "nộp hộ bạn"), Click("details.claim summary")])
        .await;
    answer!(phone, "#claim_code" => "1234567890"; "#claim_code-error" => "không đúng");
    assert_accessible(&phone, "status: wrong claim code").await;
    // Theirs now: the owner's own actions appear.
    answer!(phone, "#claim_code" => claim_code; "#withdraw" => "Rút");
    let (_, theirs) = api("GET", "/api/v1/dossiers", Value::Null, &res_cookie);
    assert_eq!(theirs[0]["code"], code.as_str(), "{theirs}");
    assert_accessible(&phone, "status: claimed by the resident").await;
    finish(phone).await;
}

/// A portal of the test's own whose app is set up as a kiosk, with more
/// `settings` (JSON members); this test's pages go to it.
fn kiosk_site(name: &str, settings: &str) -> OwnPortal {
    let (data, dist, port) = own_site(name);
    let config = format!(
        r#"{{ "api_base": "/api/v1", "province": "Lạng Sơn", "hotline": "0205 3 812 345",
             "kiosk": true, {settings} }}"#
    );
    std::fs::write(dist.join("config.json"), config).unwrap();
    let portal = OwnPortal::start(&data, &dist, port);
    set_base(&format!("http://127.0.0.1:{port}"));
    portal
}

/// Press Back `steps` times; after each, once the page settled, none of
/// `secrets` is on it.
async fn nothing_personal_going_back(c: &Client, steps: usize, secrets: &[&str]) {
    for step in 1..=steps {
        c.back().await.unwrap();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let url = c.current_url().await.unwrap().to_string();
        let page = js(c, "return document.body.innerText;").await.to_string();
        for s in secrets {
            assert!(!page.contains(s), "Back {step} ({url}) shows {s:?}: {page}");
        }
    }
}

#[tokio::test]
async fn a_kiosk_left_idle_warns_then_wipes_everything() {
    // A kiosk with a short idle time.
    let _portal = kiosk_site("kiosk", r#""kiosk_idle_seconds": 26, "kiosk_warning_seconds": 20"#);
    let (cccd, phone) = unique_ids("0919", 5);
    make_account(&cccd, &phone, "Lương Văn Khánh", "10/10/1990", PASSWORD);

    let c = browser().await;
    // The person looks at a procedure first: the kiosk remembers it for
    // them (offline copy, recent list) until the wipe.
    walk(&c, &[Open("/thu-tuc/1.001193"), Page("khai sinh")]).await;
    let (local, _, _) = stored(&c).await;
    assert!(local.iter().any(|k| k == "motcua.recent"), "{local:?}");
    sign_in(&c, &phone, PASSWORD, "/nop-ho-so/1.001193").await;
    wait_text(&c, "main h1", "Ai nộp hồ sơ").await;
    assert_eq!(js(&c, "return document.documentElement.classList.contains('kiosk');").await, true);
    walk(
        &c,
        &[Click("#unit option[value='000.05.37.H37']"), Submit, Page("Thông tin người yêu cầu")],
    )
    .await;
    let cookie = c.get_named_cookie("motcua_session").await.unwrap();
    let session = format!("motcua_session={}", cookie.value());

    // Idle: the warning comes, announced, with focus on "Tiếp tục".
    wait_for(&c, ".kiosk-dialog", 20).await;
    let spoken = js(&c, "return document.getElementById('kiosk-live').textContent;").await;
    assert!(spoken.as_str().unwrap_or("").contains("giây"), "{spoken}");
    // The figure on screen carries its unit.
    wait_text(&c, ".kiosk-seconds", "giây").await;
    assert_eq!(js(&c, "return document.activeElement.id;").await, "kiosk-continue");
    // The page behind is out of reach while the dialog is up.
    assert_eq!(js(&c, "return document.getElementById('main').inert;").await, true);
    walk(&c, &[Axe("kiosk: idle warning"), Click("#kiosk-continue")]).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(c.find(Locator::Css(".kiosk-dialog")).await.is_err(), "continue keeps the session");
    assert_eq!(js(&c, "return document.getElementById('main').inert;").await, false);

    // Left alone again: at zero everything personal is gone.
    wait_for(&c, ".kiosk-dialog", 20).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(40);
    loop {
        let url = c.current_url().await.unwrap().to_string();
        if url.ends_with("/kiosk") && c.find(Locator::Css("main h1")).await.is_ok() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the kiosk never wiped: {url}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (local, session_keys, dbs) = stored(&c).await;
    assert!(!local.iter().any(|k| personal(k)), "{local:?}");
    // Nor what they looked at (the recent procedures, their offline copies).
    assert!(local.iter().all(|k| kept_between_people(k)), "{local:?}");
    assert!(session_keys.iter().all(|k| k == "motcua.kiosk"), "{session_keys:?}");
    assert!(!dbs.iter().any(|d| d == "motcua"), "{dbs:?}");
    assert!(c.get_named_cookie("motcua_session").await.is_err(), "the cookie is gone");
    let (status, _) = api("GET", "/api/v1/me", Value::Null, &session);
    assert_eq!(status, 401, "the server session is gone");
    // Still a kiosk, ready for the next person, and it says what happened.
    assert_eq!(js(&c, "return document.documentElement.classList.contains('kiosk');").await, true);
    walk(&c, &[See("#kiosk-ended", "không được dùng"), See("#kiosk-ended", "đã được xóa")]).await;
    // Back, several steps: nothing of the previous person.
    nothing_personal_going_back(&c, 4, &[cccd.as_str(), phone.as_str(), "Lương Văn Khánh"]).await;
    c.close().await.unwrap();
}

/// A kiosk at 1080×1920 standing at a commune's desk: its desk comes
/// preselected, sign-in offers the phone and then, once, the password;
/// every page reads at arm's length (24 px); "Kết thúc phiên" says the
/// screen was wiped.
#[tokio::test]
async fn a_kiosk_knows_its_desk_reads_large_and_says_it_wiped() {
    let _portal = kiosk_site("kiosk-desk", r#""kiosk_unit": "000.06.37.H37""#);
    let (cccd, phone) = unique_ids("0919", 9);
    make_account(&cccd, &phone, "Hoàng Văn Sơn", "10/10/1990", PASSWORD);
    let c = browser_with(&["--window-size=1080,1920"]).await;
    walk(&c, &[Open("/dang-nhap"), See("main", "Đăng nhập bằng điện thoại của bạn")]).await;
    let or = js(
        &c,
        "return Array.from(document.querySelectorAll('main h2')).filter(h => h.textContent.includes('Hoặc đăng nhập bằng mật khẩu')).length",
    )
    .await;
    assert_eq!(or, 1, "one 'or sign in with a password'");
    // Below the phone's QR box, not above it.
    let order = js(
        &c,
        "const or = Array.from(document.querySelectorAll('main h2')).find(h => h.textContent.includes('Hoặc đăng nhập'));
         const qr = document.getElementById('pairing-h');
         return !!(qr.compareDocumentPosition(or) & Node.DOCUMENT_POSITION_FOLLOWING);",
    )
    .await;
    assert_eq!(order, true, "the password comes after the phone");
    walk(
        &c,
        &[
            Shot("kiosk-sign-in"),
            Axe("kiosk sign-in"),
            // A procedure page, not only the home tiles, at arm's length.
            Open("/thu-tuc/1.001193"),
            Page("khai sinh"),
        ],
    )
    .await;
    let sizes: Vec<f64> = js_as(&c, "return ['main p', 'main td', 'main h1'].map(s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))").await;
    assert!(sizes[0] >= 24.0 && sizes[1] >= 24.0 && sizes[2] >= 36.0, "{sizes:?}");
    // The commune it stands in, picked already.
    walk(&c, &[
        Until("return document.getElementById('d-place') && document.getElementById('d-place').value === '000.06.37.H37'", "the kiosk's commune on the procedure page"),
        See(".desk", "Điện thoại"),
        Shot("kiosk-procedure"),
    ]).await;
    sign_in(&c, &phone, PASSWORD, "/nop-ho-so/1.001193").await;
    walk(
        &c,
        &[
            Page("Ai nộp hồ sơ"),
            Until(
                "return document.getElementById('unit').value === '000.06.37.H37'",
                "the kiosk's desk in the wizard",
            ),
            // The end: a word that everything was wiped, until the next touch.
            Click("#kiosk-end"),
            See("#kiosk-ended", "Mọi thông tin của người dùng trước đã được xóa"),
        ],
    )
    .await;
    let url = c.current_url().await.unwrap().to_string();
    assert!(url.ends_with("/kiosk"), "{url}");
    walk(&c, &[Shot("kiosk-ended"), Axe("kiosk after the end of a session")]).await;
    // A reload does not say it again.
    c.refresh().await.unwrap();
    wait_text(&c, ".tiles", "Tìm thủ tục").await;
    assert!(c.find(Locator::Id("kiosk-ended")).await.is_err());
    c.close().await.unwrap();
}

async fn wait_for(c: &Client, css: &str, seconds: u64) {
    let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
    while c.find(Locator::Css(css)).await.is_err() {
        assert!(std::time::Instant::now() < deadline, "{css} never appeared");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A kiosk (1080×1920) starts with big tiles; every target on it is at
/// least 56 px tall; set to lookup only, it offers no signing in and no
/// filing, and says where to do that instead.
#[tokio::test]
async fn a_lookup_only_kiosk_has_big_tiles_and_no_sign_in() {
    let _portal = kiosk_site("kiosk-lookup", r#""kiosk_lookup_only": true"#);
    let c = browser_with(&["--window-size=1080,1920"]).await;
    walk(&c, &[Open("/"), See(".tiles", "Tìm thủ tục")]).await;
    let tiles: Vec<(String, f64)> = js_as(&c, "return Array.from(document.querySelectorAll('.tiles a')).map(a => [a.textContent, a.getBoundingClientRect().height])").await;
    let names: Vec<&str> = tiles.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(
        names,
        ["Tìm thủ tục", "Tra cứu hồ sơ", "Quét mã biên nhận", "Tôi đã đặt lịch · Lấy số thứ tự"],
        "lookup only: no filing tile (queue numbers need no account)"
    );
    assert!(tiles.iter().all(|t| t.1 >= 100.0), "{tiles:?}");
    // Every visible target, links in text included, is at least 56 px tall.
    let small = js(
        &c,
        "return Array.from(document.querySelectorAll('a, button, input:not([type=checkbox]):not([type=radio]), select, summary'))
           .filter(e => e.offsetParent !== null && !e.closest('.visually-hidden') && !e.classList.contains('skip-link'))
           .filter(e => e.getBoundingClientRect().height < 56)
           .map(e => e.outerHTML.slice(0, 80))",
    )
    .await;
    assert_eq!(small, serde_json::json!([]), "targets under 56 px");
    assert!(c.find(Locator::Css("nav a[href='/dang-nhap']")).await.is_err());
    walk(
        &c,
        &[
            Axe("kiosk home, lookup only"),
            // Signing in or filing is not offered here, and the page says why.
            Open("/nop-ho-so/1.001193"),
            See("main", "chỉ dùng để tìm thủ tục và tra cứu"),
            Axe("kiosk, lookup only: filing asked for"),
        ],
    )
    .await;
    c.close().await.unwrap();
}

/// A new volunteer's dashboard, before any filing: a sentence, not an empty
/// list, and axe-clean.
#[tokio::test]
async fn a_new_volunteer_sees_an_empty_dashboard_explained() {
    let (cccd, phone) = unique_ids("0919", 8);
    make_account(&cccd, &phone, "Hà Thị Xuân", "08/08/1990", PASSWORD);
    grant_volunteer(&cccd);
    let c = browser_with(&["--window-size=360,740"]).await;
    sign_in(&c, &phone, PASSWORD, "/ho-tro").await;
    walk(&c, &[Page("Hồ sơ đã hỗ trợ nộp"), See("#assisted", "Bạn chưa")]).await;
    let lists = js(&c, "return document.querySelectorAll('#assisted ul').length").await;
    assert_eq!(lists, 0, "no empty list");
    assert_accessible(&c, "/ho-tro, empty").await;
    finish(c).await;
}
