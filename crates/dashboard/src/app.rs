//! The dashboard's frame: who is logged in, which page is shown, in which language.

use crate::api;
use crate::ctx::{Ctx, nav};
use crate::i18n;
use crate::pages::{
    editor::Editor, invitation::InvitationPage, list::PollList, login::Login, poll::PollPage,
    team::TeamPage,
};
use crate::route::Route;
use concerto_ui::Lang;
use leptos::prelude::*;

/// Where the chosen language is kept (not a cookie: it never needs to reach the server).
const LANG_KEY: &str = "concerto-admin-lang";

fn stored_lang() -> Option<Lang> {
    let storage = window().local_storage().ok().flatten()?;
    Lang::from_tag(&storage.get_item(LANG_KEY).ok().flatten()?)
}

fn current_route() -> Route {
    Route::parse(&window().location().pathname().unwrap_or_default())
}

/// The whole dashboard.
#[component]
pub fn App() -> impl IntoView {
    let browser = window().navigator().language();
    let lang = RwSignal::new(stored_lang().unwrap_or_else(|| Lang::choose([browser.as_deref()])));
    let ctx = Ctx {
        lang,
        route: RwSignal::new(current_route()),
        me: RwSignal::new(None),
    };
    provide_context(ctx);
    ctx.refresh_session();
    let popstate = window_event_listener(leptos::ev::popstate, move |_| {
        ctx.route.set(current_route())
    });
    on_cleanup(move || popstate.remove());
    // A call met a 401: the session ended. The login form replaces the page, which comes back
    // once logged in again. Only from a session: a wrong password on the login form (a 401
    // too) leaves the form as it is.
    let ended = window_event_listener_untyped(api::SESSION_ENDED, move |_| {
        if matches!(ctx.me.get_untracked(), Some(Some(_))) {
            ctx.me.set(Some(None));
        }
    });
    on_cleanup(move || ended.remove());
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
        ctx.go(Route::Login);
    });

    let page = move || {
        let route = ctx.route.get();
        let session = ctx.me.get();
        match (&route, session) {
            (Route::Invitation, _) => view! { <InvitationPage /> }.into_any(),
            (_, None) => view! { <p class="cc-admin-status">{move || ctx.t().loading}</p> }.into_any(),
            (Route::Login, Some(Some(_))) => {
                // Already logged in: to the list.
                ctx.go(Route::List);
                ().into_any()
            }
            (r, Some(None)) if r.needs_session() => view! { <Login /> }.into_any(),
            (Route::Login, Some(None)) => view! { <Login /> }.into_any(),
            (Route::List, _) => view! { <PollList /> }.into_any(),
            (Route::Team, _) => view! { <TeamPage /> }.into_any(),
            (Route::New, _) => view! { <Editor id=None /> }.into_any(),
            (Route::Edit(id), _) => view! { <Editor id=Some(id.clone()) /> }.into_any(),
            (Route::Poll(id), _) => view! { <PollPage id=id.clone() /> }.into_any(),
            _ => view! {
                <p class="cc-admin-status">{move || ctx.t().not_found}</p>
                <a href=Route::List.path() on:click=nav(Route::List)>{move || ctx.t().back_to_list}</a>
            }
            .into_any(),
        }
    };
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
            <a class="cc-admin-header__brand" href=Route::List.path() on:click=nav(Route::List)>"Concerto"</a>
            {move || ctx.me.get().flatten().map(|_| view! {
                <nav class="cc-admin-header__nav" aria-label=move || ctx.t().nav_label>
                    <a href=Route::List.path() on:click=nav(Route::List)
                        aria-current=move || (ctx.route.get() == Route::List).then_some("page")>
                        {move || ctx.t().polls_title}
                    </a>
                    <a href=Route::Team.path() on:click=nav(Route::Team) data-testid="nav-team"
                        aria-current=move || (ctx.route.get() == Route::Team).then_some("page")>
                        {move || ctx.t().team_title}
                    </a>
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
        <main class="cc-admin-main" id="main">{page}</main>
    }
}
