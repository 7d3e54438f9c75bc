//! A question's results split by the answers to a single choice question, or by the partner
//! each answer came through.

use crate::api::{self, Split};
use crate::ctx::Ctx;
use crate::i18n;
use crate::pages::{ErrorNote, error_text};
use concerto_core::{PollId, Question, QuestionId, QuestionKind};
use leptos::prelude::*;
use std::sync::Arc;

use super::results::columns;

/// The split by partner's value in the "by" list: no question id has a colon.
const BY_PARTNER: &str = ":partner";

/// The split a value of the "by" list names.
fn split_of(value: &str) -> Option<Split> {
    if value == BY_PARTNER {
        return Some(Split::Partner);
    }
    QuestionId::parse(value).ok().map(Split::Question)
}

/// A question's results split by the answers to a single choice question, or (when the
/// consultation has partners) by the partner each answer came through.
#[component]
pub(super) fn CrossTabView(
    /// The consultation.
    id: PollId,
    /// Its questions.
    questions: Arc<[Question]>,
    /// Whether it has partners, ended ones included: the split by partner is offered then.
    has_partners: Signal<bool>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let by_choices: Vec<Question> = questions
        .iter()
        .filter(|q| matches!(q.kind, QuestionKind::SingleChoice { .. }))
        .cloned()
        .collect();
    if questions.is_empty() {
        return ().into_any();
    }
    let first_by = by_choices.first().map(|q| q.id.to_string());
    let first_q = questions
        .iter()
        .find(|q| Some(q.id.as_str()) != first_by.as_deref())
        .unwrap_or(&questions[0])
        .id
        .to_string();
    let question = RwSignal::new(first_q);
    let by = RwSignal::new(first_by.clone().unwrap_or_else(|| BY_PARTNER.to_owned()));
    // Without a single choice question, only the split by partner is left to offer.
    let offered = {
        let any_choice = first_by.is_some();
        move || any_choice || has_partners.get()
    };
    let load = Action::new_local(move |(q, b): &(String, String)| {
        let (id, q, b) = (id.clone(), q.clone(), b.clone());
        async move {
            let split = split_of(&b).ok_or(api::ApiError::Network)?;
            api::crosstab(&id, &q, &split).await.map(|t| (q, b, t))
        }
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
            let by = by_choices.iter().find(|x| x.id.as_str() == b).cloned();
            if by.is_none() && b != BY_PARTNER {
                return None;
            }
            let l = lang.get_untracked();
            // A group by partner comes with its organisation's name; the owner's own, if
            // unnamed, says "you".
            let group_label = |g: &api::Group| {
                if let Some(label) = &g.label {
                    return label.clone();
                }
                let name = g.group.as_str();
                match (name.strip_prefix("option:"), &by) {
                    (Some(o), Some(by)) => by
                        .kind
                        .options()
                        .iter()
                        .find(|x| x.id.as_str() == o)
                        .map_or_else(|| o.to_owned(), |x| x.label.get(l).to_owned()),
                    _ if name == "own" => ctx.t().partners_own.to_owned(),
                    _ if name == "other" => ctx.t().other_answers.to_owned(),
                    _ => match name.strip_prefix("partner:") {
                        Some(org) => org.to_owned(),
                        None => ctx.t().unanswered.to_owned(),
                    },
                }
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
                            <th scope="row">{group_label(g)}</th>
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
    let partner_option = move || {
        has_partners.get().then(|| {
            view! {
                <option value=BY_PARTNER selected=move || by.get() == BY_PARTNER>
                    {move || ctx.t().crosstab_by_partner}
                </option>
            }
        })
    };
    view! {
        <details class="cc-admin-texts__box" data-testid="crosstab" hidden=move || !offered()>
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
                        {partner_option}
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_by_list_names_a_question_or_the_partners() {
        assert_eq!(split_of(BY_PARTNER), Some(Split::Partner));
        assert_eq!(
            split_of("frequence"),
            Some(Split::Question(QuestionId::parse("frequence").unwrap()))
        );
        // The partners' value can be no question's id.
        assert!(QuestionId::parse(BY_PARTNER).is_err());
    }
}
