//! The addresses of the dashboard's pages under `/admin`. `leptos_router` matches them (see
//! `app.rs`) and moves between them without reloading; the server answers every `/admin/…`
//! path with the app, so a reload or a shared link lands on the same page. Links are built
//! from [`Page`] so that no page spells a path by hand.

use concerto_core::PollId;

/// Where the dashboard lives: the router's base.
pub const BASE: &str = "/admin";

/// One page of the dashboard, as a link names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// The organisation's consultations.
    List,
    /// A new consultation.
    New,
    /// One consultation: state, sharing, results, exports.
    Poll(PollId),
    /// Editing one consultation.
    Edit(PollId),
    /// The organisation's organisers and invitations.
    Team,
    /// The consultations other organisations invited this one to co-host.
    Partnerships,
    /// One consultation this organisation co-hosts (or is invited to), as its partner.
    Partnership(PollId),
    /// Logging in.
    Login,
}

impl Page {
    /// The page's whole path, base included, as a link's `href` needs it.
    pub fn path(&self) -> String {
        match self {
            Page::List => format!("{BASE}/"),
            Page::New => format!("{BASE}/polls/new"),
            Page::Poll(id) => format!("{BASE}/polls/{id}"),
            Page::Edit(id) => format!("{BASE}/polls/{id}/edit"),
            Page::Team => format!("{BASE}/team"),
            Page::Partnerships => format!("{BASE}/partnerships"),
            Page::Partnership(id) => format!("{BASE}/partnerships/{id}"),
            Page::Login => format!("{BASE}/login"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_lives_under_the_base() {
        let id = PollId::parse("k3x9m2pq7rtw").unwrap();
        for p in [
            Page::List,
            Page::New,
            Page::Poll(id.clone()),
            Page::Edit(id.clone()),
            Page::Team,
            Page::Partnerships,
            Page::Partnership(id),
            Page::Login,
        ] {
            // The router only takes over links below its base: anything else reloads.
            assert!(p.path().starts_with(&format!("{BASE}/")), "{p:?}");
        }
    }
}
