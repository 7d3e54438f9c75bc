//! The answer form: one field per question, checked with `core`'s `validate` as the resident
//! answers, sent once with a submission id that every retry reuses, then the thanks.
//!
//! An answer goes into the device's outbox before it is sent and leaves it once the server
//! stored it: when the network or the server fails, the form gives way to a waiting notice
//! and the answer is sent again on the `online` event and on a backoff timer, and on the next
//! page load if the page is closed meanwhile. The device then remembers that the consultation
//! was answered, so a later visit shows the thanks instead of the form (unless the organiser
//! allows several answers).

use crate::api::{Api, ApiError, FieldError, Problem, Receipt};
use crate::date::format_date_time;
use crate::memory::Answered;
use crate::outbox::{Outbox, is_transient, retry_delay};
use crate::results::ResultsPanel;
use crate::source::Source;
use crate::states::Closed;
use crate::storage::LocalStorage;
use crate::takeover::TakenOver;
use concerto_core::{
    Answer, AnswerError, CodeError, Participation, ParticipationCode, PublicPoll, Question,
    RawAnswers, ResultsVisibility, Submission, SubmissionId, validate,
};
use concerto_ui::Lang;
use concerto_ui::code_field::CodeState;
use concerto_ui::focus::focus_when_shown;
use concerto_ui::form::{FieldState, FormError, FormView, StatusRegion};
use concerto_ui::thanks::Thanks;
use leptos::html::Fieldset;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// The signals the form keeps for one question; its error is derived from them.
#[derive(Clone, Copy)]
struct Field {
    /// The answer as entered, before validation.
    answer: RwSignal<Option<Answer>>,
    /// Whether the resident has interacted with the question.
    touched: RwSignal<bool>,
    /// The question's fieldset, to move focus to it.
    node: NodeRef<Fieldset>,
}

/// Where the form is in its life; each phase shows a different view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Being filled in, or being sent, or failed to send for a reason resending cannot fix.
    Answering,
    /// Sent but not stored yet: kept on the device until the network or server returns.
    Waiting,
    /// Stored by the server.
    Sent,
    /// The server says the consultation no longer (or not yet) accepts answers.
    Closed,
}

/// What the last press of the submit button led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attempt {
    /// The button was not pressed yet.
    None,
    /// Some answers were faulty, so nothing was sent.
    Invalid,
    /// The answers were sent.
    Sent,
}

/// A fresh version 7 UUID for one submission, its time first: the server's index of ids then
/// grows at its end (a random id per answer made each commit rewrite a page of it at random).
/// `crypto.getRandomValues` works on plain `http:` pages too, unlike `crypto.randomUUID`.
fn new_submission_id() -> SubmissionId {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    SubmissionId::from_time_and_random(js_sys::Date::now() as u64, bytes)
}

/// The message for an error the server reported on a field that is not one of the
/// form's questions.
fn general_message(lang: Lang, e: &FieldError) -> Option<String> {
    e.problem
        .as_ref()
        .map(|p| lang.problem(p))
        .or_else(|| e.detail.clone())
}

/// An open consultation's form, then its thanks and results.
#[component]
pub fn PollForm(
    /// The consultation, open for answers.
    poll: Arc<PublicPoll>,
    /// The collection server.
    api: Api,
    /// The resident's language.
    lang: Lang,
    /// The partner and the door every answer of this form is sent with.
    source: Source,
    /// Starts a new answer after the thanks; offered only when the consultation allows
    /// several answers.
    #[prop(optional)]
    on_again: Option<Callback<()>>,
    /// What the resident did in the server-rendered first view before the widget took it
    /// over: their answers, the submission id it carried, and whether they pressed send.
    #[prop(default = None)]
    taken: Option<TakenOver>,
) -> impl IntoView {
    let t = lang.t();
    // What the device kept: an answer the server has not acknowledged (sent again below, its
    // answers back in the form), or that this consultation was answered here.
    let outbox = StoredValue::new(Outbox::new(LocalStorage, api.server(), poll.id.as_str()));
    let answered = StoredValue::new(Answered::new(LocalStorage, api.server(), poll.id.as_str()));
    let queued = outbox.with_value(|o| o.pending().into_iter().next());
    let remembered = queued.is_none()
        && !poll.allow_multiple_answers
        && answered.with_value(Answered::is_answered);

    let questions: Arc<[Question]> = poll.questions.clone().into();
    let fields: Arc<[Field]> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let kept = match &queued {
                Some(s) => s.answers.get(q.id.as_str()).and_then(Answer::from_json),
                None => taken
                    .as_ref()
                    .and_then(|t| t.answers.get(i).cloned().flatten()),
            };
            // An answer taken over from the first view was given: its message may show.
            // An "other" still to be typed waits, as when chosen in the widget.
            let given = taken.is_some()
                && kept
                    .as_ref()
                    .is_some_and(|a| !matches!(a, Answer::Other(t) if t.is_empty()));
            Field {
                answer: RwSignal::new(kept),
                touched: RwSignal::new(given),
                node: NodeRef::new(),
            }
        })
        .collect();

    // Everything below is derived from the answers as entered.
    let raw = Memo::new({
        let questions = questions.clone();
        let fields = fields.clone();
        move |_| -> RawAnswers {
            // Inserted one by one: collecting would sort, and bring the sort into the wasm.
            let mut raw = RawAnswers::new();
            for (q, f) in questions.iter().zip(fields.iter()) {
                if let Some(a) = f.answer.get() {
                    raw.insert(q.id.to_string(), a.to_json());
                }
            }
            raw
        }
    });
    let problems = Memo::new({
        let questions = questions.clone();
        move |_| -> Vec<AnswerError> {
            raw.with(|raw| validate(&questions, raw).err().unwrap_or_default())
        }
    });

    // One id per submission, so that a retry after a lost response is recognised by the
    // server. It is made when the answers are first sent, not when the form is shown: the time
    // a version 7 id carries then says nothing of how long the resident took. The first view's
    // id is kept only when send was pressed there (its own id is a random one, never sent).
    let submission_id = StoredValue::new(match (&queued, &taken) {
        (Some(s), _) => Some(s.submission_id.clone()),
        (
            None,
            Some(TakenOver {
                submission_id: Some(id),
                submit: true,
                ..
            }),
        ) => Some(id.clone()),
        _ => None,
    });
    let submit_at_once = queued.is_none() && taken.as_ref().is_some_and(|t| t.submit);
    // The participation code, where the consultation asks for one: as kept with a waiting
    // answer, else as typed (or filled in from the link) in the first view.
    let needs_code = poll.participation == Participation::OneAnswerPerCode;
    let code_value = RwSignal::new(
        queued
            .as_ref()
            .and_then(|s| s.code.clone())
            .or_else(|| taken.as_ref().and_then(|t| t.code.clone()))
            .unwrap_or_default(),
    );
    let code_node = NodeRef::new();
    // The submission last sent, to send again while it waits, and how many tries failed.
    let last_sent = StoredValue::new(queued.clone());
    let failures = StoredValue::new(0u32);
    let attempt = RwSignal::new(Attempt::None);
    let sent_raw = RwSignal::new(RawAnswers::new());
    let sent_code = RwSignal::new(String::new());
    let submit = Action::new_local({
        let api = api.clone();
        let id = poll.id.clone();
        move |submission: &Submission| {
            let api = api.clone();
            let id = id.clone();
            let submission = submission.clone();
            async move { api.submit(&id, &submission).await }
        }
    });
    let pending = submit.pending();
    let outcome = submit.value();
    let woke_waiting = queued.is_some();
    let phase = Memo::new(move |_| match outcome.get() {
        Some(Ok(_)) => Phase::Sent,
        // A used participation code is a 409 too, but the form stays, its code to change.
        Some(Err(ApiError::Conflict(p))) if !p.errors.iter().any(FieldError::is_code) => {
            Phase::Closed
        }
        Some(Err(e)) if is_transient(&e) => Phase::Waiting,
        None if woke_waiting => Phase::Waiting,
        None if remembered => Phase::Sent,
        _ => Phase::Answering,
    });

    // Sends the waiting submission again, unless a send is under way. Timers may outlive the
    // form (after "answer again"): a disposed form does nothing.
    let resend = move || {
        if phase.try_get_untracked() != Some(Phase::Waiting) || pending.get_untracked() {
            return;
        }
        if let Some(submission) = last_sent.try_get_value().flatten() {
            submit.dispatch(submission);
        }
    };
    // Pushes each outcome out to the device, and schedules the next try while waiting.
    Effect::new(move |_| {
        let Some(result) = outcome.get() else {
            return;
        };
        let Some(id) = submission_id.get_value() else {
            return;
        };
        match result {
            Ok(_) => {
                outbox.with_value(|o| o.remove(&id));
                answered.with_value(|a| a.remember(&id));
            }
            Err(e) if is_transient(&e) => {
                let n = failures.get_value();
                failures.set_value(n.saturating_add(1));
                set_timeout(resend, retry_delay(n));
            }
            // Refused for good (closed, invalid, forbidden…): the form says why.
            Err(_) => outbox.with_value(|o| o.remove(&id)),
        }
    });
    let online = window_event_listener(leptos::ev::online, move |_| resend());
    on_cleanup(move || online.remove());
    if let Some(submission) = queued {
        submit.dispatch(submission);
    }
    let server_errors = Memo::new(move |_| match outcome.get() {
        Some(Err(ApiError::Invalid(Problem { errors, .. }))) => errors,
        _ => Vec::new(),
    });

    let send = Callback::new({
        let questions = questions.clone();
        let fields = fields.clone();
        move |()| {
            // A double tap sends once: the second finds the first under way.
            if pending.get_untracked() || phase.get_untracked() != Phase::Answering {
                return;
            }
            let current = raw.get_untracked();
            let code = code_value.get_untracked();
            if needs_code && code_check(&code).is_err() {
                attempt.set(Attempt::Invalid);
                request_animation_frame(move || focus_code(code_node));
                return;
            }
            match validate(&questions, &current) {
                Ok(answers) => {
                    attempt.set(Attempt::Sent);
                    sent_raw.set(current);
                    sent_code.set(code.clone());
                    let id = submission_id.get_value().unwrap_or_else(new_submission_id);
                    submission_id.set_value(Some(id.clone()));
                    let submission = Submission {
                        submission_id: id,
                        answers: answers.to_raw(),
                        code: needs_code.then(|| code.trim().to_owned()),
                        partner: source.partner_key(),
                        via: Some(source.via),
                    };
                    // Kept before it leaves, so that closing the page cannot lose it.
                    outbox.with_value(|o| o.put(&submission));
                    last_sent.set_value(Some(submission.clone()));
                    failures.set_value(0);
                    submit.dispatch(submission);
                }
                Err(errors) => {
                    attempt.set(Attempt::Invalid);
                    let first = errors
                        .first()
                        .and_then(|e| questions.iter().position(|q| q.id.as_str() == e.question))
                        .and_then(|i| fields.get(i).copied());
                    if let Some(field) = first {
                        // After the error messages are in the DOM, so they are read out.
                        request_animation_frame(move || focus_first_control(field.node));
                    }
                }
            }
        }
    });

    // Send was pressed in the first view before the widget was ready: send now (or show
    // what to fix), as if pressed again.
    if submit_at_once {
        send.run(());
    }

    let field_states: Arc<[FieldState]> = questions
        .iter()
        .zip(fields.iter())
        .map(|(q, f)| {
            let id = q.id.to_string();
            let field = *f;
            let error = Signal::derive(move || {
                let shown = field.touched.get() || attempt.get() != Attempt::None;
                let own = problems.with(|ps| {
                    ps.iter()
                        .find(|e| e.question == id)
                        .map(|e| lang.problem(&e.problem))
                });
                if let Some(message) = own.filter(|_| shown) {
                    return Some(message);
                }
                // The server's verdict holds while the answer is still the one it judged.
                let unchanged = raw.with(|r| sent_raw.with(|s| r.get(&id) == s.get(&id)));
                if !unchanged {
                    return None;
                }
                server_errors.with(|errs| {
                    errs.iter()
                        .find(|e| e.question() == Some(id.as_str()))
                        .and_then(|e| general_message(lang, e))
                })
            });
            FieldState {
                answer: field.answer,
                touched: field.touched,
                error,
                node: field.node,
            }
        })
        .collect();

    // Errors about the whole form, shown by the submit button: the message, the server's
    // errors on fields that are not questions, and whether resending may help.
    // The participation code's box and its message: the widget's own check once send was
    // pressed, else the server's verdict while the code is still the one it judged.
    let code_state = needs_code.then(|| CodeState {
        value: code_value,
        error: Signal::derive(move || {
            let value = code_value.get();
            if attempt.get() != Attempt::None
                && let Err(code) = code_check(&value)
            {
                return Some(lang.code_problem(code).to_owned());
            }
            if sent_code.with(|s| *s != value) {
                return None;
            }
            match outcome.get() {
                Some(Err(ApiError::Invalid(p) | ApiError::Conflict(p))) => {
                    p.errors.iter().find(|e| e.is_code()).map(|e| {
                        lang.code_problem(e.code.as_deref().unwrap_or_default())
                            .to_owned()
                    })
                }
                _ => None,
            }
        }),
        node: code_node,
    });
    let code_faulty = Signal::derive(move || {
        needs_code && attempt.get() != Attempt::None && code_value.with(|c| code_check(c).is_err())
    });

    let form_error = {
        let questions = questions.clone();
        Signal::derive(move || -> Option<FormError> {
            if pending.get() {
                return None;
            }
            let result = outcome.get();
            let message = form_error_text(
                lang,
                result.as_ref(),
                attempt.get(),
                problems,
                code_faulty.get(),
            );
            if message.is_empty() {
                return None;
            }
            let others = match &result {
                Some(Err(ApiError::Invalid(problem))) => problem
                    .errors
                    .iter()
                    .filter(|e| {
                        !e.is_code()
                            && !e
                                .question()
                                .is_some_and(|q| questions.iter().any(|x| x.id.as_str() == q))
                    })
                    .filter_map(|e| general_message(lang, e))
                    .collect(),
                _ => Vec::new(),
            };
            let can_retry = matches!(result, Some(Err(ApiError::Network | ApiError::Status(_))));
            Some(FormError {
                message,
                details: others,
                can_retry,
            })
        })
    };

    // What the live region says: derived from the same state as the view.
    let status = move || -> String {
        if phase.get() == Phase::Waiting {
            return t.waiting.to_owned();
        }
        if pending.get() {
            return t.sending.to_owned();
        }
        match outcome.get() {
            Some(Ok(_)) => t.sent.to_owned(),
            Some(Err(ApiError::Conflict(p))) if !p.errors.iter().any(FieldError::is_code) => {
                t.closed.to_owned()
            }
            result => form_error_text(
                lang,
                result.as_ref(),
                attempt.get(),
                problems,
                code_faulty.get(),
            ),
        }
    };

    // In the resident's own time zone, which only the browser knows.
    let open_until = poll
        .closes_at
        .map(|at| lang.open_until(&format_date_time(lang, at)));
    let form_view = view! {
        <FormView
            poll=poll.clone()
            open_until
            fields=field_states
            submission_id=submission_id
                .get_value()
                .map(|id| id.to_string())
                .unwrap_or_default()
            lang
            on_send=send
            code=code_state
            pending
            hidden=Signal::derive(move || phase.get() == Phase::Waiting)
            form_error
        />
    };
    // Built once: the form view is moved into the first (and only) Answering render.
    let form_view = StoredValue::new_local(Some(form_view));

    // The form stays (hidden) while its answer waits, so that a final refusal shows it again.
    let screen = Memo::new(move |_| match phase.get() {
        Phase::Waiting => Phase::Answering,
        other => other,
    });
    let on_again = on_again.filter(|_| poll.allow_multiple_answers);
    let body = move || match screen.get() {
        Phase::Answering | Phase::Waiting => form_view
            .try_update_value(Option::take)
            .flatten()
            .map(IntoAny::into_any)
            .unwrap_or_else(|| ().into_any()),
        Phase::Sent => view! {
            <ThanksAndResults poll=poll.clone() api=api.clone() lang remembered on_again />
        }
        .into_any(),
        Phase::Closed => {
            view! { <Closed poll=poll.clone() api=api.clone() lang take_focus=true /> }.into_any()
        }
    };

    let waiting = move || {
        (phase.get() == Phase::Waiting).then(|| {
            view! {
                <Waiting lang on_send_now=Callback::new(move |()| resend()) take_focus=!woke_waiting />
            }
        })
    };

    view! {
        {body}
        {waiting}
        <StatusRegion text=Signal::derive(status) />
    }
}

/// The live region's text when nothing is being sent and nothing was stored.
fn form_error_text(
    lang: Lang,
    outcome: Option<&Result<Receipt, ApiError>>,
    attempt: Attempt,
    problems: Memo<Vec<AnswerError>>,
    code_faulty: bool,
) -> String {
    let t = lang.t();
    if code_faulty {
        return t.fix_answers.into();
    }
    match outcome {
        Some(Err(ApiError::Network)) => t.send_failed.into(),
        Some(Err(ApiError::Status(_))) => t.server_error.into(),
        Some(Err(ApiError::Forbidden(_))) => t.origin_refused.into(),
        Some(Err(ApiError::TooLarge)) => t.too_large.into(),
        Some(Err(ApiError::Invalid(_))) => t.fix_answers.into(),
        Some(Err(ApiError::Conflict(p))) if p.errors.iter().any(FieldError::is_code) => {
            t.fix_answers.into()
        }
        _ if attempt == Attempt::Invalid && !problems.with(Vec::is_empty) => t.fix_answers.into(),
        _ => String::new(),
    }
}

/// The widget's own check of a participation code: the server's field problem code of what
/// is wrong with it (`required`, `format`, `typo`), or nothing.
fn code_check(code: &str) -> Result<(), &'static str> {
    if code.trim().is_empty() {
        return Err("required");
    }
    ParticipationCode::parse(code)
        .map(|_| ())
        .map_err(CodeError::code)
}

/// Focuses the participation code's box.
fn focus_code(node: NodeRef<leptos::html::Input>) {
    if let Some(input) = node.get_untracked() {
        let _ = input.focus();
    }
}

/// Focuses the first control (radio, checkbox or text box) of a question.
fn focus_first_control(node: NodeRef<Fieldset>) {
    let Some(fieldset) = node.get_untracked() else {
        return;
    };
    let control = fieldset
        .query_selector("input:checked, input, textarea")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(control) = control {
        let _ = control.focus();
    }
}

/// Shown while an answer waits on the device; it is sent automatically, or at once with
/// the button.
#[component]
fn Waiting(
    /// The resident's language.
    lang: Lang,
    /// Tries to send at once.
    on_send_now: Callback<()>,
    /// Move the focus here: when it replaces the form the resident was in (not on a page
    /// load that found an answer waiting).
    take_focus: bool,
) -> impl IntoView {
    let t = lang.t();
    let node = focus_when_shown(take_focus);
    view! {
        <div class="cc-waiting" data-testid="waiting" tabindex="-1" node_ref=node>
            <p class="cc-waiting__text">{t.waiting}</p>
            <button
                type="button"
                class="cc-button cc-button--secondary"
                data-testid="send-now"
                on:click=move |_| on_send_now.run(())
            >
                {t.send_now}
            </button>
        </div>
    }
}

/// The thanks after a stored answer, with the results when residents may see them now.
#[component]
fn ThanksAndResults(
    /// The consultation answered.
    poll: Arc<PublicPoll>,
    /// The collection server, to fetch the results.
    api: Api,
    /// The resident's language.
    lang: Lang,
    /// Whether this is a later visit to a consultation answered on this device.
    remembered: bool,
    /// Starts a new answer, when the consultation allows several.
    on_again: Option<Callback<()>>,
) -> impl IntoView {
    let results = match poll.results_visibility {
        ResultsVisibility::AfterAnswering => {
            view! { <ResultsPanel poll=poll.clone() api lang /> }.into_any()
        }
        ResultsVisibility::AfterClosing => {
            view! { <p class="cc-state__text">{lang.t().results_after_closing}</p> }.into_any()
        }
        ResultsVisibility::OrganisersOnly => ().into_any(),
    };
    view! {
        <Thanks lang remembered take_focus=!remembered on_again />
        {results}
    }
}
