//! CSV export: RFC 4180 (comma, CRLF, quotes where needed), UTF-8, one row per answer and one
//! column per question (plus one for "other" texts), every cell neutralised.

use super::neutralise;
use crate::store::StoredResponse;
use concerto_core::{Answer, PollSpec, Question, QuestionKind};
use time::format_description::well_known::Rfc3339;

/// How the columns of one consultation's export are laid out.
pub struct CsvLayout {
    questions: Vec<Question>,
}

impl CsvLayout {
    /// The layout of `spec`'s current questions.
    pub fn new(spec: &PollSpec) -> Self {
        Self {
            questions: spec.questions.clone(),
        }
    }

    /// The header row.
    pub fn header(&self) -> Vec<String> {
        let mut cells = vec!["submission_id".to_owned(), "received_at".to_owned()];
        for q in &self.questions {
            // French first, else English: the organiser's texts as they wrote them.
            cells.push(q.prompt.get(concerto_core::Language::Fr).to_owned());
            if let QuestionKind::SingleChoice {
                allow_other: true, ..
            } = q.kind
            {
                cells.push(format!(
                    "{} (other)",
                    q.prompt.get(concerto_core::Language::Fr)
                ));
            }
        }
        cells
    }

    /// For each column of `header`, whether it holds numbers (ratings), so that spreadsheet
    /// formats can store them as numbers.
    pub fn numeric_columns(&self) -> Vec<bool> {
        let mut numeric = vec![false, false];
        for q in &self.questions {
            numeric.push(matches!(q.kind, QuestionKind::Rating { .. }));
            if let QuestionKind::SingleChoice {
                allow_other: true, ..
            } = q.kind
            {
                numeric.push(false);
            }
        }
        numeric
    }

    /// The row of one answer.
    pub fn row(&self, r: &StoredResponse) -> Vec<String> {
        let mut cells = vec![
            r.submission_id.to_string(),
            r.received_at.format(&Rfc3339).unwrap_or_default(),
        ];
        for q in &self.questions {
            let label = |id: &concerto_core::OptionId| {
                q.kind.options().iter().find(|o| &o.id == id).map_or_else(
                    || id.to_string(),
                    |o| o.label.get(concerto_core::Language::Fr).to_owned(),
                )
            };
            let answer = r.answers.get(&q.id);
            let main = match answer {
                None | Some(Answer::Other(_)) => String::new(),
                Some(Answer::Option(id)) => label(id),
                Some(Answer::Options(ids)) => ids.iter().map(label).collect::<Vec<_>>().join("; "),
                Some(Answer::Rating(n)) => n.to_string(),
                Some(Answer::Text(t)) => t.clone(),
            };
            cells.push(main);
            if let QuestionKind::SingleChoice {
                allow_other: true, ..
            } = q.kind
            {
                cells.push(match answer {
                    Some(Answer::Other(t)) => t.clone(),
                    _ => String::new(),
                });
            }
        }
        cells
    }
}

/// Encodes rows as CSV bytes, neutralising every cell.
pub fn encode<'a>(rows: impl IntoIterator<Item = &'a [String]>) -> Vec<u8> {
    encode_with(b',', rows)
}

/// `encode` with another separator (`;` for spreadsheets in French locales).
pub fn encode_with<'a>(delimiter: u8, rows: impl IntoIterator<Item = &'a [String]>) -> Vec<u8> {
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(row.iter().map(|c| neutralise(c).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_where_needed_and_neutralised() {
        let rows = [vec![
            "a,b".to_owned(),
            "=cmd".to_owned(),
            "dit \"oui\"".to_owned(),
        ]];
        let out = String::from_utf8(encode(rows.iter().map(|r| r.as_slice()))).unwrap();
        assert_eq!(out, "\"a,b\",'=cmd,\"dit \"\"oui\"\"\"\r\n");
    }
}
