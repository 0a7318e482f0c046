//! `concise`: one finding per line, `path:line:col: CODE message`.

use super::{resolve, summary_line};
use crate::run::Report;
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for diagnostic in &report.diagnostics {
        let d = resolve(report, diagnostic);
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {}",
            d.location.path, d.location.start.line, d.location.start.column, d.code, d.message
        );
    }
    let _ = writeln!(out, "{}", summary_line(report));
    out
}
