//! The library's evaluation on the built-in model: what `chaff::eval::evaluate` scores.

use chaff::eval::{evaluate, Report};

/// Stage 1 alone is scored paragraph by paragraph against the right truth, across
/// articles of different lengths, and serialized beside the report's fields.
#[test]
fn evaluation_scores_stage1_alone_too() {
    let model = chaff::model_file::from_bytes(chaff::DEFAULT_MODEL).unwrap();
    let c = &model.classifier;
    let article = |id: &str, texts: &[&str], labels: &[&str]| chaff::document::LabelledArticle {
        id: id.into(),
        group: id.into(),
        held_out_group: None,
        texts: texts.iter().map(|t| (*t).to_owned()).collect(),
        labels: labels.iter().map(|l| (*l).to_owned()).collect(),
    };
    let articles = [
        article(
            "a",
            &[
                "Kazakhstan reaffirms its neutrality",
                "Tokayev said Kazakhstan would stay neutral over Ukraine, officials said on Monday.",
                "Follow live the latest news on the war in Ukraine.",
                "The president repeated the position in a call with European leaders.",
                "BetMGM Casino",
            ],
            &["news", "news", "related", "news", "ad"],
        ),
        // Deliberately wrong truth, so the two scores cannot agree by chance.
        article("b", &["Read: Solana suffers a new major breakdown"], &["ad"]),
    ];
    let (evaluation, decisions) = evaluate(c, &articles, true);
    let mut pairs = Vec::new();
    for a in &articles {
        let texts: Vec<&str> = a.texts.iter().map(String::as_str).collect();
        let (stage1, _) = c.stage1_probabilities(&texts);
        for (truth, p) in a.labels.iter().zip(&stage1) {
            pairs.push((
                truth.as_str(),
                c.labels()[chaff::decide::argmax(p)].as_str(),
            ));
        }
    }
    assert_eq!(
        evaluation.stage1_macro_f1,
        Report::from_pairs(pairs).macro_f1
    );
    assert_eq!(decisions.iter().map(Vec::len).collect::<Vec<_>>(), [5, 1]);
    assert!(
        evaluation.report.macro_f1 < 1.0,
        "article b's truth is wrong on purpose"
    );
    let v = serde_json::to_value(&evaluation).unwrap();
    assert_eq!(v["stage1_macro_f1"], evaluation.stage1_macro_f1);
    assert_eq!(v["macro_f1"], evaluation.report.macro_f1);
    assert_eq!(v["labels"]["ad"]["support"], 2);
    // Calibration covers every paragraph, with its final probabilities.
    let binned: u64 = evaluation
        .calibration
        .bins
        .iter()
        .map(|b| b.paragraphs)
        .sum();
    assert_eq!(binned, 6);
    let news = c.labels().iter().position(|l| l == "news").unwrap();
    let p_news: f64 = decisions
        .iter()
        .flatten()
        .map(|d| f64::from(d.probs[news]))
        .sum();
    let binned_p: f64 = evaluation
        .calibration
        .bins
        .iter()
        .map(|b| b.mean_prob * b.paragraphs as f64)
        .sum();
    assert!((p_news - binned_p).abs() < 1e-6, "{p_news} vs {binned_p}");
    assert_eq!(v["calibration"]["ece"], evaluation.calibration.ece);
    // Per group: each article's own paragraphs, and nothing when not asked.
    let rows: Vec<(&str, u64)> = evaluation
        .by_group
        .iter()
        .map(|(g, r)| (g.as_str(), r.rows()))
        .collect();
    assert_eq!(rows, [("a", 5), ("b", 1)]);
    assert_eq!(
        evaluation.by_group["b"].confusion["ad"]
            .values()
            .sum::<u64>(),
        1
    );
    assert!(evaluate(c, &articles, false).0.by_group.is_empty());
}
