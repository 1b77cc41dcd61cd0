//! Model files: round trips, and every kind of bad model file.

use std::ffi::OsStr;

use crate::util::{assert_fails, bin, label, seed, small_model, TestDir};

/// A loaded model saves to the bytes it was loaded from, and chaff-label prints the
/// probabilities the library computes with it.
#[test]
fn a_loaded_model_saves_to_the_same_bytes_and_labels_as_the_library() {
    let model = &small_model().model;
    let bytes = std::fs::read(model).unwrap();
    let loaded = chaff::model_file::from_bytes(&bytes).unwrap();
    assert_eq!(
        chaff::model_file::to_bytes(&loaded),
        bytes,
        "re-serializing a loaded model gives the same bytes"
    );
    let (article, _) = seed();
    let text = std::fs::read_to_string(&article).unwrap();
    let (paragraphs, _) = chaff::split::split(&text);
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    let probabilities = loaded.classifier.probabilities(&refs);
    // The binary prints them to 6 decimals.
    let records = label([
        OsStr::new("--model"),
        model.as_os_str(),
        article.as_os_str(),
    ]);
    assert_eq!(records.len(), probabilities.len());
    let labels = loaded.classifier.labels();
    for (r, p) in records.iter().zip(&probabilities) {
        for (l, x) in labels.iter().zip(p) {
            let printed = r["probs"][l].as_f64().unwrap();
            assert!((printed - f64::from(*x)).abs() < 1e-6, "{printed} vs {x}");
        }
    }
}

/// Labelling the seed article with a model file holding `bytes` fails, naming the file and the
/// problem.
fn assert_bad_model(bytes: &[u8], needle: &str) {
    let dir = TestDir::new();
    let model = dir.write("bad.chaff", bytes);
    let err = assert_fails(
        bin("chaff-label").arg("--model").arg(&model).arg(seed().0),
        1,
        needle,
    );
    assert!(err.contains("bad.chaff"), "names the file: {err}");
}

fn small_model_bytes() -> Vec<u8> {
    std::fs::read(&small_model().model).unwrap()
}

#[test]
fn truncated_model() {
    let bytes = small_model_bytes();
    assert_bad_model(&bytes[..bytes.len() / 2], "checksum mismatch");
    assert_bad_model(&bytes[..20], "truncated");
}

#[test]
fn corrupt_model() {
    let mut bytes = small_model_bytes();
    let i = bytes.len() - 100;
    bytes[i] = if bytes[i] == b'1' { b'2' } else { b'1' };
    assert_bad_model(&bytes, "checksum mismatch");
}

#[test]
fn random_bytes_and_empty_model() {
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert_bad_model(&noise, "not a chaff model file");
    assert_bad_model(b"", "the model file is empty");
}

#[test]
fn another_format_version() {
    let current = format!(
        "chaff-model {}
",
        chaff::model_file::FORMAT_VERSION
    );
    let text = String::from_utf8(small_model_bytes()).unwrap();
    assert!(text.starts_with(&current), "{}", &text[..40]);
    let text = text.replacen(
        &current,
        "chaff-model 7
",
        1,
    );
    assert_bad_model(text.as_bytes(), "model format version 7, but this chaff");
    // A model of the previous format, which had no compatibility promise, is refused too.
    let text = text.replacen("chaff-model 7\n", "chaff-model 1\n", 1);
    assert_bad_model(text.as_bytes(), "model format version 1, but this chaff");
}

#[test]
fn keep_label_the_model_does_not_have() {
    assert_fails(
        bin("chaff-label").args(["--keep", "sports"]).arg(seed().0),
        1,
        "\"sports\" is not one of the model's labels (ad, boilerplate, news, related)",
    );
}
