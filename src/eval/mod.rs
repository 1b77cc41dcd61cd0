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

#[cfg(test)]
mod tests {
    use super::*;

    /// Stage 1 alone is scored paragraph by paragraph against the right truth, across
    /// articles of different lengths, and serialized beside the report's fields.
    #[test]
    fn evaluation_scores_stage1_alone_too() {
        let model = crate::model_file::from_bytes(crate::DEFAULT_MODEL).unwrap();
        let c = &model.classifier;
        let article =
            |id: &str, texts: &[&str], labels: &[&str]| crate::document::LabelledArticle {
                id: id.into(),
                group: id.into(),
                held_out_group: None,
                texts: texts.iter().map(|t| (*t).to_owned()).collect(),
                labels: labels.iter().map(|l| (*l).to_owned()).collect(),
            };
        let articles = [
            article(
                "a",
                &[
                    "Kazakhstan reaffirms its neutrality",
                    "Tokayev said Kazakhstan would stay neutral over Ukraine, officials said on Monday.",
                    "Follow live the latest news on the war in Ukraine.",
                    "The president repeated the position in a call with European leaders.",
                    "BetMGM Casino",
                ],
                &["news", "news", "related", "news", "ad"],
            ),
            // Deliberately wrong truth, so the two scores cannot agree by chance.
            article("b", &["Read: Solana suffers a new major breakdown"], &["ad"]),
        ];
        let (evaluation, decisions) = evaluate(c, &articles, true);
        let mut pairs = Vec::new();
        for a in &articles {
            let texts: Vec<&str> = a.texts.iter().map(String::as_str).collect();
            let (stage1, _) = c.stage1_probabilities(&texts);
            for (truth, p) in a.labels.iter().zip(&stage1) {
                pairs.push((
                    truth.as_str(),
                    c.labels()[crate::decide::argmax(p)].as_str(),
                ));
            }
        }
        assert_eq!(
            evaluation.stage1_macro_f1,
            Report::from_pairs(pairs).macro_f1
        );
        assert_eq!(decisions.iter().map(Vec::len).collect::<Vec<_>>(), [5, 1]);
        assert!(
            evaluation.report.macro_f1 < 1.0,
            "article b's truth is wrong on purpose"
        );
        let v = serde_json::to_value(&evaluation).unwrap();
        assert_eq!(v["stage1_macro_f1"], evaluation.stage1_macro_f1);
        assert_eq!(v["macro_f1"], evaluation.report.macro_f1);
        assert_eq!(v["labels"]["ad"]["support"], 2);
        // Calibration covers every paragraph, with its final probabilities.
        let binned: u64 = evaluation
            .calibration
            .bins
            .iter()
            .map(|b| b.paragraphs)
            .sum();
        assert_eq!(binned, 6);
        let news = c.labels().iter().position(|l| l == "news").unwrap();
        let p_news: f64 = decisions
            .iter()
            .flatten()
            .map(|d| f64::from(d.probs[news]))
            .sum();
        let binned_p: f64 = evaluation
            .calibration
            .bins
            .iter()
            .map(|b| b.mean_prob * b.paragraphs as f64)
            .sum();
        assert!((p_news - binned_p).abs() < 1e-6, "{p_news} vs {binned_p}");
        assert_eq!(v["calibration"]["ece"], evaluation.calibration.ece);
        // Per group: each article's own paragraphs, and nothing when not asked.
        let rows: Vec<(&str, u64)> = evaluation
            .by_group
            .iter()
            .map(|(g, r)| (g.as_str(), r.rows()))
            .collect();
        assert_eq!(rows, [("a", 5), ("b", 1)]);
        assert_eq!(
            evaluation.by_group["b"].confusion["ad"]
                .values()
                .sum::<u64>(),
            1
        );
        assert!(evaluate(c, &articles, false).0.by_group.is_empty());
    }
}
