//! Every string a resident sees, in French and English.
//!
//! Fixed strings live in one [`Texts`] table per language, so a missing translation is a
//! compile error; strings with numbers or names are functions on [`Lang`], which also know
//! each language's plural rule (French: 0 and 1 are singular; English: only 1).

use crate::lang::Lang;
use concerto_core::AnswerProblem;

/// The fixed strings of one language.
#[derive(Debug)]
pub struct Texts {
    /// The widget's accessible name until the consultation's title is known.
    pub widget_name: &'static str,
    /// Shown while the consultation loads.
    pub loading: &'static str,
    /// Heading when the consultation does not exist (or is not published).
    pub not_found_title: &'static str,
    /// Explanation under [`Texts::not_found_title`].
    pub not_found_body: &'static str,
    /// Heading when the consultation could not be loaded.
    pub network_error_title: &'static str,
    /// Explanation under [`Texts::network_error_title`].
    pub network_error_body: &'static str,
    /// Button that loads the consultation again.
    pub retry: &'static str,
    /// Said when the consultation is not open yet and has no opening date.
    pub not_yet_open: &'static str,
    /// Said when the consultation is closed.
    pub closed: &'static str,
    /// Marks a required question, after its prompt.
    pub required: &'static str,
    /// The "other" radio of a single choice question.
    pub other_option: &'static str,
    /// Label of the text box that appears when "other" is chosen.
    pub other_input: &'static str,
    /// The submit button.
    pub submit: &'static str,
    /// The submit button while the answers are being sent.
    pub sending_button: &'static str,
    /// Announced while the answers are being sent.
    pub sending: &'static str,
    /// Announced once the answers are stored.
    pub sent: &'static str,
    /// Said when the answers could not be sent because the network failed.
    pub send_failed: &'static str,
    /// Button that sends the same answers again.
    pub resend: &'static str,
    /// Said while an answer waits on the device for the network or the server to return.
    pub waiting: &'static str,
    /// Button that tries to send a waiting answer at once.
    pub send_now: &'static str,
    /// Said on a later visit to a consultation already answered on this device.
    pub already_answered: &'static str,
    /// Button that starts a new answer when several answers are allowed.
    pub answer_again: &'static str,
    /// Said when answers need fixing before they can be sent.
    pub fix_answers: &'static str,
    /// Said when the host site may not collect answers for this consultation.
    pub origin_refused: &'static str,
    /// Label of the participation code's box, where a consultation asks for one.
    pub code_label: &'static str,
    /// Under [`Texts::code_label`]: where the code comes from, and that it stays anonymous.
    pub code_hint: &'static str,
    /// Said when the answers are too large to be accepted.
    pub too_large: &'static str,
    /// Said when the server failed in an unexpected way.
    pub server_error: &'static str,
    /// Heading of the thank-you message.
    pub thanks_title: &'static str,
    /// Body of the thank-you message.
    pub thanks_body: &'static str,
    /// Heading of the results.
    pub results_title: &'static str,
    /// Shown while the results load.
    pub results_loading: &'static str,
    /// Said when the results could not be loaded.
    pub results_unavailable: &'static str,
    /// Said when the results will be published when the consultation closes.
    pub results_after_closing: &'static str,
    /// Said when only the organisers see the results.
    pub results_private: &'static str,
    /// Label of the "other" answers' bar.
    pub other_result: &'static str,
    /// Label before a rating's mean.
    pub mean: &'static str,
}

/// French strings.
pub static FR: Texts = Texts {
    widget_name: "Consultation",
    loading: "Chargement de la consultation…",
    not_found_title: "Consultation introuvable",
    not_found_body: "Cette consultation n’existe pas ou n’est pas encore publiée.",
    network_error_title: "Chargement impossible",
    network_error_body: "La consultation n’a pas pu être chargée. Vérifiez votre connexion puis réessayez.",
    retry: "Réessayer",
    not_yet_open: "Cette consultation n’est pas encore ouverte.",
    closed: "Cette consultation est close : elle n’accepte plus de réponses.",
    required: "(obligatoire)",
    other_option: "Autre, précisez",
    other_input: "Votre autre réponse",
    submit: "Envoyer mes réponses",
    sending_button: "Envoi…",
    sending: "Envoi de vos réponses…",
    sent: "Vos réponses ont été envoyées.",
    send_failed: "L’envoi a échoué. Vos réponses sont conservées : vérifiez votre connexion puis réessayez.",
    resend: "Réessayer l’envoi",
    waiting: "En attente de connexion… votre réponse sera envoyée automatiquement.",
    send_now: "Réessayer maintenant",
    already_answered: "Vous avez déjà répondu à cette consultation depuis cet appareil.",
    answer_again: "Répondre à nouveau",
    fix_answers: "Certaines réponses sont à corriger.",
    origin_refused: "Ce site n’est pas autorisé à recueillir des réponses à cette consultation.",
    code_label: "Votre code de participation",
    code_hint: "Le code imprimé sur le papier reçu, par exemple K7M-3QX. Il compte une réponse par foyer ; votre réponse reste anonyme.",
    too_large: "Vos réponses sont trop longues pour être envoyées. Raccourcissez-les puis réessayez.",
    server_error: "Le serveur n’a pas pu enregistrer vos réponses. Réessayez dans un instant.",
    thanks_title: "Merci !",
    thanks_body: "Votre réponse a bien été enregistrée.",
    results_title: "Résultats",
    results_loading: "Chargement des résultats…",
    results_unavailable: "Les résultats ne sont pas disponibles pour le moment.",
    results_after_closing: "Les résultats seront publiés à la clôture de la consultation.",
    results_private: "Les résultats de cette consultation ne sont pas publics.",
    other_result: "Autre",
    mean: "Moyenne",
};

/// English strings.
pub static EN: Texts = Texts {
    widget_name: "Consultation",
    loading: "Loading the consultation…",
    not_found_title: "Consultation not found",
    not_found_body: "This consultation does not exist or is not published yet.",
    network_error_title: "Could not load",
    network_error_body: "The consultation could not be loaded. Check your connection and try again.",
    retry: "Try again",
    not_yet_open: "This consultation is not open yet.",
    closed: "This consultation is closed: it no longer accepts answers.",
    required: "(required)",
    other_option: "Other, please specify",
    other_input: "Your other answer",
    submit: "Send my answers",
    sending_button: "Sending…",
    sending: "Sending your answers…",
    sent: "Your answers have been sent.",
    send_failed: "Sending failed. Your answers are kept: check your connection and try again.",
    resend: "Send again",
    waiting: "Waiting for a connection… your answer will be sent automatically.",
    send_now: "Try now",
    already_answered: "You have already answered this consultation from this device.",
    answer_again: "Answer again",
    fix_answers: "Some answers need fixing.",
    origin_refused: "This site is not allowed to collect answers for this consultation.",
    code_label: "Your participation code",
    code_hint: "The code printed on the slip you received, like K7M-3QX. It counts one answer per household; your answer stays anonymous.",
    too_large: "Your answers are too long to be sent. Shorten them and try again.",
    server_error: "The server could not save your answers. Try again in a moment.",
    thanks_title: "Thank you!",
    thanks_body: "Your answer has been recorded.",
    results_title: "Results",
    results_loading: "Loading the results…",
    results_unavailable: "The results are not available at the moment.",
    results_after_closing: "The results will be published when the consultation closes.",
    results_private: "The results of this consultation are not public.",
    other_result: "Other",
    mean: "Mean",
};

/// A run of text and its `lang` attribute, `None` when it is the widget's language.
pub type Run = (String, Option<&'static str>);

/// One end of a rating scale: its value, its label (may be empty) and the label's `lang`.
pub type RatingEnd<'a> = (u8, &'a str, Option<&'static str>);

/// The fixed strings of the public results page and its embed. Apart from [`Texts`]: only
/// the server renders them, so the widget's wasm never carries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsText {
    /// The term before the consultation's state.
    State,
    /// The term before the opening time.
    Opening,
    /// The term before the closing time.
    Closing,
    /// The term before the number of answers.
    Answers,
    /// The term before the participation rule.
    Participation,
    /// The state of a consultation that takes answers.
    StateOpen,
    /// The state of a consultation that does not take answers yet.
    StateNotYetOpen,
    /// The state of a closed consultation.
    StateClosed,
    /// The page's link to the consultation's form, while it is open.
    AnswerLink,
    /// The label of the page's navigation.
    Navigation,
    /// The page's title after the consultation's: "Résultats de …".
    PageTitle,
    /// Heading when the results are not public.
    HiddenTitle,
    /// Why: they will be once the consultation closes.
    HiddenUntilClosed,
    /// Why: only the organisers see them.
    HiddenForGood,
    /// Heading of the answers each partner brought.
    PartnersTitle,
}

/// French narrow no-break space, used before `%` and `:` and inside numbers.
const NNBSP: char = '\u{202f}';

impl Lang {
    /// This language's fixed strings.
    pub fn t(self) -> &'static Texts {
        match self {
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }

    /// Whether `n` takes the singular form.
    pub fn is_singular(self, n: u64) -> bool {
        match self {
            Lang::Fr => n <= 1,
            Lang::En => n == 1,
        }
    }

    fn plural(self, n: u64, one: &str, many: &str) -> String {
        let word = if self.is_singular(n) { one } else { many };
        format!("{n} {word}")
    }

    /// "3 réponses", "1 response": answers to one question.
    pub fn responses(self, n: u64) -> String {
        match self {
            Lang::Fr => self.plural(n, "réponse", "réponses"),
            Lang::En => self.plural(n, "response", "responses"),
        }
    }

    /// "12 participants", "1 respondent": people who answered the consultation.
    pub fn respondents(self, n: u64) -> String {
        match self {
            Lang::Fr => self.plural(n, "participant", "participants"),
            Lang::En => self.plural(n, "respondent", "respondents"),
        }
    }

    /// A whole percentage: "42 %" in French, "42%" in English.
    pub fn percent(self, p: u32) -> String {
        match self {
            Lang::Fr => format!("{p}{NNBSP}%"),
            Lang::En => format!("{p}%"),
        }
    }

    /// A number with one decimal: "3,4" in French, "3.4" in English.
    pub fn decimal(self, x: f64) -> String {
        // Whole tenths, printed as integers: float formatting would add its tables and
        // algorithms (over 20 KB) to the widget's wasm for this one figure.
        let tenths = (x * 10.0).round() as i64;
        let sign = if tenths < 0 { "-" } else { "" };
        let (units, tenth) = (tenths.unsigned_abs() / 10, tenths.unsigned_abs() % 10);
        let point = match self {
            Lang::Fr => ',',
            Lang::En => '.',
        };
        format!("{sign}{units}{point}{tenth}")
    }

    /// "Moyenne : 3,4 sur 5", "Mean: 3.4 out of 5".
    pub fn mean_of(self, mean: f64, max: u8) -> String {
        let m = self.decimal(mean);
        match self {
            Lang::Fr => format!("{}{NNBSP}: {m} sur {max}", FR.mean),
            Lang::En => format!("{}: {m} out of {max}", EN.mean),
        }
    }

    /// "1 caractère", "500 characters".
    fn chars(self, n: usize) -> String {
        let n = u64::try_from(n).unwrap_or(u64::MAX);
        match self {
            Lang::Fr => self.plural(n, "caractère", "caractères"),
            Lang::En => self.plural(n, "character", "characters"),
        }
    }

    /// The character counter of a text answer: "12 / 500 caractères" (the noun agrees with
    /// the limit: "0 / 1 caractère").
    pub fn characters(self, used: usize, max: usize) -> String {
        format!("{used} / {}", self.chars(max))
    }

    /// The hint of a multiple choice question, or `None` when any number may be ticked.
    pub fn selection_hint(self, min: Option<u16>, max: Option<u16>) -> Option<String> {
        let min = min.filter(|&m| m > 0);
        let answers = |n: u16| match self {
            Lang::Fr => self.plural(n.into(), "réponse", "réponses"),
            Lang::En => self.plural(n.into(), "answer", "answers"),
        };
        Some(match (self, min, max) {
            (_, None, None) => return None,
            (Lang::Fr, Some(a), Some(b)) if a == b => format!("Choisissez {}.", answers(a)),
            (Lang::En, Some(a), Some(b)) if a == b => format!("Choose {}.", answers(a)),
            (Lang::Fr, Some(a), Some(b)) => format!("Choisissez de {a} à {b} réponses."),
            (Lang::En, Some(a), Some(b)) => format!("Choose {a} to {b} answers."),
            (Lang::Fr, Some(a), None) => format!("Choisissez au moins {}.", answers(a)),
            (Lang::En, Some(a), None) => format!("Choose at least {}.", answers(a)),
            (Lang::Fr, None, Some(b)) => format!("Choisissez au plus {}.", answers(b)),
            (Lang::En, None, Some(b)) => format!("Choose at most {}.", answers(b)),
        })
    }

    /// The spoken hint of a rating scale, "De 1 (Pas du tout) à 5 (Tout à fait).", as runs of
    /// text with their `lang`: each end label is a run of its own, marked with its language
    /// when the organiser wrote it in the other one; the rest is in this language (`None`).
    pub fn rating_hint(self, min: RatingEnd<'_>, max: RatingEnd<'_>) -> Vec<Run> {
        let (from, to) = match self {
            Lang::Fr => ("De ", " à "),
            Lang::En => ("From ", " to "),
        };
        let mut runs = vec![(from.to_owned(), None)];
        for (i, (n, label, label_lang)) in [min, max].into_iter().enumerate() {
            if i == 1 {
                runs.push((to.to_owned(), None));
            }
            if label.trim().is_empty() {
                runs.push((n.to_string(), None));
            } else {
                runs.push((format!("{n} ("), None));
                runs.push((label.trim().to_owned(), label_lang));
                runs.push((")".to_owned(), None));
            }
        }
        runs.push((".".to_owned(), None));
        runs
    }

    /// "Ouverture le 3 mars 2027 à 09:00." given an already formatted date.
    pub fn opens_on(self, date: &str) -> String {
        match self {
            Lang::Fr => format!("Cette consultation ouvrira le {date}."),
            Lang::En => format!("This consultation opens on {date}."),
        }
    }

    /// "Ouverte jusqu’au 3 mars 2027 à 09:00." given an already formatted date.
    pub fn open_until(self, date: &str) -> String {
        match self {
            Lang::Fr => format!("Ouverte jusqu’au {date}."),
            Lang::En => format!("Open until {date}."),
        }
    }

    /// "Elle a pris fin le 3 mars 2027 à 09:00." given an already formatted date.
    pub fn closed_on(self, date: &str) -> String {
        match self {
            Lang::Fr => format!("Elle a pris fin le {date}."),
            Lang::En => format!("It ended on {date}."),
        }
    }

    /// One of the public results page's fixed strings.
    pub fn results_text(self, text: ResultsText) -> &'static str {
        use ResultsText as R;
        match (self, text) {
            (Lang::Fr, R::State) => "État",
            (Lang::En, R::State) => "Status",
            (Lang::Fr, R::Opening) => "Ouverture",
            (Lang::En, R::Opening) => "Opening",
            (Lang::Fr, R::Closing) => "Clôture",
            (Lang::En, R::Closing) => "Closing",
            (Lang::Fr, R::Answers) => "Réponses",
            (Lang::En, R::Answers) => "Answers",
            (Lang::Fr, R::Participation) => "Participation",
            (Lang::En, R::Participation) => "Participation",
            (Lang::Fr, R::StateOpen) => "En cours\u{202f}: les réponses sont ouvertes.",
            (Lang::En, R::StateOpen) => "Open: answers are being collected.",
            (Lang::Fr, R::StateNotYetOpen) => "Pas encore ouverte.",
            (Lang::En, R::StateNotYetOpen) => "Not open yet.",
            (Lang::Fr, R::StateClosed) => "Terminée.",
            (Lang::En, R::StateClosed) => "Closed.",
            (Lang::Fr, R::AnswerLink) => "Répondre à la consultation",
            (Lang::En, R::AnswerLink) => "Answer the consultation",
            (Lang::Fr, R::Navigation) => "Liens de la page",
            (Lang::En, R::Navigation) => "Page links",
            (Lang::Fr, R::PageTitle) => "Résultats",
            (Lang::En, R::PageTitle) => "Results",
            (Lang::Fr, R::HiddenTitle) => "Résultats non publics",
            (Lang::En, R::HiddenTitle) => "Results not public",
            (Lang::Fr, R::HiddenUntilClosed) => {
                "Les résultats de cette consultation seront publiés à sa clôture."
            }
            (Lang::En, R::HiddenUntilClosed) => {
                "The results of this consultation will be published when it closes."
            }
            (Lang::Fr, R::HiddenForGood) => {
                "Les organisateurs de cette consultation ont choisi de ne pas publier ses résultats."
            }
            (Lang::En, R::HiddenForGood) => {
                "The organisers of this consultation chose not to publish its results."
            }
            (Lang::Fr, R::PartnersTitle) => "Réponses par partenaire",
            (Lang::En, R::PartnersTitle) => "Answers by partner",
        }
    }

    /// Which participation rule applies: one answer per participation code, with how many of
    /// them were used (`Some((used, total))`), or answers not limited to one per person.
    pub fn participation_rule(self, codes: Option<(u64, u64)>) -> String {
        match (self, codes) {
            (Lang::Fr, None) => "Les réponses ne sont pas limitées à une par personne.".into(),
            (Lang::En, None) => "Answers are not limited to one per person.".into(),
            (Lang::Fr, Some((used, total))) => format!(
                "Une réponse par code de participation{NNBSP}: {} sur {total}.",
                self.plural(used, "code utilisé", "codes utilisés")
            ),
            (Lang::En, Some((used, total))) => format!(
                "One answer per participation code: {used} of {} used.",
                self.plural(total, "code", "codes")
            ),
        }
    }

    /// A group too small to show: "moins de 5 réponses", "fewer than 5 responses".
    pub fn fewer_than(self, n: u64) -> String {
        match self {
            Lang::Fr => format!("moins de {}", self.responses(n)),
            Lang::En => format!("fewer than {}", self.responses(n)),
        }
    }

    /// Why some groups show no number.
    pub fn small_groups_note(self, n: u64) -> String {
        match self {
            Lang::Fr => format!(
                "Pour protéger les petits groupes, un nombre sous {n} n’est pas publié, ni un autre qui permettrait de le retrouver."
            ),
            Lang::En => format!(
                "To protect small groups, a number under {n} is not published, nor one that would give it away."
            ),
        }
    }

    /// The link to the same page in the other language: "English version", "Version française".
    pub fn other_language_link(self) -> &'static str {
        match self {
            Lang::Fr => "English version",
            Lang::En => "Version française",
        }
    }

    /// The other language, which [`Lang::other_language_link`] names.
    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }

    /// What to tell a resident about one faulty answer.
    /// Why a participation code was refused, by the code of the server's field problem
    /// (`required`, `format`, `typo`, `unknown`, `used`) or of the widget's own check.
    pub fn code_problem(self, code: &str) -> &'static str {
        match (self, code) {
            (Lang::Fr, "required") => "Saisissez le code de participation reçu.",
            (Lang::En, "required") => "Please type the participation code you received.",
            (Lang::Fr, "typo") => "Ce code comporte une faute de frappe : vérifiez-le.",
            (Lang::En, "typo") => "This code has a typing mistake: please check it.",
            (Lang::Fr, "unknown") => "Ce code ne correspond pas à cette consultation.",
            (Lang::En, "unknown") => "This code is not one of this consultation's.",
            (Lang::Fr, "used") => "Ce code a déjà servi : une seule réponse par code.",
            (Lang::En, "used") => "This code was already used: one answer per code.",
            (Lang::Fr, _) => "Un code a six lettres et chiffres, par exemple K7M-3QX.",
            (Lang::En, _) => "A code is six letters and digits, like K7M-3QX.",
        }
    }

    /// The message for `problem` with an answer.
    pub fn problem(self, problem: &AnswerProblem) -> String {
        use AnswerProblem as P;
        let choices = |n: u16| match self {
            Lang::Fr => self.plural(n.into(), "réponse", "réponses"),
            Lang::En => self.plural(n.into(), "answer", "answers"),
        };
        match (self, problem) {
            (Lang::Fr, P::Required) => "Merci de répondre à cette question.".into(),
            (Lang::En, P::Required) => "Please answer this question.".into(),
            (Lang::Fr, P::UnknownQuestion) => "Cette question n’existe plus.".into(),
            (Lang::En, P::UnknownQuestion) => "This question no longer exists.".into(),
            (Lang::Fr, P::WrongShape { .. }) => "Cette réponse n’a pas la forme attendue.".into(),
            (Lang::En, P::WrongShape { .. }) => {
                "This answer does not have the expected form.".into()
            }
            (Lang::Fr, P::UnknownOption { .. }) => "Ce choix n’est plus proposé.".into(),
            (Lang::En, P::UnknownOption { .. }) => "This choice is no longer offered.".into(),
            (Lang::Fr, P::DuplicateOption) => "Un même choix est coché deux fois.".into(),
            (Lang::En, P::DuplicateOption) => "The same choice is ticked twice.".into(),
            (Lang::Fr, P::OtherNotAllowed) => {
                "Cette question n’accepte pas d’autre réponse.".into()
            }
            (Lang::En, P::OtherNotAllowed) => {
                "This question does not accept another answer.".into()
            }
            (Lang::Fr, P::OtherEmpty) => "Précisez votre autre réponse.".into(),
            (Lang::En, P::OtherEmpty) => "Please specify your other answer.".into(),
            (Lang::Fr, P::TooFew { min }) => format!("Choisissez au moins {}.", choices(*min)),
            (Lang::En, P::TooFew { min }) => format!("Choose at least {}.", choices(*min)),
            (Lang::Fr, P::TooMany { max }) => format!("Choisissez au plus {}.", choices(*max)),
            (Lang::En, P::TooMany { max }) => format!("Choose at most {}.", choices(*max)),
            (Lang::Fr, P::OutOfRange { min, max }) => {
                format!("Choisissez une note de {min} à {max}.")
            }
            (Lang::En, P::OutOfRange { min, max }) => {
                format!("Choose a rating from {min} to {max}.")
            }
            (Lang::Fr, P::TooLong { max }) => format!("{} au maximum.", self.chars(*max)),
            (Lang::En, P::TooLong { max }) => format!("At most {}.", self.chars(*max)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_participation_rule_says_whether_codes_limit_answers_in_both_languages() {
        assert_eq!(
            Lang::Fr.participation_rule(None),
            "Les réponses ne sont pas limitées à une par personne."
        );
        assert_eq!(
            Lang::En.participation_rule(None),
            "Answers are not limited to one per person."
        );
        assert_eq!(
            Lang::En.participation_rule(Some((412, 600))),
            "One answer per participation code: 412 of 600 codes used."
        );
        assert_eq!(
            Lang::Fr.participation_rule(Some((412, 600))),
            "Une réponse par code de participation\u{202f}: 412 codes utilisés sur 600."
        );
        assert_eq!(
            Lang::Fr.participation_rule(Some((1, 1))),
            "Une réponse par code de participation\u{202f}: 1 code utilisé sur 1."
        );
    }

    #[test]
    fn french_treats_zero_and_one_as_singular() {
        assert_eq!(Lang::Fr.responses(0), "0 réponse");
        assert_eq!(Lang::Fr.responses(1), "1 réponse");
        assert_eq!(Lang::Fr.responses(2), "2 réponses");
        assert_eq!(Lang::Fr.respondents(1), "1 participant");
    }

    #[test]
    fn english_treats_only_one_as_singular() {
        assert_eq!(Lang::En.responses(0), "0 responses");
        assert_eq!(Lang::En.responses(1), "1 response");
        assert_eq!(Lang::En.respondents(12), "12 respondents");
    }

    #[test]
    fn every_count_agrees_with_its_number_in_both_languages() {
        // French: 0 and 1 singular.
        assert_eq!(Lang::Fr.respondents(0), "0 participant");
        assert_eq!(Lang::Fr.respondents(2), "2 participants");
        assert_eq!(Lang::Fr.characters(0, 1), "0 / 1 caractère");
        assert_eq!(Lang::Fr.characters(3, 500), "3 / 500 caractères");
        assert_eq!(
            Lang::Fr.problem(&AnswerProblem::TooLong { max: 1 }),
            "1 caractère au maximum."
        );
        assert_eq!(
            Lang::Fr.problem(&AnswerProblem::TooLong { max: 80 }),
            "80 caractères au maximum."
        );
        assert_eq!(
            Lang::Fr.problem(&AnswerProblem::TooFew { min: 2 }),
            "Choisissez au moins 2 réponses."
        );
        assert_eq!(
            Lang::Fr.selection_hint(Some(1), Some(1)).unwrap(),
            "Choisissez 1 réponse."
        );
        // English: only 1 singular.
        assert_eq!(Lang::En.respondents(0), "0 respondents");
        assert_eq!(Lang::En.respondents(1), "1 respondent");
        assert_eq!(Lang::En.characters(0, 1), "0 / 1 character");
        assert_eq!(Lang::En.characters(1, 500), "1 / 500 characters");
        assert_eq!(
            Lang::En.problem(&AnswerProblem::TooLong { max: 1 }),
            "At most 1 character."
        );
        assert_eq!(
            Lang::En.problem(&AnswerProblem::TooLong { max: 80 }),
            "At most 80 characters."
        );
        assert_eq!(
            Lang::En.problem(&AnswerProblem::TooFew { min: 1 }),
            "Choose at least 1 answer."
        );
        assert_eq!(
            Lang::En.selection_hint(Some(1), Some(3)).unwrap(),
            "Choose 1 to 3 answers."
        );
    }

    #[test]
    fn rating_hints_name_each_labelled_end_in_its_own_language() {
        let text = |runs: Vec<Run>| runs.into_iter().map(|(t, _)| t).collect::<String>();
        assert_eq!(
            text(Lang::Fr.rating_hint((1, "Pas du tout", None), (5, " Tout à fait ", None))),
            "De 1 (Pas du tout) à 5 (Tout à fait)."
        );
        assert_eq!(
            text(Lang::En.rating_hint((0, "", None), (10, "Absolutely", None))),
            "From 0 to 10 (Absolutely)."
        );
        let runs = Lang::En.rating_hint((1, "Mauvais", Some("fr")), (5, "Great", None));
        let marked: Vec<_> = runs.iter().filter(|(_, l)| l.is_some()).collect();
        assert_eq!(marked, [&("Mauvais".to_owned(), Some("fr"))]);
    }

    #[test]
    fn numbers_follow_each_language_s_typography() {
        assert_eq!(Lang::Fr.percent(42), "42\u{202f}%");
        assert_eq!(Lang::En.percent(42), "42%");
        assert_eq!(Lang::Fr.decimal(3.45), "3,5");
        assert_eq!(Lang::En.decimal(4.0), "4.0");
        assert_eq!(Lang::En.decimal(2.04), "2.0");
        assert_eq!(Lang::En.mean_of(3.0, 5), "Mean: 3.0 out of 5");
    }

    #[test]
    fn selection_hints_cover_each_bound() {
        assert_eq!(Lang::Fr.selection_hint(None, None), None);
        assert_eq!(Lang::Fr.selection_hint(Some(0), None), None);
        assert_eq!(
            Lang::Fr.selection_hint(Some(1), None).unwrap(),
            "Choisissez au moins 1 réponse."
        );
        assert_eq!(
            Lang::En.selection_hint(Some(2), Some(2)).unwrap(),
            "Choose 2 answers."
        );
        assert_eq!(
            Lang::Fr.selection_hint(Some(1), Some(3)).unwrap(),
            "Choisissez de 1 à 3 réponses."
        );
        assert_eq!(
            Lang::En.selection_hint(None, Some(1)).unwrap(),
            "Choose at most 1 answer."
        );
    }

    #[test]
    fn every_answer_problem_has_a_message_in_both_languages() {
        let problems = [
            AnswerProblem::Required,
            AnswerProblem::UnknownQuestion,
            AnswerProblem::WrongShape {
                expected: "x".into(),
            },
            AnswerProblem::UnknownOption { option: "x".into() },
            AnswerProblem::DuplicateOption,
            AnswerProblem::OtherNotAllowed,
            AnswerProblem::OtherEmpty,
            AnswerProblem::TooFew { min: 2 },
            AnswerProblem::TooMany { max: 1 },
            AnswerProblem::OutOfRange { min: 1, max: 5 },
            AnswerProblem::TooLong { max: 10 },
        ];
        for p in &problems {
            let fr = Lang::Fr.problem(p);
            let en = Lang::En.problem(p);
            assert!(!fr.is_empty() && !en.is_empty());
            assert_ne!(fr, en, "{p:?} is not translated");
        }
        assert_eq!(
            Lang::Fr.problem(&AnswerProblem::TooMany { max: 1 }),
            "Choisissez au plus 1 réponse."
        );
    }
}
