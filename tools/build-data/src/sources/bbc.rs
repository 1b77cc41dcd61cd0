//! Reads the BBC News corpus (`raw/bbc-news/<topic>/*.txt`).

use super::Patterns;
use crate::article::{news, Article, Lang, BBC, BBC_SITE};
use crate::text::{collapse_ws, read_text, sorted_entries, unescape_html};
use std::path::Path;

/// BBC paragraphs often hold several of the site's one-sentence paragraphs. Where a sentence
/// starts with a related-link cue word ("Read said ...", "Following the ...", "Listen to ..."),
/// it is split off into its own paragraph, so that real news paragraphs starting with those words
/// exist in the corpus (they are rare otherwise).
fn split_at_cue_sentences(text: &str, pat: &Patterns) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    for caps in pat.cue_sentence.captures_iter(text) {
        let (Some(punct), Some(word)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        let left = text[start..punct.end()].trim();
        if left.len() >= 40 {
            out.push(left.to_string());
            start = word.start();
        }
    }
    out.push(text[start..].trim().to_string());
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

/// The BBC articles, `bbc-en-<topic>-<n>`; `splits` counts the paragraphs split at a cue word.
pub fn load(raw: &Path, pat: &Patterns, splits: &mut usize) -> Result<Vec<Article>, String> {
    let dir = raw.join("bbc-news");
    let mut out = Vec::new();
    for cat in sorted_entries(&dir)? {
        if !cat.is_dir() {
            continue;
        }
        let topic = cat
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        for file in sorted_entries(&cat)? {
            if file.extension().and_then(|s| s.to_str()) != Some("txt") {
                continue;
            }
            let stem = file
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let text = read_text(&file)?.replace('\r', "");
            let mut blocks: Vec<String> = Vec::new();
            let mut current = String::new();
            for line in text.lines() {
                if line.trim().is_empty() {
                    if !current.is_empty() {
                        blocks.push(std::mem::take(&mut current));
                    }
                } else {
                    current.push(' ');
                    current.push_str(line);
                }
            }
            if !current.is_empty() {
                blocks.push(current);
            }
            let mut blocks = blocks.into_iter().map(|b| collapse_ws(&unescape_html(&b)));
            let Some(headline) = blocks.next() else {
                continue;
            };
            let mut paras = vec![news(headline)];
            for b in blocks {
                let parts = split_at_cue_sentences(&b, pat);
                *splits += parts.len() - 1;
                paras.extend(parts.into_iter().map(news));
            }
            if paras.len() < 2 {
                continue;
            }
            let hard = pat.is_hard(&paras);
            out.push(Article {
                id: format!("bbc-en-{topic}-{stem}"),
                source: BBC,
                site: BBC_SITE.to_string(),
                lang: Lang::En,
                paras,
                hard,
                page: None,
            });
        }
    }
    Ok(out)
}
