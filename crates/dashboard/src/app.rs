//! The dashboard's frame: the router and its pages, who is logged in, in which language.

use crate::api;
use crate::ctx::Ctx;
use crate::i18n;
use crate::pages::{
    editor::Editor, invitation::InvitationPage, list::PollList, login::Login,
    partnership::PartnershipPage, partnerships::PartnershipsPage, poll::PollPage, team::TeamPage,
};
use crate::route::{BASE, Page};
use concerto_core::PollId;
use concerto_ui::Lang;
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::path;

/// Where the chosen language is kept (not a cookie: it never needs to reach the server).
const LANG_KEY: &str = "concerto-admin-lang";

fn stored_lang() -> Option<Lang> {
    let storage = window().local_storage().ok().flatten()?;
    Lang::from_tag(&storage.get_item(LANG_KEY).ok().flatten()?)
}

/// The whole dashboard, its pages matched by the router below `/admin`.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router base=BASE>
            <Frame />
        </Router>
    }
}

/// The header and the page: inside the router, whose navigation the context keeps.
#[component]
fn Frame() -> impl IntoView {
    let browser = window().navigator().language();
    let ctx = Ctx::new(
        stored_lang().unwrap_or_else(|| Lang::choose([browser.as_deref()])),
        use_navigate(),
    );
    let lang = ctx.lang;
    provide_context(ctx);
    ctx.refresh_session();
    // A call met a 401: the session ended. The login form replaces the page, which comes back
    // once logged in again. Only from a session: a wrong password on the login form (a 401
    // too) leaves the form as it is.
    let ended = window_event_listener_untyped(api::SESSION_ENDED, move |_| {
        if matches!(ctx.me.get_untracked(), Some(Some(_))) {
            ctx.me.set(Some(None));
        }
    });
    on_cleanup(move || ended.remove());
    // Logged in (again, or as someone else): the invitations waiting are counted anew.
    let who = Memo::new(move |_| {
        ctx.me.with(|me| {
            me.as_ref()
                .and_then(|m| m.as_ref().map(|m| m.user.email.clone()))
        })
    });
    Effect::new(move |_| match who.get() {
        Some(_) => ctx.refresh_invitations(),
        None => ctx.invitations.set(None),
    });
    // The page's language and title follow the choice.
    Effect::new(move |_| {
        let l = lang.get();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", l.code());
        }
        document().set_title(i18n::t(l).app_name);
    });

    let switch = move |_| {
        let next = i18n::other(lang.get_untracked());
        lang.set(next);
        if let Ok(Some(storage)) = window().local_storage() {
            let _ = storage.set_item(LANG_KEY, next.code());
        }
    };
    let logout = Action::new_local(move |_: &()| async move {
        let _ = api::logout().await;
        ctx.me.set(Some(None));
        ctx.go(Page::Login);
    });

    let who = move || {
        ctx.me.get().flatten().map(|me| {
            view! {
                <span class="cc-admin-header__who" data-testid="who">
                    {me.user.name} " · " {me.org.name}
                </span>
                <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="logout"
                    on:click=move |_| { logout.dispatch(()); }>
                    {move || ctx.t().logout}
                </button>
            }
        })
    };
    view! {
        <header class="cc-admin-header">
            <a class="cc-admin-header__brand" href=Page::List.path()>"Concerto"</a>
            {move || ctx.me.get().flatten().map(|_| view! {
                // `A` marks the current page with `aria-current`.
                <nav class="cc-admin-header__nav" aria-label=move || ctx.t().nav_label>
                    <A href=Page::List.path() exact=true>{move || ctx.t().polls_title}</A>
                    <A href=Page::Team.path() attr:data-testid="nav-team">{move || ctx.t().team_title}</A>
                    <A href=Page::Partnerships.path() attr:data-testid="nav-partnerships">
                        {move || ctx.t().partnerships_title}
                        {move || ctx.invitations.get().filter(|n| *n > 0).map(|n| view! {
                            " " <span class="cc-admin-count" data-testid="nav-invitations">
                                {n} <span class="cc-admin-visually-hidden">{move || i18n::waiting(ctx.lang.get(), n)}</span>
                            </span>
                        })}
                    </A>
                </nav>
            })}
            <div class="cc-admin-header__tools">
                {who}
                <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="switch-language"
                    lang=move || i18n::other(lang.get()).code()
                    aria-label=move || ctx.t().switch_language_label
                    on:click=switch>
                    {move || ctx.t().switch_language}
                </button>
            </div>
        </header>
        <main class="cc-admin-main" id="main">
            // Static segments before `:id`: the first route that matches wins.
            <Routes fallback=NotFound>
                <Route path=path!("/") view=|| view! { <Signed><PollList /></Signed> } />
                <Route path=path!("/polls") view=|| view! { <Signed><PollList /></Signed> } />
                <Route path=path!("/polls/new") view=|| view! { <Signed><Editor id=None /></Signed> } />
                <Route path=path!("/polls/:id") view=|| view! { <Signed><PollRoute /></Signed> } />
                <Route path=path!("/polls/:id/edit") view=|| view! { <Signed><EditRoute /></Signed> } />
                <Route path=path!("/team") view=|| view! { <Signed><TeamPage /></Signed> } />
                <Route path=path!("/partnerships") view=|| view! { <Signed><PartnershipsPage /></Signed> } />
                <Route path=path!("/partnerships/:id") view=|| view! { <Signed><PartnershipRoute /></Signed> } />
                <Route path=path!("/invitation") view=InvitationPage />
                <Route path=path!("/login") view=LoginRoute />
            </Routes>
        </main>
    }
}

/// Where the session stands, as pages are chosen by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Session {
    Unknown,
    LoggedOut,
    LoggedIn,
}

fn session(ctx: Ctx) -> Memo<Session> {
    Memo::new(move |_| {
        ctx.me.with(|me| match me {
            None => Session::Unknown,
            Some(None) => Session::LoggedOut,
            Some(Some(_)) => Session::LoggedIn,
        })
    })
}

/// The loading line, until the session is known.
#[component]
fn Loading() -> impl IntoView {
    let ctx = Ctx::get();
    view! { <p class="cc-admin-status">{move || ctx.t().loading}</p> }
}

/// A page for logged-in organisers. Logged out, the login form takes its place (and the
/// address stays), so the page comes back once logged in again: also when a session ends
/// on the way (see `api::SESSION_ENDED`).
#[component]
fn Signed(children: ChildrenFn) -> impl IntoView {
    let state = session(Ctx::get());
    move || match state.get() {
        Session::Unknown => view! { <Loading /> }.into_any(),
        Session::LoggedOut => view! { <Login /> }.into_any(),
        Session::LoggedIn => children().into_any(),
    }
}

/// `/login`: the form, or the list for someone logged in already.
#[component]
fn LoginRoute() -> impl IntoView {
    let ctx = Ctx::get();
    let state = session(ctx);
    Effect::new(move |_| {
        if state.get() == Session::LoggedIn {
            ctx.go(Page::List);
        }
    });
    move || match state.get() {
        Session::Unknown => view! { <Loading /> }.into_any(),
        Session::LoggedOut => view! { <Login /> }.into_any(),
        Session::LoggedIn => ().into_any(),
    }
}

/// The consultation the address names, or `None` for an id that cannot be one.
fn poll_param() -> Memo<Option<PollId>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| PollId::parse(id).ok())))
}

/// `/polls/:id`: a page made anew for each consultation, so it never mixes two.
#[component]
fn PollRoute() -> impl IntoView {
    let id = poll_param();
    move || match id.get() {
        Some(id) => view! { <PollPage id /> }.into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}

/// `/partnerships/:id`: a page made anew for each consultation.
#[component]
fn PartnershipRoute() -> impl IntoView {
    let id = poll_param();
    move || match id.get() {
        Some(id) => view! { <PartnershipPage id /> }.into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}

/// `/polls/:id/edit`.
#[component]
fn EditRoute() -> impl IntoView {
    let id = poll_param();
    move || match id.get() {
        Some(id) => view! { <Editor id=Some(id) /> }.into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}

/// Any address the dashboard does not have.
#[component]
fn NotFound() -> impl IntoView {
    let ctx = Ctx::get();
    view! {
        <p class="cc-admin-status" data-testid="not-found">{move || ctx.t().not_found}</p>
        <a href=Page::List.path()>{move || ctx.t().back_to_list}</a>
    }
}
