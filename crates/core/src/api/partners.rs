//! Partners of a consultation, as its owner and as each partner see them.

use crate::{OrgId, Origin, PartnerKey, PartnerState, PollId, PollState, PublicPoll, Results};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// An organisation of this server, for the owner to choose partners from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgEntry {
    /// Its id.
    pub id: OrgId,
    /// Its name.
    pub name: String,
}

/// `GET /api/v1/org/directory`: the other organisations of this server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Directory {
    /// By name.
    pub orgs: Vec<OrgEntry>,
}

/// `POST /api/v1/org/polls/{id}/partners`: invites an organisation to co-host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerInvite {
    /// The organisation invited.
    pub org: OrgId,
}

/// `PUT /api/v1/org/partnerships/{id}/origins`: the partner's own sites that embed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerOrigins {
    /// Web origins, as `https://asso.example`.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub origins: Vec<Origin>,
}

/// One partner of a consultation, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partner {
    /// The partner organisation.
    pub org: OrgId,
    /// Its name.
    pub name: String,
    /// Its key, in its snippet and its QR codes.
    pub key: PartnerKey,
    /// Invited, active or ended.
    pub state: PartnerState,
    /// Its sites that embed the consultation.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub origins: Vec<Origin>,
    /// Answers that came through it.
    pub answers: u64,
    /// When it was invited.
    #[serde(with = "time::serde::rfc3339")]
    pub invited_at: OffsetDateTime,
    /// When it accepted, if it did.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub accepted_at: Option<OffsetDateTime>,
    /// Its snippet, to paste on its sites.
    pub embed_snippet: String,
    /// The standalone page's link that counts for it, for its posters and flyers.
    pub qr_link: String,
}

/// `GET /api/v1/org/polls/{id}/partners`: a consultation's partners and who brought what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partners {
    /// Every partner ever invited, ended ones included, in the order they were invited.
    pub partners: Vec<Partner>,
    /// Answers that came through no partner: the owner's own sites, links and QR codes.
    pub own: u64,
    /// All answers.
    pub total: u64,
}

/// A consultation another organisation co-hosts with its owner, as that partner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partnership {
    /// The consultation.
    pub poll: PollId,
    /// Its title.
    pub title: crate::Text,
    /// Draft, open or closed.
    pub poll_state: PollState,
    /// The organisation that owns it.
    pub owner: OrgId,
    /// The owner's name.
    pub owner_name: String,
    /// Invited or active (ended partnerships are not shown to the partner).
    pub state: PartnerState,
    /// Its key, for its snippet and QR codes (once active).
    pub key: PartnerKey,
    /// Its sites that embed the consultation.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub origins: Vec<Origin>,
    /// When it was invited.
    #[serde(with = "time::serde::rfc3339")]
    pub invited_at: OffsetDateTime,
    /// Its snippet, to paste on its sites.
    pub embed_snippet: String,
    /// The standalone page's link that counts for it, for its posters and flyers.
    pub qr_link: String,
}

/// `GET /api/v1/org/partnerships`: the consultations this organisation co-hosts or is
/// invited to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partnerships {
    /// Newest invitation first.
    pub items: Vec<Partnership>,
}

/// `GET /api/v1/org/partnerships/{id}`: what a partner follows of a consultation it
/// co-hosts: the overall results, its own count and its share, never anyone's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnershipView {
    /// The partnership.
    pub partnership: Partnership,
    /// The consultation as residents see it (its questions, to read the results by).
    pub poll: PublicPoll,
    /// The overall tallies, every partner's answers together.
    pub results: Results,
    /// Answers that came through this partner.
    pub own: u64,
    /// All answers.
    pub total: u64,
}

/// How many answers came through one partner (or through the owner), on a public view:
/// `None` when fewer than the server's threshold, so that small groups are not exposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerCount {
    /// The organisation's name.
    pub name: String,
    /// Its answers, or `None` when hidden.
    pub answers: Option<u64>,
}
