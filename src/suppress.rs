//! suppress: inline `magelint-ignore` comments, config ignores (path glob or `path#/pointer`)
//! and the baseline. Suppressions that match nothing, or give no reason, are findings too.

use crate::diagnostic::{Diagnostic, Location};
use crate::discover::Format;
use crate::rules;
use crate::run::{Report, SourceFile};
use crate::syntax::Span;

pub(crate) const MARKER: &str = "magelint-ignore";

/// Whether `text` holds a suppression comment anywhere (asked of every file: a vector search,
/// not `str::contains`).
pub(crate) fn has_marker(text: &str) -> bool {
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(MARKER));
    FINDER.find(text.as_bytes()).is_some()
}

/// One inline suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineSuppression {
    /// Codes or prefixes it names.
    pub codes: Vec<String>,
    pub reason: Option<String>,
    /// The line (1-based) whose diagnostics it covers.
    pub covers_line: u32,
    /// Where the comment is written.
    pub span: Span,
}

/// Finds the `magelint-ignore` comments of a file. A comment alone on its line covers the next
/// line; a comment after code covers its own line.
pub fn inline_suppressions(file: &SourceFile) -> Vec<InlineSuppression> {
    let text = &file.text;
    if !has_marker(text) {
        return Vec::new();
    }
    let openers: &[&str] = match file.source.format {
        Format::Php => &["//", "#", "/*"],
        Format::Yaml | Format::DotEnv | Format::Nginx => &["#"],
        Format::Xml => &["<!--"],
        Format::Presence => &["#", ";"],
        Format::Json => &[],
    };
    let mut found = Vec::new();
    let mut offset = 0usize;
    for (index, line) in text.split('\n').enumerate() {
        let line_start = offset;
        offset += line.len() + 1;
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        let before = line[..at].trim_end();
        let Some(opener) = openers.iter().find(|o| before.ends_with(*o)) else {
            continue;
        };
        let comment_start = before.len() - opener.len();
        let code_before = !line[..comment_start].trim().is_empty();
        let body = line[at + MARKER.len()..]
            .trim_end()
            .trim_end_matches("*/")
            .trim();
        let (codes_text, reason) = match body.split_once(':') {
            Some((codes, reason)) => (
                codes,
                Some(reason.trim().to_string()).filter(|r| !r.is_empty()),
            ),
            None => (body, None),
        };
        let codes: Vec<String> = codes_text
            .split([',', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_ascii_uppercase)
            .collect();
        let line_number = index as u32 + 1;
        found.push(InlineSuppression {
            codes,
            reason,
            covers_line: if code_before {
                line_number
            } else {
                line_number + 1
            },
            span: Span::new(
                line_start + comment_start,
                line_start + line.trim_end().len(),
            ),
        });
    }
    found
}

fn code_matches(selector: &str, code: &str) -> bool {
    selector == "ALL" || code.starts_with(selector)
}

/// A config ignore: a path glob, optionally narrowed to a JSON Pointer prefix, and its codes.
#[derive(Clone, Debug)]
pub struct PathIgnore {
    pub matcher: globset::GlobMatcher,
    pub pointer: Option<String>,
    pub codes: Vec<String>,
    /// Directory the glob is relative to (the config file's), in the form paths are printed.
    pub base: String,
}

impl PathIgnore {
    fn matches(&self, path: &str, pointer: Option<&str>, code: &str) -> bool {
        let relative = path
            .strip_prefix(&self.base)
            .map_or(path, |p| p.trim_start_matches('/'));
        self.codes.iter().any(|c| code_matches(c, code))
            && (self.matcher.is_match(relative) || self.matcher.is_match(path))
            && self
                .pointer
                .as_deref()
                .is_none_or(|p| pointer.is_some_and(|d| d == p || d.starts_with(&format!("{p}/"))))
    }
}

/// Applies inline comments and config ignores; adds ML001/ML002 findings; returns how many
/// diagnostics were suppressed.
pub fn apply(report: &mut Report, ignores: &[PathIgnore], enabled: &dyn Fn(&str) -> bool) -> usize {
    let mut suppressed = 0;
    let mut used: Vec<Vec<(InlineSuppression, bool)>> = report
        .files
        .iter()
        .map(|f| {
            inline_suppressions(f)
                .into_iter()
                .map(|s| (s, false))
                .collect()
        })
        .collect();
    let files = &report.files;
    report.diagnostics.retain(|d| {
        let Some(file) = files.get(d.location.file) else {
            return true;
        };
        // Failures of magelint itself and of reading a file cannot be waived.
        if matches!(d.rule.code, "E000" | "E003") {
            return true;
        }
        let line = file.lines.position(&file.text, d.location.span.start).line;
        let mut hit = false;
        for (suppression, was_used) in used[d.location.file].iter_mut() {
            if suppression.covers_line == line
                && suppression
                    .codes
                    .iter()
                    .any(|c| code_matches(c, d.rule.code))
            {
                *was_used = true;
                hit = true;
            }
        }
        if !hit {
            hit = ignores.iter().any(|i| {
                i.matches(
                    &file.display_path,
                    d.location.pointer.as_deref(),
                    d.rule.code,
                )
            });
        }
        if hit {
            suppressed += 1;
        }
        !hit
    });
    for (id, suppressions) in used.into_iter().enumerate() {
        // A rule about what a repository holds never judges a file git ignores: suppressing
        // it there is not unused, only moot (it counts once the file is committed).
        let ignored = report
            .files
            .get(id)
            .is_some_and(|f| f.source.git == crate::git::GitStatus::Ignored);
        let judges = |code: &str| {
            enabled(code) && !(ignored && rules::meta(code).is_some_and(|m| m.about_repository))
        };
        for (suppression, was_used) in suppressions {
            let location = Location::new(id, suppression.span);
            let names = suppression.codes.join(", ");
            if suppression.reason.is_none() && enabled("ML002") {
                report.diagnostics.push(
                    Diagnostic::new(
                        rules::SuppressionWithoutReason::RULE,
                        location.clone(),
                        format!("suppression of {names} gives no reason"),
                    )
                    .help("write why after a colon: `magelint-ignore CODE: reason`"),
                );
            }
            let checked = suppression.codes.iter().any(|c| judges(c));
            if !was_used && checked && enabled("ML001") {
                let message = if suppression.codes.is_empty() {
                    "suppression names no rule code".to_string()
                } else {
                    format!(
                        "suppression of {names} matches no finding on line {}",
                        suppression.covers_line
                    )
                };
                report.diagnostics.push(
                    Diagnostic::new(rules::UnusedSuppression::RULE, location, message)
                        .help("remove the comment, or move it to the line before the finding"),
                );
            }
        }
    }
    suppressed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::{FileKind, SourcePath};
    use crate::syntax::LineIndex;

    fn file(text: &str, format: Format) -> SourceFile {
        SourceFile {
            source: SourcePath {
                path: "x".into(),
                kind: FileKind::Other,
                format,
                explicit: true,
                git: Default::default(),
            },
            display_path: "x".into(),
            text: text.into(),
            lines: LineIndex::new(text),
            facts: None,
            in_memory: false,
            secrets: Vec::new(),
        }
    }

    #[test]
    fn finds_comments_and_the_lines_they_cover() {
        let php = "<?php\n// magelint-ignore MS008, ms011: sandbox key of the demo\n'k' => 'v', # magelint-ignore MG003\n/* magelint-ignore MS001: why */\n";
        let found = inline_suppressions(&file(php, Format::Php));
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].codes, vec!["MS008", "MS011"]);
        assert_eq!(found[0].reason.as_deref(), Some("sandbox key of the demo"));
        assert_eq!(found[0].covers_line, 3);
        assert_eq!(found[1].covers_line, 3);
        assert_eq!(found[1].reason, None);
        assert_eq!(found[2].codes, vec!["MS001"]);
        assert_eq!(found[2].reason.as_deref(), Some("why"));
        let yaml = "a: 1 # magelint-ignore MG003: legacy\n'// magelint-ignore X': 2\n";
        let found = inline_suppressions(&file(yaml, Format::Yaml));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].covers_line, 1);
    }
}
