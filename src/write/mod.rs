//! Writing: per-paragraph label records, cleaned articles, and JSONL records with the cleaned
//! text and a field (`chaff` by default) from which the removed paragraphs can be restored.
//! Files are written to a temporary name beside their target and renamed when complete
//! ([`AtomicFile`]), only onto paths an [`OutputPlan`] has checked. Nothing here decides.

mod atomic;
mod plan;

pub use atomic::{remove_stale_partials, AtomicFile};
pub use plan::OutputPlan;

use std::io::{self, Write};
use std::path::Path;

use serde_json::value::to_raw_value;
use serde_json::{json, Value};

use crate::decide::Decision;
use crate::document::{Document, Record};
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
    /// A review queue: a CSV in the training schema (`article_id,position,text,label`) with the
    /// model's label, an `uncertain` flag and each label's probability, the most uncertain
    /// articles first, for a person to correct and train on.
    Queue,
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

/// The record an article is written back as: its input record, or `{"id": …}` for other
/// inputs.
fn base_record(doc: &Document) -> io::Result<Record> {
    match &doc.record {
        Some(record) => Ok(record.clone()),
        None => Ok(Record::from([("id".into(), to_raw_value(&doc.id)?)])),
    }
}

/// Whether the article's record already has `field`, which [`jsonl`] would overwrite with the
/// labels.
pub fn field_taken(doc: &Document, field: &str) -> bool {
    match &doc.record {
        Some(record) => record.contains_key(field),
        None => field == "id",
    }
}

/// Writes one JSONL record for the article: its input record (or `{"id": …}` for other
/// inputs) with `text_field` replaced by the cleaned text and a [`chaff_field`] record under
/// `field` (overwriting a field of that name: check [`field_taken`] first).
pub fn jsonl(
    out: &mut dyn Write,
    doc: &Document,
    decisions: &[Decision],
    labels: &[String],
    text_field: &str,
    field: &str,
) -> io::Result<()> {
    let mut record = base_record(doc)?;
    record.insert(
        text_field.to_owned(),
        to_raw_value(&cleaned_text(doc, decisions))?,
    );
    record.insert(
        field.to_owned(),
        to_raw_value(&chaff_field(doc, decisions, labels))?,
    );
    serde_json::to_writer(&mut *out, &record)?;
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

/// The review queue's header: the training schema's columns, then `uncertain` and one `p_LABEL`
/// column per label.
pub fn queue_header(out: &mut dyn Write, labels: &[String]) -> io::Result<()> {
    let mut header = vec!["article_id", "position", "text", "label", "uncertain"]
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    header.extend(labels.iter().map(|l| format!("p_{l}")));
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&header)?;
    w.flush()
}

/// One article's rows of the review queue: every paragraph with the model's label (for the
/// reviewer to correct), whether it is uncertain, and its probabilities.
pub fn queue_rows(
    out: &mut dyn Write,
    doc: &Document,
    decisions: &[Decision],
    labels: &[String],
) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    for (i, (text, d)) in doc.paragraphs.iter().zip(decisions).enumerate() {
        let mut row = vec![
            doc.id.clone(),
            i.to_string(),
            text.clone(),
            labels[d.label].clone(),
            d.uncertain.to_string(),
        ];
        row.extend(d.probs.iter().map(|p| round(*p).to_string()));
        w.write_record(&row)?;
    }
    w.flush()
}

/// How much an article needs review: the doubt about its least certain paragraph (one minus
/// that paragraph's top probability), raised by one when any paragraph is flagged uncertain,
/// so flagged articles come first.
pub fn review_priority(decisions: &[Decision]) -> f32 {
    let doubt = decisions
        .iter()
        .map(|d| 1.0 - d.probs.iter().copied().fold(0.0, f32::max))
        .fold(0.0, f32::max);
    doubt + f32::from(u8::from(decisions.iter().any(|d| d.uncertain)))
}

/// Writes `value` as pretty JSON to `path`, whole or not at all.
pub fn json_file(path: &Path, value: &impl serde::Serialize) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    serde_json::to_writer_pretty(&mut file, value).map_err(|e| Error::io(path, e.into()))?;
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Layout;

    #[test]
    fn the_labels_field_is_named_and_a_taken_one_is_seen() {
        let mut doc = Document::new("d", vec!["a".into()], Layout::BlankLine);
        assert!(
            field_taken(&doc, "id"),
            "the id of a record made up for text input"
        );
        assert!(!field_taken(&doc, "chaff"));
        let record: Record =
            serde_json::from_str(r#"{"text": "a", "chaff": "the input's own"}"#).unwrap();
        doc.record = Some(record);
        assert!(field_taken(&doc, "chaff") && !field_taken(&doc, "labels"));
        let decisions = [Decision {
            label: 0,
            probs: vec![1.0],
            kept: true,
            uncertain: false,
        }];
        let mut out = Vec::new();
        jsonl(
            &mut out,
            &doc,
            &decisions,
            &["news".into()],
            "text",
            "labels",
        )
        .unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["chaff"], "the input's own");
        assert_eq!(v["labels"]["paragraphs"][0]["label"], "news");
    }
}
