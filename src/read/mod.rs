//! Reading: inputs (files, folders, standard input), decompression (gzip and zstd, detected from
//! the content), and one module per format. Readers yield [`Document`]s one at a time; they
//! never split on their own (they call [`crate::split`]) and never score.

pub mod csv;
pub mod html;
pub mod jsonl;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::document::Document;
use crate::error::{Error, Location, Result};
use crate::split::split;

/// One input: a file, or standard input (written `-`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// The name used in output and messages: the path, or `-`.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_owned(),
            Input::File(p) => p.display().to_string(),
        }
    }

    /// The path used in messages.
    pub fn path(&self) -> PathBuf {
        match self {
            Input::Stdin => PathBuf::from("-"),
            Input::File(p) => p.clone(),
        }
    }
}

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// Decide from the file name (after any `.gz`/`.zst`), or from the content on stdin.
    Auto,
    /// Plain text: paragraphs separated by blank lines, or one per line.
    Txt,
    /// HTML: paragraphs from `<p>`, `<li>`, `<h1>`-`<h6>` and `<blockquote>`.
    Html,
    /// JSON Lines: one article per line.
    Jsonl,
    /// A CSV in the training schema (`article_id,position,text,label`).
    Csv,
}

/// How records are read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The format; defaults to [`Format::Auto`].
    pub format: Format,
    /// JSONL field holding the article text; defaults to `text`.
    pub text_field: String,
    /// JSONL field holding the article id; defaults to `id`.
    pub id_field: String,
    /// The format of standard input when `format` is [`Format::Auto`]; defaults to `Auto`,
    /// which guesses from the first bytes (`chaff-label --output jsonl` sets `Jsonl`, so a
    /// stream filter never mistakes a partition for plain text).
    pub stdin_format: Format,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: Format::Auto,
            text_field: "text".into(),
            id_field: "id".into(),
            stdin_format: Format::Auto,
        }
    }
}

/// File names a folder walk picks up (optionally followed by `.gz` or `.zst`).
const EXTENSIONS: &[&str] = &["txt", "text", "html", "htm", "jsonl", "ndjson", "csv"];

/// Expands the command line's inputs: files as given, folders walked recursively for files with
/// a known extension, sorted, `-` for standard input; no inputs means standard input.
pub fn expand(inputs: &[PathBuf]) -> Result<Vec<Input>> {
    if inputs.is_empty() {
        return Ok(vec![Input::Stdin]);
    }
    let mut out = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let meta = std::fs::metadata(input).map_err(|e| Error::io(input, e))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            for entry in walkdir::WalkDir::new(input).follow_links(true) {
                let entry = entry.map_err(|e| {
                    let path = e.path().unwrap_or(input).to_owned();
                    Error::io(path, e.into())
                })?;
                if entry.file_type().is_file() && has_known_extension(entry.path()) {
                    files.push(entry.into_path());
                }
            }
            files.sort();
            out.extend(files.into_iter().map(Input::File));
        } else {
            out.push(Input::File(input.clone()));
        }
    }
    Ok(out)
}

fn has_known_extension(path: &Path) -> bool {
    let stem_ext = strip_compression(path);
    stem_ext
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn strip_compression(path: &Path) -> PathBuf {
    match path.extension().and_then(|e| e.to_str()) {
        Some("gz" | "zst" | "zstd") => path.with_extension(""),
        _ => path.to_owned(),
    }
}

/// Opens an input, decompressing gzip or zstd when the first bytes say so.
pub fn open(input: &Input) -> Result<Box<dyn BufRead + Send>> {
    open_counted(input, &Arc::default())
}

/// Opens an input like [`open`], adding the bytes read from it (before decompression) to
/// `counter`, for progress reporting.
pub fn open_counted(input: &Input, counter: &Arc<AtomicU64>) -> Result<Box<dyn BufRead + Send>> {
    let path = input.path();
    let raw: Box<dyn Read + Send> = match input {
        Input::Stdin => Box::new(std::io::stdin()),
        Input::File(p) => Box::new(std::fs::File::open(p).map_err(|e| Error::io(p, e))?),
    };
    let raw = Box::new(Counting {
        inner: raw,
        count: Arc::clone(counter),
    });
    let mut reader = BufReader::with_capacity(1 << 16, raw);
    let head = reader.fill_buf().map_err(|e| Error::io(&path, e))?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::new(CheckedRead {
            inner: flate2::bufread::MultiGzDecoder::new(reader),
            path,
            what: "gzip",
        })))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        let decoder = zstd::stream::read::Decoder::with_buffer(reader)
            .map_err(|e| Error::Compression(Location::file(&path), "zstd", e.to_string()))?;
        Ok(Box::new(BufReader::new(CheckedRead {
            inner: decoder,
            path,
            what: "zstd",
        })))
    } else {
        Ok(Box::new(reader))
    }
}

/// Counts the bytes that pass through.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Turns a decompressor's errors into errors that say the stream is damaged.
struct CheckedRead<R> {
    inner: R,
    path: PathBuf,
    what: &'static str,
}

impl<R: Read> Read for CheckedRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{} stream of {} is damaged: {e}",
                    self.what,
                    self.path.display()
                ),
            )
        })
    }
}

/// The format of an input: from its name, or for standard input and unknown names, its content.
pub fn detect_format(input: &Input, head: &[u8], asked: Format, stdin: Format) -> Format {
    if asked != Format::Auto {
        return asked;
    }
    if *input == Input::Stdin && stdin != Format::Auto {
        return stdin;
    }
    if let Input::File(p) = input {
        let ext = strip_compression(p)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("html" | "htm") => return Format::Html,
            Some("jsonl" | "ndjson") => return Format::Jsonl,
            Some("csv") => return Format::Csv,
            Some("txt" | "text") => return Format::Txt,
            _ => {}
        }
    }
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |i| &head[i..]);
    if start.starts_with(b"{") {
        Format::Jsonl
    } else if start.starts_with(b"<") {
        Format::Html
    } else {
        Format::Txt
    }
}

/// A stream of documents from one input.
pub type Documents = Box<dyn Iterator<Item = Result<Document>> + Send>;

/// Reads one input as a stream of documents.
pub fn documents(input: &Input, options: &ReadOptions) -> Result<Documents> {
    documents_counted(input, options, &Arc::default())
}

/// Reads one input as a stream of documents, adding the bytes read to `counter`.
pub fn documents_counted(
    input: &Input,
    options: &ReadOptions,
    counter: &Arc<AtomicU64>,
) -> Result<Documents> {
    let mut reader = open_counted(input, counter)?;
    let path = input.path();
    let head = reader
        .fill_buf()
        .map_err(|e| read_error(&path, e))?
        .to_vec();
    match detect_format(input, &head, options.format, options.stdin_format) {
        Format::Jsonl => Ok(Box::new(jsonl::Records::new(reader, path, options))),
        format => {
            let text = read_text(reader, &path)?;
            if *input == Input::Stdin && text.trim().is_empty() {
                // Nothing on standard input: no article (an empty file, by contrast, is an
                // empty article, so that --out mirrors every input).
                return Ok(Box::new(std::iter::empty()));
            }
            let doc = match format {
                Format::Html => html::document(&text, input.name(), &path)?,
                Format::Csv => {
                    let articles =
                        csv::parse_labelled(text.as_bytes(), &path, csv::Grouping::default())?;
                    let docs = articles.into_iter().map(|a| {
                        let mut d =
                            Document::new(a.id, a.texts, crate::document::Layout::BlankLine);
                        d.labels = Some(a.labels);
                        Ok(d)
                    });
                    return Ok(Box::new(docs.collect::<Vec<_>>().into_iter()));
                }
                _ => {
                    let (paragraphs, layout) = split(&text);
                    Document::new(input.name(), paragraphs, layout)
                }
            };
            Ok(Box::new(std::iter::once(Ok(doc))))
        }
    }
}

/// An I/O error while reading, keeping the decompressor's "damaged" message.
pub(crate) fn read_error(path: &Path, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::InvalidData {
        Error::Compression(Location::file(path), "compressed", e.to_string())
    } else {
        Error::io(path, e)
    }
}

/// Reads the whole input as UTF-8 text, refusing binary files and naming the line of the first
/// invalid byte.
pub fn read_text(mut reader: impl Read, path: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(path, e))?;
    check_text(&bytes, path, 1)?;
    // check_text has just verified the bytes are UTF-8.
    String::from_utf8(bytes).map_err(|e| Error::NotUtf8(Location::file(path), format!(": {e}")))
}

/// Fails on a NUL byte (a binary file) or on invalid UTF-8, naming the line (counting from
/// `first_line`).
pub fn check_text(bytes: &[u8], path: &Path, first_line: u64) -> Result<()> {
    let line_of =
        |offset: usize| first_line + bytes[..offset].iter().filter(|b| **b == b'\n').count() as u64;
    if let Some(i) = bytes.iter().position(|b| *b == 0) {
        return Err(Error::Binary(
            Location::line(path, line_of(i)),
            format!("a NUL byte at byte {i}"),
        ));
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        let at = e.valid_up_to();
        return Err(Error::NotUtf8(
            Location::line(path, line_of(at)),
            format!(" (invalid byte 0x{:02x} at byte {at})", bytes[at]),
        ));
    }
    Ok(())
}
