//! Evaluation: metrics and reports from true labels and decisions, the calibration of the
//! probabilities, the keep-threshold sweep and its rule, and the cross-validated report that
//! training produces. It trains nothing; [`evaluate`] scores labelled articles through the one
//! [`Classifier`] path.

mod calibration;
mod cv;
mod report;
mod threshold;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::classifier::Classifier;
use crate::decide::{argmax, Decision};
use crate::document::LabelledArticle;

pub use calibration::{Calibration, CalibrationBin, CALIBRATION_BINS};
pub use cv::{CvReport, HeldOutReport};
pub use report::{LabelScores, Report};
pub use threshold::{
    choose_threshold, threshold_sweep, KeepThreshold, ThresholdPoint, THRESHOLD_GRID,
};

/// What `chaff-label --eval` reports: the labels as decided, macro-F1 of stage 1 alone (each
/// paragraph's likeliest label without its neighbours, as in the training report), which shows
/// what the context stage adds on this data, the calibration of the probabilities, and a report
/// per group when asked. Serialized as the [`Report`] with `stage1_macro_f1`, `calibration`
/// and `by_group` beside its fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    #[serde(flatten)]
    pub report: Report,
    pub stage1_macro_f1: f64,
    /// How well the final probabilities are calibrated.
    pub calibration: Calibration,
    /// One report per group (the articles' `group`), when `evaluate` is asked for them.
    pub by_group: BTreeMap<String, Report>,
}

/// Labels the paragraphs of labelled articles with `classifier`, exactly as on real articles
/// (the same [`Classifier::label`] path, whole articles in order), and reports against the
/// true labels, and per group of articles with `by_group`. Also returns every decision,
/// article by article, for a review file.
///
pub fn evaluate(
    classifier: &Classifier,
    articles: &[LabelledArticle],
    by_group: bool,
) -> (Evaluation, Vec<Vec<Decision>>) {
    let (stage1, decisions): (Vec<_>, Vec<_>) = articles
        .par_iter()
        .map(|a| {
            let refs: Vec<&str> = a.texts.iter().map(String::as_str).collect();
            classifier.label_with_stage1(&refs)
        })
        .unzip();
    let labels = classifier.labels();
    // (true, decided) per paragraph, article by article; stage 1 alone by its likeliest label.
    let decided: Vec<Vec<(&str, &str)>> = articles
        .iter()
        .zip(&decisions)
        .map(|(a, ds)| {
            let truth = a.labels.iter().map(String::as_str);
            truth
                .zip(ds.iter().map(|d| labels[d.label].as_str()))
                .collect()
        })
        .collect();
    let report = Report::from_pairs(decided.iter().flatten().copied());
    let stage1 = Report::from_pairs(
        articles
            .iter()
            .flat_map(|a| a.labels.iter().map(String::as_str))
            .zip(stage1.iter().flatten().map(|p| labels[argmax(p)].as_str())),
    );
    let calibration = Calibration::new(
        articles
            .iter()
            .flat_map(|a| a.labels.iter())
            .map(|truth| labels.iter().position(|l| l == truth))
            .zip(decisions.iter().flatten().map(|d| d.probs.as_slice())),
        classifier.keep_mask(),
    );
    let mut groups: BTreeMap<String, Vec<(&str, &str)>> = BTreeMap::new();
    if by_group {
        for (a, pairs) in articles.iter().zip(&decided) {
            groups.entry(a.group.clone()).or_default().extend(pairs);
        }
    }
    let evaluation = Evaluation {
        report,
        stage1_macro_f1: stage1.macro_f1,
        calibration,
        by_group: groups
            .into_iter()
            .map(|(g, pairs)| (g, Report::from_pairs(pairs)))
            .collect(),
    };
    (evaluation, decisions)
}
