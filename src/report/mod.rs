//! report: human formats and machine formats, all built from the same resolved model.
//!
//! Every format shows secrets masked: messages are written masked by the rules, and source text
//! comes from `SourceFile::redacted_text`.

mod concise;
mod full;
mod json;
mod model;

pub use model::{resolve, ResolvedDiagnostic, ResolvedLocation, ResolvedRelated, Summary};

use crate::lint::Report;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Rich snippets with the offending source (default on a terminal).
    Full,
    /// One line per finding: `path:line:col: CODE message` (default when piped).
    Concise,
    /// The versioned JSON model (DESIGN §5).
    Json,
}

/// Rendering knobs that do not change content.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    /// ANSI colours in `full`.
    pub color: bool,
}

/// Renders a report in `format`.
pub fn render(report: &Report, format: OutputFormat, options: RenderOptions) -> String {
    match format {
        OutputFormat::Full => full::render(report, options),
        OutputFormat::Concise => concise::render(report),
        OutputFormat::Json => json::render(report),
    }
}

/// "Found 2 errors, 1 warning in 5 files." / "All checks passed (5 files)."
pub fn summary_line(report: &Report) -> String {
    let summary = Summary::of(report);
    let files = plural(summary.files, "file");
    if report.diagnostics.is_empty() {
        return format!("All checks passed ({files}).");
    }
    let mut parts = Vec::new();
    for (count, noun) in [
        (summary.errors, "error"),
        (summary.warnings, "warning"),
        (summary.infos, "info"),
    ] {
        if count > 0 {
            parts.push(plural(count, noun));
        }
    }
    format!("Found {} in {files}.", parts.join(", "))
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
