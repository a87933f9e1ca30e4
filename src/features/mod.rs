//! Conformance features: which ones manifests need, and which implementations support them.
//!
//! Owns [`detect`] (the fields of one object that need a feature, and those no feature
//! covers), [`catalog`] (the features each release names, their channel and profiles),
//! [`reports`] (conformance reports: the bundled collection and a user's file), the join of
//! the three for a run ([`of_object`], [`Used`]) and [`BEHAVIOUR_ONLY`], the features no
//! field of a manifest shows; [`check`] holds lint's findings against a report (GW7xx).
//! Pure: reads objects, never the cluster or files.

pub mod catalog;
pub mod check;
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
        "MeshClusterIPMatching",
        "reaching a Service by its cluster IP rather than its name is what the mesh does for any Service parent",
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
    (with_facts(needs.needs, release), needs.uncovered)
}

/// Each need with what `release` says of its feature.
pub fn with_facts(needs: Vec<detect::Need>, release: Release) -> Vec<Used> {
    let cat = catalog::bundled();
    let tag = release.tag();
    needs
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
        .collect()
}

/// What one object of a run needs, with where each field is.
#[derive(Clone, Debug)]
pub struct ObjectFeatures<'a> {
    pub object: &'a Object,
    pub used: Vec<(Used, crate::source::Span)>,
    pub uncovered: Vec<(Uncovered, crate::source::Span)>,
}

/// [`of_object`] for every object of `inventory` that needs a feature or has a field no
/// feature covers, in input order, with what HTTPRoutes need of the Services of the
/// inventory they send to ([`detect::backend_protocols`]).
pub fn of_inventory(
    inventory: &crate::model::Inventory,
    release: Release,
) -> Vec<ObjectFeatures<'_>> {
    let ns_of = |o: &Object| {
        o.namespace
            .clone()
            .unwrap_or_else(|| inventory.default_namespace.clone())
    };
    let services: std::collections::HashMap<(String, &str), &Object> = inventory
        .objects
        .iter()
        .filter(|o| o.group.is_empty() && o.kind == "Service")
        .map(|o| ((ns_of(o), o.name.as_str()), o))
        .collect();
    let app_protocol = |ns: &str, name: &str, port: i64| -> Option<String> {
        let svc = services.get(&(ns.to_owned(), name))?;
        svc.json
            .pointer("/spec/ports")?
            .as_array()?
            .iter()
            .find(|p| p.get("port").and_then(serde_json::Value::as_i64) == Some(port))?
            .get("appProtocol")?
            .as_str()
            .map(str::to_owned)
    };
    inventory
        .objects
        .iter()
        .filter_map(|o| {
            let ns = ns_of(o);
            let (mut used, uncovered) = of_object(o, &ns, release);
            used.extend(with_facts(
                detect::backend_protocols(o, &ns, &app_protocol),
                release,
            ));
            if used.is_empty() && uncovered.is_empty() {
                return None;
            }
            let mut used: Vec<_> = used
                .into_iter()
                .map(|u| {
                    let span = o.span_of(&u.path, true);
                    (u, span)
                })
                .collect();
            let mut uncovered: Vec<_> = uncovered
                .into_iter()
                .map(|u| {
                    let span = o.span_of(&u.path, true);
                    (u, span)
                })
                .collect();
            // In the order of the text, as a reader goes down the object.
            used.sort_by_key(|(_, s)| s.start);
            uncovered.sort_by_key(|(_, s)| s.start);
            Some(ObjectFeatures {
                object: o,
                used,
                uncovered,
            })
        })
        .collect()
}

/// What one implementation's report says of the features a run needs.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub report: &'static reports::Report,
    /// The needed features the report does not show supported, each with what it says.
    pub missing: Vec<(&'static str, reports::Support<'static>)>,
}

/// For each implementation with a bundled report for `release`'s minor (its newest, as
/// `lint --implementation NAME` picks it), which of the features `objects` need it does
/// not show supported: those supporting all first, then by fewest missing, then by name.
pub fn verdicts(objects: &[ObjectFeatures<'_>], release: Release) -> Vec<Verdict> {
    let mut needed: Vec<&Used> = Vec::new();
    for (u, _) in objects.iter().flat_map(|o| &o.used) {
        if u.info.is_some() && !needed.iter().any(|n| n.feature == u.feature) {
            needed.push(u);
        }
    }
    needed.sort_by_key(|u| u.feature);
    let mut names: Vec<String> = reports::bundled()
        .iter()
        .map(reports::Report::name)
        .collect();
    names.sort();
    names.dedup();
    let cat = catalog::bundled();
    let mut out: Vec<Verdict> = names
        .iter()
        .filter_map(|name| reports::find(name, release.tag(), "standard").ok())
        .map(|report| {
            let knows = !cat.names(&report.gateway_api_version).is_empty();
            let missing = needed
                .iter()
                .filter(|u| !knows || cat.lookup(&report.gateway_api_version, u.feature).is_some())
                .filter_map(|u| match report.support(u.feature, &u.profiles) {
                    reports::Support::Supported => None,
                    other => Some((u.feature, other)),
                })
                .collect();
            Verdict { report, missing }
        })
        .collect();
    out.sort_by_key(|v| (v.missing.len(), v.report.name()));
    out
}
