//! chaff-label's progress on standard error (a bar on a terminal, a line every few seconds
//! otherwise) and its end-of-run summary line.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use chaff::pipeline::{Progress, RunSummary};

/// Whether to draw a progress bar: asked for, or standard error is a terminal.
pub fn want_progress(forced: bool) -> bool {
    forced || std::io::stderr().is_terminal()
}

/// Progress on standard error: on a terminal, a bar with bytes, MB/s and ETA (when the input
/// size is known) and the articles and paragraphs so far; when asked for with standard error
/// not a terminal (a log file, a cluster task), a plain line every few seconds instead.
pub struct Bar {
    bar: ProgressBar,
    done: Mutex<u64>,
    log: Option<Mutex<(Instant, Instant)>>,
}

impl Bar {
    /// Progress that shows only if `visible`.
    pub fn new(visible: bool) -> Bar {
        let terminal = std::io::stderr().is_terminal();
        let bar = if visible && terminal {
            ProgressBar::new(0)
        } else {
            ProgressBar::hidden()
        };
        let now = Instant::now();
        Bar {
            bar,
            done: Mutex::new(0),
            log: (visible && !terminal).then(|| Mutex::new((now, now))),
        }
    }

    /// Removes the bar from the screen.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn start(&self, total_bytes: Option<u64>) {
        let style = match total_bytes {
            Some(total) => {
                self.bar.set_length(total);
                ProgressStyle::with_template(
                    "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} eta {eta} {msg}",
                )
            }
            None => ProgressStyle::with_template("{spinner} {elapsed} {msg}"),
        };
        if let Ok(style) = style {
            self.bar.set_style(style);
        }
    }

    fn advance(&self, bytes: u64, summary: &RunSummary) {
        let mut total = 0;
        if let Ok(mut done) = self.done.lock() {
            *done += bytes;
            total = *done;
            self.bar.set_position(total);
        }
        if let Some(Ok(mut times)) = self.log.as_ref().map(Mutex::lock) {
            let (start, last) = &mut *times;
            if last.elapsed().as_secs() >= 5 {
                *last = Instant::now();
                let mb = total as f64 / 1e6;
                crate::cli::stderr_line(&format!(
                    "chaff-label: {mb:.1} MB, {:.1} MB/s, {} articles, {} paragraphs",
                    mb / start.elapsed().as_secs_f64().max(1e-9),
                    summary.articles,
                    summary.paragraphs
                ));
            }
        }
        self.bar.set_message(format!(
            "{} articles, {} paragraphs",
            summary.articles, summary.paragraphs
        ));
    }
}

/// The one-line summary printed at the end of a labelling run.
pub fn summary_line(s: &RunSummary) -> String {
    let labels: Vec<String> = s
        .per_label
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    let mut line = format!(
        "{} articles, {} paragraphs ({}), {} removed, {:.2} s",
        s.articles,
        s.paragraphs,
        labels.join(", "),
        s.removed,
        s.seconds
    );
    if s.inputs_resumed > 0 {
        line.push_str(&format!(", {} inputs already done", s.inputs_resumed));
    }
    if !s.bad.is_empty() {
        line.push_str(&format!(", {} bad inputs or records skipped", s.bad.len()));
    }
    line
}
