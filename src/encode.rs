//! Writing the widget's JSON (submissions, for the server and for the outbox) with the
//! browser's `JSON.stringify`, the counterpart of `decode`: serde's serialisers and
//! serde_json's writer (its float printing above all) would weigh on the wasm.

use concerto_core::Submission;
use js_sys::{Array, JSON, Object, Reflect};
use serde_json::Value;
use wasm_bindgen::JsValue;

/// One submission as JSON text, as the API takes it.
pub fn submission(s: &Submission) -> Option<String> {
    stringify(&submission_value(s))
}

/// A list of submissions as JSON text, as the outbox keeps them.
pub fn submissions(list: &[Submission]) -> Option<String> {
    let array: Array = list.iter().map(submission_value).collect();
    stringify(&array)
}

fn stringify(value: &JsValue) -> Option<String> {
    JSON::stringify(value).ok()?.as_string()
}

fn submission_value(s: &Submission) -> JsValue {
    let answers = Object::new();
    for (question, answer) in &s.answers {
        set(&answers, question, &value(answer));
    }
    let object = Object::new();
    set(
        &object,
        "submission_id",
        &JsValue::from_str(&s.submission_id.to_string()),
    );
    set(&object, "answers", &answers);
    if let Some(code) = &s.code {
        set(&object, "code", &JsValue::from_str(code));
    }
    if let Some(partner) = &s.partner {
        set(&object, "partner", &JsValue::from_str(partner));
    }
    if let Some(via) = s.via {
        set(&object, "via", &JsValue::from_str(via.as_str()));
    }
    object.into()
}

fn set(object: &Object, key: &str, value: &JsValue) {
    // Setting a plain property on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

/// A `serde_json` value as a JavaScript one (numbers become doubles, as `JSON.parse` reads
/// them back: answers only carry small whole numbers).
fn value(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => n.as_f64().map_or(JsValue::NULL, JsValue::from_f64),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(value).collect::<Array>().into(),
        Value::Object(map) => {
            let object = Object::new();
            for (k, x) in map {
                set(&object, k, &value(x));
            }
            object.into()
        }
    }
}
