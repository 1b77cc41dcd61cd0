//! Training rows: every paragraph featurized once, its terms numbered, the article-overlap stop
//! words, and the names of the terms a vocabulary keeps.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::document::LabelledArticle;
use crate::features::{
    article_words, fnv1a, for_each_term, Featurizer, FeaturizerSettings, Scratch, Shape,
};

/// A featurized paragraph during training: dense features and global term ids.
pub(super) struct Row {
    pub(super) article: usize,
    pub(super) label: usize,
    pub(super) dense: Vec<f32>,
    pub(super) terms: Vec<u32>,
    pub(super) shape: Shape,
}

/// The `n` content words used by the most articles (ties in word order), which the
/// article-overlap feature ignores. No labels are looked at.
pub(super) fn widespread_words(articles: &[LabelledArticle], n: usize) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    let articles_with: FxHashMap<String, u32> = articles
        .par_iter()
        .map(|a| article_words(a.texts.iter().map(String::as_str)))
        .fold(FxHashMap::default, |mut counts, words| {
            for w in words {
                *counts.entry(w).or_insert(0) += 1;
            }
            counts
        })
        .reduce(FxHashMap::default, |mut a, b| {
            for (w, c) in b {
                *a.entry(w).or_insert(0) += c;
            }
            a
        });
    let mut ranked: Vec<(u32, String)> = articles_with.into_iter().map(|(w, c)| (c, w)).collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    ranked.into_iter().take(n).map(|(_, w)| w).collect()
}

/// Articles featurized in parallel at a time: their term hashes wait in memory only until they
/// are numbered, so memory holds a `u32` per term and paragraph rather than a `u64`.
const FEATURIZE_CHUNK: usize = 4096;

/// Featurizes every paragraph with the featurizer labelling uses (no vocabulary yet), and
/// numbers its terms: global ids in hash order, keeping only terms in at least `min_df`
/// paragraphs, each row's ids ascending. Returns the rows and the hash of each id.
///
/// Articles are featurized in parallel a chunk at a time; each chunk's hashes are numbered in
/// order of first sight (the same numbering on any thread count) and counted, then dropped.
/// When every paragraph is counted, the terms under `min_df` are dropped and the rest renumbered
/// in hash order.
pub(super) fn featurize_all(
    articles: &[LabelledArticle],
    labels: &[String],
    settings: &FeaturizerSettings,
    stop_words: &[String],
) -> (Vec<Row>, Vec<u64>) {
    let empty =
        Featurizer::new(settings.clone(), Vec::new()).with_overlap_stop_words(stop_words.to_vec());
    let label_index: FxHashMap<&str, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    // Each hash's number in order of first sight, and its paragraph count.
    let mut seen: FxHashMap<u64, u32> = FxHashMap::default();
    let mut hashes: Vec<u64> = Vec::new();
    let mut df: Vec<u32> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    for (c, chunk) in articles.chunks(FEATURIZE_CHUNK).enumerate() {
        let featurized: Vec<(Row, Vec<u64>)> = chunk
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, article)| {
                let mut scratch = Scratch::default();
                let texts: Vec<&str> = article.texts.iter().map(String::as_str).collect();
                let (features, shapes) = empty.featurize_article(&texts);
                features
                    .into_iter()
                    .zip(shapes)
                    .zip(texts.iter().zip(&article.labels))
                    .map(|((f, shape), (text, label))| {
                        let mut terms = Vec::new();
                        for_each_term(text, settings, &mut scratch, |parts| {
                            terms.push(fnv1a(parts))
                        });
                        terms.sort_unstable();
                        terms.dedup();
                        let row = Row {
                            article: c * FEATURIZE_CHUNK + i,
                            label: label_index[label.as_str()],
                            dense: f.dense,
                            terms: Vec::new(),
                            shape,
                        };
                        (row, terms)
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        for (mut row, terms) in featurized {
            row.terms = terms
                .into_iter()
                .map(|h| {
                    let id = *seen.entry(h).or_insert_with(|| {
                        hashes.push(h);
                        df.push(0);
                        (hashes.len() - 1) as u32
                    });
                    df[id as usize] += 1;
                    id
                })
                .collect();
            rows.push(row);
        }
    }
    drop(seen);
    // The kept terms in hash order, and each first-sight number's new id (or none).
    let mut kept: Vec<(u64, u32)> = hashes
        .iter()
        .zip(&df)
        .enumerate()
        .filter(|(_, (_, &n))| n >= settings.min_df)
        .map(|(first, (&h, _))| (h, first as u32))
        .collect();
    kept.sort_unstable();
    let mut new_id = vec![u32::MAX; hashes.len()];
    for (id, (_, first)) in kept.iter().enumerate() {
        new_id[*first as usize] = id as u32;
    }
    drop((hashes, df));
    rows.par_iter_mut().for_each(|row| {
        row.terms.retain_mut(|t| {
            *t = new_id[*t as usize];
            *t != u32::MAX
        });
        row.terms.sort_unstable();
        row.terms.shrink_to_fit();
    });
    (rows, kept.into_iter().map(|(h, _)| h).collect())
}

/// The text of each chosen term, found again by enumerating the training paragraphs' terms.
pub(super) fn term_names(
    articles: &[LabelledArticle],
    settings: &FeaturizerSettings,
    vocab: &[u32],
    term_hashes: &[u64],
) -> Vec<String> {
    let wanted: FxHashMap<u64, usize> = vocab
        .iter()
        .enumerate()
        .map(|(c, t)| (term_hashes[*t as usize], c))
        .collect();
    let mut names: Vec<Option<String>> = vec![None; vocab.len()];
    let mut missing = vocab.len();
    let mut scratch = Scratch::default();
    'outer: for a in articles {
        for text in &a.texts {
            for_each_term(text, settings, &mut scratch, |parts| {
                if let Some(&c) = wanted.get(&fnv1a(parts)) {
                    if names[c].is_none() {
                        names[c] = Some(String::from_utf8_lossy(&parts.concat()).into_owned());
                        missing -= 1;
                    }
                }
            });
            if missing == 0 {
                break 'outer;
            }
        }
    }
    // Every chosen term came from these paragraphs, so every name is found.
    names.into_iter().map(Option::unwrap_or_default).collect()
}
