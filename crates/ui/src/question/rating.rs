//! A rating question: a row of radios from the scale's lowest value to its highest, with
//! the organiser's end labels under its ends.

use super::{Control, described_by};
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
    let aria_invalid = control.aria_invalid();
    let aria_describedby = move || control.error_id.with(|e| described_by([e.as_deref()]));
    let values = (min..=max)
        .map(|value| {
            let checked_at_first = initial == Some(Answer::Rating(value));
            view! {
                <label class="cc-rating__value">
                    <input
                        class="cc-rating__input"
                        type="radio"
                        name=qid.clone()
                        value=value.to_string()
                        checked=checked_at_first
                        autofocus=control.autofocus && value == min
                        prop:checked=move || {
                            control.answer.with(|a| a == &Some(Answer::Rating(value)))
                        }
                        aria-invalid=aria_invalid
                        aria-describedby=aria_describedby
                        on:change=move |_| control.answer.set(Some(Answer::Rating(value)))
                    />
                    <span class="cc-rating__number">{value}</span>
                </label>
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
