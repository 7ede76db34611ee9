//! Installing the tool chain, idempotently: each tool is checked first and
//! installed only when missing or at the wrong version.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::{run_cmd, step};

pub const TRUNK_VERSION: &str = "0.22.1";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn tools_root(root: &Path) -> PathBuf {
    root.join(".tools")
}

pub fn tools_bin(root: &Path) -> PathBuf {
    tools_root(root).join("bin")
}

/// PATH with the project's tools first (so Trunk finds our wasm-bindgen and
/// binaryen 132, never a system binaryen), and Trunk kept offline.
pub fn tool_env(root: &Path) -> Vec<(String, String)> {
    let path = std::env::var("PATH").unwrap_or_default();
    vec![
        (
            "PATH".into(),
            format!(
                "{}:{}:{path}",
                tools_bin(root).display(),
                root.join("node_modules/.bin").display()
            ),
        ),
        ("TRUNK_SKIP_VERSION_CHECK".into(), "true".into()),
    ]
}

/// First line of `cmd --version`, if it runs.
fn version_of(cmd: &Path) -> Option<String> {
    let out = Command::new(cmd).arg("--version").output().ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).lines().next()?.trim().to_string())
}

/// The wasm-bindgen version Cargo.lock pins; the CLI must be the same.
pub fn locked_wasm_bindgen(root: &Path) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    bail!("wasm-bindgen is not in Cargo.lock")
}

pub fn wasm_target() -> Result<()> {
    let out = Command::new("rustup").args(["target", "list", "--installed"]).output();
    let installed = out
        .map(|o| {
            String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == "wasm32-unknown-unknown")
        })
        .unwrap_or(false);
    if installed {
        println!("    wasm32-unknown-unknown target: present");
        return Ok(());
    }
    step("installing the wasm32-unknown-unknown target (rustup)");
    run_cmd(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn trunk(root: &Path) -> Result<()> {
    // Trunk declares a newer rustc than this machine's; it builds and works
    // on it. Without its update check, and unoptimised: Trunk spends its
    // time waiting for cargo, wasm-bindgen and wasm-opt, not in its own
    // code, and compiling its dependencies (swc, oxc, lightningcss) with
    // optimisations cost 9 min 48 s here; unoptimised, 5 min 46 s.
    let args = ["--locked", "--ignore-rust-version", "--no-default-features", "--features"];
    let args = [&args[..], &["rustls", "trunk", "--version", TRUNK_VERSION]].concat();
    install_tool(root, ("trunk", TRUNK_VERSION, "about 6 minutes on 2 cores"), &args, "0")
}

fn wasm_bindgen(root: &Path) -> Result<()> {
    let version = locked_wasm_bindgen(root)?;
    // Not --locked: its lock wants a crate version the registry does not
    // serve. Lightly optimised: it rewrites every bundle's wasm.
    let args = ["wasm-bindgen-cli", "--version", &version];
    install_tool(root, ("wasm-bindgen", &version, "about 2 minutes, equals Cargo.lock"), &args, "1")
}

/// `cargo install` a tool (its binary, version, and how long it takes)
/// into `.tools/` unless that version is there, built quickly: no
/// link-time optimisation, many codegen units, optimised only to `opt`,
/// and still without debug assertions and overflow checks.
fn install_tool(root: &Path, tool: (&str, &str, &str), args: &[&str], opt: &str) -> Result<()> {
    let (bin, version, note) = tool;
    let want = format!("{bin} {version}");
    if version_of(&tools_bin(root).join(bin)).as_deref() == Some(want.as_str()) {
        println!("    {want}: present");
        return Ok(());
    }
    step(&format!("installing {want} into .tools/ ({note})"));
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.arg("install").args(args).arg("--root").arg(tools_root(root));
    cmd.env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", opt)
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "false");
    run_cmd(&mut cmd)
}

fn have(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd} >/dev/null 2>&1")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

pub fn apt_install(packages: &[&str]) -> Result<()> {
    step(&format!("installing {} (Debian packages)", packages.join(", ")));
    run_cmd(Command::new("apt-get").arg("update").arg("-q"))?;
    run_cmd(
        Command::new("apt-get")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn npm_tools(root: &Path) -> Result<()> {
    if !have("npm") {
        apt_install(&["nodejs", "npm"])?;
    }
    let marker = root.join("node_modules/.package-lock.json");
    let lock = root.join("package-lock.json");
    let fresh = match (std::fs::metadata(&marker), std::fs::metadata(&lock)) {
        (Ok(m), Ok(l)) => m.modified()? >= l.modified()?,
        _ => false,
    };
    let complete = ["node_modules/.bin/wasm-opt", "node_modules/oidc-provider/package.json"]
        .iter()
        .all(|f| root.join(f).exists());
    if fresh && complete {
        println!("    npm tools (binaryen 132, axe-core, oidc-provider): present");
    } else {
        step("installing npm tools from package-lock.json (binaryen 132 for wasm-opt, axe-core, oidc-provider)");
        run_cmd(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(root))?;
    }
    let v = version_of(&root.join("node_modules/.bin/wasm-opt")).unwrap_or_default();
    if !v.contains("version_132") {
        bail!("wasm-opt from npm binaryen should be version 132, found {v:?}");
    }
    Ok(())
}

/// Lighthouse for `cargo xtask bench` only, from `perf/lighthouse/package-lock.json`.
pub fn lighthouse(root: &Path) -> Result<PathBuf> {
    let dir = root.join("perf/lighthouse");
    let cli = dir.join("node_modules/.bin/lighthouse");
    let marker = dir.join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&marker), std::fs::metadata(dir.join("package-lock.json")))
    {
        (Ok(m), Ok(l)) => m.modified()? >= l.modified()?,
        _ => false,
    };
    if fresh && cli.exists() {
        println!("    lighthouse: present");
    } else {
        step("installing Lighthouse 12.2.3 from perf/lighthouse/package-lock.json");
        run_cmd(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir))?;
    }
    Ok(cli)
}

fn browser() -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        println!("    chromium + chromedriver: present");
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"])
}

/// Tools needed to build the app.
pub fn build_tools(root: &Path) -> Result<()> {
    step("checking the build tools");
    crate::timed("tools: wasm32 target", wasm_target)?;
    crate::timed("tools: npm (binaryen, axe, oidc)", || npm_tools(root))?;
    crate::timed("tools: wasm-bindgen-cli", || wasm_bindgen(root))?;
    crate::timed("tools: trunk", || trunk(root))
}

/// Everything: build tools, the browser and the API fuzzer for tests.
pub fn all(root: &Path) -> Result<()> {
    build_tools(root)?;
    browser()?;
    crate::postgres::ensure()?;
    schemathesis(root).map(|_| ())
}

/// schemathesis (PyPI, pinned in tests/fuzz/requirements.txt) in a virtual
/// environment under `.tools/`; returns its Python.
pub fn schemathesis(root: &Path) -> Result<PathBuf> {
    let venv = tools_root(root).join("schemathesis");
    let python = venv.join("bin/python");
    let wanted = std::fs::read_to_string(root.join("tests/fuzz/requirements.txt"))?;
    let marker = venv.join("installed-requirements.txt");
    if python.exists() && std::fs::read_to_string(&marker).ok().as_deref() == Some(wanted.as_str())
    {
        println!("    schemathesis: present");
        return Ok(python);
    }
    step("installing schemathesis (tests/fuzz/requirements.txt) into .tools/schemathesis");
    if !have("python3") {
        apt_install(&["python3", "python3-venv"])?;
    }
    if run_cmd(Command::new("python3").args(["-m", "venv"]).arg(&venv)).is_err() {
        // Debian's own Python keeps `venv` in a package of its own.
        apt_install(&["python3-venv"])?;
        let _ = std::fs::remove_dir_all(&venv);
        run_cmd(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    run_cmd(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(root.join("tests/fuzz/requirements.txt")),
    )?;
    std::fs::write(&marker, wanted)?;
    Ok(python)
}
