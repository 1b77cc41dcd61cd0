//! The classifier: featurizer, stage-1 linear model, stage-2 context model and decision rule, in
//! pipeline order. It is the one path from paragraphs to decisions: labelling and evaluation both
//! call [`Classifier::label`].

use crate::context;
use crate::decide::{Decider, Decision, Thresholds};
use crate::error::{Error, Result};
use crate::features::{Featurizer, Shape};
use crate::linear::LinearModel;

/// Everything needed to label paragraphs.
#[derive(Debug, Clone)]
pub struct Classifier {
    labels: Vec<String>,
    featurizer: Featurizer,
    stage1: LinearModel,
    stage2: LinearModel,
    keep: Vec<String>,
    decider: Decider,
}

impl Classifier {
    /// Puts the parts together, checking that their sizes agree and that every kept label is one
    /// of `labels`.
    pub fn new(
        labels: Vec<String>,
        featurizer: Featurizer,
        stage1: LinearModel,
        stage2: LinearModel,
        keep: Vec<String>,
        thresholds: Thresholds,
    ) -> Result<Classifier> {
        check_shape("stage 1", &stage1, featurizer.n_features(), labels.len())?;
        let n_context = context::n_context_features(labels.len());
        check_shape("stage 2", &stage2, n_context, labels.len())?;
        let decider = decider_for(&labels, &keep, thresholds)?;
        Ok(Classifier {
            labels,
            featurizer,
            stage1,
            stage2,
            keep,
            decider,
        })
    }

    /// The labels, sorted; decisions and probabilities index into this.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The featurizer.
    pub fn featurizer(&self) -> &Featurizer {
        &self.featurizer
    }

    /// The stage-1 model.
    pub fn stage1(&self) -> &LinearModel {
        &self.stage1
    }

    /// The stage-2 (context) model.
    pub fn stage2(&self) -> &LinearModel {
        &self.stage2
    }

    /// The labels kept in cleaned output.
    pub fn keep(&self) -> &[String] {
        &self.keep
    }

    /// Which of [`Classifier::labels`] are kept.
    pub fn keep_mask(&self) -> &[bool] {
        self.decider.keep_mask()
    }

    /// The decision thresholds.
    pub fn thresholds(&self) -> &Thresholds {
        self.decider.thresholds()
    }

    /// The same classifier keeping other labels or with other thresholds. Fails, naming the
    /// model's labels, when a kept label is not one of them.
    pub fn with_decision(
        mut self,
        keep: Vec<String>,
        thresholds: Thresholds,
    ) -> Result<Classifier> {
        self.decider = decider_for(&self.labels, &keep, thresholds)?;
        self.keep = keep;
        Ok(self)
    }

    /// Stage-1 probabilities and shapes of each paragraph of one article.
    pub fn stage1_probabilities(&self, paragraphs: &[&str]) -> (Vec<Vec<f32>>, Vec<Shape>) {
        let (features, shapes) = self.featurizer.featurize_article(paragraphs);
        let probs = features
            .iter()
            .map(|f| self.stage1.probabilities(&f.dense, &f.terms))
            .collect();
        (probs, shapes)
    }

    /// Final (stage-2) probabilities of each paragraph of one article.
    pub fn probabilities(&self, paragraphs: &[&str]) -> Vec<Vec<f32>> {
        self.both_stages(paragraphs).1
    }

    /// Stage-1 and final probabilities of each paragraph of one article.
    fn both_stages(&self, paragraphs: &[&str]) -> (Vec<Vec<f32>>, Vec<Vec<f32>>) {
        let (stage1, shapes) = self.stage1_probabilities(paragraphs);
        let last = context::rescore(&self.stage2, &stage1, &shapes);
        (stage1, last)
    }

    /// Labels every paragraph of one article, in order.
    pub fn label(&self, paragraphs: &[&str]) -> Vec<Decision> {
        self.label_with_stage1(paragraphs).1
    }

    /// Labels every paragraph of one article, in order, and also returns each paragraph's
    /// stage-1 probabilities (what it scores without its neighbours), for reports.
    pub fn label_with_stage1(&self, paragraphs: &[&str]) -> (Vec<Vec<f32>>, Vec<Decision>) {
        let (stage1, last) = self.both_stages(paragraphs);
        let decisions = last.into_iter().map(|p| self.decider.decide(p)).collect();
        (stage1, decisions)
    }
}

/// Checks that at least one label is kept and that every kept label is one of `labels`.
pub fn check_keep(labels: &[String], keep: &[String]) -> Result<()> {
    if keep.is_empty() {
        return Err(Error::NothingKept);
    }
    match keep.iter().find(|k| !labels.contains(k)) {
        Some(k) => Err(Error::UnknownKeepLabel {
            label: k.clone(),
            labels: labels.join(", "),
        }),
        None => Ok(()),
    }
}

fn decider_for(labels: &[String], keep: &[String], thresholds: Thresholds) -> Result<Decider> {
    check_keep(labels, keep)?;
    for (name, value) in [
        ("min_keep_prob", thresholds.min_keep_prob),
        ("uncertain_margin", thresholds.uncertain_margin),
    ] {
        if !(0.0..=1.0).contains(&value) {
            return Err(Error::BadParameter {
                name,
                expected: "between 0 and 1",
                value: value.to_string(),
            });
        }
    }
    let mask = labels.iter().map(|l| keep.contains(l)).collect();
    Ok(Decider::new(mask, thresholds))
}

/// Checks that `model` has `rows` x `columns` weights.
fn check_shape(part: &'static str, model: &LinearModel, rows: usize, columns: usize) -> Result<()> {
    if model.n_features() == rows && model.n_labels() == columns {
        return Ok(());
    }
    Err(Error::ShapeMismatch {
        part,
        rows: model.n_features(),
        columns: model.n_labels(),
        expected_rows: rows,
        expected_columns: columns,
    })
}
