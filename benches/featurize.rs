//! Featurizer throughput (paragraphs per second) on paragraphs of `data/train.csv`, with
//! reused buffers as the classifier uses them: `cargo bench --bench featurize`.

use std::time::Duration;

use chaff::features::{Features, Scratch};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

mod common;

fn featurize(c: &mut Criterion) {
    let classifier = common::classifier();
    let featurizer = classifier.featurizer();
    let articles = common::articles();
    let n: usize = articles.iter().map(Vec::len).sum();
    let mut scratch = Scratch::default();
    let mut features = Features::default();
    let mut group = c.benchmark_group("featurize");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(n as u64));
    group.bench_function(format!("{n} paragraphs"), |b| {
        b.iter(|| {
            let mut terms = 0;
            for article in &articles {
                for (i, text) in article.iter().enumerate() {
                    featurizer.featurize_into(
                        black_box(text),
                        i,
                        article.len(),
                        &mut scratch,
                        &mut features,
                    );
                    terms += features.terms.len();
                }
            }
            black_box(terms)
        })
    });
    group.finish();
}

criterion_group!(benches, featurize);
criterion_main!(benches);
