//! Following a consultation: its answer count live (server-sent events), answers over time,
//! the text answers (paged, searchable) and cross-tabs. Every route is scoped by the caller's
//! organisation like the other organiser routes.

use super::poll_id;
use super::query::{bad, limit, params};
use crate::auth::OrgAuth;
use crate::error::ApiError;
use crate::path_params::Path;
use crate::state::AppState;
use crate::store::{Interval, Period, StoredPoll, TextQuery};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use concerto_core::api::{CrossTab, Group, TextPage, Timeline};
use concerto_core::{Answer, Question, QuestionId, QuestionKind, Results};
use futures_util::{Stream, StreamExt, stream};
use std::collections::HashMap;
use std::convert::Infallible;
use tokio_stream::wrappers::BroadcastStream;

/// Text answers per page unless asked otherwise.
const TEXTS_DEFAULT: usize = 50;
/// Most text answers per page.
const TEXTS_MAX: usize = 200;

/// The question named by the `field` parameter.
fn question<'a>(
    poll: &'a StoredPoll,
    params: &HashMap<String, String>,
    field: &str,
) -> Result<&'a Question, ApiError> {
    let raw = params
        .get(field)
        .ok_or_else(|| bad(field, "required", format!("name a question with `{field}`")))?;
    QuestionId::parse(raw)
        .ok()
        .and_then(|id| poll.spec.questions.iter().find(|q| q.id == id))
        .ok_or_else(|| {
            bad(
                field,
                "unknown_question",
                "no such question in this consultation",
            )
        })
}

/// `GET /api/v1/org/polls/{id}/events`: a `count` event with `{"responses": n}` now, then
/// after each committed answer. Counts only grow; one that arrives late is skipped.
#[utoipa::path(get, path = "/api/v1/org/polls/{id}/events", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id.")),
    responses(
        (status = 200, description = "Server-sent events: `count` with `{\"responses\": n}` now, then after each answer.",
            content_type = "text/event-stream", body = crate::openapi::CountEvent),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
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

/// `GET /api/v1/org/polls/{id}/timeline[?interval=day|hour]`: answers per day (default) of
/// the server's time zone, each starting at its local midnight, or per hour (UTC), oldest
/// first; periods without answers are left out.
#[utoipa::path(get, path = "/api/v1/org/polls/{id}/timeline", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id."),
        ("interval" = Option<concerto_core::api::Interval>, Query, description = "`day` (the default) or `hour`.")),
    responses(
        (status = 200, description = "Answers per period, oldest first.", body = Timeline),
        (status = 400, description = "`interval` is neither `day` nor `hour`."),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn timeline(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<Timeline>, ApiError> {
    let params = params(query)?;
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    let interval = match params.get("interval").map(String::as_str) {
        None | Some("day") => Interval::Day,
        Some("hour") => Interval::Hour,
        Some(_) => {
            return Err(bad(
                "interval",
                "invalid",
                "interval must be `day` or `hour`",
            ));
        }
    };
    let periods = match interval {
        Interval::Hour => state.store.timeline(&poll.id, Interval::Hour).await?,
        // The store counts UTC hours; the town's days are made of them.
        Interval::Day => local_days(
            state.store.timeline(&poll.id, Interval::Hour).await?,
            &state.time_zone,
        ),
    };
    Ok(Json(Timeline { interval, periods }))
}

/// Hourly counts (UTC, oldest first) regrouped into the days of `zone`, each starting at its
/// local midnight. Exact wherever offsets are whole hours (all of Europe); elsewhere an
/// hour that straddles midnight counts for the day it starts in.
fn local_days(hours: Vec<Period>, zone: &jiff::tz::TimeZone) -> Vec<Period> {
    let mut days: Vec<Period> = Vec::new();
    for hour in hours {
        let Some(start) = local_midnight(hour.start, zone) else {
            continue;
        };
        match days.last_mut() {
            Some(day) if day.start == start => day.count += hour.count,
            _ => days.push(Period {
                start,
                count: hour.count,
            }),
        }
    }
    days
}

/// The local midnight, in `zone`, that starts the day of `at`.
fn local_midnight(
    at: time::OffsetDateTime,
    zone: &jiff::tz::TimeZone,
) -> Option<time::OffsetDateTime> {
    let midnight = crate::local_time::in_zone(at, zone).start_of_day().ok()?;
    let offset = time::UtcOffset::from_whole_seconds(midnight.offset().seconds()).ok()?;
    Some(
        time::OffsetDateTime::from_unix_timestamp(midnight.timestamp().as_second())
            .ok()?
            .to_offset(offset),
    )
}

/// `GET /api/v1/org/polls/{id}/texts?question=…[&q=…][&limit=50][&after=…]`: the answers to
/// a text question (or a single choice's "other" answers), oldest first, those containing
/// `q` (ignoring case) when it is given, `limit` at a time (at most 200).
#[utoipa::path(get, path = "/api/v1/org/polls/{id}/texts", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id."),
        ("question" = String, Query, description = "A text question (or a single choice with an \"other\" answer)."),
        ("q" = Option<String>, Query, description = "Only answers containing this, ignoring case."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Answers per page (50 unless given)."),
        ("after" = Option<i64>, Query, description = "The `next` of the previous page.")),
    responses(
        (status = 200, description = "A page of text answers, oldest first.", body = TextPage),
        (status = 400, description = "A query parameter is missing or wrong (named in `errors`)."),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn texts(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<TextPage>, ApiError> {
    let params = params(query)?;
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    let q = question(&poll, &params, "question")?;
    let field = match q.kind {
        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => "text",
        QuestionKind::SingleChoice {
            allow_other: true, ..
        } => "other",
        _ => {
            return Err(bad(
                "question",
                "not_text",
                "this question has no text answers",
            ));
        }
    };
    let limit = limit(&params, TEXTS_DEFAULT, TEXTS_MAX)?;
    let after = match params.get("after") {
        None => 0,
        Some(raw) => raw
            .parse::<i64>()
            .map_err(|_| bad("after", "invalid", "after must be the `next` of a page"))?,
    };
    let search = params
        .get("q")
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let (items, next) = state
        .store
        .texts(
            &poll.id,
            TextQuery {
                question: q.id.clone(),
                field,
                search,
                after,
                limit,
            },
        )
        .await?;
    Ok(Json(TextPage { items, next }))
}

/// `GET /api/v1/org/polls/{id}/crosstab?question=…&by=…`: the results of `question` for
/// each answer to `by`, a single choice question (for example answers by neighbourhood), or
/// with `by_partner=true` for each partner the answers came through.
/// Computed from the stored answers as they stream by, so memory stays flat.
#[utoipa::path(get, path = "/api/v1/org/polls/{id}/crosstab", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id."),
        ("question" = String, Query, description = "The question counted."),
        ("by" = Option<String>, Query, description = "The single choice question that splits the respondents."),
        ("by_partner" = Option<bool>, Query, description = "`true`: split the respondents by the partner they came through instead (leave `by` out).")),
    responses(
        (status = 200, description = "The results of `question` per answer to `by`.", body = CrossTab),
        (status = 400, description = "A query parameter is missing or wrong (named in `errors`)."),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn crosstab(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<CrossTab>, ApiError> {
    let params = params(query)?;
    let poll = state.store.org_poll(&org, &poll_id(&id)?).await?;
    let q = question(&poll, &params, "question")?.clone();
    let split = split(&state, &poll, &params).await?;
    let only_q = std::slice::from_ref(&q);
    let mut groups: Vec<Results> = split.keys.iter().map(|_| Results::empty(only_q)).collect();
    let mut answers = state.store.responses(&poll.id);
    while let Some(r) = answers.next().await {
        let r = r?;
        let key = match &split.by {
            Some(by) => match r.answers.get(&by.id) {
                Some(Answer::Option(o)) => format!("option:{o}"),
                Some(Answer::Other(_)) => "other".into(),
                _ => "unanswered".into(),
            },
            None => r
                .partner
                .as_ref()
                .map_or_else(|| "own".to_owned(), |p| format!("partner:{p}")),
        };
        // An option removed since is not a group; its answers count as unanswered (the
        // last group). By partner, every partner ever invited has its group.
        let i = split
            .keys
            .iter()
            .position(|(k, _)| *k == key)
            .unwrap_or(split.keys.len() - 1);
        groups[i].add(&r.answers);
    }
    let groups = split
        .keys
        .into_iter()
        .zip(groups)
        .filter_map(|((group, label), results)| {
            let respondents = results.total;
            results.questions.into_iter().next().map(|result| Group {
                group,
                label,
                respondents,
                result,
            })
        })
        .collect();
    Ok(Json(CrossTab {
        question: q.id,
        by_partner: split.by.is_none(),
        by: split.by.map(|b| b.id),
        groups,
    }))
}

/// How a cross-tab splits the respondents: by the answer to a single choice question, or
/// (`by=` left out, `by_partner=true`) by the partner they came through.
struct Split {
    /// The question, or `None` by partner.
    by: Option<concerto_core::Question>,
    /// Each group's key and label, in order; by question, the last is `unanswered`.
    keys: Vec<(String, Option<String>)>,
}

async fn split(
    state: &AppState,
    poll: &crate::store::StoredPoll,
    params: &HashMap<String, String>,
) -> Result<Split, ApiError> {
    let by_partner = match params.get("by_partner").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(bad("by_partner", "invalid", "must be true or false")),
    };
    if by_partner {
        if params.contains_key("by") {
            return Err(bad(
                "by",
                "conflict",
                "split by a question or by partner, not both",
            ));
        }
        let owner = state.store.org_name(&poll.org).await?;
        let mut keys = vec![("own".to_owned(), Some(owner))];
        keys.extend(
            poll.partners
                .iter()
                .map(|p| (format!("partner:{}", p.org), Some(p.name.clone()))),
        );
        return Ok(Split { by: None, keys });
    }
    let by = question(poll, params, "by")?.clone();
    let QuestionKind::SingleChoice {
        options,
        allow_other,
        ..
    } = &by.kind
    else {
        return Err(bad(
            "by",
            "not_single_choice",
            "cross-tabs split by a single choice question",
        ));
    };
    let mut keys: Vec<(String, Option<String>)> = options
        .iter()
        .map(|o| (format!("option:{}", o.id), None))
        .collect();
    if *allow_other {
        keys.push(("other".into(), None));
    }
    keys.push(("unanswered".into(), None));
    Ok(Split { by: Some(by), keys })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_hours_make_the_town_s_days() {
        let paris = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
        let hour = |start: time::OffsetDateTime, count| Period { start, count };
        let days = local_days(
            vec![
                // 22:00 UTC on 30 November is 23:00 in Paris: still the 30th.
                hour(time::macros::datetime!(2026-11-30 22:00 UTC), 2),
                // 23:00 UTC is midnight in Paris: the 1st of December.
                hour(time::macros::datetime!(2026-11-30 23:00 UTC), 1),
                hour(time::macros::datetime!(2026-12-01 09:00 UTC), 4),
            ],
            &paris,
        );
        let rfc3339 = &time::format_description::well_known::Rfc3339;
        let starts: Vec<String> = days
            .iter()
            .map(|d| d.start.format(rfc3339).unwrap())
            .collect();
        assert_eq!(
            starts,
            ["2026-11-30T00:00:00+01:00", "2026-12-01T00:00:00+01:00"]
        );
        assert_eq!(days.iter().map(|d| d.count).collect::<Vec<_>>(), [2, 5]);
    }
}
