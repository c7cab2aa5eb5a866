//! The allocator: mimalloc instead of glibc's malloc.
//!
//! Measured with the load run on the `large` data set (docs/BENCHMARKS.md),
//! glibc's malloc spent a sixth of the server's CPU in malloc and free
//! under 50 clients, most of it in lock contention between the tokio
//! threads, or, with an arena per thread, doubled the resident size. With
//! mimalloc the same run served about half again as many requests at a
//! resident size between the two.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (mimalloc v3's option numbering, the
/// version `libmimalloc-sys` builds by default).
const PURGE_DELAY_OPTION: libmimalloc_sys::mi_option_t = 15;

/// How long freed memory stays with the process before it goes back to the
/// OS. With mimalloc's default, a second, the freed buffers of 50 clients'
/// requests piled up: the load run on `large` peaked at 278–290 MB
/// resident, near the 300 MB goal. With 100 ms it peaked at 263–268 MB and
/// served about 5 % fewer requests/s (still twice the goal); 0 ms gave
/// 249 MB at about the same cost. A mimalloc upgrade that renumbers the
/// options fails the test below.
const PURGE_DELAY_MS: std::ffi::c_long = 100;

/// mimalloc's `mi_option_allow_thp` (v3's numbering, as above).
const ALLOW_THP_OPTION: libmimalloc_sys::mi_option_t = 43;

/// Sets the allocator's options; call first thing in `main`. mimalloc's
/// own environment variables (`MIMALLOC_PURGE_DELAY`,
/// `MIMALLOC_ALLOW_THP`) still win.
pub fn tune_allocator() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a number in mimalloc's option table, which it reads
        // atomically whenever it purges; no memory is touched.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY_OPTION, PURGE_DELAY_MS) };
    }
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        forgo_huge_pages();
    }
}

/// No transparent huge pages for this process. mimalloc asks the kernel
/// for them on every region it maps, and a 2 MB page counts whole in the
/// resident size however little of it is in use: on `large` the server
/// held 449 MB after start, 334 MB of it in huge pages, and 408 MB
/// without them, for a heap of about 365 MB. The directory's scans did
/// not get slower (docs/BENCHMARKS.md).
fn forgo_huge_pages() {
    // SAFETY: as above, a number in the option table; mimalloc reads it
    // before each region it maps.
    unsafe { libmimalloc_sys::mi_option_set(ALLOW_THP_OPTION, 0) };
    // mimalloc only stops asking; with the kernel's `always` setting the
    // process has to say no itself. The flag applies to what is already
    // mapped too.
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and sets a flag of
    // the process; an old kernel refuses it with EINVAL, which is harmless.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option number is mimalloc's purge delay: the only option whose
    /// default is 1000 (ms), and it takes our value.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        let get = || unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY_OPTION) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        assert_eq!(get(), 1000);
        tune_allocator();
        assert_eq!(get(), PURGE_DELAY_MS);
    }

    /// Its neighbours' defaults pin the number: page_cross_thread_max_reclaim
    /// (32) before it, allow_thp (1), minimal_purge_size (0) after.
    #[test]
    fn huge_pages_are_refused_by_mimalloc_and_the_kernel() {
        if std::env::var_os("MIMALLOC_ALLOW_THP").is_some() {
            return;
        }
        let get = |n| unsafe { libmimalloc_sys::mi_option_get(n) };
        assert_eq!(get(ALLOW_THP_OPTION - 1), 32);
        assert_eq!(get(ALLOW_THP_OPTION + 1), 0);
        forgo_huge_pages();
        assert_eq!(get(ALLOW_THP_OPTION), 0);
        #[cfg(target_os = "linux")]
        assert_eq!(
            unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) },
            1
        );
    }
}
