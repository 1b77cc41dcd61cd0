//! A model: the [`Classifier`] with the parameters it was trained with, a summary of its
//! training data and its cross-validated report. Training returns one; the model file
//! (`model_file`) stores one.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::classifier::Classifier;
use crate::document::LabelledArticle;
use crate::eval::CvReport;
use crate::params::ValidTrainParams;

/// A model: the classifier and what is known of how it was made. Training returns it and the
/// model file stores it.
#[derive(Debug, Clone)]
pub struct Model {
    pub classifier: Classifier,
    pub params: ValidTrainParams,
    pub summary: DataSummary,
    pub report: CvReport,
}

/// What the model file records about its training data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataSummary {
    pub rows: u64,
    pub articles: u64,
    pub groups: u64,
    pub rows_per_label: BTreeMap<String, u64>,
    /// SHA-256 over every article id, position, text and label, in order.
    pub sha256: String,
}

impl DataSummary {
    /// The summary of `articles`, counting every one of `labels` (present or not).
    pub fn of(articles: &[LabelledArticle], labels: &[String]) -> DataSummary {
        let mut hasher = Sha256::new();
        let mut rows_per_label: BTreeMap<String, u64> =
            labels.iter().map(|l| (l.clone(), 0)).collect();
        let mut rows = 0;
        for a in articles {
            for (i, (text, label)) in a.texts.iter().zip(&a.labels).enumerate() {
                for field in [
                    a.id.as_bytes(),
                    i.to_string().as_bytes(),
                    text.as_bytes(),
                    label.as_bytes(),
                ] {
                    hasher.update((field.len() as u64).to_le_bytes());
                    hasher.update(field);
                }
                *rows_per_label.entry(label.clone()).or_default() += 1;
                rows += 1;
            }
        }
        let groups = articles
            .iter()
            .map(|a| a.group.as_str())
            .collect::<BTreeSet<_>>()
            .len() as u64;
        DataSummary {
            rows,
            articles: articles.len() as u64,
            groups,
            rows_per_label,
            sha256: hex(&hasher.finalize()),
        }
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
