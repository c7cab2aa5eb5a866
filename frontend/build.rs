//! The linker keeps its relocations in the WASM, which `cargo xtask` needs
//! to split lazily loaded routes into files of their own.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=--emit-relocs");
    }
}
