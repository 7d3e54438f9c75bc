//! The results: each question's bars, with its mean and its written answers.

use crate::ctx::Ctx;
use crate::i18n;
use concerto_core::{PollId, Question, QuestionKind, Results, Tally, Text};
use concerto_ui::Lang;
use leptos::prelude::*;
use std::sync::Arc;

use super::texts::TextAnswers;

/// One block per question: bars for choices and ratings, a count for text answers.
#[component]
pub(crate) fn ResultsView(
    /// The consultation.
    id: PollId,
    /// The questions, in order.
    questions: Arc<[Question]>,
    /// Their results.
    results: Results,
    /// Counts only, without the written answers: for a partner, who never reads answers.
    #[prop(optional)]
    counts_only: bool,
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
            // The same columns as the cross-tab's; a written answer has no bars.
            let rows: Vec<(String, u64)> = match (&q.kind, &r) {
                (QuestionKind::ShortText { .. } | QuestionKind::LongText { .. }, _) | (_, None) => {
                    Vec::new()
                }
                (_, Some(r)) => columns(ctx, q, r),
            };
            let mean = match (&q.kind, &r) {
                (QuestionKind::Rating { max, .. }, Some(r)) => r.mean().map(|m| i18n::mean(lang, m, *max)),
                _ => None,
            };
            let percent = |n: u64| r.as_ref().map_or(0, |r| r.percent(n));
            let has_texts = !counts_only
                && matches!(
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
pub(super) fn columns(
    ctx: Ctx,
    q: &Question,
    r: &concerto_core::QuestionResult,
) -> Vec<(String, u64)> {
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
pub(super) fn rating_label(value: u8, low: (u8, &Text), high: (u8, &Text), lang: Lang) -> String {
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
