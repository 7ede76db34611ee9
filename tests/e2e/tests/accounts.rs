//! Accounts in real headless Chromium against the real portal (`--dev`:
//! codes are read from the dev outbox). The pages come from the services
//! bundle, loaded on demand.

mod support;

use fantoccini::{Client, Locator};
use support::*;

/// The newest code the dev outbox holds for `phone`.
fn code_for(phone: &str) -> String {
    let (status, _, body) = http("GET", "/api/v1/dev/outbox", &[]);
    assert_eq!(status, 200);
    let list: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
    let text = list
        .iter()
        .rev()
        .find(|m| m["phone"] == phone)
        .unwrap_or_else(|| panic!("no message to {phone}"))["text"]
        .as_str()
        .unwrap()
        .to_string();
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .to_string()
}

async fn fill(c: &Client, css: &str, text: &str) {
    let el = c.find(Locator::Css(css)).await.unwrap();
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

async fn submit(c: &Client) {
    c.find(Locator::Css("main form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// A citizen ID and phone no other test uses (tests share one portal).
fn unique(seed: u32) -> (String, String) {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros() as u64;
    let tail = (n + seed as u64) % 1_000_000;
    (format!("020090{tail:06}"), format!("0912{tail:06}"))
}

#[tokio::test]
async fn register_with_a_code_from_the_outbox_then_sign_out_and_in() {
    let (cccd, phone) = unique(1);
    let c = browser().await;
    open(&c, "/dang-ky").await;
    wait_text(&c, "main h1", "Số căn cước công dân").await;

    // Wrong first: the message is beside the field and in a focused summary.
    fill(&c, "#citizen_id", "02009012345").await;
    submit(&c).await;
    wait_text(
        &c,
        "#error-summary",
        "Số CCCD gồm 12 chữ số; bạn đã nhập 11",
    )
    .await;
    wait_text(&c, "#citizen_id-error", "bạn đã nhập 11").await;
    let focused = js(&c, "return document.activeElement.id").await;
    assert_eq!(focused, "error-summary");
    assert_eq!(
        prop(&c, "#citizen_id", "value").await.as_deref(),
        Some("02009012345")
    );
    assert_accessible(&c, "register: citizen ID error").await;

    fill(&c, "#citizen_id", &cccd).await;
    submit(&c).await;
    wait_text(&c, "main h1", "Họ và tên").await;
    fill(&c, "#full_name", "Nguyễn Thị Lan").await;
    submit(&c).await;
    wait_text(&c, "main h1", "Ngày sinh").await;
    // Reload and Back keep what was typed.
    c.refresh().await.unwrap();
    wait_text(&c, "main h1", "Ngày sinh").await;
    c.back().await.unwrap();
    wait_text(&c, "main h1", "Họ và tên").await;
    assert_eq!(
        prop(&c, "#full_name", "value").await.as_deref(),
        Some("Nguyễn Thị Lan")
    );
    submit(&c).await;
    wait_text(&c, "main h1", "Ngày sinh").await;
    fill(&c, "#birth_date", "09/05/1991").await;
    submit(&c).await;
    wait_text(&c, "#birth_date-error", "1990").await;
    fill(&c, "#birth_date", "09/05/1990").await;
    submit(&c).await;
    wait_text(&c, "main h1", "Số điện thoại").await;
    fill(&c, "#phone", &phone).await;
    submit(&c).await;

    wait_text(&c, "main h1", "Nhập mã xác thực").await;
    wait_text(&c, "main", &phone[6..]).await;
    assert_accessible(&c, "register: code").await;
    fill(&c, "#code", &code_for(&phone)).await;
    submit(&c).await;

    wait_text(&c, "main h1", "Đặt mật khẩu").await;
    fill(&c, "#password", "matkhau").await;
    submit(&c).await;
    wait_text(&c, "#password-error", "chữ hoa").await;
    assert_accessible(&c, "register: weak password").await;
    fill(&c, "#password", "Lan@2026vn").await;
    submit(&c).await;

    wait_text(&c, "main h1", "Tài khoản đã sẵn sàng").await;
    wait_text(&c, "main", "Nguyễn Thị Lan").await;
    wait_text(&c, "nav", "Đăng xuất").await;
    // The session cookie is HttpOnly: scripts cannot see it.
    let cookies = js(&c, "return document.cookie").await;
    assert!(
        !cookies.as_str().unwrap().contains("motcua_session"),
        "{cookies}"
    );
    let cookie = c.get_named_cookie("motcua_session").await.unwrap();
    assert_eq!(cookie.http_only(), Some(true));
    assert_eq!(format!("{:?}", cookie.same_site()), "Some(Strict)");
    assert_accessible(&c, "welcome").await;

    // Sign out, then in by phone, with one wrong password first.
    c.find(Locator::Css("nav .nav-button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&c, "nav", "Đăng nhập").await;
    c.find(Locator::Css("nav a[href='/dang-nhap']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&c, "main h1", "Đăng nhập").await;
    fill(&c, "#identifier", &phone).await;
    fill(&c, "#password", "Sai@2026vn").await;
    submit(&c).await;
    wait_text(&c, "#error-summary", "không đúng").await;
    assert_eq!(
        prop(&c, "#identifier", "value").await.as_deref(),
        Some(phone.as_str())
    );
    assert_accessible(&c, "sign in: wrong password").await;
    fill(&c, "#password", "Lan@2026vn").await;
    submit(&c).await;
    wait_text(&c, "main h1", "Tài khoản của bạn").await;
    wait_text(&c, "main", &cccd).await;
    assert_accessible(&c, "account").await;
    finish(c).await;
}
