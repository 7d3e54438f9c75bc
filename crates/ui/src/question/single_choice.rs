//! A single choice question: one radio per option, and "other, please specify" with its
//! text box when the organiser allows it.
//!
//! The text box is always in the markup and shown by the stylesheet only while "other" is
//! checked (`:has()`), so it works the same in a server-rendered form, before the widget's
//! script runs or without it.

use super::{ChoiceInput, ChoiceLook, Control, OTHER_VALUE, dom_id, other_field};
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
    let group = control.choice_group("radio", ChoiceLook::Option);
    let initial = control.initial();
    // The "other" text survives switching to an option and back.
    let initial_other = match &initial {
        Some(Answer::Other(text)) => text.clone(),
        _ => String::new(),
    };
    let other_text = RwSignal::new(initial_other.clone());

    let radios = options
        .into_iter()
        .enumerate()
        .map(|(i, option)| {
            let id = option.id.clone();
            let chosen = Answer::Option(id.clone());
            let checked_at_first = initial.as_ref() == Some(&chosen);
            let checked = {
                let chosen = chosen.clone();
                Signal::derive(move || control.answer.with(|a| a.as_ref() == Some(&chosen)))
            };
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
                    on_change=Callback::new(move |_| control.answer.set(Some(chosen.clone())))
                />
            }
        })
        .collect_view();

    let other = allow_other.then(|| {
        let input_id = dom_id(&[&qid, "other-text"]);
        let other_at_first = matches!(initial, Some(Answer::Other(_)));
        let aria_invalid = group.aria_invalid;
        let aria_describedby = group.aria_describedby;
        view! {
            <ChoiceInput
                group
                name=qid.clone()
                value=OTHER_VALUE.to_owned()
                label=t.other_option.to_owned()
                checked_at_first=other_at_first
                autofocus=false
                other=true
                checked=Signal::derive(move || {
                    control.answer.with(|a| matches!(a, Some(Answer::Other(_))))
                })
                on_change=Callback::new(move |_| {
                    control.answer.set(Some(Answer::Other(other_text.get())));
                })
            />
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
