//! Link settings for the jwtcheck binary.
//!
//! Packed relative relocations (DT_RELR): the dynamic loader applies the binary's ~12,000
//! relative relocations from a compact table instead of one entry each — a seventh of a short
//! run's start-up. GNU ld 2.38+ and glibc 2.36+ (Debian 12, Ubuntu 22.04 and later) have them;
//! set JWTCHECK_NO_RELR=1 to link without on older systems.

fn main() {
    println!("cargo:rerun-if-env-changed=JWTCHECK_NO_RELR");
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    if linux_gnu && std::env::var_os("JWTCHECK_NO_RELR").is_none() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
