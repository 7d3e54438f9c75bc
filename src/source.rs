//! Where the widget's answers come from: the partner whose snippet put it on the page
//! (`data-concerto-partner="KEY"` on the placeholder) and the door (`data-concerto-via`, which
//! the standalone page sets to `page` or `qr`; an embed is `site`). Read once at mount and
//! sent with every submission, so that the organiser sees who brought which answer.

use concerto_core::{PartnerKey, Via};
pub use concerto_ui::form::Source;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The browser's `console.error` with a message and a value (no `format!` in the wasm).
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str, value: &str);
}

/// Reads the placeholder's attributes. A malformed partner key is told once on the console,
/// for the partner's webmaster, and the widget answers without it: a typo in a snippet must
/// never keep residents from answering. An unknown door is the default one (an embed).
pub fn read(host: &web_sys::Element) -> Source {
    let partner = host
        .get_attribute("data-concerto-partner")
        .filter(|raw| !raw.trim().is_empty())
        .and_then(|raw| match PartnerKey::parse(&raw) {
            Ok(key) => Some(key),
            Err(_) => {
                console_error(
                    "[Concerto] data-concerto-partner is not a partner key; answering without it:",
                    &raw,
                );
                None
            }
        });
    let via = host
        .get_attribute("data-concerto-via")
        .and_then(|v| Via::parse(v.trim()))
        .unwrap_or_default();
    Source { partner, via }
}
