//! report: human formats and machine formats, all built from the same resolved model.
//!
//! Every format shows secrets masked: messages are written masked by the rules, and source text
//! comes from `SourceFile::redacted_text`.

mod checkstyle;
mod concise;
mod full;
mod github;
mod gitlab;
mod json;
mod json_lines;
mod junit;
mod model;
mod sarif;

pub use model::{resolve, ResolvedDiagnostic, ResolvedLocation, ResolvedRelated, Summary};

use crate::run::Report;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Rich snippets with the offending source (default on a terminal).
    Full,
    /// One line per finding: `path:line:col: CODE message` (default when piped).
    Concise,
    /// The versioned JSON model (schema: schemas/magelint-output.schema.json).
    Json,
    /// One JSON object per finding per line (the objects of `json`'s `diagnostics`).
    JsonLines,
    /// SARIF 2.1.0, for code scanning (GitHub, Azure DevOps, IDEs).
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…::message`), shown as annotations.
    Github,
    /// GitLab Code Quality report (JSON array).
    Gitlab,
    /// JUnit XML: one test suite per file, one failing test case per finding.
    Junit,
    /// Checkstyle XML.
    Checkstyle,
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
        OutputFormat::JsonLines => json_lines::render(report),
        OutputFormat::Sarif => sarif::render(report),
        OutputFormat::Github => github::render(report),
        OutputFormat::Gitlab => gitlab::render(report),
        OutputFormat::Junit => junit::render(report),
        OutputFormat::Checkstyle => checkstyle::render(report),
    }
}

/// Writes the report to `out`: the JSON format streams (a fleet's report is large), the
/// others are rendered first.
pub fn write(
    report: &Report,
    format: OutputFormat,
    options: RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Json => json::write(report, out),
        _ => out.write_all(render(report, format, options).as_bytes()),
    }
}

/// Where magelint lives; SARIF's `informationUri` and the base of rule help links.
pub const HOMEPAGE: &str = "https://github.com/magelint/magelint";

/// A stable link to the documentation of rule `code`.
pub fn rule_help_uri(code: &str) -> String {
    format!("{HOMEPAGE}/blob/main/docs/rules/{code}.md")
}

/// Every diagnostic of `report`, resolved, in report order.
fn resolve_all(report: &Report) -> Vec<ResolvedDiagnostic> {
    report
        .diagnostics
        .iter()
        .map(|d| resolve(report, d))
        .collect()
}

/// Escapes text for XML 1.0 attribute values (either quote kind) and content. Characters XML 1.0
/// cannot carry at all become U+FFFD; line breaks and tabs become character references so they
/// survive attribute-value normalisation.
fn xml_escape(text: &str) -> String {
    escape_xml(text, true)
}

/// Escapes text for XML 1.0 element content, where line breaks and tabs may stay as they are.
fn xml_escape_text(text: &str) -> String {
    escape_xml(text, false)
}

fn escape_xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' if !attribute => out.push(c),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_covers_markup_quotes_breaks_and_forbidden_characters() {
        assert_eq!(
            xml_escape("a<b>&\"c'\nd\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;d\u{fffd}"
        );
        assert_eq!(xml_escape_text("a\n\tb\r<"), "a\n\tb&#13;&lt;");
    }
}
