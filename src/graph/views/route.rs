//! The route view (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute): hostnames,
//! parentRefs, and rules with their matches, filters, backendRefs (with their own filters),
//! RequestMirror backends and session persistence; and the route's creation time, which
//! decides precedence between identical matches.

use serde_json::Value;

use super::{
    Filter, Match, MirrorShare, Retry, SessionPersistence, Timeouts, arr, created, int, s,
};
use crate::fieldpath::FieldPath;
use crate::model::{GATEWAY_GROUP, Object};

/// The route kinds of Gateway API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RouteKind {
    Http,
    Grpc,
    Tls,
    Tcp,
    Udp,
}

impl RouteKind {
    pub fn from_kind(kind: &str) -> Option<Self> {
        Some(match kind {
            "HTTPRoute" => RouteKind::Http,
            "GRPCRoute" => RouteKind::Grpc,
            "TLSRoute" => RouteKind::Tls,
            "TCPRoute" => RouteKind::Tcp,
            "UDPRoute" => RouteKind::Udp,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RouteKind::Http => "HTTPRoute",
            RouteKind::Grpc => "GRPCRoute",
            RouteKind::Tls => "TLSRoute",
            RouteKind::Tcp => "TCPRoute",
            RouteKind::Udp => "UDPRoute",
        }
    }

    /// Whether `spec.hostnames` takes part in attachment (TCP and UDP routes have none).
    pub fn uses_hostnames(self) -> bool {
        matches!(self, RouteKind::Http | RouteKind::Grpc | RouteKind::Tls)
    }
}

/// One entry of a route's `spec.parentRefs`.
#[derive(Debug, Clone)]
pub struct ParentRef {
    pub index: usize,
    pub path: FieldPath,
    pub group: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub section_name: Option<String>,
    pub port: Option<i64>,
}

impl ParentRef {
    pub fn is_gateway(&self) -> bool {
        self.group == GATEWAY_GROUP && self.kind == "Gateway"
    }

    pub fn is_service(&self) -> bool {
        (self.group.is_empty() || self.group == "core") && self.kind == "Service"
    }

    /// A ListenerSet (v1.5+) or XListenerSet (v1.3–v1.4): the route attaches to its
    /// listeners.
    pub fn is_listener_set(&self) -> bool {
        super::is_listener_set_kind(&self.group, &self.kind)
    }
}

/// A backendRef (of a rule, or of a RequestMirror filter).
#[derive(Debug, Clone)]
pub struct BackendRef {
    pub path: FieldPath,
    pub group: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub port: Option<i64>,
    pub weight: i64,
    /// Whether it came from a RequestMirror filter (mirrors carry no weight).
    pub mirror: bool,
    /// The backendRef's own filters, applied only to requests sent to it (none for a
    /// mirror).
    pub filters: Box<[Filter]>,
    /// For a mirror: the share of requests it copies (`percent` or `fraction`); `None`
    /// means every request.
    pub mirror_share: Option<MirrorShare>,
}

impl BackendRef {
    fn read(v: &Value, path: FieldPath, own_ns: &str, mirror: bool) -> Self {
        BackendRef {
            path,
            group: s(v, "group").unwrap_or("").to_owned(),
            kind: s(v, "kind").unwrap_or("Service").to_owned(),
            namespace: s(v, "namespace").unwrap_or(own_ns).to_owned(),
            name: s(v, "name").unwrap_or_default().to_owned(),
            port: int(v, "port"),
            weight: int(v, "weight").unwrap_or(1),
            mirror,
            filters: if mirror {
                Box::default()
            } else {
                Filter::read_all(arr(v, "filters"))
            },
            mirror_share: None,
        }
    }

    pub fn is_service(&self) -> bool {
        self.group.is_empty() && self.kind == "Service"
    }
}

/// One rule of a route.
#[derive(Debug, Clone)]
pub struct Rule {
    pub index: usize,
    pub path: FieldPath,
    /// `sessionPersistence`, when written (whatever its type; see
    /// [`SessionPersistence::is_object`]).
    pub session_persistence: Option<SessionPersistence>,
    /// The matches, never empty: absent or empty `matches` is read as the single default
    /// match. See [`Rule::matches`].
    matches: Box<[Match]>,
    /// The rule's filters, in order.
    pub filters: Box<[Filter]>,
    pub backends: Vec<BackendRef>,
    /// RequestMirror backends of the rule's filters and its backendRefs' filters.
    pub mirrors: Vec<BackendRef>,
    /// `name` (HTTPRoute and GRPCRoute rules), when a non-empty string.
    pub name: Option<String>,
    /// `timeouts` (HTTPRoute rules).
    pub timeouts: Option<Timeouts>,
    /// `retry` (HTTPRoute rules, experimental).
    pub retry: Option<Retry>,
}

impl Rule {
    /// The rule's matches; absent or empty means the single default match: `PathPrefix /`
    /// for HTTPRoute, every service and method for GRPCRoute. Shared by the precedence
    /// checks and the simulator so both see the same matches.
    pub fn matches(&self) -> &[Match] {
        &self.matches
    }

    fn read(r: &Value, index: usize, rpath: FieldPath, kind: RouteKind, namespace: &str) -> Self {
        let mut mirrors = Vec::new();
        // Any filter with a `requestMirror.backendRef` counts, whatever its `type` says: a
        // mirror target is a reference to check either way.
        let mut collect_mirrors = |filters: &[Value], fpath: FieldPath| {
            for (fi, f) in filters.iter().enumerate() {
                if let Some(b) = f.pointer("/requestMirror/backendRef") {
                    let mut mirror = BackendRef::read(
                        b,
                        fpath.index(fi).key("requestMirror").key("backendRef"),
                        namespace,
                        true,
                    );
                    mirror.mirror_share = f.get("requestMirror").and_then(MirrorShare::read);
                    mirrors.push(mirror);
                }
            }
        };
        collect_mirrors(arr(r, "filters"), rpath.key("filters"));
        let backends = arr(r, "backendRefs")
            .iter()
            .enumerate()
            .map(|(bi, b)| {
                let bpath = rpath.key("backendRefs").index(bi);
                collect_mirrors(arr(b, "filters"), bpath.key("filters"));
                BackendRef::read(b, bpath, namespace, false)
            })
            .collect();
        let matches = match r.get("matches").and_then(Value::as_array) {
            Some(m) if !m.is_empty() => m.iter().map(|m| Match::read(m, kind)).collect(),
            _ => Box::new([Match::default_for(kind)]) as Box<[Match]>,
        };
        Rule {
            index,
            path: rpath,
            session_persistence: r.get("sessionPersistence").map(SessionPersistence::read),
            matches,
            filters: Filter::read_all(arr(r, "filters")),
            backends,
            mirrors,
            name: s(r, "name").filter(|n| !n.is_empty()).map(str::to_owned),
            timeouts: (kind == RouteKind::Http)
                .then(|| Timeouts::read(r))
                .flatten(),
            retry: (kind == RouteKind::Http).then(|| Retry::read(r)).flatten(),
        }
    }
}

/// A route of any kind.
#[derive(Debug, Clone)]
pub struct RouteData {
    pub kind: RouteKind,
    pub namespace: String,
    pub name: String,
    pub hostnames: Vec<String>,
    pub parents: Vec<ParentRef>,
    pub rules: Vec<Rule>,
    /// `metadata.creationTimestamp`.
    created: Option<Box<str>>,
}

impl RouteData {
    pub fn read(object: &Object, namespace: String) -> Self {
        let kind = RouteKind::from_kind(&object.kind).unwrap_or(RouteKind::Http);
        let spec = object.json.get("spec").unwrap_or(&Value::Null);
        let spec_path = FieldPath::root().key("spec");
        let parents = arr(spec, "parentRefs")
            .iter()
            .enumerate()
            .map(|(i, p)| ParentRef {
                index: i,
                path: spec_path.key("parentRefs").index(i),
                group: s(p, "group").unwrap_or(GATEWAY_GROUP).to_owned(),
                kind: s(p, "kind").unwrap_or("Gateway").to_owned(),
                namespace: s(p, "namespace").unwrap_or(&namespace).to_owned(),
                name: s(p, "name").unwrap_or_default().to_owned(),
                section_name: s(p, "sectionName")
                    .filter(|x| !x.is_empty())
                    .map(str::to_owned),
                port: int(p, "port").filter(|&x| x != 0),
            })
            .collect();
        let rules = arr(spec, "rules")
            .iter()
            .enumerate()
            .map(|(ri, r)| Rule::read(r, ri, spec_path.key("rules").index(ri), kind, &namespace))
            .collect();
        RouteData {
            kind,
            name: object.name.clone(),
            hostnames: arr(spec, "hostnames")
                .iter()
                .filter_map(|h| h.as_str().map(str::to_owned))
                .collect(),
            parents,
            rules,
            created: created(object),
            namespace,
        }
    }

    /// `metadata.creationTimestamp`: between identical matches the oldest route wins.
    pub fn created(&self) -> Option<&str> {
        self.created.as_deref()
    }

    /// Whether the route is a mesh (GAMMA) route only: it has parentRefs and every one of
    /// them is a Service. Such a route may send traffic to Services in other namespaces
    /// without a ReferenceGrant (GEP-1426); a route with any Gateway parent may not.
    pub fn is_mesh_only(&self) -> bool {
        !self.parents.is_empty() && self.parents.iter().all(ParentRef::is_service)
    }
}
