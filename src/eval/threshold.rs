//! The keep threshold: what each threshold of a grid gives (the sweep), and the one rule that
//! chooses the threshold from a sweep.

use serde::{Deserialize, Serialize};

use crate::decide::{Decider, Thresholds};

use super::report::Report;

/// What one keep threshold gives: the recall of the kept labels (news kept), of the others
/// (junk removed), and macro-F1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdPoint {
    pub min_keep_prob: f32,
    pub keep_recall: f64,
    pub removed_recall: f64,
    pub macro_f1: f64,
}

/// Thresholds tried for the keep decision.
pub const THRESHOLD_GRID: &[f32] = &[
    0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8,
];

/// The recall of kept and of removed labels, and macro-F1, at each threshold of
/// [`THRESHOLD_GRID`]. `probs[i]` are row `i`'s probabilities, `truth[i]` its label's index
/// into `labels`, and `keep_mask` marks the kept labels.
pub fn threshold_sweep(
    probs: &[Vec<f32>],
    truth: &[usize],
    labels: &[String],
    keep_mask: &[bool],
) -> Vec<ThresholdPoint> {
    THRESHOLD_GRID
        .iter()
        .map(|&t| {
            let decider = Decider::new(
                keep_mask.to_vec(),
                Thresholds {
                    min_keep_prob: t,
                    uncertain_margin: 0.0,
                },
            );
            let decisions: Vec<_> = probs.iter().map(|p| decider.decide(p.clone())).collect();
            let recall = |want_kept: bool| {
                let (hit, all) = truth
                    .iter()
                    .zip(&decisions)
                    .filter(|(l, _)| keep_mask[**l] == want_kept)
                    .fold((0u64, 0u64), |(h, a), (_, d)| {
                        (h + u64::from(d.kept == want_kept), a + 1)
                    });
                if all == 0 {
                    0.0
                } else {
                    hit as f64 / all as f64
                }
            };
            let report = Report::from_pairs(
                truth
                    .iter()
                    .zip(&decisions)
                    .map(|(l, d)| (labels[*l].as_str(), labels[d.label].as_str())),
            );
            ThresholdPoint {
                min_keep_prob: t,
                keep_recall: recall(true),
                removed_recall: recall(false),
                macro_f1: report.macro_f1,
            }
        })
        .collect()
}

/// The keep threshold a sweep gives for a target recall of the kept labels, and whether it
/// reaches the target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeepThreshold {
    /// The threshold.
    pub min_keep_prob: f32,
    /// Whether the sweep's recall of the kept labels at that threshold reaches the target.
    pub reaches_target: bool,
}

/// The one keep-threshold rule: the highest threshold of `sweep` whose recall of the kept
/// labels reaches `target`; when none does, the lowest (the safest for the kept labels). An
/// empty sweep gives `0.5`, the argmax rule for two labels.
pub fn choose_threshold(sweep: &[ThresholdPoint], target: f64) -> KeepThreshold {
    match sweep.iter().rev().find(|p| p.keep_recall >= target) {
        Some(p) => KeepThreshold {
            min_keep_prob: p.min_keep_prob,
            reaches_target: true,
        },
        None => KeepThreshold {
            min_keep_prob: sweep.first().map_or(0.5, |p| p.min_keep_prob),
            reaches_target: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(t: f32, keep_recall: f64) -> ThresholdPoint {
        ThresholdPoint {
            min_keep_prob: t,
            keep_recall,
            removed_recall: 1.0 - keep_recall,
            macro_f1: 0.5,
        }
    }

    #[test]
    fn the_highest_threshold_that_reaches_the_target_is_chosen() {
        let sweep = [point(0.1, 0.999), point(0.2, 0.998), point(0.3, 0.99)];
        let chosen = choose_threshold(&sweep, 0.997);
        assert_eq!((chosen.min_keep_prob, chosen.reaches_target), (0.2, true));
        let chosen = choose_threshold(&sweep, 0.9995);
        assert_eq!((chosen.min_keep_prob, chosen.reaches_target), (0.1, false));
        assert_eq!(choose_threshold(&[], 0.9).min_keep_prob, 0.5);
    }

    /// Two rows, one kept label: at 0.35 the kept row (p(kept) 0.4) stays, at 0.45 it goes.
    #[test]
    fn the_sweep_counts_what_each_threshold_keeps() {
        let labels = vec!["ad".to_owned(), "news".to_owned()];
        let probs = vec![vec![0.6, 0.4], vec![0.9, 0.1]];
        let sweep = threshold_sweep(&probs, &[1, 0], &labels, &[false, true]);
        let at = |t: f32| sweep.iter().find(|p| p.min_keep_prob == t).unwrap();
        assert_eq!((at(0.35).keep_recall, at(0.35).removed_recall), (1.0, 1.0));
        assert_eq!((at(0.45).keep_recall, at(0.45).removed_recall), (0.0, 1.0));
        assert_eq!(sweep.len(), THRESHOLD_GRID.len());
    }
}
