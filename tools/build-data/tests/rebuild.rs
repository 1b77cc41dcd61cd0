//! The slow checks: rebuilding from `data/raw` gives the committed corpus byte for byte, and
//! another seed draws another corpus of the same sources. Each builds the whole corpus into a
//! temporary folder (a few seconds in release):
//!
//! ```text
//! cargo test --release -p build-data
//! ```

use build_data::{build, repo_root, SEED};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// `(article_id, position, text, label, source)` of each row of a corpus CSV.
fn read_rows(path: &Path) -> Vec<(String, usize, String, String, String)> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    r.records()
        .map(|rec| {
            let rec = rec.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (
                rec[0].to_string(),
                rec[1].parse().expect("position"),
                rec[2].to_string(),
                rec[3].to_string(),
                rec[4].to_string(),
            )
        })
        .collect()
}

fn file_names(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| PathBuf::from("articles").join(e.expect("entry").file_name()))
        .collect();
    v.sort();
    v
}

/// The reproducibility check: rebuilding from `data/raw` gives the committed bytes, the
/// statistics section of `data/README.md` included.
#[test]
fn rebuild_is_byte_identical() {
    let data = repo_root().join("data");
    let tmp = tempfile::TempDir::new().expect("temp dir");
    fs::copy(data.join("README.md"), tmp.path().join("README.md")).expect("data/README.md");
    let summary = build(&data.join("raw"), tmp.path(), SEED).expect("build");
    assert_eq!(summary.rows, read_rows(&data.join("train.csv")).len());
    let built = file_names(&tmp.path().join("articles"));
    assert_eq!(
        built,
        file_names(&data.join("articles")),
        "sample article file names differ"
    );
    let files = ["train.csv", "articles-labels.csv", "STATS.md", "README.md"]
        .into_iter()
        .map(PathBuf::from)
        .chain(built);
    for f in files {
        let a = fs::read(data.join(&f)).unwrap_or_else(|e| panic!("data/{}: {e}", f.display()));
        let b = fs::read(tmp.path().join(&f)).expect("rebuilt file");
        assert!(
            a == b,
            "data/{} differs from a rebuild: run `cargo run --release -p build-data`",
            f.display()
        );
    }
}

/// `--seed` draws another corpus from the same inputs: each source about as large (which
/// Reuters stories, Spanish headline donors and samples are used is drawn too), with other
/// inserts.
#[test]
fn another_seed_draws_another_corpus_of_the_same_sources() {
    let data = repo_root().join("data");
    let tmp = tempfile::TempDir::new().expect("temp dir");
    let summary = build(&data.join("raw"), tmp.path(), SEED + 1).expect("build");
    let other = read_rows(&tmp.path().join("train.csv"));
    let committed = read_rows(&data.join("train.csv"));
    assert_eq!(summary.rows, other.len());
    type Rows = [(String, usize, String, String, String)];
    let per_source = |rows: &Rows| -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for (_, position, _, _, source) in rows {
            if *position == 0 {
                *m.entry(source.clone()).or_default() += 1;
            }
        }
        m
    };
    let (a, b) = (per_source(&committed), per_source(&other));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (source, n) in &a {
        assert!(
            n.abs_diff(b[source]) * 20 <= *n,
            "{source}: {n} vs {}",
            b[source]
        );
    }
    let inserts = |rows: &Rows| -> BTreeSet<String> {
        rows.iter()
            .filter(|r| r.3 == "related")
            .map(|r| r.2.clone())
            .collect()
    };
    let (ja, jb) = (inserts(&committed), inserts(&other));
    assert!(
        ja.intersection(&jb).count() < ja.len() / 2,
        "another seed should draw mostly other inserts"
    );
    let stats = fs::read_to_string(tmp.path().join("STATS.md")).expect("STATS.md");
    assert!(stats.contains(&format!("{:#x}", SEED + 1)), "{stats}");
}
