//! Generates a deterministic fleet of Magento installations for benchmarks (what it holds:
//! fleet.rs).
//!
//! `cargo run --profile dist --example gen-fleet -- OUT N [SEED]`

mod fleet;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let usage = || {
        eprintln!("usage: gen-fleet OUT N [SEED]");
        ExitCode::from(2)
    };
    if args.len() < 3 {
        return usage();
    }
    let out = PathBuf::from(&args[1]);
    let Ok(n) = args[2].parse::<usize>() else {
        return usage();
    };
    let seed = match args.get(3).map(|s| s.parse::<u64>()) {
        None => 7,
        Some(Ok(seed)) => seed,
        Some(Err(_)) => return usage(),
    };
    match fleet::generate(&out, n, seed) {
        Ok(summary) => {
            eprintln!(
                "gen-fleet: {n} installations, {} files, {:.1} MB ({:.1} KB per installation) in {}",
                summary.files,
                summary.bytes as f64 / 1e6,
                summary.bytes as f64 / 1e3 / n.max(1) as f64,
                summary.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("gen-fleet: {}: {err}", out.display());
            ExitCode::FAILURE
        }
    }
}
