//! `cargo xtask <command>`: the project's own build and test driver.
//!
//! - `setup`  install what is missing (wasm target, Trunk, wasm-bindgen-cli,
//!   npm tools, Chromium + chromedriver), idempotently, saying what it does;
//! - `dist`   build the release app into `dist/` and precompress it;
//! - `run`    setup + dist + serve app and portal at http://127.0.0.1:8080;
//! - `test`   setup + every check and test tier (`plan.rs`);
//! - `bench`  measurements: first-load bytes, Lighthouse, search latency;
//! - `package` the release package (DEPLOY.md), installed once to check it.
//!
//! Here the dispatch and the helpers every command uses; `launch.rs` starts
//! the portal and the stand-ins (and serves the app for `run`), `plan.rs` is
//! the test plan, `dist.rs`, `bench.rs`, `package.rs`, `setup.rs` and
//! `size.rs` the rest.
//!
//! Tools go under `.tools/` and `node_modules/` inside the clone, never into
//! the user's global folders.

mod bench;
mod dist;
mod launch;
mod package;
mod plan;
#[allow(dead_code)] // used by its test until the store runs on it (issue 40)
mod postgres;
mod proc;
mod setup;
mod shape;
mod size;

use std::path::{Path, PathBuf};
use std::process::Command;

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
        Some("run") => launch::run(&root, &args[1..]),
        Some("test") => plan::test(&root),
        Some("bench") => bench(&root, args.get(1).is_some_and(|a| a == "lighthouse")),
        Some("package") => package::run(&root),
        // The code's shape alone (also the first step of `test`).
        Some("shape") => shape::check(&root),
        // The first-load gate alone, on the app already in dist/.
        Some("size") => {
            run_cmd(cargo().args(["build", "--package", "portal"]))?;
            let portal = root.join("target/debug/portal");
            let (_portal, port) = launch::seeded_portal(&root, &portal, "size-data")?;
            size::gate(&root, port).map(|_| ())
        }
        _ => {
            eprintln!("usage: cargo xtask <setup|dist|run|test|bench|package|size|shape>");
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

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn build_portal() -> Result<PathBuf> {
    step("building the portal");
    run_cmd(cargo().args(["build", "--package", "portal"]))?;
    Ok(project_root().join("target/debug/portal"))
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

/// Benchmarks (not tests): see `bench.rs`.
fn bench(root: &Path, only_lighthouse: bool) -> Result<()> {
    setup::all(root)?;
    dist::dist(root)?;
    let portal = build_portal()?;
    bench::run(root, &portal, only_lighthouse)
}

/// How long each phase of a command took (`timed`), said at its end.
static PHASES: std::sync::Mutex<Vec<(String, std::time::Duration)>> =
    std::sync::Mutex::new(Vec::new());

/// Run `f` as the phase `name`, remembering how long it took.
pub fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let out = f();
    PHASES.lock().unwrap_or_else(|p| p.into_inner()).push((name.to_string(), started.elapsed()));
    out
}

/// The phases so far, as one line each with its minutes and seconds.
pub fn phases() -> String {
    let list = PHASES.lock().unwrap_or_else(|p| p.into_inner());
    let total: std::time::Duration = list.iter().map(|(_, d)| *d).sum();
    let mmss = |d: std::time::Duration| format!("{}m{:02}s", d.as_secs() / 60, d.as_secs() % 60);
    let mut out: String =
        list.iter().map(|(n, d)| format!("    {:<34} {:>7}\n", n, mmss(*d))).collect();
    out.push_str(&format!("    {:<34} {:>7}\n", "all of them", mmss(total)));
    out
}
