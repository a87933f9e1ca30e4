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
