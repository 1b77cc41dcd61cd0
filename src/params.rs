//! Training parameters, linfa style: [`TrainParams`] is what was asked for,
//! [`TrainParams::check`] turns it into [`ValidTrainParams`], which is all that training takes.
//! Every check lives in `check`, and each bad value is an [`Error::BadParameter`] naming it.

use serde::{Deserialize, Serialize};

use crate::decide::Thresholds;
use crate::error::{Error, Result};
use crate::features::FeaturizerSettings;

/// Training parameters; [`TrainParams::check`] turns them into [`ValidTrainParams`].
#[derive(Debug, Clone, PartialEq)]
pub struct TrainParams(ValidTrainParams);

/// Checked training parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidTrainParams {
    folds: usize,
    seed: u64,
    featurizer: FeaturizerSettings,
    alpha: f32,
    context_alpha: f32,
    max_iterations: u64,
    keep: Option<Vec<String>>,
    min_keep_prob: Option<f32>,
    target_keep_recall: f32,
    uncertain_margin: f32,
}

/// Cross-validation folds by default: with the final fit, four jobs that two cores share evenly.
pub const DEFAULT_FOLDS: usize = 3;

/// L-BFGS iterations per fit by default (see `docs/experiments.md` for the settings tried).
pub const DEFAULT_MAX_ITERATIONS: u64 = 40;

/// The largest vocabulary: its columns and the dense features are numbered in `u32` by the
/// sparse matrix of stage 1, with room to spare.
pub const MAX_VOCAB_SIZE: usize = 1 << 24;

/// L2 regularization of the paragraph model by default (see `docs/experiments.md`).
pub const DEFAULT_ALPHA: f32 = 3.0;

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams(ValidTrainParams {
            folds: DEFAULT_FOLDS,
            seed: 0,
            featurizer: FeaturizerSettings::default(),
            alpha: DEFAULT_ALPHA,
            context_alpha: 1.0,
            max_iterations: DEFAULT_MAX_ITERATIONS,
            keep: None,
            min_keep_prob: None,
            target_keep_recall: 0.997,
            uncertain_margin: Thresholds::default().uncertain_margin,
        })
    }
}

impl TrainParams {
    /// Number of cross-validation folds; defaults to [`DEFAULT_FOLDS`].
    pub fn folds(mut self, folds: usize) -> Self {
        self.0.folds = folds;
        self
    }
    /// Seed for the fold assignment; defaults to `0`.
    pub fn seed(mut self, seed: u64) -> Self {
        self.0.seed = seed;
        self
    }
    /// Featurizer settings; default [`FeaturizerSettings::default`].
    pub fn featurizer(mut self, settings: FeaturizerSettings) -> Self {
        self.0.featurizer = settings;
        self
    }
    /// L2 regularization of stage 1 (linfa's `alpha`); defaults to [`DEFAULT_ALPHA`].
    pub fn alpha(mut self, alpha: f32) -> Self {
        self.0.alpha = alpha;
        self
    }
    /// L2 regularization of stage 2; defaults to `1.0`.
    pub fn context_alpha(mut self, alpha: f32) -> Self {
        self.0.context_alpha = alpha;
        self
    }
    /// Most L-BFGS iterations per fit; defaults to [`DEFAULT_MAX_ITERATIONS`].
    pub fn max_iterations(mut self, n: u64) -> Self {
        self.0.max_iterations = n;
        self
    }
    /// The labels kept in cleaned output; defaults to `news` when the data has it, otherwise the
    /// most frequent label.
    pub fn keep(mut self, keep: Vec<String>) -> Self {
        self.0.keep = Some(keep);
        self
    }
    /// The keep threshold stored in the model. By default it is chosen from the out-of-fold
    /// predictions: the highest threshold on the grid whose cross-validated recall of the kept
    /// labels reaches `target_keep_recall`.
    pub fn min_keep_prob(mut self, p: f32) -> Self {
        self.0.min_keep_prob = Some(p);
        self
    }
    /// The recall of kept labels the automatic threshold aims at; defaults to `0.997`.
    pub fn target_keep_recall(mut self, r: f32) -> Self {
        self.0.target_keep_recall = r;
        self
    }

    /// Checks every parameter, naming the bad one and its value.
    pub fn check(self) -> Result<ValidTrainParams> {
        let p = &self.0;
        let bad = |name: &'static str, expected: &'static str, value: String| {
            Err(Error::BadParameter {
                name,
                expected,
                value,
            })
        };
        let non_negative = |x: f32| x.is_finite() && x >= 0.0;
        let unit = |x: f32| (0.0..=1.0).contains(&x);
        if p.folds < 2 {
            return bad("folds", "at least 2", p.folds.to_string());
        }
        if !non_negative(p.alpha) {
            return bad("alpha", "a finite number >= 0", p.alpha.to_string());
        }
        if !non_negative(p.context_alpha) {
            return bad(
                "context_alpha",
                "a finite number >= 0",
                p.context_alpha.to_string(),
            );
        }
        if let Some(t) = p.min_keep_prob.filter(|t| !unit(*t)) {
            return bad("min_keep_prob", "between 0 and 1", t.to_string());
        }
        if !unit(p.target_keep_recall) {
            return bad(
                "target_keep_recall",
                "between 0 and 1",
                p.target_keep_recall.to_string(),
            );
        }
        if p.max_iterations == 0 {
            return bad("max_iterations", "at least 1", "0".into());
        }
        let f = &p.featurizer;
        if f.char_min == 0 || f.char_min > f.char_max {
            let sizes = format!("{}..{}", f.char_min, f.char_max);
            return bad("char_ngram_sizes", "1 <= min <= max", sizes);
        }
        if f.vocab_size == 0 || f.vocab_size > MAX_VOCAB_SIZE {
            let range = "between 1 and 16777216 (2^24)";
            return bad("vocab_size", range, f.vocab_size.to_string());
        }
        Ok(self.0)
    }
}

impl ValidTrainParams {
    /// Cross-validation folds (at most one per group).
    pub fn folds(&self) -> usize {
        self.folds
    }
    /// Seed for the fold assignment.
    pub fn seed(&self) -> u64 {
        self.seed
    }
    /// Featurizer settings.
    pub fn featurizer(&self) -> &FeaturizerSettings {
        &self.featurizer
    }
    /// L2 regularization of stage 1.
    pub fn alpha(&self) -> f32 {
        self.alpha
    }
    /// L2 regularization of stage 2.
    pub fn context_alpha(&self) -> f32 {
        self.context_alpha
    }
    /// Most L-BFGS iterations per fit.
    pub fn max_iterations(&self) -> u64 {
        self.max_iterations
    }
    /// The labels kept in cleaned output, when chosen.
    pub fn keep(&self) -> Option<&[String]> {
        self.keep.as_deref()
    }
    /// The keep threshold, when chosen rather than learned.
    pub fn min_keep_prob(&self) -> Option<f32> {
        self.min_keep_prob
    }
    /// The recall of kept labels the learned threshold aims at.
    pub fn target_keep_recall(&self) -> f32 {
        self.target_keep_recall
    }
    /// The uncertainty margin stored in the model.
    pub fn uncertain_margin(&self) -> f32 {
        self.uncertain_margin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_parameters_are_named() {
        let e = TrainParams::default().folds(1).check().unwrap_err();
        assert!(
            matches!(e, Error::BadParameter { name: "folds", .. }),
            "{e}"
        );
        assert_eq!(e.to_string(), "folds must be at least 2, not 1");
        let e = TrainParams::default().alpha(f32::NAN).check().unwrap_err();
        assert!(
            matches!(e, Error::BadParameter { name: "alpha", .. }),
            "{e}"
        );
        for size in [0, MAX_VOCAB_SIZE + 1] {
            let featurizer = FeaturizerSettings {
                vocab_size: size,
                ..FeaturizerSettings::default()
            };
            let e = TrainParams::default()
                .featurizer(featurizer)
                .check()
                .unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::BadParameter {
                        name: "vocab_size",
                        ..
                    }
                ),
                "{e}"
            );
        }
        let largest = FeaturizerSettings {
            vocab_size: MAX_VOCAB_SIZE,
            ..FeaturizerSettings::default()
        };
        assert!(TrainParams::default().featurizer(largest).check().is_ok());
    }
}
