//! Appointments at the desk: a citizen books on a phone, the per-person
//! limit, cancelling frees the place for someone else; at the office the
//! kiosk checks the booking in by its code and gives walk-ins the next number.

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::support::Step::*;
use crate::support::*;

const PASSWORD: &str = "Hen@2026ls";
const DESK: &str = "000.05.37.H37";

fn calendar(cookie: &str) -> Value {
    let (status, cal) = api(
        "GET",
        &format!("/api/v1/desks/{DESK}/calendar?procedure=1.001193"),
        Value::Null,
        cookie,
    );
    assert_eq!(status, 200, "{cal}");
    cal
}

fn free(cal: &Value, date: &str, start: &str) -> u64 {
    let day = cal["days"].as_array().unwrap().iter().find(|d| d["date"] == date).unwrap();
    let slot = day["slots"].as_array().unwrap().iter().find(|s| s["start"] == start).unwrap();
    slot["free"].as_u64().unwrap()
}

#[tokio::test]
async fn a_citizen_books_on_a_phone_a_third_booking_is_refused_and_cancelling_frees_the_place() {
    let (cccd, phone) = unique_ids("0917", 36);
    make_account(&cccd, &phone, "Vi Thị Hẹn", "05/05/1990", PASSWORD);
    let (other_id, other_phone) = unique_ids("0916", 36);
    make_account(&other_id, &other_phone, "Lộc Văn Chờ", "06/06/1990", PASSWORD);
    let other = sign_in_api(&other_phone, PASSWORD);

    let c = browser_with(&["--window-size=360,740"]).await;
    // A real 360-pixel phone (the window alone stops at 500).
    let phone_screen =
        json!({ "width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": true });
    cdp(&c, "Emulation.setDeviceMetricsOverride", phone_screen).await;
    // From the procedure's page: "Đặt lịch đến nộp hồ sơ".
    walk(
        &c,
        &[
            Open("/thu-tuc/1.001193"),
            Page("Đăng ký khai sinh"),
            Click("#book-cta"),
            Page("Đăng nhập"),
        ],
    )
    .await;
    fill(&c, "#identifier", &phone).await;
    fill(&c, "#password", PASSWORD).await;
    walk(
        &c,
        &[Submit, Page("Đặt lịch đến nộp hồ sơ"), See("#book-procedure", "Đăng ký khai sinh")],
    )
    .await;
    choose(&c, "#desk", DESK).await;
    // The next day the desk is open (tomorrow, unless a weekend or holiday).
    wait_js(&c, "return document.querySelectorAll('input[name=ngay]').length >= 2", "days").await;
    let date: String = js(
        &c,
        "const d = document.querySelectorAll('input[name=ngay]')[1]; d.click(); return d.value;",
    )
    .await
    .as_str()
    .unwrap()
    .to_string();
    wait_js(
        &c,
        "return document.querySelector('input[name=gio]:not([disabled])') !== null",
        "a free slot",
    )
    .await;
    let start: String = js(&c, "const s = document.querySelector('input[name=gio]:not([disabled])'); s.click(); return s.value;")
        .await
        .as_str()
        .unwrap()
        .to_string();
    let before = free(&calendar(&other), &date, &start);
    walk(&c, &[Axe("booking"), Shot("booking-360")]).await;
    js(&c, "document.getElementById('date').scrollIntoView(); return 1;").await;
    keep_shot(&c, "booking-days-360").await;
    js(&c, "document.getElementById('slot').scrollIntoView(); return 1;").await;
    walk(&c, &[Shot("booking-slots-360"), Submit, Page("Phiếu hẹn")]).await;
    wait_text(&c, "#ticket-when", &format!("{start}–")).await;
    wait_text(&c, "#ticket-when", &date).await;
    walk(&c, &[See("#ticket-desk", "Đồng Đăng"), See("#ticket-state", "Đã đặt lịch")]).await;
    assert!(c.find(Locator::Css("#ticket svg.qr path")).await.is_ok(), "a QR code");
    let code = text_of(&c, Locator::Id("ticket-code")).await.replace('-', "");
    assert_eq!(code.len(), 8);
    walk(&c, &[Axe("ticket"), Shot("ticket-360")]).await;
    js(&c, "document.getElementById('ticket-desk').scrollIntoView(); return 1;").await;
    keep_shot(&c, "ticket-details-360").await;
    // Another account sees one place fewer.
    assert_eq!(free(&calendar(&other), &date, &start), before - 1);

    // A second booking that day (through the API), then a third in the
    // browser: refused, saying why, next to nothing lost.
    let me = sign_in_api(&phone, PASSWORD);
    let slots: Vec<String> = calendar(&me)["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == date.as_str())
        .unwrap()["slots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["free"].as_u64().unwrap() > 0 && s["start"] != start.as_str())
        .map(|s| s["start"].as_str().unwrap().to_string())
        .collect();
    let (status, second) = api(
        "POST",
        "/api/v1/bookings",
        json!({ "desk": DESK, "date": date, "slot": slots[0] }),
        &me,
    );
    assert_eq!(status, 201, "{second}");
    open(&c, &format!("/dat-lich?noi={DESK}&ngay={}&gio={}", date.replace('/', "%2F"), slots[1]))
        .await;
    walk(
        &c,
        &[
            Page("Đặt lịch đến nộp hồ sơ"),
            Until(
                "return document.querySelector('input[name=gio]:checked') !== null",
                "the slot kept from the URL",
            ),
            Submit,
            See("#error-summary", "tối đa 2 lịch hẹn trong một ngày"),
            Axe("booking refused"),
            Shot("booking-third-refused-360"),
        ],
    )
    .await;

    // Cancel the first: the place is free again for the other account.
    open(&c, &format!("/lich-hen/{code}")).await;
    walk(
        &c,
        &[
            See("#ticket-state", "Đã đặt lịch"),
            Click("#ticket-cancel"),
            See("#cancel-confirm", "Hủy lịch hẹn này?"),
            Click("#cancel-yes"),
            See("#ticket-state", "Đã hủy"),
        ],
    )
    .await;
    assert_eq!(free(&calendar(&other), &date, &start), before);
    let (status, _) = api(
        "POST",
        "/api/v1/bookings",
        json!({ "desk": DESK, "date": date, "slot": start }),
        &other,
    );
    assert_eq!(status, 201);
    // "Hồ sơ của tôi" lists both of hers.
    walk(
        &c,
        &[Open("/ho-so-cua-toi"), See("#bookings", "Đã hủy"), See("#bookings", "Đã đặt lịch")],
    )
    .await;
    finish(c).await;
}

/// A desks file under which the desk is open all day today and tomorrow,
/// in five-minute slots: the kiosk's check-in works whenever the test runs.
fn all_day_desks(dir: &std::path::Path) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let today = contract::time::vn_date(now);
    let days: Vec<String> = (0..2)
        .map(|n| contract::appointments::iso(contract::workdays::add_days(today, n)))
        .collect();
    let file = dir.join("desks.toml");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        &file,
        format!(
            "[default]\nsessions = [\"00:00-23:55\"]\nsaturday = [\"00:00-23:55\"]\nslot_minutes = 5\nopen = [\"{}\", \"{}\"]\n",
            days[0], days[1]
        ),
    )
    .unwrap();
    file.display().to_string()
}

#[tokio::test]
async fn the_kiosk_checks_a_booking_in_by_its_code_and_a_walk_in_takes_the_next_number() {
    // Late in Vietnam's evening the day's last slots are gone: wait for the next day.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let (h, m) = contract::time::vn_hour_minute(now);
    if (h, m) >= (23, 45) {
        tokio::time::sleep(std::time::Duration::from_secs(u64::from(60 - m) * 60 + 30)).await;
    }
    let (data, dist, port) = own_site("appointments");
    let desks = all_day_desks(&data.with_extension("conf"));
    let _portal = OwnPortal::start_with(&data, &dist, port, &["--desks", &desks]);
    set_base(&format!("http://127.0.0.1:{port}"));
    let (cccd, phone) = unique_ids("0915", 36);
    make_account(&cccd, &phone, "Nông Văn Đến", "07/07/1990", PASSWORD);
    let me = sign_in_api(&phone, PASSWORD);
    // The first slot still to come today.
    let cal = calendar(&me);
    let today = &cal["days"][0];
    let slot = today["slots"].as_array().unwrap().iter().find(|s| s["past"] == false).unwrap();
    let body = json!({ "desk": DESK, "date": today["date"], "slot": slot["start"], "procedure": "1.001193" });
    let (status, ticket) = api("POST", "/api/v1/bookings", body, &me);
    assert_eq!(status, 201, "{ticket}");
    let code = ticket["code"].as_str().unwrap().to_string();

    let c = browser_with(&["--window-size=1080,1920"]).await;
    open(&c, &format!("/kiosk?don-vi={DESK}")).await;
    walk(&c, &[Click("#tile-queue"), Page("Lấy số thứ tự"), Axe("kiosk queue")]).await;
    // Typed as people read it off the ticket: with its dash, in lower case.
    let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
    fill(&c, "#booking-code", &typed).await;
    walk(
        &c,
        &[
            Submit,
            See("#queue-number-value", "A001"),
            See("#queue-note", "Đã xác nhận bạn đến theo lịch hẹn"),
            Axe("kiosk number"),
            Shot("kiosk-number-1080"),
        ],
    )
    .await;
    let (_, t) = api("GET", &format!("/api/v1/bookings/{code}"), Value::Null, &me);
    assert_eq!(
        (t["state"].as_str(), t["number"].as_str()),
        (Some("checked_in"), Some("A001")),
        "{t}"
    );
    // The next person has no booking.
    walk(
        &c,
        &[
            Click("#queue-done"),
            Until("return document.querySelector('#tile-queue') !== null", "the kiosk's home"),
            Click("#tile-queue"),
            Page("Lấy số thứ tự"),
            Click("#walk-in"),
            See("#queue-number-value", "B002"),
            See("#queue-ahead", "Trước bạn còn 1 người"),
            Shot("kiosk-walk-in-1080"),
        ],
    )
    .await;
    // The phone's ticket shows it checked in, with its number.
    let p = browser_with(&["--window-size=360,740"]).await;
    sign_in(&p, &phone, PASSWORD, &format!("/lich-hen/{code}")).await;
    walk(
        &p,
        &[
            See("#ticket-state", "Đã đến, đã lấy số"),
            See("#ticket-number", "A001"),
            Axe("ticket checked in"),
        ],
    )
    .await;
    finish(p).await;
    finish(c).await;
}
