//! Views read from small manifests: what is kept, what is never kept, and how leniently.

use super::*;
use crate::load::{self, Input};

/// The view of every object of `yaml`, in order.
fn views(yaml: &str) -> Vec<Option<Prepared>> {
    let loaded = load::load(
        &[Input::Stdin],
        &load::Options::default(),
        &mut yaml.as_bytes(),
    );
    loaded
        .inventory
        .objects
        .iter()
        .map(|o| Prepared::read(o, "default".into()))
        .collect()
}

fn only(yaml: &str) -> Prepared {
    views(yaml).remove(0).expect("a kind the graph views")
}

#[test]
fn secrets_keep_type_and_key_names_never_values() {
    let Prepared::Secret(s) = only(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/tls\n\
         data: {tls.crt: c2VjcmV0LWNlcnQ=}\nstringData: {tls.key: plain-secret-key}\n",
    ) else {
        panic!("not a Secret view")
    };
    assert_eq!(s.kind.as_deref(), Some("kubernetes.io/tls"));
    assert!(s.kind_written);
    assert_eq!(
        s.keys.iter().map(String::as_str).collect::<Vec<_>>(),
        ["tls.crt", "tls.key"]
    );
    let all = format!("{s:?}");
    assert!(!all.contains("c2VjcmV0LWNlcnQ=") && !all.contains("plain-secret-key"));
}

#[test]
fn configmaps_keep_the_ca_bundle_and_key_names_in_order() {
    let Prepared::ConfigMap(c) = only(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {z: '1', ca.crt: PEM, a: '2'}\n",
    ) else {
        panic!("not a ConfigMap view")
    };
    assert_eq!(c.ca_crt.as_deref(), Some("PEM"));
    assert_eq!(c.keys, ["z", "ca.crt", "a"]);
}

#[test]
fn rules_without_matches_have_the_default_match() {
    let Prepared::Route(r) = only(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n\
         metadata: {name: r, creationTimestamp: '2024-01-01T00:00:00Z'}\n\
         spec: {rules: [{}, {matches: [{headers: [{name: X, value: y, type: Shiny}]}]}]}\n",
    ) else {
        panic!("not a route view")
    };
    assert_eq!(r.created(), Some("2024-01-01T00:00:00Z"));
    let [Match::Http(default)] = r.rules[0].matches() else {
        panic!("not one HTTP match")
    };
    assert_eq!(default.path.kind, MatchType::PathPrefix);
    assert_eq!(&*default.path.value, "/");
    let [Match::Http(m)] = r.rules[1].matches() else {
        panic!("not one HTTP match")
    };
    // An unknown type is kept as written: precedence compares matches by their text.
    assert_eq!(m.headers[0].kind.as_str(), "Shiny");
}

#[test]
fn filters_read_by_type_and_keep_what_the_trace_quotes() {
    let Prepared::Route(r) = only(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\n\
         spec:\n  rules:\n  - filters:\n    - {type: RequestMirror, requestMirror: {backendRef: {name: m, port: '81'}}}\n\
         \x20   - {type: CORS, cors: {}}\n    - {requestHeaderModifier: {set: [{name: a, value: b}]}}\n\
         \x20   backendRefs:\n    - name: b\n      filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {remove: [x, 3]}}]\n",
    ) else {
        panic!("not a route view")
    };
    let rule = &r.rules[0];
    let Filter::RequestMirror(m) = &rule.filters[0] else {
        panic!("not a mirror")
    };
    assert_eq!(m.port.as_deref(), Some("\"81\""));
    assert_eq!(m.namespace, None);
    assert_eq!(rule.filters[1], Filter::Cors(Default::default()));
    assert_eq!(rule.filters[2].type_name(), None);
    assert_eq!(rule.mirrors.len(), 1);
    let Filter::ResponseHeaderModifier(h) = &rule.backends[0].filters[0] else {
        panic!("not a response header modifier")
    };
    assert_eq!(h.remove, ["x"]);
}

#[test]
fn session_persistence_counts_when_written_and_applies_when_an_object() {
    let Prepared::Route(r) = only(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\n\
         spec: {rules: [{sessionPersistence: {type: Header, idleTimeout: 1h}}, {sessionPersistence: on}]}\n",
    ) else {
        panic!("not a route view")
    };
    let sp = r.rules[0].session_persistence.as_ref().unwrap();
    assert!(sp.is_object);
    assert_eq!(sp.kind.as_deref(), Some("Header"));
    assert_eq!(sp.idle_timeout.as_deref(), Some("1h"));
    assert!(!r.rules[1].session_persistence.as_ref().unwrap().is_object);
}

#[test]
fn namespaces_keep_their_labels() {
    let Prepared::Namespace(n) = only(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: ns1, labels: {team: a, tier: b}}\n",
    ) else {
        panic!("not a Namespace view")
    };
    assert_eq!(n.labels.len(), 2);
    assert_eq!(n.labels["team"], "a");
}

#[test]
fn listener_sets_read_their_parent_and_listeners_with_defaults() {
    let Prepared::ListenerSet(s) = only(
        "apiVersion: gateway.networking.x-k8s.io/v1alpha1\nkind: XListenerSet\n\
         metadata: {name: extra}\n\
         spec: {parentRef: {name: shared}, listeners: [{name: a, protocol: HTTP, port: 0}, \
         {name: b, protocol: HTTPS, port: 443, hostname: b.example.com}]}\n",
    ) else {
        panic!("not a ListenerSet view")
    };
    assert_eq!(s.kind, "XListenerSet");
    assert!(
        s.parent_is_gateway(),
        "the parentRef's kind defaults to Gateway"
    );
    // The parentRef's namespace defaults to the ListenerSet's.
    assert_eq!(
        (s.parent.namespace.as_str(), s.parent.name.as_str()),
        ("default", "shared")
    );
    // Port 0 asks the implementation for a port: unknown, so none.
    assert_eq!(s.listeners[0].port, None);
    assert_eq!(s.listeners[1].port, Some(443));
    assert_eq!(s.listeners[1].path.to_string(), "spec.listeners[1]");
    assert_eq!(s.listeners[0].from, From::Same);
}

#[test]
fn gateways_admit_no_listener_sets_unless_they_say_so() {
    let Prepared::Gateway(g) = only(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g}\n\
         spec: {listeners: [{name: a, protocol: HTTP, port: 80}]}\n",
    ) else {
        panic!("not a Gateway view")
    };
    assert_eq!(g.allowed_listeners.from, ListenersFrom::None);
    assert!(!g.allowed_listeners.written);
    let Prepared::Gateway(g) = only(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g}\n\
         spec: {allowedListeners: {namespaces: {from: Selector, selector: {matchLabels: {a: b}}}}, \
         listeners: [{name: a, protocol: HTTP, port: 80}]}\n",
    ) else {
        panic!("not a Gateway view")
    };
    assert!(matches!(
        g.allowed_listeners.from,
        ListenersFrom::Selector(_)
    ));
    assert!(g.allowed_listeners.selector_set && g.allowed_listeners.written);
}
