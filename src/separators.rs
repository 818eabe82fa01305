//! Where the key-value separators (`=`, `:`, and `>` ending an XML start tag) are in a byte range,
//! 32 bytes at a time.
//!
//! Logs have a separator every 20 bytes or so (`status=200 duration=0.998s`, timestamps),
//! so restarting `memchr2` after each one spends most of its time starting up (0.53 ns per
//! byte on the clean bench log here); one comparison mask per 32 bytes whose set bits are
//! read off one by one takes 0.17.
//!
//! This is the crate's one `unsafe`: the call into the SSE2 function. SSE2 is part of the
//! x86-64 baseline, and the code is compiled only where the build enables it; the function
//! itself reads through no pointer (the bytes come in as a checked array).

#![allow(unsafe_code)]

/// Bytes per block.
const BLOCK: usize = 32;
/// The shortest last block read padded (callgrind on the bench corpora, thresholds 8, 12,
/// 16 and 24 tried: 8 cost least).
const PAD_FROM: usize = 8;

/// The positions of `=`, `:` and `>` in `hay[from..end]`, in order.
#[derive(Debug, Clone)]
pub(crate) struct Separators<'h> {
    hay: &'h [u8],
    /// Start of the current block.
    base: usize,
    /// Separators of the current block not yet returned (bit `i` is `hay[base + i]`).
    mask: u32,
    end: usize,
}

impl<'h> Separators<'h> {
    pub(crate) fn new(hay: &'h [u8], from: usize, end: usize) -> Separators<'h> {
        let end = end.min(hay.len());
        let base = from.min(end);
        let mut s = Separators {
            hay,
            base,
            mask: 0,
            end,
        };
        s.mask = s.block_mask();
        s
    }

    /// The separators of `hay[base..end]`'s first block.
    #[inline]
    fn block_mask(&self) -> u32 {
        let rest = &self.hay[self.base..self.end];
        match rest.first_chunk::<BLOCK>() {
            Some(block) => mask(block),
            // A short last block (a JSON string, the end of a window) is read padded with
            // zeros, which are no separators: byte by byte it cost 5 instructions a byte.
            // Below `PAD_FROM` bytes the copy costs more than that.
            None if rest.len() < PAD_FROM => rest
                .iter()
                .enumerate()
                .fold(0, |m, (i, &b)| m | u32::from(is_separator(b)) << i),
            None => {
                let mut block = [0u8; BLOCK];
                block[..rest.len()].copy_from_slice(rest);
                mask(&block)
            }
        }
    }
}

impl Iterator for Separators<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        loop {
            if self.mask != 0 {
                let at = self.base + self.mask.trailing_zeros() as usize;
                self.mask &= self.mask - 1;
                return Some(at);
            }
            self.base += BLOCK;
            if self.base >= self.end {
                self.base = self.end;
                return None;
            }
            self.mask = self.block_mask();
        }
    }
}

#[inline]
fn is_separator(b: u8) -> bool {
    b == b'=' || b == b':' || b == b'>'
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
fn mask(block: &[u8; BLOCK]) -> u32 {
    // SAFETY: the only requirement of a `target_feature` function is that the CPU has the
    // feature; this is compiled only when the build targets SSE2 (every x86-64 CPU has it).
    unsafe { sse2::mask(block) }
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn mask(block: &[u8; BLOCK]) -> u32 {
    block
        .iter()
        .enumerate()
        .fold(0, |m, (i, &b)| m | u32::from(is_separator(b)) << i)
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_set_epi64x,
    };

    use super::BLOCK;

    /// Sixteen bytes as one vector (the compiler makes this one unaligned load).
    #[inline]
    #[target_feature(enable = "sse2")]
    fn lanes(b: &[u8; 16]) -> __m128i {
        let (lo, hi) = b.split_at(8);
        let word = |s: &[u8]| {
            let mut w = [0u8; 8];
            w.copy_from_slice(s);
            i64::from_le_bytes(w)
        };
        _mm_set_epi64x(word(hi), word(lo))
    }

    /// Bit `i` set where `block[i]` is `=`, `:` or `>`.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn mask(block: &[u8; BLOCK]) -> u32 {
        let eq = _mm_set1_epi8(b'=' as i8);
        let colon = _mm_set1_epi8(b':' as i8);
        let gt = _mm_set1_epi8(b'>' as i8);
        let (a, b) = block.split_at(16);
        let mut m = 0u32;
        for (half, shift) in [(a, 0), (b, 16)] {
            let mut bytes = [0u8; 16];
            bytes.copy_from_slice(half);
            let v = lanes(&bytes);
            let hits = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, eq), _mm_cmpeq_epi8(v, colon)),
                _mm_cmpeq_epi8(v, gt),
            );
            // movemask sets the low 16 bits only.
            m |= (_mm_movemask_epi8(hits) as u32 & 0xffff) << shift;
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn naive(hay: &[u8], from: usize, end: usize) -> Vec<usize> {
        let end = end.min(hay.len());
        (from.min(end)..end)
            .filter(|&i| is_separator(hay[i]))
            .collect()
    }

    #[test]
    fn finds_each_separator_across_block_edges() {
        let mut hay = vec![b'x'; 100];
        for i in [0, 15, 16, 31, 32, 33, 63, 64, 95, 96, 99] {
            hay[i] = if i % 2 == 0 { b'=' } else { b':' };
        }
        let all: Vec<usize> = Separators::new(&hay, 0, hay.len()).collect();
        assert_eq!(all, vec![0, 15, 16, 31, 32, 33, 63, 64, 95, 96, 99]);
        let some: Vec<usize> = Separators::new(&hay, 16, 64).collect();
        assert_eq!(some, vec![16, 31, 32, 33, 63]);
        assert_eq!(Separators::new(&hay, 50, 50).count(), 0);
        assert_eq!(Separators::new(&hay, 90, 10).count(), 0);
        assert_eq!(Separators::new(&hay, 0, 1000).count(), 11);
        assert_eq!(Separators::new(b"", 0, 0).count(), 0);
    }

    #[test]
    fn bytes_that_differ_from_a_separator_by_one_bit_are_not_separators() {
        // `=` is 0x3d, `:` 0x3a, `>` 0x3e: their neighbours and high-bit twins must not match.
        let hay: Vec<u8> = (0..=255u8).collect();
        let all: Vec<usize> = Separators::new(&hay, 0, hay.len()).collect();
        assert_eq!(
            all,
            vec![usize::from(b':'), usize::from(b'='), usize::from(b'>')]
        );
    }

    /// A range shorter than a block, read one byte at a time or padded: its last byte is
    /// read, and a separator just past its end is not.
    #[test]
    fn a_short_range_is_read_to_its_end_and_no_further() {
        for n in 1..BLOCK {
            let mut hay = vec![b'x'; n + 2];
            hay[n - 1] = b'=';
            hay[n] = b':';
            let got: Vec<usize> = Separators::new(&hay, 0, n).collect();
            assert_eq!(got, vec![n - 1], "range of {n}");
        }
    }

    proptest! {
        #[test]
        fn same_positions_as_a_byte_by_byte_scan(
            hay in proptest::collection::vec(
                prop_oneof![Just(b'='), Just(b':'), Just(b'>'), Just(b'a'), any::<u8>()], 0..300),
            from in 0usize..320,
            len in 0usize..320,
        ) {
            let got: Vec<usize> = Separators::new(&hay, from, from + len).collect();
            prop_assert_eq!(got, naive(&hay, from, from + len));
        }
    }
}
