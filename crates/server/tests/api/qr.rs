//! QR codes of a consultation's standalone page: read back with a QR decoder, they give the
//! standalone link marked as opened from a QR code (`?via=qr`); the SVG is well-formed and
//! scalable; both download under the title.

use crate::helpers::*;
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use serde_json::Value;

/// Light modules on each side, as ISO/IEC 18004 asks.
const QUIET_ZONE: usize = 4;

/// An open consultation, its organiser's token and its standalone link.
async fn consultation(app: &TestApp) -> (String, String, String) {
    let (id, tok) = app.open_poll().await;
    let poll: Value = app
        .get(&format!("/api/v1/org/polls/{id}"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    let url = poll["standalone_url"].as_str().unwrap().to_owned();
    assert!(url.ends_with(&format!("/p/{id}")), "{url}");
    (id, tok, url)
}

/// The text a QR decoder reads in a greyscale image (0 black, 255 white).
pub(crate) fn decode(width: usize, height: usize, grey: impl Fn(usize, usize) -> u8) -> String {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, grey);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().expect("the code decodes").1
}

/// Checks the download headers: the media type, and a file name from the title.
pub(crate) fn assert_download(resp: &reqwest::Response, media_type: &str, ext: &str) {
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(header("content-type"), media_type);
    let disposition = header("content-disposition");
    assert!(
        disposition.starts_with("attachment; filename=\"le-marche-du-samedi-"),
        "{disposition}"
    );
    assert!(
        disposition.contains(&format!(".{ext}\"; filename*=UTF-8''Le%20march%C3%A9")),
        "{disposition}"
    );
}

#[tokio::test]
async fn the_png_qr_code_reads_back_as_the_standalone_link() {
    let app = spawn_app().await;
    let (id, tok, url) = consultation(&app).await;
    let resp = app
        .get(&format!("/api/v1/org/polls/{id}/qr.png"), Some(&tok))
        .await;
    assert_eq!(resp.status(), 200);
    assert_download(&resp, "image/png", "png");
    let bytes = resp.bytes().await.unwrap();

    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let (w, h) = (info.width as usize, info.height as usize);
    let grey = |x: usize, y: usize| buf[y * info.line_size + x];

    assert_eq!(decode(w, h, grey), format!("{url}?via=qr"));

    // Square, and big enough to print: at least 8 pixels per module. The finder pattern's
    // corner, on the diagonal, comes after the quiet zone's four modules.
    assert_eq!(w, h);
    let corner = (0..w).find(|&i| grey(i, i) == 0).expect("a dark module");
    assert_eq!(corner % QUIET_ZONE, 0, "{corner}");
    let px = corner / QUIET_ZONE;
    assert!(px >= 8, "{px} px per module");
    let modules = w / px;
    assert!(
        modules >= 21 + 2 * QUIET_ZONE && (modules - 2 * QUIET_ZONE - 21).is_multiple_of(4),
        "{modules} modules: a QR code version plus its quiet zone"
    );
    // The quiet zone: the border, four modules deep, is white all round.
    let border = QUIET_ZONE * px;
    for i in 0..w {
        for j in 0..border {
            for (x, y) in [(i, j), (j, i), (i, h - 1 - j), (w - 1 - j, i)] {
                assert_eq!(grey(x, y), 255, "({x}, {y}) is in the quiet zone");
            }
        }
    }
}

/// Fills the rectangles of an SVG path made of `M{x} {y}h{w}v{h}h-{w}z` runs.
pub(crate) fn rasterise(d: &str, size: usize) -> Vec<bool> {
    let mut dark = vec![false; size * size];
    for rect in d.split('z').filter(|r| !r.trim().is_empty()) {
        let numbers: Vec<i64> = rect
            .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().unwrap())
            .collect();
        let [x, y, w, h, back] = numbers[..] else {
            panic!("unexpected path segment {rect:?}")
        };
        assert_eq!(back, -w, "{rect}");
        for yy in y..y + h {
            for xx in x..x + w {
                dark[yy as usize * size + xx as usize] = true;
            }
        }
    }
    dark
}

#[tokio::test]
async fn the_svg_qr_code_is_well_formed_xml_that_scales_and_reads_back_as_the_standalone_link() {
    let app = spawn_app().await;
    let (id, tok, url) = consultation(&app).await;
    let resp = app
        .get(&format!("/api/v1/org/polls/{id}/qr.svg"), Some(&tok))
        .await;
    assert_eq!(resp.status(), 200);
    assert_download(&resp, "image/svg+xml", "svg");
    let svg = resp.text().await.unwrap();

    // Read every event: quick-xml fails on mismatched end tags and on bad syntax.
    let mut reader = Reader::from_str(&svg);
    reader.config_mut().check_end_names = true;
    let (mut elements, mut depth) = (Vec::new(), 0i32);
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let element = match &event {
            Event::Start(e) | Event::Empty(e) => Some(e.clone()),
            _ => None,
        };
        if let Some(e) = element {
            let name = e.name().as_ref().to_owned();
            let attrs: Vec<(String, String)> = e
                .attributes()
                .map(|a| {
                    let a = a.unwrap();
                    let key = a.key.as_ref().to_owned();
                    (
                        key,
                        a.normalized_value(XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned(),
                    )
                })
                .collect();
            assert!(depth > 0 || elements.is_empty(), "one root element");
            elements.push((name, attrs));
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "every element is closed");
    let (name, attrs) = elements.first().expect("a root element");
    assert_eq!(name, "svg");
    let attr = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    assert_eq!(attr("xmlns").as_deref(), Some("http://www.w3.org/2000/svg"));
    // One unit per module and no fixed size: it fills whatever it is placed in.
    assert_eq!(attr("width"), None);
    assert_eq!(attr("height"), None);
    let view_box = attr("viewBox").expect("a viewBox");
    let parts: Vec<usize> = view_box.split(' ').map(|n| n.parse().unwrap()).collect();
    let size = parts[2];
    assert_eq!(parts, vec![0, 0, size, size], "{view_box}");
    assert!(
        size >= 21 + 2 * QUIET_ZONE && (size - 2 * QUIET_ZONE - 21).is_multiple_of(4),
        "{size} modules: a QR code version plus its quiet zone"
    );

    // Drawn at 8 pixels per module, the path reads back as the link.
    let (_, path) = elements
        .iter()
        .find(|(name, _)| name == "path")
        .expect("a path");
    let d = &path.iter().find(|(n, _)| n == "d").expect("a `d`").1;
    let dark = rasterise(d, size);
    for i in 0..size {
        for j in 0..QUIET_ZONE {
            for (x, y) in [(i, j), (j, i), (i, size - 1 - j), (size - 1 - j, i)] {
                assert!(!dark[y * size + x], "({x}, {y}) is in the quiet zone");
            }
        }
    }
    let px = 8;
    let read = decode(size * px, size * px, |x, y| {
        if dark[(y / px) * size + x / px] {
            0
        } else {
            255
        }
    });
    assert_eq!(read, format!("{url}?via=qr"));
}

/// The text the SVG QR code at `path` reads back as.
pub(crate) async fn svg_link(app: &TestApp, path: &str, tok: &str) -> String {
    let resp = app.get(path, Some(tok)).await;
    assert_eq!(resp.status(), 200, "{path}");
    assert_download(&resp, "image/svg+xml", "svg");
    let svg = resp.text().await.unwrap();
    let n: usize = svg
        .split("viewBox=\"0 0 ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    let d = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let dark = rasterise(d, n);
    let px = 8;
    decode(n * px, n * px, |x, y| {
        if dark[(y / px) * n + x / px] { 0 } else { 255 }
    })
}

/// The text a PNG QR code reads back as.
pub(crate) fn png_link(bytes: &[u8]) -> String {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    decode(w, h, |x, y| buf[y * info.line_size + x])
}

/// A well-formed participation code (five characters and their check character).
fn some_code() -> String {
    concerto_core::ParticipationCode::from_random([3, 7, 11, 15, 19]).to_string()
}

#[tokio::test]
async fn with_a_code_the_svg_and_png_qr_codes_read_back_as_the_link_that_fills_it_in() {
    let app = spawn_app().await;
    let (id, tok, url) = consultation(&app).await;
    let code = some_code();
    // Typed in lower case without its dash, it is still written in its printed form.
    let typed = code.replace('-', "").to_lowercase();
    let read = svg_link(
        &app,
        &format!("/api/v1/org/polls/{id}/qr.svg?code={typed}"),
        &tok,
    )
    .await;
    assert_eq!(read, format!("{url}?code={code}&via=qr"));
    assert!(code.contains('-'), "{code}");
    // And without a code, the plain link, as before.
    let plain = svg_link(&app, &format!("/api/v1/org/polls/{id}/qr.svg"), &tok).await;
    assert_eq!(plain, format!("{url}?via=qr"));

    let resp = app
        .get(
            &format!("/api/v1/org/polls/{id}/qr.png?code={code}"),
            Some(&tok),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_download(&resp, "image/png", "png");
    let bytes = resp.bytes().await.unwrap();
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let read = decode(w, h, |x, y| buf[y * info.line_size + x]);
    assert_eq!(read, format!("{url}?code={code}&via=qr"));
}

#[tokio::test]
async fn a_malformed_or_mistyped_code_is_a_400_naming_code() {
    let app = spawn_app().await;
    let (id, tok, _) = consultation(&app).await;
    let code = some_code();
    let last = code.chars().last().unwrap();
    let typo = format!(
        "{}{}",
        &code[..code.len() - 1],
        if last == '3' { '4' } else { '3' }
    );
    for (bad, why) in [
        ("K7M", "format"),
        ("K7M-3Q%21", "format"),
        (typo.as_str(), "typo"),
    ] {
        for ext in ["svg", "png"] {
            let resp = app
                .get(
                    &format!("/api/v1/org/polls/{id}/qr.{ext}?code={bad}"),
                    Some(&tok),
                )
                .await;
            assert_eq!(resp.status(), 400, "{bad}");
            let p = problem(resp).await;
            assert_eq!(fields(&p), vec!["code"], "{bad}: {p}");
            assert_eq!(p["errors"][0]["code"], why, "{bad}: {p}");
        }
    }
}

#[tokio::test]
async fn another_organisations_consultation_has_no_qr_code_even_with_a_code() {
    let app = spawn_app().await;
    let (id, _, _) = consultation(&app).await;
    let (_, other) = app.org("Une autre association").await;
    for ext in ["svg", "png"] {
        let resp = app
            .get(
                &format!("/api/v1/org/polls/{id}/qr.{ext}?code={}", some_code()),
                Some(&other),
            )
            .await;
        assert_eq!(resp.status(), 404);
    }
}
