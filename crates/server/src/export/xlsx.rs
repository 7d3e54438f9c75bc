//! XLSX export (Office Open XML spreadsheet): a small package Excel and LibreOffice open —
//! content types, relationships, a workbook with one sheet, a stylesheet with a date-time
//! format — and the sheet written row by row with inline strings (no shared-string table,
//! which would need every text in memory), its header row frozen and filterable.

use super::sheet::{Cell, Workbook, Zip, column, escape_into, start_part};
use jiff::ZonedDateTime;
use std::io::{self, Write};

/// The package's media type.
pub const MEDIA_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
"#;

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>
"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
"#;

/// Cell format 1: a date and time, to the second (custom number format 164).
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
"#;

/// The sheet's start, its header row frozen.
const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>
"#;

/// A moment as a spreadsheet serial number: days since 1899-12-30, the time as the fraction,
/// in the moment's own (local) clock time, which is what a date cell shows.
fn serial(at: &ZonedDateTime) -> String {
    let dt = at.datetime();
    let epoch = jiff::civil::date(1899, 12, 30);
    let days = (dt.date() - epoch).get_days();
    let t = dt.time();
    let seconds = i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60 + i64::from(t.second());
    // Whole seconds in 86,400ths of a day, rounded: ten decimals put a reader back on the
    // second.
    format!(
        "{days}.{:010}",
        (seconds * 10_000_000_000 + 43_200) / 86_400
    )
}

/// The XLSX workbook writer.
#[derive(Default)]
pub struct Xlsx {
    /// How many columns the header has (for the autofilter's range).
    columns: usize,
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
            Cell::Time(t) => {
                out.push_str(&format!(r#"<c r="{at}" s="1"><v>{}</v></c>"#, serial(t)))
            }
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
    fn start(&mut self, zip: &mut Zip, sheet: &str, header: &[String]) -> io::Result<()> {
        let workbook = WORKBOOK.replace("{SHEET}", sheet);
        for (name, part) in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", workbook.as_str()),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/styles.xml", STYLES),
        ] {
            start_part(zip, name, true)?;
            zip.write_all(part.as_bytes())?;
        }
        start_part(zip, "xl/worksheets/sheet1.xml", true)?;
        zip.write_all(SHEET_START.as_bytes())?;
        self.columns = header.len();
        let header: Vec<Cell> = header.iter().map(|h| Cell::Text(h.clone())).collect();
        self.row(zip, 0, &header)
    }

    fn row(&mut self, zip: &mut Zip, index: usize, cells: &[Cell]) -> io::Result<()> {
        zip.write_all(row_xml(index, cells).as_bytes())
    }

    fn end(&mut self, zip: &mut Zip, rows: usize) -> io::Result<()> {
        let last = column(self.columns.saturating_sub(1));
        zip.write_all(
            format!("</sheetData><autoFilter ref=\"A1:{last}{rows}\"/></worksheet>\n").as_bytes(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_looks_like_an_excel_escape_is_kept_as_typed() {
        assert_eq!(protect_escapes("a_x0041_b"), "a_x005F_x0041_b");
        assert_eq!(protect_escapes("_x12_ plain"), "_x12_ plain");
    }

    #[test]
    fn moments_are_serial_days_of_local_clock_time() {
        let at = jiff::civil::date(2026, 12, 1)
            .at(12, 0, 0, 0)
            .in_tz("Europe/Paris")
            .unwrap();
        assert_eq!(serial(&at), "46357.5000000000");
        let at = jiff::civil::date(1900, 1, 1)
            .at(0, 0, 1, 0)
            .in_tz("UTC")
            .unwrap();
        assert_eq!(serial(&at), "2.0000115741");
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
