//! The test plan of `cargo xtask test`: every check and tier, in order,
//! each with what it needs started first, and the count of tests run.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::launch::*;
use crate::{build_portal, cargo, dist, proc, project_root, run_cmd, setup, size, step, tempdir};

/// Totals of every `cargo test` run, for the one closing line CI reads.
static TOTALS: std::sync::Mutex<(u64, u64)> = std::sync::Mutex::new((0, 0));

/// Count checks that are not `cargo test` runs (the API fuzzing).
fn count_tests(passed: u64, failed: u64) {
    let mut t = TOTALS.lock().unwrap_or_else(|p| p.into_inner());
    t.0 += passed;
    t.1 += failed;
}

/// Run a `cargo test` command, echoing its output and adding up its results.
fn run_tests(cmd: &mut Command) -> Result<()> {
    use std::io::BufRead;
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .envs(setup::tool_env(&project_root()))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {shown}"))?;
    let out = child.stdout.take().expect("piped stdout");
    for line in std::io::BufReader::new(out).lines() {
        let line = line?;
        println!("{line}");
        if let Some(rest) = line.trim().strip_prefix("test result: ") {
            let num = |label: &str| -> u64 {
                rest.split(';')
                    .find_map(|part| part.trim().strip_suffix(label))
                    .and_then(|n| n.trim().rsplit(' ').next().and_then(|n| n.parse().ok()))
                    .unwrap_or(0)
            };
            let mut t = TOTALS.lock().unwrap_or_else(|p| p.into_inner());
            t.0 += num("passed");
            t.1 += num("failed");
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("failed ({status}): {shown}");
    }
    Ok(())
}

/// Every tier, cheapest first so a mistake fails fast.
pub fn test(root: &Path) -> Result<()> {
    let started = Instant::now();
    setup::all(root)?;

    step("the code's shape: files at most 600 lines, functions at most 120 (outside tests)");
    crate::shape::check(root)?;

    step("rustfmt --check");
    run_cmd(cargo().args(["fmt", "--all", "--check"]))?;

    step("clippy (native, all targets, warnings are errors)");
    run_cmd(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    step("clippy (the app for wasm32)");
    run_cmd(cargo().args([
        "clippy",
        "--package",
        "motcua",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;

    step("unit tests (native: contract, portal with temporary SQLite, app logic)");
    run_tests(cargo().args(["test", "--workspace", "--exclude", "e2e"]))?;

    step("component tests (wasm-bindgen-test in headless Chromium)");
    run_tests(
        cargo()
            .args([
                "test",
                "--package",
                "motcua",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "web",
            ])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                setup::tools_bin(root).join("wasm-bindgen-test-runner"),
            )
            .env("CHROMEDRIVER", setup::CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;

    dist::dist(root)?;
    let portal = build_portal()?;
    step("first-load size gate (perf/budget.toml), portal on a fresh seeded database");
    {
        let (_portal, port) = seeded_portal(root, &portal, "size-data")?;
        size::gate(root, port)?;
    }

    step(
        "API fuzzing: schemathesis against /api/v1/openapi.json, fresh database, signed out and in",
    );
    {
        let python = setup::schemathesis(root)?;
        let data = tempdir(root, "fuzz-data")?;
        let (_portal, port) = start_portal(&portal, &data, true, &[])?;
        run_cmd(
            Command::new(&python)
                .arg(root.join("tests/fuzz/run_schemathesis.py"))
                .arg(format!("http://127.0.0.1:{port}"))
                .current_dir(&data),
        )?;
        count_tests(1, 0);
    }

    step("building the end-to-end tests");
    run_cmd(cargo().args(["test", "--package", "e2e", "--no-run"]))?;

    end_to_end(root, &portal)?;
    // Written by the e2e test `scale::every_way_in_fits_the_budget`.
    if let Ok(routes) = std::fs::read_to_string(root.join("target/bench/entry-routes.txt")) {
        println!("\n{routes}");
    }
    let (passed, failed) = *TOTALS.lock().unwrap_or_else(|p| p.into_inner());
    println!("\nall checks and tests passed in {:.0?}", started.elapsed());
    println!("{passed} passed, {failed} failed");
    Ok(())
}

/// The end-to-end tier: the real portal on a fresh SQLite file (with the
/// national catalog imported when it is here), the OpenID provider, the
/// payment stand-in and chromedriver, and the e2e crate's tests.
fn end_to_end(root: &Path, portal: &Path) -> Result<()> {
    step("end-to-end: real portal on a fresh SQLite file, real headless Chromium");
    let data = tempdir(root, "e2e-data")?;
    let catalog = root.join("../shared/data/national-catalog.jsonl");
    let imported = catalog.exists();
    if imported {
        run_cmd(
            Command::new(portal).arg("--data-dir").arg(&data).arg("import-catalog").arg(&catalog),
        )?;
    } else {
        println!("    {} is absent: the scale scenario is skipped", catalog.display());
    }
    // Officers' API for the tracking tests; a fresh token per run.
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos();
    let officer_token = format!("e2e-officer-{}-{nanos}", std::process::id());
    // VNeID: the local provider, registered for the portal's port.
    let portal_port = proc::free_port()?;
    let (_vneid, issuer) = start_vneid(root, proc::free_port()?, portal_port)?;
    let (_payments, pay_url) = start_payment_standin(portal_port)?;
    let mut extra = vec!["--officer-token".to_string(), officer_token.clone()];
    extra.extend(vneid_args(&issuer));
    extra.extend(payment_args(&pay_url));
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    let (_portal, portal_port) = start_portal_on(portal_port, portal, &data, true, &extra)?;
    let (_driver, driver_port) = start_chromedriver()?;
    run_tests(
        cargo()
            .args(["test", "--package", "e2e", "--tests", "--", "--test-threads=2"])
            .env("E2E_BASE_URL", format!("http://127.0.0.1:{portal_port}"))
            .env("E2E_WEBDRIVER_URL", format!("http://127.0.0.1:{driver_port}"))
            .env("E2E_AXE_JS", root.join("node_modules/axe-core/axe.min.js"))
            .env("E2E_IMPORTED", if imported { "1" } else { "0" })
            .env("E2E_OFFICER_TOKEN", &officer_token)
            // The officer CLI works on the same SQLite file as the running portal.
            .env("E2E_PORTAL_BIN", portal)
            .env("E2E_VNEID_ISSUER", &issuer)
            .env("E2E_PAYMENT_URL", &pay_url)
            .env("E2E_DATA_DIR", &data)
            // perf/budget.toml is read once, here.
            .env("E2E_BUDGET_BROTLI_BYTES", size::budget_of(root, "brotli_bytes")?.to_string())
            .env(
                "E2E_BUDGET_WHOLE_BROWSER_BYTES",
                size::budget_of(root, "whole_browser_bytes")?.to_string(),
            ),
    )?;
    Ok(())
}
