//! Statistics traffic must not slow citizens down (`cargo xtask bench` runs
//! it against a release portal holding 50,000 demo dossiers): `CLIENTS`
//! threads ask for the statistics of changing periods as fast as they can
//! for `SECONDS`, while one thread reads `/api/v1/health` and a dossier's
//! tracking status every 50 ms. Prints p50/p95 of those reads with and
//! without the statistics traffic, and a `BENCH_JSON` line.

#[path = "../tests/e2e/support/mod.rs"]
mod support;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use support::*;

const CLIENTS: usize = 8;
const SECONDS: u64 = 15;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

/// Health and tracking reads for `secs`: (health ms, tracking ms), sorted.
fn citizen_reads(track: &str, secs: u64) -> (Vec<f64>, Vec<f64>) {
    let (mut health, mut tracking) = (Vec::new(), Vec::new());
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        for (path, into) in [("/api/v1/health", &mut health), (track, &mut tracking)] {
            let t0 = Instant::now();
            let (status, _, _) = http("GET", path, &[]);
            assert_eq!(status, 200, "{path}");
            into.push(t0.elapsed().as_secs_f64() * 1000.0);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    health.sort_by(f64::total_cmp);
    tracking.sort_by(f64::total_cmp);
    (health, tracking)
}

fn main() {
    let db = rusqlite::Connection::open_with_flags(
        std::path::Path::new(&env("E2E_DATA_DIR")).join("motcua.sqlite3"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let dossiers: i64 = db.query_row("SELECT COUNT(*) FROM dossiers", [], |r| r.get(0)).unwrap();
    let (code, token): (String, String) = db
        .query_row("SELECT code, token FROM dossiers ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    drop(db);
    let track = format!("/api/v1/tracking/{code}?token={token}");

    let (quiet_health, quiet_tracking) = citizen_reads(&track, 5);

    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let limited = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for w in 0..CLIENTS {
        let (stop, answered, limited) = (stop.clone(), answered.clone(), limited.clone());
        workers.push(std::thread::spawn(move || {
            let mut i = w;
            while !stop.load(Ordering::Relaxed) {
                // Each request another period, as people moving the selector.
                let (from, to) = (format!("2025-{:02}", 1 + i % 12), "2026-11".to_string());
                let (status, _, _) =
                    http("GET", &format!("/api/v1/stats?from={from}&to={to}"), &[]);
                match status {
                    200 => answered.fetch_add(1, Ordering::Relaxed),
                    429 => limited.fetch_add(1, Ordering::Relaxed),
                    s => panic!("statistics answered {s}"),
                };
                i += CLIENTS;
            }
        }));
    }
    std::thread::sleep(Duration::from_secs(1));
    let (busy_health, busy_tracking) = citizen_reads(&track, SECONDS);
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    let (answered, limited) = (answered.load(Ordering::Relaxed), limited.load(Ordering::Relaxed));

    println!("statistics traffic: {CLIENTS} clients, {dossiers} dossiers, {SECONDS} s");
    println!(
        "    statistics answered: {answered} ({:.0}/s), refused by the rate limit: {limited}",
        answered as f64 / SECONDS as f64
    );
    println!("    {:<28} {:>8} {:>8} {:>6}", "read", "p50 ms", "p95 ms", "n");
    let rows = [
        ("health, quiet", &quiet_health),
        ("tracking, quiet", &quiet_tracking),
        ("health, statistics traffic", &busy_health),
        ("tracking, statistics traffic", &busy_tracking),
    ];
    for (name, v) in rows {
        println!(
            "    {:<28} {:>8.1} {:>8.1} {:>6}",
            name,
            percentile(v, 0.5),
            percentile(v, 0.95),
            v.len()
        );
    }
    let fig = |v: &Vec<f64>| serde_json::json!({ "p50_ms": percentile(v, 0.5), "p95_ms": percentile(v, 0.95), "n": v.len() });
    println!(
        "BENCH_JSON {}",
        serde_json::json!({
            "dossiers": dossiers, "clients": CLIENTS, "seconds": SECONDS,
            "stats_answered": answered, "stats_limited": limited,
            "health_quiet": fig(&quiet_health), "tracking_quiet": fig(&quiet_tracking),
            "health_busy": fig(&busy_health), "tracking_busy": fig(&busy_tracking),
        })
    );
}
