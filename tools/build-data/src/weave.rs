//! Weaving related-link inserts and ad blocks into the corpus articles: where they go, which
//! kind, and the lead-ins, live-coverage lines and headers they are made of. Every woven row
//! carries its [`Origin`]: `woven` when it is a real line placed verbatim, `generated` when the
//! builder made or changed it. The real pages are never woven into.

use crate::ads::{ad_title, brand_line, cta, disclaimer, offer, rating};
use crate::article::{para, Article, Label, Lang, Origin, Para};
use crate::junk::li;
use crate::pools::{Pool, Pools};
use crate::sources::reuters::recase;
use crate::templates::templates;
use crate::text::pick;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet};

/// Probability that an article gets an ad block.
pub const P_AD_BLOCK: f64 = 0.40;
/// Probability that an article with an ad block (of four paragraphs or more) gets a second one
/// in the middle.
pub const P_SECOND_AD_BLOCK: f64 = 0.05;

/// Puts a topic into a "follow" template, with Spanish's compulsory contractions: "de" and "a"
/// before the article "el" become "del" and "al" ("la última hora del sismo", never "de el").
fn fill_topic(template: &str, topic: &str) -> String {
    template
        .replacen("{topic}", topic, 1)
        .replace(" de el ", " del ")
        .replace(" a el ", " al ")
}

/// Woven rows as paragraphs of `label`.
fn paras(rows: Vec<(String, Origin)>, label: Label) -> impl Iterator<Item = Para> {
    rows.into_iter().map(move |(t, o)| para(t, label, o))
}

/// Every real text of the corpus (train and samples) with the labels its rows carry.
pub type RealLabels = BTreeMap<String, BTreeSet<Label>>;

/// Weaves articles from one set of pools, keeping every text under one label.
pub struct Weaver<'a> {
    pub pools: &'a Pools,
    /// Every `news` text of the corpus: never an insert, an ad or boilerplate.
    news: &'a BTreeSet<String>,
    /// Every real text with its labels: a line is woven only under the label it has there.
    real: &'a RealLabels,
    /// Every text of the held-out sample pages: never woven into train.
    held_out: &'a BTreeSet<String>,
    /// Every text emitted so far, with its label.
    pub generated: BTreeMap<String, Label>,
    /// Lines drawn again (see [`Weaver::accept`]).
    pub redrawn: usize,
}

impl<'a> Weaver<'a> {
    pub fn new(
        pools: &'a Pools,
        news: &'a BTreeSet<String>,
        real: &'a RealLabels,
        held_out: &'a BTreeSet<String>,
    ) -> Weaver<'a> {
        Weaver {
            pools,
            news,
            real,
            held_out,
            generated: BTreeMap::new(),
            redrawn: 0,
        }
    }

    /// Whether `text` may be emitted under `label`: not `news` anywhere, not forbidden, not a
    /// held-out sample's, real only under that label, not already emitted under another label.
    pub fn accept(&mut self, text: &str, label: Label) -> bool {
        let ok = !text.trim().is_empty()
            && !self.news.contains(text)
            && !self.held_out.contains(text)
            && !templates().forbidden.contains(&text)
            && self
                .real
                .get(text)
                .is_none_or(|ls| ls.len() == 1 && ls.contains(&label))
            && self.generated.get(text).is_none_or(|l| *l == label);
        if ok {
            self.generated.insert(text.to_string(), label);
        } else {
            self.redrawn += 1;
        }
        ok
    }

    /// A real line of `list` that [`Weaver::accept`] takes under `label`, in up to 20 draws.
    pub fn real_line(
        &mut self,
        rng: &mut ChaCha8Rng,
        list: &[impl AsRef<str>],
        label: Label,
    ) -> Option<String> {
        if list.is_empty() {
            return None;
        }
        for _ in 0..20 {
            let line = pick(rng, list).as_ref().to_string();
            if self.accept(&line, label) {
                return Some(line);
            }
        }
        None
    }

    /// A headline of another article for an insert, and whether it is verbatim (a re-cased
    /// Reuters title is not).
    pub fn headline(
        &mut self,
        rng: &mut ChaCha8Rng,
        lang: Lang,
        bare: bool,
        own: &str,
    ) -> (String, bool) {
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
            let (h, verbatim) = if chosen.reuters && rng.gen_bool(0.5) {
                let r = recase(&h, rng.gen_bool(0.4));
                let same = r == h;
                (r, same)
            } else {
                (h, true)
            };
            if h == own
                || (bare && (self.news.contains(&h) || templates().forbidden.contains(&h.as_str())))
            {
                self.redrawn += 1;
                continue;
            }
            return (h, verbatim);
        }
        // Pools are large; reaching this means an input is nearly empty.
        (String::new(), true)
    }

    /// A bare headline as sites print it: mostly as it is, sometimes with a full stop, in
    /// quotes or with an arrow. Returns whether it was left as it is.
    pub fn decorate_bare(rng: &mut ChaCha8Rng, h: String) -> (String, bool) {
        let d = match rng.gen_range(0..100) {
            0..=5 if !h.ends_with(['.', '?', '!']) => format!("{h}."),
            6..=8 => format!("“{h}”"),
            9 => format!("{h} »"),
            _ => return (h, true),
        };
        (d, false)
    }

    /// A story's headline and lead run together as a widget prints them: the headline
    /// re-cased if it is in capitals, a space or a dash between, the lead cut after about 250
    /// characters at a word, with an ellipsis.
    fn teaser(rng: &mut ChaCha8Rng, h: &str, lead: &str) -> String {
        let h = if h.chars().any(char::is_lowercase) {
            h.to_string()
        } else {
            recase(h, rng.gen_bool(0.4))
        };
        let sep = *pick(rng, &[" ", " ", " - ", " — ", ": "]);
        let cut = rng.gen_range(200..320);
        let lead = match lead.char_indices().nth(cut) {
            Some((at, _)) => {
                let at = lead[..at].rfind(' ').unwrap_or(at);
                let dots = if rng.gen_bool(0.5) { "…" } else { "..." };
                format!("{}{dots}", lead[..at].trim_end_matches([',', ';', ':']))
            }
            None => lead.to_string(),
        };
        format!("{h}{sep}{lead}")
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
    ) -> Vec<(String, Origin)> {
        let lang = match article_lang {
            Lang::En if rng.gen_bool(0.07) => Lang::Es,
            Lang::Es if rng.gen_bool(0.10) => Lang::En,
            l => l,
        };
        let kind = kind.unwrap_or_else(|| InsertKind::draw(rng, lang));
        for _ in 0..20 {
            let rows = self.insert_rows(rng, lang, own, kind);
            let mut all_ok = true;
            for (r, _) in &rows {
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
        kind: InsertKind,
    ) -> Vec<(String, Origin)> {
        let origin = |verbatim: bool| {
            if verbatim {
                Origin::Woven
            } else {
                Origin::Generated
            }
        };
        match kind {
            InsertKind::Lead => {
                let (h, _) = self.headline(rng, lang, false, own);
                let template = *pick(rng, templates().leads.of(lang));
                vec![(Self::lead_in(rng, lang, template, &h), Origin::Generated)]
            }
            InsertKind::Bare => {
                let (h, verbatim) = self.headline(rng, lang, true, own);
                let (h, plain) = Self::decorate_bare(rng, h);
                vec![(h, origin(verbatim && plain))]
            }
            InsertKind::Follow => {
                let t = pick(rng, templates().follow.of(lang));
                let topic: &&str = pick(rng, templates().topics.of(lang));
                vec![(fill_topic(t, topic), Origin::Generated)]
            }
            InsertKind::Real if !self.pools.related[li(lang)].is_empty() => {
                vec![(
                    pick(rng, &self.pools.related[li(lang)]).clone(),
                    Origin::Woven,
                )]
            }
            InsertKind::Real => self.insert_rows(rng, lang, own, InsertKind::Lead),
            InsertKind::Teaser if !self.pools.teasers[li(lang)].is_empty() => {
                let (h, lead) = pick(rng, &self.pools.teasers[li(lang)]);
                vec![(Self::teaser(rng, h, lead), Origin::Generated)]
            }
            InsertKind::Teaser => self.insert_rows(rng, lang, own, InsertKind::Lead),
            InsertKind::Block => {
                let fixed = templates().headers.of(lang);
                let real = &self.pools.headers[li(lang)];
                let header = if rng.gen_bool(0.4) && !real.is_empty() {
                    (pick(rng, real).clone(), Origin::Woven)
                } else {
                    (pick(rng, fixed).to_string(), Origin::Generated)
                };
                let mut rows = vec![header];
                for _ in 0..rng.gen_range(1..=3) {
                    let (h, verbatim) = self.headline(rng, lang, true, own);
                    if !rows.iter().any(|(r, _)| *r == h) {
                        rows.push((h, origin(verbatim)));
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
    ) -> Option<(String, Origin)> {
        for _ in 0..20 {
            let line = make(rng, lang);
            if self.accept(&line, Label::Ad) {
                return Some((line, Origin::Generated));
            }
        }
        None
    }

    /// A real ad line of `list` (per language), verbatim.
    fn real_ad(
        &mut self,
        rng: &mut ChaCha8Rng,
        lang: Lang,
        list: &'a [Vec<String>; 2],
    ) -> Option<(String, Origin)> {
        self.real_line(rng, &list[li(lang)], Label::Ad)
            .map(|l| (l, Origin::Woven))
    }

    /// A block of one to five short ad lines.
    pub fn ad_block(&mut self, rng: &mut ChaCha8Rng, article_lang: Lang) -> Vec<(String, Origin)> {
        let lang = match article_lang {
            Lang::En if rng.gen_bool(0.04) => Lang::Es,
            Lang::Es if rng.gen_bool(0.12) => Lang::En,
            l => l,
        };
        let n = match rng.gen_range(0..100) {
            0..=21 => 1,
            22..=54 => 2,
            55..=74 => 3,
            75..=89 => 4,
            _ => 5,
        };
        let pools = self.pools;
        let mut lines: Vec<Option<(String, Origin)>> = Vec::new();
        // Real lines make most blocks; the templates add shapes the real copy lacks.
        match rng.gen_range(0..100) {
            // A dated list title and brands, as in the seed article.
            0..=9 => {
                lines.push(self.ad_line(rng, lang, ad_title));
                while lines.len() < n {
                    lines.push(self.ad_line(rng, lang, brand_line));
                }
            }
            // A widget: brand, offer, call to action or rating, disclaimer.
            10..=17 => {
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
            18..=22 => {
                if n > 2 {
                    lines.push(self.ad_line(rng, lang, ad_title));
                }
                let mut rank = 1;
                while lines.len() < n {
                    let style = rng.gen_bool(0.6);
                    let line = self.ad_line(rng, lang, brand_line).map(|(b, o)| {
                        let l = if style {
                            format!("{rank}. {b}")
                        } else {
                            format!("{rank}) {b}")
                        };
                        (l, o)
                    });
                    rank += 1;
                    lines.push(line.filter(|(l, _)| self.accept(l, Label::Ad)));
                }
            }
            // Real affiliate and sportsbook copy (offers, promo codes, their regulatory lines,
            // advertorial paragraphs), now and then a made-up offer or disclaimer.
            23..=64 => {
                while lines.len() < n {
                    if rng.gen_bool(0.9) {
                        lines.push(self.real_ad(rng, lang, &pools.ads));
                    } else if rng.gen_bool(0.5) {
                        lines.push(self.ad_line(rng, lang, offer));
                    } else {
                        lines.push(self.ad_line(rng, lang, disclaimer));
                    }
                }
            }
            // Loose lines: offers and disclaimers.
            65..=69 => {
                while lines.len() < n {
                    let make: fn(&mut ChaCha8Rng, Lang) -> String = match rng.gen_range(0..4) {
                        0 => disclaimer,
                        1 => cta,
                        _ => offer,
                    };
                    lines.push(self.ad_line(rng, lang, make));
                }
            }
            // Real sponsored items (paid headlines, shopping lines), under a real ad-slot
            // marker ("Around The Web", "Publicidad") or alone; or the marker alone.
            _ => {
                let marker = rng.gen_bool(0.6);
                if marker {
                    lines.push(self.real_ad(rng, lang, &pools.ad_markers));
                }
                if !marker || rng.gen_bool(0.5) {
                    while lines.len() < n.max(2) {
                        lines.push(self.real_ad(rng, lang, &pools.ad_items));
                    }
                }
            }
        }
        let mut out: Vec<(String, Origin)> = Vec::new();
        for l in lines.into_iter().flatten() {
            if !out.iter().any(|(t, _)| *t == l.0) {
                out.push(l);
            }
        }
        out
    }

    /// Returns the article's rows with inserts and ads woven in (a real page as it is).
    pub fn weave(&mut self, rng: &mut ChaCha8Rng, a: &Article) -> Vec<Para> {
        if a.is_page() {
            return a.paras.clone();
        }
        let n = a.paras.len();
        let body = n - 1;
        // Number of related-insert events.
        let k = if body <= 2 {
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
        let k = k.min(body / 2 + 1);
        // Gap g means "before a.paras[g]"; g == n is the end. Gap 1 (right after the headline)
        // is a favourite place for "Follow live ..." lines.
        let mut gaps: Vec<usize> = (1..n).collect();
        gaps.shuffle(rng);
        let mut chosen: Vec<usize> = gaps.into_iter().take(k).collect();
        if k > 0 && rng.gen_bool(0.08) {
            chosen[0] = n;
        }
        let mut inserts: BTreeMap<usize, Vec<Para>> = BTreeMap::new();
        for g in &chosen {
            let kind = (*g == 1 && rng.gen_bool(0.3)).then_some(InsertKind::Follow);
            let rows = self.insert(rng, a.lang, a.headline(), kind);
            inserts
                .entry(*g)
                .or_default()
                .extend(paras(rows, Label::Related));
        }
        // Ads: mostly at the end, else in the middle or at the top (above the headline or
        // under it), and now and then a second block.
        if rng.gen_bool(P_AD_BLOCK) {
            let rows = paras(self.ad_block(rng, a.lang), Label::Ad);
            // Real pages rarely open with an ad (1 in about 500 of ours): above the headline
            // stays rare, so that a headline about casinos is not taken for one.
            let g = match rng.gen_range(0..100) {
                0..=59 => n + 1,
                60..=87 if body >= 3 => rng.gen_range(2..n),
                88..=97 => 1,
                98..=99 => 0,
                _ => n + 1,
            };
            inserts.entry(g).or_default().extend(rows);
            if body >= 4 && rng.gen_bool(P_SECOND_AD_BLOCK) {
                let g = rng.gen_range(2..n);
                let rows = paras(self.ad_block(rng, a.lang), Label::Ad);
                inserts.entry(g).or_default().extend(rows);
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

    /// Registers the non-`news` rows of the corpus articles in `train` (natural inserts and ad
    /// markers of the raw text) as already emitted under their label.
    pub fn register_natural(&mut self, all: &[Article], train: &[usize]) {
        for &i in train {
            for p in &all[i].paras {
                if p.label != Label::News {
                    self.generated.entry(p.text.clone()).or_insert(p.label);
                }
            }
        }
    }

    /// Weaves the training articles, in the order given.
    pub fn weave_all(
        &mut self,
        all: &[Article],
        train: &[usize],
        rng: &mut ChaCha8Rng,
    ) -> Vec<(usize, Vec<Para>)> {
        train
            .iter()
            .map(|&i| (i, self.weave(rng, &all[i])))
            .collect()
    }
}

/// One kind of related-link insert.
#[derive(Clone, Copy)]
enum InsertKind {
    /// A headline behind a drawn lead-in ("Read more: ...").
    Lead,
    /// A headline alone (only from pools whose headlines are `news` nowhere).
    Bare,
    /// A headline with the first paragraph of its story, as widgets print a summary.
    Teaser,
    /// A "follow live" line about a topic.
    Follow,
    /// A real related-link line of the junk dumps.
    Real,
    /// A header ("Related stories") followed by one to three bare headlines.
    Block,
}

impl InsertKind {
    /// A kind drawn with the insert language's weights.
    fn draw(rng: &mut ChaCha8Rng, lang: Lang) -> InsertKind {
        let r = rng.gen_range(0..100);
        match lang {
            // The real Spanish lines are few: kept rare so that none repeats too often.
            Lang::Es => match r {
                0..=4 => InsertKind::Teaser,
                5..=63 => InsertKind::Lead,
                64..=81 => InsertKind::Bare,
                82..=92 => InsertKind::Follow,
                93..=94 => InsertKind::Real,
                _ => InsertKind::Block,
            },
            // About a thousand real English lines: 7% of the inserts.
            Lang::En => match r {
                0..=4 => InsertKind::Teaser,
                5..=54 => InsertKind::Lead,
                55..=78 => InsertKind::Bare,
                79..=87 => InsertKind::Follow,
                88..=94 => InsertKind::Real,
                _ => InsertKind::Block,
            },
        }
    }
}
