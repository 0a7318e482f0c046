//! The prefilter of `is_secret_key`: whether a key name holds one of the letter pairs every
//! secret name ending contains. It runs on every key of every file, so on x86_64 it looks at 16
//! bytes at a time (SSE2, part of every x86_64 CPU) instead of one.

/// Pairs of letters one of which every ending of `SECRET_NAME_ENDINGS` contains (a test checks it).
pub(super) const PAIRS: [[u8; 2]; 3] = [*b"ss", *b"cr", *b"ke"];

/// Pairs one of which every anchor of the text scan (`line_anchors`) contains.
pub(super) const ANCHOR_PAIRS: [[u8; 2]; 4] = [*b"ss", *b"cr", *b"ke", *b"--"];

/// Whether one of `PAIRS` (either case) stands anywhere in `bytes`.
#[cfg(target_arch = "x86_64")]
pub(super) fn holds_pair(bytes: &[u8]) -> bool {
    let n = bytes.len();
    if n < 16 {
        // Two overlapping halves fill one register, so every adjacent pair lies within one
        // half; the bit pairing the last byte of the low half with the first of the high one
        // pairs bytes that are not adjacent, and is dropped.
        let (low, high, seam) = match n {
            8.. => (load_u64(bytes), load_u64(&bytes[n - 8..]), 1 << 7),
            4.. => (
                u64::from(load_u32(bytes)) | u64::from(load_u32(&bytes[n - 4..])) << 32,
                0,
                1 << 3,
            ),
            _ => (
                bytes
                    .iter()
                    .rev()
                    .fold(0u64, |word, &b| word << 8 | u64::from(b)),
                0,
                0,
            ),
        };
        return vector::pair_bits(low, high, &PAIRS) & !seam != 0;
    }
    // Windows of 16 bytes, each starting on the last byte the previous one looked at, so a pair
    // across their border is seen; the last window ends at the name's end.
    let mut start = 0;
    loop {
        let window = &bytes[start..start + 16];
        let (low, high) = (load_u64(window), load_u64(&window[8..]));
        if vector::pair_bits(low, high, &PAIRS) != 0 {
            return true;
        }
        if start + 16 == n {
            return false;
        }
        start = (start + 15).min(n - 16);
    }
}

/// The first position at or after `from` where one of `ANCHOR_PAIRS` starts (either case; a
/// byte that folds onto `-`, such as `\r`, may count as one: the caller looks at the line).
#[cfg(target_arch = "x86_64")]
pub(super) fn find_anchor_pair(bytes: &[u8], from: usize) -> Option<usize> {
    // Windows of 16 bytes, each starting on the last byte the previous one looked at; the
    // last, shorter one padded with zeros (which match nothing).
    let mut start = from;
    while start < bytes.len() {
        let rest = &bytes[start..];
        let (low, high) = match rest.first_chunk::<16>() {
            Some(window) => (load_u64(window), load_u64(&window[8..])),
            None => {
                let mut window = [0u8; 16];
                window[..rest.len()].copy_from_slice(rest);
                (load_u64(&window), load_u64(&window[8..]))
            }
        };
        let bits = vector::pair_bits(low, high, &ANCHOR_PAIRS);
        if bits != 0 {
            return Some(start + bits.trailing_zeros() as usize);
        }
        start += 15;
    }
    None
}

/// The same search, a byte at a time (other architectures; the tests compare the two).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
pub(super) fn find_anchor_pair_bytewise(bytes: &[u8], from: usize) -> Option<usize> {
    let folded = |b: u8| b | 0x20;
    let found = bytes.get(from..)?.windows(2).position(|w| {
        ANCHOR_PAIRS
            .iter()
            .any(|[first, second]| folded(w[0]) == *first && folded(w[1]) == *second)
    });
    found.map(|i| from + i)
}

#[cfg(not(target_arch = "x86_64"))]
pub(super) use find_anchor_pair_bytewise as find_anchor_pair;

/// The same answer, a byte at a time (other architectures; the tests compare the two).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
pub(super) fn holds_pair_bytewise(bytes: &[u8]) -> bool {
    let mut previous = 0u8;
    for &b in bytes {
        let class = PAIR_CLASS[b as usize];
        if previous & class != 0 {
            return true;
        }
        previous = class >> 4;
    }
    false
}

#[cfg(not(target_arch = "x86_64"))]
pub(super) use holds_pair_bytewise as holds_pair;

/// For each byte, bit `4 + i` when it is (either case of) the first letter of `PAIRS[i]` and
/// bit `i` when it is the second, so `first_class >> 4 & second_class` is a pair.
const PAIR_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < PAIRS.len() {
        let [first, second] = PAIRS[i];
        table[first as usize] |= 1 << (4 + i);
        table[first.to_ascii_uppercase() as usize] |= 1 << (4 + i);
        table[second as usize] |= 1 << i;
        table[second.to_ascii_uppercase() as usize] |= 1 << i;
        i += 1;
    }
    table
};

/// The first 8 bytes, little-endian (callers pass at least 8).
fn load_u64(bytes: &[u8]) -> u64 {
    bytes
        .first_chunk::<8>()
        .map_or(0, |b| u64::from_le_bytes(*b))
}

/// The first 4 bytes, little-endian (callers pass at least 4).
fn load_u32(bytes: &[u8]) -> u32 {
    bytes
        .first_chunk::<4>()
        .map_or(0, |b| u32::from_le_bytes(*b))
}

#[cfg(target_arch = "x86_64")]
mod vector {
    use crate::sys::simd::Block16;

    /// Bit `i` set when bytes `i` and `i + 1` of the 16 bytes `low`, `high` (little-endian)
    /// are one of `pairs` (small letters or `-`), ignoring case. Zero bytes match nothing.
    #[inline]
    pub(super) fn pair_bits<const N: usize>(low: u64, high: u64, pairs: &[[u8; 2]; N]) -> u32 {
        // Setting bit 5 folds an ASCII capital onto its small letter and no other byte onto
        // a small letter.
        let block = Block16::new(low, high, 0x20);
        pairs.iter().fold(0, |found, [first, second]| {
            found | (block.mask_of(*first) & block.mask_of(*second) >> 1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names of every length up to three windows with the two letters of a pair (either case)
    /// at any two positions, adjacent or not (across a seam of the halves too), on fillers
    /// that hold no pair: both answers agree.
    #[test]
    fn the_vector_prefilter_agrees_with_the_bytewise_one() {
        let fillers: [&[u8]; 3] = [b"x", b"sKcEr_", "\0é".as_bytes()];
        for filler in fillers {
            for len in 0..50 {
                let base: Vec<u8> = filler.iter().copied().cycle().take(len).collect();
                assert_eq!(holds_pair(&base), holds_pair_bytewise(&base));
                for [first, second] in PAIRS {
                    for (first, second) in [
                        (first, second),
                        (first.to_ascii_uppercase(), second),
                        (first, second.to_ascii_uppercase()),
                    ] {
                        for i in 0..len {
                            for j in 0..len {
                                let mut name = base.clone();
                                name[i] = first;
                                name[j] = second;
                                let expected = holds_pair_bytewise(&name);
                                assert_eq!(expected, base_pairs(&name));
                                assert_eq!(holds_pair(&name), expected, "{name:?}");
                            }
                        }
                    }
                }
            }
        }
    }

    /// Texts with anchor pairs (either case, `\r` folding onto `-`) at every position of a
    /// few windows, searched from every start: both searches agree.
    #[test]
    fn the_vector_anchor_search_agrees_with_the_bytewise_one() {
        for len in 0..70 {
            let base: Vec<u8> = b"xq_Ab\n".iter().copied().cycle().take(len).collect();
            let mut texts = vec![base.clone()];
            for at in 0..len.saturating_sub(1) {
                for pair in ANCHOR_PAIRS.iter().chain([b"SS", b"cR", b"\r-", b"-\r"]) {
                    let mut text = base.clone();
                    text[at..at + 2].copy_from_slice(pair);
                    texts.push(text);
                }
            }
            for text in &texts {
                for from in 0..=len + 1 {
                    assert_eq!(
                        find_anchor_pair(text, from),
                        find_anchor_pair_bytewise(text, from),
                        "{text:?} from {from}"
                    );
                }
            }
        }
    }

    /// The plain definition: some adjacent two bytes are a pair, ignoring case.
    fn base_pairs(name: &[u8]) -> bool {
        name.windows(2).any(|w| {
            PAIRS
                .iter()
                .any(|pair| w.to_ascii_lowercase() == pair.as_slice())
        })
    }
}
