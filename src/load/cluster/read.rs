//! What gwctl reads from the cluster, and in which namespaces: API discovery of the served
//! Gateway API kinds, each kind listed per namespace (the namespaces asked for, and one
//! level of those their objects refer into), Namespace objects, Secret metadata, the CA
//! ConfigMaps objects name, and the installed Gateway API CRDs. Gathers it all into a
//! [`Snapshot`], recording every kind it may not read as [`Skipped`].

use std::collections::{BTreeMap, BTreeSet};

use kube::core::Request;
use kube::core::params::GetParams;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::classify::classify_with;
use super::client::{Read, Reader, join_all};
use super::convert::{Resource, ca_refs, live_object, referenced_namespaces, valid_namespace};
use super::{Bundle, ClusterError, LiveObject, Options, Skipped, Snapshot};
use crate::model::{GATEWAY_GROUP, Object};

/// A Secret as gwctl keeps it: only these metadata fields are deserialised, so nothing else
/// the server might send (data, annotations) is ever held in memory.
#[derive(Deserialize)]
struct SecretMeta {
    metadata: SecretMetaFields,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SecretMetaFields {
    name: String,
    namespace: Option<String>,
    #[serde(default)]
    resource_version: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

/// What to read in which namespaces.
enum Scope {
    All,
    One(String),
}

impl Scope {
    fn path(&self, prefix: &str, plural: &str, namespaced: bool) -> String {
        match (self, namespaced) {
            (Scope::One(ns), true) => format!("{prefix}/namespaces/{ns}/{plural}"),
            _ => format!("{prefix}/{plural}"),
        }
    }

    fn namespace(&self) -> Option<String> {
        match self {
            Scope::All => None,
            Scope::One(ns) => Some(ns.clone()),
        }
    }
}

pub(super) async fn read_all(
    reader: &Reader,
    opts: &Options,
    context_ns: String,
    local: &[&Object],
) -> Result<Snapshot, ClusterError> {
    let default_namespace = opts.namespace.clone().unwrap_or(context_ns);
    if !valid_namespace(&default_namespace) {
        return Err(ClusterError::Config(format!(
            "\"{default_namespace}\" is not a valid namespace name"
        )));
    }
    let mut snap = Snapshot {
        server: reader.server.clone(),
        default_namespace: default_namespace.clone(),
        ..Default::default()
    };
    let mut resources = discover(reader, &mut snap).await?;
    resources.push(Resource {
        group: String::new(),
        version: "v1".into(),
        kind: "Service".into(),
        plural: "services".into(),
        namespaced: true,
    });

    if opts.all_namespaces {
        read_scope(reader, &resources, &Scope::All, true, &mut snap).await?;
    } else {
        // The namespace asked for and those the local files put objects in; then, one level
        // deep, the namespaces their references point into (a route's Gateway in `infra`),
        // so that a cross-namespace reference is not reported missing only because gwctl did
        // not look there.
        let mut wanted: BTreeSet<String> = std::iter::once(default_namespace.clone())
            .chain(local.iter().filter_map(|o| o.namespace.clone()))
            .filter(|ns| valid_namespace(ns))
            .collect();
        let mut read: BTreeSet<String> = BTreeSet::new();
        for round in 0..2 {
            let todo: Vec<String> = wanted.difference(&read).cloned().collect();
            for ns in todo {
                // Cluster-scoped kinds (GatewayClass) are listed once, with the first.
                let first = read.is_empty();
                read_scope(
                    reader,
                    &resources,
                    &Scope::One(ns.clone()),
                    first,
                    &mut snap,
                )
                .await?;
                read.insert(ns);
            }
            if round == 0 {
                let live = snap
                    .objects
                    .iter()
                    .filter(|o| o.group == GATEWAY_GROUP)
                    .map(|o| &o.json);
                let files = local.iter().filter(|o| o.is_gateway_api()).map(|o| &o.json);
                wanted.extend(referenced_namespaces(live.chain(files)));
            }
        }
        snap.namespaces = Some(read.into_iter().collect());
    }
    configmaps(reader, local, &mut snap).await?;
    crds(reader, &resources, &mut snap).await?;
    kubernetes_version(reader, &mut snap).await;
    snap.objects.sort_by(|a, b| {
        (&a.group, &a.kind, &a.namespace, &a.name).cmp(&(&b.group, &b.kind, &b.namespace, &b.name))
    });
    Ok(snap)
}

/// Read one scope: every resource (cluster-scoped ones only when `cluster_scoped`) listed
/// concurrently on the one thread, then the Namespace object(s) and Secret metadata.
async fn read_scope(
    reader: &Reader,
    resources: &[Resource],
    scope: &Scope,
    cluster_scoped: bool,
    snap: &mut Snapshot,
) -> Result<(), ClusterError> {
    let lists: Vec<_> = resources
        .iter()
        .filter(|r| r.namespaced || cluster_scoped)
        .map(|r| list_kind(reader, r.clone(), scope))
        .collect();
    for (r, result) in join_all(lists).await {
        match result? {
            Read::Ok(items) => snap.objects.extend(items),
            Read::Skip(_, reason) => snap.skipped.push(Skipped {
                kind: r.kind.clone(),
                namespace: if r.namespaced {
                    scope.namespace()
                } else {
                    None
                },
                reason,
            }),
        }
    }
    namespaces(reader, scope, snap).await?;
    secrets(reader, scope, snap).await
}

/// Which Gateway API kinds the API server serves, each at the first version that serves it
/// in the group's own order (the preferred version first).
async fn discover(reader: &Reader, snap: &mut Snapshot) -> Result<Vec<Resource>, ClusterError> {
    let what = "reading the API discovery document /apis";
    let groups = match tokio::time::timeout(reader.timeout, reader.client.list_api_groups()).await {
        Err(_) => {
            return Err(ClusterError::Timeout {
                server: reader.server.clone(),
                timeout: reader.timeout,
                what: what.into(),
            });
        }
        Ok(Ok(g)) => g,
        Ok(Err(e)) => return Err(classify_with(&reader.server, reader.timeout, what, e)),
    };
    let Some(group) = groups.groups.iter().find(|g| g.name == GATEWAY_GROUP) else {
        return Err(ClusterError::NotInstalled);
    };
    let mut versions: Vec<String> = Vec::new();
    if let Some(p) = &group.preferred_version {
        versions.push(p.version.clone());
    }
    for v in &group.versions {
        if !versions.contains(&v.version) {
            versions.push(v.version.clone());
        }
    }
    let mut resources: Vec<Resource> = Vec::new();
    for version in versions {
        let gv = format!("{GATEWAY_GROUP}/{version}");
        let what = format!("reading the API discovery document /apis/{gv}");
        let list =
            match tokio::time::timeout(reader.timeout, reader.client.list_api_group_resources(&gv))
                .await
            {
                Err(_) => {
                    return Err(ClusterError::Timeout {
                        server: reader.server.clone(),
                        timeout: reader.timeout,
                        what,
                    });
                }
                Ok(Ok(l)) => l,
                // A version that disappeared between the two requests, or that discovery lists
                // but this user may not see: read the others.
                Ok(Err(kube::Error::Api(s))) if s.code == 404 || s.code == 403 => continue,
                Ok(Err(e)) => return Err(classify_with(&reader.server, reader.timeout, &what, e)),
            };
        for r in list.resources {
            // Subresources (`httproutes/status`) are not objects.
            if r.name.contains('/') || resources.iter().any(|x| x.kind == r.kind) {
                continue;
            }
            if !r.verbs.iter().any(|v| v == "list") {
                continue;
            }
            resources.push(Resource {
                group: GATEWAY_GROUP.into(),
                version: version.clone(),
                kind: r.kind.clone(),
                plural: r.name.clone(),
                namespaced: r.namespaced,
            });
        }
    }
    if resources.is_empty() {
        return Err(ClusterError::NotInstalled);
    }
    resources.sort_by(|a, b| a.kind.cmp(&b.kind));
    snap.served = resources
        .iter()
        .map(|r| (r.kind.clone(), r.version.clone()))
        .collect();
    Ok(resources)
}

async fn list_kind(
    reader: &Reader,
    r: Resource,
    scope: &Scope,
) -> (Resource, Result<Read<Vec<LiveObject>>, ClusterError>) {
    let path = scope.path(&r.prefix(), &r.plural, r.namespaced);
    let what = format!("listing {} ({path})", r.kind);
    let result = reader
        .list::<Value>(&path, None, false, &what)
        .await
        .map(|read| match read {
            Read::Ok(items) => Read::Ok(
                items
                    .into_iter()
                    .filter_map(|v| live_object(&r, v))
                    .collect(),
            ),
            Read::Skip(c, s) => Read::Skip(c, s),
        });
    (r, result)
}

async fn namespaces(
    reader: &Reader,
    scope: &Scope,
    snap: &mut Snapshot,
) -> Result<(), ClusterError> {
    let r = Resource {
        group: String::new(),
        version: "v1".into(),
        kind: "Namespace".into(),
        plural: "namespaces".into(),
        namespaced: false,
    };
    let read = match scope {
        Scope::All => list_kind(reader, r.clone(), scope).await.1?,
        // One namespace: get it, rather than list every namespace's labels.
        Scope::One(ns) => {
            let what = format!("reading Namespace {ns}");
            match reader
                .request::<Value>(
                    Request::new("/api/v1/namespaces").get(ns, &GetParams::default()),
                    &what,
                )
                .await?
            {
                Read::Ok(v) => Read::Ok(live_object(&r, v).into_iter().collect()),
                // A namespace that does not exist holds nothing; that is not a skipped read.
                Read::Skip(404, _) => Read::Ok(Vec::new()),
                Read::Skip(c, s) => Read::Skip(c, s),
            }
        }
    };
    match read {
        Read::Ok(items) => snap.objects.extend(items),
        Read::Skip(_, reason) => snap.skipped.push(Skipped {
            kind: "Namespace".into(),
            namespace: None,
            reason,
        }),
    }
    Ok(())
}

/// Secrets as metadata only, plus which of them are `kubernetes.io/tls` (a field selector,
/// so the type is learnt without transferring data). Key names cannot be had without the
/// values, so they are not read; a TLS Secret's keys are guaranteed by the API server.
async fn secrets(reader: &Reader, scope: &Scope, snap: &mut Snapshot) -> Result<(), ClusterError> {
    let path = scope.path("/api/v1", "secrets", true);
    let what = format!("listing Secret metadata ({path})");
    let all = reader.list::<SecretMeta>(&path, None, true, &what).await?;
    let tls = reader
        .list::<SecretMeta>(&path, Some("type=kubernetes.io/tls"), true, &what)
        .await?;
    let (all, tls) = match (all, tls) {
        (Read::Ok(a), Read::Ok(t)) => (a, t),
        (Read::Skip(_, reason), _) | (_, Read::Skip(_, reason)) => {
            snap.skipped.push(Skipped {
                kind: "Secret".into(),
                namespace: scope.namespace(),
                reason,
            });
            return Ok(());
        }
    };
    let tls: BTreeSet<(Option<String>, String)> = tls
        .into_iter()
        .map(|s| (s.metadata.namespace, s.metadata.name))
        .collect();
    for s in all {
        let m = s.metadata;
        let is_tls = tls.contains(&(m.namespace.clone(), m.name.clone()));
        let mut meta = Map::new();
        meta.insert("name".into(), Value::String(m.name.clone()));
        if let Some(ns) = &m.namespace {
            meta.insert("namespace".into(), Value::String(ns.clone()));
        }
        meta.insert(
            "resourceVersion".into(),
            Value::String(m.resource_version.clone()),
        );
        if !m.labels.is_empty() {
            meta.insert(
                "labels".into(),
                Value::Object(
                    m.labels
                        .into_iter()
                        .map(|(k, v)| (k, Value::String(v)))
                        .collect(),
                ),
            );
        }
        let mut json = Map::new();
        json.insert("apiVersion".into(), Value::String("v1".into()));
        json.insert("kind".into(), Value::String("Secret".into()));
        json.insert("metadata".into(), Value::Object(meta));
        if is_tls {
            json.insert("type".into(), Value::String("kubernetes.io/tls".into()));
        }
        snap.objects.push(LiveObject {
            group: String::new(),
            kind: "Secret".into(),
            namespace: m.namespace,
            name: m.name,
            resource_version: m.resource_version,
            json: Value::Object(json),
            redacted: true,
        });
    }
    Ok(())
}

/// Only the ConfigMaps named as CA bundles are read, one by one: other ConfigMaps are none of
/// gwctl's business.
async fn configmaps(
    reader: &Reader,
    local: &[&Object],
    snap: &mut Snapshot,
) -> Result<(), ClusterError> {
    let live = snap
        .objects
        .iter()
        .filter(|o| o.group == GATEWAY_GROUP)
        .map(|o| (&o.json, o.namespace.as_deref()));
    let files = local
        .iter()
        .filter(|o| o.is_gateway_api())
        .map(|o| (&o.json, o.namespace.as_deref()));
    let refs = ca_refs(live.chain(files), &snap.default_namespace);
    let r = Resource {
        group: String::new(),
        version: "v1".into(),
        kind: "ConfigMap".into(),
        plural: "configmaps".into(),
        namespaced: true,
    };
    let mut gets = Vec::new();
    for (ns, name) in &refs {
        let path = format!("/api/v1/namespaces/{ns}/configmaps");
        let what = format!("reading ConfigMap {ns}/{name}");
        gets.push(async move {
            let req = Request::new(path).get(name, &GetParams::default());
            (ns.clone(), reader.request::<Value>(req, &what).await)
        });
    }
    for (ns, read) in join_all(gets).await {
        match read? {
            Read::Ok(v) => snap.objects.extend(live_object(&r, v)),
            // Absent: the reference check reports it.
            Read::Skip(404, _) => {}
            Read::Skip(_, reason) => snap.skipped.push(Skipped {
                kind: "ConfigMap".into(),
                namespace: Some(ns),
                reason,
            }),
        }
    }
    Ok(())
}

/// The API server's Kubernetes version (`GET /version`). Nothing depends on it but the
/// checks of the version itself, so any failure, a timeout included, only leaves it unread,
/// with why.
async fn kubernetes_version(reader: &Reader, snap: &mut Snapshot) {
    let what = "reading the Kubernetes version (/version)";
    let req = http::Request::get("/version")
        .body(Vec::new())
        .map_err(kube::core::request::Error::BuildRequest);
    let read = match reader.request::<Value>(req, what).await {
        Ok(Read::Ok(v)) => v,
        Ok(Read::Skip(_, reason)) => {
            snap.kubernetes_unread = Some(reason);
            return;
        }
        Err(e) => {
            snap.kubernetes_unread = Some(e.to_string());
            return;
        }
    };
    let field = |k: &str| read.get(k).and_then(Value::as_str);
    snap.kubernetes =
        crate::schema::kube::server_version(field("gitVersion"), field("major"), field("minor"));
    if snap.kubernetes.is_none() {
        let mut answer = read.to_string();
        if let Some((cut, _)) = answer.char_indices().nth(200) {
            answer.truncate(cut);
            answer.push_str("...");
        }
        snap.kubernetes_unread = Some(format!(
            "the API server's answer names no version gwctl can read: {answer}"
        ));
    }
}

/// The CRD of each served Gateway API kind (`PLURAL.gateway.networking.k8s.io`), and the
/// bundle version and channel from their annotations.
async fn crds(
    reader: &Reader,
    resources: &[Resource],
    snap: &mut Snapshot,
) -> Result<(), ClusterError> {
    let mut gets = Vec::new();
    for r in resources {
        let name = format!("{}.{GATEWAY_GROUP}", r.plural);
        let what = format!("reading CustomResourceDefinition {name}");
        gets.push(async move {
            let req = Request::new("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")
                .get(&name, &GetParams::default());
            reader.request::<Value>(req, &what).await
        });
    }
    for read in join_all(gets).await {
        match read? {
            Read::Ok(mut v) => {
                if let Some(m) = v.get_mut("metadata").and_then(Value::as_object_mut) {
                    m.remove("managedFields");
                }
                snap.crds.push(v);
            }
            Read::Skip(404, _) => {}
            Read::Skip(_, reason) => {
                if !snap
                    .skipped
                    .iter()
                    .any(|s| s.kind == "CustomResourceDefinition")
                {
                    snap.skipped.push(Skipped {
                        kind: "CustomResourceDefinition".into(),
                        namespace: None,
                        reason,
                    });
                }
            }
        }
    }
    let annotation = |crd: &Value, key: &str| {
        crd.pointer("/metadata/annotations")
            .and_then(|a| a.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    snap.bundle = snap.crds.first().map(|c| Bundle {
        version: annotation(c, "gateway.networking.k8s.io/bundle-version"),
        channel: annotation(c, "gateway.networking.k8s.io/channel"),
    });
    Ok(())
}
