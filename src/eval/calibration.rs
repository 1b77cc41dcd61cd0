//! How well probabilities are calibrated: the Brier score and the expected calibration error of
//! p(kept), with the reliability table.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
