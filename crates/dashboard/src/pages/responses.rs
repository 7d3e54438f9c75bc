//! A consultation's answers one by one: newest first, a page at a time, filtered by a choice
//! question's answer and by day; each opens whole, and one or all of them can be deleted
//! (a resident's erasure request, test answers), each after a confirmation.

use crate::api::{self, ResponseFilter, StoredResponse};
use crate::ctx::Ctx;
use crate::i18n;
use crate::pages::{ErrorNote, error_text};
use concerto_core::{Answer, PollId, Question, QuestionKind, SubmissionId};
use concerto_ui::Lang;
use leptos::prelude::*;
use std::sync::Arc;
use time::OffsetDateTime;
use wasm_bindgen::JsValue;

/// An answer to one question as a line of text, in the organiser's language.
fn answer_text(q: &Question, answer: Option<&Answer>, lang: Lang) -> String {
    let t = i18n::t(lang);
    let label = |id: &concerto_core::OptionId| q.kind.option_label(id, lang);
    match answer {
        None => t.answers_unanswered.to_owned(),
        Some(Answer::Option(id)) => label(id),
        Some(Answer::Other(text)) => format!("{} : {text}", t.answers_other),
        Some(Answer::Options(ids)) => ids.iter().map(label).collect::<Vec<_>>().join("; "),
        Some(Answer::Rating(n)) => match &q.kind {
            QuestionKind::Rating { max, .. } => format!("{n} / {max}"),
            _ => n.to_string(),
        },
        Some(Answer::Text(text)) => text.clone(),
    }
}

/// A moment (RFC 3339), in the organiser's language and the browser's time zone.
pub fn local_time(at: &OffsetDateTime, lang: Lang) -> String {
    let ms = (at.unix_timestamp_nanos() / 1_000_000) as f64;
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    i18n::written(lang, &date, &[])
}

/// The answers section of a consultation's page.
#[component]
pub fn Responses(
    /// The consultation.
    id: PollId,
    /// Its questions, for the prompts, labels and the filter.
    questions: Arc<[Question]>,
    /// Called after a deletion, so that the page reads the results again.
    on_change: Callback<()>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let items = RwSignal::new(Vec::<StoredResponse>::new());
    let next = RwSignal::new(None::<i64>);
    let total = RwSignal::new(None::<u64>);
    // The filter as edited, and the one the list shows.
    let editing = RwSignal::new(ResponseFilter::default());
    let shown = StoredValue::new(ResponseFilter::default());
    let status = RwSignal::new(String::new());

    let load = Action::new_local({
        let id = id.clone();
        move |(filter, before): &(ResponseFilter, Option<i64>)| {
            let (id, filter, before) = (id.clone(), filter.clone(), *before);
            async move { (before.is_none(), api::responses(&id, &filter, before).await) }
        }
    });
    Effect::new(move |_| {
        if let Some((fresh, Ok(page))) = load.value().get() {
            if fresh {
                items.set(page.responses);
            } else {
                items.update(|i| i.extend(page.responses));
            }
            next.set(page.next);
            total.set(Some(page.total));
        }
    });
    load.dispatch((ResponseFilter::default(), None));
    let reload = move || {
        load.dispatch((shown.get_value(), None));
    };

    let delete_one = Action::new_local({
        let id = id.clone();
        move |submission: &SubmissionId| {
            let (id, submission) = (id.clone(), submission.clone());
            async move { api::delete_response(&id, &submission).await }
        }
    });
    let delete_all = Action::new_local({
        let id = id.clone();
        move |(): &()| {
            let id = id.clone();
            async move { api::delete_responses(&id).await }
        }
    });
    let confirm_all = RwSignal::new(false);
    Effect::new(move |_| {
        let one = delete_one.value().get();
        let all = delete_all.value().get();
        if one.as_ref().is_some_and(Result::is_ok) || all.as_ref().is_some_and(Result::is_ok) {
            status.set(ctx.t().answers_deleted.to_owned());
            confirm_all.set(false);
            reload();
            on_change.run(());
        }
    });
    let failure = move || {
        let e = delete_one
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| delete_all.value().get().and_then(Result::err))
            .or_else(|| load.value().get().and_then(|(_, r)| r.err()));
        e.map(|e| view! { <ErrorNote message=error_text(ctx, &e) /> })
    };

    // The filter's choices: every option of every choice question (and its "other").
    let choices = {
        let questions = questions.clone();
        move || {
            let lang = ctx.lang.get();
            questions
                .iter()
                .filter(|q| !q.kind.options().is_empty())
                .map(|q| {
                    let mut options: Vec<(String, String)> = q
                        .kind
                        .options()
                        .iter()
                        .map(|o| (format!("{}:{}", q.id, o.id), o.label.get(lang).to_owned()))
                        .collect();
                    if matches!(
                        q.kind,
                        QuestionKind::SingleChoice {
                            allow_other: true,
                            ..
                        }
                    ) {
                        options.push((
                            format!("{}:other", q.id),
                            i18n::t(lang).answers_other.to_owned(),
                        ));
                    }
                    let options = options
                        .into_iter()
                        .map(|(value, label)| view! { <option value=value>{label}</option> })
                        .collect_view();
                    view! { <optgroup label=q.prompt.get(lang).to_owned()>{options}</optgroup> }
                })
                .collect_view()
        }
    };
    let field = |pick: fn(&mut ResponseFilter) -> &mut String| {
        move |ev: web_sys::Event| {
            let value = event_target_value(&ev);
            editing.update(|f| *pick(f) = value);
        }
    };

    let rows = {
        let questions = questions.clone();
        move || {
            let list = items.get();
            if list.is_empty() {
                return view! { <p class="cc-admin-note" data-testid="answers-none">{ctx.t().answers_none}</p> }
                    .into_any();
            }
            let rows = list
                .into_iter()
                .map(|item| {
                    view! {
                        <ResponseRow item questions=questions.clone()
                            on_delete=Callback::new(move |sid: SubmissionId| { delete_one.dispatch(sid); }) />
                    }
                })
                .collect_view();
            view! {
                <table class="cc-admin-table" data-testid="answers-table">
                    <thead><tr>
                        <th scope="col">{ctx.t().answers_received}</th>
                        <th scope="col">{ctx.t().answers_summary}</th>
                        <th scope="col"><span class="cc-admin-visually-hidden">{ctx.t().answers_delete}</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
    };

    view! {
        <section class="cc-admin-card" aria-labelledby="cc-admin-answers-title" data-testid="answers">
            <div class="cc-admin-titlebar">
                <h2 id="cc-admin-answers-title">{move || ctx.t().answers_title}</h2>
                <span data-testid="answers-total">
                    {move || total.get().map(|n| i18n::answers(ctx.lang.get(), n))}
                </span>
            </div>
            <form class="cc-admin-row" role="search" data-testid="answers-filter" on:submit=move |ev| {
                ev.prevent_default();
                let filter = editing.get_untracked();
                shown.set_value(filter.clone());
                load.dispatch((filter, None));
            }>
                <label class="cc-admin-field">
                    <span>{move || ctx.t().answers_filter_answer}</span>
                    <select data-testid="answers-filter-answer" on:change=field(|f| &mut f.answer)>
                        <option value="">{move || ctx.t().answers_filter_any}</option>
                        {choices}
                    </select>
                </label>
                <label class="cc-admin-field">
                    <span>{move || ctx.t().answers_filter_from}</span>
                    <input type="date" data-testid="answers-filter-from" on:input=field(|f| &mut f.from) />
                </label>
                <label class="cc-admin-field">
                    <span>{move || ctx.t().answers_filter_to}</span>
                    <input type="date" data-testid="answers-filter-to" on:input=field(|f| &mut f.to) />
                </label>
                <button type="submit" class="cc-admin-button cc-admin-button--secondary">
                    {move || ctx.t().answers_filter_button}
                </button>
            </form>
            <p class="cc-admin-visually-hidden" role="status" aria-live="polite" data-testid="answers-status">
                {move || status.get()}
            </p>
            {failure}
            {rows}
            {move || next.get().map(|before| view! {
                <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="answers-more"
                    on:click=move |_| { load.dispatch((shown.get_value(), Some(before))); }>
                    {ctx.t().more}
                </button>
            })}
            <div class="cc-admin-row">
                {move || if confirm_all.get() {
                    view! {
                        <div class="cc-admin-confirm" role="group" data-testid="answers-confirm-all">
                            <p>{ctx.t().answers_confirm_all}</p>
                            <button type="button" class="cc-admin-button cc-admin-button--danger" data-testid="answers-delete-all-yes"
                                on:click=move |_| { delete_all.dispatch(()); }>{ctx.t().answers_confirm_yes}</button>
                            <button type="button" class="cc-admin-button cc-admin-button--secondary"
                                on:click=move |_| confirm_all.set(false)>{ctx.t().answers_cancel}</button>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="cc-admin-button cc-admin-button--secondary" data-testid="answers-delete-all"
                            disabled=move || total.get().unwrap_or(0) == 0
                            on:click=move |_| confirm_all.set(true)>{ctx.t().answers_delete_all}</button>
                    }.into_any()
                }}
            </div>
        </section>
    }
}

/// One answer of the list: when, the first question's answer, and the whole answer on demand.
#[component]
fn ResponseRow(
    /// The answer.
    item: StoredResponse,
    /// The consultation's questions.
    questions: Arc<[Question]>,
    /// Deletes it (called once confirmed), with its submission id.
    on_delete: Callback<SubmissionId>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let open = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let item = Arc::new(item);
    let summary = {
        let (item, questions) = (item.clone(), questions.clone());
        move || {
            let lang = ctx.lang.get();
            questions
                .first()
                .map(|q| answer_text(q, item.answers.get(&q.id), lang))
                .unwrap_or_default()
        }
    };
    let when = {
        let at = item.received_at;
        move || local_time(&at, ctx.lang.get())
    };
    let details = {
        let (item, questions) = (item.clone(), questions.clone());
        move || {
            open.get().then(|| {
                let lang = ctx.lang.get();
                let lines = questions
                    .iter()
                    .map(|q| {
                        view! {
                            <dt>{q.prompt.get(lang).to_owned()}</dt>
                            <dd>{answer_text(q, item.answers.get(&q.id), lang)}</dd>
                        }
                    })
                    .collect_view();
                view! {
                    <tr class="cc-admin-answer" data-testid="answer-details">
                        <td colspan="3"><dl>{lines}</dl></td>
                    </tr>
                }
            })
        }
    };
    let submission = item.submission_id.clone();
    view! {
        <tr data-testid="answer-row">
            <td>{when}</td>
            <td>
                <button type="button" class="cc-admin-link" data-testid="answer-open"
                    aria-expanded=move || if open.get() { "true" } else { "false" }
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {summary}
                </button>
            </td>
            <td>
                {move || if confirming.get() {
                    let submission = submission.clone();
                    view! {
                        <div class="cc-admin-confirm" role="group" data-testid="answer-confirm">
                            <p>{ctx.t().answers_confirm_one}</p>
                            <button type="button" class="cc-admin-button cc-admin-button--danger" data-testid="answer-delete-yes"
                                on:click=move |_| on_delete.run(submission.clone())>{ctx.t().answers_confirm_yes}</button>
                            <button type="button" class="cc-admin-button cc-admin-button--secondary"
                                on:click=move |_| confirming.set(false)>{ctx.t().answers_cancel}</button>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="answer-delete"
                            on:click=move |_| confirming.set(true)>{ctx.t().answers_delete}</button>
                    }.into_any()
                }}
            </td>
        </tr>
        {details}
    }
}
