//! A Symfony YAML 5.4 line-count quirk both paths reproduce, so the document is what ece-tools
//! reads.
//!
//! Symfony strips leading comment lines (and a `---` line) before parsing, then tells a block
//! scalar that ends a nested collection whether it is on the last line of the document by
//! comparing the original line number with the number of lines left after stripping. So when
//! `k` lines were stripped, a literal block scalar that ends a nested collection within the
//! last `k + 1` lines of the file is taken as ending the file, and loses a line break.

use crate::syntax::{Document, Node, Value};

/// Applies the quirk to `document` (a no-op unless the file starts with a comment line).
pub(super) fn apply(source: &str, document: &mut Document) {
    let stripped = stripped_lines(source);
    if stripped == 0 {
        return;
    }
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1))
        .collect();
    // `explode("\n", ...)` of the stripped text.
    let last_line = line_starts.len() - 1;
    let Some(threshold) = last_line.checked_sub(stripped) else {
        return;
    };
    let context = Context {
        source,
        line_starts: &line_starts,
        threshold,
    };
    // Children of the root are at depth 1; only blocks deeper than that are affected.
    let mut stack: Vec<(&mut Node, usize)> = vec![(&mut document.root, 0)];
    while let Some((node, depth)) = stack.pop() {
        let column = context.column(node.span.start as usize);
        let Value::Array { entries, .. } = &mut node.value else {
            continue;
        };
        for entry in entries.iter_mut() {
            if depth >= 1 {
                context.fix(&mut entry.value, column);
            }
            stack.push((&mut entry.value, depth + 1));
        }
    }
}

struct Context<'a> {
    source: &'a str,
    line_starts: &'a [usize],
    threshold: usize,
}

impl Context<'_> {
    fn line_of(&self, at: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= at)
            .saturating_sub(1)
    }

    fn column(&self, at: usize) -> usize {
        at - self.line_starts[self.line_of(at)]
    }

    fn line(&self, index: usize) -> &str {
        let start = self.line_starts[index];
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(self.source.len(), |&next| next - 1);
        &self.source[start..end]
    }

    /// Drops the final newline of a literal block scalar in a collection at `column` when
    /// Symfony takes it as ending the file.
    fn fix(&self, node: &mut Node, column: usize) {
        let (start, end) = (node.span.start as usize, node.span.end as usize);
        let bytes = self.source.as_bytes();
        if bytes.get(start) != Some(&b'|') || end <= start {
            return;
        }
        let Value::String(text) = &mut node.value else {
            return;
        };
        let header = &bytes[start + 1..];
        let header = &header[..header
            .iter()
            .take_while(|b| b"+-0123456789".contains(b))
            .count()];
        let keep = header.contains(&b'+');
        if header.contains(&b'-') || !text.ends_with('\n') {
            return;
        }
        // The next line with content must be less indented (it ends the collection); at the
        // end of the file Symfony's reading equals YAML's.
        let last = self.line_of(end - 1);
        let Some(next) =
            (last + 1..self.line_starts.len()).find(|&i| !self.line(i).trim().is_empty())
        else {
            return;
        };
        let next_line = self.line(next);
        if next_line.len() - next_line.trim_start_matches(' ').len() >= column {
            return;
        }
        // The last line the block consumed (blank lines included) is taken as the file's last.
        let consumed = next - 1;
        if consumed < self.threshold {
            return;
        }
        // Keep loses one line break; clip only when no blank line follows its content.
        if keep || consumed == last {
            text.pop();
        }
    }
}

/// How many leading lines Symfony's `Parser::cleanup` removes: comment lines starting at
/// column 0, then one `---` line.
fn stripped_lines(source: &str) -> usize {
    let mut count = 0;
    let mut rest = source;
    while rest.starts_with('#') {
        let Some(end) = rest.find('\n') else {
            return count;
        };
        count += 1;
        rest = &rest[end + 1..];
    }
    if rest.starts_with("---") && rest.contains('\n') {
        count += 1;
    }
    count
}
