//! The consultations other organisations invited this one to co-host: the pending
//! invitations, each accepted or declined (after a confirmation), and the partnerships under
//! way, each a link to its page.

use crate::api::{self, Partnership};
use crate::ctx::Ctx;
use crate::i18n;
use crate::pages::responses::local_time;
use crate::pages::{ErrorNote, error_text};
use crate::route::Page;
use concerto_core::PartnerState;
use leptos::prelude::*;

/// What the page last said in its live region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Said {
    Nothing,
    Accepted,
    Declined,
}

/// The partnerships page.
#[component]
pub fn PartnershipsPage() -> impl IntoView {
    let ctx = Ctx::get();
    let t = move || ctx.t();
    let list = LocalResource::new(api::partnerships);
    let said = RwSignal::new(Said::Nothing);
    let changed = Callback::new(move |s: Said| {
        said.set(s);
        list.refetch();
        ctx.refresh_invitations();
    });
    let body = move || match list.get() {
        None => view! { <p class="cc-admin-status">{t().loading}</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any(),
        Some(Ok(p)) => {
            // Drawn anew in the other language when the organiser switches.
            ctx.lang.track();
            view! { <PartnershipLists items=p.items on_change=changed /> }.into_any()
        }
    };
    view! {
        <section class="cc-admin-card">
            <h1>{move || t().partnerships_title}</h1>
            <p class="cc-admin-note">{move || t().partnerships_intro}</p>
        </section>
        <p class="cc-admin-note" role="status" data-testid="partnerships-status">
            {move || match said.get() {
                Said::Nothing => "",
                Said::Accepted => t().partnerships_accepted,
                Said::Declined => t().partnerships_declined,
            }}
        </p>
        {body}
    }
}

/// The invitations, then the partnerships under way.
#[component]
fn PartnershipLists(
    /// The partnerships, newest invitation first.
    items: Vec<Partnership>,
    /// Reloads them after an acceptance or a refusal, saying which.
    on_change: Callback<Said>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let t = ctx.t();
    let lang = ctx.lang.get_untracked();
    let (invited, active): (Vec<_>, Vec<_>) = items
        .into_iter()
        .filter(|p| p.state != PartnerState::Ended)
        .partition(|p| p.state == PartnerState::Invited);
    let invitations = if invited.is_empty() {
        view! { <p class="cc-admin-note" data-testid="partnership-invitations-none">{t.partnerships_no_invitation}</p> }
            .into_any()
    } else {
        let items = invited
            .into_iter()
            .map(|p| view! { <InvitationItem partnership=p on_change /> })
            .collect_view();
        view! { <ul class="cc-admin-partners__list" data-testid="partnership-invitations">{items}</ul> }
            .into_any()
    };
    let under_way = if active.is_empty() {
        view! { <p class="cc-admin-note" data-testid="partnerships-none">{t.partnerships_none_active}</p> }
            .into_any()
    } else {
        let rows = active
            .into_iter()
            .map(|p| {
                let page = Page::Partnership(p.poll.clone());
                view! {
                    <tr data-testid="partnership-row">
                        <td><a href=page.path()>{p.title.get(lang).to_owned()}</a></td>
                        <td>{p.owner_name}</td>
                        <td>{i18n::state(lang, p.poll_state)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="cc-admin-scroll">
                <table class="cc-admin-table" data-testid="partnerships">
                    <thead><tr>
                        <th scope="col">{t.col_title}</th>
                        <th scope="col">{t.partnerships_col_owner}</th>
                        <th scope="col">{t.col_state}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="cc-admin-card" aria-labelledby="cc-admin-partnership-invitations-title">
            <h2 id="cc-admin-partnership-invitations-title">{t.partnerships_invitations}</h2>
            {invitations}
        </section>
        <section class="cc-admin-card" aria-labelledby="cc-admin-partnerships-title">
            <h2 id="cc-admin-partnerships-title">{t.partnerships_active}</h2>
            {under_way}
        </section>
    }
}

/// One invitation: the consultation and who runs it, Accept, and Decline after a
/// confirmation.
#[component]
fn InvitationItem(
    /// The partnership offered.
    partnership: Partnership,
    /// Reloads the list once answered.
    on_change: Callback<Said>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let t = ctx.t();
    let lang = ctx.lang.get_untracked();
    let poll = partnership.poll.clone();
    let accept = Action::new_local({
        let poll = poll.clone();
        move |(): &()| {
            let poll = poll.clone();
            async move { api::accept_partnership(&poll).await.map(|_| ()) }
        }
    });
    let decline = Action::new_local({
        let poll = poll.clone();
        move |(): &()| {
            let poll = poll.clone();
            async move { api::leave_partnership(&poll).await }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = accept.value().get() {
            on_change.run(Said::Accepted);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = decline.value().get() {
            on_change.run(Said::Declined);
        }
    });
    let asking = RwSignal::new(false);
    let busy = move || accept.pending().get() || decline.pending().get();
    let error = move || {
        [accept.value().get(), decline.value().get()]
            .into_iter()
            .flatten()
            .find_map(Result::err)
            .map(|e| view! { <ErrorNote message=error_text(ctx, &e) /> })
    };
    let buttons = move || {
        if asking.get() {
            view! {
                <div class="cc-admin-confirm" role="group" data-testid="partnership-decline-confirm">
                    <p>{t.partnerships_decline_confirm}</p>
                    <button type="button" class="cc-admin-button cc-admin-button--danger" data-testid="partnership-decline-yes"
                        disabled=busy on:click=move |_| { decline.dispatch(()); }>
                        {t.partnerships_decline_yes}
                    </button>
                    <button type="button" class="cc-admin-button cc-admin-button--secondary"
                        on:click=move |_| asking.set(false)>{t.answers_cancel}</button>
                </div>
            }
            .into_any()
        } else {
            view! {
                <div class="cc-admin-row">
                    <button type="button" class="cc-admin-button" data-testid="partnership-accept"
                        disabled=busy on:click=move |_| { accept.dispatch(()); }>
                        {t.partnerships_accept}
                    </button>
                    <button type="button" class="cc-admin-button cc-admin-button--secondary" data-testid="partnership-decline"
                        disabled=busy on:click=move |_| asking.set(true)>
                        {t.partnerships_decline}
                    </button>
                </div>
            }
            .into_any()
        }
    };
    let page = Page::Partnership(poll);
    view! {
        <li class="cc-admin-partner" data-testid="partnership-invitation">
            <p class="cc-admin-partner__title">
                <a href=page.path()>{partnership.title.get(lang).to_owned()}</a>
            </p>
            <p>{i18n::invited_by(lang, &partnership.owner_name)}</p>
            <p class="cc-admin-note">
                {t.partnerships_col_invited} " " {local_time(&partnership.invited_at, lang)}
            </p>
            {buttons}
            {error}
        </li>
    }
}
