//! What both binaries share: error printing (with the flag that changes a library error's
//! outcome), exit codes, worker threads, the parsers of flag values, and writes to standard
//! output and standard error that fail with an error, never a panic. No pipeline.

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use chaff::error::Error;

pub mod args;

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

/// Runs `body`, printing an error as `name: error: cause: cause` (and what flag to use about
/// it) and exiting 1. A closed
/// standard output ([`StdoutClosed`]) exits 0; a failed write to standard error exits 1.
pub fn main_with(name: &str, body: impl FnOnce() -> anyhow::Result<ExitCode>) -> ExitCode {
    let code = match body() {
        Ok(code) => code,
        Err(err) if err.chain().any(|e| e.is::<StdoutClosed>()) => ExitCode::SUCCESS,
        Err(err) => {
            let hint = err
                .chain()
                .find_map(|cause| cause.downcast_ref::<Error>())
                .and_then(hint);
            match hint {
                Some(hint) => stderr_line(&format!("{name}: {err:#}; {hint}")),
                None => stderr_line(&format!("{name}: {err:#}")),
            }
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

/// A library error with what flag to use about it, if there is one.
#[allow(dead_code)] // chaff-train skips nothing, so reports errors only through main_with
pub fn describe(e: &Error) -> String {
    match hint(e) {
        Some(hint) => format!("{e}; {hint}"),
        None => e.to_string(),
    }
}

/// The flag that changes the outcome of a library error, said as advice. The library knows no
/// flag; this is where its errors meet them.
fn hint(e: &Error) -> Option<&'static str> {
    Some(match e {
        Error::InputTooLarge { .. } => "raise the cap with --max-input-bytes",
        Error::RecordTooLarge { .. } => "raise the cap with --max-record-bytes",
        Error::NotHtml(_) => "use --format txt for plain text",
        Error::MissingField { .. } => "choose the text field with --text-field",
        Error::FieldTaken { .. } => {
            "to keep it, write the labels to another field with --chaff-field NAME"
        }
        Error::LabelsFieldIsTextField(_) => "choose another with --chaff-field NAME",
        _ => return None,
    })
}

/// A parameter error, quoting the value as it was typed: the library checks the parsed value,
/// which for `1e39` as an `f32` is `inf`.
pub fn as_typed(e: Error, typed: &[(&str, Option<&str>)]) -> Error {
    match e {
        Error::BadParameter {
            name,
            expected,
            value,
        } => {
            let value = typed
                .iter()
                .find(|(flag_name, _)| *flag_name == name)
                .and_then(|(_, text)| *text)
                .map_or(value, str::to_owned);
            Error::BadParameter {
                name,
                expected,
                value,
            }
        }
        other => other,
    }
}

/// Sizes rayon's global pool: `threads` workers (at most four per core, with a warning when
/// more were asked for), or all cores when `None`.
pub fn set_threads(name: &str, threads: Option<usize>) -> anyhow::Result<()> {
    if let Some(asked) = threads {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let (n, warning) = args::threads_to_use(asked, cores);
        if let Some(warning) = warning {
            stderr_line(&format!("{name}: warning: {warning}"));
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| anyhow::anyhow!("cannot set up {n} worker threads: {e}"))?;
    }
    Ok(())
}
