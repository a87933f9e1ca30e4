//! Conformance features: which ones manifests need, and which implementations support them.
//!
//! Owns [`detect`] (the fields of one object that need a feature, and those no feature
//! covers), [`catalog`] (the features each release names, their channel and profiles),
//! [`reports`] (conformance reports: the bundled collection and a user's file), the join of
//! the three for a run ([`of_object`], [`Used`]) and [`BEHAVIOUR_ONLY`], the features no
//! field of a manifest shows. Pure: reads objects, never the cluster or files.

pub mod catalog;
pub mod detect;
pub mod reports;

use serde::Serialize;

use crate::fieldpath::FieldPath;
use crate::model::Object;
use crate::schema::Release;
pub use catalog::Level;
pub use detect::{Needs, Uncovered};

/// Features that describe behaviour no field of a manifest shows: an implementation's
/// conformance tests for them apply ordinary manifests and check what happens, so
/// `gwctl features` cannot tell from the manifests that they matter. Each with why.
pub const BEHAVIOUR_ONLY: &[(&str, &str)] = &[
    (
        "GatewayHTTPSListenerDetectMisdirectedRequests",
        "answering 421 when a connection made for one HTTPS listener's hostname is reused for another's is the implementation's behaviour on any Gateway with several HTTPS listeners",
    ),
    (
        "HTTPRouteRetryConnectionError",
        "retrying after a connection error is what any `retry` asks for; which errors are retried is not written",
    ),
    (
        "HTTPRouteDestinationPortMatching",
        "upstream gates its test of parentRef ports that match no listener on this feature; no field asks for matching on the destination port",
    ),
];

/// One feature an object needs, with what the chosen release says of it.
#[derive(Clone, Debug, Serialize)]
pub struct Used {
    pub feature: &'static str,
    /// The field that needs it.
    #[serde(serialize_with = "as_string")]
    pub path: FieldPath,
    /// What the field does, in a few words.
    pub what: &'static str,
    /// The feature's channel and group in the release; `None` when the release does not
    /// name the feature (a newer release's: no report of this release can list it).
    pub info: Option<catalog::Info>,
    /// The profiles that test it, and how.
    pub profiles: Vec<ProfileLevel>,
}

/// A profile and whether a feature is part of its core or extended tests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProfileLevel {
    pub profile: &'static str,
    pub level: Level,
}

fn as_string<S: serde::Serializer>(p: &FieldPath, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.to_string())
}

/// What one object needs at `release`: each feature with the field that needs it, and the
/// fields no feature covers. `namespace` is the namespace the object lands in.
pub fn of_object(o: &Object, namespace: &str, release: Release) -> (Vec<Used>, Vec<Uncovered>) {
    let needs = detect::needs_of(o, namespace);
    let cat = catalog::bundled();
    let tag = release.tag();
    let used = needs
        .needs
        .into_iter()
        .map(|n| {
            let info = cat.lookup(tag, n.feature);
            let profiles = info
                .as_ref()
                .map(|i| {
                    catalog::membership(cat, tag, n.feature, i.group.as_deref().unwrap_or(""))
                        .into_iter()
                        .map(|(profile, level)| ProfileLevel { profile, level })
                        .collect()
                })
                .unwrap_or_default();
            Used {
                feature: n.feature,
                path: n.path,
                what: n.what,
                info,
                profiles,
            }
        })
        .collect();
    (used, needs.uncovered)
}
