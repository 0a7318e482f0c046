//! In-process cost of parsing YAML: every `.magento.env.yaml` (or another file name) under a
//! fleet directory, by the saphyr path alone and by `yaml::parse` (fast path first).
//!
//! `cargo run --profile dist --example bench-yaml [-- FLEET [FILE_NAME [ROUNDS]]]`
//! (default `/tmp/mlb/fleet-1000 .magento.env.yaml 20`; make the fleet with `gen-fleet`).

use std::path::Path;
use std::time::Instant;

use magelint::syntax::{yaml, Document, Limits, ParseError};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let fleet = args.get(1).map_or("/tmp/mlb/fleet-1000", String::as_str);
    let name = args.get(2).map_or(".magento.env.yaml", String::as_str);
    let rounds: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(20);
    let mut sources = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(fleet)
        .unwrap_or_else(|e| panic!("{fleet}: {e}"))
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for dir in dirs {
        if let Ok(text) = std::fs::read_to_string(Path::new(&dir).join(name)) {
            sources.push(text);
        }
    }
    let bytes: usize = sources.iter().map(String::len).sum();
    assert!(bytes > 0, "no {name} under {fleet}");
    let limits = Limits::default();
    let fast = sources
        .iter()
        .filter(|s| yaml::parse_fast(s, &limits).is_some())
        .count();
    println!(
        "{} files, {bytes} bytes, {fast} on the fast path, best of {rounds} rounds",
        sources.len()
    );
    let saphyr = best(&sources, rounds, |s| yaml::parse_events(s, &limits));
    let parse = best(&sources, rounds, |s| yaml::parse(s, &limits));
    for (label, seconds) in [("saphyr path", saphyr), ("yaml::parse", parse)] {
        println!(
            "{label:12} {:8.3} ms per round  {:6.1} ns/byte  {:6.1} MB/s",
            seconds * 1e3,
            seconds * 1e9 / bytes as f64,
            bytes as f64 / seconds / 1e6
        );
    }
    println!("speed-up: {:.1}x", saphyr / parse);
}

/// Best wall time of one round over all sources.
fn best(
    sources: &[String],
    rounds: usize,
    parse: impl Fn(&str) -> Result<Document, ParseError>,
) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let start = Instant::now();
        let mut nodes = 0usize;
        for source in sources {
            if let Ok(doc) = parse(source) {
                nodes += doc.root.value.entries().len();
            }
        }
        std::hint::black_box(nodes);
        best = best.min(start.elapsed().as_secs_f64());
    }
    best
}
