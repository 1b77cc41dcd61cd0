//! Shared helpers: a temporary folder with files, the binaries, small CSVs cut from the shipped
//! training data, one small model trained once per test binary, and the ways the tests run the
//! binaries (must succeed: its output, its records, its report; must fail: its message).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use assert_cmd::Command;
use serde_json::Value;

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

/// `chaff-train` or `chaff-label`, run from the repository root.
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

/// Settings that train a model of the three labels from a small CSV in well under a second.
pub const QUICK: [&str; 4] = ["--max-iterations", "15", "--vocab-size", "200"];

/// What one successful `chaff-train` run left: the model file, the printed report and the
/// `--report-json` one.
pub struct Trained {
    pub data: PathBuf,
    pub model: PathBuf,
    pub stdout: String,
    pub report: Value,
}

/// Trains `dir/m.chaff` on `data` with the [`QUICK`] settings and `flags`; the run must succeed.
pub fn train_quick(dir: &Path, data: &Path, flags: &[&str]) -> Trained {
    let model = dir.join("m.chaff");
    let mut train = bin("chaff-train");
    train
        .args(QUICK)
        .args(flags)
        .arg("--data")
        .arg(data)
        .arg("--out")
        .arg(&model);
    let (stdout, report) = with_report(&mut train, &dir.join("report.json"));
    Trained {
        data: data.to_owned(),
        model,
        stdout,
        report,
    }
}

/// The small model every test that needs "some trained model" shares: trained once per test
/// binary (on the first 8 articles of each source, two folds, [`QUICK`] settings), into
/// `small-model/` of Cargo's folder for integration tests' files. A run retrains it, so it is
/// never a stale model; two runs at once write the same bytes, each file whole.
pub fn small_model() -> &'static Trained {
    static MODEL: OnceLock<Trained> = OnceLock::new();
    MODEL.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("small-model");
        std::fs::create_dir_all(&dir).unwrap();
        let mut data = tempfile::NamedTempFile::new_in(&dir).unwrap();
        std::io::Write::write_all(&mut data, small_csv(8).as_bytes()).unwrap();
        let data_path = dir.join("small.csv");
        data.persist(&data_path).unwrap();
        train_quick(&dir, &data_path, &["--folds", "2"])
    })
}

/// Runs `command` with `--report-json report`; it must succeed. Its standard output and the
/// report.
pub fn with_report(command: &mut Command, report: &Path) -> (String, Value) {
    let stdout = stdout_of(command.arg("--report-json").arg(report));
    let report = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    (stdout, report)
}

/// Runs `command`, which must succeed (else its standard error is shown); its standard output.
pub fn stdout_of(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(out.status.success(), "{command:?}: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `chaff-label` with `args`, which must succeed; its JSONL records.
pub fn label<I, S>(args: I) -> Vec<Value>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    parse_jsonl(stdout_of(bin("chaff-label").args(args)).as_bytes())
}

/// The `label` of each of chaff-label's records.
pub fn labels(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["label"].as_str().unwrap().to_owned())
        .collect()
}

/// What `chaff-label --model model --info` prints, with `extra` flags.
pub fn info(model: &Path, extra: &[&str]) -> String {
    stdout_of(
        bin("chaff-label")
            .arg("--model")
            .arg(model)
            .arg("--info")
            .args(extra),
    )
}

/// Runs `command`, which must exit with `code` and a message containing `needle`, without a
/// panic; the message.
pub fn assert_fails(command: &mut Command, code: i32, needle: &str) -> String {
    let out = command.output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{command:?}: {err}");
    assert!(err.contains(needle), "expected {needle:?} in {err:?}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// The seed article and its labels, from tests/data/seed.
pub fn seed() -> (PathBuf, Vec<String>) {
    let dir = root().join("tests/data/seed");
    let mut reader = csv::Reader::from_path(dir.join("labels.csv")).unwrap();
    let labels = reader.records().map(|r| r.unwrap()[3].to_owned()).collect();
    (dir.join("article.txt"), labels)
}

/// Parses chaff-label's JSONL label output.
pub fn parse_jsonl(out: &[u8]) -> Vec<Value> {
    std::str::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Standard error of a finished command, as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
