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

/// How much one input may hold: caps that keep time and memory bounded whatever the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes one input may hold after decompression; defaults to
    /// [`DEFAULT_MAX_INPUT_BYTES`] (1 GiB).
    pub input_bytes: u64,
    /// The most bytes one record may hold (a JSON Lines line, a CSV row); defaults to
    /// [`DEFAULT_MAX_RECORD_BYTES`] (64 MiB).
    pub record_bytes: u64,
}

/// The most bytes one input may hold after decompression, by default: 1 GiB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 1 << 30;
/// The most bytes one record may hold, by default: 64 MiB.
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 64 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            input_bytes: DEFAULT_MAX_INPUT_BYTES,
            record_bytes: DEFAULT_MAX_RECORD_BYTES,
        }
    }
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
    /// Caps on an input's and a record's size; defaults to [`Limits::default`].
    pub limits: Limits,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: Format::Auto,
            text_field: "text".into(),
            id_field: "id".into(),
            stdin_format: Format::Auto,
            limits: Limits::default(),
        }
    }
}

/// File names a folder walk picks up (optionally followed by `.gz` or `.zst`).
const EXTENSIONS: &[&str] = &["txt", "text", "html", "htm", "jsonl", "ndjson", "csv"];

/// Expands the command line's inputs: files as given, folders walked recursively for files with
/// a known extension, sorted, `-` for standard input; no inputs means standard input. The first
/// problem (a missing file, a folder that cannot be read, a folder without inputs) is an error.
pub fn expand(inputs: &[PathBuf]) -> Result<Vec<Input>> {
    if inputs.is_empty() {
        return Ok(vec![Input::Stdin]);
    }
    let mut out = Vec::new();
    for input in inputs {
        out.extend(walk(input, &mut Err)?);
    }
    Ok(out)
}

/// The inputs one command-line argument stands for: standard input for `-`, the file itself, or
/// a folder's files with a known extension (walked recursively, following links, sorted). Each
/// problem goes to `bad`, which either stops the walk by returning it or passes over it (the
/// file or folder is left out): a missing file or dangling link, a folder that cannot be read,
/// a link loop, a folder holding no input file.
pub fn walk(input: &Path, bad: &mut dyn FnMut(Error) -> Result<()>) -> Result<Vec<Input>> {
    if input.as_os_str() == "-" {
        return Ok(vec![Input::Stdin]);
    }
    let meta = match std::fs::metadata(input) {
        Ok(meta) => meta,
        Err(e) => {
            bad(Error::io(input, e))?;
            return Ok(Vec::new());
        }
    };
    if !meta.is_dir() {
        return Ok(vec![Input::File(input.to_owned())]);
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(input).follow_links(true) {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_file() && has_known_extension(entry.path()) {
                    files.push(entry.into_path());
                }
            }
            Err(e) => {
                let path = e.path().unwrap_or(input).to_owned();
                bad(Error::io(path, e.into()))?;
            }
        }
    }
    if files.is_empty() {
        bad(Error::NoInputFiles(input.to_owned()))?;
    }
    files.sort();
    Ok(files.into_iter().map(Input::File).collect())
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

/// Opens an input with the default [`Limits`], decompressing gzip or zstd when the first bytes
/// say so.
pub fn open(input: &Input) -> Result<Box<dyn BufRead + Send>> {
    open_counted(input, &Limits::default(), &Arc::default())
}

/// Opens an input, decompressing gzip or zstd when the first bytes say so, and adding the bytes
/// read from it (before decompression) to `counter`, for progress reporting. The text it gives
/// starts after a UTF-8 byte-order mark, if any; a UTF-16 or UTF-32 one is an error. Reading more
/// than `limits.input_bytes` (after decompression) is an error ([`Error::InputTooLarge`], through
/// [`read_error`]); an uncompressed file that is larger is refused here.
pub fn open_counted(
    input: &Input,
    limits: &Limits,
    counter: &Arc<AtomicU64>,
) -> Result<Box<dyn BufRead + Send>> {
    let path = input.path();
    let (raw, size): (Box<dyn Read + Send>, Option<u64>) = match input {
        Input::Stdin => (Box::new(std::io::stdin()), None),
        Input::File(p) => {
            let file = std::fs::File::open(p).map_err(|e| Error::io(p, e))?;
            let size = file
                .metadata()
                .ok()
                .filter(std::fs::Metadata::is_file)
                .map(|m| m.len());
            (Box::new(file), size)
        }
    };
    let raw = Counting {
        inner: raw,
        count: Arc::clone(counter),
    };
    let mut reader = BufReader::with_capacity(1 << 16, raw);
    let head = reader.fill_buf().map_err(|e| Error::io(&path, e))?;
    let decoded: Box<dyn Read + Send> = if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(CheckedRead {
            inner: flate2::bufread::MultiGzDecoder::new(reader),
            path: path.clone(),
            what: "gzip",
        })
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        let decoder = zstd::stream::read::Decoder::with_buffer(reader)
            .map_err(|e| Error::Compression(Location::file(&path), "zstd", e.to_string()))?;
        Box::new(CheckedRead {
            inner: decoder,
            path: path.clone(),
            what: "zstd",
        })
    } else {
        if size.is_some_and(|size| size > limits.input_bytes) {
            return Err(Error::InputTooLarge {
                path,
                limit: limits.input_bytes,
            });
        }
        Box::new(reader)
    };
    let mut reader = BufReader::with_capacity(
        1 << 16,
        Capped {
            inner: decoded,
            read: 0,
            limit: limits.input_bytes,
        },
    );
    skip_byte_order_mark(&mut reader, &path)?;
    Ok(Box::new(reader))
}

/// Consumes a UTF-8 byte-order mark at the start of `reader`; refuses text that its first bytes
/// show to be UTF-16 or UTF-32.
fn skip_byte_order_mark(reader: &mut impl BufRead, path: &Path) -> Result<()> {
    let head = reader.fill_buf().map_err(|e| read_error(path, e))?;
    let refuse = |encoding| {
        Err(Error::UnsupportedEncoding {
            at: Location::file(path),
            encoding,
        })
    };
    if head.starts_with(b"\xef\xbb\xbf") {
        reader.consume(3);
    } else if head.starts_with(b"\xff\xfe\0\0") || head.starts_with(b"\0\0\xfe\xff") {
        return refuse("UTF-32");
    } else if head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff") {
        return refuse("UTF-16");
    } else if head.len() >= 8 {
        // Text in UTF-16 without a byte-order mark: every other byte zero, the others not.
        let zero_at = |parity: usize| {
            head[..8]
                .iter()
                .enumerate()
                .all(|(i, b)| (*b == 0) == (i % 2 == parity))
        };
        if zero_at(0) || zero_at(1) {
            return refuse("UTF-16");
        }
    }
    Ok(())
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

/// Fails once more than `limit` bytes have passed through.
struct Capped<R> {
    inner: R,
    read: u64,
    limit: u64,
}

/// The payload of the I/O error [`Capped`] fails with; [`read_error`] turns it into
/// [`Error::InputTooLarge`].
#[derive(Debug)]
struct OverCap(u64);

impl std::fmt::Display for OverCap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more than {} bytes", self.0)
    }
}

impl std::error::Error for OverCap {}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read > self.limit {
            return Err(std::io::Error::other(OverCap(self.limit)));
        }
        // Never ask for more than one byte past the cap.
        let room = (self.limit - self.read).saturating_add(1);
        let len = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..len])?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(std::io::Error::other(OverCap(self.limit)));
        }
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
/// A guess from the content never loses text: JSON Lines only when the first line is a JSON
/// object, HTML only when the first tag is one HTML knows (`<REUTERS>` is not); anything else is
/// plain text, whose every line is kept.
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
    if starts_with_json_object(start) {
        Format::Jsonl
    } else if html::starts_like_html(start) {
        Format::Html
    } else {
        Format::Txt
    }
}

/// Whether `head` starts with a line that is a JSON object: one that parses, or one that is
/// longer than `head` and opens like an object with a key (`{"`).
fn starts_with_json_object(head: &[u8]) -> bool {
    if !head.starts_with(b"{") {
        return false;
    }
    match memchr::memchr(b'\n', head) {
        Some(end) => {
            serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&head[..end])
                .is_ok()
        }
        None => head[1..]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'"'),
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
    let mut reader = open_counted(input, &options.limits, counter)?;
    let path = input.path();
    let head = reader
        .fill_buf()
        .map_err(|e| read_error(&path, e))?
        .to_vec();
    match detect_format(input, &head, options.format, options.stdin_format) {
        Format::Jsonl => Ok(Box::new(jsonl::Records::new(reader, path, options))),
        format => {
            let text = read_text(reader, &path)?;
            if *input == Input::Stdin && crate::split::is_blank(&text) {
                // Nothing on standard input: no article (an empty file, by contrast, is an
                // empty article, so that --out mirrors every input).
                return Ok(Box::new(std::iter::empty()));
            }
            let doc = match format {
                Format::Html => html::document(&text, input.name(), &path)?,
                Format::Csv => {
                    let articles = csv::parse_labelled_with(
                        text.as_bytes(),
                        &path,
                        csv::Grouping::default(),
                        options.limits.record_bytes,
                    )?;
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

/// An I/O error while reading: the input cap's error as [`Error::InputTooLarge`], a
/// decompressor's "damaged" message as [`Error::Compression`], anything else as [`Error::Io`].
pub fn read_error(path: &Path, e: std::io::Error) -> Error {
    if let Some(OverCap(limit)) = e.get_ref().and_then(|inner| inner.downcast_ref()) {
        return Error::InputTooLarge {
            path: path.to_owned(),
            limit: *limit,
        };
    }
    if e.kind() == std::io::ErrorKind::InvalidData {
        Error::Compression(Location::file(path), "compressed", e.to_string())
    } else {
        Error::io(path, e)
    }
}

/// Reads all of `reader`, as it comes, without looking at the bytes.
pub fn read_bytes(mut reader: impl Read, path: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(path, e))?;
    Ok(bytes)
}

/// Reads the whole input as UTF-8 text, refusing binary files (at the first block with a NUL
/// byte, before reading on) and naming the line of the first invalid byte.
pub fn read_text(mut reader: impl BufRead, path: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    loop {
        let chunk = reader.fill_buf().map_err(|e| read_error(path, e))?;
        if chunk.is_empty() {
            break;
        }
        if let Some(k) = memchr::memchr(0, chunk) {
            bytes.extend_from_slice(&chunk[..k]);
            return Err(binary(&bytes, bytes.len(), path, 1));
        }
        bytes.extend_from_slice(chunk);
        let n = chunk.len();
        reader.consume(n);
    }
    check_text(&bytes, path, 1)?;
    // check_text has just verified the bytes are UTF-8.
    String::from_utf8(bytes).map_err(|e| Error::NotUtf8(Location::file(path), format!(": {e}")))
}

/// Fails on a NUL byte (a binary file) or on invalid UTF-8, naming the line (counting from
/// `first_line`).
pub fn check_text(bytes: &[u8], path: &Path, first_line: u64) -> Result<()> {
    if let Some(i) = memchr::memchr(0, bytes) {
        return Err(binary(bytes, i, path, first_line));
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        let at = e.valid_up_to();
        return Err(Error::NotUtf8(
            Location::line(path, first_line + line_ends(bytes, 0, at)),
            format!(" (invalid byte 0x{:02x} at byte {at})", bytes[at]),
        ));
    }
    Ok(())
}

/// The error for a NUL byte at `bytes[at]` (or just past `bytes`).
fn binary(bytes: &[u8], at: usize, path: &Path, first_line: u64) -> Error {
    Error::Binary(
        Location::line(path, first_line + line_ends(bytes, 0, at)),
        format!("a NUL byte at byte {at}"),
    )
}

/// How many lines end in `bytes[from..to]`: at `\n`, `\r\n` (once) or a lone `\r`.
pub(crate) fn line_ends(bytes: &[u8], from: usize, to: usize) -> u64 {
    memchr::memchr2_iter(b'\n', b'\r', &bytes[from..to])
        .filter(|&k| {
            let i = from + k;
            bytes[i] == b'\r' || i == 0 || bytes[i - 1] != b'\r'
        })
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_bytes(bytes: &[u8], limits: Limits) -> Result<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in");
        std::fs::write(&path, bytes).unwrap();
        let reader = open_counted(&Input::File(path.clone()), &limits, &Arc::default())?;
        read_text(reader, &path)
    }

    #[test]
    fn a_utf8_byte_order_mark_is_skipped_and_utf16_refused() {
        assert_eq!(
            open_bytes(b"\xef\xbb\xbfa", Limits::default()).unwrap(),
            "a"
        );
        for (bytes, encoding) in [
            (&b"\xff\xfea\0"[..], "UTF-16"),
            (b"\xfe\xff\0a", "UTF-16"),
            (b"\xff\xfe\0\0a\0\0\0", "UTF-32"),
            (b"T\0h\0e\0 \0c\0a\0t\0", "UTF-16"),
            (b"\0T\0h\0e\0 \0c\0a\0t", "UTF-16"),
        ] {
            let e = open_bytes(bytes, Limits::default()).unwrap_err();
            assert!(
                matches!(e, Error::UnsupportedEncoding { encoding: got, .. } if got == encoding),
                "{e}"
            );
        }
    }

    #[test]
    fn inputs_past_the_cap_are_refused_compressed_or_not() {
        let limits = Limits {
            input_bytes: 10,
            ..Limits::default()
        };
        assert_eq!(open_bytes(b"0123456789", limits).unwrap(), "0123456789");
        let e = open_bytes(b"0123456789a", limits).unwrap_err();
        assert!(matches!(e, Error::InputTooLarge { limit: 10, .. }), "{e}");
        let zst = zstd::encode_all(&b"0123456789a"[..], 1).unwrap();
        let e = open_bytes(&zst, limits).unwrap_err();
        assert!(matches!(e, Error::InputTooLarge { limit: 10, .. }), "{e}");
        let zst = zstd::encode_all(&b"0123456789"[..], 1).unwrap();
        assert_eq!(open_bytes(&zst, limits).unwrap(), "0123456789");
    }

    #[test]
    fn binary_input_is_refused_at_its_first_block() {
        // A reader that fails if read past its first block: the NUL is seen before that.
        struct FirstBlockOnly(bool);
        impl Read for FirstBlockOnly {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                assert!(
                    !std::mem::replace(&mut self.0, true),
                    "read past the first block"
                );
                buf[..4].copy_from_slice(b"a\r\0b");
                Ok(4)
            }
        }
        let e = read_text(BufReader::new(FirstBlockOnly(false)), Path::new("z")).unwrap_err();
        assert!(
            matches!(e, Error::Binary(ref at, _) if at.line == Some(2)),
            "{e}"
        );
    }

    #[test]
    fn line_ends_count_crlf_once_and_lone_cr() {
        let bytes = b"a\r\nb\rc\nd\r\n";
        assert_eq!(line_ends(bytes, 0, bytes.len()), 4);
        assert_eq!(line_ends(bytes, 0, 2), 1);
        // A `\n` whose `\r` came before `from` is not counted again.
        assert_eq!(line_ends(bytes, 2, bytes.len()), 3);
    }

    #[test]
    fn content_guesses_never_drop_text() {
        let guess =
            |head: &str| detect_format(&Input::Stdin, head.as_bytes(), Format::Auto, Format::Auto);
        assert_eq!(guess("<REUTERS>\nShares fell."), Format::Txt);
        assert_eq!(guess("  <!DOCTYPE html><p>x"), Format::Html);
        assert_eq!(guess("<p>Shares fell.</p>"), Format::Html);
        assert_eq!(guess("{\"text\": \"x\"}\n"), Format::Jsonl);
        assert_eq!(guess("{Editor's note} Shares fell.\n"), Format::Txt);
        assert_eq!(
            guess("{\"text\": \"a very long line cut off by the head"),
            Format::Jsonl
        );
    }

    #[test]
    fn walk_reports_each_bad_entry_and_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("in")).unwrap();
        std::fs::write(root.join("in/a.txt"), "a").unwrap();
        std::os::unix::fs::symlink(root.join("gone"), root.join("in/b.txt")).unwrap();
        std::fs::create_dir(root.join("empty")).unwrap();
        let mut bad = Vec::new();
        let got = walk(&root.join("in"), &mut |e| {
            bad.push(e.to_string());
            Ok(())
        })
        .unwrap();
        assert_eq!(got, [Input::File(root.join("in/a.txt"))]);
        assert!(bad.len() == 1 && bad[0].contains("b.txt"), "{bad:?}");
        let e = expand(&[root.join("empty")]).unwrap_err();
        assert!(matches!(e, Error::NoInputFiles(_)), "{e}");
        assert!(expand(&[root.join("in")]).is_err());
    }
}
