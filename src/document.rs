//! Plain data that flows through the pipeline: a [`Document`] of paragraphs, how its paragraphs
//! were laid out, and the fields a reader passes through untouched; a [`LabelledArticle`] for
//! training and evaluation. No formats, no model.

use indexmap::IndexMap;
use serde_json::value::RawValue;

/// How a document's paragraphs were separated in its input, so that cleaned output keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Paragraphs separated by blank lines.
    BlankLine,
    /// One paragraph per line (the input had no blank lines).
    Line,
}

impl Layout {
    /// The text that goes between two paragraphs in this layout.
    pub fn separator(self) -> &'static str {
        match self {
            Layout::BlankLine => "\n\n",
            Layout::Line => "\n",
        }
    }
}

/// A JSON Lines record as read: its fields in their order, each value kept as its JSON text, so
/// a field chaff does not touch is written back exactly (a number keeps every digit).
pub type Record = IndexMap<String, Box<RawValue>>;

/// One article: an id, its paragraphs in order, and whatever the reader must pass through.
#[derive(Debug, Clone)]
pub struct Document {
    /// Where the article came from: a path, `-`, a JSONL record's id, or a CSV `article_id`.
    pub id: String,
    /// The paragraphs, in order, trimmed of surrounding white space.
    pub paragraphs: Vec<String>,
    /// How the paragraphs were separated.
    pub layout: Layout,
    /// For JSON Lines input, the whole record, written back with the cleaned text.
    pub record: Option<Record>,
    /// For labelled input (a training CSV), the true label of each paragraph.
    pub labels: Option<Vec<String>>,
}

impl Document {
    /// A document with no passthrough record and no labels.
    pub fn new(id: impl Into<String>, paragraphs: Vec<String>, layout: Layout) -> Document {
        Document {
            id: id.into(),
            paragraphs,
            layout,
            record: None,
            labels: None,
        }
    }

    /// The paragraphs as string slices, which is what the classifier takes.
    pub fn paragraph_refs(&self) -> Vec<&str> {
        self.paragraphs.iter().map(String::as_str).collect()
    }
}

/// One labelled article: its paragraphs in order, with their labels.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledArticle {
    /// The article id (unique within the training data).
    pub id: String,
    /// The fold group: the article id, or the value of a grouping column (say, the source).
    pub group: String,
    /// The value of the column held out to choose the keep threshold, if any: the keep threshold is then chosen
    /// from predictions of models that never saw the paragraph's value (say, its source).
    pub held_out_group: Option<String>,
    /// The paragraphs, in order.
    pub texts: Vec<String>,
    /// One label per paragraph.
    pub labels: Vec<String>,
}
