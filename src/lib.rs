//! chaff separates the grain of a scraped news article from its chaff: it labels every
//! paragraph (`news`, `related`, `ad`, or whatever labels a model was trained on) with
//! probabilities and cleans the article.
//!
//! # Pipeline
//!
//! One direction, no back and forth; each module owns one step:
//!
//! ```text
//! read      files, folders, stdin; .txt .html .jsonl .csv; .gz .zst   read::
//!  -> split into paragraphs          Document { id, paragraphs, record }  split::, document::
//!  -> featurize each paragraph       text terms + shape + position       features::
//!  -> score with the linear model    per-label probabilities (stage 1)   linear::
//!  -> look at the neighbours         stage 2 from neighbours' stage 1    context::
//!  -> decide                         label, kept or removed              decide::
//!  -> write                          JSONL labels, cleaned text, review  write::
//! ```
//!
//! [`classifier::Classifier`] holds featurizer, both stages and the decision rule in that order:
//! it is the one path from paragraphs to decisions, for labelling ([`pipeline`]) and evaluation
//! ([`eval::evaluate`]) alike. Training ([`train::train`]) runs the same featurizer over
//! [`document::LabelledArticle`]s with checked [`params::ValidTrainParams`] and returns a
//! [`model::Model`], which [`model_file`] saves and loads.
//!
//! # Example
//!
//! ```
//! let model = chaff::model_file::from_bytes(chaff::DEFAULT_MODEL).unwrap();
//! let decisions = model.classifier.label(&[
//!     "Shares in the bookmaker fell 5% after the regulator's ruling.",
//!     "Read more: Ten things to know about the new betting rules",
//! ]);
//! assert_eq!(decisions.len(), 2);
//! ```
//!
//! Library errors are typed ([`error::Error`]) and name the file, line and problem; nothing in
//! the library prints, exits or knows a flag: the binaries (feature `cli`) do that.

pub mod classifier;
pub mod context;
pub mod decide;
pub mod document;
pub mod error;
pub mod eval;
pub mod features;
pub mod linear;
pub mod logistic;
pub mod model;
pub mod model_file;
pub mod params;
pub mod pipeline;
pub mod read;
pub mod split;
pub mod train;
pub mod write;

/// The built-in default model's file, trained on `data/train.csv`.
pub const DEFAULT_MODEL: &[u8] = include_bytes!("../models/default.chaff");
