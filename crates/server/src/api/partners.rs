//! Partners: the owner invites organisations of this server to co-host a consultation; each
//! partner gets its key (for its snippet and its flyers' QR codes), adds its sites, and
//! follows the overall results with its own count, never anyone's answers.

use crate::error::ApiError;
use crate::store::StoredPoll;
use concerto_core::api::FieldProblem;
use concerto_core::{OrgId, PartnerKey, Submission};

/// The partner organisation `submission` came through: the one whose key it carries, any
/// partner the consultation ever had (an ended partner's flyers still count for it). A key
/// that is none of them is refused, naming `partner`.
pub fn partner_of<'a>(
    poll: &'a StoredPoll,
    submission: &Submission,
) -> Result<Option<&'a OrgId>, ApiError> {
    let Some(raw) = submission.partner.as_deref().filter(|k| !k.trim().is_empty()) else {
        return Ok(None);
    };
    let unknown = || {
        ApiError::Unprocessable(FieldProblem::new(
            "partner",
            "unknown",
            "is not the key of one of this consultation's partners",
        ))
    };
    let key = PartnerKey::parse(raw).map_err(|_| unknown())?;
    poll.partner_by_key(&key)
        .map(|p| Some(&p.org))
        .ok_or_else(unknown)
}
