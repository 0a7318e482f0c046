//! The global allocator: mimalloc, asked the plain way for ordinary alignments.
//!
//! `mimalloc::MiMalloc` hands every request to `mi_malloc_aligned`. Its fast path serves a
//! request only when the next free block of the size class happens to sit at the alignment;
//! otherwise it takes a generic path that, for a size whose block is not a power of two,
//! over-allocates (size + alignment - 1) to align by hand. On a fleet that was one allocation in
//! ten, at about four times the cost. `mi_malloc` already gives what such a layout needs: its
//! blocks of 16 bytes or more are 16-byte aligned and smaller ones 8-byte aligned (mimalloc's
//! `MI_MAX_ALIGN_SIZE`, the guarantee of C's `malloc`), so, as std does for the system
//! allocator, a layout whose alignment is at most 16 and at most its size takes `mi_malloc`,
//! and only the rest `mi_malloc_aligned`.

use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// `MI_MAX_ALIGN_SIZE` on every platform mimalloc supports that we build for.
const PLAIN_ALIGN: usize = 16;

pub struct Allocator;

/// Whether `mi_malloc` (and `mi_realloc`, `mi_zalloc`) returns blocks aligned for `layout`.
#[inline(always)]
fn plain(align: usize, size: usize) -> bool {
    align <= PLAIN_ALIGN && align <= size
}

// SAFETY: every method forwards to mimalloc, whose blocks satisfy the layout: `mi_malloc` for
// the alignments its blocks always have (see the module comment), `mi_malloc_aligned` for the
// others; `mi_free` and `mi_realloc_aligned` accept blocks from either.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            mi::mi_malloc(layout.size()) as *mut u8
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            mi::mi_zalloc(layout.size()) as *mut u8
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi::mi_free(ptr as *mut c_void)
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if plain(layout.align(), new_size) {
            mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8
        } else {
            mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every block has the alignment its layout asks for, across the sizes and alignments std's
    /// collections use (and a few beyond 16, which take the aligned path), through growth too.
    #[test]
    fn blocks_are_aligned_as_asked() {
        let allocator = Allocator;
        for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
            for size in (1..=300).chain([1000, 4095, 4096, 5000, 70_000, 1 << 20]) {
                let Ok(layout) = Layout::from_size_align(size, align) else {
                    continue;
                };
                // SAFETY: a non-zero size; every block is freed with the layout it has.
                unsafe {
                    let p = allocator.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "alloc size {size} align {align}");
                    p.write_bytes(0xa5, size);
                    let grown = allocator.realloc(p, layout, size * 3 + 1);
                    assert_eq!(grown as usize % align, 0, "realloc {size} align {align}");
                    assert_eq!(*grown.add(size - 1), 0xa5, "contents kept");
                    let grown_layout = Layout::from_size_align(size * 3 + 1, align).unwrap();
                    allocator.dealloc(grown, grown_layout);
                    let z = allocator.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0, "zalloc size {size} align {align}");
                    assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                    allocator.dealloc(z, layout);
                }
            }
        }
    }
}
