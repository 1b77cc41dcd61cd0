//! The linear model: weights and intercepts learned by linfa's multinomial logistic regression,
//! applied to a sparse feature vector (dense columns first, then binary term columns) to give
//! per-label probabilities. It never sees text.

use ndarray::{Array1, Array2};

/// A fitted multinomial logistic regression: `softmax(x · W + b)`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    /// One row per feature column, one column per label.
    pub weights: Array2<f32>,
    /// One per label.
    pub intercept: Array1<f32>,
}

impl LinearModel {
    /// Number of feature columns.
    pub fn n_features(&self) -> usize {
        self.weights.nrows()
    }

    /// Number of labels.
    pub fn n_labels(&self) -> usize {
        self.intercept.len()
    }

    /// Probabilities for a row whose first `dense.len()` columns are `dense` and whose term
    /// columns (offsets past the dense part) in `terms` are 1. Written into `out`.
    pub fn probabilities_into(&self, dense: &[f32], terms: &[u32], out: &mut Vec<f32>) {
        out.clear();
        out.extend(self.intercept.iter().copied());
        for (row, &x) in dense.iter().enumerate() {
            if x != 0.0 {
                for (o, w) in out.iter_mut().zip(self.weights.row(row)) {
                    *o += x * w;
                }
            }
        }
        let offset = dense.len();
        for &term in terms {
            for (o, w) in out.iter_mut().zip(self.weights.row(offset + term as usize)) {
                *o += w;
            }
        }
        softmax(out);
    }

    /// Probabilities for a dense row.
    pub fn probabilities(&self, dense: &[f32], terms: &[u32]) -> Vec<f32> {
        let mut out = Vec::with_capacity(self.n_labels());
        self.probabilities_into(dense, terms, &mut out);
        out
    }
}

/// In-place, numerically stable softmax.
pub fn softmax(v: &mut [f32]) {
    let max = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for x in v.iter_mut() {
        *x = (*x - max).exp();
        sum += *x;
    }
    for x in v.iter_mut() {
        *x /= sum;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn sparse_scoring_is_softmax_of_the_dot_product() {
        let m = LinearModel {
            weights: array![[1.0, 0.0], [0.0, 2.0], [0.5, 0.5], [-1.0, 3.0]],
            intercept: array![0.1, -0.1],
        };
        // Dense part [2.0, 0.0], term 1 -> column 3.
        let p = m.probabilities(&[2.0, 0.0], &[1]);
        let mut expected = vec![0.1 + 2.0 - 1.0, -0.1 + 3.0];
        softmax(&mut expected);
        assert!((p[0] - expected[0]).abs() < 1e-6);
        assert!((p[1] - expected[1]).abs() < 1e-6);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
    }

    #[test]
    fn softmax_survives_large_logits() {
        let mut v = vec![1000.0, 0.0, -1000.0];
        softmax(&mut v);
        assert!((v[0] - 1.0).abs() < 1e-6 && v.iter().all(|x| x.is_finite()));
    }
}
