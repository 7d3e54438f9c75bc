//! Tallies of a consultation's answers: counts per option, distributions for scales and the
//! number of text answers. The server keeps them up to date as answers arrive; the widget and
//! the organiser read them.

use crate::answer::{Answer, Answers};
use crate::ids::{OptionId, QuestionId};
use crate::poll::{Question, QuestionKind};
use serde::{Deserialize, Serialize};

/// One counter of a question's tally, as stored by the server.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// Respondents who answered the question.
    Answered,
    /// Respondents who chose this option.
    Option(OptionId),
    /// Respondents who wrote an "other" answer.
    Other,
    /// Respondents who gave this rating.
    Rating(u8),
}

impl Bucket {
    /// The bucket's storage key, such as `option:often` or `rating:4`.
    pub fn key(&self) -> String {
        match self {
            Bucket::Answered => "answered".into(),
            Bucket::Option(id) => format!("option:{id}"),
            Bucket::Other => "other".into(),
            Bucket::Rating(n) => format!("rating:{n}"),
        }
    }

    /// Reads a storage key back; `None` for a key this version does not know.
    pub fn from_key(key: &str) -> Option<Self> {
        match key.split_once(':') {
            None if key == "answered" => Some(Bucket::Answered),
            None if key == "other" => Some(Bucket::Other),
            Some(("option", id)) => OptionId::parse(id).ok().map(Bucket::Option),
            Some(("rating", n)) => n.parse().ok().map(Bucket::Rating),
            _ => None,
        }
    }
}

impl Answers {
    /// The counters this submission increments, one `Answered` per answered question.
    pub fn buckets(&self) -> Vec<(QuestionId, Bucket)> {
        let mut out = Vec::new();
        for (q, a) in self.iter() {
            out.push((q.clone(), Bucket::Answered));
            match a {
                Answer::Option(id) => out.push((q.clone(), Bucket::Option(id.clone()))),
                Answer::Other(_) => out.push((q.clone(), Bucket::Other)),
                Answer::Options(ids) => {
                    out.extend(ids.iter().map(|id| (q.clone(), Bucket::Option(id.clone()))));
                }
                Answer::Rating(n) => out.push((q.clone(), Bucket::Rating(*n))),
                Answer::Text(_) => {}
            }
        }
        out
    }
}

/// How many respondents chose one option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OptionCount {
    /// The option.
    pub option: OptionId,
    /// Respondents who chose it.
    pub count: u64,
}

/// How many respondents gave one rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingCount {
    /// The rating.
    pub value: u8,
    /// Respondents who gave it.
    pub count: u64,
}

/// The tally of one question, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Tally {
    /// Counts per option, in the question's order, and the number of "other" answers.
    Choice {
        /// One count per option.
        options: Vec<OptionCount>,
        /// "Other" answers.
        other: u64,
    },
    /// One count per value of the scale, lowest first.
    Rating {
        /// One count per value.
        buckets: Vec<RatingCount>,
    },
    /// Text answers are read one by one, not tallied; `answered` counts them.
    Text,
}

/// The results of one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionResult {
    /// The question.
    pub question: QuestionId,
    /// Respondents who answered it.
    pub answered: u64,
    /// Its tally.
    pub tally: Tally,
}

impl QuestionResult {
    /// `count` as a whole percentage of the respondents who answered this question.
    pub fn percent(&self, count: u64) -> u32 {
        if self.answered == 0 {
            0
        } else {
            ((count as f64 * 100.0 / self.answered as f64).round()) as u32
        }
    }

    /// The mean of a rating question, if anyone answered it.
    pub fn mean(&self) -> Option<f64> {
        match &self.tally {
            Tally::Rating { buckets } if self.answered > 0 => {
                let sum: u64 = buckets.iter().map(|b| u64::from(b.value) * b.count).sum();
                Some(sum as f64 / self.answered as f64)
            }
            _ => None,
        }
    }

    fn add(&mut self, bucket: &Bucket, n: u64) {
        match (&mut self.tally, bucket) {
            (_, Bucket::Answered) => self.answered += n,
            (Tally::Choice { options, .. }, Bucket::Option(id)) => {
                if let Some(c) = options.iter_mut().find(|c| &c.option == id) {
                    c.count += n;
                }
            }
            (Tally::Choice { other, .. }, Bucket::Other) => *other += n,
            (Tally::Rating { buckets }, Bucket::Rating(v)) => {
                if let Some(c) = buckets.iter_mut().find(|c| c.value == *v) {
                    c.count += n;
                }
            }
            // A counter for an option or value the question no longer has.
            _ => {}
        }
    }
}

/// The results of a whole consultation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Results {
    /// Respondents in all.
    pub total: u64,
    /// One result per question, in question order.
    pub questions: Vec<QuestionResult>,
}

impl Results {
    /// Results with every counter at zero.
    pub fn empty(questions: &[Question]) -> Self {
        let questions = questions
            .iter()
            .map(|q| QuestionResult {
                question: q.id.clone(),
                answered: 0,
                tally: match &q.kind {
                    QuestionKind::SingleChoice { options, .. }
                    | QuestionKind::MultipleChoice { options, .. } => Tally::Choice {
                        options: options
                            .iter()
                            .map(|o| OptionCount {
                                option: o.id.clone(),
                                count: 0,
                            })
                            .collect(),
                        other: 0,
                    },
                    QuestionKind::Rating { min, max, .. } => Tally::Rating {
                        buckets: (*min..=*max)
                            .map(|value| RatingCount { value, count: 0 })
                            .collect(),
                    },
                    QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => Tally::Text,
                },
            })
            .collect();
        Self {
            total: 0,
            questions,
        }
    }

    /// Adds `n` to one counter; counters of unknown questions or options are ignored.
    pub fn count(&mut self, question: &QuestionId, bucket: &Bucket, n: u64) {
        if let Some(r) = self.questions.iter_mut().find(|r| &r.question == question) {
            r.add(bucket, n);
        }
    }

    /// Counts one more respondent with these answers.
    pub fn add(&mut self, answers: &Answers) {
        self.total += 1;
        for (q, b) in answers.buckets() {
            self.count(&q, &b, 1);
        }
    }

    /// The result of one question.
    pub fn question(&self, id: &QuestionId) -> Option<&QuestionResult> {
        self.questions.iter().find(|r| &r.question == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::validate;
    use serde_json::json;

    fn questions() -> Vec<Question> {
        serde_json::from_value(json!([
            {"id": "use", "prompt": "p", "kind": "single_choice", "allow_other": true,
             "options": [{"id": "often", "label": "S"}, {"id": "never", "label": "J"}]},
            {"id": "what", "prompt": "p", "kind": "multiple_choice",
             "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]},
            {"id": "score", "prompt": "p", "kind": "rating", "min": 0, "max": 3},
            {"id": "ideas", "prompt": "p", "kind": "long_text", "max_length": 100}
        ]))
        .unwrap()
    }

    fn answers(v: serde_json::Value) -> Answers {
        validate(&questions(), &serde_json::from_value(v).unwrap()).unwrap()
    }

    #[test]
    fn tallies_count_options_other_ratings_and_texts() {
        let mut r = Results::empty(&questions());
        r.add(&answers(json!({"use": {"option": "often"}, "what": {"options": ["a", "b"]}, "score": {"rating": 3}, "ideas": {"text": "x"}})));
        r.add(&answers(
            json!({"use": {"other": "x"}, "what": {"options": ["b"]}, "score": {"rating": 0}}),
        ));
        r.add(&answers(json!({})));
        assert_eq!(r.total, 3);
        let what = r.question(&QuestionId::parse("what").unwrap()).unwrap();
        assert_eq!(what.answered, 2);
        let Tally::Choice { options, .. } = &what.tally else {
            panic!("choice tally expected")
        };
        assert_eq!((options[0].count, options[1].count), (1, 2));
        assert_eq!(what.percent(options[1].count), 100);
        let use_ = &r.questions[0];
        assert!(matches!(use_.tally, Tally::Choice { other: 1, .. }));
        let score = &r.questions[2];
        assert_eq!(score.mean(), Some(1.5));
        assert_eq!(r.questions[3].answered, 1);
    }

    #[test]
    fn bucket_keys_round_trip() {
        for b in [
            Bucket::Answered,
            Bucket::Other,
            Bucket::Rating(7),
            Bucket::Option(OptionId::parse("x-1").unwrap()),
        ] {
            assert_eq!(Bucket::from_key(&b.key()), Some(b));
        }
        assert_eq!(Bucket::from_key("option:<bad>"), None);
    }

    #[test]
    fn counters_rebuilt_from_storage_match_counting_as_we_go() {
        let mut live = Results::empty(&questions());
        let mut stored = std::collections::HashMap::<(QuestionId, String), u64>::new();
        for a in [
            answers(json!({"use": {"option": "never"}, "score": {"rating": 2}})),
            answers(json!({"use": {"option": "never"}, "what": {"options": ["a"]}})),
        ] {
            live.add(&a);
            for (q, b) in a.buckets() {
                *stored.entry((q, b.key())).or_default() += 1;
            }
        }
        let mut rebuilt = Results::empty(&questions());
        rebuilt.total = 2;
        for ((q, key), n) in &stored {
            rebuilt.count(q, &Bucket::from_key(key).unwrap(), *n);
        }
        assert_eq!(rebuilt, live);
    }

    #[test]
    fn percentages_of_nobody_are_zero() {
        let r = Results::empty(&questions());
        assert_eq!(r.questions[0].percent(0), 0);
        assert_eq!(r.questions[2].mean(), None);
    }
}
