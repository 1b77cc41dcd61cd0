//! chaff's integration tests, one binary (as ripgrep does): a module per area.

mod util;

mod cli;
mod library;
