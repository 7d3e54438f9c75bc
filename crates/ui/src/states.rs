//! The notices of a consultation that does not take answers: not open yet, or closed. The
//! server renders them for the first view (without dates, which depend on the resident's time
//! zone, and without results); the widget shows them with both.

use crate::focus::focus_when_shown;
use crate::lang::Lang;
use concerto_core::Text;
use leptos::prelude::*;

/// Shown before the consultation's opening time.
#[component]
pub fn NotYetOpenNotice(
    /// The consultation's title.
    title: Text,
    /// When it opens, in words, or that it is not open yet.
    when: String,
    /// The resident's language.
    lang: Lang,
) -> impl IntoView {
    view! {
        <div class="cc-state cc-state--not-yet-open" data-testid="state-not-yet-open">
            <h2 class="cc-state__title" lang=lang.of_text(&title)>
                {title.get(lang).to_owned()}
            </h2>
            <p class="cc-state__text" data-testid="opens-at">{when}</p>
        </div>
    }
}

/// Shown once the consultation is closed; `children` says what of its results may be seen.
#[component]
pub fn ClosedNotice(
    /// The consultation's title.
    title: Text,
    /// That it is closed (and since when, where known).
    text: String,
    /// The resident's language.
    lang: Lang,
    /// Move the focus here once shown: when it replaces the form the resident was in.
    #[prop(optional)]
    take_focus: bool,
    /// The results, or why there are none to see.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let node = focus_when_shown(take_focus);
    view! {
        <div class="cc-state cc-state--closed" data-testid="state-closed" tabindex="-1" node_ref=node>
            <h2 class="cc-state__title" lang=lang.of_text(&title)>
                {title.get(lang).to_owned()}
            </h2>
            <p class="cc-state__text">{text}</p>
            {children.map(|c| c())}
        </div>
    }
}
