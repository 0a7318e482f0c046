//! `gitlab`: a GitLab Code Quality report (a JSON array of Code Climate issues).

use super::resolve_all;
use crate::diagnostic::Severity;
use crate::run::Report;
use serde_json::json;
use std::collections::HashMap;

pub fn render(report: &Report) -> String {
    // GitLab needs fingerprints unique within a report; two findings that share one (the same
    // value flagged twice by one rule) get `-2`, `-3`… in report order, which is stable.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<_> = resolve_all(report)
        .into_iter()
        .map(|d| {
            let count = seen.entry(d.fingerprint.clone()).or_insert(0);
            *count += 1;
            let fingerprint = if *count == 1 {
                d.fingerprint.clone()
            } else {
                format!("{}-{count}", d.fingerprint)
            };
            let severity = match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            };
            json!({
                "description": format!("{} {}", d.code, d.message),
                "check_name": d.code,
                "fingerprint": fingerprint,
                "severity": severity,
                "location": {
                    "path": d.location.path,
                    "positions": {
                        "begin": { "line": d.location.start.line, "column": d.location.start.column },
                        "end": { "line": d.location.end.line, "column": d.location.end.column },
                    },
                },
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| String::from("[]"));
    text.push('\n');
    text
}
