//! The findings of `lint --implementation` and `lint --conformance-report`: each field
//! that needs a feature the implementation's conformance report does not show supported
//! (GW701), a report for another release or channel than the lint's (GW702), and each
//! field no feature covers, whose support no report can show (GW703).

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
    "## What it checks\nWith `lint --implementation NAME[@VERSION]` (a bundled upstream conformance report: `envoy-gateway`, `istio@1.27.0`...) or `lint --conformance-report FILE` (a report of your own run), or the configuration file's `implementation` or `conformanceReport`, every field that needs a Gateway API conformance feature (see `gwctl features`) is looked up in the report. A feature is supported when a profile lists it among its supported features, or when it is a core feature of a profile whose core tests all passed. It is reported when the report lists it as unsupported, does not list it, runs no profile that tests it, or when the core tests of the profile it belongs to were skipped or failed.\n\n## Why it matters\nThe API server accepts the field whatever the implementation does with it. An implementation that does not support the feature ignores the field, refuses the route (`Accepted: False`, `UnsupportedValue`) or behaves in its own way; you find out in production. The report is the implementation's own statement of what it passes.\n\n## Example\n```text\nerror[GW701]: feature HTTPRouteQueryParamMatching (a query parameter match) is not supported by traefik v3.6.0 (mode default, Gateway API v1.6.1 experimental channel): its report lists it as unsupported in GATEWAY-HTTP\n```\n\n## Fix\nExpress the routing without the feature (a path or header match instead of a query parameter match), choose an implementation whose report supports it (`gwctl implementations` lists them), or, when a newer version of yours supports it, lint against that version."
);

declare_rule!(
    REPORT_RELEASE_DIFFERS,
    "GW702",
    "conformance-report-release-differs",
    Suspicious,
    Warning,
    "the conformance report was run for another Gateway API release or channel than the lint's",
    "## What it checks\nThat the conformance report given to lint (`--implementation`, `--conformance-report`, or the configuration file's keys) ran the Gateway API release and channel the lint targets: its `gatewayAPIVersion` against `--gateway-api-version`, and its `gatewayAPIChannel` against `--channel`.\n\n## Why it matters\nFeatures come and go between releases, and experimental features are tested only under the experimental channel: a report of another release may not name a feature your release has, or say nothing of how the implementation behaves with your CRDs.\n\n## Example\n```text\nwarning[GW702]: the conformance report of istio 1.27.0 ran Gateway API v1.3.0 (experimental channel); this lint targets v1.6.1 (standard channel)\n```\n\n## Fix\nLint for the release your cluster runs with a report of that release: a newer report of the implementation, or your own run of the conformance suite."
);

declare_rule!(
    IMPLEMENTATION_SPECIFIC,
    "GW703",
    "implementation-specific-field",
    Suspicious,
    Info,
    "a field no conformance feature covers: whether the implementation supports it is not in its report",
    "## What it checks\nWith an implementation or conformance report given to lint, each field whose behaviour Gateway API leaves to the implementation and no conformance test covers: session persistence, extension filters, regular-expression matches, BackendTLSPolicy `options` and well-known CA certificates, several policy `targetRefs`, GatewayClass and infrastructure parameters, backends that are not Services.\n\n## Why it matters\nNo report can say whether the implementation supports such a field, or how it behaves: only its documentation can.\n\n## Example\n```text\ninfo[GW703]: session persistence: no conformance feature covers it, so the report of envoy-gateway v1.9.0 cannot say whether it is supported\n```\n\n## Fix\nCheck the implementation's documentation for the field; suppress the finding once you have."
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

/// GW702 when `target`'s report ran another release (minor) or channel than the lint's.
pub fn report_findings(target: &Target, release: Release, channel: Channel) -> Vec<Diagnostic> {
    let r = &target.report;
    let same_release =
        r.gateway_api_version.trim_start_matches('v') == release.tag().trim_start_matches('v');
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
