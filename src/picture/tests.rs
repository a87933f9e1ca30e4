//! The picture of small manifests: what is drawn, refused edges with their reasons, grants,
//! findings on the most specific node, filters, and an order that does not depend on the
//! inputs' order.

use super::*;
use crate::diag::ObjectRef;
use crate::load::{self, Input};

const SETUP: &str = "\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: shared
  listeners:
  - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
  - {name: internal, protocol: HTTP, port: 8080}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: store, namespace: shop}
spec:
  parentRefs: [{name: web, namespace: infra, sectionName: http}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs:
    - {name: store, port: 80, weight: 3}
    - {name: catalog, namespace: catalog, port: 80, weight: 1}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: admin, namespace: ops}
spec:
  parentRefs: [{name: web, namespace: infra, sectionName: internal}]
  rules:
  - backendRefs: [{name: admin, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: store, namespace: shop}
spec: {ports: [{port: 80}]}
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: from-shop, namespace: catalog}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
  to: [{group: \"\", kind: Service}]
";

fn picture(yaml: &str) -> Picture {
    let loaded = load::load(
        &[Input::Stdin],
        &load::Options::default(),
        &mut yaml.as_bytes(),
    );
    Picture::build(&Graph::build(&loaded.inventory))
}

fn ids(p: &Picture) -> Vec<&str> {
    p.nodes.iter().map(|n| n.id.as_str()).collect()
}

/// Edges as `from -> to [kind] label`.
fn edges(p: &Picture) -> Vec<String> {
    p.edges
        .iter()
        .map(|e| {
            format!(
                "{} -> {} [{:?}] {}{}",
                p.nodes[e.from].id,
                p.nodes[e.to].id,
                e.kind,
                e.label.as_deref().unwrap_or(""),
                e.grant
                    .as_deref()
                    .map(|g| format!(" grant {g}"))
                    .unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn routing_is_drawn_in_columns_with_refusals_and_grants() {
    let p = picture(SETUP);
    assert_eq!(
        ids(&p),
        [
            "GatewayClass/shared",
            "Gateway/infra/web",
            "Gateway/infra/web/listener/http",
            "Gateway/infra/web/listener/internal",
            "HTTPRoute/ops/admin",
            "HTTPRoute/shop/store",
            "HTTPRoute/ops/admin/rule/0",
            "HTTPRoute/shop/store/rule/0",
            "Service/catalog/catalog",
            "Service/ops/admin",
            "Service/shop/store",
        ]
    );
    let missing: Vec<&str> = p
        .nodes
        .iter()
        .filter(|n| n.missing)
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(
        missing,
        [
            "GatewayClass/shared",
            "Service/catalog/catalog",
            "Service/ops/admin"
        ]
    );
    assert_eq!(
        edges(&p),
        [
            "GatewayClass/shared -> Gateway/infra/web [Class] ",
            "Gateway/infra/web -> Gateway/infra/web/listener/http [Listener] ",
            "Gateway/infra/web -> Gateway/infra/web/listener/internal [Listener] ",
            "Gateway/infra/web/listener/http -> HTTPRoute/shop/store [Attached] ",
            "Gateway/infra/web/listener/internal -> HTTPRoute/ops/admin [Refused] refused: admits only routes in its own namespace \"infra\" (allowedRoutes.namespaces.from: Same), not \"ops\"",
            "HTTPRoute/ops/admin -> HTTPRoute/ops/admin/rule/0 [Rule] ",
            "HTTPRoute/shop/store -> HTTPRoute/shop/store/rule/0 [Rule] ",
            "HTTPRoute/ops/admin/rule/0 -> Service/ops/admin [Backend] :80",
            "HTTPRoute/shop/store/rule/0 -> Service/catalog/catalog [Backend] :80 weight 1 grant catalog/from-shop",
            "HTTPRoute/shop/store/rule/0 -> Service/shop/store [Backend] :80 weight 3",
        ]
    );
}

#[test]
fn the_order_of_the_inputs_does_not_change_the_picture() {
    let docs: Vec<&str> = SETUP.split("---\n").collect();
    let reversed: Vec<&str> = docs.iter().rev().copied().collect();
    let (a, b) = (picture(SETUP), picture(&reversed.join("---\n")));
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(edges(&a), edges(&b));
}

#[test]
fn a_backend_without_a_grant_and_a_section_that_names_nothing_are_refused() {
    let p = picture(
        "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  listeners: [{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: shop}
spec:
  parentRefs: [{name: web, namespace: infra, sectionName: https}, {name: gone, namespace: infra}]
  rules: [{backendRefs: [{name: db, namespace: data, port: 5432}]}]
",
    );
    let e = edges(&p);
    assert!(
        e.contains(
            &"Gateway/infra/web -> HTTPRoute/shop/r [Refused] no listener \"https\"".to_owned()
        ),
        "{e:#?}"
    );
    assert!(
        e.contains(
            &"Gateway/infra/gone -> HTTPRoute/shop/r [Refused] not in the inputs".to_owned()
        ),
        "{e:#?}"
    );
    assert!(
        e.contains(&"HTTPRoute/shop/r/rule/0 -> Service/data/db [Refused] no ReferenceGrant in \"data\" allows it (:5432)".to_owned()),
        "{e:#?}"
    );
}

/// A finding of `severity` about `field` of an object (the rule does not matter here).
fn finding(
    kind: &str,
    namespace: Option<&str>,
    name: &str,
    field: &str,
    severity: Severity,
) -> Diagnostic {
    let mut d = Diagnostic::new(&crate::load::rules::FILE_TOO_LARGE, "x");
    d.severity = severity;
    d.object = Some(std::sync::Arc::new(ObjectRef {
        api_version: "v1".into(),
        kind: kind.into(),
        namespace: namespace.map(str::to_owned),
        name: name.into(),
    }));
    d.field = Some(field.into());
    d
}

#[test]
fn findings_mark_the_most_specific_node_and_its_worst_severity() {
    let mut p = picture(SETUP);
    let found = [
        finding(
            "Gateway",
            Some("infra"),
            "web",
            "spec.listeners[1].port",
            Severity::Warning,
        ),
        finding(
            "Gateway",
            Some("infra"),
            "web",
            "spec.listeners[1]",
            Severity::Error,
        ),
        finding(
            "Gateway",
            Some("infra"),
            "web",
            "spec.gatewayClassName",
            Severity::Info,
        ),
        // `spec.rules[0]` is not a prefix of `spec.rules[01]`'s node, nor of another object.
        finding(
            "HTTPRoute",
            Some("shop"),
            "store",
            "spec.rules[0].backendRefs[1]",
            Severity::Warning,
        ),
        finding("HTTPRoute", None, "store", "spec", Severity::Error),
        finding("Service", Some("nowhere"), "x", "spec", Severity::Error),
    ];
    let nodes = p.mark(&found, "shop");
    let at = |i: usize| nodes[i].map(|n| p.nodes[n].id.as_str());
    assert_eq!(at(0), Some("Gateway/infra/web/listener/internal"));
    assert_eq!(at(1), Some("Gateway/infra/web/listener/internal"));
    assert_eq!(at(2), Some("Gateway/infra/web"));
    assert_eq!(at(3), Some("HTTPRoute/shop/store/rule/0"));
    // No namespace written: the default one.
    assert_eq!(at(4), Some("HTTPRoute/shop/store"));
    assert_eq!(at(5), None);
    let internal = p
        .nodes
        .iter()
        .find(|n| n.id == "Gateway/infra/web/listener/internal")
        .unwrap();
    assert_eq!(
        (internal.findings, internal.severity),
        (2, Some(Severity::Error))
    );
}

#[test]
fn filters_keep_what_touches_them() {
    let p = picture(SETUP);
    let only = |filter: Filter| ids(&p.keep(&filter).unwrap()).join(" ");
    // The route's parents up to the class, its rule and backends; not the other route.
    assert_eq!(
        only(Filter {
            routes: vec![("shop".into(), "store".into())],
            ..Filter::default()
        }),
        "GatewayClass/shared Gateway/infra/web Gateway/infra/web/listener/http HTTPRoute/shop/store \
         HTTPRoute/shop/store/rule/0 Service/catalog/catalog Service/shop/store"
    );
    // A namespace: its objects and what they reach or are reached from.
    let ops = only(Filter {
        namespaces: vec!["ops".into()],
        ..Filter::default()
    });
    assert!(
        ops.contains("HTTPRoute/ops/admin ") && !ops.contains("shop"),
        "{ops}"
    );
    // Filters together keep what touches all of them.
    let both = only(Filter {
        gateways: vec![("infra".into(), "web".into())],
        namespaces: vec!["catalog".into()],
        ..Filter::default()
    });
    assert!(
        both.contains("Gateway/infra/web ") && !both.contains("ops"),
        "{both}"
    );
    let e = p
        .keep(&Filter {
            gateways: vec![("infra".into(), "nope".into())],
            ..Filter::default()
        })
        .unwrap_err();
    assert_eq!(
        e,
        "--gateway infra/nope: no Gateway infra/nope in the inputs"
    );
    // Edges are renumbered with their nodes.
    let kept = p
        .keep(&Filter {
            routes: vec![("ops".into(), "admin".into())],
            ..Filter::default()
        })
        .unwrap();
    assert!(
        edges(&kept)
            .contains(&"HTTPRoute/ops/admin -> HTTPRoute/ops/admin/rule/0 [Rule] ".to_owned())
    );
}

#[test]
fn the_layout_is_layered_and_places_nothing_on_top_of_anything() {
    let p = picture(SETUP);
    let l = layout::layout(&p);
    for (i, a) in l.nodes.iter().enumerate() {
        for (j, b) in l.nodes.iter().enumerate().skip(i + 1) {
            let apart =
                a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            assert!(apart, "{} and {} overlap", p.nodes[i].id, p.nodes[j].id);
        }
        assert!(a.x + a.w <= l.width && a.y + a.h <= l.height);
    }
    // Columns go left to right by kind.
    for e in &p.edges {
        let (a, b) = (&p.nodes[e.from], &p.nodes[e.to]);
        if a.kind < b.kind {
            assert!(l.nodes[e.from].x < l.nodes[e.to].x);
        }
    }
}

#[test]
fn barycentre_sweeps_undo_the_crossings_of_the_id_order() {
    // By id, Gateway `a` is above `z` and route `a-route` above `z-route`; but `a-route`
    // attaches to `z` and `z-route` to `a`, so the id order would cross the two edges.
    let gateway = |name: &str| {
        format!(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {{name: {name}, namespace: team}}\n\
spec:\n  listeners: [{{name: http, protocol: HTTP, port: 80}}]\n---\n"
        )
    };
    let route = |name: &str, gw: &str| {
        format!(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: {name}, namespace: team}}\n\
spec:\n  parentRefs: [{{name: {gw}}}]\n---\n"
        )
    };
    let yaml = [
        gateway("a"),
        gateway("z"),
        route("a-route", "z"),
        route("z-route", "a"),
    ]
    .concat();
    let p = picture(&yaml);
    let l = layout::layout(&p);
    let y = |id: &str| {
        let i = p.nodes.iter().position(|n| n.id == id);
        l.nodes[i.unwrap_or_else(|| panic!("{id} is not in {:?}", ids(&p)))].y
    };
    assert!(y("Gateway/team/a") < y("Gateway/team/z"));
    assert!(y("HTTPRoute/team/z-route") < y("HTTPRoute/team/a-route"));
}

#[test]
fn a_listener_set_whose_gateway_is_missing_and_a_parent_of_another_kind_say_why() {
    let p = picture(
        "apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: extra, namespace: infra}
spec:
  parentRef: {name: gone}
  listeners: [{name: admin, protocol: HTTP, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: infra}
spec:
  parentRefs: [{kind: ListenerSet, name: extra}, {group: example.com, kind: Mesh, name: m}]
",
    );
    let e = edges(&p);
    for want in [
        "Gateway/infra/gone -> ListenerSet/infra/extra [Refused] not in the inputs",
        "ListenerSet/infra/extra -> HTTPRoute/infra/r [Refused] its Gateway is not in the inputs",
        "Mesh/infra/m -> HTTPRoute/infra/r [Refused] not a parent kind gwctl reads",
    ] {
        assert!(e.contains(&want.to_owned()), "{want} not in {e:#?}");
    }
}
