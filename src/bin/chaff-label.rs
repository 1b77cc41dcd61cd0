//! `chaff-label`: labels every paragraph of new articles, or writes the cleaned articles.
// Every write to standard output and standard error goes through `cli`, which fails with an
// error instead of panicking.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};

use chaff::classifier::Classifier;
use chaff::decide::Thresholds;
use chaff::error::Error;
use chaff::eval;
use chaff::model::Model;
use chaff::model_file;
use chaff::pipeline::{self, RunOptions};
use chaff::read::{self, Format, Limits, ReadOptions};
use chaff::write::{OutputKind, OutputPlan};

mod cli;
mod progress;

use cli::args::{self as parse, Typed};

/// Label the paragraphs of scraped articles as news, related-link inserts or ads, or clean them.
///
/// INPUT is a file or a folder (walked recursively) of .txt, .html, .jsonl or .csv files, each
/// optionally gzip- or zstd-compressed; `-` or no INPUT reads standard input.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Files or folders to label; `-` or none for standard input.
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Model file [default: the built-in model].
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// What to write.
    #[arg(long, value_enum, default_value_t = OutputKind::Labels)]
    output: OutputKind,
    /// Label to keep in cleaned output (repeat for more) [default: the model's, `news`].
    #[arg(long, value_name = "LABEL")]
    keep: Vec<String>,
    /// Keep a paragraph when the probability of the kept labels is at least this [default: the
    /// model's]. Lower keeps more news and more junk; higher removes more of both.
    #[arg(long, value_name = "P", alias = "min-news-prob", value_parser = parse::typed::<f32>)]
    min_keep_prob: Option<Typed<f32>>,
    /// Flag paragraphs whose kept probability is within this of the threshold as uncertain
    /// [default: the model's].
    #[arg(long, value_name = "M", value_parser = parse::typed::<f32>)]
    uncertain_margin: Option<Typed<f32>>,
    /// Evaluate on a labelled CSV (training schema) instead of labelling; prints the report.
    #[arg(long, value_name = "FILE.csv", conflicts_with = "inputs")]
    eval: Option<PathBuf>,
    /// With --eval, also write the report as JSON to this file.
    #[arg(long, value_name = "FILE", requires = "eval")]
    report_json: Option<PathBuf>,
    /// With --eval, also report each value of this column on its own (`--group-by source`:
    /// one line per source), in the printed report and the JSON's `by_group`.
    #[arg(long, value_name = "COLUMN", requires = "eval")]
    group_by: Option<String>,
    /// With --eval, also write the paragraphs that were mislabelled or uncertain to this CSV
    /// (true and predicted label, probabilities, text), for review.
    #[arg(long, value_name = "FILE.csv", requires = "eval")]
    review: Option<PathBuf>,
    /// Input format.
    #[arg(long, value_enum, default_value_t = Format::Auto)]
    format: Format,
    /// JSONL field holding the article text.
    #[arg(long, default_value = "text")]
    text_field: String,
    /// JSONL field holding the article id.
    #[arg(long, default_value = "id")]
    id_field: String,
    /// With --output jsonl, the field that receives each article's labels and removed
    /// paragraphs. A record that already has it is refused rather than overwritten; to label
    /// chaff's own output again, name another field, and both passes are kept.
    #[arg(long, value_name = "NAME", default_value = "chaff")]
    chaff_field: String,
    /// Write one output file per input under this folder (mirroring the input tree) instead of
    /// to standard output; each file appears only when complete.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// With --out, skip inputs whose output already exists.
    #[arg(long, requires = "out")]
    resume: bool,
    /// Report bad inputs and records on standard error and go on, instead of stopping: a file
    /// or folder that cannot be read (a dangling link, a link loop), a folder without input
    /// files, a bad record.
    #[arg(long)]
    skip_bad: bool,
    /// Process every N-th input file starting at I (0-based), written I/N. Not for standard
    /// input, which is one stream.
    #[arg(long, value_name = "I/N", value_parser = parse::shard)]
    shard: Option<(usize, usize)>,
    /// The most one input may hold after decompression; a larger one is an error (K, M, G: powers
    /// of 1024).
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = parse::byte_size)]
    max_input_bytes: u64,
    /// The most one record may hold (a JSON Lines line, a CSV row); a longer one is an error
    /// (passed over with --skip-bad).
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse::byte_size)]
    max_record_bytes: u64,
    /// Worker threads [default: all cores; at most 4 per core].
    #[arg(long, value_parser = parse::thread_count)]
    threads: Option<usize>,
    /// Show a progress bar even when standard error is not a terminal.
    #[arg(long)]
    progress: bool,
    /// Print the model's labels, training summary and cross-validated report, and exit.
    #[arg(long)]
    info: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // clap does not enforce `requires = "eval"` once an INPUT is given (INPUT conflicts with
    // --eval), so the flags that only mean something with --eval are checked here.
    if args.eval.is_none() {
        let eval_only = [
            ("--report-json", args.report_json.is_some()),
            ("--review", args.review.is_some()),
            ("--group-by", args.group_by.is_some()),
        ];
        if let Some((flag, _)) = eval_only.iter().find(|(_, given)| *given) {
            Args::command()
                .bin_name("chaff-label")
                .error(
                    ErrorKind::MissingRequiredArgument,
                    format!("{flag} only works with --eval FILE.csv"),
                )
                .exit();
        }
    }
    if args.shard.is_some()
        && (args.inputs.is_empty() || args.inputs.iter().any(|p| p.as_os_str() == "-"))
        && args.eval.is_none()
    {
        Args::command()
            .bin_name("chaff-label")
            .error(
                ErrorKind::ArgumentConflict,
                "--shard splits files and folders; standard input is one stream",
            )
            .exit();
    }
    cli::main_with("chaff-label", || run(args))
}

fn load_model(path: Option<&PathBuf>) -> anyhow::Result<Model> {
    Ok(match path {
        Some(p) => model_file::load(p)?,
        None => {
            model_file::from_bytes(chaff::DEFAULT_MODEL).map_err(|problem| Error::BadModel {
                path: "<built-in model>".into(),
                problem,
            })?
        }
    })
}

fn run(args: Args) -> anyhow::Result<ExitCode> {
    cli::set_threads("chaff-label", args.threads)?;
    let model = load_model(args.model.as_ref())?;
    let classifier = decision_rule(&args, &model)?;
    if args.info {
        print_info(&model, &classifier)?;
    } else if let Some(path) = &args.eval {
        evaluate(&args, path, &classifier)?;
    } else {
        return label(&args, &classifier);
    }
    Ok(ExitCode::SUCCESS)
}

/// The model's classifier with the kept labels and thresholds asked for.
fn decision_rule(args: &Args, model: &Model) -> anyhow::Result<Classifier> {
    let keep = if args.keep.is_empty() {
        model.classifier.keep().to_vec()
    } else {
        keep_labels(&args.keep)?
    };
    let defaults = model.classifier.thresholds();
    let thresholds = Thresholds {
        min_keep_prob: args
            .min_keep_prob
            .as_ref()
            .map_or(defaults.min_keep_prob, |p| p.value),
        uncertain_margin: args
            .uncertain_margin
            .as_ref()
            .map_or(defaults.uncertain_margin, |m| m.value),
    };
    model
        .classifier
        .clone()
        .with_decision(keep, thresholds)
        .map_err(|e| {
            let typed = [
                (
                    "min_keep_prob",
                    args.min_keep_prob.as_ref().map(|t| t.text.as_str()),
                ),
                (
                    "uncertain_margin",
                    args.uncertain_margin.as_ref().map(|t| t.text.as_str()),
                ),
            ];
            let e = cli::as_typed(e, &typed);
            let name = args
                .model
                .as_ref()
                .map_or("the built-in model".into(), |p| p.display().to_string());
            let flag = match &e {
                Error::BadParameter { name, .. } => format!("--{}", name.replace('_', "-")),
                _ => "--keep".into(),
            };
            anyhow::anyhow!("{e} (model: {name}); check {flag}")
        })
}

/// The `--keep` labels as training spelled them (see `chaff::read::csv::normalize_label`).
fn keep_labels(keep: &[String]) -> anyhow::Result<Vec<String>> {
    keep.iter()
        .map(|k| {
            read::csv::normalize_label(k)
                .map_err(|problem| anyhow::anyhow!("--keep {k:?}: {problem}"))
        })
        .collect()
}

/// `--info`: the model's labels, decision rule, training data and report.
fn print_info(model: &Model, classifier: &Classifier) -> anyhow::Result<()> {
    let mut text = String::new();
    writeln!(text, "labels: {}", classifier.labels().join(", "))?;
    writeln!(text, "kept: {}", classifier.keep().join(", "))?;
    let t = classifier.thresholds();
    writeln!(
        text,
        "keep threshold: {} (uncertain within {})",
        t.min_keep_prob, t.uncertain_margin
    )?;
    writeln!(
        text,
        "training data: {}",
        serde_json::to_string(&model.summary)?
    )?;
    text.push_str(&model.report.overall.to_table());
    let c = &model.report.calibration;
    writeln!(text, "\n{} (out of fold)", c.summary_line())?;
    if let Some(h) = &model.report.held_out {
        writeln!(
            text,
            "\nthreshold chosen on held-out groups (pooled macro-F1 {:.4}, {})",
            h.macro_f1,
            h.calibration.summary_line()
        )?;
        for (group, r) in &h.by_group {
            writeln!(text, "held out {group:?}: {}", r.summary_line())?;
        }
    }
    cli::print(&text)
}

/// `--eval`: scores a labelled CSV, writes the review and JSON files, and prints the report.
fn evaluate(args: &Args, path: &std::path::Path, classifier: &Classifier) -> anyhow::Result<()> {
    let grouping = read::csv::Grouping {
        folds: args.group_by.as_deref(),
        ..Default::default()
    };
    let mut plan = OutputPlan::new();
    plan.input(path);
    if let Some(model) = &args.model {
        plan.input(model);
    }
    if let Some(out) = &args.review {
        plan.claim(out, "the review (--review)")?;
    }
    if let Some(out) = &args.report_json {
        plan.claim(out, "the report (--report-json)")?;
    }
    plan.remove_stale_partials()?;
    let articles = read::csv::read_labelled(path, grouping, &limits(args))?;
    let (evaluation, decisions) = eval::evaluate(classifier, &articles, args.group_by.is_some());
    let mut text = evaluation.report.to_table();
    writeln!(
        text,
        "\nstage 1 alone (each paragraph without its neighbours): macro-F1 {:.4}",
        evaluation.stage1_macro_f1
    )?;
    let c = &evaluation.calibration;
    writeln!(text, "\n{}\n{}", c.summary_line(), c.to_table())?;
    for (group, r) in &evaluation.by_group {
        let column = args.group_by.as_deref().unwrap_or_default();
        writeln!(text, "\n{column} {group:?}: {}", r.summary_line())?;
    }
    if let Some(out) = &args.review {
        let mut file = chaff::write::AtomicFile::create(out)?;
        chaff::write::review(&mut file, &articles, &decisions, classifier.labels())
            .map_err(|e| anyhow::anyhow!("{}: {e}", out.display()))?;
        file.commit()?;
    }
    if let Some(out) = &args.report_json {
        chaff::write::json_file(out, &evaluation)?;
    }
    // Printed last, so that a full or closed standard output loses no file.
    cli::print(&text)
}

/// The caps on inputs the flags ask for.
fn limits(args: &Args) -> Limits {
    Limits {
        input_bytes: args.max_input_bytes,
        record_bytes: args.max_record_bytes,
    }
}

/// Labels or cleans the inputs, to standard output or under `--out`.
fn label(args: &Args, classifier: &Classifier) -> anyhow::Result<ExitCode> {
    let options = RunOptions {
        output: args.output,
        out_dir: args.out.clone(),
        resume: args.resume,
        skip_bad: args.skip_bad,
        shard: args.shard,
        chaff_field: args.chaff_field.clone(),
        read: ReadOptions {
            format: args.format,
            text_field: args.text_field.clone(),
            id_field: args.id_field.clone(),
            stdin_format: if args.output == OutputKind::Jsonl {
                Format::Jsonl
            } else {
                Format::Auto
            },
            limits: limits(args),
        },
        ..RunOptions::default()
    };
    let bar = progress::Bar::new(progress::want_progress(args.progress));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut warn =
        |e: &Error| cli::stderr_line(&format!("chaff-label: skipped: {}", cli::describe(e)));
    let result = pipeline::run(
        &args.inputs,
        classifier,
        &options,
        &mut out,
        &bar,
        &mut warn,
    );
    bar.finish();
    let summary = match result {
        Ok(s) => s,
        // A closed pipe (`chaff-label … | head`) is the reader's choice, not a failure.
        Err(e) if e.is_broken_pipe() => return Ok(ExitCode::SUCCESS),
        // Refused before anything was read or written.
        Err(
            e @ (Error::OutputNotAFolder(_)
            | Error::OutputNotRegular { .. }
            | Error::OutputIsInput { .. }
            | Error::OutputCollision { .. }
            | Error::OutputInInputFolder { .. }),
        ) => return Err(anyhow::Error::new(e).context("nothing was written")),
        // main_with adds the flag that mends an error.
        Err(e @ Error::LabelsFieldIsTextField(_)) => return Err(e.into()),
        Err(e) => {
            let _ = std::io::Write::flush(&mut out);
            return Err(anyhow::Error::new(e).context(if args.out.is_some() {
                "stopped; no output file was left for the failed input"
            } else {
                "stopped; the output on standard output is incomplete"
            }));
        }
    };
    if progress::want_progress(args.progress) || args.out.is_some() {
        cli::stderr_line(&format!(
            "chaff-label: {}",
            progress::summary_line(&summary)
        ));
    }
    Ok(ExitCode::SUCCESS)
}
