//! Property tests of the model: no input makes it panic, and every answer set that follows a
//! consultation's rules is accepted.

use concerto_core::{
    Answer, ChoiceOption, Language, OptionId, Origin, PollId, PollSpec, Question, QuestionId,
    QuestionKind, RawAnswers, Results, SubmissionId, Tally, Text, validate,
};
use proptest::prelude::*;
use serde_json::Value;

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![Just("a"), Just("b"), Just("q0"), Just("option")]
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("option".to_owned()),
                    Just("options".to_owned()),
                    Just("other".to_owned()),
                    Just("rating".to_owned()),
                    Just("text".to_owned()),
                    "[a-z]{1,6}"
                ],
                inner,
                0..3
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn option_ids(n: usize) -> Vec<ChoiceOption> {
    (0..n)
        .map(|i| ChoiceOption {
            id: OptionId::parse(format!("o{i}")).unwrap(),
            label: format!("Option {i}").into(),
        })
        .collect()
}

/// A question of any kind with sound settings.
fn any_kind() -> impl Strategy<Value = QuestionKind> {
    prop_oneof![
        (2usize..6, any::<bool>()).prop_map(|(n, allow_other)| QuestionKind::SingleChoice {
            options: option_ids(n),
            allow_other
        }),
        (2usize..6)
            .prop_flat_map(|n| (Just(n), 1..=n))
            .prop_flat_map(|(n, max)| (Just(n), Just(max), 0..=max))
            .prop_map(|(n, max, min)| QuestionKind::MultipleChoice {
                options: option_ids(n),
                min_selections: Some(min as u16),
                max_selections: Some(max as u16),
            }),
        (0u8..=1, 2u8..=10).prop_map(|(min, max)| QuestionKind::Rating {
            min,
            max,
            min_label: "bas".into(),
            max_label: "haut".into()
        }),
        (1u16..=500).prop_map(|max_length| QuestionKind::ShortText { max_length }),
        (1u16..=2000).prop_map(|max_length| QuestionKind::LongText { max_length }),
    ]
}

fn any_questions() -> impl Strategy<Value = Vec<Question>> {
    prop::collection::vec((any_kind(), any::<bool>()), 1..8).prop_map(|qs| {
        qs.into_iter()
            .enumerate()
            .map(|(i, (kind, required))| Question {
                id: QuestionId::parse(format!("q{i}")).unwrap(),
                prompt: format!("Question {i}").into(),
                required,
                kind,
            })
            .collect()
    })
}

/// A valid answer to `q`, or `None` (left out) when it is optional.
fn valid_answer(q: &Question) -> BoxedStrategy<Option<Answer>> {
    let answer: BoxedStrategy<Answer> = match &q.kind {
        QuestionKind::SingleChoice {
            options,
            allow_other,
        } => {
            let ids: Vec<OptionId> = options.iter().map(|o| o.id.clone()).collect();
            let pick = prop::sample::select(ids).prop_map(Answer::Option);
            if *allow_other {
                prop_oneof![
                    pick,
                    "[a-zA-Zé][a-zA-Zé ]{0,30}[a-z]".prop_map(Answer::Other)
                ]
                .boxed()
            } else {
                pick.boxed()
            }
        }
        QuestionKind::MultipleChoice {
            options,
            min_selections,
            max_selections,
        } => {
            let ids: Vec<OptionId> = options.iter().map(|o| o.id.clone()).collect();
            let min = usize::from(min_selections.unwrap_or(0)).max(1);
            let max = usize::from(max_selections.unwrap_or(ids.len() as u16));
            prop::sample::subsequence(ids, min..=max)
                .prop_map(Answer::Options)
                .boxed()
        }
        QuestionKind::Rating { min, max, .. } => (*min..=*max).prop_map(Answer::Rating).boxed(),
        QuestionKind::ShortText { max_length } | QuestionKind::LongText { max_length } => {
            // Texts as residents write them: letters (accented too), spaces and line breaks
            // inside, never only blanks (that is no answer).
            let n = usize::from(*max_length).min(40);
            prop::collection::vec(
                prop::sample::select(vec!['a', 'é', 'Z', '😀', ' ', '\n', '\'']),
                0..n,
            )
            .prop_map(|cs| {
                let inner: String = cs.into_iter().collect();
                Answer::Text(format!("x{}", inner.trim_end()))
            })
            .boxed()
        }
    };
    if q.required {
        answer.prop_map(Some).boxed()
    } else {
        prop::option::of(answer).boxed()
    }
}

fn questions_with_valid_answers() -> impl Strategy<Value = (Vec<Question>, RawAnswers)> {
    any_questions()
        .prop_flat_map(|qs| {
            let answers: Vec<_> = qs.iter().map(valid_answer).collect();
            (Just(qs), answers)
        })
        .prop_map(|(qs, answers)| {
            let raw = qs
                .iter()
                .zip(answers)
                .filter_map(|(q, a)| {
                    a.map(|a| (q.id.to_string(), serde_json::to_value(a).unwrap()))
                })
                .collect();
            (qs, raw)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn validation_never_panics_on_arbitrary_answers(
        questions in any_questions(),
        raw in prop::collection::btree_map(
            prop_oneof![Just("q0".to_owned()), Just("q1".to_owned()), Just("q2".to_owned()), ".{0,8}"],
            any_json(),
            0..6,
        ),
    ) {
        match validate(&questions, &raw) {
            Ok(answers) => prop_assert!(answers.len() <= questions.len()),
            Err(errors) => prop_assert!(!errors.is_empty()),
        }
    }

    #[test]
    fn every_valid_answer_set_is_accepted_and_counted(
        (questions, raw) in questions_with_valid_answers()
    ) {
        let answers = validate(&questions, &raw);
        prop_assert!(answers.is_ok(), "refused: {:?}", answers.err());
        let answers = answers.unwrap();
        prop_assert_eq!(answers.len(), raw.len());
        // Checking again what was checked changes nothing.
        prop_assert_eq!(validate(&questions, &answers.to_raw()), Ok(answers.clone()));

        let mut results = Results::empty(&questions);
        results.add(&answers);
        for r in &results.questions {
            let answered = u64::from(answers.get(&r.question).is_some());
            prop_assert_eq!(r.answered, answered);
            if let Tally::Rating { buckets } = &r.tally {
                prop_assert_eq!(buckets.iter().map(|b| b.count).sum::<u64>(), answered);
            }
        }
    }

    #[test]
    fn a_poll_spec_from_arbitrary_json_never_panics(json in any_json()) {
        if let Ok(spec) = serde_json::from_value::<PollSpec>(json) {
            let _ = spec.check();
        }
    }

    #[test]
    fn an_organiser_text_reads_back_as_written_and_shows_something_in_each_language(
        fr in ".{0,12}",
        en in ".{0,12}",
        plain in any::<bool>(),
    ) {
        let json = if plain {
            Value::String(fr.clone())
        } else {
            serde_json::json!({"fr": fr, "en": en})
        };
        match serde_json::from_value::<Text>(json.clone()) {
            Ok(text) => {
                let back = serde_json::to_value(&text).unwrap();
                prop_assert_eq!(serde_json::from_value::<Text>(back).unwrap(), text.clone());
                for lang in [Language::Fr, Language::En] {
                    let shown = text.get(lang);
                    prop_assert!(shown == fr || shown == en);
                    prop_assert_eq!(shown.trim().is_empty(), text.is_blank());
                }
            }
            // Only a translated text with nothing in either language is refused.
            Err(_) => prop_assert!(!plain && fr.trim().is_empty() && en.trim().is_empty()),
        }
    }

    #[test]
    fn parsers_never_panic_on_arbitrary_text(s in ".{0,80}") {
        let _ = PollId::parse(s.clone());
        let _ = SubmissionId::parse(&s);
        if let Ok(o) = Origin::parse(&s) {
            // A parsed origin parses again to itself.
            prop_assert_eq!(Origin::parse(o.as_str()), Ok(o.clone()));
        }
    }
}
