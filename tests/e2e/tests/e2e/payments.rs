//! Paying the fee online at status 6, in real Chromium, through the payment
//! platform's stand-in (its own page, its signed callback).

use crate::support::Step::*;
use crate::support::*;
use fantoccini::{Client, Locator};
use serde_json::Value;

/// A citizen with a birth registration waiting for 50.000 đồng: (ID number,
/// phone, the dossier's code, its token).
fn at_six(seed: u32, name: &str) -> (String, String, String, String) {
    let (cccd, phone) = unique_ids("0916", 60 + seed);
    make_account(&cccd, &phone, name, "06/06/1990", "Pay#2026ls");
    let cookie = sign_in_api(&phone, "Pay#2026ls");
    let bytes = std::fs::read(jpeg(&format!("pay-{seed}.jpg"))).unwrap();
    let ids: Vec<String> = (0..2)
        .map(|_| {
            let (status, v) = upload_api(&cookie, "a.jpg", &bytes);
            v["id"].as_str().unwrap_or_else(|| panic!("upload: {status} {v}")).to_string()
        })
        .collect();
    let body = birth_registration((&cccd, name, "06/06/1990", &phone), "Thôn Bản Chắt", &ids);
    let (status, v) =
        submit_api(&cookie, &body, &format!("payment-e2e-key-{seed}-{}", std::process::id()));
    assert_eq!(status, 201, "{v}");
    let code = v["code"].as_str().unwrap().to_string();
    let token = v["token"].as_str().unwrap().to_string();
    officer_api(&code, 2, "");
    officer_api(&code, 4, "");
    officer_cli(&code, 6, "Lệ phí đăng ký", Some(50_000));
    (cccd, phone, code, token)
}

/// The QR link's page is first painted by the portal; the live page (with
/// its ID number field) comes on the first touch, as it does for a person.
async fn live_pay_form(c: &Client) {
    wait_text(c, "#pay-online", "Thanh toán trực tuyến").await;
    js(c, "document.getElementById('pay-start').focus()").await;
    c.wait()
        .at_most(std::time::Duration::from_secs(10))
        .for_element(Locator::Id("pay-id"))
        .await
        .expect("the live page's ID number field");
}

/// On the stand-in's page: the first submit button pays.
async fn pay_on_the_platform(c: &Client) {
    c.wait()
        .at_most(std::time::Duration::from_secs(15))
        .for_element(Locator::Css("form button[type=submit]"))
        .await
        .unwrap();
    wait_text(c, "h1", "Nền tảng thanh toán").await;
    wait_text(c, "#amount", "50.000 đồng").await;
    click(c, "form button[type=submit]").await;
}

async fn paid_within_ten_seconds(c: &Client) {
    let shown = c
        .wait()
        .at_most(std::time::Duration::from_secs(10))
        .for_element(Locator::Id("payment-paid"))
        .await;
    if shown.is_err() {
        keep_shot(c, "pay-not-shown").await;
        let url = c.current_url().await.map(|u| u.to_string()).unwrap_or_default();
        let page = js(c, "return document.body.innerText").await;
        panic!("the payment not shown as done within 10 s at {url}: {page}");
    }
    wait_text(c, "#payment-paid", "Đã nộp phí, lệ phí").await;
    wait_text(c, "#payment-paid", "50.000 đ").await;
    wait_text(c, "#status", "Đang xử lý").await;
    wait_text(c, "#timeline", "Đã nộp phí, lệ phí trực tuyến").await;
}

#[tokio::test]
async fn the_owner_pays_online_and_the_dossier_moves_on() {
    let (_, phone, code, _) = at_six(1, "Hà Thị Thu");
    let c = browser_with(&["--window-size=360,740"]).await;
    sign_in(&c, &phone, "Pay#2026ls", &format!("/tra-cuu/{code}")).await;
    walk(
        &c,
        &[
            See("#pay-online", "Thanh toán trực tuyến"),
            See("#pay-amount", "50.000 đ"),
            Axe("status: pay online"),
            Shot("pay-owner"),
            Click("#pay-online button[type=submit]"),
        ],
    )
    .await;
    pay_on_the_platform(&c).await;
    wait_url(&c, &format!("/tra-cuu/{code}")).await;
    paid_within_ten_seconds(&c).await;
    walk(
        &c,
        &[
            See("#payment-paid", "GD"),
            // The e-receipt: its number, her name (she is signed in), the amount in words.
            See("#ereceipt", "Biên lai điện tử"),
            See("#ereceipt", "Hà Thị Thu"),
            See("#ereceipt", "Năm mươi nghìn đồng"),
        ],
    )
    .await;
    let no = js(&c, "return document.getElementById('ereceipt-no').textContent").await;
    let no = no.as_str().unwrap_or_default();
    assert!(no.len() == 7 && no.bytes().all(|b| b.is_ascii_digit()), "{no}");
    walk(&c, &[Axe("status: paid"), Shot("pay-paid")]).await;
    js(&c, "document.getElementById('ereceipt').scrollIntoView()").await;
    keep_shot(&c, "pay-ereceipt").await;
    finish(c).await;
}

#[tokio::test]
async fn someone_holding_the_qr_link_pays_after_the_id_number_check() {
    let (cccd, _, code, token) = at_six(2, "Lưu Văn Tài");
    let c = browser_with(&["--window-size=360,740"]).await;
    open(&c, &format!("/tra-cuu/{code}?t={token}")).await;
    live_pay_form(&c).await;
    // Without the ID number, or with another's: not paid, said why.
    walk(
        &c,
        &[
            Click("#pay-online button[type=submit]"),
            See("#error-summary", "Số định danh cá nhân"),
            Fill("#pay-id", "020090999999"),
            Click("#pay-online button[type=submit]"),
            See("#error-summary", ""),
        ],
    )
    .await;
    assert!(c.current_url().await.unwrap().as_str().contains("/tra-cuu/"));
    assert_accessible(&c, "status: pay, wrong ID number").await;
    fill(&c, "#pay-id", &cccd).await;
    click(&c, "#pay-online button[type=submit]").await;
    pay_on_the_platform(&c).await;
    paid_within_ten_seconds(&c).await;
    finish(c).await;
}

/// A kiosk never opens the payment page in its own browser: it shows a QR
/// code the citizen's phone opens; the kiosk sees it paid; after the end
/// of the session nothing of it remains.
#[tokio::test]
async fn on_a_kiosk_the_payment_opens_on_the_phone() {
    let (cccd, _, code, token) = at_six(3, "Mã Thị Lan");
    // The shared portal's kiosk: the page says kiosk by its path.
    let kiosk = browser_with(&["--window-size=1080,1920"]).await;
    walk(&kiosk, &[Open("/kiosk"), See(".tiles", "Tìm thủ tục")]).await;
    open(&kiosk, &format!("/tra-cuu/{code}?t={token}")).await;
    live_pay_form(&kiosk).await;
    fill(&kiosk, "#pay-id", &cccd).await;
    walk(
        &kiosk,
        &[
            Click("#pay-online button[type=submit]"),
            See("#pay-qr-h", "Quét mã này bằng điện thoại"),
        ],
    )
    .await;
    let here = kiosk.current_url().await.unwrap().to_string();
    assert!(here.contains("/tra-cuu/"), "the kiosk stays on the portal: {here}");
    walk(&kiosk, &[Axe("kiosk: pay on your phone"), Shot("pay-kiosk-qr")]).await;
    // The phone opens what the QR code says (the stand-in's page for it).
    let phone = browser_with(&["--window-size=360,740"]).await;
    phone.goto(&format!("{}/state", env("E2E_PAYMENT_URL"))).await.unwrap();
    let state = js(&phone, "return document.body.innerText").await;
    let state: Value = serde_json::from_str(state.as_str().unwrap()).unwrap();
    let id = state["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["reference"].as_str().unwrap_or("").starts_with(&code))
        .map(|t| t["id"].as_str().unwrap().to_string())
        .expect("the platform has the payment");
    phone.goto(&format!("{}/pay/{id}", env("E2E_PAYMENT_URL"))).await.unwrap();
    pay_on_the_platform(&phone).await;
    // The platform sends the phone back to the portal once it took the payment.
    wait_url(&phone, "/tra-cuu/").await;
    finish(phone).await;
    paid_within_ten_seconds(&kiosk).await;
    walk(&kiosk, &[Click("#kiosk-end"), See("#kiosk-ended", "đã được xóa")]).await;
    let left = js(
        &kiosk,
        "return JSON.stringify(Object.keys(localStorage).concat(Object.keys(sessionStorage)))",
    )
    .await;
    assert!(!left.to_string().contains(&code), "{left}");
    let page = js(&kiosk, "return document.body.innerText").await;
    assert!(!page.to_string().contains(&code), "{page}");
    finish(kiosk).await;
}

/// The volunteer who filed for a resident pays for them, signed in (no ID
/// number asked of them).
#[tokio::test]
async fn the_volunteer_who_filed_pays_for_the_resident() {
    let (vol_id, vol_phone) = unique_ids("0916", 70);
    make_account(&vol_id, &vol_phone, "Nông Văn Hỗ", "07/07/1990", "Hotro#2026ls");
    grant_volunteer(&vol_id);
    let cookie = sign_in_api(&vol_phone, "Hotro#2026ls");
    let bytes = std::fs::read(jpeg("pay-vol.jpg")).unwrap();
    let ids: Vec<String> = (0..2)
        .map(|_| upload_api(&cookie, "a.jpg", &bytes).1["id"].as_str().unwrap().to_string())
        .collect();
    let (res_id, res_phone) = unique_ids("0916", 71);
    let mut body = birth_registration(
        (&res_id, "Hoàng Thị Bé", "06/06/1990", &res_phone),
        "Thôn Khuổi Khỉn",
        &ids,
    );
    body["on_behalf"] = serde_json::json!(true);
    body["relationship"] = serde_json::json!("Con");
    body["consent"] = serde_json::json!(true);
    let (status, v) =
        submit_api(&cookie, &body, &format!("payment-e2e-volunteer-{}", std::process::id()));
    assert_eq!(status, 201, "{v}");
    let code = v["code"].as_str().unwrap().to_string();
    officer_api(&code, 2, "");
    officer_api(&code, 4, "");
    officer_cli(&code, 6, "Lệ phí đăng ký", Some(50_000));
    let c = browser_with(&["--window-size=360,740"]).await;
    sign_in(&c, &vol_phone, "Hotro#2026ls", &format!("/tra-cuu/{code}")).await;
    walk(&c, &[See("#pay-online", "Thanh toán trực tuyến"), Click("#pay-start")]).await;
    pay_on_the_platform(&c).await;
    paid_within_ten_seconds(&c).await;
    finish(c).await;
}

/// A fresh browser that found the dossier by its code and the applicant's
/// ID number pays at once: the check it just passed is not asked again.
#[tokio::test]
async fn a_lookup_by_code_and_id_number_pays_without_asking_again() {
    let (cccd, _, code, _) = at_six(4, "Bế Thị Hoa");
    let c = browser_with(&["--window-size=360,740"]).await;
    open(&c, "/tra-cuu").await;
    answer!(c, "#code" => code, "#citizen_id" => cccd; "#pay-online" => "Thanh toán trực tuyến");
    assert!(c.find(Locator::Id("pay-id")).await.is_err(), "the ID number is not asked twice");
    click(&c, "#pay-start").await;
    pay_on_the_platform(&c).await;
    paid_within_ten_seconds(&c).await;
    finish(c).await;
}
