//! JSON exports of env.php / config.php, with spans.
//!
//! A small RFC 8259 parser (serde_json keeps no positions). It is iterative: open arrays and
//! objects live on an explicit stack bounded by `Limits::max_depth`. Objects become mappings with
//! `Key::Str` keys and key spans (quotes included), arrays become lists. Numbers are `Int` when
//! integral and within i64, `Float` otherwise, like PHP's `json_decode`. A duplicate key keeps its
//! first position and takes the later value (PHP array semantics) and is recorded.

use compact_str::CompactString;
use std::collections::HashMap;

use super::{
    push_pointer, Document, DuplicateKey, Entry, Key, Limits, Node, ParseError, Span, Value,
};

/// Parses a JSON text.
pub fn parse(source: &str, limits: &Limits) -> Result<Document, ParseError> {
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let mut parser = Parser {
        text: source,
        bytes: source.as_bytes(),
        pos: start,
        frames: Vec::new(),
        duplicates: Vec::new(),
        max_depth: limits.max_depth,
    };
    let root = parser.run()?;
    let mut document = Document::new(root);
    document.duplicates = parser.duplicates;
    Ok(document)
}

struct Frame {
    list: bool,
    start: usize,
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
    /// The key whose value is being parsed (objects only).
    pending: Option<(String, Span)>,
    key_in_parent: Option<Key>,
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    frames: Vec<Frame>,
    duplicates: Vec<DuplicateKey>,
    max_depth: usize,
}

impl Parser<'_> {
    fn run(&mut self) -> Result<Node, ParseError> {
        'value: loop {
            self.skip_ws();
            let start = self.pos;
            let mut node = match self.peek() {
                Some(b'{') | Some(b'[') => {
                    let list = self.peek() == Some(b'[');
                    self.open(list)?;
                    let close = if list { b']' } else { b'}' };
                    self.skip_ws();
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        self.close()
                    } else if list {
                        continue 'value;
                    } else {
                        self.key()?;
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    let s = self.string()?;
                    Node::new(Value::String(s.into()), Span::new(start, self.pos))
                }
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(b't') => self.literal("true", Value::Bool(true))?,
                Some(b'f') => self.literal("false", Value::Bool(false))?,
                Some(b'n') => self.literal("null", Value::Null)?,
                _ => return Err(self.unexpected("a value")),
            };
            // Deliver the finished value to the innermost open collection, closing every
            // collection that ends right after it.
            loop {
                let Some(frame) = self.frames.last() else {
                    self.skip_ws();
                    if self.pos < self.bytes.len() {
                        return Err(self.unexpected("the end of the file after the JSON value"));
                    }
                    return Ok(node);
                };
                if frame.list {
                    self.push_item(node);
                } else {
                    self.insert(node);
                }
                let list = self.frames.last().is_some_and(|f| f.list);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        if !list {
                            self.skip_ws();
                            self.key()?;
                        }
                        continue 'value;
                    }
                    Some(b']') if list => {
                        self.pos += 1;
                        node = self.close();
                    }
                    Some(b'}') if !list => {
                        self.pos += 1;
                        node = self.close();
                    }
                    _ => {
                        return Err(self.unexpected(if list { "`,` or `]`" } else { "`,` or `}`" }))
                    }
                }
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// The span of the character at `pos` (empty at the end of the file).
    fn char_span(&self, pos: usize) -> Span {
        let mut end = (pos + 1).min(self.bytes.len());
        while end < self.bytes.len() && !self.text.is_char_boundary(end) {
            end += 1;
        }
        Span::new(pos.min(self.bytes.len()), end)
    }

    fn unexpected(&self, expected: &str) -> ParseError {
        self.unexpected_at(self.pos, expected)
    }

    fn unexpected_at(&self, pos: usize, expected: &str) -> ParseError {
        let span = self.char_span(pos);
        if span.is_empty() {
            return ParseError::new("unexpected end of file", span);
        }
        let found = &self.text[span.range()];
        let found = match found {
            "\n" => "a line break".to_string(),
            "\r" => "a carriage return".to_string(),
            "\t" => "a tab".to_string(),
            "`" => "a backtick".to_string(),
            c if c.chars().all(char::is_control) => format!("control character {:?}", c),
            c => format!("`{c}`"),
        };
        ParseError::new(format!("expected {expected}, found {found}"), span)
    }

    fn open(&mut self, list: bool) -> Result<(), ParseError> {
        if self.frames.len() + 1 > self.max_depth {
            return Err(ParseError::new(
                format!("nesting is deeper than {} levels", self.max_depth),
                self.char_span(self.pos),
            ));
        }
        let key_in_parent = self.frames.last().map(|parent| {
            if parent.list {
                Key::Int(parent.entries.len() as i64)
            } else {
                Key::Str(
                    parent
                        .pending
                        .as_ref()
                        .map_or(CompactString::default(), |k| k.0.as_str().into()),
                )
            }
        });
        self.frames.push(Frame {
            list,
            start: self.pos,
            entries: Vec::new(),
            index: HashMap::new(),
            pending: None,
            key_in_parent,
        });
        self.pos += 1;
        Ok(())
    }

    /// Pops the innermost collection; `pos` is just past its closing bracket.
    fn close(&mut self) -> Node {
        match self.frames.pop() {
            Some(frame) => Node::new(
                Value::Array {
                    entries: frame.entries,
                    list: frame.list,
                },
                Span::new(frame.start, self.pos),
            ),
            None => Node::new(Value::Null, Span::empty_at(self.pos)),
        }
    }

    /// Reads `"key" :` of an object member.
    fn key(&mut self) -> Result<(), ParseError> {
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("a string key"));
        }
        let start = self.pos;
        let key = self.string()?;
        let span = Span::new(start, self.pos);
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.unexpected("`:`"));
        }
        self.pos += 1;
        if let Some(frame) = self.frames.last_mut() {
            frame.pending = Some((key, span));
        }
        Ok(())
    }

    fn push_item(&mut self, node: Node) {
        if let Some(frame) = self.frames.last_mut() {
            let key = Key::Int(frame.entries.len() as i64);
            frame.entries.push(Entry {
                key,
                key_span: crate::syntax::KeySpan::NONE,
                value: node,
            });
        }
    }

    fn insert(&mut self, node: Node) {
        let pointer = self.pointer();
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        let Some((key, span)) = frame.pending.take() else {
            return;
        };
        match frame.index.get(&key) {
            Some(&i) => {
                let first = frame.entries[i].key_span.get().unwrap_or(span);
                frame.entries[i].value = node;
                self.duplicates.push(DuplicateKey {
                    key: Key::Str(key.into()),
                    first,
                    again: span,
                    parent_pointer: pointer,
                });
            }
            None => {
                frame.index.insert(key.clone(), frame.entries.len());
                frame.entries.push(Entry {
                    key: Key::Str(key.into()),
                    key_span: Some(span).into(),
                    value: node,
                });
            }
        }
    }

    /// JSON Pointer of the innermost open collection.
    fn pointer(&self) -> String {
        let mut pointer = String::new();
        for key in self.frames.iter().filter_map(|f| f.key_in_parent.as_ref()) {
            push_pointer(&mut pointer, key);
        }
        pointer
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Node, ParseError> {
        let start = self.pos;
        if self.bytes[start..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            return Ok(Node::new(value, Span::new(start, self.pos)));
        }
        let mut end = start;
        while end < self.bytes.len() && self.bytes[end].is_ascii_alphanumeric() {
            end += 1;
        }
        Err(ParseError::new(
            format!("expected a value, found `{}`", &self.text[start..end]),
            Span::new(start, end),
        ))
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Node, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        match self.digits() {
            0 => return Err(self.unexpected("a digit")),
            n if n > 1 && self.bytes[int_start] == b'0' => {
                return Err(ParseError::new(
                    "a number cannot have leading zeros",
                    Span::new(int_start, int_start + 1),
                ))
            }
            _ => {}
        }
        let mut integral = true;
        if self.peek() == Some(b'.') {
            integral = false;
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.unexpected("a digit after the decimal point"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            integral = false;
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.unexpected("a digit in the exponent"));
            }
        }
        let text = &self.text[start..self.pos];
        let span = Span::new(start, self.pos);
        let value = match text.parse::<i64>() {
            Ok(i) if integral => Value::Int(i),
            // Too large for i64 (PHP makes it a float too), or written with a fraction/exponent.
            _ => match text.parse::<f64>() {
                Ok(f) => Value::Float(f),
                Err(_) => return Err(ParseError::new("invalid number", span)),
            },
        };
        Ok(Node::new(value, span))
    }

    /// Reads a string starting at its opening quote; `pos` ends past the closing quote.
    fn string(&mut self) -> Result<String, ParseError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run = self.pos;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.pos += 1;
            }
            out.push_str(&self.text[run..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => {
                    return Err(ParseError::new(
                        "control characters must be escaped in strings",
                        self.char_span(self.pos),
                    ))
                }
                None => {
                    return Err(ParseError::new(
                        "unterminated string: the closing `\"` is missing",
                        Span::new(open, open + 1),
                    ))
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let at = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let high = self.hex4(at)?;
                let c = if (0xD800..0xDC00).contains(&high) {
                    if !self.bytes[self.pos..].starts_with(b"\\u") {
                        return Err(lone_surrogate(at, self.pos));
                    }
                    self.pos += 2;
                    let low = self.hex4(at)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(lone_surrogate(at, self.pos));
                    }
                    char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                } else if (0xDC00..0xE000).contains(&high) {
                    return Err(lone_surrogate(at, self.pos));
                } else {
                    char::from_u32(high)
                };
                out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
                return Ok(());
            }
            None => return Err(self.unexpected("an escape character")),
            Some(_) => {
                let span = Span::new(at, self.char_span(self.pos).end as usize);
                return Err(ParseError::new(
                    format!("invalid escape `{}`", &self.text[span.range()]),
                    span,
                ));
            }
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, escape_start: usize) -> Result<u32, ParseError> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|b| (b as char).to_digit(16));
            let Some(digit) = digit else {
                let end = self.char_span(self.pos).end as usize;
                return Err(ParseError::new(
                    "invalid unicode escape: `\\u` takes four hex digits",
                    Span::new(escape_start, end),
                ));
            };
            value = value * 16 + digit;
            self.pos += 1;
        }
        Ok(value)
    }
}

fn lone_surrogate(start: usize, end: usize) -> ParseError {
    ParseError::new(
        "invalid unicode escape: unpaired UTF-16 surrogate",
        Span::new(start, end),
    )
}

#[cfg(test)]
mod tests;
