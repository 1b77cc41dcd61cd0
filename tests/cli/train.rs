//! chaff-train: determinism, reports, and every bad training input.

use crate::util::{bin, small_csv, stderr, TestDir};

#[test]
fn same_data_and_seed_give_the_same_model_file() {
    let dir = TestDir::new();
    let data = dir.write("d.csv", small_csv(15));
    let mut files = Vec::new();
    for name in ["a.chaff", "b.chaff"] {
        let out = dir.path(name);
        bin("chaff-train")
            .args([
                "--folds",
                "2",
                "--max-iterations",
                "15",
                "--vocab-size",
                "200",
                "--data",
            ])
            .arg(&data)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        files.push(std::fs::read(out).unwrap());
    }
    assert!(
        files[0] == files[1],
        "two trainings gave different model files"
    );
}

#[test]
fn report_json_has_the_documented_shape() {
    let dir = TestDir::new();
    let (stdout, v) = train_small(&dir, 12, &["--folds", "3"]);
    assert!(
        stdout.contains("macro-F1") && stdout.contains("confusion"),
        "{stdout}"
    );
    let f1 = v["macro_f1"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&f1));
    for label in ["news", "related", "ad"] {
        for key in ["precision", "recall", "f1", "support"] {
            assert!(v["labels"][label][key].is_number(), "{label}.{key} in {v}");
        }
        for predicted in ["news", "related", "ad"] {
            assert!(v["confusion"][label][predicted].is_u64());
        }
    }
    let support: u64 = ["news", "related", "ad"]
        .iter()
        .map(|l| v["labels"][l]["support"].as_u64().unwrap())
        .sum();
    let rows = small_csv(12).lines().count() as u64 - 1;
    assert!(support <= rows && support > 0);
}

#[test]
fn group_by_source_reports_each_held_out_source() {
    let dir = TestDir::new();
    let (_, v) = train_small(&dir, 10, &["--group-by", "source"]);
    let groups = v["by_group"].as_object().unwrap();
    assert!(groups.len() >= 3, "{groups:?}");
    assert!(groups.contains_key("bbc"));
}

#[test]
fn threshold_by_source_chooses_the_threshold_on_held_out_sources() {
    let dir = TestDir::new();
    let (stdout, v) = train_small(&dir, 10, &["--threshold-by", "source"]);
    let held_out = &v["held_out"];
    let sources: Vec<&String> = held_out["by_group"].as_object().unwrap().keys().collect();
    assert_eq!(sources, ["bbc", "es-news", "es-web", "pages", "reuters"]);
    for source in &sources {
        assert!(
            stdout.contains(&format!("held out source {source:?}: macro-F1")),
            "{stdout}"
        );
    }
    // The stored threshold is the highest whose news recall on held-out sources reaches the
    // default target (0.997), or the lowest of the grid if none does.
    let sweep = held_out["thresholds"].as_array().unwrap();
    let expected = sweep
        .iter()
        .rev()
        .find(|p| p["keep_recall"].as_f64().unwrap() >= 0.997)
        .unwrap_or(&sweep[0])["min_keep_prob"]
        .as_f64()
        .unwrap();
    assert_eq!(v["min_keep_prob"].as_f64().unwrap(), expected);
    assert!(held_out["calibration"]["ece"].is_number(), "{held_out}");
    // The model keeps it and says where it came from.
    let info = bin("chaff-label")
        .arg("--model")
        .arg(dir.path("m.chaff"))
        .arg("--info")
        .output()
        .unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    assert!(
        info.contains(&format!("keep threshold: {expected}")),
        "{info}"
    );
    assert!(
        info.contains("threshold chosen on held-out groups") && info.contains("held out \"pages\""),
        "{info}"
    );
}

#[test]
fn grouping_flags_need_their_column_and_threshold_by_two_values() {
    let dir = TestDir::new();
    let train = |csv: &str, flag: &str, column: &str| {
        let data = dir.write("bad.csv", csv);
        let out = bin("chaff-train")
            .args([flag, column, "--data"])
            .arg(&data)
            .arg("--out")
            .arg(dir.path("m.chaff"))
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(!dir.path("m.chaff").exists());
        stderr(&out)
    };
    for flag in ["--threshold-by", "--group-by"] {
        let err = train(&small_csv(3), flag, "publisher");
        assert!(
            err.contains("bad.csv:1: the header has no `publisher` column"),
            "{flag}: {err}"
        );
    }
    let mut one_source = String::from("article_id,position,text,label,source\n");
    for i in 0..6 {
        one_source.push_str(&format!(
            "a{i},0,Story {i},news,bbc\na{i},1,Read more: other {i},related,bbc\n"
        ));
    }
    let err = train(&one_source, "--threshold-by", "source");
    assert!(err.contains("at least two groups, found 1 (bbc)"), "{err}");
}

/// Trains `dir/m.chaff` on the first `n_articles` of each source with quick settings and the
/// given flags; returns the printed report and the `--report-json` one.
fn train_small(dir: &TestDir, n_articles: usize, flags: &[&str]) -> (String, serde_json::Value) {
    let data = dir.write("d.csv", small_csv(n_articles));
    let report = dir.path("r.json");
    let out = bin("chaff-train")
        .args(flags)
        .args(["--max-iterations", "15", "--vocab-size", "200", "--data"])
        .arg(&data)
        .arg("--out")
        .arg(dir.path("m.chaff"))
        .arg("--report-json")
        .arg(&report)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let report = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    (String::from_utf8(out.stdout).unwrap(), report)
}

/// Runs chaff-train on a CSV with the given content and returns (success, stderr).
fn train_on(content: &[u8]) -> (bool, String, TestDir) {
    let dir = TestDir::new();
    let data = dir.write("bad.csv", content);
    let out = bin("chaff-train")
        .arg("--data")
        .arg(&data)
        .arg("--out")
        .arg(dir.path("m.chaff"))
        .output()
        .unwrap();
    (out.status.success(), stderr(&out), dir)
}

fn assert_fails(content: &[u8], needle: &str) {
    let (ok, err, dir) = train_on(content);
    assert!(!ok, "should fail: {needle}");
    assert!(err.contains(needle), "expected {needle:?} in {err:?}");
    assert!(err.contains("bad.csv"), "the message names the file: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !dir.path("m.chaff").exists(),
        "no model file after a failure"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "only the input remains: {leftovers:?}");
}

#[test]
fn missing_text_column() {
    assert_fails(
        b"body,label\na,news\n",
        "bad.csv:1: the header has no `text` column",
    );
}

#[test]
fn missing_label_column() {
    assert_fails(
        b"text,category\na,news\n",
        "bad.csv:1: the header has no `label` column",
    );
}

#[test]
fn empty_file() {
    assert_fails(b"", "bad.csv: the file is empty");
}

#[test]
fn header_only() {
    assert_fails(b"text,label\n", "bad.csv: the file is empty");
}

#[test]
fn one_label_only() {
    assert_fails(
        b"text,label\na,news\nb,news\n",
        "at least two labels, found only \"news\"",
    );
}

#[test]
fn empty_label() {
    assert_fails(
        b"text,label\na,news\nb,\nc,ad\n",
        "bad.csv:3: the `label` field is empty",
    );
}

#[test]
fn empty_text() {
    assert_fails(
        b"text,label\na,news\n\"  \",ad\n",
        "bad.csv:3: the `text` field is empty",
    );
}

#[test]
fn invalid_utf8() {
    assert_fails(
        b"text,label\na,news\nb\xff\xfe,ad\n",
        "bad.csv:3: not valid UTF-8",
    );
}

#[test]
fn mixed_label_case() {
    assert_fails(
        b"text,label\na,news\nb,ad\nc,News\n",
        "bad.csv:4: label \"News\" differs only in case",
    );
}

#[test]
fn ragged_row() {
    assert_fails(
        b"text,label\na,news\nb,ad,extra\n",
        "bad.csv:3: CSV error: this row has 3 fields",
    );
}

#[test]
fn bad_position() {
    assert_fails(
        b"article_id,position,text,label\nx,0,a,news\nx,one,b,ad\n",
        "bad.csv:3: bad `position` value \"one\"",
    );
}

#[test]
fn bom_crlf_and_quoted_newlines_are_fine() {
    let mut csv = String::from("\u{feff}article_id,position,text,label\r\n");
    for i in 0..30 {
        csv.push_str(&format!(
            "a{i},0,\"Headline {i}\r\nwith a second line\",news\r\n"
        ));
        csv.push_str(&format!("a{i},1,Read more: other story {i},related\r\n"));
        csv.push_str(&format!(
            "a{i},2,\"Body text number {i}, with a comma.\",news\r\n"
        ));
        csv.push_str(&format!("a{i},3,Casino bonus {i}00 free spins,ad\r\n"));
    }
    let (ok, err, _dir) = train_on(csv.as_bytes());
    assert!(ok, "{err}");
}

/// The committed default model must be exactly what the current code and data produce, with
/// the command the README gives. (The slowest test: a full training run.)
#[test]
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
    let committed = std::fs::read(crate::util::root().join("models/default.chaff")).unwrap();
    assert!(
        fresh == committed,
        "models/default.chaff is stale: rebuild it with \
         `cargo run --release --bin chaff-train -- --data data/train.csv --out models/default.chaff`"
    );
}

#[test]
fn no_header_row() {
    assert_fails(
        b"a1,0,Some headline,news\na1,1,Read: other,related\n",
        "bad.csv:1: the header has no `text` column (found: `a1`, `0`, `Some headline`, `news`)",
    );
}

#[test]
fn a_ten_megabyte_field_is_read_not_refused() {
    let mut csv = String::from("article_id,position,text,label\n");
    csv.push_str(&format!("big,0,\"{}\",news\n", "word ".repeat(2_000_000)));
    for i in 0..20 {
        csv.push_str(&format!(
            "a{i},0,Headline number {i},news\na{i},1,Read more: story {i},related\n"
        ));
    }
    let (ok, err, _dir) = train_on(csv.as_bytes());
    assert!(ok, "{err}");
}

#[test]
fn an_unreachable_news_recall_target_is_warned_about() {
    // A few news paragraphs look exactly like the many inserts of their kind, so no threshold
    // keeps every news paragraph out of fold.
    let mut csv = small_csv(10);
    // (Four of a hundred: against the real pages' junk of the background articles, fewer twins
    // leave the related ones too weak for the case.)
    for i in 0..100 {
        let label = if i % 25 == 0 { "news" } else { "related" };
        csv.push_str(&format!(
            "twin-{i},0,\"The index rose two percent on Monday, traders said.\",news,twin,twin.example,en,real\n\
             twin-{i},1,Read more: markets story {i},{label},twin,twin.example,en,real\n\
             twin-{i},2,\"Oil prices fell for a third day, analysts said.\",news,twin,twin.example,en,real\n"
        ));
    }
    let dir = TestDir::new();
    let data = dir.write("d.csv", csv);
    let run = |target: &str| {
        let out = bin("chaff-train")
            .args(["--max-iterations", "15", "--vocab-size", "200"])
            .args(["--target-news-recall", target, "--data"])
            .arg(&data)
            .arg("--out")
            .arg(dir.path("m.chaff"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stderr(&out)
    };
    let err = run("1");
    assert!(
        err.contains("warning: no threshold keeps 1 of the kept labels out of fold"),
        "{err}"
    );
    // A target that is met gives no warning.
    assert!(!run("0.5").contains("warning"));
}
