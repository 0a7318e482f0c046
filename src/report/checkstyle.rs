//! `checkstyle`: Checkstyle 4.3 XML, one `<file>` per file with findings, in report order.

use super::{resolve_all, xml_escape, ResolvedDiagnostic};
use crate::run::Report;
use std::collections::HashMap;
use std::fmt::Write;

/// Groups diagnostics by path, keeping the order in which paths first appear.
pub(super) fn by_file(
    diagnostics: Vec<ResolvedDiagnostic>,
) -> Vec<(String, Vec<ResolvedDiagnostic>)> {
    let mut files: Vec<(String, Vec<ResolvedDiagnostic>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for d in diagnostics {
        match index.get(&d.location.path) {
            Some(&i) => files[i].1.push(d),
            None => {
                index.insert(d.location.path.clone(), files.len());
                files.push((d.location.path.clone(), vec![d]));
            }
        }
    }
    files
}

pub fn render(report: &Report) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for (path, diagnostics) in by_file(resolve_all(report)) {
        let _ = writeln!(out, "  <file name=\"{}\">", xml_escape(&path));
        for d in diagnostics {
            let _ = writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"magelint.{}\"/>",
                d.location.start.line,
                d.location.start.column,
                d.severity.as_str(),
                xml_escape(&d.message),
                xml_escape(d.code)
            );
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}
