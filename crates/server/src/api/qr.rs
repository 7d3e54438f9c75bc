//! QR codes of a consultation's standalone page, for posters and shop windows: an SVG that
//! scales to any size and a PNG large enough to print, both with the quiet zone the standard
//! asks for, downloaded under the consultation's title. With `?code=`, the link carries a
//! participation code (`/p/{id}?code=K7M-3QX`), for the slips of a letterbox drop.

use super::poll_id;
use crate::api::export::content_disposition;
use crate::auth::OrgAuth;
use crate::error::ApiError;
use crate::path_params::Path;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use concerto_core::api::FieldProblem;
use concerto_core::{ParticipationCode, PartnerKey, PollId};
use qrcode::{Color, EcLevel, QrCode};
use serde::Deserialize;
use std::fmt::Write;

/// Light modules on each side of the code (ISO/IEC 18004 asks for four).
pub const QUIET_ZONE: usize = 4;

/// Pixels per module in the PNG: a version 3 code (a usual link) is 370 px wide, about 3 cm
/// at 300 dpi and still sharp when a word processor scales it up for a poster.
pub const PNG_MODULE_PX: usize = 10;

/// The module matrix of a QR code, quiet zone included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// Modules per side, quiet zone included.
    pub size: usize,
    /// Row by row, `true` for a dark module.
    dark: Vec<bool>,
}

impl Matrix {
    /// The code of `text`, at error correction level M (15 % of the code may be torn or
    /// dirty), or `None` when `text` is too long for a QR code.
    pub fn new(text: &str) -> Option<Self> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
        let width = code.width();
        let size = width + 2 * QUIET_ZONE;
        let mut dark = vec![false; size * size];
        for (i, color) in code.to_colors().into_iter().enumerate() {
            let (x, y) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
            dark[y * size + x] = color == Color::Dark;
        }
        Some(Self { size, dark })
    }

    /// Whether the module at column `x`, row `y` is dark.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.size + x]
    }

    /// An SVG document, one user unit per module, without a fixed size so that it scales to
    /// whatever it is placed in; each row's runs of dark modules are one rectangle each.
    pub fn svg(&self) -> String {
        let n = self.size;
        let mut path = String::new();
        for y in 0..n {
            let mut x = 0;
            while x < n {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < n && self.is_dark(x, y) {
                        x += 1;
                    }
                    let _ = write!(path, "M{start} {y}h{}v1h-{}z", x - start, x - start);
                } else {
                    x += 1;
                }
            }
        }
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {n} {n}\" \
             shape-rendering=\"crispEdges\">\
             <rect width=\"{n}\" height=\"{n}\" fill=\"#fff\"/>\
             <path fill=\"#000\" d=\"{path}\"/></svg>\n"
        )
    }

    /// A black and white PNG (1 bit per pixel), `module_px` pixels per module.
    pub fn png(&self, module_px: usize) -> Result<Vec<u8>, png::EncodingError> {
        let side = self.size * module_px;
        let row_bytes = side.div_ceil(8);
        let mut data = vec![0u8; row_bytes * side];
        for py in 0..side {
            for px in 0..side {
                // In 1-bit greyscale a set bit is white.
                if !self.is_dark(px / module_px, py / module_px) {
                    data[py * row_bytes + px / 8] |= 0x80 >> (px % 8);
                }
            }
        }
        let side = u32::try_from(side).expect("a QR code is at most 185 modules wide");
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&data)?;
        writer.finish()?;
        Ok(out)
    }
}

/// Query of a QR code: the partner whose link it is and the participation code its link fills
/// in, if any.
#[derive(Debug, Deserialize)]
pub struct QrQuery {
    /// A participation code, in any form a resident may type it.
    code: Option<String>,
    /// The key of one of the consultation's partners.
    partner: Option<String>,
}

/// The standalone page's link as a QR code gives it: `{public_url}p/{id}`, then the partner's
/// key and the participation code where given, and always `via=qr`. Keys and codes (in their
/// printed form) are letters, digits and a dash: nothing to escape.
pub fn page_link(
    public_url: &str,
    poll: &PollId,
    partner: Option<&PartnerKey>,
    code: Option<&ParticipationCode>,
) -> String {
    let mut url = format!("{public_url}p/{poll}?");
    if let Some(key) = partner {
        let _ = write!(url, "partner={key}&");
    }
    if let Some(c) = code {
        let _ = write!(url, "code={c}&");
    }
    url.push_str("via=qr");
    url
}

/// The query, or a 400 naming `query`.
fn read_query(query: Result<Query<QrQuery>, QueryRejection>) -> Result<QrQuery, ApiError> {
    query
        .map(|Query(q)| q)
        .map_err(|e| ApiError::BadParameter(FieldProblem::new("query", "malformed", e.body_text())))
}

/// The partner key of the query, checked for its form, or a 400 naming `partner`.
fn partner_key(query: &QrQuery) -> Result<Option<PartnerKey>, ApiError> {
    query
        .partner
        .as_deref()
        .map(|k| {
            PartnerKey::parse(k).map_err(|e| {
                ApiError::BadParameter(FieldProblem::new("partner", "format", e.to_string()))
            })
        })
        .transpose()
}

/// The participation code of the query, checked, or a 400 naming `code`.
fn participation_code(query: &QrQuery) -> Result<Option<ParticipationCode>, ApiError> {
    query
        .code
        .as_deref()
        .map(|c| {
            ParticipationCode::parse(c).map_err(|e| {
                let code = match e {
                    concerto_core::CodeError::Format => "format",
                    concerto_core::CodeError::Check => "typo",
                };
                ApiError::BadParameter(FieldProblem::new("code", code, e.to_string()))
            })
        })
        .transpose()
}

/// The link of the organiser's QR code (the partner's and the participation code as the
/// query asks: a key that is none of the consultation's partners is a 400 naming `partner`),
/// and the consultation's title.
async fn link(
    state: &AppState,
    org: &concerto_core::OrgId,
    id: &str,
    query: Result<Query<QrQuery>, QueryRejection>,
) -> Result<(String, String), ApiError> {
    let query = read_query(query)?;
    let partner = partner_key(&query)?;
    let participation = participation_code(&query)?;
    let poll = state.store.org_poll(org, &poll_id(id)?).await?;
    if let Some(key) = &partner
        && poll.partner_by_key(key).is_none()
    {
        return Err(ApiError::BadParameter(FieldProblem::new(
            "partner",
            "unknown",
            "is not the key of one of this consultation's partners",
        )));
    }
    let url = page_link(
        &state.public_url,
        &poll.id,
        partner.as_ref(),
        participation.as_ref(),
    );
    Ok((url, poll.spec.title.to_string()))
}

/// The QR code of `link`, or a 500 when it is too long for one.
fn matrix(link: &str) -> Result<Matrix, ApiError> {
    Matrix::new(link).ok_or_else(|| ApiError::Internal(format!("{link}: too long for a QR code")))
}

/// The QR code of `link` as an SVG download named after `title` (and the date).
pub fn qr_svg_response(link: &str, title: &str) -> Result<Response, ApiError> {
    Ok(download(
        matrix(link)?.svg().into_bytes(),
        "image/svg+xml",
        title,
        "svg",
    ))
}

/// The QR code of `link` as a PNG download named after `title` (and the date).
pub fn qr_png_response(link: &str, title: &str) -> Result<Response, ApiError> {
    let png = matrix(link)?
        .png(PNG_MODULE_PX)
        .map_err(|e| ApiError::Internal(format!("QR code PNG: {e}")))?;
    Ok(download(png, "image/png", title, "png"))
}

fn download(body: Vec<u8>, content_type: &'static str, title: &str, ext: &str) -> Response {
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&content_disposition(title, ext)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// `GET /api/v1/org/polls/{id}/qr.svg[?partner=KEY][&code=K7M-3QX]`
#[utoipa::path(get, path = "/api/v1/org/polls/{id}/qr.svg", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id."),
        ("partner" = Option<String>, Query, description = "The key of one of the consultation's partners: the link is that partner's (`/p/{id}?partner=KEY&via=qr`), its answers count for it."),
        ("code" = Option<String>, Query, description = "A participation code the link fills in (`/p/{id}?code=K7M-3QX&via=qr`).")),
    responses(
        (status = 200, description = "The QR code of the standalone page, as SVG. Its link ends with `via=qr`: answers from it count as from a QR code.", content_type = "image/svg+xml", body = crate::openapi::Binary,
            headers(("Content-Disposition" = String, description = "An attachment named after the title and the date."))),
        (status = 400, description = "The query is malformed, `partner` is not the key of one of the consultation's partners, or `code` is not a participation code."),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn qr_svg(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
    query: Result<Query<QrQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (link, title) = link(&state, &org, &id, query).await?;
    qr_svg_response(&link, &title)
}

/// `GET /api/v1/org/polls/{id}/qr.png[?partner=KEY][&code=K7M-3QX]`
#[utoipa::path(get, path = "/api/v1/org/polls/{id}/qr.png", tag = "organiser", params(("id" = concerto_core::PollId, Path, description = "The consultation's id."),
        ("partner" = Option<String>, Query, description = "The key of one of the consultation's partners: the link is that partner's (`/p/{id}?partner=KEY&via=qr`), its answers count for it."),
        ("code" = Option<String>, Query, description = "A participation code the link fills in (`/p/{id}?code=K7M-3QX&via=qr`).")),
    responses(
        (status = 200, description = "The QR code of the standalone page, as PNG. Its link ends with `via=qr`: answers from it count as from a QR code.", content_type = "image/png", body = crate::openapi::Binary,
            headers(("Content-Disposition" = String, description = "An attachment named after the title and the date."))),
        (status = 400, description = "The query is malformed, `partner` is not the key of one of the consultation's partners, or `code` is not a participation code."),
        (status = 404, description = "No such consultation in the caller's organisation."),
    ))]
pub async fn qr_png(
    State(state): State<AppState>,
    OrgAuth(org): OrgAuth,
    Path(id): Path<String>,
    query: Result<Query<QrQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (link, title) = link(&state, &org, &id, query).await?;
    qr_png_response(&link, &title)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "https://consultation.ville.example/p/k3x9m2pq7rtw";

    #[test]
    fn the_code_is_surrounded_by_four_light_modules() {
        let m = Matrix::new(LINK).unwrap();
        for i in 0..m.size {
            for j in 0..QUIET_ZONE {
                for (x, y) in [(i, j), (j, i), (i, m.size - 1 - j), (m.size - 1 - j, i)] {
                    assert!(!m.is_dark(x, y), "({x}, {y}) is in the quiet zone");
                }
            }
        }
        // The top-left finder pattern starts right after the quiet zone.
        assert!(m.is_dark(QUIET_ZONE, QUIET_ZONE));
    }

    #[test]
    fn the_svg_draws_exactly_the_dark_modules() {
        let m = Matrix::new(LINK).unwrap();
        let svg = m.svg();
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let mut drawn = vec![false; m.size * m.size];
        for rect in d.split('z').filter(|r| !r.is_empty()) {
            // M{x} {y}h{w}v1h-{w}
            let rest = rect.strip_prefix('M').unwrap();
            let (x, rest) = rest.split_once(' ').unwrap();
            let (y, rest) = rest.split_once('h').unwrap();
            let w = rest.split('v').next().unwrap();
            let (x, y, w): (usize, usize, usize) =
                (x.parse().unwrap(), y.parse().unwrap(), w.parse().unwrap());
            for dx in 0..w {
                drawn[y * m.size + x + dx] = true;
            }
        }
        for y in 0..m.size {
            for x in 0..m.size {
                assert_eq!(drawn[y * m.size + x], m.is_dark(x, y), "({x}, {y})");
            }
        }
    }

    #[test]
    fn every_link_says_it_came_from_a_qr_code_after_its_partner_and_code() {
        let base = "https://consultation.ville.example/";
        let poll = PollId::parse("k3x9m2pq7rtw").unwrap();
        let key = PartnerKey::parse("abcdefghijkm").unwrap();
        let code = ParticipationCode::from_random([3, 7, 11, 15, 19]);
        assert_eq!(page_link(base, &poll, None, None), format!("{LINK}?via=qr"));
        assert_eq!(
            page_link(base, &poll, Some(&key), None),
            format!("{LINK}?partner=abcdefghijkm&via=qr")
        );
        assert_eq!(
            page_link(base, &poll, Some(&key), Some(&code)),
            format!("{LINK}?partner=abcdefghijkm&code={code}&via=qr")
        );
        assert_eq!(
            page_link(base, &poll, None, Some(&code)),
            format!("{LINK}?code={code}&via=qr")
        );
    }

    #[test]
    fn text_too_long_for_a_qr_code_gives_none() {
        assert_eq!(Matrix::new(&"x".repeat(5000)), None);
    }
}
