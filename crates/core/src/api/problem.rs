//! Problem details (RFC 9457), the body of every refusal.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One faulty field in a problem response.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FieldProblem {
    /// Where the fault is: a JSON path such as `answers.q3`, or a header name.
    #[serde(default)]
    pub field: String,
    /// A stable machine-readable code, such as `required` or `too_long`.
    #[serde(default)]
    pub code: String,
    /// A sentence for people reading logs and API responses.
    #[serde(default)]
    pub detail: String,
    /// The code's parameters, such as `max`, or the `option` and `count` of a refused edit.
    #[serde(flatten)]
    pub params: Map<String, Value>,
}

impl FieldProblem {
    /// A field problem without parameters.
    pub fn new(field: impl Into<String>, code: &str, detail: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            detail: detail.into(),
            params: Map::new(),
        }
    }

    /// The text parameter `key`, if there is one.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.params.get(key)?.as_str()
    }

    /// The whole-number parameter `key`, if there is one.
    pub fn number(&self, key: &str) -> Option<u64> {
        self.params.get(key)?.as_u64()
    }
}

/// A problem details body.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// Its type URI, such as `urn:concerto:problem:invalid-poll`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Short summary.
    #[serde(default)]
    pub title: String,
    /// The HTTP status.
    #[serde(default)]
    pub status: u16,
    /// Explanation of this occurrence.
    #[serde(default)]
    pub detail: String,
    /// One entry per faulty field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_sit_beside_the_code_and_read_back() {
        let mut p = FieldProblem::new("questions[0].options", "answered_option_removed", "…");
        p.params.insert("option".into(), "o2".into());
        p.params.insert("count".into(), 2.into());
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["option"], "o2");
        assert_eq!(json["count"], 2);
        let back: FieldProblem = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.text("option"), Some("o2"));
        assert_eq!(back.number("count"), Some(2));
        assert_eq!(back.text("count"), None);
    }
}
