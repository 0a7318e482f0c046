//! YAML files via saphyr-parser events, read as Symfony YAML 5.4 reads them: the reader of
//! ece-tools (`Yaml::parse($text, Yaml::PARSE_CONSTANT)`) and magento-cloud-docker. Where
//! Symfony refuses a file, so does this (a `ParseError`), except for duplicate keys, which are
//! recorded for the rules to report.
//!
//! The tree is built with an explicit stack (no recursion), so nesting depth is bounded only by
//! `Limits::max_depth`. Semantics:
//! - scalars and keys resolve as Symfony's `Inline::evaluateScalar` does (`010` is 8, `+3` a
//!   float, `yes`/`on` strings, dates timestamps), see `symfony`; keys are PHP array keys
//!   (`1` and `'1'` are one key), and a null, boolean or float key is refused;
//! - tags: `!php/const NAME` (and `!php/const:NAME` as a key) is the constant's value, see
//!   `resolve`; other tags Symfony does not read make the file refused;
//! - a duplicate key keeps its first position and takes the later value, and is recorded in
//!   `Document::duplicates` (Symfony refuses the file); after a merge key in the same mapping,
//!   Symfony lets later keys overwrite, so those are not duplicates;
//! - anchors and aliases are resolved by cloning; the alias node's span is the alias itself;
//! - merge keys `<<: *base` insert the keys not already present at their position;
//! - a byte order mark stays part of the first key (`"\u{feff}stage"`), as in Symfony;
//! - a block scalar whose last line ends the file without a newline has no final newline;
//! - only the first document of a stream is read.

mod block;
mod fast;
mod inline;
mod quirks;
mod resolve;
mod symfony;
mod text;
mod timestamp;

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use super::{
    push_pointer, Document, DuplicateKey, Entry, Key, Limits, Node, ParseError, Span, Value,
};
pub use symfony::{ambiguity, Ambiguity};

/// What Symfony YAML makes of the plain, untagged scalar written `text` (`None` where it
/// refuses it).
pub fn plain_reading(text: &str) -> Option<Value> {
    symfony::plain(text).ok()
}
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
    // `!php/const:NAME` (a key form Symfony reads) is not a YAML tag saphyr can scan, nor is a
    // tab after a key's colon: the same text with blanks is, at the same offsets.
    let original = source;
    let rewritten = symfony::rewrite(source);
    let (source, colon_tags) = match &rewritten {
        Some((text, at)) => (text.as_str(), at.as_slice()),
        None => (source, &[][..]),
    };
    let offsets = Offsets::new(source);
    let bom = source.starts_with('\u{feff}');
    let mut builder = Builder {
        source,
        original,
        limits,
        bom_key: bom,
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
            _ if builder.bom_key && builder.root.is_none() && !starts_mapping(&event, &builder) => {
                return Err(bom_refused());
            }
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
                let tagged = &source[raw.start as usize..span.end.max(raw.start) as usize];
                let mut resolved = resolve::scalar(&value, style, tag.as_deref(), tagged)
                    .map_err(|message| ParseError::new(message, span))?;
                if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
                    && raw.end as usize >= source.len()
                    && text::last_line_is_content(source, span.start as usize)
                {
                    // Its last line ends the file: Symfony (and PyYAML) add no newline.
                    if let Value::String(text) = &mut resolved {
                        if text.ends_with('\n') {
                            text.pop();
                        }
                    }
                }
                // Only a scalar that is a key here needs its key (an alias is never one).
                let (key, flow_key) = if builder.expects_key() {
                    let key = resolve::key(&value, style, tag.as_deref(), tagged);
                    // In a flow mapping Symfony checks a plain key's type but keeps its text.
                    let flow_key = (style == ScalarStyle::Plain && tag.is_none())
                        .then(|| key.clone().map(|_| symfony::string_key(&value)));
                    (Some(key), flow_key)
                } else {
                    (None, None)
                };
                let built = Built {
                    node: Node::new(resolved, span),
                    height: 0,
                    size: 1,
                    key,
                    flow_key,
                    merge_key: style == ScalarStyle::Plain && tag.is_none() && value == "<<",
                    colon_tag: colon_tags.binary_search(&(raw.start as usize)).is_ok(),
                };
                if anchor > 0 {
                    builder.anchors.insert(anchor, built.clone());
                }
                prev_end = span.end as usize;
                builder.deliver(built)?;
            }
            Event::SequenceStart(anchor, tag) => {
                if let Some(tag) = tag {
                    return Err(ParseError::new(resolve::custom_tag(&tag), raw));
                }
                builder.open(true, raw, anchor, anchor > 0)?;
                prev_end = raw.end as usize;
            }
            Event::MappingStart(anchor, tag) => {
                if let Some(tag) = tag {
                    return Err(ParseError::new(resolve::custom_tag(&tag), raw));
                }
                builder.open(false, raw, anchor, anchor > 0)?;
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
    quirks::apply(original, &mut document);
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
    /// The key a scalar makes, or why Symfony refuses it as a key; `None` for collections.
    key: Option<Result<Key, String>>,
    /// The key it makes in a flow mapping (`{010: x}`), where that differs.
    flow_key: Option<Result<Key, String>>,
    /// A plain `<<` key.
    merge_key: bool,
    /// Written `!php/const:NAME`, which Symfony reads only as a key.
    colon_tag: bool,
}

struct PendingKey {
    key: Key,
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
    /// Mapping state: the key waiting for its value, the position of each key (by PHP array
    /// key), and whether each entry came from a merge key (explicit keys then override it
    /// without a duplicate); after a merge key Symfony lets any later key overwrite.
    pending: Option<PendingKey>,
    index: HashMap<Key, usize>,
    merged: Vec<bool>,
    overwrite: bool,
    height: usize,
    size: usize,
    last_end: usize,
}

struct Builder<'s, 'l> {
    source: &'s str,
    /// The source as written (`source` may have `!php/const:` rewritten, at the same offsets).
    original: &'s str,
    limits: &'l Limits,
    /// The source starts with a byte order mark that the first key has not taken yet.
    bom_key: bool,
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
                Some(pending) => Some(pending.key.clone()),
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
            overwrite: false,
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
            key: None,
            flow_key: None,
            merge_key: false,
            colon_tag: false,
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
        built.key = Some(Err(
            "Symfony YAML does not read an alias (`*name`) as a mapping key and refuses the file"
                .into(),
        ));
        built.flow_key = None;
        Ok(built)
    }

    /// Whether the next node delivered is a mapping key.
    fn expects_key(&self) -> bool {
        self.frames
            .last()
            .is_some_and(|f| !f.list && f.pending.is_none())
    }

    fn deliver(&mut self, built: Built) -> Result<(), ParseError> {
        let is_key = self.expects_key();
        if built.colon_tag && !is_key {
            return Err(ParseError::new(
                "Symfony YAML reads `!php/const:NAME` only as a mapping key and refuses it as a value; write `!php/const NAME`",
                built.node.span,
            ));
        }
        let bom_key = self.bom_key && is_key && self.frames.len() == 1;
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
            let span = built.node.span;
            let key = if frame.bracketed {
                built.flow_key.or(built.key)
            } else {
                built.key
            };
            let Some(key) = key else {
                return Err(complex_key(span));
            };
            let mut key = key.map_err(|message| ParseError::new(message, span))?;
            // (After a byte order mark Symfony reads the first key as plain text instead.)
            if built.colon_tag && !bom_key {
                symfony::misread_colon_key(self.source, span)?;
            }
            if bom_key {
                // Symfony reads the mark as the first character of the first key.
                self.bom_key = false;
                let written = self.original.get(3..span.end as usize).unwrap_or_default();
                // Only a key at the very start (maybe tagged) whose text has no `: ` or ` #`,
                // which would split Symfony's line differently.
                let at_start = span.start == 3 || written.starts_with(['!', '&']);
                if !at_start || written.contains(": ") || written.contains(" #") {
                    return Err(bom_refused());
                }
                key = Key::Str(format!("\u{feff}{written}").into());
            }
            frame.pending = Some(PendingKey {
                key,
                span,
                merge: built.merge_key,
            });
            return Ok(());
        };
        frame.height = frame.height.max(built.height);
        frame.size += built.size;
        if key.merge {
            frame.overwrite = true;
            return merge(frame, built.node);
        }
        match frame.index.get(&key.key).copied() {
            // Symfony tests a key with PHP's `isset`, which is false for a null value: a key
            // first written empty takes the later value silently.
            Some(i)
                if frame.merged.get(i) == Some(&true)
                    || frame.overwrite
                    || frame.entries[i].value.value == Value::Null =>
            {
                if frame.merged[i] {
                    // The explicit key replaces a merged one: its span is the one written here.
                    frame.merged[i] = false;
                    frame.entries[i].key_span = Some(key.span).into();
                }
                frame.entries[i].value = built.node;
            }
            Some(i) => {
                let first = frame.entries[i].key_span.get().unwrap_or(key.span);
                frame.entries[i].value = built.node;
                let parent_pointer = self.pointer();
                self.duplicates.push(DuplicateKey {
                    key: key.key,
                    first,
                    again: key.span,
                    parent_pointer,
                });
            }
            None => {
                frame.index.insert(key.key.clone(), frame.entries.len());
                frame.merged.push(false);
                frame.entries.push(Entry {
                    key: key.key,
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
            if frame.index.contains_key(&entry.key) {
                continue;
            }
            frame.index.insert(entry.key.clone(), frame.entries.len());
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
        key: None,
        flow_key: None,
        merge_key: false,
        colon_tag: false,
    }
}

/// Whether the event opens the root mapping (or is a stream/document marker before it).
fn starts_mapping(event: &Event<'_>, builder: &Builder<'_, '_>) -> bool {
    match event {
        Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => true,
        Event::MappingStart(..) => builder.frames.is_empty(),
        _ => !builder.frames.is_empty(),
    }
}

fn bom_refused() -> ParseError {
    ParseError::new(
        "the file starts with a byte order mark that Symfony YAML (ece-tools) reads as text: \
         before anything but a first `key:` it refuses the file; save it as UTF-8 without BOM",
        Span::new(0, 3),
    )
}

fn complex_key(span: Span) -> ParseError {
    ParseError::new(
        "a mapping key must be a plain or quoted string, not a collection",
        span,
    )
}

fn scan_error(source: &str, offsets: &Offsets, error: &ScanError) -> ParseError {
    let at = offsets.byte(error.marker().index());
    if error.info() == "while scanning a plain scalar, found a tab" {
        // saphyr marks the start of the scalar; the fault is the tab indenting a later line.
        if let Some(tab) = text::indenting_tab(source, at) {
            return ParseError::new(
                "tabs are not allowed for indentation",
                Span::new(tab, tab + 1),
            );
        }
    }
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
