//! Boilerplate augmentation: real boilerplate lines of `raw/junk-real/boilerplate/` woven into a
//! share of the corpus articles (BBC, Reuters, Spanish) where sites print them: skip and
//! sign-in links above the headline, timestamps, reading times, photo credits and share rows
//! under it, "Story continues below" and inline photo credits between paragraphs, and
//! copyright, cookie, newsletter, comment, share and footer lines at the foot ([`Slot`]).
//! Every such row is `boilerplate`, origin `woven`; the articles stay as they were otherwise.
//! The real pages bring their own boilerplate and are left alone.
//!
//! The step has its own random stream (the seed mixed with a salt), so that every other choice
//! of the build is the same with or without it.

use crate::article::{para, Article, Label, Lang, Origin, Para};
use crate::junk::{li, Slot};
use crate::weave::Weaver;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Share of the English corpus articles that get boilerplate.
pub const P_BOILERPLATE_EN: f64 = 0.45;
/// The same for Spanish articles: their real lines are few (about 30), so that none repeats too
/// often.
pub const P_BOILERPLATE_ES: f64 = 0.25;
/// Share of a Spanish article's boilerplate drawn from the English lines (share buttons,
/// copyright and sign-in lines in English are common on Spanish-language sites).
const P_ENGLISH_IN_SPANISH: f64 = 0.10;
/// Most rows one line may give: the Spanish lines are few, and a line repeated a hundred times
/// teaches a model that line, not boilerplate.
pub const MAX_USES: usize = 12;
/// Share of boilerplate draws made among the lines over 200 characters.
const P_LONG_NOTICE: f64 = 0.04;
/// Mixed into the seed for this step's random stream.
const BOILERPLATE_SALT: u64 = 0x626f_696c_6572_706c;

/// What [`add_boilerplate`] did, for the statistics.
#[derive(Default, Debug)]
pub struct Boilerplate {
    /// Articles that got some.
    pub articles: usize,
    /// Rows per (article language, slot).
    pub rows: BTreeMap<(Lang, Slot), usize>,
    /// Rows per line.
    pub uses: BTreeMap<String, usize>,
    /// Lines not woven because every draw was used up or refused.
    pub skipped: usize,
}

impl Boilerplate {
    /// Draws one accepted line of `slot` in `lang` (or English for a share of Spanish
    /// articles) that has been used fewer than [`MAX_USES`] times.
    fn line(
        &mut self,
        weaver: &mut Weaver,
        rng: &mut ChaCha8Rng,
        lang: Lang,
        slot: Slot,
    ) -> Option<String> {
        let lang = if lang == Lang::Es && rng.gen_bool(P_ENGLISH_IN_SPANISH) {
            Lang::En
        } else {
            lang
        };
        let pools = weaver.pools;
        let unused = |l: &&String| self.uses.get(*l).copied().unwrap_or(0) < MAX_USES;
        let mut list: Vec<&str> = pools.boilerplate[li(lang)][slot as usize]
            .iter()
            .filter(unused)
            .map(String::as_str)
            .collect();
        // Long notices (cookies, copyright, comment rules) are few among the lines but print
        // on many pages: drawn as often as real pages show them.
        if rng.gen_bool(P_LONG_NOTICE) {
            let long: Vec<&str> = list
                .iter()
                .copied()
                .filter(|l| l.chars().count() > 200)
                .collect();
            if !long.is_empty() {
                list = long;
            }
        }
        let l = weaver.real_line(rng, &list, Label::Boilerplate);
        match &l {
            Some(l) => *self.uses.entry(l.clone()).or_default() += 1,
            None => self.skipped += 1,
        }
        l
    }

    fn count(&mut self, lang: Lang, slot: Slot, n: usize) {
        *self.rows.entry((lang, slot)).or_default() += n;
    }
}

fn boilerplate(text: String) -> Para {
    para(text, Label::Boilerplate, Origin::Woven)
}

/// Weaves boilerplate into the corpus articles of `woven` (in their order); see the module docs.
pub fn add_boilerplate(
    weaver: &mut Weaver,
    woven: &mut [(usize, Vec<Para>)],
    all: &[Article],
    seed: u64,
) -> Boilerplate {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ BOILERPLATE_SALT);
    let mut out = Boilerplate::default();
    for (i, rows) in woven.iter_mut() {
        let a = &all[*i];
        if a.is_page() {
            continue;
        }
        let p = match a.lang {
            Lang::En => P_BOILERPLATE_EN,
            Lang::Es => P_BOILERPLATE_ES,
        };
        if !rng.gen_bool(p) {
            continue;
        }
        let mut top = rng.gen_bool(0.45);
        let mid = rng.gen_bool(0.2);
        let mut foot = rng.gen_bool(0.75);
        if !(top || mid || foot) {
            foot = true;
        }
        let before = rows.len();
        // Between two news paragraphs of the body (not right after the headline).
        if mid {
            let gaps: Vec<usize> = (2..rows.len())
                .filter(|&j| rows[j - 1].label == Label::News && rows[j].label == Label::News)
                .collect();
            if !gaps.is_empty() {
                let j = gaps[rng.gen_range(0..gaps.len())];
                if let Some(l) = out.line(weaver, &mut rng, a.lang, Slot::Mid) {
                    rows.insert(j, boilerplate(l));
                    out.count(a.lang, Slot::Mid, 1);
                }
            }
        }
        // The foot: after everything, or before a closing ad block.
        if foot {
            let n = match rng.gen_range(0..10) {
                0..=3 => 1,
                4..=6 => 2,
                7..=8 => 3,
                _ => 4,
            };
            let mut at = rows.len();
            if rng.gen_bool(0.3) {
                while at > 1 && rows[at - 1].label == Label::Ad {
                    at -= 1;
                }
            }
            let mut lines: Vec<String> = Vec::new();
            for _ in 0..n {
                if let Some(l) = out.line(weaver, &mut rng, a.lang, Slot::Foot) {
                    if !lines.contains(&l) {
                        lines.push(l);
                    }
                }
            }
            out.count(a.lang, Slot::Foot, lines.len());
            rows.splice(at..at, lines.into_iter().map(boilerplate));
        }
        // Above the headline (a quarter of the time), or under it or the first paragraph.
        if top && rng.gen_bool(0.25) {
            if let Some(l) = out.line(weaver, &mut rng, a.lang, Slot::Lead) {
                rows.insert(0, boilerplate(l));
                out.count(a.lang, Slot::Lead, 1);
                top = rng.gen_bool(0.3);
            }
        }
        if top {
            let headline = rows
                .iter()
                .position(|r| r.origin == Origin::Real)
                .unwrap_or(0);
            let at = if rng.gen_bool(0.3) && headline + 1 < rows.len() {
                headline + 2
            } else {
                headline + 1
            };
            let n = if rng.gen_bool(0.25) { 2 } else { 1 };
            let mut lines: Vec<String> = Vec::new();
            for _ in 0..n {
                if let Some(l) = out.line(weaver, &mut rng, a.lang, Slot::Top) {
                    if !lines.contains(&l) {
                        lines.push(l);
                    }
                }
            }
            out.count(a.lang, Slot::Top, lines.len());
            let at = at.min(rows.len());
            rows.splice(at..at, lines.into_iter().map(boilerplate));
        }
        if rows.len() > before {
            out.articles += 1;
        }
    }
    out
}
