//! `cargo xtask package`: the release app and a release portal in one folder
//! and tarball (`target/package/motcua-<version>.tar.gz`), with `deploy/`
//! (systemd unit, Caddy configuration, sample settings) and DEPLOY.md. Then
//! it installs the tarball into a temporary folder as DEPLOY.md says and
//! checks that the portal starts in production mode and serves the app.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Result};

use crate::{cargo, proc, run_cmd, setup, step};

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), &target)?;
        }
    }
    Ok(())
}

/// The portal's version, from its Cargo.toml.
fn version(root: &Path) -> Result<String> {
    let manifest = std::fs::read_to_string(root.join("crates/portal/Cargo.toml"))?;
    let line = manifest.lines().find(|l| l.starts_with("version")).unwrap_or("version = \"0\"");
    Ok(line.split('"').nth(1).unwrap_or("0").to_string())
}

/// A stand-in SMS relay on a free loopback port: answers every request
/// `200 {}` (the package check needs a gateway that answers, nothing more).
fn sms_relay() -> Result<u16> {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}");
        }
    });
    Ok(port)
}

pub fn run(root: &Path) -> Result<()> {
    setup::build_tools(root)?;
    crate::dist::dist(root)?;
    step("building the portal (release)");
    run_cmd(cargo().args(["build", "--release", "--package", "portal"]))?;
    let name = format!("motcua-{}", version(root)?);
    let out = root.join("target/package");
    let dir = out.join(&name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("bin"))?;
    std::fs::copy(root.join("target/release/portal"), dir.join("bin/portal"))?;
    copy_dir(&root.join("dist"), &dir.join("dist"))?;
    copy_dir(&root.join("deploy"), &dir.join("deploy"))?;
    std::fs::copy(root.join("DEPLOY.md"), dir.join("DEPLOY.md"))?;
    let tarball = out.join(format!("{name}.tar.gz"));
    run_cmd(Command::new("tar").arg("-czf").arg(&tarball).arg("-C").arg(&out).arg(&name))?;
    println!("    package: {}", tarball.display());

    step("installing the package into a temporary folder, as DEPLOY.md says, and starting it");
    let tmp = crate::tempdir(root, "package-check")?;
    run_cmd(Command::new("tar").arg("-xzf").arg(&tarball).arg("-C").arg(&tmp))?;
    let installed = tmp.join(&name);
    let port = proc::free_port()?;
    let url = format!("http://127.0.0.1:{port}");
    // The sample settings as DEPLOY.md has them edited, with this machine's
    // folders and port, and the SMS gateway a local relay that takes all.
    let relay = sms_relay()?;
    let mut portal = Command::new(installed.join("bin/portal"));
    portal.env_clear();
    let sample = std::fs::read_to_string(installed.join("deploy/motcua.env.example"))?;
    for line in sample.lines().map(str::trim).filter(|l| !l.starts_with('#')) {
        if let Some((k, v)) = line.split_once('=') {
            portal.env(k, v);
        }
    }
    portal
        .env("PORTAL_DATA_DIR", tmp.join("data"))
        .env("PORTAL_DIST_DIR", installed.join("dist"))
        .env("PORTAL_BIND", format!("127.0.0.1:{port}"))
        .env("PORTAL_BACKUP_DIR", tmp.join("backups"))
        .env("PORTAL_SMS_GATEWAY", format!("http://127.0.0.1:{relay}/send"));
    let _running = proc::Child::spawn(&mut portal, "packaged portal")?;
    proc::wait_http(port, "/api/v1/health")?;
    proc::wait_http(port, "/")?;
    // The scheduled backup's first snapshot, taken at start.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !std::fs::read_dir(tmp.join("backups"))?
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with("snapshot-"))
    {
        if std::time::Instant::now() > deadline {
            bail!("the packaged portal took no scheduled snapshot at start");
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let page = crate::size::get(port, "/")?;
    if page.bytes == 0 {
        bail!("the packaged portal served an empty page at /");
    }
    println!("    the installed package serves the app at {url} ({} bytes of /)", page.bytes);
    Ok(())
}
