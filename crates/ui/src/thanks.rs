//! The thanks after a stored answer.

use crate::focus::focus_when_shown;
use crate::lang::Lang;
use leptos::prelude::*;

/// The thanks; the caller puts the results (when residents may see them) after it.
#[component]
pub fn Thanks(
    /// The resident's language.
    lang: Lang,
    /// Whether this is a later visit to a consultation answered on this device (the thanks
    /// then says so, and leaves the focus where it is).
    remembered: bool,
    /// Takes the focus once shown: the form that held it is gone, and the thanks is read out.
    #[prop(optional)]
    take_focus: bool,
    /// Starts a new answer, when the consultation allows several.
    #[prop(default = None)]
    on_again: Option<Callback<()>>,
) -> impl IntoView {
    let t = lang.t();
    let node = focus_when_shown(take_focus);
    let again = on_again.map(|again| {
        view! {
            <button
                type="button"
                class="cc-button cc-button--secondary cc-thanks__again"
                data-testid="answer-again"
                on:click=move |_| again.run(())
            >
                {t.answer_again}
            </button>
        }
    });
    view! {
        <div class="cc-thanks" data-testid="thanks" tabindex="-1" node_ref=node>
            <h2 class="cc-thanks__title">{t.thanks_title}</h2>
            <p class="cc-thanks__text">
                {if remembered { t.already_answered } else { t.thanks_body }}
            </p>
            {again}
        </div>
    }
}
