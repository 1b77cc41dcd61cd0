//! Metrics and reports: per-label precision, recall, F1 and support, macro-F1 and the confusion
//! matrix, from pairs of true and predicted labels; how well the probabilities are calibrated,
//! from true labels and probabilities. It trains nothing and scores nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// Precision, recall, F1 and support of one label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: u64,
}

/// What one keep threshold gives: the recall of the kept labels (news kept), of the others
/// (junk removed), and macro-F1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdPoint {
    pub min_keep_prob: f32,
    pub keep_recall: f64,
    pub removed_recall: f64,
    pub macro_f1: f64,
}

/// An evaluation report. Serialized as
/// `{"macro_f1": f, "labels": {label: {"precision", "recall", "f1", "support"}}, "confusion":
/// {true label: {predicted label: n}}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub macro_f1: f64,
    pub labels: BTreeMap<String, LabelScores>,
    pub confusion: BTreeMap<String, BTreeMap<String, u64>>,
}

impl Report {
    /// A report from (true, predicted) label pairs. Labels are the union of both sides, sorted;
    /// macro-F1 averages over labels with support or predictions.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Report {
        let mut confusion: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        for (truth, predicted) in pairs {
            seen.insert(truth.to_owned());
            seen.insert(predicted.to_owned());
            *confusion
                .entry(truth.to_owned())
                .or_default()
                .entry(predicted.to_owned())
                .or_default() += 1;
        }
        for row in seen.iter() {
            let entry = confusion.entry(row.clone()).or_default();
            for col in seen.iter() {
                entry.entry(col.clone()).or_default();
            }
        }
        let mut labels = BTreeMap::new();
        for label in &seen {
            let tp = confusion[label][label];
            let support: u64 = confusion[label].values().sum();
            let predicted: u64 = confusion.values().map(|row| row[label]).sum();
            let precision = if predicted == 0 {
                0.0
            } else {
                tp as f64 / predicted as f64
            };
            let recall = if support == 0 {
                0.0
            } else {
                tp as f64 / support as f64
            };
            let f1 = if precision + recall == 0.0 {
                0.0
            } else {
                2.0 * precision * recall / (precision + recall)
            };
            labels.insert(
                label.clone(),
                LabelScores {
                    precision,
                    recall,
                    f1,
                    support,
                },
            );
        }
        let macro_f1 = if labels.is_empty() {
            0.0
        } else {
            labels.values().map(|s| s.f1).sum::<f64>() / labels.len() as f64
        };
        Report {
            macro_f1,
            labels,
            confusion,
        }
    }

    /// Total number of paragraphs scored.
    pub fn rows(&self) -> u64 {
        self.labels.values().map(|s| s.support).sum()
    }

    /// One line: macro-F1 and each label's recall (`macro-F1 0.9841, recall ad 0.9972, ...`),
    /// as a group is reported.
    pub fn summary_line(&self) -> String {
        let recalls: Vec<String> = self
            .labels
            .iter()
            .map(|(l, s)| format!("{l} {:.4}", s.recall))
            .collect();
        format!(
            "macro-F1 {:.4}, recall {}",
            self.macro_f1,
            recalls.join(", ")
        )
    }

    /// The report as an aligned text table, with the confusion matrix.
    pub fn to_table(&self) -> String {
        let width = self
            .labels
            .keys()
            .map(String::len)
            .max()
            .unwrap_or(5)
            .max(9);
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<width$}  {:>9}  {:>9}  {:>9}  {:>9}",
            "label", "precision", "recall", "f1", "support"
        );
        for (label, sc) in &self.labels {
            let _ = writeln!(
                s,
                "{:<width$}  {:>9.4}  {:>9.4}  {:>9.4}  {:>9}",
                label, sc.precision, sc.recall, sc.f1, sc.support
            );
        }
        let _ = writeln!(
            s,
            "{:<width$}  {:>31.4}  {:>9}",
            "macro-F1",
            self.macro_f1,
            self.rows()
        );
        let _ = writeln!(s, "\nconfusion (rows: true label, columns: predicted)");
        let _ = write!(s, "{:<width$}", "");
        for label in self.labels.keys() {
            let _ = write!(s, "  {label:>9}");
        }
        let _ = writeln!(s);
        for (truth, row) in &self.confusion {
            let _ = write!(s, "{truth:<width$}");
            for n in row.values() {
                let _ = write!(s, "  {n:>9}");
            }
            let _ = writeln!(s);
        }
        s
    }
}

/// How far the probabilities can be taken at their word. The keep threshold is applied to the
/// probability of the kept labels, p(kept), so that is the probability checked: of the
/// paragraphs given p(kept) near 0.3, about 30% should truly carry a kept label. Serialized as
/// `{"brier": f, "ece": f, "bins": [{"from", "to", "paragraphs", "mean_prob", "kept_share"}]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Multiclass Brier score: the mean over paragraphs of the squared distance between the
    /// probabilities and the one-hot true label (0 is perfect, 2 the worst).
    pub brier: f64,
    /// Expected calibration error of p(kept): the gap between the mean p(kept) of a bin and
    /// the share of its paragraphs that truly carry a kept label, averaged over the bins,
    /// weighted by paragraphs.
    pub ece: f64,
    /// The non-empty bins of p(kept), in order.
    pub bins: Vec<CalibrationBin>,
}

/// One bin of p(kept) (`from` inclusive, `to` exclusive but for the last, which holds 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    pub from: f64,
    pub to: f64,
    pub paragraphs: u64,
    /// The mean p(kept) of the paragraphs in the bin.
    pub mean_prob: f64,
    /// The share of them whose true label is a kept one.
    pub kept_share: f64,
}

/// How many equal-width bins of p(kept) [`Calibration`] uses.
pub const CALIBRATION_BINS: usize = 10;

impl Calibration {
    /// From each paragraph's true label (an index into its probabilities, `None` for a label the
    /// model does not have) and probabilities; `keep_mask` marks the kept labels.
    pub fn new<'a>(
        rows: impl IntoIterator<Item = (Option<usize>, &'a [f32])>,
        keep_mask: &[bool],
    ) -> Calibration {
        let mut n = 0u64;
        let mut brier = 0.0;
        // Per bin: paragraphs, sum of p(kept), paragraphs truly kept.
        let mut bins = [(0u64, 0.0f64, 0u64); CALIBRATION_BINS];
        for (truth, probs) in rows {
            n += 1;
            brier += probs
                .iter()
                .enumerate()
                .map(|(k, &p)| (f64::from(p) - f64::from(u8::from(truth == Some(k)))).powi(2))
                .sum::<f64>();
            let kept = f64::from(crate::decide::kept_probability(probs, keep_mask));
            let b = ((kept * CALIBRATION_BINS as f64) as usize).min(CALIBRATION_BINS - 1);
            bins[b].0 += 1;
            bins[b].1 += kept;
            bins[b].2 += u64::from(truth.is_some_and(|t| keep_mask[t]));
        }
        let bins: Vec<CalibrationBin> = bins
            .iter()
            .enumerate()
            .filter(|(_, (count, _, _))| *count > 0)
            .map(|(b, &(count, sum, kept))| CalibrationBin {
                from: b as f64 / CALIBRATION_BINS as f64,
                to: (b + 1) as f64 / CALIBRATION_BINS as f64,
                paragraphs: count,
                mean_prob: sum / count as f64,
                kept_share: kept as f64 / count as f64,
            })
            .collect();
        let ece = bins
            .iter()
            .map(|b| b.paragraphs as f64 * (b.mean_prob - b.kept_share).abs())
            .sum::<f64>()
            / n.max(1) as f64;
        Calibration {
            brier: brier / n.max(1) as f64,
            ece,
            bins,
        }
    }

    /// One line: the expected calibration error and the Brier score.
    pub fn summary_line(&self) -> String {
        format!(
            "calibration of p(kept): expected calibration error {:.4} ({CALIBRATION_BINS} bins), \
             Brier score {:.4}",
            self.ece, self.brier
        )
    }

    /// The reliability table: per bin of p(kept), the paragraphs, their mean p(kept) and the
    /// share truly kept.
    pub fn to_table(&self) -> String {
        let mut s = format!(
            "{:<10}  {:>10}  {:>12}  {:>12}\n",
            "p(kept)", "paragraphs", "mean p(kept)", "truly kept"
        );
        for b in &self.bins {
            let _ = writeln!(
                s,
                "{:<10}  {:>10}  {:>12.4}  {:>12.4}",
                format!("{:.1}-{:.1}", b.from, b.to),
                b.paragraphs,
                b.mean_prob,
                b.kept_share
            );
        }
        s
    }
}

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
/// [`Classifier::label`]: crate::classifier::Classifier::label
pub fn evaluate(
    classifier: &crate::classifier::Classifier,
    articles: &[crate::train::LabelledArticle],
    by_group: bool,
) -> (Evaluation, Vec<Vec<crate::decide::Decision>>) {
    use rayon::prelude::*;
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
            .zip(
                stage1
                    .iter()
                    .flatten()
                    .map(|p| labels[crate::decide::argmax(p)].as_str()),
            ),
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

    #[test]
    fn scores_from_a_known_confusion() {
        let pairs = [
            ("news", "news"),
            ("news", "news"),
            ("news", "ad"),
            ("ad", "ad"),
            ("related", "news"),
        ];
        let r = Report::from_pairs(pairs);
        let news = &r.labels["news"];
        assert_eq!(news.support, 3);
        assert!((news.precision - 2.0 / 3.0).abs() < 1e-12);
        assert!((news.recall - 2.0 / 3.0).abs() < 1e-12);
        let ad = &r.labels["ad"];
        assert!((ad.precision - 0.5).abs() < 1e-12 && ad.recall == 1.0);
        assert_eq!(r.labels["related"].f1, 0.0);
        assert_eq!(r.confusion["related"]["news"], 1);
        assert_eq!(r.confusion["ad"]["related"], 0);
        let expected = (2.0 / 3.0 + 2.0 / 3.0 + 0.0) / 3.0;
        assert!((r.macro_f1 - expected).abs() < 1e-12);
        assert_eq!(r.rows(), 5);
    }

    /// Stage 1 alone is scored paragraph by paragraph against the right truth, across
    /// articles of different lengths, and serialized beside the report's fields.
    #[test]
    fn evaluation_scores_stage1_alone_too() {
        let model =
            crate::model_file::from_bytes(include_bytes!("../models/default.chaff")).unwrap();
        let c = &model.classifier;
        let article = |id: &str, texts: &[&str], labels: &[&str]| crate::train::LabelledArticle {
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

    /// Two bins with known contents: one calibrated (p(kept) 0.85, 17 of 20 kept), one
    /// overconfident (p(kept) 0.05, 5 of 10 kept); label 1 is kept.
    #[test]
    fn calibration_from_known_probabilities() {
        let calibrated = [0.15f32, 0.85];
        let overconfident = [0.95f32, 0.05];
        let mut rows: Vec<(Option<usize>, &[f32])> = Vec::new();
        rows.extend((0..20).map(|i| (Some(usize::from(i < 17)), &calibrated[..])));
        rows.extend((0..10).map(|i| (Some(usize::from(i < 5)), &overconfident[..])));
        let c = Calibration::new(rows, &[false, true]);
        let bins: Vec<(f64, u64)> = c.bins.iter().map(|b| (b.from, b.paragraphs)).collect();
        assert_eq!(bins, [(0.0, 10), (0.8, 20)]);
        assert!((c.bins[0].kept_share - 0.5).abs() < 1e-12);
        assert!((c.bins[1].mean_prob - 0.85).abs() < 1e-6);
        assert!((c.bins[1].kept_share - 0.85).abs() < 1e-12);
        // Only the overconfident bin is off, by 0.45, for a third of the paragraphs.
        assert!((c.ece - 0.15).abs() < 1e-6, "{}", c.ece);
        let brier = (17.0 * 0.045 + 3.0 * 1.445 + 5.0 * 1.805 + 5.0 * 0.005) / 30.0;
        assert!((c.brier - brier).abs() < 1e-6, "{} vs {brier}", c.brier);
        assert!(c.to_table().contains("0.8-0.9"), "{}", c.to_table());

        // p(kept) of exactly 1 is in the last bin; a true label the model lacks is not kept.
        let certain = [0.0f32, 1.0];
        let c = Calibration::new([(None, &certain[..])], &[false, true]);
        assert_eq!(c.bins.len(), 1);
        assert_eq!((c.bins[0].to, c.bins[0].kept_share), (1.0, 0.0));
        assert_eq!((c.ece, c.brier), (1.0, 1.0));
    }

    #[test]
    fn json_shape_is_the_documented_one() {
        let r = Report::from_pairs([("news", "news"), ("ad", "news")]);
        let v = serde_json::to_value(&r).unwrap();
        assert!(v["macro_f1"].is_number());
        assert_eq!(v["labels"]["news"]["support"], 1);
        assert_eq!(v["confusion"]["ad"]["news"], 1);
        assert!(r.to_table().contains("macro-F1"));
    }
}
