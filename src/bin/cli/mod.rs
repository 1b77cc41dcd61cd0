//! What both binaries share: error printing, exit codes and worker threads. No pipeline.

use std::process::ExitCode;

/// Exit status of a run that failed (bad input, bad model, I/O). Usage errors exit 2 (clap).
pub const EXIT_FAILURE: u8 = 1;

/// Runs `body`, printing an error as `name: error: cause: cause` and exiting 1.
pub fn main_with(name: &str, body: impl FnOnce() -> anyhow::Result<ExitCode>) -> ExitCode {
    match body() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("{name}: {err:#}");
            ExitCode::from(EXIT_FAILURE)
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
