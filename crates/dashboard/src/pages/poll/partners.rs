//! The consultation's partners, as its owner sees them: inviting another organisation of the
//! server to co-host it, then each partner's state, the answers that came through it and
//! their share of the total (beside the owner's own), its sites, its snippet, its link and QR
//! code, and ending the partnership after a confirmation.

use crate::api::{self, ApiError, OrgEntry, Partner, Partners};
use crate::copy_box::CopyBox;
use crate::ctx::Ctx;
use crate::i18n;
use crate::pages::responses::local_time;
use crate::pages::{ErrorNote, error_text};
use concerto_core::{OrgId, PartnerState, PollId};
use leptos::prelude::*;

/// What the section last said in its live region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Said {
    Nothing,
    Invited,
    Ended,
}

/// The message for a refused invitation: the server's reasons in the organiser's words.
fn invite_error(ctx: Ctx, e: &ApiError) -> String {
    let t = ctx.t();
    match e {
        // Already invited or active.
        ApiError::Status(409, _) => t.partners_already.to_owned(),
        // Not an organisation of this server, or the owner itself.
        ApiError::Status(422, p) if p.errors.iter().any(|f| f.field == "org") => {
            t.partners_unknown.to_owned()
        }
        e => error_text(ctx, e),
    }
}

/// The partners' section of a consultation's page.
#[component]
pub(super) fn PartnersPanel(
    /// The consultation.
    id: PollId,
    /// Its partners, read by the page (which also offers the split by partner when there are
    /// some) and read again here after an invitation or an end.
    partners: LocalResource<Result<Partners, ApiError>>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let t = move || ctx.t();
    let directory = LocalResource::new(api::directory);
    let chosen = RwSignal::new(String::new());
    let none_chosen = RwSignal::new(false);
    let said = RwSignal::new(Said::Nothing);
    let invite = Action::new_local({
        let id = id.clone();
        move |org: &OrgId| {
            let (id, org) = (id.clone(), org.clone());
            async move { api::invite_partner(&id, org).await }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = invite.value().get() {
            said.set(Said::Invited);
            chosen.set(String::new());
            partners.refetch();
        }
    });
    let pending = invite.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match OrgId::parse(chosen.get_untracked().trim()) {
            Ok(org) => {
                none_chosen.set(false);
                said.set(Said::Nothing);
                invite.dispatch(org);
            }
            Err(_) => none_chosen.set(true),
        }
    };
    let error = move || {
        if none_chosen.get() {
            return Some(t().partners_choose_first.to_owned());
        }
        match invite.value().get() {
            Some(Err(e)) if !pending.get() => Some(invite_error(ctx, &e)),
            _ => None,
        }
    };
    let form = move || {
        match directory.get() {
        None => view! { <p class="cc-admin-status">{t().loading}</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any(),
        Some(Ok(d)) if d.orgs.is_empty() => view! {
            <p class="cc-admin-note" data-testid="partners-directory-empty">{t().partners_directory_empty}</p>
        }
        .into_any(),
        Some(Ok(d)) => {
            let options = d
                .orgs
                .into_iter()
                .map(|OrgEntry { id, name }| {
                    let value = id.to_string();
                    let current = value.clone();
                    view! { <option value=value selected=move || chosen.get() == current>{name}</option> }
                })
                .collect_view();
            view! {
                <form class="cc-admin-row" novalidate on:submit=submit>
                    <label class="cc-admin-field cc-admin-field--grow">
                        <span>{move || t().partners_invite_label}</span>
                        <select data-testid="partner-org"
                            aria-invalid=move || error().is_some().to_string()
                            aria-describedby="cc-admin-partners-error"
                            on:change=move |ev| chosen.set(event_target_value(&ev))>
                            <option value="" selected=move || chosen.get().is_empty()>{move || t().partners_invite_choose}</option>
                            {options}
                        </select>
                    </label>
                    <button type="submit" class="cc-admin-button" data-testid="partner-invite" disabled=move || pending.get()>
                        {move || if pending.get() { t().partners_inviting } else { t().partners_invite }}
                    </button>
                </form>
            }
            .into_any()
        }
    }
    };
    let ended = Callback::new(move |()| {
        said.set(Said::Ended);
        partners.refetch();
    });
    let body = move || match partners.get() {
        None => view! { <p class="cc-admin-status">{t().loading}</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any(),
        Some(Ok(p)) => {
            // Drawn anew in the other language when the organiser switches.
            ctx.lang.track();
            view! { <PartnerList id=id.clone() partners=p on_end=ended /> }.into_any()
        }
    };
    view! {
        <section class="cc-admin-card cc-admin-partners" aria-labelledby="cc-admin-partners-title" data-testid="partners">
            <h2 id="cc-admin-partners-title">{move || t().partners_title}</h2>
            <p class="cc-admin-note">{move || t().partners_intro}</p>
            {form}
            <div id="cc-admin-partners-error">
                {move || error().map(|message| view! { <ErrorNote message /> })}
            </div>
            <p class="cc-admin-note" role="status" data-testid="partners-status">
                {move || match said.get() {
                    Said::Nothing => "",
                    Said::Invited => t().partners_invite_sent,
                    Said::Ended => t().partners_ended,
                }}
            </p>
            {body}
        </section>
    }
}

/// The breakdown of the answers (the owner's own, then each partner's) and each partner's
/// details.
#[component]
fn PartnerList(
    /// The consultation.
    id: PollId,
    /// Its partners, as loaded.
    partners: Partners,
    /// Reloads them once a partnership ended.
    on_end: Callback<()>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let t = ctx.t();
    let lang = ctx.lang.get_untracked();
    let Partners {
        partners,
        own,
        total,
    } = partners;
    if partners.is_empty() {
        return view! { <p class="cc-admin-note" data-testid="partners-none">{t.partners_none}</p> }
            .into_any();
    }
    let rows = partners
        .iter()
        .map(|p| {
            view! {
                <tr data-testid="partner-row">
                    <th scope="row">{p.name.clone()}</th>
                    <td>{i18n::partner_state(lang, p.state)}</td>
                    <td class="cc-admin-num" data-testid="partner-row-answers">{i18n::answers_share(lang, p.answers, total)}</td>
                </tr>
            }
        })
        .collect_view();
    let cards = partners
        .into_iter()
        .map(|p| view! { <PartnerCard id=id.clone() partner=p total on_end /> })
        .collect_view();
    view! {
        <h3>{t.partners_breakdown}</h3>
        <div class="cc-admin-scroll">
            <table class="cc-admin-table" data-testid="partners-breakdown">
                <thead><tr>
                    <th scope="col">{t.partners_col_org}</th>
                    <th scope="col">{t.partners_col_state}</th>
                    <th scope="col" class="cc-admin-num">{t.partners_col_answers}</th>
                </tr></thead>
                <tbody>
                    <tr data-testid="partner-own-row">
                        <th scope="row">{t.partners_own}</th>
                        <td></td>
                        <td class="cc-admin-num" data-testid="partner-own-answers">{i18n::answers_share(lang, own, total)}</td>
                    </tr>
                    {rows}
                </tbody>
                <tfoot><tr>
                    <th scope="row">{t.partners_total}</th>
                    <td></td>
                    <td class="cc-admin-num" data-testid="partners-total">{i18n::answers(lang, total)}</td>
                </tr></tfoot>
            </table>
        </div>
        <ul class="cc-admin-partners__list">{cards}</ul>
    }
    .into_any()
}

/// One partner: its state and count, its sites, its snippet, link and QR code while it is
/// not ended, and the end of the partnership after a confirmation.
#[component]
fn PartnerCard(
    /// The consultation.
    id: PollId,
    /// The partner.
    partner: Partner,
    /// All the consultation's answers, for the partner's share.
    total: u64,
    /// Reloads the partners once it ended.
    on_end: Callback<()>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let t = ctx.t();
    let lang = ctx.lang.get_untracked();
    let asking = RwSignal::new(false);
    let end = Action::new_local({
        let (id, org) = (id.clone(), partner.org.clone());
        move |(): &()| {
            let (id, org) = (id.clone(), org.clone());
            async move { api::end_partner(&id, &org).await }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = end.value().get() {
            on_end.run(());
        }
    });
    let live = partner.state != PartnerState::Ended;
    let org = partner.org.to_string();
    let sites = if partner.origins.is_empty() {
        view! { <p class="cc-admin-note" data-testid="partner-sites-none">{t.partners_no_sites}</p> }
            .into_any()
    } else {
        let items = partner
            .origins
            .iter()
            .map(|o| view! { <li>{o.as_str().to_owned()}</li> })
            .collect_view();
        view! { <ul data-testid="partner-sites">{items}</ul> }.into_any()
    };
    let sharing = live.then(|| {
        let svg = api::partner_qr_url(&id, &partner.key, "svg");
        let png = api::partner_qr_url(&id, &partner.key, "png");
        let link = partner.qr_link.clone();
        let alt = i18n::partner_qr(lang, &partner.name);
        view! {
            <CopyBox label=Signal::derive(move || ctx.t().partners_snippet)
                hint=Signal::derive(move || ctx.t().partners_snippet_hint)
                text=partner.embed_snippet.clone() name="partner-snippet" scope=org.clone() />
            <p>
                {t.partners_link} " : "
                <a href=link.clone() data-testid="partner-link" target="_blank" rel="noopener">{link.clone()}</a>
            </p>
            <figure class="cc-admin-qr">
                <img src=svg.clone() width="160" height="160" alt=alt data-testid="partner-qr" />
                <figcaption>
                    <span>{t.qr_title}</span>
                    <a class="cc-admin-button cc-admin-button--secondary" href=svg download="" data-testid="partner-qr-svg">
                        {t.download_svg}
                    </a>
                    <a class="cc-admin-button cc-admin-button--secondary" href=png download="" data-testid="partner-qr-png">
                        {t.download_png}
                    </a>
                </figcaption>
            </figure>
        }
    });
    let end_label = if partner.state == PartnerState::Invited {
        t.partners_withdraw
    } else {
        t.partners_end
    };
    let action = move || {
        if !live {
            return ().into_any();
        }
        if let Some(Err(e)) = end.value().get() {
            return view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any();
        }
        if asking.get() {
            view! {
                <div class="cc-admin-confirm" role="group" data-testid="partner-end-confirm">
                    <p>{t.partners_end_confirm}</p>
                    <button type="button" class="cc-admin-button cc-admin-button--danger" data-testid="partner-end-yes"
                        disabled=move || end.pending().get()
                        on:click=move |_| { end.dispatch(()); }>{t.partners_end_yes}</button>
                    <button type="button" class="cc-admin-button cc-admin-button--secondary"
                        on:click=move |_| asking.set(false)>{t.answers_cancel}</button>
                </div>
            }
            .into_any()
        } else {
            view! {
                <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="partner-end"
                    on:click=move |_| asking.set(true)>{end_label}</button>
            }
            .into_any()
        }
    };
    let heading_id = format!("cc-admin-partner-{org}");
    let labelled_by = heading_id.clone();
    view! {
        <li class="cc-admin-partner" data-testid="partner" data-org=org>
            <article aria-labelledby=labelled_by>
                <h3 id=heading_id>
                    {partner.name.clone()} " "
                    <span class="cc-admin-badge" data-testid="partner-state">{i18n::partner_state(lang, partner.state)}</span>
                </h3>
                <p data-testid="partner-answers">{i18n::answers_share(lang, partner.answers, total)}</p>
                <p class="cc-admin-note">
                    {t.partnerships_col_invited} " " {local_time(&partner.invited_at, lang)}
                </p>
                <h4>{t.partners_sites}</h4>
                {sites}
                {sharing}
                {action}
            </article>
        </li>
    }
}
