//! The versioned model file; nothing else knows its layout.
//!
//! ```text
//! chaff-model <version>\n
//! sha256 <hex digest of the JSON body>\n
//! <JSON body>
//! ```
//! The body holds the labels, the kept labels and thresholds, the featurizer settings and
//! vocabulary, both stages' weights, a summary of the training data, the training parameters and
//! the cross-validated report. Loading checks the magic, the version (a mismatch names both), the
//! checksum (a damaged or truncated file), and every size. Saving writes a temporary file beside
//! the target and renames it, so no partial model is ever left under the target's name.

use std::io::{Read as _, Write as _};
use std::path::Path;

use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::classifier::Classifier;
use crate::context;
use crate::decide::Thresholds;
use crate::error::{Error, Result};
use crate::eval::CvReport;
use crate::features::{Featurizer, FeaturizerSettings, POSITION_FEATURES, SHAPE_FEATURES};
use crate::linear::LinearModel;
use crate::model::{hex, DataSummary, Model};
use crate::params::ValidTrainParams;
use crate::write::AtomicFile;

/// The format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 2;
const MAGIC: &str = "chaff-model";
/// The longest character window a model may ask for (training uses 96): a larger one means a
/// damaged file (and `usize::MAX` would overflow the featurizer's window arithmetic).
const MAX_CHAR_WINDOW: usize = 1 << 20;

#[derive(Serialize, Deserialize)]
struct Body {
    format_version: u32,
    created_by: String,
    labels: Vec<String>,
    keep: Vec<String>,
    thresholds: Thresholds,
    featurizer: FeaturizerPart,
    stage1: Weights,
    stage2: Weights,
    training_data: DataSummary,
    training_params: ValidTrainParams,
    report: CvReport,
}

#[derive(Serialize, Deserialize)]
struct FeaturizerPart {
    settings: FeaturizerSettings,
    dense_features: Vec<String>,
    vocabulary: Vec<String>,
    overlap_stop_words: Vec<String>,
}

/// Weights stored one row per feature, one column per label, in the order of the features
/// (stage 1: dense features then vocabulary; stage 2: the context feature names).
#[derive(Serialize, Deserialize)]
struct Weights {
    /// The feature of each weight row (stage 2 only; stage 1's are the featurizer's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    features: Vec<String>,
    intercept: Vec<f32>,
    weights: Vec<Vec<f32>>,
}

impl Weights {
    fn from_model(model: &LinearModel, features: Vec<String>) -> Weights {
        Weights {
            features,
            intercept: model.intercept.to_vec(),
            weights: model
                .weights
                .rows()
                .into_iter()
                .map(|r| r.to_vec())
                .collect(),
        }
    }

    fn into_model(
        self,
        n_features: usize,
        n_labels: usize,
        what: &str,
    ) -> Result<LinearModel, String> {
        if self.intercept.len() != n_labels {
            return Err(format!(
                "{what} has {} intercepts for {n_labels} labels",
                self.intercept.len()
            ));
        }
        if self.weights.len() != n_features {
            return Err(format!(
                "{what} has {} weight rows for {n_features} features",
                self.weights.len()
            ));
        }
        let mut weights = Array2::zeros((n_features, n_labels));
        for (i, row) in self.weights.iter().enumerate() {
            if row.len() != n_labels {
                return Err(format!(
                    "{what} weight row {i} has {} values for {n_labels} labels",
                    row.len()
                ));
            }
            if row.iter().any(|w| !w.is_finite()) {
                return Err(format!("{what} weight row {i} is not finite"));
            }
            weights.row_mut(i).assign(&Array1::from(row.clone()));
        }
        Ok(LinearModel {
            weights,
            intercept: Array1::from(self.intercept),
        })
    }
}

/// The model file's bytes for a trained classifier. The same training gives the same bytes.
pub fn to_bytes(model: &Model) -> Vec<u8> {
    let c = &model.classifier;
    let dense_features: Vec<String> = SHAPE_FEATURES
        .iter()
        .chain(POSITION_FEATURES)
        .map(|s| (*s).to_owned())
        .collect();
    let body = Body {
        format_version: FORMAT_VERSION,
        created_by: format!("chaff {}", env!("CARGO_PKG_VERSION")),
        labels: c.labels().to_vec(),
        keep: c.keep().to_vec(),
        thresholds: c.thresholds().clone(),
        featurizer: FeaturizerPart {
            settings: c.featurizer().settings().clone(),
            dense_features,
            vocabulary: c.featurizer().vocabulary().to_vec(),
            overlap_stop_words: c.featurizer().overlap_stop_words().to_vec(),
        },
        stage1: Weights::from_model(c.stage1(), Vec::new()),
        stage2: Weights::from_model(c.stage2(), context::feature_names(c.labels())),
        training_data: model.summary.clone(),
        training_params: model.params.clone(),
        report: model.report.clone(),
    };
    // Serializing plain data with string keys cannot fail.
    framed(&serde_json::to_vec(&body).unwrap_or_default())
}

/// A model file's bytes from its JSON body: the two header lines, the body, a newline.
fn framed(json: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "{MAGIC} {FORMAT_VERSION}\nsha256 {}\n",
        hex(&Sha256::digest(json))
    )
    .into_bytes();
    out.extend_from_slice(json);
    out.push(b'\n');
    out
}

/// Writes the model file for `model` to `path` through a temporary file and a rename.
pub fn save(model: &Model, path: &Path) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(&to_bytes(model))
        .map_err(|e| Error::io(path, e))?;
    file.commit()
}

/// The largest model file [`load`] reads: 512 MiB (the default model is about 100 KB; a
/// 50,000-term vocabulary with ten labels is under 20 MB).
pub const MAX_MODEL_BYTES: u64 = 512 << 20;

/// Reads a model file. A file larger than [`MAX_MODEL_BYTES`] is refused before it is read, and
/// one that does not start like a model (`/dev/zero`, a CSV given by mistake) after its first
/// line's worth of bytes.
pub fn load(path: &Path) -> Result<Model> {
    let too_large = || Error::ModelTooLarge {
        path: path.to_owned(),
        limit: MAX_MODEL_BYTES,
    };
    let bad = |problem| Error::BadModel {
        path: path.to_owned(),
        problem,
    };
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    if file.metadata().is_ok_and(|m| m.len() > MAX_MODEL_BYTES) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    let mut reader = file.take(MAX_MODEL_BYTES + 1);
    let magic = format!("{MAGIC} ");
    (&mut reader)
        .take(magic.len() as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() == magic.len() && bytes != magic.as_bytes() {
        return Err(bad(not_a_model(&bytes)));
    }
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_MODEL_BYTES {
        return Err(too_large());
    }
    from_bytes(&bytes).map_err(bad)
}

/// Parses a model file's bytes; the error is the problem, without the path.
pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
    let (first, rest) = split_line(bytes).ok_or_else(|| not_a_model(bytes))?;
    let first = std::str::from_utf8(first).map_err(|_| not_a_model(bytes))?;
    let version = first
        .strip_prefix(MAGIC)
        .and_then(|v| v.strip_prefix(' '))
        .ok_or_else(|| not_a_model(bytes))?;
    let version: u32 = version
        .trim()
        .parse()
        .map_err(|_| format!("unreadable model format version {version:?}"))?;
    if version != FORMAT_VERSION {
        return Err(format!(
            "model format version {version}, but this chaff ({}) reads version {FORMAT_VERSION}; retrain with this chaff-train or use the chaff that wrote it",
            env!("CARGO_PKG_VERSION")
        ));
    }
    let (second, json) = split_line(rest).ok_or("the file is truncated after its first line")?;
    let expected = std::str::from_utf8(second)
        .ok()
        .and_then(|l| l.strip_prefix("sha256 "))
        .ok_or("line 2 should be `sha256 <digest>`; the file is damaged")?;
    let json = json.strip_suffix(b"\n").unwrap_or(json);
    let actual = hex(&Sha256::digest(json));
    if actual != expected.trim() {
        return Err(format!(
            "checksum mismatch (the file says {}, its contents give {actual}): the file is damaged or truncated",
            expected.trim()
        ));
    }
    let body: Body = serde_json::from_slice(json).map_err(|e| format!("bad model body: {e}"))?;
    if body.format_version != version {
        return Err(format!(
            "the header says version {version} but the body says {}",
            body.format_version
        ));
    }
    let n_labels = body.labels.len();
    let dense: Vec<String> = SHAPE_FEATURES
        .iter()
        .chain(POSITION_FEATURES)
        .map(|n| (*n).to_owned())
        .collect();
    same_features(&body.featurizer.dense_features, &dense, "stage-1 dense")?;
    let context_names = context::feature_names(&body.labels);
    same_features(&body.stage2.features, &context_names, "stage-2")?;
    let settings = &body.featurizer.settings;
    if settings.char_min == 0
        || settings.char_min > settings.char_max
        || settings.char_window > MAX_CHAR_WINDOW
    {
        return Err(format!(
            "the model's character n-gram settings are out of range (sizes {}..{}, window {}; expected 1 <= min <= max and a window of at most {MAX_CHAR_WINDOW})",
            settings.char_min, settings.char_max, settings.char_window
        ));
    }
    let featurizer = Featurizer::new(body.featurizer.settings, body.featurizer.vocabulary)
        .with_overlap_stop_words(body.featurizer.overlap_stop_words);
    let stage1 = body
        .stage1
        .into_model(featurizer.n_features(), n_labels, "stage 1")?;
    let stage2 =
        body.stage2
            .into_model(context::n_context_features(n_labels), n_labels, "stage 2")?;
    let classifier = Classifier::new(
        body.labels,
        featurizer,
        stage1,
        stage2,
        body.keep,
        body.thresholds,
    )
    .map_err(|e| e.to_string())?;
    Ok(Model {
        classifier,
        summary: body.training_data,
        report: body.report,
        params: body.training_params,
    })
}

/// Checks that the model's feature names are this chaff's, in the same order.
fn same_features(names: &[String], current: &[String], what: &str) -> Result<(), String> {
    if names == current {
        return Ok(());
    }
    let differs = names.iter().zip(current).find(|(a, b)| a != b).map_or_else(
        || {
            format!(
                "{} features where this chaff has {}",
                names.len(),
                current.len()
            )
        },
        |(a, b)| format!("feature {a:?} where this chaff has {b:?}"),
    );
    Err(format!(
        "the model's {what} features differ from this chaff's ({differs}); retrain with this chaff-train or use the chaff that wrote it"
    ))
}

fn split_line(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = bytes.iter().position(|b| *b == b'\n')?;
    Some((&bytes[..i], &bytes[i + 1..]))
}

fn not_a_model(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        "the model file is empty".into()
    } else {
        format!("not a chaff model file (it should start with `{MAGIC} {FORMAT_VERSION}`)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_model_loads() {
        let bytes = crate::DEFAULT_MODEL;
        let m = from_bytes(bytes).unwrap();
        assert_eq!(
            m.classifier.labels(),
            ["ad", "boilerplate", "news", "related"]
        );
        assert!(m.report.overall.macro_f1 > 0.0);
    }

    /// The built-in model's JSON body.
    fn default_body() -> serde_json::Value {
        let bytes = crate::DEFAULT_MODEL;
        let json = bytes.splitn(3, |&b| b == b'\n').nth(2).unwrap();
        serde_json::from_slice(json).unwrap()
    }

    /// A model written before a dense feature existed loads with a zero weight for it (so it
    /// scores as it was trained), the others in place.
    #[test]
    fn a_context_feature_this_chaff_does_not_compute_is_an_error() {
        let mut body = default_body();
        body["stage2"]["features"][0] = "self_in_furlongs:news".into();
        let err = from_bytes(&framed(&serde_json::to_vec(&body).unwrap())).unwrap_err();
        assert!(
            err.contains("stage-2") && err.contains("\"self_in_furlongs:news\""),
            "{err}"
        );
    }

    #[test]
    fn a_dense_feature_this_chaff_does_not_compute_is_an_error() {
        let mut body = default_body();
        body["featurizer"]["dense_features"][0] = "len_in_furlongs".into();
        let err = from_bytes(&framed(&serde_json::to_vec(&body).unwrap())).unwrap_err();
        assert!(err.contains("\"len_in_furlongs\""), "{err}");
    }

    #[test]
    fn endless_and_oversized_model_files_are_refused_before_reading_them() {
        let e = load(Path::new("/dev/zero")).unwrap_err();
        assert!(
            matches!(e, Error::BadModel { ref problem, .. } if problem.starts_with("not a chaff model file")),
            "{e}"
        );
        let dir = tempfile::tempdir().unwrap();
        let huge = dir.path().join("huge.chaff");
        let f = std::fs::File::create(&huge).unwrap();
        f.set_len(MAX_MODEL_BYTES + 1).unwrap();
        let e = load(&huge).unwrap_err();
        assert!(matches!(e, Error::ModelTooLarge { .. }), "{e}");
    }
}
