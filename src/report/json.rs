//! `json`: the versioned machine model of ../shared/DESIGN.md §5.

use super::{resolve, Summary};
use crate::lint::Report;
use serde::Serialize;

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonReport<'r> {
    version: u32,
    tool: Tool,
    summary: Summary,
    diagnostics: Resolved<'r>,
}

/// The diagnostics, each resolved only as it is written: a fleet's report is tens of
/// megabytes, and holding it whole (model and text) doubled the run's peak memory.
struct Resolved<'r>(&'r Report);

impl Serialize for Resolved<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        serializer.collect_seq(report.diagnostics.iter().map(|d| resolve(report, d)))
    }
}

fn model(report: &Report) -> JsonReport<'_> {
    JsonReport {
        version: 1,
        tool: Tool {
            name: "magelint",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary::of(report),
        diagnostics: Resolved(report),
    }
}

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    match write(report, &mut out) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => format!("{{\"error\": \"{e}\"}}\n"),
    }
}

/// Streams the report to `out`, pretty-printed as `render` prints it.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &model(report))?;
    out.write_all(b"\n")
}
