//! Property test of `migrate --to`: for generated objects of every kind a migration moves
//! (and routes naming an XListenerSet, and fields a release removed), valid at a release A
//! (or the last release that served their version), migrating to any release B ≥ A either refuses (file unchanged) or gives
//! objects that B serves and whose schemas and CEL rules accept them, checked here with the
//! schema store directly; and migrating to B and then to C gives what migrating to C does.

use gwctl::migrate::{Options, migrate_text};
use gwctl::schema::{Channel, Lookup, Release, Store};
use gwctl::source::FileId;
use proptest::prelude::*;
use serde_json::{Value, json};

/// One generated object, before rendering.
#[derive(Debug, Clone)]
enum Obj {
    TlsRoute {
        version: &'static str,
        hostnames: usize,
        rules: usize,
    },
    L4Route {
        kind: &'static str,
        rules: usize,
    },
    XListenerSet {
        port: bool,
    },
    HttpRoute {
        to_listener_set: bool,
        idle_timeout: bool,
    },
    BackendLbPolicy,
    BackendTlsPolicy,
    GrpcRoute,
    ReferenceGrant {
        version: &'static str,
    },
}

fn obj() -> impl Strategy<Value = Obj> {
    prop_oneof![
        (
            prop::sample::select(vec!["v1alpha2", "v1alpha3"]),
            0usize..3,
            1usize..3
        )
            .prop_map(|(version, hostnames, rules)| Obj::TlsRoute {
                version,
                hostnames,
                rules
            }),
        (
            prop::sample::select(vec!["TCPRoute", "UDPRoute"]),
            1usize..3
        )
            .prop_map(|(kind, rules)| Obj::L4Route { kind, rules }),
        any::<bool>().prop_map(|port| Obj::XListenerSet { port }),
        (any::<bool>(), any::<bool>()).prop_map(|(to_listener_set, idle_timeout)| {
            Obj::HttpRoute {
                to_listener_set,
                idle_timeout,
            }
        }),
        Just(Obj::BackendLbPolicy),
        Just(Obj::BackendTlsPolicy),
        Just(Obj::GrpcRoute),
        prop::sample::select(vec!["v1alpha2", "v1beta1"])
            .prop_map(|version| Obj::ReferenceGrant { version }),
    ]
}

const G: &str = "gateway.networking.k8s.io";
const X: &str = "gateway.networking.x-k8s.io";

fn meta(name: &str) -> Value {
    json!({"name": name, "namespace": "apps"})
}

fn backend_rules(n: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| json!({"name": format!("r{i}"), "backendRefs": [{"name": format!("b{i}"), "port": 5432}]}))
            .collect(),
    )
}

fn render(o: &Obj, i: usize) -> Value {
    let name = format!("o{i}");
    match o {
        Obj::TlsRoute {
            version,
            hostnames,
            rules,
        } => {
            let mut spec =
                json!({"parentRefs": [{"name": "edge"}], "rules": backend_rules(*rules)});
            if *hostnames > 0 {
                spec["hostnames"] = Value::Array(
                    (0..*hostnames)
                        .map(|h| Value::String(format!("h{h}.example.com")))
                        .collect(),
                );
            }
            json!({"apiVersion": format!("{G}/{version}"), "kind": "TLSRoute", "metadata": meta(&name), "spec": spec})
        }
        Obj::L4Route { kind, rules } => json!({
            "apiVersion": format!("{G}/v1alpha2"), "kind": kind, "metadata": meta(&name),
            "spec": {"parentRefs": [{"name": "edge"}], "rules": backend_rules(*rules)}
        }),
        Obj::XListenerSet { port } => {
            let mut l = json!({"name": "web", "protocol": "HTTP"});
            if *port {
                l["port"] = json!(8080);
            }
            json!({"apiVersion": format!("{X}/v1alpha1"), "kind": "XListenerSet", "metadata": meta(&name),
                "spec": {"parentRef": {"name": "edge"}, "listeners": [l]}})
        }
        Obj::HttpRoute {
            to_listener_set,
            idle_timeout,
        } => {
            let parent = if *to_listener_set {
                json!({"group": X, "kind": "XListenerSet", "name": "ls"})
            } else {
                json!({"name": "edge"})
            };
            let mut rule = json!({"backendRefs": [{"name": "web", "port": 80}]});
            if *idle_timeout {
                rule["sessionPersistence"] = json!({"sessionName": "s", "idleTimeout": "30m"});
            }
            json!({"apiVersion": format!("{G}/v1"), "kind": "HTTPRoute", "metadata": meta(&name),
                "spec": {"parentRefs": [parent], "rules": [rule]}})
        }
        Obj::BackendLbPolicy => json!({
            "apiVersion": format!("{G}/v1alpha2"), "kind": "BackendLBPolicy", "metadata": meta(&name),
            "spec": {"targetRefs": [{"group": "", "kind": "Service", "name": "web"}],
                     "sessionPersistence": {"sessionName": "s"}}
        }),
        Obj::BackendTlsPolicy => json!({
            "apiVersion": format!("{G}/v1alpha2"), "kind": "BackendTLSPolicy", "metadata": meta(&name),
            "spec": {"targetRef": {"group": "", "kind": "Service", "name": "web"},
                     "tls": {"hostname": "web.example.com", "wellKnownCACerts": "System"}}
        }),
        Obj::GrpcRoute => json!({
            "apiVersion": format!("{G}/v1alpha2"), "kind": "GRPCRoute", "metadata": meta(&name),
            "spec": {"parentRefs": [{"name": "edge"}], "rules": [{"backendRefs": [{"name": "rpc", "port": 9000}]}]}
        }),
        Obj::ReferenceGrant { version } => json!({
            "apiVersion": format!("{G}/{version}"), "kind": "ReferenceGrant", "metadata": meta(&name),
            "spec": {"from": [{"group": G, "kind": "HTTPRoute", "namespace": "web"}],
                     "to": [{"group": "", "kind": "Service"}]}
        }),
    }
}

/// The errors `release` finds in `object` (schema, then CEL), in the channel that serves
/// its version (experimental first); `None` when neither channel serves it. With `legacy`,
/// a version `release` no longer lists is checked with the schema its last release gave it
/// (BackendTLSPolicy v1alpha2 is from v1.0, before the releases gwctl targets).
fn errors_at(release: Release, object: &Value, legacy: bool) -> Option<Vec<String>> {
    let store = Store::for_release(release);
    let api = object["apiVersion"].as_str()?;
    let (group, version) = api.rsplit_once('/')?;
    let kind = object["kind"].as_str()?;
    let schema = [Channel::Experimental, Channel::Standard]
        .into_iter()
        .find_map(|c| match store.lookup(group, version, kind, c) {
            Lookup::Served(s) => Some(s),
            Lookup::NotServed { schema, .. } if legacy => schema,
            _ => None,
        })?;
    let mut copy = object.clone();
    let mut found = gwctl::schema::validate(schema, &mut copy);
    let cel = gwctl::cel::evaluate_after_schema(schema, &copy, None, &found);
    found.extend(cel);
    Some(
        found
            .iter()
            .filter(|v| v.rule.severity == gwctl::diag::Severity::Error)
            .map(|v| format!("{} {}: {}", v.code(), v.path, v.message))
            .collect(),
    )
}

fn releases() -> Vec<Release> {
    Release::all()
}

fn opts(release: Release, drop: bool, to_v1: bool) -> Options {
    Options {
        to_v1,
        release,
        drop_removed_fields: drop,
    }
}

fn documents(text: &str) -> Vec<Value> {
    gwctl::yaml::parse_json_documents(text).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn migrate_to_a_release_gives_what_it_accepts(
        objs in prop::collection::vec(obj(), 1..4),
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
        c in any::<prop::sample::Index>(),
        drop in any::<bool>(),
        to_v1 in any::<bool>(),
        block in any::<bool>(),
    ) {
        let all = releases();
        let a = a.index(all.len());
        let b = a + b.index(all.len() - a);
        let c = b + c.index(all.len() - b);
        let (a, b, c) = (all[a], all[b], all[c]);
        let values: Vec<Value> = objs.iter().enumerate().map(|(i, o)| render(o, i)).collect();
        // Only objects that A (or the release that last served their version) accepts: a
        // manifest set that worked.
        for v in &values {
            let errors = errors_at(a, v, true);
            prop_assume!(errors.as_ref().is_some_and(Vec::is_empty));
        }
        let text = values
            .iter()
            .map(|v| if block {
                gwctl::yaml::to_yaml(v)
            } else {
                format!("{v}\n")
            })
            .collect::<Vec<_>>()
            .join("---\n");
        let to_b = migrate_text(FileId(0), &text, &opts(b, drop, to_v1))
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        if to_b.refused {
            prop_assert_eq!(&to_b.text, &text);
            return Ok(());
        }
        for v in documents(&to_b.text) {
            let errors = errors_at(b, &v, false);
            prop_assert!(errors.is_some(), "{} does not serve {}\n{}", b, v, to_b.text);
            let errors = errors.unwrap_or_default();
            prop_assert!(errors.is_empty(), "{} rejects {}: {:?}", b, v, errors);
        }
        // B then C is C.
        let direct = migrate_text(FileId(0), &text, &opts(c, drop, to_v1))
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let chained = migrate_text(FileId(0), &to_b.text, &opts(c, drop, to_v1))
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(direct.refused, chained.refused);
        if !direct.refused {
            prop_assert_eq!(direct.text, chained.text);
        }
    }
}
