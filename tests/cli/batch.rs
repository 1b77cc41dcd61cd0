//! Batch cleaning: formats, compression, --out trees, --resume after a kill, --shard, and the
//! bad inputs of articles and outputs.

use std::ffi::OsStr;
use std::io::Write;

use crate::util::{
    assert_fails, bin, label, labels, parse_jsonl, seed, stderr, stdout_of, TestDir,
};

fn seed_text() -> String {
    std::fs::read_to_string(seed().0).unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// The label of each paragraph of `path`, from chaff-label.
fn labels_of(path: &std::path::Path) -> Vec<String> {
    labels(&label([path]))
}

/// `chaff-label --output clean --out OUT IN`.
fn clean_into(out: &std::path::Path, input: &std::path::Path) -> assert_cmd::Command {
    let mut command = bin("chaff-label");
    command
        .args(["--output", "clean", "--out"])
        .arg(out)
        .arg(input);
    command
}

#[test]
fn compressed_inputs_are_detected_from_content_not_name() {
    let dir = TestDir::new();
    let plain = labels_of(&seed().0);
    let gz = dir.write("a.txt.gz", gzip(seed_text().as_bytes()));
    assert_eq!(labels_of(&gz), plain);
    let zst = dir.write(
        "b.txt",
        zstd::encode_all(seed_text().as_bytes(), 3).unwrap(),
    );
    assert_eq!(labels_of(&zst), plain, "zstd content behind a .txt name");
}

#[test]
fn html_paragraphs_come_from_block_elements() {
    let dir = TestDir::new();
    let (paragraphs, _) = chaff::split::split(&seed_text());
    let body: String = paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i == 0 {
                format!("<h1>{p}</h1>")
            } else {
                format!("<p>{p}</p>")
            }
        })
        .collect();
    let page = format!("<html><head><script>var x = 1;</script></head><body><nav><li>Home</li></nav><article>{body}</article></body></html>");
    let path = dir.write("page.html", page);
    let got = labels_of(&path);
    assert_eq!(
        got.len(),
        paragraphs.len() + 1,
        "the nav item is a paragraph too"
    );
    assert_eq!(&got[1..], labels_of(&seed().0).as_slice());
}

#[test]
fn jsonl_records_keep_their_fields_and_can_be_undone() {
    let dir = TestDir::new();
    let text = seed_text();
    let body = serde_json::to_string(&text).unwrap();
    let line = format!(
        r#"{{"id": 7, "body": {body}, "meta": {{"big": 12345678901234567890123, "x": 1.10}}}}"#
    );
    let path = dir.write("in.jsonl", format!("{line}\n\n{line}\n"));
    let stdout = stdout_of(
        bin("chaff-label")
            .args(["--output", "jsonl", "--text-field", "body"])
            .arg(&path),
    );
    assert!(
        stdout.contains(r#""meta":{"big": 12345678901234567890123, "x": 1.10}"#),
        "fields chaff does not touch pass through exactly, numbers' digits and all"
    );
    let records = parse_jsonl(stdout.as_bytes());
    assert_eq!(records.len(), 2);
    let r = &records[0];
    assert_eq!(r["id"], 7);
    let cleaned = r["body"].as_str().unwrap();
    let (original, _) = chaff::split::split(&text);
    let removed = r["chaff"]["removed"].as_array().unwrap();
    assert!(!removed.is_empty());
    // Undo: put the removed paragraphs back at their indexes.
    let mut kept = chaff::split::split(cleaned).0.into_iter();
    let mut restored = Vec::new();
    let mut removed = removed.iter().peekable();
    for i in 0..original.len() {
        match removed.peek() {
            Some(rm) if rm["index"] == i => {
                restored.push(removed.next().unwrap()["text"].as_str().unwrap().to_owned())
            }
            _ => restored.push(kept.next().unwrap()),
        }
    }
    assert_eq!(restored, original);
}

#[test]
fn out_dir_mirrors_the_input_tree_and_clean_keeps_what_it_removed() {
    let dir = TestDir::new();
    dir.write("in/a/one.txt", seed_text());
    dir.write("in/two.txt.gz", gzip(seed_text().as_bytes()));
    let out = clean_into(&dir.path("out"), &dir.path("in"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 articles, 24 paragraphs"),
        "{}",
        stderr(&out)
    );
    let one = std::fs::read_to_string(dir.path("out/a/one.txt")).unwrap();
    let two = std::fs::read_to_string(dir.path("out/two.txt")).unwrap();
    assert_eq!(one, two);
    let removed = std::fs::read_to_string(dir.path("out/a/one.txt.removed.jsonl")).unwrap();
    let n_removed = removed.lines().count();
    let (all, _) = chaff::split::split(&seed_text());
    assert_eq!(chaff::split::split(&one).0.len() + n_removed, all.len());
}

#[test]
fn shards_cover_every_file_once() {
    let dir = TestDir::new();
    for i in 0..7 {
        dir.write(
            &format!("in/{i}.txt"),
            format!("Paragraph {i} of the news.\n\nRead: Other story {i}"),
        );
    }
    let mut seen = Vec::new();
    for shard in ["0/3", "1/3", "2/3"] {
        for r in label([
            OsStr::new("--shard"),
            OsStr::new(shard),
            dir.path("in").as_os_str(),
        ]) {
            if r["index"] == 0 {
                seen.push(r["doc"].as_str().unwrap().to_owned());
            }
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 7);
    assert_fails(
        bin("chaff-label")
            .args(["--shard", "3/3"])
            .arg(dir.path("in")),
        2,
        "need 0 <= I < N",
    );
}

#[test]
fn resume_after_a_kill_finishes_every_output_once() {
    let dir = TestDir::new();
    let n = 500;
    for i in 0..n {
        dir.write(
            &format!("in/{i:04}.txt"),
            format!("{}\n\nArticle number {i}.", seed_text()),
        );
    }
    let out_dir = dir.path("out");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("chaff-label"))
        .args(["--output", "clean", "--threads", "1", "--out"])
        .arg(&out_dir)
        .arg(dir.path("in"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once some, but not all, outputs exist.
    let finished = |d: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(d)
            .map(|r| {
                r.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".txt"))
                    .collect()
            })
            .unwrap_or_default()
    };
    let start = std::time::Instant::now();
    while finished(&out_dir).len() < 50 && start.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = finished(&out_dir).len();
    assert!(
        before >= 50 && before < n,
        "killed part way: {before} of {n}"
    );
    let resumed = bin("chaff-label")
        .args(["--output", "clean", "--resume", "--out"])
        .arg(&out_dir)
        .arg(dir.path("in"))
        .output()
        .unwrap();
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    let msg = stderr(&resumed);
    assert!(msg.contains(&format!("{} articles", n - before)), "{msg}");
    assert!(
        msg.contains(&format!("{before} inputs already done")),
        "{msg}"
    );
    let mut names = finished(&out_dir);
    names.sort();
    names.dedup();
    assert_eq!(names.len(), n);
    // Every output, written before the kill or after the resume, is what one uninterrupted run
    // writes: nothing partial was left under a final name, nothing was duplicated.
    let fresh = dir.path("fresh");
    stdout_of(&mut clean_into(&fresh, &dir.path("in")));
    for name in &names {
        let a = std::fs::read(out_dir.join(name)).unwrap();
        let b = std::fs::read(fresh.join(name)).unwrap();
        assert!(a == b, "{name} differs from an uninterrupted run");
        let a = std::fs::read(out_dir.join(format!("{name}.removed.jsonl"))).unwrap();
        let b = std::fs::read(fresh.join(format!("{name}.removed.jsonl"))).unwrap();
        assert!(
            a == b,
            "{name}.removed.jsonl differs from an uninterrupted run"
        );
    }
}

/// chaff-label on `input` fails (status 1) with a message containing `needle`.
fn fails_with(input: &std::path::Path, needle: &str) {
    assert_fails(bin("chaff-label").arg(input), 1, needle);
}

#[test]
fn bad_articles_are_named() {
    let dir = TestDir::new();
    let bin_file = dir.write("x.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00binary");
    fails_with(&bin_file, "x.txt:1: looks like a binary file");
    let latin1 = dir.write("l.txt", b"line one\n\ncaf\xe9\n");
    fails_with(&latin1, "l.txt:3: not valid UTF-8");
    let mut broken = gzip(seed_text().as_bytes());
    broken.truncate(broken.len() / 2);
    let gz = dir.write("b.txt.gz", broken);
    fails_with(&gz, "b.txt.gz");
    fails_with(&gz, "damaged");
    let jsonl = dir.write("r.jsonl", "{\"text\": \"ok\"}\n{\"text\": oops}\n");
    fails_with(&jsonl, "r.jsonl:2: not valid JSON");
    let not_html = dir.write("p.html", "just words, no tags at all");
    fails_with(&not_html, "p.html:1: not HTML");
}

#[test]
fn skip_bad_reports_and_goes_on() {
    let dir = TestDir::new();
    let jsonl = dir.write(
        "r.jsonl",
        "{\"id\": 1, \"text\": \"ok\"}\n{\"text\": oops}\n{\"id\": 3, \"text\": \"fine\"}\n",
    );
    let out = bin("chaff-label")
        .args(["--skip-bad", "--output", "jsonl"])
        .arg(&jsonl)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("skipped: ") && err.contains("r.jsonl:2"),
        "{err}"
    );
    let ids: Vec<i64> = parse_jsonl(&out.stdout)
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [1, 3]);
}

#[test]
fn empty_and_huge_articles() {
    let dir = TestDir::new();
    let empty = dir.write("e.txt", "");
    assert_eq!(stdout_of(bin("chaff-label").arg(&empty)), "");
    let big = dir.write("big.txt", "word ".repeat(200_000));
    assert_eq!(labels_of(&big).len(), 1);
    let deep = dir.write(
        "deep.html",
        "<div>".repeat(20_000) + "<p>Deep paragraph.</p>",
    );
    assert_eq!(labels_of(&deep).len(), 1);
}

#[test]
fn output_never_overwrites_an_input() {
    let dir = TestDir::new();
    let input = dir.write("in/a.txt", seed_text());
    assert_fails(
        &mut clean_into(&dir.path("in"), &dir.path("in")),
        1,
        "would overwrite this input",
    );
    assert_eq!(std::fs::read_to_string(input).unwrap(), seed_text());
}

#[test]
fn unwritable_out_folder_is_named() {
    let dir = TestDir::new();
    let blocker = dir.write("blocker", "a file, not a folder");
    assert_fails(
        bin("chaff-label")
            .arg("--out")
            .arg(blocker.join("sub"))
            .arg(seed().0),
        1,
        "blocker",
    );
}

#[test]
fn empty_stdin_as_a_stream_filter_gives_no_record() {
    let out = stdout_of(
        bin("chaff-label")
            .args(["--output", "jsonl"])
            .write_stdin(""),
    );
    assert_eq!(out, "");
}

#[test]
fn cleaned_articles_in_one_stream_never_run_together() {
    // The sample articles are blank-line text; several end with an insert or an ad, which
    // cleaning removes. Read back, the stream must give exactly the kept paragraphs, in order.
    let folder = crate::util::root().join("data/articles");
    let clean = stdout_of(bin("chaff-label").args(["--output", "clean"]).arg(&folder));
    let records = label([&folder]);
    let kept: Vec<String> = records
        .iter()
        .filter(|r| r["kept"].as_bool().unwrap())
        .map(|r| r["text"].as_str().unwrap().to_owned())
        .collect();
    let removed_last = records
        .windows(2)
        .filter(|w| w[0]["doc"] != w[1]["doc"] && !w[0]["kept"].as_bool().unwrap())
        .count();
    assert!(
        removed_last > 0,
        "the case under test: an article ending in junk"
    );
    let (read_back, _) = chaff::split::split(&clean);
    assert_eq!(read_back, kept);
}

#[test]
fn cleaned_output_of_records_is_named_as_text() {
    let dir = TestDir::new();
    let jsonl = format!("{}\n", serde_json::json!({"id": "a", "text": seed_text()}));
    dir.write("in/a.jsonl", jsonl);
    dir.write("in/b.txt", seed_text());
    stdout_of(&mut clean_into(&dir.path("out"), &dir.path("in")));
    assert!(!dir.path("out/a.jsonl").exists());
    let a = std::fs::read_to_string(dir.path("out/a.jsonl.txt")).unwrap();
    let b = std::fs::read_to_string(dir.path("out/b.txt")).unwrap();
    assert_eq!(a, b);
}

#[test]
fn out_that_is_a_file_is_refused() {
    let dir = TestDir::new();
    let file = dir.write("afile", "not a folder");
    assert_fails(
        bin("chaff-label").arg("--out").arg(&file).arg(seed().0),
        1,
        "afile: the output folder (it is created if missing) is a file",
    );
    assert_eq!(std::fs::read_to_string(file).unwrap(), "not a folder");
}

#[cfg(unix)]
#[test]
fn outputs_get_the_usual_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TestDir::new();
    // Under umask 022 a new file is 0644, not the 0600 of a temporary file.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("umask 022 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_chaff-label"))
        .arg("--out")
        .arg(dir.path("out"))
        .arg(seed().0)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let written: Vec<_> = std::fs::read_dir(dir.path("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let mode = std::fs::metadata(&written[0]).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o644, "{:o}", mode);
}
