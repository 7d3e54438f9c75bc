//! A multiple choice question: one checkbox per option; the answer keeps the question's
//! order whatever the order of the ticks.

use super::{ChoiceInput, ChoiceLook, Control};
use crate::lang::Lang;
use concerto_core::{Answer, ChoiceOption, OptionId};
use leptos::prelude::*;
use std::sync::Arc;

/// The options ticked in `answer`.
fn ticked(answer: Option<&Answer>) -> &[OptionId] {
    match answer {
        Some(Answer::Options(ids)) => ids,
        _ => &[],
    }
}

/// The answer after ticking (or unticking) `id`: options in the question's order, and no
/// answer at all once nothing is ticked.
fn toggle(
    options: &[ChoiceOption],
    answer: Option<&Answer>,
    id: &OptionId,
    on: bool,
) -> Option<Answer> {
    let current = ticked(answer);
    let ids: Vec<OptionId> = options
        .iter()
        .map(|o| &o.id)
        .filter(|o| if *o == id { on } else { current.contains(o) })
        .cloned()
        .collect();
    (!ids.is_empty()).then_some(Answer::Options(ids))
}

/// Checkboxes for a multiple choice question.
#[component]
pub fn MultipleChoice(
    /// The question's id, for the checkboxes' name.
    qid: String,
    /// The options, in display order.
    options: Vec<ChoiceOption>,
    /// The answer being edited and its error state.
    control: Control,
    /// The resident's language, for the options' labels.
    lang: Lang,
) -> impl IntoView {
    let initial = control.initial();
    let group = control.choice_group("checkbox", ChoiceLook::Option);
    let all: Arc<[ChoiceOption]> = options.clone().into();
    let boxes = options
        .into_iter()
        .enumerate()
        .map(|(i, option)| {
            let id = option.id.clone();
            let checked_at_first = ticked(initial.as_ref()).contains(&id);
            let checked = {
                let id = id.clone();
                Signal::derive(move || control.answer.with(|a| ticked(a.as_ref()).contains(&id)))
            };
            let all = all.clone();
            view! {
                <ChoiceInput
                    group
                    name=qid.clone()
                    value=id.to_string()
                    label=option.label.get(lang).to_owned()
                    label_lang=lang.of_text(&option.label)
                    checked_at_first
                    autofocus=control.autofocus && i == 0
                    checked
                    on_change=Callback::new(move |on| {
                        control.answer.update(|a| *a = toggle(&all, a.as_ref(), &id, on));
                    })
                />
            }
        })
        .collect_view();
    view! { <div class="cc-choices">{boxes}</div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> Vec<ChoiceOption> {
        ["a", "b", "c"]
            .into_iter()
            .map(|id| ChoiceOption {
                id: OptionId::parse(id).unwrap(),
                label: id.to_uppercase().into(),
            })
            .collect()
    }

    fn id(s: &str) -> OptionId {
        OptionId::parse(s).unwrap()
    }

    #[test]
    fn ticks_keep_the_question_s_order() {
        let a = toggle(&opts(), None, &id("c"), true);
        let a = toggle(&opts(), a.as_ref(), &id("a"), true);
        assert_eq!(a, Some(Answer::Options(vec![id("a"), id("c")])));
    }

    #[test]
    fn unticking_the_last_option_leaves_no_answer() {
        let a = toggle(&opts(), None, &id("b"), true);
        assert_eq!(toggle(&opts(), a.as_ref(), &id("b"), false), None);
    }
}
