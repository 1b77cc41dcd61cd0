//! The slow checks: rebuilding from `data/raw` gives the committed corpus byte for byte, and
//! another seed draws another corpus of the same sources. Each builds the whole corpus into a
//! temporary folder (a few seconds in release). And the committed corpus against its inputs:
//! the real pages' rows are the pages as labelled, every `woven` row is a real line verbatim.
//!
//! ```text
//! cargo test --release -p build-data
//! ```

use build_data::{build, pools, repo_root, sources, SEED};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// One row of a corpus CSV.
#[derive(Debug, Clone)]
struct Row {
    article: String,
    position: usize,
    text: String,
    label: String,
    source: String,
    origin: String,
}

fn read_rows(path: &Path) -> Vec<Row> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(header, build_data::rows::HEADER, "{}", path.display());
    r.records()
        .map(|rec| {
            let rec = rec.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            Row {
                article: rec[0].to_string(),
                position: rec[1].parse().expect("position"),
                text: rec[2].to_string(),
                label: rec[3].to_string(),
                source: rec[4].to_string(),
                origin: rec[7].to_string(),
            }
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
    let per_source = |rows: &[Row]| -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for r in rows {
            if r.position == 0 {
                *m.entry(r.source.clone()).or_default() += 1;
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
    let inserts = |rows: &[Row]| -> BTreeSet<String> {
        rows.iter()
            .filter(|r| r.label == "related" && r.origin != "real")
            .map(|r| r.text.clone())
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

/// A page of `raw/pages/*/pages.jsonl`.
#[derive(serde::Deserialize)]
struct Page {
    page_id: String,
    lang: Option<String>,
    paragraphs: Vec<String>,
}

/// Every real page of the corpus (train and samples) is its page of `raw/pages` with its pass-a
/// labels, every row `real`, in order; and every English or Spanish page with a pass-a label file
/// is in the corpus once.
#[test]
fn page_rows_are_the_pages_as_labelled() {
    let data = repo_root().join("data");
    let raw = data.join("raw/pages");
    let mut by_article: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for r in read_rows(&data.join("train.csv"))
        .into_iter()
        .chain(read_rows(&data.join("articles-labels.csv")))
    {
        if r.source == "pages" {
            by_article.entry(r.article.clone()).or_default().push(r);
        }
    }
    let mut expected = 0;
    for entry in fs::read_dir(&raw).expect("raw/pages") {
        let jsonl = entry.expect("entry").path().join("pages.jsonl");
        let Ok(text) = fs::read_to_string(&jsonl) else {
            continue;
        };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let p: Page = serde_json::from_str(line).expect("page");
            let lang = p.lang.unwrap_or_default();
            let (coll, short) = p.page_id.split_once('/').expect("page_id");
            let tsv = raw.join("labels/a").join(coll).join(format!("{short}.tsv"));
            if !["en", "es"].contains(&lang.as_str()) || !tsv.is_file() {
                continue;
            }
            expected += 1;
            let id = format!("pages-{lang}-{coll}-{short}");
            let rows = by_article
                .remove(&id)
                .unwrap_or_else(|| panic!("{id} is neither in train.csv nor a sample"));
            let labels: Vec<String> = fs::read_to_string(&tsv)
                .expect("labels")
                .lines()
                .map(|l| l.split('\t').nth(1).expect("label").to_string())
                .collect();
            assert_eq!(rows.len(), p.paragraphs.len(), "{id}");
            for (i, r) in rows.iter().enumerate() {
                assert_eq!(r.position, i, "{id}");
                assert_eq!(r.text, p.paragraphs[i], "{id} row {i}");
                assert_eq!(r.label, labels[i], "{id} row {i}");
                assert_eq!(r.origin, "real", "{id} row {i}");
            }
        }
    }
    assert!(expected >= 500, "{expected} labelled pages");
    assert!(
        by_article.is_empty(),
        "pages rows of no labelled page: {:?}",
        by_article.keys().take(3).collect::<Vec<_>>()
    );
}

/// Origin is tracked honestly: a `woven` row is, verbatim, a real line of the inputs (a line of
/// the junk dumps, a clickbait or NYT headline, a corpus article's headline), never `news`; no
/// boilerplate is made from a template.
#[test]
fn woven_rows_are_real_lines_verbatim() {
    let data = repo_root().join("data");
    let raw = data.join("raw");
    let raw_pools = pools::load_raw(&raw).expect("raw pools");
    let mut lines = raw_pools.real_lines();
    let pat = sources::Patterns::new();
    let (all, _) = sources::load_all(&raw, &pat, &mut BTreeMap::new()).expect("sources");
    for a in all.iter().filter(|a| !a.is_page()) {
        lines.insert(a.headline());
    }
    let rows = read_rows(&data.join("train.csv"));
    let mut woven = 0;
    for r in &rows {
        assert!(
            ["real", "woven", "generated"].contains(&r.origin.as_str()),
            "{r:?}"
        );
        if r.origin == "woven" {
            woven += 1;
            assert!(
                lines.contains(r.text.as_str()),
                "woven but not a real line: {r:?}"
            );
            assert_ne!(r.label, "news", "{r:?}");
        }
        if r.origin == "generated" && r.label == "boilerplate" {
            panic!("boilerplate is only woven from real lines: {r:?}");
        }
    }
    assert!(woven >= 5_000, "{woven} woven rows");
}
