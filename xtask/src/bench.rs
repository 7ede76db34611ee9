//! `cargo xtask bench`: measurements, not tests. Prints tables and writes
//! `target/bench/report.json`:
//! - first-load wire bytes of `/` by type (brotli as served) on the seed
//!   catalog, and the procedure list's bytes at national scale;
//! - Lighthouse 12.2.3 mobile (3 runs per page, the median run by
//!   performance score) on `/` and a procedure detail page;
//! - search latency per keystroke natively (1,601 province + commune
//!   procedures) and in Chromium at 4x CPU throttle (the whole imported catalog);
//! - photo compression in the wizard: a 12 MP JPEG, median of three runs;
//! - health and tracking reads while 8 clients ask for statistics over
//!   50,000 demo dossiers (`stats_bench`).

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::{cargo, setup, size, step};

/// The pages Lighthouse scores: the home page and a detail page.
const PAGES: [(&str, &str); 2] = [("home", "/"), ("detail", "/thu-tuc/1.001193")];
const RUNS: usize = 3;

pub fn run(root: &Path, portal: &Path) -> Result<()> {
    let lighthouse = setup::lighthouse(root)?;
    let out = root.join("target/bench");
    std::fs::create_dir_all(&out)?;
    let mut report = serde_json::Map::new();

    step("first load of / (fresh seeded database)");
    let (seeded, port) = crate::seeded_portal(root, portal, "bench-data")?;
    let first: Value = serde_json::from_str(&size::gate(root, port)?)?;
    report.insert("first_load".into(), first);

    step("Lighthouse 12.2.3, mobile (simulated slow 4G, 4x CPU), 3 runs per page");
    let mut lh = serde_json::Map::new();
    println!(
        "    {:<8} {:>5} {:>5} {:>5} {:>8} {:>7} {:>6} {:>9}",
        "page", "perf", "a11y", "b-p", "LCP ms", "TBT ms", "CLS", "bytes"
    );
    for (name, path) in PAGES {
        let mut runs = Vec::new();
        for i in 0..RUNS {
            runs.push(lighthouse_run(
                &lighthouse,
                &format!("http://127.0.0.1:{port}{path}"),
                &out.join(format!("lighthouse-{name}-{i}.json")),
            )?);
        }
        runs.sort_by(|a, b| {
            a["performance"]
                .as_f64()
                .unwrap_or(0.0)
                .total_cmp(&b["performance"].as_f64().unwrap_or(0.0))
        });
        let median = runs[RUNS / 2].clone();
        println!(
            "    {:<8} {:>5} {:>5} {:>5} {:>8.0} {:>7.0} {:>6.3} {:>9}",
            name,
            median["performance"],
            median["accessibility"],
            median["best_practices"],
            median["lcp_ms"].as_f64().unwrap_or(-1.0),
            median["tbt_ms"].as_f64().unwrap_or(-1.0),
            median["cls"].as_f64().unwrap_or(-1.0),
            median["transfer_bytes"]
        );
        lh.insert(name.into(), json!({ "path": path, "median": median, "runs": runs }));
    }
    report.insert("lighthouse".into(), Value::Object(lh));
    drop(seeded);

    step("portal under load: submissions with photos and tracking reads, loopback, release build");
    crate::run_cmd(cargo().args(["build", "--release", "--package", "portal"]))?;
    {
        let release = root.join("target/release/portal");
        // --dev: the accounts' codes are read from the outbox.
        let data = crate::tempdir(root, "bench-load")?;
        let (_portal, port) = crate::start_portal(&release, &data, true, &[])?;
        let load = bench_json(
            cargo()
                .args(["run", "--quiet", "--package", "e2e", "--example", "load_bench"])
                .env("E2E_BASE_URL", format!("http://127.0.0.1:{port}"))
                .env("E2E_DATA_DIR", &data),
        )?;
        report.insert("load".into(), load);

        step("statistics traffic beside citizens' reads: 50,000 demo dossiers, 8 clients");
        let data = crate::tempdir(root, "bench-stats")?;
        crate::run_cmd(Command::new(&release).arg("--data-dir").arg(&data).args([
            "seed-demo",
            "--dossiers",
            "50000",
        ]))?;
        let (_portal, port) = crate::start_portal(&release, &data, true, &[])?;
        let stats = bench_json(
            cargo()
                .args(["run", "--quiet", "--package", "e2e", "--example", "stats_bench"])
                .env("E2E_BASE_URL", format!("http://127.0.0.1:{port}"))
                .env("E2E_DATA_DIR", &data),
        )?;
        report.insert("stats_traffic".into(), stats);
    }

    let catalog = root.join("../shared/data/national-catalog.jsonl");
    let queries = root.join("perf/search-queries.txt");
    if !catalog.exists() {
        println!("    {} is absent: search benchmarks skipped", catalog.display());
    } else {
        step("search latency, native (1,601 province + commune procedures)");
        let native = bench_json(
            cargo()
                .args([
                    "run",
                    "--quiet",
                    "--profile",
                    "bench",
                    "--example",
                    "search_bench",
                    "--package",
                    "motcua",
                    "--",
                ])
                .arg(&catalog)
                .arg(&queries),
        )?;
        report.insert("search_native".into(), native);

        step("search latency in Chromium at 4x CPU throttle (national catalog imported)");
        let data = crate::tempdir(root, "bench-national")?;
        crate::run_cmd(
            Command::new(portal).arg("--data-dir").arg(&data).arg("import-catalog").arg(&catalog),
        )?;
        // --dev: the photo figure needs an account, whose code is read from the outbox.
        let (_portal, port) = crate::start_portal(portal, &data, true, &[])?;
        let list = size::get(port, "/api/v1/procedures")?;
        println!("    procedure list at national scale: {} bytes ({})", list.bytes, list.encoding);
        report.insert(
            "procedure_list_national".into(),
            json!({ "bytes": list.bytes, "encoding": list.encoding }),
        );
        let (_driver, driver_port) = crate::start_chromedriver()?;
        let browser = bench_json(
            cargo()
                .args(["run", "--quiet", "--package", "e2e", "--example", "browser_bench"])
                .env("E2E_BASE_URL", format!("http://127.0.0.1:{port}"))
                .env("E2E_WEBDRIVER_URL", format!("http://127.0.0.1:{driver_port}"))
                .env("BENCH_QUERIES", &queries),
        )?;
        report.insert("search_chromium_4x".into(), browser);
    }

    let path = out.join("report.json");
    std::fs::write(&path, serde_json::to_string_pretty(&Value::Object(report))?)?;
    println!("\nreport: {}", path.display());
    Ok(())
}

/// Run a benchmark program, echo its output, and parse its `BENCH_JSON` line.
fn bench_json(cmd: &mut Command) -> Result<Value> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .envs(setup::tool_env(&crate::project_root()))
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("starting {shown}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut found = None;
    for line in text.lines() {
        match line.strip_prefix("BENCH_JSON ") {
            Some(json) => found = Some(serde_json::from_str(json)?),
            None => println!("{line}"),
        }
    }
    if !out.status.success() {
        bail!("failed ({}): {shown}", out.status);
    }
    found.with_context(|| format!("no BENCH_JSON line from {shown}"))
}

/// One Lighthouse run (mobile, default simulated throttling); the figures we
/// report. Lighthouse sometimes fails to record a trace (NO_NAVSTART): such
/// a run is tried again, up to three times.
fn lighthouse_run(cli: &Path, url: &str, out: &Path) -> Result<Value> {
    let mut attempt = 1;
    while let Err(e) = lighthouse_once(cli, url, out) {
        if attempt == 3 {
            return Err(e);
        }
        println!("    Lighthouse run failed ({e}); trying again");
        attempt += 1;
    }
    let r: Value = serde_json::from_str(&std::fs::read_to_string(out)?)?;
    let score =
        |c: &str| (r["categories"][c]["score"].as_f64().unwrap_or(0.0) * 100.0).round() as u32;
    let audit = |a: &str| r["audits"][a]["numericValue"].clone();
    Ok(json!({
        "performance": score("performance"),
        "accessibility": score("accessibility"),
        "best_practices": score("best-practices"),
        "lcp_ms": audit("largest-contentful-paint"),
        "fcp_ms": audit("first-contentful-paint"),
        "speed_index_ms": audit("speed-index"),
        "tbt_ms": audit("total-blocking-time"),
        "cls": audit("cumulative-layout-shift"),
        "transfer_bytes": audit("total-byte-weight"),
    }))
}

fn lighthouse_once(cli: &Path, url: &str, out: &Path) -> Result<()> {
    crate::run_cmd(
        Command::new(cli)
            .arg(url)
            .args([
                "--quiet",
                "--output=json",
                "--only-categories=performance,accessibility,best-practices",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
            ])
            .arg(format!("--output-path={}", out.display()))
            .env("CHROME_PATH", setup::CHROMIUM),
    )?;
    Ok(())
}
