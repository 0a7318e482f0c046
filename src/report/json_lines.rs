//! `json-lines`: one JSON object per finding per line, the same objects as `json`'s `diagnostics`.
//! A clean run prints nothing.

use super::resolve_all;
use crate::run::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for diagnostic in resolve_all(report) {
        // serde_json escapes control characters, so a record never spans two lines.
        match serde_json::to_string(&diagnostic) {
            Ok(line) => out.push_str(&line),
            Err(e) => out.push_str(&serde_json::json!({ "error": e.to_string() }).to_string()),
        }
        out.push('\n');
    }
    out
}
