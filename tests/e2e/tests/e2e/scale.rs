//! The national catalog at real scale (2,642 procedures), imported by
//! `cargo xtask test` into the portal's fresh database when the file exists.

use crate::support::*;
use fantoccini::Locator;

#[tokio::test]
async fn lists_and_opens_the_imported_national_catalog() {
    if std::env::var("E2E_IMPORTED").as_deref() != Ok("1") {
        eprintln!("skipped: shared/data/national-catalog.jsonl was not available to import");
        return;
    }
    let (_, _, body) = http("GET", "/api/v1/procedures", &[]);
    let list: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
    assert!(list.len() >= 2600, "only {} procedures", list.len());

    let c = browser().await;
    open(&c, "/thu-tuc").await;
    let count = {
        wait_text(&c, "#result-count", "thủ tục").await;
        text_of(&c, Locator::Css("#result-count")).await
    };
    let n: usize =
        count.chars().filter(|ch| ch.is_ascii_digit()).collect::<String>().parse().unwrap();
    assert!(n >= 2600, "{count}");

    // An imported record with its raw national text.
    send_keys(&c, Locator::Css("#q"), "khieu nai cong an nhan dan trung uong").await;
    wait_text(&c, "#results .card-title", "Giải quyết khiếu nại").await;
    click(&c, "#results .card-title a").await;
    wait_text(&c, "main h1", "Giải quyết khiếu nại").await;
    wait_text(&c, ".raw", "Cơ sở dữ liệu quốc gia").await;
    assert_accessible(&c, "imported procedure").await;
    finish(c).await;
}
