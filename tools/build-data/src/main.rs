//! The `build-data` command: builds the corpus (see the library's docs) and prints its statistics.

use build_data::{build, repo_root, SEED};
use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;

/// Builds chaff's labelled paragraph corpus (train.csv, articles/, articles-labels.csv,
/// STATS.md and the README's statistics) from the raw inputs, byte for byte the same every time.
#[derive(Parser)]
#[command(name = "build-data")]
struct Args {
    /// Folder of the raw inputs (the default is the repository's data/raw, whatever the
    /// working directory).
    #[arg(long, value_name = "DIR", default_value_os_t = repo_root().join("data/raw"))]
    raw: PathBuf,
    /// Output folder; a README.md there gets the statistics between its STATS markers.
    #[arg(long, value_name = "DIR", default_value_os_t = repo_root().join("data"))]
    out: PathBuf,
    /// Seed of the draw, decimal or 0x hex (default: the committed draw's, 0x63686166662102);
    /// another seed draws another corpus from the same inputs.
    #[arg(long, value_name = "N", value_parser = parse_seed)]
    seed: Option<u64>,
}

/// A seed written in decimal or as `0x` hex (`_` separators allowed in hex).
fn parse_seed(v: &str) -> Result<u64, String> {
    let parsed = match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16).ok(),
        None => v.parse().ok(),
    };
    parsed.ok_or_else(|| format!("{v:?}: expected a number (decimal or 0x hex)"))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let start = std::time::Instant::now();
    match build(&args.raw, &args.out, args.seed.unwrap_or(SEED)) {
        Ok(s) => {
            println!("{}", s.stats_md);
            println!(
                "wrote {} in {:.1}s",
                args.out.display(),
                start.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("build-data: {e}");
            ExitCode::FAILURE
        }
    }
}
