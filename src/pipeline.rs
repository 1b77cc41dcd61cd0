//! The labelling run: inputs are read as one stream of documents, labelled in parallel in
//! bounded batches (so memory stays flat however long the input), and written in input order,
//! to standard output or to one file per input under an output folder. Every output is claimed
//! from an [`OutputPlan`] before the first input is read. A bad input either stops the run (the
//! default; the articles before it are written, but no output file is left under its final
//! name) or, with `skip_bad`, is reported and passed over.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::classifier::Classifier;
use crate::decide::Decision;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::read::{self, Input, ReadOptions};
use crate::write::{self, AtomicFile, OutputKind, OutputPlan};

/// Settings of a labelling run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// What to write; defaults to [`OutputKind::Labels`].
    pub output: OutputKind,
    /// Write one file per input under this folder instead of to standard output.
    pub out_dir: Option<PathBuf>,
    /// With `out_dir`, skip inputs whose output file already exists (outputs only appear
    /// complete, so an existing one is finished).
    pub resume: bool,
    /// Report a bad input or record and go on, instead of stopping.
    pub skip_bad: bool,
    /// Documents labelled per parallel batch; defaults to `256`.
    pub batch: usize,
    /// Process only every `n`-th input file starting at `i`: `(i, n)`.
    pub shard: Option<(usize, usize)>,
    /// How to read the inputs.
    pub read: ReadOptions,
    /// With [`OutputKind::Jsonl`], the field of each record that receives the labels and the
    /// removed paragraphs; defaults to `chaff`. A record that already has it is refused
    /// ([`Error::FieldTaken`]), so nothing of the input is overwritten: relabelling chaff's own
    /// output needs another name, and then keeps the first labels too.
    pub chaff_field: String,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            output: OutputKind::Labels,
            out_dir: None,
            resume: false,
            skip_bad: false,
            batch: 256,
            shard: None,
            read: ReadOptions::default(),
            chaff_field: "chaff".into(),
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunSummary {
    pub inputs: u64,
    pub inputs_resumed: u64,
    pub articles: u64,
    pub paragraphs: u64,
    pub per_label: BTreeMap<String, u64>,
    pub removed: u64,
    pub bad: Vec<String>,
    pub seconds: f64,
}

/// A source of documents with the place its output goes.
struct Source {
    input: Input,
    relative: PathBuf,
}

impl Source {
    /// The input in words, for messages.
    fn input_name(&self) -> String {
        match &self.input {
            Input::Stdin => "standard input".to_owned(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// Progress callbacks: bytes of input finished, articles and paragraphs labelled.
pub trait Progress: Sync {
    /// Called once the total input size (in bytes, where known) is known.
    fn start(&self, _total_bytes: Option<u64>) {}
    /// Called after each batch.
    fn advance(&self, _bytes: u64, _summary: &RunSummary) {}
}

/// No progress reporting.
pub struct Quiet;
impl Progress for Quiet {}

/// Runs the labelling over `inputs`, writing to `stdout` unless `options.out_dir` is set.
/// `warn` receives each bad input passed over with `skip_bad`.
pub fn run(
    inputs: &[PathBuf],
    classifier: &Classifier,
    options: &RunOptions,
    stdout: &mut dyn Write,
    progress: &dyn Progress,
    warn: &mut dyn FnMut(&Error),
) -> Result<RunSummary> {
    let start = Instant::now();
    if options.output == OutputKind::Jsonl && options.chaff_field == options.read.text_field {
        return Err(Error::LabelsFieldIsTextField(options.chaff_field.clone()));
    }
    let mut summary = RunSummary::default();
    let mut plan = OutputPlan::new();
    if let Some(dir) = &options.out_dir {
        if dir.exists() && !dir.is_dir() {
            return Err(Error::OutputNotAFolder(dir.clone()));
        }
        plan.output_folder(dir);
    }
    let mut sources = sources(inputs, &mut plan, &mut |e| {
        if !options.skip_bad {
            return Err(e);
        }
        summary.bad.push(e.to_string());
        warn(&e);
        Ok(())
    })?;
    if let Some(dir) = &options.out_dir {
        // Every input's output, before sharding: shards writing one folder must not collide.
        for s in &sources {
            let writer = format!("the output of {}", s.input_name());
            let target = output_path(dir, &s.relative, options.output);
            plan.claim(&target, &writer)?;
            if options.output == OutputKind::Clean {
                plan.claim(&removed_path(&target), &writer)?;
            }
        }
        plan.remove_stale_partials()?;
    }
    if let Some((i, n)) = options.shard {
        if sources.iter().any(|s| s.input == Input::Stdin) {
            return Err(Error::ShardOfStdin);
        }
        sources = sources.into_iter().skip(i).step_by(n).collect();
    }
    let total: Option<u64> = sources
        .iter()
        .map(|s| match &s.input {
            Input::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            Input::Stdin => None,
        })
        .sum();
    progress.start(total);
    // On standard output a review queue spans every input, so it is sorted as one.
    let mut stdout_queue =
        (options.output == OutputKind::Queue && options.out_dir.is_none()).then(Queue::new);
    for source in &sources {
        summary.inputs += 1;
        let target = options
            .out_dir
            .as_ref()
            .map(|dir| output_path(dir, &source.relative, options.output));
        if options.resume && target.as_ref().is_some_and(|t| t.exists()) {
            summary.inputs_resumed += 1;
            if let Input::File(p) = &source.input {
                progress.advance(std::fs::metadata(p).map_or(0, |m| m.len()), &summary);
            }
            continue;
        }
        match label_input(
            source,
            target.as_deref(),
            classifier,
            options,
            stdout,
            progress,
            warn,
            &mut summary,
            &mut stdout_queue,
        ) {
            Ok(()) => {}
            Err(e) if options.skip_bad && !matches!(e, Error::Io { .. } if target.is_some()) => {
                summary.bad.push(e.to_string());
                warn(&e);
            }
            Err(e) => return Err(e),
        }
    }
    if let Some(queue) = stdout_queue {
        write_queue(stdout, queue, true, classifier.labels(), Path::new("-"))?;
        stdout.flush().map_err(|e| Error::io("-", e))?;
    }
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// Articles of a review queue, each with its review priority and its rows.
type Queue = Vec<(f32, Vec<u8>)>;

/// Writes a review queue's rows, most in need of review first, after the header if asked.
fn write_queue(
    out: &mut dyn Write,
    mut queue: Queue,
    header: bool,
    labels: &[String],
    name: &Path,
) -> Result<()> {
    let io = |e| Error::io(name, e);
    if header {
        write::queue_header(out, labels).map_err(io)?;
    }
    queue.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, rows) in &queue {
        out.write_all(rows).map_err(io)?;
    }
    Ok(())
}

/// One labelled article: its decisions, its output bytes and its side-file bytes.
type Labelled = (Vec<Decision>, Vec<u8>, Vec<u8>);

/// Labels one input. The calling thread reads and parses a batch, and writes the previous one,
/// while a labelling thread labels and serializes the batch between them on the rayon pool: a
/// batch in flight each way, so reading and writing overlap labelling and no core waits for
/// them. With one worker thread everything runs in turn on the calling thread.
#[allow(clippy::too_many_arguments)]
fn label_input(
    source: &Source,
    target: Option<&Path>,
    classifier: &Classifier,
    options: &RunOptions,
    stdout: &mut dyn Write,
    progress: &dyn Progress,
    warn: &mut dyn FnMut(&Error),
    summary: &mut RunSummary,
    stdout_queue: &mut Option<Queue>,
) -> Result<()> {
    let counter = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let docs = read::documents_counted(&source.input, &options.read, &counter)?;
    let mut output = Output::new(target, options, counter, summary, stdout_queue)?;
    let want_sidecar = output.sidecar.is_some();
    let label = |batch: &[Document]| label_batch(batch, classifier, options, want_sidecar);
    let mut docs = docs.peekable();
    let mut records = 0;
    let mut next = |summary: &mut RunSummary| {
        read_batch(
            &mut docs,
            source,
            &mut records,
            options,
            summary,
            &mut *warn,
        )
    };
    // A bad record stops the run after the documents before it are written, on any number of
    // threads: what reached the output before the error does not depend on timing.
    if rayon::current_num_threads() == 1 {
        loop {
            let (batch, error) = next(summary);
            if !batch.is_empty() {
                output.write(&label(&batch), classifier, stdout, progress, summary)?;
            }
            if let Some(e) = error {
                return Err(e);
            }
            if batch.is_empty() {
                break;
            }
        }
    } else {
        std::thread::scope(|scope| -> Result<()> {
            let (to_label, batches) = std::sync::mpsc::sync_channel::<Vec<Document>>(1);
            let (to_write, labelled) = std::sync::mpsc::sync_channel::<Vec<Labelled>>(1);
            scope.spawn(move || {
                for batch in batches {
                    if to_write.send(label(&batch)).is_err() {
                        break;
                    }
                }
            });
            let mut in_flight = 0;
            loop {
                let (batch, error) = next(summary);
                let done = batch.is_empty() || error.is_some();
                if !batch.is_empty() {
                    // The labelling thread only stops early when this thread has gone.
                    to_label
                        .send(batch)
                        .expect("the labelling thread is running");
                    in_flight += 1;
                }
                while in_flight > usize::from(!done) {
                    let out = labelled.recv().expect("the labelling thread is running");
                    in_flight -= 1;
                    output.write(&out, classifier, stdout, progress, summary)?;
                }
                if let Some(e) = error {
                    return Err(e);
                }
                if done {
                    return Ok(());
                }
            }
        })?;
    }
    let name = output.name.clone();
    let (file, queue) = output.finish(stdout)?;
    match (file, queue) {
        (Some(mut f), Some(queue)) => {
            write_queue(&mut f, queue, true, classifier.labels(), &name)?;
            f.commit()
        }
        (Some(f), None) => f.commit(),
        (None, queue) => {
            *stdout_queue = queue;
            Ok(())
        }
    }
}

/// The next batch of up to `options.batch` documents, empty at the end of the input, and the
/// error that cut it short, if any (the documents before it are in the batch). `records`
/// counts the records read from this source so far, good or bad.
fn read_batch(
    docs: &mut std::iter::Peekable<impl Iterator<Item = Result<Document>>>,
    source: &Source,
    records: &mut u64,
    options: &RunOptions,
    summary: &mut RunSummary,
    warn: &mut dyn FnMut(&Error),
) -> (Vec<Document>, Option<Error>) {
    let mut batch = Vec::with_capacity(options.batch);
    for doc in docs.by_ref() {
        *records += 1;
        let doc = doc.and_then(|d| {
            if options.output == OutputKind::Jsonl && write::field_taken(&d, &options.chaff_field) {
                return Err(Error::FieldTaken {
                    path: source.input.path(),
                    record: *records,
                    id: d.id,
                    field: options.chaff_field.clone(),
                });
            }
            Ok(d)
        });
        match doc {
            Ok(d) => batch.push(d),
            Err(e) if options.skip_bad && e.is_record_level() => {
                summary.bad.push(e.to_string());
                warn(&e);
            }
            Err(e) => return (batch, Some(e)),
        }
        if batch.len() >= options.batch {
            break;
        }
    }
    (batch, None)
}

/// Labels and serializes a batch in parallel, keeping its order.
fn label_batch(
    batch: &[Document],
    classifier: &Classifier,
    options: &RunOptions,
    want_sidecar: bool,
) -> Vec<Labelled> {
    batch
        .par_iter()
        .map(|d| {
            let ds = classifier.label(&d.paragraph_refs());
            let (mut main, mut side) = (Vec::new(), Vec::new());
            // Writing into a Vec cannot fail.
            let _ = write_one(
                &mut main,
                want_sidecar.then_some(&mut side),
                d,
                &ds,
                classifier.labels(),
                options,
            );
            (ds, main, side)
        })
        .collect()
}

/// Where one input's output goes, and how much of the input has been reported as done.
struct Output {
    file: Option<AtomicFile>,
    sidecar: Option<AtomicFile>,
    name: PathBuf,
    counter: std::sync::Arc<std::sync::atomic::AtomicU64>,
    reported: u64,
    /// Put a blank line between articles (cleaned text), so that two articles in one stream
    /// never run together into one paragraph.
    separate: bool,
    /// Articles already in this output's stream (on standard output, earlier inputs' too).
    written: u64,
    /// For a review queue, this input's articles with their review priority, written sorted
    /// when the input is done (so a queue holds one input's rows in memory).
    queue: Option<Queue>,
}

impl Output {
    /// Where one input's output goes: its file (or standard output), the side file of removed
    /// paragraphs for cleaned text under `--out`, and a review queue when one is written.
    fn new(
        target: Option<&Path>,
        options: &RunOptions,
        counter: std::sync::Arc<std::sync::atomic::AtomicU64>,
        summary: &RunSummary,
        stdout_queue: &mut Option<Queue>,
    ) -> Result<Output> {
        Ok(Output {
            file: target.map(AtomicFile::create).transpose()?,
            sidecar: match (target, options.output) {
                (Some(t), OutputKind::Clean) => Some(AtomicFile::create(&removed_path(t))?),
                _ => None,
            },
            name: target.map_or_else(|| PathBuf::from("-"), Path::to_owned),
            counter,
            reported: 0,
            separate: options.output == OutputKind::Clean,
            // Standard output is one stream over all inputs; a file holds one input's articles.
            written: if target.is_some() {
                0
            } else {
                summary.articles
            },
            queue: match target {
                Some(_) => (options.output == OutputKind::Queue).then(Vec::new),
                None => stdout_queue.take(),
            },
        })
    }

    /// Writes a labelled batch in order and counts it.
    fn write(
        &mut self,
        labelled: &[Labelled],
        classifier: &Classifier,
        stdout: &mut dyn Write,
        progress: &dyn Progress,
        summary: &mut RunSummary,
    ) -> Result<()> {
        let out: &mut dyn Write = match self.file.as_mut() {
            Some(f) => f,
            None => &mut *stdout,
        };
        for (ds, main, side) in labelled {
            if let Some(queue) = self.queue.as_mut() {
                queue.push((write::review_priority(ds), main.clone()));
            } else {
                if self.separate && self.written > 0 {
                    out.write_all(b"\n").map_err(|e| Error::io(&self.name, e))?;
                }
                self.written += 1;
                out.write_all(main).map_err(|e| Error::io(&self.name, e))?;
            }
            if let Some(s) = self.sidecar.as_mut() {
                s.write_all(side)
                    .map_err(|e| Error::io(s.target().to_owned(), e))?;
            }
            summary.articles += 1;
            summary.paragraphs += ds.len() as u64;
            for d in ds {
                *summary
                    .per_label
                    .entry(classifier.labels()[d.label].clone())
                    .or_default() += 1;
                summary.removed += u64::from(!d.kept);
            }
        }
        let read = self.counter.load(std::sync::atomic::Ordering::Relaxed);
        progress.advance(read - self.reported, summary);
        self.reported = read;
        Ok(())
    }

    /// Commits the side file and flushes standard output; hands back the output file (to be
    /// committed once complete) and the review queue, if any.
    fn finish(self, stdout: &mut dyn Write) -> Result<(Option<AtomicFile>, Option<Queue>)> {
        if let Some(f) = self.sidecar {
            f.commit()?;
        }
        if self.file.is_none() {
            stdout.flush().map_err(|e| Error::io("-", e))?;
        }
        Ok((self.file, self.queue))
    }
}

fn write_one(
    out: &mut dyn Write,
    sidecar: Option<&mut Vec<u8>>,
    doc: &Document,
    decisions: &[Decision],
    labels: &[String],
    options: &RunOptions,
) -> std::io::Result<()> {
    match options.output {
        OutputKind::Labels => write::labels(out, doc, decisions, labels),
        OutputKind::Clean => {
            write::clean(out, doc, decisions)?;
            match sidecar {
                Some(s) => write::removed(s, doc, decisions, labels),
                None => Ok(()),
            }
        }
        OutputKind::Queue => write::queue_rows(out, doc, decisions, labels),
        OutputKind::Jsonl => write::jsonl(
            out,
            doc,
            decisions,
            labels,
            &options.read.text_field,
            &options.chaff_field,
        ),
    }
}

/// The run's inputs, each declared to `plan` (a folder's walk skips the output folder inside
/// it); each bad input goes to `bad` (see [`read::walk`]).
fn sources(
    inputs: &[PathBuf],
    plan: &mut OutputPlan,
    bad: &mut dyn FnMut(Error) -> Result<()>,
) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    if inputs.is_empty() {
        plan.stdin();
        out.push(Source {
            input: Input::Stdin,
            relative: PathBuf::from("stdin"),
        });
        return Ok(out);
    }
    for root in inputs {
        let walked = root.as_os_str() != "-" && root.is_dir();
        if walked {
            plan.input_folder(root);
        }
        for input in read::walk(root, bad)? {
            let relative = match &input {
                Input::Stdin => {
                    plan.stdin();
                    PathBuf::from("stdin")
                }
                Input::File(p) if walked && plan.skips(p) => continue,
                Input::File(p) if p == root => {
                    plan.input(p);
                    p.file_name().map_or_else(|| p.clone(), PathBuf::from)
                }
                Input::File(p) => {
                    plan.input(p);
                    p.strip_prefix(root)
                        .map_or_else(|_| p.clone(), Path::to_owned)
                }
            };
            out.push(Source { input, relative });
        }
    }
    Ok(out)
}

/// Where the output for an input goes under `dir`. Names are kept byte for byte (a name that is
/// not UTF-8 stays as it is), so distinct inputs get distinct outputs unless only a compression
/// suffix tells them apart (`a.txt` and `a.txt.gz`), which [`OutputPlan`] refuses.
pub fn output_path(dir: &Path, relative: &Path, output: OutputKind) -> PathBuf {
    let mut base = relative.to_owned();
    if matches!(
        base.extension().and_then(|e| e.to_str()),
        Some("gz" | "zst" | "zstd")
    ) {
        base.set_extension("");
    }
    let extension = base.extension().and_then(|e| e.to_str());
    let mut file = base.file_name().unwrap_or_default().to_os_string();
    match output {
        OutputKind::Labels => file.push(".labels.jsonl"),
        OutputKind::Queue => file.push(".queue.csv"),
        // Cleaned text keeps a text input's name; other inputs get `.txt` added.
        OutputKind::Clean if extension != Some("txt") => file.push(".txt"),
        OutputKind::Jsonl if extension != Some("jsonl") => file.push(".jsonl"),
        OutputKind::Clean | OutputKind::Jsonl => {}
    }
    dir.join(base.with_file_name(file))
}

/// The side file that keeps the removed paragraphs of a cleaned file.
pub fn removed_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".removed.jsonl");
    target.with_file_name(name)
}
