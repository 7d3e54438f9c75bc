//! The theme a host page or organiser sets through CSS custom properties on the placeholder
//! (`--concerto-accent`, `--concerto-accent-text`, `--concerto-background`,
//! `--concerto-radius`, `--concerto-font`…), kept readable: an accent colour that would fail
//! WCAG AA contrast is adjusted rather than trusted.
//!
//! Two derived colours are set on the widget's container, through the CSSOM (no inline style
//! attribute, so a strict CSP is fine):
//! - `--cc-on-accent`, the text on accent-coloured buttons: the chosen accent text when it
//!   reaches 4.5:1 on the accent, else white or black, whichever contrasts more;
//! - `--cc-ink`, the accent where it is drawn on the background (secondary buttons' text,
//!   focus rings): the accent darkened (or lightened on a dark background) until it reaches
//!   4.5:1 on the background.
//!
//! The arithmetic is plain Rust, tested natively; only [`apply`] touches the DOM.

/// A plain decimal number such as `127`, `12.5` or `.5`, as browsers write colour channels.
/// Read by hand: the standard float parser would add its tables to the widget's wasm.
/// `x` to the power `y`: the browser's `Math.pow` in the wasm, where Rust's `powf` would
/// bring its own implementation (libm's, about 2 KB); Rust's natively, for the tests.
fn pow(x: f64, y: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Math::pow(x, y)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        x.powf(y)
    }
}

fn number(text: &str) -> Option<f64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) {
        return None;
    }
    let mut value = 0.0;
    for b in whole.bytes() {
        value = value * 10.0 + f64::from(b - b'0');
    }
    let mut scale = 0.1;
    for b in fraction.bytes() {
        value += f64::from(b - b'0') * scale;
        scale /= 10.0;
    }
    Some(value)
}

/// An sRGB colour, 0–255 per channel (alpha is ignored: themes are opaque).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// White.
pub const WHITE: Rgb = Rgb(255, 255, 255);
/// Black.
pub const BLACK: Rgb = Rgb(0, 0, 0);
/// The default accent of `style/widget.css`.
pub const DEFAULT_ACCENT: Rgb = Rgb(0x1d, 0x5f, 0xbf);

/// The WCAG AA minimum for normal text.
pub const AA_TEXT: f64 = 4.5;

impl Rgb {
    /// Reads `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb(…)` and `rgba(…)` (commas or
    /// spaces, as browsers serialise computed colours). Anything else is `None`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        if let Some(hex) = text.strip_prefix('#') {
            let digit = |i: usize| u8::from_str_radix(hex.get(i..i + 1)?, 16).ok();
            let pair = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
            return match hex.len() {
                3 | 4 => Some(Rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
                6 | 8 => Some(Rgb(pair(0)?, pair(2)?, pair(4)?)),
                _ => None,
            };
        }
        let inner = text
            .strip_prefix("rgba(")
            .or_else(|| text.strip_prefix("rgb("))?
            .strip_suffix(')')?;
        let mut parts = inner
            .split(|c: char| c == ',' || c == '/' || c.is_whitespace())
            .filter(|p| !p.is_empty());
        let mut channel = || -> Option<u8> {
            let p = parts.next()?;
            let v = match p.strip_suffix('%') {
                Some(pct) => number(pct)? * 2.55,
                None => number(p)?,
            };
            Some(v.round().clamp(0.0, 255.0) as u8)
        };
        Some(Rgb(channel()?, channel()?, channel()?))
    }

    /// WCAG 2 relative luminance, 0 (black) to 1 (white).
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                pow((c + 0.055) / 1.055, 2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// WCAG 2 contrast ratio with `other`, 1 to 21.
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }

    /// This colour moved `t` (0 to 1) of the way to `target`.
    fn mix(self, target: Rgb, t: f64) -> Rgb {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(
            m(self.0, target.0),
            m(self.1, target.1),
            m(self.2, target.2),
        )
    }

    /// `#rrggbb`.
    pub fn to_css(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// The text colour for an accent background: `preferred` when it reaches 4.5:1, else white
/// or black, whichever contrasts more (one of them always reaches 4.5:1).
pub fn text_on(accent: Rgb, preferred: Rgb) -> Rgb {
    if accent.contrast(preferred) >= AA_TEXT {
        preferred
    } else if accent.contrast(WHITE) >= accent.contrast(BLACK) {
        WHITE
    } else {
        BLACK
    }
}

/// The accent as drawn on `background`: itself when it reaches 4.5:1 there, else moved step
/// by step towards black (or white, on a dark background) until it does.
pub fn ink(accent: Rgb, background: Rgb) -> Rgb {
    if accent.contrast(background) >= AA_TEXT {
        return accent;
    }
    let target = if background.contrast(BLACK) >= background.contrast(WHITE) {
        BLACK
    } else {
        WHITE
    };
    (1..=20)
        .map(|step| accent.mix(target, f64::from(step) / 20.0))
        .find(|c| c.contrast(background) >= AA_TEXT)
        .unwrap_or(target)
}

/// The derived colours for a theme: `(--cc-on-accent, --cc-ink)`.
pub fn derive(accent: Rgb, accent_text: Rgb, background: Rgb) -> (Rgb, Rgb) {
    (text_on(accent, accent_text), ink(accent, background))
}

/// Reads the theme the page set on `host` and sets the derived colours on `container` (an
/// element inside the widget's shadow root). Colours in any CSS syntax the browser knows
/// (names, `hsl()`…) are resolved by the browser through a probe element.
pub fn apply(host: &web_sys::Element, container: &web_sys::HtmlElement) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(style)) = window.get_computed_style(host) else {
        return;
    };
    let resolve = |name: &str| -> Option<Rgb> {
        let value = style.get_property_value(name).ok()?;
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        if let Some(rgb) = Rgb::parse(value) {
            return Some(rgb);
        }
        let document = container.owner_document()?;
        let probe: web_sys::HtmlElement =
            wasm_bindgen::JsCast::unchecked_into(document.create_element("span").ok()?);
        probe.style().set_property("color", value).ok()?;
        container.append_child(&probe).ok()?;
        let computed = window
            .get_computed_style(&probe)
            .ok()
            .flatten()
            .and_then(|s| s.get_property_value("color").ok());
        probe.remove();
        Rgb::parse(&computed?)
    };
    let accent = resolve("--concerto-accent");
    let accent_text = resolve("--concerto-accent-text");
    let background = resolve("--concerto-background");
    if accent.is_none() && accent_text.is_none() && background.is_none() {
        return; // the default theme is readable as it is
    }
    let (on_accent, ink) = derive(
        accent.unwrap_or(DEFAULT_ACCENT),
        accent_text.unwrap_or(WHITE),
        background.unwrap_or(WHITE),
    );
    let own = container.style();
    let _ = own.set_property("--cc-on-accent", &on_accent.to_css());
    let _ = own.set_property("--cc-ink", &ink.to_css());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_numbers_are_read_without_the_float_parser() {
        assert_eq!(number("127"), Some(127.0));
        assert_eq!(number("12.5"), Some(12.5));
        assert_eq!(number(".5"), Some(0.5));
        assert_eq!(number("1e3"), None);
        assert_eq!(number("-1"), None);
        assert_eq!(number("."), None);
    }

    #[test]
    fn colours_parse_from_hex_and_from_computed_rgb() {
        assert_eq!(Rgb::parse("#ffeb3b"), Some(Rgb(255, 235, 59)));
        assert_eq!(Rgb::parse(" #FE3 "), Some(Rgb(255, 238, 51)));
        assert_eq!(Rgb::parse("#1d5fbf80"), Some(Rgb(29, 95, 191)));
        assert_eq!(Rgb::parse("rgb(255, 235, 59)"), Some(Rgb(255, 235, 59)));
        assert_eq!(Rgb::parse("rgba(0, 0, 0, 0.5)"), Some(BLACK));
        assert_eq!(Rgb::parse("rgb(100% 0% 0% / 50%)"), Some(Rgb(255, 0, 0)));
        assert_eq!(Rgb::parse("gold"), None);
        assert_eq!(Rgb::parse("#12"), None);
        assert_eq!(Rgb::parse("rgb(1, 2)"), None);
    }

    #[test]
    fn contrast_ratios_match_wcag_reference_values() {
        assert!((WHITE.contrast(BLACK) - 21.0).abs() < 1e-9);
        assert!((WHITE.contrast(WHITE) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54:1.
        let grey = Rgb::parse("#767676").unwrap();
        assert!((grey.contrast(WHITE) - 4.54).abs() < 0.01);
    }

    #[test]
    fn a_pale_accent_gets_black_text_and_a_darker_ink_on_white() {
        let yellow = Rgb::parse("#ffeb3b").unwrap();
        let (on, ink) = derive(yellow, WHITE, WHITE);
        assert_eq!(on, BLACK);
        assert!(yellow.contrast(on) >= AA_TEXT);
        assert!(ink.contrast(WHITE) >= AA_TEXT);
        assert!(ink.luminance() < yellow.luminance());
    }

    #[test]
    fn a_readable_theme_is_left_as_the_organiser_chose_it() {
        let (on, ink) = derive(DEFAULT_ACCENT, WHITE, WHITE);
        assert_eq!((on, ink), (WHITE, DEFAULT_ACCENT));
        let navy = Rgb(0, 0, 128);
        let cream = Rgb(255, 250, 230);
        assert_eq!(derive(navy, cream, WHITE), (cream, navy));
    }

    #[test]
    fn on_a_dark_background_the_ink_is_lightened() {
        let dark = Rgb(20, 20, 20);
        let blue = Rgb(0, 40, 160);
        let ink = ink(blue, dark);
        assert!(ink.contrast(dark) >= AA_TEXT);
        assert!(ink.luminance() > blue.luminance());
    }
}
