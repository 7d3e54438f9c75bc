//! The form as a browser posts it without script (`application/x-www-form-urlencoded`): the
//! field names the components give their controls, read back into the raw answers that
//! `core`'s `validate` checks, exactly as if the widget had sent them.
//!
//! `q=option` for a single choice (`q=:other` with `q.other=text` for "other"), `q=a&q=b`
//! for a multiple choice, `q=4` for a rating, `q=text` for a text; an empty text is no
//! answer. The submission id travels as `submission.id`.

use crate::form::SUBMISSION_FIELD;
use crate::question::{OTHER_VALUE, other_field};
use concerto_core::{Answer, OptionId, Question, QuestionKind, RawAnswers};
use serde_json::{Value, json};

/// A posted form, read for one consultation's questions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostedForm {
    /// The raw answers by question id, for `validate`.
    pub raw: RawAnswers,
    /// What each question's controls held, in the consultation's order, to show the form
    /// again as the resident filled it.
    pub shown: Vec<Option<Answer>>,
    /// The submission id field, as sent (checked by the caller).
    pub submission_id: Option<String>,
}

impl PostedForm {
    /// Reads `fields` (name, value pairs in the order posted) for `questions`; fields that
    /// name no question are ignored.
    pub fn read(questions: &[Question], fields: &[(String, String)]) -> Self {
        let values = |name: &str| -> Vec<&str> {
            fields
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        let first = |name: &str| values(name).into_iter().next();
        let mut raw = RawAnswers::new();
        let mut shown = Vec::with_capacity(questions.len());
        for q in questions {
            let name = q.id.as_str();
            let (value, answer): (Option<Value>, Option<Answer>) = match &q.kind {
                QuestionKind::SingleChoice { .. } => match first(name) {
                    None | Some("") => (None, None),
                    Some(OTHER_VALUE) => {
                        let text = first(&other_field(name)).unwrap_or_default().to_owned();
                        (Some(json!({ "other": text })), Some(Answer::Other(text)))
                    }
                    Some(option) => (
                        Some(json!({ "option": option })),
                        OptionId::parse(option).ok().map(Answer::Option),
                    ),
                },
                QuestionKind::MultipleChoice { options, .. } => {
                    let ticked = values(name);
                    if ticked.is_empty() {
                        (None, None)
                    } else {
                        // In the question's order, as the widget sends them; an unknown
                        // option stays in the raw answer, for `validate` to name.
                        let mut ordered: Vec<&str> = options
                            .iter()
                            .map(|o| o.id.as_str())
                            .filter(|id| ticked.contains(id))
                            .collect();
                        let unknown: Vec<&str> = ticked
                            .iter()
                            .filter(|t| !ordered.contains(t))
                            .copied()
                            .collect();
                        ordered.extend(unknown);
                        let ids: Vec<OptionId> = ordered
                            .iter()
                            .filter_map(|id| OptionId::parse(*id).ok())
                            .collect();
                        (
                            Some(json!({ "options": ordered })),
                            Some(Answer::Options(ids)),
                        )
                    }
                }
                QuestionKind::Rating { .. } => match first(name).map(str::trim) {
                    None | Some("") => (None, None),
                    Some(text) => match text.parse::<i64>() {
                        Ok(n) => (
                            Some(json!({ "rating": n })),
                            u8::try_from(n).ok().map(Answer::Rating),
                        ),
                        Err(_) => (Some(json!({ "rating": text })), None),
                    },
                },
                QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => {
                    match first(name) {
                        None | Some("") => (None, None),
                        Some(text) => (
                            Some(json!({ "text": text })),
                            Some(Answer::Text(text.to_owned())),
                        ),
                    }
                }
            };
            if let Some(value) = value {
                raw.insert(name.to_owned(), value);
            }
            shown.push(answer);
        }
        Self {
            raw,
            shown,
            submission_id: first(SUBMISSION_FIELD).map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use concerto_core::{AnswerProblem, validate};

    fn questions() -> Vec<Question> {
        serde_json::from_value(json!([
            {"id": "freq", "prompt": "Souvent ?", "required": true, "kind": "single_choice",
             "allow_other": true, "options": [{"id": "oui", "label": "Oui"}, {"id": "non", "label": "Non"}]},
            {"id": "envies", "prompt": "Envies", "kind": "multiple_choice",
             "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}, {"id": "c", "label": "C"}]},
            {"id": "note", "prompt": "Note", "kind": "rating", "min": 1, "max": 5},
            {"id": "idee", "prompt": "Idée", "kind": "long_text", "max_length": 20}
        ]))
        .unwrap()
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_filled_form_reads_as_the_widget_would_send_it() {
        let qs = questions();
        let form = PostedForm::read(
            &qs,
            &fields(&[
                ("submission.id", "0b6f1c52-6a4e-4d0b-9a51-3f4f9a0f2c11"),
                ("freq", ":other"),
                ("freq.other", "le marché"),
                ("envies", "c"),
                ("envies", "a"),
                ("note", "4"),
                ("idee", ""),
            ]),
        );
        let answers = validate(&qs, &form.raw).unwrap();
        assert_eq!(
            serde_json::to_value(answers.to_raw()).unwrap(),
            json!({"freq": {"other": "le marché"}, "envies": {"options": ["a", "c"]}, "note": {"rating": 4}})
        );
        assert_eq!(form.shown[3], None);
        assert_eq!(
            form.submission_id.as_deref(),
            Some("0b6f1c52-6a4e-4d0b-9a51-3f4f9a0f2c11")
        );
    }

    #[test]
    fn faulty_values_reach_validation_and_are_named_there() {
        let qs = questions();
        let form = PostedForm::read(
            &qs,
            &fields(&[("envies", "zzz"), ("note", "9"), ("idee", &"x".repeat(30))]),
        );
        let errors = validate(&qs, &form.raw).unwrap_err();
        let named: Vec<&str> = errors.iter().map(|e| e.question.as_str()).collect();
        assert_eq!(named, vec!["freq", "envies", "note", "idee"]);
        assert!(matches!(errors[0].problem, AnswerProblem::Required));
        // What was typed is shown again as it was.
        assert_eq!(form.shown[3], Some(Answer::Text("x".repeat(30))));
    }

    #[test]
    fn a_rating_that_is_not_a_number_is_refused_not_dropped() {
        let qs = questions();
        let form = PostedForm::read(&qs, &fields(&[("freq", "oui"), ("note", "beaucoup")]));
        let errors = validate(&qs, &form.raw).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].question, "note");
    }
}
