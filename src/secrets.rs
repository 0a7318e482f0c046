//! Secrets: where they are in a document, and text with them masked for display.
//!
//! Every output that shows source text (the `full` format's snippets, editor hovers) takes it
//! from `redact`, so an API key, private key, password or crypt key is never printed in full.

use crate::syntax::{Document, Key, Node, Span, Value};

/// Key names whose string values are secrets, compared case-insensitively as substrings.
const SECRET_KEY_PARTS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "private_key",
    "api_key",
    "apikey",
    "access_token",
    "auth_token",
    "token",
];

/// Spans of every secret value in `document`.
pub fn secret_spans(document: &Document) -> Vec<Span> {
    let mut spans = Vec::new();
    // An explicit stack: documents are depth-limited, but this must never recurse on input.
    let mut stack: Vec<(&Node, bool)> = vec![(&document.root, false)];
    while let Some((node, under_crypt)) = stack.pop() {
        match &node.value {
            Value::Array { entries, .. } => {
                for entry in entries {
                    let name = match &entry.key {
                        Key::Str(s) => s.as_str(),
                        Key::Int(_) => "",
                    };
                    let secret_key = is_secret_key(name) || (under_crypt && name == "key");
                    if secret_key && !matches!(entry.value.value, Value::Array { .. }) {
                        spans.push(entry.value.span);
                    } else {
                        stack.push((&entry.value, name == "crypt"));
                    }
                }
            }
            Value::String(s) if looks_like_private_key(s) => spans.push(node.span),
            _ => {}
        }
    }
    spans.sort();
    spans
}

/// Whether a key name marks its value as a secret (`crypt/key` is handled by the caller).
pub fn is_secret_key(name: &str) -> bool {
    // Case-insensitive substring search without lowercasing a copy (this runs on every key):
    // only positions starting with the first letter of some part are compared.
    let name = name.as_bytes();
    (0..name.len()).any(|i| {
        let rest = &name[i..];
        matches!(rest[0].to_ascii_lowercase(), b'p' | b's' | b'a' | b't')
            && SECRET_KEY_PARTS.iter().any(|part| {
                rest.len() >= part.len() && rest[..part.len()].eq_ignore_ascii_case(part.as_bytes())
            })
    })
}

/// Masks secret strings in a JSON value (for `magelint dump`).
pub fn mask_json(value: &mut serde_json::Value) {
    let mut stack: Vec<(&mut serde_json::Value, bool)> = vec![(value, false)];
    while let Some((value, under_crypt)) = stack.pop() {
        match value {
            serde_json::Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    let secret = is_secret_key(key) || (under_crypt && key == "key");
                    match child {
                        serde_json::Value::String(s) if secret => {
                            *s = crate::diagnostic::mask_secret(s)
                        }
                        _ => stack.push((child, key == "crypt")),
                    }
                }
            }
            serde_json::Value::Array(items) => stack.extend(items.iter_mut().map(|v| (v, false))),
            serde_json::Value::String(s) if looks_like_private_key(s) => {
                *s = crate::diagnostic::mask_secret(s)
            }
            _ => {}
        }
    }
}

/// A PEM private key anywhere in a string.
pub fn looks_like_private_key(text: &str) -> bool {
    // Most values are short: skip the substring searcher's set-up for them.
    text.len() >= "PRIVATE KEY".len() && text.contains("PRIVATE KEY")
}

/// `text` with each secret span masked: the first 4 characters of the value (after an opening
/// quote) kept, every other character but line breaks replaced by `*`, byte length unchanged so
/// every span and line stays where it was.
pub fn redact(text: &str, secrets: &[Span]) -> String {
    if secrets.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0usize;
    for span in secrets {
        let range = span.range();
        if range.start < cursor || range.end > text.len() || !text.is_char_boundary(range.start) {
            continue;
        }
        out.push_str(&text[cursor..range.start]);
        let mut kept = 0;
        let value = &text[range.clone()];
        let opening = value.chars().next().filter(|c| matches!(c, '\'' | '"'));
        let last = value.char_indices().last().map_or(0, |(i, _)| i);
        for (i, c) in value.char_indices() {
            let quote = opening == Some(c) && (i == 0 || i == last);
            if quote || c == '\n' || c == '\r' || kept < 4 {
                if !quote && c != '\n' && c != '\r' {
                    kept += 1;
                }
                out.push(c);
            } else {
                out.extend(std::iter::repeat_n('*', c.len_utf8()));
            }
        }
        cursor = range.end;
    }
    out.push_str(&text[cursor.min(text.len())..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_keeps_length_lines_and_four_chars() {
        let text = "a => 'supersecret',\nb => 'x'";
        let start = text.find('\'').unwrap();
        let span = Span::new(start, start + "'supersecret'".len());
        let redacted = redact(text, &[span]);
        assert_eq!(redacted, "a => 'supe*******',\nb => 'x'");
        assert_eq!(redacted.len(), text.len());
        let multi = "k: |\n  -----BEGIN PRIVATE KEY-----\n  abc\n";
        let redacted = redact(multi, &[Span::new(3, multi.len())]);
        assert_eq!(redacted.lines().count(), multi.lines().count());
        assert!(!redacted.contains("BEGIN PRIVATE"));
    }
}
