//! Labelled CSVs in the training schema: `text` and `label` required; `article_id` and
//! `position` used when present (rows are grouped into articles and ordered); any other column
//! can name the fold group or the groups held out to choose the keep threshold. Every problem
//! names the file and line.

use std::path::Path;

use rustc_hash::FxHashMap;

use crate::error::{Error, Location, Result};
use crate::train::LabelledArticle;

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

/// Reads a labelled CSV into articles, in order of first appearance. Rows without an
/// `article_id` column are articles of one paragraph each.
pub fn read_labelled(path: &Path, grouping: Grouping) -> Result<Vec<LabelledArticle>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_labelled(&bytes, path, grouping)
}

/// Parses the bytes of a labelled CSV; `path` is only used in messages.
pub fn parse_labelled(
    bytes: &[u8],
    path: &Path,
    grouping: Grouping,
) -> Result<Vec<LabelledArticle>> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty(Location::file(path)));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let headers = reader
        .byte_headers()
        .map_err(|e| csv_error(path, &e))?
        .clone();
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
            headers
                .iter()
                .map(|h| format!("`{h}`"))
                .collect::<Vec<_>>()
                .join(", ")
        },
    };
    let text_col = column("text").ok_or_else(|| missing("text"))?;
    let label_col = column("label").ok_or_else(|| missing("label"))?;
    let article_col = column("article_id");
    let position_col = column("position");
    let optional = |name: Option<&str>| match name {
        Some(name) => column(name).map(Some).ok_or_else(|| missing(name)),
        None => Ok(None),
    };
    let group_col = optional(grouping.folds)?;
    let held_out_col = optional(grouping.held_out)?;

    struct Pending {
        article: LabelledArticle,
        rows: Vec<(u64, u64, String, String)>, // (position, line, text, label)
    }
    let mut articles: Vec<Pending> = Vec::new();
    let mut by_id: FxHashMap<String, usize> = FxHashMap::default();
    let mut label_spelling: FxHashMap<String, (String, u64)> = FxHashMap::default();
    let mut record = csv::ByteRecord::new();
    let mut row_number = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, &e)),
        }
        row_number += 1;
        let line = record.position().map_or(row_number + 1, |p| p.line());
        let at = || Location::line(path, line);
        let field = |i: usize, name: &str| -> Result<String> {
            let raw = record.get(i).unwrap_or_default();
            std::str::from_utf8(raw).map(str::to_owned).map_err(|e| {
                Error::NotUtf8(
                    at(),
                    format!(" in the `{name}` field (byte {})", e.valid_up_to()),
                )
            })
        };
        let text = field(text_col, "text")?;
        let label = field(label_col, "label")?.trim().to_owned();
        if label.is_empty() {
            return Err(Error::EmptyField {
                at: at(),
                column: "label".into(),
            });
        }
        if text.trim().is_empty() {
            return Err(Error::EmptyField {
                at: at(),
                column: "text".into(),
            });
        }
        let folded = label.to_lowercase();
        match label_spelling.get(&folded) {
            Some((other, other_line)) if *other != label => {
                return Err(Error::LabelCase {
                    at: at(),
                    label,
                    other: other.clone(),
                    other_line: *other_line,
                })
            }
            Some(_) => {}
            None => {
                label_spelling.insert(folded, (label.clone(), line));
            }
        }
        let id = match article_col {
            Some(c) => {
                let id = field(c, "article_id")?;
                if id.trim().is_empty() {
                    return Err(Error::EmptyField {
                        at: at(),
                        column: "article_id".into(),
                    });
                }
                id
            }
            None => format!("row-{row_number}"),
        };
        let position = match position_col {
            Some(c) => {
                let raw = field(c, "position")?;
                raw.trim().parse::<u64>().map_err(|e| Error::BadField {
                    at: at(),
                    column: "position".into(),
                    value: raw.clone(),
                    problem: format!("{e}; positions are whole numbers counting from 0"),
                })?
            }
            None => u64::MAX,
        };
        let group = match group_col {
            Some(c) => field(c, grouping.folds.unwrap_or_default())?,
            None => id.clone(),
        };
        let held_out_group = match held_out_col {
            Some(c) => Some(field(c, grouping.held_out.unwrap_or_default())?),
            None => None,
        };
        let slot = *by_id.entry(id.clone()).or_insert_with(|| {
            articles.push(Pending {
                article: LabelledArticle {
                    id: id.clone(),
                    group: group.clone(),
                    held_out_group: held_out_group.clone(),
                    texts: Vec::new(),
                    labels: Vec::new(),
                },
                rows: Vec::new(),
            });
            articles.len() - 1
        });
        articles[slot]
            .rows
            .push((position, line, text.trim().to_owned(), label));
    }
    if articles.is_empty() {
        return Err(Error::Empty(Location::file(path)));
    }
    articles
        .into_iter()
        .map(|mut p| {
            if position_col.is_some() {
                p.rows.sort_by_key(|r| r.0);
                for pair in p.rows.windows(2) {
                    if pair[0].0 == pair[1].0 {
                        let (first, second) = if pair[0].1 < pair[1].1 {
                            (&pair[0], &pair[1])
                        } else {
                            (&pair[1], &pair[0])
                        };
                        return Err(Error::DuplicatePosition {
                            at: Location::line(path, second.1),
                            article: p.article.id.clone(),
                            position: second.0,
                            first_line: first.1,
                        });
                    }
                }
            }
            for (_, _, text, label) in p.rows {
                p.article.texts.push(text);
                p.article.labels.push(label);
            }
            Ok(p.article)
        })
        .collect()
}

fn csv_error(path: &Path, e: &csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    let at = match line {
        Some(l) => Location::line(path, l),
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
}
