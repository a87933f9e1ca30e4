//! The migrations gwctl knows, one file each, and how an object finds its migration.
//!
//! A [`Migration`] is data: which `apiVersion` and `kind` it moves, the version it moves
//! them to, and, when the schema changed, a text rewrite (through [`super::Cx`]) and the
//! matching JSON conversion. The engine checks that the two agree on every object.

pub mod backend_tls_policy;
pub mod grpc_route;
pub mod reference_grant;
pub mod standard_v1;

use serde_json::Value;

use super::{Cx, Options, Refusal};
use crate::yaml::Node;

/// A migration's text edits for one object, or why it refuses the object.
pub type Rewrite = fn(&mut Cx<'_>, &Node) -> Result<(), Refusal>;

/// Moves objects of one kind from one API version to another.
#[derive(Debug)]
pub struct Migration {
    pub kind: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    /// Only run with `--to-v1`: the old version is still served, so moving is a choice.
    pub opt_in: bool,
    /// Edits beyond the `apiVersion`, for versions whose schemas differ.
    pub rewrite: Option<Rewrite>,
    /// The same change on the object's JSON (after `apiVersion` is set), which the rewritten
    /// text must read back as.
    pub convert: Option<fn(&mut Value)>,
}

/// Every migration, in the order `gwctl migrate --help` lists them.
pub static ALL: &[&Migration] = &[
    &backend_tls_policy::MIGRATION,
    &grpc_route::MIGRATION,
    &reference_grant::MIGRATION,
    &standard_v1::GATEWAY_CLASS,
    &standard_v1::GATEWAY,
    &standard_v1::HTTP_ROUTE,
];

/// The migration for an object, if it has one under these options.
pub fn find(api_version: &str, kind: &str, opts: &Options) -> Option<&'static Migration> {
    ALL.iter()
        .copied()
        .find(|m| m.from == api_version && m.kind == kind && (opts.to_v1 || !m.opt_in))
}
