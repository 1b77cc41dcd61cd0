//! Headline, insert and ad-copy pools: the raw lists, and the weighted headline pools of the training
//! articles and of the samples.

use crate::article::{Article, Lang, BBC, ES_NEWS, ES_WEB, REUTERS, WEB};
use crate::templates::templates;
use crate::text::{collapse_ws, read_text, unescape_html};
use crate::Draw;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

/// Longest headline, in characters, that an insert may quote. The longest real headline of the
/// corpora has 151; the 25 longer first lines (193 to 678 characters, all Spanish) are a headline
/// run into the article's first paragraph with no line break in the raw text, which no site
/// would print as a related link.
pub const MAX_INSERT_HEADLINE_CHARS: usize = 160;

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

/// The lists read from the raw inputs: clickbait and NYT headlines, real related-link lines and
/// headers (English and Spanish), real affiliate ad copy.
pub struct RawPools {
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

/// Reads the headline, insert and ad-copy lists of `raw`.
pub fn load_raw(raw: &Path) -> Result<RawPools, String> {
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
        if templates().not_inserts.iter().any(|x| t.starts_with(x)) {
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
            if templates().not_ad_copy.iter().any(|x| t.contains(x)) {
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

/// A headline pool: where headlines come from, how often, and whether a headline may stand
/// alone (bare) — only if it is never `news` anywhere in the corpus.
pub struct Pool {
    pub items: Vec<String>,
    pub weight: u32,
    pub bare_ok: bool,
    /// Reuters ALL CAPS titles: used as-is half the time, re-cased otherwise.
    pub reuters: bool,
}

/// What one weaver draws from: weighted headline pools per language, and the real lines.
pub struct Pools {
    pub en: Vec<Pool>,
    pub es: Vec<Pool>,
    pub related_en: Vec<String>,
    pub related_es: Vec<String>,
    pub headers_en: Vec<String>,
    pub headers_es: Vec<String>,
    pub ads_en: Vec<String>,
    pub ads_es: Vec<String>,
}

impl Pools {
    /// Pools of `en` and `es` headlines with the real lines of `raw`.
    fn new(raw: &RawPools, en: Vec<Pool>, es: Vec<Pool>) -> Pools {
        Pools {
            en,
            es,
            related_en: raw.related_en.clone(),
            related_es: raw.related_es.clone(),
            headers_en: raw.headers_en.clone(),
            headers_es: raw.headers_es.clone(),
            ads_en: raw.ads_en.clone(),
            ads_es: raw.ads_es.clone(),
        }
    }
}

fn pool(mut items: Vec<String>, weight: u32, bare_ok: bool, reuters: bool) -> Pool {
    items.retain(|h| h.chars().count() <= MAX_INSERT_HEADLINE_CHARS);
    Pool {
        items,
        weight,
        bare_ok,
        reuters,
    }
}

/// Sorts, dedupes and shuffles `v` (without the samples' headlines), and splits off `n` items
/// reserved for the samples: returns (the rest, the reserved).
fn split_reserved(
    mut v: Vec<String>,
    n: usize,
    sample_heads: &BTreeSet<&str>,
    rng: &mut ChaCha8Rng,
) -> (Vec<String>, Vec<String>) {
    v.retain(|h| !sample_heads.contains(h.as_str()));
    v.sort();
    v.dedup();
    v.shuffle(rng);
    let rest = v.split_off(n.min(v.len()));
    (rest, v)
}

/// The headline pools of the training articles and of the samples. The bare-able pools
/// (headlines that are `news` nowhere) each give a reserved slice to the samples; the samples
/// quote no training headline.
pub fn headline_pools(
    all: &[Article],
    draw: &Draw,
    raw: &RawPools,
    rng: &mut ChaCha8Rng,
) -> (Pools, Pools) {
    let sample_heads: BTreeSet<&str> = draw
        .samples
        .iter()
        .map(|(i, _)| all[*i].headline())
        .collect();
    let mut split = |v: Vec<String>, n: usize| split_reserved(v, n, &sample_heads, rng);
    let (cb_news, cb_news_s) = split(raw.clickbait_news.clone(), 150);
    let (cb_bait, cb_bait_s) = split(raw.clickbait_bait.clone(), 150);
    let unused_titles: Vec<String> = draw
        .unused_reuters
        .iter()
        .map(|&i| all[i].headline().to_string())
        .collect();
    let (reu_free, reu_free_s) = split(unused_titles, 80);
    let donor_heads: Vec<String> = draw
        .donors
        .iter()
        .map(|&i| all[i].headline().to_string())
        .collect();
    let (es_donor, es_donor_s) = split(donor_heads, 20);
    let (nyt, nyt_s) = split(raw.nyt_es.clone(), 8);
    let heads_of = |src: &str, lang: Lang| -> Vec<String> {
        let mut v: Vec<String> = draw
            .train
            .iter()
            .filter(|&&i| all[i].source == src && all[i].lang == lang)
            .map(|&i| all[i].headline().to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let mut es_train_heads = heads_of(ES_NEWS, Lang::Es);
    es_train_heads.extend(heads_of(ES_WEB, Lang::Es));
    es_train_heads.extend(heads_of(WEB, Lang::Es));
    let train = Pools::new(
        raw,
        vec![
            pool(cb_news, 32, true, false),
            pool(cb_bait, 22, true, false),
            pool(heads_of(BBC, Lang::En), 16, false, false),
            pool(heads_of(REUTERS, Lang::En), 8, false, true),
            pool(reu_free, 12, true, true),
            pool(heads_of(WEB, Lang::En), 2, false, false),
        ],
        vec![
            pool(es_train_heads, 50, false, false),
            pool(es_donor, 38, true, false),
            pool(nyt, 12, true, false),
        ],
    );
    let samples = Pools::new(
        raw,
        vec![
            pool(cb_news_s, 40, true, false),
            pool(cb_bait_s, 25, true, false),
            pool(reu_free_s, 20, true, true),
        ],
        vec![
            pool(es_donor_s, 70, true, false),
            pool(nyt_s, 30, true, false),
        ],
    );
    (train, samples)
}
