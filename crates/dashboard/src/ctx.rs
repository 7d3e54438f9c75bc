//! What every page shares: the organiser's language and who is logged in, as one `Copy`
//! handle provided as context; and moving between pages from code (links need nothing:
//! the router takes over their clicks).
//!
//! Its own module so that pages and the frame (`app.rs`) both depend on it, not on each other.

use crate::api::{self, Me};
use crate::i18n::{self, Texts};
use crate::route::Page;
use concerto_ui::Lang;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use std::rc::Rc;

/// The router's navigation, kept from the frame so that code running after an `await`
/// (where the router's context is out of reach) can still move to another page.
type Navigate = Rc<dyn Fn(&str, NavigateOptions)>;

/// What every page may read or change: a small `Copy` handle, provided as context.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The organiser's language.
    pub lang: RwSignal<Lang>,
    /// The logged-in organiser: `None` until known, then `Some(None)` when logged out.
    pub me: RwSignal<Option<Option<Me>>>,
    /// How many invitations to co-host a consultation wait for an answer (for the header's
    /// link), once known.
    pub invitations: RwSignal<Option<usize>>,
    navigate: StoredValue<Navigate, LocalStorage>,
}

impl Ctx {
    /// A context moving between pages with the router's `navigate` (from `use_navigate`).
    pub fn new(lang: Lang, navigate: impl Fn(&str, NavigateOptions) + 'static) -> Self {
        Self {
            lang: RwSignal::new(lang),
            me: RwSignal::new(None),
            invitations: RwSignal::new(None),
            navigate: StoredValue::new_local(Rc::new(navigate)),
        }
    }

    /// The dashboard's context.
    pub fn get() -> Self {
        expect_context::<Ctx>()
    }

    /// The strings of the current language (tracked).
    pub fn t(self) -> &'static Texts {
        i18n::t(self.lang.get())
    }

    /// Goes to `page`, adding it to the browser's history (and scrolling to the top).
    pub fn go(self, page: Page) {
        let navigate = self.navigate.with_value(Rc::clone);
        // The path already holds the base: not resolved again, which would double it.
        navigate(
            &page.path(),
            NavigateOptions {
                resolve: false,
                ..Default::default()
            },
        );
    }

    /// Counts again the invitations to co-host that wait for an answer (after logging in, or
    /// once one was accepted or declined).
    pub fn refresh_invitations(self) {
        leptos::task::spawn_local(async move {
            let count = api::partnerships().await.ok().map(|p| {
                p.items
                    .iter()
                    .filter(|p| p.state == concerto_core::PartnerState::Invited)
                    .count()
            });
            self.invitations.try_set(count);
        });
    }

    /// Checks the session again.
    pub fn refresh_session(self) {
        leptos::task::spawn_local(async move {
            let me = api::me().await.ok();
            self.me.set(Some(me));
        });
    }
}
