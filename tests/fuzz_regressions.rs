//! Replays the fuzzers' kept inputs (`fuzz/regressions/<target>/`: small seeds, and every input
//! a fuzzer ever crashed on) through the same checks the fuzz targets run
//! (`fuzz/src/lib.rs`), so CI tests them without fuzzing. See `fuzz/README.md`.

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::path::{Path, PathBuf};

/// The inputs kept for `target`, sorted.
fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable folder entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
}

/// Runs `check` on every input of `target`, naming the input that fails.
fn replay(target: &str, check: fn(&[u8])) {
    for path in inputs(target) {
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Err(panic) = std::panic::catch_unwind(|| check(&data)) {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            panic!("fuzz regression {} fails: {message}", path.display());
        }
    }
}

fn shipped_model() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/default.chaff");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn split() {
    replay("split", checks::split);
}

#[test]
fn html() {
    replay("html", checks::html);
}

#[test]
fn jsonl() {
    replay("jsonl", checks::jsonl);
}

#[test]
fn model() {
    replay("model", checks::model);
    checks::model(&shipped_model());
}

#[test]
fn model_body() {
    replay("model_body", checks::model_body);
    // The shipped model's body, given its header back, is the model again.
    let model = shipped_model();
    let body = model.splitn(3, |b| *b == b'\n').nth(2).expect("a body");
    let body = body.strip_suffix(b"\n").unwrap_or(body);
    assert_eq!(checks::with_header(body), model);
    checks::model_body(body);
}

#[test]
fn csv() {
    replay("csv", checks::csv);
}

#[test]
fn cli_args() {
    replay("cli_args", checks::cli_args);
}

/// A model whose character window is `usize::MAX` overflowed the featurizer's window arithmetic
/// (a panic with overflow checks, silently other features without): the loader refuses it.
/// `cargo test --release` has no overflow checks, so the replay above cannot tell; this can.
#[test]
fn model_with_absurd_char_window_is_refused() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions/model_body/crash-char-window-overflow.json");
    let body = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let problem = chaff::model_file::from_bytes(&checks::with_header(&body))
        .expect_err("the model is refused");
    assert!(problem.contains("character n-gram settings"), "{problem}");
}
