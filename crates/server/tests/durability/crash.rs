//! `kill -9` in the middle of a flow of answers, a few times over on one data directory: what
//! was acknowledged is stored once, and a retry of what was not stores it at most once.

use crate::support::*;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// Kill and restart cycles.
const CYCLES: u64 = 5;

/// Tasks sending answers at once.
const TASKS: usize = 6;

/// Characters of text in each answer.
const PADDING: usize = 100;

/// Answers acknowledged in a cycle before its kill is due.
const PER_CYCLE: usize = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn answers_acknowledged_before_a_kill_9_are_stored_once_and_retries_never_twice() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let token = create_org(&data);
    let client = client();
    let mut running = Some(ServerProcess::start(&data));
    let poll = open_poll(&client, &running.as_ref().unwrap().base, &token).await;

    let (mut acknowledged, mut unacknowledged, mut sent) = (Vec::new(), Vec::new(), Vec::new());
    for cycle in 0..CYCLES {
        let server = running
            .take()
            .unwrap_or_else(|| ServerProcess::start(&data));
        let load = Load::start(&server.base, &poll, TASKS, PADDING);
        let deadline = Instant::now() + Duration::from_secs(20);
        while load.acknowledged() < PER_CYCLE {
            assert!(Instant::now() < deadline, "too slow: {}", server.logs());
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // A different moment of the writer's cycle each time.
        tokio::time::sleep(Duration::from_millis(13 + 29 * cycle)).await;
        server.kill();
        let ledger = load.stop().await;
        acknowledged.extend(ledger.acknowledged);
        unacknowledged.extend(ledger.unacknowledged);
        sent.extend(ledger.sent);
    }

    let server = ServerProcess::start(&data);
    let ids = exported_ids(&client, &server.base, &token, &poll).await;
    for sid in &acknowledged {
        assert_eq!(ids.get(sid), Some(&1), "acknowledged {sid}");
    }
    let sent: HashSet<&String> = sent.iter().collect();
    for (sid, n) in &ids {
        assert_eq!(*n, 1, "{sid} stored {n} times");
        assert!(sent.contains(sid), "{sid} was never sent");
    }
    // Stored but never acknowledged: committed, then killed before the response went out.
    let stored_unacknowledged = unacknowledged
        .iter()
        .filter(|s| ids.contains_key(*s))
        .count();

    // A device's outbox sends again what got no acknowledgement, and sometimes what did.
    for sid in unacknowledged.iter().chain(acknowledged.iter().step_by(10)) {
        assert_eq!(
            submit(&client, &server.base, &poll, sid, PADDING).await,
            Outcome::Acknowledged,
            "retry of {sid}"
        );
    }
    let after = exported_ids(&client, &server.base, &token, &poll).await;
    for sid in acknowledged.iter().chain(&unacknowledged) {
        assert_eq!(after.get(sid), Some(&1), "{sid} after the retries");
    }
    assert_eq!(after.len(), acknowledged.len() + unacknowledged.len());
    assert_eq!(
        results_total(&client, &server.base, &token, &poll).await,
        after.len() as u64
    );
    eprintln!(
        "crash: {} acknowledged, {} not ({} of them stored anyway) over {CYCLES} kills",
        acknowledged.len(),
        unacknowledged.len(),
        stored_unacknowledged
    );
}
