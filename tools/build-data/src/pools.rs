//! Headline, insert, ad-copy and boilerplate pools: the raw lists, and the weighted headline
//! pools of the training articles.

use crate::article::{Article, Lang, BBC, ES_NEWS, ES_WEB, REUTERS};
use crate::junk::{self, li, Junk, JunkLine, Slot};
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
struct TextLine {
    text: String,
}

fn load_jsonl_texts(path: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for (n, line) in read_text(path)?.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let j: TextLine =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        let t = collapse_ws(&j.text);
        if !t.is_empty() {
            out.push(t);
        }
    }
    Ok(out)
}

/// The lists read from the raw inputs: clickbait and NYT headlines, real related-link lines and
/// headers (English and Spanish), real affiliate ad copy, and the real junk lines of
/// `junk-real/` ([`junk`]).
pub struct RawPools {
    clickbait_news: Vec<String>,
    clickbait_bait: Vec<String>,
    nyt_es: Vec<String>,
    /// `junk/trafilatura-eval-related/`: inline inserts and headers, per language.
    related: [Vec<JunkLine>; 2],
    headers: [Vec<JunkLine>; 2],
    /// `junk/*-ads/`: affiliate ad copy, per language.
    ads: [Vec<JunkLine>; 2],
    pub junk: Junk,
}

impl RawPools {
    /// Every real line the weaver may place verbatim (`woven`), held out or not: the clickbait
    /// and NYT headlines and every line of the junk dumps. (The corpus headlines that are woven
    /// as bare inserts are the articles' own first rows.)
    pub fn real_lines(&self) -> BTreeSet<&str> {
        let j = &self.junk;
        let lists = self
            .related
            .iter()
            .chain(&self.headers)
            .chain(&self.ads)
            .chain(&j.related)
            .chain(&j.related_headers)
            .chain(&j.offers)
            .chain(&j.ad_markers)
            .chain(&j.ad_items);
        let junk = lists
            .flatten()
            .chain(j.boilerplate.iter().flatten().map(|(l, _)| l))
            .map(|l| l.text.as_str());
        self.clickbait_news
            .iter()
            .chain(&self.clickbait_bait)
            .chain(&self.nyt_es)
            .map(String::as_str)
            .chain(junk)
            .collect()
    }
}

/// A line of the older junk dumps, which name no site.
fn dump_line(text: String, lang: Lang, repo: &str, path: &str) -> JunkLine {
    JunkLine {
        text,
        lang,
        site: None,
        repo: repo.to_string(),
        path: path.to_string(),
    }
}

/// Reads the headline, insert and ad-copy lists of `raw`.
pub fn load_raw(raw: &Path) -> Result<RawPools, String> {
    let cb = raw.join("clickbait-headlines");
    let mut pools = RawPools {
        clickbait_news: load_lines(&cb.join("non_clickbait_data.txt"))?,
        clickbait_bait: load_lines(&cb.join("clickbait_data.txt"))?,
        nyt_es: load_lines(&raw.join("readability-testpages/nytimes-5/headlines-es.txt"))?,
        related: Default::default(),
        headers: Default::default(),
        ads: Default::default(),
        junk: junk::load(raw, &junk::Sorter::new())?,
    };
    let rel_path = raw.join("junk/trafilatura-eval-related/related.jsonl");
    #[derive(Deserialize)]
    struct Rel {
        text: String,
        #[serde(rename = "type")]
        kind: String,
        test_file: Option<String>,
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
        let lang = if en_cue.is_match(&t) {
            Lang::En
        } else if es_cue.is_match(&t) {
            Lang::Es
        } else {
            continue;
        };
        let list = if header {
            &mut pools.headers[li(lang)]
        } else {
            &mut pools.related[li(lang)]
        };
        if !list.iter().any(|l| l.text == t) {
            let path = r.test_file.unwrap_or_default();
            list.push(dump_line(t, lang, "adbar/trafilatura", &path));
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
            let lang = if spanish.is_match(&t) {
                Lang::Es
            } else {
                Lang::En
            };
            let list = &mut pools.ads[li(lang)];
            if !list.iter().any(|l| l.text == t) {
                list.push(dump_line(t, lang, "", ""));
            }
        }
    }
    Ok(pools)
}

/// What the junk lines must not come from: the held-out sample pages (their sites, and the
/// saved pages they were read from).
#[derive(Default)]
pub struct HeldOut {
    pub sites: BTreeSet<String>,
    pub pages: BTreeSet<(String, String)>,
}

impl HeldOut {
    fn keeps(&self, l: &JunkLine) -> bool {
        !l.site.as_ref().is_some_and(|s| self.sites.contains(s))
            && !self.pages.contains(&(l.repo.clone(), l.path.clone()))
    }

    /// The texts of `lists` that are not held out, in order, without repeats.
    fn texts<'a>(&self, lists: impl IntoIterator<Item = &'a Vec<JunkLine>>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for l in lists.into_iter().flatten() {
            if self.keeps(l) && seen.insert(&l.text) {
                out.push(l.text.clone());
            }
        }
        out
    }
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

/// What the weaver draws from: weighted headline pools per language, and the real lines (per
/// language: `[English, Spanish]`).
pub struct Pools {
    pub en: Vec<Pool>,
    pub es: Vec<Pool>,
    /// Real related lines that stand alone ("Read more: ...", a headline of a related block).
    pub related: [Vec<String>; 2],
    /// Real headers of related blocks.
    pub headers: [Vec<String>; 2],
    /// Real gambling affiliate copy.
    pub ads: [Vec<String>; 2],
    /// Real ad-slot markers and sponsored-block headers ("Advertisement", "Around The Web").
    pub ad_markers: [Vec<String>; 2],
    /// Real sponsored items (paid headlines, affiliate shopping lines).
    pub ad_items: [Vec<String>; 2],
    /// Real boilerplate lines per language and [`Slot`] (in `Slot::ALL` order).
    pub boilerplate: [[Vec<String>; 4]; 2],
    /// Teasers of articles that are not in the corpus: a headline with its first paragraph, as
    /// related widgets print a story's summary under its title.
    pub teasers: [Vec<(String, String)>; 2],
}

impl Pools {
    /// Pools of `en` and `es` headlines with the real lines of `raw` that are not held out.
    fn new(
        raw: &RawPools,
        held: &HeldOut,
        (en, es): (Vec<Pool>, Vec<Pool>),
        teasers: [Vec<(String, String)>; 2],
    ) -> Pools {
        let j = &raw.junk;
        let per_lang = |f: &dyn Fn(usize) -> Vec<String>| [f(0), f(1)];
        let boilerplate = |l: usize| {
            Slot::ALL.map(|slot| {
                let lines: Vec<JunkLine> = j.boilerplate[l]
                    .iter()
                    .filter(|(_, slots)| slots.contains(&slot))
                    .map(|(line, _)| line.clone())
                    .collect();
                held.texts([&lines])
            })
        };
        Pools {
            en,
            es,
            related: per_lang(&|l| held.texts([&raw.related[l], &j.related[l]])),
            headers: per_lang(&|l| held.texts([&raw.headers[l], &j.related_headers[l]])),
            ads: per_lang(&|l| held.texts([&raw.ads[l], &j.offers[l]])),
            ad_markers: per_lang(&|l| held.texts([&j.ad_markers[l]])),
            ad_items: per_lang(&|l| held.texts([&j.ad_items[l]])),
            boilerplate: [boilerplate(0), boilerplate(1)],
            teasers,
        }
    }
}

/// Whether a Reuters text carries a ticker symbol ("General Instrument <GRL> Unit …"), which no
/// insert of a real page has.
fn has_ticker(text: &str) -> bool {
    text.contains('<')
}

fn pool(mut items: Vec<String>, weight: u32, bare_ok: bool, reuters: bool) -> Pool {
    items.retain(|h| h.chars().count() <= MAX_INSERT_HEADLINE_CHARS && !has_ticker(h));
    Pool {
        items,
        weight,
        bare_ok,
        reuters,
    }
}

/// Sorts, dedupes and shuffles `v`.
fn sorted_shuffled(mut v: Vec<String>, rng: &mut ChaCha8Rng) -> Vec<String> {
    v.sort();
    v.dedup();
    v.shuffle(rng);
    v
}

/// The headline pools of the training articles, with the real lines that are not held out.
/// Bare headlines come only from pools whose headlines are `news` nowhere (clickbait, unused
/// Reuters titles, Spanish donor headlines, NYT en Español); the real pages give no headlines.
pub fn headline_pools(
    all: &[Article],
    draw: &Draw,
    raw: &RawPools,
    held: &HeldOut,
    rng: &mut ChaCha8Rng,
) -> Pools {
    let cb_news = sorted_shuffled(raw.clickbait_news.clone(), rng);
    let cb_bait = sorted_shuffled(raw.clickbait_bait.clone(), rng);
    let unused_titles: Vec<String> = draw
        .unused_reuters
        .iter()
        .map(|&i| all[i].headline().to_string())
        .collect();
    let reu_free = sorted_shuffled(unused_titles, rng);
    let donor_heads: Vec<String> = draw
        .donors
        .iter()
        .map(|&i| all[i].headline().to_string())
        .collect();
    let es_donor = sorted_shuffled(donor_heads, rng);
    let nyt = sorted_shuffled(raw.nyt_es.clone(), rng);
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
    // Headline and lead of the articles that no corpus row holds.
    let mut teasers_of = |ids: &[usize]| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = ids
            .iter()
            .filter_map(|&i| {
                let a = &all[i];
                let lead = a.paras.get(1)?.text.clone();
                let head = a.headline().to_string();
                (!has_ticker(&lead) && !has_ticker(&head)).then_some((head, lead))
            })
            .collect();
        v.sort();
        v.dedup();
        v.shuffle(rng);
        v
    };
    let teasers = [teasers_of(&draw.unused_reuters), teasers_of(&draw.donors)];
    let mut es_train_heads = heads_of(ES_NEWS, Lang::Es);
    es_train_heads.extend(heads_of(ES_WEB, Lang::Es));
    Pools::new(
        raw,
        held,
        (
            vec![
                pool(cb_news, 32, true, false),
                pool(cb_bait, 22, true, false),
                pool(heads_of(BBC, Lang::En), 16, false, false),
                pool(heads_of(REUTERS, Lang::En), 8, false, true),
                pool(reu_free, 12, true, true),
            ],
            vec![
                pool(es_train_heads, 50, false, false),
                pool(es_donor, 38, true, false),
                pool(nyt, 12, true, false),
            ],
        ),
        teasers,
    )
}
