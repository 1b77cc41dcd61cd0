//! Writing: per-paragraph label records, cleaned articles, and JSONL records with the cleaned
//! text and a `chaff` field from which the removed paragraphs can be restored. Files are written
//! to a temporary name beside their target and renamed when complete. Nothing here decides.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::decide::Decision;
use crate::document::Document;
use crate::error::{Error, Result};

/// What `chaff-label` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum OutputKind {
    /// JSONL, one object per paragraph: doc, index, label, probs, kept, uncertain, text.
    Labels,
    /// The article with only the kept paragraphs, in the input's paragraph layout.
    Clean,
    /// JSONL, one record per article: the input record with the cleaned text and a `chaff`
    /// field holding every paragraph's label and probabilities and the removed paragraphs.
    Jsonl,
}

/// Rounds a probability for output: six decimals are plenty and read better than f32 noise.
fn round(p: f32) -> f64 {
    (f64::from(p) * 1e6).round() / 1e6
}

fn probs_object(labels: &[String], probs: &[f32]) -> Value {
    Value::Object(
        labels
            .iter()
            .zip(probs)
            .map(|(l, p)| (l.clone(), json!(round(*p))))
            .collect(),
    )
}

/// Writes one label record per paragraph.
pub fn labels(
    out: &mut dyn Write,
    doc: &Document,
    decisions: &[Decision],
    labels: &[String],
) -> io::Result<()> {
    records(out, doc, decisions, labels, |_| true)
}

/// Writes the label records of the paragraphs `which` selects: doc, index, label, probs, kept,
/// uncertain, text.
fn records(
    out: &mut dyn Write,
    doc: &Document,
    decisions: &[Decision],
    labels: &[String],
    which: impl Fn(&Decision) -> bool,
) -> io::Result<()> {
    for (i, (text, d)) in doc.paragraphs.iter().zip(decisions).enumerate() {
        if !which(d) {
            continue;
        }
        let record = json!({
            "doc": doc.id,
            "index": i,
            "label": labels[d.label],
            "probs": probs_object(labels, &d.probs),
            "kept": d.kept,
            "uncertain": d.uncertain,
            "text": text,
        });
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The kept paragraphs joined in the document's layout.
pub fn cleaned_text(doc: &Document, decisions: &[Decision]) -> String {
    doc.paragraphs
        .iter()
        .zip(decisions)
        .filter(|(_, d)| d.kept)
        .map(|(p, _)| p.as_str())
        .collect::<Vec<_>>()
        .join(doc.layout.separator())
}

/// Writes the cleaned article, followed by a newline.
pub fn clean(out: &mut dyn Write, doc: &Document, decisions: &[Decision]) -> io::Result<()> {
    let text = cleaned_text(doc, decisions);
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}

/// Writes the label records of the removed paragraphs of one article, so cleaned output can
/// always be undone.
pub fn removed(
    out: &mut dyn Write,
    doc: &Document,
    decisions: &[Decision],
    labels: &[String],
) -> io::Result<()> {
    records(out, doc, decisions, labels, |d| !d.kept)
}

/// Writes one JSONL record for the article: its input record (or `{"id": …}` for other
/// inputs) with `text_field` replaced by the cleaned text and a [`chaff_field`].
pub fn jsonl(
    out: &mut dyn Write,
    doc: &Document,
    decisions: &[Decision],
    labels: &[String],
    text_field: &str,
) -> io::Result<()> {
    let mut record = doc.record.clone().unwrap_or_else(|| {
        let mut m = Map::new();
        m.insert("id".into(), Value::String(doc.id.clone()));
        m
    });
    record.insert(
        text_field.to_owned(),
        Value::String(cleaned_text(doc, decisions)),
    );
    record.insert("chaff".into(), chaff_field(doc, decisions, labels));
    serde_json::to_writer(&mut *out, &Value::Object(record))?;
    out.write_all(b"\n")
}

/// The `chaff` field of a cleaned record, from which the removed paragraphs can be restored:
/// `separator` (the layout's), `paragraphs` (each one's label, kept, uncertain and
/// probabilities, in order) and `removed` (each removed paragraph's index, label and text).
pub fn chaff_field(doc: &Document, decisions: &[Decision], labels: &[String]) -> Value {
    let paragraphs: Vec<Value> = decisions
        .iter()
        .map(|d| {
            json!({
                "label": labels[d.label],
                "kept": d.kept,
                "uncertain": d.uncertain,
                "probs": probs_object(labels, &d.probs),
            })
        })
        .collect();
    let removed: Vec<Value> = doc
        .paragraphs
        .iter()
        .zip(decisions)
        .enumerate()
        .filter(|(_, (_, d))| !d.kept)
        .map(|(i, (text, d))| json!({"index": i, "label": labels[d.label], "text": text}))
        .collect();
    json!({
        "separator": doc.layout.separator(),
        "paragraphs": paragraphs,
        "removed": removed,
    })
}

/// Writes a review CSV of the paragraphs worth a human look: those whose predicted label is not
/// the true one, or that are `uncertain`. Columns: `article_id,position,label,predicted,
/// uncertain,` one `p_<label>` per label, then `text`.
pub fn review(
    out: &mut dyn Write,
    articles: &[crate::document::LabelledArticle],
    decisions: &[Vec<Decision>],
    labels: &[String],
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec![
        "article_id".to_owned(),
        "position".into(),
        "label".into(),
        "predicted".into(),
        "uncertain".into(),
    ];
    header.extend(labels.iter().map(|l| format!("p_{l}")));
    header.push("text".into());
    w.write_record(&header)?;
    for (a, ds) in articles.iter().zip(decisions) {
        for (i, ((text, truth), d)) in a.texts.iter().zip(&a.labels).zip(ds).enumerate() {
            if labels[d.label] == *truth && !d.uncertain {
                continue;
            }
            let mut row = vec![
                a.id.clone(),
                i.to_string(),
                truth.clone(),
                labels[d.label].clone(),
                d.uncertain.to_string(),
            ];
            row.extend(d.probs.iter().map(|p| format!("{:.4}", p)));
            row.push(text.clone());
            w.write_record(&row)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Writes `value` as pretty JSON to `path`, whole or not at all.
pub fn json_file(path: &Path, value: &impl serde::Serialize) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    serde_json::to_writer_pretty(&mut file, value).map_err(|e| Error::io(path, e.into()))?;
    file.commit()
}

/// A file being written: a temporary file beside `target`, renamed onto it by [`commit`].
///
/// [`commit`]: AtomicFile::commit
pub struct AtomicFile {
    target: PathBuf,
    tmp: io::BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing `target`, creating its folder if needed.
    pub fn create(target: &Path) -> Result<AtomicFile> {
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let mut builder = tempfile::Builder::new();
        builder.prefix(".chaff-partial-");
        // Temporary files are private (0600) by default; the finished file should get what
        // any new file gets: 0666 less the umask.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let tmp = builder.tempfile_in(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(AtomicFile {
            target: target.to_owned(),
            tmp: io::BufWriter::with_capacity(1 << 16, tmp),
        })
    }

    /// The final path.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes and renames the file onto its target. Dropping an uncommitted file deletes it.
    pub fn commit(self) -> Result<()> {
        let target = self.target;
        let tmp = self
            .tmp
            .into_inner()
            .map_err(|e| Error::io(&target, e.into_error()))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| Error::io(&target, e))?;
        tmp.persist(&target)
            .map_err(|e| Error::io(&target, e.error))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}
