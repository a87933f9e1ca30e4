//! The findings of `lint --implementation` and `lint --conformance-report`: each field
//! that needs a feature the implementation's conformance report does not show supported
//! (GW701), a report for another release or channel than the lint's (GW702), and each
//! field no feature covers, whose support no report can show (GW703). Over a live
//! cluster, without a report, GW701 comes from each Gateway's GatewayClass
//! `status.supportedFeatures` ([`ClassFeatures`]).

use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::Object;
use crate::schema::{Channel, Release};

use super::reports::{Report, Support};

declare_rule!(
    FEATURE_NOT_SUPPORTED,
    "GW701",
    "feature-not-supported",
    Correctness,
    Error,
    "a field needs a conformance feature the implementation's conformance report does not show supported",
    "## What it checks\nWith `lint --implementation NAME[@VERSION]` (a bundled upstream conformance report: `envoy-gateway`, `cilium@v1.20.0`...) or `lint --conformance-report FILE` (a report of your own run), or the configuration file's `implementation` or `conformanceReport`, every field that needs a Gateway API conformance feature (see `gwctl features`) is looked up in the report. A feature is supported when a profile lists it among its supported features, or when it is a core feature of a profile whose core tests all passed. It is reported when the report lists it as unsupported, does not list it, runs no profile that tests it, or when the core tests of the profile it belongs to were skipped or failed.\n\nWith `lint --cluster` and no report named, the features come from the cluster itself: each Gateway's GatewayClass lists what its controller supports in `status.supportedFeatures` (objects with a `name` since v1.2, plain strings in v1.1's experimental channel), and each extended feature a Gateway or a route on it needs is looked up there. Classes whose status lists nothing are not asked.\n\n## Why it matters\nThe API server accepts the field whatever the implementation does with it. An implementation that does not support the feature ignores the field, refuses the route (`Accepted: False`, `UnsupportedValue`) or behaves in its own way; you find out in production. The report is the implementation's own statement of what it passes.\n\n## Example\n```text\nerror[GW701]: feature HTTPRouteRequestMirror (requests mirrored) is not supported by traefik v3.7.10 (mode default, Gateway API v1.6.1 experimental channel): its report lists it as unsupported in GATEWAY-HTTP\n```\n\n## Fix\nExpress the routing without the feature (a header match where the implementation lacks query parameter matching), choose an implementation whose report supports it (`gwctl implementations` lists them), or, when a newer version of yours supports it, lint against that version."
);

declare_rule!(
    REPORT_RELEASE_DIFFERS,
    "GW702",
    "report-release-differs",
    Suspicious,
    Warning,
    "the conformance report was run for another Gateway API release or channel than the lint's",
    "## What it checks\nThat the conformance report given to lint (`--implementation`, `--conformance-report`, or the configuration file's keys) ran the Gateway API release and channel the lint targets: its `gatewayAPIVersion` against `--gateway-api-version`, and its `gatewayAPIChannel` against `--channel`.\n\n## Why it matters\nFeatures come and go between releases, and experimental features are tested only under the experimental channel: a report of another release may not name a feature your release has, or say nothing of how the implementation behaves with your CRDs.\n\n## Example\n```text\nwarning[GW702]: the conformance report of envoy-gateway v1.9.0 ran Gateway API v1.6.1 (experimental channel); this lint targets v1.5.1 (standard channel)\n```\n\n## Fix\nLint for the release your cluster runs with a report of that release: a newer report of the implementation, or your own run of the conformance suite."
);

declare_rule!(
    IMPLEMENTATION_SPECIFIC,
    "GW703",
    "implementation-specific",
    Suspicious,
    Info,
    "a field no conformance feature covers: whether the implementation supports it is not in its report",
    "## What it checks\nWith an implementation or conformance report given to lint, each field whose behaviour Gateway API leaves to the implementation and no conformance test covers: session persistence, extension filters, regular-expression matches, default Gateways (`useDefaultGateways`, `defaultScope`), BackendTLSPolicy `options` and well-known CA certificates, several policy `targetRefs`, GatewayClass and infrastructure parameters, backends that are not Services.\n\n## Why it matters\nNo report can say whether the implementation supports such a field, or how it behaves: only its documentation can.\n\n## Example\n```text\ninfo[GW703]: session persistence: no conformance feature covers it, so the report of envoy-gateway v1.9.0 cannot say whether it is supported\n```\n\n## Fix\nCheck the implementation's documentation for the field; suppress the finding once you have."
);

/// The conformance report a lint checks against, and how the user named it.
#[derive(Clone, Debug)]
pub struct Target {
    pub report: Report,
    /// `--implementation envoy-gateway`, the report file's path, or the configuration
    /// key: where run-wide findings (GW702) are placed.
    pub place: String,
}

/// The findings for one object, which lands in `namespace`, under `target`'s report.
pub fn object_findings(
    o: &Object,
    namespace: &str,
    release: Release,
    target: &Target,
) -> Vec<Diagnostic> {
    let (used, uncovered) = super::of_object(o, namespace, release);
    let mut out = used_findings(o, used, target);
    let r = &target.report;
    for u in uncovered {
        out.push(
            Diagnostic::new(
                &IMPLEMENTATION_SPECIFIC,
                format!(
                    "{}: no conformance feature covers it, so the report of {} {} cannot say whether it is supported",
                    u.what,
                    r.name(),
                    r.version
                ),
            )
            .at(o.file, o.span_of(&u.path, true))
            .object(Some(o.object_ref()))
            .field(u.path.to_string())
            .help("check the implementation's documentation for this field"),
        );
    }
    out
}

/// GW701 for what HTTPRoutes need of the Services they send to (a port's `appProtocol`),
/// which only the graph joins: the route's JSON alone does not say.
pub fn graph_findings(
    graph: &crate::graph::Graph<'_>,
    release: Release,
    target: &Target,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for route in &graph.routes {
        if route.kind != crate::graph::RouteKind::Http {
            continue;
        }
        let mut needs = Vec::new();
        for rule in &route.rules {
            for b in rule.backends.iter().filter(|b| !b.mirror) {
                if !(b.group.is_empty() && b.kind == "Service") {
                    continue;
                }
                let (Some(port), Some(svc)) = (b.port, graph.service(&b.namespace, &b.name)) else {
                    continue;
                };
                if let Some(need) = svc
                    .app_protocol(port)
                    .and_then(|a| super::detect::protocol_need(a, b.path.key("port")))
                {
                    needs.push(need);
                }
            }
        }
        if !needs.is_empty() {
            out.extend(used_findings(
                route.object,
                super::with_facts(needs, release),
                target,
            ));
        }
    }
    out
}

/// GW701 for each of `used` (the features `o` needs) that `target`'s report does not show
/// supported.
fn used_findings(o: &Object, used: Vec<super::Used>, target: &Target) -> Vec<Diagnostic> {
    let r = &target.report;
    let cat = super::catalog::bundled();
    // The report's release names its features; one it does not name is not the report's
    // to answer (GW702 says the report is of another release).
    let report_has_table = !cat.names(&r.gateway_api_version).is_empty();
    let mut out = Vec::new();
    for u in used {
        // A feature the release does not name cannot be in a report of it.
        if u.info.is_none()
            || (report_has_table && cat.lookup(&r.gateway_api_version, u.feature).is_none())
        {
            continue;
        }
        let default_help = format!(
            "express this without {}, or choose an implementation whose report supports it (`gwctl implementations` lists them)",
            u.feature
        );
        let (why, help) = match r.support(u.feature, &u.profiles) {
            Support::Supported => continue,
            Support::Unsupported { profile } => (
                format!("its report lists it as unsupported in {profile}"),
                default_help,
            ),
            Support::CoreNotPassed { profile } => {
                let mut tests: Vec<String> = Vec::new();
                if !profile.failed_tests.is_empty() {
                    tests.push(format!("failed {}", profile.failed_tests.join(", ")));
                }
                if !profile.skipped_tests.is_empty() {
                    tests.push(format!("skipped {}", profile.skipped_tests.join(", ")));
                }
                (
                    format!(
                        "it is a core feature of {}, whose core tests did not all pass (result {}{})",
                        profile.name,
                        profile.core.as_deref().unwrap_or("unstated"),
                        if tests.is_empty() {
                            String::new()
                        } else {
                            format!("; {}", tests.join("; "))
                        }
                    ),
                    "check whether the tests it did not pass matter to these objects (the implementation's documentation and issues say why they were skipped or failed)".to_owned(),
                )
            }
            Support::NotListed { profiles } => (
                format!(
                    "its report of {} does not list it as supported",
                    profiles.join(", ")
                ),
                default_help,
            ),
            Support::NotTested { profiles } => (
                format!(
                    "its report runs no profile that tests it ({})",
                    profiles.join(", ")
                ),
                default_help,
            ),
        };
        out.push(
            Diagnostic::new(
                &FEATURE_NOT_SUPPORTED,
                format!(
                    "feature {} ({}) is not supported by {}: {why}",
                    u.feature,
                    u.what,
                    r.describe()
                ),
            )
            .at(o.file, o.span_of(&u.path, true))
            .object(Some(o.object_ref()))
            .field(u.path.to_string())
            .help(help),
        );
    }
    out
}

/// GW702 when `target`'s report ran another release (another entry of gwctl's releases,
/// whose patches validate alike) or channel than the lint's.
pub fn report_findings(target: &Target, release: Release, channel: Channel) -> Vec<Diagnostic> {
    let r = &target.report;
    // gwctl's releases group the patches that validate alike (v1.6.0 and v1.6.1): a report
    // of either is a report of the lint's release.
    let same_release = Release::parse(&r.gateway_api_version)
        .is_ok_and(|x| x.entry_index() == release.entry_index());
    let same_channel = r
        .channel
        .as_deref()
        .is_none_or(|c| c.eq_ignore_ascii_case(channel.as_str()));
    if same_release && same_channel {
        return Vec::new();
    }
    vec![
        Diagnostic::new(
            &REPORT_RELEASE_DIFFERS,
            format!(
                "the conformance report of {} {} ran Gateway API {} ({} channel); this lint targets {release} ({} channel)",
                r.name(),
                r.version,
                r.gateway_api_version,
                r.channel.as_deref().unwrap_or("unstated"),
                channel.as_str()
            ),
        )
        .file_hint(target.place.clone())
        .help(if same_release {
            "lint with the report's channel (--channel), or use a report run with your channel's CRDs".to_owned()
        } else {
            "lint for the release the cluster runs with a report of that release: a newer report of the implementation, or your own run of the conformance suite".to_owned()
        }),
    ]
}

/// What each GatewayClass of a run says it supports (`status.supportedFeatures`), and the
/// class of each Gateway: the features of a live cluster, per Gateway, with no report
/// named (`lint --cluster`).
#[derive(Clone, Debug, Default)]
pub struct ClassFeatures {
    /// Class name → (controller, supported feature names). Only classes whose status lists
    /// features: a controller that publishes none tells nothing.
    classes: std::collections::HashMap<String, (String, Vec<String>)>,
    /// (namespace, name) of each Gateway → its class.
    gateways: std::collections::HashMap<(String, String), String>,
}

impl ClassFeatures {
    /// Read from `inventory`'s GatewayClasses and Gateways. `supportedFeatures` holds
    /// objects with a `name` since v1.2, plain strings in v1.1's experimental channel;
    /// both are read.
    pub fn read(inventory: &crate::model::Inventory) -> ClassFeatures {
        let mut out = ClassFeatures::default();
        for o in inventory.objects.iter().filter(|o| o.is_gateway_api()) {
            match o.kind.as_str() {
                "GatewayClass" => {
                    let features: Vec<String> = o
                        .json
                        .pointer("/status/supportedFeatures")
                        .and_then(serde_json::Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(|f| {
                                    f.as_str()
                                        .or_else(|| {
                                            f.get("name").and_then(serde_json::Value::as_str)
                                        })
                                        .map(str::to_owned)
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    if !features.is_empty() {
                        let controller = o
                            .json
                            .pointer("/spec/controllerName")
                            .and_then(serde_json::Value::as_str)
                            .unwrap_or_default()
                            .to_owned();
                        out.classes.insert(o.name.clone(), (controller, features));
                    }
                }
                "Gateway" => {
                    if let Some(class) = o
                        .json
                        .pointer("/spec/gatewayClassName")
                        .and_then(serde_json::Value::as_str)
                    {
                        let ns = o
                            .namespace
                            .clone()
                            .unwrap_or_else(|| inventory.default_namespace.clone());
                        out.gateways.insert((ns, o.name.clone()), class.to_owned());
                    }
                }
                _ => {}
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// The Gateways `o` is on (itself, or a route's Gateway parents), each with its class's
    /// controller and features, when the class lists any.
    fn gateways_of<'s>(
        &'s self,
        o: &Object,
        namespace: &str,
    ) -> Vec<(String, &'s str, &'s str, &'s [String])> {
        let mut keys: Vec<(String, String)> = Vec::new();
        if o.kind == "Gateway" {
            keys.push((namespace.to_owned(), o.name.clone()));
        } else if let Some(parents) = o
            .json
            .pointer("/spec/parentRefs")
            .and_then(serde_json::Value::as_array)
        {
            for p in parents {
                let s = |k: &str| p.get(k).and_then(serde_json::Value::as_str);
                if s("kind").unwrap_or("Gateway") != "Gateway"
                    || s("group").unwrap_or(crate::model::GATEWAY_GROUP)
                        != crate::model::GATEWAY_GROUP
                {
                    continue;
                }
                let Some(name) = s("name") else { continue };
                let key = (
                    s("namespace").unwrap_or(namespace).to_owned(),
                    name.to_owned(),
                );
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        keys.into_iter()
            .filter_map(|key| {
                let class = self.gateways.get(&key)?;
                let (controller, features) = self.classes.get(class)?;
                Some((
                    format!("{}/{}", key.0, key.1),
                    class.as_str(),
                    controller.as_str(),
                    features.as_slice(),
                ))
            })
            .collect()
    }
}

/// GW701 for each extended feature `o` needs that the GatewayClass of a Gateway it is on
/// does not list in `status.supportedFeatures`. Core features are not asked: a class
/// accepts its Gateways only if its controller supports the core, and classes differ on
/// whether they list it.
pub fn class_findings(
    o: &Object,
    namespace: &str,
    release: Release,
    classes: &ClassFeatures,
) -> Vec<Diagnostic> {
    let on = classes.gateways_of(o, namespace);
    if on.is_empty() {
        return Vec::new();
    }
    let (used, _) = super::of_object(o, namespace, release);
    let mut out = Vec::new();
    for u in used {
        if u.info.is_none() || u.profiles.iter().any(|p| p.level == super::Level::Core) {
            continue;
        }
        for (gateway, class, controller, features) in &on {
            if features.iter().any(|f| f == u.feature) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &FEATURE_NOT_SUPPORTED,
                    format!(
                        "feature {} ({}) is not supported by GatewayClass {class} ({controller}), the class of Gateway {gateway}: its status.supportedFeatures does not list it",
                        u.feature, u.what
                    ),
                )
                .at(o.file, o.span_of(&u.path, true))
                .object(Some(o.object_ref()))
                .field(u.path.to_string())
                .help(format!(
                    "express this without {}, or put the object on a Gateway whose class supports it",
                    u.feature
                )),
            );
        }
    }
    out
}
