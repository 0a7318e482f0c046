//! Code actions (suppress a finding with a `magelint-ignore` comment) and hover (rule docs).

use super::convert::{self, SOURCE};
use crate::discover::Format;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Hover, HoverContents, MarkupContent,
    MarkupKind, NumberOrString, Position, Range, TextEdit, Url, WorkspaceEdit,
};
use std::collections::HashMap;

/// What the user must replace in an inserted suppression comment.
pub const REASON_PLACEHOLDER: &str = "<reason>";

/// Codes that cannot be waived (magelint's own failures and unreadable files).
fn waivable(code: &str) -> bool {
    !matches!(code, "E000" | "E003")
}

fn code_of(diagnostic: &lsp_types::Diagnostic) -> Option<&str> {
    if diagnostic.source.as_deref() != Some(SOURCE) {
        return None;
    }
    match &diagnostic.code {
        Some(NumberOrString::String(code)) => Some(code.as_str()),
        _ => None,
    }
}

/// The edit that suppresses `code` on `line` (0-based) of `text`, or `None` where the format has
/// no comments (JSON).
pub fn suppression_edit(text: &str, format: Format, line: u32, code: &str) -> Option<TextEdit> {
    let marker = match format {
        Format::Php => "//",
        Format::Yaml | Format::DotEnv | Format::Nginx => "#",
        // JSON has no comments; an XML comment is no line comment; an INI file is never parsed.
        Format::Json | Format::Xml | Format::Presence => return None,
    };
    let comment = format!("{marker} magelint-ignore {code}: {REASON_PLACEHOLDER}");
    let start = convert::offset(text, Position::new(line, 0));
    let rest = &text[start..];
    let content = rest.split('\n').next().unwrap_or("");
    let content = content.strip_suffix('\r').unwrap_or(content);
    // On the `<?php` line a comment before it would be output, not PHP: put it after the code,
    // where it covers its own line.
    if format == Format::Php && content.trim_start().starts_with("<?php") {
        let end = convert::position(text, start + content.len());
        return Some(TextEdit::new(Range::new(end, end), format!(" {comment}")));
    }
    let indent: String = content
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let at = Position::new(line, 0);
    Some(TextEdit::new(
        Range::new(at, at),
        format!("{indent}{comment}{newline}"),
    ))
}

/// The quick fixes for the client's diagnostics in a document.
pub fn code_actions(
    uri: &Url,
    text: &str,
    format: Format,
    diagnostics: &[lsp_types::Diagnostic],
) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    let mut seen = Vec::new();
    for diagnostic in diagnostics {
        let Some(code) = code_of(diagnostic) else {
            continue;
        };
        let line = diagnostic.range.start.line;
        if !waivable(code) || seen.contains(&(code.to_string(), line)) {
            continue;
        }
        seen.push((code.to_string(), line));
        let Some(edit) = suppression_edit(text, format, line, code) else {
            continue;
        };
        let mut changes = HashMap::new();
        changes.insert(uri.clone(), vec![edit]);
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!(
                "Suppress {code} on this line (reason required: edit {REASON_PLACEHOLDER})"
            ),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(WorkspaceEdit {
                changes: Some(changes),
                ..WorkspaceEdit::default()
            }),
            ..CodeAction::default()
        }));
    }
    actions
}

/// A rule's documentation as Markdown.
pub fn rule_markdown(code: &str) -> Option<String> {
    let meta = crate::rules::meta(code)?;
    let doc: Vec<&str> = meta
        .doc
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    Some(format!(
        "**{} {}** (default severity: {})\n\n{}\n\n[Rule documentation]({})",
        meta.code,
        meta.name,
        meta.severity,
        doc.join("\n").trim(),
        crate::report::rule_help_uri(meta.code)
    ))
}

/// The rule code written under `at` in a `magelint-ignore` comment, if any.
fn ignore_comment_code(text: &str, at: Position) -> Option<String> {
    let start = convert::offset(text, Position::new(at.line, 0));
    let line = text[start..].split('\n').next().unwrap_or("");
    let marker = line.find("magelint-ignore")?;
    let cursor = convert::offset(text, at).checked_sub(start)?;
    let body_start = marker + "magelint-ignore".len();
    let body_end = line[body_start..]
        .find(':')
        .map_or(line.len(), |i| body_start + i);
    if cursor < body_start || cursor > body_end {
        return None;
    }
    let mut offset = body_start;
    for word in line[body_start..body_end].split([',', ' ']) {
        let (from, to) = (offset, offset + word.len());
        offset = to + 1;
        if !word.is_empty() && from <= cursor && cursor <= to {
            let code = word.trim().to_ascii_uppercase();
            return crate::rules::meta(&code).map(|_| code);
        }
    }
    None
}

/// Hover at `at`: the docs of the rules whose published diagnostics cover it, or of the code
/// under the cursor in a `magelint-ignore` comment.
pub fn hover(text: &str, published: &[lsp_types::Diagnostic], at: Position) -> Option<Hover> {
    let mut codes: Vec<String> = Vec::new();
    let mut range = None;
    for diagnostic in published {
        if let Some(code) = code_of(diagnostic) {
            if convert::contains(&diagnostic.range, at) && !codes.iter().any(|c| c == code) {
                codes.push(code.to_string());
                range.get_or_insert(diagnostic.range);
            }
        }
    }
    if codes.is_empty() {
        codes.extend(ignore_comment_code(text, at));
    }
    let sections: Vec<String> = codes.iter().filter_map(|c| rule_markdown(c)).collect();
    if sections.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn php_comment_goes_before_the_line_with_its_indentation() {
        let text = "<?php\nreturn [\n    'k' => 'v',\n];\n";
        let edit = suppression_edit(text, Format::Php, 2, "MS008");
        let edit = edit.unwrap_or_else(|| TextEdit::new(Range::default(), String::new()));
        assert_eq!(edit.range.start, Position::new(2, 0));
        assert_eq!(edit.new_text, "    // magelint-ignore MS008: <reason>\n");
        let first = suppression_edit(text, Format::Php, 0, "MS001");
        let first = first.map(|e| (e.range.start, e.new_text));
        assert_eq!(
            first,
            Some((
                Position::new(0, 5),
                " // magelint-ignore MS001: <reason>".to_string()
            ))
        );
    }

    #[test]
    fn yaml_uses_hash_and_json_has_no_comments() {
        let text = "stage:\n  deploy:\n    X: 1\n";
        let edit = suppression_edit(text, Format::Yaml, 2, "MG003").map(|e| e.new_text);
        assert_eq!(
            edit.as_deref(),
            Some("    # magelint-ignore MG003: <reason>\n")
        );
        assert!(suppression_edit("{}", Format::Json, 0, "MG003").is_none());
    }

    #[test]
    fn hover_finds_codes_in_ignore_comments() {
        let text = "<?php\n// magelint-ignore MG003, MS001: why\n";
        assert_eq!(
            ignore_comment_code(text, Position::new(1, 28)).as_deref(),
            Some("MS001")
        );
        assert_eq!(ignore_comment_code(text, Position::new(1, 36)), None);
        assert!(hover(text, &[], Position::new(1, 21)).is_some());
    }
}
