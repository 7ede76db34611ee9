//! The back-office seam with the OpenCPS driver, against the OpenCPS
//! stand-in (`opencps-standin`, started here as the tests start the VNeID
//! provider): a dossier reaches it once under our code, with its files;
//! its status comes back and is shown with when it was confirmed; a
//! withdrawal is asked there first; with the back office away, every
//! citizen still gets a receipt and every dossier arrives exactly once
//! when it returns, across a restart of the forwarder; the conformance
//! command passes and names a missing field.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::support::*;

/// The stand-in on a free port (killed when dropped): (base, API URL).
struct Standin(#[allow(dead_code)] Spawned, String, String);

const GROUP: &str = "35417";
const USER: (&str, &str) = ("motcua", "mat-khau-opencps");

fn standin() -> Standin {
    let args = ["--group-id", GROUP, "--username", USER.0, "--password", USER.1];
    let (p, api) = spawn_standin(env!("CARGO_BIN_EXE_opencps-standin"), &args, &[]);
    let base = api.trim_end_matches("/o/rest/v2").to_string();
    Standin(p, base, api)
}

async fn control(s: &Standin, path: &str, body: Value) {
    let r = reqwest::Client::new()
        .post(format!("{}{path}", s.1))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
}

async fn books(s: &Standin) -> Value {
    let text =
        reqwest::get(format!("{}/control/dossiers", s.1)).await.unwrap().text().await.unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Wait until `done` holds of the stand-in's state (at most 60 s).
async fn until(s: &Standin, done: impl Fn(&Value) -> bool) -> Value {
    poll((Duration::from_secs(60), Duration::from_millis(200)), || books(s), done).await
}

/// The OpenCPS driver's settings for the stand-in.
fn config(s: &Standin) -> portal::backend::opencps::Config {
    portal::backend::opencps::Config {
        url: s.2.clone(),
        group_id: GROUP.into(),
        username: USER.0.into(),
        password: USER.1.into(),
        services: Default::default(),
        statuses: Default::default(),
    }
}

fn driver(s: &Standin) -> std::sync::Arc<dyn portal::backend::BackOffice> {
    let config = config(s);
    std::sync::Arc::new(portal::backend::opencps::OpenCps::new(config).unwrap())
}

/// A portal whose dossiers go to the stand-in; the forwarder is started
/// by the test (and stopped by dropping what `start` gives back).
fn portal_over(s: &Standin) -> Fixture {
    let d = driver(s);
    fixture_with(true, move |st| {
        st.back_office = Some(portal::backend::Forwarder::new(
            st.db.clone(),
            st.files_dir.to_path_buf(),
            d,
            Duration::from_millis(200),
            Duration::from_secs(1),
        ));
    })
}

fn start(f: &Fixture) -> portal::backend::Running {
    let clock = f.state.clone();
    f.state.back_office.as_ref().unwrap().start(move || clock.now(), Default::default())
}

/// A back office stand-in, a portal handing dossiers over to it, and Lan's
/// birth registration filed under `key` and sent there once.
struct Handed {
    s: Standin,
    f: Fixture,
    running: portal::backend::Running,
    lan: String,
    code: String,
}

async fn filed_and_sent(key: &str) -> Handed {
    let s = standin();
    let f = portal_over(&s);
    let running = start(&f);
    let lan = register_lan(&f).await;
    let body = birth_registration(&f, &lan).await;
    let r = submit(&f, &lan, key, &body).await;
    let code = r.body["code"].as_str().unwrap().to_string();
    until(&s, |b| b["dossiers"][0]["submits"] == 1).await;
    Handed { s, f, running, lan, code }
}

async fn tracking(f: &Fixture, code: &str, cookie: &str) -> Value {
    let r = get_as(f, &format!("/api/v1/tracking/{code}"), Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dossier_reaches_opencps_once_under_our_code_and_its_status_comes_back() {
    let s = standin();
    let f = portal_over(&s);
    let _running = start(&f);
    let lan = register_lan(&f).await;
    let body = birth_registration(&f, &lan).await;
    let r = submit(&f, &lan, "key-backend-000000001", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["on_its_way"], true, "the receipt says it is on its way");
    let code = r.body["code"].as_str().unwrap().to_string();
    let b = until(&s, |b| b["dossiers"][0]["submits"] == 1).await;
    let d = &b["dossiers"][0];
    assert_eq!(d["dossierNo"], code.as_str(), "one code for one dossier");
    assert_eq!(d["fields"]["serviceCode"], "1.001193");
    assert_eq!(d["fields"]["govAgencyCode"], "000.05.37.H37");
    assert_eq!(d["fields"]["applicantIdNo"], "020090123456");
    let parts = each(&d["files"], "dossierPartNo");
    assert_eq!(parts, ["TP01", "TP02"]);
    // Its status page: handed over, confirmed by the back office.
    let mut t = tracking(&f, &code, &lan).await;
    for _ in 0..30 {
        if t["back_office"]["on_its_way"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        t = tracking(&f, &code, &lan).await;
    }
    assert_eq!(t["back_office"]["on_its_way"], false, "{t:#}");
    assert!(!t["back_office"]["confirmed_at"].as_str().unwrap().is_empty());
    let receipt = get_as(&f, &format!("/api/v1/dossiers/{code}/receipt"), Some(&lan)).await;
    assert!(receipt.body.get("on_its_way").is_none(), "{}", receipt.body);
    // An officer moves it there; the portal shows it, with the note.
    let moved = json!({ "dossierNo": code, "status": "processing", "note": "Đang thẩm định" });
    control(&s, "/control/move", moved).await;
    let t = until_status(&f, &code, &lan, 4).await;
    assert_eq!(t["status"], 4, "{t:#}");
    assert_eq!(t["history"].as_array().unwrap().last().unwrap()["note"], "Đang thẩm định");
    // Moving it here instead is refused: the back office keeps it.
    let now = f.state.now() as i64;
    let here = f.state.db.with(|c| {
        let m = portal::store::dossiers::Move { to: 9, note: "", amount: None, by_citizen: false };
        portal::store::dossiers::transition(c, &code, m, now)
    });
    assert!(matches!(here, Ok(Err(portal::store::dossiers::TransitionError::KeptByBackOffice))));
    // The citizen withdraws: asked there first, then shown here.
    let w = ask(
        &f,
        "POST",
        &format!("/api/v1/dossiers/{code}/withdraw"),
        json!({"reason": "Nộp nhầm"}),
        &lan,
    )
    .await;
    assert_eq!(w.status, StatusCode::OK, "{}", w.body);
    assert_eq!(w.body["status"], 7);
    let b = books(&s).await;
    assert_eq!(b["dossiers"][0]["dossierStatus"], "cancelling");
    assert_eq!(b["dossiers"].as_array().unwrap().len(), 1);
    assert_eq!(b["duplicates_refused"], 0);
    // The back office reports it to the national portal, not this portal.
    let reported = count(&f, "SELECT COUNT(*) FROM national_sync");
    assert_eq!(reported, 0);
}

/// Wait until the dossier's status page shows `status`.
async fn until_status(f: &Fixture, code: &str, cookie: &str, status: u8) -> Value {
    let every = (Duration::from_secs(20), Duration::from_millis(200));
    poll(every, || tracking(f, code, cookie), |t| t["status"] == status).await
}

/// More documents asked for there: the citizen's answer goes there and it
/// is submitted again; a fee asked there shows its amount here; a result
/// issued there is copied here (checked as an upload is) for the owner.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supplement_fee_and_result_pass_through_the_back_office() {
    use base64::Engine;
    let Handed { s, f, running: _running, lan, code } =
        filed_and_sent("key-backend-000000002").await;
    let asked = json!({ "dossierNo": code, "status": "waiting", "note": "Bổ sung bản sao giấy chứng sinh" });
    control(&s, "/control/move", asked).await;
    let t = until_status(&f, &code, &lan, 5).await;
    assert_eq!(
        t["history"].as_array().unwrap().last().unwrap()["note"],
        "Bổ sung bản sao giấy chứng sinh"
    );
    // The back office away: the citizen is told to try again, nothing moves.
    let more = upload(&f, &lan, "ban%20sao.jpg", JPEG).await;
    let answer = json!({ "files": [more.body["id"]], "note": "Đã chụp bản sao" });
    let uri = format!("/api/v1/dossiers/{code}/supplement");
    control(&s, "/control", json!({ "down": true })).await;
    let away = ask(&f, "POST", &uri, answer.clone(), &lan).await;
    assert_eq!(away.status, StatusCode::SERVICE_UNAVAILABLE, "{}", away.body);
    assert!(away.body["error"]["message"].as_str().unwrap().contains("vẫn còn"));
    control(&s, "/control", json!({ "down": false })).await;
    let sent = ask(&f, "POST", &uri, answer, &lan).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(sent.body["status"], 4);
    let b = books(&s).await;
    assert_eq!(b["dossiers"][0]["resubmits"], 1);
    let parts = each(&b["dossiers"][0]["files"], "dossierPartNo");
    assert_eq!(parts, ["TP01", "TP02", "BS01"]);
    // A fee: the amount from the payment file.
    let fee =
        json!({ "dossierNo": code, "status": "paying", "amount": 50000, "note": "Nộp lệ phí" });
    control(&s, "/control/move", fee).await;
    let t = until_status(&f, &code, &lan, 6).await;
    assert_eq!(t["history"].as_array().unwrap().last().unwrap()["amount"], 50000);
    // The result, issued there, then a file that is not one.
    let pdf = base64::engine::general_purpose::STANDARD.encode(one_page_pdf(""));
    let done = json!({ "dossierNo": code, "status": "releasing", "note": "Đã có kết quả",
                       "result": { "name": "trich-luc-khai-sinh.pdf", "mime": "application/pdf", "base64": pdf } });
    control(&s, "/control/move", done).await;
    let bad = base64::engine::general_purpose::STANDARD.encode(b"<html>not a result</html>");
    let junk = json!({ "dossierNo": code, "status": "releasing", "note": "Đã có kết quả",
                       "result": { "name": "x.pdf", "mime": "application/pdf", "base64": bad } });
    control(&s, "/control/move", junk).await;
    let t = until_status(&f, &code, &lan, 9).await;
    assert_eq!(t["result_count"], 1, "{t:#}");
    assert_eq!(t["results"][0]["name"], "trich-luc-khai-sinh.pdf");
    let file = get_as(&f, &format!("/api/v1/dossiers/{code}/results/1"), Some(&lan)).await;
    assert_eq!(file.status, StatusCode::OK);
    // Polled again: copied once.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(tracking(&f, &code, &lan).await["result_count"], 1);
}

/// A fee paid online here for a dossier the back office keeps is told to
/// it (status 5, KeyPayDVCQG, the transaction and e-receipt in the note),
/// once, after it comes back; the move from 6 stays the back office's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fee_paid_online_is_told_to_the_back_office_once() {
    use portal::payment::{self, Confirm};
    let Handed { s, f, running: _running, lan, code } =
        filed_and_sent("key-backend-000000003").await;
    let fee =
        json!({ "dossierNo": code, "status": "paying", "amount": 50000, "note": "Nộp lệ phí" });
    control(&s, "/control/move", fee).await;
    until_status(&f, &code, &lan, 6).await;
    // The back office away when the platform confirms the payment.
    control(&s, "/control", json!({ "down": true })).await;
    let secret = "motcua-dev-payment-secret";
    let platform = payment::Platform::new("http://127.0.0.1:9", "MOTCUA-H37", secret).unwrap();
    let now = f.state.now() as i64;
    let settled = f.state.db.with(|c| {
        let id = portal::store::dossiers::load(c, &code).unwrap().unwrap().id;
        let asked = portal::store::dossiers::load(c, &code).unwrap().unwrap().fee_due().unwrap();
        assert_eq!(asked.0, 50_000);
        portal::store::payments::begin(c, id, "REF-BO-1", 50_000, now, asked.1).unwrap();
        let mut m = Confirm {
            ma_loi: payment::OK.into(),
            ma_doi_tac: "MOTCUA-H37".into(),
            ma_tham_chieu: "REF-BO-1".into(),
            so_tien: "50000".into(),
            ma_tien_te: "VND".into(),
            ma_giao_dich: "GD-BO-0001".into(),
            ma_ngan_hang: "VCB".into(),
            thoi_gian_gd: payment::gd_time(now),
            thong_tin_giao_dich: String::new(),
            ma_xac_thuc: String::new(),
        };
        m.ma_xac_thuc = payment::mac(secret, &m.signed());
        payment::settle(c, &m, &platform, now).unwrap()
    });
    assert!(
        matches!(settled, Ok(payment::Settled::Paid { moved: false, .. })),
        "paid, not moved here: {settled:?}"
    );
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(books(&s).await["dossiers"][0]["payment"].is_null());
    control(&s, "/control", json!({ "down": false })).await;
    let b = until(&s, |b| !b["dossiers"][0]["payment"].is_null()).await;
    let told = &b["dossiers"][0]["payment"];
    assert_eq!(
        (told["paymentStatus"].as_u64(), told["paymentMethod"].as_str()),
        (Some(5), Some("KeyPayDVCQG")),
        "{told}"
    );
    let note = told["paymentNote"].as_str().unwrap();
    assert!(note.contains("GD-BO-0001") && note.contains(" 0000001"), "{note}");
    // Told once: later rounds leave it be.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(books(&s).await["dossiers"][0]["payment"]["told"], 1);
    let t = tracking(&f, &code, &lan).await;
    assert_eq!(
        (t["status"].as_u64(), t["payment"]["state"].as_str()),
        (Some(6), Some("paid")),
        "{t}"
    );
}

/// A payment the back office refuses to take (here: it has no payment
/// file for the dossier) is not told again every poll, only after a while.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_the_back_office_refuses_is_told_again_only_later() {
    use portal::payment::{self, Confirm};
    let Handed { s, f, running: _running, lan: _, code } =
        filed_and_sent("key-backend-000000004").await;
    let secret = "motcua-dev-payment-secret";
    let platform = payment::Platform::new("http://127.0.0.1:9", "MOTCUA-H37", secret).unwrap();
    let now = f.state.now() as i64;
    f.state.db.with(|c| {
        let id = portal::store::dossiers::load(c, &code).unwrap().unwrap().id;
        portal::store::payments::begin(c, id, "REF-BO-2", 8_000, now, 0).unwrap();
        let mut m = Confirm {
            ma_loi: payment::OK.into(),
            ma_doi_tac: "MOTCUA-H37".into(),
            ma_tham_chieu: "REF-BO-2".into(),
            so_tien: "8000".into(),
            ma_tien_te: "VND".into(),
            ma_giao_dich: "GD-BO-0002".into(),
            ma_ngan_hang: "VCB".into(),
            thoi_gian_gd: payment::gd_time(now),
            thong_tin_giao_dich: String::new(),
            ma_xac_thuc: String::new(),
        };
        m.ma_xac_thuc = payment::mac(secret, &m.signed());
        payment::settle(c, &m, &platform, now).unwrap().unwrap();
    });
    // Refused on the next poll, then left be for ten minutes.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(books(&s).await["dossiers"][0]["payment"].is_null());
    let (soon, later) = f.state.db.with(|c| {
        let t = f.state.now() as i64;
        let soon = portal::store::payments::to_report(c, t - 600, 50).unwrap().len();
        let later = portal::store::payments::to_report(c, t + 1, 50).unwrap().len();
        (soon, later)
    });
    assert_eq!((soon, later), (0, 1), "refused: not asked again before ten minutes");
}

/// The back office is away for the whole of 50 submissions; each citizen
/// gets a receipt; the forwarder is restarted meanwhile; when the back
/// office returns every dossier arrives, each exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_submissions_while_the_back_office_is_away_arrive_exactly_once() {
    let s = standin();
    control(&s, "/control", json!({ "down": true })).await;
    let f = portal_over(&s);
    let mut first = Some(start(&f));
    let lan = register_lan(&f).await;
    let mut codes = Vec::new();
    for i in 0..50 {
        let body = birth_registration(&f, &lan).await;
        let r = submit(&f, &lan, &format!("key-away-{i:012}"), &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{i}: {}", r.body);
        assert_eq!(r.body["on_its_way"], true);
        codes.push(r.body["code"].as_str().unwrap().to_string());
        if i == 25 {
            // A restart of the portal's forwarder, the back office still away.
            first = None;
        }
    }
    assert!(first.is_none());
    let _second = start(&f);
    let t = tracking(&f, &codes[0], &lan).await;
    assert_eq!(t["back_office"]["on_its_way"], true, "{t:#}");
    assert_eq!(t["back_office"]["confirmed_at"], "");
    assert_eq!(books(&s).await["dossiers"].as_array().unwrap().len(), 0);
    control(&s, "/control", json!({ "down": false })).await;
    let b = until(&s, |b| {
        b["dossiers"].as_array().unwrap().iter().filter(|d| d["submits"] == 1).count() == 50
    })
    .await;
    let mut arrived: Vec<String> = b["dossiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["dossierNo"].as_str().unwrap().to_string())
        .collect();
    arrived.sort();
    codes.sort();
    assert_eq!(arrived, codes, "each once, none twice");
    assert_eq!(b["duplicates_refused"], 0);
    for d in b["dossiers"].as_array().unwrap() {
        assert_eq!(d["files"].as_array().unwrap().len(), 2, "{d:#}");
    }
    let text = f.state.db.with(|c| portal::store::stats::metrics(c)).unwrap();
    assert!(text.contains("motcua_back_office{state=\"delivered\"} 50"), "{text}");
}

/// A hand-over cut half-way (created there, one file of two sent, then
/// the answer lost): the retry finds it by our code and finishes it — no
/// second dossier, no file twice, submitted once; and again changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_over_cut_half_way_is_finished_not_repeated() {
    use portal::backend::BackOffice;
    let s = standin();
    let config = config(&s);
    let site = portal::backend::opencps::OpenCps::new(config).unwrap();
    let mut filing = portal::backend::check::test_filing("1.001193", "000.05.37.H37", 1).unwrap();
    let second = portal::backend::FileOut {
        id: "KIEMTHU-1-2".into(),
        ..filing.documents[0].files[0].clone()
    };
    filing.documents.push(portal::backend::DocumentOut {
        number: 2,
        name: "Giấy tờ thứ hai".into(),
        files: vec![second],
    });
    let created = site.create(&filing).await.unwrap();
    site.upload(&created.dossier_id, "TP01", &filing.documents[0].files[0], None).await.unwrap();
    let first = site.hand_over(&filing).await.unwrap();
    assert_eq!(first.remote_id, created.dossier_id);
    assert_eq!(first.national, 1);
    let again = site.hand_over(&filing).await.unwrap();
    assert_eq!(again.remote_id, created.dossier_id);
    let b = books(&s).await;
    assert_eq!(b["dossiers"].as_array().unwrap().len(), 1, "{b:#}");
    let d = &b["dossiers"][0];
    assert_eq!(d["submits"], 1);
    let parts = each(&d["files"], "dossierPartNo");
    assert_eq!(parts, ["TP01", "TP02"]);
    assert_eq!(b["duplicates_refused"], 0);
}

/// An answer without a field the driver reads is refused by its name, and
/// the dossier waits (not lost, not marked delivered).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_missing_a_field_is_refused_by_name_and_the_dossier_waits() {
    let s = standin();
    control(&s, "/control", json!({ "drop_field": "dossierId" })).await;
    let f = portal_over(&s);
    let _running = start(&f);
    let lan = register_lan(&f).await;
    let body = birth_registration(&f, &lan).await;
    let r = submit(&f, &lan, "key-drop-0000000001", &body).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let start = Instant::now();
    let answer = loop {
        let a: String = f
            .state
            .db
            .with(|c| c.query_row("SELECT answer FROM back_office", [], |r| r.get(0)))
            .unwrap();
        if !a.is_empty() || start.elapsed() > Duration::from_secs(20) {
            break a;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(answer.contains("dossierId"), "{answer}");
    let (state,): (String,) = f
        .state
        .db
        .with(|c| c.query_row("SELECT state FROM back_office", [], |r| Ok((r.get(0)?,))))
        .unwrap();
    assert_eq!(state, "pending");
}

/// A procedure the back office does not take at a desk is refused at
/// submission, beside the desk, instead of waiting for ever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_the_back_office_has_not_set_up_is_said_at_once() {
    let s = standin();
    let only = json!({ "services": [["1.001193", "000.01.37.H37"]] });
    control(&s, "/control", only).await;
    let f = portal_over(&s);
    f.state.back_office.as_ref().unwrap().read_offer().await;
    let lan = register_lan(&f).await;
    let body = birth_registration(&f, &lan).await;
    let r = submit(&f, &lan, "key-notset-00000001", &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(field_error(&r.body, "unit").contains("chưa nhận hồ sơ trực tuyến"));
    let mut elsewhere = body.clone();
    elsewhere["unit"] = json!("000.01.37.H37");
    let r = submit(&f, &lan, "key-notset-00000002", &elsewhere).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

/// A back office gone wrong: an answer of 6 MB is refused (read no further
/// than 4 MB), a slow one does not hold a citizen's submission.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bloated_or_slow_back_office_costs_the_portal_nothing() {
    let s = standin();
    let site = driver(&s);
    let filing = portal::backend::check::test_filing("1.001193", "000.05.37.H37", 2).unwrap();
    site.hand_over(&filing).await.unwrap();
    control(&s, "/control", json!({ "pad_bytes": 6 * 1024 * 1024 })).await;
    let e = site.standing("KIEMTHU-2", "KIEMTHU-2").await.unwrap_err();
    assert!(e.to_string().contains("larger than 4 MB"), "{e}");
    control(&s, "/control", json!({ "pad_bytes": 0, "delay_ms": 5000 })).await;
    let f = portal_over(&s);
    let _running = start(&f);
    let lan = register_lan(&f).await;
    let body = birth_registration(&f, &lan).await;
    let t = Instant::now();
    let r = submit(&f, &lan, "key-slow-0000000001", &body).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert!(t.elapsed() < Duration::from_secs(2), "the receipt does not wait for the back office");
    assert_eq!(r.body["on_its_way"], true);
}

/// `portal backend check --driver opencps`: exit 0 with its table; told to
/// drop a required field, non-zero, naming it.
#[test]
fn the_backend_check_passes_and_names_a_missing_field() {
    let s = standin();
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
            .args(["--data-dir", tempfile::tempdir().unwrap().path().to_str().unwrap()])
            .args(["backend", "check", "--driver", "opencps", "--url", &s.2, "--group-id", GROUP])
            .env("PORTAL_OPENCPS_USERNAME", USER.0)
            .env("PORTAL_OPENCPS_PASSWORD", USER.1)
            .output()
            .unwrap()
    };
    let good = run();
    let table = String::from_utf8_lossy(&good.stdout).to_string();
    assert!(good.status.success(), "{table}{}", String::from_utf8_lossy(&good.stderr));
    assert!(table.contains("all 8 steps passed"), "{table}");
    // No account in the environment: a try-out with the stand-in's, said so.
    let bare = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .args(["--data-dir", tempfile::tempdir().unwrap().path().to_str().unwrap()])
        .args(["backend", "check", "--driver", "opencps", "--url", &s.2])
        .env_remove("PORTAL_OPENCPS_USERNAME")
        .env_remove("PORTAL_OPENCPS_PASSWORD")
        .env_remove("PORTAL_OPENCPS_GROUP_ID")
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&bare.stdout).to_string();
    assert!(bare.status.success(), "{table}");
    assert!(
        table.contains("stand-in's account") && table.contains("all 8 steps passed"),
        "{table}"
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(control(&s, "/control", json!({ "drop_field": "dossierStatus" })));
    let bad = run();
    let table = String::from_utf8_lossy(&bad.stdout).to_string();
    assert!(!bad.status.success(), "{table}");
    assert!(table.contains("FAIL") && table.contains("dossierStatus"), "{table}");
}

/// Misconfigured, the portal refuses to start and says why.
#[test]
fn the_opencps_driver_refuses_to_start_without_its_settings() {
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str], user: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
            .args([
                "--data-dir",
                dir.path().to_str().unwrap(),
                "serve",
                "--dev",
                "--bind",
                "127.0.0.1:0",
            ])
            .args(["--backend", "opencps"])
            .args(extra)
            .env("PORTAL_OPENCPS_USERNAME", user)
            .env("PORTAL_OPENCPS_PASSWORD", "x")
            .env_remove("PORTAL_NATIONAL_SYNC_URL")
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    assert!(run(&[], "u").contains("--opencps-url"));
    let url = ["--opencps-url", "http://127.0.0.1:9/o/rest/v2", "--opencps-group-id", "1"];
    assert!(run(&url, "").contains("PORTAL_OPENCPS_USERNAME"));
    let both = [&url[..], &["--national-sync-url", "http://127.0.0.1:9"]].concat();
    assert!(run(&both, "u").contains("reports to the national portal itself"));
}

/// A back office with its own booking list (OpenCPS `/bookings`) gets each
/// booking once (away: when it returns), a moved one updated in place, a
/// cancelled one taken back; the local driver keeps them in the store only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bookings_reach_a_back_office_that_keeps_them_and_leave_it_when_cancelled() {
    let s = standin();
    let f = portal_over(&s);
    let lan = register_lan(&f).await;
    let cal = get_as(&f, "/api/v1/desks/000.05.37.H37/calendar", Some(&lan)).await.body;
    let day = &cal["days"][1];
    let (date, a, b) =
        (day["date"].clone(), day["slots"][0]["start"].clone(), day["slots"][1]["start"].clone());
    let body = json!({ "desk": "000.05.37.H37", "date": date, "slot": a, "procedure": "1.001193" });
    let r = ask(&f, "POST", "/api/v1/bookings", body, &lan).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.body["code"].as_str().unwrap().to_string();
    let forwarder = f.state.back_office.clone().unwrap();
    control(&s, "/control", json!({ "down": true })).await;
    forwarder.report_bookings(f.state.now()).await;
    assert!(books(&s).await["bookings"].as_array().unwrap().is_empty());
    control(&s, "/control", json!({ "down": false })).await;
    forwarder.report_bookings(f.state.now()).await;
    forwarder.report_bookings(f.state.now()).await;
    let kept = books(&s).await["bookings"].clone();
    assert_eq!(kept.as_array().unwrap().len(), 1, "once: {kept}");
    let fields = &kept[0]["fields"];
    assert_eq!(
        (fields["className"].as_str(), fields["codeNumber"].as_str()),
        (Some("motcua.Booking"), Some(code.as_str()))
    );
    assert_eq!(fields["bookingDate"], date);
    assert!(fields["bookingName"].as_str().unwrap().contains(a.as_str().unwrap()), "{fields}");
    // Moved: the same booking there, with the new time.
    let r = ask(
        &f,
        "POST",
        &format!("/api/v1/bookings/{code}/move"),
        json!({ "date": date, "slot": b }),
        &lan,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    forwarder.report_bookings(f.state.now()).await;
    let kept = books(&s).await["bookings"].clone();
    assert_eq!(kept.as_array().unwrap().len(), 1);
    assert!(kept[0]["fields"]["bookingName"].as_str().unwrap().contains(b.as_str().unwrap()));
    // Cancelled: taken back there.
    let r = ask(&f, "DELETE", &format!("/api/v1/bookings/{code}"), Value::Null, &lan).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    forwarder.report_bookings(f.state.now()).await;
    assert_eq!(books(&s).await["bookings"][0]["deleted"], true);
}
