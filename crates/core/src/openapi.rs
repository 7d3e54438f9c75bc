//! OpenAPI schemas of the types whose serde is written by hand (ids checked as they are read,
//! texts in one or two languages, checked answers, problem parameters), so that the server's
//! document says what these types really accept and send. Only with the `openapi` feature:
//! the widget and the dashboard never compile it.

use crate::answer::{Answer, Answers};
use crate::api::FieldProblem;
use crate::ids::{OptionId, OrgId, PollId, QuestionId, SLUG_MAX, SubmissionId};
use crate::origin::Origin;
use crate::text::Text;
use std::borrow::Cow;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, OneOfBuilder, Schema, Type};

use utoipa::{PartialSchema, ToSchema};

/// A string schema with a description.
fn string(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
}

macro_rules! slug_schema {
    ($name:ident, $what:literal) => {
        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                string(concat!(
                    $what,
                    ": ASCII letters, digits, `-` and `_`, 1 to 64 characters."
                ))
                .pattern(Some(format!("^[A-Za-z0-9_-]{{1,{SLUG_MAX}}}$")))
                .into()
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

slug_schema!(PollId, "A consultation's id");
slug_schema!(OrgId, "An organisation's id");
slug_schema!(
    QuestionId,
    "A question's id, unique within its consultation"
);
slug_schema!(OptionId, "A choice option's id, unique within its question");

impl PartialSchema for SubmissionId {
    fn schema() -> RefOr<Schema> {
        string("The id the client generated for one submission, a UUID; sent back lowercase.")
            .pattern(Some(
                "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$",
            ))
            .into()
    }
}

impl ToSchema for SubmissionId {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("SubmissionId")
    }
}

impl PartialSchema for Origin {
    fn schema() -> RefOr<Schema> {
        string("A web origin such as `https://quartier.example.org` (scheme, host, port).").into()
    }
}

impl ToSchema for Origin {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Origin")
    }
}

impl PartialSchema for Text {
    fn schema() -> RefOr<Schema> {
        let translated = ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "A French and an English version; at least one not empty.",
            ))
            .property("fr", string("The French version."))
            .property("en", string("The English version."))
            .min_properties(Some(1))
            .additional_properties(Some(AdditionalProperties::FreeForm(false)));
        OneOfBuilder::new()
            .description(Some(
                "An organiser's text: one string for every resident, or one per language.",
            ))
            .item(string("The same text whatever the resident's language."))
            .item(translated)
            .into()
    }
}

impl ToSchema for Text {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Text")
    }
}

impl PartialSchema for Answers {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some("Checked answers, keyed by question id."))
            .additional_properties(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                Answer::name(),
            ))))
            .into()
    }
}

impl ToSchema for Answers {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Answers")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((Answer::name().into_owned(), Answer::schema()));
        Answer::schemas(schemas);
    }
}

impl PartialSchema for FieldProblem {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "One faulty field; the code's parameters (such as `max`) sit beside `code`.",
            ))
            .property(
                "field",
                string("Where: a JSON path such as `answers.q3`, a parameter or a header name."),
            )
            .property(
                "code",
                string("A stable machine-readable code, such as `required` or `too_long`."),
            )
            .property("detail", string("A sentence for people reading it."))
            .required("field")
            .required("code")
            .required("detail")
            .additional_properties(Some(AdditionalProperties::FreeForm(true)))
            .into()
    }
}

impl ToSchema for FieldProblem {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("FieldProblem")
    }
}
