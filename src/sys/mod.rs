//! Every `unsafe` block and foreign call of magelint, in one place (the rest of the crate is
//! `#![deny(unsafe_code)]`): the allocator, the SSE2 scans, one-call file reads, process CPU
//! time and the memory hand-back to the system. Each block says why it is sound.
#![allow(unsafe_code)]

pub mod allocator;
pub mod simd;

/// Up to `len` bytes from the start of `file` (fewer if it shrank), in one system call for a
/// file read whole: `Read::take(..).read_to_end` reads in growing 8 KiB steps (three calls for
/// a config.php), and zeroing a buffer for `Read::read` costs about what a call saves.
#[cfg(unix)]
pub fn read_up_to(file: &std::fs::File, len: usize) -> std::io::Result<Vec<u8>> {
    use std::os::unix::io::AsRawFd;
    let mut bytes: Vec<u8> = Vec::with_capacity(len);
    while bytes.len() < len {
        let want = len - bytes.len();
        let spare = bytes.spare_capacity_mut();
        // SAFETY: the kernel writes at most `want` bytes into the vector's spare capacity,
        // which holds `len - bytes.len()` = `want` (the capacity is `len`).
        let got = unsafe { libc::read(file.as_raw_fd(), spare.as_mut_ptr().cast(), want) };
        if got < 0 {
            let error = std::io::Error::last_os_error();
            match error.kind() {
                std::io::ErrorKind::Interrupted => continue,
                _ => return Err(error),
            }
        }
        if got == 0 {
            break;
        }
        // SAFETY: the kernel wrote `got` (≤ `want`) bytes just past the vector's length.
        unsafe { bytes.set_len(bytes.len() + got as usize) };
    }
    Ok(bytes)
}

/// User and system CPU time of the whole process so far, in seconds.
pub fn process_cpu_seconds() -> f64 {
    // SAFETY: `getrusage` fills the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Hands the pages the calling thread's allocator heap holds free back to the system.
pub fn collect_freed_memory() {
    // SAFETY: `mi_collect` takes a plain flag and only returns free pages of the calling
    // thread's heap (and free arena pages) to the system.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// From now on, pages freed are returned to the system at once rather than kept for reuse.
pub fn purge_freed_pages_at_once() {
    // The binding lacks the constant: `mi_option_purge_delay` is 15 in mimalloc v3's
    // `mimalloc.h`.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option takes plain values.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}

/// mimalloc asks for transparent huge pages: each first touch of one zeroes 2 MiB, and a run
/// that touches a few bytes of many of them pays in time and resident memory (73 against
/// 45 MiB on 1,000 installations). A run is short-lived: small pages serve it better.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
