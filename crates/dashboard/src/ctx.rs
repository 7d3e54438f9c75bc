//! What every page shares: the organiser's language, the page shown and who is logged in, as
//! one `Copy` handle provided as context; and moving between pages without reloading.
//!
//! Its own module so that pages and the frame (`app.rs`) both depend on it, not on each other.

use crate::api::{self, Me};
use crate::i18n::{self, Texts};
use crate::route::Route;
use concerto_ui::Lang;
use leptos::prelude::*;

/// What every page may read or change: a small `Copy` handle, provided as context.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// The organiser's language.
    pub lang: RwSignal<Lang>,
    /// The page shown.
    pub route: RwSignal<Route>,
    /// The logged-in organiser: `None` until known, then `Some(None)` when logged out.
    pub me: RwSignal<Option<Option<Me>>>,
}

impl Ctx {
    /// The dashboard's context.
    pub fn get() -> Self {
        expect_context::<Ctx>()
    }

    /// The strings of the current language (tracked).
    pub fn t(self) -> &'static Texts {
        i18n::t(self.lang.get())
    }

    /// Goes to `route`, adding it to the browser's history.
    pub fn go(self, route: Route) {
        if let Ok(history) = window().history() {
            let _ =
                history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&route.path()));
        }
        self.route.set(route);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    /// Checks the session again (after logging in or out).
    pub fn refresh_session(self) {
        leptos::task::spawn_local(async move {
            let me = api::me().await.ok();
            self.me.set(Some(me));
        });
    }
}

/// A link's click handler that moves to `route` without reloading (a plain click only:
/// a click with a modifier opens a new tab as usual).
pub fn nav(route: Route) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    let ctx = Ctx::get();
    move |ev: leptos::ev::MouseEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        ctx.go(route.clone());
    }
}
