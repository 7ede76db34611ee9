//! A bounded loopback load on the portal (`cargo xtask bench` runs it
//! against a release build on a fresh database, `--dev` for the accounts):
//! `WORKERS` threads, each filing dossiers (two photo uploads, then the
//! submission) and reading the tracking status of dossiers already filed,
//! three reads per filing, for `SECONDS`. Then it checks, on the portal's
//! SQLite file, that every acknowledged submission is there with its two
//! files and that every code is unique. Prints a table and a `BENCH_JSON` line.

#[path = "../tests/e2e/support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::*;

const WORKERS: usize = 8;
const SECONDS: u64 = 20;
/// Filing is spread over this many accounts, each worker taking its own in
/// turn: one account may upload 1,000 files a day (`http::files::DAY_FILES`),
/// and a run uploads about 24,000.
const ACCOUNTS: usize = 48;

#[derive(Default)]
struct Tally {
    /// (kind, milliseconds, status)
    requests: Vec<(&'static str, f64, u16)>,
    /// (code, token) of every 201.
    filed: Vec<(String, String)>,
    /// The first error answer of each kind, to show.
    first_error: std::collections::BTreeMap<&'static str, String>,
}

fn timed(
    kind: &'static str,
    tally: &Mutex<Tally>,
    f: impl FnOnce() -> (u16, Value),
) -> (u16, Value) {
    let t0 = Instant::now();
    let (status, body) = f();
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    let mut t = tally.lock().unwrap();
    t.requests.push((kind, ms, status));
    if status >= 400 {
        t.first_error.entry(kind).or_insert_with(|| format!("{status} {body}"));
    }
    drop(t);
    (status, body)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn main() {
    // Citizens, made through the API (codes from the dev outbox).
    let mut people = Vec::new();
    for i in 0..ACCOUNTS {
        let (cccd, phone) = unique_ids("0918", 10 + i as u32);
        make_account(&cccd, &phone, "Tải Thử Nghiệm", "07/07/1990", "Tai#2026ls");
        let cookie = sign_in_api(&phone, "Tai#2026ls");
        people.push((cccd, phone, cookie));
    }
    let people = Arc::new(people);
    let photo = std::fs::read(jpeg("load.jpg")).unwrap();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let end = Instant::now() + Duration::from_secs(SECONDS);
    let started = Instant::now();
    let threads: Vec<_> = (0..WORKERS)
        .map(|w| {
            let (tally, photo, people) = (tally.clone(), photo.clone(), people.clone());
            std::thread::spawn(move || {
                let mut n = 0u32;
                while Instant::now() < end {
                    n += 1;
                    let turn = n as usize % (ACCOUNTS / WORKERS);
                    let (cccd, phone, cookie) = &people[w + WORKERS * turn];
                    let mut ids = Vec::new();
                    for _ in 0..2 {
                        let (status, v) =
                            timed("upload", &tally, || upload_api(cookie, "trang.jpg", &photo));
                        if status == 201 {
                            ids.push(v["id"].as_str().unwrap().to_string());
                        }
                    }
                    if ids.len() == 2 {
                        let who = (cccd.as_str(), "Tải Thử Nghiệm", "07/07/1990", phone.as_str());
                        let body = birth_registration(who, "Lạng Sơn", &ids);
                        let key = format!("load-bench-{}-{w:02}-{n:06}", std::process::id());
                        let (status, v) =
                            timed("submit", &tally, || submit_api(cookie, &body, &key));
                        if status == 201 {
                            tally.lock().unwrap().filed.push((
                                v["code"].as_str().unwrap().to_string(),
                                v["token"].as_str().unwrap().to_string(),
                            ));
                        }
                    }
                    // Three people checking on their dossiers.
                    for k in 0..3u32 {
                        let pick = {
                            let t = tally.lock().unwrap();
                            if t.filed.is_empty() {
                                None
                            } else {
                                Some(
                                    t.filed[(n as usize * 7 + k as usize * 13 + w) % t.filed.len()]
                                        .clone(),
                                )
                            }
                        };
                        if let Some((code, token)) = pick {
                            timed("track", &tally, || {
                                api(
                                    "GET",
                                    &format!("/api/v1/tracking/{code}?token={token}"),
                                    Value::Null,
                                    "",
                                )
                            });
                        }
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let tally = tally.lock().unwrap();
    let mut by_kind = serde_json::Map::new();
    println!("    {WORKERS} workers, {SECONDS} s, loopback:");
    for kind in ["upload", "submit", "track"] {
        let mut ms: Vec<f64> = tally.requests.iter().filter(|r| r.0 == kind).map(|r| r.1).collect();
        let errors = tally.requests.iter().filter(|r| r.0 == kind && r.2 >= 400).count();
        ms.sort_by(|a, b| a.total_cmp(b));
        println!(
            "      {kind:<7} {:>6} requests  {:>7.1}/s  p50 {:>6.1} ms  p99 {:>7.1} ms  errors {errors}",
            ms.len(),
            ms.len() as f64 / elapsed,
            percentile(&ms, 0.50),
            percentile(&ms, 0.99)
        );
        by_kind.insert(
            kind.into(),
            json!({ "requests": ms.len(), "per_second": ms.len() as f64 / elapsed,
                    "p50_ms": percentile(&ms, 0.50), "p99_ms": percentile(&ms, 0.99), "errors": errors }),
        );
    }
    for (kind, e) in &tally.first_error {
        println!("      first {kind} error: {e}");
    }
    let five_xx = tally.requests.iter().filter(|r| r.2 >= 500).count();
    let total = tally.requests.len();

    // Every acknowledged submission is stored, with its files, under a unique code.
    let db = rusqlite::Connection::open_with_flags(
        std::path::Path::new(&env("E2E_DATA_DIR")).join("motcua.sqlite3"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let mut lost = 0;
    for (code, _) in &tally.filed {
        let files: Option<i64> = db
            .query_row(
                "SELECT (SELECT COUNT(*) FROM files f WHERE f.dossier_id = d.id) FROM dossiers d WHERE d.code = ?1",
                [code],
                |r| r.get(0),
            )
            .ok();
        if files != Some(2) {
            lost += 1;
        }
    }
    let codes: std::collections::HashSet<&String> = tally.filed.iter().map(|f| &f.0).collect();
    let duplicates = tally.filed.len() - codes.len();
    println!(
        "      {} requests in {elapsed:.1} s ({:.0}/s); {} dossiers acknowledged, {lost} missing or without their files, {duplicates} duplicate codes, {five_xx} server errors",
        total,
        total as f64 / elapsed,
        tally.filed.len()
    );
    assert_eq!(lost, 0, "acknowledged submissions lost");
    assert_eq!(duplicates, 0, "duplicate dossier codes");
    assert_eq!(five_xx, 0, "server errors under load");
    println!(
        "BENCH_JSON {}",
        json!({ "workers": WORKERS, "seconds": elapsed, "requests": total,
                "per_second": total as f64 / elapsed, "acknowledged": tally.filed.len(),
                "lost": lost, "duplicate_codes": duplicates, "server_errors": five_xx,
                "by_kind": by_kind })
    );
}
