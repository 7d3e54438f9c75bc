//! The OpenAPI 3.1 document of the HTTP API, served at `/api/v1/openapi.json`: generated from
//! the handlers' `#[utoipa::path]` annotations and the core types' schemas, so that it
//! follows the code. Each handler names its own refusals; the ones every route of a kind can
//! give (a request too slow, storage out of reach, a body too large or not JSON, a missing
//! organiser credential) and the problem+json body of every refusal are added here, once.

use crate::api::{account, answers, codes, export, follow, organiser, partners, public, qr};
use crate::error::PROBLEM_JSON;
use crate::health;
use axum::Json;
use axum::response::IntoResponse;
use concerto_core::{Answers, PollId, Question, SubmissionId, Text};
use std::borrow::Cow;
use std::sync::LazyLock;
use utoipa::openapi::RefOr;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{HttpMethod, Operation};
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type,
};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi as Document, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

/// Name of the bearer token scheme in the document.
const BEARER: &str = "organisation_token";
/// Name of the session cookie scheme in the document.
const SESSION: &str = "session_cookie";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Concerto",
        description = "The collection server of Concerto: consultations residents answer on \
            partners' sites, and the organiser API that creates, follows and exports them.\n\n\
            Every refusal is `application/problem+json` (RFC 9457) with one entry per faulty \
            field in `errors`.\n\n\
            Organiser routes take either `Authorization: Bearer <organisation token>` (scripts; \
            `concerto-server org create` prints one) or the dashboard's session cookie; a \
            state-changing request with the cookie must come from this server's own pages \
            (`Sec-Fetch-Site: same-origin`, or an `Origin` equal to the server's), else 403.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    paths(
        public::definition,
        public::submit,
        public::results,
        public::results_view,
        public::first_view,
        document,
        health::live,
        health::ready,
        account::login,
        account::logout,
        account::me,
        account::revoke_all,
        account::accept,
        organiser::list,
        organiser::create,
        organiser::show,
        organiser::update,
        organiser::open,
        organiser::close,
        organiser::duplicate,
        organiser::results,
        codes::create,
        codes::counts,
        export::export_csv,
        export::export_json,
        export::export_ods,
        export::export_xlsx,
        follow::events,
        follow::timeline,
        follow::texts,
        follow::crosstab,
        qr::qr_svg,
        qr::qr_png,
        answers::delete_poll,
        answers::list,
        answers::delete_all,
        answers::show,
        answers::delete_one,
        answers::activity,
        account::invite,
        account::revoke,
        account::team,
        partners::directory,
        partners::list,
        partners::invite,
        partners::end,
        partners::partnerships,
        partners::show,
        partners::accept,
        partners::leave,
        partners::set_origins,
        partners::qr_svg,
        partners::qr_png,
    ),
    components(schemas(concerto_core::api::Problem)),
    modifiers(&Refusals),
    tags(
        (name = "public", description = "Called by the widget from partners' pages."),
        (name = "organiser", description = "An organisation's consultations, answers and exports."),
        (name = "accounts", description = "Organisers' sessions, invitations and team."),
        (name = "partners", description = "Organisations co-hosting a consultation: the owner's invitations, each partner's view."),
        (name = "operations", description = "Health checks and this document."),
    ),
)]
struct ApiDoc;

/// Adds what every route of a kind may answer, and the problem+json body of every refusal.
struct Refusals;

/// A response with the problem+json body.
fn problem(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

/// Adds a refusal with `status` to `op` unless its handler already names it.
fn refuse(op: &mut Operation, status: &str, description: &str) {
    op.responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| problem(description).into());
}

impl Modify for Refusals {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An organisation's API token."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::COOKIE,
                "The dashboard's session (`__Host-concerto_session` over HTTPS), set by logging \
                 in; state-changing requests with it must come from this server's own pages.",
            ))),
        );
        for (path, item) in doc.paths.paths.iter_mut() {
            let api = path.starts_with("/api/v1/") && path != "/api/v1/openapi.json";
            let organiser = path.starts_with("/api/v1/org/");
            let session_only = matches!(
                path.as_str(),
                "/api/v1/auth/me" | "/api/v1/auth/logout" | "/api/v1/auth/sessions/revoke-all"
            );
            for (method, op) in [
                (HttpMethod::Get, item.get.as_mut()),
                (HttpMethod::Post, item.post.as_mut()),
                (HttpMethod::Put, item.put.as_mut()),
                (HttpMethod::Delete, item.delete.as_mut()),
            ] {
                let Some(op) = op else { continue };
                if organiser || session_only {
                    let mut schemes = vec![utoipa::openapi::security::SecurityRequirement::new(
                        SESSION,
                        Vec::<String>::new(),
                    )];
                    if organiser {
                        schemes.insert(
                            0,
                            utoipa::openapi::security::SecurityRequirement::new(
                                BEARER,
                                Vec::<String>::new(),
                            ),
                        );
                    }
                    op.security = Some(schemes);
                    refuse(
                        op,
                        "401",
                        "No valid organiser credential (or, on account routes, no session).",
                    );
                    if method != HttpMethod::Get {
                        refuse(
                            op,
                            "403",
                            "A state-changing request with the session cookie from another site.",
                        );
                    }
                }
                if op.request_body.is_some() {
                    refuse(op, "400", "The body is not JSON, or not the JSON expected.");
                    refuse(op, "413", "The body is larger than this route takes.");
                    refuse(op, "415", "The body is not `application/json`.");
                }
                refuse(op, "408", "The request took too long to arrive.");
                if api {
                    refuse(
                        op,
                        "503",
                        "Storage is out of reach; try again (`Retry-After`).",
                    );
                }
                // A status the handler named without a body gets the problem+json one.
                for (status, response) in op.responses.responses.iter_mut() {
                    if let utoipa::openapi::RefOr::T(r) = response
                        && r.content.is_empty()
                        && (status.starts_with('4') || status.starts_with('5'))
                    {
                        *r = problem(&r.description);
                    }
                }
            }
        }
    }
}

/// The schema of a file download (spreadsheets, images): bytes, not JSON.
pub struct Binary;

impl PartialSchema for Binary {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl ToSchema for Binary {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Binary")
    }
}

/// The schema of one event of the live count (`text/event-stream`), as read by a client:
/// its name and its data, a JSON object with the number of answers.
pub struct CountEvent;

impl PartialSchema for CountEvent {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property(
                "event",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(["count"])),
            )
            .property(
                "data",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .content_media_type("application/json")
                    .description(Some("`{\"responses\": n}`: the answers stored so far.")),
            )
            .required("event")
            .required("data")
            .into()
    }
}

impl ToSchema for CountEvent {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("CountEvent")
    }
}

/// The schema of the JSON export, which `export::json` writes piece by piece as it streams.
pub struct JsonExport;

impl PartialSchema for JsonExport {
    fn schema() -> RefOr<Schema> {
        let definition = ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some("What the answers' question and option ids refer to."))
            .property("id", PollId::schema())
            .property("title", Ref::from_schema_name(Text::name()))
            .property(
                "questions",
                ArrayBuilder::new().items(Ref::from_schema_name(Question::name())),
            )
            .required("id")
            .required("title")
            .required("questions");
        let answer = ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("submission_id", SubmissionId::schema())
            .property(
                "received_at",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
                    .description(Some("With the offset of the server's time zone.")),
            )
            .property("answers", Ref::from_schema_name(Answers::name()))
            .required("submission_id")
            .required("received_at")
            .required("answers");
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("consultation", definition)
            .property("answers", ArrayBuilder::new().items(answer))
            .required("consultation")
            .required("answers")
            .into()
    }
}

impl ToSchema for JsonExport {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("JsonExport")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        for (name, schema) in [
            (Text::name(), Text::schema()),
            (Question::name(), Question::schema()),
            (Answers::name(), Answers::schema()),
        ] {
            schemas.push((name.into_owned(), schema));
        }
        Question::schemas(schemas);
        Answers::schemas(schemas);
    }
}

/// The document, built once.
static DOCUMENT: LazyLock<Document> = LazyLock::new(ApiDoc::openapi);

/// The OpenAPI document of the API.
pub fn document_value() -> &'static Document {
    &DOCUMENT
}

/// `GET /api/v1/openapi.json`: this document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API.",
        content_type = "application/json", body = Object)),
)]
pub async fn document() -> impl IntoResponse {
    Json(document_value())
}
