//! CSV export: RFC 4180 (comma, CRLF, quotes where needed), UTF-8, in the columns of
//! [`super::layout::Layout`], every cell neutralised, the header's too: a CSV has no cell
//! types, so a spreadsheet opening it would evaluate `=…`, `+…`, `-…` or `@…`.

use super::layout::{Cell, iso};
use super::neutralise;

/// A cell as CSV text (neutralised later, with every other cell): numbers as digits, times
/// as ISO 8601 with their offset.
fn text_of(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => t.clone(),
        Cell::Number(n) => n.to_string(),
        Cell::Time(at) => iso(at),
    }
}

/// Typed rows as CSV bytes, every cell neutralised.
pub fn encode_cells<'a>(delimiter: u8, rows: impl IntoIterator<Item = &'a [Cell]>) -> Vec<u8> {
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| r.iter().map(text_of).collect())
        .collect();
    encode_with(delimiter, rows.iter().map(Vec::as_slice))
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
