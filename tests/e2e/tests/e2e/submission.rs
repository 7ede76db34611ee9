//! Filing a dossier online in real headless Chromium against the real portal.

use crate::support::Step::*;
use crate::support::*;
use fantoccini::{Client, Locator};

/// A new account (its own ID and phone) made through the API.
fn account(seed: u32) -> (String, String) {
    let (cccd, phone) = unique_ids("0913", 50 + seed);
    make_account(&cccd, &phone, "Lò Thị Mai", "03/03/1990", "Mai#2026ls");
    (cccd, phone)
}

/// A new account (its seed) signed in on a fresh browser, on its way to
/// `next`: its ID number, its phone and the browser.
async fn signed_in(seed: u32, next: &str) -> (String, String, Client) {
    let (cccd, phone) = account(seed);
    let c = browser().await;
    sign_in(&c, &phone, "Mai#2026ls", next).await;
    (cccd, phone, c)
}

#[tokio::test]
async fn a_citizen_files_a_birth_registration_and_gets_a_receipt() {
    let (cccd, _, c) = signed_in(1, "/tai-khoan").await;
    wait_text(&c, "main h1", "Tài khoản của bạn").await;

    walk(
        &c,
        &[
            Open("/thu-tuc/1.001193"),
            Click("main .cta a"),
            Page("Ai nộp hồ sơ"),
            // Continue without choosing a desk: told beside the field.
            Submit,
            See("#error-summary", "nơi tiếp nhận"),
            Axe("wizard: who, error"),
            Click("#unit option[value='000.05.37.H37']"),
            Submit,
        ],
    )
    .await;

    wait_text(&c, "main h1", "Thông tin người yêu cầu").await;
    // Prefilled from the profile.
    assert_eq!(prop(&c, "#applicant\\.citizen_id", "value").await.as_deref(), Some(cccd.as_str()));
    walk(
        &c,
        &[
            Fill("#applicant\\.address", "Thôn Pò Mỏ <img src=x onerror=alert(1)>, xã Đồng Đăng"),
            Submit,
        ],
    )
    .await;

    // The electronic form (tờ khai điện tử), one part a page, the same
    // rules as the portal's, each said beside its field.
    // Who files first, as on the national form: the mother, so her part
    // will be filled from her own details.
    walk(
        &c,
        &[
            Page("Người đi đăng ký"),
            See("main .form-part", "phần 1/5"),
            See("main .step-of", "Bước 3/7"),
            Click("#form\\.declarant\\.relationship"),
            Axe("e-form: who registers"),
            Submit,
            Page("Người được khai sinh"),
            See("main .form-part", "phần 2/5"),
            Submit,
            See("#error-summary", "Nhập họ, chữ đệm và tên của trẻ"),
            See("#form\\.child\\.sex-error", "Chọn giới tính"),
            Axe("e-form: the child, empty"),
            Fill("#form\\.child\\.full_name", "Hoàng Bảo Na"),
            Fill("#form\\.child\\.birth_date", "31/02/2026"),
            Click("#form\\.child\\.sex-nu"),
            Submit,
            See("#form\\.child\\.birth_date-error", "Ngày này không có trên lịch"),
            Axe("e-form: a date that does not exist"),
            Fill("#form\\.child\\.birth_date", "02/11/2026"),
            Submit,
            Page("Nơi sinh, dân tộc, quốc tịch"),
        ],
    )
    .await;
    // Ethnicity is chosen from the official list of 54, with nothing chosen
    // beforehand (in Lạng Sơn most are Tày or Nùng: no default to miss).
    assert_eq!(prop(&c, "#form\\.child\\.ethnicity", "value").await.as_deref(), Some(""));
    let options =
        js(&c, "return document.getElementById('form.child.ethnicity').options.length").await;
    assert_eq!(options, 55, "the 54 groups and the empty choice");
    walk(
        &c,
        &[
            Fill("#form\\.child\\.birth_place", "Bệnh viện Đa khoa tỉnh Lạng Sơn"),
            Submit,
            See("#form\\.child\\.ethnicity-error", "Chọn dân tộc"),
            Axe("e-form: ethnicity not chosen"),
            Shot("ethnicity-not-chosen"),
        ],
    )
    .await;
    choose(&c, "#form\\.child\\.ethnicity", "Tày").await;
    walk(&c, &[Axe("e-form: place of birth"), Submit, Page("Người mẹ")]).await;
    // Filled from the applicant, who said she is the mother.
    assert_eq!(
        prop(&c, "#form\\.mother\\.full_name", "value").await.as_deref(),
        Some("Lò Thị Mai")
    );
    assert_eq!(
        prop(&c, "#form\\.mother\\.citizen_id", "value").await.as_deref(),
        Some(cccd.as_str())
    );
    walk(
        &c,
        &[
            Shot("mother-from-applicant"),
            Fill("#form\\.mother\\.full_name", "Hoàng Thị Mai"),
            // A year typed wrong: the mother born six years before the child.
            Fill("#form\\.mother\\.birth_date", "12/03/2020"),
            Fill("#form\\.mother\\.citizen_id", "12345"),
            Fill("#form\\.mother\\.residence", "Thôn Nà Nưa, xã Đồng Đăng"),
        ],
    )
    .await;
    choose(&c, "#form\\.mother\\.ethnicity", "Nùng").await;
    walk(
        &c,
        &[
            Submit,
            See("#form\\.mother\\.citizen_id-error", "12 chữ số"),
            See("#form\\.mother\\.birth_date-error", "ít nhất 10 năm"),
            Axe("e-form: the mother, a wrong ID number"),
            // Eight digits from the number pad are a date too.
            Fill("#form\\.mother\\.birth_date", "12031996"),
            Fill("#form\\.mother\\.citizen_id", "020196001234"),
            Submit,
            Page("Người cha"),
            // "Yes" asks for the father's details; "no" does not.
            Click("#form\\.father\\.known"),
            Until("return !!document.getElementById('form.father.full_name')", "father asked"),
            Submit,
            See("#error-summary", "Nhập họ, chữ đệm và tên người cha"),
            Axe("e-form: the father, missing"),
            Click("#form\\.father\\.known-khong"),
            Until("return !document.getElementById('form.father.full_name')", "father not asked"),
            Submit,
            Page("Số bản kết quả và ghi chú"),
            // Reload keeps what was typed.
            Fill("#notes", "Đăng ký khai sinh cho con gái <script>alert(1)</script>"),
        ],
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    c.refresh().await.unwrap();
    wait_text(&c, "main h1", "Số bản kết quả và ghi chú").await;
    assert!(prop(&c, "#notes", "value")
        .await
        .unwrap()
        .starts_with("Đăng ký khai sinh cho con gái"));
    walk(
        &c,
        &[
            Axe("wizard: request"),
            Submit,
            Page("Giấy tờ đính kèm"),
            // The paper declaration is not asked for: the e-form stands for it.
            See("main .form-filled", "Tờ khai đăng ký khai sinh"),
        ],
    )
    .await;
    assert!(c.find(Locator::Id("documents.0")).await.is_err());
    walk(&c, &[Submit, See("#error-summary", "Giấy chứng sinh")]).await;
    // A file of another kind is refused before it is sent, and said why.
    let text_file = std::env::temp_dir().join(format!("motcua-e2e-{}.txt", std::process::id()));
    std::fs::write(&text_file, "không phải ảnh").unwrap();
    send_keys(&c, Locator::Id("documents.1"), &text_file.to_string_lossy()).await;
    walk(
        &c,
        &[
            See("#error-summary", "chỉ nhận ảnh JPEG, PNG hoặc tệp PDF"),
            Axe("wizard: wrong file type"),
        ],
    )
    .await;
    // Text named like a photo passes the phone's check; the portal's
    // refusal names the cause, not the network.
    let fake = std::env::temp_dir().join(format!("anh-gia-{}.jpg", std::process::id()));
    std::fs::write(&fake, "đây không phải là ảnh, chỉ là chữ").unwrap();
    send_keys(&c, Locator::Id("documents.1"), &fake.to_string_lossy()).await;
    wait_text(&c, "#error-summary", "Chỉ nhận ảnh JPEG, PNG hoặc tệp PDF").await;
    assert!(!text_of(&c, Locator::Id("error-summary")).await.contains("kết nối"));
    keep_shot(&c, "upload-refused-by-portal").await;
    // The connection drops while the file goes up; it comes back and
    // the upload completes by itself.
    block_urls(&c, &["*/api/v1/files*"]).await;
    send_keys(&c, Locator::Id("documents.1"), &jpeg("giay-chung-sinh.jpg")).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    block_urls(&c, &[]).await;
    walk(
        &c,
        &[
            See("main .files", "giay-chung-sinh.jpg"),
            // A good file clears what was said about the bad ones.
            Until("return !document.getElementById('error-summary')", "the summary cleared"),
            Axe("wizard: documents"),
        ],
    )
    .await;
    // Each upload control is named by its document.
    let names: Vec<String> = js_as(&c, "return Array.from(document.querySelectorAll('label.file-button')).map(l => l.textContent.trim())").await;
    assert!(names.len() >= 2, "{names:?}");
    let distinct: std::collections::HashSet<&String> = names.iter().collect();
    assert_eq!(distinct.len(), names.len(), "{names:?}");
    assert!(names[0].contains("Giấy chứng sinh"), "{names:?}");
    keep_shot(&c, "documents-two-ways-in").await;
    // Two ways in for each document: the camera, and a file or a saved
    // photo (a PDF, a picture received on Zalo), which `capture` would hide.
    assert!(names[0].starts_with("Chụp ảnh") && names[1].starts_with("Chọn tệp"), "{names:?}");
    let inputs: Vec<(String, String, String)> = js_as(
        &c,
        "return Array.from(document.querySelectorAll('main input[type=file]'))
           .map(i => [i.id, i.getAttribute('capture') || '', i.accept])",
    )
    .await;
    let camera: Vec<_> = inputs.iter().filter(|i| !i.1.is_empty()).collect();
    let files: Vec<_> = inputs.iter().filter(|i| i.1.is_empty()).collect();
    assert_eq!(camera.len(), files.len(), "{inputs:?}");
    assert!(files.iter().all(|i| i.2.contains("application/pdf")), "{inputs:?}");
    assert!(camera.iter().all(|i| i.1 == "environment" && i.0.ends_with(".camera")), "{inputs:?}");
    // Thumbnails show the phone's own copy: nothing uploaded is fetched back.
    let fetched_back = js(
        &c,
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => /\\/api\\/v1\\/files\\/[0-9a-f]+/.test(n))",
    )
    .await;
    assert_eq!(fetched_back, serde_json::json!([]), "files fetched back");
    let thumbs: Vec<String> = js_as(
        &c,
        "return Array.from(document.querySelectorAll('img.thumb')).map(i => i.getAttribute('src'))",
    )
    .await;
    assert!(!thumbs.is_empty() && thumbs.iter().all(|s| s.starts_with("blob:")), "{thumbs:?}");
    submit_form(&c).await;

    walk(
        &c,
        &[
            Page("Cách nhận kết quả"),
            Submit,
            Page("Kiểm tra trước khi nộp"),
            See("main .answers", "Thôn Pò Mỏ <img"),
            See("main .answers", "(1 tệp)"),
            // The form's answers, as read: a choice by its label.
            See("main .answers", "Hoàng Bảo Na"),
            See("main .answers", "Nữ"),
            See("main .answers", "Bệnh viện Đa khoa tỉnh Lạng Sơn"),
            Axe("wizard: check"),
            Shot("check-page-grouped"),
        ],
    )
    .await;
    // Grouped as the journey and the form are, one "Sửa" each: the
    // mother's part, her name already focused, and straight back here.
    let groups = js(&c, "return document.querySelectorAll('main .check-group').length").await;
    assert_eq!(groups, 10, "who, applicant, the form's five parts, request, documents, delivery");
    walk(&c, &[
        Click("section[aria-labelledby='check-13'] a.change"),
        Page("Người mẹ"),
        Until("return document.activeElement && document.activeElement.id === 'form.mother.full_name'", "the name focused"),
        Fill("#form\\.mother\\.full_name", "Hoàng Thị Mai Anh"),
        Submit,
        Page("Kiểm tra trước khi nộp"),
        See("main .answers", "Hoàng Thị Mai Anh"),
        // Not without the declaration: said beside it, and in the summary.
        Submit,
        See("#declaration-error", "cam đoan"),
        See("#error-summary", "cam đoan"),
        Axe("wizard: check without the declaration"),
        Declare,
        Submit,
    ]).await;

    // Received online: a confirmation, not yet an appointment.
    walk(
        &c,
        &[
            Page("Giấy xác nhận đã nhận hồ sơ trực tuyến"),
            See("#next-steps", "kiểm tra hồ sơ"),
            See("#due-pending", "khi tiếp nhận hồ sơ"),
        ],
    )
    .await;
    assert!(c.find(Locator::Id("due-date")).await.is_err(), "no appointment before acceptance");
    let code = text_of(&c, Locator::Id("dossier-code")).await;
    let parts: Vec<&str> = code.rsplitn(3, '-').collect();
    assert_eq!(parts[2], "000.05.37.H37", "{code}");
    assert_eq!(parts[1].len(), 6);
    assert_eq!(parts[0].len(), 4);
    wait_text(&c, "#status", "Mới đăng ký").await;
    assert!(c.find(Locator::Css("svg.qr path")).await.is_ok());
    // Markup typed into the form is shown as text on the receipt; nothing ran.
    wait_text(&c, ".receipt", "<img src=x onerror=alert(1)>").await;
    assert_eq!(js(&c, "return document.querySelectorAll('main script, main img').length").await, 0);
    assert_accessible(&c, "receipt").await;

    // The receipt opens again from its link (the token in the URL).
    let url = c.current_url().await.unwrap().to_string();
    assert!(url.contains("?t="), "{url}");
    c.refresh().await.unwrap();
    wait_text(&c, "#dossier-code", &code).await;
    // Once an officer accepts it, the receipt is the acceptance receipt,
    // due date counted from the acceptance.
    officer_api(&code, 2, "");
    c.refresh().await.unwrap();
    wait_text(&c, "main h1", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả").await;
    assert!(!text_of(&c, Locator::Id("due-date")).await.is_empty());
    assert!(!text_of(&c, Locator::Id("accepted-at")).await.is_empty());
    assert!(c.find(Locator::Id("next-steps")).await.is_err());
    assert_accessible(&c, "receipt: accepted").await;

    // Officers read the form as data, labelled.
    let export = officer_form_api(&code);
    assert_eq!(export["form"], "khai-sinh");
    assert_eq!(export["answers"]["child.full_name"], "Hoàng Bảo Na");
    assert_eq!(export["answers"]["mother.citizen_id"], "020196001234");
    assert_eq!(export["sections"][1]["fields"][2]["value"], "Nữ");
    assert!(export["answers"].get("father.full_name").is_none(), "{export}");
    // The printable form (A4), in the same tab: what was typed, in the
    // official layout; its Back button returns to the receipt.
    walk(&c, &[Click("#form-print"), Page("TỜ KHAI ĐĂNG KÝ KHAI SINH")]).await;
    for text in ["Hoàng Bảo Na", "02/11/2026", "Nữ", "Tày", "Hoàng Thị Mai", "Thôn Nà Nưa", &code]
    {
        wait_text(&c, "main", text).await;
    }
    walk(&c, &[Axe("printable form"), Click("#back")]).await;
    wait_text(&c, "#dossier-code", &code).await;
    finish(c).await;
}

#[tokio::test]
async fn a_large_photo_arrives_compressed_and_a_double_submit_makes_one_dossier() {
    let (_, _, c) = signed_in(2, "/nop-ho-so/1.001193").await;
    wait_text(&c, "main h1", "Ai nộp hồ sơ").await;
    walk(
        &c,
        &[Click("#unit option[value='000.03.37.H37']"), Submit, Page("Thông tin người yêu cầu")],
    )
    .await;
    answer!(c, "#applicant\\.address" => "Phường Kỳ Lừa"; "main h1" => "Người đi đăng ký");
    birth_form(&c).await;
    answer!(c, "#notes" => "Khai sinh cho con"; "main h1" => "Giấy tờ đính kèm");

    // A slow uplink, as on a weak signal: the upload shows its progress.
    cdp(&c, "Network.enable", serde_json::json!({})).await;
    cdp(
        &c,
        "Network.emulateNetworkConditions",
        serde_json::json!({ "offline": false, "latency": 100, "downloadThroughput": 500000, "uploadThroughput": 60000 }),
    )
    .await;
    let size = c
        .execute_async(
            CAMERA_PHOTO,
            vec![serde_json::json!("documents.1"), 4000.into(), 3000.into(), 0.95.into()],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap();
    assert!(size >= 3 * 1024 * 1024, "the test photo is {size} bytes");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut seen = 0.0;
    while seen <= 0.0 {
        let v = js(
            &c,
            "const p = document.querySelector('.uploads progress'); return p ? p.value : -1",
        )
        .await;
        seen = v.as_f64().unwrap_or(-1.0);
        assert!(std::time::Instant::now() < deadline, "no upload progress shown");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_accessible(&c, "wizard: upload in progress").await;
    cdp(
        &c,
        "Network.emulateNetworkConditions",
        serde_json::json!({ "offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
    )
    .await;
    wait_text(&c, "main .files", "anh-chup.jpg").await;
    let shown = text_of(&c, Locator::Css("main .files .muted")).await;
    let kb: u64 = shown.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap();
    assert!(kb <= 500, "a {size}-byte photo arrived as {kb} KB");
    walk(&c, &[Submit, Page("Cách nhận kết quả"), Submit, Page("Kiểm tra trước khi nộp"), Declare])
        .await;

    // Two clicks in a row, as an impatient thumb does.
    js(
        &c,
        "const b = document.querySelector('main form button[type=submit]'); b.click(); b.click();",
    )
    .await;
    wait_text(&c, "main h1", "Giấy xác nhận đã nhận hồ sơ trực tuyến").await;
    let cookie = c.get_named_cookie("motcua_session").await.unwrap();
    let (status, mine) = api(
        "GET",
        "/api/v1/dossiers",
        serde_json::Value::Null,
        &format!("motcua_session={}", cookie.value()),
    );
    assert_eq!(status, 200);
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    finish(c).await;
}

#[tokio::test]
async fn a_draft_started_on_one_device_continues_on_another() {
    let (_, phone, phone_a) = signed_in(3, "/nop-ho-so/1.004194").await;
    wait_text(&phone_a, "main h1", "Ai nộp hồ sơ").await;
    element(&phone_a, Locator::Css("#unit option[value='000.05.37.H37']"))
        .await
        .click()
        .await
        .unwrap();
    walk(&phone_a, &[Submit, Page("Thông tin người yêu cầu")]).await;
    // Its electronic form (CT01) comes next; the request page is further on.
    answer!(phone_a, "#applicant\\.address" => "Khối 3, xã Đồng Đăng"; "main h1" => "Nội dung đề nghị");
    wait_text(&phone_a, "main .form-part", "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ").await;
    // "Đăng ký tạm trú" is what this procedure asks for: already chosen.
    let chosen = prop(&phone_a, "#form\\.request\\.kind-tam-tru", "checked").await;
    assert_eq!(chosen.as_deref(), Some("true"));
    walk(
        &phone_a,
        &[
            Open("/nop-ho-so/1.004194/yeu-cau"),
            Page("Số bản kết quả và ghi chú"),
            Fill("#notes", "Đăng ký tạm trú tại nhà người thân"),
        ],
    )
    .await;
    // The server copy follows a moment after the last keystroke.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    finish(phone_a).await;

    let phone_b = browser().await;
    sign_in(&phone_b, &phone, "Mai#2026ls", "/ho-so-dang-soan").await;
    walk(&phone_b, &[Page("Hồ sơ đang soạn"), See(".drafts", "Đăng ký tạm trú"), Axe("drafts")])
        .await;
    element(&phone_b, Locator::Css(".drafts a")).await.click().await.unwrap();
    walk(
        &phone_b,
        &[
            Page("Ai nộp hồ sơ"),
            Open("/nop-ho-so/1.004194/yeu-cau"),
            Page("Số bản kết quả và ghi chú"),
        ],
    )
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let v = prop(&phone_b, "#notes", "value").await.unwrap_or_default();
        if v == "Đăng ký tạm trú tại nhà người thân" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the draft did not follow: {v:?}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    finish(phone_b).await;
}

#[tokio::test]
async fn the_receipt_qr_code_reads_as_the_tracking_link_and_a_lost_answer_is_retried_once() {
    let (_, phone, c) = signed_in(4, "/nop-ho-so/1.001193").await;
    wizard_to_check(&c, "000.01.37.H37", "Phường Tam Thanh", "Khai sinh").await;

    // The portal takes the dossier, but its answer never arrives.
    js(
        &c,
        "const real = window.fetch; let first = true;
         window.fetch = async (...args) => {
           const r = await real.apply(window, args);
           const url = String(args[0] && args[0].url || args[0]);
           if (first && url.endsWith('/api/v1/dossiers')) { first = false; throw new TypeError('connection dropped'); }
           return r;
         };",
    )
    .await;
    walk(
        &c,
        &[
            Submit,
            See("#error-summary", "không bị nộp hai lần"),
            Axe("check: answer lost"),
            Submit,
            Page("Giấy xác nhận đã nhận hồ sơ trực tuyến"),
        ],
    )
    .await;
    let cookie = c.get_named_cookie("motcua_session").await.unwrap();
    let (_, mine) = api(
        "GET",
        "/api/v1/dossiers",
        serde_json::Value::Null,
        &format!("motcua_session={}", cookie.value()),
    );
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");

    // A screenshot of the QR code decodes to the tracking link.
    let code = text_of(&c, Locator::Id("dossier-code")).await;
    let token = mine[0]["token"].as_str().unwrap();
    let shot = shot(&c, Locator::Css("svg.qr")).await;
    let texts = qr_texts(&shot);
    assert_eq!(texts, vec![format!("{}/tra-cuu/{code}?t={token}", base())]);

    // With the token, the receipt opens for anyone holding it, without personal details.
    let other = browser().await;
    open(&other, &format!("/bien-nhan/{code}?t={token}")).await;
    wait_text(&other, "#dossier-code", &code).await;
    wait_text(&other, "#status", "Mới đăng ký").await;
    let text = text_of(&other, Locator::Css(".receipt")).await;
    assert!(!text.contains("Phường Tam Thanh") && !text.contains(&phone), "{text}");
    finish(other).await;
    finish(c).await;
}

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const DOWN: &str = "\u{E015}";

/// Type into the focused element; Tab, Enter and Down go as real key
/// presses (DevTools protocol), which also works on a file input.
async fn press(c: &Client, keys: &str) {
    let key = match keys {
        TAB => Some(("Tab", 9)),
        ENTER => Some(("Enter", 13)),
        DOWN => Some(("ArrowDown", 40)),
        _ => None,
    };
    let Some((name, code)) = key else {
        c.active_element().await.unwrap().send_keys(keys).await.unwrap();
        return;
    };
    for kind in ["rawKeyDown", "keyUp"] {
        cdp(
            c,
            "Input.dispatchKeyEvent",
            serde_json::json!({ "type": kind, "key": name, "code": name,
                                "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code }),
        )
        .await;
        if kind == "rawKeyDown" && name == "Enter" {
            cdp(
                c,
                "Input.dispatchKeyEvent",
                serde_json::json!({ "type": "char", "text": "\r", "key": "Enter" }),
            )
            .await;
        }
    }
}

/// Press Tab until the focused element matches `css` (never clicking).
async fn tab_to(c: &Client, css: &str) {
    for _ in 0..40 {
        let on = js(c, &format!("return document.activeElement.matches({css:?})")).await;
        if on == true {
            return;
        }
        press(c, TAB).await;
    }
    panic!("Tab never reached {css}");
}

/// Tab to each element (CSS) and type its keys there, as a keyboard user.
async fn by_keyboard(c: &Client, steps: &[(&str, &str)]) {
    for (css, keys) in steps {
        tab_to(c, css).await;
        press(c, keys).await;
    }
}

#[tokio::test]
async fn the_wizard_by_keyboard_alone() {
    let (_, _, c) = signed_in(5, "/nop-ho-so/1.001193").await;
    wait_text(&c, "main h1", "Ai nộp hồ sơ").await;
    tab_to(&c, "#unit").await;
    press(&c, DOWN).await;
    tab_to(&c, "main form button[type=submit]").await;
    press(&c, ENTER).await;
    wait_text(&c, "main h1", "Thông tin người yêu cầu").await;
    tab_to(&c, "#applicant\\.address").await;
    press(&c, "Bản Pắc Cườm").await;
    press(&c, ENTER).await;
    // The electronic form, by keyboard: text; a radio group is one Tab stop,
    // space picks the first answer, the arrow keys another.
    // Who files first: a grandparent (space picks the first answer, two
    // arrows down the third), so no parent's part is filled for them.
    let grandparent = format!(" {DOWN}{DOWN}");
    let fields: [(&str, &[(&str, &str)]); 5] = [
        ("Người đi đăng ký", &[("#form\\.declarant\\.relationship", grandparent.as_str())]),
        (
            "Người được khai sinh",
            &[
                ("#form\\.child\\.full_name", "Lò Văn Pắc"),
                ("#form\\.child\\.birth_date", "01/11/2026"),
                ("#form\\.child\\.sex", " "),
            ],
        ),
        (
            "Nơi sinh",
            &[
                ("#form\\.child\\.birth_place", "Trạm y tế xã Đồng Đăng"),
                // A dropdown by keyboard: typing picks the option.
                ("#form\\.child\\.ethnicity", "Tày"),
            ],
        ),
        (
            "Người mẹ",
            &[
                ("#form\\.mother\\.full_name", "Lò Thị Cườm"),
                ("#form\\.mother\\.birth_date", "05/05/1998"),
                ("#form\\.mother\\.ethnicity", "Nùng"),
                ("#form\\.mother\\.residence", "Bản Pắc Cườm"),
            ],
        ),
        ("Người cha", &[("#form\\.father\\.known", DOWN)]),
    ];
    const NEXT: (&str, &str) = ("main form > button[type=submit]", ENTER);
    for (title, answers) in fields {
        wait_text(&c, "main h1", title).await;
        by_keyboard(&c, answers).await;
        by_keyboard(&c, &[NEXT]).await;
    }
    wait_text(&c, "main h1", "Số bản kết quả và ghi chú").await;
    by_keyboard(&c, &[("#notes", "Khai sinh cho con"), ("#copies", ENTER)]).await;
    wait_text(&c, "main h1", "Giấy tờ đính kèm").await;
    by_keyboard(&c, &[("input[type=file]#documents\\.1", &jpeg("k1.jpg"))]).await;
    wait_text(&c, "main .files", "k1.jpg").await;
    by_keyboard(&c, &[NEXT]).await;
    wait_text(&c, "main h1", "Cách nhận kết quả").await;
    by_keyboard(&c, &[NEXT]).await;
    wait_text(&c, "main h1", "Kiểm tra trước khi nộp").await;
    by_keyboard(&c, &[("#declaration", " "), ("main form button[type=submit]", ENTER)]).await;
    wait_text(&c, "main h1", "Giấy xác nhận đã nhận hồ sơ trực tuyến").await;
    finish(c).await;
}

#[tokio::test]
async fn a_session_that_expires_mid_wizard_loses_nothing() {
    let (_, phone, c) = signed_in(6, "/nop-ho-so/1.001193").await;
    wizard_to_check(&c, "000.02.37.H37", "Phường Lương Văn Tri", "Khai sinh cho cháu").await;

    // The session ends before the citizen presses Submit.
    c.delete_cookie("motcua_session").await.unwrap();
    walk(&c, &[Submit, Page("Đăng nhập"), See("main .notice", "Phiên đăng nhập đã hết hạn")]).await;
    fill(&c, "#identifier", &phone).await;
    walk(
        &c,
        &[
            Fill("#password", "Mai#2026ls"),
            Submit,
            // Back where they were, with everything still there.
            Page("Kiểm tra trước khi nộp"),
            See("main .answers", "Khai sinh cho cháu"),
            See("main .answers", "(1 tệp)"),
            Submit,
            Page("Giấy xác nhận đã nhận hồ sơ trực tuyến"),
        ],
    )
    .await;
    finish(c).await;
}

#[tokio::test]
async fn a_photo_chosen_offline_survives_a_reload_and_goes_up_later() {
    let (_, _, c) = signed_in(7, "/nop-ho-so/1.001193/giay-to").await;
    wait_text(&c, "main h1", "Giấy tờ đính kèm").await;
    block_urls(&c, &["*/api/v1/files*"]).await;
    send_keys(&c, Locator::Id("documents.1"), &jpeg("offline.jpg")).await;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    // The tab is reloaded (or closed and opened) before the photo went up.
    c.refresh().await.unwrap();
    wait_text(&c, "main h1", "Giấy tờ đính kèm").await;
    block_urls(&c, &[]).await;
    // Kept on the device, it goes up by itself once the connection is back.
    wait_text(&c, "main .files", "offline.jpg").await;
    let kept = js(
        &c,
        "return new Promise(r => { const q = indexedDB.open('motcua'); q.onsuccess = () => {
           const g = q.result.transaction('pending').objectStore('pending').getAll();
           g.onsuccess = () => r(g.result.length); }; })",
    )
    .await;
    assert_eq!(kept, 0, "nothing left waiting once uploaded");
    finish(c).await;
}

#[tokio::test]
async fn signing_out_leaves_nothing_personal_on_a_shared_device() {
    let (_, _, c) = signed_in(8, "/nop-ho-so/1.001193/yeu-cau").await;
    walk(&c, &[Page("Số bản kết quả và ghi chú"), Fill("#notes", "Khai sinh cho con")]).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let kept = js(
        &c,
        "return Object.keys(localStorage).filter(k => k.startsWith('motcua.wizard.')).length",
    )
    .await;
    assert_eq!(kept, 1, "the draft is kept while signed in");
    sign_out(&c).await;
    let left = js(
        &c,
        "return Object.keys(localStorage).filter(k => k.startsWith('motcua.wizard.')).length + sessionStorage.length",
    )
    .await;
    assert_eq!(left, 0);
    let dbs =
        js(&c, "return indexedDB.databases().then(l => l.filter(d => d.name === 'motcua').length)")
            .await;
    assert_eq!(dbs, 0);
    finish(c).await;
}

/// A citizen's second dossier: the address and phone of the first are
/// offered again, and a price per copy is said as the total for the copies
/// asked, on the check page and the receipt.
#[tokio::test]
async fn a_second_dossier_offers_the_last_address_and_adds_up_the_fee() {
    let (cccd, phone) = account(12);
    let cookie = sign_in_api(&phone, "Mai#2026ls");
    let bytes = std::fs::read(jpeg("first.jpg")).unwrap();
    let ids: Vec<String> = (0..2)
        .map(|_| upload_api(&cookie, "a.jpg", &bytes).1["id"].as_str().unwrap().to_string())
        .collect();
    let who = (cccd.as_str(), "Lò Thị Mai", "03/03/1990", phone.as_str());
    let body = birth_registration(who, "Khối 5, phường Kỳ Lừa", &ids);
    let (status, v) = submit_api(&cookie, &body, &format!("first-of-mai-{}", std::process::id()));
    assert_eq!(status, 201, "{v}");

    let c = browser_with(&["--window-size=360,740"]).await;
    sign_in(&c, &phone, "Mai#2026ls", "/nop-ho-so/2.000635").await;
    walk(&c, &[
        Page("Ai nộp hồ sơ"),
        Click("#unit option[value='000.03.37.H37']"),
        Submit,
        Page("Thông tin người yêu cầu"),
        Until("return document.getElementById('applicant.address').value === 'Khối 5, phường Kỳ Lừa'", "the last address offered"),
        Submit,
        Page("Nội dung yêu cầu"),
        Fill("#request", "Hai bản sao giấy khai sinh"),
        Fill("#copies", "2"),
        Submit,
        Page("Giấy tờ đính kèm"),
        Attach("documents.0", "to-khai.jpg"),
        See("main .files", "to-khai.jpg"),
        Submit,
        Page("Cách nhận kết quả"),
        Submit,
        Page("Kiểm tra trước khi nộp"),
        See("main", "16.000 đồng (2 bản × 8.000 đồng)"),
        See("main .answers", "Khối 5, phường Kỳ Lừa"),
        Shot("second-dossier-check"),
        Declare,
        Submit,
        Page("Giấy xác nhận đã nhận hồ sơ trực tuyến"),
        See(".receipt", "16.000 đồng (2 bản × 8.000 đồng)"),
        // Its fee is paid on filing: offered at once, then paid on the status page.
        See("#pay-now", "16.000 đ"),
        Axe("receipt: pay now"),
        Shot("receipt-pay-now"),
        Click("#pay-now-link"),
        See("#pay-online", "Thanh toán trực tuyến"),
        See("#pay-amount", "16.000 đ"),
        See("#pay-made-of", "2 bản × 8.000 đồng"),
    ]).await;
    finish(c).await;
}
