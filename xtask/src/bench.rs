//! `cargo xtask bench`: measurements, not tests. Prints tables and writes
//! `target/bench/report.json`:
//! - first-load wire bytes of `/` by type (brotli as served) on the seed
//!   catalog, and the procedure list's bytes at national scale;
//! - Lighthouse 12.2.3 mobile against the release portal: 5 runs per page
//!   on `/`, a procedure page and the QR status link, the median run by
//!   performance score with the spread, the machine's load beside it, and
//!   no median when the spread is too wide to mean anything;
//! - search latency per keystroke over the whole national catalog, natively
//!   and in Chromium at 4x CPU throttle (imported into the portal);
//! - photo compression in the wizard: a 12 MP JPEG, median of three runs;
//! - health and tracking reads while 8 clients ask for statistics over
//!   50,000 demo dossiers (`stats_bench`).

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::{cargo, setup, size, step};

/// Lighthouse runs per page.
const RUNS: usize = 5;
/// Performance scores further apart than this make the median meaningless.
const WIDEST_SPREAD: u64 = 10;

/// The 1-minute load average (`/proc/loadavg`), to read beside the scores.
fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|w| w.parse().ok()))
        .unwrap_or(-1.0)
}

/// `cargo xtask bench [lighthouse]`: everything, or the first load and
/// Lighthouse alone.
pub fn run(root: &Path, portal: &Path, only_lighthouse: bool) -> Result<()> {
    let lighthouse = setup::lighthouse(root)?;
    let out = root.join("target/bench");
    std::fs::create_dir_all(&out)?;
    let mut report = serde_json::Map::new();

    step("first load of / (fresh seeded database)");
    let (seeded, port) = crate::launch::seeded_portal(root, portal, "bench-data")?;
    let first: Value = serde_json::from_str(&size::gate(root, port)?)?;
    report.insert("first_load".into(), first);

    drop(seeded);

    // Lighthouse against what a province runs: the release portal, not
    // --dev, on a seeded database with a few demo dossiers (the QR link).
    crate::run_cmd(cargo().args(["build", "--release", "--package", "portal"]))?;
    let release = root.join("target/release/portal");
    report.insert("lighthouse".into(), lighthouse_pages(root, &out, &lighthouse, &release)?);

    if only_lighthouse {
        let path = out.join("report.json");
        std::fs::write(&path, serde_json::to_string_pretty(&Value::Object(report))?)?;
        println!("    report: {}", path.display());
        return Ok(());
    }

    under_load(root, &release, &mut report)?;

    let catalog = root.join("../shared/data/national-catalog.jsonl");
    let queries = root.join("perf/search-queries.txt");
    if !catalog.exists() {
        println!("    {} is absent: search benchmarks skipped", catalog.display());
    } else {
        step("search latency, native (the national catalog, 2,642 procedures)");
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
                .arg(&queries)
                .arg(root.join("perf/search-eval.tsv")),
        )?;
        report.insert("search_native".into(), native);

        step("search latency in Chromium at 4x CPU throttle (national catalog imported)");
        let data = crate::tempdir(root, "bench-national")?;
        crate::run_cmd(
            Command::new(portal).arg("--data-dir").arg(&data).arg("import-catalog").arg(&catalog),
        )?;
        // --dev: the photo figure needs an account, whose code is read from the outbox.
        let (_portal, port) = crate::launch::start_portal(portal, &data, true, &[])?;
        let list = size::get(port, "/api/v1/procedures")?;
        println!("    procedure list at national scale: {} bytes ({})", list.bytes, list.encoding);
        report.insert(
            "procedure_list_national".into(),
            json!({ "bytes": list.bytes, "encoding": list.encoding }),
        );
        let (_driver, driver_port) = crate::launch::start_chromedriver()?;
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

/// Lighthouse's arguments, as printed for a reader to run the same.
fn lighthouse_command(url: &str, out: &Path) -> Vec<String> {
    vec![
        url.to_string(),
        "--quiet".into(),
        "--output=json".into(),
        "--only-categories=performance,accessibility,best-practices".into(),
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage".into(),
        format!("--output-path={}", out.display()),
    ]
}

fn lighthouse_once(cli: &Path, url: &str, out: &Path) -> Result<()> {
    crate::run_cmd(
        Command::new(cli).args(lighthouse_command(url, out)).env("CHROME_PATH", setup::CHROMIUM),
    )?;
    Ok(())
}

/// Lighthouse, mobile, `RUNS` times on each page (home, a procedure, a
/// status link) of the release portal on a seeded database.
fn lighthouse_pages(root: &Path, out: &Path, lighthouse: &Path, release: &Path) -> Result<Value> {
    let data = crate::tempdir(root, "bench-lighthouse")?;
    let demo = ["seed-demo", "--dossiers", "20"];
    crate::run_cmd(Command::new(release).arg("--data-dir").arg(&data).args(demo))?;
    let link = Command::new(release)
        .arg("--data-dir")
        .arg(&data)
        .args(["officer", "status-link"])
        .output()?;
    let link = String::from_utf8(link.stdout)?.trim().to_string();
    if !link.starts_with("/tra-cuu/") {
        bail!("no status link from the demo dossiers: {link:?}");
    }
    let (_portal, port) = crate::launch::start_portal(release, &data, false, &[])?;
    let pages =
        [("home", "/".to_string()), ("detail", "/thu-tuc/1.001193".into()), ("qr-link", link)];
    step(&format!("Lighthouse 12.2.3, mobile (simulated slow 4G, 4x CPU), {RUNS} runs per page"));
    println!("    {}", lighthouse_command("<url>", Path::new("<report.json>")).join(" "));
    let mut lh = serde_json::Map::new();
    // FCP is when the first content shows: on the QR link, the dossier's
    // status (the portal paints it into the page).
    println!(
        "    {:<8} {:>9} {:>5} {:>5} {:>8} {:>8} {:>7} {:>6} {:>9} {:>9}",
        "page", "perf", "a11y", "b-p", "FCP ms", "LCP ms", "TBT ms", "CLS", "bytes", "load 1m"
    );
    for (name, path) in pages {
        let mut runs = Vec::new();
        let load_before = load_average();
        for i in 0..RUNS {
            runs.push(lighthouse_run(
                lighthouse,
                &format!("http://127.0.0.1:{port}{path}"),
                &out.join(format!("lighthouse-{name}-{i}.json")),
            )?);
        }
        let load_after = load_average();
        let perf = |v: &Value| v["performance"].as_u64().unwrap_or(0);
        runs.sort_by_key(perf);
        let (low, high) = (perf(&runs[0]), perf(&runs[RUNS - 1]));
        let wide = high - low > WIDEST_SPREAD;
        let median = runs[RUNS / 2].clone();
        let score = if wide {
            format!("{low}–{high}!")
        } else {
            format!("{} ({low}–{high})", perf(&median))
        };
        println!(
            "    {:<8} {:>9} {:>5} {:>5} {:>8.0} {:>8.0} {:>7.0} {:>6.3} {:>9} {:>4.1}→{:<4.1}",
            name,
            score,
            median["accessibility"],
            median["best_practices"],
            median["fcp_ms"].as_f64().unwrap_or(-1.0),
            median["lcp_ms"].as_f64().unwrap_or(-1.0),
            median["tbt_ms"].as_f64().unwrap_or(-1.0),
            median["cls"].as_f64().unwrap_or(-1.0),
            median["transfer_bytes"],
            load_before,
            load_after
        );
        if wide {
            println!(
                "    {name}: performance spread {low}–{high} is wider than {WIDEST_SPREAD} points: \
                 no median reported (was the machine busy? load {load_before:.1}→{load_after:.1})"
            );
        }
        lh.insert(
            name.into(),
            json!({
                "path": path,
                "median": if wide { Value::Null } else { median },
                "performance_spread": [low, high],
                "spread_too_wide": wide,
                "load_average_1m": [load_before, load_after],
                "runs": runs,
            }),
        );
    }
    Ok(Value::Object(lh))
}

/// The portal under load, and statistics traffic beside citizens' reads.
fn under_load(
    root: &Path,
    release: &Path,
    report: &mut serde_json::Map<String, Value>,
) -> Result<()> {
    step("portal under load: submissions with photos and tracking reads, loopback, release build");
    {
        // --dev: the accounts' codes are read from the outbox.
        let data = crate::tempdir(root, "bench-load")?;
        let (_portal, port) = crate::launch::start_portal(release, &data, true, &[])?;
        let load = e2e_example("load_bench", port, &data)?;
        report.insert("load".into(), load);

        step("statistics traffic beside citizens' reads: 50,000 demo dossiers, 8 clients");
        let data = crate::tempdir(root, "bench-stats")?;
        crate::run_cmd(Command::new(release).arg("--data-dir").arg(&data).args([
            "seed-demo",
            "--dossiers",
            "50000",
        ]))?;
        let (_portal, port) = crate::launch::start_portal(release, &data, true, &[])?;
        let stats = e2e_example("stats_bench", port, &data)?;
        report.insert("stats_traffic".into(), stats);
    }

    Ok(())
}

/// One of the e2e crate's benchmark examples against the portal on `port`
/// over the data folder `data`.
fn e2e_example(name: &str, port: u16, data: &Path) -> Result<Value> {
    bench_json(
        cargo()
            .args(["run", "--quiet", "--package", "e2e", "--example", name])
            .env("E2E_BASE_URL", format!("http://127.0.0.1:{port}"))
            .env("E2E_DATA_DIR", data),
    )
}
