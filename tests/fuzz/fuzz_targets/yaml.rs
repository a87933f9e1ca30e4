//! Fuzz target `yaml`: see `harness::yaml` for what it drives and asserts.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::yaml(data));
