//! The answer form's markup: title, description, one field per question and the submit
//! button. The widget drives it with its signals in the browser; the server renders the same
//! component to HTML for the first paint and for the standalone page without script.

use crate::code_field::{CodeField, CodeState};
use crate::lang::Lang;
use crate::question::QuestionField;
use concerto_core::{Answer, PartnerKey, PublicPoll, Via};
use leptos::html::Fieldset;
use leptos::prelude::*;
use std::sync::Arc;

/// The form field that carries the submission id, so that a retry is recognised. With a dot,
/// which no question id can hold: a question called `submission_id` keeps its own field.
pub const SUBMISSION_FIELD: &str = "submission.id";

/// The form fields that say where a plain form post's answer came from (the standalone page
/// without script): the partner's key and the door. Question ids hold only `[A-Za-z0-9_-]`, so
/// names with a dot can be no question's (as `participation.code`).
pub const PARTNER_FIELD: &str = "source.partner";
/// See [`PARTNER_FIELD`]: `site`, `page` or `qr`.
pub const VIA_FIELD: &str = "source.via";

/// Where a form's answers come from: the partner whose snippet or link brought the resident
/// (`None`: the owner's own), and the door. The widget reads it from its placeholder and
/// sends it with each answer; the standalone page's form carries it in hidden fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    /// The partner's key, checked.
    pub partner: Option<PartnerKey>,
    /// The door the resident came through.
    pub via: Via,
}

impl Source {
    /// The partner's key as a submission carries it.
    pub fn partner_key(&self) -> Option<String> {
        self.partner.as_ref().map(|k| k.as_str().to_owned())
    }
}

/// What the form shows and edits for one question.
#[derive(Debug, Clone, Copy)]
pub struct FieldState {
    /// The answer as entered, before validation.
    pub answer: RwSignal<Option<Answer>>,
    /// Whether the resident has interacted with the question.
    pub touched: RwSignal<bool>,
    /// The message shown under the question, if any.
    pub error: Signal<Option<String>>,
    /// The question's fieldset, to move focus to it.
    pub node: NodeRef<Fieldset>,
}

impl FieldState {
    /// A question answered with `answer` (or not), showing `error` (or nothing).
    pub fn new(answer: Option<Answer>, error: Option<String>) -> Self {
        Self {
            answer: RwSignal::new(answer),
            touched: RwSignal::new(false),
            error: Signal::stored(error),
            node: NodeRef::new(),
        }
    }
}

/// An error about the whole form, shown by the submit button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    /// What went wrong.
    pub message: String,
    /// The server's errors on fields that are not questions.
    pub details: Vec<String>,
    /// Whether sending again may help (the network or the server failed).
    pub can_retry: bool,
}

/// Splits a description into paragraphs at blank lines.
///
/// Line by line rather than by splitting at `"\n\n"`: a search for a string pattern brings
/// its searcher's code (a few KB) into the widget's wasm.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    // An empty line ends a paragraph; so does the end of the text.
    for line in text.lines().chain([""]) {
        if line.is_empty() {
            let paragraph = current.trim();
            if !paragraph.is_empty() {
                paragraphs.push(paragraph.to_owned());
            }
            current.clear();
        } else {
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(line);
        }
    }
    paragraphs
}

/// An open consultation's form.
#[component]
pub fn FormView(
    /// The consultation, open for answers.
    poll: Arc<PublicPoll>,
    /// One state per question, in the consultation's order.
    fields: Arc<[FieldState]>,
    /// The submission id the form sends (kept in a hidden field for the plain form post).
    submission_id: String,
    /// The resident's language.
    lang: Lang,
    /// Sends the answers (the form's submit, with the browser's own submission prevented).
    on_send: Callback<()>,
    /// Whether the answers are being sent.
    #[prop(into, optional)]
    pending: Signal<bool>,
    /// Whether the form is hidden (while its answer waits on the device).
    #[prop(into, optional)]
    hidden: Signal<bool>,
    /// The error about the whole form, if any.
    #[prop(into, optional)]
    form_error: Signal<Option<FormError>>,
    /// Until when it takes answers, in words ("Ouverte jusqu’au …"), when it has a closing
    /// time: the widget writes it in the resident's time zone, the server in the town's.
    #[prop(default = None)]
    open_until: Option<String>,
    /// Where a plain form post goes (the standalone page without script); `None` in the
    /// widget, whose script always sends.
    #[prop(default = None)]
    action: Option<String>,
    /// The participation code's box, for a consultation that asks for one.
    #[prop(default = None)]
    code: Option<CodeState>,
    /// Where the answer comes from, in hidden fields for the plain form post (the standalone
    /// page); `None` in the widget, which sends it itself.
    #[prop(default = None)]
    source: Option<Source>,
) -> impl IntoView {
    let t = lang.t();
    // A form sent back with errors (by the server, without script) puts the focus on its
    // first faulty question when the page loads.
    let code_faulty = code.is_some_and(|c| c.error.with_untracked(Option::is_some));
    let first_faulty = fields
        .iter()
        .position(|f| f.error.with_untracked(Option::is_some))
        .filter(|_| !code_faulty);
    let question_views = poll
        .questions
        .iter()
        .zip(fields.iter())
        .enumerate()
        .map(|(i, (q, f))| {
            view! {
                <QuestionField
                    question=q.clone()
                    answer=f.answer
                    touched=f.touched
                    error=f.error
                    node_ref=f.node
                    lang
                    autofocus=first_faulty == Some(i)
                />
            }
        })
        .collect_view();
    let description_lang = lang.of_text(&poll.description);
    let description = paragraphs(poll.description.get(lang))
        .into_iter()
        .map(|p| view! { <p class="cc-form__description" lang=description_lang>{p}</p> })
        .collect_view();
    let method = action.as_ref().map(|_| "post");
    let source_fields = source.map(|s| {
        let partner = s
            .partner
            .map(|k| view! { <input type="hidden" name=PARTNER_FIELD value=k.to_string() /> });
        view! {
            {partner}
            <input type="hidden" name=VIA_FIELD value=s.via.as_str() />
        }
    });
    view! {
        <form
            class="cc-form"
            data-testid="poll-form"
            novalidate
            method=method
            action=action
            hidden=move || hidden.get()
            on:submit=move |ev| {
                ev.prevent_default();
                on_send.run(());
            }
        >
            <input type="hidden" name=SUBMISSION_FIELD value=submission_id />
            {source_fields}
            <h2 class="cc-form__title" lang=lang.of_text(&poll.title)>
                {poll.title.get(lang).to_owned()}
            </h2>
            {open_until.map(|text| view! { <p class="cc-form__dates" data-testid="poll-dates">{text}</p> })}
            {description}
            {code.map(|state| view! { <CodeField state lang autofocus=code_faulty /> })}
            {question_views}
            <div class="cc-form__footer">
                {move || {
                    form_error
                        .get()
                        .map(|e| view! { <FormErrorView error=e lang on_retry=on_send /> })
                }}
                <button
                    type="submit"
                    class="cc-button"
                    data-testid="submit"
                    data-sending=t.sending_button
                    disabled=move || pending.get()
                    aria-disabled=move || pending.get().then_some("true")
                >
                    {move || if pending.get() { t.sending_button } else { t.submit }}
                </button>
            </div>
        </form>
    }
}

/// The error about the whole form: the message, the server's other errors, and a button to
/// send again when that may help.
#[component]
fn FormErrorView(
    /// The error.
    error: FormError,
    /// The resident's language.
    lang: Lang,
    /// Sends the answers again.
    on_retry: Callback<()>,
) -> impl IntoView {
    let FormError {
        message,
        details,
        can_retry,
    } = error;
    let details = (!details.is_empty()).then(|| {
        view! { <ul>{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul> }
    });
    let retry = can_retry.then(|| {
        view! {
            <button
                type="button"
                class="cc-button cc-button--secondary"
                data-testid="resend"
                on:click=move |_| on_retry.run(())
            >
                {lang.t().resend}
            </button>
        }
    });
    view! {
        <div class="cc-form__error" data-testid="form-error">
            <p>{message}</p>
            {details}
            {retry}
        </div>
    }
}

/// The widget's live region, which says what happens (sending, sent, errors).
#[component]
pub fn StatusRegion(
    /// What it says now.
    #[prop(into)]
    text: Signal<String>,
) -> impl IntoView {
    view! {
        <p class="cc-visually-hidden" role="status" aria-live="polite" data-testid="status">
            {move || text.get()}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_those_of_splitting_at_blank_lines_once_crlf_is_lf() {
        let by_split = |text: &str| -> Vec<String> {
            text.replace("\r\n", "\n")
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let pieces = ["a", "b c", " ", "\n", "\r\n", "\r", "\t", "é"];
        // Every text of up to four pieces.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
        }
        for text in &texts {
            assert_eq!(paragraphs(text), by_split(text), "{text:?}");
        }
    }

    #[test]
    fn descriptions_split_into_paragraphs_at_blank_lines() {
        assert_eq!(
            paragraphs("Un\r\n\r\n  Deux\nlignes  \n\n\n"),
            vec!["Un".to_owned(), "Deux\nlignes".to_owned()]
        );
        assert!(paragraphs("  ").is_empty());
    }
}
