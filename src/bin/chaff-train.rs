//! `chaff-train`: learns a model from labelled CSVs and writes it with its cross-validated report.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use chaff::cli;
use chaff::error::Error;
use chaff::features::FeaturizerSettings;
use chaff::train::{self, TrainParams};
use chaff::{model_file, read};

/// Learn a paragraph classifier from labelled CSVs.
///
/// Each CSV needs `text` and `label` columns; `article_id` and `position` are used when present,
/// so the model sees each paragraph's neighbours. Cross-validates with folds grouped by article
/// (or by --group-by), prints the report, then fits on everything and writes one model file.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// A labelled CSV (repeat for more).
    #[arg(long = "data", required = true, value_name = "FILE.csv")]
    data: Vec<PathBuf>,
    /// Where to write the model file (written whole or not at all).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Cross-validation folds [default: 3; with --group-by, one per distinct value].
    #[arg(long)]
    folds: Option<usize>,
    /// Group folds by this column instead of `article_id` and report each value on its own
    /// (`--group-by source`: leave-one-source-out, each source scored by models that never saw it).
    #[arg(long, value_name = "COLUMN")]
    group_by: Option<String>,
    /// Choose the keep threshold on this column's values held out in turn, each scored by
    /// models that never saw it (`--threshold-by source`: a threshold that holds on sources
    /// unlike the training data; one more fit of both stages per value).
    #[arg(long, value_name = "COLUMN")]
    threshold_by: Option<String>,
    /// Seed for the fold assignment.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Also write the cross-validated report as JSON to this file.
    #[arg(long, value_name = "FILE")]
    report_json: Option<PathBuf>,
    /// Label kept in cleaned output (repeat for more) [default: news, or the commonest label].
    #[arg(long, value_name = "LABEL")]
    keep: Vec<String>,
    /// Keep threshold stored in the model: a paragraph is kept when its kept labels'
    /// probability reaches this [default: chosen from the cross-validation (or the held-out
    /// groups of --threshold-by), the highest threshold whose news recall reaches
    /// --target-news-recall].
    #[arg(long, value_name = "P")]
    min_news_prob: Option<f32>,
    /// The recall of kept labels, out of fold (or on the held-out groups of --threshold-by), the
    /// automatic threshold aims at.
    #[arg(long, default_value_t = 0.997, value_name = "R")]
    target_news_recall: f32,
    /// Number of vocabulary terms.
    #[arg(long, default_value_t = FeaturizerSettings::default().vocab_size)]
    vocab_size: usize,
    /// How many of the most widespread words (by the number of articles using them) the
    /// article-overlap feature of the context stage ignores.
    #[arg(long, default_value_t = FeaturizerSettings::default().overlap_stop_words, value_name = "N")]
    overlap_stop_words: usize,
    /// Unshared words the article-overlap feature assumes in every paragraph.
    #[arg(long, default_value_t = FeaturizerSettings::default().overlap_prior, value_name = "N")]
    overlap_prior: usize,
    /// L2 regularization of the paragraph model.
    #[arg(long, default_value_t = train::DEFAULT_ALPHA)]
    alpha: f32,
    /// Most optimizer iterations per fit.
    #[arg(long, default_value_t = train::DEFAULT_MAX_ITERATIONS)]
    max_iterations: u64,
    /// Worker threads [default: all cores].
    #[arg(long)]
    threads: Option<usize>,
}

fn main() -> ExitCode {
    cli::main_with("chaff-train", || run(Args::parse()))
}

fn run(args: Args) -> anyhow::Result<ExitCode> {
    cli::set_threads(args.threads)?;
    // With --group-by, hold each value out in turn unless told otherwise (train caps the folds
    // at the number of groups).
    let folds = args.folds.unwrap_or(match args.group_by {
        Some(_) => usize::MAX,
        None => train::DEFAULT_FOLDS,
    });
    let params = TrainParams::default()
        .folds(folds)
        .seed(args.seed)
        .alpha(args.alpha)
        .max_iterations(args.max_iterations)
        .featurizer(FeaturizerSettings {
            vocab_size: args.vocab_size,
            overlap_stop_words: args.overlap_stop_words,
            overlap_prior: args.overlap_prior,
            ..FeaturizerSettings::default()
        })
        .target_keep_recall(args.target_news_recall);
    let params = match args.min_news_prob {
        Some(p) => params.min_keep_prob(p),
        None => params,
    };
    let params = if args.keep.is_empty() {
        params
    } else {
        params.keep(args.keep.clone())
    };
    let params = params.check()?;
    let mut articles = Vec::new();
    for path in &args.data {
        let grouping = read::csv::Grouping {
            folds: args.group_by.as_deref(),
            held_out: args.threshold_by.as_deref(),
        };
        articles.extend(read::csv::read_labelled(path, grouping)?);
    }
    let labels: std::collections::BTreeSet<&str> = articles
        .iter()
        .flat_map(|a| a.labels.iter().map(String::as_str))
        .collect();
    if labels.len() < 2 {
        let names: Vec<String> = args.data.iter().map(|p| p.display().to_string()).collect();
        return Err(Error::TooFewLabels {
            path: PathBuf::from(names.join(", ")),
            found: labels
                .into_iter()
                .map(|l| format!("only {l:?}"))
                .collect::<Vec<_>>()
                .join(""),
        }
        .into());
    }
    if let Some(keep) = &params_keep(&args.keep) {
        for k in keep {
            if !labels.contains(k.as_str()) {
                anyhow::bail!(
                    "--keep {k:?} is not a label of the training data ({})",
                    labels.into_iter().collect::<Vec<_>>().join(", ")
                );
            }
        }
    }
    eprintln!(
        "chaff-train: {} paragraphs in {} articles; cross-validating with {}",
        articles.iter().map(|a| a.texts.len()).sum::<usize>(),
        articles.len(),
        if folds == usize::MAX {
            "one fold per group".to_owned()
        } else {
            format!("up to {folds} folds")
        }
    );
    let start = std::time::Instant::now();
    let trained = train::train(&articles, &params)?;
    let seconds = start.elapsed().as_secs_f64();
    let report = &trained.report;
    println!(
        "cross-validated over {} folds grouped by {} (stage 1 alone: macro-F1 {:.4})\n",
        report.folds,
        args.group_by.as_deref().unwrap_or("article_id"),
        report.stage1_macro_f1
    );
    print!("{}", report.overall().to_table());
    let sweep_line = |sweep: &[chaff::eval::ThresholdPoint]| {
        sweep
            .iter()
            .map(|p| {
                format!(
                    " {}: {:.4}/{:.4}",
                    p.min_keep_prob, p.keep_recall, p.removed_recall
                )
            })
            .collect::<String>()
    };
    println!(
        "\nkeep threshold {} (news kept / junk removed, out of fold:{})",
        report.min_keep_prob,
        sweep_line(&report.thresholds)
    );
    if let Some(c) = &report.calibration {
        println!("\n{} (out of fold)\n{}", c.summary_line(), c.to_table());
    }
    let column = args.threshold_by.as_deref().unwrap_or_default();
    if let Some(h) = &report.held_out {
        println!(
            "\nthe threshold is chosen with each {column} held out in turn (news kept / junk \
             removed:{})\npooled macro-F1 {:.4} at {}; {}",
            sweep_line(&h.thresholds),
            h.macro_f1,
            report.min_keep_prob,
            h.calibration.summary_line()
        );
        for (group, r) in &h.by_group {
            println!("held out {column} {group:?}: {}", r.summary_line());
        }
    }
    let where_ = match &report.held_out {
        Some(_) => format!("with each {column} held out"),
        None => "out of fold".to_owned(),
    };
    let chosen = report
        .threshold_source()
        .iter()
        .find(|p| p.min_keep_prob == report.min_keep_prob);
    if let (None, Some(p)) = (args.min_news_prob, chosen) {
        if p.keep_recall < f64::from(args.target_news_recall) {
            eprintln!(
                "chaff-train: warning: no threshold keeps {} of the kept labels {where_}; \
                 the lowest, {}, keeps {:.4} (and the macro-F1 above pays for it). More \
                 training data, --target-news-recall or --min-news-prob change this.",
                args.target_news_recall, p.min_keep_prob, p.keep_recall
            );
        }
    }
    for (group, r) in &report.by_group {
        println!("\nheld out {group:?}: {}", r.summary_line());
    }
    if let Some(path) = &args.report_json {
        chaff::write::json_file(path, report)?;
    }
    model_file::save(&trained, &args.out)?;
    eprintln!(
        "chaff-train: wrote {} ({} vocabulary terms) in {:.1} s",
        args.out.display(),
        trained.classifier.featurizer().vocabulary().len(),
        seconds
    );
    Ok(ExitCode::SUCCESS)
}

fn params_keep(keep: &[String]) -> Option<Vec<String>> {
    if keep.is_empty() {
        None
    } else {
        Some(keep.to_vec())
    }
}
