//! Body hard negatives: synthetic `news` sentences that start with a related-link cue word,
//! their templates and fillers, and where they go in an article.
//!
//! The natural corpora have almost no `news` paragraph starting with "Read", "See", "Follow",
//! "Lee", "Sigue", ... (a few dozen, against thousands of inserts), so a model learns "starts with
//! a cue word => related". Real article bodies do contain such sentences ("Read the full judgment
//! on the court's website.", "Sigue abierta la investigación, informó la Fiscalía."). A seeded
//! share of the training articles gets one, built from templates x fillers so that what is
//! learnt is the shape (cue word, lower case, an ordinary verb phrase, terminal punctuation,
//! often an attribution) rather than a list of sentences. They are placed in the body: a body
//! paragraph is split at a sentence boundary and the sentence goes between the two halves, or it
//! goes between two news paragraphs; never first, never last.

use crate::article::{has_smart_quotes, para, Article, Label, Lang, Origin, Para};
use crate::templates::{fill, templates};
use crate::text::{fnv1a, group_thousands, pick, smart_quotes};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};

/// Per mille of the English training articles (by a hash of the id) that get one synthetic body
/// sentence starting with a cue word.
pub const BODY_CUE_PER_MILLE_EN: u64 = 90;
/// The same for Spanish articles (a little higher: the Spanish part is smaller).
pub const BODY_CUE_PER_MILLE_ES: u64 = 120;
/// Share of those placed by splitting a body paragraph at a sentence boundary (the rest go in
/// between two news paragraphs, or are split when there is no such gap).
const P_BODY_CUE_SPLIT: f64 = 0.65;
/// Mixed into [`crate::SEED`] for the body-sentence generator's own random stream, so that adding it
/// leaves every other choice of the build as it was.
const BODY_CUE_SALT: u64 = 0x626f_6479_6375_6573;

/// The CLI hard-case lines (`tests/cli/hard_cases.rs`) and DESIGN.md's, and the shapes they were
/// written in (a regex): a generated body sentence of one of these shapes is drawn again, so that
/// the hard-case tests measure generalisation, not recall. `tests/data.rs` of the main crate reads
/// the same file and checks that no row of `train.csv` has one of these shapes.
pub fn test_line_shapes() -> &'static str {
    crate::text::data_lines(include_str!("../templates/test_line_shapes.txt"))
        .next()
        .expect("templates/test_line_shapes.txt: a regex")
}

/// One filler for a `{key}` placeholder of a body-sentence template: a number or a month drawn
/// here, else one of the key's list in `body_fillers.txt` (Spanish `{org}` from `org es`); `None`
/// for an unknown key. Fillers may hold placeholders themselves.
fn body_filler(rng: &mut ChaCha8Rng, key: &str, lang: Lang) -> Option<String> {
    const BIG: &[u32] = &[
        40, 60, 120, 200, 300, 450, 600, 1000, 1200, 2500, 5000, 12000,
    ];
    let t = templates();
    Some(match key {
        "page" => rng.gen_range(2..=60).to_string(),
        "few" => rng.gen_range(2..=9).to_string(),
        "pocos" => rng.gen_range(3..=14).to_string(),
        "pct" => rng.gen_range(2..=45).to_string(),
        "amount" => rng.gen_range(2..=900).to_string(),
        "hour" => rng.gen_range(5..=11).to_string(),
        "dom" => rng.gen_range(1..=28).to_string(),
        "big" => group_thousands(*pick(rng, BIG), ","),
        "big_es" => group_thousands(*pick(rng, BIG), "."),
        "month" => pick(rng, &t.months.en).to_string(),
        "mes" => pick(rng, &t.months.es).to_string(),
        "org" if lang == Lang::Es => pick(rng, &t.body_fillers["org es"]).to_string(),
        _ => pick(rng, t.body_fillers.get(key)?).to_string(),
    })
}

/// Fills a body-sentence template; `Err` names an unknown placeholder.
fn body_fill(rng: &mut ChaCha8Rng, template: &str, lang: Lang) -> Result<String, String> {
    let s = fill(rng, template, |rng, key| body_filler(rng, key, lang))
        .map_err(|e| format!("templates/body_cues_{}.txt: {e}", lang.code()))?;
    // Grammar the fillers cannot know: "de el" contracts, "Customs's" is "Customs'".
    Ok(if lang == Lang::Es {
        s.replace(" de el ", " del ").replace(" a el ", " al ")
    } else {
        s.replace("s's ", "s' ")
    })
}

/// One body sentence in `lang`, and its cue word.
fn body_cue_sentence(rng: &mut ChaCha8Rng, lang: Lang) -> Result<(&'static str, String), String> {
    let cues = if lang == Lang::Es {
        &templates().body_cues_es
    } else {
        &templates().body_cues_en
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
    let template = *pick(rng, &chosen.templates);
    Ok((chosen.cue, body_fill(rng, template, lang)?))
}

/// Byte ranges `(end of the left sentence, start of the right one)` where `text` may be split
/// into two sentences: after `.`, `!` or `?` (and a closing quote), before a capital, with at
/// least 50 characters on the left and 30 on the right, not after an abbreviation or initial.
fn sentence_boundaries(text: &str, re: &Regex) -> Vec<(usize, usize)> {
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
        if word.is_empty()
            || word.contains('.')
            || short_capital
            || templates().abbreviations.contains(&word)
        {
            continue;
        }
        out.push((punct.end(), next.start()));
    }
    out
}

/// What [`add_body_cues`] did, for the statistics.
#[derive(Default)]
pub struct BodyCues {
    /// Sentences per (language, cue word).
    pub by_cue: BTreeMap<(&'static str, &'static str), usize>,
    /// Placed by splitting a body paragraph.
    pub split: usize,
    /// Placed between two news paragraphs.
    pub between: usize,
    /// Chosen articles with no place for one (no body paragraph to split, no gap).
    pub no_place: usize,
    /// Sentences drawn again (already a text of the corpus, or of a test line's shape).
    pub redrawn: usize,
    /// The sentences.
    pub texts: BTreeSet<String>,
}

/// Adds one synthetic body sentence starting with a cue word to a hash-chosen share of the woven
/// training articles (see the module docs). `taken` holds every text of the corpus
/// (news, inserts and ads of train and samples): a sentence is never one of them.
pub fn add_body_cues(
    woven: &mut [(usize, Vec<Para>)],
    all: &[Article],
    taken: &dyn Fn(&str) -> bool,
    seed: u64,
) -> Result<BodyCues, String> {
    let shapes = Regex::new(test_line_shapes()).expect("static regex");
    let boundary = Regex::new(r#"([.!?]["”’»]?)\s+(["“«¿¡]?[A-ZÁÉÍÓÚÑ])"#).expect("static regex");
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ BODY_CUE_SALT);
    let mut out = BodyCues::default();
    for (i, paras) in woven.iter_mut() {
        let a = &all[*i];
        if a.is_page() {
            continue;
        }
        let per_mille = match a.lang {
            Lang::En => BODY_CUE_PER_MILLE_EN,
            Lang::Es => BODY_CUE_PER_MILLE_ES,
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
                || templates().forbidden.contains(&s.as_str())
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
            // The two halves keep the paragraph's origin (its text, in its place).
            let (text, origin) = (paras[*j].text.clone(), paras[*j].origin);
            let left = para(text[..left_end].trim().to_string(), Label::News, origin);
            let right = para(text[right_start..].trim().to_string(), Label::News, origin);
            let sentence = para(s.clone(), Label::News, Origin::Generated);
            paras.splice(*j..=*j, [left, sentence, right]);
            out.split += 1;
        } else {
            let j = *pick(&mut rng, &gaps);
            paras.insert(j, para(s.clone(), Label::News, Origin::Generated));
            out.between += 1;
        }
        *out.by_cue.entry((a.lang.code(), cue)).or_default() += 1;
        out.texts.insert(s);
    }
    Ok(out)
}
