//! A throwaway PostgreSQL cluster of the project's own, for the store tests and the demo:
//! `initdb` into a directory of its own, a free port on 127.0.0.1, trust authentication
//! (nothing but this machine can reach it), `pg_ctl start -w`; stopped and removed when the
//! [`Cluster`] is dropped, whether the tests passed or not.
//!
//! PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` user that
//! Debian's package creates (or `nobody`).

use crate::cmd;
use crate::tools;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The user that owns the cluster when xtask runs as root, in order of preference.
const USERS: &[&str] = &["postgres", "nobody"];

/// Whether a cluster keeps what it commits through a crash.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync off: tests and the demo, whose data is thrown away anyway, go faster.
    Throwaway,
    /// PostgreSQL's defaults: a commit is on disk when acknowledged, as in production, so
    /// that the benchmark's figures are those of durable answers.
    Durable,
}

/// A running cluster; dropping it stops it and deletes its files.
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    user: Option<String>,
    port: u16,
}

impl Cluster {
    /// Starts a cluster in a fresh temporary directory named after `name` (a directory of that
    /// name left by an interrupted run is stopped and removed first).
    pub fn start(name: &str, durability: Durability) -> Result<Self, String> {
        let dir = std::env::temp_dir().join(name);
        let bin = binaries()?;
        let user = if is_root() {
            Some(unprivileged_user()?)
        } else {
            None
        };
        if dir.exists() {
            // Left by a run that was interrupted: stop what may still run there.
            stop(&bin, user.as_deref(), &dir);
            std::fs::remove_dir_all(&dir)
                .map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        if let Some(user) = &user {
            chown(&dir, user)?;
        }
        let port = free_port()?;
        // From here on, dropping the cluster cleans up whatever was made.
        let cluster = Self {
            dir,
            bin,
            user,
            port,
        };
        cmd::step(&format!(
            "starting a throwaway PostgreSQL on 127.0.0.1:{port} ({})",
            cluster.dir.display()
        ));
        let data = cluster.data();
        cmd::run(cluster.pg("initdb", |c| {
            c.arg("-D")
                .arg(&data)
                .args(["-U", "postgres", "-A", "trust", "-E", "UTF8"])
                .args(["--no-locale", "--no-sync", "--no-instructions"]);
        }))?;
        let mut options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={}",
            cluster.dir.display()
        );
        if durability == Durability::Throwaway {
            options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        } else {
            // Room for many connections from two servers' pools and the load.
            options.push_str(" -c max_connections=200");
        }
        let log = cluster.dir.join("postgres.log");
        let started = cmd::run(cluster.pg("pg_ctl", |c| {
            c.arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(&log)
                .args(["-o", &options, "-w", "-t", "60", "start"]);
        }));
        if let Err(e) = started {
            let tail = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(format!("{e}\n{tail}"));
        }
        Ok(cluster)
    }

    /// The URL of its `postgres` database, as its administrator.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// `program` of the PostgreSQL binaries, as the cluster's user.
    fn pg(&self, program: &str, args: impl FnOnce(&mut Command)) -> Command {
        let mut c = as_user(&self.bin.join(program), self.user.as_deref());
        // A directory the cluster's user may enter (not the repository, under /root).
        c.current_dir(&self.dir);
        args(&mut c);
        c
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        cmd::step("stopping the throwaway PostgreSQL");
        stop(&self.bin, self.user.as_deref(), &self.dir);
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            eprintln!("xtask: cannot remove {}: {e}", self.dir.display());
        }
    }
}

/// Stops the cluster in `dir`, if one runs there; quiet when none does.
fn stop(bin: &Path, user: Option<&str>, dir: &Path) {
    let data = dir.join("data");
    if !data.join("postmaster.pid").exists() {
        return;
    }
    let mut c = as_user(&bin.join("pg_ctl"), user);
    c.current_dir(dir)
        .arg("-D")
        .arg(&data)
        .args(["-m", "immediate", "-w", "stop"]);
    if let Err(e) = cmd::run(c) {
        eprintln!("xtask: {e}");
    }
}

fn as_user(program: &Path, user: Option<&str>) -> Command {
    match user {
        Some(user) => {
            let mut c = Command::new("runuser");
            c.args(["-u", user, "--"]).arg(program);
            c
        }
        None => Command::new(program),
    }
}

fn is_root() -> bool {
    cmd::output({
        let mut c = Command::new("id");
        c.arg("-u");
        c
    })
    .is_some_and(|u| u.trim() == "0")
}

fn unprivileged_user() -> Result<String, String> {
    USERS
        .iter()
        .find(|u| {
            cmd::output({
                let mut c = Command::new("id");
                c.arg("-u").arg(u);
                c
            })
            .is_some()
        })
        .map(|u| (*u).to_owned())
        .ok_or_else(|| {
            format!(
                "PostgreSQL does not run as root, and none of the users {USERS:?} exists to run it"
            )
        })
}

fn chown(dir: &Path, user: &str) -> Result<(), String> {
    let mut c = Command::new("chown");
    c.arg(user).arg(dir);
    cmd::run(c)
}

/// A port nothing listens on now (another program could take it before PostgreSQL does,
/// which `pg_ctl` then reports).
fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// The directory holding `initdb` and `pg_ctl`: on `PATH`, else the newest under
/// `/usr/lib/postgresql/*/bin`, else Debian's `postgresql` package installed.
fn binaries() -> Result<PathBuf, String> {
    if let Some(dir) = find_binaries() {
        eprintln!("    postgresql: present ({})", dir.display());
        return Ok(dir);
    }
    cmd::step("installing Debian's postgresql (for the PostgreSQL store tests)");
    tools::apt_install("postgresql")?;
    find_binaries().ok_or_else(|| "postgresql installed, but no initdb and pg_ctl found".into())
}

fn find_binaries() -> Option<PathBuf> {
    let has_both = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    if let Some(dir) = on_path.into_iter().find(|d| has_both(d)) {
        // A symbolic link on PATH: run the real one, next to its own libraries.
        return Some(
            std::fs::canonicalize(dir.join("initdb"))
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf))
                .filter(|d| has_both(d))
                .unwrap_or(dir),
        );
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, bin)| has_both(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}
