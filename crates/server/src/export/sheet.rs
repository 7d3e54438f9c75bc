//! What ODS and XLSX share: XML text escaping, and the bridge that lets the blocking,
//! `Write`-based zip writer stream into an async response body in constant memory. Both
//! write text as typed text cells, exactly as typed: a spreadsheet never evaluates a text
//! cell, so they need no formula neutralisation (CSV, untyped, does).

pub use super::layout::Cell;
use super::layout::Layout;
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

/// The column's letters: 0 → A, 25 → Z, 26 → AA.
pub fn column(mut i: usize) -> String {
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
    /// Writes the parts before the rows, opens the sheet (named `sheet`, a plain word: no
    /// markup to escape) and writes the header row (row 0, frozen, with an autofilter).
    fn start(&mut self, zip: &mut Zip, sheet: &str, header: &[String]) -> io::Result<()>;
    /// Writes one row (the first answer is row 1).
    fn row(&mut self, zip: &mut Zip, index: usize, cells: &[Cell]) -> io::Result<()>;
    /// Closes the sheet's part, `rows` rows in all with the header, and writes the parts
    /// after it.
    fn end(&mut self, zip: &mut Zip, rows: usize) -> io::Result<()>;
}

fn io_err(e: zip::result::ZipError) -> io::Error {
    io::Error::other(e)
}

/// Streams `responses` as a workbook: a blocking task writes the zip, and the returned
/// stream yields its bytes. An error mid-way ends the stream with an error, so the client
/// sees a broken download rather than a truncated file that looks complete.
pub fn stream(
    mut book: impl Workbook,
    layout: Layout,
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
            let header = layout.header();
            book.start(&mut zip, layout.sheet_name(), &header)?;
            let mut index = 1;
            while let Some(item) = handle.block_on(responses.next()) {
                let r: StoredResponse = item.map_err(io::Error::other)?;
                book.row(&mut zip, index, &layout.row(&r))?;
                index += 1;
            }
            book.end(&mut zip, index)?;
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
    fn escaping_covers_markup_and_drops_characters_xml_forbids() {
        assert_eq!(
            escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{0}b\u{8}c\u{1b}d\u{FFFE}e"), "abcde");
        assert_eq!(escape("l1\nl2\tx\r"), "l1\nl2\tx&#13;");
        assert_eq!(escape("émoji 🎉"), "émoji 🎉");
    }
}
