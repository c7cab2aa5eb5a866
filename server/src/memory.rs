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

/// Sets the allocator's options; call first thing in `main`. mimalloc's
/// own environment variable (`MIMALLOC_PURGE_DELAY`) still wins.
pub fn tune_allocator() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: sets a number in mimalloc's option table, which it reads
    // atomically whenever it purges; no memory is touched.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY_OPTION, PURGE_DELAY_MS) };
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
}
