//! How to share the consultation: the snippet, the iframe variants, the standalone link and
//! its QR code, the public results' page and snippet.

use crate::api::{self, OrgPoll};
use crate::copy_box::CopyBox;
use crate::ctx::Ctx;
use crate::share;
use concerto_core::{Availability, PollId, PollState};
use leptos::prelude::*;
use std::sync::Arc;

/// The snippet to paste, the iframe variants, the standalone link and its QR code.
#[component]
pub(super) fn SharePanel(
    /// The consultation.
    poll: Arc<OrgPoll>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let is_draft = poll.state == PollState::Draft;
    let url = poll.standalone_url.clone();
    let id = poll.id.to_string();
    let origin = poll.spec.allowed_origins.first().map_or_else(
        || "https://www.example.org".to_owned(),
        |o| o.as_str().to_owned(),
    );
    let t = move || ctx.t();
    let results_url = share::results_url(&url);
    // Whether residents may read the results now (a draft's, once it is open).
    let availability = match poll.state {
        PollState::Closed => Availability::Closed,
        _ => Availability::Open,
    };
    let results_hidden = !poll.spec.results_visibility.public_results(availability);
    view! {
        <section class="cc-admin-card" aria-labelledby="cc-admin-share-title">
            <h2 id="cc-admin-share-title">{move || t().share}</h2>
            {is_draft.then(|| view! { <p class="cc-admin-note" data-testid="share-draft">{move || t().share_draft}</p> })}
            <CopyBox label=Signal::derive(move || t().snippet) hint=Signal::derive(move || t().snippet_hint)
                text=poll.embed_snippet.clone() name="snippet" />
            <details class="cc-admin-texts__box">
                <summary>{move || t().frame_title}</summary>
                <CopyBox label=Signal::derive(move || t().frame_snippet) hint=Signal::derive(move || t().frame_hint)
                    text=share::frame_snippet(&url, &id) name="frame-snippet" />
                <CopyBox label=Signal::derive(move || t().iframe_snippet) hint=Signal::derive(move || t().iframe_hint)
                    text=share::iframe_snippet(&url, &id, &origin) name="iframe-snippet" />
            </details>
            <p>
                {move || t().standalone} " : "
                <a href=url.clone() data-testid="standalone-link" target="_blank" rel="noopener">{url.clone()}</a>
            </p>
            <QrPanel id=poll.id.clone() />
            <p>
                {move || t().results_page} " : "
                <a href=results_url.clone() data-testid="results-page-link" target="_blank" rel="noopener">{results_url.clone()}</a>
            </p>
            {results_hidden.then(|| view! { <p class="cc-admin-note" data-testid="results-not-public">{move || t().results_not_public}</p> })}
            <CopyBox label=Signal::derive(move || t().results_snippet) hint=Signal::derive(move || t().results_snippet_hint)
                text=share::results_snippet(&url, &id) name="results-snippet" />
        </section>
    }
}

/// The standalone link as a QR code (drawn by the server), with SVG and PNG downloads.
#[component]
fn QrPanel(
    /// The consultation.
    id: PollId,
) -> impl IntoView {
    let ctx = Ctx::get();
    let svg = api::qr_url(&id, "svg");
    let png = api::qr_url(&id, "png");
    view! {
        <figure class="cc-admin-qr">
            <img src=svg.clone() width="160" height="160" alt=move || ctx.t().qr_label data-testid="qr" />
            <figcaption>
                <span>{move || ctx.t().qr_title}</span>
                <a class="cc-admin-button cc-admin-button--secondary" href=svg download="" data-testid="qr-svg">
                    {move || ctx.t().download_svg}
                </a>
                <a class="cc-admin-button cc-admin-button--secondary" href=png download="" data-testid="qr-png">
                    {move || ctx.t().download_png}
                </a>
            </figcaption>
        </figure>
    }
}
