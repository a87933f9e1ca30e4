//! Engine tests: edit application, quoting, and the refusals that fixtures do not cover.

use super::*;

/// The engine as v1.1 runs it: BackendTLSPolicy v1alpha2 goes to v1alpha3, which the
/// expectations below spell out.
fn run(text: &str) -> Result<Outcome, Failure> {
    migrate_text(FileId(0), text, &v1_1())
}

fn v1_1() -> Options {
    Options {
        release: crate::schema::Release::parse("v1.1").unwrap(),
        ..Options::default()
    }
}

fn migrated(text: &str) -> String {
    match run(text) {
        Ok(o) => {
            assert!(!o.refused, "refused: {:?}", o.diagnostics);
            o.text
        }
        Err(Failure::Unreadable(d)) => panic!("unreadable: {d:?}"),
        Err(Failure::SelfCheck(m)) => panic!("self-check: {m}"),
    }
}

fn refusal(text: &str) -> Diagnostic {
    let o = run(text).unwrap_or_else(|_| panic!("failed instead of refusing"));
    assert!(o.refused);
    assert_eq!(o.text, text, "a refused file is left unchanged");
    o.diagnostics
        .into_iter()
        .find(|d| d.severity == crate::diag::Severity::Error)
        .unwrap()
}

const HEAD: &str = "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: BackendTLSPolicy\nmetadata: {name: p, namespace: a}\n";

#[test]
fn edits_apply_in_order_and_overlaps_are_rejected() {
    let e = |s, t, x: &str| Edit {
        span: Span::new(s, t),
        text: x.into(),
    };
    assert_eq!(
        apply(
            "abcdef",
            vec![e(4, 5, "E"), e(0, 0, "<"), e(0, 0, "["), e(1, 2, "B")]
        )
        .unwrap(),
        "<[aBcdEf"
    );
    assert!(apply("abcdef", vec![e(1, 3, "x"), e(2, 4, "y")]).is_err());
    assert!(apply("é", vec![e(1, 1, "x")]).is_err());
}

#[test]
fn requote_keeps_the_quoting_style() {
    assert_eq!(requote("tls", "tls", "validation"), "validation");
    assert_eq!(requote("'tls'", "tls", "validation"), "'validation'");
    assert_eq!(requote("\"tls\"", "tls", "validation"), "\"validation\"");
    // An escaped or folded original is rewritten as a double-quoted string.
    assert_eq!(
        requote("\"t\\x6Cs\"", "tls", "validation"),
        "\"validation\""
    );
}

#[test]
fn api_version_only_moves_and_opt_in() {
    let grpc = "apiVersion: gateway.networking.k8s.io/v1alpha2 # old\nkind: GRPCRoute\nmetadata: {name: g}\n";
    assert_eq!(
        migrated(grpc),
        "apiVersion: gateway.networking.k8s.io/v1 # old\nkind: GRPCRoute\nmetadata: {name: g}\n"
    );
    let gw = "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: Gateway\nmetadata: {name: g}\n";
    assert_eq!(migrated(gw), gw, "v1beta1 stays without --to-v1");
    let o = migrate_text(
        FileId(0),
        gw,
        &Options {
            to_v1: true,
            ..v1_1()
        },
    )
    .unwrap();
    assert!(
        o.text
            .starts_with("apiVersion: gateway.networking.k8s.io/v1\n")
    );
    assert_eq!(o.moved.len(), 1);
}

#[test]
fn a_target_that_is_not_a_mapping_is_refused() {
    let d = refusal(&format!(
        "{HEAD}spec:\n  targetRef: auth\n  tls: {{hostname: h, wellKnownCACerts: System}}\n"
    ));
    assert_eq!(d.code(), "GW502");
    assert!(
        d.message.contains("a string, expected a mapping"),
        "{}",
        d.message
    );
}

#[test]
fn old_and_new_fields_together_are_refused() {
    let d = refusal(&format!(
        "{HEAD}spec:\n  targetRef: {{group: '', kind: Service, name: s}}\n  targetRefs: []\n  tls: {{hostname: h}}\n"
    ));
    assert!(d.message.contains("both `targetRef`"), "{}", d.message);
    let d = refusal(&format!(
        "{HEAD}spec:\n  targetRef: {{group: '', kind: Service, name: s}}\n  tls: {{caCertRefs: [], caCertificateRefs: []}}\n"
    ));
    assert!(d.message.contains("both `caCertRefs`"), "{}", d.message);
}

#[test]
fn merge_keys_and_anchors_are_refused() {
    let d = refusal(&format!(
        "{HEAD}spec:\n  targetRef:\n    <<: {{group: '', kind: Service}}\n    name: s\n  tls: {{hostname: h}}\n"
    ));
    assert_eq!(d.code(), "GW502");
    let d = refusal(&format!(
        "{HEAD}spec:\n  targetRef: &t\n    group: ''\n    kind: Service\n    name: s\n  tls: {{hostname: h}}\n"
    ));
    assert!(d.message.contains("alias, anchor"), "{}", d.message);
    let d = refusal(&format!(
        "{HEAD}spec:\n  targetRef: {{group: '', kind: Service, name: s}}\n  tls: !!map {{hostname: h}}\n"
    ));
    assert!(d.message.contains("`spec.tls`"), "{}", d.message);
}

#[test]
fn a_target_with_only_a_namespace_is_refused() {
    let d = refusal(&format!(
        "{HEAD}spec:\n  targetRef:\n    namespace: a\n  tls: {{hostname: h}}\n"
    ));
    assert!(d.message.contains("no fields left"), "{}", d.message);
}

#[test]
fn a_comment_inside_a_flow_mapping_next_to_the_dropped_namespace_is_refused() {
    let d = refusal(&format!(
        "{HEAD}spec:\n  targetRef: {{group: '', kind: Service, name: s, # c\n    namespace: a}}\n  tls: {{hostname: h}}\n"
    ));
    assert!(d.message.contains("comment"), "{}", d.message);
}

#[test]
fn flow_namespace_in_every_position() {
    for (input, output) in [
        (
            "{namespace: a, group: '', kind: Service, name: s}",
            "[{group: '', kind: Service, name: s}]",
        ),
        (
            "{group: '', namespace: a, kind: Service, name: s}",
            "[{group: '', kind: Service, name: s}]",
        ),
        (
            "{group: '', kind: Service, name: s, namespace: a}",
            "[{group: '', kind: Service, name: s}]",
        ),
        (
            "{group: '', kind: Service, name: s, namespace: a, }",
            "[{group: '', kind: Service, name: s, }]",
        ),
    ] {
        let text = format!("{HEAD}spec:\n  targetRef: {input}\n  tls: {{hostname: h}}\n");
        let want = format!(
            "{}spec:\n  targetRefs: {output}\n  validation: {{hostname: h}}\n",
            HEAD.replace("v1alpha2", "v1alpha3")
        );
        assert_eq!(migrated(&text), want, "{input}");
    }
}

#[test]
fn a_document_end_without_newline_and_a_last_line_namespace() {
    let text =
        format!("{HEAD}spec:\n  tls: {{hostname: h}}\n  targetRef:\n    name: s\n    namespace: a");
    assert_eq!(
        migrated(&text),
        format!(
            "{}spec:\n  validation: {{hostname: h}}\n  targetRefs:\n    - name: s\n",
            HEAD.replace("v1alpha2", "v1alpha3")
        )
    );
}

#[test]
fn unreadable_files_are_not_edited() {
    assert!(matches!(
        run("apiVersion: [unclosed\n"),
        Err(Failure::Unreadable(_))
    ));
    assert!(matches!(
        run(&format!("{HEAD}spec: {{}}\nkind: X\n")),
        Err(Failure::Unreadable(_))
    ));
}

#[test]
fn objects_without_a_migration_are_left_alone() {
    for text in [
        "",
        "---\n",
        "just a string\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
        "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata: {name: t}\n",
    ] {
        let o = run(text).unwrap_or_else(|_| panic!("{text:?}"));
        assert_eq!(o.text, text);
        assert!(o.moved.is_empty() && o.diagnostics.is_empty());
    }
}

#[test]
fn a_trailing_block_scalar_does_not_pull_the_next_key_into_the_list() {
    let text = format!(
        "{HEAD}spec:\n    targetRef:\n        name: s\n        kind: >-\n          Service\n\n    \n    tls: {{hostname: h}}\n"
    );
    assert_eq!(
        migrated(&text),
        format!(
            "{}spec:\n    targetRefs:\n        - name: s\n          kind: >-\n            Service\n\n    \n    validation: {{hostname: h}}\n",
            HEAD.replace("v1alpha2", "v1alpha3")
        )
    );
}

#[test]
fn verification_catches_a_rewrite_that_reads_differently() {
    assert!(verify("a: 1\n", &[Some(serde_json::json!({"a": 1}))]).is_ok());
    assert!(verify("a: 1\n", &[Some(serde_json::json!({"a": 2}))]).is_err());
    assert!(verify("a: 1\n---\nb: 2\n", &[Some(serde_json::json!({"a": 1}))]).is_err());
    assert!(verify("a: [\n", &[None]).is_err());
}

#[test]
fn a_dropped_line_keeps_its_own_line_break_in_a_mixed_file() {
    let text = format!(
        "{HEAD}spec:\r\n  targetRef:\n    namespace: a # why\n    name: s\n  tls: {{hostname: h}}\n"
    );
    let out = migrated(&text);
    assert!(
        out.contains("targetRefs:\n    # why\n    - name: s\n"),
        "{out:?}"
    );
}

#[test]
fn an_anchored_api_version_is_refused_not_rewritten() {
    let d = refusal(
        "apiVersion: &v gateway.networking.k8s.io/v1alpha2\nkind: GRPCRoute\nmetadata:\n  name: g\n  annotations: {was: *v}\n",
    );
    assert_eq!(d.code(), "GW502");
    assert!(d.message.contains("`apiVersion`"), "{}", d.message);
}

#[test]
fn list_items_reached_through_aliases_are_refused() {
    let route =
        "{apiVersion: gateway.networking.k8s.io/v1alpha2, kind: GRPCRoute, metadata: {name: g}}";
    for text in [
        format!("apiVersion: v1\nkind: List\nx: &l [{route}]\nitems: *l\n"),
        format!("apiVersion: v1\nkind: List\nitems: &l [{route}]\ny: *l\n"),
        format!("apiVersion: v1\nkind: List\nitems: [&o {route}, *o]\n"),
    ] {
        let d = refusal(&text);
        assert_eq!(d.code(), "GW502", "{text}");
    }
    let plain = format!("apiVersion: v1\nkind: List\nitems: [{route}]\n");
    assert!(migrated(&plain).contains("gateway.networking.k8s.io/v1,"));
}

#[test]
fn a_trailing_block_scalar_before_a_block_sibling() {
    let text = format!(
        "{HEAD}spec:\n  targetRef:\n    name: s\n    kind: >-\n      Service\n\n  \n  tls:\n    hostname: h\n"
    );
    assert_eq!(
        migrated(&text),
        format!(
            "{}spec:\n  targetRefs:\n    - name: s\n      kind: >-\n        Service\n\n  \n  validation:\n    hostname: h\n",
            HEAD.replace("v1alpha2", "v1alpha3")
        )
    );
}

#[test]
fn a_merge_key_that_merges_nothing_is_refused() {
    let d = refusal(&format!(
        "{HEAD}spec:\n  targetRef:\n    name: s\n    <<: {{}}\n  tls: {{hostname: h}}\n"
    ));
    assert_eq!(d.code(), "GW502");
}

#[test]
fn a_merge_key_between_a_dropped_namespace_and_the_first_kept_key_is_refused() {
    let d = refusal(&format!(
        "{HEAD}spec:\n  targetRef:\n    namespace: a\n    <<: {{}}\n    name: s\n  tls: {{hostname: h}}\n"
    ));
    assert_eq!(d.code(), "GW502");
}

#[test]
fn a_list_at_its_key_indentation_inside_the_target_moves_with_it() {
    let text = format!(
        "{HEAD}spec:\n  targetRef:\n    name: s\n    extra:\n    - a\n    - b\n  tls: {{hostname: h}}\n"
    );
    assert_eq!(
        migrated(&text),
        format!(
            "{}spec:\n  targetRefs:\n    - name: s\n      extra:\n      - a\n      - b\n  validation: {{hostname: h}}\n",
            HEAD.replace("v1alpha2", "v1alpha3")
        )
    );
}

#[test]
fn the_release_decides_the_target_version() {
    let old = "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: BackendTLSPolicy\nmetadata: {name: p, namespace: a}\nspec:\n  targetRef: {group: '', kind: Service, name: s}\n  tls: {hostname: h, wellKnownCACerts: System}\n";
    let at = |r: &str, text: &str| {
        let opts = Options {
            release: crate::schema::Release::parse(r).unwrap(),
            ..Options::default()
        };
        migrate_text(FileId(0), text, &opts).unwrap()
    };
    let v1_3 = at("v1.3", old);
    assert!(
        v1_3.text
            .starts_with("apiVersion: gateway.networking.k8s.io/v1alpha3\n")
    );
    assert_eq!(v1_3.moved[0].to, "gateway.networking.k8s.io/v1alpha3");
    let v1_4 = at("v1.4", old);
    assert!(
        v1_4.text
            .starts_with("apiVersion: gateway.networking.k8s.io/v1\n")
    );
    // v1alpha3 moves to v1 where v1 is served, and stays before.
    assert!(at("v1.3", &v1_3.text).moved.is_empty());
    let moved = at("v1.4", &v1_3.text);
    assert_eq!(moved.moved[0].to, "gateway.networking.k8s.io/v1");
    assert_eq!(moved.text.replace("/v1\n", "/v1alpha3\n"), v1_3.text);
}

fn at(release: &str, drop: bool, text: &str) -> Outcome {
    let opts = Options {
        release: crate::schema::Release::parse(release).unwrap(),
        drop_removed_fields: drop,
        ..Options::default()
    };
    migrate_text(FileId(0), text, &opts).unwrap_or_else(|_| panic!("{text}"))
}

#[test]
fn xlistenerset_becomes_listenerset_with_the_routes_naming_it() {
    let text = "apiVersion: gateway.networking.x-k8s.io/v1alpha1\nkind: XListenerSet # old\nmetadata: {name: ls}\nspec:\n  parentRef: {name: gw}\n  listeners: [{name: a, protocol: HTTP, port: 80}]\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n  parentRefs:\n    - {group: gateway.networking.x-k8s.io, kind: XListenerSet, name: ls}\n    - {name: gw}\n";
    // v1.4 still has XListenerSet: nothing moves.
    assert_eq!(at("v1.4", false, text).text, text);
    let o = at("v1.5", false, text);
    assert!(!o.refused, "{:?}", o.diagnostics);
    assert_eq!(
        o.text,
        text.replace(
            "gateway.networking.x-k8s.io/v1alpha1\nkind: XListenerSet",
            "gateway.networking.k8s.io/v1\nkind: ListenerSet"
        )
        .replace(
            "{group: gateway.networking.x-k8s.io, kind: XListenerSet,",
            "{group: gateway.networking.k8s.io, kind: ListenerSet,"
        )
    );
    assert_eq!(o.moved.len(), 2);
    assert_eq!(o.moved[0].to, "gateway.networking.k8s.io/v1 ListenerSet");
    // A listener without a port cannot be moved.
    let no_port = text.replace(", port: 80", "");
    let o = at("v1.5", false, &no_port);
    assert!(o.refused);
    assert_eq!(o.text, no_port);
    assert!(o.diagnostics.iter().any(|d| d.code() == "GW504"));
}

#[test]
fn tls_routes_need_hostnames_and_one_rule_for_v1() {
    let ok = "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TLSRoute\nmetadata: {name: t}\nspec:\n  hostnames: [a.example.com]\n  rules: [{backendRefs: [{name: s, port: 443}]}]\n";
    assert_eq!(at("v1.5", false, ok).text, ok.replace("/v1alpha2", "/v1"));
    assert_eq!(at("v1.4", false, ok).text, ok);
    let two = ok.replace(
        "rules: [{backendRefs: [{name: s, port: 443}]}]",
        "rules: [{backendRefs: [{name: s, port: 443}]}, {backendRefs: [{name: u, port: 443}]}]",
    );
    let o = at("v1.5", false, &two);
    assert!(o.refused && o.diagnostics[0].code() == "GW504");
    assert!(
        o.diagnostics[0].message.contains("2 rules"),
        "{}",
        o.diagnostics[0].message
    );
    let none = ok.replace("  hostnames: [a.example.com]\n", "");
    let o = at("v1.6", false, &none);
    assert!(o.refused && o.diagnostics[0].message.contains("no `hostnames`"));
}

#[test]
fn removed_fields_are_refused_or_dropped_and_listed() {
    let text = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n  rules:\n    - sessionPersistence:\n        sessionName: s\n        idleTimeout: 1h # gone in v1.6\n      backendRefs: [{name: s, port: 80}]\n";
    assert_eq!(at("v1.5", false, text).text, text);
    let o = at("v1.6", false, text);
    assert!(o.refused);
    assert_eq!(o.diagnostics[0].code(), "GW505");
    assert!(
        o.diagnostics[0]
            .message
            .contains("`spec.rules[0].sessionPersistence.idleTimeout`"),
        "{}",
        o.diagnostics[0].message
    );
    let o = at("v1.6", true, text);
    assert!(!o.refused);
    assert_eq!(
        o.text,
        text.replace("        idleTimeout: 1h # gone in v1.6\n", "")
    );
    assert_eq!(o.diagnostics[0].code(), "GW506");
    // The only field of its mapping is not dropped (an empty block mapping reads as null).
    let alone = text.replace("        sessionName: s\n", "");
    let o = at("v1.6", true, &alone);
    assert!(o.refused, "{}", o.text);
}

#[test]
fn what_only_newer_releases_have_is_refused() {
    let text = "apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {name: ls}\nspec:\n  parentRef: {name: gw}\n  listeners: [{name: a, protocol: HTTP, port: 80}]\n";
    let o = at("v1.4", false, text);
    assert!(o.refused);
    assert_eq!(o.diagnostics[0].code(), "GW507");
    assert!(
        o.diagnostics[0].message.contains("which v1.5.0 added"),
        "{}",
        o.diagnostics[0].message
    );
    assert!(!at("v1.5", false, text).refused);
}

#[test]
fn backend_lb_policy_becomes_xbackendtrafficpolicy_from_v1_3() {
    let text = "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: BackendLBPolicy\nmetadata: {name: p}\nspec:\n  targetRefs: [{group: '', kind: Service, name: s}]\n  sessionPersistence: {sessionName: s}\n";
    assert_eq!(at("v1.2", false, text).text, text);
    assert_eq!(
        at("v1.3", false, text).text,
        text.replace(
            "gateway.networking.k8s.io/v1alpha2\nkind: BackendLBPolicy",
            "gateway.networking.x-k8s.io/v1alpha1\nkind: XBackendTrafficPolicy"
        )
    );
}
