//! Training: article-grouped folds, vocabulary selection, linfa fits for both stages, and the
//! cross-validated report. No flags and no files: it takes articles and checked parameters and
//! returns a [`Model`].
//!
//! 1. Every paragraph is featurized once by [`Featurizer::featurize_article`], as in labelling.
//! 2. Articles are put in K folds by their group (the article id, or a grouping column); with
//!    no more groups than folds, each group is a fold of its own (leave-one-group-out).
//! 3. For each fold, the vocabulary is chosen and stage 1 is fitted on the other folds only, and
//!    the fold is scored: these are the out-of-fold stage-1 probabilities.
//! 4. Stage 2 is cross-validated the same way on context features built from those out-of-fold
//!    probabilities; its out-of-fold decisions make the report.
//! 5. With held-out groups (say, each source), each is held out in turn and scored by both
//!    stages fitted without it; the keep threshold is chosen on those predictions rather than
//!    on the out-of-fold ones.
//! 6. Finally the vocabulary and stage 1 are fitted on everything, and stage 2 on all the
//!    out-of-fold context features, so stage 2 never learns from outputs that saw their label.
//!
//! [`Featurizer::featurize_article`]: crate::features::Featurizer::featurize_article

mod fit;
mod rows;
mod vocabulary;

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use crate::classifier::{check_keep, Classifier};
use crate::context;
use crate::decide::{argmax, Decider, Thresholds};
use crate::document::LabelledArticle;
use crate::error::{Error, Result};
use crate::eval::{
    choose_threshold, threshold_sweep, Calibration, CvReport, HeldOutReport, Report,
};
use crate::features::{fnv1a, Featurizer, Shape};
use crate::linear::LinearModel;
use crate::model::{DataSummary, Model};
use crate::params::ValidTrainParams;

use fit::{fit_dense, fit_folds, fit_stage1, fit_without, out_of_fold};
use rows::{featurize_all, term_names, widespread_words, Row};
use vocabulary::{column_map, columns_of, select_vocabulary};

/// Trains a classifier on `articles` and cross-validates it.
pub fn train(articles: &[LabelledArticle], params: &ValidTrainParams) -> Result<Model> {
    let labels = label_set(articles)?;
    let summary = DataSummary::of(articles, &labels);
    let keep = kept_labels(params, &labels, &summary)?;
    let settings = params.featurizer();

    // 1. Featurize once.
    let stop_words = widespread_words(articles, settings.overlap_stop_words);
    let (rows, term_hashes) = featurize_all(articles, &labels, settings, &stop_words);
    // 2. Folds by group.
    let folds = Folds::assign(articles, &rows, params)?;
    let stages = Stages {
        articles,
        rows: &rows,
        params,
        n_labels: labels.len(),
    };
    // 3. Stage 1 on each fold's complement and on all rows, all in parallel; out-of-fold scores.
    let (fold_models, (vocab, stage1_model)) =
        fit_folds(&folds.row_fold, folds.k, |r| stages.fit_stage1(r))?;
    let stage1 = stages.score_stage1(&fold_models, &folds.row_fold);
    // 4. Context features from out-of-fold stage 1, and out-of-fold stage 2.
    let ctx_rows = context_rows(articles, &rows, &stage1);
    let (fold_models, stage2_model) = fit_folds(&folds.row_fold, folds.k, |r| {
        stages.fit_stage2(&ctx_rows, r)
    })?;
    let stage2 = out_of_fold(&folds.row_fold, &fold_models, |model, i| {
        model.probabilities(&ctx_rows[i], &[])
    });
    // 5. Each held-out group scored by both stages fitted without it.
    let held_out = stages.held_out(&ctx_rows)?;

    let truth = Truth {
        labels: &labels,
        rows: rows.iter().map(|r| r.label).collect(),
        keep_mask: labels.iter().map(|l| keep.contains(l)).collect(),
    };
    let (report, thresholds) = truth.cv_report(&folds, &stage1, &stage2, held_out, params);

    // 6. The final model: the all-rows fits from steps 3 and 4.
    let vocabulary = term_names(articles, settings, &vocab, &term_hashes);
    let featurizer =
        Featurizer::new(settings.clone(), vocabulary).with_overlap_stop_words(stop_words);
    let classifier = Classifier::new(
        labels,
        featurizer,
        stage1_model,
        stage2_model,
        keep,
        thresholds,
    )?;
    Ok(Model {
        classifier,
        params: params.clone(),
        summary,
        report,
    })
}

/// The most distinct labels training accepts: more is almost always the wrong column (a free
/// text one), and both stages grow with the number of labels.
pub const MAX_LABELS: usize = 256;

/// The labels of the data, sorted; at least two and at most [`MAX_LABELS`].
fn label_set(articles: &[LabelledArticle]) -> Result<Vec<String>> {
    let labels: Vec<String> = articles
        .iter()
        .flat_map(|a| a.labels.iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if labels.len() < 2 {
        let found = match labels.first() {
            None => "none".to_owned(),
            Some(only) => format!("only {only:?}"),
        };
        return Err(Error::TooFewLabels { found });
    }
    if labels.len() > MAX_LABELS {
        return Err(Error::TooManyLabels {
            found: labels.len(),
            max: MAX_LABELS,
        });
    }
    Ok(labels)
}

/// The labels kept in cleaned output: the chosen ones, each a label of the data; otherwise
/// `news` when the data has it, else its commonest label.
fn kept_labels(
    params: &ValidTrainParams,
    labels: &[String],
    summary: &DataSummary,
) -> Result<Vec<String>> {
    if let Some(keep) = params.keep() {
        check_keep(labels, keep)?;
        return Ok(keep.to_vec());
    }
    if labels.iter().any(|l| l == "news") {
        return Ok(vec!["news".to_owned()]);
    }
    let top = summary
        .rows_per_label
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(l, _)| l.clone())
        .unwrap_or_default();
    Ok(vec![top])
}

/// The cross-validation folds: each row's fold, and the groups in fold order.
struct Folds<'a> {
    k: usize,
    /// The distinct groups, in the seeded order that deals them to folds.
    ranked: Vec<&'a str>,
    row_fold: Vec<usize>,
}

impl<'a> Folds<'a> {
    /// Deals the articles' groups to at most `params.folds()` folds, in a seeded order.
    fn assign(
        articles: &'a [LabelledArticle],
        rows: &[Row],
        params: &ValidTrainParams,
    ) -> Result<Folds<'a>> {
        let distinct: BTreeSet<&str> = articles.iter().map(|a| a.group.as_str()).collect();
        if distinct.len() < 2 {
            return Err(Error::TooFewGroups {
                found: distinct.len(),
            });
        }
        let k = params.folds().min(distinct.len());
        let mut ranked: Vec<&str> = distinct.into_iter().collect();
        ranked.sort_by_key(|g| (fnv1a(&[&params.seed().to_le_bytes(), g.as_bytes()]), *g));
        let group_fold: FxHashMap<&str, usize> = ranked
            .iter()
            .enumerate()
            .map(|(i, g)| (*g, i % k))
            .collect();
        let article_fold: Vec<usize> = articles
            .iter()
            .map(|a| group_fold[a.group.as_str()])
            .collect();
        let row_fold = rows.iter().map(|r| article_fold[r.article]).collect();
        Ok(Folds {
            k,
            ranked,
            row_fold,
        })
    }

    /// Whether each fold holds exactly one group, so a fold's report is that group's.
    fn one_group_each(&self) -> bool {
        self.k == self.ranked.len()
    }
}

/// The two stages' fits on any subset of the training rows.
struct Stages<'a> {
    articles: &'a [LabelledArticle],
    rows: &'a [Row],
    params: &'a ValidTrainParams,
    n_labels: usize,
}

impl Stages<'_> {
    /// The vocabulary chosen on `train_rows` and stage 1 fitted on them.
    fn fit_stage1(&self, train_rows: &[usize]) -> Result<(Vec<u32>, LinearModel)> {
        let vocab = select_vocabulary(
            self.rows,
            train_rows,
            self.n_labels,
            self.params.featurizer(),
        );
        let model = fit_stage1(
            self.rows,
            train_rows,
            &vocab,
            self.n_labels,
            self.params.alpha(),
            self.params.max_iterations(),
        )?;
        Ok((vocab, model))
    }

    /// Each row scored by the stage-1 model of its fold.
    fn score_stage1(
        &self,
        models: &[(Vec<u32>, LinearModel)],
        row_fold: &[usize],
    ) -> Vec<Vec<f32>> {
        let scorers: Vec<_> = models
            .iter()
            .map(|(vocab, model)| (column_map(vocab), model))
            .collect();
        out_of_fold(row_fold, &scorers, |(column, model), i| {
            let row = &self.rows[i];
            model.probabilities(&row.dense, &columns_of(&row.terms, column))
        })
    }

    /// Stage 2 fitted on the context features of `train_rows`.
    fn fit_stage2(&self, ctx_rows: &[Vec<f32>], train_rows: &[usize]) -> Result<LinearModel> {
        let labels: Vec<usize> = self.rows.iter().map(|r| r.label).collect();
        fit_dense(
            ctx_rows,
            &labels,
            train_rows,
            self.n_labels,
            self.params.context_alpha(),
            self.params.max_iterations(),
        )
    }

    /// With held-out groups, each group scored by both stages fitted without it: stage 1 on
    /// the other groups' rows, stage 2 on their out-of-fold context features `ctx_rows` (as the
    /// final stage 2 is), fed with the held-out stage 1's outputs.
    fn held_out(&self, ctx_rows: &[Vec<f32>]) -> Result<Option<HeldOut>> {
        let Some((names, article_group)) = held_out_groups(self.articles)? else {
            return Ok(None);
        };
        let row_group: Vec<usize> = self.rows.iter().map(|r| article_group[r.article]).collect();
        let groups = 0..names.len();
        let stage1_models = fit_without(&row_group, groups.clone(), |r| self.fit_stage1(r))?;
        let stage1 = self.score_stage1(&stage1_models, &row_group);
        let held_ctx = context_rows(self.articles, self.rows, &stage1);
        let stage2_models = fit_without(&row_group, groups, |r| self.fit_stage2(ctx_rows, r))?;
        let probs = out_of_fold(&row_group, &stage2_models, |model, i| {
            model.probabilities(&held_ctx[i], &[])
        });
        Ok(Some(HeldOut {
            names,
            row_group,
            probs,
        }))
    }
}

/// Every row's final probabilities from models that never saw its held-out group.
struct HeldOut {
    names: Vec<String>,
    row_group: Vec<usize>,
    probs: Vec<Vec<f32>>,
}

/// The true labels of the rows, and which labels are kept: what predictions are scored against.
struct Truth<'a> {
    labels: &'a [String],
    rows: Vec<usize>,
    keep_mask: Vec<bool>,
}

impl Truth<'_> {
    /// The report of the rows `idx` predicted as `predicted`.
    fn report(&self, idx: impl Iterator<Item = usize>, predicted: &[usize]) -> Report {
        let pairs: Vec<(&str, &str)> = idx
            .map(|i| {
                (
                    self.labels[self.rows[i]].as_str(),
                    self.labels[predicted[i]].as_str(),
                )
            })
            .collect();
        Report::from_pairs(pairs)
    }

    fn calibration(&self, probs: &[Vec<f32>]) -> Calibration {
        let truth = self.rows.iter().map(|&t| Some(t));
        Calibration::new(truth.zip(probs.iter().map(Vec::as_slice)), &self.keep_mask)
    }

    /// The cross-validated report and the thresholds it (and the model) uses: the keep
    /// threshold chosen on the held-out predictions when there are any, else out of fold.
    fn cv_report(
        &self,
        folds: &Folds,
        stage1: &[Vec<f32>],
        stage2: &[Vec<f32>],
        held_out: Option<HeldOut>,
        params: &ValidTrainParams,
    ) -> (CvReport, Thresholds) {
        let sweep = threshold_sweep(stage2, &self.rows, self.labels, &self.keep_mask);
        let held_sweep = held_out
            .as_ref()
            .map(|h| threshold_sweep(&h.probs, &self.rows, self.labels, &self.keep_mask));
        let min_keep_prob = params.min_keep_prob().unwrap_or_else(|| {
            let target = f64::from(params.target_keep_recall());
            choose_threshold(held_sweep.as_ref().unwrap_or(&sweep), target).min_keep_prob
        });
        let thresholds = Thresholds {
            min_keep_prob,
            uncertain_margin: params.uncertain_margin(),
        };
        let decider = Decider::new(self.keep_mask.clone(), thresholds.clone());
        let decide = |probs: &[Vec<f32>]| -> Vec<usize> {
            probs
                .iter()
                .map(|p| decider.decide(p.clone()).label)
                .collect()
        };
        let predicted = decide(stage2);
        let all = || 0..self.rows.len();
        let overall = self.report(all(), &predicted);
        let stage1_predicted: Vec<usize> = stage1.iter().map(|p| argmax(p)).collect();
        let held_out = held_out.zip(held_sweep).map(|(h, sweep)| {
            let predicted = decide(&h.probs);
            let by_group = (h.names.iter().enumerate())
                .map(|(g, name)| {
                    let rows = all().filter(|&i| h.row_group[i] == g);
                    (name.clone(), self.report(rows, &predicted))
                })
                .collect();
            HeldOutReport {
                macro_f1: self.report(all(), &predicted).macro_f1,
                by_group,
                thresholds: sweep,
                calibration: self.calibration(&h.probs),
            }
        });
        let mut by_group = BTreeMap::new();
        if folds.one_group_each() {
            for (fold, group) in folds.ranked.iter().enumerate() {
                let rows = all().filter(|&i| folds.row_fold[i] == fold);
                by_group.insert((*group).to_owned(), self.report(rows, &predicted));
            }
        }
        let report = CvReport {
            overall,
            folds: folds.k,
            stage1_macro_f1: self.report(all(), &stage1_predicted).macro_f1,
            by_group,
            min_keep_prob,
            thresholds: sweep,
            calibration: self.calibration(stage2),
            held_out,
        };
        (report, thresholds)
    }
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
        return Err(Error::TooFewHeldOutGroups {
            found: names.len(),
            names: names.join(", "),
        });
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::eval::choose_threshold;
    use crate::features::{article_words, FeaturizerSettings};
    use crate::params::TrainParams;

    pub(crate) fn toy_articles() -> Vec<LabelledArticle> {
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
        let rule = |sweep| choose_threshold(sweep, 0.99).min_keep_prob;
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
        let (rows, hashes) = featurize_all(&articles, &labels, params.featurizer(), stop);
        let all: Vec<usize> = (0..rows.len()).collect();
        let vocab = select_vocabulary(&rows, &all, 3, params.featurizer());
        let column = column_map(&vocab);
        assert_eq!(featurizer.vocabulary().len(), vocab.len());
        // The vocabulary's terms, found by hash in training and by name in labelling, are the
        // same columns.
        let mut r = 0;
        for a in &articles {
            let texts: Vec<&str> = a.texts.iter().map(String::as_str).collect();
            let (features, _) = featurizer.featurize_article(&texts);
            for (text, f) in texts.iter().zip(&features) {
                let expected = columns_of(&rows[r].terms, &column);
                assert_eq!(f.terms, expected, "paragraph {text:?}");
                r += 1;
            }
        }
        assert!(hashes.len() >= vocab.len());
    }

    #[test]
    fn too_many_labels_are_refused_before_training() {
        let articles: Vec<LabelledArticle> = (0..=MAX_LABELS)
            .map(|i| LabelledArticle {
                id: i.to_string(),
                group: i.to_string(),
                held_out_group: None,
                texts: vec![format!("Paragraph {i}.")],
                labels: vec![format!("label{i}")],
            })
            .collect();
        let e = label_set(&articles).unwrap_err();
        assert!(
            matches!(
                e,
                Error::TooManyLabels {
                    found: 257,
                    max: 256
                }
            ),
            "{e}"
        );
        assert_eq!(
            label_set(&articles[..MAX_LABELS]).unwrap().len(),
            MAX_LABELS
        );
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
        assert!(
            e.contains("at least two labels, found only \"news\""),
            "{e}"
        );
    }
}
