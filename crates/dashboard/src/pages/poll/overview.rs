//! The consultation's heading: its title, state and count, opening and closing, duplicating
//! and deleting it.

use crate::api::{self, OrgPoll};
use crate::ctx::Ctx;
use crate::i18n;
use crate::pages::{ErrorNote, error_text};
use crate::route::Page;
use concerto_core::{PollId, PollState};
use leptos::prelude::*;
use std::sync::Arc;

/// Title, state, number of answers, and the state buttons.
#[component]
pub(super) fn Overview(
    /// The consultation.
    poll: Arc<OrgPoll>,
    /// Changes its state.
    transition: Action<PollState, Result<OrgPoll, api::ApiError>>,
    /// The answer count as the server last announced it.
    live: RwSignal<Option<u64>>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let lang = ctx.lang;
    let state = poll.state;
    let edit = Page::Edit(poll.id.clone());
    let title = {
        let poll = poll.clone();
        move || poll.spec.title.get(lang.get()).to_owned()
    };
    let stored = poll.responses;
    let responses = move || live.get().unwrap_or(stored);
    // The times set in the editor, which residents see too ("Ouverte jusqu’au …").
    let (opens_at, closes_at) = (poll.spec.opens_at, poll.spec.closes_at);
    let dates = (opens_at.is_some() || closes_at.is_some()).then(|| {
        view! {
            " · "
            <span data-testid="poll-dates">{move || i18n::schedule(lang.get(), opens_at, closes_at)}</span>
        }
    });
    let pending = transition.pending();
    // Closing stops the answers: it waits for a confirmation.
    let confirm_close = RwSignal::new(false);
    let button = move || {
        let t = ctx.t();
        let (label, to, testid) = match state {
            PollState::Draft => (t.open, PollState::Open, "open"),
            PollState::Open => (t.close, PollState::Closed, "close"),
            PollState::Closed => (t.reopen, PollState::Open, "reopen"),
        };
        if confirm_close.get() {
            return view! {
                <div class="cc-admin-confirm" role="group" data-testid="close-confirm">
                    <p>{t.close_confirm}</p>
                    <button type="button" class="cc-admin-button" data-testid="close-yes" disabled=pending
                        on:click=move |_| { transition.dispatch(PollState::Closed); }>{t.close_yes}</button>
                    <button type="button" class="cc-admin-button cc-admin-button--secondary"
                        on:click=move |_| confirm_close.set(false)>{t.answers_cancel}</button>
                </div>
            }
            .into_any();
        }
        view! {
            <button type="button" class="cc-admin-button" data-testid=testid disabled=pending
                on:click=move |_| {
                    if to == PollState::Closed {
                        confirm_close.set(true);
                    } else {
                        transition.dispatch(to);
                    }
                }>
                {label}
            </button>
        }
        .into_any()
    };
    let error = move || {
        transition
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <ErrorNote message=error_text(ctx, &e) /> })
    };
    view! {
        <section class="cc-admin-card">
            <div class="cc-admin-titlebar">
                <h1 data-testid="poll-title">{title}</h1>
                <a class="cc-admin-button cc-admin-button--secondary" href=edit.path() data-testid="edit">
                    {move || ctx.t().edit}
                </a>
            </div>
            <p class="cc-admin-summary">
                <span class=format!("cc-admin-state cc-admin-state--{}", state.as_str()) data-testid="poll-state">
                    {move || i18n::state(lang.get(), state)}
                </span>
                " · "
                <span data-testid="poll-responses">{move || i18n::answers(lang.get(), responses())}</span>
                {dates}
                " · "
                <span class="cc-admin-note">{move || ctx.t().live}</span>
            </p>
            {button}
            {error}
            <Duplicate id=poll.id.clone() />
            <DeletePoll poll=poll.clone() />
        </section>
    }
}

/// Duplicating the consultation: a new draft with the same questions, opened in the editor.
#[component]
fn Duplicate(
    /// The consultation.
    id: PollId,
) -> impl IntoView {
    let ctx = Ctx::get();
    let copy = Action::new_local(move |(): &()| {
        let id = id.clone();
        async move { api::duplicate(&id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(poll)) = copy.value().get() {
            ctx.go(Page::Edit(poll.id));
        }
    });
    let error = move || {
        copy.value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <ErrorNote message=error_text(ctx, &e) /> })
    };
    view! {
        <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="duplicate"
            disabled=move || copy.pending().get()
            on:click=move |_| { copy.dispatch(()); }>{move || ctx.t().duplicate}</button>
        {error}
    }
}

/// Deleting the consultation: a draft after a confirmation, one that was opened (and its
/// answers) only once its title is typed.
#[component]
fn DeletePoll(
    /// The consultation.
    poll: Arc<OrgPoll>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let asking = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let draft = poll.state == PollState::Draft;
    let title = poll.spec.title.to_string();
    let delete = Action::new_local({
        let id = poll.id.clone();
        move |confirm: &String| {
            let (id, confirm) = (id.clone(), confirm.clone());
            async move { api::delete_poll(&id, &confirm).await }
        }
    });
    Effect::new(move |_| {
        if delete.value().get().is_some_and(|r| r.is_ok()) {
            ctx.go(Page::List);
        }
    });
    let error = move || {
        delete
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <ErrorNote message=error_text(ctx, &e) /> })
    };
    let matches = {
        let title = title.clone();
        move || draft || typed.get().trim() == title.trim()
    };
    let body = move || {
        let t = ctx.t();
        if !asking.get() {
            return view! {
                <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="delete-poll"
                    on:click=move |_| asking.set(true)>{t.delete_poll}</button>
            }
            .into_any();
        }
        let matches = matches.clone();
        let field = (!draft).then(|| {
            view! {
                <label class="cc-admin-field">
                    <span>{t.delete_poll_title}</span>
                    <input type="text" data-testid="delete-poll-title" autocomplete="off"
                        prop:value=typed on:input=move |ev| typed.set(event_target_value(&ev)) />
                </label>
            }
        });
        view! {
            <div class="cc-admin-confirm" role="group" data-testid="delete-poll-confirm">
                <p>{if draft { t.delete_draft_confirm } else { t.delete_poll_confirm }}</p>
                {field}
                <button type="button" class="cc-admin-button cc-admin-button--danger" data-testid="delete-poll-yes"
                    disabled=move || !matches() || delete.pending().get()
                    on:click=move |_| { delete.dispatch(typed.get_untracked()); }>{t.delete_poll_yes}</button>
                <button type="button" class="cc-admin-button cc-admin-button--secondary"
                    on:click=move |_| asking.set(false)>{t.answers_cancel}</button>
            </div>
        }
        .into_any()
    };
    view! {
        {body}
        {error}
    }
}
