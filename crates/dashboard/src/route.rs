//! The dashboard's pages and their addresses under `/admin/`. The History API moves between
//! them without reloading; the server answers every `/admin/…` path with the app, so a
//! reload or a shared link lands on the same page.

use concerto_core::PollId;

/// Where the dashboard's pages live.
pub const BASE: &str = "/admin/";

/// One page of the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
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
    /// Accepting an invitation; the token is in the URL's fragment.
    Invitation,
    /// Logging in.
    Login,
    /// Anything else.
    NotFound,
}

impl Route {
    /// The page at `path` (a URL's path, such as `/admin/polls/abc`).
    pub fn parse(path: &str) -> Self {
        let rest = path
            .strip_prefix(BASE)
            .or_else(|| path.strip_prefix("/admin"))
            .unwrap_or(path)
            .trim_matches('/');
        let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] | ["polls"] => Route::List,
            ["login"] => Route::Login,
            ["team"] => Route::Team,
            ["invitation"] => Route::Invitation,
            ["polls", "new"] => Route::New,
            ["polls", id] => PollId::parse(*id).map_or(Route::NotFound, Route::Poll),
            ["polls", id, "edit"] => PollId::parse(*id).map_or(Route::NotFound, Route::Edit),
            _ => Route::NotFound,
        }
    }

    /// The page's path.
    pub fn path(&self) -> String {
        match self {
            Route::List | Route::NotFound => BASE.to_owned(),
            Route::New => format!("{BASE}polls/new"),
            Route::Poll(id) => format!("{BASE}polls/{id}"),
            Route::Edit(id) => format!("{BASE}polls/{id}/edit"),
            Route::Team => format!("{BASE}team"),
            Route::Invitation => format!("{BASE}invitation"),
            Route::Login => format!("{BASE}login"),
        }
    }

    /// Whether the page needs a logged-in organiser.
    pub fn needs_session(&self) -> bool {
        !matches!(self, Route::Login | Route::Invitation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_reads_back_from_its_own_path() {
        let id = PollId::parse("k3x9m2pq7rtw").unwrap();
        for r in [
            Route::List,
            Route::New,
            Route::Poll(id.clone()),
            Route::Edit(id),
            Route::Team,
            Route::Invitation,
            Route::Login,
        ] {
            assert_eq!(Route::parse(&r.path()), r);
        }
    }

    #[test]
    fn unknown_paths_and_bad_ids_are_not_found() {
        assert_eq!(Route::parse("/admin"), Route::List);
        assert_eq!(Route::parse("/admin/polls/a%20b"), Route::NotFound);
        assert_eq!(Route::parse("/admin/nope"), Route::NotFound);
    }
}
