//! The readers of the raw corpora and of the real pages (one module each) and what they share:
//! the hard-negative patterns, duplicate removal and the typographic quotes of a share of the
//! corpus articles.

pub mod bbc;
pub mod pages;
pub mod reuters;
pub mod spanish;

use crate::article::{has_smart_quotes, Article, Label, Para};
use crate::text::smart_quotes;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What [`load_all`] read besides the articles.
#[derive(Default, Debug, Clone)]
pub struct Loaded {
    /// BBC paragraphs split at a sentence starting with a cue word.
    pub cue_splits: usize,
    /// Pages skipped by the pages reader.
    pub pages: pages::PagesRead,
}

/// Loads every source in a fixed order, drops duplicate articles (counted per source in
/// `duplicates`) and gives a hash-chosen share of the corpus articles typographic quotes.
pub fn load_all(
    raw: &Path,
    pat: &Patterns,
    duplicates: &mut BTreeMap<&'static str, usize>,
) -> Result<(Vec<Article>, Loaded), String> {
    let mut loaded = Loaded::default();
    let mut all = bbc::load(raw, pat, &mut loaded.cue_splits)?;
    all.extend(reuters::load(raw, pat)?);
    all.extend(spanish::load(raw, pat)?);
    all.extend(pages::load(raw, pat, &mut loaded.pages)?);
    let mut all = dedupe(all, duplicates);
    for a in &mut all {
        if has_smart_quotes(a) {
            for p in a.paras.iter_mut().filter(|p| p.label == Label::News) {
                p.text = smart_quotes(&p.text);
            }
        }
    }
    Ok((all, loaded))
}

/// Regexes shared by the loaders.
pub struct Patterns {
    /// About gambling, casinos, betting or lotteries.
    pub gambling: Regex,
    /// Starts with a related-link cue word.
    pub cue_start: Regex,
    /// A sentence boundary followed by an English cue word (BBC paragraphs are split there).
    pub cue_sentence: Regex,
}

impl Default for Patterns {
    fn default() -> Patterns {
        Patterns::new()
    }
}

impl Patterns {
    pub fn new() -> Patterns {
        Patterns {
            gambling: Regex::new(
                r"(?i)casino|gambl|gaming|lotter|bookmaker|bookies|wager|betting|jackpot|slot machine|punters",
            )
            .expect("static regex"),
            cue_start: Regex::new(
                r#"^["“]?(Read|Reading|See|Seen|Seeing|Follow|Following|Watch|Listen|Related|Lee|Leer|Lea|Sigue|Siga|Mira|Ver)\b"#,
            )
            .expect("static regex"),
            cue_sentence: Regex::new(
                r#"([.!?]["”’]?) ((?:Read|Reading|See|Seeing|Follow|Following|Watch|Listen)\b)"#,
            )
            .expect("static regex"),
        }
    }

    pub fn is_hard(&self, paras: &[Para]) -> bool {
        paras.iter().any(|p| self.gambling.is_match(&p.text))
            || paras
                .iter()
                .skip(1)
                .any(|p| self.cue_start.is_match(&p.text))
    }
}

/// Drops articles whose paragraphs repeat an earlier article's (the BBC and Reuters sets hold
/// some stories twice), counting them per source.
pub fn dedupe(articles: Vec<Article>, counts: &mut BTreeMap<&'static str, usize>) -> Vec<Article> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for a in articles {
        let key: String = a
            .paras
            .iter()
            .skip(1)
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        if seen.insert(key) {
            out.push(a);
        } else {
            *counts.entry(a.source).or_default() += 1;
        }
    }
    out
}
