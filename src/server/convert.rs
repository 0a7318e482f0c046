//! Report → LSP: byte spans to UTF-16 ranges, diagnostics with code links and related places.

use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::run::{Report, SourceFile};
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString, Position,
    Range, Url,
};

/// The `source` of every diagnostic the server publishes.
pub const SOURCE: &str = "magelint";

/// The LSP position (0-based line, UTF-16 code units) of byte `offset` in `text`.
pub fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = before[line_start..].encode_utf16().count();
    Position::new(line as u32, character as u32)
}

/// The byte offset of an LSP position in `text` (clamped to the line and the text).
pub fn offset(text: &str, at: Position) -> usize {
    let mut line_start = 0usize;
    for _ in 0..at.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let mut units = 0u32;
    for (i, c) in text[line_start..line_end].char_indices() {
        if units >= at.character {
            return line_start + i;
        }
        units += c.len_utf16() as u32;
    }
    line_end
}

/// The range of a byte span.
pub fn range(text: &str, start: usize, end: usize) -> Range {
    Range::new(position(text, start), position(text, end.max(start)))
}

pub use crate::workspace::absolute;

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

fn location(report: &Report, location: &Location) -> Option<(Url, Range)> {
    let file: &SourceFile = report.files.get(location.file)?;
    let uri = Url::from_file_path(absolute(&file.source.path)).ok()?;
    let span = location.span;
    Some((
        uri,
        range(&file.text, span.start as usize, span.end as usize),
    ))
}

/// One report diagnostic as LSP shows it. Messages are already masked by the rules.
pub fn diagnostic(report: &Report, diagnostic: &Diagnostic) -> Option<lsp_types::Diagnostic> {
    let (_, range) = location(report, &diagnostic.location)?;
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .filter_map(|r| {
            let (uri, range) = location(report, &r.location)?;
            Some(DiagnosticRelatedInformation {
                location: lsp_types::Location::new(uri, range),
                message: r.message.clone(),
            })
        })
        .collect();
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let code_description = Url::parse(&crate::report::rule_help_uri(diagnostic.code()))
        .ok()
        .map(|href| CodeDescription { href });
    Some(lsp_types::Diagnostic {
        range,
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code().to_string())),
        code_description,
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    })
}

/// The diagnostics of report file `file`, in report order.
pub fn file_diagnostics(report: &Report, file: usize) -> Vec<lsp_types::Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.location.file == file)
        .filter_map(|d| diagnostic(report, d))
        .collect()
}

/// Whether `at` lies in `range` (an empty range matches its own position).
pub fn contains(range: &Range, at: Position) -> bool {
    let key = |p: Position| (p.line, p.character);
    key(range.start) <= key(at) && key(at) <= key(range.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a\n😀é x\r\nz";
        let x = text.find('x').unwrap_or(0);
        assert_eq!(position(text, x), Position::new(1, 4));
        assert_eq!(offset(text, Position::new(1, 4)), x);
        assert_eq!(position(text, text.len()), Position::new(2, 1));
        // Mid-character offsets snap back; out-of-range positions clamp.
        assert_eq!(position(text, 3), Position::new(1, 0));
        assert_eq!(offset(text, Position::new(9, 9)), text.len());
        assert_eq!(offset(text, Position::new(0, 99)), 1);
    }
}
