//! The migrations gwctl knows, one file each, and how an object finds its migration.
//!
//! A [`Migration`] is data: which `apiVersion` and `kind` it moves, the version it moves
//! them to, and, when the schema changed, a text rewrite (through [`super::Cx`]) and the
//! matching JSON conversion. The engine checks that the two agree on every object.

pub mod backend_lb_policy;
pub mod backend_tls_policy;
pub mod grpc_route;
pub mod l4_routes;
pub mod listener_set;
pub mod reference_grant;
pub mod standard_v1;
pub mod tls_route;

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
    /// The kind the object becomes, when the move renames it (XListenerSet → ListenerSet).
    pub to_kind: Option<&'static str>,
    /// The versions the move may go to, most wanted first, all with the same shape: the
    /// first one the chosen Gateway API release serves is taken (BackendTLSPolicy v1alpha2
    /// goes to v1alpha3 before v1.4, to v1 from then on). A release that serves none of
    /// them does not run the migration.
    pub to: &'static [&'static str],
    /// Only run with `--to-v1`: the old version is still served (and often stored), so
    /// moving is a choice.
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
    &backend_tls_policy::TO_V1,
    &backend_lb_policy::MIGRATION,
    &grpc_route::MIGRATION,
    &listener_set::MIGRATION,
    &tls_route::FROM_V1ALPHA2,
    &tls_route::FROM_V1ALPHA3,
    &l4_routes::TCP_ROUTE,
    &l4_routes::UDP_ROUTE,
    &reference_grant::MIGRATION,
    &reference_grant::TO_V1,
    &standard_v1::GATEWAY_CLASS,
    &standard_v1::GATEWAY,
    &standard_v1::HTTP_ROUTE,
];

/// Edits to objects that keep their version but name a kind that moved: a route's
/// `parentRefs` naming an XListenerSet, once the release has ListenerSet instead. Each
/// returns whether it changed anything; `convert` is the same change on the JSON.
#[derive(Debug)]
pub struct Retarget {
    /// What the change does, for `migrate --write`'s list of what moved.
    pub what: &'static str,
    /// Whether the change applies to objects of this kind under these options.
    pub applies: fn(kind: &str, opts: &Options) -> bool,
    pub rewrite: fn(&mut Cx<'_>, &Node) -> Result<bool, Refusal>,
    pub convert: fn(&mut Value),
}

/// Every reference change, run on every object after its own move.
pub static RETARGETS: &[&Retarget] = &[&listener_set::PARENT_REFS];

/// The migration for an object, if it has one under these options, with the version it
/// moves the object to.
pub fn find(
    api_version: &str,
    kind: &str,
    opts: &Options,
) -> Option<(&'static Migration, &'static str)> {
    let store = crate::schema::Store::for_release(opts.release);
    ALL.iter()
        .copied()
        .filter(|m| m.from == api_version && m.kind == kind && (opts.to_v1 || !m.opt_in))
        .find_map(|m| Some((m, m.target(&store)?)))
}

impl Migration {
    /// The kind objects have after the move.
    pub fn new_kind(&self) -> &'static str {
        self.to_kind.unwrap_or(self.kind)
    }

    /// The first of [`Migration::to`] that `store`'s release serves, in either channel.
    fn target(&self, store: &crate::schema::Store) -> Option<&'static str> {
        self.to.iter().copied().find(|to| {
            let (group, version) = to.rsplit_once('/').unwrap_or(("", to));
            store
                .kind(group, self.new_kind())
                .and_then(|k| k.version(version))
                .is_some_and(|v| {
                    v.served_in(crate::schema::Channel::Standard)
                        || v.served_in(crate::schema::Channel::Experimental)
                })
        })
    }
}
