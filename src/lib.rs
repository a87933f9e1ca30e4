//! gwctl: lint, simulate and migrate Kubernetes Gateway API manifests.
//!
//! Module map, one line per top-level module (each module's own docs say more):
//! - [`source`]: source files, byte spans, line/column, redactions.
//! - [`fieldpath`]: field paths inside one object (`spec.listeners[1].port`).
//! - [`diag`]: findings as data ([`diag::Diagnostic`] carries its rule), rule metadata and
//!   [`declare_rule!`], the one way to declare a rule.
//! - [`yaml`]: YAML stream → node tree with spans, read the way the Kubernetes API server reads it.
//! - [`model`]: Kubernetes objects as gwctl keeps them, and the inventory over them.
//! - [`schema`]: bundled Gateway API schemas and user CRDs; structural validation with
//!   defaults (GW1xx); the releases, and what each needs of Kubernetes ([`schema::kube`]).
//! - [`cel`]: the CRDs' CEL validation rules, evaluated offline as the API server does (GW2xx).
//! - [`load`]: paths and stdin → source files → objects, with input findings (GW0xx) and the
//!   suppression syntax; [`load::cluster`] reads a live cluster into the same form (the only
//!   user of kube/tokio); [`load::progress`] counts a run's files and objects as it goes.
//! - [`graph`]: the reference graph: typed views of objects, every reference resolved once.
//! - [`checks`]: the checks over loaded objects: schema pass, references and conflicts
//!   (GW3xx–GW5xx), live-cluster findings and the cluster's Kubernetes version (GW6xx).
//! - [`features`]: the conformance features objects need (`gwctl features`), the features
//!   each release names, and conformance reports (bundled, a user's) that say which an
//!   implementation supports.
//! - [`picture`]: the routing as nodes and edges, drawn from the reference graph and marked
//!   with findings (`gwctl graph`, the HTML report), and its layered layout.
//! - [`sim`]: the request simulator (request → trace of typed steps), pure over the
//!   reference graph.
//! - [`migrate`]: objects on old Gateway API versions → the versions a chosen release serves,
//!   by editing the text in place.
//! - [`routetest`]: `gwctl test`: test files of routing cases, each run through [`sim`] and
//!   its failed expectations reported as findings (GW8xx).
//! - [`upgrade`]: what moving the Gateway API CRDs from one release to another breaks,
//!   from both releases' bundled schemas (`gwctl upgrade`).
//! - [`rules`]: the rule catalogue: every rule, in code order.
//! - [`lint`]: the lint pipeline: passes in order, configuration ([`lint::config`]),
//!   suppressions ([`lint::suppress`]), the run's [`lint::report::Report`], lint with
//!   context files that resolve references but are not reported on ([`lint::context`]), the
//!   findings' fixes applied to a file's text (`lint --fix`, [`lint::fix`]), and
//!   lint over a live cluster ([`lint::live`]: installed CRDs as the schema store, findings
//!   of local files marked new/existing/fixed).
//! - [`render`]: findings and traces → human and machine output; all of the simulator's
//!   wording is here.
//! - [`cli`]: arguments, commands, output files, exit codes, the progress line.
//!
//! Layers, lowest first; a module uses only its own layer and lower ones, and no two
//! modules use each other (`tests/it/layers.rs` checks this, and holds the table to extend):
//!
//! ```text
//! source, fieldpath → diag → yaml → model → schema, cel → load → graph
//!   → checks, features, sim, migrate, upgrade, picture, routetest → rules → lint
//!   → render → cli
//! ```
//!
//! Only `cli` knows about processes, terminals and exit codes.

pub mod cel;
pub mod checks;
pub mod cli;
pub mod diag;
pub mod features;
pub mod fieldpath;
pub mod graph;
pub mod lint;
pub mod load;
pub mod migrate;
pub mod model;
pub mod picture;
pub mod render;
pub mod routetest;
pub mod rules;
pub mod schema;
pub mod sim;
pub mod source;
pub mod upgrade;
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
