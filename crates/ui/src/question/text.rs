//! Short and long text questions: a text box or text area with a character counter.

use super::{Control, described_by, dom_id};
use crate::lang::Lang;
use concerto_core::Answer;
use leptos::prelude::*;

/// A text area's initial text as the renderer needs it. Leptos writes a `<textarea>`'s
/// children into HTML unescaped (its content is raw text to the HTML parser, which still
/// ends it at `</textarea>`), so on the server, the resident's text is escaped here; in the
/// browser it becomes a text node and needs nothing.
fn textarea_text(text: String) -> String {
    if cfg!(target_arch = "wasm32") {
        text
    } else {
        crate::escape::escape_html(&text)
    }
}

/// A text answer with its counter.
#[component]
pub fn TextAnswer(
    /// The question's id, for element ids.
    qid: String,
    /// The control's label: the question's prompt, read again on the control itself.
    label: String,
    /// The label's `lang` when it is not the widget's language.
    label_lang: Option<&'static str>,
    /// Most characters accepted.
    max_length: u16,
    /// A text area (long text) rather than a one-line text box.
    multiline: bool,
    /// The answer being edited and its error state.
    control: Control,
    /// The resident's language.
    lang: Lang,
) -> impl IntoView {
    let input_id = dom_id(&[&qid, "text"]);
    let counter_id = dom_id(&[&qid, "count"]);
    let text = move || {
        control.answer.with(|a| match a {
            Some(Answer::Text(s)) => s.clone(),
            _ => String::new(),
        })
    };
    let used = move || {
        control.answer.with(|a| match a {
            Some(Answer::Text(s)) => s.chars().count(),
            _ => 0,
        })
    };
    let max = usize::from(max_length);
    let initial = match control.initial() {
        Some(Answer::Text(s)) => s,
        _ => String::new(),
    };
    let aria_invalid = control.aria_invalid();
    let aria_describedby = {
        let counter_id = counter_id.clone();
        move || {
            control
                .error_id
                .with(|e| described_by([Some(counter_id.as_str()), e.as_deref()]))
        }
    };
    let on_input = move |ev: web_sys::Event| {
        control
            .answer
            .set(Some(Answer::Text(event_target_value(&ev))));
    };
    let field = if multiline {
        view! {
            <textarea
                class="cc-input cc-input--multiline"
                id=input_id.clone()
                name=qid.clone()
                rows="5"
                maxlength=max_length
                autofocus=control.autofocus
                prop:value=text
                aria-invalid=aria_invalid
                aria-describedby=aria_describedby
                on:input=on_input
            >
                {textarea_text(initial)}
            </textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                class="cc-input"
                type="text"
                id=input_id.clone()
                name=qid.clone()
                maxlength=max_length
                value=initial
                autofocus=control.autofocus
                prop:value=text
                aria-invalid=aria_invalid
                aria-describedby=aria_describedby
                on:input=on_input
            />
        }
        .into_any()
    };
    view! {
        <div class="cc-text">
            <label class="cc-visually-hidden" for=input_id lang=label_lang>
                {label}
            </label>
            {field}
            <p class="cc-text__counter" id=counter_id>
                {move || lang.characters(used(), max)}
            </p>
        </div>
    }
}
