//! chaff-label: the default model on the seed article, outputs, evaluation.

use crate::util::{
    assert_fails, bin, info, label, labels, parse_jsonl, root, seed, small_csv, stderr, stdout_of,
    train_quick, with_report, TestDir,
};

#[test]
fn default_model_gets_every_seed_label_right() {
    let (article, expected) = seed();
    let records = label([&article]);
    assert_eq!(labels(&records), expected);
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r["index"], i);
        assert_eq!(r["doc"], article.display().to_string());
        let probs = r["probs"].as_object().unwrap();
        assert_eq!(probs.len(), 4, "{r}");
        let sum: f64 = probs.values().map(|p| p.as_f64().unwrap()).sum();
        assert!((sum - 1.0).abs() < 1e-4);
    }
}

#[test]
fn clean_output_keeps_news_in_the_input_layout() {
    let (article, expected) = seed();
    let cleaned = stdout_of(bin("chaff-label").args(["--output", "clean"]).arg(&article));
    let text = std::fs::read_to_string(&article).unwrap();
    let (paragraphs, _) = chaff::split::split(&text);
    let kept: Vec<&str> = paragraphs
        .iter()
        .zip(&expected)
        .filter(|(_, l)| *l == "news")
        .map(|(p, _)| p.as_str())
        .collect();
    assert_eq!(cleaned, kept.join("\n\n") + "\n");
}

#[test]
fn keep_more_labels() {
    let (article, expected) = seed();
    let cleaned = stdout_of(
        bin("chaff-label")
            .args(["--output", "clean", "--keep", "news", "--keep", "related"])
            .arg(&article),
    );
    let n_kept = expected.iter().filter(|l| *l != "ad").count();
    assert_eq!(cleaned.trim_end().split("\n\n").count(), n_kept);
}

#[test]
fn stdin_and_one_paragraph_per_line() {
    let out = stdout_of(
        bin("chaff-label")
            .write_stdin("First line of news about the economy.\nREAD MORE: Markets fall again\n"),
    );
    let records = parse_jsonl(out.as_bytes());
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
    let docs: Vec<String> = label([dir.dir.path()])
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
    let labelled = labels(&label([&article]));
    let correct = labelled
        .iter()
        .zip(&expected)
        .filter(|(l, e)| l == e)
        .count() as u64;
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
        assert_fails(
            bin("chaff-label").args([flag, "x"]).arg(&data),
            2,
            &format!("{flag} only works with --eval"),
        );
    }
}

/// Runs `chaff-label --eval data --report-json` with `extra` flags; its stdout and JSON report.
fn eval_with_report(
    dir: &TestDir,
    data: &std::path::Path,
    extra: &[&str],
) -> (String, serde_json::Value) {
    with_report(
        bin("chaff-label").arg("--eval").arg(data).args(extra),
        &dir.path("report.json"),
    )
}

#[test]
fn missing_input_file_is_named() {
    assert_fails(
        bin("chaff-label").arg("no/such/file.txt"),
        1,
        "no/such/file.txt",
    );
}

#[test]
fn info_shows_the_stored_keep_threshold() {
    let dir = TestDir::new();
    let data = dir.write("d.csv", small_csv(3));
    let model = train_quick(dir.dir.path(), &data, &["--min-news-prob", "0.37"]).model;
    let stored = info(&model, &[]);
    assert!(stored.contains("keep threshold: 0.37 "), "{stored}");
    let overridden = info(&model, &["--min-news-prob", "0.8"]);
    assert!(overridden.contains("keep threshold: 0.8 "), "{overridden}");
}

/// The review queue is a training CSV: every paragraph of every input, in article order within
/// an article, the model's label to correct, articles with an uncertain paragraph before the
/// others; and it trains as it is.
#[test]
fn review_queue_is_a_training_csv_most_uncertain_articles_first() {
    let out = bin("chaff-label")
        .args([
            "--output",
            "queue",
            "--uncertain-margin",
            "0.3",
            "data/articles/",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[..5],
        ["article_id", "position", "text", "label", "uncertain"]
    );
    assert!(
        header[5..].iter().all(|h| h.starts_with("p_")),
        "{header:?}"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Articles are contiguous, positions count from 0 within each.
    let mut articles: Vec<(String, bool)> = Vec::new();
    for row in &rows {
        let position: usize = row[1].parse().unwrap();
        if position == 0 {
            assert!(
                articles.iter().all(|(id, _)| id != &row[0]),
                "{} twice",
                &row[0]
            );
            articles.push((row[0].to_owned(), false));
        }
        let last = articles.last_mut().unwrap();
        assert_eq!(last.0, &row[0]);
        last.1 |= &row[4] == "true";
    }
    let labelled = bin("chaff-label").arg("data/articles/").output().unwrap();
    assert_eq!(rows.len(), parse_jsonl(&labelled.stdout).len());
    let flagged: Vec<bool> = articles.iter().map(|(_, u)| *u).collect();
    assert!(
        flagged.iter().any(|u| *u) && flagged.iter().any(|u| !*u),
        "{flagged:?}"
    );
    let first_unflagged = flagged.iter().position(|u| !*u).unwrap();
    assert!(
        flagged[first_unflagged..].iter().all(|u| !*u),
        "{flagged:?}"
    );
    // A reviewer corrects `label`, then trains on the file as it is.
    let dir = TestDir::new();
    let queue = dir.write("queue.csv", &out.stdout);
    let trained = bin("chaff-train")
        .args(["--folds", "2", "--max-iterations", "10", "--data"])
        .arg(&queue)
        .arg("--out")
        .arg(dir.path("queue.chaff"))
        .output()
        .unwrap();
    assert!(trained.status.success(), "{}", stderr(&trained));
}
