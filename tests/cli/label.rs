//! chaff-label: the default model on the seed article, outputs, evaluation.

use crate::util::{bin, parse_jsonl, root, seed, stderr, TestDir};

#[test]
fn default_model_gets_every_seed_label_right() {
    let (article, expected) = seed();
    let out = bin("chaff-label").arg(&article).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let records = parse_jsonl(&out.stdout);
    let got: Vec<&str> = records
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(got, expected);
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r["index"], i);
        assert_eq!(r["doc"], article.display().to_string());
        let sum: f64 = ["news", "related", "ad"]
            .iter()
            .map(|l| r["probs"][l].as_f64().unwrap())
            .sum();
        assert!((sum - 1.0).abs() < 1e-4);
    }
}

#[test]
fn clean_output_keeps_news_in_the_input_layout() {
    let (article, expected) = seed();
    let out = bin("chaff-label")
        .args(["--output", "clean"])
        .arg(&article)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(&article).unwrap();
    let (paragraphs, _) = chaff::split::split(&text);
    let kept: Vec<&str> = paragraphs
        .iter()
        .zip(&expected)
        .filter(|(_, l)| *l == "news")
        .map(|(p, _)| p.as_str())
        .collect();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        kept.join("\n\n") + "\n"
    );
}

#[test]
fn keep_more_labels() {
    let (article, expected) = seed();
    let out = bin("chaff-label")
        .args(["--output", "clean", "--keep", "news", "--keep", "related"])
        .arg(&article)
        .output()
        .unwrap();
    let cleaned = String::from_utf8(out.stdout).unwrap();
    let n_kept = expected.iter().filter(|l| *l != "ad").count();
    assert_eq!(cleaned.trim_end().split("\n\n").count(), n_kept);
}

#[test]
fn stdin_and_one_paragraph_per_line() {
    let out = bin("chaff-label")
        .write_stdin("First line of news about the economy.\nREAD MORE: Markets fall again\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let records = parse_jsonl(&out.stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["doc"], "-");
    assert_eq!(records[1]["text"], "READ MORE: Markets fall again");
}

#[test]
fn folder_input_labels_every_file_in_order() {
    let dir = TestDir::new();
    dir.write("b/two.txt", "Two.\n\nParagraph.");
    dir.write("a.txt", "One.");
    dir.write("ignored.bin", "x");
    let out = bin("chaff-label").arg(dir.dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let docs: Vec<String> = parse_jsonl(&out.stdout)
        .iter()
        .map(|r| {
            r["doc"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(docs, ["a.txt", "two.txt", "two.txt"]);
}

#[test]
fn eval_reports_like_training_and_matches_labelling() {
    let dir = TestDir::new();
    let (article, expected) = seed();
    let csv = std::fs::read_to_string(root().join("tests/data/seed/labels.csv")).unwrap();
    let data = dir.write("seed.csv", csv);
    let (printed, v) = eval_with_report(&dir, &data, &[]);
    let stage1 = v["stage1_macro_f1"].as_f64().unwrap();
    assert!(stage1 > 0.0 && stage1 <= 1.0, "{v}");
    assert!(
        printed.contains(&format!(
            "stage 1 alone (each paragraph without its neighbours): macro-F1 {stage1:.4}"
        )),
        "{printed}"
    );
    let ece = v["calibration"]["ece"].as_f64().unwrap();
    assert!(
        printed.contains(&format!(
            "calibration of p(kept): expected calibration error {ece:.4}"
        )),
        "{printed}"
    );
    // The eval path must agree with labelling the article itself.
    let labelled = parse_jsonl(&bin("chaff-label").arg(&article).output().unwrap().stdout);
    let mut correct = 0;
    for (r, e) in labelled.iter().zip(&expected) {
        correct += u64::from(r["label"] == e.as_str());
    }
    let diagonal: u64 = ["news", "related", "ad"]
        .iter()
        .map(|l| v["confusion"][l][l].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(diagonal, correct);
    assert_eq!(
        v["labels"]["news"]["support"],
        expected.iter().filter(|l| *l == "news").count()
    );
}

#[test]
fn eval_reports_each_group_on_its_own() {
    let dir = TestDir::new();
    let data = root().join("data/articles-labels.csv");
    let mut rows_per_lang = std::collections::BTreeMap::new();
    let mut reader = csv::Reader::from_path(&data).unwrap();
    let lang = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "lang")
        .unwrap();
    for record in reader.records() {
        *rows_per_lang
            .entry(record.unwrap()[lang].to_owned())
            .or_insert(0u64) += 1;
    }
    assert!(rows_per_lang.len() > 1, "the case under test");
    let (printed, v) = eval_with_report(&dir, &data, &["--group-by", "lang"]);
    let groups = v["by_group"].as_object().unwrap();
    assert_eq!(
        groups.keys().collect::<Vec<_>>(),
        rows_per_lang.keys().collect::<Vec<_>>()
    );
    for (group, r) in groups {
        let rows: u64 = r["labels"]
            .as_object()
            .unwrap()
            .values()
            .map(|s| s["support"].as_u64().unwrap())
            .sum();
        assert_eq!(rows, rows_per_lang[group], "{group}");
        let line = format!(
            "lang {group:?}: macro-F1 {:.4}, recall ",
            r["macro_f1"].as_f64().unwrap()
        );
        assert!(printed.contains(&line), "{line:?} not in {printed}");
    }
    // Without --group-by, no groups; --group-by needs --eval.
    let (_, v) = eval_with_report(&dir, &data, &[]);
    assert!(v["by_group"].as_object().unwrap().is_empty());
    for flag in ["--group-by", "--report-json", "--review"] {
        let alone = bin("chaff-label")
            .args([flag, "x"])
            .arg(&data)
            .output()
            .unwrap();
        assert_eq!(alone.status.code(), Some(2), "{flag}: {}", stderr(&alone));
        assert!(stderr(&alone).contains(&format!("{flag} only works with --eval")));
    }
}

/// Runs `chaff-label --eval data --report-json` with `extra` flags; its stdout and JSON report.
fn eval_with_report(
    dir: &TestDir,
    data: &std::path::Path,
    extra: &[&str],
) -> (String, serde_json::Value) {
    let report = dir.path("report.json");
    let out = bin("chaff-label")
        .arg("--eval")
        .arg(data)
        .args(extra)
        .arg("--report-json")
        .arg(&report)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    (String::from_utf8(out.stdout).unwrap(), v)
}

#[test]
fn missing_input_file_is_named() {
    let out = bin("chaff-label").arg("no/such/file.txt").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no/such/file.txt"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn info_shows_the_stored_keep_threshold() {
    let dir = TestDir::new();
    let data = dir.write("d.csv", crate::util::small_csv(8));
    let model = dir.path("m.chaff");
    let out = bin("chaff-train")
        .args(["--max-iterations", "10", "--vocab-size", "100"])
        .args(["--min-news-prob", "0.37", "--data"])
        .arg(&data)
        .arg("--out")
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let info = |extra: &[&str]| {
        let out = bin("chaff-label")
            .arg("--model")
            .arg(&model)
            .arg("--info")
            .args(extra)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(info(&[]).contains("keep threshold: 0.37 "), "{}", info(&[]));
    assert!(info(&["--min-news-prob", "0.8"]).contains("keep threshold: 0.8 "));
}
