//! Links the app's wasm binary with `--emit-relocs`, which the split of the release build
//! needs (scripts/split-wasm.sh): wasm-split-cli reads the relocations to cut the code into
//! parts. Only the binary: test binaries run unsplit under wasm-bindgen-test-runner.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32") {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
