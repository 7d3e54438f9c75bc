//! The columns of a consultation's export, shared by every tabular format: which columns,
//! their headers in the consultation's language, and each answer as typed cells. Each format
//! then writes the cells its own way (CSV as neutralised text, ODS and XLSX as typed cells).

use crate::store::{StoredPoll, StoredResponse};
use concerto_core::{Answer, Language, OptionId, OrgId, PollSpec, Question, QuestionKind, Via};
use jiff::ZonedDateTime;
use jiff::tz::TimeZone;
use time::OffsetDateTime;

/// One cell of an export row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text exactly as the organiser or the resident wrote it (CSV neutralises it).
    Text(String),
    /// A number (ratings, ticks), so that spreadsheets can sum and chart it.
    Number(i64),
    /// A moment, in the export's time zone, to the second.
    Time(ZonedDateTime),
}

impl Cell {
    fn text(s: impl Into<String>) -> Self {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }
}

/// The column headers' own words, per language.
struct Words {
    sheet: &'static str,
    submission: &'static str,
    received: &'static str,
    partner: &'static str,
    via: &'static str,
    other: &'static str,
    site: &'static str,
    page: &'static str,
    qr: &'static str,
}

const FR: Words = Words {
    sheet: "Réponses",
    submission: "Identifiant de la réponse",
    received: "Reçue le",
    partner: "Partenaire",
    via: "Provenance",
    other: "autre réponse",
    site: "site web",
    page: "lien",
    qr: "QR code",
};

const EN: Words = Words {
    sheet: "Answers",
    submission: "Answer id",
    received: "Received at",
    partner: "Partner",
    via: "Came through",
    other: "other answer",
    site: "website",
    page: "link",
    qr: "QR code",
};

/// The language a consultation's exports speak: French unless its title is only in English.
pub fn language_of(spec: &PollSpec) -> Language {
    if spec.title.version(Language::Fr).trim().is_empty() {
        Language::En
    } else {
        Language::Fr
    }
}

/// How the columns of one consultation's export are laid out.
pub struct Layout {
    questions: Vec<Question>,
    lang: Language,
    zone: TimeZone,
    /// The names of the consultation's partners (ended ones too), by org id.
    partners: Vec<(OrgId, String)>,
}

impl Layout {
    /// The layout of `poll`'s current questions, with times in `zone`.
    pub fn new(poll: &StoredPoll, zone: TimeZone) -> Self {
        Self {
            questions: poll.spec.questions.clone(),
            lang: language_of(&poll.spec),
            zone,
            partners: poll
                .partners
                .iter()
                .map(|p| (p.org.clone(), p.name.clone()))
                .collect(),
        }
    }

    /// The name of the partner an answer came through (its id if the store knows no name).
    pub fn partner_name(&self, org: &OrgId) -> String {
        self.partners
            .iter()
            .find(|(id, _)| id == org)
            .map_or_else(|| org.to_string(), |(_, name)| name.clone())
    }

    /// The door an answer came through, in the export's language.
    pub fn via_name(&self, via: Via) -> &'static str {
        let w = self.words();
        match via {
            Via::Site => w.site,
            Via::Page => w.page,
            Via::Qr => w.qr,
        }
    }

    fn words(&self) -> &'static Words {
        match self.lang {
            Language::Fr => &FR,
            Language::En => &EN,
        }
    }

    /// The name of the spreadsheets' one sheet.
    pub fn sheet_name(&self) -> &'static str {
        self.words().sheet
    }

    /// The header row: the answer's id and time, then per question its prompt, then for a
    /// single choice with "other" the other text, and for a multiple choice one column per
    /// option (1 when ticked), beside the readable joined cell; last the partner the answer
    /// came through and the door (website, link, QR code).
    pub fn header(&self) -> Vec<String> {
        let w = self.words();
        let mut cells = vec![w.submission.to_owned(), w.received.to_owned()];
        for q in &self.questions {
            let prompt = q.prompt.get(self.lang);
            cells.push(prompt.to_owned());
            match &q.kind {
                QuestionKind::SingleChoice {
                    allow_other: true, ..
                } => cells.push(format!("{prompt} ({})", w.other)),
                QuestionKind::MultipleChoice { options, .. } => {
                    for o in options {
                        cells.push(format!("{prompt} — {}", o.label.get(self.lang)));
                    }
                }
                _ => {}
            }
        }
        // Last, so that the answers' columns stay where sheets made before partners had them.
        cells.extend([w.partner.to_owned(), w.via.to_owned()]);
        cells
    }

    /// `at` in the export's time zone.
    pub fn local(&self, at: OffsetDateTime) -> ZonedDateTime {
        crate::local_time::in_zone(at, &self.zone)
    }

    /// The row of one answer, in the columns of [`Layout::header`].
    pub fn row(&self, r: &StoredResponse) -> Vec<Cell> {
        let mut cells = vec![
            Cell::text(r.submission_id.to_string()),
            Cell::Time(self.local(r.received_at)),
        ];
        for q in &self.questions {
            let label = |id: &OptionId| q.kind.option_label(id, self.lang);
            let answer = r.answers.get(&q.id);
            cells.push(match answer {
                None | Some(Answer::Other(_)) => Cell::Empty,
                Some(Answer::Option(id)) => Cell::text(label(id)),
                Some(Answer::Options(ids)) => {
                    Cell::text(ids.iter().map(label).collect::<Vec<_>>().join("; "))
                }
                Some(Answer::Rating(n)) => Cell::Number(i64::from(*n)),
                Some(Answer::Text(t)) => Cell::text(t.clone()),
            });
            match &q.kind {
                QuestionKind::SingleChoice {
                    allow_other: true, ..
                } => cells.push(match answer {
                    Some(Answer::Other(t)) => Cell::text(t.clone()),
                    _ => Cell::Empty,
                }),
                QuestionKind::MultipleChoice { options, .. } => {
                    let ticked = match answer {
                        Some(Answer::Options(ids)) => ids.as_slice(),
                        _ => &[],
                    };
                    for o in options {
                        cells.push(if ticked.contains(&o.id) {
                            Cell::Number(1)
                        } else {
                            Cell::Empty
                        });
                    }
                }
                _ => {}
            }
        }
        // The owner's own answers have no partner: an empty cell.
        cells.push(
            r.partner
                .as_ref()
                .map_or(Cell::Empty, |p| Cell::text(self.partner_name(p))),
        );
        cells.push(Cell::text(self.via_name(r.via)));
        cells
    }
}

/// A moment as ISO 8601 with its offset, to the second: `2026-12-01T10:16:03+01:00`.
pub fn iso(at: &ZonedDateTime) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_local_to_the_second_with_their_offset() {
        let layout = Layout {
            questions: Vec::new(),
            lang: Language::Fr,
            zone: TimeZone::get("Europe/Paris").unwrap(),
            partners: Vec::new(),
        };
        let winter = time::macros::datetime!(2026-12-01 09:16:03.473492285 UTC);
        assert_eq!(iso(&layout.local(winter)), "2026-12-01T10:16:03+01:00");
        let summer = time::macros::datetime!(2026-07-14 20:00:00 UTC);
        assert_eq!(iso(&layout.local(summer)), "2026-07-14T22:00:00+02:00");
    }

    #[test]
    fn the_sheet_and_headers_speak_the_consultation_s_language() {
        let layout = |lang| Layout {
            questions: Vec::new(),
            lang,
            zone: TimeZone::UTC,
            partners: Vec::new(),
        };
        assert_eq!(layout(Language::Fr).sheet_name(), "Réponses");
        assert_eq!(layout(Language::En).sheet_name(), "Answers");
        assert_eq!(layout(Language::En).header()[0], "Answer id");
    }
}
