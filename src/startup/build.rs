//! For the musl targets only (the static-pie Linux release build, .ci/release.sh): compiles
//! `src/startup/relro.c`, which makes the relocated read-only data read-only before `main` (musl's
//! static-pie start leaves it writable), and links it into the binary. Other targets get nothing:
//! their dynamic loader does the same already.

fn main() {
    println!("cargo:rerun-if-changed=src/startup/build.rs");
    println!("cargo:rerun-if-changed=src/startup/relro.c");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "linux" || var("CARGO_CFG_TARGET_ENV") != "musl" {
        return;
    }
    // An object file, not an archive: the linker keeps it whole, constructor included, although
    // nothing refers to it.
    let objects = cc::Build::new()
        .file("src/startup/relro.c")
        .warnings_into_errors(true)
        .compile_intermediates();
    for object in objects {
        println!("cargo:rustc-link-arg-bins={}", object.display());
    }
}
