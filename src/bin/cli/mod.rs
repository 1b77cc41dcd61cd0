//! What both binaries share: error printing, exit codes, worker threads, and writes to standard
//! output and standard error that fail with an error, never a panic. No pipeline.

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// Exit status of a run that failed (bad input, bad model, I/O). Usage errors exit 2 (clap).
pub const EXIT_FAILURE: u8 = 1;

/// Set when a write to standard error failed: the run then exits 1, whatever else happened.
static STDERR_FAILED: AtomicBool = AtomicBool::new(false);

/// Standard output was closed by its reader (`chaff-label … | head`): the end of the job, not
/// a failure, so the run stops and exits 0 without a word, as coreutils and ripgrep do.
#[derive(Debug)]
pub struct StdoutClosed;

impl std::fmt::Display for StdoutClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("standard output was closed")
    }
}

impl std::error::Error for StdoutClosed {}

/// Runs `body`, printing an error as `name: error: cause: cause` and exiting 1. A closed
/// standard output ([`StdoutClosed`]) exits 0; a failed write to standard error exits 1.
pub fn main_with(name: &str, body: impl FnOnce() -> anyhow::Result<ExitCode>) -> ExitCode {
    let code = match body() {
        Ok(code) => code,
        Err(err) if err.chain().any(|e| e.is::<StdoutClosed>()) => ExitCode::SUCCESS,
        Err(err) => {
            stderr_line(&format!("{name}: {err:#}"));
            ExitCode::from(EXIT_FAILURE)
        }
    };
    if STDERR_FAILED.load(Ordering::Relaxed) {
        ExitCode::from(EXIT_FAILURE)
    } else {
        code
    }
}

/// Writes `text` to standard output and flushes it.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(stdout_error)
}

/// A failed write to standard output: [`StdoutClosed`] for a closed pipe, else the error.
pub fn stdout_error(e: std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        anyhow::Error::new(StdoutClosed)
    } else {
        anyhow::Error::new(e).context("writing to standard output")
    }
}

/// Writes `line` and a newline to standard error. If that fails (a full disk), there is no
/// one to tell, but the run exits 1; a closed pipe is the reader's choice and is let go.
pub fn stderr_line(line: &str) {
    let mut err = std::io::stderr().lock();
    if let Err(e) = writeln!(err, "{line}").and_then(|()| err.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            STDERR_FAILED.store(true, Ordering::Relaxed);
        }
    }
}

/// Sizes rayon's global pool: `threads` workers, or all cores when `None`.
pub fn set_threads(threads: Option<usize>) -> anyhow::Result<()> {
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| anyhow::anyhow!("cannot set up {n} worker threads: {e}"))?;
    }
    Ok(())
}
