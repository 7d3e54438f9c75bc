//! The widget's top level: loads the consultation and shows the state it is in.

use crate::api::{Api, ApiError};
use crate::form::PollForm;
use crate::source::Source;
use crate::states::{Closed, Loading, NetworkError, NotFound, NotYetOpen};
use crate::takeover::TakenOver;
use concerto_core::{Availability, PollId, PublicPoll};
use concerto_ui::Lang;
use concerto_ui::frame::WidgetFrame;
use leptos::prelude::*;
use std::sync::Arc;

/// One consultation, from loading to thanks.
#[component]
pub fn App(
    /// The consultation to show; `None` when the placeholder named no valid id.
    poll_id: Option<PollId>,
    /// The collection server.
    api: Api,
    /// The resident's language.
    lang: Lang,
    /// The partner and the door the answers come through.
    source: Source,
    /// The consultation, when the first view already brought it (nothing to load then).
    #[prop(default = None)]
    preloaded: Option<Arc<PublicPoll>>,
    /// What the resident did in the first view, taken over by this widget.
    #[prop(default = None)]
    taken: Option<TakenOver>,
) -> impl IntoView {
    // Brought by the first view: drawn at once, so that taking it over shows no loading
    // state in between.
    if let Some(poll) = preloaded {
        let name = poll.title.get(lang).to_owned();
        return view! {
            <WidgetFrame lang name=Signal::stored(name)>
                {by_availability(poll, api, lang, source, taken)}
            </WidgetFrame>
        }
        .into_any();
    }
    // An action rather than a resource: the same fetch, without the async-derived machinery
    // a resource brings into the wasm. Dispatched at once, and again by "retry".
    let load = Action::new_local({
        let api = api.clone();
        move |(): &()| {
            let api = api.clone();
            let id = poll_id.clone();
            async move {
                match id {
                    Some(id) => api.poll(&id).await.map(Arc::new),
                    None => Err(ApiError::NotFound),
                }
            }
        }
    });
    load.dispatch(());
    let poll = load.value();
    let retry = Callback::new(move |()| {
        // Back to the loading state, then load again.
        poll.set(None);
        load.dispatch(());
    });
    let body = move || match poll.get() {
        None => view! { <Loading lang /> }.into_any(),
        Some(Err(ApiError::NotFound)) => view! { <NotFound lang /> }.into_any(),
        Some(Err(_)) => view! { <NetworkError lang on_retry=retry /> }.into_any(),
        Some(Ok(p)) => by_availability(p, api.clone(), lang, source.clone(), None),
    };
    // A named region, so the widget is a landmark even on pages that put it outside theirs.
    let name = move || {
        poll.with(|p| match p {
            Some(Ok(p)) => p.title.get(lang).to_owned(),
            _ => lang.t().widget_name.to_owned(),
        })
    };
    view! { <WidgetFrame lang name=Signal::derive(name)>{body}</WidgetFrame> }.into_any()
}

fn by_availability(
    poll: Arc<PublicPoll>,
    api: Api,
    lang: Lang,
    source: Source,
    taken: Option<TakenOver>,
) -> AnyView {
    match poll.status {
        Availability::Open => {
            // "Answer again" (when several answers are allowed) builds a fresh form, with a
            // fresh submission id.
            let round = RwSignal::new(0u32);
            let on_again = Callback::new(move |()| round.update(|r| *r += 1));
            // The first view's answers go into the first form only.
            let taken = StoredValue::new(taken);
            (move || {
                round.track();
                let taken = taken.try_update_value(Option::take).flatten();
                view! { <PollForm poll=poll.clone() api=api.clone() lang source=source.clone() on_again taken /> }
            })
            .into_any()
        }
        Availability::NotYetOpen => view! { <NotYetOpen poll lang /> }.into_any(),
        Availability::Closed => view! { <Closed poll api lang /> }.into_any(),
    }
}
