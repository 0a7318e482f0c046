//! The one spanned tree every config format parses into.
//!
//! A `Document` is a tree of `Node { value, span }`. Arrays keep their entries in source order
//! and each entry keeps the span of its key, so any key or value can be pointed at. Duplicate keys
//! follow PHP array-literal semantics (first position, last value) and are remembered in
//! `Document::duplicates` so MG003 can report them.

use compact_str::CompactString;
use std::fmt;

/// A half-open byte range `[start, end)` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        // Files are capped far below 4 GiB (see discover), so offsets fit in u32.
        Span {
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    pub fn empty_at(offset: usize) -> Span {
        Span::new(offset, offset)
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// An array key. PHP arrays have int or string keys; YAML and JSON mapping keys are strings,
/// sequence positions are ints.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    Int(i64),
    Str(CompactString),
}

impl Key {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Key::Str(s) => Some(s),
            Key::Int(_) => None,
        }
    }

    /// Whether this key equals `name` the way PHP compares a string key with an int key
    /// (`'1'` and `1` are the same key).
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Key::Str(s) => s == name,
            Key::Int(i) => name.parse::<i64>().ok() == Some(*i),
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(i) => write!(f, "{i}"),
            Key::Str(s) => f.write_str(s),
        }
    }
}

/// One `key => value` of an array.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Key,
    /// Where the key is written; none for PHP implicit keys and YAML/JSON sequence items
    /// (`KeySpan::get`).
    pub key_span: KeySpan,
    pub value: Node,
}

/// An optional key span in 8 bytes (`Option<Span>` takes 12, and with it every entry of every
/// kept tree 8 more): no key is written at `u32::MAX`, so that start marks "none".
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpan(Span);

impl KeySpan {
    pub const NONE: KeySpan = KeySpan(Span {
        start: u32::MAX,
        end: u32::MAX,
    });

    pub fn get(self) -> Option<Span> {
        (self.0.start != u32::MAX).then_some(self.0)
    }
}

impl From<Option<Span>> for KeySpan {
    fn from(span: Option<Span>) -> KeySpan {
        span.map_or(KeySpan::NONE, KeySpan)
    }
}

impl fmt::Debug for KeySpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

/// A value whose whole source range is known.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// What a config value statically evaluates to.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(CompactString),
    /// Ordered entries. `list` says how an *empty* array prints: PHP arrays and YAML/JSON
    /// sequences set it, YAML/JSON mappings do not. Non-empty arrays are lists exactly when their
    /// keys are 0..n-1, like `json_encode`.
    Array {
        entries: Vec<Entry>,
        list: bool,
    },
    /// A value only known at run time (getenv(), `$_ENV[..]`, a constant, a concatenation with
    /// an unknown part...). Carries its source text.
    Dynamic(String),
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "float",
            Value::String(_) => "string",
            Value::Array { .. } => "array",
            Value::Dynamic(_) => "dynamic",
        }
    }

    pub fn entries(&self) -> &[Entry] {
        match self {
            Value::Array { entries, .. } => entries,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as PHP would print it in a string context, for scalars.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Value::Null => Some(String::new()),
            Value::Bool(true) => Some("1".into()),
            Value::Bool(false) => Some(String::new()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::String(s) => Some(s.to_string()),
            _ => None,
        }
    }

    /// True when the keys are exactly 0..n-1 in order, which is when `json_encode` prints a list.
    pub fn is_list(&self) -> bool {
        match self {
            Value::Array { entries, list } => {
                if entries.is_empty() {
                    // PHP's `[]` encodes as a list; a YAML/JSON `{}` stays an object.
                    return *list;
                }
                entries
                    .iter()
                    .enumerate()
                    .all(|(i, e)| e.key == Key::Int(i as i64))
            }
            _ => false,
        }
    }
}

impl Node {
    pub fn new(value: Value, span: Span) -> Node {
        Node { value, span }
    }

    /// The entry with this key, comparing like PHP (`'1'` == `1`).
    pub fn entry(&self, name: &str) -> Option<&Entry> {
        self.value.entries().iter().find(|e| e.key.matches(name))
    }

    pub fn get(&self, name: &str) -> Option<&Node> {
        self.entry(name).map(|e| &e.value)
    }

    /// Follows a `/`-separated path of keys (not a JSON Pointer: no escaping); empty segments
    /// are skipped. The fleet asks this for every setting of every site: the path is cut with a
    /// plain byte scan, not `split`'s searcher, which cost more than the key comparisons.
    pub fn path(&self, path: &str) -> Option<&Node> {
        let mut node = self;
        let mut rest = path;
        loop {
            let (segment, after) = split_first(rest);
            if !segment.is_empty() {
                node = node.get(segment)?;
            }
            match after {
                Some(after) => rest = after,
                None => return Some(node),
            }
        }
    }

    /// The entry a `/`-separated path ends at (its key span is where the key is written): the
    /// non-empty segments before the last `/` are followed, the last one is looked up as
    /// written (even when empty).
    pub fn path_entry(&self, path: &str) -> Option<&Entry> {
        let mut node = self;
        let mut rest = path;
        loop {
            match split_first(rest) {
                (segment, Some(after)) => {
                    if !segment.is_empty() {
                        node = node.get(segment)?;
                    }
                    rest = after;
                }
                (last, None) => return node.entry(last),
            }
        }
    }
}

/// The text before the first `/` and, if there is one, the text after it.
fn split_first(path: &str) -> (&str, Option<&str>) {
    match path.bytes().position(|b| b == b'/') {
        // `/` is ASCII: both sides are at character boundaries.
        Some(at) => (&path[..at], Some(&path[at + 1..])),
        None => (path, None),
    }
}

/// A key written more than once in one array or mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct DuplicateKey {
    pub key: Key,
    /// Where the key is first written (PHP keeps this position).
    pub first: Span,
    /// Where it is written again (this value wins).
    pub again: Span,
    /// JSON Pointer of the array holding both.
    pub parent_pointer: String,
}

impl DuplicateKey {
    /// JSON Pointer of the key itself.
    pub fn pointer(&self) -> String {
        let mut pointer = self.parent_pointer.clone();
        push_pointer(&mut pointer, &self.key);
        pointer
    }
}

/// A parsed file: the root node plus what the parser noticed on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub root: Node,
    pub duplicates: Vec<DuplicateKey>,
    /// A PHP file with no top-level `return` (PHP's `include` then yields `1`); the root is
    /// then `Int(1)` with an empty span at the end of the file.
    pub no_return: bool,
}

impl Document {
    pub fn new(root: Node) -> Document {
        Document {
            root,
            duplicates: Vec::new(),
            no_return: false,
        }
    }

    /// Locates a JSON Pointer (RFC 6901). Returns the value's node and, when the pointer ends
    /// at an array entry, the span of its key.
    pub fn locate(&self, pointer: &str) -> Option<(Option<Span>, &Node)> {
        let mut node = &self.root;
        let mut key_span = None;
        if pointer.is_empty() {
            return Some((None, node));
        }
        let rest = pointer.strip_prefix('/')?;
        for raw in rest.split('/') {
            let segment = unescape_pointer(raw);
            let entry = node.entry(&segment)?;
            key_span = entry.key_span.get();
            node = &entry.value;
        }
        Some((key_span, node))
    }
}

/// A syntax error with the one position that explains it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

impl ParseError {
    pub fn new(message: impl Into<String>, span: Span) -> ParseError {
        ParseError {
            message: message.into(),
            span,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Appends one reference token to a JSON Pointer, escaping `~` and `/` (RFC 6901).
pub fn push_pointer(pointer: &mut String, key: &Key) {
    pointer.push('/');
    match key {
        Key::Int(i) => pointer.push_str(&i.to_string()),
        Key::Str(s) => {
            for c in s.chars() {
                match c {
                    '~' => pointer.push_str("~0"),
                    '/' => pointer.push_str("~1"),
                    c => pointer.push(c),
                }
            }
        }
    }
}

/// One reference token of a JSON Pointer, unescaped (RFC 6901: `~1` first, then `~0`); a
/// token without `~` (nearly all) is returned as it is, without a copy.
fn unescape_pointer(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~").into()
    } else {
        token.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every path over an alphabet of keys, separators and empty segments finds what the plain
    /// definitions (`split`, empty segments skipped; `rsplit_once` for the entry) find.
    #[test]
    fn paths_find_what_the_plain_definitions_find() {
        fn plain_path<'n>(node: &'n Node, path: &str) -> Option<&'n Node> {
            path.split('/')
                .filter(|s| !s.is_empty())
                .try_fold(node, |node, segment| node.get(segment))
        }
        fn plain_entry<'n>(node: &'n Node, path: &str) -> Option<&'n Entry> {
            let (parent, last) = match path.rsplit_once('/') {
                Some((parent, last)) => (plain_path(node, parent)?, last),
                None => (node, path),
            };
            parent.entry(last)
        }
        // An int key (`1`) too: `'1'` must find it, as PHP compares keys.
        let text = "<?php return ['a' => ['b' => ['c' => 1, '' => 2], 1 => 'x'], \
                    '' => ['d' => 3], 'b' => ['c' => ['a' => 4]], 'é' => ['é' => 5]];";
        let document =
            crate::syntax::php::parse(text, &crate::syntax::Limits::default()).expect("parses");
        let root = &document.root;
        let parts = ["a", "b", "c", "", "1", "d", "é"];
        let mut paths = vec![String::new()];
        for _ in 0..4 {
            let mut longer = Vec::new();
            for p in &paths {
                for part in parts {
                    longer.push(format!("{p}/{part}"));
                    longer.push(format!("{p}{part}"));
                }
            }
            paths.extend(longer);
            paths.sort();
            paths.dedup();
        }
        let mut found = 0;
        for p in &paths {
            let fast = root.path(p).map(|n| n as *const _);
            assert_eq!(
                fast,
                plain_path(root, p).map(|n| n as *const _),
                "path {p:?}"
            );
            let fast = root.path_entry(p).map(|e| e as *const _);
            assert_eq!(
                fast,
                plain_entry(root, p).map(|e| e as *const _),
                "entry {p:?}"
            );
            found += usize::from(fast.is_some());
        }
        // The alphabet reaches real entries, not only misses.
        assert!(found > 20, "{found}");
    }

    #[test]
    fn key_spans_keep_what_options_keep_in_less_room() {
        assert_eq!(KeySpan::from(None).get(), None);
        for span in [
            Span::new(0, 0),
            Span::new(3, 9),
            Span::new(0, u32::MAX as usize - 1),
        ] {
            assert_eq!(KeySpan::from(Some(span)).get(), Some(span));
        }
        // Lean runs keep tens of thousands of trees: an entry must not grow back.
        assert_eq!(std::mem::size_of::<Entry>(), 72);
    }

    fn leaf(s: &str, at: usize) -> Node {
        Node::new(Value::String(s.into()), Span::new(at, at + s.len()))
    }

    #[test]
    fn locate_follows_pointer_with_escapes() {
        let inner = Node::new(
            Value::Array {
                entries: vec![Entry {
                    key: Key::Str("a/b".into()),
                    key_span: Some(Span::new(5, 10)).into(),
                    value: leaf("x", 14),
                }],
                list: false,
            },
            Span::new(4, 20),
        );
        let root = Node::new(
            Value::Array {
                entries: vec![Entry {
                    key: Key::Int(0),
                    key_span: KeySpan::NONE,
                    value: inner,
                }],
                list: false,
            },
            Span::new(0, 21),
        );
        let doc = Document::new(root);
        let (key, node) = doc.locate("/0/a~1b").expect("pointer resolves");
        assert_eq!(key, Some(Span::new(5, 10)));
        assert_eq!(node.span, Span::new(14, 15));
        assert!(doc.locate("/1").is_none());
        let mut p = String::new();
        push_pointer(&mut p, &Key::Str("a/b~c".into()));
        assert_eq!(p, "/a~1b~0c");
    }
}
