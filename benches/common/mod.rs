//! Shared by the criterion benches: the built-in model and paragraphs from `data/train.csv`.

use std::collections::BTreeMap;
use std::path::Path;

use chaff::classifier::Classifier;

/// Rows read from `data/train.csv` (the first this many, whole articles only).
pub const ROWS: usize = 3000;

/// The built-in model's classifier.
pub fn classifier() -> Classifier {
    chaff::model_file::from_bytes(include_bytes!("../../models/default.chaff"))
        .expect("the built-in model loads")
        .classifier
}

/// The articles of the first [`ROWS`] rows of `data/train.csv` (the last, possibly cut,
/// article dropped), each its paragraphs in position order.
pub fn articles() -> Vec<Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/train.csv");
    let mut reader =
        csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().expect("a header row").clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{}: no {name} column", path.display()))
    };
    let (id, position, text) = (column("article_id"), column("position"), column("text"));
    let mut order: Vec<String> = Vec::new();
    let mut by_id: BTreeMap<String, Vec<(u64, String)>> = BTreeMap::new();
    for record in reader.records().take(ROWS + 1) {
        let record = record.expect("a CSV record");
        let article = record[id].to_string();
        if !by_id.contains_key(&article) {
            order.push(article.clone());
        }
        let pos = record[position].parse().expect("a numeric position");
        by_id
            .entry(article)
            .or_default()
            .push((pos, record[text].to_string()));
    }
    if order.len() > 1 {
        order.pop();
    }
    order
        .into_iter()
        .map(|a| {
            let mut paragraphs = by_id.remove(&a).expect("grouped");
            paragraphs.sort_by_key(|(p, _)| *p);
            paragraphs.into_iter().map(|(_, t)| t).collect()
        })
        .collect()
}
