//! Secrets: where they are in a document, and text with them masked for display.
//!
//! Every output that shows source text (the `full` format's snippets, editor hovers) takes it
//! from `redact`, so an API key, private key, password or crypt key is never printed in full.

use crate::syntax::{Document, Key, Span, Value};

mod pairs;

/// How the names of secret settings end, in lower case (`-` in a name counts as `_`). The last
/// word of a name says what the setting is: `password`, `db_password`, `production_api_key`,
/// `access_token` hold secrets; `password_lifetime`, `minimum_password_length`,
/// `reset_password_template` and `access_token_lifetime` only mention one.
const SECRET_NAME_ENDINGS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "api_key",
    "apikey",
    "private_key",
    "privatekey",
    "secret_key",
    "secretkey",
    "access_key",
    "accesskey",
    // ece-tools' CRYPT_KEY deploy variable, and other spellings of an encryption key.
    "crypt_key",
    "cryptkey",
    "encryption_key",
    "encryptionkey",
];

/// Spans of every secret value in `document`.
pub fn secret_spans(document: &Document) -> Vec<Span> {
    let mut spans = Vec::new();
    let root = &document.root;
    // An explicit stack of arrays (with "is this `crypt`"): documents are depth-limited, but
    // this must never recurse on input. Runs on every file, so scalars are judged in place.
    let mut stack: Vec<(&[crate::syntax::Entry], bool)> = Vec::new();
    match &root.value {
        Value::Array { entries, .. } => stack.push((entries, false)),
        Value::String(s) if looks_like_private_key(s) => spans.push(root.span),
        _ => {}
    }
    while let Some((entries, under_crypt)) = stack.pop() {
        for entry in entries {
            let name = match &entry.key {
                Key::Str(s) => s.as_str(),
                Key::Int(_) => "",
            };
            match &entry.value.value {
                Value::Array { entries, .. } => stack.push((entries, name == "crypt")),
                value => {
                    let secret_key = is_secret_key(name) || (under_crypt && name == "key");
                    let pem = matches!(value, Value::String(s) if looks_like_private_key(s));
                    if secret_key || pem {
                        spans.push(entry.value.span);
                    }
                }
            }
        }
    }
    spans.sort();
    spans
}

/// The union of two span lists, sorted, overlapping spans joined (so masking never skips the
/// tail of a span that overlaps an earlier one).
pub fn merge_spans(mut a: Vec<Span>, b: Vec<Span>) -> Vec<Span> {
    a.extend(b);
    a.sort();
    let mut merged: Vec<Span> = Vec::with_capacity(a.len());
    for span in a {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// Whether a key name names a secret setting (`crypt/key` is handled by the caller).
pub fn is_secret_key(name: &str) -> bool {
    // Runs on every key of every file (most of them module names), so it must cost little on
    // the names that are not secrets. Every ending contains one of the pairs `ss`, `cr` or
    // `ke` (a test checks this), which few other names hold: `pairs` finds whether one stands
    // anywhere, and only then are the endings compared, without a lowercased copy (a test
    // checks this against the plain definition).
    let bytes = name.as_bytes();
    pairs::holds_pair(bytes) && ends_with_secret(bytes)
}

/// Whether `bytes` ends with one of `SECRET_NAME_ENDINGS`, ignoring ASCII case, `-` as `_`.
fn ends_with_secret(bytes: &[u8]) -> bool {
    let fold = |b: u8| match b {
        b'-' => b'_',
        b => b.to_ascii_lowercase(),
    };
    SECRET_NAME_ENDINGS.iter().any(|ending| {
        let ending = ending.as_bytes();
        bytes.len() >= ending.len()
            && bytes[bytes.len() - ending.len()..]
                .iter()
                .zip(ending)
                .all(|(&b, &e)| fold(b) == e)
    })
}

/// Every secret key name contains one of these (case-insensitively), and a PEM block has dashes:
/// the text scan only looks at lines holding one of them.
const LINE_ANCHORS: [&str; 5] = ["pass", "secret", "key", "token", "-----"];

fn line_anchors() -> &'static aho_corasick::AhoCorasick {
    static ANCHORS: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    ANCHORS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(LINE_ANCHORS)
            .expect("fixed patterns build")
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
                        // A numeric password is a password all the same.
                        serde_json::Value::Number(n) if secret => {
                            *child = crate::diagnostic::mask_secret(&n.to_string()).into()
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

/// Spans of likely secrets found in raw text, for a file that has no document (it failed to
/// parse, or is not valid UTF-8) but whose lines may still be shown: the value after a secret
/// key name (`'password' => '…'`, `password: …`, `"api_key": "…"`) up to the end of its line,
/// the value after `key` near a `crypt`, and every PEM private key block.
pub fn text_secret_spans(text: &str) -> Vec<Span> {
    let mut scan = TextScan::default();
    let bytes = text.as_bytes();
    let mut from = 0;
    // Every anchor holds one of `ANCHOR_PAIRS`: a vector search for those finds the lines that
    // may hold one, and only those are searched for the anchors themselves (this visits the
    // lines the anchor search alone would; a test compares the two).
    while let Some(at) = pairs::find_anchor_pair(bytes, from) {
        let line = line_around(text, at);
        from = line.end;
        if line_anchors().is_match(&text[line.clone()]) {
            scan.line(text, line);
        }
    }
    scan.finish(text)
}

/// The byte range of the line holding offset `at`, with its line break.
fn line_around(text: &str, at: usize) -> std::ops::Range<usize> {
    let bytes = text.as_bytes();
    let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i + 1);
    start..end
}

/// The text scan's findings so far, fed the lines holding an anchor in order; lines without
/// one can hold neither a secret key nor a PEM boundary, so skipping them changes nothing.
#[derive(Default)]
struct TextScan {
    spans: Vec<Span>,
    /// Where an open PEM block began.
    pem_start: Option<usize>,
}

impl TextScan {
    fn line(&mut self, text: &str, line: std::ops::Range<usize>) {
        let start = line.start;
        let body = text[line].trim_end_matches(['\n', '\r']);
        if let Some(open) = self.pem_start {
            if let Some(at) = body.find("-----END") {
                let end = body[at + 8..]
                    .find("-----")
                    .map_or(body.len(), |i| at + 8 + i + 5);
                self.spans.push(Span::new(open, start + end));
                self.pem_start = None;
            }
            return;
        }
        if let Some(at) = body.find("-----BEGIN") {
            if body.contains("PRIVATE KEY") || !body.contains("-----END") {
                match body[at..].find("-----END") {
                    Some(end) => self
                        .spans
                        .push(Span::new(start + at, start + body.len().min(at + end + 40))),
                    None => self.pem_start = Some(start + at),
                }
                return;
            }
        }
        if let Some(value) = value_after_secret_key(text, start, body) {
            self.spans.push(value);
        }
    }

    fn finish(mut self, text: &str) -> Vec<Span> {
        if let Some(open) = self.pem_start {
            self.spans.push(Span::new(open, text.len()));
        }
        self.spans.sort();
        self.spans
    }
}

/// The span of the value written after a secret key name on one line, if any.
fn value_after_secret_key(text: &str, line_start: usize, line: &str) -> Option<Span> {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !(bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
            continue;
        }
        let word_start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        let word = &line[word_start..i];
        // Up to 200 bytes back, snapped to a character boundary.
        let mut from = line_start.saturating_sub(200);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let before = text.get(from..line_start + word_start).unwrap_or("");
        let crypt_key =
            word.eq_ignore_ascii_case("key") && before.to_ascii_lowercase().contains("crypt");
        if !(is_secret_key(word) || crypt_key) {
            continue;
        }
        // Past the key's closing quote, then a separator: `=>`, `:` or `=`.
        let rest = line[i..].trim_start_matches(['\'', '"']).trim_start();
        let rest = ["=>", ":", "="]
            .iter()
            .find_map(|sep| rest.strip_prefix(sep))?;
        let value = rest.trim_start();
        // A quoted value ends at its closing quote; a bare one at the next separator.
        let end = match value.chars().next() {
            // To the last such quote of the line, so `'a' 'b'` or `'a' . 'b'` is covered whole.
            Some(q @ ('\'' | '"')) => value[1..].rfind(q).map_or(value.len(), |i| i + 2),
            _ => value
                .find([',', ';', ']', ')', '}', '#'])
                .unwrap_or(value.len()),
        };
        let value = value[..end].trim_end();
        if value.is_empty()
            || value.starts_with('[')
            || value.starts_with('{')
            || value.starts_with("array")
        {
            return None;
        }
        let value_start =
            line_start + (line.len() - rest.len()) + (rest.len() - rest.trim_start().len());
        return Some(Span::new(value_start, value_start + value.len()));
    }
    None
}

/// `message` with any quoted piece of a secret in `text` masked (a parse error quoting the
/// token it stopped at, when that token is a secret).
pub fn mask_in_message(message: &str, text: &str, secrets: &[Span]) -> String {
    let mut out = message.to_string();
    for span in secrets {
        let Some(secret) = text.get(span.range()) else {
            continue;
        };
        for piece in message.split('`').skip(1).step_by(2) {
            let bare = piece.trim_end_matches('…');
            let bare = bare.trim_matches(['\'', '"']);
            if bare.chars().count() > 4 && secret.contains(bare) {
                out = out.replace(piece, &crate::diagnostic::mask_secret(bare));
            }
        }
    }
    out
}

/// A PEM private key anywhere in a string.
pub fn looks_like_private_key(text: &str) -> bool {
    // Runs on every string of every file: a substring searcher's set-up would cost more than
    // the search. Few values hold a capital `Y`; a word-at-a-time scan rules the others out.
    text.len() >= "PRIVATE KEY".len()
        && text.as_bytes().contains(&b'Y')
        && text.contains("PRIVATE KEY")
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
mod tests;
