//! Which conformance features one object's fields need, and which of its fields no feature
//! covers. Read from the object as written (or with defaults applied: no default asks for a
//! feature), one object at a time, so that lint can ask while it still holds the object's
//! JSON. A field's need is decided by the field alone or with its object's other fields
//! (a route's own namespace, a Gateway's other listeners), never by other objects.

use serde_json::Value;

use crate::fieldpath::FieldPath;
use crate::model::{GATEWAY_GROUP, Object};

/// One feature a field needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    pub feature: &'static str,
    pub path: FieldPath,
    /// What the field does, in a few words (`query parameter match`).
    pub what: &'static str,
}

/// A field whose behaviour is implementation-specific: no conformance feature covers it,
/// so no report can say whether an implementation supports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uncovered {
    pub path: FieldPath,
    /// What the field is, in a few words (`session persistence`).
    pub what: String,
}

/// What one object needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    pub needs: Vec<Need>,
    pub uncovered: Vec<Uncovered>,
}

impl Needs {
    fn need(&mut self, feature: &'static str, path: FieldPath, what: &'static str) {
        if !self
            .needs
            .iter()
            .any(|n| n.feature == feature && n.path == path)
        {
            self.needs.push(Need {
                feature,
                path,
                what,
            });
        }
    }

    fn uncovered(&mut self, path: FieldPath, what: impl Into<String>) {
        self.uncovered.push(Uncovered {
            path,
            what: what.into(),
        });
    }
}

fn s<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

fn arr<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn root() -> FieldPath {
    FieldPath::root()
}

/// What `o` needs; `namespace` is the namespace it lands in.
pub fn needs_of(o: &Object, namespace: &str) -> Needs {
    let mut n = Needs::default();
    let spec_path = root().key("spec");
    let spec = o.json.get("spec").unwrap_or(&Value::Null);
    let kind_path = root().key("kind");
    let x_group = o.group == "gateway.networking.x-k8s.io";
    if o.group != GATEWAY_GROUP && !x_group {
        return n;
    }
    match o.kind.as_str() {
        "Gateway" => {
            n.need("Gateway", kind_path, "a Gateway");
            gateway(spec, &spec_path, namespace, &mut n);
        }
        "ListenerSet" | "XListenerSet" => {
            n.need("ListenerSet", kind_path, "a ListenerSet");
            listeners(spec, &spec_path, namespace, &mut n);
        }
        "HTTPRoute" => {
            n.need("HTTPRoute", kind_path, "an HTTPRoute");
            http_route(spec, &spec_path, namespace, &mut n);
        }
        "GRPCRoute" => {
            n.need("GRPCRoute", kind_path, "a GRPCRoute");
            route_common(spec, &spec_path, namespace, false, &mut n);
            grpc_route(spec, &spec_path, &mut n);
        }
        "TLSRoute" | "TCPRoute" | "UDPRoute" => {
            let f = match o.kind.as_str() {
                "TLSRoute" => "TLSRoute",
                "TCPRoute" => "TCPRoute",
                _ => "UDPRoute",
            };
            n.need(f, kind_path, "a route of its kind");
            route_common(spec, &spec_path, namespace, false, &mut n);
        }
        "ReferenceGrant" => n.need("ReferenceGrant", kind_path, "a ReferenceGrant"),
        "BackendTLSPolicy" => {
            n.need("BackendTLSPolicy", kind_path, "a BackendTLSPolicy");
            backend_tls_policy(spec, &spec_path, &mut n);
        }
        "GatewayClass" => {
            // Serving GatewayClasses is part of the Gateway feature's core.
            n.need("Gateway", kind_path, "a GatewayClass");
            if spec.get("parametersRef").is_some() {
                n.uncovered(
                    spec_path.key("parametersRef"),
                    "GatewayClass parameters (their kind and meaning are the implementation's)",
                );
            }
        }
        "XMesh" | "Mesh" => n.need("Mesh", kind_path, "a Mesh"),
        "BackendLBPolicy" | "XBackendTrafficPolicy" | "BackendTrafficPolicy" => n.uncovered(
            kind_path,
            format!("{} (no conformance test covers it yet)", o.kind),
        ),
        _ => {}
    }
    n
}

/// What an HTTPRoute's backends need of the protocol spoken to them: the `appProtocol` of
/// the Service port each backendRef names (`app_protocol(namespace, name, port)`), which
/// lives on the Service, not the route.
pub fn backend_protocols(
    o: &Object,
    namespace: &str,
    app_protocol: &dyn Fn(&str, &str, i64) -> Option<String>,
) -> Vec<Need> {
    if o.group != GATEWAY_GROUP || o.kind != "HTTPRoute" {
        return Vec::new();
    }
    let spec = o.json.get("spec").unwrap_or(&Value::Null);
    let mut n = Needs::default();
    for (i, r) in arr(spec, "rules").iter().enumerate() {
        for (j, b) in arr(r, "backendRefs").iter().enumerate() {
            if !(s(b, "group").unwrap_or("").is_empty()
                && s(b, "kind").unwrap_or("Service") == "Service")
            {
                continue;
            }
            let (Some(name), Some(port)) = (s(b, "name"), b.get("port").and_then(Value::as_i64))
            else {
                continue;
            };
            let ns = s(b, "namespace").unwrap_or(namespace);
            let at = root()
                .key("spec")
                .key("rules")
                .index(i)
                .key("backendRefs")
                .index(j)
                .key("port");
            if let Some(need) = app_protocol(ns, name, port)
                .as_deref()
                .and_then(|a| protocol_need(a, at))
            {
                n.needs.push(need);
            }
        }
    }
    n.needs
}

/// The feature a backend port's `appProtocol` asks of the implementation, needed at `at`
/// (the backendRef's port).
pub fn protocol_need(app_protocol: &str, at: FieldPath) -> Option<Need> {
    match app_protocol {
        "kubernetes.io/h2c" => Some(Need {
            feature: "HTTPRouteBackendProtocolH2C",
            path: at,
            what: "a backend port whose Service marks it appProtocol kubernetes.io/h2c",
        }),
        "kubernetes.io/ws" | "kubernetes.io/wss" => Some(Need {
            feature: "HTTPRouteBackendProtocolWebSocket",
            path: at,
            what: "a backend port whose Service marks it appProtocol kubernetes.io/ws",
        }),
        _ => None,
    }
}

fn gateway(spec: &Value, path: &FieldPath, namespace: &str, n: &mut Needs) {
    for (i, a) in arr(spec, "addresses").iter().enumerate() {
        let at = path.key("addresses").index(i);
        match s(a, "value") {
            Some(v) if !v.is_empty() => n.need(
                "GatewayStaticAddresses",
                at.key("value"),
                "a static address",
            ),
            _ => n.need(
                "GatewayAddressEmpty",
                at.clone(),
                "an address the implementation assigns",
            ),
        }
        if let Some(t) = s(a, "type")
            && !matches!(t, "IPAddress" | "Hostname")
        {
            n.uncovered(at.key("type"), format!("address type {t}"));
        }
    }
    if let Some(infra) = spec.get("infrastructure") {
        let at = path.key("infrastructure");
        for key in ["labels", "annotations"] {
            if infra.get(key).is_some() {
                n.need(
                    "GatewayInfrastructurePropagation",
                    at.key(key),
                    "labels or annotations for the Gateway's infrastructure",
                );
            }
        }
        if infra.get("parametersRef").is_some() {
            n.uncovered(
                at.key("parametersRef"),
                "infrastructure parameters (their kind and meaning are the implementation's)",
            );
        }
    }
    if let Some(tls) = spec.get("tls") {
        let at = path.key("tls");
        if tls.pointer("/backend/clientCertificateRef").is_some() {
            n.need(
                "GatewayBackendClientCertificate",
                at.key("backend").key("clientCertificateRef"),
                "a client certificate towards backends",
            );
        }
        if let Some(front) = tls.get("frontend") {
            let fat = at.key("frontend");
            if let Some(d) = front.get("default") {
                client_validation(d, &fat.key("default"), namespace, n);
            }
            for (i, p) in arr(front, "perPort").iter().enumerate() {
                if let Some(t) = p.get("tls") {
                    client_validation(t, &fat.key("perPort").index(i).key("tls"), namespace, n);
                }
            }
        }
    }
    if spec.get("defaultScope").is_some() {
        n.uncovered(
            path.key("defaultScope"),
            "a default Gateway for routes that name none",
        );
    }
    if spec.get("allowedListeners").is_some() {
        n.need(
            "ListenerSet",
            path.key("allowedListeners"),
            "ListenerSets may attach",
        );
    }
    listeners(spec, path, namespace, n);
}

fn client_validation(v: &Value, path: &FieldPath, namespace: &str, n: &mut Needs) {
    let Some(validation) = v.get("validation") else {
        return;
    };
    let at = path.key("validation");
    n.need(
        "GatewayFrontendClientCertificateValidation",
        at.clone(),
        "client certificate validation",
    );
    if s(validation, "mode") == Some("AllowInsecureFallback") {
        n.need(
            "GatewayFrontendClientCertificateValidationInsecureFallback",
            at.key("mode"),
            "clients without a valid certificate let through",
        );
    }
    cross_namespace_refs(
        arr(validation, "caCertificateRefs"),
        &at.key("caCertificateRefs"),
        namespace,
        n,
    );
}

/// References into another namespace need a ReferenceGrant there.
fn cross_namespace_refs(refs: &[Value], path: &FieldPath, namespace: &str, n: &mut Needs) {
    for (i, r) in refs.iter().enumerate() {
        if let Some(ns) = s(r, "namespace")
            && ns != namespace
        {
            n.need(
                "ReferenceGrant",
                path.index(i).key("namespace"),
                "a reference into another namespace",
            );
        }
    }
}

/// A Gateway's or ListenerSet's listeners.
fn listeners(spec: &Value, path: &FieldPath, namespace: &str, n: &mut Needs) {
    let list = arr(spec, "listeners");
    for (i, l) in list.iter().enumerate() {
        let at = path.key("listeners").index(i);
        if l.get("port").and_then(Value::as_i64) == Some(8080) {
            n.need("GatewayPort8080", at.key("port"), "a listener on port 8080");
        }
        let protocol = s(l, "protocol").unwrap_or_default();
        match protocol {
            "TLS" => {
                n.need("TLSRoute", at.key("protocol"), "a TLS listener");
                // The mode defaults to Terminate when `tls` is written without it.
                let mode = l.get("tls").map(|t| s(t, "mode").unwrap_or("Terminate"));
                if mode == Some("Terminate") {
                    let mode_at = if l.pointer("/tls/mode").is_some() {
                        at.key("tls").key("mode")
                    } else {
                        at.key("tls")
                    };
                    n.need(
                        "TLSRouteModeTerminate",
                        mode_at,
                        "TLS terminated for TLSRoutes",
                    );
                }
            }
            "TCP" => n.need("TCPRoute", at.key("protocol"), "a TCP listener"),
            "UDP" => n.need("UDPRoute", at.key("protocol"), "a UDP listener"),
            "HTTP" | "HTTPS" | "" => {}
            other => n.uncovered(at.key("protocol"), format!("listener protocol {other}")),
        }
        if let Some(tls) = l.get("tls") {
            cross_namespace_refs(
                arr(tls, "certificateRefs"),
                &at.key("tls").key("certificateRefs"),
                namespace,
                n,
            );
        }
    }
    // TLS listeners on one port, some passing TLS through and some terminating it.
    for (i, l) in list.iter().enumerate() {
        if s(l, "protocol") != Some("TLS") || l.get("tls").is_none() {
            continue;
        }
        let mixed = list[..i].iter().any(|m| {
            s(m, "protocol") == Some("TLS")
                && m.get("port") == l.get("port")
                && m.get("tls").is_some()
                && tls_mode(m) != tls_mode(l)
        });
        if mixed {
            n.need(
                "TLSRouteModeMixed",
                path.key("listeners").index(i).key("tls"),
                "passthrough and terminated TLS on one port",
            );
        }
    }
    // HTTP listeners on one port whose hostnames overlap: a request for the more specific
    // hostname must be routed by its own listener's routes only.
    for (i, l) in list.iter().enumerate() {
        if !matches!(s(l, "protocol"), Some("HTTP" | "HTTPS")) {
            continue;
        }
        let host = s(l, "hostname").unwrap_or("");
        let overlaps = list.iter().enumerate().any(|(j, m)| {
            j != i
                && s(m, "protocol") == s(l, "protocol")
                && m.get("port") == l.get("port")
                && covers(s(m, "hostname").unwrap_or(""), host)
        });
        if overlaps && !host.is_empty() {
            n.need(
                "GatewayHTTPListenerIsolation",
                path.key("listeners").index(i).key("hostname"),
                "a hostname another listener on its port also matches",
            );
        }
    }
}

/// A listener's TLS mode: Terminate when `tls` is written without one.
fn tls_mode(l: &Value) -> Option<&str> {
    l.get("tls").map(|t| s(t, "mode").unwrap_or("Terminate"))
}

/// Whether listener hostname `wide` matches every request `narrow` does, and is not the
/// same: empty matches all, `*.a.b` matches names under `a.b`.
fn covers(wide: &str, narrow: &str) -> bool {
    if wide == narrow {
        return false;
    }
    if wide.is_empty() {
        return true;
    }
    match wide.strip_prefix('*') {
        Some(suffix) => narrow.ends_with(suffix) && narrow.len() > suffix.len(),
        None => false,
    }
}

/// What every route kind shares: parents and backends.
fn route_common(spec: &Value, path: &FieldPath, namespace: &str, http: bool, n: &mut Needs) {
    if spec.get("useDefaultGateways").is_some() {
        n.uncovered(
            path.key("useDefaultGateways"),
            "attaching to the default Gateways (which ones is the implementation's choice)",
        );
    }
    for (i, p) in arr(spec, "parentRefs").iter().enumerate() {
        let at = path.key("parentRefs").index(i);
        let group = s(p, "group").unwrap_or(GATEWAY_GROUP);
        let kind = s(p, "kind").unwrap_or("Gateway");
        // Pointed at the field that says what the parent is: its kind, else its name.
        let kind_at = if p.get("kind").is_some() {
            at.key("kind")
        } else {
            at.key("name")
        };
        match (group, kind) {
            ("" | "core", "Service") => {
                n.need("Mesh", kind_at, "a Service as parent, in the mesh");
                // A route in another namespace than its Service parent changes only the
                // traffic of its own namespace's clients (GEP-1426).
                if let Some(ns) = s(p, "namespace")
                    && ns != namespace
                {
                    n.need(
                        "MeshConsumerRoute",
                        at.key("namespace"),
                        "a consumer route: a Service of another namespace as parent",
                    );
                }
            }
            (_, "Gateway") => n.need("Gateway", kind_at, "a Gateway as parent"),
            (_, "ListenerSet" | "XListenerSet") => {
                n.need("ListenerSet", kind_at, "a ListenerSet as parent")
            }
            _ => n.uncovered(at.key("kind"), format!("parent kind {kind}")),
        }
        if http && p.get("port").is_some() {
            n.need(
                "HTTPRouteParentRefPort",
                at.key("port"),
                "a parent chosen by port",
            );
        }
    }
    for (i, r) in arr(spec, "rules").iter().enumerate() {
        let at = path.key("rules").index(i);
        for (j, b) in arr(r, "backendRefs").iter().enumerate() {
            let bat = at.key("backendRefs").index(j);
            // A consumer route may send to the Service it is a route for without a grant.
            let to_parent = arr(spec, "parentRefs").iter().any(|p| {
                s(p, "kind") == Some("Service")
                    && s(p, "name") == s(b, "name")
                    && s(p, "namespace") == s(b, "namespace")
            });
            if let Some(ns) = s(b, "namespace")
                && ns != namespace
                && !to_parent
            {
                n.need(
                    "ReferenceGrant",
                    bat.key("namespace"),
                    "a backend in another namespace",
                );
            }
            let group = s(b, "group").unwrap_or("");
            let kind = s(b, "kind").unwrap_or("Service");
            if !(group.is_empty() && kind == "Service") {
                n.uncovered(bat.key("kind"), format!("backend kind {kind}"));
            }
        }
        if r.get("sessionPersistence").is_some() {
            n.uncovered(at.key("sessionPersistence"), "session persistence");
        }
    }
}

/// Whether an HTTPRoute is a mesh route: it has a Service parent.
fn is_mesh(spec: &Value) -> bool {
    arr(spec, "parentRefs")
        .iter()
        .any(|p| s(p, "kind") == Some("Service") && matches!(s(p, "group"), Some("" | "core")))
}

fn http_route(spec: &Value, path: &FieldPath, namespace: &str, n: &mut Needs) {
    route_common(spec, path, namespace, true, n);
    let mesh = is_mesh(spec);
    // A mesh route needs the mesh variant of a feature where upstream has one.
    let pick = |gw: &'static str, mesh_f: Option<&'static str>| match (mesh, mesh_f) {
        (true, Some(m)) => m,
        _ => gw,
    };
    for (i, r) in arr(spec, "rules").iter().enumerate() {
        let at = path.key("rules").index(i);
        if r.get("name").is_some() {
            n.need(
                pick(
                    "HTTPRouteNamedRouteRule",
                    Some("MeshHTTPRouteNamedRouteRule"),
                ),
                at.key("name"),
                "a named rule",
            );
        }
        for (j, m) in arr(r, "matches").iter().enumerate() {
            let mat = at.key("matches").index(j);
            if m.get("queryParams").is_some() {
                n.need(
                    pick(
                        "HTTPRouteQueryParamMatching",
                        Some("MeshHTTPRouteQueryParamMatching"),
                    ),
                    mat.key("queryParams"),
                    "a query parameter match",
                );
            }
            if m.get("method").is_some() {
                n.need(
                    "HTTPRouteMethodMatching",
                    mat.key("method"),
                    "a method match",
                );
            }
            if m.pointer("/path/type").and_then(Value::as_str) == Some("RegularExpression") {
                n.uncovered(
                    mat.key("path").key("type"),
                    "a regular-expression path match",
                );
            }
            for key in ["headers", "queryParams"] {
                for (k, h) in arr(m, key).iter().enumerate() {
                    if s(h, "type") == Some("RegularExpression") {
                        n.uncovered(
                            mat.key(key).index(k).key("type"),
                            format!("a regular-expression match on {key}"),
                        );
                    }
                }
            }
        }
        let filters = arr(r, "filters");
        let mirrors = filters
            .iter()
            .filter(|f| s(f, "type") == Some("RequestMirror"))
            .count();
        for (j, f) in filters.iter().enumerate() {
            http_filter(f, &at.key("filters").index(j), mesh, mirrors, n);
        }
        for (j, b) in arr(r, "backendRefs").iter().enumerate() {
            for (k, f) in arr(b, "filters").iter().enumerate() {
                let fat = at.key("backendRefs").index(j).key("filters").index(k);
                match s(f, "type") {
                    Some("RequestHeaderModifier") => n.need(
                        pick(
                            "HTTPRouteBackendRequestHeaderModification",
                            Some("MeshHTTPRouteBackendRequestHeaderModification"),
                        ),
                        fat.key("type"),
                        "request headers changed for one backend",
                    ),
                    Some(t) => n.uncovered(fat.key("type"), format!("a {t} filter on a backend")),
                    None => {}
                }
            }
        }
        if let Some(t) = r.get("timeouts") {
            if t.get("request").is_some() {
                n.need(
                    "HTTPRouteRequestTimeout",
                    at.key("timeouts").key("request"),
                    "a request timeout",
                );
            }
            if t.get("backendRequest").is_some() {
                n.need(
                    "HTTPRouteBackendTimeout",
                    at.key("timeouts").key("backendRequest"),
                    "a backend request timeout",
                );
            }
        }
        if r.get("retry").is_some() {
            n.need("HTTPRouteRetry", at.key("retry"), "retries");
            if r.pointer("/timeouts/backendRequest").is_some() {
                n.need(
                    "HTTPRouteRetryBackendTimeout",
                    at.key("retry"),
                    "retries of requests that time out at the backend",
                );
            }
        }
    }
}

fn http_filter(f: &Value, at: &FieldPath, mesh: bool, mirrors: usize, n: &mut Needs) {
    let pick = |gw: &'static str, mesh_f: &'static str| if mesh { mesh_f } else { gw };
    match s(f, "type") {
        Some("ResponseHeaderModifier") => n.need(
            "HTTPRouteResponseHeaderModification",
            at.key("type"),
            "response headers changed",
        ),
        Some("RequestRedirect") => {
            let r = f.get("requestRedirect").unwrap_or(&Value::Null);
            let rat = at.key("requestRedirect");
            if r.get("scheme").is_some() {
                n.need(
                    pick("HTTPRouteSchemeRedirect", "MeshHTTPRouteSchemeRedirect"),
                    rat.key("scheme"),
                    "a redirect to another scheme",
                );
            }
            if r.get("port").is_some() {
                n.need(
                    pick("HTTPRoutePortRedirect", "MeshHTTPRouteRedirectPort"),
                    rat.key("port"),
                    "a redirect to another port",
                );
            }
            if r.get("path").is_some() {
                n.need(
                    pick("HTTPRoutePathRedirect", "MeshHTTPRouteRedirectPath"),
                    rat.key("path"),
                    "a redirect to another path",
                );
            }
            let code = match r.get("statusCode").and_then(Value::as_i64) {
                Some(303) => Some("HTTPRoute303RedirectStatusCode"),
                Some(307) => Some("HTTPRoute307RedirectStatusCode"),
                Some(308) => Some("HTTPRoute308RedirectStatusCode"),
                _ => None,
            };
            if let Some(c) = code {
                n.need(
                    c,
                    rat.key("statusCode"),
                    "a redirect status code past 301 and 302",
                );
            }
        }
        Some("URLRewrite") => {
            let r = f.get("urlRewrite").unwrap_or(&Value::Null);
            let rat = at.key("urlRewrite");
            if r.get("hostname").is_some() {
                n.need(
                    "HTTPRouteHostRewrite",
                    rat.key("hostname"),
                    "the Host header rewritten",
                );
            }
            if r.get("path").is_some() {
                n.need(
                    pick("HTTPRoutePathRewrite", "MeshHTTPRouteRewritePath"),
                    rat.key("path"),
                    "the path rewritten",
                );
            }
        }
        Some("RequestMirror") => {
            n.need(
                "HTTPRouteRequestMirror",
                at.key("type"),
                "requests mirrored",
            );
            if mirrors > 1 {
                n.need(
                    "HTTPRouteRequestMultipleMirrors",
                    at.key("type"),
                    "requests mirrored to several backends",
                );
            }
            let m = f.get("requestMirror").unwrap_or(&Value::Null);
            for key in ["percent", "fraction"] {
                if m.get(key).is_some() {
                    n.need(
                        "HTTPRouteRequestPercentageMirror",
                        at.key("requestMirror").key(key),
                        "a share of requests mirrored",
                    );
                }
            }
        }
        Some("CORS") => n.need("HTTPRouteCORS", at.key("type"), "CORS answered"),
        Some("ExtensionRef") => n.uncovered(
            at.key("extensionRef"),
            "an extension filter (its kind and meaning are the implementation's)",
        ),
        Some("ExternalAuth") => n.uncovered(at.key("externalAuth"), "external authorization"),
        _ => {}
    }
}

fn grpc_route(spec: &Value, path: &FieldPath, n: &mut Needs) {
    for (i, r) in arr(spec, "rules").iter().enumerate() {
        let at = path.key("rules").index(i);
        if r.get("name").is_some() {
            n.need("GRPCRouteNamedRouteRule", at.key("name"), "a named rule");
        }
        for (j, f) in arr(r, "filters").iter().enumerate() {
            let fat = at.key("filters").index(j);
            match s(f, "type") {
                Some("ExtensionRef") => n.uncovered(
                    fat.key("extensionRef"),
                    "an extension filter (its kind and meaning are the implementation's)",
                ),
                Some(t @ ("ResponseHeaderModifier" | "RequestMirror")) => n.uncovered(
                    fat.key("type"),
                    format!("a GRPCRoute {t} filter (no conformance test covers it)"),
                ),
                _ => {}
            }
        }
    }
}

fn backend_tls_policy(spec: &Value, path: &FieldPath, n: &mut Needs) {
    let validation = spec.get("validation").unwrap_or(&Value::Null);
    if validation.get("subjectAltNames").is_some() {
        n.need(
            "BackendTLSPolicySANValidation",
            path.key("validation").key("subjectAltNames"),
            "the backend's certificate checked against subject alternative names",
        );
    }
    if validation.get("wellKnownCACertificates").is_some() {
        n.uncovered(
            path.key("validation").key("wellKnownCACertificates"),
            "well-known CA certificates (which ones is the implementation's choice)",
        );
    }
    if spec.get("options").is_some() {
        n.uncovered(path.key("options"), "TLS options");
    }
    if arr(spec, "targetRefs").len() > 1 {
        n.uncovered(path.key("targetRefs"), "several policy targets");
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn listener_hostnames_that_cover_others() {
        assert!(covers("", "a.example.com"));
        assert!(covers("*.example.com", "a.example.com"));
        assert!(covers("*.example.com", "*.foo.example.com"));
        assert!(!covers("*.example.com", "example.com"));
        assert!(!covers("a.example.com", "a.example.com"));
        assert!(!covers("a.example.com", ""));
    }
}
