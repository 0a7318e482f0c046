//! A fast, conservative pre-check of a document against a bundled schema.
//!
//! Almost every real config file is valid, yet the exact path (`to_json`, then `jsonschema`'s
//! `iter_errors`, then `describe`) copies the whole tree into a `serde_json::Value` first; on a
//! fleet that copy plus validation were about a tenth of all CPU. This module compiles each
//! bundled schema once into a small validator that walks the parsed `Node` tree directly and
//! answers only "certainly valid" or "maybe invalid". The caller returns no findings on the
//! first answer and runs the exact path on the second, so the findings themselves never change.
//!
//! Soundness ("certainly valid" ⇒ the exact path reports nothing) is kept by:
//! - supporting only the keywords our schemas use, with the semantics checked one by one; a
//!   schema with anything else (or a `$ref` that is not a local `#/$defs/..` pointer) gets no
//!   fast validator at all;
//! - answering "maybe invalid" wherever JSON Schema is subtle for our tree: a float against
//!   `integer`, `enum`, `minimum` or `maximum`; patterns using anything beyond plain ASCII
//!   classes, anchors, groups and quantifiers (where `regex` and the ECMA dialect agree);
//! - seeing objects and arrays exactly as `to_json` does (`Value::is_list`), and checking every
//!   entry of an array, so a key written twice (whose last value is what `to_json` keeps) is
//!   checked in all its values;
//! - passing a `Value::Dynamic` only when the exact path would drop every error at or under it,
//!   which is asked of the same `lands_on_dynamic` the exact path uses. Checks on its parent
//!   (keys, count, and a key no schema admits: `additionalProperties: false` is reported at the
//!   parent) still apply.

use crate::syntax::{push_pointer, Document, Entry, Key, Node, Value};
use serde_json::{Map, Value as Json};
use std::collections::HashMap;

/// A compiled schema: subschemas in an arena, referenced by index (so `$ref` cycles are fine).
pub(super) struct Fast {
    subs: Vec<Sub>,
    root: usize,
}

/// One subschema. `Any`/`Never` are the boolean schemas `true`/`false`.
enum Sub {
    Any,
    Never,
    Checks(Box<Checks>),
}

/// The keywords of one subschema object; absent keywords constrain nothing.
#[derive(Default)]
struct Checks {
    /// Bit set of `TYPE_*`; `None` when there is no `type` keyword.
    types: Option<u8>,
    /// `enum` values (compared by JSON equality, floats never).
    one_of_values: Option<Vec<Literal>>,
    minimum: Option<i64>,
    maximum: Option<i64>,
    pattern: Option<regex::Regex>,
    max_items: Option<usize>,
    items: Option<usize>,
    /// `properties`, sorted by `by_length` for binary search.
    properties: Vec<(String, usize)>,
    additional: Option<usize>,
    property_names: Option<usize>,
    required: Vec<String>,
    /// `$ref` target: applies in addition to the siblings (draft 2020-12).
    reference: Option<usize>,
}

const TYPE_NULL: u8 = 1;
const TYPE_BOOLEAN: u8 = 2;
const TYPE_INTEGER: u8 = 4;
const TYPE_NUMBER: u8 = 8;
const TYPE_STRING: u8 = 16;
const TYPE_ARRAY: u8 = 32;
const TYPE_OBJECT: u8 = 64;

/// Keywords that only annotate and never fail validation.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "$comment",
    "examples",
    "default",
    "deprecated",
];

/// An `enum` value, as far as `equals` compares it: a float, array or object (or an integer
/// beyond `i64`) equals no shape the fast path vouches for.
enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Other,
}

impl Literal {
    fn of(value: &Json) -> Literal {
        match value {
            Json::Null => Literal::Null,
            Json::Bool(b) => Literal::Bool(*b),
            Json::Number(n) => n.as_i64().map_or(Literal::Other, Literal::Int),
            Json::String(s) => Literal::Str(s.clone()),
            Json::Array(_) | Json::Object(_) => Literal::Other,
        }
    }
}

/// A value as `to_json` would present it (a non-finite float becomes `null` there).
enum Shape<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
    List(&'a [Entry]),
    Object(&'a [Entry]),
}

impl Fast {
    /// Compiles a bundled schema; `None` when it uses anything this module does not handle
    /// exactly (the schema then always takes the exact path).
    pub(super) fn compile(schema: &Json) -> Option<Fast> {
        let mut compiler = Compiler {
            root: schema,
            subs: Vec::new(),
            refs: HashMap::new(),
        };
        let root = compiler.compile(schema, true)?;
        Some(Fast {
            subs: compiler.subs,
            root,
        })
    }

    /// True when the exact path would certainly report no finding for `document`.
    pub(super) fn certainly_valid(&self, document: &Document) -> bool {
        let mut walk = Walk {
            document,
            path: Vec::new(),
        };
        self.node_valid(self.root, &document.root, &mut walk)
    }

    fn node_valid<'d>(&self, sub: usize, node: &'d Node, walk: &mut Walk<'d>) -> bool {
        let shape = match &node.value {
            // Every error at or under a dynamic value is dropped, if the exact path finds it.
            Value::Dynamic(_) => return walk.lands_on_dynamic(),
            value @ Value::Array { entries, .. } => {
                let shape = match value.is_list() {
                    true => Shape::List(entries),
                    false => Shape::Object(entries),
                };
                return self.valid(sub, &shape, walk);
            }
            scalar => scalar_shape(scalar),
        };
        self.scalar_valid_at(sub, &shape)
    }

    /// An entry's value, the entry's key put on the walk's path only where the path can be
    /// read (a dynamic value, or children): most values are scalars, checked without it.
    #[inline(always)]
    fn entry_valid<'d>(&self, sub: usize, entry: &'d Entry, walk: &mut Walk<'d>) -> bool {
        match &entry.value.value {
            Value::Dynamic(_) | Value::Array { .. } => {
                walk.child(entry, |w| self.node_valid(sub, &entry.value, w))
            }
            scalar => self.scalar_valid_at(sub, &scalar_shape(scalar)),
        }
    }

    /// `valid` for a scalar shape (no children): the scalar keywords of `sub` and of every
    /// `$ref` it chains to.
    fn scalar_valid_at(&self, mut sub: usize, shape: &Shape<'_>) -> bool {
        loop {
            let checks = match self.checks_of(sub) {
                Ok(checks) => checks,
                Err(verdict) => return verdict,
            };
            if !scalar_valid(checks, shape) {
                return false;
            }
            match checks.reference {
                Some(reference) => sub = reference,
                None => return true,
            }
        }
    }

    fn valid<'d>(&self, sub: usize, shape: &Shape<'d>, walk: &mut Walk<'d>) -> bool {
        let checks = match self.checks_of(sub) {
            Ok(checks) => checks,
            Err(verdict) => return verdict,
        };
        if !scalar_valid(checks, shape) {
            return false;
        }
        let children_valid = match shape {
            Shape::List(entries) => self.list_valid(checks, entries, walk),
            Shape::Object(entries) => self.object_valid(checks, entries, walk),
            _ => true,
        };
        children_valid && checks.reference.is_none_or(|r| self.valid(r, shape, walk))
    }

    /// The keywords of a subschema, or the verdict of a boolean schema.
    fn checks_of(&self, sub: usize) -> Result<&Checks, bool> {
        match self.subs.get(sub) {
            Some(Sub::Checks(checks)) => Ok(checks),
            Some(Sub::Any) => Err(true),
            Some(Sub::Never) | None => Err(false),
        }
    }

    fn list_valid<'d>(&self, checks: &Checks, entries: &'d [Entry], walk: &mut Walk<'d>) -> bool {
        if checks.max_items.is_some_and(|max| entries.len() > max) {
            return false;
        }
        match checks.items {
            // `items: false` rejects the list itself, whatever its items are.
            Some(items) if matches!(self.subs.get(items), Some(Sub::Never) | None) => {
                entries.is_empty()
            }
            Some(items) => entries.iter().all(|e| self.entry_valid(items, e, walk)),
            None => true,
        }
    }

    fn object_valid<'d>(&self, checks: &Checks, entries: &'d [Entry], walk: &mut Walk<'d>) -> bool {
        let has_key = |name: &str| entries.iter().any(|e| key_is(&e.key, name));
        if !checks.required.iter().all(|name| has_key(name)) {
            return false;
        }
        let mut buffer = String::new();
        for entry in entries {
            let key = key_text(&entry.key, &mut buffer);
            if let Some(names) = checks.property_names {
                // A key is a string: only the scalar keywords and `$ref` apply.
                if !self.scalar_valid_at(names, &Shape::Str(key)) {
                    return false;
                }
            }
            let sub = match checks
                .properties
                .binary_search_by(|(n, _)| by_length(n, key))
            {
                Ok(i) => checks.properties[i].1,
                Err(_) => match checks.additional {
                    Some(sub) => sub,
                    None => continue,
                },
            };
            // A key no schema admits is reported at the parent (`additionalProperties: false`),
            // which no dynamic value excuses.
            if matches!(self.subs.get(sub), Some(Sub::Never) | None)
                || !self.entry_valid(sub, entry, walk)
            {
                return false;
            }
        }
        true
    }
}

/// The document and the entries from the root down to the node being checked, to find a
/// dynamic value's JSON Pointer only when one is met.
struct Walk<'d> {
    document: &'d Document,
    path: Vec<&'d Key>,
}

impl<'d> Walk<'d> {
    fn child(&mut self, entry: &'d Entry, check: impl FnOnce(&mut Walk<'d>) -> bool) -> bool {
        self.path.push(&entry.key);
        let valid = check(self);
        self.path.pop();
        valid
    }

    /// Whether the exact path would drop errors at the current node: the pointer is built the
    /// way `jsonschema` reports instance paths (keys escaped, list positions as numbers).
    fn lands_on_dynamic(&self) -> bool {
        let mut pointer = String::new();
        for key in &self.path {
            push_pointer(&mut pointer, key);
        }
        super::lands_on_dynamic(self.document, &pointer)
    }
}

/// Length first, then bytes: most probes of a property list then end without a `memcmp`.
fn by_length(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// A key as its JSON object key (`to_json` prints int keys in decimal).
fn key_text<'k>(key: &'k Key, buffer: &'k mut String) -> &'k str {
    match key {
        Key::Str(s) => s,
        Key::Int(i) => {
            use std::fmt::Write;
            buffer.clear();
            let _ = write!(buffer, "{i}");
            buffer
        }
    }
}

/// Whether a key prints as `name` in JSON (unlike `Key::matches`, `"01"` is not `1`).
fn key_is(key: &Key, name: &str) -> bool {
    match key {
        Key::Str(s) => s == name,
        Key::Int(i) => {
            let mut buffer = String::new();
            key_text(&Key::Int(*i), &mut buffer) == name
        }
    }
}

/// `type`, `enum`, `minimum`/`maximum` and `pattern`: the keywords that look at the value itself.
/// A placeholder string (`{{ mode }}`) passes them all, as the exact path drops its errors.
#[inline]
fn scalar_valid(checks: &Checks, shape: &Shape<'_>) -> bool {
    scalar_checks_pass(checks, shape) || is_placeholder_shape(shape)
}

/// Out of line: only a value that fails a check is looked at again.
#[inline(never)]
fn is_placeholder_shape(shape: &Shape<'_>) -> bool {
    matches!(shape, Shape::Str(s) if crate::model::key_material::is_placeholder(s))
}

#[inline]
fn scalar_checks_pass(checks: &Checks, shape: &Shape<'_>) -> bool {
    if checks
        .types
        .is_some_and(|types| types & type_bits(shape) == 0)
    {
        return false;
    }
    if let Some(values) = &checks.one_of_values {
        if !values.iter().any(|v| equals(shape, v)) {
            return false;
        }
    }
    let out_of_range =
        |i: &i64| checks.minimum.is_some_and(|m| *i < m) || checks.maximum.is_some_and(|m| *i > m);
    match shape {
        Shape::Int(i) => !out_of_range(i),
        // A float is compared with the (integer) limits as a number: `2.0` and `12.0` in a
        // .magento.env.yaml, where JSON Schema sees integers.
        Shape::Float(f) => {
            !(checks.minimum.is_some_and(|m| *f < m as f64)
                || checks.maximum.is_some_and(|m| *f > m as f64))
        }
        Shape::Str(s) => checks
            .pattern
            .as_ref()
            .is_none_or(|p| matches_pattern(p, s)),
        _ => true,
    }
}

/// Out of line: few schema strings have a `pattern`, and the regex call would make every
/// scalar check save and restore registers.
#[inline(never)]
fn matches_pattern(pattern: &regex::Regex, text: &str) -> bool {
    pattern.is_match(text)
}

/// The shape of a value that is neither an array nor dynamic.
fn scalar_shape(value: &Value) -> Shape<'_> {
    match value {
        Value::Bool(b) => Shape::Bool(*b),
        Value::Int(i) => Shape::Int(*i),
        Value::Float(f) if f.is_finite() => Shape::Float(*f),
        Value::String(s) => Shape::Str(s),
        // A non-finite float is `null` in JSON; arrays and dynamic values never get here (the
        // callers shape them first).
        Value::Null | Value::Float(_) | Value::Array { .. } | Value::Dynamic(_) => Shape::Null,
    }
}

fn type_bits(shape: &Shape<'_>) -> u8 {
    match shape {
        Shape::Null => TYPE_NULL,
        Shape::Bool(_) => TYPE_BOOLEAN,
        Shape::Int(_) => TYPE_INTEGER | TYPE_NUMBER,
        // A float with a zero fraction is an integer to JSON Schema; past 2^53 validators may
        // disagree, so only `number` is certain there.
        Shape::Float(f) if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => {
            TYPE_INTEGER | TYPE_NUMBER
        }
        Shape::Float(_) => TYPE_NUMBER,
        Shape::Str(_) => TYPE_STRING,
        Shape::List(_) => TYPE_ARRAY,
        Shape::Object(_) => TYPE_OBJECT,
    }
}

/// JSON Schema equality for `enum`, decided only where it is plain (never for floats, arrays
/// or objects: those answer "maybe invalid").
fn equals(shape: &Shape<'_>, value: &Literal) -> bool {
    match (shape, value) {
        (Shape::Null, Literal::Null) => true,
        (Shape::Bool(a), Literal::Bool(b)) => a == b,
        (Shape::Int(a), Literal::Int(b)) => a == b,
        (Shape::Str(a), Literal::Str(b)) => a == b,
        _ => false,
    }
}

struct Compiler<'s> {
    root: &'s Json,
    subs: Vec<Sub>,
    /// `$ref` string → arena index, filled before the target compiles (cycles end there).
    refs: HashMap<&'s str, usize>,
}

impl<'s> Compiler<'s> {
    fn compile(&mut self, schema: &'s Json, is_root: bool) -> Option<usize> {
        let index = self.subs.len();
        self.subs.push(Sub::Any);
        let sub = match schema {
            Json::Bool(true) => Sub::Any,
            Json::Bool(false) => Sub::Never,
            Json::Object(map) => Sub::Checks(Box::new(self.checks(map, is_root)?)),
            _ => return None,
        };
        self.subs[index] = sub;
        Some(index)
    }

    fn checks(&mut self, map: &'s Map<String, Json>, is_root: bool) -> Option<Checks> {
        let mut checks = Checks::default();
        for (keyword, value) in map {
            match keyword.as_str() {
                "type" => checks.types = Some(types(value)?),
                "enum" => {
                    checks.one_of_values = Some(value.as_array()?.iter().map(Literal::of).collect())
                }
                "minimum" => checks.minimum = Some(value.as_i64()?),
                "maximum" => checks.maximum = Some(value.as_i64()?),
                "pattern" => checks.pattern = Some(pattern(value.as_str()?)?),
                "maxItems" => checks.max_items = Some(usize::try_from(value.as_u64()?).ok()?),
                "items" => checks.items = Some(self.compile(value, false)?),
                "additionalProperties" => checks.additional = Some(self.compile(value, false)?),
                "propertyNames" => checks.property_names = Some(self.compile(value, false)?),
                "required" => {
                    for name in value.as_array()? {
                        checks.required.push(name.as_str()?.to_string());
                    }
                }
                "properties" => {
                    for (name, sub) in value.as_object()? {
                        let index = self.compile(sub, false)?;
                        checks.properties.push((name.clone(), index));
                    }
                    checks.properties.sort_by(|a, b| by_length(&a.0, &b.0));
                }
                "$ref" => checks.reference = Some(self.reference(value.as_str()?)?),
                // Only the root may name a dialect or a base URI (a nested one moves `$ref`s).
                "$schema" | "$id" | "$defs" if is_root => {}
                other if ANNOTATIONS.contains(&other) => {}
                _ => return None,
            }
        }
        Some(checks)
    }

    /// A local `#/$defs/<name>` reference (no escapes), compiled once.
    fn reference(&mut self, target: &'s str) -> Option<usize> {
        if let Some(index) = self.refs.get(target) {
            return Some(*index);
        }
        let name = target.strip_prefix("#/$defs/")?;
        if name.is_empty() || name.contains(['/', '~', '%']) {
            return None;
        }
        let schema = self.root.get("$defs")?.get(name)?;
        // Reserve the slot so a recursive reference resolves to it.
        let index = self.subs.len();
        self.refs.insert(target, index);
        let compiled = self.compile(schema, false)?;
        debug_assert_eq!(compiled, index);
        Some(compiled)
    }
}

fn types(value: &Json) -> Option<u8> {
    let one = |name: &Json| -> Option<u8> {
        Some(match name.as_str()? {
            "null" => TYPE_NULL,
            "boolean" => TYPE_BOOLEAN,
            "integer" => TYPE_INTEGER,
            "number" => TYPE_NUMBER,
            "string" => TYPE_STRING,
            "array" => TYPE_ARRAY,
            "object" => TYPE_OBJECT,
            _ => return None,
        })
    };
    match value {
        Json::Array(names) => names.iter().try_fold(0, |bits, n| Some(bits | one(n)?)),
        name => one(name),
    }
}

/// A `pattern` the `regex` crate matches exactly as the ECMA dialect would: ASCII only, no
/// `.` outside a class (ECMA's excludes more line terminators), no escapes of letters or
/// digits (`\d`, `\w`, `\s`, `\b` differ in Unicode), no `(?` constructs. Others → `None`.
pub(super) fn pattern(source: &str) -> Option<regex::Regex> {
    let mut in_class = false;
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_ascii() || c.is_ascii_control() {
            return None;
        }
        match c {
            '\\' => {
                let escaped = chars.next()?;
                if !escaped.is_ascii_punctuation() {
                    return None;
                }
            }
            '[' if !in_class => in_class = true,
            // `[` inside a class (POSIX classes, nesting) reads differently in the two dialects.
            '[' => return None,
            ']' if in_class => in_class = false,
            '.' if !in_class => return None,
            '(' if chars.peek() == Some(&'?') => return None,
            _ => {}
        }
    }
    if in_class {
        return None;
    }
    regex::Regex::new(source).ok()
}

#[cfg(test)]
mod tests;
