//! Starting things: the app and portal for `cargo xtask run`, and the
//! portal, the stand-ins (payments, OpenCPS), the OpenID provider and
//! chromedriver that tests and benchmarks use.

use std::path::Path;
use std::process::Command;

use anyhow::Result;

use crate::{build_portal, dist, proc, project_root, run_cmd, setup, step, tempdir};

/// The payment platform stand-in's partner code and secret (dev and tests).
pub const PAYMENT: (&str, &str) = ("MOTCUA-H37", "motcua-dev-payment-secret");

/// `cargo xtask run [--backend local|opencps] [--port N] [portal flags…]`:
/// the app and the portal on one machine. `--backend opencps` starts the
/// OpenCPS stand-in on a free port and serves the same app over the
/// OpenCPS driver, with its own data folder, beside a default run.
pub fn run(root: &Path, extra: &[String]) -> Result<()> {
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
    // The portal and the app's wasm build while the tools install: they
    // build in folders of their own, so none waits for another's lock (a
    // first run's tools take most of its time). Trunk then finds the app
    // built (the same profile, target and flags) and only binds, optimises
    // and hashes it.
    std::fs::create_dir_all(root.join("target/xtask"))?;
    // The wasm target first: the app builds for it beside the tools.
    setup::wasm_target()?;
    let beside = |what: &str, args: &[&str]| -> Result<(std::process::Child, std::path::PathBuf)> {
        let log = root.join(format!("target/xtask/{what}-build.log"));
        let out = std::fs::File::create(&log)?;
        let child = crate::cargo().args(args).stdout(out.try_clone()?).stderr(out).spawn()?;
        println!("    building the {what} beside the tools (its output: {})", log.display());
        Ok((child, log))
    };
    let mut portal_build = beside("portal", &["build", "--package", "portal"])?;
    // As Trunk asks for them (`index.html`'s `data-bin`s, the workspace's
    // default members selected), so its cargo finds them fresh.
    let app_dir = dist::app_target(root).to_string_lossy().into_owned();
    let mut app = vec!["build", "--release", "--locked", "--target", "wasm32-unknown-unknown"];
    app.extend(["--target-dir", &app_dir]);
    let html = std::fs::read_to_string(root.join("index.html"))?;
    let bins: Vec<&str> =
        html.split("data-bin=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    for bin in &bins {
        app.extend(["--bin", bin]);
    }
    let mut app_build = beside("app", &app)?;
    let tools = setup::build_tools(root);
    let built = crate::timed("the portal (waited for)", || portal_build.0.wait())?;
    let app_built = crate::timed("the app's wasm (waited for)", || app_build.0.wait())?;
    tools?;
    for (ok, log, what) in
        [(built.success(), &portal_build.1, "portal"), (app_built.success(), &app_build.1, "app")]
    {
        if !ok {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(30).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            anyhow::bail!("the {what} did not build:\n{}", tail.join("\n"));
        }
    }
    crate::timed("the app (Trunk: bind, optimise, hash 10 wasm)", || dist::dist(root))?;
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
    println!("\n    how long each part took:\n{}", crate::phases());
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
