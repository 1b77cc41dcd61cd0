//! Fitting: linfa's multinomial logistic regression on a dense matrix, and the parallel fits
//! of a model per fold with the out-of-fold scores they give.

use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::features::N_DENSE;
use crate::linear::LinearModel;
use crate::logistic::{SparseLogisticParams, SparseMatrix, SparseRows};

use super::rows::Row;
use super::vocabulary::column_map;

/// Fits a model on the rows outside each of the `k` folds and one on all rows, as `k + 1`
/// parallel jobs (the final fit needs no fold's result, so it need not wait for them).
pub(super) fn fit_folds<M, F>(row_fold: &[usize], k: usize, fit: F) -> Result<(Vec<M>, M)>
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
pub(super) fn fit_without<M, F>(
    row_fold: &[usize],
    folds: std::ops::Range<usize>,
    fit: F,
) -> Result<Vec<M>>
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

/// Out-of-fold scores: row `i` scored by the model of its fold (`fold_models[row_fold[i]]`),
/// which never saw it.
pub(super) fn out_of_fold<M, S>(row_fold: &[usize], fold_models: &[M], score: S) -> Vec<Vec<f32>>
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

/// Fits stage 1 on `train_rows` over the dense features and the `vocab` columns: a sparse
/// matrix straight from the rows (dense features, then a 1 per vocabulary term present), fitted
/// by [`SparseLogisticParams`]. Labels absent from the rows get zero weights and a very low
/// intercept, so the model still has one column per label.
pub(super) fn fit_stage1(
    rows: &[Row],
    train_rows: &[usize],
    vocab: &[u32],
    n_labels: usize,
    alpha: f32,
    max_iterations: u64,
) -> Result<LinearModel> {
    let column = column_map(vocab);
    let n_features = N_DENSE + vocab.len();
    let mut indptr = Vec::with_capacity(train_rows.len() + 1);
    let mut indices = Vec::new();
    let mut data = Vec::new();
    indptr.push(0);
    let mut columns: Vec<u32> = Vec::new();
    for &i in train_rows {
        let row = &rows[i];
        for (c, v) in row.dense.iter().enumerate() {
            if *v != 0.0 {
                indices.push(c as u32);
                data.push(*v);
            }
        }
        columns.clear();
        columns.extend(row.terms.iter().filter_map(|t| column.get(t).copied()));
        columns.sort_unstable();
        for c in &columns {
            indices.push(N_DENSE as u32 + *c);
            data.push(1.0);
        }
        indptr.push(indices.len());
    }
    let x = SparseMatrix::try_new((train_rows.len(), n_features), indptr, indices, data)
        .map_err(|(.., e)| Error::Fit(e.to_string()))?;
    let y: Array1<usize> = train_rows.iter().map(|&i| rows[i].label).collect();
    let fitted = SparseLogisticParams::default()
        .alpha(f64::from(alpha))
        .max_iterations(max_iterations)
        .check()?
        .fit(&DatasetBase::new(SparseRows(x), y))?;
    let mut weights = Array2::<f32>::zeros((n_features, n_labels));
    let mut intercept = Array1::<f32>::from_elem(n_labels, ABSENT_INTERCEPT);
    for (j, &class) in fitted.classes().iter().enumerate() {
        weights
            .column_mut(class)
            .assign(&fitted.weights().column(j).mapv(|v| v as f32));
        intercept[class] = fitted.intercept()[j] as f32;
    }
    Ok(LinearModel { weights, intercept })
}

/// The intercept of a label absent from a fit's rows: its probability is about e^-30.
const ABSENT_INTERCEPT: f32 = -30.0;

/// Fits a model on dense feature rows (stage 2's context features).
pub(super) fn fit_dense(
    features: &[Vec<f32>],
    labels: &[usize],
    train_rows: &[usize],
    n_labels: usize,
    alpha: f32,
    max_iterations: u64,
) -> Result<LinearModel> {
    let width = features.first().map_or(0, Vec::len);
    let mut x = Array2::<f32>::zeros((train_rows.len(), width));
    for (r, &i) in train_rows.iter().enumerate() {
        for (c, v) in features[i].iter().enumerate() {
            x[[r, c]] = *v;
        }
    }
    let y: Vec<usize> = train_rows.iter().map(|&i| labels[i]).collect();
    fit(x, &y, n_labels, alpha, max_iterations)
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
    let mut intercept = Array1::<f32>::from_elem(n_labels, ABSENT_INTERCEPT);
    for (j, &class) in fitted.classes().iter().enumerate() {
        weights
            .column_mut(class)
            .assign(&fitted.params().column(j).mapv(|v| v as f32));
        intercept[class] = fitted.intercept()[j] as f32;
    }
    Ok(LinearModel { weights, intercept })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::TrainParams;
    use crate::train::rows::featurize_all;
    use crate::train::tests::toy_articles;
    use crate::train::vocabulary::{columns_of, select_vocabulary};

    #[test]
    fn sparse_scoring_agrees_with_linfa_prediction() {
        let articles = toy_articles();
        let params = TrainParams::default().max_iterations(30).check().unwrap();
        let labels: Vec<String> = ["ad", "news", "related"].map(String::from).to_vec();
        let (rows, _) = featurize_all(&articles, &labels, params.featurizer(), &[]);
        let all: Vec<usize> = (0..rows.len()).collect();
        let vocab = select_vocabulary(&rows, &all, 3, params.featurizer());
        let ours = fit_stage1(&rows, &all, &vocab, 3, params.alpha(), 30).unwrap();
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
            .alpha(f64::from(params.alpha()))
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
}
