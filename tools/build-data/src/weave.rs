//! Weaving related-link inserts and ad blocks into articles: where they go, which kind, and the
//! lead-ins, live-coverage lines and headers they are made of.

use crate::ads::{ad_title, brand_line, cta, disclaimer, offer, rating};
use crate::article::{para, Article, Label, Lang, Para};
use crate::pools::{Pool, Pools};
use crate::sources::reuters::recase;
use crate::templates::templates;
use crate::text::pick;
use crate::Draw;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet};

/// Probability that an article gets an ad block.
pub const P_AD_BLOCK: f64 = 0.40;
/// Probability that an article with an end ad block also gets one in the middle.
pub const P_SECOND_AD_BLOCK: f64 = 0.05;

/// Puts a topic into a "follow" template, with Spanish's compulsory contractions: "de" and "a"
/// before the article "el" become "del" and "al" ("la última hora del sismo", never "de el").
fn fill_topic(template: &str, topic: &str) -> String {
    template
        .replacen("{topic}", topic, 1)
        .replace(" de el ", " del ")
        .replace(" a el ", " al ")
}

/// Options for one article's weaving (the samples force a few hard cases).
#[derive(Default, Clone)]
pub struct WeaveOpts {
    pub force_ad: bool,
    pub force_bare: bool,
    pub force_lead: Option<&'static str>,
    pub min_inserts: usize,
}

/// Weaves articles from one set of pools, keeping every text under one label.
pub struct Weaver<'a> {
    pools: &'a Pools,
    /// Every `news` text of the corpus: never an insert or an ad.
    news: &'a BTreeSet<String>,
    /// Every text emitted so far, with its label.
    generated: BTreeMap<String, Label>,
    /// Lines drawn again (see [`Weaver::accept`]).
    redrawn: usize,
}

impl Weaver<'_> {
    /// Whether `text` may be emitted under `label`: not `news` anywhere, not forbidden, not
    /// already emitted under another label.
    pub fn accept(&mut self, text: &str, label: Label) -> bool {
        let ok = !text.trim().is_empty()
            && !self.news.contains(text)
            && !templates().forbidden.contains(&text)
            && self.generated.get(text).is_none_or(|l| *l == label);
        if ok {
            self.generated.insert(text.to_string(), label);
        } else {
            self.redrawn += 1;
        }
        ok
    }

    pub fn headline(&mut self, rng: &mut ChaCha8Rng, lang: Lang, bare: bool, own: &str) -> String {
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
                recase(&h, rng.gen_bool(0.4))
            } else {
                h
            };
            if h == own
                || (bare && (self.news.contains(&h) || templates().forbidden.contains(&h.as_str())))
            {
                self.redrawn += 1;
                continue;
            }
            return h;
        }
        // Pools are large; reaching this means an input is nearly empty.
        String::new()
    }

    pub fn decorate_bare(rng: &mut ChaCha8Rng, h: String) -> String {
        match rng.gen_range(0..100) {
            0..=5 if !h.ends_with(['.', '?', '!']) => format!("{h}."),
            6..=8 => format!("“{h}”"),
            9..=10 => format!("{h} »"),
            11 => format!("» {h}"),
            12 => format!("{h} →"),
            _ => h,
        }
    }

    pub fn lead_in(rng: &mut ChaCha8Rng, lang: Lang, template: &str, h: &str) -> String {
        let site = *pick(rng, templates().sites.of(lang));
        let h = if rng.gen_bool(0.05) && !h.ends_with(['.', '?', '!']) {
            format!("{h}.")
        } else {
            h.to_string()
        };
        template
            .replace("{SITE}", &site.to_uppercase())
            .replace("{site}", site)
            .replacen("{headline}", &h, 1)
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
        let kind = kind.unwrap_or_else(|| InsertKind::draw(rng, lang));
        for _ in 0..20 {
            let rows = self.insert_rows(rng, lang, own, &kind);
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

    /// The rows of one insert of `kind`, before the checks of [`Weaver::accept`].
    fn insert_rows(
        &mut self,
        rng: &mut ChaCha8Rng,
        lang: Lang,
        own: &str,
        kind: &InsertKind,
    ) -> Vec<String> {
        match kind {
            InsertKind::Lead(forced) => {
                let h = self.headline(rng, lang, false, own);
                let template = match forced {
                    Some(t) => *t,
                    None => *pick(rng, templates().leads.of(lang)),
                };
                vec![Self::lead_in(rng, lang, template, &h)]
            }
            InsertKind::Bare => {
                let h = self.headline(rng, lang, true, own);
                vec![Self::decorate_bare(rng, h)]
            }
            InsertKind::Follow => {
                let t = pick(rng, templates().follow.of(lang));
                let topic: &&str = pick(rng, templates().topics.of(lang));
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
                let fixed = templates().headers.of(lang);
                let real = if lang == Lang::Es {
                    &self.pools.headers_es
                } else {
                    &self.pools.headers_en
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
        }
    }

    pub fn ad_line(
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

    pub fn real_ad(&mut self, rng: &mut ChaCha8Rng, lang: Lang) -> Option<String> {
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
    pub fn ad_block(&mut self, rng: &mut ChaCha8Rng, article_lang: Lang) -> Vec<String> {
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
    pub fn weave(&mut self, rng: &mut ChaCha8Rng, a: &Article, opts: &WeaveOpts) -> Vec<Para> {
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

/// One kind of related-link insert.
#[derive(Clone)]
enum InsertKind {
    /// A headline behind a lead-in ("Read more: ..."), the given one or a drawn one.
    Lead(Option<&'static str>),
    /// A headline alone (only from pools whose headlines are `news` nowhere).
    Bare,
    /// A "follow live" line about a topic.
    Follow,
    /// A real related-link line of the trafilatura dump.
    Real,
    /// A header ("Related stories") followed by one to three bare headlines.
    Block,
}

impl InsertKind {
    /// A kind drawn with the insert language's weights.
    fn draw(rng: &mut ChaCha8Rng, lang: Lang) -> InsertKind {
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
    }
}

/// What weaving produced: the training articles' and the samples' rows (by index into the
/// loaded articles), every generated text with its label, and the training weaver's redraws.
pub struct Woven {
    pub train: Vec<(usize, Vec<Para>)>,
    pub samples: Vec<(usize, Vec<Para>)>,
    pub generated: BTreeMap<String, Label>,
    pub redrawn: usize,
}

/// Steps 7 and 8 of [`crate::build`]: weaves the training articles (in id order) from
/// `pools[0]`, then the samples from `pools[1]`, with the same rules: no text under two labels.
pub fn weave_all(
    all: &[Article],
    draw: &Draw,
    pools: [&Pools; 2],
    news_texts: &BTreeSet<String>,
    rng: &mut ChaCha8Rng,
) -> Woven {
    let mut weaver = Weaver {
        pools: pools[0],
        news: news_texts,
        generated: BTreeMap::new(),
        redrawn: 0,
    };
    // Natural inserts and ads of the raw text count as already emitted under their label.
    for &i in &draw.train {
        for p in &all[i].paras {
            if p.label != Label::News {
                weaver.generated.entry(p.text.clone()).or_insert(p.label);
            }
        }
    }
    let mut train: Vec<(usize, Vec<Para>)> = Vec::new();
    for &i in &draw.train {
        let paras = weaver.weave(rng, &all[i], &WeaveOpts::default());
        train.push((i, paras));
    }
    let mut sample_weaver = Weaver {
        pools: pools[1],
        news: news_texts,
        generated: std::mem::take(&mut weaver.generated),
        redrawn: 0,
    };
    let mut samples: Vec<(usize, Vec<Para>)> = Vec::new();
    for (i, opts) in &draw.samples {
        let paras = sample_weaver.weave(rng, &all[*i], opts);
        samples.push((*i, paras));
    }
    Woven {
        train,
        samples,
        generated: sample_weaver.generated,
        redrawn: weaver.redrawn,
    }
}
