//! One-line pieces for the fast path: a plain or quoted scalar (maybe a key), or a one-line flow
//! sequence of scalars, or an empty `{}`.
//!
//! Every function returns `None` for anything it is not sure saphyr reads the same way; the
//! caller then gives the whole file to saphyr.

use super::symfony;
use crate::syntax::{Entry, Key, Node, Span, Value};
use compact_str::CompactString;

/// Keys longer than this go to saphyr, which rejects simple keys over 1024 characters.
const MAX_KEY_BYTES: usize = 1000;

/// What starts at a position of a line.
pub(super) enum Piece {
    /// `key:` followed by a blank or the end of the line; `colon` is the `:`.
    Key {
        text: CompactString,
        span: Span,
        colon: usize,
        plain: bool,
    },
    /// A complete value with only blanks or a comment after it on the line.
    Value(Node),
}

/// The piece starting at `at` (not a blank) and ending at most at `end` (the line end).
pub(super) fn piece(src: &str, at: usize, end: usize) -> Option<Piece> {
    let bytes = src.as_bytes();
    let (node, after) = match *bytes.get(at)? {
        b'\'' | b'"' => {
            let (text, close) = quoted(src, at, end)?;
            let span = Span::new(at, close);
            let after = skip_spaces(bytes, close, end);
            if bytes.get(after) == Some(&b':') && is_blank_or_end(bytes, after + 1, end) {
                return key(text.into(), span, after, false);
            }
            (Node::new(Value::String(text.into()), span), close)
        }
        b'[' => flow_sequence(src, at, end)?,
        b'{' => {
            // Only the empty mapping: flow mappings with content are left to saphyr.
            let close = skip_spaces(bytes, at + 1, end);
            if bytes.get(close) != Some(&b'}') || close >= end {
                return None;
            }
            let empty = Value::Array {
                entries: Vec::new(),
                list: false,
            };
            (Node::new(empty, Span::new(at, close + 1)), close + 1)
        }
        _ => {
            if !plain_start(bytes, at, end, false) {
                return None;
            }
            let (cut, colon) = plain_end(bytes, at, end);
            let text_end = at + trimmed_len(&bytes[at..cut]);
            let text = src.get(at..text_end)?;
            if let Some(colon) = colon {
                // Keys are short: kept inline, not allocated.
                return key(text.into(), Span::new(at, text_end), colon, true);
            }
            let node = Node::new(symfony::plain(text).ok()?, Span::new(at, text_end));
            return Some(Piece::Value(node));
        }
    };
    // After a quoted scalar or a flow collection only a comment may follow on the line.
    let rest = skip_spaces(bytes, after, end);
    if rest == end || (rest > after && bytes[rest] == b'#') {
        Some(Piece::Value(node))
    } else {
        None
    }
}

fn key(text: CompactString, span: Span, colon: usize, plain: bool) -> Option<Piece> {
    if colon - span.start as usize > MAX_KEY_BYTES || !symfony::verbatim_key(&text, plain) {
        return None;
    }
    Some(Piece::Key {
        text,
        span,
        colon,
        plain,
    })
}

pub(super) fn skip_spaces(bytes: &[u8], mut at: usize, end: usize) -> usize {
    while at < end && bytes[at] == b' ' {
        at += 1;
    }
    at
}

/// A blank or the end of the line at `at`.
pub(super) fn is_blank_or_end(bytes: &[u8], at: usize, end: usize) -> bool {
    at >= end || bytes[at] == b' '
}

fn trimmed_len(text: &[u8]) -> usize {
    text.iter().rposition(|&b| b != b' ').map_or(0, |i| i + 1)
}

/// Whether a plain scalar may start at `at`: not an indicator (a `-` only before content, and
/// `?`/`:` starts are left to saphyr).
fn plain_start(bytes: &[u8], at: usize, end: usize, in_flow: bool) -> bool {
    match bytes.get(at) {
        None | Some(b' ') => false,
        Some(b'-') => at + 1 < end && bytes[at + 1] != b' ' && !(in_flow && is_flow(bytes[at + 1])),
        Some(
            b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
            | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`',
        ) => false,
        Some(_) => true,
    }
}

fn is_flow(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

/// Where a block plain scalar starting at `at` stops (a comment, a `: ` or the line end), and
/// the `:` when it is a key.
fn plain_end(bytes: &[u8], at: usize, end: usize) -> (usize, Option<usize>) {
    // Only `:` and `#` can end it early: jump between them.
    for i in memchr::memchr2_iter(b':', b'#', &bytes[at..end]).map(|i| at + i) {
        if bytes[i] == b'#' {
            if i > at && bytes[i - 1] == b' ' {
                return (i, None);
            }
        } else if is_blank_or_end(bytes, i + 1, end) {
            return (i, Some(i));
        }
    }
    (end, None)
}

/// A quoted scalar closed on this line: its value and the offset after the closing quote.
fn quoted(src: &str, at: usize, end: usize) -> Option<(String, usize)> {
    let bytes = src.as_bytes();
    let quote = bytes[at];
    let mut text = String::new();
    let mut run = at + 1;
    let mut i = at + 1;
    // Jump to the next quote or (in double quotes) backslash.
    // Not closed on this line (`None`): a multi-line scalar or an error, both for saphyr.
    loop {
        let rest = bytes.get(i..end)?;
        i += if quote == b'"' {
            memchr::memchr2(b'"', b'\\', rest)?
        } else {
            memchr::memchr(b'\'', rest)?
        };
        let b = bytes[i];
        if b == quote {
            text.push_str(src.get(run..i)?);
            if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') && i + 1 < end {
                text.push('\'');
                i += 2;
                run = i;
                continue;
            }
            return Some((text, i + 1));
        }
        if quote == b'"' && b == b'\\' {
            text.push_str(src.get(run..i)?);
            i = escape(bytes, i + 1, end, &mut text)?;
            run = i;
            continue;
        }
        i += 1;
    }
}

/// Decodes the escape whose letter is at `at`; returns the offset after it.
fn escape(bytes: &[u8], at: usize, end: usize, text: &mut String) -> Option<usize> {
    if at >= end {
        return None;
    }
    let simple = match bytes[at] {
        b'0' => '\0',
        b'a' => '\x07',
        b'b' => '\x08',
        b't' => '\t',
        b'n' => '\n',
        b'v' => '\x0b',
        b'f' => '\x0c',
        b'r' => '\r',
        b'e' => '\x1b',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' => return hex_escape(bytes, at + 1, 2, end, text),
        b'u' => return hex_escape(bytes, at + 1, 4, end, text),
        b'U' => return hex_escape(bytes, at + 1, 8, end, text),
        _ => return None,
    };
    text.push(simple);
    Some(at + 1)
}

fn hex_escape(
    bytes: &[u8],
    at: usize,
    digits: usize,
    end: usize,
    text: &mut String,
) -> Option<usize> {
    if at + digits > end {
        return None;
    }
    let mut code = 0u32;
    for &b in &bytes[at..at + digits] {
        code = (code << 4) | char::from(b).to_digit(16)?;
    }
    text.push(char::from_u32(code)?);
    Some(at + digits)
}

/// A flow sequence of scalars closed on this line: the node and the offset after `]`.
fn flow_sequence(src: &str, at: usize, end: usize) -> Option<(Node, usize)> {
    let bytes = src.as_bytes();
    let mut entries = Vec::new();
    let mut i = skip_spaces(bytes, at + 1, end);
    if bytes.get(i) == Some(&b']') && i < end {
        let empty = Value::Array {
            entries,
            list: true,
        };
        return Some((Node::new(empty, Span::new(at, i + 1)), i + 1));
    }
    loop {
        let (node, after) = match *bytes.get(i)? {
            b'\'' | b'"' if i < end => {
                let (text, close) = quoted(src, i, end)?;
                (
                    Node::new(Value::String(text.into()), Span::new(i, close)),
                    close,
                )
            }
            _ => {
                if i >= end || !plain_start(bytes, i, end, true) {
                    return None;
                }
                let mut j = i;
                while j < end && !matches!(bytes[j], b',' | b']') {
                    // `:` (flow pairs), `#` (comments), nested brackets: saphyr's.
                    if matches!(bytes[j], b':' | b'#' | b'[' | b'{' | b'}') {
                        return None;
                    }
                    // saphyr rejects `[a -, b]` (a `-` before `,`/`]` after a blank).
                    if bytes[j] == b'-' && matches!(bytes.get(j + 1), Some(b',' | b']')) {
                        return None;
                    }
                    j += 1;
                }
                let text_end = i + trimmed_len(&bytes[i..j]);
                let text = src.get(i..text_end)?;
                (
                    Node::new(symfony::plain(text).ok()?, Span::new(i, text_end)),
                    j,
                )
            }
        };
        entries.push(Entry {
            key: Key::Int(entries.len() as i64),
            key_span: crate::syntax::KeySpan::NONE,
            value: node,
        });
        let next = skip_spaces(bytes, after, end);
        match bytes.get(next) {
            Some(b']') if next < end => {
                let seq = Value::Array {
                    entries,
                    list: true,
                };
                return Some((Node::new(seq, Span::new(at, next + 1)), next + 1));
            }
            // A trailing comma (`[a, ]`) is left to saphyr.
            Some(b',') if next < end => {
                i = skip_spaces(bytes, next + 1, end);
                if bytes.get(i) == Some(&b']') {
                    return None;
                }
            }
            _ => return None,
        }
    }
}
