//! Storage failures told honestly: with the data directory on a tiny tmpfs filled up, answers
//! get 503 with `Retry-After` (never an acknowledgement, never a 500), `/health/ready` turns
//! unhealthy while `/health` stays up, and both recover once space comes back, with every
//! acknowledged answer stored.

use crate::helpers::*;
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs of `size` mounted at a fresh directory, unmounted when dropped; `None` where this
/// machine does not let the test mount one (not root, no tmpfs).
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Self> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Self { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazily: the server of the test may still hold its files.
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// Fills the file system of `dir` with one file; returns the file, to delete later.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let chunk = vec![0u8; 16 * 1024];
    while file.write_all(&chunk).is_ok() {}
    // The last bytes that fit.
    while file.write_all(&[0u8; 512]).is_ok() {}
    let _ = file.sync_all();
    path
}

fn long_answer(i: usize) -> Value {
    json!({
        "venue": {"option": "oui"},
        "note": {"rating": 3},
        "idee": {"text": format!("{i} {}", "une idée assez longue pour remplir des pages ".repeat(10))}
    })
}

#[tokio::test]
async fn a_full_disk_gets_503_with_retry_after_and_recovers_with_nothing_lost() {
    let Some(tmpfs) = Tmpfs::mount("6m") else {
        eprintln!("cannot mount a tmpfs here (root needed): the full-disk test is skipped");
        return;
    };
    let data = tmpfs.path().join("data");
    let app = spawn_app_with(|s| {
        s.data_dir = data.clone();
        s.answers_per_minute = 0;
    })
    .await;
    let (id, _) = app.open_poll().await;
    assert_eq!(app.get("/health/ready", None).await.status(), 200);
    let mut acknowledged = 0u64;
    assert_eq!(
        app.submit(&id, &new_submission_id(), &long_answer(0))
            .await
            .status(),
        201
    );
    acknowledged += 1;

    let filler = fill(tmpfs.path());
    let mut refused = 0;
    for i in 1..300 {
        let resp = app.submit(&id, &new_submission_id(), &long_answer(i)).await;
        match resp.status().as_u16() {
            201 => acknowledged += 1,
            503 => {
                assert_eq!(resp.headers()["retry-after"], "30");
                assert_eq!(resp.headers()["content-type"], "application/problem+json");
                let body: Value = resp.json().await.unwrap();
                assert_eq!(body["type"], "urn:concerto:problem:unavailable");
                refused += 1;
                if refused >= 3 {
                    break;
                }
            }
            other => panic!("answer {i}: {other}, never a 500"),
        }
    }
    assert!(refused >= 3, "the full disk was never noticed");
    assert_eq!(app.get("/health", None).await.status(), 200);
    let ready = app.get("/health/ready", None).await;
    assert_eq!(ready.status(), 503);
    assert_eq!(ready.headers()["retry-after"], "30");

    // Space comes back: so does the server, by itself.
    std::fs::remove_file(filler).unwrap();
    assert_eq!(app.get("/health/ready", None).await.status(), 200);
    assert_eq!(
        app.submit(&id, &new_submission_id(), &long_answer(999))
            .await
            .status(),
        201
    );
    acknowledged += 1;
    let poll = app
        .store
        .poll(&concerto_core::PollId::parse(id.as_str()).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        poll.responses, acknowledged,
        "every acknowledged answer, once"
    );
}
