//! The search for a single-quoted string's end, the scan the PHP parsers run most (every key
//! and most values of a config.php are single-quoted).

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
/// looked at 16 at a time with SSE2 (8 at a time elsewhere), since a call to `memchr2` costs
/// more than that; `memchr2` for the rest of a long one.
#[inline]
fn find_quote_or_backslash(src: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < from + 32 {
        let Some(block) = src.get(i..).and_then(|rest| rest.first_chunk::<16>()) else {
            break;
        };
        let found = quote_or_backslash_bits(block);
        if found != 0 {
            return Some(i + found.trailing_zeros() as usize);
        }
        i += 16;
    }
    memchr::memchr2(b'\'', b'\\', src.get(i..)?).map(|off| i + off)
}

/// Bit `i` set when byte `i` of `block` is `'` or `\\` (the lowest is what the search reads).
#[cfg(target_arch = "x86_64")]
#[inline]
fn quote_or_backslash_bits(block: &[u8; 16]) -> u32 {
    // SAFETY: SSE2 is part of x86_64 itself: every x86_64 CPU has it, and every x86_64 target
    // of rustc enables it.
    unsafe { sse2::quote_or_backslash_bits(block) }
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::_mm_set_epi64x;
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8};

    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn quote_or_backslash_bits(block: &[u8; 16]) -> u32 {
        let (low, high) = block.split_at(8);
        let word = |half: &[u8]| {
            half.first_chunk::<8>()
                .map_or(0, |b| i64::from_le_bytes(*b))
        };
        let bytes = _mm_set_epi64x(word(high), word(low));
        let quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'\'' as i8));
        let backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'\\' as i8));
        _mm_movemask_epi8(_mm_or_si128(quote, backslash)) as u32
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn quote_or_backslash_bits(block: &[u8; 16]) -> u32 {
    bits_by_words(block)
}

/// `quote_or_backslash_bits` eight bytes at a time (where there is no SSE2; tested
/// everywhere): exact in its lowest set bit, all the search reads (above it, a byte just past a
/// match may show as one).
#[cfg(any(not(target_arch = "x86_64"), test))]
#[inline]
fn bits_by_words(block: &[u8; 16]) -> u32 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Bit 7 of each byte equal to `c`; the lowest set bit is exact (borrows only run upward).
    let has = |x: u64, c: u8| {
        let y = x ^ (ONES * u64::from(c));
        y.wrapping_sub(ONES) & !y & HIGH
    };
    let (low, high) = block.split_at(8);
    let bits = |half: &[u8]| {
        let x = half
            .first_chunk::<8>()
            .map_or(0, |b| u64::from_le_bytes(*b));
        let m = has(x, b'\'') | has(x, b'\\');
        // One bit per byte: bit 7 of byte k becomes bit k.
        (0..8).fold(0u32, |acc, k| acc | (((m >> (8 * k + 7)) & 1) as u32) << k)
    };
    bits(low) | bits(high) << 8
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
        // Every block of these bytes, both ways of looking at it.
        let bytes = [b'x', b'\'', b'\\', 0x27 ^ 0x80, 0x5c ^ 1, 0, 0xff];
        let mut state = 0x9e37_79b9_u32;
        for _ in 0..20_000 {
            let block: [u8; 16] = std::array::from_fn(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                bytes[state as usize % bytes.len()]
            });
            let plain = (0..16).fold(0u32, |acc, i| {
                acc | u32::from(block[i] == b'\'' || block[i] == b'\\') << i
            });
            assert_eq!(quote_or_backslash_bits(&block), plain, "{block:?}");
            let first = |bits: u32| bits.trailing_zeros();
            assert_eq!(first(bits_by_words(&block)), first(plain), "{block:?}");
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
