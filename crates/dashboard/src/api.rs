//! The collection server's account and organiser API, as the dashboard calls it: same
//! origin, with the session cookie the server set (HttpOnly: this code never sees it).

pub use concerto_core::api::{
    Acceptance, Activity, Actor, CodeCounts, CrossTab, Deleted, Directory, FieldProblem, Group,
    Invitation, IssuedCodes, Login, Me, NewCodes, OrgEntry, OrgPoll, Partner, PartnerInvite,
    Partners, Partnership, PartnershipView, Partnerships, PendingInvitation, Period, PollDeleted,
    Problem, ResponsePage, StoredResponse, Team, TeamMember, TextAnswer, TextPage, Timeline,
};
use concerto_core::{OrgId, PartnerKey, PollId, PollSpec, QuestionId, Results, SubmissionId};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server could not be reached, or its answer could not be read.
    Network,
    /// 401: not logged in (or the session ended), or a wrong email or password.
    Unauthorized,
    /// 429: too many attempts; try again in a minute.
    TooMany,
    /// Any other refusal, with the server's explanation.
    Status(u16, Problem),
}

impl ApiError {
    /// The server's detail, when it gave one.
    pub fn detail(&self) -> Option<&str> {
        match self {
            ApiError::Status(_, p) if !p.detail.is_empty() => Some(&p.detail),
            _ => None,
        }
    }
}

/// The window event that says the session ended (expired, revoked, logged out elsewhere).
pub const SESSION_ENDED: &str = "concerto-session-ended";

/// Says, once for every call that met a 401, that the session ended: the frame listens and
/// shows the login form in place of the page. An event rather than shared state, so that
/// calls need no handle on the frame.
pub fn session_ended() {
    if let Ok(event) = web_sys::Event::new(SESSION_ENDED) {
        let _ = leptos::prelude::window().dispatch_event(&event);
    }
}

fn json_headers(builder: RequestBuilder) -> RequestBuilder {
    builder.header("Accept", "application/json, application/problem+json")
}

async fn read<T: DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> Result<T, ApiError> {
    let response = response.map_err(|_| ApiError::Network)?;
    let status = response.status();
    if (200..300).contains(&status) {
        // A 204 has no body: read it as JSON `null`.
        let text = response.text().await.map_err(|_| ApiError::Network)?;
        let text = if text.trim().is_empty() {
            "null"
        } else {
            &text
        };
        return serde_json::from_str(text).map_err(|_| ApiError::Network);
    }
    Err(match status {
        401 => {
            session_ended();
            ApiError::Unauthorized
        }
        429 => ApiError::TooMany,
        other => {
            let problem = response
                .json::<Value>()
                .await
                .ok()
                .and_then(|v| Problem::deserialize(v).ok())
                .unwrap_or_default();
            ApiError::Status(other, problem)
        }
    })
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    read(json_headers(Request::get(url)).send().await).await
}

async fn send<T: DeserializeOwned>(
    builder: RequestBuilder,
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    let builder = json_headers(builder);
    let request = match body {
        Some(body) => builder.json(body),
        None => builder.build(),
    }
    .map_err(|_| ApiError::Network)?;
    read(request.send().await).await
}

const NO_BODY: Option<&()> = None;

/// The logged-in organiser, or [`ApiError::Unauthorized`].
pub async fn me() -> Result<Me, ApiError> {
    get("/api/v1/auth/me").await
}

/// Logs in; the server sets the session cookie and says who is logged in.
pub async fn login(email: String, password: String) -> Result<Me, ApiError> {
    let body = Login { email, password };
    send(Request::post("/api/v1/auth/login"), Some(&body)).await
}

/// Creates an account from an invitation and logs it in.
pub async fn accept(
    token: String,
    email: String,
    name: String,
    password: String,
) -> Result<Me, ApiError> {
    // In the body: a path or a query would be kept by proxies' logs.
    let body = Acceptance {
        token,
        email,
        name,
        password,
    };
    send(
        Request::post("/api/v1/auth/invitations/accept"),
        Some(&body),
    )
    .await
}

/// Ends the session.
pub async fn logout() -> Result<(), ApiError> {
    send(Request::post("/api/v1/auth/logout"), NO_BODY).await
}

/// The organisation's consultations.
pub async fn polls() -> Result<Vec<OrgPoll>, ApiError> {
    get("/api/v1/org/polls").await
}

/// One consultation.
pub async fn poll(id: &PollId) -> Result<OrgPoll, ApiError> {
    get(&format!("/api/v1/org/polls/{id}")).await
}

/// Creates a draft.
pub async fn create(spec: &PollSpec) -> Result<OrgPoll, ApiError> {
    send(Request::post("/api/v1/org/polls"), Some(spec)).await
}

/// Replaces a consultation's definition.
pub async fn update(id: &PollId, spec: &PollSpec) -> Result<OrgPoll, ApiError> {
    send(Request::put(&format!("/api/v1/org/polls/{id}")), Some(spec)).await
}

/// Opens (or reopens) a consultation.
pub async fn open(id: &PollId) -> Result<OrgPoll, ApiError> {
    send(
        Request::post(&format!("/api/v1/org/polls/{id}/open")),
        NO_BODY,
    )
    .await
}

/// Deletes a consultation with its answers; one that was opened needs its title, as typed
/// by the organiser, in `confirm`.
pub async fn delete_poll(id: &PollId, confirm: &str) -> Result<PollDeleted, ApiError> {
    let confirm = String::from(js_sys::encode_uri_component(confirm));
    send(
        Request::delete(&format!("/api/v1/org/polls/{id}?confirm={confirm}")),
        NO_BODY,
    )
    .await
}

/// A new draft with the same definition as `id`.
pub async fn duplicate(id: &PollId) -> Result<OrgPoll, ApiError> {
    send(
        Request::post(&format!("/api/v1/org/polls/{id}/duplicate")),
        NO_BODY,
    )
    .await
}

/// Closes a consultation.
pub async fn close(id: &PollId) -> Result<OrgPoll, ApiError> {
    send(
        Request::post(&format!("/api/v1/org/polls/{id}/close")),
        NO_BODY,
    )
    .await
}

/// A consultation's results, whatever their public visibility.
pub async fn results(id: &PollId) -> Result<Results, ApiError> {
    get(&format!("/api/v1/org/polls/{id}/results")).await
}

/// An invitation for another organiser of the organisation.
pub async fn invite() -> Result<Invitation, ApiError> {
    send(Request::post("/api/v1/org/invitations"), NO_BODY).await
}

/// The organisation's team.
pub async fn team() -> Result<Team, ApiError> {
    get("/api/v1/org/team").await
}

/// Withdraws a pending invitation.
pub async fn revoke_invitation(id: &str) -> Result<(), ApiError> {
    let id = String::from(js_sys::encode_uri_component(id));
    send(
        Request::delete(&format!("/api/v1/org/invitations/{id}")),
        NO_BODY,
    )
    .await
}

/// Which answers the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseFilter {
    /// `question:option` (or `question:other`), empty for every answer.
    pub answer: String,
    /// First day (`YYYY-MM-DD`), empty for none.
    pub from: String,
    /// Last day, empty for none.
    pub to: String,
}

/// A page of a consultation's answers, newest first, from `before` (a page's `next`).
pub async fn responses(
    id: &PollId,
    filter: &ResponseFilter,
    before: Option<i64>,
) -> Result<ResponsePage, ApiError> {
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s));
    let mut url = format!("/api/v1/org/polls/{id}/responses?limit=20");
    for (key, value) in [
        ("answer", &filter.answer),
        ("from", &filter.from),
        ("to", &filter.to),
    ] {
        if !value.is_empty() {
            url.push_str(&format!("&{key}={}", enc(value)));
        }
    }
    if let Some(before) = before {
        url.push_str(&format!("&before={before}"));
    }
    get(&url).await
}

/// Deletes one answer.
pub async fn delete_response(id: &PollId, submission: &SubmissionId) -> Result<Deleted, ApiError> {
    let submission = String::from(js_sys::encode_uri_component(submission.as_str()));
    send(
        Request::delete(&format!("/api/v1/org/polls/{id}/responses/{submission}")),
        NO_BODY,
    )
    .await
}

/// Deletes every answer of a consultation.
pub async fn delete_responses(id: &PollId) -> Result<Deleted, ApiError> {
    send(
        Request::delete(&format!("/api/v1/org/polls/{id}/responses")),
        NO_BODY,
    )
    .await
}

/// The organisation's activity log, newest first.
pub async fn activity() -> Result<Vec<Activity>, ApiError> {
    get("/api/v1/org/activity").await
}

/// Text answers to `question` (a text question, or a single choice's "other"), containing
/// `search` when it is not empty, from the cursor `after`.
pub async fn texts(
    id: &PollId,
    question: &str,
    search: &str,
    after: i64,
) -> Result<TextPage, ApiError> {
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s));
    let mut url = format!(
        "/api/v1/org/polls/{id}/texts?question={}&limit=20&after={after}",
        enc(question)
    );
    if !search.trim().is_empty() {
        url.push_str(&format!("&q={}", enc(search.trim())));
    }
    get(&url).await
}

/// What splits the respondents of a cross-tabulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    /// Their answer to a single choice question.
    Question(QuestionId),
    /// The partner they came through (or the owner's own sites, links and QR codes).
    Partner,
}

/// The results of `question` for each group of respondents `split` makes.
pub async fn crosstab(id: &PollId, question: &str, split: &Split) -> Result<CrossTab, ApiError> {
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s));
    let by = match split {
        Split::Question(by) => format!("by={}", enc(by.as_str())),
        Split::Partner => "by_partner=true".to_owned(),
    };
    get(&format!(
        "/api/v1/org/polls/{id}/crosstab?question={}&{by}",
        enc(question)
    ))
    .await
}

/// Answers per day.
pub async fn timeline(id: &PollId) -> Result<Timeline, ApiError> {
    get(&format!("/api/v1/org/polls/{id}/timeline")).await
}

/// The server-sent events of a consultation: a `count` event with `{"responses": n}`.
pub fn events_url(id: &PollId) -> String {
    format!("/api/v1/org/polls/{id}/events")
}

/// The URL of the QR code of a consultation's standalone link (`format`: `svg`, `png`).
pub fn qr_url(id: &PollId, format: &str) -> String {
    format!("/api/v1/org/polls/{id}/qr.{format}")
}

/// How many participation codes a consultation has, and how many were used.
pub async fn code_counts(id: &PollId) -> Result<CodeCounts, ApiError> {
    get(&format!("/api/v1/org/polls/{id}/codes")).await
}

/// `count` new participation codes, shown this once.
pub async fn make_codes(id: &PollId, count: u32) -> Result<IssuedCodes, ApiError> {
    send(
        Request::post(&format!("/api/v1/org/polls/{id}/codes")),
        Some(&NewCodes { count }),
    )
    .await
}

/// The URL of the QR code of the standalone link that fills in a participation code.
pub fn code_qr_url(id: &PollId, code: &str) -> String {
    let code = String::from(js_sys::encode_uri_component(code));
    format!("/api/v1/org/polls/{id}/qr.svg?code={code}")
}

/// The URL of an export of a consultation (`format`: `csv`, `json`, `ods`, `xlsx`).
pub fn export_url(id: &PollId, format: &str, query: &str) -> String {
    format!("/api/v1/org/polls/{id}/export.{format}{query}")
}

/// The other organisations of this server, to invite as partners.
pub async fn directory() -> Result<Directory, ApiError> {
    get("/api/v1/org/directory").await
}

/// A consultation's partners, with the answers each brought and the owner's own.
pub async fn partners(id: &PollId) -> Result<Partners, ApiError> {
    get(&format!("/api/v1/org/polls/{id}/partners")).await
}

/// Invites `org` to co-host a consultation.
pub async fn invite_partner(id: &PollId, org: OrgId) -> Result<Partner, ApiError> {
    send(
        Request::post(&format!("/api/v1/org/polls/{id}/partners")),
        Some(&PartnerInvite { org }),
    )
    .await
}

/// Ends a partnership (or withdraws an invitation), as the consultation's owner.
pub async fn end_partner(id: &PollId, org: &OrgId) -> Result<Partner, ApiError> {
    let org = String::from(js_sys::encode_uri_component(org.as_str()));
    send(
        Request::delete(&format!("/api/v1/org/polls/{id}/partners/{org}")),
        NO_BODY,
    )
    .await
}

/// The URL of the QR code of a partner's link, as the owner sees it (`format`: `svg`, `png`).
pub fn partner_qr_url(id: &PollId, key: &PartnerKey, format: &str) -> String {
    let key = String::from(js_sys::encode_uri_component(key.as_str()));
    format!("/api/v1/org/polls/{id}/qr.{format}?partner={key}")
}

/// The consultations this organisation co-hosts or is invited to.
pub async fn partnerships() -> Result<Partnerships, ApiError> {
    get("/api/v1/org/partnerships").await
}

/// What this organisation follows of a consultation it co-hosts.
pub async fn partnership(id: &PollId) -> Result<PartnershipView, ApiError> {
    get(&format!("/api/v1/org/partnerships/{id}")).await
}

/// Accepts an invitation to co-host a consultation.
pub async fn accept_partnership(id: &PollId) -> Result<Partnership, ApiError> {
    send(
        Request::post(&format!("/api/v1/org/partnerships/{id}/accept")),
        NO_BODY,
    )
    .await
}

/// Declines an invitation, or leaves a partnership.
pub async fn leave_partnership(id: &PollId) -> Result<(), ApiError> {
    send(
        Request::delete(&format!("/api/v1/org/partnerships/{id}")),
        NO_BODY,
    )
    .await
}

/// Replaces this organisation's sites that embed a consultation it co-hosts. The lines go as
/// typed (trimmed): the server checks them and names each faulty one (`origins[i]`).
pub async fn set_partner_origins(id: &PollId, origins: &[String]) -> Result<Partnership, ApiError> {
    send(
        Request::put(&format!("/api/v1/org/partnerships/{id}/origins")),
        Some(&serde_json::json!({ "origins": origins })),
    )
    .await
}

/// The URL of the QR code of this organisation's own link to a consultation it co-hosts.
pub fn partnership_qr_url(id: &PollId, format: &str) -> String {
    format!("/api/v1/org/partnerships/{id}/qr.{format}")
}
