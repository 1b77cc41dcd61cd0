//! What both binaries share: error printing (with the flag that changes a library error's
//! outcome), exit codes, worker threads, and the parsers of flag values. No pipeline.

use std::process::ExitCode;

use chaff::error::Error;

pub mod args;

/// Exit status of a run that failed (bad input, bad model, I/O). Usage errors exit 2 (clap).
pub const EXIT_FAILURE: u8 = 1;

/// Runs `body`, printing an error as `name: error: cause: cause` (and what flag to use about
/// it) and exiting 1.
pub fn main_with(name: &str, body: impl FnOnce() -> anyhow::Result<ExitCode>) -> ExitCode {
    match body() {
        Ok(code) => code,
        Err(err) => {
            let hint = err
                .chain()
                .find_map(|cause| cause.downcast_ref::<Error>())
                .and_then(hint);
            match hint {
                Some(hint) => eprintln!("{name}: {err:#}; {hint}"),
                None => eprintln!("{name}: {err:#}"),
            }
            ExitCode::from(EXIT_FAILURE)
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
            eprintln!("{name}: warning: {warning}");
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| anyhow::anyhow!("cannot set up {n} worker threads: {e}"))?;
    }
    Ok(())
}
