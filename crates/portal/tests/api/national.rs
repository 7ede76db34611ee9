//! The national dossier sync (local store) against the stand-in adapter
//! (`national-standin`, started here as the tests start the VNeID
//! provider): every dossier and every change of its status reaches it
//! exactly once, in order, across the adapter's 5xx, an expired session
//! and a restart of the sender; a record of the wrong shape is refused by
//! name and nothing behind it on that dossier overtakes it.

use std::time::Duration;

use serde_json::{json, Value};

use crate::support::*;

/// The stand-in on a free port (killed when dropped) and its URL.
struct Standin(#[allow(dead_code)] Spawned, String);

fn standin() -> Standin {
    let args =
        ["--dstcode", "000.00.00.H37", "--username", "langson", "--password", "mat-khau-dvcqg"];
    let (p, url) = spawn_standin(env!("CARGO_BIN_EXE_national-standin"), &args, &[]);
    Standin(p, url)
}

async fn post(url: &str, body: Value) {
    reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
}

async fn records(s: &Standin) -> Value {
    let text = reqwest::get(format!("{}/records", s.1)).await.unwrap().text().await.unwrap();
    serde_json::from_str(&text).unwrap()
}

fn config(s: &Standin) -> portal::national::Config {
    portal::national::Config {
        url: s.1.clone(),
        auth_path: "/auth".into(),
        sync_path: "/integration".into(),
        username: "langson".into(),
        password: "mat-khau-dvcqg".into(),
        dstcode: "000.00.00.H37".into(),
        madonvi: "000.00.00.H37".into(),
        retry: Duration::from_secs(1),
    }
}

/// Wait until `done` holds of the stand-in's records (at most 30 s).
async fn until(s: &Standin, done: impl Fn(&Value) -> bool) -> Value {
    poll((Duration::from_secs(30), Duration::from_millis(100)), || records(s), done).await
}

fn pending(f: &Fixture) -> i64 {
    f.state
        .db
        .with(|c| {
            c.query_row("SELECT COUNT(*) FROM national_sync WHERE status = 'pending'", [], |r| {
                r.get(0)
            })
        })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_status_change_reaches_the_national_portal_once_and_in_order() {
    let s = standin();
    let f = fixture(true);
    // The adapter fails the first three requests (5xx) before it answers.
    post(&format!("{}/control", s.1), json!({ "fail_next": 3, "status": 503 })).await;
    let sync = portal::national::Sync::new(f.state.db.clone(), config(&s)).unwrap();
    let clock = f.state.clone();
    let first = sync.start(move || clock.now());
    let (code, _, _) = lan_dossier(&f).await;
    officer(&f, &code, 2, "Đã tiếp nhận");
    officer(&f, &code, 4, "Đang xử lý");
    let r = until(&s, |r| r["progress"].as_array().is_some_and(|p| p.len() == 2)).await;
    let d = &r["dossiers"][&code];
    assert_eq!(d["MaTTHC"], "1.001193");
    assert_eq!(d["ChuHoSo"], "Nguyễn Thị Lan");
    assert_eq!(d["LoaiDoiTuong"], "1");
    assert_eq!(d["NgayTiepNhan"].as_str().unwrap().len(), 14);
    assert_eq!(d["TaiLieuNop"].as_array().unwrap().len(), 2);
    // The sender stops (a restart of the portal) with changes still to send.
    first.abort();
    officer(&f, &code, 5, "Bổ sung bản sao giấy chứng sinh");
    officer(&f, &code, 4, "Đã bổ sung");
    officer(&f, &code, 9, "Đã xử lý xong");
    // The session expires meanwhile; a new sender picks up from the outbox.
    post(&format!("{}/control", s.1), json!({ "expire_sessions": true, "fail_next": 1 })).await;
    let sync = portal::national::Sync::new(f.state.db.clone(), config(&s)).unwrap();
    let clock = f.state.clone();
    let _second = sync.start(move || clock.now());
    let r = until(&s, |r| r["progress"].as_array().is_some_and(|p| p.len() == 5)).await;
    let order = each(&r["progress"], "TrangThai");
    assert_eq!(order, ["2", "4", "5", "4", "9"], "exactly once each, in order");
    assert_eq!(r["dossiers"][&code]["TrangThaiHoSo"], "9");
    assert!(r["refused"].as_array().unwrap().is_empty(), "{:#}", r["refused"]);
    // Acknowledged, all of them; nothing left waiting.
    for _ in 0..50 {
        if pending(&f) == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(pending(&f), 0);
}

/// A record the adapter refuses by name stays waiting, and the dossier's
/// later records wait behind it: never out of order, never lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_record_holds_its_dossiers_later_ones_and_is_not_lost() {
    let s = standin();
    let f = fixture(true);
    let (code, _, _) = lan_dossier(&f).await;
    // Broken on purpose: the dossier record loses a required field.
    f.state
        .db
        .with(|c| {
            c.execute(
                "UPDATE national_sync SET payload = json_remove(payload, '$.MaTTHC')
                 WHERE service = 'DongBoHoSoMC'",
                [],
            )
        })
        .unwrap();
    officer(&f, &code, 2, "Đã tiếp nhận");
    let sync = portal::national::Sync::new(f.state.db.clone(), config(&s)).unwrap();
    let clock = f.state.clone();
    let _worker = sync.start(move || clock.now());
    let r = until(&s, |r| !r["refused"].as_array().unwrap().is_empty()).await;
    assert!(r["refused"][0].as_str().unwrap().contains("MaTTHC"), "{:#}", r["refused"]);
    assert!(r["progress"].as_array().unwrap().is_empty(), "the progress waits behind it");
    assert_eq!(pending(&f), 2);
}

#[test]
fn the_metrics_show_what_waits() {
    let f = fixture(true);
    let text = f.state.db.with(|c| portal::store::stats::metrics(c)).unwrap();
    assert!(text.contains("motcua_national_sync{state=\"pending\"} 0"), "{text}");
}

/// `portal national-check` against the stand-in: its table and exit 0; with
/// a wrong password it fails at the login, naming it.
#[test]
fn the_conformance_check_passes_against_the_standin_and_names_what_fails() {
    let s = standin();
    let run = |password: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
            .args(["national-check", "--url", &s.1, "--madonvi", "000.00.00.H37"])
            .env("PORTAL_NATIONAL_SYNC_USERNAME", "langson")
            .env("PORTAL_NATIONAL_SYNC_PASSWORD", password)
            .env("PORTAL_NATIONAL_SYNC_DSTCODE", "000.00.00.H37")
            .output()
            .unwrap()
    };
    let good = run("mat-khau-dvcqg");
    let table = String::from_utf8_lossy(&good.stdout).to_string();
    assert!(good.status.success(), "{table}{}", String::from_utf8_lossy(&good.stderr));
    assert!(table.contains("DongBoHoSoMC") && table.contains("all 3 steps passed"), "{table}");
    let bad = run("sai-mat-khau");
    let table = String::from_utf8_lossy(&bad.stdout).to_string();
    assert!(!bad.status.success());
    assert!(table.contains("login") && table.contains("FAIL"), "{table}");
}
