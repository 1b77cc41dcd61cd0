//! The rows of `train.csv`: one label per text (conflicts resolved), and the CSV writer.

use crate::article::{Article, Label, Lang, Para};
use crate::stats::Summary;
use crate::templates::templates;
use std::collections::BTreeMap;
use std::path::Path;

/// Rows of one article as written.
pub struct Row<'a> {
    pub article: &'a str,
    pub source: &'static str,
    pub lang: Lang,
    pub text: String,
    pub label: Label,
}

/// The rows of the woven articles, in their order. A text that ended up under two labels keeps
/// the label most of its rows carry (ties: news first); its other rows are dropped (counted in
/// `summary`). A forbidden text is an error.
pub fn resolve<'a>(
    woven: &[(usize, Vec<Para>)],
    all: &'a [Article],
    summary: &mut Summary,
) -> Result<Vec<Row<'a>>, String> {
    let mut labels_of: BTreeMap<&str, BTreeMap<Label, usize>> = BTreeMap::new();
    for (_, paras) in woven {
        for p in paras {
            *labels_of
                .entry(p.text.as_str())
                .or_default()
                .entry(p.label)
                .or_default() += 1;
        }
    }
    let mut keep_label: BTreeMap<String, Label> = BTreeMap::new();
    for (text, counts) in &labels_of {
        if counts.len() > 1 {
            let best = counts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(l, _)| *l)
                .unwrap_or(Label::News);
            keep_label.insert(text.to_string(), best);
        }
    }
    summary.conflicts_resolved = keep_label.len();
    let mut rows: Vec<Row> = Vec::new();
    for (i, paras) in woven {
        let a = &all[*i];
        for p in paras {
            if keep_label.get(&p.text).is_some_and(|l| *l != p.label) {
                summary.conflict_rows_dropped += 1;
                continue;
            }
            rows.push(Row {
                article: &a.id,
                source: a.source,
                lang: a.lang,
                text: p.text.clone(),
                label: p.label,
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

/// Writes `article_id,position,text,label,source` rows, `position` counted per article.
pub fn write_csv<'a>(
    path: &Path,
    rows: impl Iterator<Item = (&'a str, &'a str, Label, &'static str)>,
) -> Result<(), String> {
    let err = |e: csv::Error| format!("{}: {e}", path.display());
    let mut w = csv::Writer::from_path(path).map_err(err)?;
    w.write_record(["article_id", "position", "text", "label", "source"])
        .map_err(err)?;
    let mut last = "";
    let mut pos = 0usize;
    for (article, text, label, source) in rows {
        if article != last {
            pos = 0;
            last = article;
        }
        w.write_record([article, &pos.to_string(), text, label.as_str(), source])
            .map_err(err)?;
        pos += 1;
    }
    w.flush().map_err(|e| format!("{}: {e}", path.display()))
}
