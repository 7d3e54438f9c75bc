//! The collection server's account and organiser API, as the dashboard calls it: same
//! origin, with the session cookie the server set (HttpOnly: this code never sees it).

use concerto_core::{OrgId, PollId, PollSpec, PollState, QuestionResult, Results};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The logged-in organiser.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Me {
    /// Their account.
    pub user: User,
    /// Their organisation.
    pub org: Org,
}

/// An organiser's account.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    /// Their login.
    pub email: String,
    /// Their name.
    pub name: String,
}

/// An organisation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Org {
    /// Its id.
    pub id: OrgId,
    /// Its name.
    pub name: String,
}

/// A consultation as its organiser sees it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OrgPoll {
    /// Its id.
    pub id: PollId,
    /// What its organiser wrote.
    pub spec: PollSpec,
    /// Draft, open or closed.
    pub state: PollState,
    /// Answers stored so far.
    pub responses: u64,
    /// The standalone page.
    pub standalone_url: String,
    /// The HTML to paste on a partner's site.
    pub embed_snippet: String,
}

/// A new invitation to the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Invitation {
    /// The link to hand to the person invited.
    pub url: String,
}

/// One faulty field named by a problem response.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct FieldProblem {
    /// The field, such as `questions[0].prompt`.
    #[serde(default)]
    pub field: String,
    /// The problem's code, such as `too_short`.
    #[serde(default)]
    pub code: String,
    /// The option concerned (refused edits: `answered_option_removed`).
    #[serde(default)]
    pub option: Option<String>,
    /// The question concerned (refused edits: `answered_question_removed`).
    #[serde(default)]
    pub question: Option<String>,
    /// How many respondents the problem concerns (refused edits).
    #[serde(default)]
    pub count: Option<u64>,
    /// The rating value concerned (refused edits: `answered_value_excluded`).
    #[serde(default)]
    pub value: Option<u8>,
    /// The kind a question must keep (refused edits: `kind_changed`).
    #[serde(default)]
    pub was: Option<String>,
    /// The server's wording.
    #[serde(default)]
    pub detail: Option<String>,
}

/// A problem details (RFC 9457) body, reduced to what the dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Problem {
    /// Its type URI, such as `urn:concerto:problem:invalid-spec`.
    #[serde(default, rename = "type")]
    pub kind: String,
    /// Explanation of this occurrence.
    #[serde(default)]
    pub detail: Option<String>,
    /// One entry per faulty field.
    #[serde(default)]
    pub errors: Vec<FieldProblem>,
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
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
            ApiError::Status(_, p) => p.detail.as_deref(),
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

/// Logs in; the server sets the session cookie.
pub async fn login(email: String, password: String) -> Result<(), ApiError> {
    let body = serde_json::json!({ "email": email, "password": password });
    send::<Value>(Request::post("/api/v1/auth/login"), Some(&body))
        .await
        .map(drop)
}

/// Creates an account from an invitation and logs it in.
pub async fn accept(
    token: String,
    email: String,
    name: String,
    password: String,
) -> Result<(), ApiError> {
    // The token is from the URL's fragment: keep it to its alphabet before it goes in a path.
    let token: String = token
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let body = serde_json::json!({ "email": email, "name": name, "password": password });
    send::<Value>(
        Request::post(&format!("/api/v1/auth/invitations/{token}")),
        Some(&body),
    )
    .await
    .map(drop)
}

/// Ends the session.
pub async fn logout() -> Result<(), ApiError> {
    send::<Value>(Request::post("/api/v1/auth/logout"), NO_BODY)
        .await
        .map(drop)
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
pub async fn delete_poll(id: &PollId, confirm: &str) -> Result<Value, ApiError> {
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

/// One organiser of the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TeamMember {
    /// Their name.
    pub name: String,
    /// Their email.
    pub email: String,
    /// When they joined (RFC 3339).
    pub joined_at: String,
}

/// An invitation not used yet.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PendingInvitation {
    /// Its id, for revoking it.
    pub id: String,
    /// Who made it, when known.
    pub created_by: Option<String>,
    /// When (RFC 3339).
    pub created_at: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
}

/// The organisation's organisers and pending invitations.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Team {
    /// The organisers, in the order they joined.
    pub organisers: Vec<TeamMember>,
    /// The invitations still usable, newest first.
    pub invitations: Vec<PendingInvitation>,
}

/// The organisation's team.
pub async fn team() -> Result<Team, ApiError> {
    get("/api/v1/org/team").await
}

/// Withdraws a pending invitation.
pub async fn revoke_invitation(id: &str) -> Result<Value, ApiError> {
    let id = String::from(js_sys::encode_uri_component(id));
    send(
        Request::delete(&format!("/api/v1/org/invitations/{id}")),
        NO_BODY,
    )
    .await
}

/// One resident's answer, whole.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ResponseItem {
    /// Its id, which a retry of the same answer reuses.
    pub submission_id: String,
    /// When it was received (RFC 3339, UTC).
    pub received_at: String,
    /// The answers, by question.
    pub answers: concerto_core::Answers,
}

/// A page of the answers list, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ResponsePage {
    /// The answers.
    pub responses: Vec<ResponseItem>,
    /// The cursor of the next page, if there is one.
    pub next: Option<i64>,
    /// How many answers match the filter.
    pub total: u64,
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
pub async fn delete_response(id: &PollId, submission: &str) -> Result<Value, ApiError> {
    let submission = String::from(js_sys::encode_uri_component(submission));
    send(
        Request::delete(&format!("/api/v1/org/polls/{id}/responses/{submission}")),
        NO_BODY,
    )
    .await
}

/// Deletes every answer of a consultation.
pub async fn delete_responses(id: &PollId) -> Result<Value, ApiError> {
    send(
        Request::delete(&format!("/api/v1/org/polls/{id}/responses")),
        NO_BODY,
    )
    .await
}

/// Who did something, as the activity log names them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Actor {
    /// The organiser's name; `None` for the organisation's API token.
    pub name: Option<String>,
    /// The organiser's email.
    pub email: Option<String>,
}

/// One entry of the organisation's activity log (never what the answers said).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Activity {
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: Actor,
    /// `answer_deleted`, `answers_deleted` or `consultation_deleted`.
    pub kind: String,
    /// The consultation's title then.
    pub poll_title: String,
    /// How many answers it concerned.
    pub answers: u64,
}

/// The organisation's activity log, newest first.
pub async fn activity() -> Result<Vec<Activity>, ApiError> {
    get("/api/v1/org/activity").await
}

/// One text answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TextItem {
    /// Its place among the answers (the paging cursor).
    pub seq: i64,
    /// When it was received (RFC 3339).
    pub received_at: String,
    /// What the resident wrote.
    pub text: String,
}

/// A page of text answers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TextPage {
    /// The answers, oldest first.
    pub items: Vec<TextItem>,
    /// The cursor of the next page, if there is one.
    pub next: Option<i64>,
}

/// Answers received in one period.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Period {
    /// When the period starts (RFC 3339, UTC).
    pub start: String,
    /// Answers received in it.
    pub count: u64,
}

/// Answers over time.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Timeline {
    /// The periods that have answers, oldest first.
    pub periods: Vec<Period>,
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

/// One group of a cross-tab: the respondents who gave one answer to the `by` question.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Group {
    /// `option:<id>`, `other`, or `unanswered`.
    pub group: String,
    /// Respondents in the group.
    pub respondents: u64,
    /// Their answers to the question.
    pub result: QuestionResult,
}

/// A question's results split by the answers to a single choice question.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CrossTab {
    /// One group per answer to the `by` question.
    pub groups: Vec<Group>,
}

/// The results of `question` for each answer to `by`, a single choice question.
pub async fn crosstab(id: &PollId, question: &str, by: &str) -> Result<CrossTab, ApiError> {
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s));
    get(&format!(
        "/api/v1/org/polls/{id}/crosstab?question={}&by={}",
        enc(question),
        enc(by)
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

/// The URL of an export of a consultation (`format`: `csv`, `json`, `ods`, `xlsx`).
pub fn export_url(id: &PollId, format: &str, query: &str) -> String {
    format!("/api/v1/org/polls/{id}/export.{format}{query}")
}
