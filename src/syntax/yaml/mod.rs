//! YAML files via saphyr-parser events.
//!
//! The tree is built with an explicit stack (no recursion), so nesting depth is bounded only by
//! `Limits::max_depth`. Semantics follow the PHP side (Symfony YAML):
//! - scalars resolve by the YAML 1.2 core schema (`yes`/`on` stay strings), see `resolve`;
//! - a duplicate key keeps its first position and takes the later value, and is recorded in
//!   `Document::duplicates` instead of failing;
//! - anchors and aliases are resolved by cloning; the alias node's span is the alias itself;
//! - merge keys `<<: *base` (YAML 1.1, supported by Symfony) insert the keys not already present
//!   at their position; explicit keys written later override merged ones silently;
//! - only the first document of a stream is read.

mod block;
mod fast;
mod inline;
mod resolve;
mod text;

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use super::{
    push_pointer, Document, DuplicateKey, Entry, Key, Limits, Node, ParseError, Span, Value,
};
use text::Offsets;

/// Upper bound on nodes produced by alias expansion ("billion laughs" protection).
const MAX_ALIAS_NODES: usize = 1_000_000;

/// Parses the first YAML document of `source`.
pub fn parse(source: &str, limits: &Limits) -> Result<Document, ParseError> {
    // Most config files fit the fast path; it yields the same Document or declines.
    match fast::parse(source, limits) {
        Some(document) => Ok(document),
        None => parse_events(source, limits),
    }
}

/// The fast path alone: `None` when the file needs saphyr. For tests and benchmarks.
#[doc(hidden)]
pub fn parse_fast(source: &str, limits: &Limits) -> Option<Document> {
    fast::parse(source, limits)
}

/// The saphyr path alone (every file, every error). For tests and benchmarks.
#[doc(hidden)]
pub fn parse_events(source: &str, limits: &Limits) -> Result<Document, ParseError> {
    let offsets = Offsets::new(source);
    let mut builder = Builder {
        source,
        limits,
        frames: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        duplicates: Vec::new(),
        root: None,
    };
    let mut parser = Parser::new_from_str(source);
    let mut prev_end = 0usize;
    while let Some(next) = parser.next_event() {
        let (event, raw) = next.map_err(|e| scan_error(source, &offsets, &e))?;
        let raw = Span::new(
            offsets.byte(raw.start.index()),
            offsets.byte(raw.end.index()),
        );
        match event {
            Event::StreamEnd => break,
            Event::DocumentEnd if builder.root.is_some() => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) | Event::DocumentEnd => {}
            Event::Alias(id) => {
                let built = builder.alias(id, raw)?;
                prev_end = raw.end as usize;
                builder.deliver(built)?;
            }
            Event::Scalar(value, style, anchor, tag) => {
                let has_props = anchor > 0 || tag.is_some();
                let span =
                    text::scalar_span(source, raw, style, value.is_empty(), has_props, prev_end);
                let written =
                    &source[raw.start as usize..(span.end as usize).max(raw.start as usize)];
                let resolved = resolve::scalar(&value, style, tag.as_deref(), written)
                    .map_err(|message| ParseError::new(message, span))?;
                let built = Built {
                    node: Node::new(resolved, span),
                    height: 0,
                    size: 1,
                    key_text: Some(value.to_string()),
                    merge_key: style == ScalarStyle::Plain && tag.is_none() && value == "<<",
                };
                if anchor > 0 {
                    builder.anchors.insert(anchor, built.clone());
                }
                prev_end = span.end as usize;
                builder.deliver(built)?;
            }
            Event::SequenceStart(anchor, tag) => {
                builder.open(true, raw, anchor, anchor > 0 || tag.is_some())?;
                prev_end = raw.end as usize;
            }
            Event::MappingStart(anchor, tag) => {
                builder.open(false, raw, anchor, anchor > 0 || tag.is_some())?;
                prev_end = raw.end as usize;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let built = builder.close(raw);
                prev_end = built.node.span.end as usize;
                builder.deliver(built)?;
            }
        }
    }
    let root = match builder.root {
        Some(built) => built.node,
        None => Node::new(Value::Null, Span::empty_at(0)),
    };
    let mut document = Document::new(root);
    document.duplicates = builder.duplicates;
    Ok(document)
}

/// A finished node with what its parent needs to know about it.
#[derive(Clone)]
struct Built {
    node: Node,
    /// Collection levels below and including this node (0 for scalars).
    height: usize,
    /// Node count, for the alias expansion bound.
    size: usize,
    /// The scalar's text, when it can be a mapping key.
    key_text: Option<String>,
    /// A plain `<<` key.
    merge_key: bool,
}

struct PendingKey {
    text: String,
    span: Span,
    merge: bool,
}

/// A collection being built.
struct Frame {
    list: bool,
    start: usize,
    /// Written with brackets (`[`/`{`), so it ends at its closing bracket.
    bracketed: bool,
    anchor: usize,
    entries: Vec<Entry>,
    /// Key of this collection in its parent, for duplicate-key pointers.
    key_in_parent: Option<Key>,
    /// Mapping state: the key waiting for its value, the position of each key, and whether each
    /// entry came from a merge key (explicit keys then override it without a duplicate).
    pending: Option<PendingKey>,
    index: HashMap<String, usize>,
    merged: Vec<bool>,
    height: usize,
    size: usize,
    last_end: usize,
}

struct Builder<'s, 'l> {
    source: &'s str,
    limits: &'l Limits,
    frames: Vec<Frame>,
    anchors: HashMap<usize, Built>,
    alias_nodes: usize,
    duplicates: Vec<DuplicateKey>,
    root: Option<Built>,
}

impl Builder<'_, '_> {
    fn open(
        &mut self,
        list: bool,
        raw: Span,
        anchor: usize,
        has_props: bool,
    ) -> Result<(), ParseError> {
        let mut start = raw.start as usize;
        if has_props {
            start = text::skip_properties(self.source, start, raw.end as usize);
        }
        let bracket = if list { b'[' } else { b'{' };
        let bytes = self.source.as_bytes();
        let bracketed = bytes.get(start) == Some(&bracket);
        if list && !bracketed && bytes.get(start) != Some(&b'-') {
            // saphyr starts an indentless sequence (`key:\n- a`) after its first `-`.
            let before = self.source[..start].trim_end_matches([' ', '\t']).len();
            if before > 0 && bytes.get(before - 1) == Some(&b'-') {
                start = before - 1;
            }
        }
        let here = Span::new(start, text::char_end(self.source, start));
        let depth = self.frames.len() + 1;
        if depth > self.limits.max_depth {
            return Err(ParseError::new(
                format!("nesting is deeper than {} levels", self.limits.max_depth),
                here,
            ));
        }
        let key_in_parent = match self.frames.last() {
            None => None,
            Some(parent) if parent.list => Some(Key::Int(parent.entries.len() as i64)),
            Some(parent) => match &parent.pending {
                Some(key) => Some(Key::Str(key.text.as_str().into())),
                None => return Err(complex_key(here)),
            },
        };
        self.frames.push(Frame {
            list,
            start,
            bracketed,
            anchor,
            entries: Vec::new(),
            key_in_parent,
            pending: None,
            index: HashMap::new(),
            merged: Vec::new(),
            height: 0,
            size: 1,
            last_end: start,
        });
        Ok(())
    }

    fn close(&mut self, raw: Span) -> Built {
        let Some(frame) = self.frames.pop() else {
            // saphyr never sends an unbalanced end; an empty null keeps us panic-free anyway.
            return scalar_built(Value::Null, Span::empty_at(raw.start as usize));
        };
        let close = if frame.list { b']' } else { b'}' };
        let at = raw.start as usize;
        let end = if frame.bracketed && self.source.as_bytes().get(at) == Some(&close) {
            at + 1
        } else {
            frame.last_end
        };
        let built = Built {
            node: Node::new(
                Value::Array {
                    entries: frame.entries,
                    list: frame.list,
                },
                Span::new(frame.start, end),
            ),
            height: frame.height + 1,
            size: frame.size,
            key_text: None,
            merge_key: false,
        };
        if frame.anchor > 0 {
            self.anchors.insert(frame.anchor, built.clone());
        }
        built
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<Built, ParseError> {
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(ParseError::new(
                "alias to an anchor that is not complete yet (an anchor cannot contain its own alias)",
                span,
            ));
        };
        if self.frames.len() + anchored.height > self.limits.max_depth {
            return Err(ParseError::new(
                format!(
                    "this alias makes the nesting deeper than {} levels",
                    self.limits.max_depth
                ),
                span,
            ));
        }
        self.alias_nodes += anchored.size;
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(ParseError::new(
                "aliases expand to too many nodes (over one million)",
                span,
            ));
        }
        let mut built = anchored.clone();
        built.node.span = span;
        built.merge_key = false;
        Ok(built)
    }

    fn deliver(&mut self, built: Built) -> Result<(), ParseError> {
        let Some(frame) = self.frames.last_mut() else {
            if self.root.is_none() {
                self.root = Some(built);
            }
            return Ok(());
        };
        frame.last_end = frame.last_end.max(built.node.span.end as usize);
        if frame.list {
            let key = Key::Int(frame.entries.len() as i64);
            frame.height = frame.height.max(built.height);
            frame.size += built.size;
            frame.entries.push(Entry {
                key,
                key_span: crate::syntax::KeySpan::NONE,
                value: built.node,
            });
            return Ok(());
        }
        let Some(key) = frame.pending.take() else {
            let Some(text) = built.key_text else {
                return Err(complex_key(built.node.span));
            };
            frame.pending = Some(PendingKey {
                text,
                span: built.node.span,
                merge: built.merge_key,
            });
            return Ok(());
        };
        frame.height = frame.height.max(built.height);
        frame.size += built.size;
        if key.merge {
            return merge(frame, built.node);
        }
        match frame.index.get(&key.text).copied() {
            Some(i) if frame.merged.get(i) == Some(&true) => {
                frame.merged[i] = false;
                frame.entries[i].key_span = Some(key.span).into();
                frame.entries[i].value = built.node;
            }
            Some(i) => {
                let first = frame.entries[i].key_span.get().unwrap_or(key.span);
                frame.entries[i].value = built.node;
                let parent_pointer = self.pointer();
                self.duplicates.push(DuplicateKey {
                    key: Key::Str(key.text.into()),
                    first,
                    again: key.span,
                    parent_pointer,
                });
            }
            None => {
                frame.index.insert(key.text.clone(), frame.entries.len());
                frame.merged.push(false);
                frame.entries.push(Entry {
                    key: Key::Str(key.text.into()),
                    key_span: Some(key.span).into(),
                    value: built.node,
                });
            }
        }
        Ok(())
    }

    /// JSON Pointer of the innermost open collection.
    fn pointer(&self) -> String {
        let mut pointer = String::new();
        for frame in &self.frames {
            if let Some(key) = &frame.key_in_parent {
                push_pointer(&mut pointer, key);
            }
        }
        pointer
    }
}

/// Adds the entries of a merged mapping (or list of mappings) that the mapping lacks so far.
fn merge(frame: &mut Frame, value: Node) -> Result<(), ParseError> {
    let span = value.span;
    let bad = || {
        ParseError::new(
            "the merge key `<<` takes a mapping or a list of mappings",
            span,
        )
    };
    let sources: Vec<Node> = match value.value {
        Value::Array {
            entries,
            list: false,
        } => vec![Node::new(
            Value::Array {
                entries,
                list: false,
            },
            span,
        )],
        Value::Array {
            entries,
            list: true,
        } => entries.into_iter().map(|e| e.value).collect(),
        _ => return Err(bad()),
    };
    for source in sources {
        let Value::Array {
            entries,
            list: false,
        } = source.value
        else {
            return Err(bad());
        };
        for entry in entries {
            let Key::Str(text) = &entry.key else { continue };
            if frame.index.contains_key(text.as_str()) {
                continue;
            }
            frame.index.insert(text.to_string(), frame.entries.len());
            frame.merged.push(true);
            frame.entries.push(entry);
        }
    }
    Ok(())
}

fn scalar_built(value: Value, span: Span) -> Built {
    Built {
        node: Node::new(value, span),
        height: 0,
        size: 1,
        key_text: None,
        merge_key: false,
    }
}

fn complex_key(span: Span) -> ParseError {
    ParseError::new(
        "a mapping key must be a plain or quoted string, not a collection",
        span,
    )
}

fn scan_error(source: &str, offsets: &Offsets, error: &ScanError) -> ParseError {
    let at = offsets.byte(error.marker().index());
    let message = if error.info() == "recursion limit exceeded" {
        "flow collections are nested deeper than 255 levels".to_string()
    } else {
        text::clean_message(error.info())
    };
    ParseError::new(
        message,
        Span::new(at, text::char_end(source, at).min(source.len())),
    )
}

#[cfg(test)]
mod tests;
