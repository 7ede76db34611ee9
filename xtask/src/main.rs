//! `cargo xtask <command>`: the project's own build and test driver.
//!
//! - `setup`  install what is missing (wasm target, Trunk, wasm-bindgen-cli,
//!   npm tools, Chromium + chromedriver), idempotently, saying what it does;
//! - `dist`   build the release app into `dist/` and precompress it;
//! - `run`    setup + dist + serve app and portal at http://127.0.0.1:8080;
//! - `test`   setup + every check and test tier (see `test` below);
//! - `bench`  measurements: first-load bytes, Lighthouse, search latency;
//! - `package` the release package (DEPLOY.md), installed once to check it.
//!
//! Tools go under `.tools/` and `node_modules/` inside the clone, never into
//! the user's global folders.

mod bench;
mod dist;
mod package;
mod proc;
mod setup;
mod size;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    std::env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("setup") => setup::all(&root),
        Some("dist") => {
            setup::build_tools(&root)?;
            dist::dist(&root)
        }
        Some("run") => run(&root, &args[1..]),
        Some("test") => test(&root),
        Some("bench") => bench(&root, args.get(1).is_some_and(|a| a == "lighthouse")),
        Some("package") => package::run(&root),
        // The first-load gate alone, on the app already in dist/.
        Some("size") => {
            run_cmd(cargo().args(["build", "--package", "portal"]))?;
            let portal = root.join("target/debug/portal");
            let (_portal, port) = seeded_portal(&root, &portal, "size-data")?;
            size::gate(&root, port).map(|_| ())
        }
        _ => {
            eprintln!("usage: cargo xtask <setup|dist|run|test|bench|package|size>");
            eprintln!("  run   build and serve the app + portal at http://127.0.0.1:8080 (data in ./data)");
            eprintln!("  test  format, lint, unit, component (Chromium) and end-to-end tests");
            std::process::exit(2)
        }
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the project root")
        .to_path_buf()
}

/// Announce a step.
pub fn step(msg: &str) {
    println!("\n==> {msg}");
}

/// Run a command with the project's tool folders first on PATH; fail loudly.
pub fn run_cmd(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .envs(setup::tool_env(&project_root()))
        .status()
        .with_context(|| format!("starting {shown}"))?;
    if !status.success() {
        bail!("failed ({status}): {shown}");
    }
    Ok(())
}

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

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn build_portal() -> Result<PathBuf> {
    step("building the portal");
    run_cmd(cargo().args(["build", "--package", "portal"]))?;
    Ok(project_root().join("target/debug/portal"))
}

/// `cargo xtask run [--backend local|opencps] [--port N] [portal flags…]`:
/// the app and the portal on one machine. `--backend opencps` starts the
/// OpenCPS stand-in on a free port and serves the same app over the
/// OpenCPS driver, with its own data folder, beside a default run.
fn run(root: &Path, extra: &[String]) -> Result<()> {
    let mut extra = extra.to_vec();
    let mut take = |flag: &str| -> Option<String> {
        let i = extra.iter().position(|a| a == flag)?;
        let value = extra.get(i + 1).cloned();
        extra.drain(i..(i + 2).min(extra.len()));
        value
    };
    let backend = take("--backend").unwrap_or_else(|| "local".into());
    let port: u16 = match take("--port") {
        Some(p) => p.parse().map_err(|_| anyhow::anyhow!("--port {p:?} is not a port number"))?,
        None => 8080,
    };
    if !["local", "opencps"].contains(&backend.as_str()) {
        anyhow::bail!("--backend is local or opencps, not {backend:?}");
    }
    setup::build_tools(root)?;
    dist::dist(root)?;
    let portal = build_portal()?;
    // The default run keeps its fixed ports and folder; any other takes
    // free ports and a folder of its own, so both can run side by side.
    let default = backend == "local" && port == 8080;
    let vneid_port = if default { 9290 } else { proc::free_port()? };
    let (_vneid, issuer) = start_vneid(root, vneid_port, port)?;
    let data = if default { "data".to_string() } else { format!("data-{backend}-{port}") };
    let mut cmd = Command::new(&portal);
    let mut _standin = None;
    if backend == "opencps" {
        let (child, api) = start_opencps_standin()?;
        _standin = Some(child);
        println!(
            "    OpenCPS stand-in: {api} (its state: {}/control/dossiers)",
            api.trim_end_matches("/o/rest/v2")
        );
        println!(
            "    its conformance run: PORTAL_OPENCPS_USERNAME={} PORTAL_OPENCPS_PASSWORD={} \
             target/debug/portal backend check --driver opencps --url {api} --group-id {}",
            OPENCPS.1, OPENCPS.2, OPENCPS.0
        );
        cmd.args(["--backend", "opencps", "--opencps-url", &api, "--opencps-group-id", OPENCPS.0])
            .args(["--backend-poll-secs", "5"])
            .env("PORTAL_OPENCPS_USERNAME", OPENCPS.1)
            .env("PORTAL_OPENCPS_PASSWORD", OPENCPS.2);
    }
    let (_payments, pay_url) = start_payment_standin(port)?;
    cmd.args(payment_args(&pay_url)).env("PORTAL_PAYMENT_SECRET", PAYMENT.1);
    step(&format!("serving the app and the portal at http://127.0.0.1:{port} (Ctrl-C stops)"));
    println!("    database: {}", root.join(&data).join("motcua.sqlite3").display());
    println!("    VNeID stand-in: {issuer} (test identities in tools/vneid/provider.mjs)");
    println!("    payment platform stand-in: {pay_url} (its transactions: {pay_url}/state)");
    cmd.args(["--data-dir", &data, "--dist-dir", "dist", "--dev"])
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .args(vneid_args(&issuer))
        .args(&extra);
    run_cmd(&mut cmd)
}

/// The payment platform stand-in's partner code and secret (dev and tests).
pub const PAYMENT: (&str, &str) = ("MOTCUA-H37", "motcua-dev-payment-secret");

/// Start the payment platform stand-in (built with the portal) on a free
/// port, calling back the portal on `portal_port`: (the process, its URL).
pub fn start_payment_standin(portal_port: u16) -> Result<(proc::Child, String)> {
    let port = proc::free_port()?;
    let bin = project_root().join("target/debug/payment-standin");
    let mut cmd = Command::new(bin);
    cmd.args(["--port", &port.to_string(), "--partner", PAYMENT.0])
        .args(["--confirm-url", &format!("http://127.0.0.1:{portal_port}/api/v1/payments/confirm")])
        .env("PAYMENT_STANDIN_SECRET", PAYMENT.1);
    let child = proc::Child::spawn(&mut cmd, "payment-standin")?;
    proc::wait_http(port, "/state")?;
    Ok((child, format!("http://127.0.0.1:{port}")))
}

/// The portal's flags for the payment stand-in at `url` (its secret goes
/// by the environment: `PORTAL_PAYMENT_SECRET`, set by `start_portal_on`).
pub fn payment_args(url: &str) -> Vec<String> {
    ["--payment-url", url, "--payment-partner", PAYMENT.0, "--payment-reconcile-secs", "10"]
        .map(String::from)
        .to_vec()
}

/// The OpenCPS stand-in's site: (groupId, username, password).
const OPENCPS: (&str, &str, &str) = ("35417", "motcua", "mat-khau-opencps");

/// Start the OpenCPS stand-in (built with the portal) on a free port:
/// (the process, its API base URL).
pub fn start_opencps_standin() -> Result<(proc::Child, String)> {
    let port = proc::free_port()?;
    let bin = project_root().join("target/debug/opencps-standin");
    let mut cmd = Command::new(bin);
    cmd.args(["--port", &port.to_string(), "--group-id", OPENCPS.0]).args([
        "--username",
        OPENCPS.1,
        "--password",
        OPENCPS.2,
    ]);
    let child = proc::Child::spawn(&mut cmd, "opencps-standin")?;
    proc::wait_http(port, "/control/dossiers")?;
    Ok((child, format!("http://127.0.0.1:{port}/o/rest/v2")))
}

/// Every tier, cheapest first so a mistake fails fast.
fn test(root: &Path) -> Result<()> {
    let started = Instant::now();
    setup::all(root)?;

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

    step("end-to-end: real portal on a fresh SQLite file, real headless Chromium");
    let data = tempdir(root, "e2e-data")?;
    let catalog = root.join("../shared/data/national-catalog.jsonl");
    let imported = catalog.exists();
    if imported {
        run_cmd(
            Command::new(&portal).arg("--data-dir").arg(&data).arg("import-catalog").arg(&catalog),
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
    let (_portal, portal_port) = start_portal_on(portal_port, &portal, &data, true, &extra)?;
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
            .env("E2E_PORTAL_BIN", &portal)
            .env("E2E_VNEID_ISSUER", &issuer)
            .env("E2E_PAYMENT_URL", &pay_url)
            .env("E2E_DATA_DIR", &data),
    )?;
    // Written by the e2e test `scale::every_way_in_fits_the_budget`.
    if let Ok(routes) = std::fs::read_to_string(root.join("target/bench/entry-routes.txt")) {
        println!("\n{routes}");
    }
    let (passed, failed) = *TOTALS.lock().unwrap_or_else(|p| p.into_inner());
    println!("\nall checks and tests passed in {:.0?}", started.elapsed());
    println!("{passed} passed, {failed} failed");
    Ok(())
}

/// Benchmarks (not tests): see `bench.rs`.
fn bench(root: &Path, only_lighthouse: bool) -> Result<()> {
    setup::all(root)?;
    dist::dist(root)?;
    let portal = build_portal()?;
    bench::run(root, &portal, only_lighthouse)
}

/// The local VNeID stand-in's client, as the portal is configured with it.
const VNEID_CLIENT: (&str, &str) = ("motcua-local", "motcua-local-secret");

/// Start the local OpenID provider standing in for VNeID
/// (`tools/vneid/provider.mjs`, the `oidc-provider` package from the npm
/// lockfile) on `port`, for a portal on `portal_port`; (child, issuer).
pub fn start_vneid(root: &Path, port: u16, portal_port: u16) -> Result<(proc::Child, String)> {
    let redirect = format!("http://127.0.0.1:{portal_port}/api/v1/vneid/callback");
    let mut cmd = Command::new("node");
    cmd.arg(root.join("tools/vneid/provider.mjs"))
        .env("VNEID_PORT", port.to_string())
        .env("VNEID_CLIENT_ID", VNEID_CLIENT.0)
        .env("VNEID_CLIENT_SECRET", VNEID_CLIENT.1)
        .env("VNEID_REDIRECT_URIS", redirect);
    let child = proc::Child::spawn(&mut cmd, "vneid")?;
    proc::wait_http(port, "/.well-known/openid-configuration")?;
    Ok((child, format!("http://127.0.0.1:{port}")))
}

/// The portal's arguments for the local VNeID stand-in at `issuer`.
pub fn vneid_args(issuer: &str) -> Vec<String> {
    let (id, secret) = VNEID_CLIENT;
    ["--vneid-issuer", issuer, "--vneid-client-id", id, "--vneid-client-secret", secret]
        .map(String::from)
        .to_vec()
}

/// Start chromedriver on a free port; it answers before this returns.
pub fn start_chromedriver() -> Result<(proc::Child, u16)> {
    let port = proc::free_port()?;
    let mut cmd = Command::new(setup::CHROMEDRIVER);
    let child = proc::Child::spawn(cmd.arg(format!("--port={port}")), "chromedriver")?;
    proc::wait_http(port, "/status")?;
    Ok((child, port))
}

/// Start the portal as in production on a fresh database (seeded at start)
/// and a free port; it is stopped when the returned child is dropped.
pub fn seeded_portal(root: &Path, portal: &Path, name: &str) -> Result<(proc::Child, u16)> {
    start_portal(portal, &tempdir(root, name)?, false, &[])
}

/// Start the portal on `data` and a free port, with `--dev` (codes read from
/// its outbox) or as in production (with its public URL), plus `extra`
/// arguments; it answers before this returns and stops when dropped.
pub fn start_portal(
    portal: &Path,
    data: &Path,
    dev: bool,
    extra: &[&str],
) -> Result<(proc::Child, u16)> {
    start_portal_on(proc::free_port()?, portal, data, dev, extra)
}

/// `start_portal` on a given port.
pub fn start_portal_on(
    port: u16,
    portal: &Path,
    data: &Path,
    dev: bool,
    extra: &[&str],
) -> Result<(proc::Child, u16)> {
    let mut cmd = Command::new(portal);
    // Only read when `--payment-url` is among `extra`.
    cmd.env("PORTAL_PAYMENT_SECRET", PAYMENT.1);
    cmd.arg("--data-dir").arg(data).args(["--dist-dir", "dist", "--bind"]);
    cmd.arg(format!("127.0.0.1:{port}")).args(extra);
    if dev {
        cmd.arg("--dev");
    } else {
        // As in production; no gateway here, so no text messages.
        cmd.arg("--public-url").arg(format!("http://127.0.0.1:{port}")).arg("--no-sms");
    }
    let child = proc::Child::spawn(&mut cmd, "portal")?;
    proc::wait_http(port, "/api/v1/health")?;
    Ok((child, port))
}

/// A fresh, empty folder under `target/` (inside the clone).
pub fn tempdir(root: &Path, name: &str) -> Result<PathBuf> {
    let dir = root.join("target/xtask").join(format!("{name}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
