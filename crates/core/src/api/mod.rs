//! The HTTP API's bodies: written by the server, read by the dashboard (and by the API tests'
//! Rust readers), defined once so that the two sides cannot drift apart.
//!
//! The widget reads its few bodies (a receipt, a problem) by hand instead, to keep serde's
//! derived deserialisers out of the wasm residents download.

mod account;
mod answers;
mod codes;
mod follow;
mod partners;
mod polls;
mod problem;

pub use account::{
    Acceptance, Invitation, Login, Me, OrgView, PendingInvitation, SessionsRevoked, Team,
    TeamMember, User,
};
pub use answers::{
    Activity, ActivityKind, Actor, Deleted, PollDeleted, Receipt, ResponsePage, StoredResponse,
};
pub use codes::{CodeCounts, IssuedCodes, MAX_NEW_CODES, NewCodes};
pub use follow::{CrossTab, Group, Interval, Period, TextAnswer, TextPage, Timeline};
pub use partners::{
    Directory, OrgEntry, Partner, PartnerCount, PartnerInvite, PartnerOrigins, Partners,
    Partnership, PartnershipView, Partnerships,
};
pub use polls::OrgPoll;
pub use problem::{FieldProblem, Problem};
