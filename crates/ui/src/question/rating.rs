//! A rating question: a row of radios from the scale's lowest value to its highest, with
//! the organiser's end labels under its ends.

use super::{ChoiceInput, ChoiceLook, Control};
use concerto_core::Answer;
use leptos::prelude::*;

/// A rating scale as radios.
#[component]
pub fn Rating(
    /// The question's id, for the radio group's name.
    qid: String,
    /// Lowest value.
    min: u8,
    /// Highest value.
    max: u8,
    /// Label of the lowest value (may be empty).
    min_label: String,
    /// Label of the highest value (may be empty).
    max_label: String,
    /// The answer being edited and its error state.
    control: Control,
) -> impl IntoView {
    let initial = control.initial();
    let group = control.choice_group("radio", ChoiceLook::Rating);
    let values = (min..=max)
        .map(|value| {
            let chosen = Some(Answer::Rating(value));
            view! {
                <ChoiceInput
                    group
                    name=qid.clone()
                    value=value.to_string()
                    label=value.to_string()
                    checked_at_first=initial == chosen
                    autofocus=control.autofocus && value == min
                    checked=Signal::derive(move || control.answer.with(|a| *a == chosen))
                    on_change=Callback::new(move |_| control.answer.set(Some(Answer::Rating(value))))
                />
            }
        })
        .collect_view();
    let has_ends = !(min_label.trim().is_empty() && max_label.trim().is_empty());
    view! {
        <div class="cc-rating">
            <div class="cc-rating__scale">{values}</div>
            {has_ends
                .then(|| {
                    view! {
                        // Spoken through the question's hint instead.
                        <div class="cc-rating__ends" aria-hidden="true">
                            <span class="cc-rating__end">{min_label}</span>
                            <span class="cc-rating__end cc-rating__end--max">{max_label}</span>
                        </div>
                    }
                })}
        </div>
    }
}
