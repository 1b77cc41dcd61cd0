//! Model files: round trips, and every kind of bad model file.

use crate::util::{bin, parse_jsonl, seed, small_model, stderr, TestDir};

#[test]
fn a_saved_model_labels_exactly_as_before_saving_and_reloading() {
    let dir = TestDir::new();
    let model = small_model(&dir, 12);
    // Round trip through the library: load, save the same bytes, load again.
    let bytes = std::fs::read(&model).unwrap();
    let loaded = chaff::model_file::from_bytes(&bytes).unwrap();
    let (article, _) = seed();
    let text = std::fs::read_to_string(article).unwrap();
    let (paragraphs, _) = chaff::split::split(&text);
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    let p1 = loaded.classifier.probabilities(&refs);
    let again = chaff::model_file::to_bytes(&loaded);
    assert_eq!(
        again, bytes,
        "re-serializing a loaded model gives the same bytes"
    );
    let p2 = chaff::model_file::from_bytes(&again)
        .unwrap()
        .classifier
        .probabilities(&refs);
    assert_eq!(p1, p2);
    // And through the binary: probabilities printed match the library's (to 6 decimals).
    let out = bin("chaff-label")
        .arg("--model")
        .arg(&model)
        .arg(seed().0)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let records = parse_jsonl(&out.stdout);
    assert_eq!(records.len(), p1.len());
    let labels = loaded.classifier.labels();
    for (r, p) in records.iter().zip(&p1) {
        for (l, x) in labels.iter().zip(p) {
            let printed = r["probs"][l].as_f64().unwrap();
            assert!((printed - f64::from(*x)).abs() < 1e-6, "{printed} vs {x}");
        }
    }
}

fn label_with_model(bytes: &[u8]) -> (bool, String) {
    let dir = TestDir::new();
    let model = dir.write("bad.chaff", bytes);
    let out = bin("chaff-label")
        .arg("--model")
        .arg(&model)
        .arg(seed().0)
        .output()
        .unwrap();
    (out.status.success(), stderr(&out))
}

fn assert_bad_model(bytes: &[u8], needle: &str) {
    let (ok, err) = label_with_model(bytes);
    assert!(!ok);
    assert!(err.contains("bad.chaff"), "names the file: {err}");
    assert!(err.contains(needle), "expected {needle:?} in {err:?}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn truncated_model() {
    let dir = TestDir::new();
    let bytes = std::fs::read(small_model(&dir, 8)).unwrap();
    assert_bad_model(&bytes[..bytes.len() / 2], "checksum mismatch");
    assert_bad_model(&bytes[..20], "truncated");
}

#[test]
fn corrupt_model() {
    let dir = TestDir::new();
    let mut bytes = std::fs::read(small_model(&dir, 8)).unwrap();
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
    let dir = TestDir::new();
    let bytes = std::fs::read(small_model(&dir, 8)).unwrap();
    let current = format!("chaff-model {}\n", chaff::model_file::FORMAT_VERSION);
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with(&current), "{}", &text[..40]);
    let text = text.replacen(&current, "chaff-model 7\n", 1);
    assert_bad_model(text.as_bytes(), "model format version 7, but this chaff");
    // A model of the previous format, which had no compatibility promise, is refused too.
    let text = text.replacen("chaff-model 7\n", "chaff-model 1\n", 1);
    assert_bad_model(text.as_bytes(), "model format version 1, but this chaff");
}

#[test]
fn keep_label_the_model_does_not_have() {
    let out = bin("chaff-label")
        .args(["--keep", "sports"])
        .arg(seed().0)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("\"sports\" is not one of the model's labels (ad, news, related)"),
        "{err}"
    );
}
