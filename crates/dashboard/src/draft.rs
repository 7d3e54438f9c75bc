//! A consultation being edited: plain data the editor's inputs change, turned into the
//! model's [`PollSpec`] for saving and for the preview. Ids are made up here (`q1`, `o3`…),
//! never typed, and kept for the life of a question or option so that answers stay attached.

use concerto_core::{
    Availability, ChoiceOption, OptionId, Origin, Participation, PollId, PollSpec, PublicPoll,
    Question, QuestionId, QuestionKind, ResultsVisibility, Text,
};
use time::OffsetDateTime;

/// The kinds of question, in the order the editor offers them.
pub const KINDS: [&str; 5] = [
    "single_choice",
    "multiple_choice",
    "rating",
    "short_text",
    "long_text",
];

/// A consultation being edited.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Its title.
    pub title: Text,
    /// Its introduction.
    pub description: Text,
    /// Its questions, in order.
    pub questions: Vec<QuestionDraft>,
    /// When answers start being accepted.
    pub opens_at: Option<OffsetDateTime>,
    /// When answers stop being accepted.
    pub closes_at: Option<OffsetDateTime>,
    /// Who sees the results, and when.
    pub results_visibility: ResultsVisibility,
    /// The allowed embedding origins, one per line, as typed.
    pub origins: String,
    /// Whether one device may answer several times.
    pub allow_multiple_answers: bool,
    /// Whether each answer needs a participation code.
    pub participation: Participation,
    /// Whether the texts are written in English too (else one text for everyone).
    pub bilingual: bool,
    /// The next number for a made-up id.
    next: u32,
}

/// One question being edited; `key` identifies it in the editor's list.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionDraft {
    /// Identifies this question among the draft's, for the editor (its id does too, but
    /// this one is a number).
    pub key: u32,
    /// The question's definition.
    pub question: Question,
}

/// What is wrong with the draft besides what [`PollSpec::check`] finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftError {
    /// A line of the allowed origins is not an origin.
    Origin(String),
}

/// Replaces the version of `text` the dashboard edits: a plain text, or the French version
/// of a translated one (its English version is kept).
pub fn edit_text(text: &Text, value: String) -> Text {
    match text {
        Text::Same(_) => Text::Same(value),
        Text::Translated { en, .. } => Text::Translated {
            fr: value,
            en: en.clone(),
        },
    }
}

/// The version of `text` the dashboard edits.
pub fn edited_text(text: &Text) -> &str {
    text.version(concerto_core::Language::Fr)
}

/// Sets the English version of `text`, which then becomes a translated text.
pub fn edit_english(text: &Text, value: String) -> Text {
    match text {
        Text::Same(fr) | Text::Translated { fr, .. } => Text::Translated {
            fr: fr.clone(),
            en: value,
        },
    }
}

/// The English version of `text`, empty for a plain text.
pub fn english(text: &Text) -> &str {
    match text {
        Text::Same(_) => "",
        Text::Translated { en, .. } => en,
    }
}

/// Every text of a question: its prompt, option labels and rating end labels.
fn question_texts(q: &mut Question) -> Vec<&mut Text> {
    let mut out = vec![&mut q.prompt];
    match &mut q.kind {
        QuestionKind::SingleChoice { options, .. }
        | QuestionKind::MultipleChoice { options, .. } => {
            out.extend(options.iter_mut().map(|o| &mut o.label));
        }
        QuestionKind::Rating {
            min_label,
            max_label,
            ..
        } => {
            out.push(min_label);
            out.push(max_label);
        }
        _ => {}
    }
    out
}

impl Default for Draft {
    fn default() -> Self {
        let mut d = Draft {
            title: Text::default(),
            description: Text::default(),
            questions: Vec::new(),
            opens_at: None,
            closes_at: None,
            results_visibility: ResultsVisibility::default(),
            origins: String::new(),
            allow_multiple_answers: false,
            participation: Participation::Open,
            bilingual: false,
            next: 1,
        };
        d.add_question();
        d
    }
}

fn number_in(id: &str) -> u32 {
    id.trim_start_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .unwrap_or(0)
}

impl Draft {
    /// A draft of an existing consultation.
    pub fn from_spec(spec: &PollSpec) -> Self {
        let mut next = 1;
        for q in &spec.questions {
            next = next.max(number_in(q.id.as_str()) + 1);
            for o in q.kind.options() {
                next = next.max(number_in(o.id.as_str()) + 1);
            }
        }
        let mut questions: Vec<QuestionDraft> = spec
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| QuestionDraft {
                key: i as u32,
                question: q.clone(),
            })
            .collect();
        let translated = |t: &Text| matches!(t, Text::Translated { .. });
        let bilingual = translated(&spec.title)
            || translated(&spec.description)
            || questions.iter_mut().any(|q| {
                question_texts(&mut q.question)
                    .into_iter()
                    .any(|t| translated(t))
            });
        Draft {
            bilingual,
            title: spec.title.clone(),
            description: spec.description.clone(),
            questions,
            opens_at: spec.opens_at,
            closes_at: spec.closes_at,
            results_visibility: spec.results_visibility,
            origins: spec
                .allowed_origins
                .iter()
                .map(|o| o.as_str().to_owned())
                .collect::<Vec<_>>()
                .join("\n"),
            allow_multiple_answers: spec.allow_multiple_answers,
            participation: spec.participation,
            next: next.max(spec.questions.len() as u32 + 1),
        }
    }

    /// Asks for a participation code with each answer, or lets anyone answer.
    pub fn set_one_answer_per_code(&mut self, on: bool) {
        self.participation = if on {
            Participation::OneAnswerPerCode
        } else {
            Participation::Open
        };
    }

    /// Writes the texts in English too, or stops: each text then becomes its French version
    /// (or its English one where there is no French).
    pub fn set_bilingual(&mut self, on: bool) {
        self.bilingual = on;
        if on {
            return;
        }
        let plain = |t: &mut Text| *t = Text::Same(t.get(concerto_core::Language::Fr).to_owned());
        plain(&mut self.title);
        plain(&mut self.description);
        for q in &mut self.questions {
            for t in question_texts(&mut q.question) {
                plain(t);
            }
        }
    }

    fn fresh(&mut self, prefix: &str) -> String {
        let n = self.next;
        self.next += 1;
        format!("{prefix}{n}")
    }

    fn fresh_option(&mut self) -> ChoiceOption {
        ChoiceOption {
            id: OptionId::parse(self.fresh("o")).unwrap_or_else(|_| unreachable_id()),
            label: Text::default(),
        }
    }

    /// The kind named `name` with its default settings, keeping `from`'s options when both
    /// are choice kinds.
    pub fn kind_named(&mut self, name: &str, from: &QuestionKind) -> QuestionKind {
        let options = if from.options().is_empty() {
            vec![self.fresh_option(), self.fresh_option()]
        } else {
            from.options().to_vec()
        };
        match name {
            "multiple_choice" => QuestionKind::MultipleChoice {
                options,
                min_selections: None,
                max_selections: None,
            },
            "rating" => QuestionKind::Rating {
                min: 1,
                max: 5,
                min_label: Text::default(),
                max_label: Text::default(),
            },
            "short_text" => QuestionKind::ShortText { max_length: 200 },
            "long_text" => QuestionKind::LongText { max_length: 2000 },
            _ => QuestionKind::SingleChoice {
                options,
                allow_other: false,
            },
        }
    }

    /// Adds a single-choice question at the end; returns its key.
    pub fn add_question(&mut self) -> u32 {
        let key = self.questions.iter().map(|q| q.key + 1).max().unwrap_or(0);
        let id = QuestionId::parse(self.fresh("q")).unwrap_or_else(|_| unreachable_id());
        let kind = self.kind_named("single_choice", &QuestionKind::ShortText { max_length: 1 });
        self.questions.push(QuestionDraft {
            key,
            question: Question {
                id,
                prompt: Text::default(),
                required: false,
                kind,
            },
        });
        key
    }

    /// The question with this key.
    pub fn question(&self, key: u32) -> Option<&Question> {
        self.questions
            .iter()
            .find(|q| q.key == key)
            .map(|q| &q.question)
    }

    /// Changes the question with this key.
    pub fn update_question(&mut self, key: u32, change: impl FnOnce(&mut Question)) {
        if let Some(q) = self.questions.iter_mut().find(|q| q.key == key) {
            change(&mut q.question);
        }
    }

    /// Changes the kind of the question with this key.
    pub fn set_kind(&mut self, key: u32, name: &str) {
        let Some(current) = self.question(key).map(|q| q.kind.clone()) else {
            return;
        };
        if current.name() == name {
            return;
        }
        let kind = self.kind_named(name, &current);
        self.update_question(key, |q| q.kind = kind);
    }

    /// Removes the question with this key.
    pub fn remove_question(&mut self, key: u32) {
        self.questions.retain(|q| q.key != key);
    }

    /// Moves the question with this key up (`-1`) or down (`1`) one place.
    pub fn move_question(&mut self, key: u32, by: isize) {
        if let Some(i) = self.questions.iter().position(|q| q.key == key) {
            let j = i as isize + by;
            if (0..self.questions.len() as isize).contains(&j) {
                self.questions.swap(i, j as usize);
            }
        }
    }

    /// Adds an option to the choice question with this key.
    pub fn add_option(&mut self, key: u32) {
        let option = self.fresh_option();
        self.update_question(key, |q| {
            if let Some(options) = options_mut(&mut q.kind) {
                options.push(option);
            }
        });
    }

    /// Changes option `index` of the question with this key.
    pub fn update_option(
        &mut self,
        key: u32,
        index: usize,
        change: impl FnOnce(&mut ChoiceOption),
    ) {
        self.update_question(key, |q| {
            if let Some(o) = options_mut(&mut q.kind).and_then(|os| os.get_mut(index)) {
                change(o);
            }
        });
    }

    /// Removes option `index` of the question with this key.
    pub fn remove_option(&mut self, key: u32, index: usize) {
        self.update_question(key, |q| {
            if let Some(options) = options_mut(&mut q.kind)
                && index < options.len()
            {
                options.remove(index);
            }
        });
    }

    /// Moves option `index` of the question with this key up (`-1`) or down (`1`).
    pub fn move_option(&mut self, key: u32, index: usize, by: isize) {
        self.update_question(key, |q| {
            if let Some(options) = options_mut(&mut q.kind) {
                let j = index as isize + by;
                if index < options.len() && (0..options.len() as isize).contains(&j) {
                    options.swap(index, j as usize);
                }
            }
        });
    }

    /// The definition to save, and what could not go into it.
    pub fn to_spec(&self) -> (PollSpec, Vec<DraftError>) {
        let mut errors = Vec::new();
        let allowed_origins = self
            .origins
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .filter_map(|l| match Origin::parse(l.trim_end_matches('/')) {
                Ok(o) => Some(o),
                Err(_) => {
                    errors.push(DraftError::Origin(l.to_owned()));
                    None
                }
            })
            .collect();
        let spec = PollSpec {
            title: self.title.clone(),
            description: self.description.clone(),
            questions: self.questions.iter().map(|q| q.question.clone()).collect(),
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            results_visibility: self.results_visibility,
            allowed_origins,
            allow_multiple_answers: self.allow_multiple_answers,
            participation: self.participation,
        };
        (spec, errors)
    }

    /// The consultation as residents would see it, open.
    pub fn public(&self) -> PublicPoll {
        let id = PollId::parse("preview").unwrap_or_else(|_| unreachable_id());
        PublicPoll::new(id, &self.to_spec().0, Availability::Open)
    }
}

/// The options of a choice kind.
pub fn options_mut(kind: &mut QuestionKind) -> Option<&mut Vec<ChoiceOption>> {
    match kind {
        QuestionKind::SingleChoice { options, .. }
        | QuestionKind::MultipleChoice { options, .. } => Some(options),
        _ => None,
    }
}

/// Made-up ids are letters and digits: parsing them cannot fail.
fn unreachable_id<T>() -> T {
    unreachable!("a made-up id is always valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(d: &Draft) -> Vec<String> {
        d.questions
            .iter()
            .map(|q| q.question.id.to_string())
            .collect()
    }

    #[test]
    fn asking_for_a_code_per_answer_reaches_the_definition_and_can_be_undone() {
        let mut d = Draft::default();
        d.set_one_answer_per_code(true);
        assert_eq!(d.to_spec().0.participation, Participation::OneAnswerPerCode);
        d.set_one_answer_per_code(false);
        assert_eq!(d.to_spec().0.participation, Participation::Open);
    }

    #[test]
    fn a_new_draft_has_one_choice_question_with_two_options() {
        let d = Draft::default();
        assert_eq!(d.questions.len(), 1);
        assert_eq!(d.questions[0].question.kind.options().len(), 2);
    }

    #[test]
    fn made_up_ids_never_repeat_even_after_a_removal() {
        let mut d = Draft::default();
        let k = d.add_question();
        d.remove_question(k);
        d.add_question();
        let all = ids(&d);
        assert_eq!(all.len(), 2);
        assert_ne!(all[0], all[1]);
        let (spec, errors) = d.to_spec();
        assert!(errors.is_empty());
        // Only the empty texts are wrong.
        assert!(
            spec.check()
                .unwrap_err()
                .iter()
                .all(|e| e.problem == concerto_core::SpecProblem::Empty)
        );
    }

    #[test]
    fn questions_and_options_move_within_bounds() {
        let mut d = Draft::default();
        let first = d.questions[0].key;
        let second = d.add_question();
        d.move_question(second, -1);
        assert_eq!(d.questions[0].key, second);
        d.move_question(second, -1);
        assert_eq!(d.questions[0].key, second);
        d.move_question(first, 1);
        assert_eq!(d.questions[1].key, first);
        d.add_option(first);
        let before: Vec<_> = d.question(first).unwrap().kind.options().to_vec();
        d.move_option(first, 2, 1);
        d.move_option(first, 0, 1);
        let after = d.question(first).unwrap().kind.options();
        assert_eq!(after[0], before[1]);
        assert_eq!(after[1], before[0]);
        assert_eq!(after[2], before[2]);
    }

    #[test]
    fn changing_between_choice_kinds_keeps_the_options() {
        let mut d = Draft::default();
        let k = d.questions[0].key;
        d.update_option(k, 0, |o| o.label = "Oui".into());
        d.set_kind(k, "multiple_choice");
        assert_eq!(d.question(k).unwrap().kind.options()[0].label, "Oui".into());
        d.set_kind(k, "rating");
        assert!(d.question(k).unwrap().kind.options().is_empty());
        assert_eq!(d.question(k).unwrap().kind.name(), "rating");
    }

    #[test]
    fn a_saved_spec_reads_back_into_the_same_draft() {
        let d = Draft {
            title: "Le square".into(),
            origins: "https://riverains.example\n\n  http://localhost:8081/ \nnot an origin".into(),
            ..Draft::default()
        };
        let (spec, errors) = d.to_spec();
        assert_eq!(errors, vec![DraftError::Origin("not an origin".into())]);
        assert_eq!(spec.allowed_origins.len(), 2);
        let back = Draft::from_spec(&spec);
        assert_eq!(back.to_spec().0, spec);
        // New ids after a reload do not collide with the saved ones.
        let mut back = back;
        back.add_question();
        let all = ids(&back);
        assert_ne!(all[0], all[1]);
    }

    #[test]
    fn a_bilingual_draft_turns_plain_again_keeping_the_french() {
        let mut d = Draft {
            title: edit_english(&"Le square".into(), "The square".into()),
            ..Draft::default()
        };
        let k = d.questions[0].key;
        d.update_option(k, 0, |o| {
            o.label = edit_english(&Text::default(), "Yes".into())
        });
        let (spec, _) = d.to_spec();
        assert!(Draft::from_spec(&spec).bilingual);
        d.set_bilingual(false);
        assert_eq!(d.title, Text::Same("Le square".into()));
        // No French: the English is kept.
        assert_eq!(
            d.question(k).unwrap().kind.options()[0].label,
            Text::Same("Yes".into())
        );
        assert!(!Draft::from_spec(&d.to_spec().0).bilingual);
    }

    #[test]
    fn editing_a_translated_text_keeps_its_english_version() {
        let t = Text::translated("Bonjour", "Hello");
        assert_eq!(
            edit_text(&t, "Salut".into()),
            Text::translated("Salut", "Hello")
        );
        assert_eq!(
            edit_text(&Text::default(), "Salut".into()),
            Text::Same("Salut".into())
        );
    }
}
