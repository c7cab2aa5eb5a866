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
