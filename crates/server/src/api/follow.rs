//! Following a consultation: its answer count live (server-sent events), answers over time,
//! the text answers (paged, searchable) and cross-tabs. Every route is scoped by the caller's
//! organisation like the other organiser routes.

use super::poll_id;
use crate::auth::OrgAuth;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::{Stream, StreamExt, stream};
use std::convert::Infallible;
use tokio_stream::wrappers::BroadcastStream;

/// `GET /api/v1/org/polls/{id}/events`: a `count` event with `{"responses": n}` now, then
/// after each committed answer. Counts only grow; one that arrives late is skipped.
pub async fn events(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let id = poll_id(&id)?;
    // Subscribe before reading the count, so that no answer falls between the two.
    let updates = state.store.subscribe();
    let poll = state.store.org_poll(&org, &id).await?;
    let event = |n: u64| {
        Event::default()
            .event("count")
            .data(serde_json::json!({ "responses": n }).to_string())
    };
    let first = poll.responses;
    let mut last = first;
    let updates = BroadcastStream::new(updates).filter_map(move |msg| {
        // A lagging subscriber just waits for the next count: each carries the total.
        let next = match msg {
            Ok(c) if c.poll == poll.id && c.responses > last => {
                last = c.responses;
                Some(Ok(event(c.responses)))
            }
            _ => None,
        };
        async move { next }
    });
    let mut stop = state.shutdown.subscribe();
    let stream = stream::once(async move { Ok(event(first)) })
        .chain(updates)
        .take_until(async move {
            let _ = stop.wait_for(|stopping| *stopping).await;
        });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
