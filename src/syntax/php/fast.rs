//! The fast path for the PHP that Magento itself writes.
//!
//! `bin/magento` (setup:install, app:config:dump, config:set --lock-*) writes config.php and
//! env.php as one `return` of nested arrays of single-quoted strings, integers, booleans and
//! null (hand edits add double-quoted strings, comments and `getenv()` calls, read here too).
//! This reads exactly that shape straight from the bytes, with no token stream and no
//! expression machinery, building arrays with the parser's own `Builder` (PHP's key rules).
//! On anything else (another expression, a duplicate key, a statement besides `return`, a
//! closing `?>`, the depth limit) it gives up, and the full parser reads the file from the
//! start. A differential test holds both to the same `Document` (`fast_tests`).

use super::array::{key_hash, string_key, Builder, Scratch};
use super::lexer::{is_label_char, is_label_start, Lexer};
use super::literal::{self, Number};
use super::parser::PURE_FUNCTIONS;
use super::scan::single_quoted_end;
use crate::syntax::{Document, Entry, Key, Limits, Node, Span, Value};
use compact_str::CompactString;

/// The document, or `None` when the file is not of the shape this path reads.
pub fn parse(source: &str, limits: &Limits, scratch: &mut Scratch) -> Option<Document> {
    let mut fast = Fast {
        lexer: Lexer {
            src: source.as_bytes(),
            pos: 0,
            max_nesting: limits.max_depth.max(1),
        },
        text: source,
        max_depth: limits.max_depth,
        scratch,
    };
    let root = fast.program();
    if root.is_none() {
        // Entries of the arrays left half-built.
        fast.scratch.clear();
    }
    Some(Document {
        root: root?,
        duplicates: Vec::new(),
        no_return: false,
    })
}

struct Fast<'s, 'a> {
    /// Its whitespace and comment skipping and its string scan are the full lexer's own.
    lexer: Lexer<'s>,
    text: &'s str,
    max_depth: usize,
    scratch: &'a mut Scratch,
}

impl Fast<'_, '_> {
    /// `<?php return [ … ];` and nothing after it but whitespace and comments.
    fn program(&mut self) -> Option<Node> {
        let src = self.lexer.src;
        if !src.get(..5)?.eq_ignore_ascii_case(b"<?php") {
            return None;
        }
        // The open tag takes one whitespace byte after it (the full lexer's `find_open_tag`).
        if !matches!(src.get(5), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            return None;
        }
        self.lexer.pos = 6;
        self.skip_trivia()?;
        let start = self.lexer.pos;
        let word = src.get(start..start + 6)?;
        if !word.eq_ignore_ascii_case(b"return") || is_label_char(self.lexer.at(start + 6)) {
            return None;
        }
        self.lexer.pos = start + 6;
        self.skip_trivia()?;
        let root = self.value(0)?;
        if !matches!(root.value, Value::Array { .. }) {
            return None;
        }
        self.skip_trivia()?;
        self.eat(b';')?;
        self.skip_trivia()?;
        (self.lexer.pos == src.len()).then_some(root)
    }

    /// Whitespace and comments; `None` on an unterminated comment.
    #[inline(always)]
    fn skip_trivia(&mut self) -> Option<()> {
        // Between most tokens there is nothing or one space (`'key' => 'value'`): decided
        // here without the lexer's word-at-a-time loop, which pays off on indentation.
        let pos = self.lexer.pos;
        let after_space = match self.lexer.at(pos) {
            b' ' => pos + 1,
            _ => pos,
        };
        let next = self.lexer.at(after_space);
        if next > b' ' && next != b'#' && next != b'/' {
            self.lexer.pos = after_space;
            return Some(());
        }
        self.lexer.skip_trivia().ok()
    }

    #[inline(always)]
    fn peek(&self) -> u8 {
        self.lexer.at(self.lexer.pos)
    }

    #[inline(always)]
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek() == byte).then(|| self.lexer.pos += 1)
    }

    /// A value whose arrays sit `depth` arrays deep.
    fn value(&mut self, depth: usize) -> Option<Node> {
        let start = self.lexer.pos;
        let value = match self.peek() {
            b'\'' => Value::String(self.single_quoted()?),
            b'"' => Value::String(self.double_quoted()?),
            b'[' => {
                self.lexer.pos += 1;
                return self.array(start, b']', depth);
            }
            b'0'..=b'9' => Value::Int(self.int()?),
            c if is_label_start(c) => {
                while is_label_char(self.peek()) {
                    self.lexer.pos += 1;
                }
                let word = self.text.get(start..self.lexer.pos)?;
                match word.len() {
                    4 if word.eq_ignore_ascii_case("true") => Value::Bool(true),
                    4 if word.eq_ignore_ascii_case("null") => Value::Null,
                    5 if word.eq_ignore_ascii_case("false") => Value::Bool(false),
                    5 if word.eq_ignore_ascii_case("array") => {
                        self.skip_trivia()?;
                        self.eat(b'(')?;
                        return self.array(start, b')', depth);
                    }
                    _ if PURE_FUNCTIONS.iter().any(|f| f.eq_ignore_ascii_case(word)) => {
                        return self.call(start, depth);
                    }
                    _ => return None,
                }
            }
            _ => return None,
        };
        // What follows must end the operand (`,` `]` `)` `;` `=>`); `array` checks its own.
        Some(Node::new(value, Span::new(start, self.lexer.pos)))
    }

    /// `getenv('…')` and the like: known only at run time, kept as its source text as the full
    /// parser keeps it. Only functions that cannot change variables (no variables here anyway),
    /// with arguments this path reads.
    fn call(&mut self, start: usize, depth: usize) -> Option<Node> {
        self.skip_trivia()?;
        self.eat(b'(')?;
        loop {
            self.skip_trivia()?;
            if self.eat(b')').is_some() {
                break;
            }
            self.value(depth)?;
            self.skip_trivia()?;
            if self.eat(b',').is_none() {
                self.eat(b')')?;
                break;
            }
        }
        let span = Span::new(start, self.lexer.pos);
        let text = self.text.get(span.range())?;
        Some(Node::new(Value::Dynamic(text.to_owned()), span))
    }

    /// Scanned inline, without the lexer's error (an unterminated string is the full parser's
    /// to report): the call and its `Result` cost more than the scan of most strings.
    #[inline(always)]
    fn single_quoted(&mut self) -> Option<CompactString> {
        let start = self.lexer.pos;
        let (end, escaped) = single_quoted_end(self.lexer.src, start)?;
        self.lexer.pos = end;
        let body = self.text.get(start + 1..end - 1)?;
        Some(literal::single_quoted_value(body, escaped))
    }

    /// A `"…"` string without interpolation (hand-edited files have them).
    fn double_quoted(&mut self) -> Option<CompactString> {
        let start = self.lexer.pos;
        let interpolates = self.lexer.scan_interpolated(b'"', 0).ok()?;
        if interpolates {
            return None;
        }
        let body = self.text.get(start + 1..self.lexer.pos - 1)?;
        // Escape errors are the full parser's to report.
        literal::decode_double(body, false, 1).ok().map(Into::into)
    }

    /// A decimal integer the way the lexer cuts it: digits not followed by anything that
    /// would make them another number (`1.5`, `1e3`, `0x1`, `1_000`) or a name.
    fn int(&mut self) -> Option<i64> {
        let start = self.lexer.pos;
        while self.peek().is_ascii_digit() {
            self.lexer.pos += 1;
        }
        if is_label_char(self.peek()) || self.peek() == b'.' {
            return None;
        }
        let digits = self.lexer.src.get(start..self.lexer.pos)?;
        // Nearly every one is a short decimal (`=> 1`), summed here; `parse_int` takes the
        // rest (a leading zero is octal, 19 digits may overflow).
        if digits.len() <= 18 && (digits.len() == 1 || digits.first() != Some(&b'0')) {
            return Some(digits.iter().fold(0, |n, &c| n * 10 + i64::from(c - b'0')));
        }
        match literal::parse_int(self.text.get(start..self.lexer.pos)?) {
            Ok(Number::Int(i)) => Some(i),
            _ => None,
        }
    }

    /// After the opening `[` or `array(`, which starts at `open`.
    fn array(&mut self, open: usize, close: u8, depth: usize) -> Option<Node> {
        if depth >= self.max_depth {
            return None;
        }
        let mut builder = Builder::new(self.scratch);
        loop {
            self.skip_trivia()?;
            if self.eat(close).is_some() {
                break;
            }
            self.element(&mut builder, depth + 1)?;
            self.skip_trivia()?;
            if self.eat(b',').is_none() {
                self.eat(close)?;
                break;
            }
        }
        if builder.has_equal_hashes(self.scratch) {
            return None;
        }
        let entries = builder.finish(self.scratch);
        let value = Value::Array {
            entries,
            list: true,
        };
        Some(Node::new(value, Span::new(open, self.lexer.pos)))
    }

    /// `value` or `key => value`, the key a string or an integer.
    fn element(&mut self, builder: &mut Builder, depth: usize) -> Option<()> {
        let first = self.value(depth)?;
        self.skip_trivia()?;
        let arrow = self.lexer.src.get(self.lexer.pos..);
        if !arrow.is_some_and(|rest| rest.starts_with(b"=>")) {
            let key = Key::Int(builder.next_implicit());
            return self.insert(builder, key, None, first);
        }
        self.lexer.pos += 2;
        let key = match first.value {
            Value::String(s) => string_key(s),
            Value::Int(i) => Key::Int(i),
            _ => return None,
        };
        self.skip_trivia()?;
        let value = self.value(depth)?;
        self.insert(builder, key, Some(first.span), value)
    }

    /// Stores the entry. Keys are compared once the array is complete (`array`): one written
    /// twice is left to the full parser, which records the duplicate (MG003) with its pointer.
    #[inline(always)]
    fn insert(
        &mut self,
        builder: &mut Builder,
        key: Key,
        key_span: Option<Span>,
        value: Node,
    ) -> Option<()> {
        if let Key::Int(i) = key {
            builder.note_int(i);
        }
        let hash = key_hash(&key);
        let entry = Entry {
            key,
            key_span: key_span.into(),
            value,
        };
        builder.push_unchecked(self.scratch, entry, hash);
        Some(())
    }
}
