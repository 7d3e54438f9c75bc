//! The organisation's consultations, with their state and number of answers.

use crate::api::{self, OrgPoll};
use crate::ctx::Ctx;
use crate::i18n;
use crate::pages::responses::local_time;
use crate::pages::{ErrorNote, error_text};
use crate::route::Page;
use concerto_core::Template;
use leptos::prelude::*;

/// The list page.
#[component]
pub fn PollList() -> impl IntoView {
    let ctx = Ctx::get();
    let polls = LocalResource::new(api::polls);
    let body = move || match polls.get() {
        None => view! { <p class="cc-admin-status">{ctx.t().loading}</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any(),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p data-testid="no-polls">{ctx.t().no_polls}</p> }.into_any()
        }
        Some(Ok(list)) => view! { <PollTable polls=list /> }.into_any(),
    };
    view! {
        <section class="cc-admin-card">
            <div class="cc-admin-titlebar">
                <h1>{move || ctx.t().polls_title}</h1>
                <a class="cc-admin-button" href=Page::New.path() data-testid="new-poll">
                    {move || ctx.t().new_poll}
                </a>
            </div>
            {body}
        </section>
        <Templates />
        <ActivityLog />
    }
}

/// The built-in templates: each button creates a draft from one and opens it in the editor.
#[component]
fn Templates() -> impl IntoView {
    let ctx = Ctx::get();
    let create = Action::new_local(|template: &Template| {
        let spec = template.spec();
        async move { api::create(&spec).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(poll)) = create.value().get() {
            ctx.go(Page::Edit(poll.id));
        }
    });
    let error = move || {
        create
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <ErrorNote message=error_text(ctx, &e) /> })
    };
    let buttons = Template::ALL
        .into_iter()
        .map(|template| {
            let title = template.spec().title;
            view! {
                <li>
                    <button
                        type="button"
                        class="cc-admin-button cc-admin-button--secondary"
                        data-testid=format!("template-{}", template.id())
                        disabled=move || create.pending().get()
                        on:click=move |_| {
                            create.dispatch(template);
                        }
                    >
                        <span class="cc-admin-visually-hidden">{move || ctx.t().template_use} " "</span>
                        {move || title.get(ctx.lang.get()).to_owned()}
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="cc-admin-card" aria-labelledby="cc-admin-templates-title">
            <h2 id="cc-admin-templates-title">{move || ctx.t().templates_title}</h2>
            <p class="cc-admin-note">{move || ctx.t().templates_intro}</p>
            <ul class="cc-admin-templates" data-testid="templates">{buttons}</ul>
            {error}
        </section>
    }
}

/// The organisation's deletions: who deleted how many answers of which consultation, when.
#[component]
fn ActivityLog() -> impl IntoView {
    let ctx = Ctx::get();
    let log = LocalResource::new(api::activity);
    let body = move || {
        match log.get() {
        None => view! { <p class="cc-admin-status">{ctx.t().loading}</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any(),
        Some(Ok(entries)) if entries.is_empty() => {
            view! { <p class="cc-admin-note" data-testid="activity-none">{ctx.t().activity_none}</p> }.into_any()
        }
        Some(Ok(entries)) => {
            let t = ctx.t();
            let lang = ctx.lang.get();
            let rows = entries
                .into_iter()
                .map(|e| {
                    let who = match (e.actor.name, e.actor.email) {
                        (Some(name), Some(email)) => format!("{name} ({email})"),
                        (Some(name), None) => name,
                        (None, Some(email)) => email,
                        (None, None) => t.activity_token.to_owned(),
                    };
                    let what = match e.kind.as_str() {
                        "answer_deleted" => t.activity_answer_deleted,
                        "answers_deleted" => t.activity_answers_deleted,
                        _ => t.activity_consultation_deleted,
                    };
                    view! {
                        <tr data-testid="activity-row">
                            <td>{local_time(&e.at, lang)}</td>
                            <td>{who}</td>
                            <td>{what}</td>
                            <td>{e.poll_title}</td>
                            <td class="cc-admin-num">{e.answers}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="cc-admin-table" data-testid="activity">
                    <thead><tr>
                        <th scope="col">{t.activity_when}</th>
                        <th scope="col">{t.activity_who}</th>
                        <th scope="col">{t.activity_what}</th>
                        <th scope="col">{t.activity_poll}</th>
                        <th scope="col" class="cc-admin-num">{t.activity_answers}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
    }
    };
    view! {
        <section class="cc-admin-card" aria-labelledby="cc-admin-activity-title">
            <h2 id="cc-admin-activity-title">{move || ctx.t().activity_title}</h2>
            {body}
        </section>
    }
}

/// The table of consultations.
#[component]
fn PollTable(
    /// The consultations.
    polls: Vec<OrgPoll>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let lang = ctx.lang;
    let rows = polls
        .into_iter()
        .map(|p| {
            let page = Page::Poll(p.id.clone());
            let edit = Page::Edit(p.id.clone());
            let title = p.spec.title.get(lang.get_untracked()).to_owned();
            let state = p.state;
            let responses = p.responses;
            view! {
                <tr data-testid=format!("poll-row-{}", p.id)>
                    <td><a href=page.path()>{title}</a></td>
                    <td>{move || i18n::state(lang.get(), state)}</td>
                    <td class="cc-admin-num" data-testid="poll-responses">{responses}</td>
                    <td><a href=edit.path()>{move || ctx.t().edit}</a></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="cc-admin-table" data-testid="poll-list">
            <thead>
                <tr>
                    <th scope="col">{move || ctx.t().col_title}</th>
                    <th scope="col">{move || ctx.t().col_state}</th>
                    <th scope="col" class="cc-admin-num">{move || ctx.t().col_answers}</th>
                    <th scope="col"><span class="cc-admin-visually-hidden">{move || ctx.t().edit}</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
