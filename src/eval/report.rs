//! A report from true and predicted labels: per-label precision, recall, F1 and support,
//! macro-F1 and the confusion matrix, as a table or JSON.

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
