//! Reads the real pages (`raw/pages/<collection>/pages.jsonl`, trafilatura's output of saved
//! HTML) with their pass-a labels (`raw/pages/labels/a/<collection>/<short>.tsv`).
//!
//! Every English or Spanish page with a pass-a label file becomes an article of source `pages`,
//! `pages-<lang>-<collection>-<short>`, its paragraphs and labels exactly as they are: the text
//! as the extractor returned it (not even whitespace is touched), every label as the annotator
//! read it in its place. Pass b (`labels/b/`) is a second reading of a few pages for the
//! agreement figures and is not read here.

use super::Patterns;
use crate::article::{real, Article, Label, Lang, PageInfo, PAGES};
use crate::text::{read_text, sorted_entries};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Deserialize)]
struct PageLine {
    page_id: String,
    site: Option<String>,
    lang: Option<String>,
    repo: String,
    path: String,
    paragraphs: Vec<String>,
}

/// What the loader skipped, for the statistics.
#[derive(Default, Debug, Clone)]
pub struct PagesRead {
    /// Pages in other languages than English and Spanish (not labelled).
    pub other_lang: usize,
    /// English or Spanish pages without a pass-a label file.
    pub unlabelled: usize,
}

/// The labels of one label file, checked against the page's paragraph count.
fn read_labels(path: &Path, n: usize) -> Result<Vec<Label>, String> {
    let text = read_text(path)?;
    let mut out = Vec::with_capacity(n);
    for (i, line) in text.lines().enumerate() {
        let bad = |what: &str| format!("{}:{}: {what}", path.display(), i + 1);
        let (index, label) = line
            .split_once('\t')
            .ok_or_else(|| bad("expected `index<TAB>label`"))?;
        if index != i.to_string() {
            return Err(bad(&format!("index {index:?}, expected {i}")));
        }
        out.push(Label::parse(label).ok_or_else(|| bad(&format!("unknown label {label:?}")))?);
    }
    if out.len() != n {
        return Err(format!(
            "{}: {} labels for {n} paragraphs",
            path.display(),
            out.len()
        ));
    }
    Ok(out)
}

/// The labelled English and Spanish pages, in collection and page-id order.
pub fn load(raw: &Path, pat: &Patterns, read: &mut PagesRead) -> Result<Vec<Article>, String> {
    let dir = raw.join("pages");
    let labels_dir = dir.join("labels/a");
    let mut out = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for coll_dir in sorted_entries(&dir)? {
        let jsonl = coll_dir.join("pages.jsonl");
        if !jsonl.is_file() {
            continue;
        }
        for (n, line) in read_text(&jsonl)?.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let at = || format!("{}:{}", jsonl.display(), n + 1);
            let p: PageLine = serde_json::from_str(line).map_err(|e| format!("{}: {e}", at()))?;
            let Some((coll, short)) = p.page_id.split_once('/') else {
                return Err(format!("{}: page_id {:?}", at(), p.page_id));
            };
            let Some(lang) = p.lang.as_deref().and_then(Lang::parse) else {
                read.other_lang += 1;
                continue;
            };
            let label_path = labels_dir.join(coll).join(format!("{short}.tsv"));
            if !label_path.is_file() {
                read.unlabelled += 1;
                continue;
            }
            seen.insert(p.page_id.clone());
            let site = p
                .site
                .filter(|s| !s.is_empty())
                .ok_or_else(|| format!("{}: {} has no site", at(), p.page_id))?;
            for (i, t) in p.paragraphs.iter().enumerate() {
                if t.is_empty() || t.trim() != t || t.contains(['\n', '\r']) {
                    return Err(format!("{}: {} paragraph {i}: {t:?}", at(), p.page_id));
                }
            }
            let labels = read_labels(&label_path, p.paragraphs.len())?;
            let paras: Vec<_> = p
                .paragraphs
                .into_iter()
                .zip(labels)
                .map(|(t, l)| real(t, l))
                .collect();
            let hard = pat.is_hard(&paras);
            out.push(Article {
                id: format!("{PAGES}-{}-{coll}-{short}", lang.code()),
                source: PAGES,
                site,
                lang,
                paras,
                hard,
                page: Some(PageInfo {
                    collection: coll.to_string(),
                    repo: p.repo,
                    path: p.path,
                }),
            });
        }
    }
    // A label file of no labelled page is a stale one (a renamed or dropped page).
    for coll_dir in sorted_entries(&labels_dir)? {
        let coll = coll_dir
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        for f in sorted_entries(&coll_dir)? {
            let Some(short) = f.file_name().and_then(|s| s.to_str()) else {
                continue;
            };
            let Some(short) = short.strip_suffix(".tsv") else {
                continue;
            };
            if !seen.contains(&format!("{coll}/{short}")) {
                return Err(format!("{}: no such English or Spanish page", f.display()));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_files_are_checked_line_by_line() {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let path = dir.path().join("x.tsv");
        std::fs::write(&path, "0\tnews\n1\tboilerplate\n").expect("write");
        assert_eq!(
            read_labels(&path, 2).expect("labels"),
            [Label::News, Label::Boilerplate]
        );
        assert!(read_labels(&path, 3)
            .unwrap_err()
            .contains("2 labels for 3"));
        std::fs::write(&path, "0\tnews\n2\tad\n").expect("write");
        assert!(read_labels(&path, 2).unwrap_err().contains("index \"2\""));
        std::fs::write(&path, "0\tNews\n").expect("write");
        assert!(read_labels(&path, 1).unwrap_err().contains("unknown label"));
    }
}
