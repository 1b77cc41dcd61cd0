//! The classifier: featurizer, stage-1 linear model, stage-2 context model and decision rule, in
//! pipeline order. It is the one path from paragraphs to decisions: labelling and evaluation both
//! call [`Classifier::label`].

use crate::context;
use crate::context::Shape;
use crate::decide::{Decider, Decision, Thresholds};
use crate::error::{Error, Result};
use crate::features::{article_overlap, Features, Featurizer, Scratch};
use crate::model::LinearModel;

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
        if stage1.n_features() != featurizer.n_features() || stage1.n_labels() != labels.len() {
            return Err(Error::Config(format!(
                "stage 1 has {}x{} weights but the featurizer has {} features and there are {} labels",
                stage1.n_features(),
                stage1.n_labels(),
                featurizer.n_features(),
                labels.len()
            )));
        }
        if stage2.n_features() != context::n_context_features(labels.len())
            || stage2.n_labels() != labels.len()
        {
            return Err(Error::Config(format!(
                "stage 2 has {}x{} weights, expected {}x{}",
                stage2.n_features(),
                stage2.n_labels(),
                context::n_context_features(labels.len()),
                labels.len()
            )));
        }
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
        let mut scratch = Scratch::default();
        let mut features = Features::default();
        let mut dense = Vec::with_capacity(paragraphs.len());
        let mut words = Vec::with_capacity(paragraphs.len());
        let probs = paragraphs
            .iter()
            .enumerate()
            .map(|(i, text)| {
                self.featurizer.featurize_into(
                    text,
                    i,
                    paragraphs.len(),
                    &mut scratch,
                    &mut features,
                );
                dense.push(features.dense.clone());
                words.push(std::mem::take(&mut features.words));
                self.stage1.probabilities(&features.dense, &features.terms)
            })
            .collect();
        let refs: Vec<&[u64]> = words.iter().map(Vec::as_slice).collect();
        let shapes = dense
            .iter()
            .zip(article_overlap(
                &refs,
                self.featurizer.settings().overlap_prior,
            ))
            .map(|(d, o)| Shape::new(d, o))
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

fn decider_for(labels: &[String], keep: &[String], thresholds: Thresholds) -> Result<Decider> {
    if keep.is_empty() {
        return Err(Error::Config("at least one label must be kept".into()));
    }
    for k in keep {
        if !labels.contains(k) {
            return Err(Error::Config(format!(
                "label {k:?} is not one of the model's labels ({})",
                labels.join(", ")
            )));
        }
    }
    if !(0.0..=1.0).contains(&thresholds.min_keep_prob) || !thresholds.min_keep_prob.is_finite() {
        return Err(Error::Config(format!(
            "the keep threshold must be between 0 and 1, not {}",
            thresholds.min_keep_prob
        )));
    }
    if !(0.0..=1.0).contains(&thresholds.uncertain_margin) {
        return Err(Error::Config(format!(
            "the uncertainty margin must be between 0 and 1, not {}",
            thresholds.uncertain_margin
        )));
    }
    let mask = labels.iter().map(|l| keep.contains(l)).collect();
    Ok(Decider::new(mask, thresholds))
}
