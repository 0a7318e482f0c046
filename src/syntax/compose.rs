//! Docker Compose files: each service's `environment` read the way compose reads it, in place,
//! once the YAML is parsed.
//!
//! - As a mapping (`NAME: value`): a string is interpolated (`${VAR}` makes it dynamic, `$$` is
//!   `$`); a number or boolean is its text (`true`, `8080`); no value (`NAME:`) passes the
//!   variable through from the environment compose runs in (dynamic).
//! - As a list (`- NAME=value`): each item is cut at its first `=`; the value is taken as
//!   written (quotes inside the item stay) and interpolated; `- NAME` alone passes the variable
//!   through. The list becomes a mapping of names whose spans point into the item: the name at
//!   the name, the value at the value. Such a mapping keeps `list` set, so pointers to its
//!   variables can use the item's index, as in the file.
//! - A name set twice keeps its last value (recorded as a duplicate).
//!
//! What compose refuses here is a parse error: an environment that is neither a mapping nor a
//! list, a value that is a mapping or a list, a list item that is not a string, an invalid
//! interpolation (`${`, `${1}`).

use super::interpolation::{interpolate, Interpolated, InvalidTemplate};
use super::{Document, DuplicateKey, Entry, Key, Node, ParseError, Span, Value};
use std::collections::HashMap;

/// Rewrites every `services.<name>.environment` of a parsed compose file as a mapping of
/// variable names to their values (see the module documentation).
pub fn read_environment(document: &mut Document, text: &str) -> Result<(), ParseError> {
    let Some(services) = value_mut(&mut document.root, "services") else {
        return Ok(());
    };
    let Value::Array { entries, .. } = &mut services.value else {
        return Ok(());
    };
    for service in entries.iter_mut() {
        let service_name = service.key.to_string();
        let Some(environment) = value_mut(&mut service.value, "environment") else {
            continue;
        };
        let parent = format!("/services/{}/environment", escape_pointer(&service_name));
        let (entries, list) = match &environment.value {
            Value::Null => continue,
            Value::Array { list: true, entries } => (list_form(entries, text)?, true),
            Value::Array { list: false, entries } => (map_form(entries, text)?, false),
            other => {
                return Err(ParseError::new(
                    format!(
                        "services.{service_name}.environment is {} {}: Docker Compose wants a mapping (NAME: value) or a list (- NAME=value)",
                        article(other.type_name()),
                        other.type_name()
                    ),
                    environment.span,
                ))
            }
        };
        let (entries, duplicates) = last_wins(entries, &parent);
        document.duplicates.extend(duplicates);
        environment.value = Value::Array { entries, list };
    }
    Ok(())
}

fn article(word: &str) -> &'static str {
    match word.as_bytes().first() {
        Some(b'a' | b'e' | b'i' | b'o' | b'u') => "an",
        _ => "a",
    }
}

fn value_mut<'n>(node: &'n mut Node, name: &str) -> Option<&'n mut Node> {
    match &mut node.value {
        Value::Array { entries, .. } => entries
            .iter_mut()
            .find(|e| e.key.matches(name))
            .map(|e| &mut e.value),
        _ => None,
    }
}

fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `NAME: value` entries.
fn map_form(entries: &[Entry], text: &str) -> Result<Vec<Entry>, ParseError> {
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let name = entry.key.to_string();
        let span = entry.value.span;
        let written = text.get(span.range()).unwrap_or("").trim_end();
        let value = match &entry.value.value {
            Value::Null => pass_through(&name),
            Value::String(value) => read(value, written, offset_of(text, span, value), span)?,
            Value::Bool(b) => Value::String(if *b { "true" } else { "false" }.into()),
            Value::Int(_) | Value::Float(_) => Value::String(written.into()),
            Value::Dynamic(source) => Value::Dynamic(source.clone()),
            Value::Array { .. } => {
                return Err(ParseError::new(
                    format!("the value of {name} is a mapping or list: Docker Compose wants a string, number, boolean or nothing"),
                    span,
                ))
            }
        };
        out.push(Entry {
            key: Key::Str(name.into()),
            key_span: entry.key_span,
            value: Node::new(value, span),
        });
    }
    Ok(out)
}

/// `- NAME=value` items.
fn list_form(items: &[Entry], text: &str) -> Result<Vec<Entry>, ParseError> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let span = item.value.span;
        let Value::String(raw) = &item.value.value else {
            return Err(ParseError::new(
                format!(
                    "an environment list item is {} {}: Docker Compose wants a string `NAME=value`",
                    article(item.value.value.type_name()),
                    item.value.value.type_name()
                ),
                span,
            ));
        };
        // Where the item's text starts in the file, when it is written as it reads.
        let base = offset_of(text, span, raw);
        let at = |from: usize, to: usize| match base {
            Some(base) => Span::new(base + from, base + to),
            None => span,
        };
        let (entry, value) = match raw.split_once('=') {
            None => {
                let key_span = at(0, raw.len());
                (raw.as_str(), Node::new(pass_through(raw), key_span))
            }
            Some((name, value)) => {
                let value_span = at(name.len() + 1, raw.len());
                let written = base.map_or(value, |_| &text[value_span.range()]);
                let value_base = base.map(|b| b + name.len() + 1);
                (
                    name,
                    Node::new(read(value, written, value_base, value_span)?, value_span),
                )
            }
        };
        out.push(Entry {
            key: Key::Str(entry.into()),
            key_span: Some(at(0, entry.len())).into(),
            value,
        });
    }
    Ok(out)
}

/// A variable compose takes from the environment it runs in.
fn pass_through(name: &str) -> Value {
    Value::Dynamic(format!("${{{name}}}"))
}

/// An interpolated string value; `written` is its source text, `base` where `value` starts in
/// the file when it is written as it reads (for the position of a refused interpolation).
fn read(value: &str, written: &str, base: Option<usize>, span: Span) -> Result<Value, ParseError> {
    match interpolate(value) {
        Ok(Interpolated::Literal(text)) => Ok(Value::String(text.into())),
        Ok(Interpolated::Dynamic { .. }) => Ok(Value::Dynamic(written.to_string())),
        Err(InvalidTemplate { at }) => {
            let span = base.map_or(span, |base| Span::new(base + at, base + at + 1));
            Err(ParseError::new(
                format!("invalid interpolation in `{written}`: Docker Compose refuses the file (write `$$` for a literal `$`)"),
                span,
            ))
        }
    }
}

/// Where the string `value`, parsed from the scalar at `span`, starts in `text` when the
/// scalar is written as it reads (plain, or quoted without escapes or folded lines).
fn offset_of(text: &str, span: Span, value: &str) -> Option<usize> {
    let written = text.get(span.range())?;
    if written == value {
        return Some(span.start as usize);
    }
    let quoted = written.len() >= 2
        && matches!(written.as_bytes()[0], b'"' | b'\'')
        && written.as_bytes()[written.len() - 1] == written.as_bytes()[0];
    (quoted && &written[1..written.len() - 1] == value).then_some(span.start as usize + 1)
}

/// The entries with a repeated name folded: first position, last value (compose keeps the last).
fn last_wins(entries: Vec<Entry>, parent: &str) -> (Vec<Entry>, Vec<DuplicateKey>) {
    let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
    let mut seen: HashMap<Key, usize> = HashMap::new();
    let mut duplicates = Vec::new();
    for entry in entries {
        match seen.get(&entry.key) {
            Some(&index) => {
                let first = &mut out[index];
                duplicates.push(DuplicateKey {
                    key: entry.key.clone(),
                    first: first.key_span.get().unwrap_or(first.value.span),
                    again: entry.key_span.get().unwrap_or(entry.value.span),
                    parent_pointer: parent.to_string(),
                });
                first.value = entry.value;
            }
            None => {
                seen.insert(entry.key.clone(), out.len());
                out.push(entry);
            }
        }
    }
    (out, duplicates)
}

#[cfg(test)]
#[path = "compose_tests.rs"]
mod tests;
