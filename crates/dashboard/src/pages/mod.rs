//! One module per page of the dashboard.

pub mod editor;
pub mod invitation;
pub mod list;
pub mod login;
pub mod partnership;
pub mod partnerships;
pub mod poll;
pub mod responses;
pub mod team;

use crate::api::ApiError;
use crate::ctx::Ctx;
use leptos::prelude::*;

/// The message for a failed call, in the organiser's language.
pub fn error_text(ctx: Ctx, e: &ApiError) -> String {
    let t = ctx.t();
    match e {
        ApiError::Network => t.network_error.to_owned(),
        // The frame has already swapped the page for the login form (see `api::session_ended`).
        ApiError::Unauthorized => t.session_ended.to_owned(),
        ApiError::TooMany => t.too_many_attempts.to_owned(),
        ApiError::Status(404, _) => t.not_found.to_owned(),
        ApiError::Status(_, p) if p.detail.is_empty() => t.server_error.to_owned(),
        ApiError::Status(_, p) => p.detail.clone(),
    }
}

/// An error message, announced by screen readers when it appears.
#[component]
pub fn ErrorNote(
    /// The message.
    message: String,
) -> impl IntoView {
    view! { <p class="cc-admin-error" role="alert" data-testid="error">{message}</p> }
}
