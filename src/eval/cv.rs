//! The cross-validated report that training produces and the model file stores.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::calibration::Calibration;
use super::report::Report;
use super::threshold::ThresholdPoint;

/// The cross-validated report: overall (a [`Report`], whose fields its JSON holds at the top
/// level), stage 1 alone, and per held-out group when each fold holds one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvReport {
    /// Both stages, out of fold, at the keep threshold.
    #[serde(flatten)]
    pub overall: Report,
    pub folds: usize,
    pub stage1_macro_f1: f64,
    pub by_group: BTreeMap<String, Report>,
    /// The keep threshold the report (and the model) uses.
    pub min_keep_prob: f32,
    /// What other thresholds would have given, out of fold.
    pub thresholds: Vec<ThresholdPoint>,
    /// How well the out-of-fold probabilities are calibrated.
    pub calibration: Calibration,
    /// With a held-out column: each of its values scored by models that never saw it,
    /// which is where the keep threshold was chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_out: Option<HeldOutReport>,
}

/// Each held-out group (say, each source) scored by the two stages fitted without it, at the
/// model's keep threshold; the threshold sweep and calibration of those predictions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldOutReport {
    /// Macro-F1 over all held-out predictions pooled.
    pub macro_f1: f64,
    /// Each held-out value's report at the model's keep threshold.
    pub by_group: BTreeMap<String, Report>,
    /// What each threshold of the grid gives over all held-out predictions (the threshold is
    /// chosen from these).
    pub thresholds: Vec<ThresholdPoint>,
    /// How well the held-out probabilities are calibrated.
    pub calibration: Calibration,
}

impl CvReport {
    /// The threshold sweep the keep threshold was chosen from: the held-out one with
    /// held-out column, otherwise the out-of-fold one.
    pub fn threshold_source(&self) -> &[ThresholdPoint] {
        self.held_out
            .as_ref()
            .map_or(&self.thresholds, |h| &h.thresholds)
    }
}
