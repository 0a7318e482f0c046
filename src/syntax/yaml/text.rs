//! Byte offsets and exact spans from saphyr's character markers.
//!
//! saphyr counts characters, and some of its event spans run past the node: quoted scalars swallow
//! a following comment, flow-collection ends swallow trailing text, block scalars start at their
//! content instead of their `|`/`>` indicator and end after trailing blank lines. The helpers here
//! recompute every span from the source text so it covers exactly the written value.

use saphyr_parser::ScalarStyle;

use crate::syntax::Span;

/// Character index → byte offset. The table exists only for non-ASCII text.
pub(super) struct Offsets {
    table: Option<Vec<u32>>,
    len: usize,
}

impl Offsets {
    pub(super) fn new(source: &str) -> Offsets {
        let table = if source.is_ascii() {
            None
        } else {
            let mut table: Vec<u32> = source.char_indices().map(|(b, _)| b as u32).collect();
            table.push(source.len() as u32);
            Some(table)
        };
        Offsets {
            table,
            len: source.len(),
        }
    }

    pub(super) fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(table) => table.get(char_index).map_or(self.len, |&b| b as usize),
        }
    }
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Skips whitespace and comments from `pos`, never past `limit`.
fn skip_space_and_comments(bytes: &[u8], mut pos: usize, limit: usize) -> usize {
    while pos < limit {
        match bytes[pos] {
            b if is_blank(b) => pos += 1,
            b'#' if pos == 0 || is_blank(bytes[pos - 1]) => {
                while pos < limit && bytes[pos] != b'\n' {
                    pos += 1;
                }
            }
            _ => break,
        }
    }
    pos
}

/// Skips node properties (`&anchor`, `!tag`) and the space around them.
pub(super) fn skip_properties(source: &str, start: usize, limit: usize) -> usize {
    let bytes = source.as_bytes();
    let limit = limit.min(bytes.len());
    let mut pos = start;
    loop {
        pos = skip_space_and_comments(bytes, pos, limit);
        if pos < limit && matches!(bytes[pos], b'&' | b'!') {
            while pos < limit && !is_blank(bytes[pos]) {
                pos += 1;
            }
        } else {
            return pos;
        }
    }
}

/// The next char boundary at or after `pos`.
pub(super) fn char_end(source: &str, pos: usize) -> usize {
    let mut end = (pos + 1).min(source.len());
    while end < source.len() && !source.is_char_boundary(end) {
        end += 1;
    }
    end
}

/// The exact span of a scalar whose event span (in bytes) is `raw`.
///
/// `has_props` says an anchor or tag precedes the value; `prev_end` is where the previous event
/// ended (a block scalar's indicator is searched from there).
pub(super) fn scalar_span(
    source: &str,
    raw: Span,
    style: ScalarStyle,
    empty: bool,
    has_props: bool,
    prev_end: usize,
) -> Span {
    let bytes = source.as_bytes();
    let (mut start, end) = (raw.start as usize, raw.end as usize);
    if has_props {
        start = skip_properties(source, start, end);
    }
    match style {
        ScalarStyle::Plain => {
            if empty {
                return Span::empty_at(start);
            }
            Span::new(start, start + plain_len(&source[start..end]))
        }
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            let quote = if style == ScalarStyle::SingleQuoted {
                b'\''
            } else {
                b'"'
            };
            if bytes.get(start) != Some(&quote) {
                return Span::new(start, start + source[start..end].trim_end().len());
            }
            let mut i = start + 1;
            while i < bytes.len() {
                let b = bytes[i];
                if quote == b'"' && b == b'\\' {
                    i += 2;
                    continue;
                }
                if b == quote {
                    if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return Span::new(start, i + 1);
                }
                i += 1;
            }
            Span::new(start, start + source[start..end].trim_end().len())
        }
        _ => block_scalar_span(source, start, end, has_props, prev_end),
    }
}

/// Length of a plain scalar's text at the start of `text`: up to a comment, without trailing space.
fn plain_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut cut = bytes.len();
    for i in 1..bytes.len() {
        if bytes[i] == b'#' && is_blank(bytes[i - 1]) {
            cut = i;
            break;
        }
    }
    text[..cut].trim_end().len()
}

/// A block scalar runs from its `|`/`>` indicator to the last non-blank char of its content (or
/// the end of the header when the content is empty).
fn block_scalar_span(
    source: &str,
    content_start: usize,
    end: usize,
    has_props: bool,
    prev_end: usize,
) -> Span {
    let bytes = source.as_bytes();
    // With properties the event span starts at them and they were skipped already; otherwise the
    // indicator lies between the previous event and the content.
    let from = if has_props {
        content_start
    } else {
        prev_end.min(content_start)
    };
    let mut indicator = None;
    let mut pos = from;
    while pos < bytes.len() && pos <= content_start.max(from) {
        pos = skip_space_and_comments(bytes, pos, bytes.len());
        match bytes.get(pos) {
            Some(b'|' | b'>') => {
                indicator = Some(pos);
                break;
            }
            Some(b':' | b'-' | b'?') => pos += 1,
            _ => break,
        }
    }
    let Some(indicator) = indicator else {
        let text = &source[content_start..end.max(content_start)];
        return Span::new(content_start, content_start + text.trim_end().len());
    };
    block_span(source, indicator, end)
}

/// The span of a block scalar whose indicator is at `indicator` and whose scanning stopped at
/// `end`. Shared with the fast path so both compute it with the same code.
pub(super) fn block_span(source: &str, indicator: usize, end: usize) -> Span {
    let bytes = source.as_bytes();
    let mut header_end = indicator + 1;
    while header_end < bytes.len() && matches!(bytes[header_end], b'+' | b'-' | b'1'..=b'9') {
        header_end += 1;
    }
    let line_end = source[header_end..]
        .find('\n')
        .map_or(source.len(), |i| header_end + i);
    if end > line_end {
        let content = source[line_end..end].trim_end();
        if !content.trim_start().is_empty() {
            return Span::new(indicator, line_end + content.len());
        }
    }
    Span::new(indicator, header_end)
}

/// Whether the file's last line, without a line break, is a line of the block scalar whose
/// indicator is at `indicator` (longer than its indentation, which Symfony keeps as a line),
/// rather than a blank line.
pub(super) fn last_line_is_content(source: &str, indicator: usize) -> bool {
    let Some(last_break) = source.rfind('\n') else {
        return false;
    };
    let last = &source[last_break + 1..];
    if last.is_empty() || last.ends_with('\r') {
        return false;
    }
    // The indentation is the first content line's.
    let indent = source[indicator..]
        .split('\n')
        .skip(1)
        .find(|line| !line.trim().is_empty())
        .map_or(0, |line| line.len() - line.trim_start_matches(' ').len());
    last.len() > indent
}

/// The first tab in the indentation of a line with content after the line holding `from`.
pub(super) fn indenting_tab(source: &str, from: usize) -> Option<usize> {
    let mut line_start = from + source.get(from..)?.find('\n')? + 1;
    while line_start < source.len() {
        let line_end = source[line_start..]
            .find('\n')
            .map_or(source.len(), |i| line_start + i);
        let line = &source[line_start..line_end];
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(tab) = line[..indent].find('\t') {
            if !line.trim().is_empty() {
                return Some(line_start + tab);
            }
        }
        line_start = line_end + 1;
    }
    None
}

/// saphyr's error messages, as one clear sentence.
pub(super) fn clean_message(info: &str) -> String {
    let known = match info {
        "while parsing a block mapping, did not find expected key" => {
            "expected a mapping key at this indentation (check the indentation of this line)"
        }
        "mapping values are not allowed in this context" => {
            "a `key: value` pair is not allowed here (check the indentation, or quote a value containing `: `)"
        }
        "while scanning a quoted scalar, found unexpected end of stream" => {
            "unterminated quoted string: the closing quote is missing"
        }
        "invalid indentation in quoted scalar" => {
            "badly indented continuation of a quoted string (is the closing quote missing?)"
        }
        "while parsing node, found unknown anchor" => "alias to an anchor that is not defined",
        "misplaced bracket" => "unexpected closing bracket",
        "while parsing a flow sequence, expected ',' or ']'" => {
            "expected `,` or `]` in a flow sequence"
        }
        "while parsing a flow mapping, did not find expected ',' or '}'" => {
            "expected `,` or `}` in a flow mapping"
        }
        "while parsing a block collection, did not find expected '-' indicator" => {
            "expected a `-` sequence entry at this indentation (check the indentation of this line)"
        }
        "simple key expect ':'" | "simple key expected" => "expected `:` after a mapping key",
        "while parsing a node, did not find expected node content" => "expected a value here",
        "unexpected eof" => "unexpected end of file",
        "did not find expected <document start>" | "did not find expected <document-start>" => {
            "unexpected content after the end of the document"
        }
        "tabs disallowed within this context (block indentation)"
        | "tab cannot be used as indentation" => "tabs are not allowed for indentation",
        "block sequence entries are not allowed in this context" => {
            "a `-` sequence entry is not allowed here (check the indentation)"
        }
        "illegal placement of ':' indicator" => "unexpected `:`",
        "recursion limit exceeded" => "flow collections are nested too deeply",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    let mut message = info.trim().trim_end_matches('.').to_string();
    for context in ["while scanning ", "while parsing "] {
        if let Some(rest) = message.strip_prefix(context) {
            if let Some((what, detail)) = rest.split_once(", ") {
                message = format!("{detail} in {what}");
            }
        }
    }
    message = message
        .replace("did not find expected", "expected")
        .replace("found unexpected", "unexpected")
        .replace('\'', "`");
    message
}
