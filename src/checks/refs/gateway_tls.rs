//! A Gateway's own TLS settings (`spec.tls`, v1.5 standard and v1.4 experimental): the CA
//! bundles of client certificate validation (`frontend.default` and `frontend.perPort`)
//! resolve and hold certificates, as a listener's `frontendValidation` must (GW318–GW321);
//! the validation applies to some HTTPS listener (GW350); and the client certificate the
//! Gateway presents to backends (`backend.clientCertificateRef`) is a granted TLS Secret, as a
//! listener's certificate must be (GW316–GW318).
//!
//! Also CA references of kind Secret, for every referrer (listeners, `spec.tls.frontend`,
//! BackendTLSPolicy; GW351): support for them is implementation-specific, and only whether
//! the Secret exists and has a `ca.crt` key can be checked, as Secret values are never read.
//! They have a rule of their own, apart from the ConfigMap rules, because it reads Secrets: a
//! cluster that refuses gwctl its Secrets then drops only these findings.

use std::collections::BTreeSet;

use crate::declare_rule;
use crate::fieldpath::FieldPath;
use crate::graph::{Gateway, ObjectRefAt};
use crate::model::Object;

use super::Context;
use super::gateways;

declare_rule!(
    VALIDATION_UNUSED,
    "GW350",
    "client-validation-applies-to-nothing",
    Suspicious,
    Warning,
    "a Gateway's client certificate validation (spec.tls.frontend) applies to no HTTPS listener",
    "## What it checks\nThat each `spec.tls.frontend.perPort` entry names a port on which the Gateway has an HTTPS listener, and that a Gateway with `spec.tls.frontend.default` has an HTTPS listener at all. Client certificate validation applies only to listeners of protocol HTTPS; a per-port entry replaces the default for the HTTPS listeners on its port. Listeners that the ListenerSets a Gateway admits add to it count as the Gateway's own.\n\n## Why it matters\nThe setting does nothing: no client is asked for a certificate on that port, which is rarely what was meant; often the port is a typo, or the listener on it is HTTP.\n\n## Example\n```yaml\nspec:\n  tls:\n    frontend:\n      default:\n        validation:\n          caCertificateRefs: [{group: \"\", kind: ConfigMap, name: client-ca}]\n      perPort:\n      - port: 8443   # the HTTPS listener is on 9443\n        tls:\n          validation:\n            caCertificateRefs: [{group: \"\", kind: ConfigMap, name: partner-ca}]\n  listeners:\n  - {name: https, protocol: HTTPS, port: 9443, tls: {certificateRefs: [{name: web-tls}]}}\n```\n\n## Fix\nUse the port of an HTTPS listener, or remove the entry (or `spec.tls.frontend`)."
);

declare_rule!(
    CA_SECRET_INVALID,
    "GW351",
    "ca-secret-invalid",
    Correctness,
    Error,
    reads: ["Secret"],
    "a CA certificate ref of kind Secret names no Secret, or one without a ca.crt key",
    "## What it checks\nCA certificate references of kind Secret (listener `tls.frontendValidation`, the Gateway's `spec.tls.frontend`, BackendTLSPolicy `validation`): that the Secret exists and has the key `ca.crt` (in `data` or `stringData`). Gateway API gives a ConfigMap with `ca.crt` core support and other kinds implementation-specific support; implementations that take a Secret read the bundle from the same key. gwctl never reads a Secret's values, so the PEM bundle itself is not checked (a ConfigMap's is, GW320), and in a live cluster, where not even the key names are read, only that the Secret exists. A missing key is reported on the Secret, once, with every reference to it as a label.\n\n## Why it matters\nThe reference is invalid (`InvalidCACertificateRef`): clients or backends cannot be verified, and connections that need the bundle fail.\n\n## Example\n```yaml\ncaCertificateRefs:\n- {group: \"\", kind: Secret, name: client-ca}   # a Secret with only tls.crt\n```\n\n## Fix\nStore the PEM bundle under `ca.crt`, or name the Secret (or a ConfigMap) that has it. Without `--complete`, a Secret missing from the inputs is a warning."
);

pub fn check(cx: &mut Context) {
    for (gi, gw) in cx.graph.gateways.iter().enumerate() {
        let tls = &gw.tls;
        for r in tls
            .default_ca_refs
            .iter()
            .chain(tls.per_port.iter().flat_map(|p| &p.ca_refs))
        {
            if r.group.is_empty()
                && matches!(r.kind.as_str(), "ConfigMap" | "Secret")
                && gateways::granted(cx, &gateways::Holder::gateway(gw), r)
            {
                gateways::ca_configmap(cx, gw.object, r);
                ca_secret(cx, gw.object, r);
            }
        }
        if tls.validates_clients() {
            unused_validation(cx, gi, gw);
        }
        if let Some(r) = &tls.client_certificate {
            gateways::certificate(cx, &gateways::Holder::gateway(gw), r, "client certificate");
        }
    }
}

/// GW350: per-port entries for ports without an HTTPS listener, and a default with no HTTPS
/// listener to apply to.
fn unused_validation(cx: &mut Context, gi: usize, gw: &Gateway) {
    // The Gateway's own listeners and those its admitted ListenerSets add: the setting is
    // per port, Gateway-wide.
    let graph = cx.graph;
    let listeners: Vec<_> = (0..graph.merged(gi).listeners.len())
        .map(|mi| graph.listener(gi, mi))
        .collect();
    let https_ports: BTreeSet<i64> = listeners
        .iter()
        .filter(|l| l.protocol == "HTTPS")
        .filter_map(|l| l.port)
        .collect();
    for entry in &gw.tls.per_port {
        let Some(port) = entry.port else { continue };
        if https_ports.contains(&port) {
            continue;
        }
        let on_port: Vec<String> = listeners
            .iter()
            .filter(|l| l.port == Some(port))
            .map(|l| format!("\"{}\" is {}", l.name, l.protocol))
            .collect();
        let why = if on_port.is_empty() {
            format!(
                "no listener of Gateway {}/{} uses port {port}",
                gw.namespace, gw.name
            )
        } else {
            format!(
                "no listener on port {port} is HTTPS ({}), and client certificate validation applies only to HTTPS listeners",
                on_port.join(", ")
            )
        };
        let mut d = cx.finding(
            &VALIDATION_UNUSED,
            gw.object,
            &entry.path.key("port"),
            false,
            format!("the perPort entry for port {port} applies to no listener: {why}"),
        );
        d.help = Some(
            if https_ports.is_empty() {
                "use the port of an HTTPS listener, or remove the entry".to_owned()
            } else {
                format!(
                    "use the port of an HTTPS listener ({}), or remove the entry",
                    ports_list(&https_ports)
                )
            }
            .into(),
        );
        cx.report(d);
    }
    if https_ports.is_empty()
        && let Some(path) = &gw.tls.default_path
    {
        let mut d = cx.finding(
            &VALIDATION_UNUSED,
            gw.object,
            path,
            true,
            format!(
                "the default client certificate validation applies to no listener: Gateway {}/{} has no HTTPS listener",
                gw.namespace, gw.name
            ),
        );
        d.help = Some("remove spec.tls.frontend, or add the HTTPS listener it is meant for".into());
        cx.report(d);
    }
}

fn ports_list(ports: &BTreeSet<i64>) -> String {
    ports
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A CA certificate reference of kind Secret from `referrer`: the Secret exists and has a
/// `ca.crt` key. Its value is not read (no Secret value ever is), so the PEM itself is not
/// checked; a live cluster's Secret shows no keys, so only its existence is.
pub fn ca_secret(cx: &mut Context, referrer: &Object, r: &ObjectRefAt) {
    if !(r.group.is_empty() && r.kind == "Secret") {
        return;
    }
    let Some(secret) = cx.graph.secret(&r.namespace, &r.name) else {
        let d = cx.missing(
            &CA_SECRET_INVALID,
            referrer,
            &r.path.key("name"),
            format!("CA Secret {}/{} is not defined", r.namespace, r.name),
        );
        cx.report(d);
        return;
    };
    if secret.redacted || secret.keys.contains("ca.crt") {
        return;
    }
    // On the Secret, which is what lacks the key: once, whoever refers to it.
    let keys: Vec<&str> = secret.keys.iter().map(String::as_str).collect();
    let d = cx
        .finding(
            &CA_SECRET_INVALID,
            secret.object,
            &FieldPath::root().key("metadata").key("name"),
            false,
            format!(
                "Secret {}/{} has no `ca.crt` key{}",
                r.namespace,
                r.name,
                if keys.is_empty() {
                    String::new()
                } else {
                    format!(" (its keys are {})", keys.join(", "))
                }
            ),
        )
        .secondary(cx.label(referrer, &r.path.key("name"), "referenced here"));
    cx.report(d);
}
