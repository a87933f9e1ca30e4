//! The reference graph: every object reference in the inputs, resolved once.
//!
//! Owns typed, read-only views of the objects that references connect (Gateways and their
//! listeners, ListenerSets, routes with their parentRefs, rules and backendRefs, Services,
//! Namespaces, Secrets, ConfigMaps, ReferenceGrants, GatewayClasses, policies), built from
//! each object's *defaulted* JSON, and the answers to reference questions: which ListenerSets
//! a Gateway admits and how their listeners merge into its own (`merge`), which listeners
//! a parentRef attaches to and why the others refuse it ([`attach`]), whether a
//! ReferenceGrant admits a cross-namespace reference ([`Graph::granted`]). It gives no verdicts: the checks in
//! [`crate::checks::refs`] and the simulator decide what is wrong.
//!
//! Views read the JSON leniently: a field of the wrong type is treated as absent, because
//! the schema pass has already reported it.

pub mod hostname;
mod merge;
mod views;

/// The protocol families that can share a port: lint's port checks and the merge agree.
pub(crate) use merge::family as protocol_family;

use std::collections::{BTreeMap, HashMap};

pub use merge::{Conflict, ConflictKind, Merged, MergedListener};
pub use views::*;

use crate::model::{GATEWAY_GROUP, Inventory, Object};

/// All references of one run. Borrowing the inventory keeps views cheap.
pub struct Graph<'a> {
    pub inventory: &'a Inventory,
    pub gateways: Vec<Gateway<'a>>,
    /// ListenerSets and XListenerSets, in input order.
    pub listener_sets: Vec<ListenerSet<'a>>,
    pub routes: Vec<Route<'a>>,
    pub grants: Vec<Grant<'a>>,
    pub policies: Vec<Policy<'a>>,
    /// Policies of other kinds (an implementation's), with their Gateway API targets.
    pub other_policies: Vec<Targeting<'a>>,
    gateway_index: HashMap<(String, String), usize>,
    /// ListenerSets by (kind, namespace, name): ListenerSet and XListenerSet are different
    /// kinds that routes name apart.
    listener_set_index: HashMap<(String, String, String), usize>,
    /// ReferenceGrants by the namespace they grant access to.
    grants_by_namespace: HashMap<String, Vec<usize>>,
    services: HashMap<(String, String), Service<'a>>,
    namespaces: HashMap<String, Namespace<'a>>,
    secrets: HashMap<(String, String), Secret<'a>>,
    configmaps: HashMap<(String, String), ConfigMap<'a>>,
    classes: HashMap<String, Class<'a>>,
    /// [`attach`] for every parentRef of every route, computed once on first use: the
    /// parent checks and the precedence check both need it.
    attachments: std::sync::OnceLock<Vec<Vec<Option<Attachment>>>>,
    /// [`merge`] for every Gateway, computed once on first use.
    merged: std::sync::OnceLock<Vec<Merged>>,
    /// [`Graph::route_order`], computed once on first use.
    route_order: std::sync::OnceLock<Vec<usize>>,
}

impl<'a> Graph<'a> {
    /// The graph of every object in the inventory, reading each view from its JSON.
    pub fn build(inventory: &'a Inventory) -> Self {
        let prepared = inventory
            .objects
            .iter()
            .map(|o| Prepared::read(o, namespace_of(inventory, o)));
        Self::assemble(inventory, prepared)
    }

    /// Let go of the graph on rayon's pool: a large run holds a view of every object (a
    /// route's with its rules, matches and references), and freeing them in turn is
    /// otherwise a wait on one core at the end of the run.
    pub fn let_go(self) {
        use rayon::prelude::*;
        let Graph {
            routes,
            gateways,
            attachments,
            ..
        } = self;
        rayon::join(
            || routes.into_par_iter().for_each(drop),
            || drop((gateways, attachments)),
        );
    }

    /// The graph from views read earlier ([`Prepared::read`], one per object in inventory
    /// order): the objects' JSON may be gone by now.
    pub fn from_prepared(inventory: &'a Inventory, prepared: Vec<Option<Prepared>>) -> Self {
        Self::assemble(inventory, prepared.into_iter())
    }

    fn assemble(
        inventory: &'a Inventory,
        prepared: impl Iterator<Item = Option<Prepared>>,
    ) -> Self {
        let mut g = Graph {
            inventory,
            gateways: Vec::new(),
            listener_sets: Vec::new(),
            routes: Vec::new(),
            grants: Vec::new(),
            policies: Vec::new(),
            other_policies: Vec::new(),
            gateway_index: HashMap::new(),
            listener_set_index: HashMap::new(),
            grants_by_namespace: HashMap::new(),
            services: HashMap::new(),
            namespaces: HashMap::new(),
            secrets: HashMap::new(),
            configmaps: HashMap::new(),
            classes: HashMap::new(),
            attachments: std::sync::OnceLock::new(),
            merged: std::sync::OnceLock::new(),
            route_order: std::sync::OnceLock::new(),
        };
        for (o, view) in inventory.objects.iter().zip(prepared) {
            let ns = || namespace_of(inventory, o);
            match view {
                Some(Prepared::Gateway(data)) => {
                    // The first definition wins; duplicates are reported by the loader.
                    g.gateway_index
                        .entry((data.namespace.clone(), data.name.clone()))
                        .or_insert(g.gateways.len());
                    g.gateways.push(View { object: o, data });
                }
                Some(Prepared::ListenerSet(data)) => {
                    // The first definition wins; duplicates are reported by the loader.
                    g.listener_set_index
                        .entry((data.kind.clone(), data.namespace.clone(), data.name.clone()))
                        .or_insert(g.listener_sets.len());
                    g.listener_sets.push(View { object: o, data });
                }
                Some(Prepared::Route(data)) => g.routes.push(View { object: o, data }),
                Some(Prepared::Grant(data)) => {
                    g.grants_by_namespace
                        .entry(data.namespace.clone())
                        .or_default()
                        .push(g.grants.len());
                    g.grants.push(View { object: o, data });
                }
                Some(Prepared::Policy(data)) => g.policies.push(View { object: o, data }),
                Some(Prepared::Targeting(data)) => g.other_policies.push(View { object: o, data }),
                Some(Prepared::Service(data)) => {
                    g.services
                        .entry((ns(), o.name.clone()))
                        .or_insert(View { object: o, data });
                }
                // The first definition of a name wins; duplicates are reported by the loader.
                Some(Prepared::Class(data)) => {
                    g.classes
                        .entry(o.name.clone())
                        .or_insert(View { object: o, data });
                }
                Some(Prepared::Namespace(data)) => {
                    g.namespaces
                        .entry(o.name.clone())
                        .or_insert(View { object: o, data });
                }
                Some(Prepared::Secret(data)) => {
                    g.secrets
                        .entry((ns(), o.name.clone()))
                        .or_insert(View { object: o, data });
                }
                Some(Prepared::ConfigMap(data)) => {
                    g.configmaps
                        .entry((ns(), o.name.clone()))
                        .or_insert(View { object: o, data });
                }
                None => {}
            }
        }
        g
    }

    /// How parentRef `parent` of route `route` (indexes into [`Graph::routes`]) attaches:
    /// [`attach`], computed for every route the first time any is asked for.
    pub fn attachment(&self, route: usize, parent: usize) -> Option<&Attachment> {
        let all = self.attachments.get_or_init(|| {
            self.routes
                .iter()
                .map(|r| r.parents.iter().map(|p| attach(self, r, p)).collect())
                .collect()
        });
        all.get(route)?.get(parent)?.as_ref()
    }

    /// The indexes of [`Graph::routes`] sorted by namespace/name (a stable sort: duplicates
    /// keep input order), computed once: the simulator walks the routes in this order for
    /// every request, and `gwctl test` sends thousands of requests through one graph.
    pub fn route_order(&self) -> &[usize] {
        self.route_order.get_or_init(|| {
            let mut order: Vec<usize> = (0..self.routes.len()).collect();
            order.sort_by(|&a, &b| {
                let (a, b) = (&self.routes[a], &self.routes[b]);
                (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name))
            });
            order
        })
    }

    /// The listeners of Gateway `gi` merged with those of the ListenerSets it admits
    /// (`merge`), computed for every Gateway the first time any is asked for.
    pub fn merged(&self, gi: usize) -> &Merged {
        static EMPTY: std::sync::OnceLock<Merged> = std::sync::OnceLock::new();
        self.merged
            .get_or_init(|| merge::merge_all(self))
            .get(gi)
            .unwrap_or_else(|| EMPTY.get_or_init(Merged::default))
    }

    /// Listener `mi` of Gateway `gi`'s merged list: its own, or a ListenerSet's.
    pub fn listener(&self, gi: usize, mi: usize) -> &Listener {
        let ml = &self.merged(gi).listeners[mi];
        match ml.set {
            None => &self.gateways[gi].listeners[ml.index],
            Some(si) => &self.listener_sets[si].listeners[ml.index],
        }
    }

    /// The ListenerSet `kind` (`ListenerSet` or `XListenerSet`) `namespace/name`.
    pub fn listener_set_index(&self, kind: &str, namespace: &str, name: &str) -> Option<usize> {
        self.listener_set_index
            .get(&(kind.to_owned(), namespace.to_owned(), name.to_owned()))
            .copied()
    }

    /// The Gateway ListenerSet `si` names as its parent, when it is in the inputs.
    pub fn listener_set_gateway(&self, si: usize) -> Option<usize> {
        let set = &self.listener_sets[si];
        if !set.parent_is_gateway() {
            return None;
        }
        self.gateway_index(&set.parent.namespace, &set.parent.name)
    }

    pub fn gateway(&self, namespace: &str, name: &str) -> Option<&Gateway<'a>> {
        self.gateway_index
            .get(&(namespace.to_owned(), name.to_owned()))
            .map(|&i| &self.gateways[i])
    }

    pub fn gateway_index(&self, namespace: &str, name: &str) -> Option<usize> {
        self.gateway_index
            .get(&(namespace.to_owned(), name.to_owned()))
            .copied()
    }

    pub fn service(&self, namespace: &str, name: &str) -> Option<&Service<'a>> {
        self.services.get(&(namespace.to_owned(), name.to_owned()))
    }

    pub fn namespace(&self, name: &str) -> Option<&Namespace<'a>> {
        self.namespaces.get(name)
    }

    pub fn secret(&self, namespace: &str, name: &str) -> Option<&Secret<'a>> {
        self.secrets.get(&(namespace.to_owned(), name.to_owned()))
    }

    pub fn configmap(&self, namespace: &str, name: &str) -> Option<&ConfigMap<'a>> {
        self.configmaps
            .get(&(namespace.to_owned(), name.to_owned()))
    }

    pub fn class(&self, name: &str) -> Option<&Class<'a>> {
        self.classes.get(name)
    }

    /// Labels of a namespace as selectors see them: its own labels plus the automatic
    /// `kubernetes.io/metadata.name` label. `None` when the Namespace is not in the inputs
    /// (then only the automatic label is known).
    pub fn namespace_labels(&self, name: &str) -> (BTreeMap<String, String>, bool) {
        let (mut labels, known) = match self.namespace(name) {
            Some(ns) => (ns.labels.clone(), true),
            None => (BTreeMap::new(), false),
        };
        labels.insert("kubernetes.io/metadata.name".into(), name.to_owned());
        (labels, known)
    }

    /// Whether a ReferenceGrant in `to_namespace` lets objects of `from_kind` in
    /// `from_namespace` refer to `to_group`/`to_kind` `to_name` there. Same-namespace
    /// references need no grant.
    pub fn granted(
        &self,
        from_kind: &str,
        from_namespace: &str,
        to_group: &str,
        to_kind: &str,
        to_namespace: &str,
        to_name: &str,
    ) -> bool {
        if from_namespace == to_namespace {
            return true;
        }
        let Some(candidates) = self.grants_by_namespace.get(to_namespace) else {
            return false;
        };
        candidates.iter().map(|&i| &self.grants[i]).any(|g| {
            g.from.iter().any(|f| {
                f.group == GATEWAY_GROUP && f.kind == from_kind && f.namespace == from_namespace
            }) && g.to.iter().any(|t| {
                t.group == to_group
                    && t.kind == to_kind
                    && t.name.as_deref().is_none_or(|n| n == to_name)
            })
        })
    }
}

/// What is wrong with a Service backendRef, in the order an implementation finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendProblem {
    /// Another namespace, and no ReferenceGrant there admits the route (RefNotPermitted).
    NotGranted,
    /// No such Service in the inputs (BackendNotFound when the inputs are complete).
    ServiceMissing,
    /// The Service has no such port.
    PortMissing,
}

impl<'a> Graph<'a> {
    /// Every problem with a Service backendRef of `route`: the one decision that lint's
    /// backend rules and the simulator's HTTP 500 share, so that they never disagree. A
    /// mesh route (every parent a Service) needs no ReferenceGrant for a backend in another
    /// namespace (GEP-1426: the mesh's own authorization governs that traffic).
    pub fn backend_problems(&self, route: &Route, b: &BackendRef) -> Vec<BackendProblem> {
        let mut problems = Vec::new();
        if b.namespace != route.namespace
            && !route.is_mesh_only()
            && !self.granted(
                route.kind.as_str(),
                &route.namespace,
                "",
                "Service",
                &b.namespace,
                &b.name,
            )
        {
            problems.push(BackendProblem::NotGranted);
        }
        match self.service(&b.namespace, &b.name) {
            None => problems.push(BackendProblem::ServiceMissing),
            Some(svc) if b.port.is_some_and(|p| !svc.has_port(p)) => {
                problems.push(BackendProblem::PortMissing)
            }
            Some(_) => {}
        }
        problems
    }
}

/// The namespace an object lives in when applied.
pub fn namespace_of(inventory: &Inventory, o: &Object) -> String {
    o.namespace
        .clone()
        .unwrap_or_else(|| inventory.default_namespace.clone())
}

/// Why a listener does not accept a route through one parentRef.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `sectionName` names another listener.
    SectionName,
    /// `port` is another port.
    Port,
    /// The listener's protocol does not carry this route kind.
    Protocol,
    /// `allowedRoutes.kinds` does not list this route kind.
    Kind,
    /// `allowedRoutes.namespaces` does not admit the route's namespace; `why` says why.
    /// `unlabelled`: the route's Namespace is not in the inputs, so only its automatic
    /// `kubernetes.io/metadata.name` label is known, and labels it may have in the cluster
    /// could make the selector match ([`Refusal::describe`] then says so after `why`; every
    /// other check of the listener passed).
    Namespace { why: String, unlabelled: bool },
    /// No route hostname intersects the listener's hostname.
    Hostname,
}

impl Refusal {
    /// Words for "listener `x` ...", used in messages.
    pub fn describe(&self, route: &Route, listener: &Listener) -> String {
        match self {
            Refusal::SectionName => "has a different name".into(),
            Refusal::Port => format!(
                "listens on port {}",
                listener.port.map_or("?".into(), |p| p.to_string())
            ),
            Refusal::Protocol if listener.protocol == "TLS" && listener.passthrough() => format!(
                "uses protocol TLS in Passthrough mode, which carries only TLSRoutes, not {}s",
                route.kind.as_str()
            ),
            Refusal::Protocol => format!(
                "uses protocol {}, which does not carry {}s",
                listener.protocol,
                route.kind.as_str()
            ),
            Refusal::Kind => format!(
                "allows only {}",
                listener
                    .allowed_kinds
                    .as_ref()
                    .map(|k| k
                        .iter()
                        .map(|(_, k)| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default()
            ),
            Refusal::Namespace {
                why,
                unlabelled: true,
            } => format!("{why} ({})", missing_namespace_note(&route.namespace)),
            Refusal::Namespace { why, .. } => why.clone(),
            Refusal::Hostname => format!(
                "has hostname \"{}\", which none of the route's hostnames ({}) matches",
                listener.hostname.as_deref().unwrap_or("*"),
                route
                    .hostnames
                    .iter()
                    .map(|h| format!("\"{h}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// How one parentRef to a Gateway or a ListenerSet resolves.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// The Gateway: the one named, or the ListenerSet's parent.
    pub gateway: usize,
    /// For a parentRef to a ListenerSet: the ListenerSet (index into
    /// [`Graph::listener_sets`]) and whether its Gateway admits it; when it does not,
    /// `listeners` is empty.
    pub listener_set: Option<(usize, Result<(), Refusal>)>,
    /// Each listener of the parent (the Gateway's own for a Gateway, the ListenerSet's for a
    /// ListenerSet), by its index in [`Graph::merged`]'s list, with `Ok` when it accepts the
    /// route.
    pub listeners: Vec<(usize, Result<(), Refusal>)>,
}

impl Attachment {
    pub fn accepted(&self) -> impl Iterator<Item = usize> + '_ {
        self.listeners
            .iter()
            .filter(|(_, r)| r.is_ok())
            .map(|(i, _)| *i)
    }
}

/// Decide, for every listener of the parent (a Gateway's own listeners, or a ListenerSet's),
/// whether it accepts `route` through `parent`, following the Gateway API rules: sectionName
/// and port select listeners; the listener's protocol and `allowedRoutes` must admit the
/// route's kind and namespace; and for HTTP-like and TLS routes a hostname must intersect. A
/// parentRef to a Gateway reaches only the Gateway's own listeners, one to a ListenerSet only
/// that ListenerSet's (GEP-1713), and a ListenerSet's listeners take routes only while its
/// Gateway admits it. `None` when the parentRef names no Gateway or ListenerSet in the
/// inputs, or a ListenerSet whose Gateway is not in them.
pub fn attach(graph: &Graph, route: &Route, parent: &ParentRef) -> Option<Attachment> {
    if parent.is_listener_set() {
        let si = graph.listener_set_index(&parent.kind, &parent.namespace, &parent.name)?;
        let gi = graph.listener_set_gateway(si)?;
        let set = &graph.listener_sets[si];
        let merged = graph.merged(gi);
        let admitted = merged.admits(si).cloned().unwrap_or(Ok(()));
        let listeners = if admitted.is_ok() {
            merged
                .listeners
                .iter()
                .enumerate()
                .filter(|(_, ml)| ml.set == Some(si))
                .map(|(mi, ml)| {
                    let l = &set.listeners[ml.index];
                    (
                        mi,
                        listener_accepts(graph, &set.namespace, l, route, parent),
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        return Some(Attachment {
            gateway: gi,
            listener_set: Some((si, admitted)),
            listeners,
        });
    }
    if !parent.is_gateway() {
        return None;
    }
    let gi = graph.gateway_index(&parent.namespace, &parent.name)?;
    let gw = &graph.gateways[gi];
    // A Gateway's own listeners come first in its merged list, at their own indexes.
    let listeners = gw
        .listeners
        .iter()
        .enumerate()
        .map(|(li, l)| (li, listener_accepts(graph, &gw.namespace, l, route, parent)))
        .collect();
    Some(Attachment {
        gateway: gi,
        listener_set: None,
        listeners,
    })
}

/// Whether listener `l`, of a Gateway or ListenerSet in `owner_namespace` (what
/// `allowedRoutes.namespaces.from: Same` means), accepts `route` through `parent`.
fn listener_accepts(
    graph: &Graph,
    owner_namespace: &str,
    l: &Listener,
    route: &Route,
    parent: &ParentRef,
) -> Result<(), Refusal> {
    if parent.section_name.as_deref().is_some_and(|s| s != l.name) {
        return Err(Refusal::SectionName);
    }
    if parent.port.is_some() && parent.port != l.port {
        return Err(Refusal::Port);
    }
    if !l.carries(route.kind) {
        return Err(Refusal::Protocol);
    }
    if let Some(kinds) = &l.allowed_kinds
        && !kinds
            .iter()
            .any(|(g, k)| g == GATEWAY_GROUP && k == route.kind.as_str())
    {
        return Err(Refusal::Kind);
    }
    let hostname_ok = !route.kind.uses_hostnames()
        || hostname::any_intersect(l.hostname.as_deref(), &route.hostnames);
    match namespace_allowed(graph, owner_namespace, l, &route.namespace) {
        // A refusal only for want of the Namespace's labels is a maybe: a hostname that
        // does not match refuses the route for sure, so that is the reason to give.
        Err(Refusal::Namespace {
            unlabelled: true, ..
        }) if !hostname_ok => Err(Refusal::Hostname),
        Err(r) => Err(r),
        Ok(()) if !hostname_ok => Err(Refusal::Hostname),
        Ok(()) => Ok(()),
    }
}

/// Why a refusal of a namespace whose Namespace object is not in the inputs is uncertain.
pub fn missing_namespace_note(namespace: &str) -> String {
    format!(
        "Namespace \"{namespace}\" is not in the inputs, so only its kubernetes.io/metadata.name label is known"
    )
}

fn namespace_allowed(
    graph: &Graph,
    owner_namespace: &str,
    l: &Listener,
    route_ns: &str,
) -> Result<(), Refusal> {
    match &l.from {
        From::All => Ok(()),
        From::Same if route_ns == owner_namespace => Ok(()),
        From::Same => Err(Refusal::Namespace {
            why: format!(
                "admits only routes in its own namespace \"{owner_namespace}\" (allowedRoutes.namespaces.from: Same), not \"{route_ns}\""
            ),
            unlabelled: false,
        }),
        From::Selector(sel) => {
            let (labels, known) = graph.namespace_labels(route_ns);
            if sel.matches(&labels) {
                Ok(())
            } else {
                let why = format!(
                    "admits only namespaces matching its selector {}, and \"{route_ns}\" does not match",
                    sel.describe()
                );
                // Without the Namespace object, the selector fails for sure only when what
                // is known (the name label) already decides it.
                let unlabelled = !known && sel.could_match_with_more_labels(&labels);
                Err(Refusal::Namespace { why, unlabelled })
            }
        }
    }
}
