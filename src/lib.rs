//! gwctl: lint, simulate and migrate Kubernetes Gateway API manifests.
//!
//! Module map (each module's own docs say what it owns):
//! - [`source`]: files, spans, line/column.
//! - [`diag`]: findings as data, rule metadata.
//! - [`yaml`]: YAML stream → node tree with spans, read the way the Kubernetes API server reads it.
//! - [`schema`]: bundled Gateway API schemas and user CRDs; structural validation with defaults.
//! - [`cel`]: the CRDs' CEL validation rules, evaluated offline as the API server does.
//! - [`load`]: paths and stdin → source files → Kubernetes objects, with input findings;
//!   [`load::cluster`] reads a live cluster into the same form (the only user of kube/tokio).
//! - [`live`]: lint over a live cluster: the installed CRDs as schema store, findings of local
//!   files over the live state marked new/existing/fixed.
//! - [`migrate`]: old Gateway API versions → v1.1 versions, by editing the text in place.
//! - [`render`]: findings → human and machine output.
//! - [`sim`]: the request simulator (request → trace), pure over the reference graph.
//! - [`cli`]: arguments, commands, exit codes.
//!
//! Dependencies point one way: `source ← yaml ← load`, `diag ← everything that reports`,
//! and only `cli` knows about processes, terminals and exit codes.

pub mod cel;
pub mod checks;
pub mod cli;
pub mod config;
pub mod diag;
pub mod fieldpath;
pub mod graph;
pub mod lint;
pub mod live;
pub mod load;
pub mod migrate;
pub mod model;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub mod sim;
pub mod source;
pub mod suppress;
pub mod yaml;

/// Makes jemalloc the global allocator, with gwctl's options, in the crate that invokes it:
/// the `gwctl` binary and the benchmarks, so that what is measured is what ships. A lint
/// run makes hundreds of thousands of small allocations that live until the process ends;
/// jemalloc takes a quarter less CPU time than glibc's malloc for them and keeps the heap
/// more compact. It is not built for MSVC targets, which keep the system allocator.
///
/// The options are read when jemalloc starts (`_RJEM_MALLOC_CONF` in the environment
/// still overrides them): one arena, as gwctl runs at most a thread per core and each
/// thread caches small allocations anyway; and freed pages go back to the system at once
/// rather than after ten seconds, which bounds the peak as lint frees each object's JSON.
#[macro_export]
macro_rules! use_jemalloc {
    () => {
        #[cfg(not(target_env = "msvc"))]
        #[global_allocator]
        static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

        #[cfg(not(target_env = "msvc"))]
        #[unsafe(export_name = "_rjem_malloc_conf")]
        pub static MALLOC_CONF: Option<&'static u8> =
            Some(&b"narenas:1,dirty_decay_ms:0,muzzy_decay_ms:0\0"[0]);
    };
}
