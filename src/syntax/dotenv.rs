//! Env files as Docker Compose reads them (the project `.env` and `env_file:` files, with
//! compose-go's `dotenv` package): one `NAME=value` (or `NAME: value`) per statement, an
//! optional `export ` before the name, `#` comment lines, blank lines.
//!
//! - A name is letters, digits, `_`, `.`, `-`, `[`, `]`; any other character is refused, and so
//!   is a name with a space inside (`A B=1`).
//! - A name alone on its line (`NAME`) passes the variable through from the environment compose
//!   runs in: its value is dynamic. A name alone on the file's last line, with no line break,
//!   sets nothing (compose reads it as the value of a variable with no name).
//! - An unquoted value runs to the end of the line, cut before ` #` (a comment), trimmed; it is
//!   interpolated (`${VAR}` is dynamic, `$$` is `$`).
//! - A single-quoted value is literal (a `\` before the quote keeps the quote); a double-quoted
//!   one reads the escapes `\n`, `\t`, `\"`, `\\`, `\$`... and is interpolated. Both may span
//!   lines; an unterminated one is refused. Text after the closing quote starts the next
//!   statement.
//! - A UTF-8 byte order mark is skipped. A name set twice keeps its last value.
//!
//! `docker run --env-file` reads a simpler dialect (values literally, quotes included); a file
//! written for it reads the same here unless its values are quoted.
//!
//! The document is a mapping of each name to its value: a string, or a dynamic value (with its
//! source text) when it depends on the environment. Spans are exact: a name's span is the name,
//! a value's span is its text, quotes included.

use super::interpolation::{interpolate, Interpolated};
use super::{Document, DuplicateKey, Entry, Key, Node, ParseError, Span, Value};
use std::collections::HashMap;

/// Parses an env file.
pub fn parse(text: &str) -> Result<Document, ParseError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        at: if text.starts_with('\u{feff}') { 3 } else { 0 },
        entries: Vec::new(),
        seen: HashMap::new(),
        duplicates: Vec::new(),
    };
    while parser.statement_start() {
        parser.statement()?;
    }
    let root = Node::new(
        Value::Array {
            entries: parser.entries,
            list: false,
        },
        Span::new(0, text.len()),
    );
    let mut document = Document::new(root);
    document.duplicates = parser.duplicates;
    Ok(document)
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    entries: Vec<Entry>,
    /// Each name's index in `entries`.
    seen: HashMap<String, usize>,
    duplicates: Vec<DuplicateKey>,
}

/// compose-go's `isSpace`: blanks within a line (a line break ends a statement).
fn is_blank(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    )
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '[' | ']')
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    /// Skips blank space, line breaks and comment lines; false at the end of the text.
    fn statement_start(&mut self) -> bool {
        loop {
            let rest = self.rest();
            let Some(offset) = rest.find(|c: char| !c.is_whitespace()) else {
                self.at = self.text.len();
                return false;
            };
            self.at += offset;
            if self.bytes[self.at] != b'#' {
                return true;
            }
            match memchr::memchr(b'\n', &self.bytes[self.at..]) {
                Some(end) => self.at += end,
                None => {
                    self.at = self.text.len();
                    return false;
                }
            }
        }
    }

    fn statement(&mut self) -> Result<(), ParseError> {
        // `export` and blank space (compose's `^export\s+`) before the name.
        let rest = self.rest();
        if let Some(after) = rest.strip_prefix("export") {
            if after.starts_with([' ', '\t', '\n', '\r', '\u{c}']) {
                self.at += "export".len();
                self.skip_blanks();
            }
        }
        let name_start = self.at;
        let mut separator = None;
        for (offset, c) in self.rest().char_indices() {
            if is_blank(c) {
                continue;
            }
            match c {
                '=' | ':' | '\n' => {
                    separator = Some((name_start + offset, c));
                    break;
                }
                c if is_name_char(c) => {}
                c => {
                    let at = name_start + offset;
                    let line = self.text[name_start..].lines().next().unwrap_or("");
                    return Err(ParseError::new(
                        format!("unexpected character {c:?} in variable name `{line}`"),
                        Span::new(at, at + c.len_utf8()),
                    ));
                }
            }
        }
        // No `=` before the end of the file: compose sets a nameless variable, i.e. nothing.
        let Some((separator_at, separator)) = separator else {
            self.at = self.text.len();
            return Ok(());
        };
        let name = self.text[name_start..separator_at].trim_end();
        let name_span = Span::new(name_start, name_start + name.len());
        if name.contains(' ') {
            return Err(ParseError::new(
                format!("variable name `{name}` contains a space"),
                name_span,
            ));
        }
        self.at = separator_at + 1;
        if separator == '\n' {
            // `NAME` alone: passed through from the environment compose runs in.
            let value = Node::new(Value::Dynamic(format!("${{{name}}}")), name_span);
            self.set(name, name_span, value);
            return Ok(());
        }
        self.skip_blanks();
        let value = self.value()?;
        self.set(name, name_span, value);
        Ok(())
    }

    fn skip_blanks(&mut self) {
        let skipped = self.rest().find(|c: char| !is_blank(c));
        self.at = skipped.map_or(self.text.len(), |offset| self.at + offset);
    }

    fn value(&mut self) -> Result<Node, ParseError> {
        let start = self.at;
        match self.bytes.get(start) {
            Some(&quote @ (b'\'' | b'"')) => self.quoted(start, quote),
            _ => {
                let line_end = memchr::memchr(b'\n', &self.bytes[start..])
                    .map_or(self.text.len(), |i| start + i);
                let line = &self.text[start..line_end];
                let value = line.split_once(" #").map_or(line, |(value, _)| value);
                let value = value.trim_end();
                self.at = (line_end + 1).min(self.text.len());
                let span = Span::new(start, start + value.len());
                interpolated(value, value, span)
            }
        }
    }

    fn quoted(&mut self, start: usize, quote: u8) -> Result<Node, ParseError> {
        let mut chars = Vec::new();
        let mut escaped = false;
        for at in start + 1..self.bytes.len() {
            let byte = self.bytes[at];
            if byte != quote {
                if !escaped && byte == b'\\' {
                    escaped = true;
                    continue;
                }
                if escaped {
                    escaped = false;
                    chars.push(b'\\');
                }
                chars.push(byte);
                continue;
            }
            if escaped {
                escaped = false;
                chars.push(byte);
                continue;
            }
            self.at = at + 1;
            let span = Span::new(start, at + 1);
            // Only ASCII bytes were dropped (quotes, backslashes): still UTF-8.
            let value = String::from_utf8_lossy(&chars).into_owned();
            let source = &self.text[start..at + 1];
            return match quote {
                b'"' => interpolated(&expand_escapes(&value), source, span),
                _ => Ok(Node::new(Value::String(value.into()), span)),
            };
        }
        let line_end =
            memchr::memchr(b'\n', &self.bytes[start..]).map_or(self.text.len(), |i| start + i);
        Err(ParseError::new(
            format!(
                "unterminated quoted value `{}`",
                &self.text[start..line_end].trim_end()
            ),
            Span::new(start, start + 1),
        ))
    }

    /// Sets `name`: a name set again keeps its first position and takes the later value.
    fn set(&mut self, name: &str, span: Span, value: Node) {
        if name.is_empty() {
            return;
        }
        match self.seen.get(name) {
            Some(&index) => {
                let first = &mut self.entries[index];
                self.duplicates.push(DuplicateKey {
                    key: first.key.clone(),
                    first: first.key_span.get().unwrap_or(first.value.span),
                    again: span,
                    parent_pointer: String::new(),
                });
                first.value = value;
            }
            None => {
                self.seen.insert(name.to_string(), self.entries.len());
                self.entries.push(Entry {
                    key: Key::Str(name.into()),
                    key_span: Some(span).into(),
                    value,
                });
            }
        }
    }
}

/// The node of a value compose interpolates; `source` is its text as written.
fn interpolated(value: &str, source: &str, span: Span) -> Result<Node, ParseError> {
    match interpolate(value) {
        Ok(Interpolated::Literal(text)) => Ok(Node::new(Value::String(text.into()), span)),
        Ok(Interpolated::Dynamic { .. }) => Ok(Node::new(Value::Dynamic(source.to_string()), span)),
        Err(_) => Err(ParseError::new(
            format!("invalid interpolation in `{source}`: Docker Compose refuses the file (write `$$` for a literal `$`)"),
            span,
        )),
    }
}

/// compose-go's `expandEscapes` on a double-quoted value: `\a \b \f \n \r \t \v \" \\` and
/// `\0` + up to three octal digits read as in Go; `\$` becomes `$$`, a literal `$` once
/// interpolated; any other backslash stays.
fn expand_escapes(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&(_, next)) = chars.peek() else {
            out.push('\\');
            continue;
        };
        let simple = match next {
            'a' => Some("\u{7}"),
            'b' => Some("\u{8}"),
            'f' => Some("\u{c}"),
            'n' => Some("\n"),
            'r' => Some("\r"),
            't' => Some("\t"),
            'v' => Some("\u{b}"),
            '"' => Some("\""),
            '\\' => Some("\\"),
            '$' => Some("$$"),
            _ => None,
        };
        if let Some(replacement) = simple {
            out.push_str(replacement);
            chars.next();
            continue;
        }
        if next == '0' {
            // `\0` and the (up to three) digits after it; Go reads `\ddd` with exactly three
            // octal digits up to 255, and keeps anything else as written.
            let digits: String = value[at + 2..]
                .chars()
                .take(3)
                .take_while(char::is_ascii_digit)
                .collect();
            let octal = (digits.len() == 3)
                .then(|| u32::from_str_radix(&digits, 8).ok())
                .flatten()
                .filter(|n| *n <= 255);
            chars.next();
            for _ in 0..digits.len() {
                chars.next();
            }
            match octal.and_then(char::from_u32) {
                Some(c) => out.push(c),
                None => {
                    out.push_str("\\0");
                    out.push_str(&digits);
                }
            }
            continue;
        }
        out.push('\\');
    }
    out
}

#[cfg(test)]
#[path = "dotenv_tests.rs"]
mod tests;
