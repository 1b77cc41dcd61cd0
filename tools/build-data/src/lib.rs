//! Builds chaff's labelled paragraph corpus from the raw inputs in `data/raw/`.
//!
//! ```text
//! cargo run --release -p build-data            # data/raw -> data/
//! cargo run --release -p build-data -- --raw DIR --out DIR [--seed N]
//! ```
//!
//! Output, all deterministic (a fixed [`SEED`], sorted inputs, no hash-map order); `--seed`
//! draws another corpus from the same inputs, to see how much a measurement owes to the draw:
//! - `train.csv`: `article_id,position,text,label,source,site,lang,origin`, one row per
//!   paragraph, articles whole and in order, `position` from 0;
//! - `articles/*.txt` and `articles-labels.csv`: about 20 real pages held out of `train.csv`
//!   (with their whole sites), with their labels;
//! - `STATS.md`: the counts, also spliced into `README.md` between the `BEGIN STATS` / `END STATS`
//!   markers when `README.md` exists in the output folder.
//!
//! The spine is real pages (trafilatura's output of saved news pages from public repositories,
//! every paragraph labelled by reading: [`sources::pages`]), as they are. Around them, real news
//! corpora (BBC, Reuters-21578, the Spanish Fake News Corpus), each article starting with its own
//! headline ([`sources`]), get related-link inserts woven in between paragraphs from real
//! headlines of *other* articles ([`pools`]) behind many lead-ins (or none), gambling ad blocks
//! and ad-slot markers from real affiliate copy and real page furniture plus generated widget
//! lines ([`ads`], [`weave`]), and real boilerplate lines where sites print them
//! ([`boilerplate`]). About 9% of them also get one synthetic body sentence starting with a
//! related-link cue word ("Read the full judgment ...", "Sigue abierta la investigación ...",
//! labelled `news`), so that a cue word alone does not mean `related` ([`body_cues`]). Every row
//! says where its text comes from (`origin`: `real`, `woven`, `generated`). See
//! `data/README.md`.
//!
//! The order of the steps in [`build`] is part of the output: every random choice but the
//! boilerplate's and the body sentences' comes from one `ChaCha8Rng` stream, so moving a step
//! changes the corpus.

pub mod ads;
pub mod article;
pub mod body_cues;
pub mod boilerplate;
pub mod junk;
pub mod pools;
pub mod rows;
pub mod samples;
pub mod sources;
pub mod stats;
pub mod templates;
pub mod text;
pub mod weave;

use article::{Article, Label, Origin, ES_WEB, REUTERS};
use pools::HeldOut;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rows::CsvRow;
use sources::Patterns;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use weave::{RealLabels, Weaver};

pub use stats::Summary;

/// The seed every random choice derives from (`--seed` replaces it).
pub const SEED: u64 = 0x0063_6861_6666_2102;

/// Reuters articles are added (hard negatives first, then in seeded random order) until the
/// Reuters `news` rows reach this many, so that Reuters does not dwarf the other sources.
const REUTERS_NEWS_ROWS: usize = 15_500;
/// `Fake` items of the Spanish corpus kept out of the articles and used only for their
/// headlines, which can then stand alone as bare related inserts without ever being `news`.
const ES_HEADLINE_DONORS: usize = 110;

/// The repository's root (this crate lives in `tools/build-data`): the defaults `data/raw` and
/// `data` are relative to it, whatever the working directory.
pub fn repo_root() -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir
        .parent()
        .and_then(Path::parent)
        .unwrap_or(crate_dir)
        .to_path_buf()
}

/// Which loaded articles go where: the sample pages, the Spanish headline donors, the training
/// articles (in id order), the Reuters stories left unused, and the sites held out with the
/// samples.
pub struct Draw {
    pub samples: Vec<usize>,
    pub donors: Vec<usize>,
    pub train: Vec<usize>,
    pub unused_reuters: Vec<usize>,
    pub held_out_sites: BTreeSet<String>,
}

/// Builds the corpus from `raw` into `out`. See the crate docs.
pub fn build(raw: &Path, out: &Path, seed: u64) -> Result<Summary, String> {
    let pat = Patterns::new();
    let mut summary = Summary {
        seed,
        ..Summary::default()
    };

    // 1. Load every source, drop duplicate articles.
    let (all, loaded) = sources::load_all(raw, &pat, &mut summary.duplicate_articles)?;
    let raw_pools = pools::load_raw(raw)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);

    // 2.-4. The sample pages (and their sites), the Spanish headline donors, the training
    //       articles.
    let draw = draw_articles(&all, &mut rng)?;

    // 5. Every text that is `news` in train or in a sample (inserts and ads never reuse one),
    //    every real text with its labels, and the held-out samples' texts and provenance.
    let news_texts = news_texts(&all, &draw);
    let real_labels = real_labels(&all, &draw);
    let held_texts: BTreeSet<String> = draw
        .samples
        .iter()
        .flat_map(|&i| all[i].paras.iter().map(|p| p.text.clone()))
        .collect();
    let held = HeldOut {
        sites: draw.held_out_sites.clone(),
        pages: draw
            .samples
            .iter()
            .filter_map(|&i| all[i].page.as_ref())
            .map(|p| (p.repo.clone(), p.path.clone()))
            .collect(),
    };

    // 6. Headline pools and the real lines that may be woven.
    let train_pools = pools::headline_pools(&all, &draw, &raw_pools, &held, &mut rng);

    // 7. Weave the corpus articles of train, in id order (the pages stay as they are).
    let mut weaver = Weaver::new(&train_pools, &news_texts, &real_labels, &held_texts);
    weaver.register_natural(&all, &draw.train);
    let mut woven = weaver.weave_all(&all, &draw.train, &mut rng);

    // 8. Boilerplate where sites print it, from the step's own random stream.
    let boilerplate = boilerplate::add_boilerplate(&mut weaver, &mut woven, &all, seed);
    summary.redrawn = weaver.redrawn;

    // 8b. Body hard negatives: one synthetic body sentence starting with a cue word in a
    //     hash-chosen share of the corpus articles, from the generator's own random stream.
    let body_cues = {
        let generated = &weaver.generated;
        let taken = |t: &str| {
            news_texts.contains(t) || generated.contains_key(t) || real_labels.contains_key(t)
        };
        body_cues::add_body_cues(&mut woven, &all, &taken, seed)?
    };

    // 9. Shuffle article order (so that contiguous folds mix sources), resolve conflicts.
    woven.shuffle(&mut rng);
    let rows = rows::resolve(&woven, &all, &mut summary)?;

    // 10. Write.
    fs::create_dir_all(out.join("articles")).map_err(|e| format!("{}: {e}", out.display()))?;
    let csv_rows: Vec<CsvRow> = rows.iter().map(CsvRow::from_row).collect();
    rows::write_csv(&out.join("train.csv"), csv_rows.iter())?;
    samples::write(out, &all, &draw.samples)?;

    // 11. Statistics.
    let facts = stats::Facts {
        rows: &rows,
        all: &all,
        draw: &draw,
        body_cues: &body_cues,
        boilerplate: &boilerplate,
        loaded: &loaded,
        junk: &raw_pools.junk,
        pools: &train_pools,
    };
    stats::write(out, &mut summary, &facts, &pat)?;
    Ok(summary)
}

/// Steps 2 to 4 of [`build`]: the sample pages and their sites, the Spanish headline donors, and
/// the training articles (Reuters: the hard negatives, then a seeded random share up to the row
/// budget; no article of a sample's site).
fn draw_articles(all: &[Article], rng: &mut ChaCha8Rng) -> Result<Draw, String> {
    // 2. Choose the sample pages (held out of train with their sites), deterministically.
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let samples = samples::choose(all, &mut taken, rng)?;
    let held_out_sites: BTreeSet<String> = samples.iter().map(|&i| all[i].site.clone()).collect();
    let held = |a: &Article| taken.contains(&a.id) || held_out_sites.contains(&a.site);

    // 3. Spanish headline donors (Fake items whose headlines stand alone as bare inserts).
    let mut donors: Vec<usize> = (0..all.len())
        .filter(|&i| {
            all[i].source == ES_WEB
                && !all[i].hard
                && !held(&all[i])
                && all[i].headline().chars().count() <= pools::MAX_INSERT_HEADLINE_CHARS
        })
        .collect();
    donors.shuffle(rng);
    donors.truncate(ES_HEADLINE_DONORS);
    let donor_set: BTreeSet<usize> = donors.iter().copied().collect();

    // 4. Reuters: the hard negatives, then a seeded random share up to the row budget.
    let mut reuters: Vec<usize> = (0..all.len())
        .filter(|&i| all[i].source == REUTERS && !held(&all[i]))
        .collect();
    reuters.shuffle(rng);
    reuters.sort_by_key(|&i| !all[i].hard); // stable: hard ones first, each group shuffled
    let mut reuters_rows = 0usize;
    let mut unused_reuters: Vec<usize> = Vec::new();
    let mut train: Vec<usize> = Vec::new();
    for i in reuters {
        if all[i].hard || reuters_rows < REUTERS_NEWS_ROWS {
            reuters_rows += all[i].news_paras();
            train.push(i);
        } else {
            unused_reuters.push(i);
        }
    }
    for (i, a) in all.iter().enumerate() {
        if a.source != REUTERS && !held(a) && !donor_set.contains(&i) {
            train.push(i);
        }
    }
    train.sort_by(|&x, &y| all[x].id.cmp(&all[y].id));
    Ok(Draw {
        samples,
        donors,
        train,
        unused_reuters,
        held_out_sites,
    })
}

/// Every text that is `news` in a training or a sample article.
fn news_texts(all: &[Article], draw: &Draw) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    for &i in draw.train.iter().chain(&draw.samples) {
        for p in &all[i].paras {
            if p.label == Label::News {
                out.insert(p.text.clone());
            }
        }
    }
    out
}

/// Every real text of a training or a sample article, with the labels its rows carry.
fn real_labels(all: &[Article], draw: &Draw) -> RealLabels {
    let mut out = RealLabels::new();
    for &i in draw.train.iter().chain(&draw.samples) {
        for p in all[i].paras.iter().filter(|p| p.origin == Origin::Real) {
            out.entry(p.text.clone()).or_default().insert(p.label);
        }
    }
    out
}
