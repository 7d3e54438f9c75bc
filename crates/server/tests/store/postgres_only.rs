//! What only the PostgreSQL store has to take care of.

use super::pg;
use concerto_core::{OrgId, PollId, PollSpec, RawAnswers, SubmissionId, validate};
use concerto_server::store::SubmitOutcome;
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
            .submit(&poll, &s, &answers, &fingerprint)
            .await
            .unwrap();
        assert!(matches!(stored, SubmitOutcome::Stored(_)));
        // A retry of it is still recognised: the fingerprint is the caller's.
        assert!(matches!(
            store
                .submit(&poll, &s, &answers, &fingerprint)
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
