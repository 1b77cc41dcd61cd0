//! chaff
pub mod classifier;
pub mod cli;
pub mod context;
pub mod decide;
pub mod document;
pub mod error;
pub mod eval;
pub mod features;
pub mod model;
pub mod model_file;
pub mod pipeline;
pub mod read;
pub mod split;
pub mod train;
pub mod write;
