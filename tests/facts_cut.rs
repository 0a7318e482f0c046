//! The cut (every run: each file keeps only its facts after the per-file rules, its text is cut
//! and read back only where the report needs it) must report exactly what an uncut run, which
//! keeps every file whole, reports: in every format, with and without snippets.

use magelint::lint::lint;
use magelint::options::LintOptions;
use magelint::report::{render, OutputFormat, RenderOptions};
use magelint::select::Selection;
use std::path::{Path, PathBuf};

// The benchmarks' fleet generator (examples/gen-fleet), run in-process: the test needs no
// example binary built first.
#[path = "../examples/gen-fleet/fleet.rs"]
#[allow(dead_code)] // the summary's counts are for the example's message
mod fleet;

fn options(path: &Path, uncut: bool, snippets: bool) -> LintOptions {
    LintOptions {
        paths: vec![path.to_path_buf()],
        base_dir: std::env::current_dir().unwrap_or_default(),
        selection: Selection {
            select: vec!["ALL".into()],
            ..Selection::default()
        },
        uncut,
        snippets,
        ..LintOptions::default()
    }
}

fn reports(path: &Path) -> Vec<(String, String)> {
    let full = lint(&options(path, true, true));
    assert!(
        full.diagnostics.len() > 5,
        "{}: a tree with findings is needed",
        path.display()
    );
    let mut mismatches = Vec::new();
    for snippets in [true, false] {
        let lean = lint(&options(path, false, snippets));
        // Every format the CLI offers.
        for &format in <OutputFormat as clap::ValueEnum>::value_variants() {
            // Without snippets, only the formats that show no source lines are promised.
            if !snippets && format == OutputFormat::Full {
                continue;
            }
            let render = |r| render(r, format, RenderOptions { color: false });
            let (want, got) = (render(&full), render(&lean));
            if want != got {
                mismatches.push((format!("{format:?} snippets={snippets}"), got));
            }
        }
    }
    mismatches
}

#[test]
fn cut_runs_report_what_uncut_runs_report() {
    let fleet = tempdir("lean-fleet");
    if let Err(err) = fleet::generate(&fleet, 40, 7) {
        panic!("generating the fleet in {}: {err}", fleet.display());
    }
    for path in [PathBuf::from("fixtures"), fleet.clone()] {
        let mismatches = reports(&path);
        assert!(
            mismatches.is_empty(),
            "{}: the cut run's output differs in {:?}",
            path.display(),
            mismatches.iter().map(|m| &m.0).collect::<Vec<_>>()
        );
    }
    let _ = std::fs::remove_dir_all(&fleet);
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("magelint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}
