//! Stage 2: re-scores each paragraph from its own stage-1 probabilities, those of its neighbours
//! (one and two before and after; its own and the adjacent ones' also as log-probabilities),
//! the mean of what comes before and after it, and its position in the article, and the length
//! and ending of it and its neighbours. An insert sits alone between two longer news
//! paragraphs; a run of short lines is a list or a table of the article; ads cluster at the
//! end; a headline opens the article. No text and no I/O here: only numbers in, numbers out.

use crate::features::{flag, relative_position, Shape};
use crate::linear::LinearModel;

/// How many context features there are for `n_labels` labels.
pub fn n_context_features(n_labels: usize) -> usize {
    (PER_LABEL.len() + PAIRS.len()) * n_labels + FIXED.len()
}

/// Per-label groups of features: one probability per label each. The `_log` ones are the same
/// probabilities on a log scale, where 0.01 and 0.2 stand far apart: stage 1 giving `news`
/// 0.2 rather than 0.01 to a line of an unseen site is a doubt a linear stage 2 hardly sees on
/// the probability scale.
const PER_LABEL: [&str; 10] = [
    "self",
    "self_log",
    "prev1_log",
    "next1_log",
    "prev1",
    "prev2",
    "next1",
    "next2",
    "mean_before",
    "mean_after",
];

/// Per-label products of probabilities.
const PAIRS: [&str; 3] = ["self_x_prev1", "self_x_next1", "prev1_x_next1"];

/// Features that do not depend on the labels.
const FIXED: [&str; 20] = [
    "has_prev1",
    "has_prev2",
    "has_next1",
    "has_next2",
    "is_first",
    "is_last",
    "relative_position",
    "log_from_end",
    "log_article_len",
    "self_len",
    "prev1_len",
    "next1_len",
    "self_ends_sentence",
    "prev1_ends_sentence",
    "next1_ends_sentence",
    "shorter_than_neighbours",
    "short_run",
    "self_overlap",
    "prev1_overlap",
    "next1_overlap",
];

/// Names of the context features for these labels, in vector order.
pub fn feature_names(labels: &[String]) -> Vec<String> {
    let mut names = Vec::new();
    for part in PER_LABEL {
        for label in labels {
            names.push(format!("{part}:{label}"));
        }
    }
    for label in labels {
        for pair in PAIRS {
            names.push(format!("{pair}:{label}"));
        }
    }
    names.extend(FIXED.iter().map(|n| (*n).to_owned()));
    names
}

/// Context features of every paragraph of one article, from its stage-1 probabilities
/// (`stage1[i]` is paragraph `i`'s probabilities, one per label) and shapes. Row `i` of the
/// result is the feature vector of paragraph `i`.
pub fn context_features(stage1: &[Vec<f32>], shapes: &[Shape]) -> Vec<Vec<f32>> {
    let n = stage1.len();
    let n_labels = stage1.first().map_or(0, Vec::len);
    let zeros = vec![0.0f32; n_labels];
    // Prefix sums for the means before and after each paragraph.
    let mut prefix = vec![vec![0.0f32; n_labels]; n + 1];
    for i in 0..n {
        for l in 0..n_labels {
            prefix[i + 1][l] = prefix[i][l] + stage1[i][l];
        }
    }
    // Paragraph `j` of the article, if there is one (`j` may run off either end).
    let index = |j: isize| usize::try_from(j).ok().filter(|&j| j < n);
    let at = |j: isize| index(j).map(|j| &stage1[j]);
    // Log-probabilities once per paragraph; each is read as self, as next and as previous.
    let logs: Vec<f32> = stage1.iter().flatten().map(|&p| log_prob(p)).collect();
    let log_at = |j: isize| -> &[f32] {
        index(j).map_or(&zeros, |j| &logs[j * n_labels..(j + 1) * n_labels])
    };
    let runs = short_runs(shapes);
    (0..n)
        .map(|i| {
            let mut row = Vec::with_capacity(n_context_features(n_labels));
            let me = &stage1[i];
            let ii = i as isize;
            let neighbours = [at(ii - 1), at(ii - 2), at(ii + 1), at(ii + 2)];
            row.extend(me.iter().copied());
            // Log-probabilities of it and of the paragraphs just before and after it (0 if none).
            for j in [ii, ii - 1, ii + 1] {
                row.extend_from_slice(log_at(j));
            }
            for nb in neighbours {
                row.extend(nb.unwrap_or(&zeros).iter().copied());
            }
            let before = i.max(1) as f32;
            row.extend(prefix[i].iter().map(|s| s / before));
            let after = (n - 1 - i).max(1) as f32;
            row.extend(
                prefix[n]
                    .iter()
                    .zip(&prefix[i + 1])
                    .map(|(all, upto)| (all - upto) / after),
            );
            let prev = neighbours[0].unwrap_or(&zeros);
            let next = neighbours[2].unwrap_or(&zeros);
            for l in 0..n_labels {
                row.push(me[l] * prev[l]);
                row.push(me[l] * next[l]);
                row.push(prev[l] * next[l]);
            }
            row.extend_from_slice(&fixed_features(i, shapes, &neighbours, runs[i]));
            row
        })
        .collect()
}

/// The [`FIXED`] features of paragraph `i`, in order: which neighbours exist, its position,
/// its and its neighbours' shapes, and the length of the run of short lines it is in.
fn fixed_features(
    i: usize,
    shapes: &[Shape],
    neighbours: &[Option<&Vec<f32>>; 4],
    run: usize,
) -> [f32; FIXED.len()] {
    let n = shapes.len();
    let from_end = n - 1 - i;
    let shape = |j: Option<usize>| j.and_then(|j| shapes.get(j)).copied().unwrap_or_default();
    let (me, prev, next) = (shapes[i], shape(i.checked_sub(1)), shape(Some(i + 1)));
    let shorter = if i > 0 && i + 1 < n {
        prev.log_len.min(next.log_len) - me.log_len
    } else {
        0.0
    };
    [
        flag(neighbours[0].is_some()),
        flag(neighbours[1].is_some()),
        flag(neighbours[2].is_some()),
        flag(neighbours[3].is_some()),
        flag(i == 0),
        flag(from_end == 0),
        relative_position(i, n),
        ((1 + from_end) as f32).ln() / 4.0,
        (n as f32).ln() / 4.0,
        me.log_len,
        prev.log_len,
        next.log_len,
        me.ends_sentence,
        prev.ends_sentence,
        next.ends_sentence,
        shorter,
        ((1 + run) as f32).ln() / 3.0,
        me.overlap,
        prev.overlap,
        next.overlap,
    ]
}

/// For each paragraph, the length of the run of consecutive short lines it belongs to (0 when
/// it is not a short line), in one pass each way, so a long list costs linear time.
fn short_runs(shapes: &[Shape]) -> Vec<usize> {
    let mut runs = vec![0; shapes.len()];
    let mut start = 0;
    for i in 0..=shapes.len() {
        if i < shapes.len() && shapes[i].is_short_line() {
            continue;
        }
        runs[start..i].fill(i - start);
        start = i + 1;
    }
    runs
}

/// A probability on a log scale, floored at 1e-4 and scaled to [-1, 0].
fn log_prob(p: f32) -> f32 {
    p.max(1e-4).ln() / (1e-4f32).ln().abs()
}

/// Stage 2 applied to one article: stage-1 probabilities and shapes in, stage-2 probabilities
/// out.
pub fn rescore(model: &LinearModel, stage1: &[Vec<f32>], shapes: &[Shape]) -> Vec<Vec<f32>> {
    context_features(stage1, shapes)
        .iter()
        .map(|row| model.probabilities(row, &[]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_have_the_named_width_and_see_neighbours() {
        let labels = vec!["ad".to_owned(), "news".to_owned()];
        let stage1 = vec![vec![0.1, 0.9], vec![0.8, 0.2], vec![0.3, 0.7]];
        let shapes = [0.2, 0.9, 0.5].map(|l| Shape {
            log_len: l,
            ends_sentence: 0.0,
            overlap: l,
        });
        let rows = context_features(&stage1, &shapes);
        let names = feature_names(&labels);
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| r.len() == names.len()));
        let col = |name: &str| names.iter().position(|n| n == name).unwrap();
        assert_eq!(rows[1][col("prev1:news")], 0.9);
        assert_eq!(rows[1][col("next1:ad")], 0.3);
        assert_eq!(rows[0][col("has_prev1")], 0.0);
        assert_eq!(rows[2][col("is_last")], 1.0);
        assert!((rows[0][col("mean_after:ad")] - 0.55).abs() < 1e-6);
        assert!((rows[2][col("mean_before:news")] - 0.55).abs() < 1e-6);
        assert_eq!(rows[1][col("prev1_len")], 0.2);
        assert!((rows[1][col("shorter_than_neighbours")] - (0.2 - 0.9)).abs() < 1e-6);
        assert!(rows[0][col("short_run")] > 0.0 && rows[1][col("short_run")] == 0.0);
        assert_eq!(rows[1][col("next1_overlap")], 0.5);
        // Log scale: 1 is 0, the floor (1e-4) and below is -1, order is kept.
        assert_eq!(rows[0][col("self_log:news")], log_prob(0.9));
        assert_eq!(rows[1][col("prev1_log:news")], log_prob(0.9));
        assert_eq!(rows[1][col("next1_log:ad")], log_prob(0.3));
        assert_eq!(rows[0][col("prev1_log:ad")], 0.0);
        assert!(log_prob(0.2) < log_prob(0.8));
        assert!(log_prob(0.2) - log_prob(0.01) > 0.2 - 0.01);
        assert_eq!(log_prob(1.0), 0.0);
        assert_eq!(log_prob(1e-4), -1.0);
        assert_eq!(log_prob(0.0), -1.0);
    }

    #[test]
    fn the_count_matches_the_names() {
        for n in 1..5 {
            let labels: Vec<String> = (0..n).map(|i| format!("l{i}")).collect();
            assert_eq!(n_context_features(n), feature_names(&labels).len());
        }
    }

    #[test]
    fn empty_article_has_no_rows() {
        assert!(context_features(&[], &[]).is_empty());
    }
}
