//! Whole-article scoring throughput (paragraphs per second): featurizer, both stages and the
//! decision, via `Classifier::label`, on articles of `data/train.csv`:
//! `cargo bench --bench score`.

use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

mod common;

fn score(c: &mut Criterion) {
    let classifier = common::classifier();
    let articles = common::articles();
    let refs: Vec<Vec<&str>> = articles
        .iter()
        .map(|a| a.iter().map(String::as_str).collect())
        .collect();
    let n: usize = refs.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("score");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Elements(n as u64));
    group.bench_function(format!("{} articles, {n} paragraphs", refs.len()), |b| {
        b.iter(|| {
            let mut decisions = 0;
            for paragraphs in &refs {
                decisions += classifier.label(black_box(paragraphs)).len();
            }
            black_box(decisions)
        })
    });
    group.finish();
}

criterion_group!(benches, score);
criterion_main!(benches);
