//! The library's one error type. Every variant names where the problem is (a file, and a line
//! where there is one) and what it is; nothing here prints or exits: the binaries do that.

use std::path::PathBuf;

/// Where a bad value was found: a file (or `-` for standard input) and, where known, a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, or `-` for standard input.
    pub path: PathBuf,
    /// 1-based line number, where the problem has one.
    pub line: Option<u64>,
}

impl Location {
    /// A location in `path` with no particular line.
    pub fn file(path: impl Into<PathBuf>) -> Location {
        Location {
            path: path.into(),
            line: None,
        }
    }

    /// A location at `line` (1-based) of `path`.
    pub fn line(path: impl Into<PathBuf>, line: u64) -> Location {
        Location {
            path: path.into(),
            line: Some(line),
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.path.display(), line),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// Everything that can go wrong in chaff, with the place it went wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The input is empty where content is required.
    #[error("{0}: the file is empty")]
    Empty(Location),
    /// Bytes that are not UTF-8.
    #[error("{0}: not valid UTF-8 text{1}")]
    NotUtf8(Location, String),
    /// A file that looks binary rather than text.
    #[error("{0}: looks like a binary file, not text ({1})")]
    Binary(Location, String),
    /// Text in an encoding other than UTF-8 that its first bytes name (a UTF-16 or UTF-32
    /// byte-order mark, or UTF-16's alternate zero bytes).
    #[error("{at}: {encoding} is not supported; convert to UTF-8")]
    UnsupportedEncoding {
        at: Location,
        encoding: &'static str,
    },
    /// An input that decompresses (or reads) to more bytes than one input may hold.
    #[error("{}: more than {limit} bytes (after decompression), the most one input may hold", .path.display())]
    InputTooLarge { path: PathBuf, limit: u64 },
    /// One record (a JSON Lines line, a CSV row) longer than one record may be.
    #[error("{at}: the record is longer than {limit} bytes, the most one record may hold")]
    RecordTooLarge { at: Location, limit: u64 },
    /// A CSV that the csv crate could not parse.
    #[error("{0}: CSV error: {1}")]
    Csv(Location, String),
    /// A CSV header without a required column.
    #[error("{at}: the header has no `{column}` column (found: {found}); a training CSV needs `text` and `label`")]
    MissingColumn {
        at: Location,
        column: String,
        found: String,
    },
    /// A required field left empty.
    #[error("{at}: the `{column}` field is empty")]
    EmptyField { at: Location, column: String },
    /// A field that does not parse (for example a `position` that is not a whole number).
    #[error("{at}: bad `{column}` value {value:?}: {problem}")]
    BadField {
        at: Location,
        column: String,
        value: String,
        problem: String,
    },
    /// Two labels that differ only in letter case, which is almost always a typo.
    #[error("{at}: label {label:?} differs only in case from label {other:?} (line {other_line}); labels are case-sensitive, so use one spelling")]
    LabelCase {
        at: Location,
        label: String,
        other: String,
        other_line: u64,
    },
    /// Training data with fewer than two labels.
    #[error("training needs at least two labels, found {found}")]
    TooFewLabels { found: String },
    /// Training data with more distinct labels than a model may have.
    #[error("the training data has {found} distinct labels; at most {max} are supported (is the `label` column the right one?)")]
    TooManyLabels { found: usize, max: usize },
    /// The same article position given twice.
    #[error(
        "{at}: article {article:?} has position {position} twice (first at line {first_line})"
    )]
    DuplicatePosition {
        at: Location,
        article: String,
        position: u64,
        first_line: u64,
    },
    /// A model file that is not a chaff model, is damaged, or is of another version.
    #[error("{path}: {problem}")]
    BadModel { path: PathBuf, problem: String },
    /// A model file larger than any model chaff writes, refused before it is read.
    #[error("{}: the model file is larger than the limit of {limit} bytes", .path.display())]
    ModelTooLarge { path: PathBuf, limit: u64 },
    /// A JSON Lines record that is not what it should be.
    #[error("{0}: {1}")]
    BadRecord(Location, String),
    /// A JSON Lines record without the text field.
    #[error("{at}: no `{field}` field")]
    MissingField { at: Location, field: String },
    /// A JSON object with the same key twice (JSON parsers disagree on which one counts).
    #[error("{at}: the key {key:?} appears twice in one object")]
    DuplicateKey { at: Location, key: String },
    /// An HTML file without a single tag.
    #[error("{0}: not HTML: no tags found")]
    NotHtml(Location),
    /// A folder given as input that holds no file chaff reads.
    #[error("{}: no input files in this folder (chaff reads .txt, .text, .html, .htm, .jsonl, .ndjson and .csv, each optionally .gz or .zst)", .0.display())]
    NoInputFiles(PathBuf),
    /// Sharding asked of standard input, which is one stream.
    #[error("standard input is one stream and cannot be sharded; give files or folders")]
    ShardOfStdin,
    /// A compressed stream that does not decompress.
    #[error("{0}: {1} stream is damaged: {2}")]
    Compression(Location, &'static str, String),
    /// A training or decision parameter out of its range.
    #[error("{name} must be {expected}, not {value}")]
    BadParameter {
        name: &'static str,
        expected: &'static str,
        value: String,
    },
    /// Cross-validation with fewer than two groups of articles.
    #[error("cross-validation needs at least two groups (articles or grouping-column values), found {found}")]
    TooFewGroups { found: usize },
    /// Held-out groups for the keep threshold that are too few, or articles outside them.
    #[error("choosing the threshold on held-out groups needs every article in one of at least two groups, found {found} ({names})")]
    TooFewHeldOutGroups { found: usize, names: String },
    /// A kept label that is not one of the model's (or the training data's) labels.
    #[error("label {label:?} is not one of the model's labels ({labels})")]
    UnknownKeepLabel { label: String, labels: String },
    /// No label kept at all.
    #[error("at least one label must be kept")]
    NothingKept,
    /// Model parts whose sizes do not agree.
    #[error("{part} has {rows}x{columns} weights, expected {expected_rows}x{expected_columns}")]
    ShapeMismatch {
        part: &'static str,
        rows: usize,
        columns: usize,
        expected_rows: usize,
        expected_columns: usize,
    },
    /// An output folder that is a file.
    #[error("{}: the output folder (it is created if missing) is a file", .0.display())]
    OutputNotAFolder(PathBuf),
    /// An output path that exists and is not a regular file: a symbolic link, a FIFO, a device,
    /// a socket or a folder. Renaming a finished file onto it would replace it.
    #[error("{}: the output exists and is a {kind}, not a regular file; only a missing or regular file is replaced", path.display())]
    OutputNotRegular { path: PathBuf, kind: &'static str },
    /// An output that is, or resolves to (same device and inode), an input of the same run.
    #[error("{}: the output would overwrite this input{}", output.display(), read_as(output, input))]
    OutputIsInput { output: PathBuf, input: String },
    /// An output that two writers of the same run would both write, one losing its output.
    #[error("{}: {first} and {second} would both be written here, and one would be lost", output.display())]
    OutputCollision {
        output: PathBuf,
        first: String,
        second: String,
    },
    /// An output inside an input folder the run walks, where a later run would read it back.
    #[error("{}: the output would be inside the input folder {}, which this run reads; choose an output folder outside it", output.display(), folder.display())]
    OutputInInputFolder { output: PathBuf, folder: PathBuf },
    /// A record that already has the field its labels would be written to.
    #[error("{}: record {record} (id {id:?}) already has a `{field}` field, which the labels would overwrite", path.display())]
    FieldTaken {
        path: PathBuf,
        record: u64,
        id: String,
        field: String,
    },
    /// The field for the labels is the text field, so the cleaned text would be lost.
    #[error("the labels would be written to `{0}`, the text field, losing the cleaned text; give them different fields")]
    LabelsFieldIsTextField(String),
    /// A learning step that failed inside linfa.
    #[error("training failed: {0}")]
    Fit(String),
}

/// `, read as INPUT` when the input was named otherwise than the output (a link, `..`).
fn read_as(output: &std::path::Path, input: &str) -> String {
    if output.as_os_str() == input {
        String::new()
    } else {
        format!(", read as {input}")
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            error,
        }
    }

    /// Whether this is a problem with one record of an input (the records after it can still be
    /// read), rather than with the whole input.
    pub fn is_record_level(&self) -> bool {
        matches!(
            self,
            Error::BadRecord(..)
                | Error::NotUtf8(..)
                | Error::MissingField { .. }
                | Error::DuplicateKey { .. }
                | Error::RecordTooLarge { .. }
                | Error::FieldTaken { .. }
        )
    }

    /// Whether this is a write to a closed pipe (`chaff-label … | head`), which is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { error, .. } if error.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl From<linfa::error::Error> for Error {
    fn from(e: linfa::error::Error) -> Error {
        Error::Fit(e.to_string())
    }
}
