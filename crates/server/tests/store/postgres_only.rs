//! What only the PostgreSQL store has to take care of.

use super::pg;
use concerto_core::{OrgId, PollId, PollSpec, RawAnswers, SubmissionId, Via, validate};
use concerto_server::store::{Attribution, SubmitOutcome};
use futures_util::StreamExt;
use serde_json::json;

fn spec(title: &str) -> PollSpec {
    serde_json::from_value(json!({
        "title": title,
        "questions": [
            {"id": "idee", "prompt": "Une idée ?", "kind": "long_text", "max_length": 500}
        ]
    }))
    .unwrap()
}

#[tokio::test]
async fn a_nul_character_typed_in_a_text_is_kept_as_the_replacement_character() {
    pg::with_database(|url, _| async move {
        let store = pg::open(&url).await;
        let org = OrgId::parse("riverains").unwrap();
        store.create_org(&org, "Riverains").await.unwrap();
        let poll = PollId::parse("nul").unwrap();
        let created = store
            .create_poll(&org, &poll, &spec("N\u{0}L"))
            .await
            .unwrap();
        assert_eq!(created.spec.title.to_string(), "N\u{fffd}L");
        let raw: RawAnswers = serde_json::from_value(json!({"idee": {"text": "a\u{0}b"}})).unwrap();
        let answers = validate(&created.spec.questions, &raw).unwrap();
        let s = SubmissionId::parse("00000000-0000-4000-8000-000000000001").unwrap();
        let fingerprint = serde_json::to_string(&answers).unwrap();
        let stored = store
            .submit(
                &poll,
                &s,
                &answers,
                &fingerprint,
                None,
                None,
                Default::default(),
            )
            .await
            .unwrap();
        assert!(matches!(stored, SubmitOutcome::Stored(_)));
        // A retry of it is still recognised: the fingerprint is the caller's.
        assert!(matches!(
            store
                .submit(
                    &poll,
                    &s,
                    &answers,
                    &fingerprint,
                    None,
                    None,
                    Default::default()
                )
                .await
                .unwrap(),
            SubmitOutcome::Replayed(_)
        ));
        let kept: Vec<_> = store.responses(&poll).collect().await;
        let text = serde_json::to_value(&kept[0].as_ref().unwrap().answers).unwrap();
        assert_eq!(text["idee"]["text"], "a\u{fffd}b");
    })
    .await;
}

fn choice_spec() -> PollSpec {
    serde_json::from_value(json!({
        "title": "Concurrence",
        "questions": [
            {"id": "venue", "prompt": "Venez-vous ?", "kind": "single_choice",
             "options": [{"id": "oui", "label": "Oui"}, {"id": "non", "label": "Non"}]}
        ]
    }))
    .unwrap()
}

fn sid(n: u32) -> SubmissionId {
    SubmissionId::parse(&format!("00000000-0000-4000-8000-{n:012x}")).unwrap()
}

/// Answers arriving through two servers while an organiser deletes every answer, then the
/// consultation: the count, the tallies and the stored answers agree at each step, and no
/// request fails with anything but "not found" (no deadlock between the row locks).
#[tokio::test]
async fn deletions_racing_answers_leave_counts_tallies_and_answers_agreeing() {
    pg::with_database(|url, _| async move {
        let stores = [pg::open(&url).await, pg::open(&url).await];
        let org = OrgId::parse("riverains").unwrap();
        stores[0].create_org(&org, "Riverains").await.unwrap();
        let poll = PollId::parse("concurrence").unwrap();
        stores[0]
            .create_poll(&org, &poll, &choice_spec())
            .await
            .unwrap();
        let raw: RawAnswers = serde_json::from_value(json!({"venue": {"option": "oui"}})).unwrap();
        let answers = validate(&choice_spec().questions, &raw).unwrap();
        let organiser = concerto_core::api::Actor {
            name: None,
            email: None,
        };
        let submits = |from: u32| {
            (from..from + 40)
                .map(|n| {
                    let store = stores[n as usize % 2].clone();
                    let (poll, answers) = (poll.clone(), answers.clone());
                    tokio::spawn(async move {
                        let fp = serde_json::to_string(&answers).unwrap();
                        store
                            .submit(
                                &poll,
                                &sid(n),
                                &answers,
                                &fp,
                                None,
                                None,
                                Default::default(),
                            )
                            .await
                    })
                })
                .collect::<Vec<_>>()
        };
        let racing = submits(0);
        tokio::task::yield_now().await;
        stores[1]
            .delete_responses(&org, &poll, &organiser)
            .await
            .unwrap();
        for t in racing {
            t.await.unwrap().unwrap();
        }
        let p = stores[0].poll(&poll).await.unwrap().unwrap();
        let kept = stores[0].responses(&poll).count().await as u64;
        let results = stores[1].results(&p).await.unwrap();
        let venue = concerto_core::QuestionId::parse("venue").unwrap();
        assert_eq!(p.responses, kept, "the count is the answers kept");
        assert_eq!(results.question(&venue).unwrap().answered, kept);

        let racing = submits(1000);
        tokio::time::sleep(std::time::Duration::from_millis(15)).await;
        let deleted = stores[1]
            .delete_poll(&org, &poll, &organiser)
            .await
            .unwrap();
        let mut stored = 0;
        for t in racing {
            match t.await.unwrap() {
                Ok(SubmitOutcome::Stored(_)) => stored += 1,
                Ok(SubmitOutcome::Replayed(_)) => panic!("each submission is new"),
                Err(concerto_server::store::StoreError::NotFound) => {}
                Err(e) => panic!("a submit failed: {e}"),
            }
        }
        assert_eq!(deleted, kept + stored, "every answer stored went with it");
        assert!(stores[0].poll(&poll).await.unwrap().is_none());
    })
    .await;
}

/// A batch that fails is written again answer by answer: each still with the partner and the
/// door it came through.
#[tokio::test]
async fn the_answers_of_a_failed_batch_keep_their_partner_and_door() {
    pg::with_database(|url, _| async move {
        let store = pg::open(&url).await;
        let (owner, partner) = (
            OrgId::parse("riverains").unwrap(),
            OrgId::parse("bibliotheque").unwrap(),
        );
        store.create_org(&owner, "Riverains").await.unwrap();
        store.create_org(&partner, "Bibliothèque").await.unwrap();
        let poll = PollId::parse("repli").unwrap();
        store
            .create_poll(&owner, &poll, &choice_spec())
            .await
            .unwrap();
        // Every batch's insert fails (it is the one with UNNEST), the one-answer path's not:
        // whatever is stored went the fallback's way.
        let (db, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        db.batch_execute(
            "CREATE FUNCTION refuse_batches() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 IF current_query() LIKE '%UNNEST%' THEN RAISE EXCEPTION 'no batch'; END IF;
                 RETURN NEW;
             END $$;
             CREATE TRIGGER refuse_batches BEFORE INSERT ON responses
                 FOR EACH ROW EXECUTE FUNCTION refuse_batches();",
        )
        .await
        .unwrap();
        let raw: RawAnswers = serde_json::from_value(json!({"venue": {"option": "oui"}})).unwrap();
        let answers = validate(&choice_spec().questions, &raw).unwrap();
        let fp = serde_json::to_string(&answers).unwrap();
        let sent: Vec<_> = (0..6u32)
            .map(|n| {
                let via = [Via::Site, Via::Page, Via::Qr][n as usize % 3];
                (sid(n), (n % 2 == 0).then_some(&partner), via)
            })
            .collect();
        let outcomes = futures_util::future::join_all(sent.iter().map(|(s, p, via)| {
            let by = Attribution {
                partner: *p,
                via: *via,
            };
            store.submit(&poll, s, &answers, &fp, None, None, by)
        }))
        .await;
        for outcome in outcomes {
            assert!(
                matches!(outcome, Ok(SubmitOutcome::Stored(_))),
                "{outcome:?}"
            );
        }
        let stored: Vec<_> = store
            .responses(&poll)
            .map(|r| r.unwrap())
            .map(|r| (r.submission_id, r.partner, r.via))
            .collect()
            .await;
        let mut stored = stored;
        stored.sort();
        let want: Vec<_> = sent
            .into_iter()
            .map(|(s, p, via)| (s, p.cloned(), via))
            .collect();
        assert_eq!(stored, want);
    })
    .await;
}
