//! Builds chaff's labelled paragraph corpus from the raw inputs in `data/raw/`.
//!
//! ```text
//! cargo run --release --example build_data            # data/raw -> data/
//! cargo run --release --example build_data -- --raw DIR --out DIR [--seed N]
//! ```
//!
//! Output, all deterministic (a fixed [`SEED`], sorted inputs, no hash-map order); `--seed`
//! draws another corpus from the same inputs, to see how much a measurement owes to the draw:
//! - `train.csv`: `article_id,position,text,label,source`, one row per paragraph, articles whole
//!   and in order, `position` from 0;
//! - `articles/*.txt` and `articles-labels.csv`: about 20 scraper-shaped sample articles whose
//!   source articles are held out of `train.csv`;
//! - `STATS.md`: the counts, also spliced into `README.md` between the `BEGIN STATS` / `END STATS`
//!   markers when `README.md` exists in the output folder.
//!
//! The spine is real news (BBC, Reuters-21578, the Spanish Fake News Corpus, Mozilla Readability's
//! test pages), each article starting with its own headline. Related-link inserts are woven in
//! between paragraphs from real headlines of *other* articles behind many lead-ins (or none), and
//! gambling ad blocks from real affiliate copy plus generated widget lines. About 9% of the
//! articles also get one synthetic body sentence starting with a related-link cue word ("Read
//! the full judgment ...", "Sigue abierta la investigación ...", labelled `news`), so that a cue
//! word alone does not mean `related` ([`add_body_cues`]). See `data/README.md`.
//!
//! The file is also compiled into `tests/data.rs` (`#[path]`), which rebuilds into a temporary
//! folder through [`build`] and compares the bytes with the committed corpus.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The seed every random choice derives from (`--seed` replaces it).
pub const SEED: u64 = 0x0063_6861_6666_2102;

/// Reuters articles are added (hard negatives first, then in seeded random order) until the
/// Reuters `news` rows reach this many, so that Reuters does not dwarf the other sources.
const REUTERS_NEWS_ROWS: usize = 15_500;
/// `Fake` items of the Spanish corpus kept out of the articles and used only for their
/// headlines, which can then stand alone as bare related inserts without ever being `news`.
const ES_HEADLINE_DONORS: usize = 110;
/// Longest headline, in characters, that an insert may quote. The longest real headline of the
/// corpora has 151; the 25 longer first lines (193 to 678 characters, all Spanish) are a headline
/// run into the article's first paragraph with no line break in the raw text, which no site
/// would print as a related link.
const MAX_INSERT_HEADLINE_CHARS: usize = 160;
/// Probability that an article gets an ad block.
const P_AD_BLOCK: f64 = 0.40;
/// Probability that an article with an end ad block also gets one in the middle.
const P_SECOND_AD_BLOCK: f64 = 0.05;

/// Lines that must never be emitted: the seed article's inserts and ads, DESIGN.md's hard cases
/// and the CLI hard-case tests' body lines are test data (tests/data.rs checks the whole seed
/// article too, and [`TEST_LINE_SHAPES`] keeps generated body sentences away from their shapes).
const FORBIDDEN: &[&str] = &[
    "The Best Online Bookmakers February 22 2024",
    "BetMGM Casino",
    "Follow live the latest news on the war in Ukraine.",
    "Read the full statement here.",
    "Read the full statement here",
    "Read the full report on the council's website.",
    "See the table below for the full results by district.",
    "Follow the instructions on the form before sending it back to the council.",
];

/// The three labels, in the order the CSV and the statistics list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Label {
    News,
    Related,
    Ad,
}

impl Label {
    pub const ALL: [Label; 3] = [Label::News, Label::Related, Label::Ad];

    pub fn as_str(self) -> &'static str {
        match self {
            Label::News => "news",
            Label::Related => "related",
            Label::Ad => "ad",
        }
    }

    fn parse(s: &str) -> Option<Label> {
        match s {
            "news" => Some(Label::News),
            "related" => Some(Label::Related),
            "ad" => Some(Label::Ad),
            _ => None,
        }
    }
}

/// Article language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lang {
    En,
    Es,
    Pt,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Pt => "pt",
        }
    }

    fn parse(s: &str) -> Option<Lang> {
        match s {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            "pt" => Some(Lang::Pt),
            _ => None,
        }
    }
}

/// What one build produced, with the numbers `STATS.md` reports.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// The seed of the draw.
    pub seed: u64,
    /// Rows in `train.csv`.
    pub rows: usize,
    /// Articles in `train.csv`.
    pub articles: usize,
    /// Sample articles written to `articles/`.
    pub samples: usize,
    /// Rows per label.
    pub rows_by_label: BTreeMap<&'static str, usize>,
    /// Rows per (source, label).
    pub rows_by_source_label: BTreeMap<(&'static str, &'static str), usize>,
    /// Rows per (language, label).
    pub rows_by_lang_label: BTreeMap<(&'static str, &'static str), usize>,
    /// Articles per (source, language).
    pub articles_by_source_lang: BTreeMap<(&'static str, &'static str), usize>,
    /// Articles dropped because an earlier article had the same paragraphs, per source.
    pub duplicate_articles: BTreeMap<&'static str, usize>,
    /// Generated insert or ad lines drawn again because the text was already `news` somewhere,
    /// already used under another label, or forbidden.
    pub redrawn: usize,
    /// Texts found under two labels in the final rows and resolved (rows dropped).
    pub conflicts_resolved: usize,
    /// Rows dropped while resolving those conflicts.
    pub conflict_rows_dropped: usize,
    /// The generated `STATS.md`.
    pub stats_md: String,
}

// ---------------------------------------------------------------------------------------------
// Articles as loaded from the raw inputs
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Para {
    text: String,
    label: Label,
}

#[derive(Clone, Debug)]
struct Article {
    id: String,
    source: &'static str,
    lang: Lang,
    /// `paras[0]` is the headline (`news`); natural inserts or ads in the raw text carry their
    /// hand-checked labels.
    paras: Vec<Para>,
    /// About gambling, casinos, betting or lotteries, or has a paragraph starting with a
    /// related-link cue word ("Read", "See", "Follow", ...): kept in train whatever the sampling.
    hard: bool,
    /// Topic folder, for the BBC (used to spread the samples).
    topic: String,
}

impl Article {
    fn headline(&self) -> &str {
        &self.paras[0].text
    }

    fn news_paras(&self) -> usize {
        self.paras.iter().filter(|p| p.label == Label::News).count()
    }

    fn body_len(&self) -> usize {
        self.paras.len() - 1
    }
}

fn para(text: String, label: Label) -> Para {
    Para { text, label }
}

fn news(text: String) -> Para {
    para(text, Label::News)
}

const BBC: &str = "bbc";
const REUTERS: &str = "reuters";
const ES_NEWS: &str = "es-news";
const ES_WEB: &str = "es-web";
const WEB: &str = "web";
const SOURCES: [&str; 5] = [BBC, REUTERS, ES_NEWS, ES_WEB, WEB];

fn read_text(path: &Path) -> Result<String, String> {
    let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| format!("{}: not UTF-8: {e}", path.display()))
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        out.push(entry.map_err(|e| format!("{}: {e}", dir.display()))?.path());
    }
    out.sort();
    Ok(out)
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes the HTML entities that occur in the inputs (named ones used by the pages, and all
/// numeric ones).
fn unescape_html(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ if name.starts_with("#x") || name.starts_with("#X") => {
                    u32::from_str_radix(&name[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// 64-bit FNV-1a, to derive per-string seeds.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Regexes shared by the loaders.
struct Patterns {
    gambling: Regex,
    cue_start: Regex,
    cue_sentence: Regex,
}

impl Patterns {
    fn new() -> Patterns {
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

    fn is_hard(&self, paras: &[Para]) -> bool {
        paras.iter().any(|p| self.gambling.is_match(&p.text))
            || paras[1..].iter().any(|p| self.cue_start.is_match(&p.text))
    }
}

/// Typographic quotes, as many sites print them: `"` becomes “ or ”, `'` becomes ‘ or ’ (an
/// apostrophe between letters is ’).
fn smart_quotes(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        let opening = prev.is_none_or(|p| p.is_whitespace() || "([{-—/".contains(p));
        match c {
            '"' => out.push(if opening { '“' } else { '”' }),
            '\'' => {
                let inner = prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric);
                out.push(if opening && !inner { '‘' } else { '’' });
            }
            _ => out.push(c),
        }
    }
    out
}

/// Share of BBC, Reuters and Spanish articles (in percent, chosen by a hash of the id) whose text
/// gets typographic quotes. The corpora print straight quotes; scraped pages (the seed article
/// among them) mostly print curly ones, and inserts come from both kinds of source, so without
/// this a quote's shape would say more about the source than about the label.
const SMART_QUOTES_PERCENT: u64 = 40;

// --- BBC ------------------------------------------------------------------------------------

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

fn load_bbc(raw: &Path, pat: &Patterns, splits: &mut usize) -> Result<Vec<Article>, String> {
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
                lang: Lang::En,
                paras,
                hard,
                topic: topic.clone(),
            });
        }
    }
    Ok(out)
}

// --- Reuters-21578 ----------------------------------------------------------------------------

fn clean_sgml(s: &str, ctrl: &Regex) -> String {
    ctrl.replace_all(s, "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// A Reuters paragraph laid out as a table (earnings "Shr 1.20 dlrs vs 1.10 dlrs" rows, column
/// layouts) rather than prose.
fn is_table_like(lines: &[&str], joined: &str) -> bool {
    let columns = lines.iter().any(|l| l.trim().contains("   "));
    let short_vs = joined.len() <= 90 && (joined.contains(" vs ") || joined.contains(" vs."));
    let letters = joined.chars().filter(|c| c.is_alphabetic()).count();
    let low_text = letters * 2 < joined.chars().count();
    columns || short_vs || low_text
}

fn load_reuters(raw: &Path, pat: &Patterns) -> Result<Vec<Article>, String> {
    let dir = raw.join("reuters21578");
    let doc_re = Regex::new(r"(?s)<REUTERS([^>]*)>(.*?)</REUTERS>").expect("static regex");
    let newid_re = Regex::new(r#"NEWID="(\d+)""#).expect("static regex");
    let title_re = Regex::new(r"(?s)<TITLE>(.*?)</TITLE>").expect("static regex");
    let dateline_re = Regex::new(r"(?s)<DATELINE>(.*?)</DATELINE>").expect("static regex");
    let body_re = Regex::new(r"(?s)<BODY>(.*?)</BODY>").expect("static regex");
    let signoff_re = Regex::new(r"(?i)\s*\breuters?\s*$").expect("static regex");
    let ctrl = Regex::new(r"&#\d+;").expect("static regex");
    let mut out = Vec::new();
    for file in sorted_entries(&dir)? {
        if file.extension().and_then(|s| s.to_str()) != Some("sgm") {
            continue;
        }
        let text = read_text(&file)?;
        for doc in doc_re.captures_iter(&text) {
            let (attrs, inner) = (&doc[1], &doc[2]);
            let Some(newid) = newid_re.captures(attrs).map(|c| c[1].to_string()) else {
                continue;
            };
            let (Some(title), Some(body)) = (title_re.captures(inner), body_re.captures(inner))
            else {
                continue;
            };
            let title = collapse_ws(&clean_sgml(&title[1], &ctrl));
            // The " Reuter" sign-off (the `&#3;` after it is gone with the control entities).
            let body = clean_sgml(&body[1], &ctrl);
            let body = signoff_re.replace(body.trim_end(), "").to_string();
            // Split: a paragraph starts on a line indented by 4 spaces.
            let mut groups: Vec<Vec<&str>> = Vec::new();
            for line in body.lines() {
                if line.trim().is_empty() {
                    continue;
                }
                if line.starts_with("    ") || groups.is_empty() {
                    groups.push(Vec::new());
                }
                if let Some(g) = groups.last_mut() {
                    g.push(line);
                }
            }
            let mut body_paras = Vec::new();
            let mut tables = 0;
            for g in &groups {
                let joined = collapse_ws(&g.join(" "));
                if joined.is_empty() {
                    continue;
                }
                if is_table_like(g, &joined) {
                    tables += 1;
                }
                body_paras.push(joined);
            }
            // A trailing lone "More" marks a story continued in another item.
            if body_paras.last().map(String::as_str) == Some("More") {
                body_paras.pop();
            }
            let chars: usize = body_paras.iter().map(String::len).sum();
            // Hard negatives are kept even when short (a one-paragraph casino item is still one).
            let hard = pat.gambling.is_match(&title)
                || body_paras
                    .iter()
                    .any(|p| pat.gambling.is_match(p) || pat.cue_start.is_match(p));
            if title.is_empty()
                || body_paras.is_empty()
                || (!hard && (body_paras.len() < 2 || chars < 200))
                || tables * 10 > body_paras.len() * 3
            {
                if hard && std::env::var_os("BUILD_DATA_DEBUG").is_some() {
                    eprintln!("skipped hard Reuters item {newid}: {title}");
                }
                continue;
            }
            let mut paras = vec![news(title)];
            if let Some(d) = dateline_re.captures(inner) {
                let d = collapse_ws(&clean_sgml(&d[1], &ctrl));
                let d = d
                    .trim_end_matches(|c: char| c == '-' || c.is_whitespace())
                    .to_string();
                if !d.is_empty() {
                    // Half the datelines stay their own short row, half open the first paragraph
                    // as on the wire ("TOKYO, March 26 - The ...").
                    if fnv1a(&newid).is_multiple_of(2) {
                        paras.push(news(d));
                    } else {
                        body_paras[0] = format!("{d} - {}", body_paras[0]);
                    }
                }
            }
            paras.extend(body_paras.into_iter().map(news));
            out.push(Article {
                id: format!("reuters-en-{newid:0>5}"),
                source: REUTERS,
                lang: Lang::En,
                paras,
                hard,
                topic: String::new(),
            });
        }
    }
    Ok(out)
}

/// Re-cases an ALL CAPS Reuters title, keeping tickers (`<AXP>`) and common acronyms.
fn recase_reuters(title: &str, sentence: bool) -> String {
    const KEEP: &[&str] = &[
        "U.S.", "US", "UK", "U.K.", "EC", "OPEC", "IMF", "GNP", "GDP", "CBT", "USDA", "NYSE",
        "FED", "S/P", "CME", "EMS", "OECD", "GATT", "IBM", "GM", "GE", "ITT", "LTV", "CSX", "RJR",
        "BP", "ICI", "AG", "SA", "NV", "PLC", "AT&T", "FDA", "SEC", "FTC", "ASA", "CD", "CDS",
        "TV", "BHP", "CRA", "LME", "ICO", "ICCO", "NZ", "EEC", "MITI", "NATO", "USSR", "FRG", "KG",
    ];
    const SMALL: &[&str] = &[
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "over",
        "the", "to", "vs", "with",
    ];
    let mut out = Vec::new();
    let mut in_ticker = false;
    for (i, word) in title.split(' ').enumerate() {
        if word.contains('<') {
            in_ticker = true;
        }
        if in_ticker {
            out.push(word.to_string());
            if word.contains('>') {
                in_ticker = false;
            }
            continue;
        }
        let bare = word.trim_matches(|c: char| c == ',' || c == ':' || c == ';');
        if KEEP.contains(&bare) || word.chars().any(|c| c.is_ascii_digit()) {
            out.push(word.to_string());
            continue;
        }
        let lower = word.to_lowercase();
        let capitalise = if sentence {
            i == 0
        } else {
            i == 0 || !SMALL.contains(&lower.as_str())
        };
        if capitalise {
            let mut done = false;
            let w: String = lower
                .chars()
                .map(|c| {
                    if !done && c.is_alphabetic() {
                        done = true;
                        c.to_uppercase().next().unwrap_or(c)
                    } else {
                        c
                    }
                })
                .collect();
            out.push(w);
        } else {
            out.push(lower);
        }
    }
    out.join(" ")
}

// --- Spanish Fake News Corpus -----------------------------------------------------------------

#[derive(Deserialize)]
struct EsItem {
    id: String,
    category: String,
    headline: String,
    text: String,
}

/// Puts a topic into a "follow" template, with Spanish's compulsory contractions: "de" and "a"
/// before the article "el" become "del" and "al" ("la última hora del sismo", never "de el").
fn fill_topic(template: &str, topic: &str) -> String {
    template
        .replacen("{}", topic, 1)
        .replace(" de el ", " del ")
        .replace(" a el ", " al ")
}

/// v1 of the corpus replaced every number with `*NUMBER*`. Left in, the token would mark Spanish
/// news (it is in no insert or ad), so each one gets a plausible number, seeded by the string
/// so that the same text always gets the same numbers.
fn fill_numbers(s: &str) -> String {
    const TOKEN: &str = "*NUMBER*";
    if !s.contains(TOKEN) {
        return s.to_string();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ fnv1a(s));
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(TOKEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + TOKEN.len()..];
        let before = out.to_lowercase();
        let after_l = after.to_lowercase();
        let starts = |prefixes: &[&str]| prefixes.iter().any(|p| after_l.starts_with(p));
        let ends = |suffixes: &[&str]| suffixes.iter().any(|p| before.ends_with(p));
        let after_digit = |c: char| {
            before.ends_with(c)
                && before[..before.len() - 1].ends_with(|d: char| d.is_ascii_digit())
        };
        let n: String = if starts(&["%", " por ciento"]) {
            rng.gen_range(1..=99).to_string()
        } else if after_digit(':') {
            format!("{:02}", rng.gen_range(0..60))
        } else if after_digit('-')
            || before.ends_with(|d: char| d.is_ascii_digit()) && ends(&[" a "])
            || starts(&[" a *number*", "-*number*"])
        {
            rng.gen_range(0..=6).to_string()
        } else if ES_MONTHS
            .iter()
            .any(|m| after_l.starts_with(&format!(" de {m}")))
        {
            rng.gen_range(1..=28).to_string()
        } else if starts(&[" años", " días", " horas", " meses", " minutos", " semanas"]) {
            rng.gen_range(2..=80).to_string()
        } else if starts(&[" millones", " mil ", " mil,", " mil.", " billones"]) {
            rng.gen_range(2..=900).to_string()
        } else if ends(&[
            "de ",
            "en ",
            "desde ",
            "hasta ",
            "año ",
            "rusia ",
            "del ",
            "río ",
            "apertura ",
            "clausura ",
            "mundial ",
            "pasado ",
            "próximo ",
            "y ",
        ]) && rng.gen_bool(0.55)
        {
            rng.gen_range(1990..=2018).to_string()
        } else {
            match rng.gen_range(0..100) {
                0..=54 => rng.gen_range(2..=31).to_string(),
                55..=84 => rng.gen_range(32..=999).to_string(),
                _ => {
                    let v: u32 = rng.gen_range(1_000..=99_999);
                    let sep = match rng.gen_range(0..10) {
                        0..=5 => ".",
                        6..=8 => ",",
                        _ => "",
                    };
                    format!("{}{sep}{:03}", v / 1000, v % 1000)
                }
            }
        };
        out.push_str(&n);
        rest = after;
    }
    out.push_str(rest);
    out
}

enum EsOverride {
    Label(Label),
    Split,
}

fn load_es(raw: &Path, pat: &Patterns) -> Result<Vec<Article>, String> {
    let dir = raw.join("spanish-fake-news");
    let tsv_path = dir.join("paragraph-labels.tsv");
    let mut overrides: BTreeMap<(String, String), Vec<(EsOverride, String)>> = BTreeMap::new();
    let mut expected = 0usize;
    for (n, line) in read_text(&tsv_path)?.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.splitn(4, '\t').collect();
        if f.len() != 4 {
            return Err(format!(
                "{}:{}: expected 4 tab-separated fields",
                tsv_path.display(),
                n + 1
            ));
        }
        let action =
            match f[2] {
                "split" => EsOverride::Split,
                l => EsOverride::Label(Label::parse(l).ok_or_else(|| {
                    format!("{}:{}: unknown label {l:?}", tsv_path.display(), n + 1)
                })?),
            };
        overrides
            .entry((f[0].to_string(), f[1].to_string()))
            .or_default()
            .push((action, f[3].to_string()));
        expected += 1;
    }
    let mut matched: BTreeSet<(String, String, usize)> = BTreeSet::new();
    let mut out = Vec::new();
    for file in ["train", "development"] {
        let path = dir.join(format!("{file}.jsonl"));
        for (n, line) in read_text(&path)?.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let item: EsItem = serde_json::from_str(line)
                .map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
            let rules = overrides.get(&(file.to_string(), item.id.clone()));
            let mut paras: Vec<Para> = Vec::new();
            for raw_line in item.text.split('\n') {
                let l = collapse_ws(&unescape_html(raw_line));
                if l.is_empty() {
                    continue;
                }
                let mut done = false;
                for (k, (action, text)) in rules.into_iter().flatten().enumerate() {
                    match action {
                        EsOverride::Label(label) if l == *text => {
                            paras.push(para(l.clone(), *label));
                            done = true;
                        }
                        EsOverride::Split if l.starts_with(text.as_str()) => {
                            paras.push(para(text.clone(), Label::Related));
                            paras.push(news(l[text.len()..].trim().to_string()));
                            done = true;
                        }
                        _ => {}
                    }
                    if done {
                        matched.insert((file.to_string(), item.id.clone(), k));
                        break;
                    }
                }
                if !done {
                    paras.push(news(l));
                }
            }
            let headline = collapse_ws(&unescape_html(&item.headline));
            if paras.is_empty() {
                continue;
            }
            if !headline.is_empty() && !paras[0].text.contains(&headline) {
                paras.insert(0, news(headline));
            }
            for p in &mut paras {
                p.text = fill_numbers(&p.text);
            }
            if paras.len() < 2 || paras[0].label != Label::News {
                continue;
            }
            let (source, tag) = match item.category.as_str() {
                "True" => (ES_NEWS, "es-news"),
                "Fake" => (ES_WEB, "es-web"),
                other => return Err(format!("{}:{}: category {other:?}", path.display(), n + 1)),
            };
            let short = if file == "train" { "train" } else { "dev" };
            let hard = pat.is_hard(&paras);
            out.push(Article {
                id: format!("{tag}-es-{short}-{:0>4}", item.id),
                source,
                lang: Lang::Es,
                paras,
                hard,
                topic: String::new(),
            });
        }
    }
    if matched.len() != expected {
        return Err(format!(
            "{}: {expected} lines listed but {} matched the corpus",
            tsv_path.display(),
            matched.len()
        ));
    }
    Ok(out)
}

// --- Readability test pages -------------------------------------------------------------------

fn load_web(raw: &Path, pat: &Patterns) -> Result<Vec<Article>, String> {
    let dir = raw.join("readability-testpages");
    let p_re = Regex::new(r"(?s)<p\b[^>]*>(.*?)</p>").expect("static regex");
    let tag_re = Regex::new(r"(?s)<[^>]+>").expect("static regex");
    let br_re = Regex::new(r"(?i)<br\s*/?>").expect("static regex");
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
            let text = br_re.replace_all(&cap[1], " ");
            let text = collapse_ws(&unescape_html(&tag_re.replace_all(&text, "")));
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

// --- Headline, insert and ad-copy pools -------------------------------------------------------

fn load_lines(path: &Path) -> Result<Vec<String>, String> {
    Ok(read_text(path)?
        .lines()
        .map(|l| collapse_ws(&unescape_html(l)))
        .filter(|l| !l.is_empty())
        .collect())
}

#[derive(Deserialize)]
struct JunkLine {
    text: String,
}

fn load_jsonl_texts(path: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for (n, line) in read_text(path)?.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let j: JunkLine =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        let t = collapse_ws(&j.text);
        if !t.is_empty() {
            out.push(t);
        }
    }
    Ok(out)
}

/// Lines of the affiliate-site dumps that are editorial prose or SEO keywords, not ad copy.
const NOT_AD_COPY: &[&str] = &[
    "Sounds great. Then you read the fine print",
    "Sounds amazing until you read the fine print",
    "but don't chase them",
    "Worth claiming if you're playing anyway",
    "The SPIN100 code gives wager-free spins",
    "You can bag a 300% welcome package",
    "juego responsable, ludopatia ayuda",
];

/// Lines of the trafilatura dump that are not news inserts (its SOURCE.md names them).
const NOT_INSERTS: &[&str] = &[
    "Weiterlesen-Button",
    "See also: List of All Gifts",
    "Related: Check out this article on",
];

struct RawPools {
    clickbait_news: Vec<String>,
    clickbait_bait: Vec<String>,
    nyt_es: Vec<String>,
    related_en: Vec<String>,
    related_es: Vec<String>,
    headers_en: Vec<String>,
    headers_es: Vec<String>,
    ads_en: Vec<String>,
    ads_es: Vec<String>,
}

fn load_pools(raw: &Path) -> Result<RawPools, String> {
    let cb = raw.join("clickbait-headlines");
    let mut pools = RawPools {
        clickbait_news: load_lines(&cb.join("non_clickbait_data.txt"))?,
        clickbait_bait: load_lines(&cb.join("clickbait_data.txt"))?,
        nyt_es: load_lines(&raw.join("readability-testpages/nytimes-5/headlines-es.txt"))?,
        related_en: Vec::new(),
        related_es: Vec::new(),
        headers_en: Vec::new(),
        headers_es: Vec::new(),
        ads_en: Vec::new(),
        ads_es: Vec::new(),
    };
    let rel_path = raw.join("junk/trafilatura-eval-related/related.jsonl");
    #[derive(Deserialize)]
    struct Rel {
        text: String,
        #[serde(rename = "type")]
        kind: String,
    }
    let en_cue = Regex::new(
        r"^(Read|READ|RELATED|Related|SEE ALSO|See also|You [Mm]ay|You might|More from|Popular)",
    )
    .expect("static regex");
    let es_cue = Regex::new(r"^(Lea|Le puede|LE PUEDE|TE PUEDE|También te)").expect("static regex");
    for (n, line) in read_text(&rel_path)?.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let r: Rel = serde_json::from_str(line)
            .map_err(|e| format!("{}:{}: {e}", rel_path.display(), n + 1))?;
        let t = collapse_ws(&r.text);
        if NOT_INSERTS.iter().any(|x| t.starts_with(x)) {
            continue;
        }
        let header = r.kind != "inline_insert";
        // German and French lines are left out: chaff's articles are English and Spanish.
        let list = if en_cue.is_match(&t) {
            if header {
                &mut pools.headers_en
            } else {
                &mut pools.related_en
            }
        } else if es_cue.is_match(&t) {
            if header {
                &mut pools.headers_es
            } else {
                &mut pools.related_es
            }
        } else {
            continue;
        };
        if !list.contains(&t) {
            list.push(t);
        }
    }
    let spanish = Regex::new(
        r"(?i)\b(de|la|el|los|las|bono|bonos|giros|juega|hasta|gratis|sin|con|mejores|juego|tiradas|dinero|obtener|reclamar|regístrate)\b|ó|á|é|í|ñ",
    )
    .expect("static regex");
    for name in [
        "bonuskingdoms-ads",
        "casinospesos-mx-ads",
        "cryptocasinosorted-ads",
    ] {
        for t in load_jsonl_texts(&raw.join("junk").join(name).join("ads.jsonl"))? {
            if NOT_AD_COPY.iter().any(|x| t.contains(x)) {
                continue;
            }
            let list = if spanish.is_match(&t) {
                &mut pools.ads_es
            } else {
                &mut pools.ads_en
            };
            if !list.contains(&t) {
                list.push(t);
            }
        }
    }
    Ok(pools)
}

// ---------------------------------------------------------------------------------------------
// Generated text: lead-ins, live-coverage lines, ad widgets
// ---------------------------------------------------------------------------------------------

#[rustfmt::skip]
const EN_LEADS: &[&str] = &[
    "Read: {}", "Read:  {}", "Read:  {}", "Read also: {}", "Read more: {}", "Read More: {}",
    "READ MORE: {}", "READ MORE:  {}", "Read more:{}", "Read More » {}", "Read more → {}",
    "See also: {}", "SEE ALSO: {}", "See also - {}", "Related: {}", "RELATED: {}", "Related:  {}",
    "Related article: {}", "Related story: {}", "RELATED STORY: {}", "Also read: {}",
    "ALSO READ: {}", "Also Read | {}", "More: {}", "MORE: {}", "Recommended: {}",
    "RECOMMENDED: {}", "Don't miss: {}", "Don’t miss: {}", "DON'T MISS: {}", "Watch: {}",
    "WATCH: {}", "Listen: {}", "LISTEN: {}", "You may also like: {}", "You might also like: {}",
    "Read next: {}", "READ NEXT: {}", "Further reading: {}", "Trending: {}", "TRENDING: {}",
    "Editor's pick: {}", "Top story: {}", "[Read: {}]", "Read: {} »", "read also: {}",
    "Check out: {}", "Must read: {}", "Keep reading: {}", "More from {site}: {}",
    "MORE FROM {SITE}: {}", "Also on {site}: {}", "Read: “{}”",
];

#[rustfmt::skip]
const ES_LEADS: &[&str] = &[
    "Lee también: {}", "Lee también:  {}", "LEE TAMBIÉN: {}", "Lee también | {}", "Leer: {}",
    "Leer:  {}", "Leer también: {}", "LEER MÁS: {}", "Leer más: {}", "Lea también: {}",
    "Lea también:  {}", "LEA TAMBIÉN: {}", "Lea: {}", "LEA MÁS: {}", "Lea más: {}",
    "Le puede interesar: {}", "LE PUEDE INTERESAR: {}", "Te puede interesar: {}",
    "TE PUEDE INTERESAR: {}", "Te puede interesar {}", "También te puede interesar: {}",
    "Ver también: {}", "VER TAMBIÉN: {}", "Ver más: {}", "Relacionado: {}", "RELACIONADO: {}",
    "Noticia relacionada: {}", "Más información: {}", "MÁS INFORMACIÓN: {}", "Te recomendamos: {}",
    "También te recomendamos leer: {}", "Mira: {}", "MIRA: {}", "LEE: {}", "Quizá te interese: {}",
    "No te pierdas: {}", "Recomendado: {}", "Lectura recomendada: {}", "Puedes leer: {}",
    "Lee además: {}", "Más de {site}: {}", "EN VIDEO: {}", "Video: {}", "Escucha: {}",
    "Lee también: «{}»", "[Lee también: {}]",
];

#[rustfmt::skip]
const EN_SITES: &[&str] = &[
    "BBC", "Reuters", "The Guardian", "CNN", "Forbes", "Business Insider", "Yahoo Finance",
    "The Independent", "Sky News", "HuffPost", "Politico", "Bloomberg", "Axios", "NBC News",
    "ABC News", "USA Today", "MarketWatch", "The Telegraph", "Metro", "the Mirror", "Newsweek",
    "Fox News", "CBS News", "The Hill", "Al Jazeera",
];

#[rustfmt::skip]
const ES_SITES: &[&str] = &[
    "El Universal", "Excélsior", "Milenio", "El País", "Proceso", "La Jornada", "Infobae",
    "Clarín", "El Tiempo", "Marca", "AS", "El Financiero", "Expansión", "20minutos",
];

#[rustfmt::skip]
const EN_FOLLOW: &[&str] = &[
    "Follow live the latest news on {}.", "Follow the latest news on {} live.",
    "Follow live: the latest on {}", "Follow our live coverage of {}.",
    "Follow the latest updates on {} in our live blog.", "LIVE: Follow the latest on {}",
    "Live updates: {}", "Follow all the latest on {} here.",
    "Get the latest news on {} delivered to your inbox.",
    "Sign up for our newsletter for the latest on {}.", "Follow live the last minute of {}.",
    "Follow the last hour of {} live.", "Keep up with {}: follow our live coverage.",
    "Follow live the most important news about {}", "FOLLOW LIVE: {}",
];

#[rustfmt::skip]
const ES_FOLLOW: &[&str] = &[
    "Sigue en directo la última hora de {}.", "Siga en vivo las últimas noticias sobre {}.",
    "Sigue en vivo: {}", "Sigue en directo: {}", "EN VIVO | Sigue la última hora de {}",
    "Siga en directo toda la información sobre {}.",
    "Sigue todas las novedades de {} en nuestro minuto a minuto.",
    "Última hora de {}, en directo.", "Suscríbete a nuestro boletín y recibe las noticias de {}.",
    "Síguenos en Google News para no perderte nada sobre {}.",
    "Consulta aquí toda la cobertura de {}.", "Minuto a minuto: {}",
    "Siga en vivo la última hora de {}", "DIRECTO | {}",
];

#[rustfmt::skip]
const EN_TOPICS: &[&str] = &[
    "the US election", "the general election", "the Budget", "the World Cup",
    "the Champions League final", "the Olympic Games", "the Six Nations", "Wimbledon",
    "the Oscars", "the Brexit talks", "the climate summit", "the G20 summit", "the stock markets",
    "the oil price", "the Middle East crisis", "the conflict in Gaza", "the earthquake in Turkey",
    "the hurricane", "the wildfires in California", "the floods", "the trial",
    "the coronavirus pandemic", "the cost-of-living crisis", "the transfer window",
    "the Super Bowl", "the Tour de France", "the Ryder Cup", "the NBA Finals",
    "the Australian Open", "the Grand National", "the royal wedding", "the papal conclave",
    "the eurozone debt crisis", "the Fed's rate decision", "the COP summit", "the rail strikes",
    "the storm", "the French elections", "the Spanish elections", "the Mexican elections",
    "the crisis in Venezuela", "the Copa America", "the Ashes", "Formula 1", "the Sudan conflict",
    "the Iran nuclear talks", "the Nato summit", "the trade war", "the banking crisis",
    "the Israel-Hamas war", "the midterm elections", "the Euros", "the State of the Union",
];

#[rustfmt::skip]
const ES_TOPICS: &[&str] = &[
    "las elecciones en México", "la crisis en Venezuela", "el Mundial", "la Copa Libertadores",
    "el Clásico", "la reforma energética", "el TLCAN", "el sismo", "el huracán",
    "la pandemia de coronavirus", "las elecciones presidenciales", "la economía",
    "el tipo de cambio", "la Liga MX", "la Champions League", "el juicio", "la crisis migratoria",
    "el conflicto en Oriente Medio", "los incendios forestales", "la cumbre del G20",
    "la inflación", "el precio del petróleo", "la Fórmula 1", "los Juegos Olímpicos",
    "la guerra comercial", "las lluvias", "la visita del Papa", "el Tour de Francia",
    "la Copa América", "el debate presidencial", "las protestas", "la Eurocopa",
    "la final de la Liga", "el Brexit", "las elecciones en Colombia", "el Gran Premio de México",
];

#[rustfmt::skip]
const EN_HEADERS: &[&str] = &[
    "Related stories", "RELATED STORIES", "More on this story", "Related Topics",
    "You may also like", "More from News", "Read More", "Recommended", "Most read", "Top stories",
    "Related coverage", "More stories", "Read more:", "MORE ON THIS",
];

#[rustfmt::skip]
const ES_HEADERS: &[&str] = &[
    "Noticias relacionadas", "Te puede interesar", "TE PUEDE INTERESAR",
    "También te puede interesar", "Más noticias", "Lo más leído", "Relacionadas",
    "Contenido relacionado", "Más sobre este tema", "Lee también:", "NOTAS RELACIONADAS",
];

/// Bookmaker and casino brands (real ones; BetMGM is deliberately absent: the seed test article
/// uses it, so the test shows generalisation to an unseen brand).
#[rustfmt::skip]
const BRANDS: &[&str] = &[
    "Bet365", "bet365", "William Hill", "Betway", "Paddy Power", "Betfair", "Ladbrokes", "Coral",
    "Unibet", "888casino", "888sport", "LeoVegas", "Betsson", "bwin", "DraftKings", "FanDuel",
    "Caesars Sportsbook", "PointsBet", "PokerStars", "Codere", "Caliente", "Sportium", "Luckia",
    "Betfred", "Sky Bet", "Mr Green", "Casumo", "Stake", "Stake.com", "BetVictor", "BoyleSports",
    "Betano", "1xBet", "Bodog", "Betsafe", "NordicBet", "Interwetten", "Tipico", "bet-at-home",
    "Marathonbet", "Pinnacle", "BetRivers", "WynnBET", "Hard Rock Bet", "ESPN BET",
    "Fanatics Sportsbook", "Borgata", "Golden Nugget Casino", "PartyCasino", "partypoker",
    "Grosvenor Casino", "Virgin Bet", "Betclic", "Winamax", "Retabet", "Kirolbet",
    "Marca Apuestas", "Betcris", "Rushbet", "Wplay", "BetPlay", "Strendus", "Playdoit", "Big Bola",
    "Winpot", "Novibet", "Betwarrior", "Jackpot City", "Spin Casino", "Royal Panda", "Wildz",
    "Videoslots", "Rizk", "Betmotion", "NetBet", "Genting Casino", "Bally Bet", "Roobet",
    "BC.Game", "Cloudbet", "Sportingbet", "KTO", "Superbet", "Fortuna", "STS", "Bet9ja",
    "SportyBet", "Betika", "Hollywoodbets", "Sportsbet", "TAB", "Neds", "Ignition", "BetOnline",
    "Bovada", "MyBookie", "Betsson Casino", "Codere Casino", "Caliente.mx", "Yajuego", "Zamba",
    "Betsala", "Rivalo", "Dafabet", "Parimatch", "Mostbet", "22Bet", "Melbet", "Betboo", "Bet777",
    "Casino Barcelona", "Casino Gran Madrid", "Sisal", "Snai", "Lottomatica", "Eurobet", "Goldbet",
];

#[rustfmt::skip]
const GAMES: &[&str] = &[
    "Book of Dead", "Starburst", "Gates of Olympus", "Sweet Bonanza", "Big Bass Bonanza",
    "Gonzo's Quest", "Mega Moolah", "Wolf Gold", "Aviator", "Sugar Rush", "Razor Shark",
    "Fire Joker", "Reactoonz", "Book of Ra", "Legacy of Dead", "Dead or Alive 2",
];

#[rustfmt::skip]
const TEAMS: &[&str] = &[
    "Arsenal", "Liverpool", "Man City", "Chelsea", "Real Madrid", "Barcelona", "América", "Chivas",
    "Boca Juniors", "River Plate", "Lakers", "Chiefs", "Yankees", "PSG", "Bayern", "Juventus",
    "Cruz Azul", "Tigres", "Atlético", "Man Utd", "Celtics", "Dodgers", "Pumas",
];

#[rustfmt::skip]
const EN_MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
];
#[rustfmt::skip]
const ES_MONTHS: [&str; 12] = [
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
    "octubre", "noviembre", "diciembre",
];
#[rustfmt::skip]
const EN_COUNTRIES: &[&str] = &[
    "the UK", "UK", "Ireland", "Canada", "the US", "New Jersey", "Ontario", "Australia", "India",
    "Nigeria", "South Africa", "New Zealand", "Pennsylvania", "Michigan", "Kenya",
];
#[rustfmt::skip]
const ES_COUNTRIES: &[&str] = &[
    "México", "España", "Argentina", "Colombia", "Chile", "Perú", "Ecuador", "Uruguay",
];

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn ad_date(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let y = rng.gen_range(2012..=2026);
    let m = rng.gen_range(0..12);
    let d = rng.gen_range(1..=28);
    match lang {
        Lang::En => match rng.gen_range(0..10) {
            0..=2 => format!("{} {d} {y}", EN_MONTHS[m]),
            3 => format!("{} {d}, {y}", EN_MONTHS[m]),
            4 => format!("{d} {} {y}", EN_MONTHS[m]),
            5 => format!("{d:02}/{:02}/{y}", m + 1),
            6 => format!("{:02}/{d:02}/{y}", m + 1),
            7 => format!("{}. {y}", &EN_MONTHS[m][..3]),
            8 => format!("{} {y}", EN_MONTHS[m]),
            _ => format!("{y}-{:02}-{d:02}", m + 1),
        },
        _ => match rng.gen_range(0..7) {
            0..=2 => format!("{d} de {} de {y}", ES_MONTHS[m]),
            3 => format!("{d:02}/{:02}/{y}", m + 1),
            4 => format!("{} {y}", capitalise_first(ES_MONTHS[m])),
            5 => format!("{} de {y}", ES_MONTHS[m]),
            _ => format!("{d} {} {y}", ES_MONTHS[m]),
        },
    }
}

fn month_year(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let y = rng.gen_range(2012..=2026);
    let m = rng.gen_range(0..12);
    match lang {
        Lang::En => format!("{} {y}", EN_MONTHS[m]),
        _ => format!("{} {y}", capitalise_first(ES_MONTHS[m])),
    }
}

fn group_thousands(v: u32, sep: &str) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A currency as one ad line writes it; every amount of a line uses the same one.
#[derive(Clone, Copy)]
struct Currency {
    prefix: &'static str,
    suffix: &'static str,
    sep: &'static str,
    /// Amounts in coins ("1 BTC"), not in thousands.
    crypto: bool,
    /// Multiplies the amounts (pesos: a $500 stake is a small one).
    scale: u32,
}

impl Currency {
    fn pick(rng: &mut ChaCha8Rng, lang: Lang) -> Currency {
        let c = |prefix, suffix, sep, scale| Currency {
            prefix,
            suffix,
            sep,
            crypto: false,
            scale,
        };
        let crypto = Currency {
            prefix: "",
            suffix: " BTC",
            sep: "",
            crypto: true,
            scale: 1,
        };
        let en_sep = if rng.gen_bool(0.75) { "," } else { "" };
        let es_sep = match rng.gen_range(0..10) {
            0..=4 => ".",
            5..=8 => ",",
            _ => "",
        };
        match lang {
            Lang::En => match rng.gen_range(0..20) {
                0..=5 => c("£", "", en_sep, 1),
                6..=10 => c("$", "", en_sep, 1),
                11..=14 => c("€", "", en_sep, 1),
                15 => c("C$", "", en_sep, 1),
                16 => c("A$", "", en_sep, 1),
                17 => c("₹", "", en_sep, 50),
                18 => crypto,
                _ => c("", " USDT", en_sep, 1),
            },
            _ => match rng.gen_range(0..20) {
                0..=6 => c("$", " MXN", es_sep, 20),
                7..=10 => c("", " €", es_sep, 1),
                11..=12 => c("€", "", es_sep, 1),
                13..=14 => c("$", " ARS", es_sep, 100),
                15 => c("$", " COP", es_sep, 1000),
                16 => c("S/ ", "", es_sep, 4),
                17 => c("", " USD", es_sep, 1),
                18 => c("$", "", es_sep, 20),
                _ => Currency {
                    suffix: " BTC",
                    ..crypto
                },
            },
        }
    }

    fn format(&self, v: u32) -> String {
        format!(
            "{}{}{}",
            self.prefix,
            group_thousands(v * self.scale, self.sep),
            self.suffix
        )
    }

    /// A bonus amount ("up to £500").
    fn bonus(&self, rng: &mut ChaCha8Rng) -> String {
        if self.crypto {
            return format!(
                "{}{}",
                pick(rng, &["0.5", "1", "1.5", "2", "3", "5"]),
                self.suffix
            );
        }
        self.format(*pick(
            rng,
            &[
                50, 100, 150, 200, 250, 300, 500, 750, 1000, 1500, 2000, 2500, 5000,
            ],
        ))
    }

    /// A stake and what it earns ("Bet £10, get £30").
    fn stake_and_reward(&self, rng: &mut ChaCha8Rng) -> (String, String) {
        if self.crypto {
            return (
                format!("0.01{}", self.suffix),
                format!("0.05{}", self.suffix),
            );
        }
        let stake = *pick(rng, &[5, 10, 10, 20, 25, 50]);
        let reward = stake * *pick(rng, &[2, 3, 4, 5, 6, 10, 20]);
        (self.format(stake), self.format(reward))
    }
}

fn promo_code(rng: &mut ChaCha8Rng) -> String {
    const PREFIX: &[&str] = &[
        "BONUS", "WELCOME", "SPIN", "BET", "VIP", "MAX", "GOLD", "NEW", "PLAY", "APUESTA", "BONO",
        "GIROS", "FREE", "KING", "ACE",
    ];
    format!(
        "{}{}",
        pick(rng, PREFIX),
        pick(rng, &[10, 20, 25, 50, 100, 200, 250, 365, 500])
    )
}

fn odds(rng: &mut ChaCha8Rng) -> String {
    match rng.gen_range(0..3) {
        0 => format!("{}/{}", rng.gen_range(2..=20), pick(rng, &[1, 2, 4])),
        1 => format!(
            "{}.{:02}",
            rng.gen_range(1..=12),
            pick(rng, &[10, 25, 50, 75, 80, 90])
        ),
        _ => format!("+{}", rng.gen_range(11..=60) * 10),
    }
}

fn rating(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let r = rng.gen_range(38..=50);
    let (int, dec) = (r / 10, r % 10);
    let stars = "★".repeat(((r + 5) / 10) as usize) + &"☆".repeat(5 - ((r + 5) / 10) as usize);
    match lang {
        Lang::En => match rng.gen_range(0..7) {
            0 => format!("{int}.{dec}/5"),
            1 => format!("Rating: {int}.{dec}/5"),
            2 => format!("{}.{}/10", rng.gen_range(8..=9), rng.gen_range(0..=9)),
            3 => "★★★★★".to_string(),
            4 => format!("{stars} {int}.{dec}"),
            5 => format!("Score: {}/100", rng.gen_range(80..=99)),
            _ => format!("⭐ {int}.{dec}"),
        },
        _ => match rng.gen_range(0..6) {
            0 => format!("{int},{dec}/5"),
            1 => format!("Valoración: {int},{dec}/5"),
            2 => format!(
                "Puntuación: {},{}/10",
                rng.gen_range(8..=9),
                rng.gen_range(0..=9)
            ),
            3 => "★★★★★".to_string(),
            4 => format!("{stars} ({int},{dec})"),
            _ => format!("Nota: {int},{dec} de 5"),
        },
    }
}

fn cta(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    #[rustfmt::skip]
    const EN: &[&str] = &[
        "Claim bonus", "Claim Bonus", "CLAIM NOW", "Play now", "Play Now", "Bet now", "Get offer",
        "Get Bonus", "Visit site", "Join now", "Sign up", "Claim offer ›", "Visit Casino",
        "Bet Now →", "Get Started", "PLAY NOW", "Claim Free Bets", "Get the offer", "Spin now",
    ];
    #[rustfmt::skip]
    const ES: &[&str] = &[
        "Reclamar bono", "Reclamar Bono", "Apostar ahora", "Jugar ahora", "Obtener bono",
        "Visitar casino", "Regístrate", "¡Apuesta ya!", "Ir a la web", "Conseguir bono",
        "Jugar ya", "APOSTAR", "Obtener Bono", "Quiero mi bono", "Ver oferta",
    ];
    pick(rng, if lang == Lang::En { EN } else { ES }).to_string()
}

fn disclaimer(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    #[rustfmt::skip]
    const EN: &[&str] = &[
        "18+ | T&Cs apply | BeGambleAware.org", "18+. New customers only. T&Cs apply.",
        "18+ T&Cs apply. Please gamble responsibly.", "Gambling problem? Call 1-800-GAMBLER.",
        "21+. Gambling problem? Call 1-800-GAMBLER. Terms apply.",
        "When the fun stops, stop. BeGambleAware.org", "Play responsibly. 18+ only.",
        "#ad 18+ | Gamble responsibly", "Ad | 18+ | Commercial content",
        "Please gamble responsibly. GambleAware.org", "19+ Ontario only. Please play responsibly.",
        "18+ | Play Responsibly | GamCare", "Advertisement", "Sponsored",
        "T&Cs apply. 18+ only. Please gamble responsibly.",
        "New players only. Wagering requirements apply. Full T&Cs apply.",
        "Take time to think. BeGambleAware.org | 18+", "18+ GambleAware.org #ad",
    ];
    #[rustfmt::skip]
    const ES: &[&str] = &[
        "Juega con responsabilidad. +18", "+18 | Juega con responsabilidad | Aplican T&C",
        "Juego responsable. Prohibido para menores de 18 años.",
        "Solo mayores de 18 años. Aplican términos y condiciones.", "jugarbien.es | +18",
        "Juega seguro. 18+", "Publicidad | +18", "Contenido patrocinado",
        "Las apuestas pueden crear adicción. Juega con moderación.",
        "Términos y condiciones aplican. Solo nuevos usuarios.",
        "Autoprohibición | Juego seguro | +18", "+18. Juego responsable. Aplican TyC.",
        "Publicidad", "Juega con responsabilidad. Solo para mayores de edad.",
        "Operador autorizado por SEGOB. +18", "Juego seguro. Apuesta con cabeza. +18",
    ];
    pick(rng, if lang == Lang::En { EN } else { ES }).to_string()
}

fn offer(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let pct = *pick(rng, &[50, 100, 100, 100, 125, 150, 200, 250, 300]);
    let spins = *pick(rng, &[10, 20, 25, 30, 50, 100, 150, 200, 250, 300, 500]);
    let x = *pick(rng, &[20, 25, 30, 35, 40, 45, 50]);
    let cur = Currency::pick(rng, lang);
    let bonus = cur.bonus(rng);
    let (stake, reward) = cur.stake_and_reward(rng);
    match lang {
        Lang::En => match rng.gen_range(0..16) {
            0 => format!("Up to {bonus} + {spins} Free Spins"),
            1 => format!("{pct}% up to {bonus}"),
            2 => format!("{pct}% up to {bonus} + {spins} free spins"),
            3 => format!("Bet {stake}, Get {reward} in Free Bets"),
            4 => format!("Bet {stake} Get {reward} in Bonus Bets"),
            5 => format!("{spins} Free Spins, No Deposit Required"),
            6 => format!(
                "No deposit bonus: {spins} free spins on {}",
                pick(rng, GAMES)
            ),
            7 => format!("First bet up to {bonus} back in bonus bets"),
            8 => format!("Welcome Bonus: {pct}% up to {bonus}"),
            9 => format!("Deposit {stake}, play with {reward}"),
            10 => format!("Use code {} for {reward} free", promo_code(rng)),
            11 => format!("{bonus} Risk-Free Bet"),
            12 => format!("Get {spins} free spins on {}", pick(rng, GAMES)),
            13 => format!(
                "Price boost: {} to win {} (was {})",
                pick(rng, TEAMS),
                odds(rng),
                odds(rng)
            ),
            14 => format!("{pct}% Welcome Bonus up to {bonus} | {x}x wagering"),
            _ => format!("Get {reward} in free bets when you bet {stake}"),
        },
        _ => match rng.gen_range(0..14) {
            0 => format!("Hasta {bonus} + {spins} giros gratis"),
            1 => format!("Bono del {pct}% hasta {bonus}"),
            2 => format!("{pct}% de bono hasta {bonus} en tu primer depósito"),
            3 => format!("Apuesta {stake} y llévate {reward} en apuestas gratis"),
            4 => format!("{spins} giros gratis sin depósito"),
            5 => format!("Bono de bienvenida: {pct}% hasta {bonus}"),
            6 => format!("Regístrate y recibe {reward} de bono"),
            7 => format!("Código promocional {}: {reward} gratis", promo_code(rng)),
            8 => format!("Cuota mejorada: gana {} a {}", pick(rng, TEAMS), odds(rng)),
            9 => format!("Hasta {bonus} en tu primera apuesta"),
            10 => format!("Recibe {reward} en freebets"),
            11 => format!("{spins} tiradas gratis en {}", pick(rng, GAMES)),
            12 => format!("Bono {pct}% hasta {bonus} · rollover {x}x"),
            _ => format!("Duplica tu primer depósito hasta {bonus}"),
        },
    }
}

fn ad_title(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    match lang {
        Lang::En => match rng.gen_range(0..15) {
            0 | 1 => format!("The Best Online Bookmakers {}", ad_date(rng, lang)),
            2 => format!("Best Online Bookmakers {}", ad_date(rng, lang)),
            3 => format!("Best Betting Sites {}", ad_date(rng, lang)),
            4 => format!(
                "Top {} Online Casinos {}",
                rng.gen_range(3..=10),
                ad_date(rng, lang)
            ),
            5 => format!(
                "Top Casinos in {} ({})",
                pick(rng, EN_COUNTRIES),
                month_year(rng, lang)
            ),
            6 => format!("Best Casino Bonuses {}", rng.gen_range(2012..=2026)),
            7 => format!("Best Sportsbook Promos {}", ad_date(rng, lang)),
            8 => "Today's Top Betting Offers".to_string(),
            9 => "Top Rated Casinos".to_string(),
            10 => format!("New Betting Sites {}", rng.gen_range(2012..=2026)),
            11 => format!(
                "Best {} Online Casinos – Updated {}",
                pick(rng, EN_COUNTRIES).trim_start_matches("the "),
                ad_date(rng, lang)
            ),
            12 => format!("Our Top Casino Picks for {}", month_year(rng, lang)),
            13 => format!("The best free bets – {}", ad_date(rng, lang)),
            _ => format!("The Best Online Casinos {}", ad_date(rng, lang)),
        },
        _ => match rng.gen_range(0..11) {
            0 | 1 => format!("Mejores casas de apuestas {}", ad_date(rng, lang)),
            2 => format!(
                "Las mejores casas de apuestas de {} {}",
                pick(rng, ES_COUNTRIES),
                rng.gen_range(2012..=2026)
            ),
            3 => format!("Top casinos online {}", ad_date(rng, lang)),
            4 => format!(
                "Mejores casinos online en {} ({})",
                pick(rng, ES_COUNTRIES),
                month_year(rng, lang)
            ),
            5 => format!("Mejores bonos de casino {}", rng.gen_range(2012..=2026)),
            6 => "Casas de apuestas recomendadas".to_string(),
            7 => format!("Los mejores bonos de bienvenida – {}", ad_date(rng, lang)),
            8 => format!("Ranking de casinos online {}", month_year(rng, lang)),
            9 => "Apuestas deportivas: mejores ofertas de hoy".to_string(),
            _ => format!(
                "Las Mejores Casas de Apuestas Online {}",
                ad_date(rng, lang)
            ),
        },
    }
}

fn brand_line(rng: &mut ChaCha8Rng, lang: Lang) -> String {
    let b = *pick(rng, BRANDS);
    match rng.gen_range(0..12) {
        0..=2 => b.to_string(),
        3 => {
            if lang == Lang::En {
                format!("{b} Casino")
            } else {
                format!("Casino {b}")
            }
        }
        4 => {
            if lang == Lang::En {
                format!("{b} Sportsbook")
            } else {
                format!("{b} Apuestas")
            }
        }
        5 => format!("{b} – {}", rating(rng, lang)),
        6 => format!("{b} | {}", offer(rng, lang)),
        7 => format!("{b}: {}", offer(rng, lang)),
        8 => format!("{b} — {} — {}", offer(rng, lang), cta(rng, lang)),
        9 => format!("{b} {}", rating(rng, lang)),
        10 => format!("{b} Casino"),
        _ => format!("{b} Bet"),
    }
}

// ---------------------------------------------------------------------------------------------
// Body hard negatives: synthetic news sentences that start with a related-link cue word
// ---------------------------------------------------------------------------------------------
//
// The natural corpora have almost no `news` paragraph starting with "Read", "See", "Follow",
// "Lee", "Sigue", ... (a few dozen, against thousands of inserts), so a model learns "starts with
// a cue word => related". Real article bodies do contain such sentences ("Read the full judgment
// on the court's website.", "Sigue abierta la investigación, informó la Fiscalía."). A seeded
// share of the training articles gets one, built from templates x fillers so that what is
// learnt is the shape (cue word, lower case, an ordinary verb phrase, terminal punctuation,
// often an attribution) rather than a list of sentences. They are placed in the body: a body
// paragraph is split at a sentence boundary and the sentence goes between the two halves, or it
// goes between two news paragraphs; never first, never last.

/// Per mille of the English training articles (by a hash of the id) that get one synthetic body
/// sentence starting with a cue word.
const BODY_CUE_PER_MILLE_EN: u64 = 90;
/// The same for Spanish articles (a little higher: the Spanish part is smaller).
const BODY_CUE_PER_MILLE_ES: u64 = 120;
/// Share of those placed by splitting a body paragraph at a sentence boundary (the rest go in
/// between two news paragraphs, or are split when there is no such gap).
const P_BODY_CUE_SPLIT: f64 = 0.65;
/// Mixed into [`SEED`] for the body-sentence generator's own random stream, so that adding it
/// leaves every other choice of the build as it was.
const BODY_CUE_SALT: u64 = 0x626f_6479_6375_6573;

/// The CLI hard-case lines (`tests/cli/hard_cases.rs`) and DESIGN.md's, and the shapes they were
/// written in: a generated body sentence of one of these shapes is drawn again, so that the
/// hard-case tests measure generalisation, not recall. `tests/data.rs` checks that no row of
/// `train.csv` has one of these shapes.
pub const TEST_LINE_SHAPES: &str = r#"(?i)^["“]?(read the full (statement|report)\b|read\b.*\bhere\b|read\b.*\breport\b.*\bwebsite\b|see\b.*\btable\b.*\bbelow\b|see\b.*\bresults by\b|follow\b.*\binstructions\b.*\bform\b)|sending it back to the council|council's website|results by district"#;

/// A cue word (as counted in the statistics), its weight among its language's cue words, and
/// its sentence templates (`{key}` placeholders are filled by [`body_filler`]).
struct CueTemplates {
    cue: &'static str,
    weight: u32,
    templates: &'static [&'static str],
}

#[rustfmt::skip]
const EN_BODY_CUES: &[CueTemplates] = &[
    CueTemplates { cue: "Read", weight: 22, templates: &[
        "Read the full {doc} {where}.",
        "Read the {doc} in full {where}.",
        "Read {poss} {doc} {where}.",
        "Read together, the two {docs} suggest that {clause}.",
        "Read alongside last year's figures, the {data} point to {trend}.",
        "Read out in court, the {doc} described how {clause}.",
        "Read carefully, the {doc} leaves room for {loophole}, lawyers said.",
        "\"Read {fine_act},\" {person} {said}.",
    ] },
    CueTemplates { cue: "Read more about", weight: 4, templates: &[
        "Read more about how the {scheme} works {where}.",
        "Read more about the {topic} in the {doc} published on {day}.",
    ] },
    CueTemplates { cue: "See", weight: 16, templates: &[
        "See the {visual} below for {breakdown}.",
        "See the {visual} {where} for {breakdown}.",
        "See page {page} of the {doc} for {breakdown}.",
        "See the appendix for {breakdown}.",
        "\"See you in court,\" {person} told {audience}.",
        "\"See for yourself,\" {person} told reporters.",
    ] },
    CueTemplates { cue: "Follow", weight: 13, templates: &[
        "Follow {advice}, {attr_adv}.",
        "\"Follow {advice},\" {person} {said}.",
        "Follow-up {checks} are planned for {month}, {attr_adv}.",
        "\"Follow the money,\" {person} told {audience}.",
    ] },
    CueTemplates { cue: "Watch", weight: 10, templates: &[
        "Watch {event} in full {where_av}.",
        "Watch {person}'s {speech} {where_av}.",
        "\"Watch this space,\" {person} told reporters.",
        "Watch out for {hazard} {on_roads}, {attr_weather}.",
    ] },
    CueTemplates { cue: "Listen", weight: 6, templates: &[
        "Listen to the full interview {where_av}.",
        "Listen again to {programme} {where_audio}.",
        "\"Listen to {whom},\" {person} urged {audience}.",
    ] },
    CueTemplates { cue: "More", weight: 6, templates: &[
        "More than {big} {people} {were}, {attr_adv}.",
        "More details of the {doc} are expected {when}.",
        "More information about the {scheme} is available on {scheme_org}'s website.",
        "More work is needed before {goal}, {person} said.",
    ] },
    CueTemplates { cue: "Related", weight: 5, templates: &[
        "Related research {shows} that {clause}.",
        "Related charges against {few} other defendants were dropped in {month}.",
        "Related costs rose {pct}% to {amount} million, the company said.",
        "Related cases are being examined by {org}, officials said.",
    ] },
    CueTemplates { cue: "Also", weight: 6, templates: &[
        "Also on {day}, {also_did}.",
        "Also present at the {meeting} were {group}.",
        "Also among the {listed} was {someone}.",
    ] },
    CueTemplates { cue: "Check", weight: 7, templates: &[
        "Check {travel_org}'s website for the latest {updates} before travelling, {attr_adv}.",
        "\"Check on {vulnerable} during the cold snap,\" {person} urged.",
        "Check-in desks reopened at {hour} am, the airport said.",
        "Check your {check_what}, {attr_adv}.",
    ] },
    CueTemplates { cue: "Don't miss", weight: 2, templates: &[
        "\"Don't miss your appointment,\" {person} urged patients.",
        "Don't miss the {month} {dom} deadline, {deadline_org} warned {deadline_group}.",
    ] },
];

#[rustfmt::skip]
const ES_BODY_CUES: &[CueTemplates] = &[
    CueTemplates { cue: "Lee", weight: 15, templates: &[
        "Lee el {doc_m} completo {donde}.",
        "Lee la {doc_f} completa {donde}.",
        "\"Lee bien {cosa} antes de {accion}\", {aconsejo} {persona}.",
    ] },
    CueTemplates { cue: "Lea", weight: 15, templates: &[
        "Lea el {doc_m} íntegro {donde}.",
        "Lea la {doc_f} íntegra {donde}.",
        "Lea aquí el {doc_m} íntegro.",
        "Lea aquí la {doc_f} íntegra.",
        "\"Lea las instrucciones antes de {accion}\", recomendó {org_emerg}.",
    ] },
    CueTemplates { cue: "Leer", weight: 8, templates: &[
        "Leer la {doc_f} completa ayuda a entender por qué {clausula}, explicó {persona}.",
        "Leer el {doc_m} lleva apenas unos minutos, pero sus conclusiones son contundentes.",
        "Leer en voz alta a los niños mejora su vocabulario, según un estudio de {org_estudio}.",
    ] },
    CueTemplates { cue: "Mira", weight: 10, templates: &[
        "Mira el video completo de {evento} en el canal de {canal}.",
        "Mira la rueda de prensa íntegra de {persona} en el canal de {canal}.",
        "\"Mira lo que hicieron con el dinero\", reprochó {persona}.",
    ] },
    CueTemplates { cue: "Sigue", weight: 16, templates: &[
        "Sigue las indicaciones de {org_emerg}, pidió {persona}.",
        "Sigue abierta la investigación sobre {asunto}, informó {org_inv}.",
        "Sigue sin conocerse el paradero de {desaparecido}, según {org_inv}.",
        "Sigue en marcha el operativo de búsqueda en {lugar}, según {org_emerg}.",
        "Sigue vigente la alerta {color} por {fenomeno} en {pocos} provincias, informó {org_tiempo}.",
    ] },
    CueTemplates { cue: "Siga", weight: 10, templates: &[
        "Siga las recomendaciones de {org_emerg}, insistió {persona}.",
        "\"Siga las instrucciones del personal de emergencias\", indicaba el aviso difundido por {org_emerg}.",
    ] },
    CueTemplates { cue: "Ver", weight: 12, templates: &[
        "Ver el {visual_m} adjunto para los datos por {unidad}.",
        "Ver la tabla adjunta para el desglose por {unidad}.",
        "Ver a los {grupo} regresar a {sitio} fue un alivio, dijo {persona}.",
        "Ver la página {page} del {doc_m} para el desglose por {unidad}.",
    ] },
    CueTemplates { cue: "Más", weight: 12, templates: &[
        "Más de {big_es} personas {predicado}, según {fuente}.",
        "Más información sobre {tema} estará disponible en la web de {org} a partir del {dom} de {mes}.",
        "Más tarde, {mas_tarde}.",
    ] },
];

/// One filler for a `{key}` placeholder of a body-sentence template (fillers may hold
/// placeholders themselves); `None` for an unknown key. Spanish `{org}` comes from
/// [`ES_BODY_ORGS`] instead (see [`body_fill`]).
#[rustfmt::skip]
fn body_filler(rng: &mut ChaCha8Rng, key: &str) -> Option<String> {
    let list: &[&str] = match key {
        // Numbers and dates.
        "page" => return Some(rng.gen_range(2..=60).to_string()),
        "few" => return Some(rng.gen_range(2..=9).to_string()),
        "pocos" => return Some(rng.gen_range(3..=14).to_string()),
        "pct" => return Some(rng.gen_range(2..=45).to_string()),
        "amount" => return Some(rng.gen_range(2..=900).to_string()),
        "hour" => return Some(rng.gen_range(5..=11).to_string()),
        "dom" => return Some(rng.gen_range(1..=28).to_string()),
        "big" => return Some(group_thousands(*pick(rng, &[40, 60, 120, 200, 300, 450, 600, 1000, 1200, 2500, 5000, 12000]), ",")),
        "big_es" => return Some(group_thousands(*pick(rng, &[40, 60, 120, 200, 300, 450, 600, 1000, 1200, 2500, 5000, 12000]), ".")),
        "month" => return Some(pick(rng, &EN_MONTHS).to_string()),
        "mes" => return Some(pick(rng, &ES_MONTHS).to_string()),
        "day" => &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        // English.
        "doc" => &["judgment", "ruling", "letter", "transcript", "decision", "indictment", "guidance",
            "consultation paper", "audit", "review", "findings", "submission", "opinion", "minutes",
            "white paper", "charge sheet", "speech", "text of the agreement", "report", "statement",
            "inquiry's conclusions", "resignation letter", "court filing", "budget documents",
            "inspection report", "policy paper"],
        "docs" => &["reports", "rulings", "letters", "studies", "surveys", "documents", "statements"],
        "poss" => &["the judge's", "the minister's", "her", "his", "the union's", "the company's",
            "the coroner's", "the inspectors'", "the committee's", "the regulator's", "the bishop's"],
        "where" => &["below", "above", "online", "on {org}'s website", "on the website of {org}",
            "in the appendix", "in the annex to the {doc}", "on page {page}", "in the box alongside this article",
            "on the court's website", "in the parliamentary record"],
        "org" => &["the Supreme Court", "the High Court", "the Court of Appeal", "the Treasury",
            "the Home Office", "the Department of Health", "the European Commission",
            "the World Health Organization", "the Bank of England", "the Federal Reserve",
            "the Met Office", "the Environment Agency", "the Electoral Commission",
            "the Office for National Statistics", "the United Nations", "the IMF", "the OECD",
            "the Food Standards Agency", "the Foreign Office", "Ofcom",
            "the Competition and Markets Authority", "the Securities and Exchange Commission",
            "the National Transportation Safety Board", "the Health and Safety Executive",
            "the Civil Aviation Authority", "the Charity Commission"],
        "data" => &["figures", "numbers", "data", "results", "statistics"],
        "trend" => &["a sharp fall in demand", "a slow recovery", "a widening gap between regions",
            "the first rise in five years", "a steady decline in visitor numbers"],
        "clause" => &["the economy slowed more sharply than expected", "officials knew about the problem for years",
            "the two sides are close to a deal", "the cuts will fall hardest on rural areas",
            "demand for housing is cooling", "the project is running behind schedule",
            "the rules were not properly enforced", "the number of cases has peaked",
            "the company misled investors", "the warnings were ignored",
            "the hospital had too few nurses on duty"],
        "loophole" => &["interpretation", "an appeal", "further talks", "exemptions", "a second vote"],
        "fine_act" => &["the small print before you sign anything", "the contract before signing",
            "the terms before you agree to anything", "the label before taking the medicine",
            "the letter carefully before replying", "the conditions before paying anything"],
        "person" => &["the minister", "the judge", "the prime minister", "the chief executive",
            "the head teacher", "the coroner", "the chief constable", "the union leader", "the mayor",
            "the health secretary", "the chairman", "her lawyer", "the prosecutor", "the coach",
            "a senior doctor", "the fire chief"],
        "said" => &["said", "told reporters", "said on Tuesday", "told the BBC", "added", "warned", "said in a statement"],
        "scheme" => &["scheme", "new system", "grant", "pension change", "loan programme", "tax credit", "recycling plan"],
        "topic" => &["proposals", "changes", "new rules", "investigation", "findings", "merger", "reforms"],
        "visual" => &["chart", "graph", "map", "graphic", "timeline", "diagram", "figures", "table"],
        "breakdown" => &["the regional breakdown", "the figures by age group", "a breakdown by region",
            "how each constituency voted", "the main dates in the case", "the route of the march",
            "the changes since 2010", "how prices have moved this year", "the number of cases in each area",
            "the full list of schools affected", "how the money will be spent", "the list of roads closed",
            "the timetable of the works"],
        "audience" => &["the jury", "reporters", "MPs", "the committee", "the inquiry", "the hearing",
            "the conference", "delegates", "shareholders", "the tribunal"],
        "advice" => &["the signs to the evacuation centre", "the diversions around the closed section of the motorway",
            "the advice of the emergency services", "the guidance issued by {advice_org}",
            "the directions of officers at the scene", "the marked route through the town centre",
            "the lifeguards' instructions at all times", "the evacuation orders", "the official advice on travel",
            "the recommendations of {advice_org}", "the rules on hand washing", "the one-way system inside the building",
            "the advice of your doctor"],
        "attr_adv" => &["police said", "the fire service said", "the coastguard said", "the health board said",
            "officials said", "a spokesperson said", "the emergency services said", "the ambulance service said",
            "the agency said in a statement", "the mayor urged residents", "organisers said", "officials urged"],
        "attr_weather" => &["the Met Office said", "forecasters warned", "police said", "the Environment Agency said",
            "the highways agency said", "the AA said"],
        "advice_org" => &["the Met Office", "the World Health Organization", "the Food Standards Agency",
            "the health authorities", "the Foreign Office", "the police"],
        "scheme_org" => &["the Treasury", "HM Revenue and Customs", "the Department for Work and Pensions",
            "the Department for Education", "the Department of Health", "the Scottish government"],
        "travel_org" => &["the Foreign Office", "the Met Office", "the airline", "the rail operator",
            "National Highways", "the Civil Aviation Authority", "the ferry company"],
        "deadline_org" => &["HM Revenue and Customs", "the Electoral Commission", "the tax office",
            "the Department for Education", "the Passport Office"],
        "deadline_group" => &["taxpayers", "voters", "parents", "applicants", "small businesses", "the self-employed"],
        "also_did" => &["the Bank of England raised interest rates", "the regulator announced new fines",
            "the Treasury published its spending plans", "the Met Office issued a fresh warning",
            "the Supreme Court rejected the appeal", "the European Commission opened an investigation",
            "the club confirmed the appointment of a new manager", "the company named a new chief executive",
            "the Office for National Statistics revised its growth figures"],
        "check_what" => &["tyres before setting off", "smoke alarms when the clocks go back",
            "passport's expiry date before booking", "bank statements for unfamiliar payments",
            "tickets before travelling", "boiler before the winter", "pension statement every year"],
        "checks" => &["inspections", "tests", "interviews", "visits", "hearings", "surveys", "scans"],
        "event" => &["the press conference", "the debate", "the hearing", "the minister's statement",
            "the launch", "the ceremony", "the committee session", "prime minister's questions", "the briefing"],
        "speech" => &["speech", "statement to parliament", "address", "evidence to the committee", "interview"],
        "where_av" => &["on the parliament channel", "above", "in the video above", "on the court's YouTube channel",
            "on {org}'s website", "on BBC iPlayer", "online"],
        "where_audio" => &["on BBC Sounds", "on the station's website", "online", "on the podcast feed"],
        "programme" => &["the Today programme", "Radio 4's World at One", "the debate", "the phone-in",
            "the programme", "the full broadcast"],
        "whom" => &["the patients", "the families", "the teachers", "the people of this city",
            "the evidence", "the scientists", "the victims"],
        "hazard" => &["black ice", "flooding", "falling branches", "fog patches", "debris", "loose tiles"],
        "on_roads" => &["on untreated roads", "on the coast road", "in low-lying areas", "on rural routes",
            "near rivers", "in exposed places"],
        "people" => &["people", "residents", "passengers", "workers", "students", "fans", "patients"],
        "were" => &["were evacuated", "were left stranded overnight", "have signed the petition",
            "attended the vigil", "were affected", "took part in the protest", "were treated in hospital"],
        "when" => &["next week", "in the spring", "on Thursday", "later this month", "when parliament returns",
            "before the summer", "in the autumn statement"],
        "goal" => &["the bridge can reopen", "the school is safe", "the deal is signed", "the ban is lifted",
            "patients see a difference"],
        "shows" => &["shows", "has found", "suggests", "indicates", "published last year found"],
        "meeting" => &["meeting", "talks", "funeral", "ceremony", "hearing", "summit"],
        "group" => &["senior officials from both countries", "the families of the victims", "several former ministers",
            "representatives of the unions", "local residents", "taxpayers", "small businesses"],
        "listed" => &["dead", "injured", "winners", "candidates", "new appointments", "people honoured"],
        "someone" => &["a retired teacher", "a local councillor's son", "a former international", "a 17-year-old student",
            "the company's founder"],
        "updates" => &["updates", "travel advice", "information", "timetables", "closures"],
        "vulnerable" => &["elderly neighbours", "vulnerable relatives", "people living alone", "older friends"],
        // Spanish.
        "doc_m" => &["comunicado", "informe", "auto", "fallo", "dictamen", "documento", "discurso",
            "decreto", "acuerdo", "escrito", "manifiesto", "reglamento", "protocolo", "expediente"],
        "doc_f" => &["sentencia", "carta", "resolución", "transcripción", "denuncia", "querella",
            "declaración", "propuesta", "circular", "iniciativa", "auditoría", "entrevista"],
        "donde" => &["en la web de {org}", "en la página web de {org}", "más abajo", "en el documento adjunto",
            "en el Boletín Oficial del Estado", "en el Diario Oficial de la Federación", "en la web del tribunal",
            "en el anexo de esta información"],
        "persona" => &["el alcalde", "la alcaldesa", "la ministra", "el juez", "la fiscal",
            "el portavoz del Gobierno", "la presidenta de la asociación", "el director del hospital",
            "el gobernador", "la consejera de Sanidad", "el jefe de bomberos", "la abogada de la familia"],
        "cosa" => &["la letra pequeña", "el contrato", "las condiciones", "la factura"],
        "accion" => &["firmar", "pagar", "aceptar la oferta", "rellenar el formulario", "tomar el medicamento"],
        "aconsejo" => &["advirtió", "aconsejó", "recomendó", "insistió"],
        "clausula" => &["el tribunal rechazó el recurso", "la obra se retrasó dos años", "las cuentas no cuadran",
            "el acuerdo fracasó", "la empresa fue sancionada"],
        "evento" => &["la rueda de prensa", "el debate", "la sesión de control", "la comparecencia del ministro",
            "la audiencia", "el pleno"],
        "asunto" => &["el incendio de la fábrica", "la desaparición de los fondos", "el accidente del autobús",
            "las irregularidades en la licitación", "el derrumbe del edificio", "la muerte del joven",
            "el robo en el museo"],
        "desaparecido" => &["los dos excursionistas", "el pescador desaparecido el domingo", "la menor",
            "el conductor del camión"],
        "lugar" => &["la sierra", "la costa", "el río", "la zona del derrumbe", "el parque nacional"],
        "color" => &["amarilla", "naranja", "roja"],
        "fenomeno" => &["lluvias", "calor", "viento", "nevadas", "oleaje"],
        "visual_m" => &["gráfico", "mapa", "cuadro"],
        "unidad" => &["provincia", "comunidad", "estado", "municipio", "grupo de edad", "sector"],
        "grupo" => &["niños", "vecinos", "trabajadores", "alumnos", "pacientes"],
        "sitio" => &["sus casas", "las aulas", "la fábrica", "el barrio"],
        "predicado" => &["fueron evacuadas", "se quedaron sin luz", "firmaron la petición",
            "participaron en la marcha", "resultaron heridas", "fueron atendidas en el hospital"],
        "tema" => &["las ayudas", "el nuevo calendario", "la convocatoria", "los cortes de tráfico",
            "el programa de vacunación"],
        "mas_tarde" => &["la Policía Nacional confirmó la detención de dos sospechosos",
            "el INE publicó las cifras definitivas", "la Fiscalía anunció un recurso",
            "el Ayuntamiento rectificó su versión inicial", "el Ministerio de Sanidad actualizó el balance de heridos",
            "la empresa emitió un comunicado"],
        "org_emerg" => &["Protección Civil", "la Guardia Civil", "la AEMET", "la Cruz Roja", "los bomberos",
            "las autoridades sanitarias", "el Ayuntamiento"],
        "org_inv" => &["la Fiscalía", "la Policía Nacional", "la Guardia Civil", "la Procuraduría",
            "los Mossos d'Esquadra", "la Policía Federal"],
        "org_tiempo" => &["la AEMET", "el Servicio Meteorológico Nacional", "Protección Civil"],
        "org_estudio" => &["la Universidad de Salamanca", "la UNAM", "el CSIC", "la Universidad Complutense",
            "el Ministerio de Educación", "la OCDE"],
        "canal" => &["el Congreso", "el Senado", "la Presidencia", "la Cámara de Diputados", "el Ayuntamiento",
            "el tribunal"],
        "fuente" => &["Protección Civil", "la Cruz Roja", "los organizadores", "la policía",
            "las autoridades locales", "la Delegación del Gobierno"],
        _ => return None,
    };
    Some(pick(rng, list).to_string())
}

#[rustfmt::skip]
const ES_BODY_ORGS: &[&str] = &[
    "el Ministerio de Sanidad", "la Fiscalía General", "el Tribunal Supremo", "la Secretaría de Salud",
    "el Banco de España", "el Ayuntamiento", "la Comisión Europea", "la Suprema Corte",
    "la Secretaría de Hacienda", "el Banco de México", "la Junta de Andalucía", "el Congreso",
    "el Senado", "la Audiencia Nacional", "el Tribunal Constitucional", "la Presidencia",
];

/// Fills a body-sentence template; `Err` names an unknown placeholder.
fn body_fill(rng: &mut ChaCha8Rng, template: &str, lang: Lang) -> Result<String, String> {
    let mut s = template.to_string();
    for _ in 0..32 {
        let Some(start) = s.find('{') else {
            break;
        };
        let Some(len) = s[start..].find('}') else {
            break;
        };
        let key = s[start + 1..start + len].to_string();
        let value = if key == "org" && lang == Lang::Es {
            pick(rng, ES_BODY_ORGS).to_string()
        } else {
            body_filler(rng, &key)
                .ok_or_else(|| format!("body-sentence template {template:?}: unknown {{{key}}}"))?
        };
        s.replace_range(start..start + len + 1, &value);
    }
    if s.contains(['{', '}']) {
        return Err(format!("body-sentence template {template:?}: left {s:?}"));
    }
    // Grammar the fillers cannot know: "de el" contracts, "Customs's" is "Customs'".
    s = if lang == Lang::Es {
        s.replace(" de el ", " del ").replace(" a el ", " al ")
    } else {
        s.replace("s's ", "s' ")
    };
    Ok(s)
}

/// One body sentence in `lang`, and its cue word.
fn body_cue_sentence(rng: &mut ChaCha8Rng, lang: Lang) -> Result<(&'static str, String), String> {
    let cues = if lang == Lang::Es {
        ES_BODY_CUES
    } else {
        EN_BODY_CUES
    };
    let total: u32 = cues.iter().map(|c| c.weight).sum();
    let mut r = rng.gen_range(0..total);
    let mut chosen = &cues[0];
    for c in cues {
        if r < c.weight {
            chosen = c;
            break;
        }
        r -= c.weight;
    }
    let template = *pick(rng, chosen.templates);
    Ok((chosen.cue, body_fill(rng, template, lang)?))
}

/// Byte ranges `(end of the left sentence, start of the right one)` where `text` may be split
/// into two sentences: after `.`, `!` or `?` (and a closing quote), before a capital, with at
/// least 50 characters on the left and 30 on the right, not after an abbreviation or initial.
fn sentence_boundaries(text: &str, re: &Regex) -> Vec<(usize, usize)> {
    const ABBREV: &[&str] = &[
        "Inc", "Corp", "Ltd", "Sra", "Gov", "Sen", "Rep", "Capt", "Prof", "Dña", "Gral", "Lic",
        "Ing", "etc", "vs", "approx", "Col", "Gen", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov",
        "Dec",
    ];
    let mut out = Vec::new();
    for caps in re.captures_iter(text) {
        let (Some(punct), Some(next)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        let left = &text[..punct.end()];
        let right = &text[next.start()..];
        if left.chars().count() < 50 || right.chars().count() < 30 {
            continue;
        }
        let last = text[..punct.start()].rsplit(' ').next().unwrap_or("");
        let word = last.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
        let short_capital =
            word.chars().count() <= 3 && word.chars().next().is_some_and(char::is_uppercase);
        if word.is_empty() || word.contains('.') || short_capital || ABBREV.contains(&word) {
            continue;
        }
        out.push((punct.end(), next.start()));
    }
    out
}

fn has_smart_quotes(a: &Article) -> bool {
    a.source != WEB && fnv1a(&a.id) % 100 < SMART_QUOTES_PERCENT
}

/// What [`add_body_cues`] did, for the statistics.
#[derive(Default)]
struct BodyCues {
    /// Sentences per (language, cue word).
    by_cue: BTreeMap<(&'static str, &'static str), usize>,
    /// Placed by splitting a body paragraph.
    split: usize,
    /// Placed between two news paragraphs.
    between: usize,
    /// Chosen articles with no place for one (no body paragraph to split, no gap).
    no_place: usize,
    /// Sentences drawn again (already a text of the corpus, or of a test line's shape).
    redrawn: usize,
    /// The sentences.
    texts: BTreeSet<String>,
}

/// Adds one synthetic body sentence starting with a cue word to a hash-chosen share of the woven
/// training articles (see the section comment above). `taken` holds every text of the corpus
/// (news, inserts and ads of train and samples): a sentence is never one of them.
fn add_body_cues(
    woven: &mut [(usize, Vec<Para>)],
    all: &[Article],
    taken: &dyn Fn(&str) -> bool,
    seed: u64,
) -> Result<BodyCues, String> {
    let shapes = Regex::new(TEST_LINE_SHAPES).expect("static regex");
    let boundary = Regex::new(r#"([.!?]["”’»]?)\s+(["“«¿¡]?[A-ZÁÉÍÓÚÑ])"#).expect("static regex");
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ BODY_CUE_SALT);
    let mut out = BodyCues::default();
    for (i, paras) in woven.iter_mut() {
        let a = &all[*i];
        let per_mille = match a.lang {
            Lang::En => BODY_CUE_PER_MILLE_EN,
            Lang::Es => BODY_CUE_PER_MILLE_ES,
            Lang::Pt => continue,
        };
        if fnv1a(&format!("body-cue:{}", a.id)) % 1000 >= per_mille {
            continue;
        }
        // Body paragraphs that can be split, and gaps between two news paragraphs (not right
        // after the headline).
        let splits: Vec<(usize, Vec<(usize, usize)>)> = (1..paras.len())
            .filter(|&j| paras[j].label == Label::News)
            .map(|j| (j, sentence_boundaries(&paras[j].text, &boundary)))
            .filter(|(_, b)| !b.is_empty())
            .collect();
        let gaps: Vec<usize> = (2..paras.len())
            .filter(|&j| paras[j - 1].label == Label::News && paras[j].label == Label::News)
            .collect();
        let split = match (splits.is_empty(), gaps.is_empty()) {
            (true, true) => {
                out.no_place += 1;
                continue;
            }
            (false, true) => true,
            (true, false) => false,
            (false, false) => rng.gen_bool(P_BODY_CUE_SPLIT),
        };
        let mut sentence = None;
        for _ in 0..50 {
            let (cue, s) = body_cue_sentence(&mut rng, a.lang)?;
            let s = if has_smart_quotes(a) {
                smart_quotes(&s)
            } else {
                s
            };
            if taken(&s)
                || out.texts.contains(&s)
                || FORBIDDEN.contains(&s.as_str())
                || shapes.is_match(&s)
            {
                out.redrawn += 1;
                continue;
            }
            sentence = Some((cue, s));
            break;
        }
        let Some((cue, s)) = sentence else {
            return Err(format!("{}: no new body sentence in 50 draws", a.id));
        };
        if split {
            let (j, bounds) = pick(&mut rng, &splits);
            let (left_end, right_start) = *pick(&mut rng, bounds);
            let text = paras[*j].text.clone();
            let left = news(text[..left_end].trim().to_string());
            let right = news(text[right_start..].trim().to_string());
            paras.splice(*j..=*j, [left, news(s.clone()), right]);
            out.split += 1;
        } else {
            let j = *pick(&mut rng, &gaps);
            paras.insert(j, news(s.clone()));
            out.between += 1;
        }
        *out.by_cue.entry((a.lang.code(), cue)).or_default() += 1;
        out.texts.insert(s);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Weaving inserts and ads into articles
// ---------------------------------------------------------------------------------------------

/// A headline pool: where headlines come from, how often, and whether a headline may stand
/// alone (bare) — only if it is never `news` anywhere in the corpus.
struct Pool {
    items: Vec<String>,
    weight: u32,
    bare_ok: bool,
    /// Reuters ALL CAPS titles: used as-is half the time, re-cased otherwise.
    reuters: bool,
}

struct Pools {
    en: Vec<Pool>,
    es: Vec<Pool>,
    related_en: Vec<String>,
    related_es: Vec<String>,
    headers_en: Vec<String>,
    headers_es: Vec<String>,
    ads_en: Vec<String>,
    ads_es: Vec<String>,
}

/// Options for one article's weaving (the samples force a few hard cases).
#[derive(Default, Clone)]
struct WeaveOpts {
    force_ad: bool,
    force_bare: bool,
    force_lead: Option<&'static str>,
    min_inserts: usize,
}

struct Weaver<'a> {
    pools: &'a Pools,
    news: &'a BTreeSet<String>,
    generated: BTreeMap<String, Label>,
    redrawn: usize,
}

impl Weaver<'_> {
    /// Whether `text` may be emitted under `label`: not `news` anywhere, not forbidden, not
    /// already emitted under another label.
    fn accept(&mut self, text: &str, label: Label) -> bool {
        let ok = !text.trim().is_empty()
            && !self.news.contains(text)
            && !FORBIDDEN.contains(&text)
            && self.generated.get(text).is_none_or(|l| *l == label);
        if ok {
            self.generated.insert(text.to_string(), label);
        } else {
            self.redrawn += 1;
        }
        ok
    }

    fn headline(&mut self, rng: &mut ChaCha8Rng, lang: Lang, bare: bool, own: &str) -> String {
        let pools = if lang == Lang::Es {
            &self.pools.es
        } else {
            &self.pools.en
        };
        let eligible: Vec<&Pool> = pools
            .iter()
            .filter(|p| !p.items.is_empty() && (p.bare_ok || !bare))
            .collect();
        let total: u32 = eligible.iter().map(|p| p.weight).sum();
        for _ in 0..100 {
            let mut r = rng.gen_range(0..total);
            let mut chosen = eligible[0];
            for p in &eligible {
                if r < p.weight {
                    chosen = p;
                    break;
                }
                r -= p.weight;
            }
            let h = pick(rng, &chosen.items).clone();
            let h = if chosen.reuters && rng.gen_bool(0.5) {
                recase_reuters(&h, rng.gen_bool(0.4))
            } else {
                h
            };
            if h == own || (bare && (self.news.contains(&h) || FORBIDDEN.contains(&h.as_str()))) {
                self.redrawn += 1;
                continue;
            }
            return h;
        }
        // Pools are large; reaching this means an input is nearly empty.
        String::new()
    }

    fn decorate_bare(rng: &mut ChaCha8Rng, h: String) -> String {
        match rng.gen_range(0..100) {
            0..=5 if !h.ends_with(['.', '?', '!']) => format!("{h}."),
            6..=8 => format!("“{h}”"),
            9..=10 => format!("{h} »"),
            11 => format!("» {h}"),
            12 => format!("{h} →"),
            _ => h,
        }
    }

    fn lead_in(rng: &mut ChaCha8Rng, lang: Lang, template: &str, h: &str) -> String {
        let site = *pick(rng, if lang == Lang::Es { ES_SITES } else { EN_SITES });
        let h = if rng.gen_bool(0.05) && !h.ends_with(['.', '?', '!']) {
            format!("{h}.")
        } else {
            h.to_string()
        };
        template
            .replace("{SITE}", &site.to_uppercase())
            .replace("{site}", site)
            .replacen("{}", &h, 1)
    }

    /// One insert event: usually one row, sometimes a header followed by headlines.
    fn insert(
        &mut self,
        rng: &mut ChaCha8Rng,
        article_lang: Lang,
        own: &str,
        kind: Option<InsertKind>,
    ) -> Vec<String> {
        let lang = match article_lang {
            Lang::En if rng.gen_bool(0.07) => Lang::Es,
            Lang::Es if rng.gen_bool(0.10) => Lang::En,
            Lang::Pt => {
                if rng.gen_bool(0.5) {
                    Lang::Es
                } else {
                    Lang::En
                }
            }
            l => l,
        };
        let kind = kind.unwrap_or_else(|| {
            let r = rng.gen_range(0..100);
            match lang {
                // The real lines are few: kept rare so that none repeats too often.
                Lang::Es => match r {
                    0..=63 => InsertKind::Lead(None),
                    64..=81 => InsertKind::Bare,
                    82..=92 => InsertKind::Follow,
                    93..=94 => InsertKind::Real,
                    _ => InsertKind::Block,
                },
                _ => match r {
                    0..=58 => InsertKind::Lead(None),
                    59..=84 => InsertKind::Bare,
                    85..=93 => InsertKind::Follow,
                    94 => InsertKind::Real,
                    _ => InsertKind::Block,
                },
            }
        });
        for _ in 0..20 {
            let rows: Vec<String> = match &kind {
                InsertKind::Lead(forced) => {
                    let h = self.headline(rng, lang, false, own);
                    let template = match forced {
                        Some(t) => *t,
                        None => *pick(rng, if lang == Lang::Es { ES_LEADS } else { EN_LEADS }),
                    };
                    vec![Self::lead_in(rng, lang, template, &h)]
                }
                InsertKind::Bare => {
                    let h = self.headline(rng, lang, true, own);
                    vec![Self::decorate_bare(rng, h)]
                }
                InsertKind::Follow => {
                    let (templates, topics) = if lang == Lang::Es {
                        (ES_FOLLOW, ES_TOPICS)
                    } else {
                        (EN_FOLLOW, EN_TOPICS)
                    };
                    let t = pick(rng, templates);
                    let topic: &&str = pick(rng, topics);
                    vec![fill_topic(t, topic)]
                }
                InsertKind::Real => {
                    let list = if lang == Lang::Es {
                        &self.pools.related_es
                    } else {
                        &self.pools.related_en
                    };
                    vec![pick(rng, list).clone()]
                }
                InsertKind::Block => {
                    let (fixed, real) = if lang == Lang::Es {
                        (ES_HEADERS, &self.pools.headers_es)
                    } else {
                        (EN_HEADERS, &self.pools.headers_en)
                    };
                    let header = if rng.gen_bool(0.4) && !real.is_empty() {
                        pick(rng, real).clone()
                    } else {
                        pick(rng, fixed).to_string()
                    };
                    let mut rows = vec![header];
                    for _ in 0..rng.gen_range(1..=3) {
                        let h = self.headline(rng, lang, true, own);
                        if !rows.contains(&h) {
                            rows.push(h);
                        }
                    }
                    rows
                }
            };
            let mut all_ok = true;
            for r in &rows {
                // Check all rows (each registers itself when accepted).
                if !self.accept(r, Label::Related) {
                    all_ok = false;
                }
            }
            if all_ok {
                return rows;
            }
        }
        Vec::new()
    }

    fn ad_line(
        &mut self,
        rng: &mut ChaCha8Rng,
        lang: Lang,
        make: fn(&mut ChaCha8Rng, Lang) -> String,
    ) -> Option<String> {
        for _ in 0..20 {
            let line = make(rng, lang);
            if self.accept(&line, Label::Ad) {
                return Some(line);
            }
        }
        None
    }

    fn real_ad(&mut self, rng: &mut ChaCha8Rng, lang: Lang) -> Option<String> {
        let list = if lang == Lang::Es {
            &self.pools.ads_es
        } else {
            &self.pools.ads_en
        };
        for _ in 0..20 {
            let line = pick(rng, list).clone();
            if self.accept(&line, Label::Ad) {
                return Some(line);
            }
        }
        None
    }

    /// A block of one to five short ad lines.
    fn ad_block(&mut self, rng: &mut ChaCha8Rng, article_lang: Lang) -> Vec<String> {
        let lang = match article_lang {
            Lang::En if rng.gen_bool(0.04) => Lang::Es,
            Lang::Es if rng.gen_bool(0.12) => Lang::En,
            Lang::Pt => Lang::Es,
            l => l,
        };
        let n = match rng.gen_range(0..100) {
            0..=21 => 1,
            22..=54 => 2,
            55..=74 => 3,
            75..=89 => 4,
            _ => 5,
        };
        let mut lines: Vec<Option<String>> = Vec::new();
        match rng.gen_range(0..100) {
            // A dated list title and brands, as in the seed article.
            0..=29 => {
                lines.push(self.ad_line(rng, lang, ad_title));
                while lines.len() < n {
                    lines.push(self.ad_line(rng, lang, brand_line));
                }
            }
            // A widget: brand, offer, call to action or rating, disclaimer.
            30..=54 => {
                let steps: [fn(&mut ChaCha8Rng, Lang) -> String; 5] = [
                    brand_line,
                    offer,
                    if rng.gen_bool(0.5) { cta } else { rating },
                    disclaimer,
                    offer,
                ];
                for step in steps.iter().take(n) {
                    lines.push(self.ad_line(rng, lang, *step));
                }
            }
            // A ranked list.
            55..=66 => {
                if n > 2 {
                    lines.push(self.ad_line(rng, lang, ad_title));
                }
                let mut rank = 1;
                while lines.len() < n {
                    let style = rng.gen_range(0..3);
                    let line = self.ad_line(rng, lang, brand_line).map(|b| match style {
                        0 => format!("{rank}. {b}"),
                        1 => format!("#{rank} {b}"),
                        _ => format!("{rank}) {b}"),
                    });
                    rank += 1;
                    lines.push(line.filter(|l| self.accept(l, Label::Ad)));
                }
            }
            // Real affiliate copy, sometimes with a disclaimer.
            67..=89 => {
                while lines.len() < n {
                    if lines.len() + 1 == n && n > 1 && rng.gen_bool(0.4) {
                        lines.push(self.ad_line(rng, lang, disclaimer));
                    } else if rng.gen_bool(0.75) {
                        lines.push(self.real_ad(rng, lang));
                    } else {
                        lines.push(self.ad_line(rng, lang, offer));
                    }
                }
            }
            // Loose lines: offers and disclaimers.
            _ => {
                while lines.len() < n {
                    let make: fn(&mut ChaCha8Rng, Lang) -> String = match rng.gen_range(0..4) {
                        0 => disclaimer,
                        1 => cta,
                        _ => offer,
                    };
                    lines.push(self.ad_line(rng, lang, make));
                }
            }
        }
        let mut out: Vec<String> = Vec::new();
        for l in lines.into_iter().flatten() {
            if !out.contains(&l) {
                out.push(l);
            }
        }
        out
    }

    /// Returns the article's rows with inserts and ads woven in.
    fn weave(&mut self, rng: &mut ChaCha8Rng, a: &Article, opts: &WeaveOpts) -> Vec<Para> {
        let n = a.paras.len();
        let body = n - 1;
        // Number of related-insert events.
        let mut k = if a.lang == Lang::Pt {
            0
        } else if body <= 2 {
            usize::from(rng.gen_bool(0.4))
        } else {
            match rng.gen_range(0..100) {
                0..=35 => 0,
                36..=69 => 1,
                70..=87 => 2,
                88..=97 => 3,
                _ => 4,
            }
        };
        k = k.min(body / 2 + 1).max(opts.min_inserts);
        // Gap g means "before a.paras[g]"; g == n is the end. Gap 1 (right after the headline)
        // is a favourite place for "Follow live ..." lines.
        let mut gaps: Vec<usize> = (1..n).collect();
        gaps.shuffle(rng);
        let mut chosen: Vec<usize> = gaps.into_iter().take(k).collect();
        if k > 0 && rng.gen_bool(0.08) {
            chosen[0] = n;
        }
        let mut inserts: BTreeMap<usize, Vec<Para>> = BTreeMap::new();
        let mut forced: Vec<InsertKind> = Vec::new();
        if let Some(t) = opts.force_lead {
            forced.push(InsertKind::Lead(Some(t)));
        }
        if opts.force_bare {
            forced.push(InsertKind::Bare);
        }
        for (i, g) in chosen.iter().enumerate() {
            let kind = forced
                .get(i)
                .cloned()
                .or_else(|| (*g == 1 && rng.gen_bool(0.3)).then_some(InsertKind::Follow));
            let rows = self.insert(rng, a.lang, a.headline(), kind);
            inserts
                .entry(*g)
                .or_default()
                .extend(rows.into_iter().map(|t| para(t, Label::Related)));
        }
        // Ads: mostly at the end, sometimes in the middle.
        if opts.force_ad || rng.gen_bool(P_AD_BLOCK) {
            let block = self.ad_block(rng, a.lang);
            let rows = block.into_iter().map(|t| para(t, Label::Ad));
            if body >= 3 && rng.gen_bool(0.2) {
                let g = rng.gen_range(2..n);
                inserts.entry(g).or_default().extend(rows);
            } else {
                inserts.entry(n + 1).or_default().extend(rows);
                if body >= 4 && rng.gen_bool(P_SECOND_AD_BLOCK) {
                    let g = rng.gen_range(2..n);
                    let block = self.ad_block(rng, a.lang);
                    inserts
                        .entry(g)
                        .or_default()
                        .extend(block.into_iter().map(|t| para(t, Label::Ad)));
                }
            }
        }
        let mut out = Vec::with_capacity(n + 8);
        for (i, p) in a.paras.iter().enumerate() {
            if let Some(rows) = inserts.get(&i) {
                out.extend(rows.iter().cloned());
            }
            out.push(p.clone());
        }
        for g in [n, n + 1] {
            if let Some(rows) = inserts.get(&g) {
                out.extend(rows.iter().cloned());
            }
        }
        out
    }
}

#[derive(Clone)]
enum InsertKind {
    Lead(Option<&'static str>),
    Bare,
    Follow,
    Real,
    Block,
}

// ---------------------------------------------------------------------------------------------
// The build
// ---------------------------------------------------------------------------------------------

/// Drops articles whose paragraphs repeat an earlier article's (the BBC and Reuters sets hold
/// some stories twice), counting them per source.
fn dedupe(articles: Vec<Article>, counts: &mut BTreeMap<&'static str, usize>) -> Vec<Article> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for a in articles {
        let key: String = a.paras[1..]
            .iter()
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

struct SampleSpec {
    source: &'static str,
    opts: WeaveOpts,
    filter: fn(&Article) -> bool,
}

fn body_between(a: &Article, lo: usize, hi: usize) -> bool {
    (lo..=hi).contains(&a.body_len()) && a.paras.iter().all(|p| p.label == Label::News)
}

fn sample_specs() -> Vec<SampleSpec> {
    let ad = WeaveOpts {
        force_ad: true,
        min_inserts: 1,
        ..WeaveOpts::default()
    };
    let plain = WeaveOpts {
        min_inserts: 1,
        ..WeaveOpts::default()
    };
    let bare = WeaveOpts {
        force_bare: true,
        min_inserts: 2,
        ..WeaveOpts::default()
    };
    let lee = WeaveOpts {
        force_lead: Some("Lee también: {}"),
        min_inserts: 2,
        force_ad: true,
        ..WeaveOpts::default()
    };
    let bare_es = WeaveOpts {
        force_bare: true,
        min_inserts: 1,
        ..WeaveOpts::default()
    };
    fn spec(source: &'static str, opts: &WeaveOpts, filter: fn(&Article) -> bool) -> SampleSpec {
        SampleSpec {
            source,
            opts: opts.clone(),
            filter,
        }
    }
    vec![
        // A gambling-regulation article (casinos bill) with a gambling ad block: the hardest case.
        spec(BBC, &ad, |a| a.id == "bbc-en-politics-133"),
        spec(REUTERS, &ad, |a| {
            a.headline().contains("CASINO") && body_between(a, 3, 12)
        }),
        spec(BBC, &bare, |a| {
            a.topic == "business" && !a.hard && body_between(a, 5, 12)
        }),
        spec(BBC, &plain, |a| {
            a.topic == "entertainment" && !a.hard && body_between(a, 4, 12)
        }),
        spec(BBC, &plain, |a| {
            a.topic == "politics" && !a.hard && body_between(a, 5, 14)
        }),
        spec(BBC, &ad, |a| {
            a.topic == "sport" && !a.hard && body_between(a, 5, 14)
        }),
        spec(BBC, &plain, |a| {
            a.topic == "tech" && !a.hard && body_between(a, 5, 14)
        }),
        spec(BBC, &bare, |a| {
            a.topic == "tech" && !a.hard && body_between(a, 6, 14)
        }),
        spec(REUTERS, &plain, |a| !a.hard && body_between(a, 4, 10)),
        spec(REUTERS, &bare, |a| !a.hard && body_between(a, 5, 10)),
        spec(REUTERS, &ad, |a| !a.hard && body_between(a, 4, 10)),
        spec(ES_NEWS, &lee, |a| body_between(a, 6, 16)),
        spec(ES_NEWS, &lee, |a| body_between(a, 5, 16)),
        spec(ES_NEWS, &bare_es, |a| body_between(a, 5, 16)),
        spec(ES_NEWS, &ad, |a| body_between(a, 5, 16)),
        spec(ES_WEB, &plain, |a| body_between(a, 4, 14)),
        spec(ES_WEB, &ad, |a| body_between(a, 4, 14)),
        spec(WEB, &ad, |a| a.id == "web-en-telegraph"),
        spec(WEB, &bare, |a| a.id == "web-en-ars-1"),
        spec(BBC, &ad, |a| {
            a.topic == "business" && !a.hard && body_between(a, 4, 10)
        }),
    ]
}

/// Rows of one article as written.
struct Row<'a> {
    article: &'a str,
    source: &'static str,
    lang: Lang,
    text: String,
    label: Label,
}

/// Builds the corpus from `raw` into `out`. See the module docs.
pub fn build(raw: &Path, out: &Path, seed: u64) -> Result<Summary, String> {
    let pat = Patterns::new();
    let mut summary = Summary {
        seed,
        ..Summary::default()
    };
    let mut cue_splits = 0usize;

    // 1. Load every source, drop duplicate articles.
    let mut all = load_bbc(raw, &pat, &mut cue_splits)?;
    all.extend(load_reuters(raw, &pat)?);
    all.extend(load_es(raw, &pat)?);
    all.extend(load_web(raw, &pat)?);
    let mut all = dedupe(all, &mut summary.duplicate_articles);
    for a in &mut all {
        if has_smart_quotes(a) {
            for p in a.paras.iter_mut().filter(|p| p.label == Label::News) {
                p.text = smart_quotes(&p.text);
            }
        }
    }
    let raw_pools = load_pools(raw)?;

    // Paragraph texts that occur in more than one article (whatever the quote style): samples
    // must have none.
    let plain = |t: &str| t.replace(['“', '”'], "\"").replace(['‘', '’'], "'");
    let mut occurrences: BTreeMap<String, usize> = BTreeMap::new();
    for a in &all {
        for p in &a.paras {
            *occurrences.entry(plain(&p.text)).or_default() += 1;
        }
    }
    let unique = |a: &Article| a.paras.iter().all(|p| occurrences[&plain(&p.text)] == 1);

    let mut rng = ChaCha8Rng::seed_from_u64(seed);

    // 2. Choose the sample articles (held out of train), deterministically.
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut samples: Vec<(usize, WeaveOpts)> = Vec::new();
    for spec in sample_specs() {
        let mut candidates: Vec<usize> = (0..all.len())
            .filter(|&i| {
                let a = &all[i];
                a.source == spec.source && !taken.contains(&a.id) && (spec.filter)(a) && unique(a)
            })
            .collect();
        candidates.shuffle(&mut rng);
        let Some(&i) = candidates.first() else {
            return Err(format!("no candidate for a {} sample article", spec.source));
        };
        taken.insert(all[i].id.clone());
        samples.push((i, spec.opts));
    }

    // 3. Spanish headline donors (Fake items whose headlines stand alone as bare inserts).
    let mut donors: Vec<usize> = (0..all.len())
        .filter(|&i| {
            all[i].source == ES_WEB
                && !all[i].hard
                && !taken.contains(&all[i].id)
                && all[i].headline().chars().count() <= MAX_INSERT_HEADLINE_CHARS
        })
        .collect();
    donors.shuffle(&mut rng);
    donors.truncate(ES_HEADLINE_DONORS);
    for &i in &donors {
        taken.insert(all[i].id.clone());
    }

    // 4. Reuters: the hard negatives, then a seeded random share up to the row budget.
    let mut reuters: Vec<usize> = (0..all.len())
        .filter(|&i| all[i].source == REUTERS && !taken.contains(&all[i].id))
        .collect();
    reuters.shuffle(&mut rng);
    reuters.sort_by_key(|&i| !all[i].hard); // stable: hard ones first, each group shuffled
    let mut reuters_rows = 0usize;
    let mut unused_reuters: Vec<usize> = Vec::new();
    let mut train_idx: Vec<usize> = Vec::new();
    for i in reuters {
        if all[i].hard || reuters_rows < REUTERS_NEWS_ROWS {
            reuters_rows += all[i].news_paras();
            train_idx.push(i);
        } else {
            unused_reuters.push(i);
        }
    }
    for (i, a) in all.iter().enumerate() {
        if a.source != REUTERS && !taken.contains(&a.id) {
            train_idx.push(i);
        }
    }
    train_idx.sort_by(|&x, &y| all[x].id.cmp(&all[y].id));

    // 5. Every text that is `news` in train or in a sample: inserts and ads never reuse one.
    let mut news_texts: BTreeSet<String> = BTreeSet::new();
    for &i in train_idx.iter().chain(samples.iter().map(|(i, _)| i)) {
        for p in &all[i].paras {
            if p.label == Label::News {
                news_texts.insert(p.text.clone());
            }
        }
    }
    let sample_heads: BTreeSet<&str> = samples.iter().map(|(i, _)| all[*i].headline()).collect();

    // 6. Headline pools; a reserved slice of the bare-able ones goes to the samples only.
    let mut split_reserved = |mut v: Vec<String>, n: usize| -> (Vec<String>, Vec<String>) {
        v.retain(|h| !sample_heads.contains(h.as_str()));
        v.sort();
        v.dedup();
        v.shuffle(&mut rng);
        let rest = v.split_off(n.min(v.len()));
        (rest, v)
    };
    let (cb_news, cb_news_s) = split_reserved(raw_pools.clickbait_news.clone(), 150);
    let (cb_bait, cb_bait_s) = split_reserved(raw_pools.clickbait_bait.clone(), 150);
    let unused_titles: Vec<String> = unused_reuters
        .iter()
        .map(|&i| all[i].headline().to_string())
        .collect();
    let (reu_free, reu_free_s) = split_reserved(unused_titles, 80);
    let donor_heads: Vec<String> = donors
        .iter()
        .map(|&i| all[i].headline().to_string())
        .collect();
    let (es_donor, es_donor_s) = split_reserved(donor_heads, 20);
    let (nyt, nyt_s) = split_reserved(raw_pools.nyt_es.clone(), 8);
    let heads_of = |src: &str, lang: Lang| -> Vec<String> {
        let mut v: Vec<String> = train_idx
            .iter()
            .filter(|&&i| all[i].source == src && all[i].lang == lang)
            .map(|&i| all[i].headline().to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let pool = |mut items: Vec<String>, weight, bare_ok, reuters| {
        items.retain(|h| h.chars().count() <= MAX_INSERT_HEADLINE_CHARS);
        Pool {
            items,
            weight,
            bare_ok,
            reuters,
        }
    };
    let mut es_train_heads = heads_of(ES_NEWS, Lang::Es);
    es_train_heads.extend(heads_of(ES_WEB, Lang::Es));
    es_train_heads.extend(heads_of(WEB, Lang::Es));
    let train_pools = Pools {
        en: vec![
            pool(cb_news, 32, true, false),
            pool(cb_bait, 22, true, false),
            pool(heads_of(BBC, Lang::En), 16, false, false),
            pool(heads_of(REUTERS, Lang::En), 8, false, true),
            pool(reu_free, 12, true, true),
            pool(heads_of(WEB, Lang::En), 2, false, false),
        ],
        es: vec![
            pool(es_train_heads, 50, false, false),
            pool(es_donor, 38, true, false),
            pool(nyt, 12, true, false),
        ],
        related_en: raw_pools.related_en.clone(),
        related_es: raw_pools.related_es.clone(),
        headers_en: raw_pools.headers_en.clone(),
        headers_es: raw_pools.headers_es.clone(),
        ads_en: raw_pools.ads_en.clone(),
        ads_es: raw_pools.ads_es.clone(),
    };
    let sample_pools = Pools {
        en: vec![
            pool(cb_news_s, 40, true, false),
            pool(cb_bait_s, 25, true, false),
            pool(reu_free_s, 20, true, true),
        ],
        es: vec![
            pool(es_donor_s, 70, true, false),
            pool(nyt_s, 30, true, false),
        ],
        related_en: raw_pools.related_en.clone(),
        related_es: raw_pools.related_es.clone(),
        headers_en: raw_pools.headers_en.clone(),
        headers_es: raw_pools.headers_es.clone(),
        ads_en: raw_pools.ads_en.clone(),
        ads_es: raw_pools.ads_es.clone(),
    };

    // 7. Weave the training articles, in id order.
    let mut weaver = Weaver {
        pools: &train_pools,
        news: &news_texts,
        generated: BTreeMap::new(),
        redrawn: 0,
    };
    // Natural inserts and ads of the raw text count as already emitted under their label.
    for &i in &train_idx {
        for p in &all[i].paras {
            if p.label != Label::News {
                weaver.generated.entry(p.text.clone()).or_insert(p.label);
            }
        }
    }
    let mut woven: Vec<(usize, Vec<Para>)> = Vec::new();
    for &i in &train_idx {
        let paras = weaver.weave(&mut rng, &all[i], &WeaveOpts::default());
        woven.push((i, paras));
    }
    let generated = std::mem::take(&mut weaver.generated);
    summary.redrawn = weaver.redrawn;

    // 8. The samples, from their reserved pools, with the same rules.
    let mut sample_weaver = Weaver {
        pools: &sample_pools,
        news: &news_texts,
        generated,
        redrawn: 0,
    };
    let mut sample_rows: Vec<(usize, Vec<Para>)> = Vec::new();
    for (i, opts) in &samples {
        let paras = sample_weaver.weave(&mut rng, &all[*i], opts);
        sample_rows.push((*i, paras));
    }

    // 8b. Body hard negatives: one synthetic body sentence starting with a cue word in a
    //     hash-chosen share of the training articles, from the generator's own random stream.
    let body_cues = {
        let generated = &sample_weaver.generated;
        let taken = |t: &str| news_texts.contains(t) || generated.contains_key(t);
        add_body_cues(&mut woven, &all, &taken, seed)?
    };

    // 9. Shuffle article order (so that contiguous folds mix sources), then resolve any text
    //    that ended up under two labels: keep the label most of its rows carry (ties: news
    //    first), drop the other rows.
    woven.shuffle(&mut rng);
    let mut labels_of: BTreeMap<&str, BTreeMap<Label, usize>> = BTreeMap::new();
    for (_, paras) in &woven {
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
    for (i, paras) in &woven {
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
        if FORBIDDEN.contains(&r.text.as_str()) {
            return Err(format!("forbidden text in train: {:?}", r.text));
        }
    }

    // 10. Write.
    fs::create_dir_all(out.join("articles")).map_err(|e| format!("{}: {e}", out.display()))?;
    write_csv(
        &out.join("train.csv"),
        rows.iter()
            .map(|r| (r.article, r.text.as_str(), r.label, r.source)),
    )?;
    for old in sorted_entries(&out.join("articles"))? {
        if old.extension().and_then(|s| s.to_str()) == Some("txt") {
            fs::remove_file(&old).map_err(|e| format!("{}: {e}", old.display()))?;
        }
    }
    let mut sample_csv: Vec<(&str, &str, Label, &'static str)> = Vec::new();
    for (i, paras) in &sample_rows {
        let a = &all[*i];
        let text: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
        let path = out.join("articles").join(format!("{}.txt", a.id));
        fs::write(&path, text.join("\n\n") + "\n")
            .map_err(|e| format!("{}: {e}", path.display()))?;
        for p in paras {
            sample_csv.push((&a.id, &p.text, p.label, a.source));
        }
    }
    write_csv(&out.join("articles-labels.csv"), sample_csv.iter().copied())?;

    // 11. Statistics.
    let mut gambling_by_source: BTreeMap<&'static str, usize> = BTreeMap::new();
    for a in train_idx
        .iter()
        .chain(samples.iter().map(|(i, _)| i))
        .map(|&i| &all[i])
    {
        if a.paras
            .iter()
            .any(|p| p.label == Label::News && pat.gambling.is_match(&p.text))
        {
            *gambling_by_source.entry(a.source).or_default() += 1;
        }
    }
    let stats = Stats {
        rows: &rows,
        samples: &sample_rows
            .iter()
            .map(|(i, p)| (&all[*i], p.len()))
            .collect::<Vec<_>>(),
        gambling: gambling_by_source.values().sum(),
        gambling_by_source,
        cue_paras: rows
            .iter()
            .filter(|r| {
                r.label == Label::News
                    && pat.cue_start.is_match(&r.text)
                    && !body_cues.texts.contains(&r.text)
            })
            .count(),
        body_cues: &body_cues,
        cue_splits,
        donors: donors.len(),
        unused_reuters: unused_reuters.len(),
    };
    fill_summary(&mut summary, &stats);
    summary.samples = sample_rows.len();
    summary.stats_md = stats_markdown(&summary, &stats);
    let stats_path = out.join("STATS.md");
    fs::write(&stats_path, &summary.stats_md)
        .map_err(|e| format!("{}: {e}", stats_path.display()))?;
    splice_readme(&out.join("README.md"), &summary.stats_md)?;
    Ok(summary)
}

fn write_csv<'a>(
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

struct Stats<'a> {
    rows: &'a [Row<'a>],
    samples: &'a [(&'a Article, usize)],
    gambling: usize,
    gambling_by_source: BTreeMap<&'static str, usize>,
    cue_paras: usize,
    cue_splits: usize,
    body_cues: &'a BodyCues,
    donors: usize,
    unused_reuters: usize,
}

fn fill_summary(s: &mut Summary, st: &Stats) {
    s.rows = st.rows.len();
    let mut articles: BTreeSet<&str> = BTreeSet::new();
    for r in st.rows {
        *s.rows_by_label.entry(r.label.as_str()).or_default() += 1;
        *s.rows_by_source_label
            .entry((r.source, r.label.as_str()))
            .or_default() += 1;
        *s.rows_by_lang_label
            .entry((r.lang.code(), r.label.as_str()))
            .or_default() += 1;
        if articles.insert(r.article) {
            *s.articles_by_source_lang
                .entry((r.source, r.lang.code()))
                .or_default() += 1;
        }
    }
    s.articles = articles.len();
}

fn stats_markdown(s: &Summary, st: &Stats) -> String {
    let mut md = String::new();
    let g =
        |m: &BTreeMap<(&str, &str), usize>, a: &str, b: &str| m.get(&(a, b)).copied().unwrap_or(0);
    let _ = writeln!(
        md,
        "Generated by `examples/build_data.rs` (seed `{:#x}`); do not edit by hand.\n",
        s.seed
    );
    let _ = writeln!(
        md,
        "`train.csv`: **{} rows** in **{} articles**: {} `news`, {} `related`, {} `ad`.\n",
        s.rows,
        s.articles,
        s.rows_by_label.get("news").copied().unwrap_or(0),
        s.rows_by_label.get("related").copied().unwrap_or(0),
        s.rows_by_label.get("ad").copied().unwrap_or(0),
    );
    let _ = writeln!(md, "| source | articles | rows | news | related | ad |");
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|");
    for src in SOURCES {
        let arts: usize = ["en", "es", "pt"]
            .iter()
            .map(|l| g(&s.articles_by_source_lang, src, l))
            .sum();
        let per: Vec<usize> = Label::ALL
            .iter()
            .map(|l| g(&s.rows_by_source_label, src, l.as_str()))
            .collect();
        let _ = writeln!(
            md,
            "| {src} | {arts} | {} | {} | {} | {} |",
            per.iter().sum::<usize>(),
            per[0],
            per[1],
            per[2]
        );
    }
    let _ = writeln!(md, "\n| language | articles | rows | news | related | ad |");
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|");
    for lang in ["en", "es", "pt"] {
        let arts: usize = SOURCES
            .iter()
            .map(|src| g(&s.articles_by_source_lang, src, lang))
            .sum();
        let per: Vec<usize> = Label::ALL
            .iter()
            .map(|l| g(&s.rows_by_lang_label, lang, l.as_str()))
            .collect();
        let _ = writeln!(
            md,
            "| {lang} | {arts} | {} | {} | {} | {} |",
            per.iter().sum::<usize>(),
            per[0],
            per[1],
            per[2]
        );
    }
    let _ = writeln!(md, "\nArticles per source and language:");
    for ((src, lang), n) in &s.articles_by_source_lang {
        let _ = writeln!(md, "- {src}/{lang}: {n}");
    }
    let dups: Vec<String> = s
        .duplicate_articles
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    let _ = writeln!(md, "\nDuplicates and conflicts:");
    let _ = writeln!(
        md,
        "- duplicate articles dropped (same paragraphs as an earlier article): {}",
        if dups.is_empty() {
            "none".to_string()
        } else {
            dups.join(", ")
        }
    );
    let _ = writeln!(
        md,
        "- generated lines drawn again (text already `news`, already under another label, or forbidden): {}",
        s.redrawn
    );
    let _ = writeln!(
        md,
        "- texts under two labels after weaving, resolved: {} ({} rows dropped)",
        s.conflicts_resolved, s.conflict_rows_dropped
    );
    let mut per_label: BTreeMap<Label, (usize, BTreeSet<&str>)> = BTreeMap::new();
    for r in st.rows {
        let e = per_label.entry(r.label).or_default();
        e.0 += 1;
        e.1.insert(r.text.as_str());
    }
    for (l, (n, distinct)) in &per_label {
        let _ = writeln!(
            md,
            "- `{}`: {n} rows, {} distinct texts",
            l.as_str(),
            distinct.len()
        );
    }
    let _ = writeln!(md, "\nHard negatives (all `news`):");
    let _ = writeln!(
        md,
        "- articles whose news text mentions casinos, gambling, betting, bookmakers, wagers or lotteries: {} ({}); such articles are never sampled away (Reuters) or used as headline donors (Spanish)",
        st.gambling,
        st.gambling_by_source
            .iter()
            .map(|(src, n)| format!("{src} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        md,
        "- natural news paragraphs starting with a cue word (Read, See, Follow, Following, Watch, Listen, Related, Lee, Mira, Sigue, ...): {} ({} of them split off BBC paragraphs at a sentence boundary)",
        st.cue_paras, st.cue_splits
    );
    let bc = st.body_cues;
    let per_lang = |lang: &str| -> (usize, String) {
        let mut v: Vec<(&str, usize)> = bc
            .by_cue
            .iter()
            .filter(|((l, _), _)| *l == lang)
            .map(|((_, c), n)| (*c, *n))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let total = v.iter().map(|(_, n)| n).sum();
        let list = v
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        (total, list)
    };
    let (en_n, en_list) = per_lang("en");
    let (es_n, es_list) = per_lang("es");
    let _ = writeln!(
        md,
        "- synthetic body sentences starting with a cue word (templated, one per article in about {}% of English and {}% of Spanish articles): {} ({} placed by splitting a body paragraph at a sentence boundary, {} between two news paragraphs; {} chosen articles had no place; {} draws rejected as an existing text or a test line's shape)",
        BODY_CUE_PER_MILLE_EN / 10,
        BODY_CUE_PER_MILLE_ES / 10,
        bc.texts.len(),
        bc.split,
        bc.between,
        bc.no_place,
        bc.redrawn
    );
    let _ = writeln!(md, "  - en {en_n}: {en_list}");
    let _ = writeln!(md, "  - es {es_n}: {es_list}");
    let _ = writeln!(md, "- headlines (position 0, `news`): {}", s.articles);
    let _ = writeln!(
        md,
        "- held back: {} Spanish `Fake` items used only for their headlines; {} Reuters stories not used (their titles feed inserts)",
        st.donors, st.unused_reuters
    );

    // Shape of each label: what a model could latch onto.
    let _ = writeln!(md, "\nShape per label (check for artefacts):\n");
    let _ = writeln!(
        md,
        "| label | rows | mean chars | ends . ! ? … | ends : | no terminal punct. | has digit | ALL CAPS | position 0 | last in article |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut last_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut first_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, r) in st.rows.iter().enumerate() {
        last_of.insert(r.article, i);
        first_of.entry(r.article).or_insert(i);
    }
    for l in Label::ALL {
        let rows: Vec<(usize, &Row)> = st
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.label == l)
            .collect();
        let n = rows.len().max(1) as f64;
        let pct = |f: &dyn Fn(usize, &Row) -> bool| {
            format!(
                "{:.1}%",
                100.0 * rows.iter().filter(|(i, r)| f(*i, r)).count() as f64 / n
            )
        };
        let ends = |r: &Row, set: &[char]| {
            r.text
                .trim_end_matches(['"', '”', '’', ')', ']', '»', '\''])
                .ends_with(set)
        };
        let mean = rows
            .iter()
            .map(|(_, r)| r.text.chars().count())
            .sum::<usize>() as f64
            / n;
        let _ = writeln!(
            md,
            "| {} | {} | {:.0} | {} | {} | {} | {} | {} | {} | {} |",
            l.as_str(),
            rows.len(),
            mean,
            pct(&|_, r| ends(r, &['.', '!', '?', '…'])),
            pct(&|_, r| r.text.ends_with(':')),
            pct(&|_, r| !ends(r, &['.', '!', '?', '…', ':'])),
            pct(&|_, r| r.text.chars().any(|c| c.is_ascii_digit())),
            pct(&|_, r| {
                let letters: Vec<char> = r.text.chars().filter(|c| c.is_alphabetic()).collect();
                letters.len() >= 4 && letters.iter().all(|c| !c.is_lowercase())
            }),
            pct(&|i, r| first_of[r.article] == i),
            pct(&|i, r| last_of[r.article] == i),
        );
    }
    let _ = writeln!(
        md,
        "\nSample articles (`articles/`, held out of `train.csv`): {}",
        st.samples.len()
    );
    for (a, n) in st.samples {
        let _ = writeln!(
            md,
            "- `{}` ({}, {}, {n} paragraphs)",
            a.id,
            a.source,
            a.lang.code()
        );
    }
    md
}

const BEGIN_STATS: &str = "<!-- BEGIN STATS (generated by examples/build_data.rs) -->";
const END_STATS: &str = "<!-- END STATS -->";

/// Replaces the text between the STATS markers of `README.md`, if it exists and has them.
fn splice_readme(path: &Path, stats: &str) -> Result<(), String> {
    let Ok(readme) = fs::read_to_string(path) else {
        return Ok(());
    };
    let (Some(b), Some(e)) = (readme.find(BEGIN_STATS), readme.find(END_STATS)) else {
        return Ok(());
    };
    if e < b {
        return Err(format!("{}: STATS markers out of order", path.display()));
    }
    let new = format!("{}{BEGIN_STATS}\n{stats}{}", &readme[..b], &readme[e..]);
    if new != readme {
        fs::write(path, new).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// A seed written in decimal or as `0x` hex.
fn parse_seed(v: &str) -> Option<u64> {
    match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16).ok(),
        None => v.parse().ok(),
    }
}

#[allow(dead_code)] // only the binary calls it; tests/data.rs includes this file as a module
fn main() {
    let mut raw = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/raw");
    let mut out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut seed = SEED;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--raw", Some(v)) => raw = PathBuf::from(v),
            ("--out", Some(v)) => out = PathBuf::from(v),
            ("--seed", Some(v)) => match parse_seed(&v) {
                Some(s) => seed = s,
                None => {
                    eprintln!("build_data: --seed {v:?}: expected a number (decimal or 0x hex)");
                    std::process::exit(2);
                }
            },
            _ => {
                eprintln!("build_data: usage: build_data [--raw DIR] [--out DIR] [--seed N]");
                std::process::exit(2);
            }
        }
    }
    let start = std::time::Instant::now();
    match build(&raw, &out, seed) {
        Ok(s) => {
            println!("{}", s.stats_md);
            println!(
                "wrote {} in {:.1}s",
                out.display(),
                start.elapsed().as_secs_f64()
            );
        }
        Err(e) => {
            eprintln!("build_data: {e}");
            std::process::exit(1);
        }
    }
}
