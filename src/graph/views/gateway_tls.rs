//! The Gateway-wide TLS settings of a Gateway (`spec.tls`, v1.5 standard and v1.4
//! experimental): client certificate validation for every HTTPS listener (`frontend.default`)
//! or for the HTTPS listeners of one port (`frontend.perPort`), and the client certificate
//! the Gateway presents to backends (`backend.clientCertificateRef`; v1.2 and v1.3
//! experimental wrote it as `spec.backendTLS.clientCertificateRef`). Listener-level TLS is in
//! the listener view ([`super::Listener`]).

use serde_json::Value;

use super::{ObjectRefAt, arr, int};
use crate::fieldpath::FieldPath;

/// `spec.tls` of a Gateway (all empty when it is not written).
#[derive(Debug, Clone, Default)]
pub struct GatewayTls {
    /// Where `spec.tls.frontend.default` is written, when it is: the finding that it applies
    /// to no listener points there.
    pub default_path: Option<FieldPath>,
    /// `spec.tls.frontend.default.validation.caCertificateRefs`.
    pub default_ca_refs: Vec<ObjectRefAt>,
    /// `spec.tls.frontend.perPort`, in the order written.
    pub per_port: Vec<PerPortTls>,
    /// `spec.tls.backend.clientCertificateRef` (or the older experimental
    /// `spec.backendTLS.clientCertificateRef`).
    pub client_certificate: Option<ObjectRefAt>,
}

/// One `spec.tls.frontend.perPort` entry: client certificate validation for the HTTPS
/// listeners on one port, in place of the default.
#[derive(Debug, Clone)]
pub struct PerPortTls {
    pub path: FieldPath,
    /// `port`, when it is an integer.
    pub port: Option<i64>,
    /// `tls.validation.caCertificateRefs`.
    pub ca_refs: Vec<ObjectRefAt>,
}

impl GatewayTls {
    /// Reads the Gateway's `spec` (in `namespace`, where references without a namespace
    /// point).
    pub fn read(spec: &Value, namespace: &str) -> Self {
        let tls_path = FieldPath::root().key("spec").key("tls");
        let tls = spec.get("tls").unwrap_or(&Value::Null);
        let frontend = tls.get("frontend").unwrap_or(&Value::Null);
        let default = frontend.get("default").filter(|d| d.is_object());
        let default_path = tls_path.key("frontend").key("default");
        let default_ca_refs = default
            .map(|d| ca_refs(d, &default_path, namespace))
            .unwrap_or_default();
        let per_port = arr(frontend, "perPort")
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let path = tls_path.key("frontend").key("perPort").index(i);
                PerPortTls {
                    port: int(p, "port"),
                    ca_refs: p
                        .get("tls")
                        .map(|t| ca_refs(t, &path.key("tls"), namespace))
                        .unwrap_or_default(),
                    path,
                }
            })
            .collect();
        let client_certificate = [("tls", "backend"), ("backendTLS", "")]
            .into_iter()
            .find_map(|(outer, inner)| {
                let mut path = FieldPath::root().key("spec").key(outer);
                let mut v = spec.get(outer)?;
                if !inner.is_empty() {
                    path = path.key(inner);
                    v = v.get(inner)?;
                }
                let r = v.get("clientCertificateRef").filter(|r| r.is_object())?;
                Some(ObjectRefAt::read(
                    r,
                    path.key("clientCertificateRef"),
                    namespace,
                    "",
                    "Secret",
                ))
            });
        GatewayTls {
            default_path: default.map(|_| default_path),
            default_ca_refs,
            per_port,
            client_certificate,
        }
    }

    /// Whether `spec.tls.frontend` asks for client certificate validation at all.
    pub fn validates_clients(&self) -> bool {
        self.default_path.is_some() || !self.per_port.is_empty()
    }
}

/// `validation.caCertificateRefs` of `v` (a `default` or a perPort entry's `tls`) at `path`.
fn ca_refs(v: &Value, path: &FieldPath, namespace: &str) -> Vec<ObjectRefAt> {
    let refs_path = path.key("validation").key("caCertificateRefs");
    v.get("validation")
        .map(|val| arr(val, "caCertificateRefs"))
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .map(|(i, r)| ObjectRefAt::read(r, refs_path.index(i), namespace, "", "ConfigMap"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn frontend_validation_and_client_certificate_are_read_with_their_paths() {
        let spec = json!({"tls": {
            "frontend": {
                "default": {"validation": {"caCertificateRefs": [
                    {"group": "", "kind": "ConfigMap", "name": "a"}]}},
                "perPort": [
                    {"port": 8443, "tls": {"validation": {"caCertificateRefs": [
                        {"group": "", "kind": "Secret", "name": "b", "namespace": "certs"}]}}},
                    {"port": "x"}]},
            "backend": {"clientCertificateRef": {"name": "client"}}}});
        let tls = GatewayTls::read(&spec, "infra");
        assert!(tls.validates_clients());
        assert_eq!(
            tls.default_path
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("spec.tls.frontend.default")
        );
        assert_eq!(tls.default_ca_refs[0].namespace, "infra");
        assert_eq!(
            tls.default_ca_refs[0].path.to_string(),
            "spec.tls.frontend.default.validation.caCertificateRefs[0]"
        );
        assert_eq!(tls.per_port[0].port, Some(8443));
        let b = &tls.per_port[0].ca_refs[0];
        assert_eq!((b.kind.as_str(), b.namespace.as_str()), ("Secret", "certs"));
        // A port of the wrong type is read as absent (the schema pass reports it).
        assert_eq!(tls.per_port[1].port, None);
        assert!(tls.per_port[1].ca_refs.is_empty());
        let c = tls.client_certificate.unwrap();
        assert_eq!((c.group.as_str(), c.kind.as_str()), ("", "Secret"));
        assert_eq!(c.path.to_string(), "spec.tls.backend.clientCertificateRef");
    }

    #[test]
    fn the_older_experimental_backend_tls_field_is_read_too() {
        let spec = json!({"backendTLS": {"clientCertificateRef": {"name": "client"}}});
        let tls = GatewayTls::read(&spec, "infra");
        assert!(!tls.validates_clients());
        assert_eq!(
            tls.client_certificate.unwrap().path.to_string(),
            "spec.backendTLS.clientCertificateRef"
        );
        assert!(
            GatewayTls::read(&json!({}), "infra")
                .client_certificate
                .is_none()
        );
    }
}
