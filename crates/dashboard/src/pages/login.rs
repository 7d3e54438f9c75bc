//! Logging in with an email and a password.

use crate::api::{self, ApiError};
use crate::ctx::Ctx;
use crate::pages::{ErrorNote, error_text};
use leptos::prelude::*;

/// The login form.
#[component]
pub fn Login() -> impl IntoView {
    let ctx = Ctx::get();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit =
        Action::new_local(move |(e, p): &(String, String)| api::login(e.clone(), p.clone()));
    let pending = submit.pending();
    Effect::new(move |_| {
        // The page asked for comes back in the form's place (`/login` itself moves on to
        // the list).
        if let Some(Ok(me)) = submit.value().get() {
            ctx.me.set(Some(Some(me)));
        }
    });
    let error = move || match submit.value().get() {
        Some(Err(ApiError::Unauthorized)) => Some(ctx.t().wrong_credentials.to_owned()),
        Some(Err(e)) => Some(error_text(ctx, &e)),
        _ => None,
    };
    view! {
        <section class="cc-admin-card cc-admin-narrow">
            <h1>{move || ctx.t().login_title}</h1>
            <form
                class="cc-admin-form"
                data-testid="login-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit.dispatch((email.get_untracked(), password.get_untracked()));
                }
            >
                <label class="cc-admin-field">
                    <span>{move || ctx.t().email}</span>
                    <input type="email" name="email" autocomplete="username" required
                        data-testid="login-email"
                        prop:value=email on:input=move |ev| email.set(event_target_value(&ev)) />
                </label>
                <label class="cc-admin-field">
                    <span>{move || ctx.t().password}</span>
                    <input type="password" name="password" autocomplete="current-password" required
                        data-testid="login-password"
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
                </label>
                {move || error().map(|message| view! { <ErrorNote message /> })}
                <button type="submit" class="cc-admin-button" data-testid="login-submit" disabled=pending>
                    {move || if pending.get() { ctx.t().logging_in } else { ctx.t().login_button }}
                </button>
            </form>
        </section>
    }
}
