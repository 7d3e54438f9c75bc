//! Two servers on one PostgreSQL database: each sees the counts of answers the other
//! stores and hears of the consultations it changes, a retry reaching both at once is stored
//! once, and a lost listening connection is made again and catches up with what it did not
//! hear.

use super::pg;
use concerto_core::{Answers, OrgId, PollId, PollState, RawAnswers, SubmissionId, validate};
use concerto_server::store::{PollChange, PollCount, Store, SubmitOutcome};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::Receiver;

fn spec() -> concerto_core::PollSpec {
    serde_json::from_value(json!({
        "title": "Deux serveurs",
        "questions": [
            {"id": "venue", "prompt": "Venez-vous ?", "kind": "single_choice",
             "options": [{"id": "oui", "label": "Oui"}, {"id": "non", "label": "Non"}]}
        ]
    }))
    .unwrap()
}

fn answers(venue: &str) -> Answers {
    let raw: RawAnswers = serde_json::from_value(json!({"venue": {"option": venue}})).unwrap();
    validate(&spec().questions, &raw).unwrap()
}

fn sid(n: u32) -> SubmissionId {
    SubmissionId::parse(&format!("00000000-0000-4000-8000-{n:012x}")).unwrap()
}

async fn submit(store: &dyn Store, poll: &PollId, s: &SubmissionId, a: &Answers) -> SubmitOutcome {
    let fingerprint = serde_json::to_string(a).unwrap();
    store
        .submit(poll, s, a, &fingerprint, None, None, Default::default())
        .await
        .unwrap()
}

/// The next count of `poll` the subscriber gets, within a few seconds.
async fn next_count(counts: &mut Receiver<PollCount>, poll: &PollId) -> u64 {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let count = counts.recv().await.unwrap();
            if &count.poll == poll {
                return count.responses;
            }
        }
    })
    .await
    .expect("a count arrives")
}

/// The next change the subscriber gets, within a few seconds.
async fn next_change(changes: &mut Receiver<PollChange>) -> PollChange {
    tokio::time::timeout(Duration::from_secs(10), changes.recv())
        .await
        .expect("a change arrives")
        .unwrap()
}

async fn open_poll(store: &dyn Store) -> PollId {
    let org = OrgId::parse("riverains").unwrap();
    store.create_org(&org, "Riverains").await.unwrap();
    let poll = PollId::parse("deux-serveurs").unwrap();
    store.create_poll(&org, &poll, &spec()).await.unwrap();
    store.set_state(&org, &poll, PollState::Open).await.unwrap();
    poll
}

#[tokio::test]
async fn each_server_sees_the_counts_of_answers_sent_to_the_other() {
    pg::with_database(|url, _| async move {
        let (a, b) = (pg::open(&url).await, pg::open(&url).await);
        let poll = open_poll(a.as_ref()).await;
        let (mut on_a, mut on_b) = (a.subscribe(), b.subscribe());
        submit(b.as_ref(), &poll, &sid(1), &answers("oui")).await;
        assert_eq!(next_count(&mut on_a, &poll).await, 1, "A sees B's answer");
        assert_eq!(next_count(&mut on_b, &poll).await, 1, "B sees its own");
        submit(a.as_ref(), &poll, &sid(2), &answers("non")).await;
        assert_eq!(next_count(&mut on_b, &poll).await, 2, "B sees A's answer");
        assert_eq!(next_count(&mut on_a, &poll).await, 2);
        let org = OrgId::parse("riverains").unwrap();
        let organiser = concerto_core::api::Actor {
            name: None,
            email: None,
        };
        b.delete_response(&org, &poll, &sid(1), &organiser)
            .await
            .unwrap();
        assert_eq!(next_count(&mut on_a, &poll).await, 1, "A sees B's deletion");
    })
    .await;
}

#[tokio::test]
async fn each_server_hears_of_the_consultations_the_other_changes() {
    pg::with_database(|url, _| async move {
        let (a, b) = (pg::open(&url).await, pg::open(&url).await);
        let mut on_b = b.poll_changes();
        let poll = open_poll(a.as_ref()).await;
        let changed = PollChange::Changed(poll.clone());
        assert_eq!(next_change(&mut on_b).await, changed, "the opening");
        let org = OrgId::parse("riverains").unwrap();
        let other = PollId::parse("autre").unwrap();
        a.create_poll(&org, &other, &spec()).await.unwrap();
        a.update_poll(&org, &poll, &spec()).await.unwrap();
        assert_eq!(next_change(&mut on_b).await, changed, "an edit");
        a.update_poll_at(&org, &poll, &spec(), 0)
            .await
            .unwrap()
            .expect("no answer yet");
        assert_eq!(next_change(&mut on_b).await, changed, "a checked edit");
        a.set_state(&org, &poll, PollState::Closed).await.unwrap();
        assert_eq!(next_change(&mut on_b).await, changed, "closing");
        b.set_state(&org, &poll, PollState::Open).await.unwrap();
        assert_eq!(next_change(&mut on_b).await, changed, "B hears its own");
        // What changes nothing says nothing: an edit checked against a count that answers
        // moved, an edit of a consultation that is not there, an answer.
        submit(a.as_ref(), &poll, &sid(1), &answers("oui")).await;
        assert!(
            a.update_poll_at(&org, &poll, &spec(), 0)
                .await
                .unwrap()
                .is_none()
        );
        let absent = PollId::parse("absente").unwrap();
        assert!(a.update_poll(&org, &absent, &spec()).await.is_err());
        // Notifications arrive in the order their transactions committed: had any of those
        // said something, it would come before this one.
        a.set_state(&org, &other, PollState::Open).await.unwrap();
        assert_eq!(
            next_change(&mut on_b).await,
            PollChange::Changed(other),
            "only what changed"
        );
        let actor = concerto_core::api::Actor {
            name: None,
            email: None,
        };
        a.delete_poll(&org, &poll, &actor).await.unwrap();
        assert_eq!(next_change(&mut on_b).await, changed, "the deletion");
    })
    .await;
}

#[tokio::test]
async fn each_server_hears_of_the_partnerships_the_other_changes() {
    pg::with_database(|url, _| async move {
        let (a, b) = (pg::open(&url).await, pg::open(&url).await);
        let mut on_b = b.poll_changes();
        let poll = open_poll(a.as_ref()).await;
        let changed = PollChange::Changed(poll.clone());
        assert_eq!(next_change(&mut on_b).await, changed, "the opening");
        let owner = OrgId::parse("riverains").unwrap();
        let partner = OrgId::parse("bibliotheque").unwrap();
        a.create_org(&partner, "Bibliothèque").await.unwrap();
        let other = PollId::parse("autre").unwrap();
        a.create_poll(&owner, &other, &spec()).await.unwrap();
        let now = time::OffsetDateTime::now_utc();
        let key = concerto_core::PartnerKey::parse("abcdefghijk2").unwrap();
        a.invite_partner(&owner, &poll, &partner, &key, now)
            .await
            .unwrap();
        assert_eq!(next_change(&mut on_b).await, changed, "an invitation");
        a.accept_partnership(&partner, &poll, now).await.unwrap();
        assert_eq!(next_change(&mut on_b).await, changed, "an acceptance");
        let site = concerto_core::Origin::parse("https://bibliotheque.example").unwrap();
        a.set_partner_origins(&partner, &poll, std::slice::from_ref(&site))
            .await
            .unwrap();
        assert_eq!(next_change(&mut on_b).await, changed, "the partner's sites");
        // Heard, and read by the other server as it is now.
        assert!(
            b.poll(&poll)
                .await
                .unwrap()
                .unwrap()
                .embeds_from(site.as_str())
        );
        a.leave_partnership(&partner, &poll).await.unwrap();
        assert_eq!(next_change(&mut on_b).await, changed, "the partner leaving");
        a.invite_partner(&owner, &poll, &partner, &key, now)
            .await
            .unwrap();
        assert_eq!(next_change(&mut on_b).await, changed, "an invitation again");
        a.end_partner(&owner, &poll, &partner).await.unwrap();
        assert_eq!(next_change(&mut on_b).await, changed, "the owner ending it");
        // What changes nothing says nothing: a refused invitation, a refused end.
        assert!(a.end_partner(&owner, &poll, &partner).await.is_err());
        assert!(
            a.set_partner_origins(&partner, &poll, &[site])
                .await
                .is_err()
        );
        a.set_state(&owner, &other, PollState::Open).await.unwrap();
        assert_eq!(
            next_change(&mut on_b).await,
            PollChange::Changed(other),
            "only what changed"
        );
    })
    .await;
}

#[tokio::test]
async fn a_retry_storm_split_across_two_servers_stores_one_answer() {
    pg::with_database(|url, _| async move {
        let stores: [Arc<dyn Store>; 2] = [pg::open(&url).await, pg::open(&url).await];
        let poll = open_poll(stores[0].as_ref()).await;
        let (s, given) = (sid(7), answers("oui"));
        let tasks: Vec<_> = (0..24)
            .map(|i| {
                let store = stores[i % 2].clone();
                let (poll, s, given) = (poll.clone(), s.clone(), given.clone());
                tokio::spawn(async move { submit(store.as_ref(), &poll, &s, &given).await })
            })
            .collect();
        let mut stored = 0;
        let mut receipts = Vec::new();
        for t in tasks {
            match t.await.unwrap() {
                SubmitOutcome::Stored(r) => {
                    stored += 1;
                    receipts.push(r);
                }
                SubmitOutcome::Replayed(r) => receipts.push(r),
            }
        }
        assert_eq!(stored, 1, "exactly one stored");
        assert!(
            receipts.windows(2).all(|w| w[0] == w[1]),
            "one receipt for all"
        );
        for store in &stores {
            let p = store.poll(&poll).await.unwrap().unwrap();
            assert_eq!(p.responses, 1);
            let results = store.results(&p).await.unwrap();
            assert_eq!(results.total, 1);
            let venue = concerto_core::QuestionId::parse("venue").unwrap();
            assert_eq!(results.question(&venue).unwrap().answered, 1);
        }
    })
    .await;
}

#[tokio::test]
async fn live_counts_come_back_after_the_listening_connection_drops() {
    pg::with_database(|url, admin_url| async move {
        let (a, b) = (pg::open(&url).await, pg::open(&url).await);
        let poll = open_poll(a.as_ref()).await;
        let mut on_b = b.subscribe();
        let mut changes_on_b = b.poll_changes();
        let (admin, connection) = tokio_postgres::connect(&admin_url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        let database = url.rsplit('/').next().unwrap().to_owned();
        let killed: Vec<i32> = admin
            .query(
                // In the select list, so that only the rows kept are terminated.
                "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = $1 AND application_name = 'concerto-listener'",
                &[&database],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(killed.len(), 2, "both servers' listeners");
        // Gone for good before the answer commits, so that no listener hears it.
        tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                let left: i64 = admin
                    .query_one(
                        "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY($1)",
                        &[&killed],
                    )
                    .await
                    .unwrap()
                    .get(0);
                if left == 0 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await
        .expect("the listeners end");
        submit(a.as_ref(), &poll, &sid(1), &answers("oui")).await;
        // Unheard, yet caught up with once B listens again (or, on a slow machine, heard by
        // B's new connection).
        assert_eq!(next_count(&mut on_b, &poll).await, 1, "B catches up");
        submit(a.as_ref(), &poll, &sid(2), &answers("oui")).await;
        assert_eq!(next_count(&mut on_b, &poll).await, 2, "B listens again");
        // What changed while nobody listened is unknown: B is told to forget everything
        // (after, perhaps, hearing of the opening, notified before it subscribed).
        loop {
            match next_change(&mut changes_on_b).await {
                PollChange::All => break,
                PollChange::Changed(p) => assert_eq!(p, poll),
            }
        }
    })
    .await;
}
