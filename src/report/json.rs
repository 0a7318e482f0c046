//! `json`: the versioned machine model of ../shared/DESIGN.md §5.

use super::{resolve, ResolvedDiagnostic, Summary};
use crate::lint::Report;
use serde::Serialize;

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonReport {
    version: u32,
    tool: Tool,
    summary: Summary,
    diagnostics: Vec<ResolvedDiagnostic>,
}

pub fn render(report: &Report) -> String {
    let model = JsonReport {
        version: 1,
        tool: Tool {
            name: "magelint",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary::of(report),
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| resolve(report, d))
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&model).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
