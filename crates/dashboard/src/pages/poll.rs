//! One consultation: its state (open, close, reopen), how to share it, its results and its
//! exports.

use crate::api::{self, OrgPoll, TextItem};
use crate::app::{Ctx, nav};
use crate::copy_box::CopyBox;
use crate::export::Exports;
use crate::i18n;
use crate::pages::responses::Responses;
use crate::pages::{ErrorNote, error_text};
use crate::route::Route;
use crate::share;
use concerto_core::{PollId, PollState, Question, QuestionId, QuestionKind, Results, Tally, Text};
use concerto_ui::Lang;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{EventSource, MessageEvent};

/// Follows the consultation's answer count over server-sent events, calling `on_count` with
/// each new count, until the calling component is disposed.
fn follow_count(id: &PollId, on_count: impl Fn(u64) + 'static) {
    let Ok(source) = EventSource::new(&api::events_url(id)) else {
        return;
    };
    let listener = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
        let n = ev
            .data()
            .as_string()
            .and_then(|d| serde_json::from_str::<serde_json::Value>(&d).ok())
            .and_then(|v| v.get("responses").and_then(serde_json::Value::as_u64));
        if let Some(n) = n {
            on_count(n);
        }
    });
    let _ = source.add_event_listener_with_callback("count", listener.as_ref().unchecked_ref());
    let kept = StoredValue::new_local(Some((source, listener)));
    on_cleanup(move || {
        if let Some((source, _listener)) = kept.try_update_value(Option::take).flatten() {
            source.close();
        }
    });
}

/// The consultation's page.
#[component]
pub fn PollPage(
    /// The consultation.
    id: PollId,
) -> impl IntoView {
    let ctx = Ctx::get();
    let poll = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move { api::poll(&id).await }
        }
    });
    let results = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move { api::results(&id).await }
        }
    });
    let transition = Action::new_local({
        let id = id.clone();
        move |to: &PollState| {
            let id = id.clone();
            let to = *to;
            async move {
                match to {
                    PollState::Closed => api::close(&id).await,
                    _ => api::open(&id).await,
                }
            }
        }
    });
    // Live: each new count reads the results again.
    let live = RwSignal::new(None::<u64>);
    follow_count(&id, move |n| {
        if live.try_get_untracked().flatten() != Some(n) {
            live.try_set(Some(n));
            results.refetch();
        }
    });
    // A state change: read the consultation again.
    Effect::new(move |_| {
        if transition.version().get() > 0 {
            poll.refetch();
        }
    });
    let refresh = move |_| {
        poll.refetch();
        results.refetch();
    };
    let body = move || match poll.get() {
        None => view! { <p class="cc-admin-status">{ctx.t().loading}</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any(),
        Some(Ok(p)) => {
            let p = Arc::new(p);
            // Once open, what the organiser comes back for is the results: they come first,
            // and sharing (done once) after the answers. A draft has nothing to show yet.
            let results_first = p.state != PollState::Draft;
            view! {
                <Overview poll=p.clone() transition live />
                {(!results_first).then(|| view! { <SharePanel poll=p.clone() /> })}
                <section class="cc-admin-card cc-admin-report" aria-labelledby="cc-admin-results-title">
                    <div class="cc-admin-titlebar">
                        <h2 id="cc-admin-results-title">{move || ctx.t().results}</h2>
                        <button type="button" class="cc-admin-button cc-admin-button--secondary" data-testid="refresh"
                            on:click=refresh>{move || ctx.t().refresh}</button>
                    </div>
                    {
                        let questions: Arc<[Question]> = p.spec.questions.clone().into();
                        let id = p.id.clone();
                        move || match results.get() {
                            None => view! { <p class="cc-admin-status">{ctx.t().loading}</p> }.into_any(),
                            Some(Err(e)) => view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any(),
                            Some(Ok(r)) => view! {
                                <Timeline id=id.clone() />
                                <ResultsView id=id.clone() questions=questions.clone() results=r />
                                <CrossTabView id=id.clone() questions=questions.clone() />
                            }.into_any(),
                        }
                    }
                </section>
                // Not the consultation itself: reading it again would draw the page anew (the
                // live count follows through the server's events).
                <Responses id=p.id.clone() questions=p.spec.questions.clone().into()
                    on_change=Callback::new(move |()| results.refetch()) />
                {results_first.then(|| view! { <SharePanel poll=p.clone() /> })}
                <Exports id=p.id.clone() total=Signal::derive({
                    let stored = p.responses;
                    move || live.get().unwrap_or(stored)
                }) />
            }
            .into_any()
        }
    };
    view! {
        <a href=Route::List.path() on:click=nav(Route::List)>{move || ctx.t().back_to_list}</a>
        {body}
    }
}

/// Title, state, number of answers, and the state buttons.
#[component]
fn Overview(
    /// The consultation.
    poll: Arc<OrgPoll>,
    /// Changes its state.
    transition: Action<PollState, Result<OrgPoll, api::ApiError>>,
    /// The answer count as the server last announced it.
    live: RwSignal<Option<u64>>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let lang = ctx.lang;
    let state = poll.state;
    let edit = Route::Edit(poll.id.clone());
    let title = {
        let poll = poll.clone();
        move || poll.spec.title.get(lang.get()).to_owned()
    };
    let stored = poll.responses;
    let responses = move || live.get().unwrap_or(stored);
    // The times set in the editor, which residents see too ("Ouverte jusqu’au …").
    let (opens_at, closes_at) = (poll.spec.opens_at, poll.spec.closes_at);
    let dates = (opens_at.is_some() || closes_at.is_some()).then(|| {
        view! {
            " · "
            <span data-testid="poll-dates">{move || i18n::schedule(lang.get(), opens_at, closes_at)}</span>
        }
    });
    let pending = transition.pending();
    // Closing stops the answers: it waits for a confirmation.
    let confirm_close = RwSignal::new(false);
    let button = move || {
        let t = ctx.t();
        let (label, to, testid) = match state {
            PollState::Draft => (t.open, PollState::Open, "open"),
            PollState::Open => (t.close, PollState::Closed, "close"),
            PollState::Closed => (t.reopen, PollState::Open, "reopen"),
        };
        if confirm_close.get() {
            return view! {
                <div class="cc-admin-confirm" role="group" data-testid="close-confirm">
                    <p>{t.close_confirm}</p>
                    <button type="button" class="cc-admin-button" data-testid="close-yes" disabled=pending
                        on:click=move |_| { transition.dispatch(PollState::Closed); }>{t.close_yes}</button>
                    <button type="button" class="cc-admin-button cc-admin-button--secondary"
                        on:click=move |_| confirm_close.set(false)>{t.answers_cancel}</button>
                </div>
            }
            .into_any();
        }
        view! {
            <button type="button" class="cc-admin-button" data-testid=testid disabled=pending
                on:click=move |_| {
                    if to == PollState::Closed {
                        confirm_close.set(true);
                    } else {
                        transition.dispatch(to);
                    }
                }>
                {label}
            </button>
        }
        .into_any()
    };
    let error = move || {
        transition
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <ErrorNote message=error_text(ctx, &e) /> })
    };
    view! {
        <section class="cc-admin-card">
            <div class="cc-admin-titlebar">
                <h1 data-testid="poll-title">{title}</h1>
                <a class="cc-admin-button cc-admin-button--secondary" href=edit.path() on:click=nav(edit.clone()) data-testid="edit">
                    {move || ctx.t().edit}
                </a>
            </div>
            <p class="cc-admin-summary">
                <span class=format!("cc-admin-state cc-admin-state--{}", state.as_str()) data-testid="poll-state">
                    {move || i18n::state(lang.get(), state)}
                </span>
                " · "
                <span data-testid="poll-responses">{move || i18n::answers(lang.get(), responses())}</span>
                {dates}
                " · "
                <span class="cc-admin-note">{move || ctx.t().live}</span>
            </p>
            {button}
            {error}
            <Duplicate id=poll.id.clone() />
            <DeletePoll poll=poll.clone() />
        </section>
    }
}

/// Duplicating the consultation: a new draft with the same questions, opened in the editor.
#[component]
fn Duplicate(
    /// The consultation.
    id: PollId,
) -> impl IntoView {
    let ctx = Ctx::get();
    let copy = Action::new_local(move |(): &()| {
        let id = id.clone();
        async move { api::duplicate(&id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(poll)) = copy.value().get() {
            ctx.go(Route::Edit(poll.id));
        }
    });
    let error = move || {
        copy.value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <ErrorNote message=error_text(ctx, &e) /> })
    };
    view! {
        <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="duplicate"
            disabled=move || copy.pending().get()
            on:click=move |_| { copy.dispatch(()); }>{move || ctx.t().duplicate}</button>
        {error}
    }
}

/// Deleting the consultation: a draft after a confirmation, one that was opened (and its
/// answers) only once its title is typed.
#[component]
fn DeletePoll(
    /// The consultation.
    poll: Arc<OrgPoll>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let asking = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let draft = poll.state == PollState::Draft;
    let title = poll.spec.title.to_string();
    let delete = Action::new_local({
        let id = poll.id.clone();
        move |confirm: &String| {
            let (id, confirm) = (id.clone(), confirm.clone());
            async move { api::delete_poll(&id, &confirm).await }
        }
    });
    Effect::new(move |_| {
        if delete.value().get().is_some_and(|r| r.is_ok()) {
            ctx.go(Route::List);
        }
    });
    let error = move || {
        delete
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <ErrorNote message=error_text(ctx, &e) /> })
    };
    let matches = {
        let title = title.clone();
        move || draft || typed.get().trim() == title.trim()
    };
    let body = move || {
        let t = ctx.t();
        if !asking.get() {
            return view! {
                <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="delete-poll"
                    on:click=move |_| asking.set(true)>{t.delete_poll}</button>
            }
            .into_any();
        }
        let matches = matches.clone();
        let field = (!draft).then(|| {
            view! {
                <label class="cc-admin-field">
                    <span>{t.delete_poll_title}</span>
                    <input type="text" data-testid="delete-poll-title" autocomplete="off"
                        prop:value=typed on:input=move |ev| typed.set(event_target_value(&ev)) />
                </label>
            }
        });
        view! {
            <div class="cc-admin-confirm" role="group" data-testid="delete-poll-confirm">
                <p>{if draft { t.delete_draft_confirm } else { t.delete_poll_confirm }}</p>
                {field}
                <button type="button" class="cc-admin-button cc-admin-button--danger" data-testid="delete-poll-yes"
                    disabled=move || !matches() || delete.pending().get()
                    on:click=move |_| { delete.dispatch(typed.get_untracked()); }>{t.delete_poll_yes}</button>
                <button type="button" class="cc-admin-button cc-admin-button--secondary"
                    on:click=move |_| asking.set(false)>{t.answers_cancel}</button>
            </div>
        }
        .into_any()
    };
    view! {
        {body}
        {error}
    }
}

/// The snippet to paste, the iframe variants, the standalone link and its QR code.
#[component]
fn SharePanel(
    /// The consultation.
    poll: Arc<OrgPoll>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let is_draft = poll.state == PollState::Draft;
    let url = poll.standalone_url.clone();
    let id = poll.id.to_string();
    let origin = poll.spec.allowed_origins.first().map_or_else(
        || "https://www.example.org".to_owned(),
        |o| o.as_str().to_owned(),
    );
    let t = move || ctx.t();
    view! {
        <section class="cc-admin-card" aria-labelledby="cc-admin-share-title">
            <h2 id="cc-admin-share-title">{move || t().share}</h2>
            {is_draft.then(|| view! { <p class="cc-admin-note" data-testid="share-draft">{move || t().share_draft}</p> })}
            <CopyBox label=Signal::derive(move || t().snippet) hint=Signal::derive(move || t().snippet_hint)
                text=poll.embed_snippet.clone() name="snippet" />
            <details class="cc-admin-texts__box">
                <summary>{move || t().frame_title}</summary>
                <CopyBox label=Signal::derive(move || t().frame_snippet) hint=Signal::derive(move || t().frame_hint)
                    text=share::frame_snippet(&url, &id) name="frame-snippet" />
                <CopyBox label=Signal::derive(move || t().iframe_snippet) hint=Signal::derive(move || t().iframe_hint)
                    text=share::iframe_snippet(&url, &id, &origin) name="iframe-snippet" />
            </details>
            <p>
                {move || t().standalone} " : "
                <a href=url.clone() data-testid="standalone-link" target="_blank" rel="noopener">{url.clone()}</a>
            </p>
            <QrPanel id=poll.id.clone() />
        </section>
    }
}

/// The standalone link as a QR code (drawn by the server), with SVG and PNG downloads.
#[component]
fn QrPanel(
    /// The consultation.
    id: PollId,
) -> impl IntoView {
    let ctx = Ctx::get();
    let svg = api::qr_url(&id, "svg");
    let png = api::qr_url(&id, "png");
    view! {
        <figure class="cc-admin-qr">
            <img src=svg.clone() width="160" height="160" alt=move || ctx.t().qr_label data-testid="qr" />
            <figcaption>
                <span>{move || ctx.t().qr_title}</span>
                <a class="cc-admin-button cc-admin-button--secondary" href=svg download="" data-testid="qr-svg">
                    {move || ctx.t().download_svg}
                </a>
                <a class="cc-admin-button cc-admin-button--secondary" href=png download="" data-testid="qr-png">
                    {move || ctx.t().download_png}
                </a>
            </figcaption>
        </figure>
    }
}

/// One block per question: bars for choices and ratings, a count for text answers.
#[component]
fn ResultsView(
    /// The consultation.
    id: PollId,
    /// The questions, in order.
    questions: Arc<[Question]>,
    /// Their results.
    results: Results,
) -> impl IntoView {
    let ctx = Ctx::get();
    let lang = ctx.lang.get_untracked();
    let total = results.total;
    let blocks = questions
        .iter()
        .map(|q| {
            let r = results.questions.iter().find(|r| r.question == q.id).cloned();
            let prompt = q.prompt.get(lang).to_owned();
            let answered = r.as_ref().map_or(0, |r| r.answered);
            let rows: Vec<(String, u64)> = match (&q.kind, r.as_ref().map(|r| &r.tally)) {
                (QuestionKind::SingleChoice { options, .. } | QuestionKind::MultipleChoice { options, .. }, Some(Tally::Choice { options: counts, other })) => {
                    let mut rows: Vec<(String, u64)> = options
                        .iter()
                        .map(|o| {
                            let n = counts.iter().find(|c| c.option == o.id).map_or(0, |c| c.count);
                            (o.label.get(lang).to_owned(), n)
                        })
                        .collect();
                    if matches!(q.kind, QuestionKind::SingleChoice { allow_other: true, .. }) || *other > 0 {
                        rows.push((ctx.t().other_answers.to_owned(), *other));
                    }
                    rows
                }
                (QuestionKind::Rating { min, max, min_label, max_label }, Some(Tally::Rating { buckets })) => buckets
                    .iter()
                    .map(|b| (rating_label(b.value, (*min, min_label), (*max, max_label), lang), b.count))
                    .collect(),
                _ => Vec::new(),
            };
            let mean = match (&q.kind, &r) {
                (QuestionKind::Rating { max, .. }, Some(r)) => r.mean().map(|m| i18n::mean(lang, m, *max)),
                _ => None,
            };
            let percent = |n: u64| r.as_ref().map_or(0, |r| r.percent(n));
            let has_texts = matches!(
                q.kind,
                QuestionKind::ShortText { .. }
                    | QuestionKind::LongText { .. }
                    | QuestionKind::SingleChoice { allow_other: true, .. }
            );
            let texts = has_texts.then(|| view! { <TextAnswers id=id.clone() question=q.id.clone() /> });
            let bars = rows
                .into_iter()
                .map(|(label, n)| {
                    let share = i18n::count_share(lang, n, percent(n));
                    view! {
                        <li class="cc-admin-bar">
                            <span class="cc-admin-bar__label">{label}</span>
                            <meter class="cc-admin-bar__meter" min="0" max=answered.max(1) value=n aria-hidden="true"></meter>
                            <span class="cc-admin-bar__count">{share}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="cc-admin-result" data-testid=format!("result-{}", q.id)>
                    <h3>{prompt}</h3>
                    <p class="cc-admin-note" data-testid="result-answered">{i18n::answers(lang, answered)}</p>
                    {mean.map(|m| view! { <p class="cc-admin-note">{m}</p> })}
                    <ul class="cc-admin-bars">{bars}</ul>
                    {texts}
                </div>
            }
        })
        .collect_view();
    view! {
        <p class="cc-admin-total" data-testid="results-total">{i18n::answers(lang, total)}</p>
        {blocks}
    }
}

/// The columns of a question's results: each option (and "other") or each value, as
/// (label, count) from one result.
fn columns(ctx: Ctx, q: &Question, r: &concerto_core::QuestionResult) -> Vec<(String, u64)> {
    let lang = ctx.lang.get_untracked();
    match (&q.kind, &r.tally) {
        (
            QuestionKind::SingleChoice { options, .. }
            | QuestionKind::MultipleChoice { options, .. },
            Tally::Choice {
                options: counts,
                other,
            },
        ) => {
            let mut cols: Vec<(String, u64)> = options
                .iter()
                .map(|o| {
                    let n = counts
                        .iter()
                        .find(|c| c.option == o.id)
                        .map_or(0, |c| c.count);
                    (o.label.get(lang).to_owned(), n)
                })
                .collect();
            if matches!(
                q.kind,
                QuestionKind::SingleChoice {
                    allow_other: true,
                    ..
                }
            ) || *other > 0
            {
                cols.push((ctx.t().other_answers.to_owned(), *other));
            }
            cols
        }
        (
            QuestionKind::Rating {
                min,
                max,
                min_label,
                max_label,
            },
            Tally::Rating { buckets },
        ) => buckets
            .iter()
            .map(|b| {
                let label = rating_label(b.value, (*min, min_label), (*max, max_label), lang);
                (label, b.count)
            })
            .collect(),
        (_, Tally::Rating { buckets }) => buckets
            .iter()
            .map(|b| (b.value.to_string(), b.count))
            .collect(),
        _ => vec![(ctx.t().col_answers.to_owned(), r.answered)],
    }
}

/// A rating value as a bar's label, with the scale's end label at either end ("1 (Bof)").
fn rating_label(value: u8, low: (u8, &Text), high: (u8, &Text), lang: Lang) -> String {
    let end = if value == low.0 {
        low.1.get(lang).trim()
    } else if value == high.0 {
        high.1.get(lang).trim()
    } else {
        ""
    };
    if end.is_empty() {
        value.to_string()
    } else {
        format!("{value} ({end})")
    }
}

/// A question's results split by the answers to a single choice question.
#[component]
fn CrossTabView(
    /// The consultation.
    id: PollId,
    /// Its questions.
    questions: Arc<[Question]>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let by_choices: Vec<Question> = questions
        .iter()
        .filter(|q| matches!(q.kind, QuestionKind::SingleChoice { .. }))
        .cloned()
        .collect();
    let Some(first_by) = by_choices.first().map(|q| q.id.to_string()) else {
        return ().into_any();
    };
    let first_q = questions
        .iter()
        .find(|q| q.id.as_str() != first_by)
        .unwrap_or(&questions[0])
        .id
        .to_string();
    let question = RwSignal::new(first_q);
    let by = RwSignal::new(first_by);
    let load = Action::new_local(move |(q, b): &(String, String)| {
        let (id, q, b) = (id.clone(), q.clone(), b.clone());
        async move { api::crosstab(&id, &q, &b).await.map(|t| (q, b, t)) }
    });
    let lang = ctx.lang;
    let options = |list: Vec<Question>, current: RwSignal<String>| {
        list.into_iter()
            .map(|q| {
                let qid = q.id.to_string();
                let label = q.prompt.get(lang.get_untracked()).to_owned();
                let value = qid.clone();
                view! { <option value=value selected=move || current.get() == qid>{label}</option> }
            })
            .collect_view()
    };
    let table = {
        let questions = questions.clone();
        let by_choices = by_choices.clone();
        move || {
            let (q, b, tab) = match load.value().get()? {
                Ok(v) => v,
                Err(e) => {
                    return Some(view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any());
                }
            };
            let question = questions.iter().find(|x| x.id.as_str() == q)?.clone();
            let by = by_choices.iter().find(|x| x.id.as_str() == b)?.clone();
            let l = lang.get_untracked();
            let group_label = |g: &str| match g.strip_prefix("option:") {
                Some(o) => by
                    .kind
                    .options()
                    .iter()
                    .find(|x| x.id.as_str() == o)
                    .map_or_else(|| o.to_owned(), |x| x.label.get(l).to_owned()),
                None if g == "other" => ctx.t().other_answers.to_owned(),
                None => ctx.t().unanswered.to_owned(),
            };
            let head = tab
                .groups
                .first()
                .map(|g| columns(ctx, &question, &g.result))
                .unwrap_or_default()
                .into_iter()
                .map(|(label, _)| view! { <th scope="col" class="cc-admin-num">{label}</th> })
                .collect_view();
            let rows = tab
                .groups
                .iter()
                .map(|g| {
                    let cells = columns(ctx, &question, &g.result)
                        .into_iter()
                        .map(|(_, n)| {
                            let share = i18n::count_share(l, n, g.result.percent(n));
                            view! { <td class="cc-admin-num">{share}</td> }
                        })
                        .collect_view();
                    view! {
                        <tr>
                            <th scope="row">{group_label(&g.group)}</th>
                            <td class="cc-admin-num">{g.respondents}</td>
                            {cells}
                        </tr>
                    }
                })
                .collect_view();
            Some(
                view! {
                    <div class="cc-admin-scroll">
                        <table class="cc-admin-table" data-testid="crosstab-table">
                            <thead>
                                <tr>
                                    <th scope="col">{ctx.t().crosstab_group}</th>
                                    <th scope="col" class="cc-admin-num">{ctx.t().crosstab_respondents}</th>
                                    {head}
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any(),
            )
        }
    };
    let all: Vec<Question> = questions.to_vec();
    view! {
        <details class="cc-admin-texts__box" data-testid="crosstab">
            <summary>{move || ctx.t().crosstab}</summary>
            <form class="cc-admin-row" on:submit=move |ev| {
                ev.prevent_default();
                load.dispatch((question.get_untracked(), by.get_untracked()));
            }>
                <label class="cc-admin-field">
                    <span>{move || ctx.t().crosstab_question}</span>
                    <select data-testid="crosstab-question" on:change=move |ev| question.set(event_target_value(&ev))>
                        {options(all, question)}
                    </select>
                </label>
                <label class="cc-admin-field">
                    <span>{move || ctx.t().crosstab_by}</span>
                    <select data-testid="crosstab-by" on:change=move |ev| by.set(event_target_value(&ev))>
                        {options(by_choices, by)}
                    </select>
                </label>
                <button type="submit" class="cc-admin-button cc-admin-button--secondary" data-testid="crosstab-show">
                    {move || ctx.t().crosstab_show}
                </button>
            </form>
            {table}
        </details>
    }
    .into_any()
}

/// Answers per day, as bars.
#[component]
fn Timeline(
    /// The consultation.
    id: PollId,
) -> impl IntoView {
    let ctx = Ctx::get();
    let timeline = LocalResource::new(move || {
        let id = id.clone();
        async move { api::timeline(&id).await }
    });
    let chart = move || {
        let periods = timeline.get()?.ok()?.periods;
        let days = every_day(&periods);
        if days.is_empty() {
            return None;
        }
        let lang = ctx.lang.get();
        let top = days.iter().map(|d| d.1).max().unwrap_or(1).max(1);
        let total: u64 = days.iter().map(|d| d.1).sum();
        // About eight dates along the axis, the last one always.
        let step = days.len().div_ceil(8).max(1);
        let last = days.len() - 1;
        let bars = days
            .iter()
            .enumerate()
            .map(|(i, (day, count))| {
                let label = i18n::short_day(lang, day);
                let spoken = format!("{label} : {}", i18n::answers(lang, *count));
                let height = format!("{}%", (count * 100 / top).max(u64::from(*count > 0)));
                let shown = (i % step == 0 || i == last).then(|| label.clone());
                view! {
                    <li class="cc-admin-timeline__day" data-testid="timeline-day" data-day=day.clone()>
                        <span class="cc-admin-visually-hidden">{spoken}</span>
                        <span class="cc-admin-timeline__track" aria-hidden="true">
                            <span class="cc-admin-timeline__bar" style:height=height></span>
                        </span>
                        <span class="cc-admin-timeline__label" aria-hidden="true">{shown}</span>
                    </li>
                }
            })
            .collect_view();
        let summary = i18n::timeline_summary(lang, total, days.len());
        Some(view! {
            <figure class="cc-admin-timeline" data-testid="timeline">
                <figcaption>{ctx.t().timeline} " — " {summary}</figcaption>
                <ol class="cc-admin-timeline__days">{bars}</ol>
            </figure>
        })
    };
    view! { {chart} }
}

/// Every day from the first answer's to the last one's, with its count (0 for days without
/// answers, which the server leaves out), as (`YYYY-MM-DD`, count). At most a year of days.
fn every_day(periods: &[api::Period]) -> Vec<(String, u64)> {
    const DAY_MS: f64 = 86_400_000.0;
    let day_of = |p: &api::Period| p.start.get(..10).map(str::to_owned);
    let Some(first) = periods.first().and_then(day_of) else {
        return Vec::new();
    };
    let Some(end) = periods.last().and_then(day_of) else {
        return Vec::new();
    };
    let ms = |day: &str| js_sys::Date::parse(&format!("{day}T00:00:00Z"));
    let (mut at, end) = (ms(&first), ms(&end));
    let mut days = Vec::new();
    while at <= end && days.len() < 366 && !at.is_nan() {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at));
        let day = format!(
            "{:04}-{:02}-{:02}",
            date.get_utc_full_year(),
            date.get_utc_month() + 1,
            date.get_utc_date()
        );
        let count = periods
            .iter()
            .filter(|p| day_of(p).as_deref() == Some(day.as_str()))
            .map(|p| p.count)
            .sum();
        days.push((day, count));
        at += DAY_MS;
    }
    days
}

/// The written answers to one question, searchable, a page at a time.
#[component]
fn TextAnswers(
    /// The consultation.
    id: PollId,
    /// The question.
    question: QuestionId,
) -> impl IntoView {
    let ctx = Ctx::get();
    let items = RwSignal::new(Vec::<TextItem>::new());
    let next = RwSignal::new(None::<i64>);
    let search = RwSignal::new(String::new());
    let load = Action::new_local({
        let question = question.to_string();
        move |(q, after): &(String, i64)| {
            let (id, question, q, after) = (id.clone(), question.clone(), q.clone(), *after);
            async move { (after, api::texts(&id, &question, &q, after).await) }
        }
    });
    Effect::new(move |_| {
        if let Some((after, Ok(page))) = load.value().get() {
            if after == 0 {
                items.set(page.items);
            } else {
                items.update(|i| i.extend(page.items));
            }
            next.set(page.next);
        }
    });
    load.dispatch((String::new(), 0));
    let search_id = format!("cc-admin-search-{question}");
    let search_for = search_id.clone();
    let list = move || {
        let shown = items.get();
        if shown.is_empty() {
            return view! { <p class="cc-admin-note">{ctx.t().no_text_answers}</p> }.into_any();
        }
        view! {
            <ul class="cc-admin-texts" data-testid="text-answers">
                {shown.into_iter().map(|i| view! { <li>{i.text}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <details class="cc-admin-texts__box">
            <summary>{move || ctx.t().text_answers}</summary>
            <form class="cc-admin-row" role="search" on:submit=move |ev| {
                ev.prevent_default();
                load.dispatch((search.get_untracked(), 0));
            }>
                <label class="cc-admin-field" for=search_for>
                    <span>{move || ctx.t().search}</span>
                    <input type="search" id=search_id data-testid="text-search"
                        prop:value=search on:input=move |ev| search.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="cc-admin-button cc-admin-button--secondary">{move || ctx.t().search_button}</button>
            </form>
            {list}
            {move || next.get().map(|after| view! {
                <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="text-more"
                    on:click=move |_| { load.dispatch((search.get_untracked(), after)); }>
                    {ctx.t().more}
                </button>
            })}
        </details>
    }
}
