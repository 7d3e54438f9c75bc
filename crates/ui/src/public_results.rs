//! A consultation's public results as the whole town reads them: its title and text, its
//! state and dates, how many answered, which participation rule applies, then every
//! question's chart.
//!
//! Rendered by the server only, for the public results page (`/p/{id}/results`) and for the
//! results' embed (`data-concerto-results`), so none of it reaches the widget's wasm. Every
//! organiser's text is rendered as text. Bars carry their length as `data-percent` only: the
//! page's stylesheet and the embed's loader apply it, so no inline style is needed.

use crate::form::paragraphs;
use crate::frame::WidgetFrame;
use crate::i18n::ResultsText;
use crate::lang::Lang;
use crate::results::{ResultList, ResultsSection};
use concerto_core::api::PartnerCount;
use concerto_core::{Availability, PublicPoll, Results};
use leptos::prelude::*;
use std::sync::Arc;

/// What the public results say around the charts, besides the consultation itself.
#[derive(Debug, Clone, Default)]
pub struct ResultsFacts {
    /// When it opens or opened, already written in the resident's language.
    pub opens: Option<String>,
    /// When it closes or closed, already written in the resident's language.
    pub closes: Option<String>,
    /// Participation codes used and issued, when answers are limited to one per code.
    pub codes: Option<(u64, u64)>,
    /// Answers per partner (the owner first), small groups hidden; empty without partners.
    pub partners: Vec<PartnerCount>,
    /// The smallest group shown, for the note under the partners' counts.
    pub min_count: u64,
}

/// The public results of a consultation, in the widget's frame.
#[component]
pub fn PublicResults(
    /// The consultation, for its title, text, state and questions.
    poll: Arc<PublicPoll>,
    /// Its results.
    results: Results,
    /// Dates and participation rule.
    facts: ResultsFacts,
    /// The resident's language.
    lang: Lang,
) -> impl IntoView {
    let name = poll.title.get(lang).to_owned();
    let description_lang = lang.of_text(&poll.description);
    let description = paragraphs(poll.description.get(lang))
        .into_iter()
        .map(|p| view! { <p class="cc-form__description" lang=description_lang>{p}</p> })
        .collect_view();
    let state = lang.results_text(match poll.status {
        Availability::Open => ResultsText::StateOpen,
        Availability::NotYetOpen => ResultsText::StateNotYetOpen,
        Availability::Closed => ResultsText::StateClosed,
    });
    let fact = move |term: ResultsText, value: String, testid: &'static str| {
        view! {
            <div class="cc-facts__item">
                <dt class="cc-facts__term">{lang.results_text(term)}</dt>
                <dd class="cc-facts__value" data-testid=testid>{value}</dd>
            </div>
        }
    };
    let opens = facts
        .opens
        .map(|d| fact(ResultsText::Opening, d, "results-opens"));
    let closes = facts
        .closes
        .map(|d| fact(ResultsText::Closing, d, "results-closes"));
    let total = results.total.to_string();
    let rule = lang.participation_rule(facts.codes);
    let partners = (!facts.partners.is_empty()).then(|| {
        view! { <PartnerCounts counts=facts.partners min_count=facts.min_count lang /> }
    });
    view! {
        <WidgetFrame lang name=Signal::stored(name)>
            <div class="cc-public" data-testid="public-results">
                <h2 class="cc-form__title" lang=lang.of_text(&poll.title)>
                    {poll.title.get(lang).to_owned()}
                </h2>
                {description}
                <dl class="cc-facts">
                    {fact(ResultsText::State, state.to_owned(), "results-state")}
                    {opens}
                    {closes}
                    {fact(ResultsText::Answers, total, "results-count")}
                    {fact(ResultsText::Participation, rule, "participation-rule")}
                </dl>
                {partners}
                <ResultsSection lang>
                    <ResultList poll=poll.clone() results lang />
                </ResultsSection>
            </div>
        </WidgetFrame>
    }
}

/// How many answers each partner brought, as a list a screen reader reads in order; a small
/// group reads "fewer than 5", and a note says why.
#[component]
fn PartnerCounts(
    /// The counts, small ones already hidden.
    counts: Vec<PartnerCount>,
    /// The smallest group shown.
    min_count: u64,
    /// The resident's language.
    lang: Lang,
) -> impl IntoView {
    let items = counts
        .into_iter()
        .map(|c| {
            let value = c
                .answers
                .map_or_else(|| lang.fewer_than(min_count), |n| lang.responses(n));
            view! {
                <li class="cc-partners__item" data-testid="partner-count">
                    <span class="cc-partners__name">{c.name}</span>
                    <span class="cc-partners__count">{value}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="cc-partners" aria-labelledby="cc-partners-title">
            <h3 class="cc-partners__title" id="cc-partners-title">
                {lang.results_text(ResultsText::PartnersTitle)}
            </h3>
            <ul class="cc-partners__list">{items}</ul>
            <p class="cc-partners__note">{lang.small_groups_note(min_count)}</p>
        </section>
    }
}
