//! Which language the widget speaks on its host page.

use concerto_ui::Lang;

/// The language of the page hosting `host`: the placeholder's `lang`, else the page's, else
/// the browser's, following [`Lang::choose`].
pub fn detect(host: &web_sys::Element) -> Lang {
    let own = host.get_attribute("lang");
    let document = host
        .owner_document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"));
    let browser = web_sys::window().and_then(|w| w.navigator().language());
    Lang::choose([own.as_deref(), document.as_deref(), browser.as_deref()])
}
