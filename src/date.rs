//! Dates shown to residents, in their language and their own time zone.

use concerto_ui::Lang;
use time::OffsetDateTime;
use wasm_bindgen::JsValue;

/// A date and time such as "3 mars 2027 à 09:00", formatted by the browser (`Intl`) in the
/// resident's time zone, which the server cannot know.
pub fn format_date_time(lang: Lang, at: OffsetDateTime) -> String {
    let millis = (at.unix_timestamp_nanos() / 1_000_000) as f64;
    let date = js_sys::Date::new(&JsValue::from_f64(millis));
    let options = js_sys::Object::new();
    // Setting plain data properties on a fresh object cannot fail.
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(lang.code(), &options).into()
}
