//! Reads Reuters-21578 (`raw/reuters21578/*.sgm`) and re-cases its ALL CAPS titles.

use super::Patterns;
use crate::article::{news, Article, Lang, REUTERS, REUTERS_SITE};
use crate::templates::templates;
use crate::text::{collapse_ws, fnv1a, read_text, sorted_entries, unescape_html};
use regex::Regex;
use std::path::Path;

/// An SGML field's text: the control characters (`&#3;`, ...) dropped, the character
/// references (`&lt;`, `&amp;`) decoded.
fn clean_sgml(s: &str, ctrl: &Regex) -> String {
    unescape_html(&ctrl.replace_all(s, ""))
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

/// The SGML patterns of the Reuters files.
struct Sgml {
    doc: Regex,
    newid: Regex,
    title: Regex,
    dateline: Regex,
    body: Regex,
    signoff: Regex,
    ctrl: Regex,
}

impl Sgml {
    fn new() -> Sgml {
        let re = |p: &str| Regex::new(p).expect("static regex");
        Sgml {
            doc: re(r"(?s)<REUTERS([^>]*)>(.*?)</REUTERS>"),
            newid: re(r#"NEWID="(\d+)""#),
            title: re(r"(?s)<TITLE>(.*?)</TITLE>"),
            dateline: re(r"(?s)<DATELINE>(.*?)</DATELINE>"),
            body: re(r"(?s)<BODY>(.*?)</BODY>"),
            signoff: re(r"(?i)\s*\breuters?\s*$"),
            ctrl: re(r"&#\d+;"),
        }
    }
}

/// The Reuters stories with a title and a prose body, `reuters-en-<newid>`.
pub fn load(raw: &Path, pat: &Patterns) -> Result<Vec<Article>, String> {
    let dir = raw.join("reuters21578");
    let sgml = Sgml::new();
    let mut out = Vec::new();
    for file in sorted_entries(&dir)? {
        if file.extension().and_then(|s| s.to_str()) != Some("sgm") {
            continue;
        }
        let text = read_text(&file)?;
        for doc in sgml.doc.captures_iter(&text) {
            let (attrs, inner) = (&doc[1], &doc[2]);
            let Some(newid) = sgml.newid.captures(attrs).map(|c| c[1].to_string()) else {
                continue;
            };
            if let Some(a) = article(&sgml, pat, &newid, inner) {
                out.push(a);
            }
        }
    }
    Ok(out)
}

/// One story as an article, or `None` if it has no title or body, is too short (unless a hard
/// negative), or is mostly tables.
fn article(sgml: &Sgml, pat: &Patterns, newid: &str, inner: &str) -> Option<Article> {
    let (Some(title), Some(body)) = (sgml.title.captures(inner), sgml.body.captures(inner)) else {
        return None;
    };
    let title = collapse_ws(&clean_sgml(&title[1], &sgml.ctrl));
    // The " Reuter" sign-off (the `&#3;` after it is gone with the control entities).
    let body = clean_sgml(&body[1], &sgml.ctrl);
    let body = sgml.signoff.replace(body.trim_end(), "").to_string();
    let (mut body_paras, tables) = body_paras(&body);
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
        return None;
    }
    let mut paras = vec![news(title)];
    if let Some(d) = sgml.dateline.captures(inner) {
        let d = collapse_ws(&clean_sgml(&d[1], &sgml.ctrl));
        let d = d
            .trim_end_matches(|c: char| c == '-' || c.is_whitespace())
            .to_string();
        if !d.is_empty() {
            // Half the datelines stay their own short row, half open the first paragraph
            // as on the wire ("TOKYO, March 26 - The ...").
            if fnv1a(newid).is_multiple_of(2) {
                paras.push(news(d));
            } else {
                body_paras[0] = format!("{d} - {}", body_paras[0]);
            }
        }
    }
    paras.extend(body_paras.into_iter().map(news));
    Some(Article {
        id: format!("reuters-en-{newid:0>5}"),
        source: REUTERS,
        site: REUTERS_SITE.to_string(),
        lang: Lang::En,
        paras,
        hard,
        page: None,
    })
}

/// A body's paragraphs (a paragraph starts on a line indented by 4 spaces), and how many of them
/// are laid out as tables.
fn body_paras(body: &str) -> (Vec<String>, usize) {
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
    let mut paras = Vec::new();
    let mut tables = 0;
    for g in &groups {
        let joined = collapse_ws(&g.join(" "));
        if joined.is_empty() {
            continue;
        }
        if is_table_like(g, &joined) {
            tables += 1;
        }
        paras.push(joined);
    }
    // A trailing lone "More" marks a story continued in another item.
    if paras.last().map(String::as_str) == Some("More") {
        paras.pop();
    }
    (paras, tables)
}

/// Re-cases an ALL CAPS Reuters title, keeping tickers (`<AXP>`) and common acronyms
/// (`reuters_case.txt`).
pub fn recase(title: &str, sentence: bool) -> String {
    let (keep, small) = (&templates().reuters_keep, &templates().reuters_small);
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
        if keep.contains(&bare) || word.chars().any(|c| c.is_ascii_digit()) {
            out.push(word.to_string());
            continue;
        }
        let lower = word.to_lowercase();
        let capitalise = if sentence {
            i == 0
        } else {
            i == 0 || !small.contains(&lower.as_str())
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
