//! One consultation's page: its state and actions, its participation codes (when it asks for
//! them), then (once open) its results, answers, sharing, partners and exports, each section
//! in a file of its own; the live count follows the server's events.

mod codes;
mod crosstab;
mod overview;
mod partners;
pub(crate) mod results;
mod sharing;
mod texts;
mod timeline;

use codes::CodesPanel;
use crosstab::CrossTabView;
use overview::Overview;
use partners::PartnersPanel;
use results::ResultsView;
use sharing::SharePanel;
use timeline::Timeline;

use crate::api;
use crate::ctx::Ctx;
use crate::export::Exports;
use crate::pages::responses::Responses;
use crate::pages::{ErrorNote, error_text};
use crate::route::Page;
use concerto_core::{Participation, PollId, PollState, Question};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{EventSource, MessageEvent};

/// Follows the consultation's answer count over server-sent events, calling `on_count` with
/// each new count, until the calling component is disposed.
fn follow_count(id: &PollId, on_count: impl Fn(u64) + 'static) {
    let Ok(source) = EventSource::new(&api::events_url(id)) else {
        return;
    };
    let listener = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
        let n = ev
            .data()
            .as_string()
            .and_then(|d| serde_json::from_str::<serde_json::Value>(&d).ok())
            .and_then(|v| v.get("responses").and_then(serde_json::Value::as_u64));
        if let Some(n) = n {
            on_count(n);
        }
    });
    let _ = source.add_event_listener_with_callback("count", listener.as_ref().unchecked_ref());
    let kept = StoredValue::new_local(Some((source, listener)));
    on_cleanup(move || {
        if let Some((source, _listener)) = kept.try_update_value(Option::take).flatten() {
            source.close();
        }
    });
}

/// The consultation's page.
#[component]
pub fn PollPage(
    /// The consultation.
    id: PollId,
) -> impl IntoView {
    let ctx = Ctx::get();
    let poll = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move { api::poll(&id).await }
        }
    });
    let results = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move { api::results(&id).await }
        }
    });
    // Its partners: their section, and the split by partner of the cross-tabulation.
    let partners = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move { api::partners(&id).await }
        }
    });
    let has_partners = Signal::derive(move || {
        partners
            .get()
            .is_some_and(|p| p.is_ok_and(|p| !p.partners.is_empty()))
    });
    let transition = Action::new_local({
        let id = id.clone();
        move |to: &PollState| {
            let id = id.clone();
            let to = *to;
            async move {
                match to {
                    PollState::Closed => api::close(&id).await,
                    _ => api::open(&id).await,
                }
            }
        }
    });
    // Live: each new count reads the results again.
    let live = RwSignal::new(None::<u64>);
    follow_count(&id, move |n| {
        if live.try_get_untracked().flatten() != Some(n) {
            live.try_set(Some(n));
            results.refetch();
            partners.refetch();
        }
    });
    // A state change: read the consultation again.
    Effect::new(move |_| {
        if transition.version().get() > 0 {
            poll.refetch();
        }
    });
    // Codes made on this visit, kept while the consultation is read again: shown only once.
    let made = RwSignal::new(Vec::<String>::new());
    let refresh = move |_| {
        poll.refetch();
        results.refetch();
        partners.refetch();
    };
    let body = move || {
        match poll.get() {
        None => view! { <p class="cc-admin-status">{ctx.t().loading}</p> }.into_any(),
        // Another organisation's consultation is a 404 too: its partners follow it elsewhere.
        Some(Err(e @ api::ApiError::Status(404, _))) => view! {
            <ErrorNote message=error_text(ctx, &e) />
            <p data-testid="poll-not-yours">{move || ctx.t().poll_not_yours}</p>
            <a href=Page::Partnerships.path() data-testid="to-partnerships">{move || ctx.t().partnerships_back}</a>
        }
        .into_any(),
        Some(Err(e)) => view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any(),
        Some(Ok(p)) => {
            let p = Arc::new(p);
            // Once open, what the organiser comes back for is the results: they come first,
            // and sharing (done once) after the answers. A draft has nothing to show yet.
            let results_first = p.state != PollState::Draft;
            view! {
                <Overview poll=p.clone() transition live />
                {(p.spec.participation == Participation::OneAnswerPerCode)
                    .then(|| view! { <CodesPanel poll=p.clone() made /> })}
                {(!results_first).then(|| view! {
                    <SharePanel poll=p.clone() />
                    <PartnersPanel id=p.id.clone() partners />
                })}
                <section class="cc-admin-card cc-admin-report" aria-labelledby="cc-admin-results-title">
                    <div class="cc-admin-titlebar">
                        <h2 id="cc-admin-results-title">{move || ctx.t().results}</h2>
                        <button type="button" class="cc-admin-button cc-admin-button--secondary" data-testid="refresh"
                            on:click=refresh>{move || ctx.t().refresh}</button>
                    </div>
                    {
                        let questions: Arc<[Question]> = p.spec.questions.clone().into();
                        let id = p.id.clone();
                        move || match results.get() {
                            None => view! { <p class="cc-admin-status">{ctx.t().loading}</p> }.into_any(),
                            Some(Err(e)) => view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any(),
                            Some(Ok(r)) => view! {
                                <Timeline id=id.clone() />
                                <ResultsView id=id.clone() questions=questions.clone() results=r />
                                <CrossTabView id=id.clone() questions=questions.clone() has_partners />
                            }.into_any(),
                        }
                    }
                </section>
                // Not the consultation itself: reading it again would draw the page anew (the
                // live count follows through the server's events).
                <Responses id=p.id.clone() questions=p.spec.questions.clone().into()
                    on_change=Callback::new(move |()| results.refetch()) />
                {results_first.then(|| view! {
                    <SharePanel poll=p.clone() />
                    <PartnersPanel id=p.id.clone() partners />
                })}
                <Exports id=p.id.clone() total=Signal::derive({
                    let stored = p.responses;
                    move || live.get().unwrap_or(stored)
                }) />
            }
            .into_any()
        }
    }
    };
    view! {
        <a href=Page::List.path()>{move || ctx.t().back_to_list}</a>
        {body}
    }
}
