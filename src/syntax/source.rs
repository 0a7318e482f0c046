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
    starts: Vec<u32>,
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
        let mut starts = vec![0u32];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        starts.shrink_to_fit();
        LineIndex {
            starts,
            len: text.len() as u32,
        }
    }

    /// Length in bytes of the text this index was built from.
    pub fn text_len(&self) -> usize {
        self.len as usize
    }

    /// The line (1-based) of a byte offset, without the text (`position(..).line`).
    pub fn line_of(&self, offset: u32) -> u32 {
        let offset = offset.min(self.len);
        self.starts.partition_point(|&s| s <= offset) as u32
    }

    pub fn position(&self, text: &str, offset: u32) -> Position {
        let offset = (offset as usize).min(text.len());
        let line = self
            .starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1);
        let line_start = self
            .starts
            .get(line)
            .map_or(0, |&s| (s as usize).min(offset));
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
        let i = (line.max(1) - 1) as usize;
        let start = self.starts.get(i).map_or(text.len(), |&s| s as usize);
        let mut end = self
            .starts
            .get(i + 1)
            .map_or(text.len(), |&s| s as usize - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
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
}
