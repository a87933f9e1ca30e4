//! Bundled Gateway API schemas and user CRDs; structural validation with defaults.
//!
//! Owns the [`Store`] of kinds gwctl can validate (one Gateway API [`Release`] for both
//! channels, with what other releases had, and any CRD added with [`Store::add_crd`]), the
//! releases themselves ([`release`]) and where a kind, version, field or value exists
//! ([`Availability`]), the schema [`Node`] tree both sources are converted into, and
//! [`validate`], which applies schema defaults to an object and then checks it the way the
//! Kubernetes API server's structural schema validation does (CEL rules sit on the nodes for
//! the CEL pass; see [`walk`]), and checks `metadata` as the API server checks every object's
//! ObjectMeta (the private `metadata` module). Findings come back as [`Violation`]s, each
//! carrying one of the rules in [`rules`].
//!
//! The bundled schemas are gwctl's own description in `schemas/*.yaml`, one source for every
//! release and both channels (`x-gwctl-in` and `x-gwctl-when` markers say where each piece
//! exists or changes). They are embedded in the binary, read on first use, and each kind's
//! schema is selected for a release and channel the first time an object needs it.
//!
//! Imports [`crate::yaml`] (to read the bundled files), [`crate::fieldpath`] and
//! [`crate::diag`]; knows nothing about files, spans or output.

mod avail;
mod bundled;
mod crd;
pub mod formats;
pub mod kube;
mod messages;
mod metadata;
mod node;
pub mod release;
pub mod rules;
mod validate;

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use bundled::Source;

pub use avail::{Availability, CelEntry, Elsewhere, Step, cel_catalog};
pub use release::{KubeMinor, Release};

pub use crd::{CrdError, kind_from_crd};
/// "Did you mean": also for rule codes and names a person types (`--select`, the
/// configuration file).
pub use messages::{distance as edit_distance, suggest};
pub use node::{
    Additional, CelRule, ListType, MapType, Node, Pattern, PatternCache, SchemaError, SchemaType,
};
pub use validate::{Suggestion, Violation, apply_schema_defaults, validate, walk};

/// A Gateway API release channel. Standard is what most clusters install.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    #[default]
    Standard,
    Experimental,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Standard => "standard",
            Channel::Experimental => "experimental",
        }
    }
}

impl FromStr for Channel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "standard" => Ok(Channel::Standard),
            "experimental" => Ok(Channel::Experimental),
            other => Err(format!(
                "unknown channel {other:?}; expected \"standard\" or \"experimental\""
            )),
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The schema of one kind at one version.
#[derive(Clone, Debug)]
pub struct ObjectSchema {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub namespaced: bool,
    /// Shared between the versions of a kind that have the same schema.
    pub root: Arc<Node>,
}

/// How one channel's CRD lists a version.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ServedInfo {
    pub served: bool,
    pub storage: bool,
    pub deprecated: bool,
}

/// One version of a kind.
#[derive(Clone, Debug)]
pub struct VersionInfo {
    pub name: String,
    /// How the standard channel's CRD lists it; `None` when that CRD does not list it (or
    /// does not exist).
    pub standard: Option<ServedInfo>,
    /// How the experimental channel's CRD lists it.
    pub experimental: Option<ServedInfo>,
    /// What to tell users of a deprecated version (gwctl's wording for bundled kinds).
    pub deprecation_warning: Option<String>,
    /// Anything else worth saying about the version (why it is kept, what replaced it).
    pub note: Option<String>,
    schema: SchemaCell,
}

/// A version's schema: given (a CRD's), or selected from the bundled description for each
/// channel the first time it is asked for.
#[derive(Clone, Debug)]
pub struct SchemaCell(Cell);

#[derive(Clone, Debug)]
enum Cell {
    Given(ObjectSchema),
    Bundled {
        source: Arc<Source>,
        version: String,
        entry: usize,
        built: [OnceLock<ObjectSchema>; 2],
    },
}

impl SchemaCell {
    fn given(schema: ObjectSchema) -> SchemaCell {
        SchemaCell(Cell::Given(schema))
    }

    fn lazy(source: Arc<Source>, version: &str, entry: usize) -> SchemaCell {
        SchemaCell(Cell::Bundled {
            source,
            version: version.to_string(),
            entry,
            built: Default::default(),
        })
    }

    fn get(&self, channel: Channel) -> &ObjectSchema {
        match &self.0 {
            Cell::Given(s) => s,
            Cell::Bundled {
                source,
                version,
                entry,
                built,
            } => built[channel as usize].get_or_init(|| source.build(version, *entry, channel)),
        }
    }
}

impl VersionInfo {
    /// The version's schema as `channel`'s CRD has it (a CRD's schema is the same in both).
    pub fn schema(&self, channel: Channel) -> &ObjectSchema {
        self.schema.get(channel)
    }

    pub fn in_channel(&self, channel: Channel) -> Option<&ServedInfo> {
        match channel {
            Channel::Standard => self.standard.as_ref(),
            Channel::Experimental => self.experimental.as_ref(),
        }
    }

    pub fn served_in(&self, channel: Channel) -> bool {
        self.in_channel(channel).is_some_and(|s| s.served)
    }
}

/// Where a kind's schema came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// gwctl's bundled Gateway API schemas.
    Bundled,
    /// A CustomResourceDefinition given by the user; it describes what the user's cluster
    /// serves, so it answers the same in both channels.
    Crd,
}

/// A kind and its versions.
#[derive(Clone, Debug)]
pub struct KindInfo {
    pub group: String,
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
    pub origin: Origin,
    /// `Some(Experimental)` for kinds that only the experimental channel installs.
    pub channel: Option<Channel>,
    /// The versions the store's release (or the CRD) lists; empty for a bundled kind that
    /// release does not have.
    pub versions: Vec<VersionInfo>,
    /// Versions the store's release does not list, with the shape of the nearest release
    /// that served them; `standard`/`experimental` here describe that release.
    pub legacy: Vec<VersionInfo>,
    /// The description a bundled kind comes from: which releases have what.
    source: Option<Arc<Source>>,
}

impl KindInfo {
    pub fn version(&self, name: &str) -> Option<&VersionInfo> {
        self.versions.iter().find(|v| v.name == name)
    }

    /// Versions served in `channel`, in the order the kind lists them.
    pub fn served_versions(&self, channel: Channel) -> Vec<String> {
        if self.channel.is_some_and(|c| c != channel) {
            return Vec::new();
        }
        self.versions
            .iter()
            .filter(|v| v.served_in(channel))
            .map(|v| v.name.clone())
            .collect()
    }

    /// Which releases and channels have the kind (bundled kinds only).
    pub fn availability(&self) -> Option<Availability> {
        self.source.as_ref().map(|s| s.kind_availability())
    }

    /// Which releases and channels have the field at `path` of `version` (bundled kinds
    /// only).
    pub fn field_availability(
        &self,
        version: &str,
        path: &[avail::Step<'_>],
    ) -> Option<Availability> {
        self.source
            .as_ref()
            .map(|s| s.field_availability(version, path))
    }

    /// Which releases and channels allow `value` at `path` of `version` (bundled kinds
    /// only).
    pub fn value_availability(
        &self,
        version: &str,
        path: &[avail::Step<'_>],
        value: &serde_json::Value,
    ) -> Option<Availability> {
        self.source
            .as_ref()
            .map(|s| s.value_availability(version, path, value))
    }

    /// The schema another release gave `version`.
    fn legacy_schema(&self, version: &str, channel: Channel) -> Option<&ObjectSchema> {
        let v = self.legacy.iter().find(|v| v.name == version)?;
        let listed = if v.in_channel(channel).is_some() {
            channel
        } else {
            other(channel)
        };
        Some(v.schema(listed))
    }
}

/// What the store knows about a `group/version, Kind`.
#[derive(Debug)]
pub enum Lookup<'a> {
    /// Served in the channel: validate with it.
    Served(&'a ObjectSchema),
    /// The kind exists only in the experimental channel and the channel is Standard;
    /// `versions` are the versions the experimental channel serves.
    ExperimentalOnly { versions: Vec<String> },
    /// The kind is known but this version is not served in the channel. `served` lists the
    /// versions that are; `schema` is the version's schema when gwctl knows it (the v1.1 CRD
    /// lists it unserved, or Gateway API v1.0 served it); `note` says why.
    NotServed {
        served: Vec<String>,
        schema: Option<&'a ObjectSchema>,
        note: Option<String>,
    },
    /// The group is covered by the store but the kind is not; `kinds` lists the group's kinds.
    UnknownKind { kinds: Vec<String> },
    /// Neither group nor kind is in the store (a core Service, say): no schema validation.
    NotCovered,
}

/// The kinds gwctl can validate. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    kinds: Arc<Vec<KindInfo>>,
    /// The Gateway API release of the bundled kinds; `None` for a store of CRDs only.
    release: Option<Release>,
}

impl Store {
    /// The newest Gateway API release gwctl knows, both channels.
    pub fn bundled() -> Store {
        Store::for_release(Release::newest())
    }

    /// Gateway API `release`, both channels, plus what other releases had (so that a
    /// version or kind from another release is reported as such and can still be read).
    /// The kind tables of each release are made once per process; each version's schema is
    /// converted the first time it is used.
    pub fn for_release(release: Release) -> Store {
        static STORES: OnceLock<Vec<OnceLock<Arc<Vec<KindInfo>>>>> = OnceLock::new();
        let cells = STORES.get_or_init(|| {
            (0..release::entries().len())
                .map(|_| OnceLock::new())
                .collect()
        });
        let kinds = cells[release.entry_index()]
            .get_or_init(|| Arc::new(bundled::load(release)))
            .clone();
        Store {
            kinds,
            release: Some(release),
        }
    }

    /// A store with nothing in it, for callers that only use `--crds`.
    pub fn empty() -> Store {
        Store {
            kinds: Arc::new(Vec::new()),
            release: None,
        }
    }

    /// The Gateway API release of the bundled kinds.
    pub fn release(&self) -> Option<Release> {
        self.release
    }

    /// Adds the kind a CustomResourceDefinition describes, replacing any kind with the same
    /// group and kind (bundled or added before). Returns `group/version, Kind=kind` for each
    /// version.
    pub fn add_crd(&mut self, crd: &serde_json::Value) -> Result<Vec<String>, CrdError> {
        let info = kind_from_crd(crd)?;
        let added = info
            .versions
            .iter()
            .map(|v| format!("{}/{}, Kind={}", info.group, v.name, info.kind))
            .collect();
        let kinds = Arc::make_mut(&mut self.kinds);
        kinds.retain(|k| !(k.group == info.group && k.kind == info.kind));
        kinds.push(info);
        Ok(added)
    }

    /// Keeps only the kinds `keep` accepts: a cluster's store drops the Gateway API kinds
    /// whose CRDs it does not install.
    pub fn retain(&mut self, keep: impl Fn(&KindInfo) -> bool) {
        Arc::make_mut(&mut self.kinds).retain(|k| keep(k));
    }

    /// The kinds the store's release (or CRD) has.
    pub fn kinds(&self) -> impl Iterator<Item = &KindInfo> {
        self.kinds.iter().filter(|k| !k.versions.is_empty())
    }

    /// A kind by group and name, also one that only another release has (with no
    /// `versions`).
    pub fn kind(&self, group: &str, kind: &str) -> Option<&KindInfo> {
        self.kinds
            .iter()
            .find(|k| k.group == group && k.kind == kind)
    }

    pub fn lookup(&self, group: &str, version: &str, kind: &str, channel: Channel) -> Lookup<'_> {
        let Some(info) = self.kind(group, kind) else {
            let mut kinds: Vec<String> = self
                .kinds()
                .filter(|k| k.group == group)
                .map(|k| k.kind.clone())
                .collect();
            if kinds.is_empty() && !self.kinds.iter().any(|k| k.group == group) {
                return Lookup::NotCovered;
            }
            kinds.sort();
            return Lookup::UnknownKind { kinds };
        };
        let release = self.release.unwrap_or_default();
        if info.versions.is_empty() {
            // A kind of another release.
            let note = info
                .availability()
                .and_then(|a| a.locate(release, channel))
                .map(|w| w.clause());
            return Lookup::NotServed {
                served: Vec::new(),
                schema: info.legacy_schema(version, channel),
                note,
            };
        }
        let served = info.served_versions(channel);
        if served.is_empty() && info.channel == Some(Channel::Experimental) {
            return Lookup::ExperimentalOnly {
                versions: info.served_versions(Channel::Experimental),
            };
        }
        if let Some(v) = info.version(version) {
            if v.served_in(channel) && info.channel.is_none_or(|c| c == channel) {
                return Lookup::Served(v.schema(channel));
            }
            let mut notes = Vec::new();
            if channel == Channel::Standard && v.served_in(Channel::Experimental) {
                notes.push(format!(
                    "{kind} {version} is served only in the experimental channel"
                ));
            }
            if let Some(w) = &v.deprecation_warning {
                notes.push(w.clone());
            }
            let listed = if v.in_channel(channel).is_some() {
                channel
            } else {
                other(channel)
            };
            return Lookup::NotServed {
                served,
                schema: Some(v.schema(listed)),
                note: (!notes.is_empty()).then(|| notes.join("; ")),
            };
        }
        if info.legacy.iter().any(|v| v.name == version) {
            let mut notes: Vec<String> = info
                .source
                .as_ref()
                .and_then(|s| s.version_availability(version).locate(release, channel))
                .map(|w| w.clause())
                .into_iter()
                .collect();
            notes.extend(
                info.legacy
                    .iter()
                    .find(|v| v.name == version)
                    .and_then(|v| v.note.clone()),
            );
            return Lookup::NotServed {
                served,
                schema: info.legacy_schema(version, channel),
                note: (!notes.is_empty()).then(|| notes.join("; ")),
            };
        }
        Lookup::NotServed {
            served,
            schema: None,
            note: None,
        }
    }
}

fn other(channel: Channel) -> Channel {
    match channel {
        Channel::Standard => Channel::Experimental,
        Channel::Experimental => Channel::Standard,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GW: &str = "gateway.networking.k8s.io";

    /// Gateway API v1.1.0, whose kinds and versions these tests know by heart.
    fn v1_1() -> Store {
        Store::for_release(Release::parse("v1.1.0").unwrap())
    }

    #[test]
    fn channel_parses_and_prints() {
        assert_eq!("experimental".parse::<Channel>(), Ok(Channel::Experimental));
        assert!("beta".parse::<Channel>().is_err());
        assert_eq!(Channel::default().to_string(), "standard");
    }

    #[test]
    fn lookup_answers_per_channel() {
        let s = v1_1();
        assert!(matches!(
            s.lookup(GW, "v1", "HTTPRoute", Channel::Standard),
            Lookup::Served(o) if o.kind == "HTTPRoute" && o.version == "v1"
        ));
        assert!(matches!(
            s.lookup(GW, "v1beta1", "Gateway", Channel::Standard),
            Lookup::Served(_)
        ));
        match s.lookup(GW, "v1alpha2", "TCPRoute", Channel::Standard) {
            Lookup::ExperimentalOnly { versions } => assert_eq!(versions, ["v1alpha2"]),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            s.lookup(GW, "v1alpha2", "TCPRoute", Channel::Experimental),
            Lookup::Served(_)
        ));
        match s.lookup(GW, "v1alpha2", "GRPCRoute", Channel::Standard) {
            Lookup::NotServed {
                served,
                schema,
                note,
            } => {
                assert_eq!(served, ["v1"]);
                assert!(schema.is_some());
                assert!(note.unwrap().contains("experimental"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            s.lookup(GW, "v1alpha2", "GRPCRoute", Channel::Experimental),
            Lookup::Served(_)
        ));
        match s.lookup(GW, "v1alpha2", "BackendTLSPolicy", Channel::Experimental) {
            Lookup::NotServed {
                served,
                schema,
                note,
            } => {
                assert_eq!(served, ["v1alpha3"]);
                let schema = schema.unwrap();
                assert!(
                    schema.root.properties["spec"]
                        .properties
                        .contains_key("targetRef")
                );
                assert!(note.unwrap().contains("removed in Gateway API v1.1"));
            }
            other => panic!("{other:?}"),
        }
        match s.lookup(GW, "v1", "Mesh", Channel::Standard) {
            Lookup::UnknownKind { kinds } => assert!(kinds.contains(&"Gateway".to_string())),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            s.lookup("", "v1", "Service", Channel::Standard),
            Lookup::NotCovered
        ));
        match s.lookup(GW, "v2", "Gateway", Channel::Standard) {
            Lookup::NotServed { served, schema, .. } => {
                assert_eq!(served, ["v1", "v1beta1"]);
                assert!(schema.is_none());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lookup_names_the_release_of_other_kinds_and_versions() {
        let v1_4 = Store::for_release(Release::parse("v1.4").unwrap());
        match v1_4.lookup(GW, "v1", "ListenerSet", Channel::Standard) {
            Lookup::NotServed { served, note, .. } => {
                assert!(served.is_empty());
                assert_eq!(note.unwrap(), "it was added in Gateway API v1.5");
            }
            other => panic!("{other:?}"),
        }
        // Removed kinds are no longer listed, but still known.
        let newest = Store::bundled();
        assert!(newest.kinds().all(|k| k.kind != "BackendLBPolicy"));
        match newest.lookup(GW, "v1alpha2", "BackendLBPolicy", Channel::Experimental) {
            Lookup::NotServed { schema, note, .. } => {
                assert!(schema.is_some());
                assert!(note.unwrap().contains("removed in Gateway API v1.3"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(newest.release().unwrap().tag(), "v1.6.1");
    }

    #[test]
    fn add_crd_replaces_a_bundled_kind() {
        let mut s = v1_1();
        let crd = serde_json::json!({
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": "tcproutes.gateway.networking.k8s.io"},
            "spec": {
                "group": GW,
                "names": {"kind": "TCPRoute", "plural": "tcproutes"},
                "scope": "Namespaced",
                "versions": [{
                    "name": "v1alpha2", "served": true, "storage": true,
                    "schema": {"openAPIV3Schema": {"type": "object"}}
                }]
            }
        });
        let added = s.add_crd(&crd).unwrap();
        assert_eq!(added, [format!("{GW}/v1alpha2, Kind=TCPRoute")]);
        // A CRD is what the cluster has: it is served whatever the channel.
        assert!(matches!(
            s.lookup(GW, "v1alpha2", "TCPRoute", Channel::Standard),
            Lookup::Served(_)
        ));
        assert_eq!(s.kinds().filter(|k| k.kind == "TCPRoute").count(), 1);
        // The bundled store is untouched.
        assert!(matches!(
            v1_1().lookup(GW, "v1alpha2", "TCPRoute", Channel::Standard),
            Lookup::ExperimentalOnly { .. }
        ));
    }
}
