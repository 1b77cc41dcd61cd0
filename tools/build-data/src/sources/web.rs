//! Reads Mozilla Readability's test pages (`raw/readability-testpages/`) with their paragraph labels.

use super::Patterns;
use crate::article::{news, para, Article, Label, Lang, WEB};
use crate::text::{collapse_ws, html_text, read_text, unescape_html};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The pages marked `yes` in `pages.tsv`, `web-<lang>-<page>`.
pub fn load(raw: &Path, pat: &Patterns) -> Result<Vec<Article>, String> {
    let dir = raw.join("readability-testpages");
    // A paragraph is what lies between `<p>` and the next `</p>`, as written. An HTML parser's
    // tree (scraper) would close the `<p>` at a block element, and lose two lines of the corpus:
    // `<p><h4>$150K Pearl Oscar Dress ... STOLEN!!!!</h4></p>` (tmz-1) and a `<figcaption>`
    // inside a `<p>` (theverge). Inside a paragraph, html5ever's tokenizer reads the text.
    let p_re = Regex::new(r"(?s)<p\b[^>]*>(.*?)</p>").expect("static regex");
    let labels_path = dir.join("paragraph-labels.tsv");
    let mut labels: BTreeMap<(String, String), Label> = BTreeMap::new();
    for (n, line) in read_text(&labels_path)?.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.splitn(3, '\t').collect();
        let label = f.get(1).and_then(|l| Label::parse(l));
        match (f.len(), label) {
            (3, Some(label)) => {
                labels.insert((f[0].to_string(), f[2].to_string()), label);
            }
            _ => return Err(format!("{}:{}: bad line", labels_path.display(), n + 1)),
        }
    }
    let mut used: BTreeSet<(String, String)> = BTreeSet::new();
    let pages_path = dir.join("pages.tsv");
    let mut out = Vec::new();
    for (n, line) in read_text(&pages_path)?.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let bad = || format!("{}:{}: bad line", pages_path.display(), n + 1);
        if f.len() < 4 {
            return Err(bad());
        }
        let (page, lang) = (f[0], Lang::parse(f[1]).ok_or_else(bad)?);
        if f[2] != "yes" {
            continue;
        }
        let page_dir = dir.join(page);
        let meta: serde_json::Value =
            serde_json::from_str(&read_text(&page_dir.join("expected-metadata.json"))?)
                .map_err(|e| format!("{}/expected-metadata.json: {e}", page_dir.display()))?;
        let title = if f[3] == "-" {
            collapse_ws(&unescape_html(meta["title"].as_str().unwrap_or_default()))
        } else {
            f[3].to_string()
        };
        if title.is_empty() {
            return Err(format!("{page}: no title"));
        }
        let html = read_text(&page_dir.join("expected.html"))?;
        let mut paras = vec![news(title)];
        for cap in p_re.captures_iter(&html) {
            let text = collapse_ws(&html_text(&cap[1]));
            if text.is_empty() {
                continue;
            }
            let key = (page.to_string(), text.clone());
            let label = labels.get(&key).copied().unwrap_or(Label::News);
            if label != Label::News {
                used.insert(key);
            }
            paras.push(para(text, label));
        }
        let hard = pat.is_hard(&paras);
        out.push(Article {
            id: format!("web-{}-{page}", lang.code()),
            source: WEB,
            lang,
            paras,
            hard,
            topic: String::new(),
        });
    }
    if let Some((page, text)) = labels.keys().find(|k| !used.contains(*k)) {
        return Err(format!(
            "{}: {page}: no paragraph {text:?}",
            labels_path.display()
        ));
    }
    Ok(out)
}
