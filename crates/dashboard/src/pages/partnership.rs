//! One consultation this organisation co-hosts, as its partner follows it: its title and
//! owner, the answers that came through this partner and their share of the total, its
//! snippet, link and QR code, its sites, the overall results (counts only: a partner never
//! reads anyone's answers), and leaving after a confirmation. Invited only, it offers to
//! accept or decline.

use crate::api::{self, ApiError, Partnership, PartnershipView};
use crate::copy_box::CopyBox;
use crate::ctx::Ctx;
use crate::i18n;
use crate::pages::poll::results::ResultsView;
use crate::pages::{ErrorNote, error_text};
use crate::route::Page;
use concerto_core::{PartnerState, PollId, Question};
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The partnership's page.
#[component]
pub fn PartnershipPage(
    /// The consultation.
    id: PollId,
) -> impl IntoView {
    let ctx = Ctx::get();
    let t = move || ctx.t();
    let loaded = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move { api::partnership(&id).await }
        }
    });
    let accept = Action::new_local({
        let id = id.clone();
        move |(): &()| {
            let id = id.clone();
            async move { api::accept_partnership(&id).await.map(|_| ()) }
        }
    });
    // Declining an invitation and leaving a partnership are the same call.
    let leave = Action::new_local({
        let id = id.clone();
        move |(): &()| {
            let id = id.clone();
            async move { api::leave_partnership(&id).await }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = accept.value().get() {
            loaded.refetch();
            ctx.refresh_invitations();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = leave.value().get() {
            ctx.refresh_invitations();
            ctx.go(Page::Partnerships);
        }
    });
    let body = move || {
        match loaded.get() {
        None => view! { <p class="cc-admin-status">{t().loading}</p> }.into_any(),
        Some(Err(ApiError::Status(404, _))) => view! {
            <p class="cc-admin-error" role="alert" data-testid="partnership-gone">{move || t().partnership_gone}</p>
        }
        .into_any(),
        Some(Err(e)) => view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any(),
        Some(Ok(v)) => view! {
            <PartnershipBody view=v accept leave on_refresh=Callback::new(move |()| loaded.refetch()) />
        }
        .into_any(),
    }
    };
    view! {
        <a href=Page::Partnerships.path()>{move || t().partnerships_back}</a>
        {body}
    }
}

/// The partnership as loaded.
#[component]
fn PartnershipBody(
    /// What the server said of it.
    view: PartnershipView,
    /// Accepts the invitation.
    accept: Action<(), Result<(), ApiError>>,
    /// Declines it, or leaves the partnership.
    leave: Action<(), Result<(), ApiError>>,
    /// Reads it again (the counts, the results).
    on_refresh: Callback<()>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let t = move || ctx.t();
    let lang = ctx.lang;
    let PartnershipView {
        partnership,
        poll,
        results,
        own,
        total,
    } = view;
    let active = partnership.state == PartnerState::Active;
    let id = partnership.poll.clone();
    let title = {
        let title = partnership.title.clone();
        move || title.get(lang.get()).to_owned()
    };
    let owner = partnership.owner_name.clone();
    let (state, poll_state) = (partnership.state, partnership.poll_state);
    let asking = RwSignal::new(false);
    let busy = move || accept.pending().get() || leave.pending().get();
    let error = move || {
        [accept.value().get(), leave.value().get()]
            .into_iter()
            .flatten()
            .find_map(Result::err)
            .map(|e| view! { <ErrorNote message=error_text(ctx, &e) /> })
    };
    // Leaving (or declining) waits for a confirmation.
    let leave_controls = move |confirm: fn(&i18n::Texts) -> &'static str,
                               yes: fn(&i18n::Texts) -> &'static str| {
        view! {
            <div class="cc-admin-confirm" role="group" data-testid="partnership-leave-confirm">
                <p>{move || confirm(t())}</p>
                <button type="button" class="cc-admin-button cc-admin-button--danger" data-testid="partnership-leave-yes"
                    disabled=busy on:click=move |_| { leave.dispatch(()); }>
                    {move || yes(t())}
                </button>
                <button type="button" class="cc-admin-button cc-admin-button--secondary"
                    on:click=move |_| asking.set(false)>{move || t().answers_cancel}</button>
            </div>
        }
    };
    let invitation = (!active).then(|| {
        let owner = owner.clone();
        view! {
            <p data-testid="partnership-invited">{move || i18n::invited_by(lang.get(), &owner)}</p>
            {move || if asking.get() {
                leave_controls(|t| t.partnerships_decline_confirm, |t| t.partnerships_decline_yes).into_any()
            } else {
                view! {
                    <div class="cc-admin-row">
                        <button type="button" class="cc-admin-button" data-testid="partnership-accept"
                            disabled=busy on:click=move |_| { accept.dispatch(()); }>
                            {move || t().partnerships_accept}
                        </button>
                        <button type="button" class="cc-admin-button cc-admin-button--secondary" data-testid="partnership-decline"
                            disabled=busy on:click=move |_| asking.set(true)>
                            {move || t().partnerships_decline}
                        </button>
                    </div>
                }
                .into_any()
            }}
        }
    });
    let sharing = active.then(|| view! { <PartnerSharing partnership=partnership.clone() /> });
    let sites = active.then(|| view! { <SitesEditor partnership=partnership.clone() /> });
    let leaving = active.then(|| {
        view! {
            <section class="cc-admin-card" aria-labelledby="cc-admin-leave-title">
                <h2 id="cc-admin-leave-title">{move || t().partnership_leave}</h2>
                {move || if asking.get() {
                    leave_controls(|t| t.partnership_leave_confirm, |t| t.partnership_leave_yes).into_any()
                } else {
                    view! {
                        <button type="button" class="cc-admin-button cc-admin-button--danger" data-testid="partnership-leave"
                            on:click=move |_| asking.set(true)>{move || t().partnership_leave}</button>
                    }
                    .into_any()
                }}
            </section>
        }
    });
    let questions: Arc<[Question]> = poll.questions.into();
    let results_view = move || {
        // Drawn anew in the other language.
        lang.track();
        view! { <ResultsView id=id.clone() questions=questions.clone() results=results.clone() counts_only=true /> }
    };
    view! {
        <section class="cc-admin-card" aria-labelledby="cc-admin-partnership-title" data-testid="partnership">
            <div class="cc-admin-titlebar">
                <h1 id="cc-admin-partnership-title" data-testid="partnership-title">{title}</h1>
                <button type="button" class="cc-admin-button cc-admin-button--secondary" data-testid="partnership-refresh"
                    on:click=move |_| on_refresh.run(())>{move || t().refresh}</button>
            </div>
            <p>
                <span data-testid="partnership-owner">{move || i18n::run_by(lang.get(), &owner)}</span>
                " · " {move || i18n::state(lang.get(), poll_state)}
                " · " <span class="cc-admin-badge" data-testid="partnership-state">{move || i18n::partner_state(lang.get(), state)}</span>
            </p>
            {invitation}
            {error}
        </section>
        {active.then(|| view! {
            <section class="cc-admin-card" aria-labelledby="cc-admin-yours-title">
                <h2 id="cc-admin-yours-title">{move || t().partnership_yours}</h2>
                <p class="cc-admin-total" data-testid="partnership-own">{move || i18n::through_you(lang.get(), own, total)}</p>
            </section>
        })}
        {sharing}
        {sites}
        <section class="cc-admin-card cc-admin-report" aria-labelledby="cc-admin-overall-title" data-testid="partnership-results">
            <h2 id="cc-admin-overall-title">{move || t().partnership_results}</h2>
            <p class="cc-admin-note">{move || t().partnership_results_note}</p>
            {results_view}
        </section>
        {leaving}
    }
}

/// The partner's snippet, its link and the link's QR code.
#[component]
fn PartnerSharing(
    /// The partnership (active).
    partnership: Partnership,
) -> impl IntoView {
    let ctx = Ctx::get();
    let t = move || ctx.t();
    let svg = api::partnership_qr_url(&partnership.poll, "svg");
    let png = api::partnership_qr_url(&partnership.poll, "png");
    let link = partnership.qr_link.clone();
    view! {
        <section class="cc-admin-card" aria-labelledby="cc-admin-partner-share-title">
            <h2 id="cc-admin-partner-share-title">{move || t().partnership_share}</h2>
            <CopyBox label=Signal::derive(move || ctx.t().partnership_snippet)
                hint=Signal::derive(move || ctx.t().partnership_snippet_hint)
                text=partnership.embed_snippet.clone() name="partnership-snippet" />
            <p>
                {move || t().partnership_link} " : "
                <a href=link.clone() data-testid="partnership-link" target="_blank" rel="noopener">{link.clone()}</a>
            </p>
            <figure class="cc-admin-qr">
                <img src=svg.clone() width="160" height="160" alt=move || t().partnership_qr_label data-testid="partnership-qr" />
                <figcaption>
                    <span>{move || t().qr_title}</span>
                    <a class="cc-admin-button cc-admin-button--secondary" href=svg download="" data-testid="partnership-qr-svg">
                        {move || t().download_svg}
                    </a>
                    <a class="cc-admin-button cc-admin-button--secondary" href=png download="" data-testid="partnership-qr-png">
                        {move || t().download_png}
                    </a>
                </figcaption>
            </figure>
        </section>
    }
}

/// Where a refused save of the sites went wrong: beside each faulty line (by the row's key),
/// and for the whole list.
#[derive(Debug, Clone, Default, PartialEq)]
struct Refusal {
    lines: BTreeMap<u32, String>,
    whole: Option<String>,
}

/// The index a field problem names in the list sent: `origins[2]` → 2.
fn origin_index(field: &str) -> Option<usize> {
    field
        .strip_prefix("origins[")?
        .strip_suffix(']')?
        .parse()
        .ok()
}

/// The server's refusal of the lines sent (`sent`: each line's row key, in the order sent),
/// in the organiser's words.
fn refusal(ctx: Ctx, sent: &[u32], e: &ApiError) -> Refusal {
    let t = ctx.t();
    let mut out = Refusal::default();
    match e {
        ApiError::Status(409, _) => out.whole = Some(t.partnership_not_active.to_owned()),
        // A line that is no site address is a 400 naming `origins[i]` (the body's shape),
        // too many lines a 422 naming `origins`.
        ApiError::Status(400 | 422, p) if !p.errors.is_empty() => {
            for f in &p.errors {
                match origin_index(&f.field).and_then(|i| sent.get(i)) {
                    Some(key) => {
                        let said = if f.code == "duplicate" {
                            t.partnership_site_twice
                        } else {
                            t.partnership_bad_site
                        };
                        out.lines.insert(*key, said.to_owned());
                    }
                    None if f.code == "too_many" => {
                        out.whole = Some(t.partnership_too_many_sites.to_owned());
                    }
                    None => out.whole = Some(error_text(ctx, e)),
                }
            }
            if out.whole.is_none() && !out.lines.is_empty() {
                out.whole = Some(t.partnership_sites_refused.to_owned());
            }
        }
        e => out.whole = Some(error_text(ctx, e)),
    }
    out
}

/// One line of the sites' editor: a key that stays with it while lines come and go, and
/// what it holds.
type Line = (u32, RwSignal<String>);

/// The partner's sites: one line each, added and removed, saved together; the server's
/// refusal is said beside each faulty line.
#[component]
fn SitesEditor(
    /// The partnership (active).
    partnership: Partnership,
) -> impl IntoView {
    let ctx = Ctx::get();
    let t = move || ctx.t();
    let lang = ctx.lang;
    let next = StoredValue::new(0u32);
    let line = move |text: String| -> Line {
        let key = next.get_value();
        next.set_value(key + 1);
        (key, RwSignal::new(text))
    };
    let lines = RwSignal::new(
        partnership
            .origins
            .iter()
            .map(|o| line(o.as_str().to_owned()))
            .collect::<Vec<Line>>(),
    );
    let id = partnership.poll.clone();
    let save = Action::new_local(move |sent: &Vec<(u32, String)>| {
        let id = id.clone();
        let sent = sent.clone();
        async move {
            let keys: Vec<u32> = sent.iter().map(|(k, _)| *k).collect();
            let texts: Vec<String> = sent.into_iter().map(|(_, s)| s).collect();
            (keys, api::set_partner_origins(&id, &texts).await)
        }
    });
    let pending = save.pending();
    let refused = Memo::new(move |_| {
        lang.track();
        match save.value().get() {
            Some((keys, Err(e))) => refusal(ctx, &keys, &e),
            _ => Refusal::default(),
        }
    });
    let saved = move || matches!(save.value().get(), Some((_, Ok(_)))) && !pending.get();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Empty lines are left out; the others go as typed, trimmed, for the server to check.
        let sent: Vec<(u32, String)> = lines.with_untracked(|l| {
            l.iter()
                .map(|(k, s)| (*k, s.get_untracked().trim().to_owned()))
                .filter(|(_, s)| !s.is_empty())
                .collect()
        });
        save.dispatch(sent);
    };
    let add = move |_| {
        let new = line(String::new());
        lines.update(|l| l.push(new));
    };
    let row = move |(key, text): Line| {
        let position = move || {
            lines
                .with(|l| l.iter().position(|(k, _)| *k == key))
                .map_or(0, |i| i + 1)
        };
        let error_id = format!("cc-admin-site-{key}-error");
        let message = move || refused.with(|r| r.lines.get(&key).cloned());
        view! {
            <li class="cc-admin-site" data-testid="site-row">
                <div class="cc-admin-row">
                    <label class="cc-admin-field cc-admin-field--grow">
                        <span>{move || i18n::site_n(lang.get(), position())}</span>
                        <input type="url" inputmode="url" autocomplete="url" data-testid="site-input"
                            placeholder="https://www.example.org"
                            aria-invalid=move || message().is_some().to_string()
                            aria-describedby=error_id.clone()
                            prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev)) />
                    </label>
                    <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="site-remove"
                        on:click=move |_| lines.update(|l| l.retain(|(k, _)| *k != key))>
                        {move || i18n::remove_site(lang.get(), position())}
                    </button>
                </div>
                <p class="cc-admin-error" id=error_id data-testid="site-error">{message}</p>
            </li>
        }
    };
    view! {
        <section class="cc-admin-card" aria-labelledby="cc-admin-sites-title" data-testid="partnership-sites"
            aria-busy=move || pending.get().to_string()>
            <h2 id="cc-admin-sites-title">{move || t().partnership_sites}</h2>
            <p class="cc-admin-note">{move || t().partnership_sites_hint}</p>
            <form novalidate on:submit=submit>
                {move || lines.with(Vec::is_empty).then(|| view! {
                    <p class="cc-admin-note" data-testid="sites-none">{move || t().partnership_sites_none}</p>
                })}
                <ul class="cc-admin-sites">
                    <For each=move || lines.get() key=|(k, _)| *k children=row />
                </ul>
                <div class="cc-admin-row">
                    <button type="button" class="cc-admin-button cc-admin-button--secondary" data-testid="site-add"
                        on:click=add>{move || t().partnership_add_site}</button>
                    <button type="submit" class="cc-admin-button" data-testid="sites-save" disabled=move || pending.get()>
                        {move || if pending.get() { t().partnership_saving_sites } else { t().partnership_save_sites }}
                    </button>
                </div>
            </form>
            <div role="status" data-testid="sites-status">
                {move || refused.with(|r| r.whole.clone()).map(|message| view! {
                    <p class="cc-admin-error">{message}</p>
                })}
                {move || saved().then(|| view! { <p class="cc-admin-note">{move || t().partnership_sites_saved}</p> })}
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_problem_names_the_line_sent_at_its_index() {
        assert_eq!(origin_index("origins[0]"), Some(0));
        assert_eq!(origin_index("origins[12]"), Some(12));
        assert_eq!(origin_index("origins"), None);
        assert_eq!(origin_index("origins[x]"), None);
        assert_eq!(origin_index("org"), None);
    }
}
