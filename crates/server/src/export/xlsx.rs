//! XLSX export (Office Open XML spreadsheet): the smallest package Excel and LibreOffice
//! open — content types, relationships, a workbook with one sheet — and the sheet written row
//! by row with inline strings (no shared-string table, which would need every text in memory).

use super::sheet::{Cell, Workbook, Zip, escape_into, start_part};
use std::io::{self, Write};

/// The package's media type.
pub const MEDIA_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>
"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
"#;

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Answers" sheetId="1" r:id="rId1"/></sheets></workbook>
"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
"#;

const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
"#;

const SHEET_END: &str = "</sheetData></worksheet>\n";

/// The XLSX workbook writer.
pub struct Xlsx;

/// The column's letters: 0 → A, 25 → Z, 26 → AA.
fn column(mut i: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    letters.iter().rev().map(|b| *b as char).collect()
}

/// Excel reads `_xHHHH_` in a string as an escaped character; the text `_x0041_` a resident
/// typed must stay itself, so its underscore is escaped the same way (`_x005F_`).
fn protect_escapes(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let is_escape = |i: usize| {
        b.len() >= i + 7
            && b[i] == b'_'
            && b[i + 1] == b'x'
            && b[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit)
            && b[i + 6] == b'_'
    };
    if !(0..b.len()).any(is_escape) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        if is_escape(i) {
            out.push_str("_x005F_");
        } else {
            out.push(c);
        }
    }
    out.into()
}

fn row_xml(index: usize, cells: &[Cell]) -> String {
    let r = index + 1;
    let mut out = format!(r#"<row r="{r}">"#);
    for (i, cell) in cells.iter().enumerate() {
        let at = format!("{}{r}", column(i));
        match cell {
            Cell::Empty => {}
            Cell::Number(n) => out.push_str(&format!(r#"<c r="{at}"><v>{n}</v></c>"#)),
            Cell::Text(t) => {
                out.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t xml:space="preserve">"#
                ));
                escape_into(&mut out, &protect_escapes(t));
                out.push_str("</t></is></c>");
            }
        }
    }
    out.push_str("</row>\n");
    out
}

impl Workbook for Xlsx {
    fn start(&mut self, zip: &mut Zip, header: &[String]) -> io::Result<()> {
        for (name, part) in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ] {
            start_part(zip, name, true)?;
            zip.write_all(part.as_bytes())?;
        }
        start_part(zip, "xl/worksheets/sheet1.xml", true)?;
        zip.write_all(SHEET_START.as_bytes())?;
        let header: Vec<Cell> = header.iter().map(|h| Cell::Text(h.clone())).collect();
        self.row(zip, 0, &header)
    }

    fn row(&mut self, zip: &mut Zip, index: usize, cells: &[Cell]) -> io::Result<()> {
        zip.write_all(row_xml(index, cells).as_bytes())
    }

    fn end(&mut self, zip: &mut Zip) -> io::Result<()> {
        zip.write_all(SHEET_END.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_like_spreadsheets() {
        let got: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column)
            .collect();
        assert_eq!(
            got,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"].map(String::from)
        );
    }

    #[test]
    fn text_that_looks_like_an_excel_escape_is_kept_as_typed() {
        assert_eq!(protect_escapes("a_x0041_b"), "a_x005F_x0041_b");
        assert_eq!(protect_escapes("_x12_ plain"), "_x12_ plain");
    }

    #[test]
    fn a_row_has_numbers_as_values_and_text_inline() {
        let row = row_xml(1, &[Cell::Text("a&b".into()), Cell::Empty, Cell::Number(4)]);
        assert_eq!(
            row,
            "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">a&amp;b</t></is></c><c r=\"C2\"><v>4</v></c></row>\n"
        );
    }
}
