//! The rows of `train.csv`: one label per woven or generated text (conflicts resolved), and the
//! CSV writer.

use crate::article::{Article, Label, Lang, Origin, Para};
use crate::stats::Summary;
use crate::templates::templates;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The header of `train.csv` and `articles-labels.csv`.
pub const HEADER: [&str; 8] = [
    "article_id",
    "position",
    "text",
    "label",
    "source",
    "site",
    "lang",
    "origin",
];

/// Rows of one article as written.
pub struct Row<'a> {
    pub article: &'a str,
    pub source: &'static str,
    pub site: &'a str,
    pub lang: Lang,
    pub text: String,
    pub label: Label,
    pub origin: Origin,
}

/// The rows of the woven articles, in their order. Real rows are kept as they are, even where
/// the same text carries another label elsewhere (a headline is `news` on its own page and
/// `related` under another story: the pages are labelled by reading each line in its place);
/// such texts are counted in `summary`. A woven or generated row whose text ended up under a
/// label its real rows do not carry, or under two labels among woven and generated rows only,
/// would be dropped (keeping the label most rows carry, ties: news first) and counted; the
/// weaver's checks leave none. A forbidden text is an error.
pub fn resolve<'a>(
    woven: &[(usize, Vec<Para>)],
    all: &'a [Article],
    summary: &mut Summary,
) -> Result<Vec<Row<'a>>, String> {
    let mut labels_of: BTreeMap<&str, BTreeMap<Label, usize>> = BTreeMap::new();
    let mut real_labels: BTreeMap<&str, BTreeSet<Label>> = BTreeMap::new();
    for (_, paras) in woven {
        for p in paras {
            *labels_of
                .entry(p.text.as_str())
                .or_default()
                .entry(p.label)
                .or_default() += 1;
            if p.origin == Origin::Real {
                real_labels
                    .entry(p.text.as_str())
                    .or_default()
                    .insert(p.label);
            }
        }
    }
    // The labels a text may keep: its real rows' labels, else its most frequent one.
    let mut keep: BTreeMap<&str, BTreeSet<Label>> = BTreeMap::new();
    for (text, counts) in &labels_of {
        if counts.len() < 2 {
            continue;
        }
        if let Some(real) = real_labels.get(text) {
            if real.len() > 1 {
                summary.real_conflicts += 1;
            }
            if real.len() < counts.len() {
                summary.conflicts_resolved += 1;
            }
            keep.insert(text, real.clone());
        } else {
            let best = counts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(l, _)| *l)
                .unwrap_or(Label::News);
            summary.conflicts_resolved += 1;
            keep.insert(text, BTreeSet::from([best]));
        }
    }
    let mut rows: Vec<Row> = Vec::new();
    for (i, paras) in woven {
        let a = &all[*i];
        for p in paras {
            if keep
                .get(p.text.as_str())
                .is_some_and(|ls| !ls.contains(&p.label))
            {
                summary.conflict_rows_dropped += 1;
                continue;
            }
            rows.push(Row {
                article: &a.id,
                source: a.source,
                site: &a.site,
                lang: a.lang,
                text: p.text.clone(),
                label: p.label,
                origin: p.origin,
            });
        }
    }
    for r in &rows {
        if templates().forbidden.contains(&r.text.as_str()) {
            return Err(format!("forbidden text in train: {:?}", r.text));
        }
    }
    Ok(rows)
}

/// One row to write, borrowed.
#[derive(Clone, Copy)]
pub struct CsvRow<'a> {
    pub article: &'a str,
    pub text: &'a str,
    pub label: Label,
    pub source: &'static str,
    pub site: &'a str,
    pub lang: Lang,
    pub origin: Origin,
}

impl<'a> CsvRow<'a> {
    /// The row of paragraph `p` of article `a`.
    pub fn of(a: &'a Article, p: &'a Para) -> CsvRow<'a> {
        CsvRow {
            article: &a.id,
            text: &p.text,
            label: p.label,
            source: a.source,
            site: &a.site,
            lang: a.lang,
            origin: p.origin,
        }
    }

    /// The row of `r`.
    pub fn from_row(r: &'a Row<'a>) -> CsvRow<'a> {
        CsvRow {
            article: r.article,
            text: &r.text,
            label: r.label,
            source: r.source,
            site: r.site,
            lang: r.lang,
            origin: r.origin,
        }
    }
}

/// Writes the rows under [`HEADER`], `position` counted per article.
pub fn write_csv<'a>(
    path: &Path,
    rows: impl Iterator<Item = &'a CsvRow<'a>>,
) -> Result<(), String> {
    let err = |e: csv::Error| format!("{}: {e}", path.display());
    let mut w = csv::Writer::from_path(path).map_err(err)?;
    w.write_record(HEADER).map_err(err)?;
    let mut last = "";
    let mut pos = 0usize;
    for r in rows {
        if r.article != last {
            pos = 0;
            last = r.article;
        }
        w.write_record([
            r.article,
            &pos.to_string(),
            r.text,
            r.label.as_str(),
            r.source,
            r.site,
            r.lang.code(),
            r.origin.as_str(),
        ])
        .map_err(err)?;
        pos += 1;
    }
    w.flush().map_err(|e| format!("{}: {e}", path.display()))
}
