//! Builds chaff's labelled paragraph corpus from the raw inputs in `data/raw/`.
//!
//! ```text
//! cargo run --release -p build-data            # data/raw -> data/
//! cargo run --release -p build-data -- --raw DIR --out DIR [--seed N]
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
//! test pages), each article starting with its own headline ([`sources`]). Related-link inserts
//! are woven in between paragraphs from real headlines of *other* articles ([`pools`]) behind many
//! lead-ins (or none), and gambling ad blocks from real affiliate copy plus generated widget lines
//! ([`ads`], [`weave`]). About 9% of the articles also get one synthetic body sentence starting
//! with a related-link cue word ("Read the full judgment ...", "Sigue abierta la investigación
//! ...", labelled `news`), so that a cue word alone does not mean `related` ([`body_cues`]). See
//! `data/README.md`.
//!
//! The order of the steps in [`build`] is part of the output: every random choice but the body
//! sentences' comes from one `ChaCha8Rng` stream, so moving a step changes the corpus.

pub mod ads;
pub mod article;
pub mod body_cues;
pub mod pools;
pub mod rows;
pub mod samples;
pub mod sources;
pub mod stats;
pub mod templates;
pub mod text;
pub mod weave;

use article::{Article, Label, ES_WEB, REUTERS};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sources::Patterns;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use weave::WeaveOpts;

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

/// Which loaded articles go where: the samples (with their weaving options), the Spanish
/// headline donors, the training articles (in id order), and the Reuters stories left unused.
pub struct Draw {
    pub samples: Vec<(usize, WeaveOpts)>,
    pub donors: Vec<usize>,
    pub train: Vec<usize>,
    pub unused_reuters: Vec<usize>,
}

/// Builds the corpus from `raw` into `out`. See the crate docs.
pub fn build(raw: &Path, out: &Path, seed: u64) -> Result<Summary, String> {
    let pat = Patterns::new();
    let mut summary = Summary {
        seed,
        ..Summary::default()
    };

    // 1. Load every source, drop duplicate articles.
    let (all, cue_splits) = sources::load_all(raw, &pat, &mut summary.duplicate_articles)?;
    let raw_pools = pools::load_raw(raw)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);

    // 2.-4. The samples, the Spanish headline donors, the training articles.
    let draw = draw_articles(&all, &mut rng)?;

    // 5. Every text that is `news` in train or in a sample: inserts and ads never reuse one.
    let news_texts = news_texts(&all, &draw);

    // 6. Headline pools; a reserved slice of the bare-able ones goes to the samples only.
    let (train_pools, sample_pools) = pools::headline_pools(&all, &draw, &raw_pools, &mut rng);

    // 7.-8. Weave the training articles, in id order, then the samples from their own pools.
    let mut woven = weave::weave_all(
        &all,
        &draw,
        [&train_pools, &sample_pools],
        &news_texts,
        &mut rng,
    );
    summary.redrawn = woven.redrawn;

    // 8b. Body hard negatives: one synthetic body sentence starting with a cue word in a
    //     hash-chosen share of the training articles, from the generator's own random stream.
    let body_cues = {
        let generated = &woven.generated;
        let taken = |t: &str| news_texts.contains(t) || generated.contains_key(t);
        body_cues::add_body_cues(&mut woven.train, &all, &taken, seed)?
    };

    // 9. Shuffle article order (so that contiguous folds mix sources), resolve conflicts.
    woven.train.shuffle(&mut rng);
    let rows = rows::resolve(&woven.train, &all, &mut summary)?;

    // 10. Write.
    fs::create_dir_all(out.join("articles")).map_err(|e| format!("{}: {e}", out.display()))?;
    rows::write_csv(
        &out.join("train.csv"),
        rows.iter()
            .map(|r| (r.article, r.text.as_str(), r.label, r.source)),
    )?;
    samples::write(out, &all, &woven.samples)?;

    // 11. Statistics.
    let facts = stats::Facts {
        rows: &rows,
        all: &all,
        draw: &draw,
        samples: &woven.samples,
        body_cues: &body_cues,
        cue_splits,
    };
    stats::write(out, &mut summary, &facts, &pat)?;
    Ok(summary)
}

/// Steps 2 to 4 of [`build`]: the samples, the Spanish headline donors, and the training
/// articles (Reuters: the hard negatives, then a seeded random share up to the row budget).
fn draw_articles(all: &[Article], rng: &mut ChaCha8Rng) -> Result<Draw, String> {
    // 2. Choose the sample articles (held out of train), deterministically.
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let samples = samples::choose(all, &mut taken, rng)?;

    // 3. Spanish headline donors (Fake items whose headlines stand alone as bare inserts).
    let mut donors: Vec<usize> = (0..all.len())
        .filter(|&i| {
            all[i].source == ES_WEB
                && !all[i].hard
                && !taken.contains(&all[i].id)
                && all[i].headline().chars().count() <= pools::MAX_INSERT_HEADLINE_CHARS
        })
        .collect();
    donors.shuffle(rng);
    donors.truncate(ES_HEADLINE_DONORS);
    for &i in &donors {
        taken.insert(all[i].id.clone());
    }

    // 4. Reuters: the hard negatives, then a seeded random share up to the row budget.
    let mut reuters: Vec<usize> = (0..all.len())
        .filter(|&i| all[i].source == REUTERS && !taken.contains(&all[i].id))
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
        if a.source != REUTERS && !taken.contains(&a.id) {
            train.push(i);
        }
    }
    train.sort_by(|&x, &y| all[x].id.cmp(&all[y].id));
    Ok(Draw {
        samples,
        donors,
        train,
        unused_reuters,
    })
}

/// Every text that is `news` in a training or a sample article.
fn news_texts(all: &[Article], draw: &Draw) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    for &i in draw.train.iter().chain(draw.samples.iter().map(|(i, _)| i)) {
        for p in &all[i].paras {
            if p.label == Label::News {
                out.insert(p.text.clone());
            }
        }
    }
    out
}
