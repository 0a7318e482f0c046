//! `sarif`: SARIF 2.1.0, one run. Every registered rule is listed in `tool.driver.rules`; each
//! finding is a result pointing at its rule by id and index. Columns count Unicode scalar values,
//! so the run says `columnKind: unicodeCodePoints` (SARIF's default is UTF-16 code units).

use super::{resolve_all, rule_help_uri, ResolvedLocation, HOMEPAGE};
use crate::diagnostic::Severity;
use crate::rules::{RuleMeta, RULES};
use crate::run::Report;
use serde_json::{json, Value};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path as a URI reference: `/` kept, everything outside RFC 3986's unreserved
/// characters percent-encoded (byte-wise, UTF-8).
fn path_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The rule's documentation as Markdown (doc comments keep one leading space per line).
fn doc_markdown(meta: &RuleMeta) -> String {
    meta.doc
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// The "What it does" section as one paragraph of plain text.
fn what_it_does(markdown: &str) -> String {
    let body = markdown
        .split("## What it does")
        .nth(1)
        .unwrap_or(markdown)
        .split("\n## ")
        .next()
        .unwrap_or("");
    body.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn rule(meta: &RuleMeta) -> Value {
    let doc = doc_markdown(meta);
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": { "text": meta.summary() },
        "fullDescription": { "text": what_it_does(&doc) },
        "help": { "text": doc, "markdown": doc },
        "helpUri": rule_help_uri(meta.code),
        "defaultConfiguration": {
            "enabled": meta.default_enabled,
            "level": level(meta.severity),
        },
    })
}

fn physical(location: &ResolvedLocation) -> Value {
    json!({
        "artifactLocation": { "uri": path_uri(&location.path) },
        "region": {
            "startLine": location.start.line,
            "startColumn": location.start.column,
            "endLine": location.end.line,
            "endColumn": location.end.column,
        },
    })
}

/// A location; the JSON pointer of the value, when known, goes along as a logical location.
fn location(location: &ResolvedLocation) -> Value {
    let mut value = json!({ "physicalLocation": physical(location) });
    if let Some(pointer) = &location.pointer {
        value["logicalLocations"] = json!([{ "fullyQualifiedName": pointer, "kind": "element" }]);
    }
    value
}

pub fn render(report: &Report) -> String {
    let results: Vec<Value> = resolve_all(report)
        .into_iter()
        .map(|d| {
            let mut result = json!({ "ruleId": d.code });
            if let Some(index) = RULES.iter().position(|r| r.meta.code == d.code) {
                result["ruleIndex"] = json!(index);
            }
            result["level"] = json!(level(d.severity));
            result["message"] = json!({ "text": d.message });
            result["locations"] = json!([location(&d.location)]);
            if !d.related.is_empty() {
                let related: Vec<Value> = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let mut value = location(&r.location);
                        value["id"] = json!(i + 1);
                        value["message"] = json!({ "text": r.message });
                        value
                    })
                    .collect();
                result["relatedLocations"] = Value::Array(related);
            }
            result["partialFingerprints"] = json!({ "magelint/v1": d.fingerprint });
            if let Some(help) = &d.help {
                result["properties"] = json!({ "help": help });
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "magelint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": HOMEPAGE,
                    "rules": RULES.iter().map(|r| rule(r.meta)).collect::<Vec<_>>(),
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text =
        serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            path_uri("sites/eu/app/etc/env.php"),
            "sites/eu/app/etc/env.php"
        );
        assert_eq!(path_uri("a b/#é.php"), "a%20b/%23%C3%A9.php");
    }
}
