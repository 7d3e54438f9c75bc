//! The standalone page of a consultation, `/p/{id}`, for links and QR codes.
//!
//! The page carries the widget's first view in a declarative shadow root, rendered here from
//! the widget's own components: the form shows at the speed of plain HTML, and `embed.js`
//! hands it to the widget once the wasm has loaded. Without JavaScript the same form posts
//! to the page itself (`POST /p/{id}`), which checks it with `core`'s `validate` and answers
//! with the form and its errors (focus on the first) or the thanks and results. The
//! submission id in the form makes a double post store one answer.
//!
//! A partner's link says whose it is and how it was opened: `/p/{id}?partner=KEY&via=qr` (the
//! partner's flyers), `via=page` being the page's default. The page tells the widget on its
//! placeholder (`data-concerto-partner`, `data-concerto-via`) and, for the plain form post,
//! in hidden fields (`source.partner`, `source.via`). A key that is malformed or none of the
//! consultation's partners is left out (an old flyer still opens the page), so the page only
//! ever carries a key the server takes on submit.

use crate::api::poll_id;
use crate::api::public::{accept, origin_allowed, visible_poll};
use crate::error::{ApiError, FieldProblem};
use crate::first_view::{self, FormOptions};
use crate::path_params::Path;
use crate::query_params::Query;
use crate::rate_limit::ClientIp;
use crate::state::AppState;
use crate::store::StoredPoll;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use concerto_core::{
    Availability, PartnerKey, PollState, PublicPoll, Submission, SubmissionId, Via,
};
use concerto_ui::Lang;
use concerto_ui::code_field::CODE_FIELD;
use concerto_ui::escape::escape_html;
use concerto_ui::form::{FormError, PARTNER_FIELD, Source, VIA_FIELD};
use concerto_ui::post::PostedForm;
use serde::Deserialize;

/// Security policy of the standalone page: only this server's own scripts, styles, wasm and
/// API, and forms posted to itself.
const STANDALONE_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
    base-uri 'none'; form-action 'self'";

/// Query of the standalone page.
#[derive(Deserialize)]
pub struct PageQuery {
    /// `fr` or `en`; else the browser's `Accept-Language`.
    pub lang: Option<String>,
    /// A participation code to fill in (the link of a letter's QR code).
    #[serde(default)]
    pub code: Option<String>,
    /// The key of the partner whose link or QR code this is.
    #[serde(default)]
    pub partner: Option<String>,
    /// How the link was opened: `qr` from a QR code, else `page` (anything else is `page`).
    #[serde(default)]
    pub via: Option<String>,
}

/// Where the page's answers come from: the partner of the link, when `partner` is the key of
/// one of `poll`'s partners (ended ones too: their flyers were printed), else none; and the
/// door, `qr` when `via` says so, else `page`. Never an error: an old or mistyped link still
/// opens the page, as the owner's own.
pub fn page_source(poll: &StoredPoll, partner: Option<&str>, via: Option<&str>) -> Source {
    let partner = partner
        .and_then(|k| PartnerKey::parse(k).ok())
        .filter(|k| poll.partner_by_key(k).is_some());
    Source {
        partner,
        via: page_via(via),
    }
}

/// The page's door: `qr` when the link or the form says so, else `page`.
fn page_via(via: Option<&str>) -> Via {
    match via.map(str::trim).and_then(Via::parse) {
        Some(Via::Qr) => Via::Qr,
        _ => Via::Page,
    }
}

/// The page's language: `?lang=`, else the browser's `Accept-Language`, else French.
pub fn page_lang(query: &PageQuery, headers: &HeaderMap) -> Lang {
    if let Some(lang) = query.lang.as_deref().and_then(Lang::from_tag) {
        return lang;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .find_map(|part| Lang::from_tag(part.split(';').next()?))
        })
        .unwrap_or_default()
}

/// What the page's placeholder holds.
enum Content {
    /// The widget's first view (the live widget takes it over), or nothing for the widget to
    /// load when the consultation is unknown.
    Widget(Option<String>),
    /// A result of a plain form post: shown as it is, with no script.
    Final(String),
}

/// The widget's stylesheet for the page's shadow root: inline, so the first paint waits for no
/// second request (the page's policy allows its own inline styles); a link to the file when
/// the bundle is missing it.
async fn stylesheet(state: &AppState) -> String {
    match first_view::widget_css(&state.widget_dir).await {
        Some(css) => format!("<style>{css}</style>"),
        None => r#"<link rel="stylesheet" href="/widget/widget.css">"#.to_owned(),
    }
}

/// The whole page around `content`, named after the consultation.
fn page(
    status: StatusCode,
    lang: Lang,
    id: &str,
    title: Option<&str>,
    style: &str,
    source: Option<&Source>,
    content: Content,
) -> Response {
    // The organiser's text is escaped, never markup.
    let heading = title.map_or_else(|| "Concerto".to_owned(), escape_html);
    let page_title = if title.is_some() {
        format!("{heading} – Concerto")
    } else {
        heading.clone()
    };
    let (inner, preload, script) = match content {
        Content::Widget(view) => (
            view,
            first_view::wasm_preload("/"),
            r#"<script src="/embed.js" async></script>"#,
        ),
        Content::Final(view) => (Some(view), String::new(), ""),
    };
    // A declarative shadow root: styled and isolated as on a partner's page, with no script.
    let shadow = inner.map_or_else(String::new, |view| {
        format!(
            r#"<template shadowrootmode="open">{style}<div class="cc-root" data-concerto-view>{view}</div></template>"#
        )
    });
    // For the widget: whose link this is, and how it was opened. A key holds only lowercase
    // letters and digits and a door's name is ours: both safe in HTML as they are.
    let source = source.map_or_else(String::new, |s| {
        let partner = s
            .partner
            .as_ref()
            .map_or_else(String::new, |k| format!(r#" data-concerto-partner="{k}""#));
        format!(r#"{partner} data-concerto-via="{}""#, s.via.as_str())
    });
    // `id` is a checked PollId (letters, digits, '-' and '_'): safe in HTML as it is.
    let html = format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{page_title}</title>
{preload}
<style>
  body {{ margin: 0; padding: 1rem; background: #f4f4f1; font-family: system-ui, sans-serif; }}
  main {{ max-width: 42rem; margin: 0 auto; }}
  .visually-hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip-path: inset(50%); white-space: nowrap; }}
</style>
</head>
<body>
<main>
<h1 class="visually-hidden">{heading}</h1>
<div data-concerto-poll="{id}"{source}>{shadow}</div>
</main>
{script}
</body>
</html>
"#
    );
    let mut resp = (status, Html(html)).into_response();
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(STANDALONE_CSP),
    );
    // Each page carries its own submission id: never served from a cache.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// The form's address, keeping the page's language.
fn action(id: &str, lang: Lang) -> String {
    format!("/p/{id}?lang={lang}")
}

/// A fresh submission id for a rendered form.
fn fresh_submission_id() -> Result<SubmissionId, ApiError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(SubmissionId::from_random_bytes(bytes))
}

/// `GET /p/{id}`: the consultation's first view, then the widget.
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = poll_id(&id)?;
    let lang = page_lang(&query, &headers);
    let Some(poll) = state
        .store
        .poll(&id)
        .await?
        .filter(|p| p.state != PollState::Draft)
    else {
        return Ok(page(
            StatusCode::NOT_FOUND,
            lang,
            id.as_str(),
            None,
            "",
            None,
            Content::Widget(None),
        ));
    };
    let (poll, availability) = visible_poll(&state, poll.id.as_str()).await?;
    let source = page_source(&poll, query.partner.as_deref(), query.via.as_deref());
    let public = PublicPoll::new(poll.id.clone(), &poll.spec, availability);
    let mut view = first_view::definition_script(&public);
    view.push_str(&if availability == Availability::Open {
        first_view::form(
            &public,
            lang,
            FormOptions {
                submission_id: Some(fresh_submission_id()?.to_string()),
                action: Some(action(id.as_str(), lang)),
                time_zone: Some(state.time_zone.clone()),
                code: query.code.clone().map(|c| (c, None)),
                source: Some(source.clone()),
                ..FormOptions::default()
            },
        )
    } else {
        first_view::notice(&public, lang)
    });
    Ok(page(
        StatusCode::OK,
        lang,
        id.as_str(),
        Some(public.title.get(lang)),
        &stylesheet(&state).await,
        Some(&source),
        Content::Widget(Some(view)),
    ))
}

/// `POST /p/{id}`: the form posted without script.
pub async fn post(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
    ClientIp(client): ClientIp,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (poll, availability) = visible_poll(&state, &id).await?;
    if !origin_allowed(&state, &headers, &poll) {
        return Err(ApiError::OriginNotAllowed);
    }
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return Err(ApiError::UnsupportedMediaType);
    }
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).map_err(|e| {
        ApiError::MalformedBody(FieldProblem::new("body", "malformed", e.to_string()))
    })?;
    let lang = page_lang(&query, &headers);
    let public = PublicPoll::new(poll.id.clone(), &poll.spec, availability);
    let title = public.title.get(lang).to_owned();
    let form = PostedForm::read(&public.questions, &fields);
    let submission_id = form
        .submission_id
        .as_deref()
        .and_then(|s| SubmissionId::parse(s).ok())
        .ok_or_else(|| {
            ApiError::InvalidInput(vec![FieldProblem::new(
                concerto_ui::form::SUBMISSION_FIELD,
                "invalid",
                "must be the UUID the form carried",
            )])
        })?;
    let field = |wanted: &str| {
        fields
            .iter()
            .find(|(name, _)| name == wanted)
            .map(|(_, v)| v.clone())
    };
    // The partner's key as the form carried it (the server's check names `partner` if it is
    // none of the consultation's), and the door, the page's unless it says QR code.
    let via = field(VIA_FIELD);
    let submission = Submission {
        submission_id: submission_id.clone(),
        answers: form.raw.clone(),
        code: field(CODE_FIELD),
        partner: field(PARTNER_FIELD).filter(|k| !k.trim().is_empty()),
        via: Some(page_via(via.as_deref())),
    };
    // Carried again by a form sent back with errors.
    let source = page_source(&poll, submission.partner.as_deref(), via.as_deref());
    let t = lang.t();
    let style = stylesheet(&state).await;
    let typed_code = submission.code.clone().unwrap_or_default();
    let again = |status: StatusCode,
                 errors: Vec<Option<String>>,
                 code_error: Option<String>,
                 message: &str| {
        let view = first_view::form(
            &public,
            lang,
            FormOptions {
                submission_id: Some(submission_id.to_string()),
                action: Some(action(poll.id.as_str(), lang)),
                time_zone: Some(state.time_zone.clone()),
                shown: form.shown.clone(),
                errors,
                code: Some((typed_code.clone(), code_error)),
                form_error: Some(FormError {
                    message: message.to_owned(),
                    details: Vec::new(),
                    can_retry: false,
                }),
                source: Some(source.clone()),
            },
        );
        page(
            status,
            lang,
            poll.id.as_str(),
            Some(&title),
            &style,
            None,
            Content::Final(view),
        )
    };
    match accept(&state, &poll, availability, &submission, client).await {
        Ok(_) => {
            let results = if poll.spec.results_visibility.public_results(availability) {
                Some(state.store.results(&poll).await?)
            } else {
                None
            };
            let view = first_view::thanks(&public, lang, results);
            Ok(page(
                StatusCode::OK,
                lang,
                poll.id.as_str(),
                Some(&title),
                &style,
                None,
                Content::Final(view),
            ))
        }
        Err(ApiError::InvalidAnswers(errors)) => {
            let messages = public
                .questions
                .iter()
                .map(|q| {
                    errors
                        .iter()
                        .find(|e| e.question == q.id.as_str())
                        .map(|e| lang.problem(&e.problem))
                })
                .collect();
            Ok(again(
                StatusCode::UNPROCESSABLE_ENTITY,
                messages,
                None,
                t.fix_answers,
            ))
        }
        Err(e @ ApiError::CodeRefused(why)) => Ok(again(
            e.status(),
            Vec::new(),
            Some(lang.code_problem(why.code()).to_owned()),
            t.fix_answers,
        )),
        Err(ApiError::NotAccepting(_)) => {
            Ok(again(StatusCode::CONFLICT, Vec::new(), None, t.closed))
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_speaks_the_language_asked_for_then_the_browser_s() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("de-DE, en;q=0.8"),
        );
        assert_eq!(
            page_lang(
                &PageQuery {
                    lang: None,
                    code: None,
                    partner: None,
                    via: None,
                },
                &headers
            ),
            Lang::En
        );
        let fr = PageQuery {
            lang: Some("fr".into()),
            code: None,
            partner: None,
            via: None,
        };
        assert_eq!(page_lang(&fr, &headers), Lang::Fr);
        assert_eq!(
            page_lang(
                &PageQuery {
                    lang: None,
                    code: None,
                    partner: None,
                    via: None,
                },
                &HeaderMap::new()
            ),
            Lang::Fr
        );
    }
}
