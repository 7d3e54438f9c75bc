//! `concerto-server backup` while a server takes answers, then `restore` into a fresh data
//! directory and a second server on it.

use crate::support::*;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// Tasks sending answers at once.
const TASKS: usize = 6;

/// Characters of text in each answer: about a database page each, so that the backup copies
/// the database in several steps while the answers go on.
const PADDING: usize = 3000;

/// Answers acknowledged before the backup starts.
const BEFORE_BACKUP: usize = 1500;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_under_load_restores_each_answer_acknowledged_before_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let token = create_org(&data);
    let server = ServerProcess::start(&data);
    let client = client();
    let poll = open_poll(&client, &server.base, &token).await;

    let load = Load::start(&server.base, &poll, TASKS, PADDING);
    let deadline = Instant::now() + Duration::from_secs(30);
    while load.acknowledged() < BEFORE_BACKUP {
        assert!(Instant::now() < deadline, "too slow: {}", server.logs());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let before: Vec<String> = load.ledger.lock().unwrap().acknowledged.clone();
    let file = dir.path().join("backup.sqlite3");
    let backup = run_blocking(vec![
        "backup".into(),
        "--to".into(),
        arg(&file),
        "--data-dir".into(),
        arg(&data),
    ])
    .await;
    let (sent_by_its_end, acknowledged_by_its_end) = {
        let l = load.ledger.lock().unwrap();
        (
            l.sent.iter().cloned().collect::<HashSet<_>>(),
            l.acknowledged.len(),
        )
    };
    assert!(
        backup.status.success(),
        "backup: {}",
        String::from_utf8_lossy(&backup.stderr)
    );
    assert!(
        acknowledged_by_its_end > before.len(),
        "answers went on being acknowledged during the backup"
    );

    // The running server holds its data directory: a restore into it is refused.
    let refused = run_blocking(vec![
        "restore".into(),
        "--from".into(),
        arg(&file),
        "--data-dir".into(),
        arg(&data),
        "--force".into(),
    ])
    .await;
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("stop it before restoring"), "{why}");

    let ledger = load.stop().await;
    assert!(
        ledger.unacknowledged.is_empty(),
        "answers refused: {}",
        server.logs()
    );
    let acknowledged: HashSet<String> = ledger.acknowledged.iter().cloned().collect();
    server.kill();

    let restored = dir.path().join("restored");
    let out = run(&[
        "restore",
        "--from",
        &arg(&file),
        "--data-dir",
        &arg(&restored),
    ]);
    assert!(
        out.status.success(),
        "restore: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let second = ServerProcess::start(&restored);
    let ids = exported_ids(&client, &second.base, &token, &poll).await;

    for sid in &before {
        assert_eq!(
            ids.get(sid),
            Some(&1),
            "{sid} acknowledged before the backup"
        );
    }
    for (sid, n) in &ids {
        assert_eq!(*n, 1, "{sid} appears {n} times");
        assert!(
            sent_by_its_end.contains(sid),
            "{sid} was sent only after the backup ended"
        );
        assert!(acknowledged.contains(sid), "{sid} was never acknowledged");
    }
    // The snapshot's tallies are those of its rows.
    assert_eq!(
        results_total(&client, &second.base, &token, &poll).await,
        ids.len() as u64
    );
    eprintln!(
        "backup: {} acknowledged before it, {} by its end, {} restored, {} in all",
        before.len(),
        acknowledged_by_its_end,
        ids.len(),
        acknowledged.len()
    );
}
