//! Fuzz target `simulate`: see `harness::simulate` for what it drives and asserts.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::simulate(data));
