//! Typed, lenient views of the objects the reference graph connects. Every view keeps the
//! [`FieldPath`] of what it was read from, so findings can point at the exact field.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::fieldpath::FieldPath;
use crate::model::{GATEWAY_GROUP, Object};

fn s<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

fn arr<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn int(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(Value::as_i64)
}

/// What a view read from an object, together with the object (for its identity and for
/// the positions of findings). Fields of the data are reached through `Deref`.
#[derive(Debug, Clone)]
pub struct View<'a, T> {
    pub object: &'a Object,
    pub data: T,
}

impl<T> std::ops::Deref for View<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.data
    }
}

pub type Gateway<'a> = View<'a, GatewayData>;
pub type Route<'a> = View<'a, RouteData>;
pub type Service<'a> = View<'a, ServiceData>;
pub type Grant<'a> = View<'a, GrantData>;
pub type Policy<'a> = View<'a, PolicyData>;

/// The view of one object, read before the graph is assembled: lint reads each object's
/// view right after the object is validated, so that the object's full JSON need not be
/// kept for the whole run.
#[derive(Debug, Clone)]
pub enum Prepared {
    Gateway(GatewayData),
    Route(RouteData),
    Service(ServiceData),
    Grant(GrantData),
    Policy(PolicyData),
}

impl Prepared {
    /// The view of `object` (in `namespace`, its namespace once applied), if the graph has
    /// one for its kind.
    pub fn read(object: &Object, namespace: String) -> Option<Prepared> {
        Some(match (object.group.as_str(), object.kind.as_str()) {
            (GATEWAY_GROUP, "Gateway") => Prepared::Gateway(GatewayData::read(object, namespace)),
            (GATEWAY_GROUP, kind) if RouteKind::from_kind(kind).is_some() => {
                Prepared::Route(RouteData::read(object, namespace))
            }
            (GATEWAY_GROUP, "ReferenceGrant") => {
                Prepared::Grant(GrantData::read(object, namespace))
            }
            (GATEWAY_GROUP, "BackendTLSPolicy" | "BackendLBPolicy") => {
                Prepared::Policy(PolicyData::read(object, namespace))
            }
            ("", "Service") => Prepared::Service(ServiceData::read(object)),
            _ => return None,
        })
    }
}

/// The route kinds of Gateway API v1.1.
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

/// `matchLabels` and `matchExpressions` of a label selector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector {
    pub match_labels: BTreeMap<String, String>,
    /// (key, operator, values)
    pub match_expressions: Vec<(String, String, Vec<String>)>,
}

impl LabelSelector {
    fn read(v: &Value) -> Self {
        let mut sel = LabelSelector::default();
        if let Some(m) = v.get("matchLabels").and_then(Value::as_object) {
            for (k, val) in m {
                if let Some(val) = val.as_str() {
                    sel.match_labels.insert(k.clone(), val.to_owned());
                }
            }
        }
        for e in arr(v, "matchExpressions") {
            let values = arr(e, "values")
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect();
            sel.match_expressions.push((
                s(e, "key").unwrap_or_default().to_owned(),
                s(e, "operator").unwrap_or_default().to_owned(),
                values,
            ));
        }
        sel
    }

    /// Kubernetes label selector semantics; an empty selector matches everything.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self
                .match_expressions
                .iter()
                .all(|(k, op, values)| match op.as_str() {
                    "In" => labels.get(k).is_some_and(|v| values.contains(v)),
                    "NotIn" => labels.get(k).is_none_or(|v| !values.contains(v)),
                    "Exists" => labels.contains_key(k),
                    "DoesNotExist" => !labels.contains_key(k),
                    // An unknown operator selects nothing, as the API server would reject it.
                    _ => false,
                })
    }

    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .match_labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        for (k, op, values) in &self.match_expressions {
            parts.push(match op.as_str() {
                "Exists" => k.clone(),
                "DoesNotExist" => format!("!{k}"),
                _ => format!("{k} {} ({})", op.to_lowercase(), values.join(", ")),
            });
        }
        if parts.is_empty() {
            "(empty: every namespace)".into()
        } else {
            format!("`{}`", parts.join(", "))
        }
    }
}

/// `allowedRoutes.namespaces.from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum From {
    Same,
    All,
    Selector(LabelSelector),
}

/// One listener of a Gateway.
#[derive(Debug, Clone)]
pub struct Listener {
    pub index: usize,
    pub path: FieldPath,
    pub name: String,
    pub port: Option<i64>,
    pub protocol: String,
    pub hostname: Option<String>,
    pub from: From,
    /// `allowedRoutes.kinds` as (group, kind), when set.
    pub allowed_kinds: Option<Vec<(String, String)>>,
    pub tls_mode: Option<String>,
    /// `tls.certificateRefs` as (path, group, kind, namespace, name).
    pub certificate_refs: Vec<ObjectRefAt>,
    /// `tls.frontendValidation.caCertificateRefs`.
    pub ca_refs: Vec<ObjectRefAt>,
}

impl Listener {
    /// Which route kinds a listener's protocol carries. Implementation-specific protocols
    /// (domain-prefixed) are not judged.
    pub fn carries(&self, kind: RouteKind) -> bool {
        match self.protocol.as_str() {
            "HTTP" | "HTTPS" => matches!(kind, RouteKind::Http | RouteKind::Grpc),
            "TLS" => matches!(kind, RouteKind::Tls | RouteKind::Tcp),
            "TCP" => kind == RouteKind::Tcp,
            "UDP" => kind == RouteKind::Udp,
            _ => true,
        }
    }
}

/// A reference to another object, with where it was written.
#[derive(Debug, Clone)]
pub struct ObjectRefAt {
    pub path: FieldPath,
    pub group: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// Whether `namespace` was written (rather than defaulted to the referrer's).
    pub explicit_namespace: bool,
}

impl ObjectRefAt {
    fn read(v: &Value, path: FieldPath, own_ns: &str, group: &str, kind: &str) -> Self {
        let explicit = s(v, "namespace").is_some();
        ObjectRefAt {
            path,
            group: s(v, "group").unwrap_or(group).to_owned(),
            kind: s(v, "kind").unwrap_or(kind).to_owned(),
            namespace: s(v, "namespace").unwrap_or(own_ns).to_owned(),
            name: s(v, "name").unwrap_or_default().to_owned(),
            explicit_namespace: explicit,
        }
    }
}

/// A Gateway and its listeners.
#[derive(Debug, Clone)]
pub struct GatewayData {
    pub namespace: String,
    pub name: String,
    pub class: Option<String>,
    pub listeners: Vec<Listener>,
}

impl GatewayData {
    pub fn read(object: &Object, namespace: String) -> Self {
        let spec = object.json.get("spec").unwrap_or(&Value::Null);
        let lpath = FieldPath::root().key("spec").key("listeners");
        let listeners = arr(spec, "listeners")
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let path = lpath.index(i);
                let ns = l.pointer("/allowedRoutes/namespaces");
                let from = match ns.and_then(|n| s(n, "from")).unwrap_or("Same") {
                    "All" => From::All,
                    "Selector" => From::Selector(LabelSelector::read(
                        ns.and_then(|n| n.get("selector")).unwrap_or(&Value::Null),
                    )),
                    _ => From::Same,
                };
                let allowed_kinds = l
                    .pointer("/allowedRoutes/kinds")
                    .and_then(Value::as_array)
                    .map(|ks| {
                        ks.iter()
                            .map(|k| {
                                (
                                    s(k, "group").unwrap_or(GATEWAY_GROUP).to_owned(),
                                    s(k, "kind").unwrap_or_default().to_owned(),
                                )
                            })
                            .collect()
                    });
                let tls = l.get("tls");
                let certificate_refs = tls
                    .map(|t| arr(t, "certificateRefs"))
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                    .map(|(ci, c)| {
                        ObjectRefAt::read(
                            c,
                            path.key("tls").key("certificateRefs").index(ci),
                            &namespace,
                            "",
                            "Secret",
                        )
                    })
                    .collect();
                let ca_refs = tls
                    .and_then(|t| t.get("frontendValidation"))
                    .map(|f| arr(f, "caCertificateRefs"))
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                    .map(|(ci, c)| {
                        ObjectRefAt::read(
                            c,
                            path.key("tls")
                                .key("frontendValidation")
                                .key("caCertificateRefs")
                                .index(ci),
                            &namespace,
                            "",
                            "ConfigMap",
                        )
                    })
                    .collect();
                Listener {
                    index: i,
                    name: s(l, "name").unwrap_or_default().to_owned(),
                    port: int(l, "port"),
                    protocol: s(l, "protocol").unwrap_or_default().to_owned(),
                    hostname: s(l, "hostname")
                        .filter(|h| !h.is_empty())
                        .map(str::to_owned),
                    from,
                    allowed_kinds,
                    tls_mode: tls.and_then(|t| s(t, "mode")).map(str::to_owned),
                    certificate_refs,
                    ca_refs,
                    path,
                }
            })
            .collect();
        GatewayData {
            name: object.name.clone(),
            class: s(spec, "gatewayClassName").map(str::to_owned),
            listeners,
            namespace,
        }
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
    /// Whether the rule sets `sessionPersistence`.
    pub session_persistence: bool,
    /// `matches` as JSON text (empty when absent or empty): what the precedence checks
    /// read, kept in a tenth of the memory of the values. See [`Rule::matches`].
    matches: Box<str>,
    pub backends: Vec<BackendRef>,
    /// RequestMirror backends of the rule's filters and its backendRefs' filters.
    pub mirrors: Vec<BackendRef>,
}

impl Rule {
    /// The rule's matches; absent or empty means the single default match: `PathPrefix /`
    /// for HTTPRoute, every service and method for GRPCRoute. Shared by the precedence
    /// checks and the simulator so both see the same matches.
    pub fn matches(&self, kind: RouteKind) -> Vec<Value> {
        match serde_json::from_str::<Vec<Value>>(&self.matches) {
            Ok(m) if !m.is_empty() => m,
            _ => vec![default_match(kind)],
        }
    }
}

fn default_match(kind: RouteKind) -> Value {
    match kind {
        RouteKind::Http => serde_json::json!({"path": {"type": "PathPrefix", "value": "/"}}),
        _ => serde_json::json!({}),
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
            .map(|(ri, r)| {
                let rpath = spec_path.key("rules").index(ri);
                let mut mirrors = Vec::new();
                let mut collect_mirrors = |filters: &[Value], fpath: FieldPath| {
                    for (fi, f) in filters.iter().enumerate() {
                        if let Some(b) = f.pointer("/requestMirror/backendRef") {
                            mirrors.push(BackendRef::read(
                                b,
                                fpath.index(fi).key("requestMirror").key("backendRef"),
                                &namespace,
                                true,
                            ));
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
                        BackendRef::read(b, bpath, &namespace, false)
                    })
                    .collect();
                let matches = match r.get("matches").and_then(Value::as_array) {
                    Some(m) if !m.is_empty() => Value::Array(m.clone()).to_string(),
                    _ => String::new(),
                };
                Rule {
                    index: ri,
                    path: rpath,
                    session_persistence: r.get("sessionPersistence").is_some(),
                    matches: matches.into_boxed_str(),
                    backends,
                    mirrors,
                }
            })
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
            namespace,
        }
    }
}

impl Route<'_> {
    /// A rule's JSON as written, with defaults, read from the route's object: the
    /// simulator's objects keep their JSON (lint's do not; see [`crate::lint`]).
    pub fn rule_json(&self, rule: &Rule) -> &Value {
        self.object
            .json
            .pointer("/spec/rules")
            .and_then(|r| r.get(rule.index))
            .unwrap_or(&Value::Null)
    }
}

/// A Service's ports.
#[derive(Debug, Clone)]
pub struct ServiceData {
    /// (port, name)
    pub ports: Vec<(i64, Option<String>)>,
    pub cluster_ip: Option<String>,
}

impl ServiceData {
    pub fn read(object: &Object) -> Self {
        let spec = object.json.get("spec").unwrap_or(&Value::Null);
        ServiceData {
            ports: arr(spec, "ports")
                .iter()
                .filter_map(|p| int(p, "port").map(|n| (n, s(p, "name").map(str::to_owned))))
                .collect(),
            cluster_ip: s(spec, "clusterIP").map(str::to_owned),
        }
    }

    pub fn has_port(&self, port: i64) -> bool {
        self.ports.iter().any(|(p, _)| *p == port)
    }

    pub fn port_list(&self) -> String {
        if self.ports.is_empty() {
            return "no ports".into();
        }
        self.ports
            .iter()
            .map(|(p, _)| p.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A ReferenceGrant's `from` entry.
#[derive(Debug, Clone)]
pub struct GrantFrom {
    pub group: String,
    pub kind: String,
    pub namespace: String,
}

/// A ReferenceGrant's `to` entry.
#[derive(Debug, Clone)]
pub struct GrantTo {
    pub group: String,
    pub kind: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct GrantData {
    pub namespace: String,
    pub from: Vec<GrantFrom>,
    pub to: Vec<GrantTo>,
}

impl GrantData {
    pub fn read(object: &Object, namespace: String) -> Self {
        let spec = object.json.get("spec").unwrap_or(&Value::Null);
        GrantData {
            from: arr(spec, "from")
                .iter()
                .map(|f| GrantFrom {
                    group: s(f, "group").unwrap_or_default().to_owned(),
                    kind: s(f, "kind").unwrap_or_default().to_owned(),
                    namespace: s(f, "namespace").unwrap_or_default().to_owned(),
                })
                .collect(),
            to: arr(spec, "to")
                .iter()
                .map(|t| GrantTo {
                    group: s(t, "group").unwrap_or_default().to_owned(),
                    kind: s(t, "kind").unwrap_or_default().to_owned(),
                    name: s(t, "name").filter(|n| !n.is_empty()).map(str::to_owned),
                })
                .collect(),
            namespace,
        }
    }
}

/// A BackendTLSPolicy or BackendLBPolicy.
#[derive(Debug, Clone)]
pub struct PolicyData {
    pub namespace: String,
    /// `spec.targetRefs` (with `sectionName` where the kind has it).
    pub targets: Vec<(ObjectRefAt, Option<String>)>,
    /// `spec.validation.caCertificateRefs` (BackendTLSPolicy).
    pub ca_refs: Vec<ObjectRefAt>,
}

impl PolicyData {
    pub fn read(object: &Object, namespace: String) -> Self {
        let spec = object.json.get("spec").unwrap_or(&Value::Null);
        let tpath = FieldPath::root().key("spec").key("targetRefs");
        let targets = arr(spec, "targetRefs")
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    ObjectRefAt::read(t, tpath.index(i), &namespace, "", "Service"),
                    s(t, "sectionName").map(str::to_owned),
                )
            })
            .collect();
        let cpath = FieldPath::root()
            .key("spec")
            .key("validation")
            .key("caCertificateRefs");
        let ca_refs = spec
            .get("validation")
            .map(|v| arr(v, "caCertificateRefs"))
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .map(|(i, c)| ObjectRefAt::read(c, cpath.index(i), &namespace, "", "ConfigMap"))
            .collect();
        PolicyData {
            targets,
            ca_refs,
            namespace,
        }
    }
}

impl Policy<'_> {
    pub fn is_tls(&self) -> bool {
        self.object.kind == "BackendTLSPolicy"
    }

    /// `metadata.creationTimestamp`, for "oldest wins" conflict resolution.
    pub fn created(&self) -> Option<&str> {
        self.object
            .json
            .pointer("/metadata/creationTimestamp")
            .and_then(Value::as_str)
    }
}
