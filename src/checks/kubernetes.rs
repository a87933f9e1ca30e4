//! Findings about the cluster's Kubernetes version (GW605, GW606).
//!
//! Owns the two rules and [`check`], which holds a Kubernetes minor against what the chosen
//! Gateway API release and channel need of it (the floors [`crate::schema::kube::floors`]
//! derives from the release's CEL rules and bundle) and against the release's support
//! window (`kubernetes` in `schemas/releases.yaml`). The findings are about the cluster, not
//! a file: the caller names where the version came from (`cluster:<server>`,
//! `--kubernetes-version`), and that is the findings' place.

use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::schema::kube::{Floor, Place, floors};
use crate::schema::{Channel, KubeMinor, Release, Store};

declare_rule!(
    TOO_OLD,
    "GW605",
    "kubernetes-too-old",
    Correctness,
    Error,
    "the cluster's Kubernetes lacks a CEL library or an API that the Gateway API release's CRDs or bundle use",
    "## What it checks\nGiven the cluster's Kubernetes version (`lint --kubernetes-version 1.NN`, `kubernetesVersion:` in the configuration file, or with `lint --cluster` the API server's own `/version`), that it has everything the chosen Gateway API release and channel install: CEL validation rules in CRDs (Kubernetes 1.25), the `admissionregistration.k8s.io/v1` API of the ValidatingAdmissionPolicy that bundles ship since v1.5 (1.30), the CEL IP and CIDR libraries (1.31) and the CEL format library (1.32). gwctl does not keep a list per release: it reads every CEL rule of every kind and version the release's CRDs list in the channel, and the objects the release's bundle ships, and reports one finding per missing feature, naming one place that uses it and how many others do. So the channel matters: Gateway API v1.6's experimental XBackend uses the format library, its standard channel does not.\n\n## Why it matters\nThe API server compiles a CRD's CEL rules when the CRD is written. A rule that calls a function this Kubernetes does not have is an error, so the whole CRD is refused, and with it every manifest of its kind; a bundled object of an API the server does not serve is refused too. Manifests that pass gwctl would have nothing to be applied to.\n\n## Example\n```text\nerror[GW605]: Kubernetes 1.30 cannot install the Gateway API v1.6.1 standard CRDs: TLSRoute v1 uses the CEL IP library (`isIP`), which Kubernetes has from 1.31 (in a rule on `spec.hostnames`, and 1 other rule)\n```\n\n## Fix\nUpgrade the cluster to the Kubernetes version named, or target a Gateway API release its Kubernetes can install (`--gateway-api-version`; the help line names the newest one)."
);

declare_rule!(
    OUTSIDE_SUPPORT,
    "GW606",
    "kubernetes-outside-support",
    Suspicious,
    Warning,
    "the cluster's Kubernetes is older than the Gateway API release supports",
    "## What it checks\nGiven the cluster's Kubernetes version (`lint --kubernetes-version 1.NN`, `kubernetesVersion:` in the configuration file, or with `lint --cluster` the API server's `/version`), that it is not older than the oldest Kubernetes minor the chosen Gateway API release supports. Each release is tested against the five newest Kubernetes minors at the time it ships; `gwctl` knows that window for every release it bundles. A Kubernetes newer than the window is not reported.\n\n## Why it matters\nAn older Kubernetes may still install the CRDs (GW605 says when it cannot), but the release was never tested on it: its conformance tests ran on newer clusters, implementations usually require the same window, and problems found outside it are not fixed.\n\n## Example\n```text\nwarning[GW606]: Gateway API v1.6.1 supports Kubernetes 1.32–1.36; the cluster runs 1.31\n```\n\n## Fix\nUpgrade the cluster into the window, or target a Gateway API release whose window holds its version (`--gateway-api-version`; the help line names the newest one)."
);

/// The findings for a cluster that runs Kubernetes `kube`, about to run Gateway API
/// `release` in `channel`: one GW605 per feature the release needs and `kube` lacks, lowest
/// first, then GW606 when `kube` is older than the release's support window. `place` is
/// where the version came from, the findings' file hint.
pub fn check(release: Release, channel: Channel, kube: KubeMinor, place: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let missing: Vec<Floor> = floors(&Store::for_release(release), channel)
        .into_iter()
        .filter(|f| f.minor > kube)
        .collect();
    if !missing.is_empty() {
        let instead = newest_installable(channel, kube)
            .map(|r| {
                format!(
                    ", or target Gateway API {r} (--gateway-api-version), the newest release whose {channel} CRDs Kubernetes {kube} can install"
                )
            })
            .unwrap_or_default();
        for f in &missing {
            out.push(
                Diagnostic::new(&TOO_OLD, too_old(release, channel, kube, f))
                    .file_hint(place)
                    .help(format!(
                        "upgrade the cluster to Kubernetes {} or newer{instead}",
                        f.minor
                    )),
            );
        }
    }
    if let Some((oldest, newest)) = release.entry().kubernetes
        && kube < oldest
    {
        let instead = newest_supporting(kube)
            .map(|r| format!(", or target Gateway API {r}, which supports {kube}"))
            .unwrap_or_default();
        out.push(
            Diagnostic::new(
                &OUTSIDE_SUPPORT,
                format!(
                    "Gateway API {release} supports Kubernetes {oldest}–{newest}; the cluster runs {kube}"
                ),
            )
            .file_hint(place)
            .help(format!(
                "upgrade the cluster to Kubernetes {oldest} or newer{instead}"
            )),
        );
    }
    out
}

/// `Kubernetes 1.30 cannot install the Gateway API v1.6.1 standard CRDs: TLSRoute v1 uses
/// ..., which Kubernetes has from 1.31 (in a rule on `spec.hostnames`, and 2 other rules)`.
fn too_old(release: Release, channel: Channel, kube: KubeMinor, f: &Floor) -> String {
    let others = |one: &str, many: &str| match f.others {
        0 => String::new(),
        1 => format!(", and 1 other {one}"),
        n => format!(", and {n} other {many}"),
    };
    match &f.example {
        Place::Rule {
            kind,
            version,
            field,
        } => {
            let at = if field.is_empty() {
                "in a rule on the object itself".to_owned()
            } else {
                format!("in a rule on `{field}`")
            };
            format!(
                "Kubernetes {kube} cannot install the Gateway API {release} {channel} CRDs: {kind} {version} uses {}, which Kubernetes has from {} ({at}{})",
                f.needs(),
                f.minor,
                others("rule", "rules")
            )
        }
        Place::Shipped(s) => {
            let others = match f.others {
                0 => String::new(),
                n => format!(
                    " (as {} {n} other object{} it ships)",
                    if n == 1 { "does" } else { "do" },
                    if n == 1 { "" } else { "s" }
                ),
            };
            format!(
                "Kubernetes {kube} cannot install the Gateway API {release} {channel} bundle: its {} uses {}, which Kubernetes serves from {}{others}",
                s.kind, s.api_version, f.minor
            )
        }
    }
}

/// The newest release (newest patch) whose `channel` CRDs and bundle Kubernetes `kube` can
/// install.
fn newest_installable(channel: Channel, kube: KubeMinor) -> Option<Release> {
    Release::all().into_iter().rev().find(|r| {
        floors(&Store::for_release(*r), channel)
            .iter()
            .all(|f| f.minor <= kube)
    })
}

/// The newest release (newest patch) whose support window holds `kube`.
fn newest_supporting(kube: KubeMinor) -> Option<Release> {
    Release::all().into_iter().rev().find(|r| {
        r.entry()
            .kubernetes
            .is_some_and(|(oldest, newest)| oldest <= kube && kube <= newest)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(release: &str, channel: Channel, kube: (u32, u32)) -> Vec<(String, String, String)> {
        let r = Release::parse(release).unwrap();
        check(
            r,
            channel,
            KubeMinor(kube.0, kube.1),
            "--kubernetes-version",
        )
        .into_iter()
        .map(|d| {
            assert_eq!(d.file_hint.as_deref(), Some("--kubernetes-version"));
            assert!(d.primary.is_none() && d.object.is_none());
            (
                d.code().to_owned(),
                d.message.to_string(),
                d.help.unwrap().to_string(),
            )
        })
        .collect()
    }

    fn codes(found: &[(String, String, String)]) -> Vec<&str> {
        found.iter().map(|f| f.0.as_str()).collect()
    }

    #[test]
    fn a_cluster_without_the_ip_library_cannot_install_v1_6_standard() {
        let found = run("v1.6.1", Channel::Standard, (1, 30));
        assert_eq!(codes(&found), ["GW605", "GW606"], "{found:#?}");
        // The other rule: the standard CRD still lists v1alpha3, unserved, with the same
        // rule, and the API server compiles it all the same.
        assert_eq!(
            found[0].1,
            "Kubernetes 1.30 cannot install the Gateway API v1.6.1 standard CRDs: TLSRoute v1 uses the CEL IP library (`isIP`), which Kubernetes has from 1.31 (in a rule on `spec.hostnames`, and 1 other rule)"
        );
        assert_eq!(
            found[0].2,
            "upgrade the cluster to Kubernetes 1.31 or newer, or target Gateway API v1.4.1 (--gateway-api-version), the newest release whose standard CRDs Kubernetes 1.30 can install"
        );
        assert_eq!(
            found[1].1,
            "Gateway API v1.6.1 supports Kubernetes 1.32–1.36; the cluster runs 1.30"
        );
        assert_eq!(
            found[1].2,
            "upgrade the cluster to Kubernetes 1.32 or newer, or target Gateway API v1.4.1, which supports 1.30"
        );
    }

    #[test]
    fn each_missing_feature_is_one_finding() {
        let found = run("v1.6", Channel::Experimental, (1, 24));
        assert_eq!(
            codes(&found),
            ["GW605", "GW605", "GW605", "GW605", "GW606"],
            "{found:#?}"
        );
        assert!(found[0].1.contains("uses CEL validation rules (`x-kubernetes-validations`), which Kubernetes has from 1.25 (in a rule on"), "{}", found[0].1);
        assert!(found[0].1.contains(" other rules)"), "{}", found[0].1);
        assert_eq!(
            found[1].1,
            "Kubernetes 1.24 cannot install the Gateway API v1.6.1 experimental bundle: its ValidatingAdmissionPolicy uses admissionregistration.k8s.io/v1, which Kubernetes serves from 1.30 (as does 1 other object it ships)"
        );
        assert!(found[2].1.contains("TLSRoute v1 uses the CEL IP library (`isIP`), which Kubernetes has from 1.31 (in a rule on `spec.hostnames`, and 1 other rule)"), "{}", found[2].1);
        assert!(found[3].1.contains("XBackend v1alpha1 uses the CEL format library (`format.dns1123Label`), which Kubernetes has from 1.32"), "{}", found[3].1);
        // Nothing gwctl knows installs on 1.24: the help names no release.
        assert_eq!(
            found[0].2,
            "upgrade the cluster to Kubernetes 1.25 or newer"
        );
        assert_eq!(
            found[4].2,
            "upgrade the cluster to Kubernetes 1.32 or newer"
        );
    }

    #[test]
    fn the_channel_decides_what_is_needed() {
        // Kubernetes 1.31 has the IP library but not the format library: only v1.6's
        // experimental XBackend needs that.
        assert_eq!(codes(&run("v1.6", Channel::Standard, (1, 31))), ["GW606"]);
        let found = run("v1.6", Channel::Experimental, (1, 31));
        assert_eq!(codes(&found), ["GW605", "GW606"]);
        assert!(
            found[0].2.contains("target Gateway API v1.5.1"),
            "{}",
            found[0].2
        );
        assert!(
            found[1]
                .2
                .contains("target Gateway API v1.5.1, which supports 1.31")
        );
    }

    #[test]
    fn within_or_above_the_window_says_nothing() {
        for kube in [(1, 32), (1, 36), (1, 40), (2, 0)] {
            assert!(
                run("v1.6", Channel::Experimental, kube).is_empty(),
                "{kube:?}"
            );
        }
        assert!(run("v1.1.0", Channel::Standard, (1, 26)).is_empty());
        assert_eq!(codes(&run("v1.1.0", Channel::Standard, (1, 25))), ["GW606"]);
        assert_eq!(
            codes(&run("v1.1.0", Channel::Standard, (1, 24))),
            ["GW605", "GW606"]
        );
    }
}
