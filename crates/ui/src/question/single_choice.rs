//! A single choice question: one radio per option, and "other, please specify" with its
//! text box when the organiser allows it.
//!
//! The text box is always in the markup and shown by the stylesheet only while "other" is
//! checked (`:has()`), so it works the same in a server-rendered form, before the widget's
//! script runs or without it.

use super::{Control, OTHER_VALUE, described_by, dom_id, other_field};
use crate::lang::Lang;
use concerto_core::{Answer, ChoiceOption, limits};
use leptos::prelude::*;

/// Radios for a single choice question.
#[component]
pub fn SingleChoice(
    /// The question's id, for element ids and the radio group's name.
    qid: String,
    /// The options, in display order.
    options: Vec<ChoiceOption>,
    /// Whether to offer "other, please specify".
    allow_other: bool,
    /// The answer being edited and its error state.
    control: Control,
    /// The resident's language.
    lang: Lang,
) -> impl IntoView {
    let t = lang.t();
    let aria_invalid = control.aria_invalid();
    let aria_describedby = move || control.error_id.with(|e| described_by([e.as_deref()]));
    let initial = control.initial();
    // The "other" text survives switching to an option and back.
    let initial_other = match &initial {
        Some(Answer::Other(text)) => text.clone(),
        _ => String::new(),
    };
    let other_text = RwSignal::new(initial_other.clone());
    let other_chosen =
        Memo::new(move |_| control.answer.with(|a| matches!(a, Some(Answer::Other(_)))));

    let radios = options
        .into_iter()
        .enumerate()
        .map(|(i, option)| {
            let id = option.id.clone();
            let checked_at_first = initial.as_ref() == Some(&Answer::Option(id.clone()));
            let chosen = {
                let id = id.clone();
                move || {
                    control
                        .answer
                        .with(|a| a.as_ref() == Some(&Answer::Option(id.clone())))
                }
            };
            view! {
                <label class="cc-choice">
                    <input
                        class="cc-choice__input"
                        type="radio"
                        name=qid.clone()
                        value=id.to_string()
                        checked=checked_at_first
                        autofocus=control.autofocus && i == 0
                        prop:checked=chosen
                        aria-invalid=aria_invalid
                        aria-describedby=aria_describedby
                        on:change=move |_| control.answer.set(Some(Answer::Option(id.clone())))
                    />
                    <span class="cc-choice__label" lang=lang.of_text(&option.label)>
                        {option.label.get(lang).to_owned()}
                    </span>
                </label>
            }
        })
        .collect_view();

    let other = allow_other.then(|| {
        let input_id = dom_id(&[&qid, "other-text"]);
        let other_at_first = matches!(initial, Some(Answer::Other(_)));
        view! {
            <label class="cc-choice">
                <input
                    class="cc-choice__input"
                    type="radio"
                    name=qid.clone()
                    value=OTHER_VALUE
                    data-other="true"
                    checked=other_at_first
                    prop:checked=move || other_chosen.get()
                    aria-invalid=aria_invalid
                    aria-describedby=aria_describedby
                    on:change=move |_| control.answer.set(Some(Answer::Other(other_text.get())))
                />
                <span class="cc-choice__label">{t.other_option}</span>
            </label>
            <div class="cc-other">
                <label class="cc-other__label" for=input_id.clone()>
                    {t.other_input}
                </label>
                <input
                    class="cc-input"
                    type="text"
                    id=input_id.clone()
                    name=other_field(&qid)
                    maxlength=limits::OTHER_TEXT_MAX
                    value=initial_other
                    prop:value=move || other_text.get()
                    aria-invalid=aria_invalid
                    aria-describedby=aria_describedby
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        other_text.set(text.clone());
                        control.answer.set(Some(Answer::Other(text)));
                    }
                />
            </div>
        }
    });

    view! {
        <div class="cc-choices">{radios} {other}</div>
    }
}
