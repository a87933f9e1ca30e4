//! The `gwctl` binary: everything happens in [`gwctl::cli`]. The binary, not the library,
//! chooses the allocator (see [`gwctl::use_jemalloc`]).

gwctl::use_jemalloc!();

fn main() -> std::process::ExitCode {
    gwctl::cli::main()
}
