//! The `gwctl` binary: everything happens in [`gwctl::cli`].
//!
//! The binary (not the library) chooses the allocator. A lint run makes hundreds of
//! thousands of small allocations that live until the process ends: jemalloc takes a
//! quarter less CPU time than glibc's malloc for them and keeps the heap more compact.

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read when it starts (`_RJEM_MALLOC_CONF` in the environment still
/// overrides them): one arena, as gwctl runs at most a thread per core and each thread
/// caches small allocations anyway; and freed pages go back to the system at once rather
/// than after ten seconds, which bounds the peak as a run frees each object's full JSON.
#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static MALLOC_CONF: Option<&'static u8> =
    Some(&b"narenas:1,dirty_decay_ms:0,muzzy_decay_ms:0\0"[0]);

fn main() -> std::process::ExitCode {
    gwctl::cli::main()
}
