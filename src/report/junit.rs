//! `junit`: JUnit XML. One `<testsuite>` per file with findings, one failing `<testcase>` per
//! finding; a clean run is one passing test case, so CI dashboards show a green run.

use super::checkstyle::by_file;
use super::{resolve_all, xml_escape, xml_escape_text, ResolvedDiagnostic};
use crate::run::Report;
use std::fmt::Write;

fn testcase(out: &mut String, d: &ResolvedDiagnostic) {
    let start = d.location.start;
    let _ = writeln!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\">",
        xml_escape(&format!(
            "{} {} at {}:{}",
            d.code, d.name, start.line, start.column
        )),
        xml_escape(&d.location.path),
        xml_escape(&d.location.path),
        start.line
    );
    let mut body = format!(
        "{}:{}:{}: {} [{}] {}",
        d.location.path,
        start.line,
        start.column,
        d.code,
        d.severity.as_str(),
        d.message
    );
    if let Some(help) = &d.help {
        body.push_str("\nhelp: ");
        body.push_str(help);
    }
    for r in &d.related {
        let _ = write!(
            body,
            "\n{}:{}:{}: {}",
            r.location.path, r.location.start.line, r.location.start.column, r.message
        );
    }
    let _ = writeln!(
        out,
        "      <failure message=\"{}\" type=\"{}\">{}</failure>",
        xml_escape(&d.message),
        xml_escape(d.code),
        xml_escape_text(&body)
    );
    out.push_str("    </testcase>\n");
}

pub fn render(report: &Report) -> String {
    let diagnostics = resolve_all(report);
    let total = diagnostics.len();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if total == 0 {
        let _ = writeln!(
            out,
            "<testsuites name=\"magelint\" tests=\"1\" failures=\"0\" errors=\"0\">\n  \
             <testsuite name=\"magelint\" tests=\"1\" failures=\"0\" errors=\"0\">\n    \
             <testcase name=\"magelint check ({} files)\" classname=\"magelint\"/>\n  \
             </testsuite>\n</testsuites>",
            report.files.len()
        );
        return out;
    }
    let _ = writeln!(
        out,
        "<testsuites name=\"magelint\" tests=\"{total}\" failures=\"{total}\" errors=\"0\">"
    );
    for (path, diagnostics) in by_file(diagnostics) {
        let n = diagnostics.len();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{n}\" errors=\"0\">",
            xml_escape(&path)
        );
        for d in &diagnostics {
            testcase(&mut out, d);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
