//! The browser bundle is built by `cargo xtask` into `target/site` and embedded
//! by rust-embed. Make sure the folder exists so `cargo check`/`clippy` work
//! before the first bundle build, and rebuild when the bundle changes (its file
//! names are content hashes, which rust-embed alone would not notice).

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo");
    let site = std::path::Path::new(&manifest_dir).join("../target/site");
    std::fs::create_dir_all(&site).expect("create target/site");
    println!("cargo:rerun-if-changed={}", site.display());
}
