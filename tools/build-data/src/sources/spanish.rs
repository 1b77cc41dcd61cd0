//! Reads the Spanish Fake News Corpus (`raw/spanish-fake-news/`) with its hand-checked paragraph
//! labels, and fills in the numbers its v1 replaced with `*NUMBER*`.

use super::Patterns;
use crate::article::{news, real, Article, Label, Lang, Para, ES_NEWS, ES_WEB};
use crate::templates::templates;
use crate::text::{collapse_ws, fnv1a, read_text, registrable_domain, unescape_html};
use crate::SEED;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Deserialize)]
struct EsItem {
    id: String,
    category: String,
    headline: String,
    text: String,
    link: String,
}

/// v1 of the corpus replaced every number with `*NUMBER*`. Left in, the token would mark Spanish
/// news (it is in no insert or ad), so each one gets a plausible number, seeded by the string
/// so that the same text always gets the same numbers.
pub fn fill_numbers(s: &str) -> String {
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
        } else if templates()
            .months
            .es
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

/// What `paragraph-labels.tsv` says about one line of an item: its label, or that it starts with
/// a related insert run into the paragraph (split it off).
enum EsOverride {
    Label(Label),
    Split,
}

/// `paragraph-labels.tsv` rules per (file, item id), each with its line text.
type Overrides = BTreeMap<(String, String), Vec<(EsOverride, String)>>;

/// Reads `paragraph-labels.tsv`: the rules, and how many lines it lists.
fn read_overrides(tsv_path: &Path) -> Result<(Overrides, usize), String> {
    let mut overrides: Overrides = BTreeMap::new();
    let mut expected = 0usize;
    for (n, line) in read_text(tsv_path)?.lines().enumerate() {
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
    Ok((overrides, expected))
}

/// The Spanish articles, `es-news-es-<file>-<id>` (`True` items) and `es-web-es-...` (`Fake`).
pub fn load(raw: &Path, pat: &Patterns) -> Result<Vec<Article>, String> {
    let dir = raw.join("spanish-fake-news");
    let tsv_path = dir.join("paragraph-labels.tsv");
    let (overrides, expected) = read_overrides(&tsv_path)?;
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
            let mut on_match = |k: usize| {
                matched.insert((file.to_string(), item.id.clone(), k));
            };
            let Some(paras) = item_paras(&item, rules, &mut on_match) else {
                continue;
            };
            let (source, tag) = match item.category.as_str() {
                "True" => (ES_NEWS, "es-news"),
                "Fake" => (ES_WEB, "es-web"),
                other => return Err(format!("{}:{}: category {other:?}", path.display(), n + 1)),
            };
            let short = if file == "train" { "train" } else { "dev" };
            let hard = pat.is_hard(&paras);
            let site = item_site(&item.link).ok_or_else(|| {
                format!(
                    "{}:{}: link {:?} names no host",
                    path.display(),
                    n + 1,
                    item.link
                )
            })?;
            out.push(Article {
                id: format!("{tag}-es-{short}-{:0>4}", item.id),
                source,
                site,
                lang: Lang::Es,
                paras,
                hard,
                page: None,
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

/// The site of an item: the registrable domain of its `link` (the page the corpus took it from;
/// a tweet's or a Facebook post's item gets `twitter.com` or `facebook.com`).
fn item_site(link: &str) -> Option<String> {
    let rest = link.trim().split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    (!host.is_empty()).then(|| registrable_domain(host))
}

/// An item's paragraphs, headline first, with the label rules applied (`on_match` gets the index
/// of each rule that matched); `None` if it is not an article (under two paragraphs, or not
/// starting with `news`).
fn item_paras(
    item: &EsItem,
    rules: Option<&Vec<(EsOverride, String)>>,
    on_match: &mut dyn FnMut(usize),
) -> Option<Vec<Para>> {
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
                    paras.push(real(l.clone(), *label));
                    done = true;
                }
                EsOverride::Split if l.starts_with(text.as_str()) => {
                    paras.push(real(text.clone(), Label::Related));
                    paras.push(news(l[text.len()..].trim().to_string()));
                    done = true;
                }
                _ => {}
            }
            if done {
                on_match(k);
                break;
            }
        }
        if !done {
            paras.push(news(l));
        }
    }
    let headline = collapse_ws(&unescape_html(&item.headline));
    if paras.is_empty() {
        return None;
    }
    if !headline.is_empty() && !paras[0].text.contains(&headline) {
        paras.insert(0, news(headline));
    }
    for p in &mut paras {
        p.text = fill_numbers(&p.text);
    }
    if paras.len() < 2 || paras[0].label != Label::News {
        return None;
    }
    Some(paras)
}
