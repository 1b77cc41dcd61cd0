//! `chaff-train`: learns a model from labelled CSVs and writes it with its cross-validated report.
// Every write to standard output and standard error goes through `cli`, which fails with an
// error instead of panicking.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use anyhow::Context as _;

use chaff::error::Error;
use chaff::eval::{choose_threshold, CvReport, ThresholdPoint};
use chaff::features::FeaturizerSettings;
use chaff::params::{self, TrainParams, ValidTrainParams};
use chaff::write::OutputPlan;
use chaff::{model_file, read, train};

mod cli;

use cli::args::{self as parse, Typed};

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
    /// --target-keep-recall].
    #[arg(long, value_name = "P", alias = "min-news-prob", value_parser = parse::typed::<f32>)]
    min_keep_prob: Option<Typed<f32>>,
    /// The recall of kept labels, out of fold (or on the held-out groups of --threshold-by), the
    /// automatic threshold aims at.
    #[arg(
        long,
        default_value = "0.997",
        value_name = "R",
        alias = "target-news-recall",
        value_parser = parse::typed::<f32>
    )]
    target_keep_recall: Typed<f32>,
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
    #[arg(long, default_value_t = Typed::from(params::DEFAULT_ALPHA), value_parser = parse::typed::<f32>)]
    alpha: Typed<f32>,
    /// Most optimizer iterations per fit.
    #[arg(long, default_value_t = params::DEFAULT_MAX_ITERATIONS)]
    max_iterations: u64,
    /// The most one training CSV may hold after decompression (K, M, G: powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = parse::byte_size)]
    max_input_bytes: u64,
    /// The most one CSV row may hold.
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse::byte_size)]
    max_record_bytes: u64,
    /// Worker threads [default: all cores; at most 4 per core].
    #[arg(long, value_parser = parse::thread_count)]
    threads: Option<usize>,
}

fn main() -> ExitCode {
    cli::main_with("chaff-train", || run(Args::parse()))
}

fn run(args: Args) -> anyhow::Result<ExitCode> {
    cli::set_threads("chaff-train", args.threads)?;
    let params = params(&args)?;
    plan_outputs(&args)?;
    let mut articles = Vec::new();
    for path in &args.data {
        let grouping = read::csv::Grouping {
            folds: args.group_by.as_deref(),
            held_out: args.threshold_by.as_deref(),
        };
        let limits = read::Limits {
            input_bytes: args.max_input_bytes,
            record_bytes: args.max_record_bytes,
        };
        articles.extend(read::csv::read_labelled(path, grouping, &limits)?);
    }
    cli::stderr_line(&format!(
        "chaff-train: {} paragraphs in {} articles; cross-validating with {}",
        articles.iter().map(|a| a.texts.len()).sum::<usize>(),
        articles.len(),
        if params.folds() == usize::MAX {
            "one fold per group".to_owned()
        } else {
            format!("up to {} folds", params.folds())
        }
    ));
    let start = std::time::Instant::now();
    let data = || {
        let names: Vec<String> = args.data.iter().map(|p| p.display().to_string()).collect();
        names.join(", ")
    };
    let model = train::train(&articles, &params).with_context(data)?;
    let seconds = start.elapsed().as_secs_f64();
    // A report that cannot be printed (a full disk, a closed pipe) loses no model.
    let printed = print_report(&args, &model.report);
    if let Some(path) = &args.report_json {
        chaff::write::json_file(path, &model.report)?;
    }
    model_file::save(&model, &args.out)?;
    cli::stderr_line(&format!(
        "chaff-train: wrote {} ({} vocabulary terms) in {:.1} s",
        args.out.display(),
        model.classifier.featurizer().vocabulary().len(),
        seconds
    ));
    printed.with_context(|| {
        format!(
            "{} was written, but the report could not be printed",
            args.out.display()
        )
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Checks, before any training, that the model and report may be written where asked: not
/// onto a training CSV, a symbolic link, a device or each other.
fn plan_outputs(args: &Args) -> anyhow::Result<()> {
    let mut plan = OutputPlan::new();
    for path in &args.data {
        plan.input(path);
    }
    plan.claim(&args.out, "the model (--out)")?;
    if let Some(path) = &args.report_json {
        plan.claim(path, "the report (--report-json)")?;
    }
    plan.remove_stale_partials()?;
    Ok(())
}

/// The checked training parameters the flags ask for; a bad value names its flag.
fn params(args: &Args) -> anyhow::Result<ValidTrainParams> {
    // With --group-by, hold each value out in turn unless told otherwise (training caps the
    // folds at the number of groups).
    let folds = args.folds.unwrap_or(match args.group_by {
        Some(_) => usize::MAX,
        None => params::DEFAULT_FOLDS,
    });
    let mut params = TrainParams::default()
        .folds(folds)
        .seed(args.seed)
        .alpha(args.alpha.value)
        .max_iterations(args.max_iterations)
        .featurizer(FeaturizerSettings {
            vocab_size: args.vocab_size,
            overlap_stop_words: args.overlap_stop_words,
            overlap_prior: args.overlap_prior,
            ..FeaturizerSettings::default()
        })
        .target_keep_recall(args.target_keep_recall.value);
    if let Some(p) = &args.min_keep_prob {
        params = params.min_keep_prob(p.value);
    }
    if !args.keep.is_empty() {
        let keep = args
            .keep
            .iter()
            .map(|k| {
                read::csv::normalize_label(k)
                    .map_err(|problem| anyhow::anyhow!("--keep {k:?}: {problem}"))
            })
            .collect::<anyhow::Result<_>>()?;
        params = params.keep(keep);
    }
    let typed = [
        ("alpha", Some(args.alpha.text.as_str())),
        (
            "target_keep_recall",
            Some(args.target_keep_recall.text.as_str()),
        ),
        (
            "min_keep_prob",
            args.min_keep_prob.as_ref().map(|t| t.text.as_str()),
        ),
    ];
    params
        .check()
        .map_err(|e| cli::as_typed(e, &typed))
        .map_err(|e| match &e {
            Error::BadParameter { name, .. } => {
                let flag = name.replace('_', "-");
                anyhow::Error::new(e).context(format!("--{flag}"))
            }
            _ => e.into(),
        })
}

/// Prints the cross-validated report: overall, the threshold sweep, calibration, held-out
/// groups; the warning of a missed recall target goes to standard error between them.
fn print_report(args: &Args, report: &CvReport) -> anyhow::Result<()> {
    let mut text = String::new();
    writeln!(
        text,
        "cross-validated over {} folds grouped by {} (stage 1 alone: macro-F1 {:.4})\n",
        report.folds,
        args.group_by.as_deref().unwrap_or("article_id"),
        report.stage1_macro_f1
    )?;
    text.push_str(&report.overall.to_table());
    writeln!(
        text,
        "\nkeep threshold {} (news kept / junk removed, out of fold:{})",
        report.min_keep_prob,
        sweep_line(&report.thresholds)
    )?;
    let c = &report.calibration;
    writeln!(
        text,
        "\n{} (out of fold)\n{}",
        c.summary_line(),
        c.to_table()
    )?;
    let column = args.threshold_by.as_deref().unwrap_or_default();
    if let Some(h) = &report.held_out {
        writeln!(
            text,
            "\nthe threshold is chosen with each {column} held out in turn (news kept / junk \
             removed:{})\npooled macro-F1 {:.4} at {}; {}",
            sweep_line(&h.thresholds),
            h.macro_f1,
            report.min_keep_prob,
            h.calibration.summary_line()
        )?;
        for (group, r) in &h.by_group {
            writeln!(text, "held out {column} {group:?}: {}", r.summary_line())?;
        }
    }
    let printed = cli::print(&text);
    if args.min_keep_prob.is_none() {
        warn_if_target_missed(args, report);
    }
    printed?;
    let mut text = String::new();
    for (group, r) in &report.by_group {
        writeln!(text, "\nheld out {group:?}: {}", r.summary_line())?;
    }
    cli::print(&text)
}

/// A warning when no threshold of the sweep the threshold was chosen from keeps the target
/// share of the kept labels.
fn warn_if_target_missed(args: &Args, report: &CvReport) {
    let sweep = report.threshold_source();
    let target = args.target_keep_recall.value;
    let chosen = choose_threshold(sweep, f64::from(target));
    let point = sweep
        .iter()
        .find(|p| p.min_keep_prob == chosen.min_keep_prob);
    if let (false, Some(p)) = (chosen.reaches_target, point) {
        let column = args.threshold_by.as_deref().unwrap_or_default();
        let where_ = match &report.held_out {
            Some(_) => format!("with each {column} held out"),
            None => "out of fold".to_owned(),
        };
        cli::stderr_line(&format!(
            "chaff-train: warning: no threshold keeps {target} of the kept labels {where_}; \
             the lowest, {}, keeps {:.4} (and the macro-F1 above pays for it). More \
             training data, --target-keep-recall or --min-keep-prob change this.",
            p.min_keep_prob, p.keep_recall
        ));
    }
}

/// Each threshold of a sweep with the recall of kept and of removed labels.
fn sweep_line(sweep: &[ThresholdPoint]) -> String {
    sweep
        .iter()
        .map(|p| {
            format!(
                " {}: {:.4}/{:.4}",
                p.min_keep_prob, p.keep_recall, p.removed_recall
            )
        })
        .collect()
}
