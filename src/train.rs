//! Training: checked parameters, article-grouped folds, vocabulary selection, linfa fits for both
//! stages, and the cross-validated report. No flags and no files: it takes articles and returns a
//! [`Classifier`] with its report.
//!
//! 1. Every paragraph is featurized once with the same [`for_each_term`] and shape code that
//!    labelling uses.
//! 2. Articles are put in K folds by their group (the article id, or the `--group-by` column);
//!    with no more groups than folds, each group is a fold of its own (leave-one-group-out).
//! 3. For each fold, the vocabulary is chosen and stage 1 is fitted on the other folds only, and
//!    the fold is scored: these are the out-of-fold stage-1 probabilities.
//! 4. Stage 2 is cross-validated the same way on context features built from those out-of-fold
//!    probabilities; its out-of-fold decisions make the report.
//! 5. With `--threshold-by`, each value of that column (say, each source) is held out in turn and
//!    scored by both stages fitted without it; the keep threshold is chosen on those predictions
//!    rather than on the out-of-fold ones.
//! 6. Finally the vocabulary and stage 1 are fitted on everything, and stage 2 on all the
//!    out-of-fold context features, so stage 2 never learns from outputs that saw their label.

use std::collections::{BTreeMap, BTreeSet};

use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::classifier::Classifier;
use crate::context::{self, Shape};
use crate::decide::{argmax, Decider, Thresholds};
use crate::error::{Error, Result};
use crate::eval::{Calibration, Report, ThresholdPoint};
use crate::features::{
    article_overlap, article_words, fnv1a, for_each_term, Features, Featurizer, FeaturizerSettings,
    Scratch, N_DENSE,
};
use crate::model::LinearModel;

/// One labelled article: its paragraphs in order, with their labels.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledArticle {
    /// The article id (unique within the training data).
    pub id: String,
    /// The fold group: the article id, or the value of the `--group-by` column.
    pub group: String,
    /// The value of the `--threshold-by` column, if given: the keep threshold is then chosen
    /// from predictions of models that never saw the paragraph's value (say, its source).
    pub held_out_group: Option<String>,
    /// The paragraphs, in order.
    pub texts: Vec<String>,
    /// One label per paragraph.
    pub labels: Vec<String>,
}

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

/// Cross-validation folds by default: three folds plus the final fit are four jobs that two
/// cores share evenly; five folds gave the same out-of-fold macro-F1 (0.9841 against 0.9847)
/// in 93 s instead of 53 s.
pub const DEFAULT_FOLDS: usize = 3;

/// L-BFGS iterations per fit by default: 40 gave the same leave-one-source-out macro-F1 as 50
/// (0.9407 against 0.9413) in four fifths of the time; 30 lost 0.001 by article.
pub const DEFAULT_MAX_ITERATIONS: u64 = 40;

/// L2 regularization of the paragraph model by default. Leave-one-source-out macro-F1 (mean of
/// five sources) was 0.9507 at 1, 0.9503 at 3 and 0.9480 at 10; 3 did best on the three
/// largest sources (bbc 0.9841 -> 0.9851, reuters 0.9709 -> 0.9756, es-web 0.9571 -> 0.9594).
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
        let bad = |what: &str, value: String| Err(Error::Config(format!("{what} must be {value}")));
        if p.folds < 2 {
            return bad("--folds", format!("at least 2, not {}", p.folds));
        }
        if !(p.alpha.is_finite() && p.alpha >= 0.0) {
            return bad("alpha", format!("a finite number >= 0, not {}", p.alpha));
        }
        if !(p.context_alpha.is_finite() && p.context_alpha >= 0.0) {
            return bad(
                "context alpha",
                format!("a finite number >= 0, not {}", p.context_alpha),
            );
        }
        if let Some(t) = p.min_keep_prob {
            if !(0.0..=1.0).contains(&t) {
                return bad("--min-news-prob", format!("between 0 and 1, not {t}"));
            }
        }
        if !(0.0..=1.0).contains(&p.target_keep_recall) {
            return bad(
                "the target recall",
                format!("between 0 and 1, not {}", p.target_keep_recall),
            );
        }
        if p.max_iterations == 0 {
            return bad("max iterations", "at least 1".into());
        }
        let f = &p.featurizer;
        if f.char_min == 0 || f.char_min > f.char_max {
            return bad(
                "character n-gram sizes",
                format!("1 <= min <= max, not {}..{}", f.char_min, f.char_max),
            );
        }
        if f.vocab_size == 0 {
            return bad("the vocabulary size", "at least 1".into());
        }
        Ok(self.0)
    }
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

/// The cross-validated report: overall (the same three fields as a [`Report`], so its JSON has
/// the same shape), stage 1 alone, and per held-out group when each fold holds one group.
/// (Written out rather than `#[serde(flatten)]`, which loses numbers' types when read back.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvReport {
    pub macro_f1: f64,
    pub labels: BTreeMap<String, crate::eval::LabelScores>,
    pub confusion: BTreeMap<String, BTreeMap<String, u64>>,
    pub folds: usize,
    pub stage1_macro_f1: f64,
    pub by_group: BTreeMap<String, Report>,
    /// The keep threshold the report (and the model) uses.
    pub min_keep_prob: f32,
    /// What other thresholds would have given, out of fold.
    pub thresholds: Vec<ThresholdPoint>,
    /// How well the out-of-fold probabilities are calibrated (absent from models written
    /// before it was measured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Calibration>,
    /// With `--threshold-by`: each of that column's values scored by models that never saw it,
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
    /// `--threshold-by`, otherwise the out-of-fold one.
    pub fn threshold_source(&self) -> &[ThresholdPoint] {
        self.held_out
            .as_ref()
            .map_or(&self.thresholds, |h| &h.thresholds)
    }

    /// The overall report.
    pub fn overall(&self) -> Report {
        Report {
            macro_f1: self.macro_f1,
            labels: self.labels.clone(),
            confusion: self.confusion.clone(),
        }
    }
}

/// A trained classifier with what is known about it.
#[derive(Debug, Clone)]
pub struct Trained {
    pub classifier: Classifier,
    pub params: ValidTrainParams,
    pub summary: DataSummary,
    pub report: CvReport,
}

/// A featurized paragraph during training: dense features and global term ids.
struct Row {
    article: usize,
    label: usize,
    dense: Vec<f32>,
    terms: Vec<u32>,
    shape: Shape,
}

/// Trains a classifier on `articles` and cross-validates it.
pub fn train(articles: &[LabelledArticle], params: &ValidTrainParams) -> Result<Trained> {
    let labels: Vec<String> = articles
        .iter()
        .flat_map(|a| a.labels.iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if labels.len() < 2 {
        return Err(Error::Config(format!(
            "training needs at least two labels, found {}",
            if labels.is_empty() {
                "none".to_owned()
            } else {
                labels.join(", ")
            }
        )));
    }
    let summary = summarize(articles, &labels);
    let keep = match &params.keep {
        Some(keep) => keep.clone(),
        None if labels.iter().any(|l| l == "news") => vec!["news".to_owned()],
        None => {
            let top = summary
                .rows_per_label
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(l, _)| l.clone())
                .unwrap_or_default();
            vec![top]
        }
    };

    // 1. Featurize once.
    let stop_words = widespread_words(articles, params.featurizer.overlap_stop_words);
    let (rows, term_hashes) = featurize_all(articles, &labels, &params.featurizer, &stop_words);

    // 2. Folds by group.
    let groups: Vec<&str> = articles.iter().map(|a| a.group.as_str()).collect();
    let distinct: BTreeSet<&str> = groups.iter().copied().collect();
    if distinct.len() < 2 {
        return Err(Error::Config(format!(
            "cross-validation needs at least two groups (articles or --group-by values), found {}",
            distinct.len()
        )));
    }
    let k = params.folds.min(distinct.len());
    let mut ranked: Vec<&str> = distinct.into_iter().collect();
    ranked.sort_by_key(|g| (fnv1a(&[&params.seed.to_le_bytes(), g.as_bytes()]), *g));
    let group_fold: FxHashMap<&str, usize> = ranked
        .iter()
        .enumerate()
        .map(|(i, g)| (*g, i % k))
        .collect();
    let article_fold: Vec<usize> = groups.iter().map(|g| group_fold[g]).collect();
    let row_fold: Vec<usize> = rows.iter().map(|r| article_fold[r.article]).collect();
    let n_labels = labels.len();

    // 3. Stage 1 on each fold's complement and on all rows, all in parallel; out-of-fold scores.
    let rows_ref = &rows;
    let fit_stage1_without = |train_rows: &[usize]| -> Result<(Vec<u32>, LinearModel)> {
        let vocab = select_vocabulary(rows_ref, train_rows, n_labels, &params.featurizer);
        let model = fit_stage1(rows_ref, train_rows, &vocab, n_labels, params)?;
        Ok((vocab, model))
    };
    let score_stage1 = |folds: &[(Vec<u32>, LinearModel)], row_fold: &[usize]| {
        let scorers: Vec<_> = folds
            .iter()
            .map(|(vocab, model)| (column_map(vocab), model))
            .collect();
        out_of_fold(row_fold, &scorers, |(column, model), i| {
            let row = &rows_ref[i];
            model.probabilities(&row.dense, &columns_of(&row.terms, column))
        })
    };
    let (fold_models, (vocab, stage1_model)) = fit_folds(&row_fold, k, fit_stage1_without)?;
    let stage1 = score_stage1(&fold_models, &row_fold);

    // 4. Context features from out-of-fold stage 1, and out-of-fold stage 2.
    let ctx_rows = context_rows(articles, &rows, &stage1);
    let row_labels: Vec<usize> = rows.iter().map(|r| r.label).collect();
    let fit_stage2_without = |train_rows: &[usize]| {
        fit_dense(
            &ctx_rows,
            &row_labels,
            train_rows,
            n_labels,
            params.context_alpha,
            params,
        )
    };
    let (fold_models, stage2_model) = fit_folds(&row_fold, k, fit_stage2_without)?;
    let stage2 = out_of_fold(&row_fold, &fold_models, |model, i| {
        model.probabilities(&ctx_rows[i], &[])
    });

    // 5. With held-out groups (`--threshold-by`), each group is scored by both stages fitted
    // without it: stage 1 on the other groups' rows, stage 2 on their out-of-fold context
    // features (as the final stage 2 is), fed with the held-out stage 1's outputs.
    let held_out = match held_out_groups(articles)? {
        None => None,
        Some((names, article_group)) => {
            let row_group: Vec<usize> = rows.iter().map(|r| article_group[r.article]).collect();
            let stage1_models = fit_without(&row_group, 0..names.len(), fit_stage1_without)?;
            let held_stage1 = score_stage1(&stage1_models, &row_group);
            let held_ctx = context_rows(articles, &rows, &held_stage1);
            let stage2_models = fit_without(&row_group, 0..names.len(), fit_stage2_without)?;
            let held_stage2 = out_of_fold(&row_group, &stage2_models, |model, i| {
                model.probabilities(&held_ctx[i], &[])
            });
            Some((names, row_group, held_stage2))
        }
    };

    let keep_mask: Vec<bool> = labels.iter().map(|l| keep.contains(l)).collect();
    let calibration_of = |probs: &[Vec<f32>]| {
        Calibration::new(
            row_labels
                .iter()
                .map(|&t| Some(t))
                .zip(probs.iter().map(Vec::as_slice)),
            &keep_mask,
        )
    };
    let sweep = threshold_sweep(&stage2, &row_labels, &labels, &keep_mask);
    let calibration = calibration_of(&stage2);
    let held_out_sweep = held_out
        .as_ref()
        .map(|(_, _, probs)| threshold_sweep(probs, &row_labels, &labels, &keep_mask));
    let chosen_from = held_out_sweep.as_ref().unwrap_or(&sweep);
    let min_keep_prob = params.min_keep_prob.unwrap_or_else(|| {
        chosen_from
            .iter()
            .rev()
            .find(|p| p.keep_recall >= f64::from(params.target_keep_recall))
            .or(chosen_from.first())
            .map_or(0.5, |p| p.min_keep_prob)
    });
    let thresholds = Thresholds {
        min_keep_prob,
        uncertain_margin: params.uncertain_margin,
    };
    let decider = Decider::new(keep_mask.clone(), thresholds.clone());
    let predicted: Vec<usize> = stage2
        .iter()
        .map(|p| decider.decide(p.clone()).label)
        .collect();
    let stage1_predicted: Vec<usize> = stage1.iter().map(|p| argmax(p)).collect();
    let pairs = |idx: &mut dyn Iterator<Item = usize>, pred: &[usize]| {
        let pairs: Vec<(&str, &str)> = idx
            .map(|i| (labels[rows[i].label].as_str(), labels[pred[i]].as_str()))
            .collect();
        Report::from_pairs(pairs)
    };
    let overall = pairs(&mut (0..rows.len()), &predicted);
    let held_out = held_out
        .zip(held_out_sweep)
        .map(|((names, row_group, probs), sweep)| {
            let predicted: Vec<usize> = probs
                .iter()
                .map(|p| decider.decide(p.clone()).label)
                .collect();
            let by_group = names
                .iter()
                .enumerate()
                .map(|(g, name)| {
                    let report = pairs(
                        &mut (0..rows.len()).filter(|&i| row_group[i] == g),
                        &predicted,
                    );
                    (name.clone(), report)
                })
                .collect();
            HeldOutReport {
                macro_f1: pairs(&mut (0..rows.len()), &predicted).macro_f1,
                by_group,
                thresholds: sweep,
                calibration: calibration_of(&probs),
            }
        });
    let stage1_report = pairs(&mut (0..rows.len()), &stage1_predicted);
    let mut by_group = BTreeMap::new();
    if k == ranked.len() {
        for (fold, group) in ranked.iter().enumerate().map(|(i, g)| (i % k, *g)) {
            by_group.insert(
                group.to_owned(),
                pairs(
                    &mut (0..rows.len()).filter(|&i| row_fold[i] == fold),
                    &predicted,
                ),
            );
        }
    }
    let report = CvReport {
        macro_f1: overall.macro_f1,
        labels: overall.labels,
        confusion: overall.confusion,
        folds: k,
        stage1_macro_f1: stage1_report.macro_f1,
        by_group,
        min_keep_prob,
        thresholds: sweep,
        calibration: Some(calibration),
        held_out,
    };

    // 6. The final model: the all-rows fits from steps 3 and 4.
    let vocabulary = term_names(articles, &params.featurizer, &vocab, &term_hashes);
    let featurizer =
        Featurizer::new(params.featurizer.clone(), vocabulary).with_overlap_stop_words(stop_words);
    let classifier = Classifier::new(
        labels,
        featurizer,
        stage1_model,
        stage2_model,
        keep,
        thresholds,
    )?;
    Ok(Trained {
        classifier,
        params: params.clone(),
        summary,
        report,
    })
}

/// Fits a model on the rows outside each of the `k` folds and one on all rows, as `k + 1`
/// parallel jobs (the final fit needs no fold's result, so it need not wait for them).
fn fit_folds<M, F>(row_fold: &[usize], k: usize, fit: F) -> Result<(Vec<M>, M)>
where
    M: Send,
    F: Fn(&[usize]) -> Result<M> + Sync,
{
    // No row is in fold `k`, so its model is fitted on all rows.
    let mut models = fit_without(row_fold, 0..k + 1, fit)?;
    let all = models.pop().expect("k + 1 models were fitted");
    Ok((models, all))
}

/// Fits, for each fold of `folds`, a model on the rows outside it, as parallel jobs.
fn fit_without<M, F>(row_fold: &[usize], folds: std::ops::Range<usize>, fit: F) -> Result<Vec<M>>
where
    M: Send,
    F: Fn(&[usize]) -> Result<M> + Sync,
{
    folds
        .into_par_iter()
        .map(|fold| {
            let train_rows: Vec<usize> = (0..row_fold.len())
                .filter(|&i| row_fold[i] != fold)
                .collect();
            fit(&train_rows)
        })
        .collect()
}

/// Context features of every row, article by article, from the stage-1 probabilities `stage1`.
fn context_rows(articles: &[LabelledArticle], rows: &[Row], stage1: &[Vec<f32>]) -> Vec<Vec<f32>> {
    let mut ctx_rows = Vec::with_capacity(rows.len());
    let mut start = 0;
    for article in articles {
        let end = start + article.texts.len();
        let shapes: Vec<Shape> = rows[start..end].iter().map(|r| r.shape).collect();
        ctx_rows.extend(context::context_features(&stage1[start..end], &shapes));
        start = end;
    }
    ctx_rows
}

/// The held-out groups (`--threshold-by`) in order, and each article's group index; `None` when
/// no article has one.
fn held_out_groups(articles: &[LabelledArticle]) -> Result<Option<(Vec<String>, Vec<usize>)>> {
    if articles.iter().all(|a| a.held_out_group.is_none()) {
        return Ok(None);
    }
    let names: Vec<String> = articles
        .iter()
        .filter_map(|a| a.held_out_group.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if names.len() < 2 || articles.iter().any(|a| a.held_out_group.is_none()) {
        return Err(Error::Config(format!(
            "choosing the threshold on held-out groups needs every article in one of at least \
             two groups, found {} ({})",
            names.len(),
            names.join(", ")
        )));
    }
    let index: FxHashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let article_group = articles
        .iter()
        .map(|a| index[a.held_out_group.as_deref().unwrap_or_default()])
        .collect();
    Ok(Some((names, article_group)))
}

/// Out-of-fold scores: row `i` scored by the model of its fold (`fold_models[row_fold[i]]`),
/// which never saw it.
fn out_of_fold<M, S>(row_fold: &[usize], fold_models: &[M], score: S) -> Vec<Vec<f32>>
where
    M: Sync,
    S: Fn(&M, usize) -> Vec<f32> + Sync,
{
    row_fold
        .par_iter()
        .enumerate()
        .map(|(i, &fold)| score(&fold_models[fold], i))
        .collect()
}

/// Thresholds tried for the keep decision.
const THRESHOLD_GRID: &[f32] = &[
    0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8,
];

/// The recall of kept and of removed labels, and macro-F1, at each threshold of the grid.
fn threshold_sweep(
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

fn summarize(articles: &[LabelledArticle], labels: &[String]) -> DataSummary {
    let mut hasher = Sha256::new();
    let mut rows_per_label: BTreeMap<String, u64> = labels.iter().map(|l| (l.clone(), 0)).collect();
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

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `n` content words used by the most articles (ties in word order), which the
/// article-overlap feature ignores. No labels are looked at.
fn widespread_words(articles: &[LabelledArticle], n: usize) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    let articles_with: FxHashMap<String, u32> = articles
        .par_iter()
        .map(|a| article_words(a.texts.iter().map(String::as_str)))
        .fold(FxHashMap::default, |mut counts, words| {
            for w in words {
                *counts.entry(w).or_insert(0) += 1;
            }
            counts
        })
        .reduce(FxHashMap::default, |mut a, b| {
            for (w, c) in b {
                *a.entry(w).or_insert(0) += c;
            }
            a
        });
    let mut ranked: Vec<(u32, String)> = articles_with.into_iter().map(|(w, c)| (c, w)).collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    ranked.into_iter().take(n).map(|(_, w)| w).collect()
}

/// Featurizes every paragraph; terms become global ids, numbered in hash order, keeping only
/// those in at least `min_df` paragraphs. Returns the rows and the hash of each id.
fn featurize_all(
    articles: &[LabelledArticle],
    labels: &[String],
    settings: &FeaturizerSettings,
    stop_words: &[String],
) -> (Vec<Row>, Vec<u64>) {
    let empty =
        Featurizer::new(settings.clone(), Vec::new()).with_overlap_stop_words(stop_words.to_vec());
    let label_index: FxHashMap<&str, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let featurized: Vec<(Row, Vec<u64>)> = articles
        .par_iter()
        .enumerate()
        .flat_map_iter(|(ai, article)| {
            let mut scratch = Scratch::default();
            let n = article.texts.len();
            let featurized: Vec<Features> = article
                .texts
                .iter()
                .enumerate()
                .map(|(i, text)| empty.featurize(text, i, n))
                .collect();
            let words: Vec<&[u64]> = featurized.iter().map(|f| f.words.as_slice()).collect();
            let overlap = article_overlap(&words, settings.overlap_prior);
            article
                .texts
                .iter()
                .zip(&article.labels)
                .enumerate()
                .map(|(i, (text, label))| {
                    let dense = featurized[i].dense.clone();
                    let shape = Shape::new(&dense, overlap[i]);
                    let mut hashes = Vec::new();
                    for_each_term(text, settings, &mut scratch, |parts| {
                        hashes.push(fnv1a(parts))
                    });
                    hashes.sort_unstable();
                    hashes.dedup();
                    let row = Row {
                        article: ai,
                        label: label_index[label.as_str()],
                        dense,
                        terms: Vec::new(),
                        shape,
                    };
                    (row, hashes)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut df: FxHashMap<u64, u32> = FxHashMap::default();
    for (_, hashes) in &featurized {
        for h in hashes {
            *df.entry(*h).or_default() += 1;
        }
    }
    let mut kept: Vec<u64> = df
        .into_iter()
        .filter(|(_, n)| *n >= settings.min_df)
        .map(|(h, _)| h)
        .collect();
    kept.sort_unstable();
    let id: FxHashMap<u64, u32> = kept
        .iter()
        .enumerate()
        .map(|(i, h)| (*h, i as u32))
        .collect();
    let rows = featurized
        .into_iter()
        .map(|(mut row, hashes)| {
            row.terms = hashes.iter().filter_map(|h| id.get(h).copied()).collect();
            row
        })
        .collect();
    (rows, kept)
}

/// The `vocab_size` term ids most associated with the labels (chi-square over a term-present
/// by label table) among `train_rows`, in id order, skipping near-duplicates: a term found in
/// nearly the same paragraphs as a term already chosen (see [`NEAR_DUPLICATE`]) adds nothing
/// but takes a column. Character n-grams come in overlapping families (`read:`, `ead: `,
/// `ad: `), and without this they fill most of the vocabulary with copies of a few lead-ins.
fn select_vocabulary(
    rows: &[Row],
    train_rows: &[usize],
    n_labels: usize,
    settings: &FeaturizerSettings,
) -> Vec<u32> {
    let mut counts: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    let mut label_totals = vec![0u32; n_labels];
    for &i in train_rows {
        let row = &rows[i];
        label_totals[row.label] += 1;
        for &t in &row.terms {
            counts.entry(t).or_insert_with(|| vec![0; n_labels])[row.label] += 1;
        }
    }
    let n = train_rows.len() as f64;
    let mut scored: Vec<(f64, u32)> = counts
        .into_iter()
        .filter(|(_, c)| c.iter().sum::<u32>() >= settings.min_df)
        .map(|(t, c)| {
            let df = f64::from(c.iter().sum::<u32>());
            let mut chi2 = 0.0;
            for (l, &o) in c.iter().enumerate() {
                let nl = f64::from(label_totals[l]);
                let e_in = df * nl / n;
                let e_out = (n - df) * nl / n;
                let o_in = f64::from(o);
                let o_out = nl - o_in;
                if e_in > 0.0 {
                    chi2 += (o_in - e_in).powi(2) / e_in;
                }
                if e_out > 0.0 {
                    chi2 += (o_out - e_out).powi(2) / e_out;
                }
            }
            (chi2, t)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    // Walk the ranking in windows, listing the paragraphs of only the terms in the window.
    let mut vocab: Vec<u32> = Vec::with_capacity(settings.vocab_size);
    let mut chosen: Vec<Vec<u32>> = Vec::with_capacity(settings.vocab_size);
    let mut start = 0;
    while vocab.len() < settings.vocab_size && start < scored.len() {
        let end = scored
            .len()
            .min(start + 2 * (settings.vocab_size - vocab.len()));
        let window = &scored[start..end];
        let slot: FxHashMap<u32, usize> = window
            .iter()
            .enumerate()
            .map(|(k, (_, t))| (*t, k))
            .collect();
        let mut postings = vec![Vec::new(); window.len()];
        for (pos, &i) in train_rows.iter().enumerate() {
            for t in &rows[i].terms {
                if let Some(&k) = slot.get(t) {
                    postings[k].push(pos as u32);
                }
            }
        }
        for ((_, t), list) in window.iter().zip(postings) {
            if vocab.len() == settings.vocab_size {
                break;
            }
            if !chosen
                .iter()
                .any(|c| near_duplicate(&list, c, NEAR_DUPLICATE))
            {
                vocab.push(*t);
                chosen.push(list);
            }
        }
        start = end;
    }
    vocab.sort_unstable();
    vocab
}

/// Two terms are near-duplicates when the paragraphs that hold them overlap this much (Jaccard
/// index). Leave-one-source-out macro-F1 on `data/train.csv` (mean of five sources): 0.9451
/// with no filter, 0.9507 at 0.8; 0.9 and 0.75 did less well on the sources tried.
const NEAR_DUPLICATE: f64 = 0.8;

/// Whether two sorted posting lists have a Jaccard index of at least `min`; returns early when
/// their lengths alone rule it out.
fn near_duplicate(a: &[u32], b: &[u32], min: f64) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // |a ∩ b| / |a ∪ b| <= |short| / |long|.
    if (short.len() as f64) < min * long.len() as f64 {
        return false;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < short.len() && j < long.len() {
        match short[i].cmp(&long[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    both as f64 >= min * union as f64
}

/// The sorted vocabulary columns of a row's term ids (terms outside the vocabulary dropped).
fn columns_of(terms: &[u32], column: &FxHashMap<u32, u32>) -> Vec<u32> {
    let mut columns: Vec<u32> = terms
        .iter()
        .filter_map(|t| column.get(t).copied())
        .collect();
    columns.sort_unstable();
    columns
}

fn column_map(vocab: &[u32]) -> FxHashMap<u32, u32> {
    vocab
        .iter()
        .enumerate()
        .map(|(c, t)| (*t, c as u32))
        .collect()
}

fn fit_stage1(
    rows: &[Row],
    train_rows: &[usize],
    vocab: &[u32],
    n_labels: usize,
    params: &ValidTrainParams,
) -> Result<LinearModel> {
    let column = column_map(vocab);
    let mut x = Array2::<f32>::zeros((train_rows.len(), N_DENSE + vocab.len()));
    for (r, &i) in train_rows.iter().enumerate() {
        let row = &rows[i];
        let mut out = x.row_mut(r);
        for (c, v) in row.dense.iter().enumerate() {
            out[c] = *v;
        }
        for t in &row.terms {
            if let Some(c) = column.get(t) {
                out[N_DENSE + *c as usize] = 1.0;
            }
        }
    }
    let y: Vec<usize> = train_rows.iter().map(|&i| rows[i].label).collect();
    fit(x, &y, n_labels, params.alpha, params.max_iterations)
}

fn fit_dense(
    features: &[Vec<f32>],
    labels: &[usize],
    train_rows: &[usize],
    n_labels: usize,
    alpha: f32,
    params: &ValidTrainParams,
) -> Result<LinearModel> {
    let width = features.first().map_or(0, Vec::len);
    let mut x = Array2::<f32>::zeros((train_rows.len(), width));
    for (r, &i) in train_rows.iter().enumerate() {
        for (c, v) in features[i].iter().enumerate() {
            x[[r, c]] = *v;
        }
    }
    let y: Vec<usize> = train_rows.iter().map(|&i| labels[i]).collect();
    fit(x, &y, n_labels, alpha, params.max_iterations)
}

/// Fits linfa's multinomial logistic regression. Labels absent from `y` get zero weights and a
/// very low intercept, so the model still has one column per label.
fn fit(
    x: Array2<f32>,
    y: &[usize],
    n_labels: usize,
    alpha: f32,
    max_iterations: u64,
) -> Result<LinearModel> {
    let n_features = x.ncols();
    let dataset = Dataset::new(x.mapv(f64::from), Array1::from(y.to_vec()));
    let fitted = MultiLogisticRegression::<f64>::default()
        .alpha(f64::from(alpha))
        .max_iterations(max_iterations)
        .fit(&dataset)
        .map_err(|e| Error::Fit(e.to_string()))?;
    let mut weights = Array2::<f32>::zeros((n_features, n_labels));
    let mut intercept = Array1::<f32>::from_elem(n_labels, -30.0);
    for (j, &class) in fitted.classes().iter().enumerate() {
        weights
            .column_mut(class)
            .assign(&fitted.params().column(j).mapv(|v| v as f32));
        intercept[class] = fitted.intercept()[j] as f32;
    }
    Ok(LinearModel { weights, intercept })
}

/// The text of each chosen term, found again by enumerating the training paragraphs' terms.
fn term_names(
    articles: &[LabelledArticle],
    settings: &FeaturizerSettings,
    vocab: &[u32],
    term_hashes: &[u64],
) -> Vec<String> {
    let wanted: FxHashMap<u64, usize> = vocab
        .iter()
        .enumerate()
        .map(|(c, t)| (term_hashes[*t as usize], c))
        .collect();
    let mut names: Vec<Option<String>> = vec![None; vocab.len()];
    let mut missing = vocab.len();
    let mut scratch = Scratch::default();
    'outer: for a in articles {
        for text in &a.texts {
            for_each_term(text, settings, &mut scratch, |parts| {
                if let Some(&c) = wanted.get(&fnv1a(parts)) {
                    if names[c].is_none() {
                        names[c] = Some(String::from_utf8_lossy(&parts.concat()).into_owned());
                        missing -= 1;
                    }
                }
            });
            if missing == 0 {
                break 'outer;
            }
        }
    }
    // Every chosen term came from these paragraphs, so every name is found.
    names.into_iter().map(Option::unwrap_or_default).collect()
}

/// The training matrix row of one paragraph under a trained featurizer, for tests that check
/// training and labelling see the same features.
#[doc(hidden)]
pub fn dense_row(featurizer: &Featurizer, text: &str, index: usize, len: usize) -> Vec<f32> {
    let f = featurizer.featurize(text, index, len);
    let mut row = f.dense;
    row.resize(featurizer.n_features(), 0.0);
    for t in f.terms {
        row[N_DENSE + t as usize] = 1.0;
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy_articles() -> Vec<LabelledArticle> {
        (0..40)
            .map(|i| LabelledArticle {
                id: format!("a{i}"),
                group: format!("a{i}"),
                held_out_group: None,
                texts: vec![
                    format!("Headline number {i} about the economy"),
                    format!(
                        "The minister said on day {i} that prices would rise, and markets fell."
                    ),
                    format!("Read more: Another story number {}", i * 7),
                    format!(
                        "Officials added that the plan, agreed in {}, would be reviewed.",
                        1990 + i
                    ),
                    format!("Casino bonus {}00 free spins", i % 9),
                ],
                labels: ["news", "news", "related", "news", "ad"]
                    .map(String::from)
                    .to_vec(),
            })
            .collect()
    }

    /// With held-out groups, the threshold comes from predictions of models that never saw the
    /// paragraph's group: on a group whose news is about casinos (the other group's ads), those
    /// keep less news at a given threshold, so a lower one is chosen than from folds by
    /// article, which see both groups.
    #[test]
    fn held_out_groups_choose_the_threshold() {
        let mut articles = toy_articles();
        for a in &mut articles {
            a.held_out_group = Some("plain".into());
        }
        articles.extend((0..30).map(|i| {
            LabelledArticle {
                id: format!("b{i}"),
                group: format!("b{i}"),
                held_out_group: Some("casino".into()),
                texts: vec![
                    format!("Casino rules number {i} about bonus offers"),
                    format!("Read more: Yet another story number {}", i * 3),
                    format!("Casino bonus {}00 free spins banned on day {i}", i % 7),
                    format!("Free spins bonus offers end in {}", 1990 + i),
                    format!("Casino bonus {}00 free spins until {}", i % 9, 1990 + i),
                ],
                labels: ["news", "related", "news", "news", "news"]
                    .map(String::from)
                    .to_vec(),
            }
        }));
        let params = TrainParams::default()
            .max_iterations(30)
            .target_keep_recall(0.99)
            .check()
            .unwrap();
        let report = train(&articles, &params).unwrap().report;
        let held_out = report.held_out.as_ref().expect("a held-out report");
        let rule = |sweep: &[ThresholdPoint]| {
            sweep
                .iter()
                .rev()
                .find(|p| p.keep_recall >= 0.99)
                .or(sweep.first())
                .map(|p| p.min_keep_prob)
                .unwrap()
        };
        assert_eq!(report.min_keep_prob, rule(&held_out.thresholds));
        assert!(
            rule(&held_out.thresholds) < rule(&report.thresholds),
            "held out {:?}, by article {:?}",
            held_out.thresholds,
            report.thresholds
        );
        let groups: Vec<(&str, u64)> = held_out
            .by_group
            .iter()
            .map(|(g, r)| (g.as_str(), r.labels.values().map(|l| l.support).sum()))
            .collect();
        assert_eq!(groups, [("casino", 150), ("plain", 200)]);

        // Without groups there is no held-out report; with one group, or an article without
        // one, an error.
        let plain = toy_articles();
        assert!(train(&plain, &params).unwrap().report.held_out.is_none());
        let mut one = toy_articles();
        one.iter_mut()
            .for_each(|a| a.held_out_group = Some("x".into()));
        let e = train(&one, &params).unwrap_err().to_string();
        assert!(e.contains("at least two groups, found 1 (x)"), "{e}");
        one[0].held_out_group = Some("y".into());
        one[1].held_out_group = None;
        assert!(train(&one, &params).is_err());
    }

    #[test]
    fn sparse_scoring_agrees_with_linfa_prediction() {
        let articles = toy_articles();
        let params = TrainParams::default().max_iterations(30).check().unwrap();
        let labels: Vec<String> = ["ad", "news", "related"].map(String::from).to_vec();
        let (rows, _) = featurize_all(&articles, &labels, &params.featurizer, &[]);
        let all: Vec<usize> = (0..rows.len()).collect();
        let vocab = select_vocabulary(&rows, &all, 3, &params.featurizer);
        let ours = fit_stage1(&rows, &all, &vocab, 3, &params).unwrap();
        // linfa's own fit and prediction on the same dense matrix.
        let column = column_map(&vocab);
        let mut x = Array2::<f64>::zeros((rows.len(), N_DENSE + vocab.len()));
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.dense.iter().enumerate() {
                x[[r, c]] = f64::from(*v);
            }
            for t in &row.terms {
                if let Some(c) = column.get(t) {
                    x[[r, N_DENSE + *c as usize]] = 1.0;
                }
            }
        }
        let y = Array1::from(rows.iter().map(|r| r.label).collect::<Vec<_>>());
        let fitted = MultiLogisticRegression::<f64>::default()
            .alpha(f64::from(params.alpha))
            .max_iterations(30)
            .fit(&Dataset::new(x.clone(), y))
            .unwrap();
        let linfa_probs = fitted.predict_probabilities(&x);
        for (r, row) in rows.iter().enumerate() {
            let p = ours.probabilities(&row.dense, &columns_of(&row.terms, &column));
            for l in 0..3 {
                assert!(
                    (f64::from(p[l]) - linfa_probs[[r, l]]).abs() < 1e-4,
                    "row {r}"
                );
            }
        }
    }

    #[test]
    fn trained_featurizer_gives_the_training_rows() {
        let articles = toy_articles();
        let params = TrainParams::default()
            .max_iterations(10)
            .folds(2)
            .featurizer(FeaturizerSettings {
                overlap_stop_words: 5,
                ..FeaturizerSettings::default()
            })
            .check()
            .unwrap();
        let trained = train(&articles, &params).unwrap();
        let labels = trained.classifier.labels().to_vec();
        let featurizer = trained.classifier.featurizer();
        let stop = featurizer.overlap_stop_words();
        assert_eq!(stop, widespread_words(&articles, 5));
        // Every toy article uses the same words bar numbers, so all tie: the first five by name.
        let mut first = article_words(articles[0].texts.iter().map(String::as_str));
        first.truncate(5);
        assert_eq!(stop, first);
        let (rows, hashes) = featurize_all(&articles, &labels, &params.featurizer, stop);
        let all: Vec<usize> = (0..rows.len()).collect();
        let vocab = select_vocabulary(&rows, &all, 3, &params.featurizer);
        let column = column_map(&vocab);
        assert_eq!(featurizer.vocabulary().len(), vocab.len());
        let mut r = 0;
        for a in &articles {
            let features: Vec<Features> = (a.texts.iter().enumerate())
                .map(|(i, text)| featurizer.featurize(text, i, a.texts.len()))
                .collect();
            let words: Vec<&[u64]> = features.iter().map(|f| f.words.as_slice()).collect();
            let overlap = article_overlap(&words, params.featurizer.overlap_prior);
            for (i, (text, f)) in a.texts.iter().zip(&features).enumerate() {
                assert_eq!(f.dense, rows[r].dense);
                let expected = columns_of(&rows[r].terms, &column);
                assert_eq!(f.terms, expected, "paragraph {text:?}");
                assert_eq!(overlap[i], rows[r].shape.overlap, "paragraph {text:?}");
                r += 1;
            }
        }
        assert!(hashes.len() >= vocab.len());
    }

    #[test]
    fn near_duplicate_is_a_jaccard_index() {
        let a: Vec<u32> = (0..100).collect();
        let b: Vec<u32> = (5..100).collect(); // 95 of 100
        let c: Vec<u32> = (0..100).step_by(2).collect(); // 50 of 100
        assert!(near_duplicate(&a, &b, 0.9));
        assert!(near_duplicate(&b, &a, 0.9));
        assert!(!near_duplicate(&a, &b, 0.96));
        assert!(!near_duplicate(&a, &c, 0.9));
        let d: Vec<u32> = (100..200).collect(); // same size, disjoint
        assert!(!near_duplicate(&a, &d, 0.9));
    }

    #[test]
    fn vocabulary_keeps_one_of_each_family_of_overlapping_ngrams() {
        let articles = toy_articles();
        let settings = FeaturizerSettings {
            vocab_size: 20,
            min_df: 2,
            ..FeaturizerSettings::default()
        };
        let labels: Vec<String> = ["ad", "news", "related"].map(String::from).to_vec();
        let (rows, hashes) = featurize_all(&articles, &labels, &settings, &[]);
        let all: Vec<usize> = (0..rows.len()).collect();
        let vocab = select_vocabulary(&rows, &all, 3, &settings);
        assert_eq!(vocab.len(), 20);
        // Every pair of chosen terms is found in clearly different sets of paragraphs.
        let postings = |t: u32| -> Vec<u32> {
            (0..rows.len() as u32)
                .filter(|&r| rows[r as usize].terms.contains(&t))
                .collect()
        };
        let lists: Vec<Vec<u32>> = vocab.iter().map(|&t| postings(t)).collect();
        for (i, a) in lists.iter().enumerate() {
            for b in &lists[i + 1..] {
                assert!(!near_duplicate(a, b, NEAR_DUPLICATE));
            }
        }
        // "Read more:" gives many n-grams found in exactly the related paragraphs; one is kept.
        let names = term_names(&articles, &settings, &vocab, &hashes);
        let related_only: Vec<&String> = names
            .iter()
            .zip(&lists)
            .filter(|(_, l)| l.iter().all(|&r| rows[r as usize].label == 2) && l.len() == 40)
            .map(|(n, _)| n)
            .collect();
        assert_eq!(related_only.len(), 1, "{related_only:?}");
    }

    #[test]
    fn bad_parameters_are_named() {
        let e = TrainParams::default()
            .folds(1)
            .check()
            .unwrap_err()
            .to_string();
        assert!(e.contains("--folds must be at least 2, not 1"), "{e}");
        let e = TrainParams::default()
            .alpha(f32::NAN)
            .check()
            .unwrap_err()
            .to_string();
        assert!(e.contains("alpha"), "{e}");
    }

    #[test]
    fn one_label_is_refused() {
        let mut a = toy_articles();
        for art in &mut a {
            for l in &mut art.labels {
                *l = "news".into();
            }
        }
        let e = train(&a, &TrainParams::default().check().unwrap())
            .unwrap_err()
            .to_string();
        assert!(e.contains("at least two labels, found news"), "{e}");
    }
}
