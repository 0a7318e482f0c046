//! Source text with a line index: byte offsets → 1-based line and column.

use super::Span;

/// A 1-based line and column (columns count Unicode scalar values) plus the byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub offset: u32,
}

/// Line starts of one text, so positions are computed only for the spans that are reported.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// The line starts, then (`sparse` only) the line number of each: one allocation, as a
    /// lean run keeps an index per file. In a full index `starts()[i]` starts line i + 1.
    data: Box<[u32]>,
    /// How many of `data` are line starts.
    split: u32,
    /// Length of the text indexed, so a caller can tell the text was cut since.
    len: u32,
}

impl Default for LineIndex {
    /// The index of an empty text (one line at offset 0): a derived empty index made
    /// `position` underflow, which crashed the report of every internal error (E000).
    fn default() -> LineIndex {
        LineIndex::new("")
    }
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0u32);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
        LineIndex {
            split: starts.len() as u32,
            data: starts.into_boxed_slice(),
            len: text.len() as u32,
        }
    }

    fn starts(&self) -> &[u32] {
        self.data.get(..self.split as usize).unwrap_or(&[])
    }

    /// Empty for a full index.
    fn numbers(&self) -> &[u32] {
        self.data.get(self.split as usize..).unwrap_or(&[])
    }

    /// An index of `text` that keeps only the lines holding one of `offsets` (a lean run keeps
    /// a few nodes of a file whose text it drops): `line_of` stays exact for any offset on
    /// those lines; other offsets get the nearest kept line above. Built by counting line
    /// breaks between the offsets, without indexing every line.
    pub fn sparse(text: &str, offsets: impl IntoIterator<Item = u32>) -> LineIndex {
        let len = text.len() as u32;
        // Offset 0 first: callers give their offsets in order, and a sorted list sorts in one
        // pass.
        let mut offsets: Vec<u32> = std::iter::once(0)
            .chain(offsets.into_iter().map(|o| o.min(len)))
            .collect();
        offsets.sort_unstable();
        offsets.dedup();
        let bytes = text.as_bytes();
        // Room for every kept line: the starts, then their numbers, in one allocation.
        let mut starts = Vec::with_capacity(2 * offsets.len());
        let mut numbers = Vec::with_capacity(offsets.len());
        let (mut line, mut counted) = (1u32, 0usize);
        for offset in offsets {
            let offset = offset as usize;
            line += count_line_breaks(&bytes[counted..offset]);
            counted = offset;
            if numbers.last() != Some(&line) {
                let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
                starts.push(start as u32);
                numbers.push(line);
            }
        }
        let split = starts.len() as u32;
        starts.extend(numbers);
        LineIndex {
            data: starts.into_boxed_slice(),
            split,
            len,
        }
    }

    /// Whether this index keeps only some lines (`sparse`).
    pub fn is_sparse(&self) -> bool {
        !self.numbers().is_empty()
    }

    /// Length in bytes of the text this index was built from.
    pub fn text_len(&self) -> usize {
        self.len as usize
    }

    /// The line (1-based) of a byte offset, without the text (`position(..).line`).
    pub fn line_of(&self, offset: u32) -> u32 {
        let offset = offset.min(self.len);
        let index = self.starts().partition_point(|&s| s <= offset);
        if !self.is_sparse() {
            return index as u32;
        }
        self.numbers()
            .get(index.saturating_sub(1))
            .copied()
            .unwrap_or(1)
    }

    pub fn position(&self, text: &str, offset: u32) -> Position {
        let offset = (offset as usize).min(text.len());
        let index = self
            .starts()
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1);
        let line_start = self
            .starts()
            .get(index)
            .map_or(0, |&s| (s as usize).min(offset));
        let line = match self.numbers().get(index) {
            Some(&number) => number as usize - 1,
            None => index,
        };
        // Snap to a char boundary so a span produced mid-character never panics.
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text[line_start..end].chars().count() + 1;
        Position {
            line: line as u32 + 1,
            column: column as u32,
            offset: offset as u32,
        }
    }

    /// Byte range of line `line` (1-based), without its line break.
    pub fn line_range(&self, text: &str, line: u32) -> std::ops::Range<usize> {
        if self.is_sparse() {
            // A sparse index belongs to a cut text: only the first line is still there.
            let end = text.find('\n').unwrap_or(text.len());
            return if line <= 1 {
                0..end
            } else {
                text.len()..text.len()
            };
        }
        let i = (line.max(1) - 1) as usize;
        let start = self.starts().get(i).map_or(text.len(), |&s| s as usize);
        let mut end = self
            .starts()
            .get(i + 1)
            .map_or(text.len(), |&s| s as usize - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }
}

/// Number of `\n` bytes: memchr counts with vector instructions, but a call costs more than
/// a plain loop over the few bytes between most neighbouring offsets of `sparse` (a key's two
/// ends, a value's start).
fn count_line_breaks(bytes: &[u8]) -> u32 {
    if bytes.len() < 64 {
        return bytes.iter().map(|&b| u32::from(b == b'\n')).sum();
    }
    memchr::memchr_iter(b'\n', bytes).count() as u32
}

/// Resolves both ends of a span.
pub fn span_positions(index: &LineIndex, text: &str, span: Span) -> (Position, Position) {
    (
        index.position(text, span.start),
        index.position(text, span.end),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_chars_not_bytes() {
        let text = "ab\nçé x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap() as u32;
        assert_eq!(
            index.position(text, x),
            Position {
                line: 2,
                column: 4,
                offset: x
            }
        );
        assert_eq!(index.position(text, 0).column, 1);
        assert_eq!(index.line_range(text, 2), 3..text.len() - 1);
    }

    /// Regression: the index of an internal-error file (E000) is the default one; rendering a
    /// position in it underflowed and aborted the whole report.
    #[test]
    fn default_index_and_out_of_range_offsets_do_not_panic() {
        let index = LineIndex::default();
        assert_eq!(index.position("", 0).line, 1);
        assert_eq!(index.position("", 7).column, 1);
        let stale = LineIndex::new("a\nb\nc");
        assert_eq!(stale.position("", 4).line, 1);
    }

    #[test]
    fn a_sparse_index_keeps_exact_lines_for_kept_offsets() {
        let text = "<?php\nreturn [\n  'a' => 1,\n  'b' => 2,\n  'c' => 3,\n];\n";
        let full = LineIndex::new(text);
        let b = text.find("'b'").unwrap() as u32;
        let c = text.find("3,").unwrap() as u32;
        let sparse = LineIndex::sparse(text, [c, b + 2, c, 9999]);
        for offset in [0, 1, b, b + 2, c, c + 1] {
            assert_eq!(sparse.line_of(offset), full.line_of(offset), "{offset}");
        }
        assert_eq!(sparse.line_of(b + 2), 4);
        assert_eq!(sparse.line_of(c), 5);
        // An offset on a line not kept gets the nearest kept line above.
        let a = text.find("'a'").unwrap() as u32;
        assert_eq!(sparse.line_of(a), 1);
        assert_eq!(sparse.text_len(), text.len());
        assert_eq!(sparse.position("<?php\n", 2).line, 1);
        assert_eq!(
            sparse.position("<?php\n", c).line,
            1,
            "offset past the cut text"
        );
    }

    /// Both ways of counting (a loop for short slices, memchr for long ones) count every line
    /// break, on either side of the switch.
    #[test]
    fn line_breaks_are_counted_at_every_length() {
        let text: Vec<u8> = (0..300u32)
            .map(|i| {
                if i % 7 == 0 || i % 11 == 3 {
                    b'\n'
                } else {
                    b'x'
                }
            })
            .collect();
        for start in [0, 1, 5] {
            for end in start..text.len() {
                let slice = &text[start..end];
                let plain = slice.iter().filter(|&&b| b == b'\n').count() as u32;
                assert_eq!(count_line_breaks(slice), plain, "{start}..{end}");
            }
        }
    }
}
