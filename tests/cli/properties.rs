//! Invariants over generated articles (proptest), on the built-in model through the library:
//! one decision per paragraph in order; kept plus removed paragraphs are exactly the input;
//! labelling is the same on one thread or two, and whether articles come one per file or many
//! per JSONL file; any Unicode text labels without error.

use chaff::classifier::Classifier;
use chaff::document::{Document, Layout};
use chaff::pipeline::{self, Quiet, RunOptions};
use chaff::write::OutputKind;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

use crate::util::TestDir;

fn model() -> Classifier {
    let bytes = std::fs::read(crate::util::root().join("models/default.chaff")).unwrap();
    chaff::model_file::from_bytes(&bytes).unwrap().classifier
}

/// Paragraph-like strings: mostly sentences of words, sometimes lead-ins, ads, or odd Unicode.
fn paragraph() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z][a-z]{2,9}( [a-z]{1,9}){3,30}\\.",
        "(Read|See also|Lee también|READ MORE): [A-Z][a-z]{2,9}( [A-Za-z]{1,9}){2,10}",
        "[A-Z][a-z]{2,8}(Bet|Casino|bet)[0-9]{0,3}( \\+ [0-9]{2,3} Free Spins)?",
        "\\PC{1,80}",
    ]
    .prop_map(|s| s.trim().to_owned())
    .prop_filter("non-empty, no blank line", |s| {
        !s.is_empty() && chaff::split::split(s).0.len() == 1
    })
}

fn article() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(paragraph(), 1..14)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn one_decision_per_paragraph_and_nothing_lost(paragraphs in article()) {
        let c = model();
        let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        let decisions = c.label(&refs);
        prop_assert_eq!(decisions.len(), paragraphs.len());
        for d in &decisions {
            let sum: f32 = d.probs.iter().sum();
            prop_assert!(d.probs.iter().all(|p| p.is_finite() && *p >= 0.0));
            prop_assert!((sum - 1.0).abs() < 1e-4);
            prop_assert_eq!(d.kept, c.keep().contains(&c.labels()[d.label]));
        }
        // Kept (from the cleaned text) plus removed (from the removed records) is the input.
        let doc = Document::new("x", paragraphs.clone(), Layout::BlankLine);
        let cleaned = chaff::write::cleaned_text(&doc, &decisions);
        let mut removed = Vec::new();
        chaff::write::removed(&mut removed, &doc, &decisions, c.labels()).unwrap();
        let removed: Vec<(usize, String)> = String::from_utf8(removed).unwrap().lines().map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (v["index"].as_u64().unwrap() as usize, v["text"].as_str().unwrap().to_owned())
        }).collect();
        let mut kept = if cleaned.is_empty() { Vec::new() } else { chaff::split::split(&cleaned).0 };
        kept.reverse();
        let mut rebuilt = Vec::new();
        let mut removed_iter = removed.into_iter().peekable();
        for i in 0..paragraphs.len() {
            if removed_iter.peek().is_some_and(|(j, _)| *j == i) {
                rebuilt.push(removed_iter.next().unwrap().1);
            } else {
                rebuilt.push(kept.pop().unwrap());
            }
        }
        prop_assert_eq!(rebuilt, paragraphs);
    }

    #[test]
    fn any_unicode_labels_without_error(text in "\\PC{0,400}") {
        let c = model();
        let (paragraphs, _) = chaff::split::split(&text);
        let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        prop_assert_eq!(c.label(&refs).len(), paragraphs.len());
    }
}

/// Labels `inputs` through the whole pipeline on a pool of `threads` threads.
fn run_pipeline(inputs: &[std::path::PathBuf], threads: usize, c: &Classifier) -> Vec<u8> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let mut out = Vec::new();
    let options = RunOptions {
        output: OutputKind::Jsonl,
        batch: 7,
        ..RunOptions::default()
    };
    pool.install(|| {
        pipeline::run(inputs, c, &options, &mut out, &Quiet, &mut |e| {
            panic!("{e}")
        })
        .unwrap();
    });
    out
}

#[test]
fn same_labels_on_one_or_two_threads_and_however_articles_are_grouped_into_files() {
    let c = model();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let articles: Vec<Vec<String>> = (0..40)
        .map(|_| article().new_tree(&mut runner).unwrap().current())
        .collect();
    let dir = TestDir::new();
    // One JSONL file with every article, and one text file per article.
    let mut jsonl = String::new();
    let mut files = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        let text = a.join("\n\n");
        jsonl.push_str(&serde_json::json!({"id": format!("a{i:02}"), "text": text}).to_string());
        jsonl.push('\n');
        files.push(dir.write(&format!("files/a{i:02}.txt"), &text));
    }
    let all = dir.write("all.jsonl", jsonl);
    let one = run_pipeline(std::slice::from_ref(&all), 1, &c);
    let two = run_pipeline(std::slice::from_ref(&all), 2, &c);
    assert_eq!(one, two);
    let from_files = run_pipeline(&[dir.path("files")], 2, &c);
    let decisions = |bytes: &[u8]| -> Vec<serde_json::Value> {
        crate::util::parse_jsonl(bytes)
            .into_iter()
            .map(|r| r["chaff"]["paragraphs"].clone())
            .collect()
    };
    assert_eq!(decisions(&one), decisions(&from_files));
    assert_eq!(decisions(&one).len(), articles.len());
}
