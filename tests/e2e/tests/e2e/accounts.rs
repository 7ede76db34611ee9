//! Accounts in real headless Chromium against the real portal (`--dev`:
//! codes are read from the dev outbox). The pages come from the services
//! bundle, loaded on demand.

use crate::support::Step::*;
use crate::support::*;
use fantoccini::{Client, Locator};

#[tokio::test]
async fn register_with_a_code_from_the_outbox_then_sign_out_and_in() {
    let (cccd, phone) = unique_ids("0912", 1);
    let c = browser().await;
    walk(&c, &[Open("/dang-ky"), Page("Số định danh cá nhân")]).await;

    // Wrong first: the message is beside the field and in a focused summary.
    walk(
        &c,
        &[
            Fill("#citizen_id", "02009012345"),
            Submit,
            See("#error-summary", "Số định danh cá nhân gồm 12 chữ số; bạn đã nhập 11"),
            See("#citizen_id-error", "bạn đã nhập 11"),
        ],
    )
    .await;
    let focused = js(&c, "return document.activeElement.id").await;
    assert_eq!(focused, "error-summary");
    assert_eq!(prop(&c, "#citizen_id", "value").await.as_deref(), Some("02009012345"));
    assert_accessible(&c, "register: citizen ID error").await;

    answer!(c, "#citizen_id" => cccd; "main h1" => "Họ và tên");
    answer!(c, "#full_name" => "Nguyễn Thị Lan"; "main h1" => "Ngày sinh");
    // Reload and Back keep what was typed.
    c.refresh().await.unwrap();
    wait_text(&c, "main h1", "Ngày sinh").await;
    c.back().await.unwrap();
    wait_text(&c, "main h1", "Họ và tên").await;
    assert_eq!(prop(&c, "#full_name", "value").await.as_deref(), Some("Nguyễn Thị Lan"));
    walk(&c, &[Submit, Page("Ngày sinh")]).await;
    answer!(c, "#birth_date" => "09/05/1991"; "#birth_date-error" => "1990");
    assert_accessible(&c, "register: birth year disagrees with the ID").await;
    answer!(c, "#birth_date" => "09/05/1990"; "main h1" => "Số điện thoại");
    answer!(c, "#phone" => "0123"; "#phone-error" => "10 chữ số");
    assert_accessible(&c, "register: phone error").await;
    fill(&c, "#phone", &phone).await;
    submit_form(&c).await;

    wait_text(&c, "main h1", "Nhập mã xác thực").await;
    wait_text(&c, "main", &phone[6..]).await;
    assert_accessible(&c, "register: code").await;
    fill(&c, "#code", &code_for(&phone)).await;
    submit_form(&c).await;

    wait_text(&c, "main h1", "Đặt mật khẩu").await;
    answer!(c, "#password" => "matkhau"; "#password-error" => "chữ hoa");
    walk(
        &c,
        &[
            Axe("register: weak password"),
            Fill("#password", "Lan@2026vn"),
            Submit,
            Page("Tài khoản đã sẵn sàng"),
            See("main", "Nguyễn Thị Lan"),
            See("nav", "Đăng xuất"),
            // The header says who is signed in.
            See("nav a[href='/tai-khoan']", "Lan"),
        ],
    )
    .await;
    // The session cookie is HttpOnly: scripts cannot see it.
    let cookies = js(&c, "return document.cookie").await;
    assert!(!cookies.as_str().unwrap().contains("motcua_session"), "{cookies}");
    let cookie = c.get_named_cookie("motcua_session").await.unwrap();
    assert_eq!(cookie.http_only(), Some(true));
    assert_eq!(format!("{:?}", cookie.same_site()), "Some(Strict)");
    assert_accessible(&c, "welcome").await;

    // Sign out, then in by phone, with one wrong password first.
    sign_out(&c).await;
    walk(&c, &[Click("nav a[href='/dang-nhap']"), Page("Đăng nhập")]).await;
    answer!(c, "#identifier" => phone, "#password" => "Sai@2026vn"; "#error-summary" => "không đúng");
    assert_eq!(prop(&c, "#identifier", "value").await.as_deref(), Some(phone.as_str()));
    assert_accessible(&c, "sign in: wrong password").await;
    answer!(c, "#password" => "Lan@2026vn"; "main h1" => "Tài khoản của bạn");
    wait_text(&c, "main", &cccd).await;
    assert_accessible(&c, "account").await;
    // Status texts: on by default, turned off with one tap, still off after a reload.
    assert_eq!(prop(&c, "#status-texts", "checked").await.as_deref(), Some("true"));
    walk(&c, &[Click("#status-texts"), See("main .status", "Đã tắt tin nhắn về hồ sơ")]).await;
    c.refresh().await.unwrap();
    wait_text(&c, "main h1", "Tài khoản của bạn").await;
    wait_text(&c, "main", &cccd).await;
    assert_eq!(prop(&c, "#status-texts", "checked").await.as_deref(), Some("false"));
    assert_accessible(&c, "account: status texts off").await;
    finish(c).await;
}

#[tokio::test]
async fn a_page_that_needs_an_account_signs_in_and_comes_back_then_profile_and_reset() {
    let (cccd, phone) = unique_ids("0912", 2);
    make_account(&cccd, &phone, "Hoàng Văn Nam", "01/02/1990", "Nam#2026ls");
    let c = browser().await;
    walk(
        &c,
        &[Open("/tai-khoan"), Page("Đăng nhập"), See("main .notice", "Hãy đăng nhập để tiếp tục")],
    )
    .await;
    let url = c.current_url().await.unwrap().to_string();
    assert!(url.contains("tiep=%2Ftai-khoan"), "{url}");
    // Empty fields are named in the summary.
    walk(
        &c,
        &[
            Submit,
            See("#error-summary", "Số định danh cá nhân hoặc số điện thoại"),
            Axe("sign in: empty"),
        ],
    )
    .await;
    answer!(c, "#identifier" => cccd, "#password" => "Nam#2026ls"; "main h1" => "Tài khoản của bạn");
    wait_text(&c, "main .details", "Hoàng Văn Nam").await;

    // E-mail: a wrong one is explained beside the field and kept.
    walk(
        &c,
        &[
            Fill("#email", "nam@"),
            Click("main form:first-of-type button[type=submit]"),
            See("#email-error", "ten@vi-du.vn"),
        ],
    )
    .await;
    assert_eq!(prop(&c, "#email", "value").await.as_deref(), Some("nam@"));
    walk(
        &c,
        &[
            Axe("account: e-mail error"),
            Fill("#email", "nam@vi-du.vn"),
            Click("main form:first-of-type button[type=submit]"),
            See(".status", "Đã lưu"),
        ],
    )
    .await;

    // A new phone needs the code sent to it.
    let new_phone = format!("038{}", &phone[3..]);
    fill(&c, "#phone", &new_phone).await;
    click(&c, "section form button[type=submit]").await;
    wait_text(&c, ".status", &new_phone[6..]).await;
    fill(&c, "#code", &code_for(&new_phone)).await;
    walk(
        &c,
        &[
            Click("section form:last-of-type button[type=submit]"),
            See(".status", "Đã đổi số điện thoại"),
        ],
    )
    .await;
    wait_text(&c, "main .details", &new_phone).await;

    // Forgot password: sign out, reset with a code to the (new) phone.
    sign_out(&c).await;
    walk(
        &c,
        &[
            Open("/dang-nhap"),
            Click("main a[href='/quen-mat-khau']"),
            Page("Lấy lại mật khẩu"),
            Axe("reset"),
        ],
    )
    .await;
    answer!(c, "#identifier" => cccd; "main h1" => "Nhập mã xác thực");
    answer!(c, "#code" => "000000"; "#code-error" => "còn 4 lần");
    assert_accessible(&c, "reset: wrong code").await;
    answer!(c, "#code" => code_for(&new_phone); "main h1" => "Đặt mật khẩu mới");
    assert_accessible(&c, "reset: new password").await;
    answer!(c, "#password" => "Moi#2026nam"; "main h1" => "Tài khoản của bạn");
    wait_text(&c, "nav", "Đăng xuất").await;
    finish(c).await;
}

#[tokio::test]
async fn ten_fast_wrong_sign_ins_are_limited_with_a_countdown() {
    let (cccd, phone) = unique_ids("0912", 3);
    make_account(&cccd, &phone, "Hoàng Văn Nam", "01/02/1990", "Nam#2026ls");
    let c = browser().await;
    walk(&c, &[Open("/dang-nhap"), Page("Đăng nhập")]).await;
    fill(&c, "#identifier", &phone).await;
    let mut limited = false;
    for _ in 0..10 {
        walk(&c, &[Fill("#password", "Sai#2026ls"), Submit]).await;
        // The button is marked busy until the answer is in (and stays so
        // while a wait is counted down).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let summary = js(
                &c,
                "const s = document.getElementById('error-summary'); return s ? s.textContent : ''",
            )
            .await;
            if summary.as_str().unwrap_or("").contains("thử lại sau") {
                limited = true;
                break;
            }
            let busy = js(
                &c,
                "return document.querySelector('main form button[type=submit]').getAttribute('aria-disabled')",
            )
            .await;
            if busy.is_null() && !summary.as_str().unwrap_or("").is_empty() {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "no answer to a sign-in");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        if limited {
            break;
        }
    }
    assert!(limited, "ten fast wrong sign-ins must be limited");
    let seconds = |t: String| -> u64 {
        t.split_whitespace().find_map(|w| w.parse().ok()).expect("a number of seconds")
    };
    let first = seconds(text_of(&c, Locator::Css("#error-summary li")).await);
    tokio::time::sleep(std::time::Duration::from_millis(2200)).await;
    let later = seconds(text_of(&c, Locator::Css("#error-summary li")).await);
    assert!(later < first && first - later <= 3, "{first} then {later}");
    assert_accessible(&c, "sign in: rate limited").await;
    finish(c).await;
}

#[tokio::test]
async fn registration_by_keyboard_alone() {
    const TAB: &str = "\u{E004}";
    const ENTER: &str = "\u{E007}";
    let (cccd, phone) = unique_ids("0912", 4);
    let c = browser().await;
    walk(&c, &[Open("/dang-ky"), Page("Số định danh cá nhân")]).await;
    let key = |k: &'static str| {
        let c = c.clone();
        async move { c.active_element().await.unwrap().send_keys(k).await.unwrap() }
    };
    let typed = |t: String| {
        let c = c.clone();
        async move { c.active_element().await.unwrap().send_keys(&t).await.unwrap() }
    };
    // Skip link, then into the form.
    key(TAB).await;
    key(ENTER).await;
    key(TAB).await;
    assert_eq!(js(&c, "return document.activeElement.id").await, "citizen_id");
    let answers = [
        ("citizen_id", cccd.clone(), "Họ và tên"),
        ("full_name", "Trần Thị Hoa".to_string(), "Ngày sinh"),
        ("birth_date", "09/05/1990".to_string(), "Số điện thoại"),
    ];
    for (id, value, next) in answers {
        assert_eq!(js(&c, "return document.activeElement.id").await, id);
        typed(value).await;
        key(ENTER).await;
        wait_text(&c, "main h1", next).await;
        // Focus is on the new page's heading; the field is the next stop
        // (after the Back link, which comes before the heading).
        assert_eq!(js(&c, "return document.activeElement.tagName").await, "H1");
        key(TAB).await;
    }
    assert_eq!(js(&c, "return document.activeElement.id").await, "phone");
    typed(phone.clone()).await;
    key(ENTER).await;
    wait_text(&c, "main h1", "Nhập mã xác thực").await;
    key(TAB).await;
    assert_eq!(js(&c, "return document.activeElement.id").await, "code");
    typed(code_for(&phone)).await;
    key(ENTER).await;
    wait_text(&c, "main h1", "Đặt mật khẩu").await;
    key(TAB).await;
    assert_eq!(js(&c, "return document.activeElement.id").await, "password");
    typed("Hoa@2026ls".to_string()).await;
    key(ENTER).await;
    wait_text(&c, "main h1", "Tài khoản đã sẵn sàng").await;
    finish(c).await;
}

#[tokio::test]
async fn an_expired_session_is_explained_and_leads_back() {
    let (cccd, phone) = unique_ids("0912", 5);
    make_account(&cccd, &phone, "Hoàng Văn Nam", "01/02/1990", "Nam#2026ls");
    let c = browser().await;
    open(&c, "/dang-nhap?tiep=%2Ftai-khoan").await;
    answer!(c, "#identifier" => phone, "#password" => "Nam#2026ls"; "main h1" => "Tài khoản của bạn");
    // The session ends behind the page's back (here: the cookie goes).
    c.delete_cookie("motcua_session").await.unwrap();
    walk(
        &c,
        &[
            Fill("#email", "nam@vi-du.vn"),
            Click("main form:first-of-type button[type=submit]"),
            Page("Đăng nhập"),
            See("main .notice", "Phiên đăng nhập đã hết hạn"),
            See("nav", "Đăng nhập"),
            Axe("sign in: session expired"),
        ],
    )
    .await;
    answer!(c, "#identifier" => cccd, "#password" => "Nam#2026ls"; "main h1" => "Tài khoản của bạn");
    finish(c).await;
}

/// The resend button on the code page: disabled with a countdown at first,
/// enabled once the portal's real wait (60 s) is over, and pressing it sends
/// a new code that works (the old one no longer does). A phone-sized window.
#[tokio::test]
async fn the_code_page_resends_a_code_after_the_countdown() {
    let (cccd, phone) = unique_ids("0915", 7);
    let c = browser_with(&["--window-size=360,740"]).await;
    open(&c, "/dang-ky").await;
    register_to_code(&c, &cccd, "Lò Văn Dũng", "03/04/1990", &phone).await;
    let first = code_for(&phone);

    // At first: a disabled button named exactly "Gửi lại mã" and a countdown.
    let resend = "p.resend button";
    wait_text(&c, "p.resend", "Có thể gửi lại mã sau").await;
    assert_eq!(
        js(&c, &format!("return document.querySelector('{resend}').disabled")).await.as_bool(),
        Some(true)
    );
    assert_eq!(
        js(&c, &format!("return document.querySelector('{resend}').textContent.trim()"))
            .await
            .as_str(),
        Some("Gửi lại mã")
    );

    // Wait the countdown out as a citizen would (the portal's 60 s).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(75);
    loop {
        let enabled =
            js(&c, &format!("return !document.querySelector('{resend}').disabled")).await.as_bool()
                == Some(true);
        if enabled {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the resend button is still disabled after 75 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert!(
        !js(&c, "return document.querySelector('p.resend .countdown').textContent")
            .await
            .as_str()
            .unwrap_or("")
            .contains("giây"),
        "the countdown is gone once the wait is over"
    );
    assert_accessible(&c, "register: code, resend enabled").await;
    click(&c, resend).await;
    walk(&c, &[See("p.resend", "Đã gửi mã mới."), See("p.resend", "Có thể gửi lại mã sau")]).await;
    let second = code_for(&phone);
    assert_ne!(first, second, "a new code was sent");
    // The new countdown disables the button again.
    assert_eq!(
        js(&c, &format!("return document.querySelector('{resend}').disabled")).await.as_bool(),
        Some(true)
    );
    // The old code is refused, the new one goes on.
    answer!(c, "#code" => first; "#code-error" => "Mã không đúng");
    answer!(c, "#code" => second; "main h1" => "Đặt mật khẩu");
    finish(c).await;
}

/// A citizen sent to sign in on the way to a procedure's wizard, who has
/// no account yet, registers and lands back in that wizard (not on a
/// generic welcome page).
#[tokio::test]
async fn registering_from_a_sign_in_returns_to_where_the_citizen_was_going() {
    let (cccd, phone) = unique_ids("0915", 8);
    let c = browser_with(&["--window-size=360,740"]).await;
    walk(&c, &[Open("/nop-ho-so/1.001193"), Page("Đăng nhập")]).await;
    let link = c
        .find(Locator::LinkText("Tạo tài khoản"))
        .await
        .expect("the sign-in page offers to create an account");
    let href = link.attr("href").await.unwrap().unwrap_or_default();
    assert!(href.contains("tiep=%2Fnop-ho-so%2F1.001193"), "{href}");
    link.click().await.unwrap();
    register_to_code(&c, &cccd, "Vi Thị Hoa", "05/06/1990", &phone).await;
    answer!(c, "#code" => code_for(&phone); "main h1" => "Đặt mật khẩu");
    answer!(c, "#password" => "Hoa@2026vn"; "main h1" => "Ai nộp hồ sơ");
    wait_url(&c, "/nop-ho-so/1.001193").await;
    finish(c).await;
}

/// Signed in on a 360 px phone, the header keeps to two short rows of
/// links (at most 140 px) and offers "Hồ sơ của tôi".
#[tokio::test]
async fn the_signed_in_header_is_short_on_a_phone_and_leads_to_my_dossiers() {
    let (cccd, phone) = unique_ids("0915", 9);
    make_account(&cccd, &phone, "Nông Văn Tùng", "02/02/1990", "Tung#2026ls");
    let c = browser_with(&["--window-size=360,740"]).await;
    sign_in(&c, &phone, "Tung#2026ls", "/tai-khoan").await;
    wait_text(&c, "nav", "Đăng xuất").await;
    let height =
        js(&c, "return document.querySelector('.site-header').getBoundingClientRect().height")
            .await
            .as_f64()
            .unwrap();
    assert!(height <= 140.0, "the header is {height} px tall");
    walk(&c, &[Click("nav a[href='/ho-so-cua-toi']"), Page("Hồ sơ của tôi")]).await;
    assert_eq!(
        prop(&c, "nav a[href='/ho-so-cua-toi']", "ariaCurrent").await.as_deref(),
        Some("page")
    );
    assert_accessible(&c, "my dossiers, phone header").await;
    finish(c).await;
}

/// A kiosk signs in without a password typed on its public screen: it shows
/// a QR code; the citizen's phone (360×740) reads it — decoded here from a
/// screenshot of the kiosk — signs in on the phone, sees the same check
/// number and confirms; the kiosk (1080×1920) follows into the wizard it
/// was going to. The code works once, and only for that kiosk.
#[tokio::test]
async fn a_kiosk_signs_in_from_the_citizens_phone_by_qr_code() {
    let (cccd, phone) = unique_ids("0915", 10);
    make_account(&cccd, &phone, "Đinh Thị Hoa", "03/03/1990", "Kiosk#2026ls");
    let kiosk = browser_with(&["--window-size=1080,1920"]).await;
    walk(
        &kiosk,
        &[
            Open("/kiosk"),
            // Filing needs an account: the kiosk's sign-in offers the phone first.
            Open("/nop-ho-so/1.001193"),
            Url("/dang-nhap?tiep="),
            See("#pairing-status", "Đang chờ điện thoại quét mã"),
        ],
    )
    .await;
    // VNeID is offered here too, and leads back into the wizard.
    let vneid = prop(&kiosk, "#vneid", "href").await.unwrap_or_default();
    assert!(vneid.contains("/api/v1/vneid/start?tiep=%2Fnop-ho-so%2F1.001193"), "{vneid}");
    // A shared screen offers nobody's saved details to the next person.
    for field in ["#identifier", "#password"] {
        let auto =
            js(&kiosk, &format!("return document.querySelector('{field}').autocomplete")).await;
        assert_eq!(auto, "off", "{field}");
    }
    assert_accessible(&kiosk, "kiosk sign-in with its QR code").await;
    let shot = shot(&kiosk, Locator::Css("svg.pairing-qr")).await;
    let link = qr_texts(&shot).pop().expect("the kiosk's QR code reads");
    let prefix = format!("{}/ket-noi-kiosk/", base());
    assert!(link.starts_with(&prefix), "{link}");
    let check = text_of(&kiosk, Locator::Id("pairing-check")).await;

    // The phone: not signed in yet, so sign in first, then back to confirm.
    let mobile = browser_with(&["--window-size=360,740"]).await;
    open(&mobile, &link[base().len()..]).await;
    wait_url(&mobile, "/dang-nhap?tiep=").await;
    answer!(mobile, "#identifier" => phone, "#password" => "Kiosk#2026ls"; "main h1" => "Đăng nhập máy kiosk");
    wait_text(&mobile, "#pairing-check", &check).await;
    walk(&mobile, &[See("main", "Đinh Thị Hoa"), Axe("phone: confirm the kiosk")]).await;
    // The kiosk sees the phone has opened the code.
    wait_text(&kiosk, "#pairing-status", "Hãy xác nhận trên điện thoại").await;
    walk(&mobile, &[Click("#pairing-confirm"), See("#pairing-done", "Máy kiosk đã đăng nhập")])
        .await;

    // The kiosk follows, into the wizard it was going to, signed in as Hoa.
    walk(&kiosk, &[Url("/nop-ho-so/1.001193"), Page("Ai nộp hồ sơ, nộp ở đâu")]).await;
    let who =
        js(&kiosk, "return fetch('/api/v1/me').then(r => r.json()).then(m => m.full_name)").await;
    assert_eq!(who, "Đinh Thị Hoa");
    assert_accessible(&kiosk, "kiosk signed in by phone").await;

    // Used once: opening the link again says so.
    open(&mobile, &link[base().len()..]).await;
    wait_text(&mobile, ".notice-error", "đã hết hạn hoặc đã được dùng").await;
    finish(mobile).await;
    finish(kiosk).await;
}

/// A kiosk's end of session is fail-closed: while the portal's sign-out
/// fails, the screen stays blocked with a plain message (the session is not
/// left for the next person to find); once the portal answers, the session
/// is ended and the kiosk starts afresh.
#[tokio::test]
async fn a_kiosk_is_not_declared_clean_until_the_portal_signed_it_out() {
    let c = kiosk_signed_in(("0915", 11), "Vi Thị Hằng", "Kiosk#2026ls").await;
    block_urls(&c, &["*/api/v1/session*"]).await;
    walk(
        &c,
        &[
            Click("#kiosk-end"),
            See(".signing-out", "Chưa đăng xuất được"),
            Axe("kiosk: sign-out not confirmed yet"),
        ],
    )
    .await;
    let status = js(&c, "return fetch('/api/v1/me').then(r => r.status)").await;
    assert_eq!(status, 200, "the portal still has the session: the screen must stay blocked");
    assert!(c.find(Locator::Css(".signing-out")).await.is_ok());
    // The portal answers again: signed out there, then the kiosk starts afresh.
    block_urls(&c, &[]).await;
    walk(&c, &[Url("/kiosk"), See(".tiles", "Tìm thủ tục")]).await;
    let me = js(&c, "return fetch('/api/v1/session').then(r => r.json()).then(s => s.me)").await;
    assert_eq!(me, serde_json::Value::Null);
    finish(c).await;
}

/// A proxy's 429 (or any answer but the portal's 204 or 401) is no
/// confirmation: the kiosk stays blocked and retries, and nothing under
/// the notice can be reached with the keyboard meanwhile.
#[tokio::test]
async fn a_kiosk_sign_out_refused_by_a_proxy_stays_blocked_and_inert() {
    let c = kiosk_signed_in(("0916", 12), "Lương Thị Mai", "Kiosk#2026lm").await;
    // A proxy in front answers the sign-out with 429 (the portal never sees it).
    js(
        &c,
        "window.__realFetch = window.fetch; window.__refused = 0;
         window.fetch = function (req, opts) {
           const url = typeof req === 'string' ? req : req.url;
           const method = (opts && opts.method) || (typeof req === 'string' ? 'GET' : req.method);
           if (method === 'DELETE' && url.endsWith('/api/v1/session')) {
             window.__refused += 1;
             return Promise.resolve(new Response('Too Many Requests', { status: 429 }));
           }
           return window.__realFetch.apply(this, arguments);
         }; return true;",
    )
    .await;
    walk(&c, &[Click("#kiosk-end"), See(".signing-out", "Chưa đăng xuất được")]).await;
    // It is tried again, and stays blocked.
    for _ in 0..80 {
        if js(&c, "return window.__refused").await.as_u64().unwrap_or(0) >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(js(&c, "return window.__refused").await.as_u64().unwrap() >= 2, "retried");
    assert!(c.find(Locator::Css(".signing-out")).await.is_ok(), "still blocked");
    // The page beneath is inert: Tab never reaches its links or buttons.
    let inert = js(
        &c,
        "return ['header.site-header', 'main', 'footer.site-footer']
           .map(s => document.querySelector(s)).filter(e => e).every(e => e.inert)",
    )
    .await;
    assert_eq!(inert, true);
    for _ in 0..6 {
        let el = c.active_element().await.unwrap();
        el.send_keys("\u{E004}").await.unwrap();
    }
    let escaped = js(
        &c,
        "const a = document.activeElement;
         return !!(a && a.closest('header, main, footer'))",
    )
    .await;
    assert_eq!(escaped, false, "focus stayed off the page beneath");
    assert_accessible(&c, "kiosk: sign-out refused by a proxy").await;
    // The portal's own answer comes through again: clean, and a fresh kiosk.
    js(&c, "window.fetch = window.__realFetch; return true;").await;
    walk(&c, &[Url("/kiosk"), See(".tiles", "Tìm thủ tục")]).await;
    finish(c).await;
}

/// Sent to sign in on the way to the wizard and back again: nothing goes
/// wrong on the way (no panic, no error in the console).
#[tokio::test]
async fn the_sign_in_detour_leaves_nothing_in_the_console() {
    let (cccd, phone) = unique_ids("0912", 40);
    make_account(&cccd, &phone, "Lộc Văn Tài", "07/07/1990", "Tai#2026ls");
    let c = browser().await;
    walk(&c, &[Open("/thu-tuc/1.001193"), Page("Đăng ký khai sinh")]).await;
    js(
        &c,
        "window.__said = [];
         for (const k of ['error', 'warn']) {
           const real = console[k];
           console[k] = (...a) => { window.__said.push(k + ': ' + a.map(String).join(' ')); real.apply(console, a); };
         }
         window.addEventListener('error', e => window.__said.push('uncaught: ' + e.message + ' ' + (e.error && e.error.stack)));",
    )
    .await;
    walk(&c, &[Click("main .cta a"), Url("/dang-nhap"), Page("Đăng nhập")]).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let said = js(&c, "return window.__said").await;
    assert_eq!(said, serde_json::json!([]), "the console on the way to sign in");
    fill(&c, "#identifier", &phone).await;
    walk(&c, &[Fill("#password", "Tai#2026ls"), Submit, Page("Ai nộp hồ sơ")]).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let said = js(&c, "return window.__said").await;
    assert_eq!(said, serde_json::json!([]), "the console on the way");
    finish(c).await;
}

/// A new account (`unique_ids` of `ids`) signed in on a kiosk (1080×1920),
/// on its account page.
async fn kiosk_signed_in(ids: (&str, u32), name: &str, password: &str) -> Client {
    let (cccd, phone) = unique_ids(ids.0, ids.1);
    make_account(&cccd, &phone, name, "04/04/1990", password);
    let c = browser_with(&["--window-size=1080,1920"]).await;
    walk(&c, &[Open("/kiosk")]).await;
    sign_in(&c, &phone, password, "/tai-khoan").await;
    wait_text(&c, "main h1", "Tài khoản của bạn").await;
    c
}
