//! A text to copy (a snippet, a link), read-only, with its copy button and what the copy did.

use crate::ctx::Ctx;
use leptos::prelude::*;

/// A snippet to paste, read-only, with its copy button and what the copy did.
#[component]
pub fn CopyBox(
    /// What it is, as the field's label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// How to use it, under the field.
    #[prop(into)]
    hint: Signal<&'static str>,
    /// The text.
    text: String,
    /// The test ids' stem: `{name}`, `copy-{name}`, `copy-{name}-status`.
    name: &'static str,
    /// The button's text, when not "copy the code".
    #[prop(optional, into)]
    button: Option<Signal<&'static str>>,
    /// What a copy that worked says, when not "code copied".
    #[prop(optional, into)]
    done: Option<Signal<&'static str>>,
    /// Makes the hint's element id unique when the page shows several boxes of one `name`
    /// (one per partner, say).
    #[prop(optional, into)]
    scope: Option<String>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let copied = RwSignal::new(None::<bool>);
    let copy = {
        let text = text.clone();
        move |_| {
            let text = text.clone();
            leptos::task::spawn_local(async move {
                let clipboard = window().navigator().clipboard();
                let ok = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
                    .await
                    .is_ok();
                copied.try_set(Some(ok));
            });
        }
    };
    let said = move || match copied.get() {
        Some(true) => done.map_or(ctx.t().copied, |d| d.get()),
        Some(false) => ctx.t().copy_failed,
        None => "",
    };
    let hint_id = match scope {
        Some(scope) => format!("cc-admin-{name}-{scope}-hint"),
        None => format!("cc-admin-{name}-hint"),
    };
    let rows = text.lines().count().max(2);
    view! {
        <div class="cc-admin-copy">
            <label class="cc-admin-field">
                <span>{label}</span>
                <textarea readonly rows=rows class="cc-admin-code" data-testid=name
                    aria-describedby=hint_id.clone() prop:value=text></textarea>
                <small id=hint_id>{hint}</small>
            </label>
            <button type="button" class="cc-admin-button cc-admin-button--secondary"
                data-testid=format!("copy-{name}") on:click=copy>
                {move || button.map_or(ctx.t().copy, |b| b.get())}
            </button>
            <span class="cc-admin-note" role="status" data-testid=format!("copy-{name}-status")>{said}</span>
        </div>
    }
}
