//! Background processes for the tests: started, waited for, always stopped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// A child process killed when dropped (also on test failure).
pub struct Child {
    inner: std::process::Child,
    name: &'static str,
}

impl Child {
    pub fn spawn(cmd: &mut Command, name: &'static str) -> Result<Child> {
        let inner = cmd
            .envs(crate::setup::tool_env(&crate::project_root()))
            .spawn()
            .with_context(|| format!("starting {name}"))?;
        Ok(Child { inner, name })
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.inner.kill();
        let _ = self.inner.wait();
        println!("    stopped {}", self.name);
    }
}

/// A port nobody listens on right now.
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Plain HTTP/1.1 GET on loopback; the status code, if anything answered.
pub fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).ok()?;
    let head = std::str::from_utf8(&buf[..n]).ok()?;
    head.split_whitespace().nth(1)?.parse().ok()
}

/// Wait up to 60 s for `path` on `port` to answer 200.
pub fn wait_http(port: u16, path: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if http_status(port, path) == Some(200) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!("nothing answered 200 at 127.0.0.1:{port}{path} within 60 s")
}
