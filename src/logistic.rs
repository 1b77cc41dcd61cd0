//! Multinomial logistic regression on sparse rows, as a linfa algorithm: what `linfa-logistic`
//! fits (the same loss, L2 on the weights but not the intercepts, argmin's L-BFGS with a
//! More-Thuente line search, zero start), but the loss and gradient run over the non-zeros of a
//! compressed sparse row matrix (`sprs`) instead of a dense one. Stage 1's features are a few
//! dozen dense numbers and a handful of the vocabulary's terms per paragraph, so a dense matrix
//! is almost all zeros.
//!
//! [`SparseLogisticParams`] is checked into [`ValidSparseLogisticParams`] (linfa's
//! [`ParamGuard`]), which fits a [`DatasetBase`] of [`SparseRows`] and class indices into a
//! [`FittedSparseLogistic`].

use argmin::core::{CostFunction, Executor, Gradient};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use linfa::dataset::Records;
use linfa::traits::{Fit, PredictInplace};
use linfa::{DatasetBase, ParamGuard};
use ndarray::{Array1, Array2, ArrayView1};
use rayon::prelude::*;
use sprs::CsMatI;

use crate::error::{Error, Result};

/// A compressed sparse row matrix of features: `f32` values and `u32` column indices, half the
/// bytes per non-zero of `f64` and `usize`. The arithmetic is in `f64`; every `f32` value is an
/// `f64` exactly, so the fit is the same as on an `f64` matrix of the same values.
pub type SparseMatrix = CsMatI<f32, u32, usize>;

/// Rows of features as a compressed sparse row matrix.
#[derive(Debug, Clone)]
pub struct SparseRows(pub SparseMatrix);

impl Records for SparseRows {
    type Elem = f64;

    fn nsamples(&self) -> usize {
        self.0.rows()
    }

    fn nfeatures(&self) -> usize {
        self.0.cols()
    }
}

/// Unchecked parameters; [`ParamGuard::check`] turns them into [`ValidSparseLogisticParams`].
#[derive(Debug, Clone, PartialEq)]
pub struct SparseLogisticParams(ValidSparseLogisticParams);

/// Checked parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidSparseLogisticParams {
    alpha: f64,
    max_iterations: u64,
    gradient_tolerance: f64,
}

impl Default for SparseLogisticParams {
    fn default() -> Self {
        SparseLogisticParams(ValidSparseLogisticParams {
            alpha: 1.0,
            max_iterations: 100,
            gradient_tolerance: 1e-4,
        })
    }
}

impl SparseLogisticParams {
    /// L2 regularization of the weights (not the intercepts); defaults to `1.0`.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.0.alpha = alpha;
        self
    }

    /// Most L-BFGS iterations; defaults to `100`.
    pub fn max_iterations(mut self, n: u64) -> Self {
        self.0.max_iterations = n;
        self
    }

    /// L-BFGS stops when the gradient's norm falls below this; defaults to `1e-4`.
    pub fn gradient_tolerance(mut self, tolerance: f64) -> Self {
        self.0.gradient_tolerance = tolerance;
        self
    }
}

impl ParamGuard for SparseLogisticParams {
    type Checked = ValidSparseLogisticParams;
    type Error = Error;

    fn check_ref(&self) -> Result<&ValidSparseLogisticParams> {
        let p = &self.0;
        let bad = |name, expected, value: f64| {
            Err(Error::BadParameter {
                name,
                expected,
                value: value.to_string(),
            })
        };
        if !(p.alpha.is_finite() && p.alpha >= 0.0) {
            return bad("alpha", "a finite number >= 0", p.alpha);
        }
        if !(p.gradient_tolerance.is_finite() && p.gradient_tolerance > 0.0) {
            return bad(
                "gradient_tolerance",
                "a finite number > 0",
                p.gradient_tolerance,
            );
        }
        if p.max_iterations == 0 {
            return bad("max_iterations", "at least 1", 0.0);
        }
        Ok(p)
    }

    fn check(self) -> Result<ValidSparseLogisticParams> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// A fitted model: one weight column and one intercept per class seen in training.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedSparseLogistic {
    classes: Vec<usize>,
    /// `n_features x classes.len()`.
    weights: Array2<f64>,
    intercept: Array1<f64>,
}

impl FittedSparseLogistic {
    /// The classes seen in training, in column order.
    pub fn classes(&self) -> &[usize] {
        &self.classes
    }

    /// The weights, one row per feature, one column per class of [`Self::classes`].
    pub fn weights(&self) -> &Array2<f64> {
        &self.weights
    }

    /// One intercept per class of [`Self::classes`].
    pub fn intercept(&self) -> &Array1<f64> {
        &self.intercept
    }

    /// The probability of each class of [`Self::classes`] for each row.
    pub fn predict_probabilities(&self, x: &SparseRows) -> Array2<f64> {
        let k = self.classes.len();
        let mut out = Array2::zeros((x.0.rows(), k));
        for (i, row) in x.0.outer_iterator().enumerate() {
            let mut h = self.intercept.to_vec();
            for (j, v) in row.iter() {
                let v = f64::from(*v);
                for (c, w) in self.weights.row(j).iter().enumerate() {
                    h[c] += v * w;
                }
            }
            softmax_in_place(&mut h);
            out.row_mut(i).assign(&ArrayView1::from(&h));
        }
        out
    }
}

impl PredictInplace<SparseRows, Array1<usize>> for FittedSparseLogistic {
    /// The likeliest class of each row.
    fn predict_inplace(&self, x: &SparseRows, y: &mut Array1<usize>) {
        let probs = self.predict_probabilities(x);
        for (out, row) in y.iter_mut().zip(probs.rows()) {
            let best = (0..row.len()).fold(0, |b, c| if row[c] > row[b] { c } else { b });
            *out = self.classes[best];
        }
    }

    fn default_target(&self, x: &SparseRows) -> Array1<usize> {
        Array1::zeros(x.0.rows())
    }
}

impl Fit<SparseRows, Array1<usize>, Error> for ValidSparseLogisticParams {
    type Object = FittedSparseLogistic;

    /// Fits the classes present in the targets (at least two), in increasing order.
    fn fit(
        &self,
        dataset: &DatasetBase<SparseRows, Array1<usize>>,
    ) -> Result<FittedSparseLogistic> {
        let x = &dataset.records.0;
        let mut classes: Vec<usize> = dataset.targets.to_vec();
        classes.sort_unstable();
        classes.dedup();
        if classes.len() < 2 {
            return Err(Error::Fit(format!(
                "a logistic regression needs at least two classes, found {}",
                classes.len()
            )));
        }
        if dataset.targets.len() != x.rows() {
            return Err(Error::Fit(format!(
                "{} targets for {} rows",
                dataset.targets.len(),
                x.rows()
            )));
        }
        let column: Vec<usize> = dataset
            .targets
            .iter()
            .map(|t| classes.binary_search(t).unwrap_or_default())
            .collect();
        let problem = Problem {
            x,
            xt: x.transpose_view().to_csr(),
            y: column,
            k: classes.len(),
            alpha: self.alpha,
        };
        let (n, k) = (x.cols(), classes.len());
        let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
            .with_tolerance_grad(self.gradient_tolerance)
            .map_err(|e| Error::Fit(e.to_string()))?;
        let result = Executor::new(problem, solver)
            .configure(|state| {
                state
                    .param(Array1::zeros((n + 1) * k))
                    .max_iters(self.max_iterations)
            })
            .run()
            .map_err(|e| Error::Fit(e.to_string()))?;
        let w = result
            .state
            .best_param
            .ok_or_else(|| Error::Fit("the optimizer returned no parameters".into()))?;
        let w = w
            .into_shape_with_order((n + 1, k))
            .map_err(|e| Error::Fit(e.to_string()))?;
        Ok(FittedSparseLogistic {
            classes,
            weights: w.slice(ndarray::s![..n, ..]).to_owned(),
            intercept: w.row(n).to_owned(),
        })
    }
}

/// The loss `-sum(log softmax(XW + b)[y]) + alpha/2 * |W|^2` and its gradient, over a
/// parameter vector holding `W` row by row (one row per feature) and then `b`.
struct Problem<'a> {
    x: &'a SparseMatrix,
    /// The transpose, row by row, so the gradient is computed one feature at a time.
    xt: SparseMatrix,
    /// Each row's class, as a column index.
    y: Vec<usize>,
    k: usize,
    alpha: f64,
}

impl Problem<'_> {
    /// Each row's log-probabilities, row-major (`rows x k`).
    fn log_probabilities(&self, w: &Array1<f64>) -> Vec<f64> {
        let (k, n) = (self.k, self.x.cols());
        let w = w.as_slice().unwrap_or_default();
        let bias = &w[n * k..];
        let mut h = vec![0.0; self.x.rows() * k];
        h.par_chunks_mut(k)
            .zip(self.x.outer_iterator().collect::<Vec<_>>())
            .for_each(|(h, row)| {
                h.copy_from_slice(bias);
                for (j, v) in row.iter() {
                    let v = f64::from(*v);
                    for (hc, wc) in h.iter_mut().zip(&w[j * k..(j + 1) * k]) {
                        *hc += v * wc;
                    }
                }
                let max = h.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let log_sum = max + h.iter().map(|v| (v - max).exp()).sum::<f64>().ln();
                h.iter_mut().for_each(|v| *v -= log_sum);
            });
        h
    }

    fn weight_norm(&self, w: &Array1<f64>) -> f64 {
        let n = self.x.cols() * self.k;
        w.iter().take(n).map(|v| v * v).sum()
    }
}

impl CostFunction for Problem<'_> {
    type Param = Array1<f64>;
    type Output = f64;

    fn cost(&self, w: &Array1<f64>) -> std::result::Result<f64, argmin::core::Error> {
        let log_p = self.log_probabilities(w);
        let nll: f64 = (self.y.iter().enumerate())
            .map(|(i, &c)| -log_p[i * self.k + c])
            .sum();
        Ok(nll + 0.5 * self.alpha * self.weight_norm(w))
    }
}

impl Gradient for Problem<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;

    fn gradient(&self, w: &Array1<f64>) -> std::result::Result<Array1<f64>, argmin::core::Error> {
        let k = self.k;
        let n = self.x.cols();
        // softmax(H) - Y, row-major.
        let mut diff = self.log_probabilities(w);
        diff.iter_mut().for_each(|v| *v = v.exp());
        for (i, &c) in self.y.iter().enumerate() {
            diff[i * k + c] -= 1.0;
        }
        let weights = w.as_slice().unwrap_or_default();
        let mut grad = vec![0.0; (n + 1) * k];
        let (dw, db) = grad.split_at_mut(n * k);
        dw.par_chunks_mut(k)
            .zip(self.xt.outer_iterator().collect::<Vec<_>>())
            .enumerate()
            .for_each(|(j, (g, col))| {
                for (i, v) in col.iter() {
                    let v = f64::from(*v);
                    for (gc, dc) in g.iter_mut().zip(&diff[i * k..(i + 1) * k]) {
                        *gc += v * dc;
                    }
                }
                for (gc, wc) in g.iter_mut().zip(&weights[j * k..(j + 1) * k]) {
                    *gc += self.alpha * wc;
                }
            });
        for row in diff.chunks(k) {
            for (b, d) in db.iter_mut().zip(row) {
                *b += d;
            }
        }
        Ok(Array1::from(grad))
    }
}

fn softmax_in_place(h: &mut [f64]) {
    let max = h.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    h.iter_mut().for_each(|v| *v = (*v - max).exp());
    let sum: f64 = h.iter().sum();
    h.iter_mut().for_each(|v| *v /= sum);
}

#[cfg(test)]
mod tests {
    use super::*;
    use linfa::traits::Predict;
    use linfa_logistic::MultiLogisticRegression;
    use sprs::TriMatI;

    /// A small problem with three classes, dense features and sparse binary ones, some rows
    /// hard to separate; its values are `f32`s, as the sparse matrix stores them.
    fn problem() -> (Array2<f64>, Array1<usize>) {
        let mut x = Array2::zeros((60, 8));
        let mut y = Array1::zeros(60);
        for i in 0..60 {
            let class = i % 3;
            y[i] = class;
            x[[i, 0]] = (i as f64 * 0.37).sin();
            x[[i, 1]] = class as f64 * 0.5 + (i as f64 * 0.11).cos() * 0.8;
            x[[i, 2 + class]] = 1.0;
            if i % 7 == 0 {
                x[[i, 2 + (class + 1) % 3]] = 1.0;
            }
            x[[i, 5 + i % 3]] = f64::from(u8::from(i % 4 == 0));
        }
        (x.mapv(|v| f64::from(v as f32)), y)
    }

    fn sparse(x: &Array2<f64>) -> SparseRows {
        let mut tri = TriMatI::<f32, u32>::new(x.dim());
        for ((i, j), v) in x.indexed_iter() {
            if *v != 0.0 {
                tri.add_triplet(i, j, *v as f32);
            }
        }
        SparseRows(tri.to_csr())
    }

    /// On the same data made dense, linfa-logistic reaches the same probabilities (both are
    /// the same optimization, so they agree to well within 1e-3).
    #[test]
    fn agrees_with_linfa_logistic_on_the_same_data_made_dense() {
        let (x, y) = problem();
        let ours = SparseLogisticParams::default()
            .alpha(0.5)
            .check()
            .unwrap()
            .fit(&DatasetBase::new(sparse(&x), y.clone()))
            .unwrap();
        let theirs = MultiLogisticRegression::<f64>::default()
            .alpha(0.5)
            .max_iterations(100)
            .fit(&DatasetBase::new(x.clone(), y.clone()))
            .unwrap();
        let p = ours.predict_probabilities(&sparse(&x));
        let q = theirs.predict_probabilities(&x);
        let worst = (&p - &q).mapv(f64::abs).fold(0.0, |a: f64, b| a.max(*b));
        assert!(worst < 1e-3, "largest difference {worst}");
        let rows = DatasetBase::new(sparse(&x), y.clone());
        let predicted: Array1<usize> = ours.predict(&rows);
        assert_eq!(predicted, theirs.predict(&x));
    }

    #[test]
    fn the_gradient_is_the_derivative_of_the_cost() {
        let (x, y) = problem();
        let rows = sparse(&x).0;
        let p = Problem {
            x: &rows,
            xt: rows.transpose_view().to_csr(),
            y: y.to_vec(),
            k: 3,
            alpha: 0.7,
        };
        let w = Array1::from_shape_fn(27, |i| ((i * 13 % 7) as f64 - 3.0) * 0.1);
        let g = p.gradient(&w).unwrap();
        for i in [0, 5, 13, 24, 26] {
            let mut up = w.clone();
            up[i] += 1e-5;
            let mut down = w.clone();
            down[i] -= 1e-5;
            let numeric = (p.cost(&up).unwrap() - p.cost(&down).unwrap()) / 2e-5;
            assert!((numeric - g[i]).abs() < 1e-4, "{i}: {numeric} vs {}", g[i]);
        }
    }

    #[test]
    fn classes_absent_from_training_are_left_out_and_bad_parameters_named() {
        let (x, mut y) = problem();
        y.mapv_inplace(|c| if c == 1 { 4 } else { c });
        let fitted = SparseLogisticParams::default()
            .check()
            .unwrap()
            .fit(&DatasetBase::new(sparse(&x), y))
            .unwrap();
        assert_eq!(fitted.classes(), [0, 2, 4]);
        let e = SparseLogisticParams::default()
            .alpha(-1.0)
            .check()
            .unwrap_err();
        assert!(
            matches!(e, Error::BadParameter { name: "alpha", .. }),
            "{e}"
        );
        let one = Array1::zeros(60);
        let e = SparseLogisticParams::default()
            .check()
            .unwrap()
            .fit(&DatasetBase::new(sparse(&x), one))
            .unwrap_err();
        assert!(e.to_string().contains("at least two classes"), "{e}");
    }
}
