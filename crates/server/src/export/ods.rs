//! ODS export (OpenDocument spreadsheet, LibreOffice's own format): a small valid package —
//! an uncompressed `mimetype` first, `META-INF/manifest.xml`, a `content.xml` holding one
//! table written row by row (times as date cells with a date-time style, an autofilter on the
//! header), and a `settings.xml` that freezes the header row.

use super::sheet::{Cell, Workbook, Zip, column, escape_into, start_part};
use std::io::{self, Write};

/// The package's media type, also the content of its `mimetype` part.
pub const MEDIA_TYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#;

const CONTENT_START: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" office:version="1.2"><office:automatic-styles><number:date-style style:name="N1"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/><number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/><number:text>:</number:text><number:seconds number:style="long"/></number:date-style><style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/></office:automatic-styles><office:body><office:spreadsheet><table:table table:name="{SHEET}">
"#;

const CONTENT_END: &str = "</office:spreadsheet></office:body></office:document-content>\n";

/// The header row frozen in LibreOffice's view of the sheet.
const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-settings xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" office:version="1.2"><office:settings><config:config-item-set config:name="ooo:view-settings"><config:config-item-map-indexed config:name="Views"><config:config-item-map-entry><config:config-item config:name="ViewId" config:type="string">view1</config:config-item><config:config-item-map-named config:name="Tables"><config:config-item-map-entry config:name="{SHEET}"><config:config-item config:name="HorizontalSplitMode" config:type="short">0</config:config-item><config:config-item config:name="VerticalSplitMode" config:type="short">2</config:config-item><config:config-item config:name="VerticalSplitPosition" config:type="int">1</config:config-item><config:config-item config:name="ActiveSplitRange" config:type="short">2</config:config-item><config:config-item config:name="PositionTop" config:type="int">0</config:config-item><config:config-item config:name="PositionBottom" config:type="int">1</config:config-item></config:config-item-map-entry></config:config-item-map-named></config:config-item-map-entry></config:config-item-map-indexed></config:config-item-set></office:settings></office:document-settings>
"#;

/// The ODS workbook writer.
#[derive(Default)]
pub struct Ods {
    /// How many columns the header has (for the autofilter's range).
    columns: usize,
    /// The sheet's name.
    sheet: String,
}

/// Writes `text` as the paragraphs of a cell. ODF collapses runs of white space in text, so
/// each line is a paragraph, and spaces beyond the first and tabs are written as elements.
fn text_cell(out: &mut String, text: &str) {
    out.push_str(r#"<table:table-cell office:value-type="string">"#);
    for line in text.split('\n') {
        out.push_str("<text:p>");
        let mut spaces = 0usize;
        let mut at_start = true;
        let flush = |out: &mut String, spaces: &mut usize, at_start: bool| {
            // A paragraph's leading space would be dropped too: write it as an element.
            let literal = usize::from(!at_start && *spaces > 0);
            if literal == 1 {
                out.push(' ');
            }
            let rest = *spaces - literal;
            if rest > 0 {
                out.push_str(&format!(r#"<text:s text:c="{rest}"/>"#));
            }
            *spaces = 0;
        };
        for c in line.chars() {
            match c {
                ' ' => spaces += 1,
                '\t' => {
                    flush(out, &mut spaces, at_start);
                    out.push_str("<text:tab/>");
                    at_start = false;
                }
                // A lone CR is white space to ODF; lines are already split on LF.
                '\r' => {}
                c => {
                    flush(out, &mut spaces, at_start);
                    let mut buf = [0u8; 4];
                    escape_into(out, c.encode_utf8(&mut buf));
                    at_start = false;
                }
            }
        }
        flush(out, &mut spaces, at_start);
        out.push_str("</text:p>");
    }
    out.push_str("</table:table-cell>");
}

fn row_xml(cells: &[Cell]) -> String {
    let mut out = String::from("<table:table-row>");
    for cell in cells {
        match cell {
            Cell::Empty => out.push_str("<table:table-cell/>"),
            Cell::Number(n) => out.push_str(&format!(
                r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#
            )),
            Cell::Text(t) => text_cell(&mut out, t),
            Cell::Time(at) => out.push_str(&format!(
                r#"<table:table-cell office:value-type="date" office:date-value="{}" table:style-name="ce1"><text:p>{}</text:p></table:table-cell>"#,
                at.strftime("%Y-%m-%dT%H:%M:%S"),
                at.strftime("%Y-%m-%d %H:%M:%S")
            )),
        }
    }
    out.push_str("</table:table-row>\n");
    out
}

impl Workbook for Ods {
    fn start(&mut self, zip: &mut Zip, sheet: &str, header: &[String]) -> io::Result<()> {
        self.sheet = sheet.to_owned();
        // First and stored: tools recognise the format by these bytes at a fixed offset.
        start_part(zip, "mimetype", false)?;
        zip.write_all(MEDIA_TYPE.as_bytes())?;
        start_part(zip, "META-INF/manifest.xml", true)?;
        zip.write_all(MANIFEST.as_bytes())?;
        start_part(zip, "content.xml", true)?;
        zip.write_all(CONTENT_START.replace("{SHEET}", sheet).as_bytes())?;
        self.columns = header.len();
        let header: Vec<Cell> = header.iter().map(|h| Cell::Text(h.clone())).collect();
        self.row(zip, 0, &header)
    }

    fn row(&mut self, zip: &mut Zip, _index: usize, cells: &[Cell]) -> io::Result<()> {
        zip.write_all(row_xml(cells).as_bytes())
    }

    fn end(&mut self, zip: &mut Zip, rows: usize) -> io::Result<()> {
        let last = column(self.columns.saturating_sub(1));
        let sheet = &self.sheet;
        zip.write_all(
            format!(
                r#"</table:table><table:database-ranges><table:database-range table:name="__Anonymous_Sheet_DB__0" table:target-range-address="{sheet}.A1:{sheet}.{last}{rows}" table:display-filter-buttons="true"/></table:database-ranges>"#
            )
            .as_bytes(),
        )?;
        zip.write_all(CONTENT_END.as_bytes())?;
        start_part(zip, "settings.xml", true)?;
        zip.write_all(SETTINGS.replace("{SHEET}", &self.sheet).as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_spaces_and_tabs_survive_odf_white_space_rules() {
        let mut out = String::new();
        text_cell(&mut out, "  a  b\tc\nd <e>");
        assert_eq!(
            out,
            r#"<table:table-cell office:value-type="string"><text:p><text:s text:c="2"/>a <text:s text:c="1"/>b<text:tab/>c</text:p><text:p>d &lt;e&gt;</text:p></table:table-cell>"#
        );
    }
}
