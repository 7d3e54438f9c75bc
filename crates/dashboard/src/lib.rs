//! The Concerto organiser dashboard: log in, build consultations with a live preview, share
//! them, follow their results and export them. A client-side Leptos app that the collection
//! server serves under `/admin/`, talking only to that server's API with the session cookie.
//!
//! It sets no cookie of its own (the server sets the session cookie, HttpOnly), keeps only
//! the chosen language in `localStorage`, and renders every organiser's text as text.

pub mod api;
pub mod app;
pub mod copy_box;
pub mod ctx;
pub mod draft;
pub mod export;
pub mod i18n;
pub mod pages;
pub mod preview;
pub mod route;
pub mod share;

/// Mounts the dashboard on the page's `<body>`.
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
