//! Built-in consultations a town often runs, to start from instead of a blank page: choosing a
//! date, feedback on a planned redevelopment, satisfaction with a public service.
//!
//! Every text is given in French and in English, so a template suits either audience; the
//! organiser edits what they need in the editor, since a template only creates a draft.

use crate::poll::PollSpec;
use serde_json::{Value, json};

/// One built-in template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// Residents say which of a few dates suit them (a meeting, a clean-up day, a fête).
    DateToChoose,
    /// Feedback on a planned redevelopment (a square, a street, a playground).
    Redevelopment,
    /// Satisfaction with a public service (a library, a town-hall counter, waste collection).
    ServiceSatisfaction,
}

impl Template {
    /// Every template, in the order the dashboard offers them.
    pub const ALL: [Template; 3] = [
        Template::DateToChoose,
        Template::Redevelopment,
        Template::ServiceSatisfaction,
    ];

    /// A stable name, for URLs and tests.
    pub fn id(self) -> &'static str {
        match self {
            Self::DateToChoose => "date",
            Self::Redevelopment => "redevelopment",
            Self::ServiceSatisfaction => "satisfaction",
        }
    }

    /// The template named `id`.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.id() == id)
    }

    /// The consultation it starts, as a draft's definition.
    pub fn spec(self) -> PollSpec {
        // Written as JSON, the form organisers and the API know; checked by the tests below.
        serde_json::from_value(self.json()).expect("a built-in template is a valid definition")
    }

    fn json(self) -> Value {
        match self {
            Self::DateToChoose => json!({
                "title": {"fr": "Quelle date vous convient ?", "en": "Which date suits you?"},
                "description": {
                    "fr": "Nous cherchons la date qui arrange le plus de monde. Cochez toutes celles où vous pourriez venir.",
                    "en": "We are looking for the date that suits most people. Tick every one you could come to."
                },
                "questions": [
                    {"id": "dates", "required": true, "kind": "multiple_choice", "min_selections": 1,
                     "prompt": {"fr": "Quelles dates vous conviennent ?", "en": "Which dates suit you?"},
                     "options": [
                         {"id": "date1", "label": {"fr": "Mardi, 18 h 30", "en": "Tuesday, 6.30 pm"}},
                         {"id": "date2", "label": {"fr": "Jeudi, 18 h 30", "en": "Thursday, 6.30 pm"}},
                         {"id": "date3", "label": {"fr": "Samedi, 10 h", "en": "Saturday, 10 am"}}
                     ]},
                    {"id": "people", "kind": "single_choice",
                     "prompt": {"fr": "Combien serez-vous ?", "en": "How many of you will come?"},
                     "options": [
                         {"id": "one", "label": {"fr": "Seul·e", "en": "Just me"}},
                         {"id": "two", "label": {"fr": "À deux", "en": "Two"}},
                         {"id": "more", "label": {"fr": "Trois ou plus", "en": "Three or more"}}
                     ]},
                    {"id": "remark", "kind": "short_text", "max_length": 200,
                     "prompt": {"fr": "Une contrainte à signaler ?", "en": "Anything we should know?"}}
                ],
                "results_visibility": "after_answering"
            }),
            Self::Redevelopment => json!({
                "title": {"fr": "Le réaménagement de la place : votre avis", "en": "Redeveloping the square: your views"},
                "description": {
                    "fr": "La commune prépare le réaménagement de la place. Avant de décider, nous voulons savoir comment vous l’utilisez et ce qui compte pour vous.",
                    "en": "The town is preparing to redevelop the square. Before deciding, we want to know how you use it and what matters to you."
                },
                "questions": [
                    {"id": "use", "required": true, "kind": "single_choice", "allow_other": true,
                     "prompt": {"fr": "À quelle fréquence passez-vous par la place ?", "en": "How often do you use the square?"},
                     "options": [
                         {"id": "daily", "label": {"fr": "Tous les jours", "en": "Every day"}},
                         {"id": "weekly", "label": {"fr": "Chaque semaine", "en": "Every week"}},
                         {"id": "rarely", "label": {"fr": "Rarement", "en": "Rarely"}}
                     ]},
                    {"id": "priorities", "kind": "multiple_choice", "min_selections": 1, "max_selections": 3,
                     "prompt": {"fr": "Vos priorités pour le projet", "en": "Your priorities for the project"},
                     "options": [
                         {"id": "trees", "label": {"fr": "Plus d’arbres et d’ombre", "en": "More trees and shade"}},
                         {"id": "benches", "label": {"fr": "Des bancs", "en": "Benches"}},
                         {"id": "play", "label": {"fr": "Des jeux pour enfants", "en": "A children’s playground"}},
                         {"id": "market", "label": {"fr": "De la place pour le marché", "en": "Room for the market"}},
                         {"id": "parking", "label": {"fr": "Du stationnement", "en": "Parking"}},
                         {"id": "bikes", "label": {"fr": "Des arceaux à vélos", "en": "Bike racks"}}
                     ]},
                    {"id": "support", "required": true, "kind": "rating", "min": 1, "max": 5,
                     "prompt": {"fr": "Que pensez-vous du projet présenté ?", "en": "What do you think of the proposed plan?"},
                     "min_label": {"fr": "Pas du tout favorable", "en": "Strongly against"},
                     "max_label": {"fr": "Tout à fait favorable", "en": "Strongly in favour"}},
                    {"id": "ideas", "kind": "long_text", "max_length": 1000,
                     "prompt": {"fr": "Une idée, une inquiétude ?", "en": "An idea or a concern?"}}
                ],
                "results_visibility": "after_closing"
            }),
            Self::ServiceSatisfaction => json!({
                "title": {"fr": "Votre avis sur la médiathèque", "en": "Your views on the library"},
                "description": {
                    "fr": "Aidez-nous à améliorer ce service : trois minutes suffisent, et vos réponses restent anonymes.",
                    "en": "Help us improve this service: it takes three minutes, and your answers stay anonymous."
                },
                "questions": [
                    {"id": "visits", "required": true, "kind": "single_choice",
                     "prompt": {"fr": "À quelle fréquence utilisez-vous ce service ?", "en": "How often do you use this service?"},
                     "options": [
                         {"id": "weekly", "label": {"fr": "Chaque semaine", "en": "Every week"}},
                         {"id": "monthly", "label": {"fr": "Chaque mois", "en": "Every month"}},
                         {"id": "rarely", "label": {"fr": "Quelques fois par an", "en": "A few times a year"}},
                         {"id": "first", "label": {"fr": "C’est la première fois", "en": "This is my first time"}}
                     ]},
                    {"id": "satisfaction", "required": true, "kind": "rating", "min": 1, "max": 5,
                     "prompt": {"fr": "Dans l’ensemble, êtes-vous satisfait·e ?", "en": "Overall, how satisfied are you?"},
                     "min_label": {"fr": "Pas du tout", "en": "Not at all"},
                     "max_label": {"fr": "Tout à fait", "en": "Completely"}},
                    {"id": "better", "kind": "multiple_choice",
                     "prompt": {"fr": "Qu’est-ce qui pourrait être amélioré ?", "en": "What could be better?"},
                     "options": [
                         {"id": "hours", "label": {"fr": "Les horaires d’ouverture", "en": "Opening hours"}},
                         {"id": "waiting", "label": {"fr": "Le temps d’attente", "en": "Waiting time"}},
                         {"id": "welcome", "label": {"fr": "L’accueil", "en": "The welcome"}},
                         {"id": "information", "label": {"fr": "L’information donnée", "en": "The information given"}},
                         {"id": "access", "label": {"fr": "L’accessibilité des lieux", "en": "Access to the premises"}}
                     ]},
                    {"id": "comment", "kind": "long_text", "max_length": 1000,
                     "prompt": {"fr": "Un commentaire ?", "en": "Any comment?"}}
                ],
                "results_visibility": "after_answering",
                "allow_multiple_answers": true
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Text;

    fn both(text: &Text, what: &str) {
        match text {
            Text::Translated { fr, en } => {
                assert!(
                    !fr.trim().is_empty() && !en.trim().is_empty(),
                    "{what}: {text:?}"
                );
            }
            Text::Same(_) => panic!("{what} is not translated: {text:?}"),
        }
    }

    #[test]
    fn every_template_is_a_valid_definition_in_french_and_english() {
        for template in Template::ALL {
            let spec = template.spec();
            assert_eq!(spec.check(), Ok(()), "{template:?}");
            both(&spec.title, "title");
            both(&spec.description, "description");
            for q in &spec.questions {
                both(&q.prompt, q.id.as_str());
                for o in q.kind.options() {
                    both(&o.label, o.id.as_str());
                }
            }
            assert_eq!(Template::from_id(template.id()), Some(template));
        }
        assert_eq!(Template::from_id("nothing"), None);
    }
}
