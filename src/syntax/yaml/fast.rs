//! A fast path for the YAML config files actually contain: block mappings and sequences of
//! one-line plain or quoted scalars, literal block scalars (`|`, see `block`), comments, blank
//! lines, empty `[]`/`{}` and one-line flow sequences of scalars.
//!
//! saphyr costs ~370 instructions per byte (scanner, tokens, events, char→byte offsets); this
//! reads each line once. It must build exactly the `Document` the saphyr path builds (values,
//! spans, duplicates), so it never reports an error: anything it is not sure about (anchors,
//! tags, folded block scalars, multi-line scalars, other flow collections, documents markers,
//! tabs, CR, BOM, any indentation it does not expect...) returns `None` and saphyr reads the
//! file.

use compact_str::CompactString;
use std::collections::HashMap;

use super::block;
use super::inline::{self, Piece};
use crate::syntax::{push_pointer, Document, DuplicateKey, Entry, Key, Limits, Node, Span, Value};

/// Mappings with more keys than this index them for the duplicate check.
const INDEX_FROM: usize = 16;

/// The document, or `None` when saphyr must read this source.
pub(super) fn parse(source: &str, limits: &Limits) -> Option<Document> {
    if !clean(source.as_bytes()) || has_foreign_block_scalar(source.as_bytes()) {
        return None;
    }
    let mut fast = Fast {
        src: source,
        limits,
        frames: Vec::new(),
        root: None,
        duplicates: Vec::new(),
        line_start: 0,
        resume: 0,
    };
    let bytes = source.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        fast.line(start, end)?;
        // A block scalar may have read the lines after this one.
        start = (end + 1).max(fast.resume);
    }
    while !fast.frames.is_empty() {
        fast.settle_null();
        fast.close();
    }
    // No content at all: saphyr gives an empty null at the start.
    let root = fast
        .root
        .unwrap_or_else(|| Node::new(Value::Null, Span::empty_at(0)));
    let mut document = Document::new(root);
    document.duplicates = fast.duplicates;
    super::quirks::apply(source, &mut document);
    Some(document)
}

/// No tab, CR, NUL or other control character, no BOM, NEL or Unicode line separator: those
/// change how saphyr splits lines and blanks. No Unicode space either (NBSP, U+2000..U+200A,
/// U+3000...): saphyr keeps it in a value but the saphyr path's spans (`str::trim_end`) leave it
/// out, and the search for a block scalar's `|` stops at it.
fn clean(bytes: &[u8]) -> bool {
    // Printable ASCII and newlines are the common case: check them 32 bytes at a time without
    // branches (vectorised); only chunks holding anything else are looked at closely.
    let mut chunks = bytes.chunks_exact(32);
    let mut at = 0;
    for chunk in &mut chunks {
        let odd = chunk.iter().fold(false, |odd, &b| {
            odd | ((b < 0x20 && b != b'\n') | (b >= 0x7f))
        });
        if odd && !clean_slow(bytes, at, at + 32) {
            return false;
        }
        at += 32;
    }
    clean_slow(bytes, at, bytes.len())
}

fn clean_slow(bytes: &[u8], from: usize, to: usize) -> bool {
    for i in from..to.min(bytes.len()) {
        let bad = match bytes[i] {
            b'\n' | 0x20..=0x7e => false,
            // U+0085, U+00A0
            0xc2 => matches!(bytes.get(i + 1), Some(0x85 | 0xa0)),
            // U+1680
            0xe1 => bytes.get(i + 1) == Some(&0x9a) && bytes.get(i + 2) == Some(&0x80),
            // U+2000..U+200A, U+2028, U+2029, U+202F, U+205F
            0xe2 => match bytes.get(i + 1) {
                Some(0x80) => matches!(bytes.get(i + 2), Some(0x80..=0x8a | 0xa8 | 0xa9 | 0xaf)),
                Some(0x81) => bytes.get(i + 2) == Some(&0x9f),
                _ => false,
            },
            // U+3000
            0xe3 => bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0x80),
            // BOM
            0xef => bytes.get(i + 1) == Some(&0xbb) && bytes.get(i + 2) == Some(&0xbf),
            0x80..=0xff => false,
            _ => true,
        };
        if bad {
            return false;
        }
    }
    true
}

/// A block scalar header the fast path leaves to saphyr (folded `>`, or `|` with an indentation
/// indicator): finding one up front saves reading half the file before handing it over.
fn has_foreign_block_scalar(bytes: &[u8]) -> bool {
    memchr::memchr2_iter(b'|', b'>', bytes).any(|at| {
        if at > 0 && !matches!(bytes[at - 1], b' ' | b'\n') {
            return false;
        }
        let mut end = at + 1;
        let mut digit = false;
        while end < bytes.len() && matches!(bytes[end], b'-' | b'+' | b'0'..=b'9') {
            digit |= bytes[end].is_ascii_digit();
            end += 1;
        }
        while end < bytes.len() && bytes[end] == b' ' {
            end += 1;
        }
        let header = end == bytes.len() || bytes[end] == b'\n' || bytes[end] == b'#';
        header && (bytes[at] == b'>' || digit)
    })
}

/// An open block collection (or the mapping/sequence a line is adding to).
struct Frame {
    list: bool,
    /// Column of its keys or dashes.
    indent: usize,
    /// A sequence at the same column as the key it is the value of (`k:\n- a`).
    indentless: bool,
    start: usize,
    last_end: usize,
    entries: Vec<Entry>,
    /// A key (or a `-`) is waiting for its value: an open child, or a null at `null_at`.
    pending: bool,
    key: CompactString,
    key_span: Span,
    null_at: usize,
    /// Key → entry position, for large mappings only.
    index: Option<HashMap<CompactString, usize>>,
}

struct Fast<'s, 'l> {
    src: &'s str,
    limits: &'l Limits,
    frames: Vec<Frame>,
    root: Option<Node>,
    duplicates: Vec<DuplicateKey>,
    line_start: usize,
    /// Where the next line to read starts, when a block scalar read past the current one.
    resume: usize,
}

impl Fast<'_, '_> {
    fn line(&mut self, start: usize, end: usize) -> Option<()> {
        let bytes = self.src.as_bytes();
        let at = inline::skip_spaces(bytes, start, end);
        if at == end || bytes[at] == b'#' {
            return Some(());
        }
        let indent = at - start;
        if indent == 0 && (bytes[at..end].starts_with(b"---") || bytes[at..end].starts_with(b"..."))
        {
            return None;
        }
        self.line_start = start;
        let dash = bytes[at] == b'-' && inline::is_blank_or_end(bytes, at + 1, end);
        loop {
            let Some(top) = self.frames.last() else {
                // Only one document: content after the root collection is saphyr's.
                if self.root.is_some() {
                    return None;
                }
                return self.block(at, end, dash);
            };
            if indent > top.indent {
                // Deeper lines start the value of an empty key or `-`; anything else is a
                // continuation line or an error.
                if !top.pending {
                    return None;
                }
                return self.block(at, end, dash);
            }
            if indent == top.indent {
                if top.list {
                    if dash {
                        self.settle_null();
                        return self.entry(at, end);
                    }
                    if !top.indentless {
                        return None;
                    }
                } else if dash {
                    // saphyr starts an indentless sequence at its first entry's content (our
                    // builder steps back to the dash unless that content is another `-` or a
                    // `[`): empty, nested or flow-sequence first entries are left to saphyr.
                    let first = inline::skip_spaces(bytes, at + 1, end);
                    if !top.pending
                        || first == end
                        || bytes[first] == b'#'
                        || matches!(bytes[first], b'-' | b'[')
                    {
                        return None;
                    }
                    self.open(true, at, indent, true)?;
                    return self.entry(at, end);
                } else {
                    self.settle_null();
                    return match inline::piece(self.src, at, end)? {
                        Piece::Key {
                            text,
                            span,
                            colon,
                            plain,
                        } => self.key(text, span, colon, plain, end),
                        Piece::Value(_) => None,
                    };
                }
            }
            self.settle_null();
            self.close();
        }
    }

    /// A block collection starting on its own line at `at`.
    fn block(&mut self, at: usize, end: usize, dash: bool) -> Option<()> {
        let indent = at - self.line_start;
        if dash {
            self.open(true, at, indent, false)?;
            return self.entry(at, end);
        }
        // A scalar on the line after its key is valid YAML but rare: saphyr's.
        match inline::piece(self.src, at, end)? {
            Piece::Key {
                text,
                span,
                colon,
                plain,
            } => {
                self.open(false, at, indent, false)?;
                self.key(text, span, colon, plain, end)
            }
            Piece::Value(_) => None,
        }
    }

    /// A `-` entry at `at` of the sequence on top (a loop, not recursion, for `- - - x`).
    fn entry(&mut self, mut at: usize, end: usize) -> Option<()> {
        let bytes = self.src.as_bytes();
        loop {
            let value = inline::skip_spaces(bytes, at + 1, end);
            let top = self.frames.last_mut()?;
            top.pending = true;
            // saphyr puts the null of an empty entry at the end of its line.
            top.null_at = end;
            if value == end || bytes[value] == b'#' {
                return Some(());
            }
            if bytes[value] == b'|' {
                return self.literal(value, end);
            }
            let column = value - self.line_start;
            if bytes[value] == b'-' && inline::is_blank_or_end(bytes, value + 1, end) {
                self.open(true, value, column, false)?;
                at = value;
                continue;
            }
            return match inline::piece(self.src, value, end)? {
                Piece::Key {
                    text,
                    span,
                    colon,
                    plain,
                } => {
                    self.open(false, value, column, false)?;
                    self.key(text, span, colon, plain, end)
                }
                Piece::Value(node) => self.value(node),
            };
        }
    }

    /// A key of the mapping on top, with what follows its `:` on the line.
    fn key(
        &mut self,
        text: CompactString,
        span: Span,
        colon: usize,
        plain: bool,
        end: usize,
    ) -> Option<()> {
        if plain && text == "<<" {
            // Merge keys are saphyr's.
            return None;
        }
        let top = self.frames.last_mut()?;
        top.last_end = top.last_end.max(span.end as usize);
        top.pending = true;
        top.key = text;
        top.key_span = span;
        // saphyr puts the null of an empty value at the `:`.
        top.null_at = colon;
        let bytes = self.src.as_bytes();
        let value = inline::skip_spaces(bytes, colon + 1, end);
        if value == end || bytes[value] == b'#' {
            return Some(());
        }
        if bytes[value] == b'|' {
            return self.literal(value, end);
        }
        match inline::piece(self.src, value, end)? {
            Piece::Value(node) => self.value(node),
            // `a: b: c` is an error.
            Piece::Key { .. } => None,
        }
    }

    /// A one-line value for the pending key or entry on top.
    fn value(&mut self, node: Node) -> Option<()> {
        if matches!(node.value, Value::Array { .. })
            && self.frames.len() + 1 > self.limits.max_depth
        {
            return None;
        }
        self.deliver(node);
        Some(())
    }

    /// A literal block scalar for the pending key or entry on top; its lines are consumed here.
    fn literal(&mut self, at: usize, end: usize) -> Option<()> {
        // saphyr's indentation inside a block collection is the column of its keys or dashes.
        let parent = self.frames.last()?.indent;
        let scalar = block::literal(self.src, at, end, parent)?;
        self.resume = scalar.resume;
        self.deliver(scalar.node);
        Some(())
    }

    fn open(&mut self, list: bool, at: usize, indent: usize, indentless: bool) -> Option<()> {
        // Too deep is an error, which saphyr's path reports.
        if self.frames.len() + 1 > self.limits.max_depth {
            return None;
        }
        self.frames.push(Frame {
            list,
            indent,
            indentless,
            start: at,
            last_end: at,
            entries: Vec::new(),
            pending: false,
            key: CompactString::default(),
            key_span: Span::default(),
            null_at: at,
            index: None,
        });
        Some(())
    }

    /// Gives an empty pending value its null.
    fn settle_null(&mut self) {
        if let Some(top) = self.frames.last() {
            if top.pending {
                let null = Node::new(Value::Null, Span::empty_at(top.null_at));
                self.deliver(null);
            }
        }
    }

    /// Ends the collection on top and hands it to its parent.
    fn close(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let value = Value::Array {
            entries: frame.entries,
            list: frame.list,
        };
        let node = Node::new(value, Span::new(frame.start, frame.last_end));
        if self.frames.is_empty() {
            self.root = Some(node);
        } else {
            self.deliver(node);
        }
    }

    /// Stores the value of the pending key or entry on top; a duplicate key keeps its first
    /// position and takes this value, as on the saphyr path (and Symfony YAML).
    fn deliver(&mut self, node: Node) {
        let Some(top) = self.frames.last_mut() else {
            return;
        };
        top.pending = false;
        top.last_end = top.last_end.max(node.span.end as usize);
        if top.list {
            let key = Key::Int(top.entries.len() as i64);
            top.entries.push(Entry {
                key,
                key_span: crate::syntax::KeySpan::NONE,
                value: node,
            });
            return;
        }
        let text = std::mem::take(&mut top.key);
        let again = top.key_span;
        let found = match &top.index {
            Some(index) => index.get(&text).copied(),
            None => top
                .entries
                .iter()
                .position(|e| matches!(&e.key, Key::Str(k) if *k == text)),
        };
        if let Some(i) = found {
            let first = top.entries[i].key_span.get().unwrap_or(again);
            // Symfony's `isset` test: a key first written empty (null) is silently replaced.
            let was_null = top.entries[i].value.value == Value::Null;
            top.entries[i].value = node;
            if was_null {
                return;
            }
            let parent_pointer = self.pointer();
            self.duplicates.push(DuplicateKey {
                key: Key::Str(text),
                first,
                again,
                parent_pointer,
            });
            return;
        }
        if let Some(index) = &mut top.index {
            index.insert(text.clone(), top.entries.len());
        } else if top.entries.len() + 1 >= INDEX_FROM {
            let mut index: HashMap<CompactString, usize> = HashMap::new();
            for (i, entry) in top.entries.iter().enumerate() {
                if let Key::Str(k) = &entry.key {
                    index.insert(k.clone(), i);
                }
            }
            index.insert(text.clone(), top.entries.len());
            top.index = Some(index);
        }
        top.entries.push(Entry {
            key: Key::Str(text),
            key_span: Some(again).into(),
            value: node,
        });
    }

    /// JSON Pointer of the collection on top: each parent's pending key or next position.
    fn pointer(&self) -> String {
        let mut pointer = String::new();
        for parent in self.frames.iter().take(self.frames.len().saturating_sub(1)) {
            let key = if parent.list {
                Key::Int(parent.entries.len() as i64)
            } else {
                Key::Str(parent.key.as_str().into())
            };
            push_pointer(&mut pointer, &key);
        }
        pointer
    }
}
