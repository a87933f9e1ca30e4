//! Structural validation, one constraint kind at a time: a failing and a passing case each,
//! asserted at the level of the violation (code, path, message).

use gwctl::fieldpath::FieldPath;
use gwctl::schema::{
    Channel, Lookup, ObjectSchema, Release, Store, Violation, kind_from_crd, validate, walk,
};
use serde_json::{Value, json};

const GW: &str = "gateway.networking.k8s.io";

/// These tests hold Gateway API v1.1.0's schemas to what its API server does.
fn v1_1() -> Store {
    Store::for_release(Release::parse("v1.1.0").unwrap())
}

fn schema(store: &Store, version: &str, kind: &str) -> ObjectSchema {
    schema_in(store, Channel::Experimental, version, kind)
}

fn schema_in(store: &Store, channel: Channel, version: &str, kind: &str) -> ObjectSchema {
    match store.lookup(GW, version, kind, channel) {
        Lookup::Served(s) => s.clone(),
        other => panic!("{kind} {version}: {other:?}"),
    }
}

fn yaml(text: &str) -> Value {
    gwctl::yaml::parse_json_documents(text).unwrap().remove(0)
}

/// Validates `spec` (YAML) as the spec of a `kind` object.
fn check_in(channel: Channel, version: &str, kind: &str, spec: &str) -> (Vec<Violation>, Value) {
    let store = v1_1();
    let s = schema_in(&store, channel, version, kind);
    let mut obj = json!({
        "apiVersion": format!("{GW}/{version}"),
        "kind": kind,
        "metadata": {"name": "x", "namespace": "default"},
        "spec": yaml(spec),
    });
    let vs = validate(&s, &mut obj);
    (vs, obj)
}

fn check(kind: &str, spec: &str) -> Vec<Violation> {
    let version = match kind {
        "TCPRoute" | "BackendLBPolicy" => "v1alpha2",
        "BackendTLSPolicy" => "v1alpha3",
        _ => "v1",
    };
    check_in(Channel::Experimental, version, kind, spec).0
}

fn path(p: &str) -> String {
    p.to_string()
}

/// The one violation there is, as (code, path, message).
fn only(vs: &[Violation]) -> (&'static str, String, String) {
    assert_eq!(vs.len(), 1, "expected one violation, got {vs:#?}");
    let v = &vs[0];
    (v.code(), v.path.to_string(), v.message.clone())
}

const GATEWAY: &str = "
gatewayClassName: example
listeners:
- name: http
  port: 80
  protocol: HTTP
";

#[test]
fn a_plain_gateway_is_clean() {
    assert_eq!(check("Gateway", GATEWAY), []);
}

#[test]
fn value_types() {
    let vs = check(
        "Gateway",
        "gatewayClassName: example\nlisteners:\n- {name: http, port: \"80\", protocol: HTTP}",
    );
    assert_eq!(
        only(&vs),
        (
            "GW103",
            path("spec.listeners[0].port"),
            "expected an integer, found the string \"80\"".into()
        )
    );
    // An integral number written with a fraction is an integer, as kube-openapi accepts it.
    let ok = check(
        "Gateway",
        "gatewayClassName: example\nlisteners:\n- {name: http, port: 80.0, protocol: HTTP}",
    );
    assert_eq!(ok, []);
    let vs = check(
        "Gateway",
        "gatewayClassName: example\nlisteners:\n- {name: http, port: 80.5, protocol: HTTP}",
    );
    assert_eq!(only(&vs).2, "expected an integer, found the number 80.5");
}

#[test]
fn enum_values() {
    let vs = check(
        "Gateway",
        "gatewayClassName: example\nlisteners:\n- {name: https, port: 443, protocol: HTTPS, tls: {mode: terminate, certificateRefs: [{name: c}]}}",
    );
    assert_eq!(
        only(&vs),
        (
            "GW105",
            path("spec.listeners[0].tls.mode"),
            "unsupported value \"terminate\"; expected \"Terminate\" or \"Passthrough\"".into()
        )
    );
    let ok = check(
        "Gateway",
        "gatewayClassName: example\nlisteners:\n- {name: tls, port: 443, protocol: TLS, tls: {mode: Passthrough}}",
    );
    assert_eq!(ok, []);
    // Numeric enums compare by value.
    let ok = check(
        "HTTPRoute",
        "rules:\n- filters:\n  - {type: RequestRedirect, requestRedirect: {statusCode: 301.0}}",
    );
    assert_eq!(ok, []);
}

#[test]
fn pattern() {
    let vs = check(
        "Gateway",
        "gatewayClassName: example\nlisteners:\n- {name: http, port: 80, protocol: HTTP, hostname: Example.COM}",
    );
    assert_eq!(
        only(&vs),
        (
            "GW106",
            path("spec.listeners[0].hostname"),
            "\"Example.COM\" is invalid: expected a lower-case DNS name such as \"example.com\", optionally starting with \"*.\"".into()
        )
    );
    let ok = check(
        "Gateway",
        "gatewayClassName: example\nlisteners:\n- {name: http, port: 80, protocol: HTTP, hostname: \"*.example.com\"}",
    );
    assert_eq!(ok, []);
}

#[test]
fn patterns_are_unanchored_searches_with_upstream_quirks() {
    // The protocol pattern's second alternative has no `^`: junk before a domain-prefixed
    // protocol is accepted, as the API server accepts it.
    let ok = check(
        "Gateway",
        "gatewayClassName: example\nlisteners:\n- {name: x, port: 80, protocol: \"!!example.com/Proto\"}",
    );
    assert_eq!(ok, []);
    // The address type pattern is not grouped: IPAddress matches anywhere.
    let ok = check(
        "Gateway",
        &format!("{GATEWAY}addresses:\n- {{type: notIPAddressreally, value: foo}}"),
    );
    assert_eq!(ok, []);
    let vs = check(
        "Gateway",
        &format!("{GATEWAY}addresses:\n- {{type: \"bad type\", value: foo}}"),
    );
    assert_eq!(only(&vs).0, "GW106");
}

#[test]
fn numeric_bounds() {
    let vs = check(
        "Gateway",
        "gatewayClassName: example\nlisteners:\n- {name: http, port: 0, protocol: HTTP}",
    );
    assert_eq!(
        only(&vs),
        (
            "GW107",
            path("spec.listeners[0].port"),
            "0 is less than the minimum 1".into()
        )
    );
    let vs = check(
        "Gateway",
        "gatewayClassName: example\nlisteners:\n- {name: http, port: 65536, protocol: HTTP}",
    );
    assert_eq!(only(&vs).2, "65536 is greater than the maximum 65535");
    let ok = check(
        "Gateway",
        "gatewayClassName: example\nlisteners:\n- {name: http, port: 65535, protocol: HTTP}",
    );
    assert_eq!(ok, []);
}

#[test]
fn string_lengths_count_code_points() {
    let vs = check(
        "Gateway",
        "gatewayClassName: \"\"\nlisteners:\n- {name: http, port: 80, protocol: HTTP}",
    );
    assert_eq!(
        only(&vs),
        (
            "GW108",
            path("spec.gatewayClassName"),
            "empty string; at least 1 character required".into()
        )
    );
    // 64 two-byte characters: 128 bytes but 64 code points, within maxLength 64.
    let store = v1_1();
    let gc = schema(&store, "v1", "GatewayClass");
    let mut obj =
        json!({"spec": {"controllerName": "example.com/c", "description": "é".repeat(64)}});
    assert_eq!(validate(&gc, &mut obj), []);
    let mut obj =
        json!({"spec": {"controllerName": "example.com/c", "description": "é".repeat(65)}});
    let vs = validate(&gc, &mut obj);
    let (code, p, msg) = only(&vs);
    assert_eq!((code, p.as_str()), ("GW108", "spec.description"));
    assert!(
        msg.ends_with("is too long: 65 characters, at most 64 allowed"),
        "{msg}"
    );
}

#[test]
fn item_counts() {
    let vs = check("Gateway", "gatewayClassName: example\nlisteners: []");
    assert_eq!(
        only(&vs),
        (
            "GW109",
            path("spec.listeners"),
            "empty list; at least 1 item required".into()
        )
    );
    let hosts: Vec<String> = (0..17).map(|i| format!("h{i}.example.com")).collect();
    let vs = check(
        "HTTPRoute",
        &format!("hostnames: {}", serde_json::to_string(&hosts).unwrap()),
    );
    assert_eq!(
        only(&vs),
        (
            "GW109",
            path("spec.hostnames"),
            "too many items: 17, at most 16 allowed".into()
        )
    );
    let ok = check(
        "HTTPRoute",
        &format!(
            "hostnames: {}",
            serde_json::to_string(&hosts[..16]).unwrap()
        ),
    );
    assert_eq!(ok, []);
}

#[test]
fn property_counts() {
    let options: serde_json::Map<String, Value> =
        (0..17).map(|i| (format!("k{i}"), json!("v"))).collect();
    let spec = |opts: &serde_json::Map<String, Value>| {
        format!(
            "gatewayClassName: example\nlisteners:\n- {{name: https, port: 443, protocol: HTTPS, tls: {{options: {}}}}}",
            serde_json::to_string(opts).unwrap()
        )
    };
    let vs = check("Gateway", &spec(&options));
    assert_eq!(
        only(&vs),
        (
            "GW110",
            path("spec.listeners[0].tls.options"),
            "too many entries: 17, at most 16 allowed".into()
        )
    );
    let few: serde_json::Map<String, Value> = options.into_iter().take(16).collect();
    assert_eq!(check("Gateway", &spec(&few)), []);
}

#[test]
fn required_fields() {
    let vs = check("HTTPRoute", "parentRefs:\n- {namespace: infra}");
    assert_eq!(
        only(&vs),
        (
            "GW104",
            path("spec.parentRefs[0]"),
            "missing required field \"name\"".into()
        )
    );
    assert_eq!(
        check("HTTPRoute", "parentRefs:\n- {namespace: infra, name: gw}"),
        []
    );
}

#[test]
fn unknown_fields_point_at_the_key() {
    let vs = check(
        "Gateway",
        "gatewayClassName: example\nlisteners:\n- {name: http, port: 80, protocol: HTTP, hostName: a.example.com}",
    );
    assert_eq!(
        only(&vs),
        (
            "GW101",
            path("spec.listeners[0].hostName"),
            "unknown field \"hostName\" (did you mean \"hostname\"?)".into()
        )
    );
    assert!(vs[0].on_key);
    let vs = check("Gateway", &format!("{GATEWAY}bogus: 1"));
    assert_eq!(
        only(&vs).2,
        "unknown field \"bogus\"; expected one of: addresses, gatewayClassName, infrastructure, listeners"
    );
}

/// Each channel's schema has only its own fields: an experimental field is unknown to the
/// standard one (lint then says which channel and releases have it: tests/it/releases.rs).
#[test]
fn experimental_fields_under_the_standard_channel() {
    let spec = "rules:\n- timeouts: {request: 10s}";
    let (vs, _) = check_in(Channel::Standard, "v1", "HTTPRoute", spec);
    assert_eq!(
        only(&vs),
        (
            "GW101",
            path("spec.rules[0].timeouts"),
            "unknown field \"timeouts\"; expected one of: backendRefs, filters, matches".into()
        )
    );
    assert!(vs[0].on_key);
    let (vs, _) = check_in(Channel::Experimental, "v1", "HTTPRoute", spec);
    assert_eq!(vs, []);
    // Under standard, the field list offered for a typo leaves experimental fields out.
    let (vs, _) = check_in(
        Channel::Standard,
        "v1",
        "Gateway",
        &format!("{GATEWAY}zzz: 1"),
    );
    assert_eq!(
        only(&vs).2,
        "unknown field \"zzz\"; expected one of: addresses, gatewayClassName, listeners"
    );
}

#[test]
fn list_map_duplicates_name_the_key_and_both_entries() {
    let vs = check(
        "Gateway",
        "gatewayClassName: example\nlisteners:\n- {name: http, port: 80, protocol: HTTP}\n- {name: http, port: 8080, protocol: HTTP}",
    );
    assert_eq!(
        only(&vs),
        (
            "GW112",
            path("spec.listeners[1]"),
            "duplicate listener named \"http\"; entries of this list must differ in name".into()
        )
    );
    assert!(vs[0].on_key);
    assert_eq!(
        vs[0].related,
        [(
            FieldPath::root().key("spec").key("listeners").index(0),
            "first listener named \"http\"".to_string()
        )]
    );
    let vs = check(
        "BackendLBPolicy",
        "targetRefs:\n- {group: \"\", kind: Service, name: a}\n- {group: \"\", kind: Service, name: a}",
    );
    assert_eq!(
        only(&vs).2,
        "duplicate targetRef with group \"\", kind \"Service\", name \"a\"; entries of this list must differ in group, kind, name"
    );
    assert_eq!(
        check(
            "BackendLBPolicy",
            "targetRefs:\n- {group: \"\", kind: Service, name: a}\n- {group: \"\", kind: Service, name: b}"
        ),
        []
    );
}

#[test]
fn set_duplicates() {
    let spec = |remove: &str| {
        format!(
            "rules:\n- filters:\n  - {{type: RequestHeaderModifier, requestHeaderModifier: {{remove: {remove}}}}}"
        )
    };
    let vs = check("HTTPRoute", &spec("[X-A, X-A]"));
    assert_eq!(
        only(&vs),
        (
            "GW113",
            path("spec.rules[0].filters[0].requestHeaderModifier.remove[1]"),
            "duplicate value \"X-A\"; values in this list must be unique".into()
        )
    );
    assert_eq!(
        vs[0].related[0].0.to_string(),
        "spec.rules[0].filters[0].requestHeaderModifier.remove[0]"
    );
    assert_eq!(check("HTTPRoute", &spec("[X-A, X-B]")), []);
}

#[test]
fn gateway_addresses_default_their_type_then_need_an_ip() {
    let (vs, obj) = check_in(
        Channel::Standard,
        "v1",
        "Gateway",
        &format!("{GATEWAY}addresses:\n- value: gateway.example.com"),
    );
    assert_eq!(
        only(&vs),
        (
            "GW114",
            path("spec.addresses[0].value"),
            "\"gateway.example.com\" matches none of the allowed alternatives: a valid IPv4 address; or a valid IPv6 address".into()
        )
    );
    assert_eq!(
        obj["spec"]["addresses"][0]["type"], "IPAddress",
        "defaulted first"
    );
    let (vs, _) = check_in(
        Channel::Standard,
        "v1",
        "Gateway",
        &format!(
            "{GATEWAY}addresses:\n- value: 10.0.0.1\n- value: \"::1\"\n- {{type: Hostname, value: gateway.example.com}}\n- {{type: NamedAddress, value: pool}}"
        ),
    );
    assert_eq!(vs, []);
    // The API server reads the `ipv4` format with k8s.io/utils' ParseIPSloppy, which takes
    // leading zeros (as decimal); an octet over 255 is still refused.
    let (vs, _) = check_in(
        Channel::Standard,
        "v1",
        "Gateway",
        &format!("{GATEWAY}addresses:\n- value: 01.2.3.4\n- value: 010.0.0.1"),
    );
    assert_eq!(vs, []);
    let (vs, _) = check_in(
        Channel::Standard,
        "v1",
        "Gateway",
        &format!("{GATEWAY}addresses:\n- value: 0256.0.0.1"),
    );
    assert_eq!(only(&vs).0, "GW114");
}

#[test]
fn formats() {
    let store = v1_1();
    let gc = schema(&store, "v1", "GatewayClass");
    let condition = |time: &str| {
        json!({"spec": {"controllerName": "example.com/c"}, "status": {"conditions": [{
            "type": "Accepted", "status": "True", "reason": "Accepted", "message": "",
            "lastTransitionTime": time,
        }]}})
    };
    let vs = validate(&gc, &mut condition("yesterday"));
    assert_eq!(
        only(&vs),
        (
            "GW111",
            path("status.conditions[0].lastTransitionTime"),
            "\"yesterday\" is not an RFC 3339 date-time such as \"2024-05-08T10:00:00Z\"".into()
        )
    );
    assert_eq!(validate(&gc, &mut condition("2024-05-08T10:00:00Z")), []);
}

fn crd_schema(schema: Value) -> ObjectSchema {
    let crd = json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "spec": {
            "group": "example.com",
            "names": {"kind": "Widget", "plural": "widgets"},
            "scope": "Namespaced",
            "versions": [{"name": "v1", "served": true, "storage": true,
                          "schema": {"openAPIV3Schema": schema}}]
        }
    });
    kind_from_crd(&crd).unwrap().versions[0]
        .schema(Channel::Standard)
        .clone()
}

#[test]
fn integer_formats_in_user_crds() {
    let s = crd_schema(
        json!({"type": "object", "properties": {"n": {"type": "integer", "format": "int32"}}}),
    );
    let vs = validate(&s, &mut json!({"n": 3_000_000_000u64}));
    assert_eq!(
        only(&vs),
        (
            "GW111",
            path("n"),
            "3000000000 does not fit: expected a 32-bit signed integer (format int32)".into()
        )
    );
    assert_eq!(validate(&s, &mut json!({"n": 2_147_483_647})), []);
}

#[test]
fn one_of_any_of_and_not_in_user_crds() {
    let s = crd_schema(json!({
        "type": "object",
        "properties": {
            "x": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                  "oneOf": [{"required": ["a"]}, {"required": ["b"]}]},
            "y": {"type": "string", "not": {"enum": ["legacy"]}},
            "z": {"type": "string", "anyOf": [{"pattern": "^a"}, {"pattern": "^b"}]}
        }
    }));
    let vs = validate(&s, &mut json!({"x": {"a": "1", "b": "2"}}));
    assert_eq!(
        only(&vs),
        (
            "GW115",
            path("x"),
            "a mapping matches 2 of the 2 alternatives, but must match exactly one".into()
        )
    );
    let vs = validate(&s, &mut json!({"x": {}}));
    assert_eq!(
        only(&vs),
        (
            "GW114",
            path("x"),
            "a mapping matches none of the allowed alternatives: a mapping that sets \"a\"; or a mapping that sets \"b\"".into()
        )
    );
    assert_eq!(validate(&s, &mut json!({"x": {"a": "1"}})), []);
    let vs = validate(&s, &mut json!({"y": "legacy"}));
    assert_eq!(
        only(&vs),
        (
            "GW116",
            path("y"),
            "\"legacy\" is not allowed here: it must not be one of \"legacy\"".into()
        )
    );
    assert_eq!(validate(&s, &mut json!({"y": "modern", "z": "beta"})), []);
    let vs = validate(&s, &mut json!({"z": "c"}));
    assert_eq!(only(&vs).0, "GW114");
}

#[test]
fn defaults_apply_recursively_and_nulls_are_dropped() {
    let (vs, obj) = check_in(
        Channel::Standard,
        "v1",
        "HTTPRoute",
        "parentRefs:\n- {name: gw, sectionName: null}",
    );
    assert_eq!(vs, []);
    assert_eq!(
        obj["spec"]["rules"],
        json!([{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}]}])
    );
    assert_eq!(
        obj["spec"]["parentRefs"][0],
        json!({"name": "gw", "group": GW, "kind": "Gateway"})
    );
    let (_, obj) = check_in(Channel::Standard, "v1", "Gateway", GATEWAY);
    assert_eq!(
        obj["spec"]["listeners"][0]["allowedRoutes"],
        json!({"namespaces": {"from": "Same"}})
    );
    let (_, obj) = check_in(
        Channel::Standard,
        "v1",
        "HTTPRoute",
        "rules:\n- backendRefs: [{name: s, port: 80}]",
    );
    assert_eq!(obj["spec"]["rules"][0]["backendRefs"][0]["weight"], 1);
    assert_eq!(obj["spec"]["rules"][0]["backendRefs"][0]["group"], "");
    // Fields of the other channel get no defaults.
    let (_, obj) = check_in(
        Channel::Standard,
        "v1",
        "HTTPRoute",
        "rules:\n- sessionPersistence: {}",
    );
    assert_eq!(obj["spec"]["rules"][0]["sessionPersistence"], json!({}));
    let (_, obj) = check_in(
        Channel::Experimental,
        "v1",
        "HTTPRoute",
        "rules:\n- sessionPersistence: {}",
    );
    assert_eq!(
        obj["spec"]["rules"][0]["sessionPersistence"],
        json!({"type": "Cookie"})
    );
}

/// `metadata` is checked as the API server decodes and validates ObjectMeta: its fields and
/// their types, labels, annotations, finalizers, owner references; `name` and `namespace`
/// are the loader's (GW023, GW024).
#[test]
fn metadata_is_checked_as_objectmeta() {
    let store = v1_1();
    let gw = schema(&store, "v1", "Gateway");
    let mut obj = yaml(&format!(
        "metadata:\n  name: 5\n  weird: [1, 2]\n  labels: 5\n  annotations: {{\"a b\": x, ok: 1}}\n  finalizers: [cleanup, example.com/ok]\nspec:\n{}",
        indent(GATEWAY)
    ));
    let vs = validate(&gw, &mut obj);
    let got: Vec<_> = vs.iter().map(|v| (v.code(), v.path.to_string())).collect();
    assert_eq!(
        got,
        [
            ("GW101", path("metadata.weird")),
            ("GW103", path("metadata.labels")),
            ("GW103", path("metadata.annotations.ok")),
            ("GW117", path("metadata.annotations[\"a b\"]")),
            ("GW118", path("metadata.finalizers[0]")),
        ]
    );
    // A wrong type in metadata stops the CEL rules, as any wrong type does.
    let cel = gwctl::cel::evaluate_after_schema(&gw, &obj, None, &vs);
    assert_eq!(cel.len(), 1);
    assert_eq!(cel[0].code(), "GW204");
    let clean = format!(
        "metadata:\n  name: web\n  namespace: infra\n  labels: {{app.kubernetes.io/name: web, tier: \"\"}}\n  annotations: {{Example.com/Note: \"free text, any length\"}}\n  finalizers: [gateway.example.com/cleanup]\n  creationTimestamp: null\n  generation: 3\n  uid: 8b3c\nspec:\n{}",
        indent(GATEWAY)
    );
    let mut obj = yaml(&clean);
    assert_eq!(validate(&gw, &mut obj), []);
    let mut obj = yaml(&format!(
        "apiVersion: 5\nmetadata: x\nspec:\n{}",
        indent(GATEWAY)
    ));
    let vs = validate(&gw, &mut obj);
    let got: Vec<_> = vs.iter().map(|v| (v.code(), v.path.to_string())).collect();
    assert_eq!(
        got,
        [("GW103", path("apiVersion")), ("GW103", path("metadata"))]
    );
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("  {l}\n")).collect()
}

#[test]
fn hostile_input_does_not_panic() {
    let store = v1_1();
    for kind in ["Gateway", "HTTPRoute", "GRPCRoute", "GatewayClass"] {
        let s = schema(&store, "v1", kind);
        let mut deep = json!("leaf");
        for _ in 0..150 {
            deep = json!({"spec": {"rules": [deep]}});
        }
        let cases = [
            json!(null),
            json!("string"),
            json!([1, 2, 3]),
            json!({"spec": []}),
            json!({"spec": {"listeners": "x", "rules": {"a": 1}, "parentRefs": [null, 1, "x", []]}}),
            json!({"spec": {"rules": [{"matches": [{"path": null, "headers": [{"name": 1}, 2]}]}]}}),
            json!({"spec": {"hostnames": ["x".repeat(1_000_000)]}}),
            json!({"metadata": {"labels": {"a": {"b": [1]}, "x".repeat(100_000): "/".repeat(100_000)},
                "annotations": {"x": "y".repeat(1_000_000)}, "ownerReferences": [1, null, {"controller": "yes", "apiVersion": "/"}],
                "finalizers": [null, 1, [], "/", "a/b/c/d"], "managedFields": "x", "generateName": "-",
                "creationTimestamp": "\u{feff}", "deletionTimestamp": "2024-01-01T10:00:00.", "generation": 1e300}}),
            json!({"metadata": {"generateName": "é-", "managedFields": [null, 1, {"time": "9999-99-99T99:99:99+99:99", "fieldsV1": deep.clone()}]}}),
            deep,
        ];
        for mut c in cases {
            let _ = validate(&s, &mut c);
            let _ = validate(&s, &mut c);
        }
    }
}

#[test]
fn walk_finds_rule_placements_per_channel() {
    let store = v1_1();
    let obj = yaml(
        "spec:\n  parentRefs: [{name: gw}]\n  rules:\n  - matches: [{path: {type: PathPrefix, value: /}}]\n    timeouts: {request: 1s}",
    );
    let placements = |channel| {
        let mut found = Vec::new();
        let route = schema_in(&store, channel, "v1", "HTTPRoute");
        walk(&route, &obj, &mut |p, node, _| {
            let n = node.rules.len();
            if n > 0 {
                found.push((p.to_string(), n));
            }
        });
        found
    };
    assert_eq!(
        placements(Channel::Experimental),
        [
            (path("spec.parentRefs"), 2),
            (path("spec.rules[0]"), 5),
            (path("spec.rules[0].matches[0].path"), 11),
            (path("spec.rules[0].timeouts"), 1),
        ]
    );
    // Under standard the timeouts field does not exist, and parentRefs has the standard pair.
    let std = placements(Channel::Standard);
    assert_eq!(std.len(), 3);
    let gc = schema(&store, "v1", "GatewayClass");
    let mut transition = Vec::new();
    walk(
        &gc,
        &json!({"spec": {"controllerName": "a/b"}}),
        &mut |_, n, _| {
            transition.extend(
                n.rules
                    .iter()
                    .filter(|r| r.transition)
                    .map(|r| r.rule.clone()),
            );
        },
    );
    assert_eq!(transition, ["self == oldSelf"]);
}
