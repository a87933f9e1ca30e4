//! Listeners the API server accepts but no implementation can serve as written: an HTTPS or
//! TLS-Terminate listener with no certificate to terminate with, and an `allowedRoutes`
//! that selects namespaces by a selector it does not give. A Gateway's listeners and a
//! ListenerSet's are checked alike.
//!
//! The CRDs' CEL rules already reject the nearby cases (a Terminate `tls` with neither
//! `certificateRefs` nor `options`; HTTPS with Passthrough), so these rules stay quiet
//! there and a listener gets one finding, from whichever pass sees the problem.

use crate::declare_rule;
use crate::graph::{From, Listener};
use crate::model::Object;

use super::Context;

declare_rule!(
    NO_CERTIFICATE,
    "GW327",
    "listener-without-certificate",
    Correctness,
    Warning,
    "an HTTPS or TLS-Terminate listener has no tls.certificateRefs",
    "## What it checks\nThat a listener with protocol `HTTPS`, or `TLS` in mode `Terminate`, names at least one certificate in `tls.certificateRefs`. The API server accepts such a listener with no `tls` at all, and a Terminate `tls` with only `options`; the CRDs' CEL rules reject only a Terminate `tls` with neither.\n\n## Why it matters\nWithout a certificate the listener cannot terminate TLS: implementations report it `Programmed: False` or `ResolvedRefs: False` and serve nothing on it. The Gateway API documents `tls` as required for HTTPS and TLS listeners; only an implementation-specific option can stand in for a certificate.\n\n## Example\n```yaml\nlisteners:\n- name: https\n  protocol: HTTPS\n  port: 443          # no tls: no certificate\n```\n\n## Fix\nAdd `tls: {certificateRefs: [{name: <a kubernetes.io/tls Secret>}]}`, or use protocol `HTTP`. If your implementation documents a `tls.options` key that supplies the certificate, suppress the finding on that listener."
);

declare_rule!(
    NO_SELECTOR,
    "GW328",
    "listener-selector-missing",
    Correctness,
    Warning,
    "a listener admits routes from: Selector but sets no selector",
    "## What it checks\nThat a listener whose `allowedRoutes.namespaces.from` is `Selector` also sets `allowedRoutes.namespaces.selector`. The API server accepts the listener without it.\n\n## Why it matters\nThe Gateway API says the selector must be set when `from` is `Selector`; what an implementation does without one (refuse every route, admit every namespace, or mark the listener invalid) is not specified, so which routes attach depends on the controller. gwctl reads a missing selector as the empty selector, which admits every namespace.\n\n## Example\n```yaml\nallowedRoutes:\n  namespaces:\n    from: Selector   # no selector\n```\n\n## Fix\nAdd `selector: {matchLabels: {...}}` naming the namespaces to admit, or use `from: All` or `from: Same`."
);

pub fn check(cx: &mut Context) {
    for gw in &cx.graph.gateways {
        let owner = format!("Gateway {}/{}", gw.namespace, gw.name);
        for l in &gw.listeners {
            certificate(cx, gw.object, &owner, l);
            selector(cx, gw.object, &owner, l);
        }
    }
    for set in &cx.graph.listener_sets {
        let owner = format!("{} {}/{}", set.kind, set.namespace, set.name);
        for l in &set.listeners {
            certificate(cx, set.object, &owner, l);
            selector(cx, set.object, &owner, l);
        }
    }
}

/// `owner` is how findings name the Gateway or ListenerSet `object`.
fn certificate(cx: &mut Context, object: &Object, owner: &str, l: &Listener) {
    // Defaults are applied before views are read, so a set `tls` has its mode.
    let terminates = match l.protocol.as_str() {
        "HTTPS" => l.tls_mode.as_deref().is_none_or(|m| m == "Terminate"),
        "TLS" => !l.tls_set || l.tls_mode.as_deref().is_none_or(|m| m == "Terminate"),
        _ => false,
    };
    if !terminates || !l.certificate_refs.is_empty() {
        return;
    }
    let (path, on_key, why) = if !l.tls_set {
        (
            l.path.key("protocol"),
            false,
            "has no tls, so no certificate to terminate TLS with".to_owned(),
        )
    } else if l.tls_options > 0 {
        (
            l.path.key("tls"),
            true,
            "has tls.options but no tls.certificateRefs, so only an implementation-specific option could supply its certificate".to_owned(),
        )
    } else {
        // Neither certificates nor options: the CEL rule rejects it (GW2xx).
        return;
    };
    let d = cx
        .finding(
            &NO_CERTIFICATE,
            object,
            &path,
            on_key,
            format!("listener \"{}\" ({}) of {owner} {why}", l.name, l.protocol),
        )
        .help("name a kubernetes.io/tls Secret in tls.certificateRefs");
    cx.report(d);
}

fn selector(cx: &mut Context, object: &Object, owner: &str, l: &Listener) {
    if !matches!(l.from, From::Selector(_)) || l.selector_set {
        return;
    }
    let path = l.path.key("allowedRoutes").key("namespaces").key("from");
    let d = cx
        .finding(
            &NO_SELECTOR,
            object,
            &path,
            false,
            format!(
                "listener \"{}\" of {owner} admits routes from namespaces chosen by a selector, but sets no selector; implementations differ on what that admits",
                l.name
            ),
        )
        .help("add allowedRoutes.namespaces.selector, or use from: All or from: Same");
    cx.report(d);
}
