//! Live cluster input (`--cluster`): what is running, read through the user's kubeconfig.
//!
//! Owns everything that talks to a Kubernetes API server, and is the only module that links
//! `kube` and `tokio`: configuration (kubeconfig, `KUBECONFIG`, context, in-cluster), API
//! discovery of the served Gateway API kinds, paginated and concurrent reads, the installed
//! Gateway API CRDs and their bundle version and channel, and the classification of every
//! failure into a [`ClusterError`] (gwctl could not do its job) or a [`Skipped`] read (one
//! kind could not be read; the run goes on without it).
//!
//! Each live object is serialised to YAML ([`to_yaml`]) and parsed by the same loader path as
//! a file, under [`Origin::Cluster`], so every finding on it has a position and names the
//! object. [`Snapshot::live`] gives the live state alone; [`Snapshot::overlay`] puts local
//! files over it (a file's object replaces the live object with the same identity), which is
//! what `lint --cluster FILES` compares and what `simulate --cluster` runs on. [`load`] does
//! the whole thing in one call.
//!
//! Read-only by construction: only `GET` requests are ever built. Secret values are never
//! read: Secrets are listed as metadata only (`PartialObjectMetadataList`), their type is
//! learnt from a `type=kubernetes.io/tls` field selector, and their annotations are dropped
//! (`kubectl.kubernetes.io/last-applied-configuration` carries the data in plain text).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use kube::Client;
use kube::core::Request;
use kube::core::params::{GetParams, ListParams};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Input, Loaded};
use crate::model::{GATEWAY_GROUP, Object, ObjectKey, namespaced};
use crate::source::{LiveOrigin, Origin};

/// How to reach the cluster and what to read.
#[derive(Debug, Clone)]
pub struct Options {
    /// A kubeconfig file; `None` honours `KUBECONFIG`, then `~/.kube/config`, then the
    /// in-cluster service account.
    pub kubeconfig: Option<PathBuf>,
    /// A kubeconfig context other than the current one.
    pub context: Option<String>,
    /// Read only this namespace (and use it as the default namespace of local objects).
    /// `None`: the context's namespace, unless `all_namespaces`.
    pub namespace: Option<String>,
    pub all_namespaces: bool,
    /// The longest gwctl waits for any one request (connecting included).
    pub request_timeout: Duration,
    /// Items per list request; lists are read page by page with `limit` and `continue`.
    pub page_size: u32,
    /// Local files to put over the live state (for [`load`]).
    pub files: Vec<Input>,
    /// How local files, and the serialised live objects, are read.
    pub load: super::Options,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            kubeconfig: None,
            context: None,
            namespace: None,
            all_namespaces: false,
            request_timeout: Duration::from_secs(30),
            page_size: 500,
            files: Vec::new(),
            load: super::Options::default(),
        }
    }
}

/// gwctl could not read the cluster well enough to do its job (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("cannot load the Kubernetes client configuration: {0}")]
    Config(String),
    #[error("cannot reach the API server at {server}: {detail}")]
    Unreachable { server: String, detail: String },
    #[error("TLS handshake with the API server at {server} failed: {detail}")]
    Tls { server: String, detail: String },
    #[error(
        "the API server at {server} did not answer within {timeout:?} ({what}); raise --request-timeout if it is only slow"
    )]
    Timeout {
        server: String,
        timeout: Duration,
        what: String,
    },
    #[error(
        "the API server rejected the credentials (401 Unauthorized) while {what}: they are missing, invalid or expired; log in again or refresh the kubeconfig"
    )]
    Unauthorized { what: String },
    #[error("permission denied (403 Forbidden) while {what}: {message}")]
    Forbidden { what: String, message: String },
    #[error(
        "the Gateway API is not installed in this cluster: the API server serves no version of the group gateway.networking.k8s.io; install the Gateway API CRDs, or lint files without --cluster"
    )]
    NotInstalled,
    #[error("the API server answered {code} while {what}: {message}")]
    Api {
        code: u16,
        what: String,
        message: String,
    },
    #[error("cannot start the client: {0}")]
    Runtime(String),
    #[error("{what}: the API server sent more than {pages} pages without ending the list")]
    Endless { what: String, pages: usize },
}

/// A kind that could not be read; the run goes on without it, and the checks that need it
/// are skipped (see [`Skipped::codes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// `Secret`, `HTTPRoute`, `CustomResourceDefinition`...
    pub kind: String,
    /// The namespace whose read failed, if the read was per namespace.
    pub namespace: Option<String>,
    pub reason: String,
}

impl Skipped {
    /// Finding codes whose answer depends on objects of this kind: with the kind unread, a
    /// reference to one of its objects would look missing, so these findings are dropped.
    pub fn codes(&self) -> &'static [&'static str] {
        match self.kind.as_str() {
            "Secret" => &["GW316", "GW317"],
            "Service" => &[
                "GW309", "GW310", "GW311", "GW312", "GW323", "GW324", "GW325",
            ],
            "ConfigMap" => &["GW319", "GW320", "GW321"],
            "Namespace" => &["GW306", "GW308"],
            "ReferenceGrant" => &["GW313", "GW318"],
            "GatewayClass" => &["GW315"],
            "Gateway" => &[
                "GW301", "GW302", "GW303", "GW304", "GW305", "GW306", "GW307", "GW308", "GW402",
            ],
            _ => &[],
        }
    }
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} in namespace {ns}: {}", self.kind, self.reason),
            None => write!(f, "{}: {}", self.kind, self.reason),
        }
    }
}

/// The Gateway API release the cluster's CRDs come from, from their annotations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bundle {
    /// `gateway.networking.k8s.io/bundle-version`, such as `v1.1.0`.
    pub version: Option<String>,
    /// `gateway.networking.k8s.io/channel`: `standard` or `experimental`.
    pub channel: Option<String>,
}

impl fmt::Display for Bundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Gateway API {} ({} channel)",
            self.version.as_deref().unwrap_or("of unknown version"),
            self.channel.as_deref().unwrap_or("unknown")
        )
    }
}

/// One object as read from the cluster.
#[derive(Debug, Clone)]
pub struct LiveObject {
    pub group: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    pub resource_version: String,
    /// The object, `apiVersion` and `kind` first, `managedFields` and
    /// `last-applied-configuration` removed.
    pub json: Value,
    /// A Secret read as metadata only.
    pub redacted: bool,
}

impl LiveObject {
    pub fn key(&self) -> ObjectKey {
        ObjectKey {
            group: self.group.clone(),
            kind: self.kind.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }

    fn origin(&self) -> Origin {
        Origin::Cluster(Box::new(LiveOrigin {
            kind: self.kind.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            resource_version: self.resource_version.clone(),
        }))
    }
}

/// What was read from the cluster.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The API server's URL, for messages.
    pub server: String,
    /// Namespace of local objects that name none: `-n`, else the context's namespace.
    pub default_namespace: String,
    /// The namespaces read; `None` for all.
    pub namespaces: Option<Vec<String>>,
    /// Sorted by kind, namespace and name, so output does not depend on timing.
    pub objects: Vec<LiveObject>,
    /// The installed CustomResourceDefinitions of the Gateway API group (whole objects).
    pub crds: Vec<Value>,
    pub bundle: Option<Bundle>,
    /// Gateway API kinds the API server serves, with the version gwctl read them at.
    pub served: BTreeMap<String, String>,
    pub skipped: Vec<Skipped>,
}

impl Snapshot {
    fn add_to(&self, loaded: &mut Loaded, opts: &super::Options, skip: &BTreeSet<ObjectKey>) {
        let kept: Vec<&LiveObject> = self
            .objects
            .iter()
            .filter(|o| !skip.contains(&o.key()))
            .collect();
        let first_object = loaded.inventory.objects.len();
        let first_file = loaded
            .add_texts(
                kept.iter().map(|o| (o.origin(), to_yaml(o))).collect(),
                opts,
            )
            .0 as usize;
        // One file per live object, so the file id says which live object an object is.
        for obj in &mut loaded.inventory.objects[first_object..] {
            if let Some(o) = (obj.file.0 as usize)
                .checked_sub(first_file)
                .and_then(|i| kept.get(i))
            {
                obj.redacted = o.redacted;
            }
        }
    }

    /// The live state alone, as a [`Loaded`] whose files are the serialised objects.
    pub fn live(&self, opts: &super::Options) -> Loaded {
        let mut loaded = Loaded {
            inventory: crate::model::Inventory::new(self.default_namespace.clone()),
            ..Default::default()
        };
        self.add_to(&mut loaded, opts, &BTreeSet::new());
        loaded
    }

    /// The live state with `local` over it: every object of `local` replaces the live object
    /// with the same group, kind, namespace and name. The live objects' texts come first,
    /// all of them (also those replaced), so their file ids are the same as in
    /// [`Snapshot::live`] and findings of both runs can be shown from one source map.
    /// [`Loaded::live`] maps each replaced object to its live JSON.
    pub fn overlay(&self, mut local: Loaded, opts: &super::Options) -> Loaded {
        // Local objects without a namespace land in the cluster's default namespace, which
        // is only known now.
        let objects = std::mem::take(&mut local.inventory.objects);
        local.inventory = crate::model::Inventory::new(self.default_namespace.clone());
        for o in objects {
            local.inventory.push(o);
        }
        let mut merged = self.live(opts);
        let replaced: BTreeSet<ObjectKey> = local
            .inventory
            .objects
            .iter()
            .map(|o| local.inventory.key_of(o))
            .collect();
        for o in &self.objects {
            let key = o.key();
            if replaced.contains(&key) && !o.redacted {
                merged.live.insert(key, o.json.clone());
            }
        }
        // Rebuild the live inventory without the replaced objects, and keep only the loader
        // findings of the objects that stay.
        let objects = std::mem::take(&mut merged.inventory.objects);
        let mut inventory = crate::model::Inventory::new(self.default_namespace.clone());
        let mut dropped_files = BTreeSet::new();
        for o in objects {
            if replaced.contains(&inventory.key_of(&o)) {
                dropped_files.insert(o.file);
            } else {
                inventory.push(o);
            }
        }
        merged.inventory = inventory;
        merged.diagnostics.retain(|d| {
            d.primary
                .as_ref()
                .is_none_or(|p| !dropped_files.contains(&p.file))
        });
        merged.append(local, |_| true);
        merged
    }
}

/// Read the cluster and return the live state, with `opts.files` put over it when given
/// (see [`Snapshot::overlay`]). The entry point for commands that need one state.
pub fn load(opts: &Options) -> Result<Loaded, ClusterError> {
    let local = (!opts.files.is_empty())
        .then(|| super::load(&opts.files, &opts.load, &mut std::io::stdin().lock()));
    let refs: Vec<&Object> = local
        .iter()
        .flat_map(|l| l.inventory.objects.iter())
        .collect();
    let snapshot = fetch(opts, &refs)?;
    let mut load_opts = opts.load.clone();
    load_opts.default_namespace = snapshot.default_namespace.clone();
    Ok(match local {
        Some(local) => snapshot.overlay(local, &load_opts),
        None => snapshot.live(&load_opts),
    })
}

/// Read everything gwctl checks from the cluster. `local` objects are only looked at for the
/// CA ConfigMaps they refer to, which are read too.
pub fn fetch(opts: &Options, local: &[&Object]) -> Result<Snapshot, ClusterError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ClusterError::Runtime(e.to_string()))?;
    // Every request is bounded by `request_timeout` (and the client's connect/read timeouts),
    // and a list by MAX_PAGES, so this cannot hang.
    runtime.block_on(async {
        let config = config(opts).await?;
        let server = config.cluster_url.to_string();
        let default_ns = config.default_namespace.clone();
        let client = Client::try_from(config)
            .map_err(|e| classify(&server, opts, "starting the client", e))?;
        let reader = Reader {
            client,
            server,
            timeout: opts.request_timeout,
            page_size: opts.page_size.max(1),
        };
        read_all(&reader, opts, default_ns, local).await
    })
}

async fn config(opts: &Options) -> Result<kube::Config, ClusterError> {
    use kube::config::{KubeConfigOptions, Kubeconfig};
    let kopts = KubeConfigOptions {
        context: opts.context.clone(),
        ..Default::default()
    };
    let mut config = match (&opts.kubeconfig, &opts.context) {
        (Some(path), _) => {
            let kc = Kubeconfig::read_from(path).map_err(|e| {
                ClusterError::Config(format!("{}: {}", path.display(), error_chain(&e)))
            })?;
            kube::Config::from_custom_kubeconfig(kc, &kopts)
                .await
                .map_err(|e| ClusterError::Config(error_chain(&e)))?
        }
        // A context only exists in a kubeconfig: no in-cluster fallback.
        (None, Some(_)) => kube::Config::from_kubeconfig(&kopts)
            .await
            .map_err(|e| ClusterError::Config(error_chain(&e)))?,
        (None, None) => kube::Config::infer()
            .await
            .map_err(|e| ClusterError::Config(error_chain(&e)))?,
    };
    config.connect_timeout = Some(opts.request_timeout);
    config.read_timeout = Some(opts.request_timeout);
    config.write_timeout = Some(opts.request_timeout);
    // gwctl's own timeout is the contract; client-side retries would multiply it.
    config.default_retry = false;
    Ok(config)
}

struct Reader {
    client: Client,
    server: String,
    timeout: Duration,
    page_size: u32,
}

/// The most pages gwctl reads of one list.
const MAX_PAGES: usize = 20_000;

/// The result of one read that may fail for one kind only.
enum Read<T> {
    Ok(T),
    /// Forbidden (403) or not found (404): skip the kind; the code, and why.
    Skip(u16, String),
}

impl Reader {
    async fn request<T: serde::de::DeserializeOwned>(
        &self,
        req: Result<http::Request<Vec<u8>>, kube::core::request::Error>,
        what: &str,
    ) -> Result<Read<T>, ClusterError> {
        let req = req.map_err(|e| ClusterError::Runtime(format!("{what}: {e}")))?;
        match tokio::time::timeout(self.timeout, self.client.request::<T>(req)).await {
            Err(_) => Err(ClusterError::Timeout {
                server: self.server.clone(),
                timeout: self.timeout,
                what: what.to_owned(),
            }),
            Ok(Ok(v)) => Ok(Read::Ok(v)),
            Ok(Err(kube::Error::Api(s))) if s.code == 403 => Ok(Read::Skip(
                403,
                format!(
                    "403 Forbidden{}",
                    if s.message.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", s.message)
                    }
                ),
            )),
            Ok(Err(kube::Error::Api(s))) if s.code == 404 => Ok(Read::Skip(
                404,
                "404 Not Found: not served by this API server".into(),
            )),
            Ok(Err(e)) => Err(classify_with(&self.server, self.timeout, what, e)),
        }
    }

    /// Every item of a list, page by page. A `continue` token that expired (410 Gone, the list
    /// took longer than the server keeps snapshots) starts the list over once; a second
    /// expiry is an error.
    async fn list<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        fields: Option<&str>,
        metadata_only: bool,
        what: &str,
    ) -> Result<Read<Vec<T>>, ClusterError> {
        let mut restarts = 0;
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0usize;
        loop {
            // Millions of objects at any page size; past that the server is not ending it.
            pages += 1;
            if pages > MAX_PAGES {
                return Err(ClusterError::Endless {
                    what: what.to_owned(),
                    pages: MAX_PAGES,
                });
            }
            let mut lp = ListParams::default().limit(self.page_size);
            if let Some(f) = fields {
                lp = lp.fields(f);
            }
            if let Some(t) = &token {
                lp = lp.continue_token(t);
            }
            let req = if metadata_only {
                Request::new(path).list_metadata(&lp)
            } else {
                Request::new(path).list(&lp)
            };
            let req = req.map_err(|e| ClusterError::Runtime(format!("{what}: {e}")));
            let page: ListPage<T> =
                match tokio::time::timeout(self.timeout, self.client.request::<ListPage<T>>(req?))
                    .await
                {
                    Err(_) => {
                        return Err(ClusterError::Timeout {
                            server: self.server.clone(),
                            timeout: self.timeout,
                            what: what.to_owned(),
                        });
                    }
                    Ok(Ok(p)) => p,
                    Ok(Err(kube::Error::Api(s)))
                        if s.code == 410 && token.is_some() && restarts == 0 =>
                    {
                        restarts += 1;
                        items.clear();
                        token = None;
                        continue;
                    }
                    Ok(Err(kube::Error::Api(s))) if s.code == 403 => {
                        return Ok(Read::Skip(403, format!("403 Forbidden: {}", s.message)));
                    }
                    Ok(Err(kube::Error::Api(s))) if s.code == 404 => {
                        return Ok(Read::Skip(
                            404,
                            "404 Not Found: not served by this API server".into(),
                        ));
                    }
                    Ok(Err(e)) => return Err(classify_with(&self.server, self.timeout, what, e)),
                };
            items.extend(page.items);
            match page.metadata.continue_.filter(|c| !c.is_empty()) {
                Some(c) => token = Some(c),
                None => return Ok(Read::Ok(items)),
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
struct ListPage<T> {
    #[serde(default)]
    metadata: ListMeta,
    #[serde(default)]
    items: Vec<T>,
}

#[derive(Deserialize, Default)]
struct ListMeta {
    #[serde(rename = "continue", default)]
    continue_: Option<String>,
}

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

/// A resource to list: where, and what its items are.
#[derive(Clone)]
struct Resource {
    group: String,
    version: String,
    kind: String,
    plural: String,
    namespaced: bool,
}

impl Resource {
    fn prefix(&self) -> String {
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

async fn read_all(
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

/// A namespace name that can go into a request path: a DNS label, as the API server requires.
fn valid_namespace(ns: &str) -> bool {
    !ns.is_empty()
        && ns.len() <= 63
        && ns
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !ns.starts_with('-')
        && !ns.ends_with('-')
}

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
fn referenced_namespaces<'a>(objects: impl Iterator<Item = &'a Value>) -> BTreeSet<String> {
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

/// Await every future, keeping each one's input beside its result. The futures run
/// concurrently on the current thread (no spawning, so nothing outlives the runtime).
async fn join_all<F, T>(futures: Vec<F>) -> Vec<T>
where
    F: std::future::Future<Output = T>,
{
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<T>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if out[i].is_some() {
                continue;
            }
            match f.as_mut().poll(cx) {
                std::task::Poll::Ready(v) => out[i] = Some(v),
                std::task::Poll::Pending => pending = true,
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().flatten().collect()
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

/// A list item as a [`LiveObject`]: list items carry no `apiVersion` and `kind`, so they are
/// put back first; server-side bookkeeping that says nothing about the object is removed.
fn live_object(r: &Resource, v: Value) -> Option<LiveObject> {
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

/// `(namespace, name)` of every ConfigMap a Gateway API object names as a CA bundle
/// (listener `frontendValidation` and BackendTLSPolicy `validation` `caCertificateRefs`).
fn ca_refs<'a>(
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

fn classify(server: &str, opts: &Options, what: &str, e: kube::Error) -> ClusterError {
    classify_with(server, opts.request_timeout, what, e)
}

/// Turn a client error into what the user needs to hear: which server, what failed, and the
/// likely fix. The source chain is searched because hyper and rustls wrap the cause.
fn classify_with(server: &str, timeout: Duration, what: &str, e: kube::Error) -> ClusterError {
    if let kube::Error::Api(s) = &e {
        return match s.code {
            401 => ClusterError::Unauthorized { what: what.into() },
            403 => ClusterError::Forbidden {
                what: what.into(),
                message: s.message.clone(),
            },
            code => ClusterError::Api {
                code,
                what: what.into(),
                message: if s.message.is_empty() {
                    s.reason.clone()
                } else {
                    s.message.clone()
                },
            },
        };
    }
    let chain = error_chain(&e);
    let lower = chain.to_ascii_lowercase();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(s) = source {
        if s.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            return ClusterError::Timeout {
                server: server.into(),
                timeout,
                what: what.into(),
            };
        }
        source = s.source();
    }
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        return ClusterError::Tls {
            server: server.into(),
            detail: chain,
        };
    }
    if lower.contains("timed out") || lower.contains("timeout") || lower.contains("elapsed") {
        return ClusterError::Timeout {
            server: server.into(),
            timeout,
            what: what.into(),
        };
    }
    if let kube::Error::Auth(_) = e {
        return ClusterError::Config(format!("authentication failed: {chain}"));
    }
    ClusterError::Unreachable {
        server: server.into(),
        detail: chain,
    }
}

/// An error and its causes, `a: b: c`, without repeats (wrappers often repeat their cause).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = Some(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

/// Serialise a live object to YAML, in block style, quoting every string that a YAML 1.1
/// reader could take for something else, so the loader reads back exactly this JSON and
/// reports no YAML finding on gwctl's own text. Secrets get a comment saying why they have
/// no data.
pub fn to_yaml(o: &LiveObject) -> String {
    let mut out = String::new();
    if o.redacted {
        out.push_str("# gwctl read this Secret's metadata only; its data is never read.\n");
    }
    match &o.json {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, m, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, m: &Map<String, Value>, level: usize) {
    for (k, v) in m {
        indent(out, level);
        out.push_str(&quote(k));
        out.push(':');
        write_value(out, v, level);
    }
}

/// The value after `key:` or `- `, with its own line break.
fn write_value(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, m, level + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            for item in a {
                indent(out, level);
                out.push('-');
                match item {
                    Value::Object(m) if !m.is_empty() => {
                        // `- key: value` with the rest of the mapping aligned under the key.
                        out.push(' ');
                        let mut first = true;
                        for (k, v) in m {
                            if !first {
                                indent(out, level + 2);
                            }
                            first = false;
                            out.push_str(&quote(k));
                            out.push(':');
                            write_value(out, v, level + 2);
                        }
                    }
                    Value::Array(a) if !a.is_empty() => {
                        write_value(out, item, level + 2);
                    }
                    other => {
                        out.push(' ');
                        write_scalar(out, other, level + 2);
                    }
                }
            }
        }
        other => {
            out.push(' ');
            write_scalar(out, other, level + 2);
        }
    }
}

fn write_scalar(out: &mut String, v: &Value, level: usize) {
    if let Some(block) = v.as_str().and_then(|s| literal_block(s, level)) {
        out.push_str(&block);
        return;
    }
    out.push_str(&scalar(v));
    out.push('\n');
}

/// A multi-line string (a PEM bundle) as a literal block, when that reads back the same.
fn literal_block(s: &str, level: usize) -> Option<String> {
    let body = s.strip_suffix('\n')?;
    if body.is_empty()
        || body.ends_with('\n')
        || body.starts_with([' ', '\t'])
        || body.lines().any(|l| {
            l.ends_with([' ', '\t', '\r']) || l.is_empty() || l.chars().any(char::is_control)
        })
    {
        return None;
    }
    let mut out = String::from("|\n");
    for line in body.lines() {
        indent(&mut out, level);
        out.push_str(line);
        out.push('\n');
    }
    Some(out)
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quote(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// A string as a plain scalar when it is unmistakably a string to every YAML reader, else
/// double-quoted with JSON escapes (a JSON string is a valid YAML double-quoted scalar).
fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "nan" | "inf"
        );
    if plain {
        s.to_owned()
    } else {
        Value::String(s.to_owned()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use serde_json::json;

    fn live(json: Value) -> LiveObject {
        LiveObject {
            group: GATEWAY_GROUP.into(),
            kind: "HTTPRoute".into(),
            namespace: Some("shop".into()),
            name: "web".into(),
            resource_version: "7".into(),
            json,
            redacted: false,
        }
    }

    #[test]
    fn yaml_reads_back_as_the_same_json_without_findings() {
        let json = json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": "web", "namespace": "shop", "resourceVersion": "7",
                         "labels": {"on": "yes", "n": "0755", "x": "1_000", "e": ""}},
            "spec": {
                "parentRefs": [{"name": "gw", "port": 80}],
                "hostnames": ["a.example.com", "*.example.com"],
                "rules": [{"matches": [], "backendRefs": [{"name": "svc", "weight": 1.5}]},
                          {"filters": [[1, 2], []], "x": {}, "y": null, "z": true}],
                "ca": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                "odd": "a: b\n\n  c\t",
                "quote\"d": "it's \"x\""
            }
        });
        let text = to_yaml(&live(json.clone()));
        let mut loaded = Loaded::default();
        loaded.add_text(
            Origin::Stdin,
            text.clone(),
            &super::super::Options::default(),
        );
        assert!(
            loaded.diagnostics.is_empty(),
            "{text}\n{:?}",
            loaded.diagnostics
        );
        assert_eq!(loaded.inventory.objects[0].json, json, "{text}");
    }

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
    fn overlay_replaces_live_objects_and_keeps_their_old_state() {
        let mut snap = Snapshot {
            default_namespace: "shop".into(),
            ..Default::default()
        };
        for (name, port) in [("a", 80), ("b", 81)] {
            let mut o = live(
                json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
                "metadata": {"name": name, "namespace": "shop", "resourceVersion": "7"},
                "spec": {"rules": [{"backendRefs": [{"name": "s", "port": port}]}]}}),
            );
            o.name = name.into();
            snap.objects.push(o);
        }
        let opts = super::super::Options::default();
        let live_state = snap.live(&opts);
        assert_eq!(live_state.inventory.len(), 2);
        assert!(live_state.live.is_empty());

        // A file without a namespace: the snapshot's default namespace makes it `shop/b`.
        let mut local = Loaded::default();
        local.add_text(
            Origin::Stdin,
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: b}\nspec: {}\n".into(),
            &opts,
        );
        let merged = snap.overlay(local, &opts);
        // Both live texts stay (same file ids as the live run), then the file.
        assert_eq!(merged.sources.len(), 3);
        assert_eq!(
            merged.sources.get(FileId(1)).origin.to_string(),
            "cluster:HTTPRoute/shop/b@7"
        );
        let names: Vec<(&str, u32)> = merged
            .inventory
            .objects
            .iter()
            .map(|o| (o.name.as_str(), o.file.0))
            .collect();
        assert_eq!(names, [("a", 0), ("b", 2)]);
        let key = ObjectKey {
            group: GATEWAY_GROUP.into(),
            kind: "HTTPRoute".into(),
            namespace: Some("shop".into()),
            name: "b".into(),
        };
        // The oldSelf hook: the live object the file replaces.
        assert_eq!(merged.live.len(), 1);
        assert_eq!(
            merged.live[&key]["spec"]["rules"][0]["backendRefs"][0]["port"],
            81
        );
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

    #[test]
    fn origin_names_the_object() {
        assert_eq!(
            live(json!({})).origin().to_string(),
            "cluster:HTTPRoute/shop/web@7"
        );
    }
}
