//! Diagnostics resolved to paths, lines and columns: the JSON output model (version 1).

use crate::diagnostic::{stable_hash, Diagnostic, Location, Severity};
use crate::run::{Report, SourceFile};
use crate::syntax::Position;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub sites: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub suppressed: usize,
}

impl Summary {
    pub fn of(report: &Report) -> Summary {
        Summary {
            files: report.files.len(),
            sites: report.sites,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
            suppressed: report.suppressed,
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ResolvedLocation {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    pub start: Position,
    pub end: Position,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ResolvedRelated {
    pub message: String,
    pub location: ResolvedLocation,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ResolvedDiagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub location: ResolvedLocation,
    pub related: Vec<ResolvedRelated>,
    pub fingerprint: String,
}

fn locate(report: &Report, location: &Location) -> ResolvedLocation {
    match report.files.get(location.file) {
        Some(file) => resolve_in(file, location),
        None => ResolvedLocation {
            path: String::from("<unknown>"),
            pointer: location.pointer.as_deref().map(String::from),
            start: Position {
                line: 1,
                column: 1,
                offset: 0,
            },
            end: Position {
                line: 1,
                column: 1,
                offset: 0,
            },
        },
    }
}

fn resolve_in(file: &SourceFile, location: &Location) -> ResolvedLocation {
    let (start, end) = crate::syntax::span_positions(&file.lines, &file.text, location.span);
    ResolvedLocation {
        path: file.display_path.clone(),
        pointer: location.pointer.as_deref().map(String::from),
        start,
        end,
    }
}

/// Resolves one diagnostic; the fingerprint hashes code, path, pointer and the (masked) value
/// text, so it survives moving lines around.
pub fn resolve(report: &Report, diagnostic: &Diagnostic) -> ResolvedDiagnostic {
    let location = locate(report, &diagnostic.location);
    let value = report
        .files
        .get(diagnostic.location.file)
        .map(|file| {
            let span = diagnostic.location.span;
            let value = file.text.get(span.range()).unwrap_or("");
            // Hash a masked secret, never the secret itself.
            let secret = file
                .secrets
                .iter()
                .any(|s| s.start < span.end.max(span.start + 1) && span.start < s.end);
            if secret {
                crate::diagnostic::mask_secret(value)
            } else {
                value.to_string()
            }
        })
        .unwrap_or_default();
    let pointer = location.pointer.clone().unwrap_or_default();
    // The message tells apart findings at one place (two sites colliding on one website code);
    // its digits are dropped so line numbers quoted in it do not break baselines.
    let anchor: String = diagnostic
        .message
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .collect();
    ResolvedDiagnostic {
        code: diagnostic.code(),
        name: diagnostic.name(),
        severity: diagnostic.severity,
        message: diagnostic.message.clone(),
        help: diagnostic.help.clone(),
        fingerprint: stable_hash(&[diagnostic.code(), &location.path, &pointer, &value, &anchor]),
        related: diagnostic
            .related
            .iter()
            .map(|r| ResolvedRelated {
                message: r.message.clone(),
                location: locate(report, &r.location),
            })
            .collect(),
        location,
    }
}
