//! The real `concerto-server` binary as a child process, a consultation to answer, a steady
//! flow of answers from several tasks with a ledger of what each got back, and the
//! organiser's CSV export read back as submission ids.

use concerto_core::SubmissionId;
use concerto_server::token;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// The origin of the partner site the consultation allows.
pub const PARTNER: &str = "https://asso.example";

/// How long a server may take to say where it listens.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// The binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_concerto-server")
}

/// Runs `concerto-server` with `args` to completion.
pub fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("concerto-server runs")
}

/// `run`, off the async threads, so that the tasks sending answers keep going meanwhile.
pub async fn run_blocking(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || run(&args.iter().map(String::as_str).collect::<Vec<_>>()))
        .await
        .expect("the command's thread")
}

/// Creates an organisation in `data_dir` with the CLI and returns its token.
pub fn create_org(data_dir: &Path) -> String {
    let out = run(&[
        "org",
        "create",
        "--name",
        "Conseil de quartier",
        "--data-dir",
        data_dir.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "org create: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("token: "))
        .unwrap_or_else(|| panic!("no token in: {stdout}"))
        .trim()
        .to_owned()
}

/// A server process on a data directory; killed (SIGKILL) when dropped.
pub struct ServerProcess {
    child: Child,
    /// Its base URL, without a trailing slash.
    pub base: String,
    logs: Arc<Mutex<String>>,
}

impl ServerProcess {
    /// Starts `concerto-server serve` on a free port of 127.0.0.1 and waits until it listens.
    pub fn start(data_dir: &Path) -> Self {
        Self::start_with(data_dir, &[("RUST_LOG", "warn")])
    }

    /// `start` with these environment variables.
    pub fn start_with(data_dir: &Path, env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(bin())
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .arg("--widget-dir")
            .arg(data_dir.join("no-widget"))
            // One client address sends everything here: no answer limit.
            .args([
                "--answers-per-minute",
                "0",
                "--password-hash-memory-kib",
                "1024",
            ])
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let logs = Arc::new(Mutex::new(String::new()));
        let mut stderr = child.stderr.take().expect("stderr");
        let kept = logs.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut l) = kept.lock() {
                    l.push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            }
        });
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        // Reads on to the end, so that the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(base) = line.strip_prefix("Concerto server: ") {
                    let _ = tx.send(base.trim().trim_end_matches('/').to_owned());
                }
            }
        });
        match rx.recv_timeout(START_TIMEOUT) {
            Ok(base) => Self { child, base, logs },
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "the server did not start on {}:\n{}",
                    data_dir.display(),
                    logs.lock().map(|l| l.clone()).unwrap_or_default()
                );
            }
        }
    }

    /// What it wrote to stderr so far.
    pub fn logs(&self) -> String {
        self.logs.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// SIGKILL, as a power cut or the OOM killer would stop it, and waits for it to be gone.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh submission id.
pub fn new_submission_id() -> String {
    SubmissionId::from_random_bytes(token::random_bytes()).to_string()
}

/// An HTTP client that never waits forever.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .expect("client")
}

/// Creates and opens a consultation with one choice and one long text, whose answers carry
/// `padding` characters of text (to make the database bigger); returns its id.
pub async fn open_poll(client: &reqwest::Client, base: &str, token: &str) -> String {
    let spec = json!({
        "title": "Le marché du samedi",
        "allowed_origins": [PARTNER],
        "questions": [
            {"id": "venue", "prompt": "Venez-vous au marché ?", "required": true,
             "kind": "single_choice",
             "options": [{"id": "oui", "label": "Oui"}, {"id": "non", "label": "Non"}]},
            {"id": "idee", "prompt": "Une idée ?", "kind": "long_text", "max_length": 4000}
        ]
    });
    let resp = client
        .post(format!("{base}/api/v1/org/polls"))
        .bearer_auth(token)
        .json(&spec)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "create: {}", resp.text().await.unwrap());
    let id = resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let resp = client
        .post(format!("{base}/api/v1/org/polls/{id}/open"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "open");
    id
}

/// The answer sent under `sid`: always the same for one id, so that a retry is a replay.
pub fn answer_for(sid: &str, padding: usize) -> Value {
    let venue = if sid.as_bytes()[0].is_multiple_of(2) {
        "oui"
    } else {
        "non"
    };
    json!({
        "venue": {"option": venue},
        "idee": {"text": format!("{sid} {}", "x".repeat(padding))}
    })
}

/// What sending one answer gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A 2xx: the server says it is stored.
    Acknowledged,
    /// Another status.
    Refused(reqwest::StatusCode),
    /// No response: the connection failed or was cut.
    NoResponse,
}

/// Sends the answer of `sid` once.
pub async fn submit(
    client: &reqwest::Client,
    base: &str,
    poll: &str,
    sid: &str,
    padding: usize,
) -> Outcome {
    let sent = client
        .post(format!("{base}/api/v1/polls/{poll}/responses"))
        .header("Origin", PARTNER)
        .json(&json!({"submission_id": sid, "answers": answer_for(sid, padding)}))
        .send()
        .await;
    match sent {
        Ok(resp) if resp.status().is_success() => Outcome::Acknowledged,
        Ok(resp) => Outcome::Refused(resp.status()),
        Err(_) => Outcome::NoResponse,
    }
}

/// What the senders did, in the order they did it.
#[derive(Default)]
pub struct Ledger {
    /// Every submission id a request was started for.
    pub sent: Vec<String>,
    /// The ids acknowledged, in the order the acknowledgements arrived.
    pub acknowledged: Vec<String>,
    /// The ids sent whose request failed or got no 2xx.
    pub unacknowledged: Vec<String>,
}

/// Tasks sending answers, each a fresh submission id after the last was answered.
pub struct Load {
    stop: Arc<AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    /// Shared with the tasks.
    pub ledger: Arc<Mutex<Ledger>>,
}

impl Load {
    /// Starts `tasks` senders against `poll` on `base`. A sender whose request fails without
    /// a response (the server is gone) stops.
    pub fn start(base: &str, poll: &str, tasks: usize, padding: usize) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let ledger = Arc::new(Mutex::new(Ledger::default()));
        let tasks = (0..tasks)
            .map(|_| {
                let (stop, ledger) = (stop.clone(), ledger.clone());
                let (base, poll, client) = (base.to_owned(), poll.to_owned(), client());
                tokio::spawn(async move {
                    while !stop.load(Ordering::SeqCst) {
                        let sid = new_submission_id();
                        ledger.lock().unwrap().sent.push(sid.clone());
                        let outcome = submit(&client, &base, &poll, &sid, padding).await;
                        let mut l = ledger.lock().unwrap();
                        match outcome {
                            Outcome::Acknowledged => l.acknowledged.push(sid),
                            Outcome::Refused(_) => l.unacknowledged.push(sid),
                            Outcome::NoResponse => {
                                l.unacknowledged.push(sid);
                                break;
                            }
                        }
                    }
                })
            })
            .collect();
        Self {
            stop,
            tasks,
            ledger,
        }
    }

    /// How many answers were acknowledged so far.
    pub fn acknowledged(&self) -> usize {
        self.ledger.lock().unwrap().acknowledged.len()
    }

    /// Asks the senders to stop after their request in flight, and waits for them.
    pub async fn stop(self) -> Ledger {
        self.stop.store(true, Ordering::SeqCst);
        for t in self.tasks {
            t.await.expect("a sender panicked");
        }
        Arc::try_unwrap(self.ledger)
            .ok()
            .expect("no sender left")
            .into_inner()
            .unwrap()
    }
}

/// The submission ids of the consultation's CSV export, each with how often it appears.
pub async fn exported_ids(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    poll: &str,
) -> HashMap<String, usize> {
    let resp = client
        .get(format!("{base}/api/v1/org/polls/{poll}/export.csv"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "export");
    let text = resp.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut ids = HashMap::new();
    for record in reader.records() {
        let record = record.expect("a CSV row");
        *ids.entry(record[0].to_owned()).or_default() += 1;
    }
    ids
}

/// The consultation's answer count in its organiser results.
pub async fn results_total(client: &reqwest::Client, base: &str, token: &str, poll: &str) -> u64 {
    let resp = client
        .get(format!("{base}/api/v1/org/polls/{poll}/results"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "results");
    resp.json::<Value>().await.unwrap()["total"]
        .as_u64()
        .expect("a total")
}

/// A path as a command-line argument.
pub fn arg(path: &Path) -> String {
    path.to_str().expect("a UTF-8 path").to_owned()
}
