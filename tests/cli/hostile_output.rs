//! Outputs, records and panics under hostile use: outputs onto devices, FIFOs, symlinks and
//! inputs; two inputs with one output name; a passthrough field that is taken; full disks and
//! closed pipes; leftovers of a killed run. Each test is one reproduction of the issue.

use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::util::{bin, parse_jsonl, root, seed, small_csv, stderr, TestDir};

/// Quick training settings: a model in a second or two.
const QUICK: &[&str] = &[
    "--folds",
    "2",
    "--max-iterations",
    "15",
    "--vocab-size",
    "200",
];

fn seed_text() -> String {
    std::fs::read_to_string(seed().0).unwrap()
}

/// The labelled seed article, in the training schema.
fn eval_csv(dir: &TestDir) -> PathBuf {
    let csv = std::fs::read_to_string(root().join("tests/data/seed/labels.csv")).unwrap();
    dir.write("ev.csv", csv)
}

/// Asserts a run was refused with exit status 1 and a message holding each of `needles`.
fn assert_refused(out: &Output, needles: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for needle in needles {
        assert!(err.contains(needle), "expected {needle:?} in {err:?}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

/// Asserts a run failed with exit status 1 and no panic (its standard error may be lost).
fn assert_failed_quietly(out: &Output) {
    assert_eq!(out.status.code(), Some(1), "{}", stderr(out));
    assert!(!stderr(out).contains("panicked"), "{}", stderr(out));
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A character device like /dev/null (1, 3) at `path`; `false` (with a note) when not root.
fn mknod_null(path: &Path) -> bool {
    let made = Command::new("mknod")
        .arg(path)
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("note: mknod needs root; skipping the device-node case");
    }
    made
}

fn is_fifo(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

fn is_symlink_to(path: &Path, target: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && std::fs::read_link(path).is_ok_and(|t| t == target)
}

/// `.chaff-partial-*` files anywhere under `dir`.
fn partial_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".chaff-partial-")
        })
        .map(|e| e.into_path())
        .collect()
}

fn train(dir: &TestDir, data: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("chaff-train"));
    c.current_dir(dir.dir.path())
        .args(QUICK)
        .arg("--data")
        .arg(data)
        .args(extra);
    c
}

fn label() -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("chaff-label"));
    c.current_dir(root());
    c
}

// Replacing what is not chaff's.

#[test]
fn train_out_onto_a_device_node_is_refused() {
    let dir = TestDir::new();
    let node = dir.path("n");
    if !mknod_null(&node) {
        return;
    }
    let data = dir.write("small.csv", small_csv(2));
    let out = train(&dir, &data, &["--out", "n"]).output().unwrap();
    assert_refused(&out, &["n: ", "character device", "not a regular file"]);
    let meta = std::fs::symlink_metadata(&node).unwrap();
    assert!(
        meta.file_type().is_char_device(),
        "the device node is still one"
    );
    assert_eq!(meta.rdev(), std::fs::metadata("/dev/null").unwrap().rdev());
}

#[test]
fn train_report_json_onto_a_symlink_is_refused() {
    let dir = TestDir::new();
    let target = dir.write("precious.json", "{\"mine\": true}\n");
    let link = dir.path("report.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let data = dir.write("small.csv", small_csv(2));
    let out = train(
        &dir,
        &data,
        &["--out", "m.chaff", "--report-json", "report.json"],
    )
    .output()
    .unwrap();
    assert_refused(
        &out,
        &["report.json", "symbolic link", "not a regular file"],
    );
    assert!(is_symlink_to(&link, &target), "the symlink is still there");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "{\"mine\": true}\n"
    );
    assert!(
        !dir.path("m.chaff").exists(),
        "checked before training, nothing written"
    );
}

#[test]
fn eval_review_onto_a_fifo_is_refused() {
    let dir = TestDir::new();
    let ev = eval_csv(&dir);
    let fifo = dir.path("review.csv");
    mkfifo(&fifo);
    let out = label()
        .arg("--eval")
        .arg(&ev)
        .arg("--review")
        .arg(&fifo)
        .output()
        .unwrap();
    assert_refused(&out, &["review.csv", "FIFO", "not a regular file"]);
    assert!(is_fifo(&fifo), "the FIFO is still one");
}

#[test]
fn eval_review_onto_a_symlink_is_refused() {
    let dir = TestDir::new();
    let ev = eval_csv(&dir);
    let target = dir.write("notes.csv", "mine\n");
    let link = dir.path("review.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = label()
        .arg("--eval")
        .arg(&ev)
        .arg("--review")
        .arg(&link)
        .output()
        .unwrap();
    assert_refused(&out, &["review.csv", "symbolic link", "not a regular file"]);
    assert!(is_symlink_to(&link, &target));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine\n");
}

#[test]
fn out_file_that_is_a_fifo_or_symlink_is_refused_before_any_write() {
    let dir = TestDir::new();
    dir.write("in/a.txt", seed_text());
    dir.write("in/b.txt", seed_text());
    let target = dir.write("precious.txt", "mine\n");
    // a.txt's output would be replaced by a symlink, b.txt's by a FIFO.
    std::fs::create_dir_all(dir.path("out")).unwrap();
    std::os::unix::fs::symlink(&target, dir.path("out/a.txt.labels.jsonl")).unwrap();
    mkfifo(&dir.path("out/b.txt.labels.jsonl"));
    let out = label()
        .arg("--out")
        .arg(dir.path("out"))
        .arg(dir.path("in"))
        .output()
        .unwrap();
    assert_refused(&out, &["a.txt.labels.jsonl", "not a regular file"]);
    assert!(is_symlink_to(&dir.path("out/a.txt.labels.jsonl"), &target));
    assert!(is_fifo(&dir.path("out/b.txt.labels.jsonl")));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine\n");
    assert!(partial_files(&dir.path("out")).is_empty());
}

// Inputs overwritten.

#[test]
fn train_out_onto_its_training_csv_is_refused() {
    let dir = TestDir::new();
    let csv = small_csv(2);
    let data = dir.write("x.csv", &csv);
    let out = train(&dir, &data, &["--out", "x.csv"]).output().unwrap();
    assert_refused(&out, &["x.csv", "would overwrite this input"]);
    assert_eq!(std::fs::read_to_string(&data).unwrap(), csv);
}

#[test]
fn train_report_json_onto_its_training_csv_is_refused() {
    let dir = TestDir::new();
    let csv = small_csv(2);
    let data = dir.write("x.csv", &csv);
    let out = train(&dir, &data, &["--out", "m.chaff", "--report-json", "x.csv"])
        .output()
        .unwrap();
    assert_refused(&out, &["x.csv", "would overwrite this input"]);
    assert_eq!(std::fs::read_to_string(&data).unwrap(), csv);
    assert!(!dir.path("m.chaff").exists());
}

#[test]
fn train_out_onto_the_file_an_input_links_to_is_refused() {
    let dir = TestDir::new();
    let csv = small_csv(2);
    let real = dir.write("real.csv", &csv);
    std::os::unix::fs::symlink(&real, dir.path("link.csv")).unwrap();
    let out = train(&dir, &dir.path("link.csv"), &["--out", "real.csv"])
        .output()
        .unwrap();
    assert_refused(
        &out,
        &["real.csv", "would overwrite this input", "link.csv"],
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), csv);
}

#[test]
fn eval_review_onto_the_evaluated_csv_is_refused() {
    let dir = TestDir::new();
    let ev = eval_csv(&dir);
    let before = std::fs::read(&ev).unwrap();
    let out = label()
        .arg("--eval")
        .arg(&ev)
        .arg("--review")
        .arg(&ev)
        .output()
        .unwrap();
    assert_refused(&out, &["ev.csv", "would overwrite this input"]);
    assert_eq!(std::fs::read(&ev).unwrap(), before);
}

#[test]
fn eval_report_json_onto_the_evaluated_csv_is_refused() {
    let dir = TestDir::new();
    let ev = eval_csv(&dir);
    let before = std::fs::read(&ev).unwrap();
    let out = label()
        .arg("--eval")
        .arg(&ev)
        .arg("--report-json")
        .arg(&ev)
        .output()
        .unwrap();
    assert_refused(&out, &["ev.csv", "would overwrite this input"]);
    assert_eq!(std::fs::read(&ev).unwrap(), before);
    assert!(
        out.stdout.is_empty(),
        "checked before the report is printed"
    );
}

#[test]
fn out_equal_to_the_input_folder_never_overwrites_a_file_named_like_an_output() {
    let dir = TestDir::new();
    let record = serde_json::json!({"id": 1, "text": seed_text()}).to_string() + "\n";
    dir.write("same/a.jsonl", &record);
    let mine = dir.write("same/a.jsonl.labels.jsonl", "{\"mine\": true}\n");
    let out = label()
        .arg("--out")
        .arg(dir.path("same"))
        .arg(dir.path("same"))
        .output()
        .unwrap();
    assert_refused(
        &out,
        &["a.jsonl.labels.jsonl", "would overwrite this input"],
    );
    assert_eq!(std::fs::read_to_string(mine).unwrap(), "{\"mine\": true}\n");
    let names: Vec<_> = std::fs::read_dir(dir.path("same")).unwrap().collect();
    assert_eq!(names.len(), 2, "nothing written: {names:?}");
}

// Losing records.

#[test]
fn two_inputs_with_one_output_name_are_refused() {
    let dir = TestDir::new();
    dir.write("in1/a.txt", seed_text());
    dir.write(
        "in2/a.txt",
        "Another article entirely.\n\nWith two paragraphs.\n",
    );
    let out = label()
        .arg("--out")
        .arg(dir.path("o"))
        .arg(dir.path("in1"))
        .arg(dir.path("in2"))
        .output()
        .unwrap();
    assert_refused(
        &out,
        &["a.txt.labels.jsonl", "in1/a.txt", "in2/a.txt", "would both"],
    );
    assert!(!dir.path("o").exists(), "nothing written");
}

#[test]
fn a_compressed_twin_is_refused() {
    let dir = TestDir::new();
    dir.write("in/s.txt", seed_text());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, b"Another article.\n\nTwo paragraphs.\n").unwrap();
    dir.write("in/s.txt.gz", gz.finish().unwrap());
    let out = label()
        .args(["--output", "clean", "--out"])
        .arg(dir.path("o"))
        .arg(dir.path("in"))
        .output()
        .unwrap();
    assert_refused(&out, &["s.txt", "s.txt.gz", "would both"]);
    assert!(!dir.path("o").exists(), "nothing written");
    // And --resume, which skips finished outputs, has nothing to call done.
    let resumed = label()
        .args(["--output", "clean", "--resume", "--out"])
        .arg(dir.path("o"))
        .arg(dir.path("in"))
        .output()
        .unwrap();
    assert_refused(&resumed, &["would both"]);
}

#[test]
fn names_differing_only_in_invalid_utf8_get_their_own_outputs() {
    use std::os::unix::ffi::OsStrExt;
    let dir = TestDir::new();
    let name =
        |byte: u8| std::ffi::OsStr::from_bytes(&[b'a', byte, b'.', b't', b'x', b't']).to_owned();
    std::fs::create_dir_all(dir.path("in")).unwrap();
    std::fs::write(dir.path("in").join(name(0xff)), seed_text()).unwrap();
    std::fs::write(
        dir.path("in").join(name(0xfe)),
        "One other article.\n\nTwo lines.\n",
    )
    .unwrap();
    let out = label()
        .args(["--output", "clean", "--out"])
        .arg(dir.path("o"))
        .arg(dir.path("in"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for byte in [0xff, 0xfe] {
        let path = dir.path("o").join(name(byte));
        assert!(path.exists(), "{} was written", path.display());
    }
    let b = std::fs::read_to_string(dir.path("o").join(name(0xfe))).unwrap();
    assert!(b.contains("One other article."), "{b}");
}

#[test]
fn stdin_and_a_file_named_stdin_txt_are_refused() {
    let dir = TestDir::new();
    let file = dir.write("stdin.txt", seed_text());
    let out = label()
        .args(["--output", "clean", "--out"])
        .arg(dir.path("o"))
        .arg("-")
        .arg(&file)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_refused(&out, &["stdin.txt", "would both"]);
    assert!(!dir.path("o").exists(), "nothing written");
}

#[test]
fn standard_input_redirected_from_its_own_output_is_refused() {
    let dir = TestDir::new();
    let file = dir.write("d/stdin.txt", seed_text());
    let out = label()
        .args(["--output", "clean", "--out"])
        .arg(dir.path("d"))
        .arg("-")
        .stdin(std::fs::File::open(&file).unwrap())
        .output()
        .unwrap();
    assert_refused(
        &out,
        &["stdin.txt", "would overwrite this input", "standard input"],
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), seed_text());
}

#[test]
fn a_record_with_a_chaff_field_is_refused() {
    let dir = TestDir::new();
    let good = serde_json::json!({"id": "g", "text": seed_text()}).to_string();
    let taken = serde_json::json!({"id": "t", "text": seed_text(), "chaff": "my own data"});
    let input = dir.write("in.jsonl", format!("{good}\n{taken}\n"));
    let out = label()
        .args(["--output", "jsonl"])
        .arg(&input)
        .output()
        .unwrap();
    assert_refused(
        &out,
        &[
            "in.jsonl",
            "record 2",
            "already has a `chaff` field",
            "--chaff-field",
        ],
    );
    // Named otherwise, the record's own field passes through untouched.
    let out = label()
        .args(["--output", "jsonl", "--chaff-field", "labels"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let records = parse_jsonl(&out.stdout);
    assert_eq!(records[1]["chaff"], "my own data");
    assert!(records[1]["labels"]["removed"].is_array());
}

#[test]
fn relabelling_chaffs_own_output_keeps_the_first_pass_removed_paragraphs() {
    let dir = TestDir::new();
    let input = dir.write(
        "in.jsonl",
        serde_json::json!({"id": 1, "text": seed_text()}).to_string() + "\n",
    );
    let first = label()
        .args(["--output", "jsonl"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    let removed_first = parse_jsonl(&first.stdout)[0]["chaff"]["removed"].clone();
    assert!(!removed_first.as_array().unwrap().is_empty());
    let once = dir.write("once.jsonl", &first.stdout);
    // Relabelling under the same field would lose the first pass's removed paragraphs: refused.
    let again = label()
        .args(["--output", "jsonl"])
        .arg(&once)
        .output()
        .unwrap();
    assert_refused(&again, &["once.jsonl", "already has a `chaff` field"]);
    assert!(again.stdout.is_empty());
    // Under another field, both passes are kept.
    let again = label()
        .args(["--output", "jsonl", "--chaff-field", "chaff2"])
        .arg(&once)
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", stderr(&again));
    let r = &parse_jsonl(&again.stdout)[0];
    assert_eq!(r["chaff"]["removed"], removed_first);
    assert!(r["chaff2"]["paragraphs"].is_array());
}

#[test]
fn text_field_equal_to_the_chaff_field_is_refused() {
    let dir = TestDir::new();
    let input = dir.write(
        "in.jsonl",
        serde_json::json!({"id": 1, "chaff": seed_text()}).to_string() + "\n",
    );
    let out = label()
        .args(["--output", "jsonl", "--text-field", "chaff"])
        .arg(&input)
        .output()
        .unwrap();
    assert_refused(&out, &["`chaff`", "text field", "--chaff-field"]);
    assert!(out.stdout.is_empty());
}

#[test]
fn out_inside_the_input_folder_is_not_read_back() {
    let dir = TestDir::new();
    dir.write("in/a.txt", seed_text());
    dir.write("in/b.txt", seed_text());
    let run = |extra: &[&str]| {
        label()
            .args(extra)
            .arg("--out")
            .arg(dir.path("in/cleaned"))
            .arg(dir.path("in"))
            .output()
            .unwrap()
    };
    let first = run(&[]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stderr(&first).contains("2 articles"), "{}", stderr(&first));
    let again = run(&["--resume"]);
    assert!(again.status.success(), "{}", stderr(&again));
    let msg = stderr(&again);
    assert!(
        msg.contains("0 articles") && msg.contains("2 inputs already done"),
        "{msg}"
    );
    assert!(
        !dir.path("in/cleaned/cleaned").exists(),
        "outputs were read back"
    );
}

#[test]
fn out_equal_to_the_input_folder_is_refused() {
    let dir = TestDir::new();
    dir.write("in/a.txt", seed_text());
    let out = label()
        .arg("--out")
        .arg(dir.path("in"))
        .arg(dir.path("in"))
        .output()
        .unwrap();
    assert_refused(&out, &["a.txt.labels.jsonl", "inside", "input folder"]);
    let names: Vec<_> = std::fs::read_dir(dir.path("in")).unwrap().collect();
    assert_eq!(names.len(), 1, "nothing written: {names:?}");
}

// Panics and leftovers.

fn dev_full() -> std::fs::File {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
}

#[test]
fn info_to_a_full_disk_is_an_error() {
    let out = label().arg("--info").stdout(dev_full()).output().unwrap();
    assert_refused(
        &out,
        &[
            "chaff-label: ",
            "standard output",
            "No space left on device",
        ],
    );
}

#[test]
fn eval_to_a_full_disk_is_an_error() {
    let dir = TestDir::new();
    let ev = eval_csv(&dir);
    let out = label()
        .arg("--eval")
        .arg(&ev)
        .stdout(dev_full())
        .output()
        .unwrap();
    assert_refused(
        &out,
        &[
            "chaff-label: ",
            "standard output",
            "No space left on device",
        ],
    );
}

/// Runs `cmd` with its standard output a pipe whose reading end is closed at once; the exit
/// status and standard error.
fn into_closed_pipe(mut cmd: Command) -> (Option<i32>, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (out.status.code(), stderr(&out))
}

#[test]
fn eval_into_a_closed_pipe_exits_quietly() {
    let dir = TestDir::new();
    let ev = eval_csv(&dir);
    let mut cmd = label();
    cmd.arg("--eval").arg(&ev);
    let (code, err) = into_closed_pipe(cmd);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err, "");
}

#[test]
fn info_into_a_closed_pipe_exits_quietly() {
    let mut cmd = label();
    cmd.arg("--info");
    let (code, err) = into_closed_pipe(cmd);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err, "");
}

#[test]
fn train_to_a_full_disk_is_an_error_and_keeps_the_model() {
    let dir = TestDir::new();
    let data = dir.write("small.csv", small_csv(2));
    let out = train(&dir, &data, &["--out", "m.chaff"])
        .stdout(dev_full())
        .output()
        .unwrap();
    assert_refused(
        &out,
        &[
            "chaff-train: ",
            "standard output",
            "No space left on device",
            "m.chaff",
        ],
    );
    let model = std::fs::read(dir.path("m.chaff")).expect("the model was written");
    assert!(chaff::model_file::from_bytes(&model).is_ok());
}

#[test]
fn errors_with_a_full_stderr_exit_1_without_panicking() {
    let out = label()
        .arg("no/such/file.txt")
        .stderr(dev_full())
        .output()
        .unwrap();
    assert_failed_quietly(&out);
    let dir = TestDir::new();
    let bad = dir.write("bad.csv", "text,label\n");
    let out = train(&dir, &bad, &["--out", "m.chaff"])
        .stderr(dev_full())
        .output()
        .unwrap();
    assert_failed_quietly(&out);
    // A run that worked but could not write its summary line failed too.
    let out = label()
        .arg("--out")
        .arg(dir.path("o"))
        .arg(seed().0)
        .stderr(dev_full())
        .output()
        .unwrap();
    assert_failed_quietly(&out);
}

#[test]
fn output_before_an_error_is_the_same_on_any_thread_count() {
    let dir = TestDir::new();
    let good: String = (0..600)
        .map(|i| {
            serde_json::json!({"id": i, "text": format!("Paragraph one of {i}.\n\nParagraph two.")})
                .to_string()
                + "\n"
        })
        .collect();
    let input = dir.write("in.jsonl", format!("{good}{{not json\n"));
    let run = |threads: &str| {
        let out = label()
            .args(["--threads", threads])
            .arg(&input)
            .output()
            .unwrap();
        assert_refused(&out, &["in.jsonl:601", "not valid JSON"]);
        out.stdout
    };
    let one = run("1");
    let two = run("2");
    assert_eq!(one, two, "the same output on one thread and two");
    let docs: std::collections::BTreeSet<String> = parse_jsonl(&one)
        .iter()
        .map(|r| r["doc"].to_string())
        .collect();
    assert_eq!(docs.len(), 600, "every article before the bad line");
}

#[test]
fn leftovers_of_a_killed_run_are_removed_by_the_next() {
    let dir = TestDir::new();
    let article = serde_json::json!({"text": seed_text()}).to_string() + "\n";
    let input = dir.write("big.jsonl", article.repeat(6000));
    let out_dir = dir.path("out");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("chaff-label"))
        .args(["--threads", "1", "--output", "jsonl", "--out"])
        .arg(&out_dir)
        .arg(&input)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while partial_files(&out_dir).is_empty() && start.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL: no destructor runs.
    child.wait().unwrap();
    assert!(!out_dir.join("big.jsonl").exists(), "killed before the end");
    assert_eq!(
        partial_files(&out_dir).len(),
        1,
        "the killed run left its temporary file"
    );
    let again = bin("chaff-label")
        .args(["--output", "jsonl", "--out"])
        .arg(&out_dir)
        .arg(&input)
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(out_dir.join("big.jsonl").exists());
    assert_eq!(partial_files(&out_dir), Vec::<PathBuf>::new());
}
