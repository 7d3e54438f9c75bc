//! Filling the consultation up to a million answers, through the store's own `submit` (the
//! path every answer takes after HTTP), so that reads and exports are measured on a
//! consultation of that size.

use concerto_core::{Answers, PollId, PollSpec, SubmissionId, validate};
use concerto_server::store::Store;
use concerto_server::token;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Answers in flight at once: enough to fill the writer's batches.
const TASKS: u64 = 512;

/// A few different answers, so that the tallies and the exports are not one row repeated.
fn variants(spec: &PollSpec) -> Result<Vec<(Answers, String)>, String> {
    let raw = [
        serde_json::json!({"venue": {"option": "oui"}, "stands": {"options": ["fruits", "pain"]},
            "note": {"rating": 4}, "nom": {"text": "Zoé"}, "idee": {"text": "Plus de bancs à l’ombre"}}),
        serde_json::json!({"venue": {"option": "non"}, "note": {"rating": 2},
            "idee": {"text": "=SUM(A1:A9) ; des \"guillemets\", et une virgule"}}),
        serde_json::json!({"venue": {"other": "Parfois, le dimanche"}, "stands": {"options": ["pain"]},
            "nom": {"text": "Marc-Antoine"}}),
    ];
    raw.iter()
        .map(|r| {
            let raw = serde_json::from_value(r.clone()).map_err(|e| e.to_string())?;
            let answers = validate(&spec.questions, &raw).map_err(|e| format!("{e:?}"))?;
            let json = serde_json::to_vec(&answers).map_err(|e| e.to_string())?;
            Ok((answers, token::hex(&Sha256::digest(json))))
        })
        .collect()
}

/// Stores answers until the consultation holds `total`, printing progress; returns how long
/// it took.
pub async fn fill(
    store: &Arc<dyn Store>,
    poll: &PollId,
    spec: &PollSpec,
    total: u64,
) -> Result<f64, String> {
    let have = store
        .poll(poll)
        .await
        .map_err(|e| e.to_string())?
        .map_or(0, |p| p.responses);
    let wanted = total.saturating_sub(have);
    let variants = Arc::new(variants(spec)?);
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|t| {
            let (store, poll, variants, done) =
                (store.clone(), poll.clone(), variants.clone(), done.clone());
            tokio::spawn(async move {
                let mut n = t;
                while n < wanted {
                    let (answers, fingerprint) = &variants[(n % 3) as usize];
                    let id = SubmissionId::from_random_bytes(token::random_bytes());
                    store
                        .submit(
                            &poll,
                            &id,
                            answers,
                            fingerprint,
                            None,
                            None,
                            Default::default(),
                        )
                        .await
                        .map_err(|e| e.to_string())?;
                    let so_far = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if so_far % 100_000 == 0 {
                        eprintln!("  {} answers stored", have + so_far);
                    }
                    n += TASKS;
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    for task in tasks {
        task.await.map_err(|e| e.to_string())??;
    }
    Ok(started.elapsed().as_secs_f64())
}
