//! Literal block scalars (`|`, `|-`, `|+`) for the fast path: the `hooks:` of every
//! `.magento.app.yaml` are written this way.
//!
//! The body is scanned the way saphyr's `scan_block_scalar` scans it (indentation taken from
//! the first non-blank line, lines with fewer spaces than that are blank or end the scalar,
//! then chomping), so the value is saphyr's. The span comes from `text::block_span`, the very
//! function the saphyr path uses. The caller has already checked the file (`fast::clean`): no
//! tab, CR or BOM, so a line is spaces, text and `\n`. Anything else (`>`, an indentation
//! indicator, a header not followed by a comment or the line end, blank lines indented deeper
//! than the first content line, a last line of only spaces without a newline) is `None`.

use super::{inline, text};
use crate::syntax::{Node, Value};

#[derive(Clone, Copy, PartialEq)]
enum Chomping {
    Clip,
    Strip,
    Keep,
}

/// A scanned literal scalar and where the line after it starts.
pub(super) struct Literal {
    pub(super) node: Node,
    /// Start of the first line that is not part of the scalar (or the source's length).
    pub(super) resume: usize,
}

/// The literal scalar whose `|` is at `at` on the line ending at `end`, inside a block
/// collection whose keys or dashes are at column `parent` (saphyr's current indentation).
pub(super) fn literal(src: &str, at: usize, end: usize, parent: usize) -> Option<Literal> {
    let bytes = src.as_bytes();
    let len = bytes.len();
    if bytes.get(at) != Some(&b'|') {
        return None;
    }
    let mut header = at + 1;
    let chomping = match bytes.get(header) {
        Some(b'-') => Chomping::Strip,
        Some(b'+') => Chomping::Keep,
        _ => Chomping::Clip,
    };
    if chomping != Chomping::Clip {
        header += 1;
    }
    // Only blanks and a comment (after a blank) may follow: digits are indentation indicators,
    // anything else is an error; both are saphyr's.
    let after = inline::skip_spaces(bytes, header, end);
    if after < end && !(after > header && bytes[after] == b'#') {
        return None;
    }
    if end >= len {
        // The header ends the file: an empty scalar.
        return Some(Literal {
            node: string(String::new(), src, at, len),
            resume: len,
        });
    }

    // Leading blank lines, then the first content line sets the indentation.
    let mut breaks = 0;
    let mut deepest = 0;
    let mut line = end + 1;
    let (first, col) = loop {
        let first = inline::skip_spaces(bytes, line, len);
        deepest = deepest.max(first - line);
        if first < len && bytes[first] == b'\n' {
            breaks += 1;
            line = first + 1;
            continue;
        }
        break (first, first - line);
    };
    if first >= len {
        // Only blank lines to the end. A last line of spaces without a newline is odd
        // (saphyr's keep chomping counts it): saphyr's.
        if col > 0 {
            return None;
        }
        let value = match chomping {
            Chomping::Keep => "\n".repeat(breaks),
            Chomping::Clip | Chomping::Strip => String::new(),
        };
        return Some(Literal {
            node: string(value, src, at, len),
            resume: len,
        });
    }
    // Blank lines deeper than the first content line: an error or an odd empty scalar.
    if deepest > col {
        return None;
    }
    let indent = col.max(parent + 1);
    if col < indent {
        // The next line is not deeper than the collection: an empty scalar.
        let value = match chomping {
            Chomping::Keep => "\n".repeat(breaks),
            Chomping::Clip | Chomping::Strip => String::new(),
        };
        return Some(Literal {
            node: string(value, src, at, first),
            resume: line,
        });
    }

    let mut value = String::new();
    // Line breaks not yet added: the one ending the last content line, and blank lines since.
    let mut leading = 0;
    let mut trailing = breaks;
    let mut content = first;
    let (stop, resume) = loop {
        push_breaks(&mut value, leading + trailing);
        let eol = memchr::memchr(b'\n', &bytes[content..]).map_or(len, |i| content + i);
        value.push_str(src.get(content..eol)?);
        if eol >= len {
            // The last content line ends the file without a newline: Symfony YAML (like
            // PyYAML) adds none, whatever the chomping.
            leading = 0;
            trailing = 0;
            break (len, len);
        }
        leading = 1;
        trailing = 0;
        // Skip up to `indent` spaces of each following line; lines that end there are blank.
        let mut next = eol + 1;
        let (at_col, spaces) = loop {
            let mut i = next;
            while i < len && i - next < indent && bytes[i] == b' ' {
                i += 1;
            }
            if i < len && bytes[i] == b'\n' {
                trailing += 1;
                next = i + 1;
                continue;
            }
            break (i, i - next);
        };
        if at_col >= len {
            // The file ends: a last line of spaces without a newline is saphyr's.
            if spaces > 0 {
                return None;
            }
            break (len, len);
        }
        if spaces < indent {
            // A less indented line ends the scalar; the caller reads it.
            break (at_col, next);
        }
        content = at_col;
    };
    if chomping != Chomping::Strip {
        push_breaks(&mut value, leading);
    }
    if chomping == Chomping::Keep {
        push_breaks(&mut value, trailing);
    }
    Some(Literal {
        node: string(value, src, at, stop),
        resume,
    })
}

fn push_breaks(value: &mut String, n: usize) {
    for _ in 0..n {
        value.push('\n');
    }
}

/// The node, spanned as the saphyr path spans it from where saphyr stopped scanning (`stop`).
fn string(value: String, src: &str, at: usize, stop: usize) -> Node {
    Node::new(Value::String(value.into()), text::block_span(src, at, stop))
}
