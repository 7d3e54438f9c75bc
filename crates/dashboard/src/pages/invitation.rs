//! Accepting an invitation: the token is in the link's fragment (it never reaches a server
//! log); the person chooses their email, name and password, and is logged in.

use crate::api::{self, ApiError};
use crate::ctx::Ctx;
use crate::pages::{ErrorNote, error_text};
use crate::route::Page;
use leptos::prelude::*;

/// The account creation form.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let ctx = Ctx::get();
    let token = window()
        .location()
        .hash()
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_owned();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = Action::new_local(move |(e, n, p): &(String, String, String)| {
        api::accept(token.clone(), e.clone(), n.clone(), p.clone())
    });
    let pending = submit.pending();
    Effect::new(move |_| {
        if let Some(Ok(me)) = submit.value().get() {
            ctx.me.set(Some(Some(me)));
            ctx.go(Page::List);
        }
    });
    let error = move || {
        let t = ctx.t();
        match submit.value().get() {
            Some(Err(ApiError::Status(404, _))) => Some(t.invitation_invalid.to_owned()),
            Some(Err(ApiError::Status(409, _))) => Some(t.email_taken.to_owned()),
            Some(Err(ApiError::Status(422, p))) => Some(
                p.errors
                    .iter()
                    .map(|e| match e.field.as_str() {
                        "password" => format!("{} : {}", t.password, t.password_hint),
                        "email" => t.email.to_owned(),
                        "name" => t.name.to_owned(),
                        other => other.to_owned(),
                    })
                    .collect::<Vec<_>>()
                    .join(" · "),
            ),
            Some(Err(e)) => Some(error_text(ctx, &e)),
            _ => None,
        }
    };
    let input = |sig: RwSignal<String>| move |ev| sig.set(event_target_value(&ev));
    view! {
        <section class="cc-admin-card cc-admin-narrow">
            <h1>{move || ctx.t().invitation_title}</h1>
            <p>{move || ctx.t().invitation_intro}</p>
            <form
                class="cc-admin-form"
                data-testid="invitation-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit.dispatch((email.get_untracked(), name.get_untracked(), password.get_untracked()));
                }
            >
                <label class="cc-admin-field">
                    <span>{move || ctx.t().email}</span>
                    <input type="email" autocomplete="username" required data-testid="invitation-email"
                        prop:value=email on:input=input(email) />
                </label>
                <label class="cc-admin-field">
                    <span>{move || ctx.t().name}</span>
                    <input type="text" autocomplete="name" required data-testid="invitation-name"
                        prop:value=name on:input=input(name) />
                </label>
                <label class="cc-admin-field">
                    <span>{move || ctx.t().password}</span>
                    <input type="password" autocomplete="new-password" required minlength="12"
                        aria-describedby="cc-admin-password-hint" data-testid="invitation-password"
                        prop:value=password on:input=input(password) />
                    <small id="cc-admin-password-hint">{move || ctx.t().password_hint}</small>
                </label>
                {move || error().map(|message| view! { <ErrorNote message /> })}
                <button type="submit" class="cc-admin-button" data-testid="invitation-submit" disabled=pending>
                    {move || ctx.t().invitation_button}
                </button>
            </form>
        </section>
    }
}
