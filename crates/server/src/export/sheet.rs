//! What ODS and XLSX share: typed cells, XML text escaping, and the bridge that lets the
//! blocking, `Write`-based zip writer stream into an async response body in constant memory.

use super::csv::CsvLayout;
use super::neutralise;
use crate::store::{ResponseStream, StoredResponse};
use bytes::Bytes;
use futures_util::StreamExt;
use std::io::{self, Write};
use tokio::sync::mpsc;
use zip::ZipWriter;
use zip::write::StreamWriter;

/// Bytes gathered before a chunk goes to the client.
const CHUNK_BYTES: usize = 16 * 1024;
/// Chunks waiting for the client before the writer blocks (so memory stays bounded).
const CHUNKS_AHEAD: usize = 4;

/// One cell of a spreadsheet row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text, already neutralised.
    Text(String),
    /// A number (ratings), so that spreadsheets can sum and chart it.
    Number(i64),
}

/// The cells of one row: numbers where the column holds numbers, neutralised text elsewhere.
pub fn cells(values: Vec<String>, numeric: &[bool]) -> Vec<Cell> {
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            if v.is_empty() {
                return Cell::Empty;
            }
            if numeric.get(i).copied().unwrap_or(false)
                && let Ok(n) = v.parse::<i64>()
            {
                return Cell::Number(n);
            }
            Cell::Text(neutralise(&v).into_owned())
        })
        .collect()
}

/// Whether XML 1.0 allows `c` at all (its `Char` production); others are dropped.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// Escapes `text` for XML element content and attribute values, dropping the characters
/// XML 1.0 forbids (control characters a resident could paste), and keeping carriage returns
/// as references so that parsers do not normalise them away.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars().filter(|c| xml_char(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

/// `escape_into` to a new string.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// A `Write` that hands its bytes, in chunks, to an async receiver. `write` blocks while the
/// receiver is `CHUNKS_AHEAD` chunks behind, so it must run on a blocking thread.
pub struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buf,
            Vec::with_capacity(CHUNK_BYTES),
        ));
        self.tx
            .blocking_send(Ok(chunk))
            // The client went away: stop writing.
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "export client gone"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// The zip writer every workbook format writes into.
pub type Zip = ZipWriter<StreamWriter<ChannelWriter>>;

/// A spreadsheet package written into a zip as its rows arrive.
pub trait Workbook: Send + 'static {
    /// Writes the parts before the rows and opens the sheet's part.
    fn start(&mut self, zip: &mut Zip, header: &[String]) -> io::Result<()>;
    /// Writes one row (the header is row 0).
    fn row(&mut self, zip: &mut Zip, index: usize, cells: &[Cell]) -> io::Result<()>;
    /// Closes the sheet's part and writes any part after it.
    fn end(&mut self, zip: &mut Zip) -> io::Result<()>;
}

fn io_err(e: zip::result::ZipError) -> io::Error {
    io::Error::other(e)
}

/// Streams `responses` as a workbook: a blocking task writes the zip, and the returned
/// stream yields its bytes. An error mid-way ends the stream with an error, so the client
/// sees a broken download rather than a truncated file that looks complete.
pub fn stream(
    mut book: impl Workbook,
    layout: CsvLayout,
    mut responses: ResponseStream,
) -> tokio_stream::wrappers::ReceiverStream<io::Result<Bytes>> {
    let (tx, rx) = mpsc::channel(CHUNKS_AHEAD);
    let handle = tokio::runtime::Handle::current();
    let errors = tx.clone();
    tokio::task::spawn_blocking(move || {
        let run = || -> io::Result<()> {
            let mut zip = ZipWriter::new_stream(ChannelWriter {
                tx,
                buf: Vec::with_capacity(CHUNK_BYTES),
            });
            let numeric = layout.numeric_columns();
            let header = layout.header();
            book.start(&mut zip, &header)?;
            let mut index = 1;
            while let Some(item) = handle.block_on(responses.next()) {
                let r: StoredResponse = item.map_err(io::Error::other)?;
                book.row(&mut zip, index, &cells(layout.row(&r), &numeric))?;
                index += 1;
            }
            book.end(&mut zip)?;
            zip.finish().map_err(io_err)?.into_inner().flush()
        };
        if let Err(e) = run()
            && e.kind() != io::ErrorKind::BrokenPipe
        {
            tracing::error!(error = %e, "spreadsheet export interrupted");
            let _ = errors.blocking_send(Err(e));
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(rx)
}

/// Starts a part of the package, compressed or not.
pub fn start_part(zip: &mut Zip, name: &str, compressed: bool) -> io::Result<()> {
    let method = if compressed {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    zip.start_file(
        name,
        zip::write::SimpleFileOptions::default().compression_method(method),
    )
    .map_err(io_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_drops_characters_xml_forbids() {
        assert_eq!(
            escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{0}b\u{8}c\u{1b}d\u{FFFE}e"), "abcde");
        assert_eq!(escape("l1\nl2\tx\r"), "l1\nl2\tx&#13;");
        assert_eq!(escape("émoji 🎉"), "émoji 🎉");
    }

    #[test]
    fn numbers_stay_numbers_only_in_numeric_columns_and_text_is_neutralised() {
        let row = vec!["4".to_owned(), "4".to_owned(), String::new(), "=1+1".into()];
        assert_eq!(
            cells(row, &[true, false, true, true]),
            vec![
                Cell::Number(4),
                Cell::Text("4".into()),
                Cell::Empty,
                Cell::Text("'=1+1".into())
            ]
        );
    }
}
