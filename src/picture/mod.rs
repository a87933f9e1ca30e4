//! The routing as a picture: nodes and edges drawn from the reference graph, for `gwctl
//! graph` and the HTML report.
//!
//! Owns what is drawn and in what order, not how: GatewayClasses → Gateways → listeners
//! (with the ListenerSets that add some) → routes → rules → backends, policies pointing at
//! what they target, the ReferenceGrant that allows each cross-namespace edge, attachments
//! that a listener refuses (with the reason, in gwctl's words from [`Refusal::describe`]),
//! objects referred to that are not in the inputs, and each node's findings
//! ([`Picture::mark`]). [`Picture::keep`] cuts the picture down to what touches a Gateway,
//! a route or a namespace. [`layout`] places the nodes for the SVG; the formats themselves
//! are in `crate::render::graph`.
//!
//! Everything is ordered by stable identifiers (kind, namespace, name, field), never by
//! input order or hashing, so the same objects give the same picture whatever order the
//! files were read in.

pub mod layout;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::fieldpath::FieldPath;
use crate::graph::{Graph, Refusal, Route, RouteKind};
use crate::model::{GATEWAY_GROUP, Object};
use crate::source::FileId;

/// What a node stands for; also its column in the drawing, left to right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum NodeKind {
    GatewayClass,
    Gateway,
    ListenerSet,
    Listener,
    Route,
    Rule,
    Backend,
    Policy,
}

impl NodeKind {
    /// The column of the layered drawing: traffic flows left to right, policies sit right
    /// of the backends most of them target.
    pub fn column(self) -> usize {
        self as usize
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::GatewayClass => "gatewayClass",
            NodeKind::Gateway => "gateway",
            NodeKind::ListenerSet => "listenerSet",
            NodeKind::Listener => "listener",
            NodeKind::Route => "route",
            NodeKind::Rule => "rule",
            NodeKind::Backend => "backend",
            NodeKind::Policy => "policy",
        }
    }
}

/// What an edge means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum EdgeKind {
    /// A GatewayClass to a Gateway of the class.
    Class,
    /// A Gateway (or ListenerSet) to one of its listeners.
    Listener,
    /// A Gateway to a ListenerSet that names it as its parent.
    ListenerSet,
    /// A listener to a route it accepts.
    Attached,
    /// A parent to a route it refuses, or that names no object gwctl has.
    Refused,
    /// A route to one of its rules.
    Rule,
    /// A rule to a backend it sends requests to (the label holds port and weight).
    Backend,
    /// A rule to a backend its RequestMirror filter copies requests to.
    Mirror,
    /// A policy to what it targets.
    Policy,
}

/// Where a node is written: the file and byte offset of its object, or of its part of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct At {
    pub file: FileId,
    pub offset: usize,
}

/// One box of the picture.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    /// Stable and unique: `Gateway/infra/web`, `Gateway/infra/web/listener/http`,
    /// `HTTPRoute/shop/store/rule/0`, `Service/shop/store`.
    pub id: String,
    pub kind: NodeKind,
    /// The object's kind (`HTTPRoute`, `Service`; `Gateway` for a Gateway's listener).
    pub object_kind: String,
    /// Empty for cluster-scoped GatewayClasses.
    pub namespace: String,
    /// The object's name (the owner's for listeners and rules).
    pub name: String,
    /// The first line shown: a name, `http :80 HTTP`, `rule 1 checkout`.
    pub label: String,
    /// Further lines: a route's hostnames, a rule's matches.
    pub detail: Vec<String>,
    /// Referred to, but not in the inputs.
    pub missing: bool,
    /// The worst severity of the node's findings (after [`Picture::mark`]).
    pub severity: Option<Severity>,
    /// How many findings are about the node.
    pub findings: usize,
    #[serde(skip)]
    pub at: Option<At>,
    /// The field of the object the node stands for (`spec.listeners[0]`), so findings on a
    /// listener or a rule mark that node rather than the whole object.
    #[serde(skip)]
    pub field: Option<String>,
    /// The name a policy's `sectionName` picks the node by: a listener's or a rule's name.
    #[serde(skip)]
    pub section: Option<String>,
}

/// One arrow of the picture, between indexes into [`Picture::nodes`].
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// Why a refused edge is refused; port and weight of a backend edge.
    pub label: Option<String>,
    /// The ReferenceGrant (`namespace/name`) that allows this cross-namespace edge.
    pub grant: Option<String>,
}

/// The routing of a set of objects as nodes and edges, in a stable order.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Picture {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// What [`Picture::keep`] keeps: what touches every given filter.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// `--gateway NAMESPACE/NAME`.
    pub gateways: Vec<(String, String)>,
    /// `--route NAMESPACE/NAME` (a route of any kind).
    pub routes: Vec<(String, String)>,
    /// `--namespace NAMESPACE`.
    pub namespaces: Vec<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.gateways.is_empty() && self.routes.is_empty() && self.namespaces.is_empty()
    }
}

/// An edge as it is found: from and to by node id, kind, label, grant.
type EdgeKey = (String, String, EdgeKind, Option<String>, Option<String>);

/// Nodes and edges as they are found, keyed by id so that the final order is the ids'.
#[derive(Default)]
struct Builder {
    nodes: BTreeMap<String, Node>,
    edges: BTreeSet<EdgeKey>,
}

impl Builder {
    /// The node `id`, made by `make` the first time it is named. A node first made as
    /// missing becomes present when the object itself is found.
    fn node(&mut self, id: String, make: impl FnOnce() -> Node) -> String {
        let fresh = make();
        match self.nodes.get_mut(&id) {
            Some(n) if n.missing && !fresh.missing => *n = fresh,
            Some(_) => {}
            None => {
                self.nodes.insert(id.clone(), fresh);
            }
        }
        id
    }

    fn edge(&mut self, from: &str, to: &str, kind: EdgeKind, label: Option<String>) {
        self.edges
            .insert((from.to_owned(), to.to_owned(), kind, label, None));
    }

    fn granted_edge(
        &mut self,
        from: &str,
        to: &str,
        kind: EdgeKind,
        label: Option<String>,
        grant: Option<String>,
    ) {
        self.edges
            .insert((from.to_owned(), to.to_owned(), kind, label, grant));
    }

    /// Nodes in column order (kind), then by id; edges by their ends.
    fn finish(self) -> Picture {
        let mut nodes: Vec<Node> = self.nodes.into_values().collect();
        nodes.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
        let index: BTreeMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let mut edges: Vec<Edge> = self
            .edges
            .iter()
            .filter_map(|(from, to, kind, label, grant)| {
                Some(Edge {
                    from: *index.get(from.as_str())?,
                    to: *index.get(to.as_str())?,
                    kind: *kind,
                    label: label.clone(),
                    grant: grant.clone(),
                })
            })
            .collect();
        edges.sort();
        Picture { nodes, edges }
    }
}

fn object_id(kind: &str, namespace: &str, name: &str) -> String {
    if namespace.is_empty() {
        format!("{kind}/{name}")
    } else {
        format!("{kind}/{namespace}/{name}")
    }
}

fn at(o: &Object, field: Option<&FieldPath>) -> Option<At> {
    let offset = match field {
        Some(f) => o.shape.locate(f).nearest.start,
        None => o.shape.span().start,
    };
    Some(At {
        file: o.file,
        offset,
    })
}

fn object_node(kind: NodeKind, o: &Object, namespace: &str) -> Node {
    Node {
        id: String::new(),
        kind,
        object_kind: o.kind.clone(),
        namespace: namespace.to_owned(),
        name: o.name.clone(),
        label: o.name.clone(),
        detail: Vec::new(),
        missing: false,
        severity: None,
        findings: 0,
        at: at(o, None),
        field: None,
        section: None,
    }
}

fn missing_node(kind: NodeKind, object_kind: &str, namespace: &str, name: &str) -> Node {
    Node {
        id: String::new(),
        kind,
        object_kind: object_kind.to_owned(),
        namespace: namespace.to_owned(),
        name: name.to_owned(),
        label: name.to_owned(),
        detail: vec!["not in the inputs".to_owned()],
        missing: true,
        severity: None,
        findings: 0,
        at: None,
        field: None,
        section: None,
    }
}

fn with_id(mut n: Node, id: &str) -> Node {
    n.id = id.to_owned();
    n
}

impl Picture {
    /// The picture of every object in `graph`.
    pub fn build(graph: &Graph) -> Picture {
        let mut b = Builder::default();
        // Listener node ids by (Gateway index, merged listener index).
        let mut listener_ids: BTreeMap<(usize, usize), String> = BTreeMap::new();

        for (gi, gw) in graph.gateways.iter().enumerate() {
            let gid = object_id("Gateway", &gw.namespace, &gw.name);
            // A second definition of a name is the loader's finding; the first is drawn.
            if graph.gateway_index(&gw.namespace, &gw.name) != Some(gi) {
                continue;
            }
            b.node(gid.clone(), || {
                with_id(
                    object_node(NodeKind::Gateway, gw.object, &gw.namespace),
                    &gid,
                )
            });
            if let Some(class) = &gw.class {
                let cid = object_id("GatewayClass", "", class);
                match graph.class(class) {
                    Some(c) => b.node(cid.clone(), || {
                        with_id(object_node(NodeKind::GatewayClass, c.object, ""), &cid)
                    }),
                    None => b.node(cid.clone(), || {
                        with_id(
                            missing_node(NodeKind::GatewayClass, "GatewayClass", "", class),
                            &cid,
                        )
                    }),
                };
                b.edge(&cid, &gid, EdgeKind::Class, None);
            }
            let merged = graph.merged(gi);
            for (mi, ml) in merged.listeners.iter().enumerate() {
                let l = graph.listener(gi, mi);
                let (owner_id, owner, owner_ns) = match ml.set {
                    None => (gid.clone(), gw.object, gw.namespace.as_str()),
                    Some(si) => {
                        let set = &graph.listener_sets[si];
                        (
                            object_id(&set.kind, &set.namespace, &set.name),
                            set.object,
                            set.namespace.as_str(),
                        )
                    }
                };
                let lid = format!("{owner_id}/listener/{}", l.name);
                let mut label = format!("{} :{} {}", l.name, port(l.port), l.protocol);
                if ml.conflict.is_some() {
                    label.push_str(" (conflict)");
                }
                b.node(lid.clone(), || Node {
                    id: lid.clone(),
                    kind: NodeKind::Listener,
                    object_kind: owner.kind.clone(),
                    namespace: owner_ns.to_owned(),
                    name: owner.name.clone(),
                    label,
                    detail: l.hostname.iter().cloned().collect(),
                    missing: false,
                    severity: None,
                    findings: 0,
                    at: at(owner, Some(&l.path)),
                    field: Some(l.path.to_string()),
                    section: Some(l.name.clone()),
                });
                b.edge(&owner_id, &lid, EdgeKind::Listener, None);
                listener_ids.insert((gi, mi), lid);
            }
            // Every ListenerSet that names the Gateway, admitted or not.
            for (si, admitted) in &merged.sets {
                let set = &graph.listener_sets[*si];
                let sid = object_id(&set.kind, &set.namespace, &set.name);
                b.node(sid.clone(), || {
                    with_id(
                        object_node(NodeKind::ListenerSet, set.object, &set.namespace),
                        &sid,
                    )
                });
                match admitted {
                    Ok(()) => b.edge(&gid, &sid, EdgeKind::ListenerSet, None),
                    Err(r) => b.edge(&gid, &sid, EdgeKind::Refused, Some(set_refusal(r))),
                }
            }
        }
        // ListenerSets whose Gateway is not in the inputs.
        for (si, set) in graph.listener_sets.iter().enumerate() {
            if graph.listener_set_gateway(si).is_some()
                || graph.listener_set_index(&set.kind, &set.namespace, &set.name) != Some(si)
            {
                continue;
            }
            let sid = object_id(&set.kind, &set.namespace, &set.name);
            b.node(sid.clone(), || {
                with_id(
                    object_node(NodeKind::ListenerSet, set.object, &set.namespace),
                    &sid,
                )
            });
            let p = &set.parent;
            let pid = object_id(&p.kind, &p.namespace, &p.name);
            b.node(pid.clone(), || {
                with_id(
                    missing_node(NodeKind::Gateway, &p.kind, &p.namespace, &p.name),
                    &pid,
                )
            });
            b.edge(
                &pid,
                &sid,
                EdgeKind::Refused,
                Some("not in the inputs".into()),
            );
        }

        for (ri, route) in graph.routes.iter().enumerate() {
            route_nodes(graph, &mut b, &listener_ids, ri, route);
        }

        let policies = graph
            .policies
            .iter()
            .map(|p| (p.object, &p.namespace, &p.targets))
            .chain(
                graph
                    .other_policies
                    .iter()
                    .map(|p| (p.object, &p.namespace, &p.targets)),
            );
        for (o, ns, targets) in policies {
            let pid = object_id(&o.kind, ns, &o.name);
            b.node(pid.clone(), || {
                with_id(object_node(NodeKind::Policy, o, ns), &pid)
            });
            for (t, section) in targets {
                let tid = target_node(graph, &mut b, t, section.as_deref());
                b.edge(&pid, &tid, EdgeKind::Policy, section.clone());
            }
        }
        b.finish()
    }

    /// Attach `diagnostics` to the nodes they are about: the node of the finding's object
    /// whose field is the longest prefix of the finding's field (a listener, a rule), else
    /// the object's own node. Sets each node's finding count and worst severity, and returns
    /// the node of each finding (`None` for findings about no drawn object). Objects that
    /// name no namespace are in `default_namespace`, as when applied.
    pub fn mark(
        &mut self,
        diagnostics: &[Diagnostic],
        default_namespace: &str,
    ) -> Vec<Option<usize>> {
        // Nodes by (object kind, namespace, name), each object's own node first.
        let mut by_object: BTreeMap<(&str, &str, &str), Vec<usize>> = BTreeMap::new();
        for (i, n) in self.nodes.iter().enumerate() {
            if n.missing {
                continue;
            }
            by_object
                .entry((&n.object_kind, &n.namespace, &n.name))
                .or_default()
                .push(i);
        }
        let found: Vec<Option<usize>> = diagnostics
            .iter()
            .map(|d| {
                let o = d.object.as_deref()?;
                let ns = match &o.namespace {
                    Some(ns) => ns.as_str(),
                    // Cluster-scoped kinds keep an empty namespace in the picture.
                    None if o.kind == "GatewayClass" => "",
                    None => default_namespace,
                };
                let candidates = by_object.get(&(o.kind.as_str(), ns, o.name.as_str()))?;
                let field = d.field.as_deref().unwrap_or("");
                let mut best: Option<(usize, usize)> = None;
                for &i in candidates {
                    let len = match &self.nodes[i].field {
                        None => 0,
                        Some(f) if field_within(field, f) => f.len(),
                        Some(_) => continue,
                    };
                    if best.is_none_or(|(_, l)| len > l) {
                        best = Some((i, len));
                    }
                }
                best.map(|(i, _)| i)
            })
            .collect();
        for (d, node) in diagnostics.iter().zip(&found) {
            if let Some(i) = node {
                let n = &mut self.nodes[*i];
                n.findings += 1;
                n.severity = n.severity.max(Some(d.severity));
            }
        }
        found
    }

    /// The part of the picture that touches every filter: for each filter, the nodes it
    /// names, everything downstream of them (what they send traffic to) and upstream (what
    /// sends traffic to them), and the policies on those. An error, saying which, when a
    /// filter names nothing drawn.
    pub fn keep(&self, filter: &Filter) -> Result<Picture, String> {
        let mut kept: Option<BTreeSet<usize>> = None;
        let mut intersect = |set: BTreeSet<usize>| {
            kept = Some(match kept.take() {
                None => set,
                Some(k) => k.intersection(&set).copied().collect(),
            });
        };
        // Each flag's seeds: what it selects, and what to say when nothing matches.
        let named = |kind: NodeKind, ns: &str, name: &str| {
            self.seeds(|n| n.kind == kind && !n.missing && n.namespace == ns && n.name == name)
        };
        let selections = filter
            .gateways
            .iter()
            .map(|(ns, name)| {
                let missing =
                    format!("--gateway {ns}/{name}: no Gateway {ns}/{name} in the inputs");
                (named(NodeKind::Gateway, ns, name), missing)
            })
            .chain(filter.routes.iter().map(|(ns, name)| {
                let missing = format!("--route {ns}/{name}: no route {ns}/{name} in the inputs");
                (named(NodeKind::Route, ns, name), missing)
            }))
            .chain(filter.namespaces.iter().map(|ns| {
                let missing = format!("--namespace {ns}: nothing drawn is in namespace \"{ns}\"");
                (self.seeds(|n| n.namespace == *ns), missing)
            }));
        for (seeds, missing) in selections {
            if seeds.is_empty() {
                return Err(missing);
            }
            intersect(self.touching(&seeds));
        }
        let Some(kept) = kept else {
            return Ok(self.clone());
        };
        let renumber: BTreeMap<usize, usize> = kept
            .iter()
            .enumerate()
            .map(|(new, &old)| (old, new))
            .collect();
        Ok(Picture {
            nodes: kept.iter().map(|&i| self.nodes[i].clone()).collect(),
            edges: self
                .edges
                .iter()
                .filter_map(|e| {
                    Some(Edge {
                        from: *renumber.get(&e.from)?,
                        to: *renumber.get(&e.to)?,
                        ..e.clone()
                    })
                })
                .collect(),
        })
    }

    fn seeds(&self, pick: impl Fn(&Node) -> bool) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| pick(&self.nodes[i]))
            .collect()
    }

    /// `seeds`, what is reachable from them along the edges and against them, and the
    /// policies that target any of those.
    fn touching(&self, seeds: &[usize]) -> BTreeSet<usize> {
        let walk = |forward: bool| {
            let mut seen: BTreeSet<usize> = seeds.iter().copied().collect();
            let mut todo: Vec<usize> = seeds.to_vec();
            while let Some(n) = todo.pop() {
                for e in &self.edges {
                    // Policies are added after, for what is kept: following them would
                    // reach every other target of a policy.
                    if e.kind == EdgeKind::Policy {
                        continue;
                    }
                    let (a, b) = if forward {
                        (e.from, e.to)
                    } else {
                        (e.to, e.from)
                    };
                    if a == n && seen.insert(b) {
                        todo.push(b);
                    }
                }
            }
            seen
        };
        let mut set = walk(true);
        set.extend(walk(false));
        let policies: Vec<usize> = self
            .edges
            .iter()
            .filter(|e| e.kind == EdgeKind::Policy && set.contains(&e.to))
            .map(|e| e.from)
            .collect();
        set.extend(policies);
        set
    }

    /// The namespaces drawn, in order (the empty one, of GatewayClasses, first).
    pub fn namespaces(&self) -> Vec<&str> {
        let set: BTreeSet<&str> = self.nodes.iter().map(|n| n.namespace.as_str()).collect();
        set.into_iter().collect()
    }
}

/// Whether `field` is `prefix` or a field inside it (`spec.rules[1].x` is inside
/// `spec.rules[1]`, `spec.rules[10]` is not).
fn field_within(field: &str, prefix: &str) -> bool {
    field
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

fn port(p: Option<i64>) -> String {
    p.map_or("?".to_owned(), |p| p.to_string())
}

/// Why a Gateway does not take a ListenerSet's listeners.
fn set_refusal(r: &Refusal) -> String {
    match r {
        Refusal::Namespace { why, .. } => format!("not admitted: {why}"),
        _ => "not admitted".to_owned(),
    }
}

/// The route's node, its edges from the listeners (accepted and refused), its rules and
/// their backends.
fn route_nodes(
    graph: &Graph,
    b: &mut Builder,
    listener_ids: &BTreeMap<(usize, usize), String>,
    ri: usize,
    route: &Route,
) {
    let kind = route.kind.as_str();
    let rid = object_id(kind, &route.namespace, &route.name);
    b.node(rid.clone(), || {
        let mut n = object_node(NodeKind::Route, route.object, &route.namespace);
        n.id = rid.clone();
        n.detail = route.hostnames.clone();
        n
    });
    for (pi, parent) in route.parents.iter().enumerate() {
        if parent.is_service() {
            // A mesh route: the Service it is attached to takes its traffic.
            let sid = service_node(graph, b, &parent.namespace, &parent.name);
            b.edge(&sid, &rid, EdgeKind::Attached, Some("mesh".into()));
            continue;
        }
        let Some(att) = graph.attachment(ri, pi) else {
            // A Gateway or ListenerSet that is not in the inputs (or whose own Gateway is not).
            let node_kind = if parent.is_listener_set() {
                NodeKind::ListenerSet
            } else {
                NodeKind::Gateway
            };
            let pid = object_id(&parent.kind, &parent.namespace, &parent.name);
            let exists = parent.is_listener_set()
                && graph
                    .listener_set_index(&parent.kind, &parent.namespace, &parent.name)
                    .is_some();
            if !exists {
                b.node(pid.clone(), || {
                    with_id(
                        missing_node(node_kind, &parent.kind, &parent.namespace, &parent.name),
                        &pid,
                    )
                });
            }
            let why = if exists {
                "its Gateway is not in the inputs"
            } else if parent.is_gateway() || parent.is_listener_set() {
                "not in the inputs"
            } else {
                "not a parent kind gwctl reads"
            };
            b.edge(&pid, &rid, EdgeKind::Refused, Some(why.into()));
            continue;
        };
        let gw = &graph.gateways[att.gateway];
        if let Some((si, Err(r))) = &att.listener_set {
            let set = &graph.listener_sets[*si];
            let sid = object_id(&set.kind, &set.namespace, &set.name);
            b.edge(&sid, &rid, EdgeKind::Refused, Some(set_refusal(r)));
            continue;
        }
        let mut accepted = false;
        for (mi, result) in &att.listeners {
            if result.is_ok() {
                accepted = true;
                if let Some(lid) = listener_ids.get(&(att.gateway, *mi)) {
                    b.edge(lid, &rid, EdgeKind::Attached, None);
                }
            }
        }
        if accepted {
            continue;
        }
        // Refused by every listener: draw why, from each listener the parentRef selects.
        let mut drawn = false;
        for (mi, result) in &att.listeners {
            let Err(r) = result else { continue };
            if matches!(r, Refusal::SectionName | Refusal::Port) {
                continue;
            }
            if let Some(lid) = listener_ids.get(&(att.gateway, *mi)) {
                let listener = graph.listener(att.gateway, *mi);
                b.edge(
                    lid,
                    &rid,
                    EdgeKind::Refused,
                    Some(format!("refused: {}", r.describe(route, listener))),
                );
                drawn = true;
            }
        }
        if !drawn {
            // No listener is selected: the sectionName or port names none.
            let owner = match &att.listener_set {
                Some((si, _)) => {
                    let set = &graph.listener_sets[*si];
                    object_id(&set.kind, &set.namespace, &set.name)
                }
                None => object_id("Gateway", &gw.namespace, &gw.name),
            };
            let why = match (&parent.section_name, parent.port) {
                (Some(s), Some(p)) => format!("no listener \"{s}\" on port {p}"),
                (Some(s), None) => format!("no listener \"{s}\""),
                (None, Some(p)) => format!("no listener on port {p}"),
                (None, None) => "no listener".to_owned(),
            };
            b.edge(&owner, &rid, EdgeKind::Refused, Some(why));
        }
    }
    for rule in &route.rules {
        let id = format!("{rid}/rule/{}", rule.index);
        // As findings name the rule's field, with its name when it has one.
        let mut label = format!("rules[{}]", rule.index);
        if let Some(name) = &rule.name {
            label.push(' ');
            label.push_str(name);
        }
        let detail = if matches!(route.kind, RouteKind::Http | RouteKind::Grpc) {
            rule.matches().iter().take(3).map(describe_match).collect()
        } else {
            Vec::new()
        };
        b.node(id.clone(), || Node {
            id: id.clone(),
            kind: NodeKind::Rule,
            object_kind: kind.to_owned(),
            namespace: route.namespace.clone(),
            name: route.name.clone(),
            label,
            detail,
            missing: false,
            severity: None,
            findings: 0,
            at: at(route.object, Some(&rule.path)),
            field: Some(rule.path.to_string()),
            section: rule.name.clone(),
        });
        b.edge(&rid, &id, EdgeKind::Rule, None);
        let several = rule.backends.len() > 1;
        for be in rule.backends.iter().chain(&rule.mirrors) {
            let bid = if be.is_service() {
                service_node(graph, b, &be.namespace, &be.name)
            } else {
                let bid = object_id(&be.kind, &be.namespace, &be.name);
                // A backend of an implementation's kind: gwctl does not read those, so it
                // is neither found nor missing.
                b.node(bid.clone(), || Node {
                    id: bid.clone(),
                    kind: NodeKind::Backend,
                    object_kind: be.kind.clone(),
                    namespace: be.namespace.clone(),
                    name: be.name.clone(),
                    label: be.name.clone(),
                    detail: vec![format!("{} (not checked by gwctl)", be.group)],
                    missing: false,
                    severity: None,
                    findings: 0,
                    at: None,
                    field: None,
                    section: None,
                });
                bid
            };
            let mut label = Vec::new();
            if let Some(p) = be.port {
                label.push(format!(":{p}"));
            }
            if be.mirror {
                label.push("mirror".to_owned());
            } else if several || be.weight != 1 {
                label.push(format!("weight {}", be.weight));
            }
            let label = (!label.is_empty()).then(|| label.join(" "));
            let kind = if be.mirror {
                EdgeKind::Mirror
            } else {
                EdgeKind::Backend
            };
            if be.namespace == route.namespace || route.is_mesh_only() {
                b.edge(&id, &bid, kind, label);
                continue;
            }
            match grant_for(graph, route, &be.group, &be.kind, &be.namespace, &be.name) {
                Some(grant) => b.granted_edge(&id, &bid, kind, label, Some(grant)),
                None => b.edge(
                    &id,
                    &bid,
                    EdgeKind::Refused,
                    Some(format!(
                        "no ReferenceGrant in \"{}\" allows it{}",
                        be.namespace,
                        label.map(|l| format!(" ({l})")).unwrap_or_default()
                    )),
                ),
            }
        }
    }
}

/// The node of Service `namespace/name`, made missing when it is not in the inputs.
fn service_node(graph: &Graph, b: &mut Builder, namespace: &str, name: &str) -> String {
    let id = object_id("Service", namespace, name);
    match graph.service(namespace, name) {
        Some(svc) => b.node(id.clone(), || {
            let mut n = object_node(NodeKind::Backend, svc.object, namespace);
            n.id = id.clone();
            if !svc.ports.is_empty() {
                n.detail = vec![format!("ports {}", svc.port_list())];
            }
            n
        }),
        None => b.node(id.clone(), || {
            with_id(
                missing_node(NodeKind::Backend, "Service", namespace, name),
                &id,
            )
        }),
    }
}

/// The node a policy's target names: a drawn Gateway, route, or their listener or rule by
/// `section`; a Service; or a missing node of the target's kind.
fn target_node(
    graph: &Graph,
    b: &mut Builder,
    t: &crate::graph::ObjectRefAt,
    section: Option<&str>,
) -> String {
    if (t.group.is_empty() || t.group == "core") && t.kind == "Service" {
        return service_node(graph, b, &t.namespace, &t.name);
    }
    let id = object_id(&t.kind, &t.namespace, &t.name);
    if t.group == GATEWAY_GROUP
        && let Some(section) = section
    {
        let by_section = b
            .nodes
            .iter()
            .find(|(nid, n)| {
                nid.starts_with(&format!("{id}/")) && n.section.as_deref() == Some(section)
            })
            .map(|(nid, _)| nid.clone());
        if let Some(nid) = by_section {
            return nid;
        }
    }
    if b.nodes.contains_key(&id) {
        return id;
    }
    let kind = match t.kind.as_str() {
        "Gateway" => NodeKind::Gateway,
        k if RouteKind::from_kind(k).is_some() => NodeKind::Route,
        "ListenerSet" | "XListenerSet" => NodeKind::ListenerSet,
        _ => NodeKind::Backend,
    };
    b.node(id.clone(), || {
        with_id(missing_node(kind, &t.kind, &t.namespace, &t.name), &id)
    })
}

/// The ReferenceGrant (`namespace/name`) that lets `route` refer to the object; the first by
/// name when several do.
fn grant_for(
    graph: &Graph,
    route: &Route,
    group: &str,
    kind: &str,
    namespace: &str,
    name: &str,
) -> Option<String> {
    let mut names: Vec<String> = graph
        .grants
        .iter()
        .filter(|g| g.namespace == namespace)
        .filter(|g| {
            g.from.iter().any(|f| {
                f.group == GATEWAY_GROUP
                    && f.kind == route.kind.as_str()
                    && f.namespace == route.namespace
            }) && g.to.iter().any(|t| {
                t.group == group && t.kind == kind && t.name.as_deref().is_none_or(|n| n == name)
            })
        })
        .map(|g| format!("{}/{}", g.namespace, g.object.name))
        .collect();
    names.sort();
    names.into_iter().next()
}

/// A match in a few words: `PathPrefix /store`, `GET Exact /cart`, `grpc.Service/Method`.
fn describe_match(m: &crate::graph::Match) -> String {
    use crate::graph::Match;
    match m {
        Match::Http(h) => {
            let mut s = String::new();
            if let Some(method) = &h.method {
                s.push_str(method);
                s.push(' ');
            }
            s.push_str(h.path.kind.as_str());
            s.push(' ');
            s.push_str(&h.path.value);
            let extra = h.headers.len() + h.query_params.len();
            if extra > 0 {
                s.push_str(&format!(" +{extra}"));
            }
            s
        }
        Match::Grpc(g) => {
            let mut s = format!(
                "{}/{}",
                g.method.service.as_deref().unwrap_or("*"),
                g.method.method.as_deref().unwrap_or("*")
            );
            if !g.headers.is_empty() {
                s.push_str(&format!(" +{}", g.headers.len()));
            }
            s
        }
    }
}

#[cfg(test)]
mod tests;
