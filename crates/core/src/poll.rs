//! A consultation as its organiser defines it, and the public view residents receive.

use crate::ids::{OptionId, PollId, QuestionId};
use crate::limits;
use crate::origin::Origin;
use crate::text::{Language, Text};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use time::OffsetDateTime;

/// Where a consultation is in its life. Only organisers see drafts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PollState {
    /// Being written; invisible to residents.
    Draft,
    /// Accepting answers, within its opening and closing times if it has them.
    Open,
    /// Closed by its organiser.
    Closed,
}

impl PollState {
    /// The state's name, as in JSON and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            PollState::Draft => "draft",
            PollState::Open => "open",
            PollState::Closed => "closed",
        }
    }

    /// What residents see at `now`, or `None` for a draft (which residents must not see at all).
    pub fn availability(self, spec: &PollSpec, now: OffsetDateTime) -> Option<Availability> {
        match self {
            PollState::Draft => None,
            PollState::Closed => Some(Availability::Closed),
            PollState::Open => Some(match (spec.opens_at, spec.closes_at) {
                (Some(opens), _) if now < opens => Availability::NotYetOpen,
                (_, Some(closes)) if now >= closes => Availability::Closed,
                _ => Availability::Open,
            }),
        }
    }
}

/// Whether residents can answer right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// Answers are accepted.
    Open,
    /// Opened by its organiser but its opening time is still to come.
    NotYetOpen,
    /// Closed by its organiser or past its closing time.
    Closed,
}

/// Who may see a consultation's results, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResultsVisibility {
    /// Residents see the results once they have answered.
    #[default]
    AfterAnswering,
    /// Everyone sees the results once the consultation is closed.
    AfterClosing,
    /// Only the organisers ever see the results.
    OrganisersOnly,
}

impl ResultsVisibility {
    /// Whether the public results endpoint may show results of a consultation in this state.
    pub fn public_results(self, availability: Availability) -> bool {
        match self {
            ResultsVisibility::AfterAnswering => true,
            ResultsVisibility::AfterClosing => availability == Availability::Closed,
            ResultsVisibility::OrganisersOnly => false,
        }
    }
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChoiceOption {
    /// Stable id, used in answers and exports.
    pub id: OptionId,
    /// What residents read.
    pub label: Text,
}

/// What kind of answer a question takes, with the settings of that kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    /// Exactly one option, or a free "other" text when `allow_other` is set.
    SingleChoice {
        /// The options, in display order.
        options: Vec<ChoiceOption>,
        /// Offer "other, please specify".
        #[serde(default)]
        allow_other: bool,
    },
    /// Any number of options between `min_selections` and `max_selections`.
    MultipleChoice {
        /// The options, in display order.
        options: Vec<ChoiceOption>,
        /// Fewest options to tick when answering.
        #[serde(default)]
        min_selections: Option<u16>,
        /// Most options to tick.
        #[serde(default)]
        max_selections: Option<u16>,
    },
    /// A whole number from `min` to `max`, such as 1–5 or 0–10.
    Rating {
        /// Lowest value (0 or 1).
        min: u8,
        /// Highest value (at most 10).
        max: u8,
        /// Label of the lowest value, such as "not at all".
        #[serde(default)]
        min_label: Text,
        /// Label of the highest value, such as "absolutely".
        #[serde(default)]
        max_label: Text,
    },
    /// One line of text.
    ShortText {
        /// Most characters accepted.
        max_length: u16,
    },
    /// Several lines of text.
    LongText {
        /// Most characters accepted.
        max_length: u16,
    },
}

impl QuestionKind {
    /// The options of a choice question; empty for other kinds.
    pub fn options(&self) -> &[ChoiceOption] {
        match self {
            QuestionKind::SingleChoice { options, .. }
            | QuestionKind::MultipleChoice { options, .. } => options,
            _ => &[],
        }
    }

    /// The label residents read for option `id`, in `lang`; the id itself for an option the
    /// question no longer has (an answer kept from before an edit that removed it).
    pub fn option_label(&self, id: &OptionId, lang: impl Into<Language>) -> String {
        self.options()
            .iter()
            .find(|o| &o.id == id)
            .map_or_else(|| id.to_string(), |o| o.label.get(lang).to_owned())
    }

    /// The kind's name as used in JSON and error messages.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::SingleChoice { .. } => "single_choice",
            QuestionKind::MultipleChoice { .. } => "multiple_choice",
            QuestionKind::Rating { .. } => "rating",
            QuestionKind::ShortText { .. } => "short_text",
            QuestionKind::LongText { .. } => "long_text",
        }
    }
}

/// One question of a consultation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    /// Stable id, unique within the consultation.
    pub id: QuestionId,
    /// The question as residents read it.
    pub prompt: Text,
    /// Whether an answer is needed to submit.
    #[serde(default)]
    pub required: bool,
    /// The kind of answer and its settings.
    #[serde(flatten)]
    pub kind: QuestionKind,
}

/// Everything an organiser writes about a consultation: what `POST` and `PUT` take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PollSpec {
    /// Short title, shown as the widget's heading.
    pub title: Text,
    /// Longer introduction, shown under the title.
    #[serde(default)]
    pub description: Text,
    /// The questions, in order.
    pub questions: Vec<Question>,
    /// When answers start being accepted, if not as soon as it is opened.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub opens_at: Option<OffsetDateTime>,
    /// When answers stop being accepted, if not when it is closed by hand.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub closes_at: Option<OffsetDateTime>,
    /// Who sees the results, and when.
    #[serde(default)]
    pub results_visibility: ResultsVisibility,
    /// Web origins whose pages may embed it (its standalone page always may).
    #[serde(default)]
    pub allowed_origins: Vec<Origin>,
    /// Whether one device may answer several times (a feedback form at a counter, say).
    /// When false, the widget remembers on the device that it answered and shows the thanks
    /// instead of the form on later visits.
    #[serde(default)]
    pub allow_multiple_answers: bool,
    /// Whether each answer needs a participation code, used once.
    #[serde(default)]
    pub participation: crate::Participation,
}

/// What is wrong with one field of a [`PollSpec`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum SpecProblem {
    /// The field is empty or only spaces.
    #[error("must not be empty")]
    Empty,
    /// The text is longer than allowed.
    #[error("must be at most {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// The list is longer than allowed.
    #[error("must have at most {max} items")]
    TooMany {
        /// The limit.
        max: usize,
    },
    /// The list is shorter than allowed.
    #[error("must have at least {min} items")]
    TooFew {
        /// The limit.
        min: usize,
    },
    /// The id is used twice.
    #[error("is used twice")]
    Duplicate,
    /// The number is outside what this setting allows.
    #[error("must be between {min} and {max}")]
    OutOfRange {
        /// Lowest allowed.
        min: usize,
        /// Highest allowed.
        max: usize,
    },
    /// The closing time is not after the opening time.
    #[error("must be after opens_at")]
    ClosesBeforeOpens,
}

/// One faulty field of a [`PollSpec`], named by its JSON path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field} {problem}")]
pub struct SpecError {
    /// JSON path of the field, such as `questions[2].options[0].label`.
    pub field: String,
    /// What is wrong with it.
    pub problem: SpecProblem,
}

struct Checker(Vec<SpecError>);

impl Checker {
    fn fail(&mut self, field: impl Into<String>, problem: SpecProblem) {
        self.0.push(SpecError {
            field: field.into(),
            problem,
        });
    }

    /// Checks an organiser's text: not blank in every language when `required`, and each
    /// language's version at most `max` characters (named `field.fr`, `field.en`).
    fn text(&mut self, field: impl Into<String>, value: &Text, max: usize, required: bool) {
        let field = field.into();
        if required && value.is_blank() {
            self.fail(field, SpecProblem::Empty);
            return;
        }
        for (suffix, version) in value.versions() {
            if version.chars().count() > max {
                self.fail(format!("{field}{suffix}"), SpecProblem::TooLong { max });
            }
        }
    }

    fn count(&mut self, field: &str, len: usize, min: usize, max: usize) {
        if len < min {
            self.fail(field, SpecProblem::TooFew { min });
        } else if len > max {
            self.fail(field, SpecProblem::TooMany { max });
        }
    }

    fn range(&mut self, field: String, value: usize, min: usize, max: usize) {
        if value < min || value > max {
            self.fail(field, SpecProblem::OutOfRange { min, max });
        }
    }
}

impl PollSpec {
    /// Checks every rule a consultation must follow, returning one error per faulty field.
    pub fn check(&self) -> Result<(), Vec<SpecError>> {
        let mut c = Checker(Vec::new());
        c.text("title", &self.title, limits::TITLE_MAX, true);
        c.text(
            "description",
            &self.description,
            limits::DESCRIPTION_MAX,
            false,
        );
        c.count("questions", self.questions.len(), 1, limits::QUESTIONS_MAX);
        c.count(
            "allowed_origins",
            self.allowed_origins.len(),
            0,
            limits::ORIGINS_MAX,
        );
        if let (Some(o), Some(cl)) = (self.opens_at, self.closes_at)
            && cl <= o
        {
            c.fail("closes_at", SpecProblem::ClosesBeforeOpens);
        }
        let mut ids = HashSet::new();
        for (i, q) in self.questions.iter().enumerate() {
            let at = format!("questions[{i}]");
            if !ids.insert(&q.id) {
                c.fail(format!("{at}.id"), SpecProblem::Duplicate);
            }
            c.text(format!("{at}.prompt"), &q.prompt, limits::PROMPT_MAX, true);
            check_kind(&mut c, &at, &q.kind);
        }
        if c.0.is_empty() { Ok(()) } else { Err(c.0) }
    }

    /// The question with this id.
    pub fn question(&self, id: &QuestionId) -> Option<&Question> {
        self.questions.iter().find(|q| &q.id == id)
    }
}

fn check_kind(c: &mut Checker, at: &str, kind: &QuestionKind) {
    let options = kind.options();
    if matches!(
        kind,
        QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. }
    ) {
        c.count(
            &format!("{at}.options"),
            options.len(),
            limits::OPTIONS_MIN,
            limits::OPTIONS_MAX,
        );
        let mut seen = HashSet::new();
        for (j, o) in options.iter().enumerate() {
            if !seen.insert(&o.id) {
                c.fail(format!("{at}.options[{j}].id"), SpecProblem::Duplicate);
            }
            c.text(
                format!("{at}.options[{j}].label"),
                &o.label,
                limits::LABEL_MAX,
                true,
            );
        }
    }
    match kind {
        QuestionKind::MultipleChoice {
            min_selections,
            max_selections,
            ..
        } => {
            let n = options.len().max(1);
            let max = max_selections.map_or(n, usize::from);
            c.range(format!("{at}.max_selections"), max, 1, n);
            if let Some(min) = min_selections {
                c.range(format!("{at}.min_selections"), (*min).into(), 0, max.min(n));
            }
        }
        QuestionKind::Rating {
            min,
            max,
            min_label,
            max_label,
        } => {
            c.range(format!("{at}.min"), (*min).into(), 0, 1);
            c.range(
                format!("{at}.max"),
                (*max).into(),
                2,
                limits::RATING_TOP.into(),
            );
            c.text(
                format!("{at}.min_label"),
                min_label,
                limits::LABEL_MAX,
                false,
            );
            c.text(
                format!("{at}.max_label"),
                max_label,
                limits::LABEL_MAX,
                false,
            );
        }
        QuestionKind::ShortText { max_length } => c.range(
            format!("{at}.max_length"),
            (*max_length).into(),
            1,
            limits::SHORT_TEXT_MAX.into(),
        ),
        QuestionKind::LongText { max_length } => c.range(
            format!("{at}.max_length"),
            (*max_length).into(),
            1,
            limits::LONG_TEXT_MAX.into(),
        ),
        QuestionKind::SingleChoice { .. } => {}
    }
}

/// What residents receive: the questions and whether they can answer, nothing private.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicPoll {
    /// The consultation's id.
    pub id: PollId,
    /// Its title.
    pub title: Text,
    /// Its introduction.
    pub description: Text,
    /// Whether it accepts answers now.
    pub status: Availability,
    /// When it opens, if it has an opening time.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub opens_at: Option<OffsetDateTime>,
    /// When it closes, if it has a closing time.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub closes_at: Option<OffsetDateTime>,
    /// Who sees the results, and when.
    pub results_visibility: ResultsVisibility,
    /// The questions, in order.
    pub questions: Vec<Question>,
    /// Whether one device may answer several times.
    #[serde(default)]
    pub allow_multiple_answers: bool,
    /// Whether each answer needs a participation code, used once.
    #[serde(default)]
    pub participation: crate::Participation,
}

impl PublicPoll {
    /// The public view of `spec` as it stands at `status`.
    pub fn new(id: PollId, spec: &PollSpec, status: Availability) -> Self {
        Self {
            id,
            title: spec.title.clone(),
            description: spec.description.clone(),
            status,
            opens_at: spec.opens_at,
            closes_at: spec.closes_at,
            results_visibility: spec.results_visibility,
            questions: spec.questions.clone(),
            allow_multiple_answers: spec.allow_multiple_answers,
            participation: spec.participation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn spec(json: serde_json::Value) -> PollSpec {
        serde_json::from_value(json).expect("valid spec JSON")
    }

    fn sample() -> PollSpec {
        spec(serde_json::json!({
            "title": "Parc Henri-IV",
            "questions": [
                {"id": "use", "prompt": "Vous y allez ?", "required": true, "kind": "single_choice",
                 "options": [{"id": "often", "label": "Souvent"}, {"id": "never", "label": "Jamais"}],
                 "allow_other": true},
                {"id": "score", "prompt": "Note", "kind": "rating", "min": 1, "max": 5}
            ]
        }))
    }

    fn fields(spec: &PollSpec) -> Vec<String> {
        spec.check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_sound_spec_passes_its_check() {
        assert_eq!(sample().check(), Ok(()));
    }

    #[test]
    fn questions_serialise_with_their_kind_inline() {
        let json = serde_json::to_value(&sample().questions[1]).unwrap();
        assert_eq!(json["kind"], "rating");
        assert_eq!(json["max"], 5);
    }

    #[test]
    fn several_answers_per_device_are_refused_unless_the_spec_allows_them() {
        assert!(!sample().allow_multiple_answers);
        let public = PublicPoll::new(PollId::parse("p1").unwrap(), &sample(), Availability::Open);
        assert!(!public.allow_multiple_answers);
        let mut json = serde_json::to_value(sample()).unwrap();
        json["allow_multiple_answers"] = true.into();
        let s = spec(json);
        assert!(s.allow_multiple_answers);
        let public = PublicPoll::new(PollId::parse("p1").unwrap(), &s, Availability::Open);
        assert_eq!(
            serde_json::to_value(&public).unwrap()["allow_multiple_answers"],
            true
        );
        // A public definition from a server that predates the setting reads as false.
        let mut old = serde_json::to_value(&public).unwrap();
        old.as_object_mut()
            .unwrap()
            .remove("allow_multiple_answers");
        assert!(
            !serde_json::from_value::<PublicPoll>(old)
                .unwrap()
                .allow_multiple_answers
        );
    }

    #[test]
    fn unknown_fields_in_a_spec_are_refused() {
        let r = serde_json::from_value::<PollSpec>(serde_json::json!({
            "title": "x", "questions": [], "colour": "red"
        }));
        assert!(r.is_err());
    }

    #[test]
    fn empty_title_and_duplicate_ids_are_named_by_their_path() {
        let mut s = sample();
        s.title = "   ".into();
        s.questions[1].id = s.questions[0].id.clone();
        assert_eq!(fields(&s), vec!["title", "questions[1].id"]);
    }

    #[test]
    fn choice_questions_need_two_distinct_labelled_options() {
        let mut s = sample();
        if let QuestionKind::SingleChoice { options, .. } = &mut s.questions[0].kind {
            options[1].id = options[0].id.clone();
            options[1].label = String::new().into();
        }
        assert_eq!(
            fields(&s),
            vec![
                "questions[0].options[1].id",
                "questions[0].options[1].label"
            ]
        );
    }

    #[test]
    fn rating_ranges_and_selection_bounds_are_checked() {
        let s = spec(serde_json::json!({
            "title": "t",
            "questions": [
                {"id": "r", "prompt": "p", "kind": "rating", "min": 3, "max": 11},
                {"id": "m", "prompt": "p", "kind": "multiple_choice",
                 "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
                 "min_selections": 2, "max_selections": 1},
                {"id": "t", "prompt": "p", "kind": "short_text", "max_length": 0}
            ]
        }));
        assert_eq!(
            fields(&s),
            vec![
                "questions[0].min",
                "questions[0].max",
                "questions[1].min_selections",
                "questions[2].max_length"
            ]
        );
    }

    #[test]
    fn texts_may_come_in_both_languages_and_old_plain_strings_stay_valid() {
        let s = spec(serde_json::json!({
            "title": {"fr": "Le square", "en": "The square"},
            "description": "Une seule langue",
            "questions": [
                {"id": "q", "prompt": {"fr": "Souvent ?", "en": "Often?"}, "kind": "single_choice",
                 "options": [{"id": "a", "label": {"fr": "Oui", "en": "Yes"}}, {"id": "b", "label": "Non"}]},
                {"id": "r", "prompt": {"en": "Score"}, "kind": "rating", "min": 1, "max": 5,
                 "min_label": {"fr": "Bof", "en": "Meh"}}
            ]
        }));
        assert_eq!(s.check(), Ok(()));
        assert_eq!(s.title.get(crate::Language::En), "The square");
        assert_eq!(s.questions[1].prompt.get(crate::Language::Fr), "Score");
        let back = serde_json::to_value(&s).unwrap();
        assert_eq!(
            back["title"],
            serde_json::json!({"fr": "Le square", "en": "The square"})
        );
        assert_eq!(back["description"], "Une seule langue");
        assert_eq!(serde_json::from_value::<PollSpec>(back).unwrap(), s);
        // A plain-string consultation reads and writes exactly as before.
        let plain = serde_json::to_value(sample()).unwrap();
        assert_eq!(plain["title"], "Parc Henri-IV");
        assert_eq!(plain["questions"][0]["options"][0]["label"], "Souvent");
    }

    #[test]
    fn each_language_of_a_text_is_checked_on_its_own_and_named_in_the_error() {
        let long = "x".repeat(limits::TITLE_MAX + 1);
        let mut s = sample();
        s.title = Text::translated("Court", long.clone());
        s.questions[0].prompt = Text::translated(long.repeat(3), long.repeat(3));
        if let QuestionKind::Rating { max_label, .. } = &mut s.questions[1].kind {
            *max_label = Text::translated(long.clone(), "");
        }
        assert_eq!(
            fields(&s),
            vec![
                "title.en",
                "questions[0].prompt.fr",
                "questions[0].prompt.en",
                "questions[1].max_label.fr"
            ]
        );
        // A plain text keeps its plain name.
        let mut s = sample();
        s.title = long.into();
        assert_eq!(fields(&s), vec!["title"]);
        // Blank in both languages is empty.
        s.title = Text::translated(" ", "");
        assert_eq!(fields(&s), vec!["title"]);
    }

    #[test]
    fn closing_before_opening_is_refused() {
        let mut s = sample();
        s.opens_at = Some(datetime!(2027-01-10 00:00 UTC));
        s.closes_at = Some(datetime!(2027-01-01 00:00 UTC));
        assert_eq!(fields(&s), vec!["closes_at"]);
    }

    #[test]
    fn availability_follows_state_and_times() {
        let mut s = sample();
        s.opens_at = Some(datetime!(2027-01-01 00:00 UTC));
        s.closes_at = Some(datetime!(2027-02-01 00:00 UTC));
        let before = datetime!(2026-12-01 00:00 UTC);
        let during = datetime!(2027-01-15 00:00 UTC);
        let after = datetime!(2027-03-01 00:00 UTC);
        assert_eq!(PollState::Draft.availability(&s, during), None);
        assert_eq!(
            PollState::Open.availability(&s, before),
            Some(Availability::NotYetOpen)
        );
        assert_eq!(
            PollState::Open.availability(&s, during),
            Some(Availability::Open)
        );
        assert_eq!(
            PollState::Open.availability(&s, after),
            Some(Availability::Closed)
        );
        assert_eq!(
            PollState::Closed.availability(&s, during),
            Some(Availability::Closed)
        );
    }

    #[test]
    fn results_are_public_only_where_visibility_allows() {
        use Availability::*;
        use ResultsVisibility::*;
        assert!(AfterAnswering.public_results(Open));
        assert!(!AfterClosing.public_results(Open));
        assert!(AfterClosing.public_results(Closed));
        assert!(!OrganisersOnly.public_results(Closed));
    }
}
