//! The decision rule: stage-2 probabilities to a label, kept or removed, and an `uncertain` flag.
//! A paragraph is kept when the probability of the kept labels (by default `news`) reaches
//! `min_keep_prob`; its label is then the likeliest kept label, otherwise the likeliest other one.
//! It is `uncertain` when that probability lies within `uncertain_margin` of the threshold.
//! This computes no probabilities.

use serde::{Deserialize, Serialize};

/// Thresholds of the decision rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Keep a paragraph when the kept labels' probability is at least this; defaults to `0.5`.
    /// Lower it to delete less news at the cost of keeping more junk.
    pub min_keep_prob: f32,
    /// Flag a paragraph `uncertain` when the kept labels' probability is this close to
    /// `min_keep_prob`; defaults to `0.25`.
    pub uncertain_margin: f32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_keep_prob: 0.5,
            uncertain_margin: 0.25,
        }
    }
}

/// Index of the largest probability (the first of equals): the label a model without a
/// decision rule would give, as stage 1 alone is scored in the reports.
pub fn argmax(p: &[f32]) -> usize {
    p.iter()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |best, (i, &x)| {
            if x > best.1 {
                (i, x)
            } else {
                best
            }
        })
        .0
}

/// What was decided about one paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Index of the label, into the model's labels.
    pub label: usize,
    /// Whether the paragraph stays in the cleaned article.
    pub kept: bool,
    /// Whether the kept probability was close to the threshold.
    pub uncertain: bool,
    /// Stage-2 probabilities, one per label.
    pub probs: Vec<f32>,
}

/// p(kept): the probability of the labels marked in `keep`, which the keep threshold is
/// applied to.
pub fn kept_probability(probs: &[f32], keep: &[bool]) -> f32 {
    probs
        .iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(p, _)| p)
        .sum()
}

/// The decision rule, with the labels it keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Decider {
    keep: Vec<bool>,
    thresholds: Thresholds,
}

impl Decider {
    /// A rule keeping the labels whose index is `true` in `keep`.
    pub fn new(keep: Vec<bool>, thresholds: Thresholds) -> Decider {
        Decider { keep, thresholds }
    }

    /// The thresholds in force.
    pub fn thresholds(&self) -> &Thresholds {
        &self.thresholds
    }

    /// Which labels are kept, by label index.
    pub fn keep_mask(&self) -> &[bool] {
        &self.keep
    }

    /// Decides one paragraph from its probabilities.
    pub fn decide(&self, probs: Vec<f32>) -> Decision {
        let p_keep = kept_probability(&probs, &self.keep);
        let kept = p_keep >= self.thresholds.min_keep_prob;
        let label = probs
            .iter()
            .enumerate()
            .filter(|(i, _)| self.keep[*i] == kept)
            .fold(None, |best: Option<(usize, f32)>, (i, &p)| match best {
                Some((_, bp)) if bp >= p => best,
                _ => Some((i, p)),
            })
            .map_or(0, |(i, _)| i);
        let uncertain =
            (p_keep - self.thresholds.min_keep_prob).abs() < self.thresholds.uncertain_margin;
        Decision {
            label,
            kept,
            uncertain,
            probs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Labels: 0 ad, 1 news, 2 related.
    fn decider(min_keep_prob: f32) -> Decider {
        Decider::new(
            vec![false, true, false],
            Thresholds {
                min_keep_prob,
                uncertain_margin: 0.1,
            },
        )
    }

    #[test]
    fn argmax_when_threshold_is_half() {
        let d = decider(0.5).decide(vec![0.7, 0.2, 0.1]);
        assert_eq!((d.label, d.kept, d.uncertain), (0, false, false));
        let d = decider(0.5).decide(vec![0.1, 0.85, 0.05]);
        assert_eq!((d.label, d.kept), (1, true));
    }

    #[test]
    fn low_threshold_keeps_doubtful_news() {
        let d = decider(0.2).decide(vec![0.5, 0.25, 0.25]);
        assert_eq!((d.label, d.kept, d.uncertain), (1, true, true));
        let d = decider(0.5).decide(vec![0.5, 0.25, 0.25]);
        assert_eq!((d.label, d.kept), (0, false));
    }

    #[test]
    fn removed_label_is_the_likeliest_junk_label() {
        let d = decider(0.5).decide(vec![0.3, 0.3, 0.4]);
        assert_eq!((d.label, d.kept), (2, false));
    }
}
