//! The written answers to one question, searchable, a page at a time.

use crate::api::{self, TextAnswer};
use crate::ctx::Ctx;
use concerto_core::{PollId, QuestionId};
use leptos::prelude::*;

/// The written answers to one question, searchable, a page at a time.
#[component]
pub(super) fn TextAnswers(
    /// The consultation.
    id: PollId,
    /// The question.
    question: QuestionId,
) -> impl IntoView {
    let ctx = Ctx::get();
    let items = RwSignal::new(Vec::<TextAnswer>::new());
    let next = RwSignal::new(None::<i64>);
    let search = RwSignal::new(String::new());
    let load = Action::new_local({
        let question = question.to_string();
        move |(q, after): &(String, i64)| {
            let (id, question, q, after) = (id.clone(), question.clone(), q.clone(), *after);
            async move { (after, api::texts(&id, &question, &q, after).await) }
        }
    });
    Effect::new(move |_| {
        if let Some((after, Ok(page))) = load.value().get() {
            if after == 0 {
                items.set(page.items);
            } else {
                items.update(|i| i.extend(page.items));
            }
            next.set(page.next);
        }
    });
    load.dispatch((String::new(), 0));
    let search_id = format!("cc-admin-search-{question}");
    let search_for = search_id.clone();
    let list = move || {
        let shown = items.get();
        if shown.is_empty() {
            return view! { <p class="cc-admin-note">{ctx.t().no_text_answers}</p> }.into_any();
        }
        view! {
            <ul class="cc-admin-texts" data-testid="text-answers">
                {shown.into_iter().map(|i| view! { <li>{i.text}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <details class="cc-admin-texts__box">
            <summary>{move || ctx.t().text_answers}</summary>
            <form class="cc-admin-row" role="search" on:submit=move |ev| {
                ev.prevent_default();
                load.dispatch((search.get_untracked(), 0));
            }>
                <label class="cc-admin-field" for=search_for>
                    <span>{move || ctx.t().search}</span>
                    <input type="search" id=search_id data-testid="text-search"
                        prop:value=search on:input=move |ev| search.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="cc-admin-button cc-admin-button--secondary">{move || ctx.t().search_button}</button>
            </form>
            {list}
            {move || next.get().map(|after| view! {
                <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="text-more"
                    on:click=move |_| { load.dispatch((search.get_untracked(), after)); }>
                    {ctx.t().more}
                </button>
            })}
        </details>
    }
}
