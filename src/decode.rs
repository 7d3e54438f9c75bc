//! Reading the server's JSON in the widget without serde's derived deserialisers.
//!
//! The browser parses (`JSON.parse`) and this module walks the result into `core`'s types.
//! The derived deserialisers of the model (an internally tagged, flattened question kind,
//! untagged texts, RFC 3339 dates) and serde_json's own parser weighed about a sixth of the
//! widget's wasm; residents download this instead. Anything that does not have the expected
//! shape is `None`: the caller treats it as an unreadable answer, as it did a serde error.
//! The server stays the authority: it checks everything again.

use concerto_core::{
    Availability, ChoiceOption, OptionId, Participation, PollId, PublicPoll, Question, QuestionId,
    QuestionKind, RawAnswers, ResultsVisibility, Submission, SubmissionId, Text, Via,
};
use js_sys::{Array, JSON, Object, Reflect};
use serde_json::{Map, Number, Value};
use time::OffsetDateTime;
use wasm_bindgen::{JsCast, JsValue};

/// Parses JSON text with the browser's parser.
pub fn parse(text: &str) -> Option<JsValue> {
    JSON::parse(text).ok()
}

/// `value[key]`, `None` when absent, `null` or not an object.
fn get(value: &JsValue, key: &str) -> Option<JsValue> {
    if !value.is_object() {
        return None;
    }
    Reflect::get(value, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn string(value: &JsValue, key: &str) -> Option<String> {
    get(value, key)?.as_string()
}

fn flag(value: &JsValue, key: &str) -> bool {
    get(value, key).and_then(|v| v.as_bool()).unwrap_or(false)
}

/// A whole number that fits `T`.
fn whole<T: TryFrom<u64>>(value: &JsValue, key: &str) -> Option<T> {
    let n = get(value, key)?.as_f64()?;
    if n < 0.0 || n.fract() != 0.0 || n > 9_007_199_254_740_991.0 {
        return None;
    }
    T::try_from(n as u64).ok()
}

fn list<T>(value: &JsValue, key: &str, item: impl Fn(&JsValue) -> Option<T>) -> Option<Vec<T>> {
    let array: Array = get(value, key)?.dyn_into().ok()?;
    array.iter().map(|v| item(&v)).collect()
}

/// An organiser's text: a plain string, or `{"fr": …, "en": …}`.
fn text(value: Option<JsValue>) -> Option<Text> {
    let Some(value) = value else {
        return Some(Text::default());
    };
    if let Some(s) = value.as_string() {
        return Some(Text::Same(s));
    }
    let fr = string(&value, "fr").unwrap_or_default();
    let en = string(&value, "en").unwrap_or_default();
    Some(Text::Translated { fr, en })
}

/// An RFC 3339 date, read by the browser's `Date`.
fn date(value: &JsValue, key: &str) -> Option<Option<OffsetDateTime>> {
    let Some(text) = string(value, key) else {
        return Some(None);
    };
    let millis = js_sys::Date::parse(&text);
    if millis.is_nan() {
        return None;
    }
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis as i64) * 1_000_000)
        .ok()
        .map(Some)
}

fn option(value: &JsValue) -> Option<ChoiceOption> {
    Some(ChoiceOption {
        id: OptionId::parse(string(value, "id")?).ok()?,
        label: text(get(value, "label"))?,
    })
}

fn question(value: &JsValue) -> Option<Question> {
    let kind = match string(value, "kind")?.as_str() {
        "single_choice" => QuestionKind::SingleChoice {
            options: list(value, "options", option)?,
            allow_other: flag(value, "allow_other"),
        },
        "multiple_choice" => QuestionKind::MultipleChoice {
            options: list(value, "options", option)?,
            min_selections: whole(value, "min_selections"),
            max_selections: whole(value, "max_selections"),
        },
        "rating" => QuestionKind::Rating {
            min: whole(value, "min")?,
            max: whole(value, "max")?,
            min_label: text(get(value, "min_label"))?,
            max_label: text(get(value, "max_label"))?,
        },
        "short_text" => QuestionKind::ShortText {
            max_length: whole(value, "max_length")?,
        },
        "long_text" => QuestionKind::LongText {
            max_length: whole(value, "max_length")?,
        },
        _ => return None,
    };
    Some(Question {
        id: QuestionId::parse(string(value, "id")?).ok()?,
        prompt: text(get(value, "prompt"))?,
        required: flag(value, "required"),
        kind,
    })
}

/// A consultation's public definition (`GET /api/v1/polls/{id}`).
pub fn poll(value: &JsValue) -> Option<PublicPoll> {
    let status = match string(value, "status")?.as_str() {
        "open" => Availability::Open,
        "not_yet_open" => Availability::NotYetOpen,
        "closed" => Availability::Closed,
        _ => return None,
    };
    let results_visibility = match string(value, "results_visibility")?.as_str() {
        "after_answering" => ResultsVisibility::AfterAnswering,
        "after_closing" => ResultsVisibility::AfterClosing,
        "organisers_only" => ResultsVisibility::OrganisersOnly,
        _ => return None,
    };
    Some(PublicPoll {
        id: PollId::parse(string(value, "id")?).ok()?,
        title: text(get(value, "title"))?,
        description: text(get(value, "description"))?,
        status,
        opens_at: date(value, "opens_at")?,
        closes_at: date(value, "closes_at")?,
        results_visibility,
        questions: list(value, "questions", question)?,
        allow_multiple_answers: flag(value, "allow_multiple_answers"),
        participation: match get(value, "participation")
            .and_then(|v| v.as_string())
            .as_deref()
        {
            Some("one_answer_per_code") => Participation::OneAnswerPerCode,
            _ => Participation::Open,
        },
    })
}

/// A parsed JSON value as serde_json's `Value`, for the raw answers `validate` reads.
pub fn value(v: &JsValue) -> Value {
    if let Some(b) = v.as_bool() {
        return Value::Bool(b);
    }
    if let Some(n) = v.as_f64() {
        // Answers carry whole numbers (ratings); keep them integers for `validate`.
        return if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
            Value::Number(Number::from(n as i64))
        } else {
            Number::from_f64(n).map_or(Value::Null, Value::Number)
        };
    }
    if let Some(s) = v.as_string() {
        return Value::String(s);
    }
    if Array::is_array(v) {
        return Value::Array(Array::from(v).iter().map(|x| value(&x)).collect());
    }
    if v.is_object() {
        let mut map = Map::new();
        for entry in Object::entries(v.unchecked_ref()).iter() {
            let pair = Array::from(&entry);
            if let Some(key) = pair.get(0).as_string() {
                map.insert(key, value(&pair.get(1)));
            }
        }
        return Value::Object(map);
    }
    Value::Null
}

/// One submission as the outbox keeps it, with its participation code, partner and door (an
/// answer that waits keeps the partner it came through).
pub fn submission(v: &JsValue) -> Option<Submission> {
    let Value::Object(map) = value(&get(v, "answers")?) else {
        return None;
    };
    // Inserted one by one rather than collected, which would sort (and bring the sort's
    // code into the wasm).
    let mut answers = RawAnswers::new();
    for (question, answer) in map {
        answers.insert(question, answer);
    }
    Some(Submission {
        submission_id: SubmissionId::parse(&string(v, "submission_id")?).ok()?,
        answers,
        code: string(v, "code"),
        partner: string(v, "partner"),
        via: string(v, "via").and_then(|d| Via::parse(&d)),
    })
}
