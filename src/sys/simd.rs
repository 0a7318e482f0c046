//! Sixteen bytes compared at once: the vector step of the scans that run on every string
//! (the single-quoted string end, the secret-key letter pairs). On x86_64 it is SSE2, part of
//! every x86_64 CPU; elsewhere a byte loop gives the same masks.

/// Sixteen bytes, each with `fold` OR-ed in (0x20 folds ASCII capitals onto small letters).
#[derive(Clone, Copy)]
pub struct Block16(imp::Bytes);

impl Block16 {
    /// The 16 bytes `low`, `high` (little-endian: byte 0 is the low byte of `low`).
    #[inline]
    pub fn new(low: u64, high: u64, fold: u8) -> Block16 {
        Block16(imp::new(low, high, fold))
    }

    /// The first 16 bytes of `bytes`, or `None` when there are fewer.
    #[inline]
    pub fn load(bytes: &[u8], fold: u8) -> Option<Block16> {
        let block = bytes.first_chunk::<16>()?;
        let (low, high) = block.split_at(8);
        let word = |half: &[u8]| {
            half.first_chunk::<8>()
                .map_or(0, |b| u64::from_le_bytes(*b))
        };
        Some(Block16::new(word(low), word(high), fold))
    }

    /// Bit `i` set when byte `i` (folded) is `byte`.
    #[inline]
    pub fn mask_of(self, byte: u8) -> u32 {
        imp::mask_of(self.0, byte)
    }
}

#[cfg(target_arch = "x86_64")]
mod imp {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_set_epi64x,
    };

    pub type Bytes = __m128i;

    #[inline]
    pub fn new(low: u64, high: u64, fold: u8) -> Bytes {
        // SAFETY: SSE2 is part of x86_64 itself: every x86_64 CPU has it, and every x86_64
        // target of rustc enables it.
        unsafe { new_sse2(low, high, fold) }
    }

    #[inline]
    pub fn mask_of(bytes: Bytes, byte: u8) -> u32 {
        // SAFETY: as in `new`.
        unsafe { mask_of_sse2(bytes, byte) }
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn new_sse2(low: u64, high: u64, fold: u8) -> Bytes {
        _mm_or_si128(
            _mm_set_epi64x(high as i64, low as i64),
            _mm_set1_epi8(fold as i8),
        )
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn mask_of_sse2(bytes: Bytes, byte: u8) -> u32 {
        _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(byte as i8))) as u32
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod imp {
    pub use super::bytewise::{mask_of, new, Bytes};
}

/// The same masks a byte at a time (other architectures; the tests compare the two).
#[cfg(any(not(target_arch = "x86_64"), test))]
mod bytewise {
    pub type Bytes = [u8; 16];

    #[inline]
    pub fn new(low: u64, high: u64, fold: u8) -> Bytes {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&low.to_le_bytes());
        bytes[8..].copy_from_slice(&high.to_le_bytes());
        bytes.map(|b| b | fold)
    }

    #[inline]
    pub fn mask_of(bytes: Bytes, byte: u8) -> u32 {
        (0..16).fold(0, |mask, i| mask | u32::from(bytes[i] == byte) << i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vector masks are the byte loop's, for every byte value looked for, on blocks of
    /// mixed bytes, with and without folding.
    #[test]
    fn masks_are_the_byte_loops() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for round in 0..2000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let (low, high) = (state, state.rotate_left(29) ^ round);
            let fold = if round % 2 == 0 { 0 } else { 0x20 };
            let block = Block16::new(low, high, fold);
            let plain = bytewise::new(low, high, fold);
            for byte in (0..=255u8).step_by(1 + (round as usize % 7)) {
                assert_eq!(
                    block.mask_of(byte),
                    bytewise::mask_of(plain, byte),
                    "{byte}"
                );
            }
            for byte in plain {
                assert_eq!(
                    block.mask_of(byte),
                    bytewise::mask_of(plain, byte),
                    "{byte}"
                );
            }
        }
        let bytes: Vec<u8> = (0..20).collect();
        let loaded = Block16::load(&bytes[1..], 0).expect("16 bytes");
        assert_eq!(loaded.mask_of(1), 1);
        assert_eq!(loaded.mask_of(16), 1 << 15);
        assert!(Block16::load(&bytes[5..], 0).is_none());
    }
}
