//! What an edit may not do once a consultation has answers: take away what answers point at
//! (a question or option someone chose, an "other" field someone filled, a rating value
//! someone gave) or change a question's kind. Rewording, reordering and adding stay possible.

use concerto_core::{PollSpec, QuestionKind, Results, Tally};
use serde::Serialize;

/// Why one part of an edit is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum BreakingProblem {
    /// An answered question is missing from the new definition.
    #[error("question {question} has answers and cannot be removed")]
    AnsweredQuestionRemoved {
        /// The question's id.
        question: String,
    },
    /// An answered question has another kind in the new definition.
    #[error("this question has answers: its kind must stay {was}")]
    KindChanged {
        /// The kind it has.
        was: &'static str,
    },
    /// An option someone chose is missing.
    #[error("option {option} was chosen by {count} respondents and cannot be removed")]
    AnsweredOptionRemoved {
        /// The question's id (option ids are unique only within their question).
        question: String,
        /// The option's id.
        option: String,
        /// How many chose it.
        count: u64,
    },
    /// "Other" answers exist, and the new definition turns "other" off.
    #[error("{count} respondents wrote an \"other\" answer: it must stay allowed")]
    AnsweredOtherRemoved {
        /// How many wrote one.
        count: u64,
    },
    /// A rating someone gave falls outside the new scale.
    #[error("the rating {value} was given by {count} respondents and must stay on the scale")]
    AnsweredValueExcluded {
        /// The rating.
        value: u8,
        /// How many gave it.
        count: u64,
    },
}

/// One refused part of an edit, by the field of the new definition it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakingChange {
    /// Such as `questions[2].options` (or `questions` for a removed question).
    pub field: String,
    /// Why.
    pub problem: BreakingProblem,
}

/// Everything in going from `old` to `new` that would strand the answers `results` counts.
pub fn breaking_changes(old: &PollSpec, new: &PollSpec, results: &Results) -> Vec<BreakingChange> {
    let mut out = Vec::new();
    for q_old in &old.questions {
        let Some(r) = results.question(&q_old.id).filter(|r| r.answered > 0) else {
            continue;
        };
        let Some((i, q_new)) = new
            .questions
            .iter()
            .enumerate()
            .find(|(_, q)| q.id == q_old.id)
        else {
            out.push(BreakingChange {
                field: "questions".into(),
                problem: BreakingProblem::AnsweredQuestionRemoved {
                    question: q_old.id.to_string(),
                },
            });
            continue;
        };
        let at = |what: &str| format!("questions[{i}].{what}");
        if q_new.kind.name() != q_old.kind.name() {
            out.push(BreakingChange {
                field: at("kind"),
                problem: BreakingProblem::KindChanged {
                    was: q_old.kind.name(),
                },
            });
            continue;
        }
        match &r.tally {
            Tally::Choice { options, other } => {
                for c in options.iter().filter(|c| c.count > 0) {
                    if !q_new.kind.options().iter().any(|o| o.id == c.option) {
                        out.push(BreakingChange {
                            field: at("options"),
                            problem: BreakingProblem::AnsweredOptionRemoved {
                                question: q_old.id.to_string(),
                                option: c.option.to_string(),
                                count: c.count,
                            },
                        });
                    }
                }
                let other_allowed = matches!(
                    q_new.kind,
                    QuestionKind::SingleChoice {
                        allow_other: true,
                        ..
                    }
                );
                if *other > 0 && !other_allowed {
                    out.push(BreakingChange {
                        field: at("allow_other"),
                        problem: BreakingProblem::AnsweredOtherRemoved { count: *other },
                    });
                }
            }
            Tally::Rating { buckets } => {
                if let QuestionKind::Rating { min, max, .. } = q_new.kind {
                    for b in buckets.iter().filter(|b| b.count > 0) {
                        if b.value < min || b.value > max {
                            let field = if b.value < min { "min" } else { "max" };
                            out.push(BreakingChange {
                                field: at(field),
                                problem: BreakingProblem::AnsweredValueExcluded {
                                    value: b.value,
                                    count: b.count,
                                },
                            });
                        }
                    }
                }
            }
            Tally::Text => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use concerto_core::{Answers, validate};
    use serde_json::json;

    fn spec(v: serde_json::Value) -> PollSpec {
        serde_json::from_value(v).unwrap()
    }

    fn base() -> serde_json::Value {
        json!({"title": "T", "questions": [
            {"id": "use", "prompt": "p", "kind": "single_choice", "allow_other": true,
             "options": [{"id": "often", "label": "S"}, {"id": "never", "label": "J"}]},
            {"id": "score", "prompt": "p", "kind": "rating", "min": 1, "max": 5},
            {"id": "idea", "prompt": "p", "kind": "long_text", "max_length": 100}
        ]})
    }

    fn results(old: &PollSpec, answers: &[serde_json::Value]) -> Results {
        let mut r = Results::empty(&old.questions);
        for a in answers {
            let checked: Answers =
                validate(&old.questions, &serde_json::from_value(a.clone()).unwrap()).unwrap();
            r.add(&checked);
        }
        r
    }

    #[test]
    fn rewording_reordering_and_adding_are_allowed() {
        let old = spec(base());
        let r = results(
            &old,
            &[json!({"use": {"option": "often"}, "score": {"rating": 5}})],
        );
        let mut v = base();
        v["questions"][0]["prompt"] = json!("Reworded");
        v["questions"][0]["options"][0]["label"] = json!("Souvent !");
        v["questions"][0]["options"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "new", "label": "N"}));
        v["questions"].as_array_mut().unwrap().swap(1, 2);
        assert!(breaking_changes(&old, &spec(v), &r).is_empty());
    }

    #[test]
    fn taking_away_what_answers_point_at_is_refused_field_by_field() {
        let old = spec(base());
        let r = results(
            &old,
            &[
                json!({"use": {"option": "often"}, "score": {"rating": 5}, "idea": {"text": "x"}}),
                json!({"use": {"other": "parfois"}, "score": {"rating": 1}}),
            ],
        );
        let mut v = base();
        v["questions"][0]["options"] =
            json!([{"id": "never", "label": "J"}, {"id": "x", "label": "X"}]);
        v["questions"][0]["allow_other"] = json!(false);
        v["questions"][1]["max"] = json!(4);
        v["questions"].as_array_mut().unwrap().remove(2);
        let changes = breaking_changes(&old, &spec(v), &r);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "questions[0].options",
                "questions[0].allow_other",
                "questions[1].max",
                "questions"
            ]
        );
    }

    #[test]
    fn unanswered_parts_may_change_freely() {
        let old = spec(base());
        let r = results(&old, &[json!({"use": {"option": "often"}})]);
        let mut v = base();
        v["questions"][0]["options"] =
            json!([{"id": "often", "label": "S"}, {"id": "y", "label": "Y"}]);
        v["questions"][1] =
            json!({"id": "score", "prompt": "p", "kind": "short_text", "max_length": 10});
        v["questions"].as_array_mut().unwrap().remove(2);
        assert!(breaking_changes(&old, &spec(v), &r).is_empty());
    }

    #[test]
    fn changing_an_answered_questions_kind_is_refused() {
        let old = spec(base());
        let r = results(&old, &[json!({"score": {"rating": 3}})]);
        let mut v = base();
        v["questions"][1] =
            json!({"id": "score", "prompt": "p", "kind": "short_text", "max_length": 10});
        let changes = breaking_changes(&old, &spec(v), &r);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "questions[1].kind");
        assert_eq!(
            changes[0].problem,
            BreakingProblem::KindChanged { was: "rating" }
        );
    }
}
