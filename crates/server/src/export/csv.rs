//! CSV export: RFC 4180 (comma, CRLF, quotes where needed), UTF-8, in the columns of
//! [`super::layout::Layout`], every cell neutralised, the header's too: a CSV has no cell
//! types, so a spreadsheet opening it would evaluate `=…`, `+…`, `-…` or `@…`.

use super::layout::{Cell, iso};
use super::neutralise;

/// Typed rows as CSV bytes, every cell neutralised: numbers as digits, times as ISO 8601
/// with their offset. Written cell by cell, without a string per cell where the cell has one
/// (a million answers are a dozen million cells).
pub fn encode_cells<'a>(delimiter: u8, rows: impl IntoIterator<Item = &'a [Cell]>) -> Vec<u8> {
    let mut w = writer(delimiter);
    for row in rows {
        for cell in row {
            // Writing to a Vec cannot fail.
            let _ = match cell {
                Cell::Empty => w.write_field(""),
                Cell::Text(t) => w.write_field(neutralise(t).as_bytes()),
                Cell::Number(n) => w.write_field(n.to_string()),
                Cell::Time(at) => w.write_field(iso(at)),
            };
        }
        let _ = w.write_record(None::<&[u8]>);
    }
    w.into_inner().unwrap_or_default()
}

/// Encodes rows as CSV bytes, neutralising every cell.
pub fn encode<'a>(rows: impl IntoIterator<Item = &'a [String]>) -> Vec<u8> {
    encode_with(b',', rows)
}

/// `encode` with another separator (`;` for spreadsheets in French locales).
pub fn encode_with<'a>(delimiter: u8, rows: impl IntoIterator<Item = &'a [String]>) -> Vec<u8> {
    let mut w = writer(delimiter);
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(row.iter().map(|c| neutralise(c).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

fn writer(delimiter: u8) -> ::csv::Writer<Vec<u8>> {
    ::csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new())
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
