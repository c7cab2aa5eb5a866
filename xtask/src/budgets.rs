//! What the user downloads and installs may not grow unnoticed: the bundle
//! build and `cargo xtask dist` fail when a figure goes over its budget, so
//! the test suite (which builds the bundle first) fails with them. The
//! figures and these budgets are written to docs/FIGURES.md.

use anyhow::{Result, bail};

/// The WASM a first visit downloads (the main module; lazy routes load their
/// own chunks later), brotli-compressed.
pub const FIRST_VISIT_WASM_BROTLI: u64 = 400 * 1024;

/// The shipped binary, stripped, with the bundle inside.
pub const BINARY_BYTES: u64 = 40 * 1000 * 1000;

pub fn check_first_visit_wasm(brotli: u64) -> Result<()> {
    if brotli > FIRST_VISIT_WASM_BROTLI {
        bail!(
            "the first-visit WASM is {:.1} KB brotli, over its budget of {} KB \
             (xtask/src/budgets.rs): move the new code behind a lazy route, or \
             find what grew with `twiggy top target/wasm-split/main.wasm`",
            brotli as f64 / 1024.0,
            FIRST_VISIT_WASM_BROTLI / 1024
        );
    }
    Ok(())
}

pub fn check_binary(bytes: u64) -> Result<()> {
    if bytes > BINARY_BYTES {
        bail!(
            "the release binary is {:.1} MB, over its budget of {} MB (xtask/src/budgets.rs)",
            bytes as f64 / 1e6,
            BINARY_BYTES / 1_000_000
        );
    }
    Ok(())
}
