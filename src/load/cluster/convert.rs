//! API JSON → [`LiveObject`]s, and what objects refer to. Pure: owns putting a list item's
//! type back and removing server bookkeeping ([`live_object`]), which names may go into a
//! request path ([`valid_namespace`], [`valid_name`]), and the namespaces and CA ConfigMaps
//! that Gateway API objects point at ([`referenced_namespaces`], [`ca_refs`]), which decide
//! what else is read.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::LiveObject;
use crate::model::namespaced;

/// A resource to list: where, and what its items are.
#[derive(Clone)]
pub(super) struct Resource {
    pub(super) group: String,
    pub(super) version: String,
    pub(super) kind: String,
    pub(super) plural: String,
    pub(super) namespaced: bool,
}

impl Resource {
    pub(super) fn prefix(&self) -> String {
        if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        }
    }

    fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

/// A list item as a [`LiveObject`]: list items carry no `apiVersion` and `kind`, so they are
/// put back first; server-side bookkeeping that says nothing about the object is removed.
pub(super) fn live_object(r: &Resource, v: Value) -> Option<LiveObject> {
    let Value::Object(mut fields) = v else {
        return None;
    };
    fields.remove("apiVersion");
    fields.remove("kind");
    let mut out = Map::new();
    out.insert("apiVersion".into(), Value::String(r.api_version()));
    out.insert("kind".into(), Value::String(r.kind.clone()));
    out.extend(fields);
    let meta = out.get_mut("metadata")?.as_object_mut()?;
    meta.remove("managedFields");
    if let Some(Value::Object(a)) = meta.get_mut("annotations") {
        a.remove("kubectl.kubernetes.io/last-applied-configuration");
        if a.is_empty() {
            meta.remove("annotations");
        }
    }
    let name = meta.get("name")?.as_str()?.to_owned();
    let namespace = meta
        .get("namespace")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let resource_version = meta
        .get("resourceVersion")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    Some(LiveObject {
        group: r.group.clone(),
        kind: r.kind.clone(),
        namespace: namespace.filter(|_| namespaced(&r.group, &r.kind)),
        name,
        resource_version,
        json: Value::Object(out),
        redacted: false,
    })
}

/// A namespace name that can go into a request path (a DNS label, as the API server
/// requires): the one check of namespace names, shared with the loader and the CLI.
pub(in crate::load) use crate::load::valid_namespace;

/// An object name that can go into a request path: a DNS subdomain.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !name.starts_with(['-', '.'])
        && !name.ends_with(['-', '.'])
}

/// Namespaces that Gateway API objects refer into: every reference (a mapping with `name` and
/// `namespace`) outside `metadata` and `status`.
pub(super) fn referenced_namespaces<'a>(
    objects: impl Iterator<Item = &'a Value>,
) -> BTreeSet<String> {
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let (Some(Value::String(_)), Some(Value::String(ns))) =
                    (m.get("name"), m.get("namespace"))
                    && valid_namespace(ns)
                {
                    out.insert(ns.clone());
                }
                for (k, child) in m {
                    if k != "metadata" && k != "status" {
                        walk(child, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|c| walk(c, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for o in objects {
        walk(o, &mut out);
    }
    out
}

/// `(namespace, name)` of every ConfigMap a Gateway API object names as a CA bundle
/// (listener `frontendValidation` and BackendTLSPolicy `validation` `caCertificateRefs`).
pub(super) fn ca_refs<'a>(
    objects: impl Iterator<Item = (&'a Value, Option<&'a str>)>,
    default_ns: &str,
) -> BTreeSet<(String, String)> {
    fn walk(v: &Value, ns: &str, out: &mut BTreeSet<(String, String)>) {
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    if k == "caCertificateRefs" {
                        for r in child.as_array().into_iter().flatten() {
                            let group = r.get("group").and_then(Value::as_str).unwrap_or("");
                            let kind = r.get("kind").and_then(Value::as_str).unwrap_or("");
                            let Some(name) = r.get("name").and_then(Value::as_str) else {
                                continue;
                            };
                            let ns = r.get("namespace").and_then(Value::as_str).unwrap_or(ns);
                            // Only names that can be asked for: anything else is reported by
                            // schema validation, and must never shape a request path.
                            if group.is_empty()
                                && kind == "ConfigMap"
                                && valid_namespace(ns)
                                && valid_name(name)
                            {
                                out.insert((ns.to_owned(), name.to_owned()));
                            }
                        }
                    } else {
                        walk(child, ns, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|c| walk(c, ns, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for (json, ns) in objects {
        walk(json, ns.unwrap_or(default_ns), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GATEWAY_GROUP;
    use serde_json::json;

    #[test]
    fn list_items_get_their_type_back_and_lose_server_bookkeeping() {
        let r = Resource {
            group: GATEWAY_GROUP.into(),
            version: "v1".into(),
            kind: "Gateway".into(),
            plural: "gateways".into(),
            namespaced: true,
        };
        let item = json!({"metadata": {"name": "web", "namespace": "shop", "resourceVersion": "9",
            "managedFields": [{"manager": "x"}],
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"}},
            "spec": {}});
        let o = live_object(&r, item).unwrap();
        assert_eq!(o.resource_version, "9");
        assert_eq!(
            o.json,
            json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
                   "metadata": {"name": "web", "namespace": "shop", "resourceVersion": "9"}, "spec": {}})
        );
        // No name: not an object gwctl can name.
        assert!(live_object(&r, json!({"metadata": {}})).is_none());
        assert!(live_object(&r, json!([1])).is_none());
    }

    #[test]
    fn only_valid_names_reach_a_request_path() {
        assert!(valid_namespace("shop-2"));
        for bad in ["", "../x", "a/b", "Shop", "-a", "a-", &"a".repeat(64)] {
            assert!(!valid_namespace(bad), "{bad}");
        }
        assert!(valid_name("ca.example-1"));
        for bad in ["", "a/../b", "a?b", ".a", "a."] {
            assert!(!valid_name(bad), "{bad}");
        }
        let route = json!({"metadata": {"name": "r", "namespace": "meta-ns"},
            "spec": {"parentRefs": [{"name": "gw", "namespace": "infra"}, {"name": "x", "namespace": "../etc"}],
                     "rules": [{"backendRefs": [{"name": "s", "namespace": "backends"}, {"name": "t"}]}]},
            "status": {"parents": [{"parentRef": {"name": "gw", "namespace": "status-ns"}}]}});
        let got: Vec<String> = referenced_namespaces(std::iter::once(&route))
            .into_iter()
            .collect();
        assert_eq!(got, ["backends", "infra"]);
    }

    #[test]
    fn ca_refs_follow_both_kinds_of_reference() {
        let gw = json!({"spec": {"listeners": [{"tls": {"frontendValidation": {"caCertificateRefs": [
            {"group": "", "kind": "ConfigMap", "name": "a"},
            {"group": "", "kind": "ConfigMap", "name": "b", "namespace": "other"},
            {"group": "", "kind": "Secret", "name": "c"}]}}}]}});
        let policy = json!({"spec": {"validation": {"caCertificateRefs": [
            {"group": "", "kind": "ConfigMap", "name": "d"}]}}});
        let refs = ca_refs([(&gw, Some("infra")), (&policy, None)].into_iter(), "dflt");
        let want: BTreeSet<(String, String)> = [("infra", "a"), ("other", "b"), ("dflt", "d")]
            .into_iter()
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .collect();
        assert_eq!(refs, want);
    }
}
