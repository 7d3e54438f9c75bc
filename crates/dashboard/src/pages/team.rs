//! The organisation's team: its organisers, the invitations not used yet (each can be
//! withdrawn), and a new invitation's link to copy.

use crate::api::{self, PendingInvitation, Team};
use crate::copy_box::CopyBox;
use crate::ctx::Ctx;
use crate::pages::responses::local_time;
use crate::pages::{ErrorNote, error_text};
use leptos::prelude::*;

/// The team page.
#[component]
pub fn TeamPage() -> impl IntoView {
    let ctx = Ctx::get();
    let team = LocalResource::new(api::team);
    let invite = Action::new_local(|_: &()| api::invite());
    // A new invitation appears among the pending ones.
    Effect::new(move |_| {
        if let Some(Ok(_)) = invite.value().get() {
            team.refetch();
        }
    });
    let invitation = move || {
        invite.value().get().map(|r| match r {
            Ok(inv) => view! {
                <CopyBox label=Signal::derive(move || ctx.t().invitation_link)
                    hint=Signal::derive(move || ctx.t().invitation_hint)
                    text=inv.url name="invitation-url"
                    button=Signal::derive(move || ctx.t().copy_link)
                    done=Signal::derive(move || ctx.t().link_copied) />
            }
            .into_any(),
            Err(e) => view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any(),
        })
    };
    // What the last revocation did, said outside the tables (which are drawn anew).
    let said = RwSignal::new(false);
    let revoked = Callback::new(move |()| {
        said.set(true);
        // The link just made may be the one withdrawn: it is not offered any more.
        invite.value().set(None);
        team.refetch();
    });
    let body = move || match team.get() {
        None => view! { <p class="cc-admin-status">{ctx.t().loading}</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any(),
        Some(Ok(t)) => {
            // Drawn anew in the other language when the organiser switches.
            ctx.lang.track();
            view! { <TeamTables team=t on_change=revoked /> }.into_any()
        }
    };
    view! {
        <section class="cc-admin-card">
            <h1>{move || ctx.t().team_title}</h1>
            <button type="button" class="cc-admin-button cc-admin-button--secondary" data-testid="invite"
                disabled=move || invite.pending().get()
                on:click=move |_| { invite.dispatch(()); }>
                {move || ctx.t().invite}
            </button>
            {invitation}
        </section>
        {body}
        <p class="cc-admin-note" role="status" data-testid="team-status">
            {move || if said.get() { ctx.t().revoked } else { "" }}
        </p>
    }
}

/// The organisers and the pending invitations.
#[component]
fn TeamTables(
    /// The team as loaded.
    team: Team,
    /// Reloads the team (after a revocation).
    on_change: Callback<()>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let t = ctx.t();
    let lang = ctx.lang.get_untracked();
    let organisers = team
        .organisers
        .into_iter()
        .map(|m| {
            view! {
                <tr data-testid="organiser-row">
                    <td>{m.name}</td>
                    <td>{m.email}</td>
                    <td>{local_time(&m.joined_at, lang)}</td>
                </tr>
            }
        })
        .collect_view();
    let pending = if team.invitations.is_empty() {
        view! { <p class="cc-admin-note" data-testid="pending-none">{t.pending_none}</p> }
            .into_any()
    } else {
        let rows = team
            .invitations
            .into_iter()
            .map(|i| view! { <PendingRow invitation=i on_change /> })
            .collect_view();
        view! {
            <table class="cc-admin-table" data-testid="pending">
                <thead><tr>
                    <th scope="col">{t.col_created}</th>
                    <th scope="col">{t.col_by}</th>
                    <th scope="col">{t.col_expires}</th>
                    <td></td>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="cc-admin-card" aria-labelledby="cc-admin-organisers-title">
            <h2 id="cc-admin-organisers-title">{t.organisers_title}</h2>
            <table class="cc-admin-table" data-testid="organisers">
                <thead><tr>
                    <th scope="col">{t.col_name}</th>
                    <th scope="col">{t.col_email}</th>
                    <th scope="col">{t.col_joined}</th>
                </tr></thead>
                <tbody>{organisers}</tbody>
            </table>
        </section>
        <section class="cc-admin-card" aria-labelledby="cc-admin-pending-title">
            <h2 id="cc-admin-pending-title">{t.pending_title}</h2>
            {pending}
        </section>
    }
}

/// One pending invitation, withdrawn after a confirmation.
#[component]
fn PendingRow(
    /// The invitation.
    invitation: PendingInvitation,
    /// Reloads the team once it is withdrawn.
    on_change: Callback<()>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let t = ctx.t();
    let lang = ctx.lang.get_untracked();
    let asking = RwSignal::new(false);
    let id = invitation.id.clone();
    let revoke = Action::new_local(move |(): &()| {
        let id = id.clone();
        async move { api::revoke_invitation(&id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = revoke.value().get() {
            on_change.run(());
        }
    });
    let by = invitation
        .created_by
        .clone()
        .unwrap_or_else(|| t.by_token.to_owned());
    let action = move || {
        if let Some(Err(e)) = revoke.value().get() {
            return view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any();
        }
        if asking.get() {
            view! {
                <div class="cc-admin-confirm" data-testid="revoke-confirm">
                    <p>{t.revoke_confirm}</p>
                    <button type="button" class="cc-admin-button cc-admin-button--danger" data-testid="revoke-yes"
                        disabled=move || revoke.pending().get()
                        on:click=move |_| { revoke.dispatch(()); }>{t.revoke}</button>
                    <button type="button" class="cc-admin-button cc-admin-button--secondary"
                        on:click=move |_| asking.set(false)>{t.answers_cancel}</button>
                </div>
            }
            .into_any()
        } else {
            view! {
                <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="revoke"
                    on:click=move |_| asking.set(true)>{t.revoke}</button>
            }
            .into_any()
        }
    };
    view! {
        <tr data-testid="pending-row">
            <td>{local_time(&invitation.created_at, lang)}</td>
            <td>{by}</td>
            <td>{local_time(&invitation.expires_at, lang)}</td>
            <td>{action}</td>
        </tr>
    }
}
