//! Slow reproducibility checks, kept out of the default `cargo test`: each is `#[ignore]`d and
//! run on purpose (CI runs them after the fast tests) with
//!
//! ```sh
//! cargo test --release --test reproduce -- --ignored
//! ```

#[allow(dead_code)] // this binary needs only a few of the shared helpers
mod util;

use util::{bin, root, stderr, TestDir};

/// The committed default model must be exactly what the current code and data produce, with
/// the command the README gives.
#[test]
#[ignore = "retrains the full default model (about 70 s on 2 cores); run with `--ignored`"]
fn default_model_is_what_the_code_and_data_produce() {
    let dir = TestDir::new();
    let out = dir.path("default.chaff");
    let run = bin("chaff-train")
        .args(["--data", "data/train.csv", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let fresh = std::fs::read(&out).unwrap();
    let committed = std::fs::read(root().join("models/default.chaff")).unwrap();
    assert!(
        fresh == committed,
        "models/default.chaff is stale: rebuild it with \
         `cargo run --release --bin chaff-train -- --data data/train.csv --out models/default.chaff`"
    );
}
