//! chaff-train: determinism across runs, reports, and every bad training input.

use crate::util::{
    assert_fails, bin, info, small_csv, small_model, stderr, train_quick, TestDir, QUICK,
};

/// Two runs of chaff-train on the same data and seed, one on every core and one on one thread:
/// the same model file, byte for byte.
#[test]
fn same_data_and_seed_give_the_same_model_file() {
    let shared = small_model();
    let dir = TestDir::new();
    let again = train_quick(
        dir.dir.path(),
        &shared.data,
        &["--folds", "2", "--threads", "1"],
    );
    assert!(
        std::fs::read(&shared.model).unwrap() == std::fs::read(again.model).unwrap(),
        "two trainings gave different model files"
    );
}

#[test]
fn report_json_has_the_documented_shape() {
    let trained = small_model();
    let (stdout, v) = (&trained.stdout, &trained.report);
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
    // Every row is scored out of fold exactly once.
    let support: u64 = (v["labels"].as_object().unwrap().values())
        .map(|l| l["support"].as_u64().unwrap())
        .sum();
    let rows = csv::Reader::from_path(&trained.data)
        .unwrap()
        .records()
        .count();
    assert_eq!(support, rows as u64);
}

#[test]
fn group_by_source_reports_each_held_out_source() {
    let dir = TestDir::new();
    let data = dir.write("d.csv", small_csv(4));
    let v = train_quick(dir.dir.path(), &data, &["--group-by", "source"]).report;
    let groups: Vec<&String> = v["by_group"].as_object().unwrap().keys().collect();
    assert_eq!(groups, ["bbc", "es-news", "es-web", "pages", "reuters"]);
}

#[test]
fn threshold_by_source_chooses_the_threshold_on_held_out_sources() {
    let dir = TestDir::new();
    let data = dir.write("d.csv", small_csv(12));
    let trained = train_quick(dir.dir.path(), &data, &["--threshold-by", "source"]);
    let (stdout, v) = (&trained.stdout, &trained.report);
    let held_out = &v["held_out"];
    let sources: Vec<&String> = held_out["by_group"].as_object().unwrap().keys().collect();
    assert_eq!(sources, ["bbc", "es-news", "es-web", "pages", "reuters"]);
    for source in &sources {
        assert!(
            stdout.contains(&format!("held out source {source:?}: macro-F1")),
            "{stdout}"
        );
    }
    // The stored threshold is the one the library's rule chooses from the held-out sweep, not
    // from the sweep over the ordinary folds (on this data the two differ).
    let chosen = |sweep: &serde_json::Value| {
        let sweep: Vec<chaff::eval::ThresholdPoint> =
            serde_json::from_value(sweep.clone()).unwrap();
        chaff::eval::choose_threshold(&sweep, 0.997).min_keep_prob
    };
    let expected = chosen(&held_out["thresholds"]);
    assert_ne!(chosen(&v["thresholds"]), expected, "the case under test");
    assert_eq!(v["min_keep_prob"].as_f64().unwrap() as f32, expected);
    assert!(held_out["calibration"]["ece"].is_number(), "{held_out}");
    // The model keeps it and says where it came from.
    let info = info(&trained.model, &[]);
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
    for flag in ["--threshold-by", "--group-by"] {
        assert_refused(
            small_csv(3).as_bytes(),
            &[flag, "publisher"],
            "bad.csv:1: the header has no `publisher` column",
        );
    }
    let mut one_source = String::from("article_id,position,text,label,source\n");
    for i in 0..6 {
        one_source.push_str(&format!(
            "a{i},0,Story {i},news,bbc\na{i},1,Read more: other {i},related,bbc\n"
        ));
    }
    assert_refused(
        one_source.as_bytes(),
        &["--threshold-by", "source"],
        "at least two groups, found 1 (bbc)",
    );
}

/// Runs chaff-train with `flags` on `bad.csv` holding `content`: it must fail (status 1) with a
/// message naming the file and containing `needle`, and leave only its input behind.
fn assert_refused(content: &[u8], flags: &[&str], needle: &str) {
    let dir = TestDir::new();
    let data = dir.write("bad.csv", content);
    let err = assert_fails(
        bin("chaff-train")
            .args(flags)
            .arg("--data")
            .arg(&data)
            .arg("--out")
            .arg(dir.path("m.chaff")),
        1,
        needle,
    );
    assert!(err.contains("bad.csv"), "the message names the file: {err}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "only the input remains: {leftovers:?}");
}

/// Trains on a CSV holding `content` with the quick settings: it must succeed.
fn assert_trains(content: &[u8]) {
    let dir = TestDir::new();
    let data = dir.write("d.csv", content);
    train_quick(dir.dir.path(), &data, &[]);
}

#[test]
fn missing_text_column() {
    assert_refused(
        b"body,label\na,news\n",
        &[],
        "bad.csv:1: the header has no `text` column",
    );
}

#[test]
fn missing_label_column() {
    assert_refused(
        b"text,category\na,news\n",
        &[],
        "bad.csv:1: the header has no `label` column",
    );
}

#[test]
fn empty_file() {
    assert_refused(b"", &[], "bad.csv: the file is empty");
}

#[test]
fn header_only() {
    assert_refused(b"text,label\n", &[], "bad.csv: the file is empty");
}

#[test]
fn one_label_only() {
    assert_refused(
        b"text,label\na,news\nb,news\n",
        &[],
        "at least two labels, found only \"news\"",
    );
}

#[test]
fn empty_label() {
    assert_refused(
        b"text,label\na,news\nb,\nc,ad\n",
        &[],
        "bad.csv:3: the `label` field is empty",
    );
}

#[test]
fn empty_text() {
    assert_refused(
        b"text,label\na,news\n\"  \",ad\n",
        &[],
        "bad.csv:3: the `text` field is empty",
    );
}

#[test]
fn invalid_utf8() {
    assert_refused(
        b"text,label\na,news\nb\xff\xfe,ad\n",
        &[],
        "bad.csv:3: not valid UTF-8",
    );
}

#[test]
fn mixed_label_case() {
    assert_refused(
        b"text,label\na,news\nb,ad\nc,News\n",
        &[],
        "bad.csv:4: label \"News\" differs only in case",
    );
}

#[test]
fn ragged_row() {
    assert_refused(
        b"text,label\na,news\nb,ad,extra\n",
        &[],
        "bad.csv:3: CSV error: this row has 3 fields",
    );
}

#[test]
fn bad_position() {
    assert_refused(
        b"article_id,position,text,label\nx,0,a,news\nx,one,b,ad\n",
        &[],
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
    assert_trains(csv.as_bytes());
}

#[test]
fn no_header_row() {
    assert_refused(
        b"a1,0,Some headline,news\na1,1,Read: other,related\n",
        &[],
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
    assert_trains(csv.as_bytes());
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
            .args(QUICK)
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
