//! The widget's outer box: a named region, so that the widget is a landmark even on pages
//! that put it outside theirs.

use crate::lang::Lang;
use leptos::prelude::*;

/// The region around whatever state the widget is in.
#[component]
pub fn WidgetFrame(
    /// The resident's language.
    lang: Lang,
    /// The region's accessible name: the consultation's title once known.
    #[prop(into)]
    name: Signal<String>,
    /// The state shown.
    children: Children,
) -> impl IntoView {
    view! {
        <section
            class="cc-widget"
            data-testid="concerto-widget"
            lang=lang.code()
            aria-label=move || name.get()
        >
            {children()}
        </section>
    }
}
