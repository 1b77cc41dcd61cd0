//! Shared helpers: a temporary folder with files, the binaries, and small CSVs cut from the
//! shipped training data.

use std::path::PathBuf;

use assert_cmd::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary folder that is deleted when dropped.
pub struct TestDir {
    pub dir: tempfile::TempDir,
}

impl TestDir {
    pub fn new() -> TestDir {
        TestDir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `bytes` to `name` (creating folders) and returns its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

/// `chaff-train` or `chaff-label`.
pub fn bin(name: &str) -> Command {
    let mut c = Command::cargo_bin(name).expect("binary built");
    c.current_dir(root());
    c
}

/// The first `n_articles` articles of `data/train.csv` from each source, as a CSV text (with
/// header): a small but real training set.
pub fn small_csv(n_articles: usize) -> String {
    let mut reader = csv::Reader::from_path(root().join("data/train.csv")).expect("data/train.csv");
    let headers = reader.headers().unwrap().clone();
    let id_col = headers.iter().position(|h| h == "article_id").unwrap();
    let source_col = headers.iter().position(|h| h == "source").unwrap();
    let mut per_source: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&headers).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        let ids = per_source.entry(record[source_col].to_owned()).or_default();
        if ids.contains(&record[id_col]) || ids.len() < n_articles {
            ids.insert(record[id_col].to_owned());
            out.write_record(&record).unwrap();
        }
    }
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

/// Trains a small model into `dir` and returns its path.
pub fn small_model(dir: &TestDir, n_articles: usize) -> PathBuf {
    let data = dir.write("small.csv", small_csv(n_articles));
    let model = dir.path("small.chaff");
    bin("chaff-train")
        .args([
            "--folds",
            "2",
            "--max-iterations",
            "20",
            "--vocab-size",
            "300",
            "--data",
        ])
        .arg(&data)
        .arg("--out")
        .arg(&model)
        .assert()
        .success();
    model
}

/// The seed article and its labels, from tests/data/seed.
pub fn seed() -> (PathBuf, Vec<String>) {
    let dir = root().join("tests/data/seed");
    let mut reader = csv::Reader::from_path(dir.join("labels.csv")).unwrap();
    let labels = reader.records().map(|r| r.unwrap()[3].to_owned()).collect();
    (dir.join("article.txt"), labels)
}

/// Parses chaff-label's JSONL label output.
pub fn parse_jsonl(out: &[u8]) -> Vec<serde_json::Value> {
    std::str::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Standard error of a finished command, as text.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
