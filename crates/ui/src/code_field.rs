//! The participation code's box, above the questions of a consultation that asks for one
//! answer per code. Pre-filled from the link of a letter's QR code; the widget checks its form
//! as it is typed, the server decides.

use crate::lang::Lang;
use leptos::html::Input;
use leptos::prelude::*;

/// The form field that carries the participation code. Question ids hold only
/// `[A-Za-z0-9_-]`, so a name with a dot can be no question's (a question may well be
/// called `code`).
pub const CODE_FIELD: &str = "participation.code";

/// What the form shows and edits of the participation code.
#[derive(Debug, Clone, Copy)]
pub struct CodeState {
    /// The code as typed.
    pub value: RwSignal<String>,
    /// The message shown under it, if any.
    pub error: Signal<Option<String>>,
    /// Its text box, to move focus to it.
    pub node: NodeRef<Input>,
}

impl CodeState {
    /// A box holding `value`, showing `error` (or nothing).
    pub fn new(value: String, error: Option<String>) -> Self {
        Self {
            value: RwSignal::new(value),
            error: Signal::stored(error),
            node: NodeRef::new(),
        }
    }
}

/// The participation code's label, hint, box and error.
#[component]
pub fn CodeField(
    /// Its value and error.
    state: CodeState,
    /// The resident's language.
    lang: Lang,
    /// Whether it takes the focus when the page loads (a plain form sent back with an error
    /// on the code).
    #[prop(default = false)]
    autofocus: bool,
) -> impl IntoView {
    let t = lang.t();
    let initial = state.value.get_untracked();
    let invalid = move || state.error.with(Option::is_some);
    let described_by = move || {
        if invalid() {
            "cc-code-hint cc-code-error"
        } else {
            "cc-code-hint"
        }
    };
    view! {
        <div class="cc-question cc-code" class:cc-question--invalid=invalid data-testid="code">
            <label class="cc-question__prompt" for="cc-code">{t.code_label}</label>
            <p class="cc-question__hint" id="cc-code-hint">{t.code_hint}</p>
            <input
                class="cc-input cc-code__input"
                type="text"
                id="cc-code"
                name=CODE_FIELD
                value=initial
                required
                autocomplete="off"
                autocapitalize="characters"
                spellcheck="false"
                maxlength="16"
                autofocus=autofocus
                prop:value=move || state.value.get()
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described_by
                node_ref=state.node
                on:input=move |ev| state.value.set(event_target_value(&ev))
            />
            {move || {
                state
                    .error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="cc-question__error" id="cc-code-error" data-testid="code-error">
                                {message}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
