//! Array literals: keys, PHP's next-index rule, duplicate keys (first position, last value).

use super::lexer::{Tok, Token};
use super::literal;
use super::parser::{PResult, Parser};
use crate::syntax::{push_pointer, DuplicateKey, Entry, Key, Node, ParseError, Span, Value};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// One step of the path from the root to the array being built; string keys are re-decoded
/// from their token only when a duplicate needs the pointer.
pub enum Seg {
    Int(i64),
    Token(Token),
    Owned(Key),
}

/// The key an array stores for a known value; `None` when PHP would not accept it statically.
pub fn key_of_value(v: &Value) -> Option<Key> {
    Some(match v {
        Value::Int(i) => Key::Int(*i),
        Value::String(s) => string_key(s.clone()),
        Value::Bool(b) => Key::Int(i64::from(*b)),
        Value::Null => Key::Str(String::new()),
        Value::Float(f) => Key::Int(literal::float_to_key(*f)),
        Value::Array { .. } | Value::Dynamic(_) => return None,
    })
}

fn string_key(s: String) -> Key {
    match s.as_bytes().first() {
        Some(b'0'..=b'9' | b'-') => match literal::canonical_int_key(&s) {
            Some(i) => Key::Int(i),
            None => Key::Str(s),
        },
        _ => Key::Str(s),
    }
}

#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type FastMap = HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>;

fn key_hash(key: &Key) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    match key {
        Key::Int(i) => h ^= (*i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 1,
        Key::Str(s) => {
            for chunk in s.as_bytes().chunks(8) {
                let mut w = [0u8; 8];
                w[..chunk.len()].copy_from_slice(chunk);
                h = (h.rotate_left(5) ^ u64::from_le_bytes(w))
                    .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
            }
        }
    }
    h
}

const INDEX_FROM: usize = 12;

struct Builder {
    entries: Vec<Entry>,
    /// PHP's nNextFreeElement; `i64::MIN` until an int key is stored.
    next: i64,
    index: Option<FastMap>,
    dynamic: bool,
}

impl Builder {
    fn next_implicit(&self) -> i64 {
        if self.next == i64::MIN {
            0
        } else {
            self.next
        }
    }

    fn find(&self, key: &Key) -> Option<usize> {
        match &self.index {
            None => self.entries.iter().position(|e| e.key == *key),
            Some(map) => {
                let i = *map.get(&key_hash(key))? as usize;
                if self.entries[i].key == *key {
                    Some(i)
                } else {
                    // A hash collision: fall back to a scan.
                    self.entries.iter().position(|e| e.key == *key)
                }
            }
        }
    }

    fn push(&mut self, entry: Entry) {
        if let Some(map) = &mut self.index {
            map.entry(key_hash(&entry.key))
                .or_insert(self.entries.len() as u32);
        }
        self.entries.push(entry);
        if self.index.is_none() && self.entries.len() >= INDEX_FROM {
            let mut map = FastMap::default();
            for (i, e) in self.entries.iter().enumerate() {
                map.entry(key_hash(&e.key)).or_insert(i as u32);
            }
            self.index = Some(map);
        }
    }

    fn note_int(&mut self, i: i64) {
        if i >= self.next {
            self.next = if i < i64::MAX { i + 1 } else { i64::MAX };
        }
    }
}

impl<'s> Parser<'s> {
    /// After the opening `[` or `array` (whose `(` is the current token for `array(`).
    pub fn parse_array(&mut self, open: Token, close: Tok) -> PResult<Node> {
        if self.array_depth >= self.limits.max_depth {
            return Err(ParseError::new(
                format!("array nesting deeper than {} levels", self.limits.max_depth),
                open.span(),
            ));
        }
        if close == Tok::RParen {
            self.expect(Tok::LParen, "(")?;
        }
        self.array_depth += 1;
        let result = self.parse_array_body(open, close);
        self.array_depth -= 1;
        result
    }

    fn parse_array_body(&mut self, open: Token, close: Tok) -> PResult<Node> {
        let close_text = if close == Tok::RParen { ")" } else { "]" };
        let mut b = Builder {
            entries: Vec::new(),
            next: i64::MIN,
            index: None,
            dynamic: false,
        };
        let end = loop {
            let t = self.peek();
            if t.kind == close {
                break self.bump();
            }
            self.element(&mut b)?;
            let sep = self.peek();
            if sep.kind == Tok::Comma {
                self.bump();
            } else if sep.kind == close {
                break self.bump();
            } else {
                return Err(self.expected(&[",", close_text]));
            }
        };
        let span = open.span().to(end.span());
        if b.dynamic {
            return Ok(self.dynamic(span));
        }
        Ok(Node::new(
            Value::Array {
                entries: b.entries,
                list: true,
            },
            span,
        ))
    }

    fn element(&mut self, b: &mut Builder) -> PResult<()> {
        let t = self.peek();
        if t.kind == Tok::Ellipsis {
            self.bump();
            self.parse_expr()?;
            b.dynamic = true;
            return Ok(());
        }
        // Fast path: a literal key.
        if self.peek_next().kind == Tok::DoubleArrow {
            let key = match t.kind {
                Tok::SqString => {
                    let text = self.text(t);
                    Some(string_key(literal::decode_single(
                        text.get(1..text.len() - 1).unwrap_or(""),
                    )))
                }
                Tok::Int => match literal::parse_int(self.text(t)) {
                    Ok(literal::Number::Int(i)) => Some(Key::Int(i)),
                    _ => None,
                },
                _ => None,
            };
            if let Some(key) = key {
                self.bump();
                self.bump();
                self.path.push(Seg::Token(t));
                let value = self.element_value();
                self.path.pop();
                self.insert(b, key, Some(t.span()), value?);
                return Ok(());
            }
        }
        self.path.push(Seg::Int(b.next_implicit()));
        let first = self.element_value();
        self.path.pop();
        let first = first?;
        if self.peek().kind != Tok::DoubleArrow {
            let key = b.next_implicit();
            if key == i64::MAX && b.find(&Key::Int(key)).is_some() {
                // PHP throws "the next element is already occupied" (only at i64::MAX).
                b.dynamic = true;
            }
            self.insert(b, Key::Int(key), None, first);
            return Ok(());
        }
        self.bump();
        let key = key_of_value(&first.value);
        self.path.push(match &key {
            Some(Key::Int(i)) => Seg::Int(*i),
            Some(k) => Seg::Owned(k.clone()),
            None => Seg::Owned(Key::Str(self.slice(first.span).to_owned())),
        });
        let value = self.element_value();
        self.path.pop();
        let value = value?;
        match key {
            Some(key) => self.insert(b, key, Some(first.span), value),
            None => {
                // A key only known at run time: kept under its source text, never a duplicate.
                b.push(Entry {
                    key: Key::Str(self.slice(first.span).to_owned()),
                    key_span: Some(first.span),
                    value,
                });
            }
        }
        Ok(())
    }

    /// A value, possibly by reference (`&$x`).
    fn element_value(&mut self) -> PResult<Node> {
        if self.peek().kind == Tok::Amp {
            let amp = self.bump();
            let v = self.parse_expr()?;
            return Ok(self.dynamic(amp.span().to(v.span)));
        }
        self.parse_expr()
    }

    fn insert(&mut self, b: &mut Builder, key: Key, key_span: Option<Span>, value: Node) {
        if let Key::Int(i) = key {
            b.note_int(i);
        }
        match b.find(&key) {
            Some(i) => {
                let first = b.entries[i].key_span.unwrap_or(b.entries[i].value.span);
                let again = key_span.unwrap_or(value.span);
                b.entries[i].value = value;
                let parent_pointer = self.pointer();
                self.duplicates.push(DuplicateKey {
                    key,
                    first,
                    again,
                    parent_pointer,
                });
            }
            None => b.push(Entry {
                key,
                key_span,
                value,
            }),
        }
    }

    /// JSON pointer of the array being built.
    fn pointer(&self) -> String {
        let mut p = String::new();
        for seg in &self.path {
            match seg {
                Seg::Int(i) => push_pointer(&mut p, &Key::Int(*i)),
                Seg::Owned(k) => push_pointer(&mut p, k),
                Seg::Token(t) => {
                    let t = *t;
                    let key = match t.kind {
                        Tok::Int => match literal::parse_int(self.text(t)) {
                            Ok(literal::Number::Int(i)) => Key::Int(i),
                            _ => Key::Str(self.text(t).to_owned()),
                        },
                        _ => {
                            let text = self.text(t);
                            string_key(literal::decode_single(
                                text.get(1..text.len() - 1).unwrap_or(""),
                            ))
                        }
                    };
                    push_pointer(&mut p, &key);
                }
            }
        }
        p
    }
}
