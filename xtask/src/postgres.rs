//! A PostgreSQL of the project's own, for the reference store on
//! PostgreSQL (issue 40): Debian's server (package `postgresql`), a
//! temporary cluster in a folder of its own, listening on 127.0.0.1 at the
//! port asked for, with a database `motcua` that the user `motcua` owns
//! and reaches without a password (local trust: this is a test and
//! development server, never a province's). The server refuses to run as
//! root, so as root every command runs as Debian's `postgres` user. The
//! cluster stops, and its folder goes, when the value is dropped.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::run_cmd;

/// The newest server installed by Debian (`/usr/lib/postgresql/<n>/bin`).
fn bin_dir() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let version = e.file_name().to_string_lossy().parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

/// The server's programs, installed from Debian's packages when missing.
pub fn ensure() -> Result<PathBuf> {
    if let Some(bin) = bin_dir() {
        println!("    PostgreSQL server: present ({})", bin.display());
        return Ok(bin);
    }
    crate::setup::apt_install(&["postgresql"])?;
    bin_dir().context("the postgresql package installed no server under /usr/lib/postgresql")
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// A running cluster; stopped and removed when dropped.
pub struct Cluster {
    /// `postgres://motcua@127.0.0.1:<port>/motcua`
    pub url: String,
    bin: PathBuf,
    dir: PathBuf,
    as_postgres: bool,
}

impl Cluster {
    /// Start a fresh cluster on `port` in a new folder under the system's
    /// temporary folder (which Debian's `postgres` user can reach).
    pub fn start(port: u16) -> Result<Cluster> {
        let bin = ensure()?;
        let dir = std::env::temp_dir().join(format!("motcua-pg-{port}-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        let as_postgres = is_root();
        let cluster = Cluster {
            url: format!("postgres://motcua@127.0.0.1:{port}/motcua"),
            bin,
            dir,
            as_postgres,
        };
        if as_postgres {
            run_cmd(Command::new("chown").arg("postgres:postgres").arg(&cluster.dir))?;
        }
        let data = cluster.dir.join("data");
        let data = data.to_string_lossy().into_owned();
        cluster.run("initdb", &["-D", &data, "-U", "motcua", "-A", "trust", "-E", "UTF8"])?;
        let options =
            format!("-p {port} -k {} -c listen_addresses=127.0.0.1", cluster.dir.display());
        let log = cluster.dir.join("server.log");
        let log = log.to_string_lossy().into_owned();
        cluster.run("pg_ctl", &["-D", &data, "-l", &log, "-o", &options, "-w", "start"])?;
        let port = port.to_string();
        let create = ["-h", "127.0.0.1", "-p", &port, "-U", "motcua", "-d", "postgres"];
        cluster.run("psql", &[&create[..], &["-q", "-c", "CREATE DATABASE motcua"]].concat())?;
        Ok(cluster)
    }

    /// Run one of the server's programs (as `postgres` when we are root).
    fn run(&self, program: &str, args: &[&str]) -> Result<()> {
        let path = self.bin.join(program);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        cmd.args(args).current_dir(&self.dir);
        run_cmd(&mut cmd)
    }

    /// What one SQL statement prints, through `psql` on the cluster's URL.
    pub fn query(&self, sql: &str) -> Result<String> {
        let out = Command::new(self.bin.join("psql"))
            .args([&self.url, "-X", "-A", "-t", "-c", sql])
            .output()
            .context("psql")?;
        if !out.status.success() {
            bail!("psql: {}", String::from_utf8_lossy(&out.stderr).trim());
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    #[cfg(test)]
    fn dir(&self) -> &std::path::Path {
        &self.dir
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data").to_string_lossy().into_owned();
        let _ = self.run("pg_ctl", &["-D", &data, "-m", "fast", "-w", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cluster the store's tests will use starts from nothing, takes
    /// SQL as the `motcua` user in its own database, and is gone after.
    #[test]
    fn a_cluster_starts_answers_and_goes() {
        let port = crate::proc::free_port().unwrap();
        let cluster = Cluster::start(port).unwrap();
        assert_eq!(
            cluster.query("SELECT current_user || '@' || current_database()").unwrap(),
            "motcua@motcua"
        );
        cluster.query("CREATE TABLE t (n int PRIMARY KEY)").unwrap();
        cluster.query("INSERT INTO t VALUES (1), (2)").unwrap();
        assert_eq!(cluster.query("SELECT sum(n) FROM t").unwrap(), "3");
        assert!(cluster.query("INSERT INTO t VALUES (1)").is_err(), "the key holds");
        let dir = cluster.dir().to_path_buf();
        drop(cluster);
        assert!(!dir.exists());
        assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err(), "stopped");
    }
}
