//! The Gateway view: its class and listeners, with each listener's allowed routes (kinds,
//! namespaces by label selector) and TLS references (certificates, frontend CA ConfigMaps).

use std::collections::BTreeMap;

use serde_json::Value;

use super::{GatewayTls, ObjectRefAt, RouteKind, arr, int, s};
use crate::fieldpath::FieldPath;
use crate::model::{GATEWAY_GROUP, Object};

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

    /// Whether labels added to `labels` (none changed) could make the selector match: every
    /// requirement on a key of `labels` holds, and every other one could be met by labelling
    /// (an unknown operator never can). For a Namespace known only by its automatic name label.
    pub fn could_match_with_more_labels(&self, labels: &BTreeMap<String, String>) -> bool {
        let known = |k: &String| labels.contains_key(k);
        self.match_labels
            .iter()
            .all(|(k, v)| !known(k) || labels.get(k) == Some(v))
            && self
                .match_expressions
                .iter()
                .all(|(k, op, values)| match op.as_str() {
                    "In" if known(k) => labels.get(k).is_some_and(|v| values.contains(v)),
                    "In" => !values.is_empty(),
                    "NotIn" => labels.get(k).is_none_or(|v| !values.contains(v)),
                    "Exists" => true,
                    "DoesNotExist" => !known(k),
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
    /// Whether `tls` is set at all, and how many `tls.options` it has: with neither
    /// certificates nor options the API server rejects a Terminate listener, but with options
    /// alone, or no `tls` on an HTTPS listener, it accepts one that cannot serve.
    pub tls_set: bool,
    pub tls_options: usize,
    /// Whether `allowedRoutes.namespaces.selector` is set (read as [`From::Selector`]'s
    /// selector, empty when absent).
    pub selector_set: bool,
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
            // Passthrough hands the TLS stream on unopened: only a TLSRoute, which routes by
            // SNI, takes it (upstream's TLSRouteListenerPassthroughSupportedKinds test
            // refuses TCPRoute there). A terminated stream goes on as TLS or as plain TCP.
            "TLS" if self.passthrough() => kind == RouteKind::Tls,
            "TLS" => matches!(kind, RouteKind::Tls | RouteKind::Tcp),
            "TCP" => kind == RouteKind::Tcp,
            "UDP" => kind == RouteKind::Udp,
            _ => true,
        }
    }

    /// Whether the listener's TLS mode is Passthrough (the schema defaults it to Terminate).
    pub fn passthrough(&self) -> bool {
        self.tls_mode.as_deref() == Some("Passthrough")
    }
}

/// `spec.allowedListeners.namespaces.from` of a Gateway (v1.5+; experimental in v1.3–v1.4):
/// which ListenerSets may add listeners to it. `None`, the default, admits none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListenersFrom {
    None,
    Same,
    All,
    Selector(LabelSelector),
}

/// A Gateway's `spec.allowedListeners`, as written or defaulted.
#[derive(Debug, Clone)]
pub struct AllowedListeners {
    pub from: ListenersFrom,
    /// Whether `namespaces.selector` is set (read as [`ListenersFrom::Selector`]'s
    /// selector, empty when absent).
    pub selector_set: bool,
    /// Whether `spec.allowedListeners` is written at all (a finding about it points there
    /// when it is, at `spec` when it is not).
    pub written: bool,
}

impl AllowedListeners {
    fn read(spec: &Value) -> Self {
        let al = spec.get("allowedListeners");
        let ns = al.and_then(|a| a.get("namespaces"));
        let from = match ns.and_then(|n| s(n, "from")).unwrap_or("None") {
            "Same" => ListenersFrom::Same,
            "All" => ListenersFrom::All,
            "Selector" => ListenersFrom::Selector(LabelSelector::read(
                ns.and_then(|n| n.get("selector")).unwrap_or(&Value::Null),
            )),
            // `None`, and values the schema pass reports, admit nothing.
            _ => ListenersFrom::None,
        };
        AllowedListeners {
            from,
            selector_set: ns
                .and_then(|n| n.get("selector"))
                .is_some_and(Value::is_object),
            written: al.is_some_and(Value::is_object),
        }
    }
}

impl Listener {
    /// Listener `i` of a Gateway's `spec.listeners` or a ListenerSet's (the same shape),
    /// at `path`, in an object of `namespace` (which references default to). A port of 0,
    /// which XListenerSet allows to ask for a port the implementation picks, is read as
    /// no port: gwctl cannot know which one it gets.
    pub(super) fn read(l: &Value, i: usize, path: FieldPath, namespace: &str) -> Self {
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
                    namespace,
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
                    namespace,
                    "",
                    "ConfigMap",
                )
            })
            .collect();
        Listener {
            index: i,
            name: s(l, "name").unwrap_or_default().to_owned(),
            port: int(l, "port").filter(|&p| p != 0),
            protocol: s(l, "protocol").unwrap_or_default().to_owned(),
            hostname: s(l, "hostname")
                .filter(|h| !h.is_empty())
                .map(str::to_owned),
            from,
            allowed_kinds,
            tls_mode: tls.and_then(|t| s(t, "mode")).map(str::to_owned),
            tls_set: tls.is_some_and(Value::is_object),
            tls_options: tls
                .and_then(|t| t.get("options"))
                .and_then(Value::as_object)
                .map_or(0, |o| o.len()),
            selector_set: ns
                .and_then(|n| n.get("selector"))
                .is_some_and(Value::is_object),
            certificate_refs,
            ca_refs,
            path,
        }
    }
}

/// A Gateway and its listeners.
#[derive(Debug, Clone)]
pub struct GatewayData {
    /// `spec.tls`: Gateway-wide client certificate validation and backend client certificate.
    pub tls: GatewayTls,
    pub namespace: String,
    pub name: String,
    pub class: Option<String>,
    pub listeners: Vec<Listener>,
    /// Which ListenerSets may add listeners to it.
    pub allowed_listeners: AllowedListeners,
}

impl GatewayData {
    pub fn read(object: &Object, namespace: String) -> Self {
        let spec = object.json.get("spec").unwrap_or(&Value::Null);
        let lpath = FieldPath::root().key("spec").key("listeners");
        let listeners = arr(spec, "listeners")
            .iter()
            .enumerate()
            .map(|(i, l)| Listener::read(l, i, lpath.index(i), &namespace))
            .collect();
        GatewayData {
            tls: GatewayTls::read(spec, &namespace),
            name: object.name.clone(),
            class: s(spec, "gatewayClassName").map(str::to_owned),
            listeners,
            allowed_listeners: AllowedListeners::read(spec),
            namespace,
        }
    }
}
