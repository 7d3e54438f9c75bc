//! A consultation's public results: per question, one bar per option or rating value with
//! its percentage and count, the mean of ratings, the number of text answers.
//!
//! Rendered by the server only: into the standalone page, and as a fragment the widget
//! fetches and shows (which keeps this code out of the wasm residents download). Every label
//! is text, escaped by the renderer. A bar's length is its `data-percent`; the standalone page
//! also writes it as an inline `width`, which partners' strict CSPs would refuse, so in the
//! widget's fragment the widget sets it through the CSSOM instead.

use crate::lang::Lang;
use concerto_core::{PublicPoll, QuestionKind, QuestionResult, Results, Tally, Text};
use leptos::prelude::*;

/// The results' section and its heading, around what `children` shows (the bars, or why
/// there are none yet).
#[component]
pub fn ResultsSection(
    /// The resident's language.
    lang: Lang,
    /// The results, or a message.
    children: Children,
) -> impl IntoView {
    view! {
        <section class="cc-results" aria-labelledby="cc:results-title">
            <h3 class="cc-results__title" id="cc:results-title">{lang.t().results_title}</h3>
            {children()}
        </section>
    }
}

/// The loaded results.
#[component]
pub fn ResultList(
    /// The consultation, for its questions' prompts and labels.
    poll: std::sync::Arc<PublicPoll>,
    /// The results.
    results: Results,
    /// The resident's language.
    lang: Lang,
    /// Whether bars carry their length as an inline `style` (the standalone page, whose CSP
    /// allows it); without it, whoever shows the list sets it from `data-percent`.
    #[prop(optional)]
    inline_widths: bool,
) -> impl IntoView {
    let items = poll
        .questions
        .iter()
        .filter_map(|q| {
            let r = results.question(&q.id)?.clone();
            Some(view! {
                <QuestionResultView
                    kind=q.kind.clone()
                    prompt=q.prompt.clone()
                    result=r
                    lang
                    inline_widths
                />
            })
        })
        .collect_view();
    view! {
        <div class="cc-results__body" data-testid="results">
            <p class="cc-results__total" data-testid="results-total">{lang.respondents(results.total)}</p>
            {items}
        </div>
    }
}

/// One bar: a label, its percentage and count, and the bar itself.
#[component]
fn Bar(
    /// What the bar counts.
    label: String,
    /// The label's `lang` when it is not the widget's language.
    label_lang: Option<&'static str>,
    /// How many respondents.
    count: u64,
    /// Share of the question's respondents, 0 to 100.
    percent: u32,
    /// `data-testid` of the bar.
    testid: String,
    /// The resident's language.
    lang: Lang,
    /// Whether the length is also an inline `style` (see [`ResultList`]).
    inline_widths: bool,
) -> impl IntoView {
    let percent = percent.min(100);
    let width = inline_widths.then(|| format!("{percent}%"));
    let figures = format!("{} · {}", lang.percent(percent), lang.responses(count));
    view! {
        <li class="cc-bar" data-testid=testid>
            <span class="cc-bar__label" lang=label_lang>
                {label}
            </span>
            <span class="cc-bar__figures">{figures}</span>
            <span class="cc-bar__track" aria-hidden="true">
                <span class="cc-bar__fill" data-percent=percent style:width=width></span>
            </span>
        </li>
    }
}

/// The result of one question.
#[component]
fn QuestionResultView(
    /// The question's kind, for option labels and the rating scale.
    kind: QuestionKind,
    /// The question's prompt.
    prompt: Text,
    /// Its result.
    result: QuestionResult,
    /// The resident's language.
    lang: Lang,
    /// Whether bars carry their length as an inline `style` (see [`ResultList`]).
    inline_widths: bool,
) -> impl IntoView {
    let qid = result.question.to_string();
    let bars = match &result.tally {
        Tally::Choice { options, other } => {
            let mut bars: Vec<_> = options
                .iter()
                .map(|c| {
                    let option = kind.options().iter().find(|o| o.id == c.option);
                    let label = option
                        .map_or_else(|| c.option.to_string(), |o| o.label.get(lang).to_owned());
                    let label_lang = option.and_then(|o| lang.of_text(&o.label));
                    view! {
                        <Bar
                            label
                            label_lang
                            count=c.count
                            percent=result.percent(c.count)
                            testid=format!("result-{qid}-{}", c.option)
                            lang
                            inline_widths
                        />
                    }
                })
                .collect();
            let offers_other = matches!(
                kind,
                QuestionKind::SingleChoice {
                    allow_other: true,
                    ..
                }
            );
            if offers_other || *other > 0 {
                bars.push(view! {
                    <Bar
                        label=lang.t().other_result.to_owned()
                        label_lang=None
                        count=*other
                        percent=result.percent(*other)
                        testid=format!("result-{qid}-other")
                        lang
                        inline_widths
                    />
                });
            }
            Some(view! { <ul class="cc-bars">{bars}</ul> })
        }
        Tally::Rating { buckets } => {
            let none = Text::default();
            let (min_label, max_label, min, max) = match &kind {
                QuestionKind::Rating {
                    min,
                    max,
                    min_label,
                    max_label,
                } => (min_label, max_label, *min, *max),
                _ => (&none, &none, 0, 0),
            };
            let bars: Vec<_> = buckets
                .iter()
                .map(|b| {
                    let end_text = if b.value == min {
                        min_label
                    } else if b.value == max {
                        max_label
                    } else {
                        &none
                    };
                    let end = end_text.get(lang).trim();
                    let label_lang = lang.of_text(end_text);
                    let label = if end.is_empty() {
                        b.value.to_string()
                    } else {
                        format!("{} ({end})", b.value)
                    };
                    view! {
                        <Bar
                            label
                            label_lang
                            count=b.count
                            percent=result.percent(b.count)
                            testid=format!("result-{qid}-{}", b.value)
                            lang
                            inline_widths
                        />
                    }
                })
                .collect();
            Some(view! { <ul class="cc-bars">{bars}</ul> })
        }
        Tally::Text => None,
    };
    let top = match &kind {
        QuestionKind::Rating { max, .. } => Some(*max),
        _ => None,
    };
    let mean = result.mean().zip(top).map(|(m, max)| {
        view! { <p class="cc-result__mean" data-testid=format!("result-{qid}-mean")>{lang.mean_of(m, max)}</p> }
    });
    view! {
        <div class="cc-result" data-testid=format!("result-{qid}")>
            <h4 class="cc-result__prompt" lang=lang.of_text(&prompt)>
                {prompt.get(lang).to_owned()}
            </h4>
            <p class="cc-result__answered">{lang.responses(result.answered)}</p>
            {bars}
            {mean}
        </div>
    }
}
