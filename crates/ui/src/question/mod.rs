//! One question of the form: its fieldset and legend, its hint, the control for its kind and
//! its error message, tied together with `aria-describedby` and `aria-invalid`.

mod choice_input;
mod multiple_choice;
mod rating;
mod single_choice;
mod text;

use crate::lang::Lang;
use concerto_core::{Answer, Question, QuestionKind};
use leptos::html::Fieldset;
use leptos::prelude::*;
use multiple_choice::MultipleChoice;
use rating::Rating;
use single_choice::SingleChoice;
use text::TextAnswer;
use wasm_bindgen::JsCast;

pub use choice_input::{ChoiceGroup, ChoiceInput, ChoiceLook};

/// What a question's control needs from its question: the answer it edits and how its
/// error is announced.
#[derive(Debug, Clone, Copy)]
pub struct Control {
    /// The answer being edited; `None` while unanswered.
    pub answer: RwSignal<Option<Answer>>,
    /// Whether an error is shown for this question (`aria-invalid`).
    pub invalid: Signal<bool>,
    /// The id of the error message while one is shown (for `aria-describedby`).
    pub error_id: Signal<Option<String>>,
    /// Whether the question's first control takes the focus when the page loads: the first
    /// faulty question of a form the server sent back with its errors (no script needed).
    pub autofocus: bool,
}

impl Control {
    /// `aria-invalid`'s value: present only when invalid.
    pub fn aria_invalid(self) -> Signal<Option<&'static str>> {
        Signal::derive(move || self.invalid.get().then_some("true"))
    }

    /// What the choices of a question of this control share.
    pub fn choice_group(self, input_type: &'static str, look: ChoiceLook) -> ChoiceGroup {
        ChoiceGroup {
            input_type,
            look,
            aria_invalid: self.aria_invalid(),
            aria_describedby: self.error_id,
        }
    }

    /// The answer when the control is first drawn, for the attributes (`checked`, `value`)
    /// that a server-rendered form carries; the properties follow the signal afterwards.
    pub fn initial(self) -> Option<Answer> {
        self.answer.get_untracked()
    }
}

/// The form field name of the "other" text of single choice question `qid`.
pub fn other_field(qid: &str) -> String {
    format!("{qid}.other")
}

/// The value of the "other" radio of a single choice question. Option ids only hold
/// `[A-Za-z0-9_-]`, so this one cannot be an option's.
pub const OTHER_VALUE: &str = ":other";

/// An element id, unique within one widget's shadow root. Question and option ids only hold
/// `[A-Za-z0-9_-]`, so joining parts with `:` cannot make two ids collide.
pub fn dom_id(parts: &[&str]) -> String {
    format!("cc:{}", parts.join(":"))
}

/// `aria-describedby` from a list of ids, `None` when empty.
pub fn described_by<'a>(ids: impl IntoIterator<Item = Option<&'a str>>) -> Option<String> {
    let ids: Vec<&str> = ids.into_iter().flatten().collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// One question as a fieldset.
#[component]
pub fn QuestionField(
    /// The question.
    question: Question,
    /// The answer being edited.
    answer: RwSignal<Option<Answer>>,
    /// Set once the resident has interacted with the question; its error then shows.
    touched: RwSignal<bool>,
    /// The error message to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// The fieldset, so that the form can move focus to the first faulty question.
    node_ref: NodeRef<Fieldset>,
    /// The resident's language.
    lang: Lang,
    /// Whether the first control takes the focus on page load (see [`Control::autofocus`]).
    #[prop(optional)]
    autofocus: bool,
) -> impl IntoView {
    let qid = question.id.to_string();
    let error_dom_id = dom_id(&[&qid, "error"]);
    let error_testid = format!("error-{qid}");
    let hint_id = dom_id(&[&qid, "hint"]);
    let invalid = Signal::derive(move || error.with(Option::is_some));
    let error_id = {
        let id = error_dom_id.clone();
        Signal::derive(move || invalid.get().then(|| id.clone()))
    };
    let control = Control {
        answer,
        invalid,
        error_id,
        autofocus,
    };

    // A hint under the legend; for ratings it speaks the scale's end labels, which are
    // shown visually at the ends of the row.
    let (hint, hint_visible) = match &question.kind {
        QuestionKind::MultipleChoice {
            min_selections,
            max_selections,
            ..
        } => (
            lang.selection_hint(*min_selections, *max_selections)
                .map(|h| vec![(h, None)]),
            true,
        ),
        QuestionKind::Rating {
            min,
            max,
            min_label,
            max_label,
        } => (
            Some(lang.rating_hint(
                (*min, min_label.get(lang), lang.of_text(min_label)),
                (*max, max_label.get(lang), lang.of_text(max_label)),
            )),
            false,
        ),
        _ => (None, true),
    };
    let fieldset_described_by = hint.as_ref().map(|_| hint_id.clone());

    let body = match question.kind.clone() {
        QuestionKind::SingleChoice {
            options,
            allow_other,
        } => view! { <SingleChoice qid=qid.clone() options allow_other control lang /> }.into_any(),
        QuestionKind::MultipleChoice { options, .. } => {
            view! { <MultipleChoice qid=qid.clone() options control lang /> }.into_any()
        }
        QuestionKind::Rating {
            min,
            max,
            min_label,
            max_label,
        } => {
            let min_label = min_label.get(lang).to_owned();
            let max_label = max_label.get(lang).to_owned();
            view! { <Rating qid=qid.clone() min max min_label max_label control /> }.into_any()
        }
        QuestionKind::ShortText { max_length } => view! {
            <TextAnswer
                qid=qid.clone()
                label=question.prompt.get(lang).to_owned()
                label_lang=lang.of_text(&question.prompt)
                max_length
                multiline=false
                control
                lang
            />
        }
        .into_any(),
        QuestionKind::LongText { max_length } => view! {
            <TextAnswer
                qid=qid.clone()
                label=question.prompt.get(lang).to_owned()
                label_lang=lang.of_text(&question.prompt)
                max_length
                multiline=true
                control
                lang
            />
        }
        .into_any(),
    };

    // Leaving the question (focus moving outside its fieldset) counts as touching it, so
    // skipping a required question shows its message.
    let on_focusout = move |ev: web_sys::FocusEvent| {
        let inside = match (ev.current_target(), ev.related_target()) {
            (Some(field), Some(next)) => {
                let field = field.dyn_into::<web_sys::Node>().ok();
                let next = next.dyn_into::<web_sys::Node>().ok();
                field.is_some_and(|f| f.contains(next.as_ref()))
            }
            _ => false,
        };
        if !inside {
            touched.set(true);
        }
    };

    // Choosing "other" is not an answer yet: its text box has still to be filled in, so its
    // message waits until the resident leaves the question.
    let on_change = move |ev: web_sys::Event| {
        let other = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| e.has_attribute("data-other"));
        if !other {
            touched.set(true);
        }
    };

    view! {
        <fieldset
            class="cc-question"
            class:cc-question--invalid=move || invalid.get()
            data-testid=format!("question-{qid}")
            aria-describedby=fieldset_described_by
            node_ref=node_ref
            on:change=on_change
            on:focusout=on_focusout
        >
            <legend class="cc-question__legend">
                <span class="cc-question__prompt" lang=lang.of_text(&question.prompt)>
                    {question.prompt.get(lang).to_owned()}
                </span>
                {question
                    .required
                    .then(|| {
                        view! {
                            " "
                            <span class="cc-question__required">{lang.t().required}</span>
                        }
                    })}
            </legend>
            {hint
                .map(|h| {
                    view! {
                        <p
                            class=if hint_visible {
                                "cc-question__hint"
                            } else {
                                "cc-visually-hidden"
                            }
                            id=hint_id.clone()
                        >
                            {h
                                .into_iter()
                                .map(|(text, text_lang)| view! { <span lang=text_lang>{text}</span> })
                                .collect_view()}
                        </p>
                    }
                })}
            {body}
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p
                                class="cc-question__error"
                                id=error_dom_id.clone()
                                data-testid=error_testid.clone()
                            >
                                {message}
                            </p>
                        }
                    })
            }}
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn described_by_joins_present_ids_only() {
        assert_eq!(described_by([None, None]), None);
        assert_eq!(
            described_by([Some("a"), None, Some("b")]).as_deref(),
            Some("a b")
        );
    }
}
