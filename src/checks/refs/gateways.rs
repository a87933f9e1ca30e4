//! Gateways: the GatewayClass exists; listener certificates are TLS Secrets with both keys;
//! CA ConfigMaps (listener `frontendValidation`, and through [`ca_configmap`] the Gateway's
//! `spec.tls.frontend` and BackendTLSPolicy) hold PEM certificates in `ca.crt` that are valid
//! now; cross-namespace references are granted; listeners sharing a port use protocols that
//! can share it. `certificate` and `granted` also serve the Gateway-wide TLS settings
//! (`super::gateway_tls`).
//!
//! Secret values are never read into a message: only the Secret's type and key names are.

use std::collections::BTreeMap;

use x509_parser::pem::Pem;

use crate::declare_rule;
use crate::fieldpath::FieldPath;
use crate::graph::{Gateway, Listener, ObjectRefAt, protocol_family as family};
use crate::model::Object;

use super::Context;

declare_rule!(
    CLASS_NOT_FOUND,
    "GW315",
    "gateway-class-not-found",
    Correctness,
    Error,
    reads: ["GatewayClass"],
    "a Gateway's gatewayClassName names no GatewayClass",
    "## What it checks\nThat `spec.gatewayClassName` names a GatewayClass.\n\n## Why it matters\nNo controller picks the Gateway up: it is never programmed and stays `Accepted: Unknown`.\n\n## Example\n```yaml\nspec:\n  gatewayClassName: nginx   # the class is `nginx-gateway`\n```\n\n## Fix\nName an installed GatewayClass (`kubectl get gatewayclasses`). Without `--complete`, a class missing from the inputs is a warning."
);

declare_rule!(
    CERT_NOT_FOUND,
    "GW316",
    "certificate-secret-not-found",
    Correctness,
    Error,
    reads: ["Secret"],
    "a listener's certificateRef, or a Gateway's backend client certificate, names a Secret that does not exist",
    "## What it checks\nThat every listener `tls.certificateRefs` entry of kind Secret names a Secret, and so does the client certificate a Gateway presents to backends (`spec.tls.backend.clientCertificateRef`, Gateway API v1.5 standard and v1.4 experimental; `spec.backendTLS.clientCertificateRef` in v1.2 and v1.3 experimental).\n\n## Why it matters\nThe listener cannot terminate TLS (`ResolvedRefs: False`, `InvalidCertificateRef`); without its client certificate the Gateway cannot connect to backends that require one (`InvalidClientCertificateRef`).\n\n## Example\n```yaml\ntls:\n  certificateRefs:\n  - name: web-tls   # no such Secret\n```\n\n## Fix\nCreate the Secret (for example with cert-manager), or name the existing one."
);

declare_rule!(
    CERT_INVALID,
    "GW317",
    "certificate-secret-invalid",
    Correctness,
    Error,
    reads: ["Secret"],
    "a listener's certificate Secret, or a Gateway's backend client certificate, is not a kubernetes.io/tls Secret with tls.crt and tls.key",
    "## What it checks\nThat a Secret used as a listener certificate, or as the client certificate a Gateway presents to backends (`spec.tls.backend.clientCertificateRef`), has type `kubernetes.io/tls` and the keys `tls.crt` and `tls.key` (in `data` or `stringData`). gwctl reads only the type and key names, never the values. The finding is on the Secret, once, with every listener that uses it as a label.\n\n## Why it matters\nImplementations reject other Secrets as certificates (`InvalidCertificateRef`, `InvalidClientCertificateRef`).\n\n## Example\n```yaml\nkind: Secret\ntype: Opaque\ndata: {cert.pem: ..., key.pem: ...}\n```\n\n## Fix\nCreate the Secret with `kubectl create secret tls NAME --cert=... --key=...`."
);

declare_rule!(
    REF_NOT_GRANTED,
    "GW318",
    "gateway-ref-not-granted",
    Correctness,
    Error,
    reads: ["ReferenceGrant"],
    "a Gateway refers to a Secret or ConfigMap in another namespace without a ReferenceGrant",
    "## What it checks\nThat a listener's certificateRef or CA certificate ref, a CA certificate ref of the Gateway's client certificate validation (`spec.tls.frontend`), or its backend client certificate (`spec.tls.backend.clientCertificateRef`), in another namespace is admitted by a ReferenceGrant there (from Gateways in the Gateway's namespace, to Secrets or ConfigMaps). A ListenerSet's listeners need a grant from the ListenerSet kind in the ListenerSet's namespace: one for Gateways does not cover them.\n\n## Why it matters\nThe reference is refused (`RefNotPermitted`): the listener cannot serve TLS, clients cannot be verified, or the Gateway has no client certificate for backends.\n\n## Example\n```yaml\ncertificateRefs:\n- {name: wildcard, namespace: certs}\n```\n\n## Fix\nAdd a ReferenceGrant in the referenced namespace with from [{group: gateway.networking.k8s.io, kind: Gateway, namespace: <gateway namespace>}] and to [{group: \"\", kind: Secret}]."
);

declare_rule!(
    CA_NOT_FOUND,
    "GW319",
    "ca-configmap-not-found",
    Correctness,
    Error,
    reads: ["ConfigMap"],
    "a CA certificate ref names a ConfigMap that does not exist",
    "## What it checks\nThat every CA certificate reference of kind ConfigMap names a ConfigMap: listener `tls.frontendValidation.caCertificateRefs` (Gateway API v1.1–v1.3 experimental), the Gateway's `spec.tls.frontend.default.validation.caCertificateRefs` and `spec.tls.frontend.perPort[].tls.validation.caCertificateRefs` (v1.5 standard, v1.4 experimental), BackendTLSPolicy `validation.caCertificateRefs`. References of kind Secret are GW351.\n\n## Why it matters\nClient certificates (frontend validation) or backend certificates (BackendTLSPolicy) cannot be verified, so the connection fails or the policy is not applied.\n\n## Example\n```yaml\nvalidation:\n  caCertificateRefs:\n  - {group: \"\", kind: ConfigMap, name: backend-ca}\n```\n\n## Fix\nCreate the ConfigMap with the CA bundle under `ca.crt`."
);

declare_rule!(
    CA_INVALID,
    "GW320",
    "ca-certificate-invalid",
    Correctness,
    Error,
    reads: ["ConfigMap"],
    "a CA ConfigMap has no ca.crt, or ca.crt holds no valid PEM certificate",
    "## What it checks\nThat the ConfigMap a CA reference names has the key `ca.crt`, and that it holds one or more PEM-encoded X.509 certificates that parse. The finding is on the ConfigMap, once, with every reference to it as a label.\n\n## Why it matters\nImplementations read the bundle from `ca.crt`; without a usable certificate nothing can be verified.\n\n## Example\n```yaml\nkind: ConfigMap\ndata:\n  ca.pem: |   # the key must be ca.crt\n    -----BEGIN CERTIFICATE-----\n```\n\n## Fix\nStore the PEM bundle under `ca.crt`."
);

declare_rule!(
    CA_EXPIRED,
    "GW321",
    "ca-certificate-expired",
    Suspicious,
    Warning,
    reads: ["ConfigMap"],
    "a CA certificate is expired or not yet valid",
    "## What it checks\nThe validity dates of every certificate in a CA bundle (`ca.crt`), against the current time. The finding is on the ConfigMap, once, with every listener and BackendTLSPolicy that uses it as a label.\n\n## Why it matters\nAn expired CA verifies nothing: connections that depend on it fail.\n\n## Example\nA bundle whose certificate's notAfter is in the past.\n\n## Fix\nReplace the certificate before it expires."
);

declare_rule!(
    PORT_CONFLICT,
    "GW322",
    "listener-port-conflict",
    Correctness,
    Error,
    "listeners on one port use protocols that cannot share it",
    "## What it checks\nThat listeners of one Gateway on the same port use compatible protocols: HTTP only with HTTP; HTTPS and TLS together (they are told apart by SNI); TCP alone; UDP only with UDP (UDP and TCP-based protocols may use the same port number).\n\n## Why it matters\nThe Gateway reports the listeners as `Conflicted` (`ProtocolConflict`) and they serve nothing.\n\n## Example\n```yaml\nlisteners:\n- {name: web, protocol: HTTP, port: 443}\n- {name: secure, protocol: HTTPS, port: 443}\n```\n\n## Fix\nMove one listener to another port."
);

pub fn check(cx: &mut Context) {
    for gw in &cx.graph.gateways {
        gateway_class(cx, gw);
        listener_refs(cx, &Holder::gateway(gw), &gw.listeners);
        port_conflicts(cx, gw);
    }
    // A ListenerSet's listeners name their Secrets and CA bundles from the ListenerSet's
    // own namespace, and a grant must name the ListenerSet kind.
    for set in &cx.graph.listener_sets {
        let holder = Holder {
            kind: &set.kind,
            namespace: &set.namespace,
            name: &set.name,
            object: set.object,
        };
        listener_refs(cx, &holder, &set.listeners);
    }
}

/// What holds a listener's certificate and CA references: a Gateway or a ListenerSet.
pub(super) struct Holder<'a> {
    pub kind: &'a str,
    pub namespace: &'a str,
    pub name: &'a str,
    pub object: &'a Object,
}

impl<'a> Holder<'a> {
    pub fn gateway(gw: &'a Gateway) -> Holder<'a> {
        Holder {
            kind: "Gateway",
            namespace: &gw.namespace,
            name: &gw.name,
            object: gw.object,
        }
    }
}

/// The certificate and CA references of `listeners`, held by `holder`.
fn listener_refs(cx: &mut Context, holder: &Holder<'_>, listeners: &[Listener]) {
    for l in listeners {
        for r in &l.certificate_refs {
            certificate(cx, holder, r, "certificate");
        }
        for r in &l.ca_refs {
            if granted(cx, holder, r) {
                ca_configmap(cx, holder.object, r);
                super::gateway_tls::ca_secret(cx, holder.object, r);
            }
        }
    }
}

fn gateway_class(cx: &mut Context, gw: &Gateway) {
    let Some(class) = &gw.class else { return };
    if cx.graph.class(class).is_none() {
        let d = cx.missing(
            &CLASS_NOT_FOUND,
            gw.object,
            &FieldPath::root().key("spec").key("gatewayClassName"),
            format!(
                "Gateway {}/{} uses GatewayClass \"{class}\", which is not defined",
                gw.namespace, gw.name
            ),
        );
        cx.report(d);
    }
}

/// Cross-namespace refs from a Gateway need a grant; reports and returns false when not.
pub(super) fn granted(cx: &mut Context, gw: &Holder<'_>, r: &ObjectRefAt) -> bool {
    if cx.graph.granted(
        gw.kind,
        gw.namespace,
        &r.group,
        &r.kind,
        &r.namespace,
        &r.name,
    ) {
        return true;
    }
    let mut d = cx.missing(&REF_NOT_GRANTED, gw.object, &r.path.key("namespace"), format!(
        "{} {}/{} is in another namespace than {} {}/{}, and no ReferenceGrant in \"{}\" allows it",
        r.kind, r.namespace, r.name, gw.kind, gw.namespace, gw.name, r.namespace));
    d.help = Some(format!(
        "add a ReferenceGrant in namespace \"{}\" with from [{{group: gateway.networking.k8s.io, kind: {}, namespace: {}}}] and to [{{group: \"{}\", kind: {}}}]",
        r.namespace, gw.kind, gw.namespace, r.group, r.kind
    ).into());
    cx.report(d);
    false
}

/// A Secret the Gateway presents as `role` (a listener's "certificate", or the "client
/// certificate" it shows backends): granted, defined, and a TLS Secret with both keys.
pub(super) fn certificate(cx: &mut Context, gw: &Holder<'_>, r: &ObjectRefAt, role: &str) {
    if !(r.group.is_empty() && r.kind == "Secret" && granted(cx, gw, r)) {
        return;
    }
    let Some(secret) = cx.graph.secret(&r.namespace, &r.name) else {
        let d = cx.missing(
            &CERT_NOT_FOUND,
            gw.object,
            &r.path.key("name"),
            format!("{role} Secret {}/{} is not defined", r.namespace, r.name),
        );
        cx.report(d);
        return;
    };
    let ty = secret.kind.as_deref().unwrap_or("Opaque");
    // A live Secret's keys are not read (that would transfer the values); the API server
    // only admits a kubernetes.io/tls Secret that has both keys, so the type says enough.
    let missing: Vec<&str> = ["tls.crt", "tls.key"]
        .into_iter()
        .filter(|k| !secret.redacted && !secret.keys.contains(*k))
        .collect();
    if ty != "kubernetes.io/tls" || !missing.is_empty() {
        let mut problems = Vec::new();
        if ty != "kubernetes.io/tls" && secret.redacted && !secret.kind_written {
            // A live Secret's exact type is not read, only whether it is kubernetes.io/tls.
            problems.push("its type is not \"kubernetes.io/tls\"".to_owned());
        } else if ty != "kubernetes.io/tls" {
            problems.push(format!("its type is \"{ty}\", not \"kubernetes.io/tls\""));
        }
        if !missing.is_empty() {
            problems.push(format!("it has no {}", missing.join(" or ")));
        }
        // The Secret is the cause: one finding on it, whichever listeners use it (each is a
        // label; `Context::report` merges the repeats), at its type when that is wrong.
        let at = if ty != "kubernetes.io/tls" && secret.kind_written {
            FieldPath::root().key("type")
        } else {
            FieldPath::root().key("metadata").key("name")
        };
        let d = cx
            .finding(
                &CERT_INVALID,
                secret.object,
                &at,
                false,
                format!(
                    "Secret {}/{} cannot serve as a {role}: {}",
                    r.namespace,
                    r.name,
                    problems.join(", and ")
                ),
            )
            .secondary(cx.label(
                gw.object,
                &r.path.key("name"),
                format!(
                    "used as a {role} by {} {}/{}",
                    gw.kind, gw.namespace, gw.name
                ),
            ));
        cx.report(d);
    }
}

/// Check a CA ConfigMap reference from `referrer` (a Gateway listener or a BackendTLSPolicy).
pub fn ca_configmap(cx: &mut Context, referrer: &Object, r: &ObjectRefAt) {
    if !(r.group.is_empty() && r.kind == "ConfigMap") {
        return;
    }
    let Some(cm) = cx.graph.configmap(&r.namespace, &r.name) else {
        let d = cx.missing(
            &CA_NOT_FOUND,
            referrer,
            &r.path.key("name"),
            format!("CA ConfigMap {}/{} is not defined", r.namespace, r.name),
        );
        cx.report(d);
        return;
    };
    let name_path = FieldPath::root().key("metadata").key("name");
    let Some(pem) = cm.ca_crt.as_deref() else {
        let keys = &cm.keys;
        // On the ConfigMap, which is what lacks the key: once, whoever refers to it (each
        // referrer is a label; `Context::report` merges the repeats).
        let at = if keys.is_empty() {
            name_path.clone()
        } else {
            FieldPath::root().key("data")
        };
        let d = cx
            .finding(
                &CA_INVALID,
                cm.object,
                &at,
                !keys.is_empty(),
                format!(
                    "ConfigMap {}/{} has no `ca.crt` key{}",
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
        return;
    };
    let ca_path = FieldPath::root().key("data").key("ca.crt");
    let invalid_bundle = |cx: &mut Context, what: String| {
        let d = cx
            .finding(
                &CA_INVALID,
                cm.object,
                &ca_path,
                false,
                format!("`ca.crt` of ConfigMap {}/{} {what}", r.namespace, r.name),
            )
            .secondary(cx.label(referrer, &r.path.key("name"), "referenced here"));
        cx.report(d);
    };
    let mut count = 0;
    for (i, block) in Pem::iter_from_buffer(pem.as_bytes()).enumerate() {
        let parsed = block.map_err(|e| e.to_string()).and_then(|p| {
            if p.label != "CERTIFICATE" {
                return Err(format!(
                    "block {} is a {}, not a CERTIFICATE",
                    i + 1,
                    p.label
                ));
            }
            p.parse_x509()
                .map(|c| {
                    (
                        c.validity().not_before.timestamp(),
                        c.validity().not_after.timestamp(),
                        c.subject().to_string(),
                    )
                })
                .map_err(|e| format!("certificate {} does not parse: {e}", i + 1))
        });
        match parsed {
            Ok((not_before, not_after, subject)) => {
                count += 1;
                if cx.now > not_after || cx.now < not_before {
                    let (what, when) = if cx.now > not_after {
                        ("expired", not_after)
                    } else {
                        ("is not valid until", not_before)
                    };
                    let d = cx
                        .finding(
                            &CA_EXPIRED,
                            cm.object,
                            &ca_path,
                            false,
                            format!(
                                "CA certificate {} (\"{subject}\") in ConfigMap {}/{} {what} {}",
                                i + 1,
                                r.namespace,
                                r.name,
                                date(when)
                            ),
                        )
                        .secondary(cx.label(referrer, &r.path.key("name"), "referenced here"));
                    cx.report(d);
                }
            }
            Err(e) => {
                invalid_bundle(cx, format!("is not a valid PEM bundle: {e}"));
                return;
            }
        }
    }
    if count == 0 {
        invalid_bundle(cx, "holds no PEM certificate".into());
    }
}

/// `YYYY-MM-DD` of a Unix timestamp (UTC), without a date library.
fn date(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    format!("{:04}-{:02}-{:02}", if m <= 2 { y + 1 } else { y }, m, d)
}

fn port_conflicts(cx: &mut Context, gw: &Gateway) {
    let mut by_port: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, l) in gw.listeners.iter().enumerate() {
        if let Some(p) = l.port {
            by_port.entry(p).or_default().push(i);
        }
    }
    for (port, ls) in by_port {
        let first_tcp = ls
            .iter()
            .copied()
            .find(|&i| family(&gw.listeners[i].protocol).is_some_and(|f| f != "UDP"));
        let Some(first) = first_tcp else { continue };
        let f0 = family(&gw.listeners[first].protocol);
        for &i in &ls {
            let l = &gw.listeners[i];
            let f = family(&l.protocol);
            // TCP listeners cannot share a port even with each other: nothing tells them apart.
            let conflict =
                f.is_some_and(|f| f != "UDP") && i != first && (f != f0 || f == Some("TCP"));
            if conflict {
                let a = &gw.listeners[first];
                let d = cx
                    .finding(&PORT_CONFLICT, gw.object, &l.path.key("protocol"), false, format!(
                        "listener \"{}\" ({}) and listener \"{}\" ({}) of Gateway {}/{} both use port {port}, and these protocols cannot share a port",
                        l.name, l.protocol, a.name, a.protocol, gw.namespace, gw.name))
                    .secondary(cx.label(gw.object, &a.path.key("protocol"), format!("listener \"{}\"", a.name)));
                cx.report(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_civil() {
        assert_eq!(super::date(0), "1970-01-01");
        assert_eq!(super::date(1_715_126_400), "2024-05-08");
        assert_eq!(super::date(951_782_400), "2000-02-29");
    }
}
