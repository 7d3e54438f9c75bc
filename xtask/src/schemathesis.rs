//! Schemathesis (from PyPI, in a venv under the cache directory, installed once) against the
//! OpenAPI document of the debug server: the server is started with the demo consultation on a
//! free port and a throwaway data directory, and schemathesis fuzzes every documented
//! operation with the demo organisation's token. Any server error, or any response whose
//! status, content type, headers or body the document does not allow, fails the step.
//!
//! Which checks apply, and where one is off, is in `xtask/schemathesis.toml`, with the reasons.

use crate::cmd;
use crate::tools::{self, Env};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The schemathesis release the step runs (its checks and reports change between releases).
const VERSION: &str = "4.32.5";
/// Test cases per operation and phase: enough to meet the edges, a couple of minutes in all.
const MAX_EXAMPLES: &str = "20";
/// Seconds schemathesis waits for one response. The live count (server-sent events) never
/// ends by itself: its events are read until this timeout, then checked.
const REQUEST_TIMEOUT: &str = "2";
/// How long the server may take to print its address and token.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// The seed of the generated cases, fixed so that a run fails or passes the same way on every
/// machine; `CONCERTO_SCHEMATHESIS_SEED` sets another one (`random` for a fresh one each run).
const SEED: &str = "20261201";

/// The venv's directory, beside the build cache.
fn venv_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/tmp"), PathBuf::from);
    home.join(".cache")
        .join("concerto")
        .join(format!("schemathesis-{VERSION}"))
}

/// The schemathesis executable, installed into its venv if missing.
fn ensure(env: &Env) -> Result<PathBuf, String> {
    let venv = venv_dir();
    let bin = venv.join("bin").join("schemathesis");
    let version = cmd::output({
        let mut c = Command::new(&bin);
        c.arg("--version");
        c
    });
    if version.is_some_and(|v| v.contains(VERSION)) {
        eprintln!("    schemathesis {VERSION}: present");
        return Ok(bin);
    }
    cmd::step(&format!(
        "installing schemathesis {VERSION} in {}",
        venv.display()
    ));
    let venv_cmd = || {
        let mut c = env.command("python3");
        c.arg("-m").arg("venv").arg("--clear").arg(&venv);
        c
    };
    if cmd::run(venv_cmd()).is_err() {
        // Debian's python3 keeps venv (and its pip) in a package of its own.
        tools::apt_install("python3-venv")?;
        cmd::run(venv_cmd())?;
    }
    let mut pip = env.command(&venv.join("bin").join("pip").to_string_lossy());
    pip.args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("schemathesis=={VERSION}"),
    ]);
    cmd::run(pip)?;
    Ok(bin)
}

/// The debug server with the demo, stopped (and its data directory removed) when dropped.
struct DemoServer {
    child: Child,
    dir: PathBuf,
    base: String,
    token: String,
    invitation: String,
}

impl DemoServer {
    fn start(bin: &Path) -> Result<Self, String> {
        let dir =
            std::env::temp_dir().join(format!("concerto-schemathesis-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let log = std::fs::File::create(dir.join("server.log"))
            .map_err(|e| format!("cannot write the server's log: {e}"))?;
        let mut child = Command::new(bin)
            .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
            .args(["--demo-listen", "127.0.0.1:0"])
            .arg("--data-dir")
            .arg(dir.join("data"))
            // No widget bundle is needed: the API answers without it.
            .arg("--widget-dir")
            .arg(dir.join("no-widget"))
            // Cheaper password hashes, as in the API tests: same algorithm, same code path.
            .args(["--password-hash-memory-kib", "1024"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", bin.display()))?;
        let stdout = child
            .stdout
            .take()
            .ok_or("the server's output is missing")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Read to the end, so the server never blocks on a full pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let (mut base, mut token, mut invitation) = (None, None, None);
        let deadline = std::time::Instant::now() + START_TIMEOUT;
        while base.is_none() || token.is_none() || invitation.is_none() {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let Ok(line) = rx.recv_timeout(left) else {
                let _ = child.kill();
                let _ = child.wait();
                let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
                return Err(format!("the demo server did not start:\n{log}"));
            };
            if let Some(v) = line.strip_prefix("Concerto server:") {
                base = Some(v.trim().trim_end_matches('/').to_owned());
            } else if let Some(v) = line.strip_prefix("Organiser token (demo):") {
                token = Some(v.trim().to_owned());
            } else if let Some((_, v)) = line
                .strip_prefix("Organiser invitation (demo):")
                .and_then(|v| v.split_once('#'))
            {
                invitation = Some(v.trim().to_owned());
            }
        }
        Ok(Self {
            child,
            dir,
            base: base.unwrap_or_default(),
            token: token.unwrap_or_default(),
            invitation: invitation.unwrap_or_default(),
        })
    }

    /// Accepts the demo invitation and returns the `Cookie` header of the session it opens.
    fn session(&self) -> Result<String, String> {
        let body = format!(
            r#"{{"token": "{}", "email": "schemathesis@example.org", "name": "Schemathesis", "password": "a password for fuzzing"}}"#,
            self.invitation
        );
        let response = post(&self.base, "/api/v1/auth/invitations/accept", &body)?;
        response
            .lines()
            .take_while(|l| !l.is_empty())
            .filter_map(|l| l.split_once(':'))
            .find(|(name, _)| name.eq_ignore_ascii_case("set-cookie"))
            .and_then(|(_, v)| v.trim().split(';').next().map(str::to_owned))
            .ok_or_else(|| format!("accepting the demo invitation opened no session:\n{response}"))
    }
}

/// POSTs a JSON `body` to `path` of the server at `base` (`http://host:port`) and returns the
/// whole response as text: one request needs no HTTP client crate.
fn post(base: &str, path: &str, body: &str) -> Result<String, String> {
    use std::io::{Read, Write};
    let host = base.trim_start_matches("http://");
    let mut stream =
        std::net::TcpStream::connect(host).map_err(|e| format!("cannot reach {base}: {e}"))?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut response = String::new();
    stream
        .write_all(request.as_bytes())
        .and_then(|()| stream.read_to_string(&mut response))
        .map_err(|e| format!("POST {path}: {e}"))?;
    Ok(response.replace("\r\n", "\n"))
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Builds the debug server, starts it with the demo and runs schemathesis against it.
pub fn run(env: &Env) -> Result<(), String> {
    let schemathesis = ensure(env)?;
    cmd::run(env.cargo(&["build", "--package", "concerto-server"]))?;
    let bin = env.target_dir.join("debug").join("concerto-server");
    cmd::step("schemathesis against the OpenAPI document (debug server, demo data)");
    let server = DemoServer::start(&bin)?;
    let config = env.root.join("xtask").join("schemathesis.toml");
    let seed = std::env::var("CONCERTO_SCHEMATHESIS_SEED").unwrap_or_else(|_| SEED.to_owned());
    let seed: Vec<String> = match seed.as_str() {
        "random" => Vec::new(),
        s => vec!["--seed".to_owned(), s.to_owned()],
    };
    let mut c = Command::new(&schemathesis);
    c.arg("--config-file")
        .arg(&config)
        .arg("run")
        .arg(format!("{}/api/v1/openapi.json", server.base))
        .args(&seed)
        .args(["--max-examples", MAX_EXAMPLES])
        .args(["--request-timeout", REQUEST_TIMEOUT])
        .arg("--header")
        .arg(format!("Authorization: Bearer {}", server.token))
        .arg("--no-color")
        // Its example database goes with the data directory, not into the work tree.
        .current_dir(&server.dir);
    let mut result = cmd::run(c);
    if result.is_ok() {
        // Who-am-I takes a session and nothing else: once more with the cookie, alone.
        let cookie = server.session()?;
        let mut c = Command::new(&schemathesis);
        c.arg("--config-file")
            .arg(&config)
            .arg("run")
            .arg(format!("{}/api/v1/openapi.json", server.base))
            .args(&seed)
            .args(["--include-path", "/api/v1/auth/me"])
            .args(["--max-examples", MAX_EXAMPLES])
            .args(["--request-timeout", REQUEST_TIMEOUT])
            .arg("--header")
            .arg(format!("Cookie: {cookie}"))
            // The session is ours, sent with every request: a case "without the cookie" would
            // still carry it.
            .args(["--generation-with-security-parameters", "false"])
            .arg("--no-color")
            .current_dir(&server.dir);
        result = cmd::run(c);
    }
    if result.is_err() {
        let log = std::fs::read_to_string(server.dir.join("server.log")).unwrap_or_default();
        eprintln!("--- the server's log ---\n{log}");
    }
    drop(server);
    result
}
