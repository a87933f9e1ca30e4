//! Live cluster input (`--cluster`): what is running, read through the user's kubeconfig.
//!
//! Owns everything that talks to a Kubernetes API server, and is the only module that links
//! `kube` and `tokio`: configuration (kubeconfig, `KUBECONFIG`, context, in-cluster), API
//! discovery of the served Gateway API kinds, paginated and concurrent reads, the installed
//! Gateway API CRDs and their bundle version and channel, and the classification of every
//! failure into a [`ClusterError`] (gwctl could not do its job) or a [`Skipped`] read (one
//! kind could not be read; the run goes on without it).
//!
//! Each live object is serialised to YAML ([`crate::yaml::to_yaml`]) and parsed by the same
//! loader path as a file, under [`Origin::Cluster`](crate::source::Origin::Cluster), so every
//! finding on it has a position and names the object. [`Snapshot::live`] gives the live state
//! alone; [`Snapshot::overlay`] puts local files over it (a file's object replaces the live
//! object with the same identity), which is what `lint --cluster FILES` compares and what
//! `simulate --cluster` runs on. [`load`] does the whole thing in one call.
//!
//! Read-only by construction: only `GET` requests are ever built. Secret values are never
//! read: Secrets are listed as metadata only (`PartialObjectMetadataList`), their type is
//! learnt from a `type=kubernetes.io/tls` field selector, and their annotations are dropped
//! (`kubectl.kubernetes.io/last-applied-configuration` carries the data in plain text).
//!
//! Split by seam: `client` connects and makes bounded requests (paging, timeouts),
//! `classify` turns client errors into [`ClusterError`]s, `read` decides what to read and
//! gathers the [`Snapshot`], `convert` turns API JSON into [`LiveObject`]s and finds the
//! namespaces and CA ConfigMaps that objects refer to, and `snapshot` merges the live state
//! with local files. All but `client` and `read` are pure.

mod classify;
mod client;
mod convert;
mod read;
mod snapshot;

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use kube::Client;

use super::{Input, Loaded};
use crate::model::Object;

pub use snapshot::{LiveObject, Snapshot};

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
/// are skipped (the rules whose metadata says they read the kind: see
/// [`RuleMeta::reads`](crate::diag::RuleMeta::reads)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// `Secret`, `HTTPRoute`, `CustomResourceDefinition`...
    pub kind: String,
    /// The namespace whose read failed, if the read was per namespace.
    pub namespace: Option<String>,
    pub reason: String,
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
        let config = client::config(opts).await?;
        let server = config.cluster_url.to_string();
        let default_ns = config.default_namespace.clone();
        let client = Client::try_from(config)
            .map_err(|e| classify::classify(&server, opts, "starting the client", e))?;
        let reader = client::Reader {
            client,
            server,
            timeout: opts.request_timeout,
            page_size: opts.page_size.max(1),
        };
        read::read_all(&reader, opts, default_ns, local).await
    })
}
