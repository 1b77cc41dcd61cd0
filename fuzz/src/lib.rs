//! The bodies of the fuzz targets, one function per target. The targets in `fuzz_targets/` call
//! these, and `tests/fuzz_regressions.rs` in the main crate includes this file and replays every
//! input kept in `fuzz/regressions/<target>/` through the same function, so the regression
//! inputs are checked by `cargo test` without fuzzing.
//!
//! Each function takes arbitrary bytes and panics only when chaff breaks a promise: a reader or
//! loader panics, or what it returns breaks the documented invariants. Errors are fine.

use std::io::{BufRead, Cursor};
use std::path::{Path, PathBuf};

use chaff::document::Layout;
use chaff::read::{detect_format, Format, Input};

/// The parsers of the binaries' flag values, shared with them as source (the binaries are not a
/// library).
#[allow(dead_code)]
#[path = "../../src/bin/cli/args.rs"]
mod args;

/// The paragraph splitter: every paragraph non-empty, trimmed, without a blank line inside; one
/// line each in the one-per-line layout; and splitting the text it would write back (paragraphs
/// joined by the layout's separator) gives the same paragraphs again.
pub fn split(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (paragraphs, layout) = chaff::split::split(&text);
    check_paragraphs(&paragraphs, layout);
    check_resplit(&paragraphs, layout);
}

/// The HTML reader: `paragraphs` and `document` never panic; paragraphs are non-empty with their
/// white space collapsed; `document` refuses only a text without tags and otherwise gives the
/// same paragraphs.
pub fn html(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let paragraphs = chaff::read::html::paragraphs(&text);
    for p in &paragraphs {
        assert!(!p.is_empty(), "empty HTML paragraph");
        assert_eq!(
            p.split_whitespace().collect::<Vec<_>>().join(" "),
            *p,
            "HTML paragraph with uncollapsed white space"
        );
    }
    match chaff::read::html::document(&text, "fuzz".into(), Path::new("fuzz.html")) {
        Ok(doc) => assert_eq!(
            doc.paragraphs, paragraphs,
            "document() differs from paragraphs()"
        ),
        Err(e) => {
            let message = e.to_string();
            assert!(message.starts_with("fuzz.html:1: "), "{message}");
        }
    }
}

/// The JSONL reader over arbitrary bytes: never panics, yields at most one item per line and
/// stops, and every document it yields has well-formed paragraphs and its record.
pub fn jsonl(data: &[u8]) {
    let reader: Box<dyn BufRead + Send> = Box::new(Cursor::new(data.to_vec()));
    let records = chaff::read::jsonl::Records::new(
        reader,
        PathBuf::from("fuzz.jsonl"),
        &chaff::read::ReadOptions::default(),
    );
    let lines = data.split(|b| *b == b'\n').count();
    let mut items = 0;
    for item in records {
        items += 1;
        assert!(items <= lines, "more items than lines");
        match item {
            Ok(doc) => {
                check_paragraphs(&doc.paragraphs, doc.layout);
                assert!(doc.record.is_some(), "a JSONL document without its record");
            }
            Err(e) => {
                let message = e.to_string();
                assert!(message.starts_with("fuzz.jsonl:"), "{message}");
            }
        }
    }
}

/// The model loader over arbitrary bytes (mostly the header and checksum checks): never panics,
/// and a model it accepts labels an article.
pub fn model(data: &[u8]) {
    load_and_use(data);
}

/// The model loader behind the checksum: the input is taken as the JSON body and given a correct
/// header and checksum, so the body's parser and the size checks are exercised.
pub fn model_body(data: &[u8]) {
    load_and_use(&with_header(data));
}

/// A model file whose body is `body`, with the header and checksum the loader expects.
pub fn with_header(body: &[u8]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let digest: String = Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let version = chaff::model_file::FORMAT_VERSION;
    let mut out = format!("chaff-model {version}\nsha256 {digest}\n").into_bytes();
    out.extend_from_slice(body);
    out.push(b'\n');
    out
}

const ARTICLE: &[&str] = &[
    "Markets rallied on Tuesday as investors weighed the central bank's decision.",
    "READ MORE: Ten things to know before the opening bell",
    "Bet £10 and get £30 in free bets. 18+ T&Cs apply.",
    "\"We expect growth to continue,\" said the minister, adding that 4.5% was likely.",
    "x",
    "",
];

fn load_and_use(bytes: &[u8]) {
    let model = match chaff::model_file::from_bytes(bytes) {
        Ok(model) => model,
        Err(problem) => {
            assert!(!problem.is_empty(), "an empty error message");
            return;
        }
    };
    let classifier = &model.classifier;
    let n_labels = classifier.labels().len();
    let decisions = classifier.label(ARTICLE);
    assert_eq!(
        decisions.len(),
        ARTICLE.len(),
        "not one decision per paragraph"
    );
    for d in &decisions {
        assert!(d.label < n_labels, "label index {} of {n_labels}", d.label);
        assert_eq!(
            d.probs.len(),
            n_labels,
            "probabilities for the wrong number of labels"
        );
    }
    assert!(
        classifier.label(&[]).is_empty(),
        "decisions for an empty article"
    );
}

/// The training CSV reader: never panics, and every article it accepts has one label per
/// paragraph, non-empty labels and texts.
pub fn csv(data: &[u8]) {
    match chaff::read::csv::parse_labelled(data, Path::new("fuzz.csv"), Default::default()) {
        Ok(articles) => {
            for a in &articles {
                assert_eq!(a.texts.len(), a.labels.len(), "not one label per paragraph");
                assert!(!a.texts.is_empty(), "an article without paragraphs");
                assert!(
                    a.labels.iter().all(|l| !l.trim().is_empty()),
                    "an empty label"
                );
                assert!(
                    a.texts.iter().all(|t| !t.trim().is_empty()),
                    "an empty text"
                );
            }
        }
        Err(e) => {
            let message = e.to_string();
            assert!(message.starts_with("fuzz.csv"), "{message}");
        }
    }
}

/// Command-line values and paths: the text before the first NUL byte is a flag value and a
/// file name, the rest an input's first bytes. The flag parsers never panic and what they accept
/// is in range; format detection never panics, and a guess from content is JSON Lines only for
/// text that opens an object and HTML only for text that opens a tag.
pub fn cli_args(data: &[u8]) {
    let (arg, head) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let arg = String::from_utf8_lossy(arg);
    if let Ok((i, n)) = args::shard(&arg) {
        assert!(i < n, "shard {i}/{n} accepted from {arg:?}");
    }
    if let Ok(bytes) = args::byte_size(&arg) {
        assert!(bytes >= 1, "a size of 0 accepted from {arg:?}");
    }
    if let Ok(n) = args::thread_count(&arg) {
        assert!(n >= 1, "0 threads accepted from {arg:?}");
        for cores in [1, 2, 64] {
            let (used, warning) = args::threads_to_use(n, cores);
            assert!(
                (1..=4 * cores).contains(&used),
                "{used} threads of {n} on {cores} cores"
            );
            assert_eq!(warning.is_some(), used != n);
        }
    }
    if let Ok(typed) = args::typed::<f32>(&arg) {
        assert_eq!(
            typed.text,
            arg.trim(),
            "the typed text is not what was typed"
        );
    }
    let file = Input::File(std::path::PathBuf::from(arg.as_ref()));
    for input in [&file, &Input::Stdin] {
        let format = detect_format(input, head, Format::Auto, Format::Auto);
        let start = head
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map_or(&[][..], |i| &head[i..]);
        if *input == Input::Stdin {
            assert!(format != Format::Csv, "CSV guessed from content");
            if format == Format::Jsonl {
                assert!(start.starts_with(b"{"), "JSON Lines guessed for {start:?}");
            }
            if format == Format::Html {
                assert!(start.starts_with(b"<"), "HTML guessed for {start:?}");
            }
        }
    }
}

/// The splitter's promise about each paragraph.
fn check_paragraphs(paragraphs: &[String], layout: Layout) {
    for p in paragraphs {
        assert!(!p.is_empty(), "empty paragraph");
        assert_eq!(p.trim(), p, "paragraph not trimmed");
        assert!(
            !p.lines().any(chaff::split::is_blank),
            "blank line inside paragraph {p:?}"
        );
        if layout == Layout::Line {
            assert!(
                !p.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']),
                "line break in a one-per-line paragraph {p:?}"
            );
        }
    }
}

/// Writing the paragraphs back with the layout's separator and splitting again gives the same
/// paragraphs (one paragraph of several lines reads back as lines: no blank line is left to say
/// otherwise, so a lone paragraph is not checked). A leading byte-order mark is dropped on
/// reading, so a first paragraph that still starts with one after the first was stripped is
/// not checked either.
fn check_resplit(paragraphs: &[String], layout: Layout) {
    if paragraphs.len() < 2 || paragraphs[0].starts_with('\u{feff}') {
        return;
    }
    let written = paragraphs.join(layout.separator());
    let (again, again_layout) = chaff::split::split(&written);
    assert_eq!(
        again, paragraphs,
        "written paragraphs read back differently"
    );
    assert_eq!(
        again_layout, layout,
        "written paragraphs read back in another layout"
    );
}
