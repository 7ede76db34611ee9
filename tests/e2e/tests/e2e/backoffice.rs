//! The citizen's journey over the OpenCPS driver: a portal of its own,
//! started with `--backend opencps` against the OpenCPS stand-in (built
//! with the portal), serves the same app; the journey is the one the local
//! store serves — find the procedure, sign in, the e-form, a photo,
//! submit, the receipt with its QR code, the status from the QR link in a
//! browser that never signed in — and the dossier is in the back office
//! under our code, its status read back from there.

use std::io::BufRead;

use crate::support::Step::*;
use crate::support::*;
use fantoccini::Locator;
use serde_json::{json, Value};

const PASSWORD: &str = "Tay#2026ls";
const SITE: (&str, &str, &str) = ("35417", "motcua", "mat-khau-opencps");

/// The stand-in, next to the portal's binary; killed when dropped.
struct Standin(std::process::Child, String);

impl Drop for Standin {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn standin() -> Standin {
    let bin = std::path::Path::new(&env("E2E_PORTAL_BIN")).with_file_name("opencps-standin");
    let mut child = std::process::Command::new(bin)
        .args(["--group-id", SITE.0, "--username", SITE.1, "--password", SITE.2])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = std::io::BufReader::new(child.stdout.take().unwrap());
    let line = out.lines().map(Result::unwrap).find(|l| l.contains("listening on")).unwrap();
    Standin(child, line.rsplit("listening on ").next().unwrap().to_string())
}

/// One request to the stand-in's control side: (status, body).
fn control(s: &Standin, method: &str, path: &str, body: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let addr = s.1.trim_start_matches("http://").trim_end_matches("/o/rest/v2").to_string();
    let mut t = std::net::TcpStream::connect(&addr).unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    t.write_all(req.as_bytes()).unwrap();
    let mut answer = String::new();
    t.read_to_string(&mut answer).unwrap();
    let status = answer.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

fn books(s: &Standin) -> Value {
    let (status, body) = control(s, "GET", "/control/dossiers", "");
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn until_books(s: &Standin, done: impl Fn(&Value) -> bool) -> Value {
    let start = std::time::Instant::now();
    loop {
        let b = books(s);
        if done(&b) {
            return b;
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(30), "{b:#}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn the_citizen_journey_over_opencps_files_into_the_back_office_under_our_code() {
    let s = standin();
    let (data, dist, port) = own_site("opencps");
    let args = ["--backend", "opencps", "--opencps-url", &s.1, "--opencps-group-id", SITE.0];
    let _portal = OwnPortal::start_with_env(
        &data,
        &dist,
        port,
        &[&args[..], &["--backend-poll-secs", "1", "--backend-retry-secs", "1"]].concat(),
        &[("PORTAL_OPENCPS_USERNAME", SITE.1), ("PORTAL_OPENCPS_PASSWORD", SITE.2)],
    );
    set_base(&format!("http://127.0.0.1:{port}"));
    let (_, phone) = unique_ids("0918", 70);
    make_account(&unique_ids("0918", 70).0, &phone, "Hoàng Thị Tày", "04/04/1990", PASSWORD);

    // Find the procedure as anyone would: search, without accents, and open it.
    let c = browser().await;
    open(&c, "/thu-tuc").await;
    assert_eq!(heading(&c).await, "Tra cứu thủ tục hành chính");
    send_keys(&c, Locator::Css("#q"), "dang ky khai sinh").await;
    walk(
        &c,
        &[
            See("#results .card-title", "Đăng ký khai sinh"),
            Click("#results .card-title a"),
            Page("Đăng ký khai sinh"),
        ],
    )
    .await;
    sign_in(&c, &phone, PASSWORD, "/nop-ho-so/1.001193").await;
    wizard_to_check(&c, "000.05.37.H37", "Bản Lải, xã Đồng Đăng", "Khai sinh cho bé Na").await;
    // The back office is away at that moment: the citizen still gets a
    // receipt, which says the dossier is on its way to the desk's system.
    assert_eq!(control(&s, "POST", "/control", r#"{"down": true}"#).0, 204);
    walk(
        &c,
        &[
            Submit,
            Page("Giấy xác nhận đã nhận hồ sơ trực tuyến"),
            See("#on-its-way", "đang chuyển đến hệ thống của Bộ phận Một cửa"),
        ],
    )
    .await;
    assert!(c.find(Locator::Css("svg.qr path")).await.is_ok());
    walk(&c, &[Axe("receipt over OpenCPS"), Shot("opencps-receipt")]).await;
    let code = text_of(&c, Locator::Id("dossier-code")).await;
    let link = element(&c, Locator::Id("status-link")).await.attr("href").await.unwrap().unwrap();

    assert!(books(&s)["dossiers"].as_array().unwrap().is_empty());
    assert_eq!(control(&s, "POST", "/control", r#"{"down": false}"#).0, 204);
    // In the back office once it is back: once, under our code, with its
    // files and form.
    let b = until_books(&s, |b| b["dossiers"][0]["submits"] == 1).await;
    let d = &b["dossiers"][0];
    assert_eq!(d["dossierNo"], code.as_str());
    assert_eq!(b["dossiers"].as_array().unwrap().len(), 1);
    let parts = each(&d["files"], "dossierPartNo");
    assert!(parts.contains(&"TP02") && parts.contains(&"TK01"), "{parts:?}");

    // The QR link, cold, in a browser that never signed in.
    let cold = browser().await;
    open(&cold, &link).await;
    walk(
        &cold,
        &[
            See("#status", "Mới đăng ký"),
            See("#back-office", "Bộ phận Một cửa xác nhận trạng thái lúc"),
        ],
    )
    .await;
    // An officer takes it up in the back office; the status follows.
    let moved = json!({ "dossierNo": code, "status": "processing", "note": "Đang thẩm định" });
    let (status, _) = control(&s, "POST", "/control/move", &moved.to_string());
    assert_eq!(status, 204);
    let start = std::time::Instant::now();
    loop {
        cold.refresh().await.unwrap();
        wait_js(&cold, "return !!document.getElementById('status')", "status shown").await;
        if text_of(&cold, Locator::Id("status")).await.contains("Đang xử lý") {
            break;
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(20), "status not followed");
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    wait_text(&cold, "main", "Đang thẩm định").await;
    assert!(
        !text_of(&cold, Locator::Css("main")).await.contains("Hoàng Thị Tày"),
        "no personal data"
    );
    walk(&cold, &[Axe("status over OpenCPS"), Shot("opencps-status")]).await;
    finish(cold).await;
    finish(c).await;
}
