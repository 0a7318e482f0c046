//! The search for a single-quoted string's end, the scan the PHP parsers run most (every key
//! and most values of a config.php are single-quoted).

use crate::sys::simd::Block16;

/// Where the single-quoted string opening at `start` ends (just past its closing quote) and
/// whether it holds a backslash; `None` when it is not closed. The lexer and the fast path
/// both scan with it.
#[inline(always)]
pub(super) fn single_quoted_end(src: &[u8], start: usize) -> Option<(usize, bool)> {
    let mut from = start + 1;
    let mut escaped = false;
    loop {
        let at = find_quote_or_backslash(src, from)?;
        if src.get(at) != Some(&b'\\') {
            return Some((at + 1, escaped));
        }
        escaped = true;
        from = at + 2;
    }
}

/// The first `'` or `\\` at or after `from`. Most strings are short: the first 32 bytes are
/// looked at 16 at a time (`Block16`), since a call to `memchr2` costs more than that;
/// `memchr2` for the rest of a long one.
#[inline]
fn find_quote_or_backslash(src: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < from + 32 {
        let Some(block) = src.get(i..).and_then(|rest| Block16::load(rest, 0)) else {
            break;
        };
        let found = block.mask_of(b'\'') | block.mask_of(b'\\');
        if found != 0 {
            return Some(i + found.trailing_zeros() as usize);
        }
        i += 16;
    }
    memchr::memchr2(b'\'', b'\\', src.get(i..)?).map(|off| i + off)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the plain search, at every start in texts with quotes and backslashes at every
    /// distance (inside the first block, the second, past both, at the very end, none).
    #[test]
    fn finds_what_a_plain_search_finds() {
        let plain = |src: &[u8], from: usize| {
            (from..src.len()).find(|&i| src[i] == b'\'' || src[i] == b'\\')
        };
        for len in 0..80 {
            for mark in [None, Some(b'\''), Some(b'\\')] {
                for at in 0..len.max(1) {
                    let mut src = vec![b'x'; len];
                    if let (Some(m), true) = (mark, at < len) {
                        src[at] = m;
                    }
                    for from in 0..=len + 1 {
                        assert_eq!(
                            find_quote_or_backslash(&src, from),
                            plain(&src, from),
                            "len {len} mark {mark:?} at {at} from {from}"
                        );
                    }
                }
            }
        }
        // Bytes that differ from `'` or `\\` by one bit, and high bytes.
        let src = b"&\x27\x5d\xa7\xdc\x5c";
        assert_eq!(find_quote_or_backslash(src, 0), Some(1));
        assert_eq!(find_quote_or_backslash(src, 2), Some(5));
    }

    /// Against the plain reading: a backslash takes the next byte with it, the first other `'`
    /// closes; across short and long strings with escapes anywhere, and unclosed ones.
    #[test]
    fn a_single_quoted_string_ends_where_a_plain_reading_says() {
        let plain = |src: &[u8], start: usize| {
            let (mut i, mut escaped) = (start + 1, false);
            while i < src.len() {
                match src[i] {
                    b'\\' => {
                        escaped = true;
                        i += 2;
                    }
                    b'\'' => return Some((i + 1, escaped)),
                    _ => i += 1,
                }
            }
            None
        };
        let pieces: [&[u8]; 6] = [b"a", b"\\\\", b"\\'", b"xxxxxxxxxxxxxxxxxxxx", b"\\", b"'"];
        let mut state = 7u32;
        for _ in 0..5000 {
            let mut src = b"'".to_vec();
            for _ in 0..(state % 9) {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                src.extend_from_slice(pieces[state as usize % pieces.len()]);
            }
            state = state.wrapping_add(1);
            assert_eq!(single_quoted_end(&src, 0), plain(&src, 0), "{src:?}");
        }
    }
}
