//! Signing in with VNeID through a real OpenID provider (the `oidc-provider`
//! stand-in `cargo xtask test` starts, with its own login pages): the way
//! in from the sign-in page, every way it can fail, and ownership that
//! follows the proven identity, not a typed ID number. One test, in order:
//! the nonce case changes the pending sign-in in the portal's SQLite file.

use fantoccini::{Client, Locator};
use serde_json::{json, Value};

use crate::support::Step::*;
use crate::support::*;

/// A test identity of `tools/vneid/provider.mjs` (level 2).
const DUNG: (&str, &str, &str) = ("020090418366", "Hoàng Thị Dung", "08/12/1990");

/// At the provider's own login page: log in as `id` (any password).
async fn log_in_at_provider(c: &Client, id: &str) {
    let login = c.wait().for_element(Locator::Css("input[name=login]")).await.unwrap();
    assert!(c.current_url().await.unwrap().as_str().starts_with(&env("E2E_VNEID_ISSUER")));
    login.send_keys(id).await.unwrap();
    send_keys(c, Locator::Css("input[name=password]"), "any-password").await;
    click(c, "button.login-submit").await;
}

/// The sign-in page says why VNeID did not sign in, and offers it again.
async fn failed_with(c: &Client, slug: &str, words: &str) {
    wait_url(c, &format!("vneid={slug}")).await;
    wait_text(c, "#vneid-error", words).await;
    wait_text(c, "main h1", "Chưa đăng nhập được bằng VNeID").await;
    wait_text(c, "#vneid", "Thử lại với VNeID").await;
}

/// The whole VNeID sign-in over plain HTTP up to the provider's answer, as
/// a browser would go (cookies kept): (that answer's path on the portal,
/// the binding cookie the portal set).
fn answer_by_http(id: &str) -> (String, String) {
    let portal = base();
    let (status, hs, _) = http("GET", "/api/v1/vneid/start", &[]);
    assert_eq!(status, 303);
    let binding = header(&hs, "set-cookie").unwrap().split(';').next().unwrap().to_string();
    let issuer = env("E2E_VNEID_ISSUER");
    let mut at = header(&hs, "location").unwrap().to_string();
    let mut jar: Vec<String> = Vec::new();
    set_base(&issuer);
    let answer = loop {
        let path = at.strip_prefix(&issuer).unwrap_or(&at).to_string();
        let cookie = jar.join("; ");
        let (status, hs, _) = if path.starts_with("/interaction/") {
            let form = ("content-type", "application/x-www-form-urlencoded");
            let body = format!("prompt=login&login={id}&password=x");
            http_with_body("POST", &path, &[("cookie", &cookie), form], &body)
        } else {
            http("GET", &path, &[("cookie", &cookie)])
        };
        for (_, v) in hs.iter().filter(|(k, _)| k == "set-cookie") {
            let pair = v.split(';').next().unwrap().to_string();
            let name = format!("{}=", pair.split('=').next().unwrap());
            jar.retain(|c| !c.starts_with(&name));
            jar.push(pair);
        }
        assert!(matches!(status, 302 | 303), "{status} at {path}");
        let to = header(&hs, "location").unwrap().to_string();
        if to.contains("/api/v1/vneid/callback") {
            break to;
        }
        at = if to.starts_with('/') { format!("{issuer}{to}") } else { to };
    };
    set_base(&portal);
    (answer.strip_prefix(&portal).unwrap().to_string(), binding)
}

/// A volunteer files for Dung (no account of hers anywhere); returns the code.
fn filed_for_dung() -> String {
    let (vol_id, vol_phone) = unique_ids("0917", 1);
    make_account(&vol_id, &vol_phone, "Vi Văn Hỗ", "01/01/1990", "Hotro#2026ls");
    grant_volunteer(&vol_id);
    let cookie = sign_in_api(&vol_phone, "Hotro#2026ls");
    let bytes = std::fs::read(jpeg("vneid.jpg")).unwrap();
    let ids: Vec<String> = (0..2)
        .map(|_| upload_api(&cookie, "a.jpg", &bytes).1["id"].as_str().unwrap().to_string())
        .collect();
    let (_, phone) = unique_ids("0917", 2);
    let mut body = birth_registration((DUNG.0, DUNG.1, DUNG.2, &phone), "Thôn Nà Pàn", &ids);
    body["on_behalf"] = json!(true);
    body["relationship"] = json!("Con");
    body["consent"] = json!(true);
    let (status, v) = submit_api(&cookie, &body, &format!("vneid-for-dung-{}", std::process::id()));
    assert_eq!(status, 201, "{v}");
    v["code"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn signing_in_with_vneid_proves_who_owns_what_and_every_failure_is_said() {
    let c = browser().await;

    // Cancelled at the provider's page: back, told so, nothing changed.
    walk(
        &c,
        &[
            Open("/dang-nhap?tiep=%2Fho-so-cua-toi"),
            See("#vneid", "Đăng nhập bằng VNeID"),
            Axe("sign-in with VNeID first"),
            Click("#vneid"),
        ],
    )
    .await;
    c.wait().for_element(Locator::Css("input[name=login]")).await.unwrap();
    click(&c, "a[href*='abort']").await;
    failed_with(&c, "huy", "hủy đăng nhập").await;
    assert!(c.current_url().await.unwrap().as_str().contains("tiep=%2Fho-so-cua-toi"));
    assert_accessible(&c, "VNeID cancelled").await;

    // An answer this browser never asked for (a forged or tampered state).
    open(&c, "/api/v1/vneid/callback?code=forged&state=tampered").await;
    failed_with(&c, "phien", "không hợp lệ").await;

    // The sign-in's nonce changed in the portal's file while the citizen
    // is at the provider: the ID token's nonce no longer matches.
    walk(&c, &[Open("/dang-nhap"), Click("#vneid")]).await;
    c.wait().for_element(Locator::Css("input[name=login]")).await.unwrap();
    let db = rusqlite::Connection::open(format!("{}/motcua.sqlite3", env("E2E_DATA_DIR"))).unwrap();
    db.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    let changed =
        db.execute("UPDATE vneid_logins SET nonce = 'not-the-nonce' WHERE used = 0", []).unwrap();
    assert_eq!(changed, 1);
    log_in_at_provider(&c, DUNG.0).await;
    failed_with(&c, "xac-thuc", "Không xác thực được").await;
    assert_accessible(&c, "VNeID token refused").await;

    // A provider's answer used twice (a replayed code): the first signs in,
    // the second is refused, and so is the same answer in another browser.
    let (answer, binding) = answer_by_http("001090000001");
    let (status, hs, _) = http("GET", &answer, &[("cookie", &binding)]);
    assert_eq!((status, header(&hs, "location")), (303, Some("/tai-khoan")));
    let (status, hs, _) = http("GET", &answer, &[("cookie", &binding)]);
    assert_eq!(status, 303);
    assert!(header(&hs, "location").unwrap().contains("vneid=phien"));
    open(&c, &answer).await;
    failed_with(&c, "phien", "không hợp lệ").await;

    // Someone files for Dung through a volunteer; someone else registers
    // an account with her ID number and their own phone: it sees nothing.
    let code = filed_for_dung();
    let (_, phone) = unique_ids("0917", 3);
    make_account(DUNG.0, &phone, DUNG.1, DUNG.2, "Gia#2026mao");
    let typed = sign_in_api(&phone, "Gia#2026mao");
    assert_eq!(api("GET", "/api/v1/dossiers", Value::Null, &typed).1, json!([]));
    let (status, _) = api("GET", &format!("/api/v1/tracking/{code}"), Value::Null, &typed);
    assert_eq!(status, 404);

    // Dung signs in with VNeID, from the wizard's way in: back where she
    // was going, signed in, her name and ID number from the provider, and
    // the dossier filed for her is hers.
    walk(&c, &[Open("/dang-nhap?tiep=%2Fho-so-cua-toi"), Click("#vneid")]).await;
    log_in_at_provider(&c, DUNG.0).await;
    wait_url(&c, "/ho-so-cua-toi").await;
    wait_text(&c, "main", &code).await;
    // VNeID gives no phone: asked once, where she landed.
    walk(
        &c,
        &[
            See("#ask-phone", "VNeID không cho biết số điện thoại"),
            Axe("asked for a phone after VNeID"),
            Shot("vneid-ask-phone"),
            Click("#ask-phone a"),
        ],
    )
    .await;
    wait_url(&c, "/tai-khoan").await;
    walk(
        &c,
        &[
            Until(
                "return document.activeElement && document.activeElement.id === 'phone'",
                "the phone field focused",
            ),
            See("#texts-no-phone", "chưa có số điện thoại"),
            Axe("account without a phone"),
            // Once: not again on the next page.
            Open("/ho-so-cua-toi"),
        ],
    )
    .await;
    wait_text(&c, "main", &code).await;
    assert!(c.find(Locator::Id("ask-phone")).await.is_err(), "asked once only");
    open(&c, "/tai-khoan").await;
    wait_text(&c, "main", DUNG.1).await;
    wait_text(&c, "main", DUNG.0).await;
    walk(
        &c,
        &[
            Axe("account after VNeID"),
            // Filing for herself: who she is comes from VNeID, shown, not typed.
            Open("/nop-ho-so/1.001193"),
            Page("Ai nộp hồ sơ"),
            Click("#unit option[value='000.05.37.H37']"),
            Submit,
            Page("Thông tin người yêu cầu"),
            See("#applicant-proven", "Từ VNeID"),
        ],
    )
    .await;
    assert_eq!(text_of(&c, Locator::Id("proven-id")).await, DUNG.0);
    assert!(c.find(Locator::Id("applicant.citizen_id")).await.is_err(), "not a field to edit");
    walk(&c, &[Axe("applicant from VNeID"), Shot("applicant-from-vneid")]).await;
    // The account typed with her ID number is hers now: whoever made it
    // was signed out, and its password no longer opens it.
    assert_eq!(api("GET", "/api/v1/me", Value::Null, &typed).0, 401);
    let body = json!({ "identifier": phone, "password": "Gia#2026mao" });
    assert_eq!(api("POST", "/api/v1/session", body, "").0, 401);
    finish(c).await;

    // A provider that is down: said at once, on the portal's own page.
    let (data, dist, port) = own_site("vneid-down");
    let dead = format!("http://127.0.0.1:{}", free_port());
    let args = ["--vneid-issuer", &dead, "--vneid-client-id", "x", "--vneid-client-secret", "y"];
    let _portal = OwnPortal::start_with(&data, &dist, port, &args);
    set_base(&format!("http://127.0.0.1:{port}"));
    let c = browser().await;
    walk(&c, &[Open("/dang-nhap"), Click("#vneid")]).await;
    failed_with(&c, "khong-ket-noi", "không kết nối được").await;
    assert_accessible(&c, "VNeID down").await;
    finish(c).await;
}
