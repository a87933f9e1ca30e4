//! The `gwctl` binary: everything happens in [`gwctl::cli`].

fn main() -> std::process::ExitCode {
    gwctl::cli::main()
}
