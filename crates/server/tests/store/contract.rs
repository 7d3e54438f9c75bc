//! The checks themselves, each taking a fresh, empty store.

use concerto_core::api::{ActivityKind, Actor};
use concerto_core::{
    Answers, OrgId, Origin, PartnerKey, PartnerState, PollId, PollSpec, PollState, QuestionId,
    RawAnswers, SubmissionId, Via, validate,
};
use concerto_server::store::{
    Attribution, NewUser, ResponseQuery, Store, StoreError, SubmitOutcome, TextQuery,
};
use futures_util::StreamExt;
use serde_json::json;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

fn spec() -> PollSpec {
    serde_json::from_value(json!({
        "title": "Le marché du samedi",
        "questions": [
            {"id": "venue", "prompt": "Venez-vous ?", "kind": "single_choice", "allow_other": true,
             "options": [{"id": "oui", "label": "Oui"}, {"id": "non", "label": "Non"}]},
            {"id": "idee", "prompt": "Une idée ?", "kind": "long_text", "max_length": 500}
        ]
    }))
    .unwrap()
}

fn answers(venue: &str, idee: &str) -> Answers {
    let raw: RawAnswers = serde_json::from_value(json!({
        "venue": {"option": venue},
        "idee": {"text": idee}
    }))
    .unwrap();
    validate(&spec().questions, &raw).unwrap()
}

fn sid() -> SubmissionId {
    let hex = format!("{:032x}", rand_u128());
    SubmissionId::parse(&format!(
        "{}-{}-4{}-8{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    ))
    .unwrap()
}

fn rand_u128() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let t = OffsetDateTime::now_utc().unix_timestamp_nanos() as u128;
    (t << 20) ^ u128::from(n) ^ (u128::from(std::process::id()) << 100)
}

fn organiser() -> Actor {
    Actor {
        name: Some("Inès".into()),
        email: Some("ines@riverains.example".into()),
    }
}

async fn org(store: &dyn Store, name: &str) -> OrgId {
    let id = OrgId::parse(format!("org{}", rand_u128() % 1_000_000_000)).unwrap();
    store.create_org(&id, name).await.unwrap();
    id
}

async fn open_poll(store: &dyn Store, org: &OrgId) -> PollId {
    let id = PollId::parse(format!("p{}", rand_u128() % 1_000_000_000_000)).unwrap();
    store.create_poll(org, &id, &spec()).await.unwrap();
    store.set_state(org, &id, PollState::Open).await.unwrap();
    id
}

async fn submit(store: &dyn Store, poll: &PollId, s: &SubmissionId, a: &Answers) -> SubmitOutcome {
    let fingerprint = serde_json::to_string(a).unwrap();
    store
        .submit(poll, s, a, &fingerprint, None, None, Default::default())
        .await
        .unwrap()
}

pub async fn organisations_and_tokens(store: Arc<dyn Store>) {
    let id = org(store.as_ref(), "Mairie").await;
    assert!(store.org_exists(&id).await.unwrap());
    assert!(matches!(
        store.create_org(&id, "Encore").await,
        Err(StoreError::AlreadyExists)
    ));
    store.add_token(&id, "hash-of-a-token").await.unwrap();
    assert_eq!(
        store.org_for_token("hash-of-a-token").await.unwrap(),
        Some(id)
    );
    assert_eq!(store.org_for_token("unknown").await.unwrap(), None);
}

pub async fn consultations_stay_with_their_organisation(store: Arc<dyn Store>) {
    let (a, b) = (
        org(store.as_ref(), "A").await,
        org(store.as_ref(), "B").await,
    );
    let first = open_poll(store.as_ref(), &a).await;
    let second = open_poll(store.as_ref(), &a).await;
    assert!(matches!(
        store.org_poll(&b, &first).await,
        Err(StoreError::NotFound)
    ));
    assert!(store.list_polls(&b).await.unwrap().is_empty());
    let listed: Vec<PollId> = store
        .list_polls(&a)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(listed, [second.clone(), first.clone()], "newest first");
    let poll = store.poll(&first).await.unwrap().unwrap();
    assert_eq!(
        (poll.org, poll.state, poll.responses),
        (a.clone(), PollState::Open, 0)
    );
    assert!(matches!(
        store.set_state(&b, &first, PollState::Closed).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.create_poll(&a, &first, &spec()).await,
        Err(StoreError::AlreadyExists)
    ));
}

pub async fn an_edit_checked_against_a_count_is_refused_once_answers_moved(store: Arc<dyn Store>) {
    let a = org(store.as_ref(), "A").await;
    let poll = open_poll(store.as_ref(), &a).await;
    let mut edited = spec();
    edited.title = concerto_core::Text::from("Le marché du dimanche");
    assert!(
        store
            .update_poll_at(&a, &poll, &edited, 0)
            .await
            .unwrap()
            .is_some()
    );
    submit(store.as_ref(), &poll, &sid(), &answers("oui", "")).await;
    assert!(
        store
            .update_poll_at(&a, &poll, &spec(), 0)
            .await
            .unwrap()
            .is_none()
    );
    let updated = store
        .update_poll_at(&a, &poll, &spec(), 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.spec, spec());
}

pub async fn an_answer_is_stored_once_and_replays_get_the_same_receipt(store: Arc<dyn Store>) {
    let a = org(store.as_ref(), "A").await;
    let poll = open_poll(store.as_ref(), &a).await;
    let mut counts = store.subscribe();
    let s = sid();
    let given = answers("oui", "Des bancs");
    let SubmitOutcome::Stored(receipt) = submit(store.as_ref(), &poll, &s, &given).await else {
        panic!("a first submission is stored");
    };
    let count = counts.recv().await.unwrap();
    assert_eq!((count.poll.clone(), count.responses), (poll.clone(), 1));
    assert_eq!(
        submit(store.as_ref(), &poll, &s, &given).await,
        SubmitOutcome::Replayed(receipt.clone())
    );
    let fingerprint = serde_json::to_string(&given).unwrap();
    assert_eq!(
        store.receipt(&poll, &s, &fingerprint).await.unwrap(),
        Some(receipt)
    );
    let other = answers("non", "");
    let fingerprint = serde_json::to_string(&other).unwrap();
    assert!(matches!(
        store
            .submit(
                &poll,
                &s,
                &other,
                &fingerprint,
                None,
                None,
                Default::default()
            )
            .await,
        Err(StoreError::SubmissionConflict)
    ));
    let p = store.poll(&poll).await.unwrap().unwrap();
    assert_eq!(p.responses, 1);
    let results = store.results(&p).await.unwrap();
    let venue = results
        .question(&QuestionId::parse("venue").unwrap())
        .unwrap();
    assert_eq!(venue.answered, 1);
    let stored: Vec<_> = store.responses(&poll).collect().await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].as_ref().unwrap().answers, given);
}

pub async fn concurrent_retries_of_one_submission_store_one_answer(store: Arc<dyn Store>) {
    let a = org(store.as_ref(), "A").await;
    let poll = open_poll(store.as_ref(), &a).await;
    let s = sid();
    let given = answers("oui", "");
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let (store, poll, s, given) = (store.clone(), poll.clone(), s.clone(), given.clone());
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
    assert_eq!(stored, 1);
    assert!(
        receipts.windows(2).all(|w| w[0] == w[1]),
        "one receipt for all"
    );
    assert_eq!(store.poll(&poll).await.unwrap().unwrap().responses, 1);
}

pub async fn answers_page_newest_first_and_filter_by_choice(store: Arc<dyn Store>) {
    let a = org(store.as_ref(), "A").await;
    let poll = open_poll(store.as_ref(), &a).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let s = sid();
        let venue = if i % 2 == 0 { "oui" } else { "non" };
        submit(store.as_ref(), &poll, &s, &answers(venue, "")).await;
        ids.push(s);
    }
    let query = |before, chose| ResponseQuery {
        before,
        limit: 2,
        chose,
        from: None,
        until: None,
    };
    let first = store
        .response_page(&a, &poll, query(None, None))
        .await
        .unwrap();
    assert_eq!(first.total, 5);
    let got: Vec<_> = first
        .responses
        .iter()
        .map(|r| r.submission_id.clone())
        .collect();
    assert_eq!(got, [ids[4].clone(), ids[3].clone()], "newest first");
    let second = store
        .response_page(&a, &poll, query(first.next, None))
        .await
        .unwrap();
    assert_eq!(second.responses[0].submission_id, ids[2]);
    let venue = QuestionId::parse("venue").unwrap();
    let oui = concerto_core::OptionId::parse("oui").unwrap();
    let filtered = store
        .response_page(&a, &poll, query(None, Some((venue, Some(oui)))))
        .await
        .unwrap();
    assert_eq!(filtered.total, 3);
    let one = store.response(&a, &poll, &ids[1]).await.unwrap();
    assert_eq!(one.answers, answers("non", ""));
    let b = org(store.as_ref(), "B").await;
    assert!(matches!(
        store.response(&b, &poll, &ids[1]).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.response_page(&b, &poll, query(None, None)).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn deleting_answers_updates_the_tallies_and_is_logged(store: Arc<dyn Store>) {
    let a = org(store.as_ref(), "A").await;
    let poll = open_poll(store.as_ref(), &a).await;
    let (s1, s2) = (sid(), sid());
    let given = answers("oui", "");
    submit(store.as_ref(), &poll, &s1, &given).await;
    submit(store.as_ref(), &poll, &s2, &answers("non", "")).await;
    let left = store
        .delete_response(&a, &poll, &s1, &organiser())
        .await
        .unwrap();
    assert_eq!(left, 1);
    let p = store.poll(&poll).await.unwrap().unwrap();
    assert_eq!(p.responses, 1);
    let results = store.results(&p).await.unwrap();
    assert_eq!(
        results
            .question(&QuestionId::parse("venue").unwrap())
            .unwrap()
            .answered,
        1
    );
    // The deleted answer sent again from a device's outbox is acknowledged, not stored.
    assert!(matches!(
        submit(store.as_ref(), &poll, &s1, &given).await,
        SubmitOutcome::Replayed(_)
    ));
    assert_eq!(store.poll(&poll).await.unwrap().unwrap().responses, 1);
    assert_eq!(
        store
            .delete_responses(&a, &poll, &organiser())
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.poll(&poll).await.unwrap().unwrap().responses, 0);
    let log = store.activity(&a, 10).await.unwrap();
    let kinds: Vec<_> = log.iter().map(|e| (e.kind, e.answers)).collect();
    assert_eq!(
        kinds,
        [
            (ActivityKind::AnswersDeleted, 1),
            (ActivityKind::AnswerDeleted, 1)
        ],
        "newest first"
    );
    assert_eq!(log[0].actor, organiser());
    let b = org(store.as_ref(), "B").await;
    assert!(store.activity(&b, 10).await.unwrap().is_empty());
}

pub async fn deleting_a_consultation_takes_its_answers(store: Arc<dyn Store>) {
    let a = org(store.as_ref(), "A").await;
    let poll = open_poll(store.as_ref(), &a).await;
    submit(store.as_ref(), &poll, &sid(), &answers("oui", "")).await;
    let b = org(store.as_ref(), "B").await;
    assert!(matches!(
        store.delete_poll(&b, &poll, &organiser()).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.delete_poll(&a, &poll, &organiser()).await.unwrap(), 1);
    assert!(store.poll(&poll).await.unwrap().is_none());
    assert_eq!(store.responses(&poll).count().await, 0);
    let log = store.activity(&a, 10).await.unwrap();
    assert_eq!(log[0].kind, ActivityKind::ConsultationDeleted);
    assert_eq!(log[0].poll_title, "Le marché du samedi");
}

pub async fn texts_page_in_order(store: Arc<dyn Store>) {
    let a = org(store.as_ref(), "A").await;
    let poll = open_poll(store.as_ref(), &a).await;
    for text in ["Des bancs", "Plus d’ombre", "Des BANCS encore", ""] {
        submit(store.as_ref(), &poll, &sid(), &answers("oui", text)).await;
    }
    let query = |search: Option<&str>, after| TextQuery {
        question: QuestionId::parse("idee").unwrap(),
        field: "text",
        search: search.map(str::to_owned),
        after,
        limit: 2,
    };
    let (page, next) = store.texts(&poll, query(None, 0)).await.unwrap();
    let texts: Vec<_> = page.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(texts, ["Des bancs", "Plus d’ombre"], "oldest first");
    let (rest, _) = store
        .texts(&poll, query(None, next.unwrap()))
        .await
        .unwrap();
    assert_eq!(rest[0].text, "Des BANCS encore");
    let (found, _) = store.texts(&poll, query(Some("bancs"), 0)).await.unwrap();
    assert_eq!(found.len(), 2, "ignoring case");
}

fn new_user(email: &str) -> NewUser {
    NewUser {
        id: format!("u{}", rand_u128() % 1_000_000_000),
        email: email.into(),
        name: "Inès".into(),
        password_hash: "$argon2id$not-a-real-hash".into(),
    }
}

pub async fn invitations_are_used_once(store: Arc<dyn Store>) {
    let a = org(store.as_ref(), "A").await;
    let now = OffsetDateTime::now_utc();
    let later = now + Duration::days(7);
    store
        .create_invitation(&a, "inv1", None, now, later)
        .await
        .unwrap();
    store
        .create_invitation(&a, "inv2", None, now, later)
        .await
        .unwrap();
    assert_eq!(store.pending_invitations(&a, now).await.unwrap().len(), 2);
    let user = store
        .accept_invitation("inv1", now, new_user("ines@a.example"))
        .await
        .unwrap();
    assert_eq!(
        (user.org.clone(), user.email.as_str()),
        (a.clone(), "ines@a.example")
    );
    assert!(matches!(
        store
            .accept_invitation("inv1", now, new_user("autre@a.example"))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .accept_invitation("inv2", now, new_user("ines@a.example"))
            .await,
        Err(StoreError::AlreadyExists)
    ));
    // Expired.
    assert!(matches!(
        store
            .accept_invitation(
                "inv2",
                later + Duration::seconds(1),
                new_user("x@a.example")
            )
            .await,
        Err(StoreError::NotFound)
    ));
    let pending = store.pending_invitations(&a, now).await.unwrap();
    assert_eq!(pending.len(), 1);
    let b = org(store.as_ref(), "B").await;
    assert!(
        !store
            .revoke_invitation(&b, &pending[0].id, now)
            .await
            .unwrap()
    );
    assert!(
        store
            .revoke_invitation(&a, &pending[0].id, now)
            .await
            .unwrap()
    );
    assert!(store.pending_invitations(&a, now).await.unwrap().is_empty());
    let team = store.team(&a).await.unwrap();
    assert_eq!(team.len(), 1);
    assert_eq!(team[0].email, "ines@a.example");
    let creds = store.credentials("ines@a.example").await.unwrap().unwrap();
    assert_eq!(creds.user, user);
    assert!(
        store
            .credentials("nobody@a.example")
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn sessions_live_and_end(store: Arc<dyn Store>) {
    let a = org(store.as_ref(), "A").await;
    let now = OffsetDateTime::now_utc();
    store
        .create_invitation(&a, "inv", None, now, now + Duration::days(1))
        .await
        .unwrap();
    let user = store
        .accept_invitation("inv", now, new_user("s@a.example"))
        .await
        .unwrap();
    let expires = now + Duration::hours(8);
    store
        .create_session("s1", &user.id, now, expires)
        .await
        .unwrap();
    store
        .create_session("s2", &user.id, now, expires)
        .await
        .unwrap();
    let session = store.session("s1").await.unwrap().unwrap();
    assert_eq!(
        (session.user.clone(), session.org_name.as_str()),
        (user.clone(), "A")
    );
    assert_eq!(
        session.expires_at.unix_timestamp(),
        expires.unix_timestamp()
    );
    let seen = now + Duration::minutes(5);
    store.touch_session("s1", seen).await.unwrap();
    let touched = store.session("s1").await.unwrap().unwrap();
    assert_eq!(touched.last_seen_at.unix_timestamp(), seen.unix_timestamp());
    store.delete_session("s1").await.unwrap();
    assert!(store.session("s1").await.unwrap().is_none());
    assert_eq!(store.delete_sessions_of(&user.id).await.unwrap(), 1);
    assert!(store.session("s2").await.unwrap().is_none());
}

pub async fn a_store_that_can_write_says_so(store: Arc<dyn Store>) {
    // What `/health/ready` asks; twice, as probes do.
    store.check_writable().await.unwrap();
    store.check_writable().await.unwrap();
}

pub async fn an_answer_checked_against_an_old_version_is_stale(store: Arc<dyn Store>) {
    let a = org(store.as_ref(), "A").await;
    let poll = open_poll(store.as_ref(), &a).await;
    let given = answers("oui", "");
    let fingerprint = serde_json::to_string(&given).unwrap();
    let checked = store.poll(&poll).await.unwrap().unwrap().updated_at;
    assert!(matches!(
        store
            .submit(
                &poll,
                &sid(),
                &given,
                &fingerprint,
                Some(checked),
                None,
                Default::default()
            )
            .await,
        Ok(SubmitOutcome::Stored(_))
    ));
    // Edited since: nothing stored, the answer is to be checked again.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let mut edited = spec();
    edited.title = concerto_core::Text::from("Le marché du dimanche");
    let now = store
        .update_poll_at(&a, &poll, &edited, 1)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(now.updated_at, checked);
    let late = sid();
    assert!(matches!(
        store
            .submit(
                &poll,
                &late,
                &given,
                &fingerprint,
                Some(checked),
                None,
                Default::default()
            )
            .await,
        Err(StoreError::Stale)
    ));
    assert_eq!(store.poll(&poll).await.unwrap().unwrap().responses, 1);
    // Closed since: the same.
    let closed = store.set_state(&a, &poll, PollState::Closed).await.unwrap();
    assert!(matches!(
        store
            .submit(
                &poll,
                &late,
                &given,
                &fingerprint,
                Some(closed.updated_at),
                None,
                Default::default(),
            )
            .await,
        Err(StoreError::Stale)
    ));
    assert_eq!(store.poll(&poll).await.unwrap().unwrap().responses, 1);
}

pub async fn rival_answers_under_one_submission_id_store_the_acknowledged_one(
    store: Arc<dyn Store>,
) {
    let a = org(store.as_ref(), "A").await;
    let poll = open_poll(store.as_ref(), &a).await;
    let s = sid();
    // Two different answers under one id, sent at once, many times: whichever is stored is
    // the one acknowledged as stored, the same answers again are replays, the others refused.
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let (store, poll, s) = (store.clone(), poll.clone(), s.clone());
            let given = if i % 2 == 0 {
                answers("oui", "")
            } else {
                answers("non", "")
            };
            tokio::spawn(async move {
                let fingerprint = serde_json::to_string(&given).unwrap();
                let outcome = store
                    .submit(
                        &poll,
                        &s,
                        &given,
                        &fingerprint,
                        None,
                        None,
                        Default::default(),
                    )
                    .await;
                (given, outcome)
            })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let stored: Vec<_> = results
        .iter()
        .filter(|(_, o)| matches!(o, Ok(SubmitOutcome::Stored(_))))
        .map(|(g, _)| g.clone())
        .collect();
    assert_eq!(stored.len(), 1);
    let kept: Vec<_> = store.responses(&poll).collect().await;
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].as_ref().unwrap().answers, stored[0]);
    for (given, outcome) in &results {
        match outcome {
            Ok(SubmitOutcome::Stored(_)) => {}
            Ok(SubmitOutcome::Replayed(_)) => assert_eq!(*given, stored[0]),
            Err(StoreError::SubmissionConflict) => assert_ne!(*given, stored[0]),
            other => panic!("unexpected {other:?}"),
        }
    }
}

pub async fn a_participation_code_is_used_by_one_answer_only(store: Arc<dyn Store>) {
    let a = org(store.as_ref(), "A").await;
    let poll = open_poll(store.as_ref(), &a).await;
    let hashes = vec!["h1".to_owned(), "h2".to_owned()];
    let (added, counts) = store.add_codes(&a, &poll, hashes.clone()).await.unwrap();
    assert_eq!((added, counts.total, counts.used), (hashes.clone(), 2, 0));
    // The hashes it has are skipped, new ones added; another organisation cannot add to it.
    let again = vec!["h2".to_owned(), "h4".to_owned()];
    let (added, counts) = store.add_codes(&a, &poll, again).await.unwrap();
    assert_eq!((added, counts.total), (vec!["h4".to_owned()], 3));
    let b = org(store.as_ref(), "B").await;
    assert!(matches!(
        store.add_codes(&b, &poll, vec!["h3".into()]).await,
        Err(StoreError::NotFound)
    ));

    let given = answers("oui", "");
    let fp = serde_json::to_string(&given).unwrap();
    let first = sid();
    let with = |s: SubmissionId, code: &'static str| {
        let (store, poll, given, fp) = (store.clone(), poll.clone(), given.clone(), fp.clone());
        async move {
            store
                .submit(&poll, &s, &given, &fp, None, Some(code), Default::default())
                .await
        }
    };
    assert!(matches!(
        with(first.clone(), "h1").await,
        Ok(SubmitOutcome::Stored(_))
    ));
    // A replay of that answer uses nothing; another answer with the code is refused.
    assert!(matches!(
        with(first, "h1").await,
        Ok(SubmitOutcome::Replayed(_))
    ));
    assert!(matches!(with(sid(), "h1").await, Err(StoreError::CodeUsed)));
    assert!(matches!(
        with(sid(), "nope").await,
        Err(StoreError::CodeUnknown)
    ));
    let counts = store.code_counts(&poll).await.unwrap();
    assert_eq!((counts.total, counts.used), (3, 1));
    assert_eq!(store.poll(&poll).await.unwrap().unwrap().responses, 1);

    // Eight answers with the last code at once: one stored.
    let tasks: Vec<_> = (0..8).map(|_| tokio::spawn(with(sid(), "h2"))).collect();
    let mut stored = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(SubmitOutcome::Stored(_)) => stored += 1,
            Err(StoreError::CodeUsed) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(stored, 1);
    assert_eq!(store.code_counts(&poll).await.unwrap().used, 2);
    assert_eq!(store.poll(&poll).await.unwrap().unwrap().responses, 2);
}

/// A whole second (both stores keep at least that), `s` seconds after a fixed moment.
fn at(s: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_780_000_000 + s).unwrap()
}

fn key(k: &str) -> PartnerKey {
    PartnerKey::parse(k).unwrap()
}

fn origin(o: &str) -> Origin {
    Origin::parse(o).unwrap()
}

pub async fn partners_are_invited_accept_and_end(store: Arc<dyn Store>) {
    let owner = org(store.as_ref(), "Mairie").await;
    let (b, c, x) = (
        org(store.as_ref(), "Bibliothèque").await,
        org(store.as_ref(), "Comité").await,
        org(store.as_ref(), "Autre").await,
    );
    let poll = open_poll(store.as_ref(), &owner).await;
    let invited = store
        .invite_partner(&owner, &poll, &b, &key("abcdefghijk2"), at(0))
        .await
        .unwrap();
    assert_eq!(
        (&invited.poll, &invited.org, invited.name.as_str()),
        (&poll, &b, "Bibliothèque")
    );
    assert_eq!(
        (
            &invited.key,
            invited.state,
            invited.invited_at,
            invited.accepted_at
        ),
        (&key("abcdefghijk2"), PartnerState::Invited, at(0), None)
    );
    assert!(invited.origins.is_empty());
    // Invited already; another's consultation, an unknown one, an organisation that is not.
    for (who, poll_id, partner, want) in [
        (&owner, &poll, &b, "exists"),
        (&x, &poll, &c, "not found"),
        (&owner, &PollId::parse("absente").unwrap(), &c, "not found"),
        (
            &owner,
            &poll,
            &OrgId::parse("personne").unwrap(),
            "not found",
        ),
    ] {
        let got = store
            .invite_partner(who, poll_id, partner, &key("abcdefghijk9"), at(0))
            .await;
        match want {
            "exists" => assert!(matches!(got, Err(StoreError::AlreadyExists)), "{got:?}"),
            _ => assert!(matches!(got, Err(StoreError::NotFound)), "{got:?}"),
        }
    }
    // Its sites only once it accepted; only an invited organisation accepts.
    let sites = [origin("https://bibliotheque.example")];
    assert!(matches!(
        store.set_partner_origins(&b, &poll, &sites).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.accept_partnership(&c, &poll, at(1)).await,
        Err(StoreError::NotFound)
    ));
    let active = store.accept_partnership(&b, &poll, at(1)).await.unwrap();
    assert_eq!(
        (active.state, active.accepted_at),
        (PartnerState::Active, Some(at(1)))
    );
    // Accepting again changes nothing.
    let again = store.accept_partnership(&b, &poll, at(2)).await.unwrap();
    assert_eq!(again, active);
    let with_sites = store.set_partner_origins(&b, &poll, &sites).await.unwrap();
    assert_eq!(with_sites.origins, sites);
    assert!(matches!(
        store.set_partner_origins(&c, &poll, &sites).await,
        Err(StoreError::NotFound)
    ));

    // Every read of the consultation carries its partners, in the order they were invited.
    store
        .invite_partner(&owner, &poll, &c, &key("abcdefghijk3"), at(3))
        .await
        .unwrap();
    let read = store.org_poll(&owner, &poll).await.unwrap();
    assert_eq!(
        read.partners.iter().map(|p| &p.org).collect::<Vec<_>>(),
        [&b, &c]
    );
    assert_eq!(read.partners[0], with_sites);
    assert_eq!(read.partners, store.partners(&poll).await.unwrap());
    assert_eq!(
        store.poll(&poll).await.unwrap().unwrap().partners,
        read.partners
    );
    assert_eq!(
        store.list_polls(&owner).await.unwrap()[0].partners,
        read.partners
    );
    let mut edited = spec();
    edited.title = concerto_core::Text::from("Le marché du dimanche");
    assert_eq!(
        store
            .update_poll(&owner, &poll, &edited)
            .await
            .unwrap()
            .partners,
        read.partners
    );
    assert_eq!(
        store
            .update_poll_at(&owner, &poll, &spec(), 0)
            .await
            .unwrap()
            .unwrap()
            .partners,
        read.partners
    );
    assert_eq!(
        store
            .set_state(&owner, &poll, PollState::Open)
            .await
            .unwrap()
            .partners,
        read.partners
    );
    assert!(read.embeds_from("https://bibliotheque.example"));

    // The owner ends one; only the owner, only once.
    assert!(matches!(
        store.end_partner(&x, &poll, &c).await,
        Err(StoreError::NotFound)
    ));
    let ended = store.end_partner(&owner, &poll, &c).await.unwrap();
    assert_eq!(ended.state, PartnerState::Ended);
    for got in [
        store.end_partner(&owner, &poll, &c).await,
        store.leave_partnership(&c, &poll).await,
        store.accept_partnership(&c, &poll, at(4)).await,
        store.end_partner(&owner, &poll, &x).await,
    ] {
        assert!(matches!(got, Err(StoreError::NotFound)), "{got:?}");
    }
    // Invited again: its old key, invited anew.
    let back = store
        .invite_partner(&owner, &poll, &c, &key("abcdefghijk4"), at(5))
        .await
        .unwrap();
    assert_eq!(
        (&back.key, back.state, back.invited_at, back.accepted_at),
        (&key("abcdefghijk3"), PartnerState::Invited, at(5), None)
    );
    // The partners leave (or decline); ended ones stay with the consultation.
    assert_eq!(
        store.leave_partnership(&c, &poll).await.unwrap().state,
        PartnerState::Ended
    );
    let left = store.leave_partnership(&b, &poll).await.unwrap();
    assert_eq!(
        (left.state, left.accepted_at, &left.origins),
        (PartnerState::Ended, Some(at(1)), &sites.to_vec())
    );
    assert!(matches!(
        store.leave_partnership(&b, &poll).await,
        Err(StoreError::NotFound)
    ));
    let read = store.poll(&poll).await.unwrap().unwrap();
    assert_eq!(
        read.partners
            .iter()
            .map(|p| (&p.org, p.state))
            .collect::<Vec<_>>(),
        [(&b, PartnerState::Ended), (&c, PartnerState::Ended)]
    );
    assert!(!read.embeds_from("https://bibliotheque.example"));
    assert_eq!(read.partner_by_key(&key("abcdefghijk2")).unwrap().org, b);
}

pub async fn partnerships_are_those_not_ended_newest_first(store: Arc<dyn Store>) {
    let owner = org(store.as_ref(), "Mairie").await;
    let (b, c) = (
        org(store.as_ref(), "Bibliothèque").await,
        org(store.as_ref(), "Comité").await,
    );
    let polls = [
        open_poll(store.as_ref(), &owner).await,
        open_poll(store.as_ref(), &owner).await,
        open_poll(store.as_ref(), &owner).await,
    ];
    for (poll, k, t) in [
        (&polls[0], "abcdefghijk2", 0),
        (&polls[1], "abcdefghijk3", 20),
        (&polls[2], "abcdefghijk4", 10),
    ] {
        store
            .invite_partner(&owner, poll, &b, &key(k), at(t))
            .await
            .unwrap();
    }
    store
        .accept_partnership(&b, &polls[0], at(30))
        .await
        .unwrap();
    store.end_partner(&owner, &polls[2], &b).await.unwrap();
    let mine = store.partnerships(&b).await.unwrap();
    assert_eq!(
        mine.iter().map(|p| (&p.poll, p.state)).collect::<Vec<_>>(),
        [
            (&polls[1], PartnerState::Invited),
            (&polls[0], PartnerState::Active)
        ]
    );
    assert!(store.partnerships(&c).await.unwrap().is_empty());
    assert!(store.partnerships(&owner).await.unwrap().is_empty());
    // A key is one partner's of one consultation.
    assert!(matches!(
        store
            .invite_partner(&owner, &polls[1], &c, &key("abcdefghijk2"), at(40))
            .await,
        Err(StoreError::AlreadyExists)
    ));
    // Each consultation read in the list has its own.
    let listed = store.list_polls(&owner).await.unwrap();
    for poll in &listed {
        assert_eq!(poll.partners.len(), 1, "{}", poll.id);
        assert_eq!(poll.partners[0].poll, poll.id);
    }
    // Deleting a consultation takes its partners.
    store
        .delete_poll(&owner, &polls[1], &organiser())
        .await
        .unwrap();
    assert!(store.partners(&polls[1]).await.unwrap().is_empty());
    let mine = store.partnerships(&b).await.unwrap();
    assert_eq!(
        mine.iter().map(|p| &p.poll).collect::<Vec<_>>(),
        [&polls[0]]
    );
    // Its key is free again.
    store
        .invite_partner(&owner, &polls[0], &c, &key("abcdefghijk3"), at(50))
        .await
        .unwrap();
}

pub async fn answers_keep_the_partner_and_the_door_they_came_through(store: Arc<dyn Store>) {
    let owner = org(store.as_ref(), "Mairie").await;
    let b = org(store.as_ref(), "Bibliothèque").await;
    let poll = open_poll(store.as_ref(), &owner).await;
    store
        .invite_partner(&owner, &poll, &b, &key("abcdefghijk2"), at(0))
        .await
        .unwrap();
    store.accept_partnership(&b, &poll, at(1)).await.unwrap();
    store
        .add_codes(&owner, &poll, vec!["h1".into()])
        .await
        .unwrap();
    let by = |partner, via| Attribution { partner, via };
    // Answers sent at once (PostgreSQL writes them in one batch), and one with a code (which
    // it stores on its own).
    let sent = [
        (sid(), by(Some(&b), Via::Qr), None),
        (sid(), by(None, Via::Page), None),
        (sid(), by(Some(&b), Via::Site), None),
        (sid(), Attribution::default(), None),
        (sid(), by(Some(&b), Via::Page), Some("h1")),
    ];
    let given = answers("oui", "");
    let fp = serde_json::to_string(&given).unwrap();
    let outcomes = futures_util::future::join_all(
        sent.iter()
            .filter(|(_, _, code)| code.is_none())
            .map(|(s, by, _)| store.submit(&poll, s, &given, &fp, None, None, *by)),
    )
    .await;
    let (s, by, code) = &sent[4];
    let coded = store.submit(&poll, s, &given, &fp, None, *code, *by).await;
    for outcome in outcomes.into_iter().chain([coded]) {
        assert!(
            matches!(outcome, Ok(SubmitOutcome::Stored(_))),
            "{outcome:?}"
        );
    }
    let mut want: Vec<_> = sent
        .iter()
        .map(|(s, by, _)| (s.clone(), by.partner.cloned(), by.via))
        .collect();
    want.sort();
    let got = |r: &concerto_server::store::StoredResponse| {
        (r.submission_id.clone(), r.partner.clone(), r.via)
    };
    let page = store
        .response_page(
            &owner,
            &poll,
            ResponseQuery {
                before: None,
                limit: 10,
                chose: None,
                from: None,
                until: None,
            },
        )
        .await
        .unwrap();
    let mut listed: Vec<_> = page.responses.iter().map(got).collect();
    listed.sort();
    assert_eq!(listed, want, "a page");
    for (s, partner, via) in &want {
        let one = store.response(&owner, &poll, s).await.unwrap();
        assert_eq!(got(&one), (s.clone(), partner.clone(), *via), "one answer");
    }
    let mut streamed: Vec<_> = store
        .responses(&poll)
        .map(|r| got(&r.unwrap()))
        .collect()
        .await;
    streamed.sort();
    assert_eq!(streamed, want, "the export stream");
    assert_eq!(
        store.partner_counts(&poll).await.unwrap(),
        [(Some(b.clone()), 3), (None, 2)]
    );
    // Ended, the partner keeps its answers.
    store.leave_partnership(&b, &poll).await.unwrap();
    assert_eq!(
        store.partner_counts(&poll).await.unwrap(),
        [(Some(b.clone()), 3), (None, 2)]
    );
    let other = open_poll(store.as_ref(), &owner).await;
    assert!(store.partner_counts(&other).await.unwrap().is_empty());
}

pub async fn the_directory_lists_the_other_organisations_by_name(store: Arc<dyn Store>) {
    let me = org(store.as_ref(), "Mairie").await;
    let mut others = Vec::new();
    for name in ["Comité", "atelier", "Bibliothèque"] {
        others.push((org(store.as_ref(), name).await, name));
    }
    let listed: Vec<_> = store
        .directory(&me)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    let want: Vec<_> = [1, 2, 0]
        .into_iter()
        .map(|i| (others[i].0.clone(), others[i].1.to_owned()))
        .collect();
    assert_eq!(
        listed, want,
        "by name, ignoring case, without the one asking"
    );
    assert_eq!(store.org_name(&me).await.unwrap(), "Mairie");
    assert_eq!(store.org_name(&others[0].0).await.unwrap(), "Comité");
    assert!(matches!(
        store.org_name(&OrgId::parse("personne").unwrap()).await,
        Err(StoreError::NotFound)
    ));
}
