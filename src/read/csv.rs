//! Labelled CSVs in the training schema: `text` and `label` required; `article_id` and
//! `position` used when present (rows are grouped into articles and ordered); any other column
//! can name the fold group or the groups held out to choose the keep threshold. Every problem
//! names the file and line (lines end at `\n`, `\r\n` or a lone `\r`). Labels are normalised
//! ([`normalize_label`]).

use std::path::Path;

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

use crate::document::LabelledArticle;
use crate::error::{Error, Location, Result};
use crate::read::{line_ends, open_counted, read_bytes, Input, Limits, DEFAULT_MAX_RECORD_BYTES};
use crate::split::is_invisible;

/// The optional columns articles are grouped by, besides `article_id`. Each article takes the
/// values of its first row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Grouping<'a> {
    /// The column whose value is each article's cross-validation fold group (`--group-by`;
    /// default: the article id).
    pub folds: Option<&'a str>,
    /// The column whose values are held out in turn to choose the keep threshold
    /// (`--threshold-by`).
    pub held_out: Option<&'a str>,
}

/// Reads a labelled CSV (optionally gzip- or zstd-compressed) into articles, in order of first
/// appearance, within `limits`. Rows without an `article_id` column are articles of one
/// paragraph each.
pub fn read_labelled(
    path: &Path,
    grouping: Grouping,
    limits: &Limits,
) -> Result<Vec<LabelledArticle>> {
    let reader = open_counted(&Input::File(path.to_owned()), limits, &Default::default())?;
    let bytes = read_bytes(reader, path)?;
    parse_labelled_with(&bytes, path, grouping, limits.record_bytes)
}

/// Parses the bytes of a labelled CSV; `path` is only used in messages.
pub fn parse_labelled(
    bytes: &[u8],
    path: &Path,
    grouping: Grouping,
) -> Result<Vec<LabelledArticle>> {
    parse_labelled_with(bytes, path, grouping, DEFAULT_MAX_RECORD_BYTES)
}

/// Parses the bytes of a labelled CSV, refusing a row longer than `max_record_bytes`.
pub fn parse_labelled_with(
    bytes: &[u8],
    path: &Path,
    grouping: Grouping,
    max_record_bytes: u64,
) -> Result<Vec<LabelledArticle>> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty(Location::file(path)));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let headers = reader
        .byte_headers()
        .map_err(|e| csv_error(bytes, path, &e))?
        .clone();
    let columns = Columns::find(&headers, path, grouping)?;
    let mut articles: Vec<Pending> = Vec::new();
    let mut by_id: FxHashMap<String, usize> = FxHashMap::default();
    let mut spellings = LabelSpellings::default();
    let mut record = csv::ByteRecord::new();
    let mut row_number = 0u64;
    let mut lines = Lines::default();
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(bytes, path, &e))?
    {
        row_number += 1;
        let line = match record.position() {
            Some(p) => lines.at(bytes, p.byte()),
            None => row_number + 1,
        };
        let at = Location::line(path, line);
        if record.as_slice().len() as u64 > max_record_bytes {
            return Err(Error::RecordTooLarge {
                at,
                limit: max_record_bytes,
            });
        }
        let row = columns.row(&record, at.clone(), row_number)?;
        spellings.check(&row.label, at)?;
        let slot = *by_id.entry(row.id.clone()).or_insert_with(|| {
            articles.push(Pending::new(&row));
            articles.len() - 1
        });
        articles[slot]
            .rows
            .push((row.position, line, row.text, row.label));
    }
    if articles.is_empty() {
        return Err(Error::Empty(Location::file(path)));
    }
    let ordered = columns.position.is_some();
    articles
        .into_iter()
        .map(|p| p.into_article(path, ordered))
        .collect()
}

/// A label as training and labelling know it: Unicode NFC, without white space or invisible
/// characters (zero-width space, byte-order mark, ...) around it. A label that still holds an
/// invisible or control character is refused (the problem is the error), as is an empty one
/// (`Ok("")`, for the caller to report as empty).
///
/// ```
/// use chaff::read::csv::normalize_label;
/// assert_eq!(normalize_label(" news\u{200b}").unwrap(), "news");
/// assert_eq!(normalize_label("cafe\u{301}").unwrap(), "caf\u{e9}");
/// assert!(normalize_label("ne\u{200b}ws").is_err());
/// ```
pub fn normalize_label(raw: &str) -> std::result::Result<String, String> {
    let nfc: String = raw.nfc().collect();
    let label = nfc.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    match label.chars().find(|c| is_invisible(*c) || c.is_control()) {
        Some(c) => Err(format!(
            "it holds the invisible or control character U+{:04X}; a label is visible text",
            u32::from(c)
        )),
        None => Ok(label.to_owned()),
    }
}

/// Line numbers of byte offsets that only grow, each found from the last in one pass.
#[derive(Default)]
struct Lines {
    offset: usize,
    line: u64,
}

impl Lines {
    /// The 1-based line of byte `offset` of `bytes`.
    fn at(&mut self, bytes: &[u8], offset: u64) -> u64 {
        let offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        if offset < self.offset {
            *self = Lines::default();
        }
        self.line += line_ends(bytes, self.offset, offset);
        self.offset = offset;
        self.line + 1
    }
}

/// Where the columns of a labelled CSV are.
struct Columns<'a> {
    text: usize,
    label: usize,
    article: Option<usize>,
    position: Option<usize>,
    /// The fold-group column, with its name.
    group: Option<(usize, &'a str)>,
    /// The held-out column, with its name.
    held_out: Option<(usize, &'a str)>,
}

impl<'a> Columns<'a> {
    /// Finds the columns in the header; a required or named column that is missing is an error
    /// naming the header's columns.
    fn find(headers: &csv::ByteRecord, path: &Path, grouping: Grouping<'a>) -> Result<Columns<'a>> {
        let headers: Vec<String> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                std::str::from_utf8(h)
                    .map(|s| s.trim().to_owned())
                    .map_err(|_| {
                        Error::NotUtf8(
                            Location::line(path, 1),
                            format!(" in header column {}", i + 1),
                        )
                    })
            })
            .collect::<Result<_>>()?;
        let column = |name: &str| headers.iter().position(|h| h == name);
        let missing = |name: &str| Error::MissingColumn {
            at: Location::line(path, 1),
            column: name.to_owned(),
            found: if headers.is_empty() {
                "nothing".to_owned()
            } else {
                let quoted: Vec<String> = headers.iter().map(|h| format!("`{h}`")).collect();
                quoted.join(", ")
            },
        };
        let named = |name: Option<&'a str>| match name {
            Some(name) => column(name)
                .map(|c| Some((c, name)))
                .ok_or_else(|| missing(name)),
            None => Ok(None),
        };
        Ok(Columns {
            text: column("text").ok_or_else(|| missing("text"))?,
            label: column("label").ok_or_else(|| missing("label"))?,
            article: column("article_id"),
            position: column("position"),
            group: named(grouping.folds)?,
            held_out: named(grouping.held_out)?,
        })
    }

    /// One record as a row; `at` is its line, `row_number` its 1-based number.
    fn row(&self, record: &csv::ByteRecord, at: Location, row_number: u64) -> Result<Row> {
        let field = |i: usize, name: &str| -> Result<String> {
            let raw = record.get(i).unwrap_or_default();
            std::str::from_utf8(raw).map(str::to_owned).map_err(|e| {
                let problem = format!(" in the `{name}` field (byte {})", e.valid_up_to());
                Error::NotUtf8(at.clone(), problem)
            })
        };
        let required = |i: usize, name: &str| -> Result<String> {
            let value = field(i, name)?;
            if value.trim().is_empty() {
                return Err(Error::EmptyField {
                    at: at.clone(),
                    column: name.into(),
                });
            }
            Ok(value)
        };
        let raw_label = field(self.label, "label")?;
        let label = normalize_label(&raw_label).map_err(|problem| Error::BadField {
            at: at.clone(),
            column: "label".into(),
            value: raw_label.clone(),
            problem,
        })?;
        if label.is_empty() {
            return Err(Error::EmptyField {
                at: at.clone(),
                column: "label".into(),
            });
        }
        let text = required(self.text, "text")?.trim().to_owned();
        let id = match self.article {
            Some(c) => required(c, "article_id")?,
            None => format!("row-{row_number}"),
        };
        let position = match self.position {
            Some(c) => {
                let raw = field(c, "position")?;
                raw.trim().parse::<u64>().map_err(|e| Error::BadField {
                    at: at.clone(),
                    column: "position".into(),
                    value: raw.clone(),
                    problem: format!("{e}; positions are whole numbers counting from 0"),
                })?
            }
            None => u64::MAX,
        };
        let group = match self.group {
            Some((c, name)) => field(c, name)?,
            None => id.clone(),
        };
        let held_out = match self.held_out {
            Some((c, name)) => Some(field(c, name)?),
            None => None,
        };
        Ok(Row {
            id,
            position,
            group,
            held_out,
            text,
            label,
        })
    }
}

/// One parsed row of a labelled CSV.
struct Row {
    id: String,
    position: u64,
    group: String,
    held_out: Option<String>,
    text: String,
    label: String,
}

/// The first spelling of each label (folded to lower case) and its line: two labels that
/// differ only in case are almost always a typo.
#[derive(Default)]
struct LabelSpellings(FxHashMap<String, (String, u64)>);

impl LabelSpellings {
    fn check(&mut self, label: &str, at: Location) -> Result<()> {
        let line = at.line.unwrap_or_default();
        let (first, first_line) = self
            .0
            .entry(label.to_lowercase())
            .or_insert_with(|| (label.to_owned(), line));
        if first != label {
            return Err(Error::LabelCase {
                at,
                label: label.to_owned(),
                other: first.clone(),
                other_line: *first_line,
            });
        }
        Ok(())
    }
}

/// An article being read: its first row's ids and groups, and its rows as (position, line,
/// text, label).
struct Pending {
    article: LabelledArticle,
    rows: Vec<(u64, u64, String, String)>,
}

impl Pending {
    fn new(first: &Row) -> Pending {
        Pending {
            article: LabelledArticle {
                id: first.id.clone(),
                group: first.group.clone(),
                held_out_group: first.held_out.clone(),
                texts: Vec::new(),
                labels: Vec::new(),
            },
            rows: Vec::new(),
        }
    }

    /// The article, its rows in position order when `ordered` (a position given twice is an
    /// error naming the later line), else in file order.
    fn into_article(mut self, path: &Path, ordered: bool) -> Result<LabelledArticle> {
        if ordered {
            self.rows.sort_by_key(|r| (r.0, r.1));
            if let Some(pair) = self.rows.windows(2).find(|pair| pair[0].0 == pair[1].0) {
                return Err(Error::DuplicatePosition {
                    at: Location::line(path, pair[1].1),
                    article: self.article.id.clone(),
                    position: pair[1].0,
                    first_line: pair[0].1,
                });
            }
        }
        for (_, _, text, label) in self.rows {
            self.article.texts.push(text);
            self.article.labels.push(label);
        }
        Ok(self.article)
    }
}

fn csv_error(bytes: &[u8], path: &Path, e: &csv::Error) -> Error {
    let at = match e.position() {
        Some(p) => Location::line(path, Lines::default().at(bytes, p.byte())),
        None => Location::file(path),
    };
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            Error::NotUtf8(at, format!(" (field {})", err.field() + 1))
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Error::Csv(
            at,
            format!("this row has {len} fields but the header has {expected_len}"),
        ),
        _ => Error::Csv(at, e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Vec<LabelledArticle>> {
        parse_labelled(s.as_bytes(), Path::new("t.csv"), Grouping::default())
    }

    #[test]
    fn grouping_columns_are_read_per_article() {
        let csv = "article_id,position,text,label,source,site\n\
                   a,0,x,news,bbc,b1\nb,0,y,ad,web,w1\na,1,z,news,bbc,b1\n";
        let grouping = Grouping {
            folds: Some("site"),
            held_out: Some("source"),
        };
        let a = parse_labelled(csv.as_bytes(), Path::new("t.csv"), grouping).unwrap();
        let groups: Vec<_> = a
            .iter()
            .map(|a| (a.group.as_str(), a.held_out_group.as_deref()))
            .collect();
        assert_eq!(groups, [("b1", Some("bbc")), ("w1", Some("web"))]);
        let plain = parse(csv).unwrap();
        assert_eq!(plain[0].group, "a");
        assert_eq!(plain[0].held_out_group, None);
        let missing = Grouping {
            held_out: Some("publisher"),
            ..Grouping::default()
        };
        let e = parse_labelled(csv.as_bytes(), Path::new("t.csv"), missing).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("t.csv:1: the header has no `publisher` column"),
            "{e}"
        );
    }

    #[test]
    fn groups_and_orders_articles() {
        let a = parse("article_id,position,text,label\nb,1,two,news\na,0,x,ad\nb,0,one,related\n")
            .unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].id, "b");
        assert_eq!(a[0].texts, ["one", "two"]);
        assert_eq!(a[0].labels, ["related", "news"]);
    }

    #[test]
    fn rows_without_article_id_are_their_own_articles() {
        let a = parse("text,label\n\"a, quoted\nnewline\",news\nb,ad\n").unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].texts[0], "a, quoted\nnewline");
    }

    #[test]
    fn errors_name_line_and_problem() {
        let e = parse("text,label\na,news\nb,\n").unwrap_err().to_string();
        assert_eq!(e, "t.csv:3: the `label` field is empty");
        let e = parse("text,lbl\na,news\n").unwrap_err().to_string();
        assert!(
            e.contains("t.csv:1: the header has no `label` column"),
            "{e}"
        );
        let e = parse("text,label\na,news\nb,News\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("t.csv:3: label \"News\" differs only in case"),
            "{e}"
        );
        let e = parse("article_id,position,text,label\na,0,x,news\na,0,y,ad\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("t.csv:3: article \"a\" has position 0 twice (first at line 2)"),
            "{e}"
        );
        let e = parse("article_id,position,text,label\na,x,x,news\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("t.csv:2: bad `position` value \"x\""), "{e}");
        let e = parse("text,label\na,news,extra\n").unwrap_err().to_string();
        assert!(e.contains("t.csv:2") && e.contains("3 fields"), "{e}");
        assert!(matches!(parse(""), Err(Error::Empty(_))));
        assert!(matches!(parse("text,label\n"), Err(Error::Empty(_))));
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let e = parse_labelled(
            b"text,label\nok,news\nbad\xff,ad\n",
            Path::new("t.csv"),
            Grouping::default(),
        )
        .unwrap_err();
        assert!(
            matches!(e, Error::NotUtf8(ref at, _) if at.line == Some(3)),
            "{e}"
        );
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let a = parse("\u{feff}text,label\r\na,news\r\nb,ad\r\n").unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a[1].labels[0], "ad");
    }

    #[test]
    fn lines_are_right_whatever_the_line_ends() {
        for end in ["\n", "\r\n", "\r"] {
            let csv = ["text,label", "a,news", "\"b", "b\",ad", "c,ad,x", ""].join(end);
            let e = parse(&csv).unwrap_err();
            assert!(
                matches!(e, Error::Csv(ref at, _) if at.line == Some(5)),
                "{end:?}: {e}"
            );
            let csv = ["text,label", "a,news", "b,ad", "c,", ""].join(end);
            let e = parse(&csv).unwrap_err();
            assert_eq!(
                e.to_string(),
                "t.csv:4: the `label` field is empty",
                "{end:?}"
            );
        }
    }

    #[test]
    fn labels_are_normalised_or_refused() {
        let a = parse("text,label\na,news\nb,\" news\u{200b}\"\nc,\u{feff}news\nd,cafe\u{301}\n")
            .unwrap();
        let labels: Vec<&str> = a.iter().map(|a| a.labels[0].as_str()).collect();
        assert_eq!(labels, ["news", "news", "news", "caf\u{e9}"]);
        let e = parse("text,label\na,news\nb,ne\u{200b}ws\n").unwrap_err();
        assert!(
            matches!(e, Error::BadField { ref at, ref column, .. } if at.line == Some(3) && column == "label"),
            "{e}"
        );
        assert!(e.to_string().contains("U+200B"), "{e}");
        let e = parse("text,label\na,\u{200b}\n").unwrap_err();
        assert!(matches!(e, Error::EmptyField { .. }), "{e}");
    }

    #[test]
    fn a_row_past_the_cap_is_refused_with_its_line() {
        let csv = format!("text,label\na,news\n{},ad\n", "x".repeat(100));
        let e = parse_labelled_with(csv.as_bytes(), Path::new("t.csv"), Grouping::default(), 50)
            .unwrap_err();
        assert!(
            matches!(e, Error::RecordTooLarge { ref at, limit: 50 } if at.line == Some(3)),
            "{e}"
        );
    }
}
