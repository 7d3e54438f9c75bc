//! One radio or checkbox with its label: every option of a single or multiple choice
//! question, the "other" radio and each value of a rating scale.
//!
//! One component, not one per kind, and its reactive parts behind `Signal` and `Callback`:
//! the wasm then carries a single copy of the code that builds and updates an option (each
//! distinct view type is code of its own, and options were most of the widget's size).

use leptos::prelude::*;

/// The look of a choice: its classes, by the kind of question it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceLook {
    /// An option of a single or multiple choice question, on its own line.
    Option,
    /// A value of a rating scale, in a row.
    Rating,
}

impl ChoiceLook {
    fn classes(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Option => ("cc-choice", "cc-choice__input", "cc-choice__label"),
            Self::Rating => ("cc-rating__value", "cc-rating__input", "cc-rating__number"),
        }
    }
}

/// What a question shares among its choices: its radio group or checkbox name, how its
/// error is announced, and its kind of input.
#[derive(Debug, Clone, Copy)]
pub struct ChoiceGroup {
    /// `radio` or `checkbox`.
    pub input_type: &'static str,
    /// The classes.
    pub look: ChoiceLook,
    /// `aria-invalid`: `Some("true")` while the question shows an error.
    pub aria_invalid: Signal<Option<&'static str>>,
    /// `aria-describedby`: the error message's id while one is shown.
    pub aria_describedby: Signal<Option<String>>,
}

/// One choice.
#[component]
pub fn ChoiceInput(
    /// What it shares with the question's other choices.
    group: ChoiceGroup,
    /// The form field's name (the question's id).
    name: String,
    /// The form field's value.
    value: String,
    /// Its label.
    label: String,
    /// The label's `lang` when it is not the widget's language.
    #[prop(default = None)]
    label_lang: Option<&'static str>,
    /// Whether it is checked in the markup the server sends.
    checked_at_first: bool,
    /// Whether it takes the focus when the page loads.
    autofocus: bool,
    /// Marks the "other" radio (its message waits until the text is typed).
    #[prop(optional)]
    other: bool,
    /// Whether it is checked now.
    checked: Signal<bool>,
    /// Called with its new checked state when the resident changes it.
    on_change: Callback<bool>,
) -> impl IntoView {
    let (wrapper, input, text) = group.look.classes();
    view! {
        <label class=wrapper>
            <input
                class=input
                type=group.input_type
                name=name
                value=value
                data-other=other.then_some("true")
                checked=checked_at_first
                autofocus=autofocus
                prop:checked=checked
                aria-invalid=group.aria_invalid
                aria-describedby=group.aria_describedby
                on:change=move |ev| on_change.run(event_target_checked(&ev))
            />
            <span class=text lang=label_lang>
                {label}
            </span>
        </label>
    }
}
