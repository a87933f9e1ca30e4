//! Findings that only exist against a live cluster (GW6xx), and how findings of the live state
//! and of local files over it are told apart.
//!
//! Owns the GW6xx rules: a kind gwctl could not read (its checks are skipped), and local
//! manifests that use Gateway API kinds, versions or fields the cluster's installed CRDs do not
//! serve. Owns [`installed_store`] (the schema store the cluster's CRDs describe) and
//! [`compare`] (new / existing / fixed). Knows nothing about how the cluster is read: it gets
//! a [`Snapshot`](crate::load::cluster::Snapshot)'s data, never a client.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::declare_rule;
use crate::diag::{Change, Diagnostic, RuleMeta};
use crate::load::cluster::{Bundle, Skipped};
use crate::load::rules::{UNKNOWN_KIND, UNSERVED_VERSION};
use crate::model::{GATEWAY_GROUP, namespaced};
use crate::schema::Store;
use crate::schema::rules::{CHANNEL_FIELD, RELEASE_FIELD, UNKNOWN_FIELD};
use crate::source::FileId;

declare_rule!(
    READ_SKIPPED,
    "GW601",
    "cluster-read-incomplete",
    Suspicious,
    Warning,
    "a kind could not be read from the cluster, so the checks that need it were skipped",
    "## What it checks\nThat gwctl could read every kind it checks against (`lint --cluster`): the served Gateway API kinds, Services, Namespaces, Secret metadata, CA ConfigMaps and the Gateway API CustomResourceDefinitions. When the API server refuses one of them (403 Forbidden) or does not serve it (404), gwctl goes on without it, drops the findings that depend on it (a reference to a Secret it could not list would look missing) and names them here.\n\n## Why it matters\nA clean result is only as complete as what gwctl could read: the skipped checks did not run.\n\n## Example\n```text\nwarning[GW601]: could not read Secret in namespace shop (403 Forbidden: secrets is forbidden: User \"ci\" cannot list resource \"secrets\"); skipped GW316, GW317\n```\n\n## Fix\nGrant the identity gwctl runs as `get`/`list` on the kind (for Secrets, gwctl only lists metadata), or accept that those checks are skipped."
);

declare_rule!(
    KIND_NOT_INSTALLED,
    "GW602",
    "kind-not-installed",
    Correctness,
    Warning,
    "a Gateway API kind that the cluster's installed CRDs do not define",
    "## What it checks\nWith `lint --cluster FILES`: that every Gateway API kind in the files has a CustomResourceDefinition installed in the cluster.\n\n## Why it matters\n`kubectl apply` fails with `no matches for kind`: the cluster installs an older Gateway API release, or the standard channel where the kind is experimental.\n\n## Example\n```yaml\n# the cluster installs the standard channel, which has no TCPRoute\napiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\n```\n\n## Fix\nInstall the Gateway API release and channel that define the kind, or do not use it."
);

declare_rule!(
    VERSION_NOT_INSTALLED,
    "GW603",
    "version-not-installed",
    Correctness,
    Warning,
    "a version that the cluster's installed CRD of the kind does not serve",
    "## What it checks\nWith `lint --cluster FILES`: that the `apiVersion` of each Gateway API object in the files is served by the CustomResourceDefinition installed in the cluster.\n\n## Why it matters\nThe API server refuses the object: the installed release is older (it does not serve `v1` GRPCRoute yet) or newer (it stopped serving an old version).\n\n## Example\n```yaml\n# the cluster installs Gateway API v1.0, whose GRPCRoute is v1alpha2 only\napiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\n```\n\n## Fix\nUse a version the installed CRD serves, or upgrade the installed Gateway API release."
);

declare_rule!(
    FIELD_NOT_INSTALLED,
    "GW604",
    "field-not-installed",
    Correctness,
    Warning,
    "a field that the cluster's installed CRD does not define",
    "## What it checks\nWith `lint --cluster FILES`: that every field of each Gateway API object in the files is defined by the schema of the CustomResourceDefinition installed in the cluster, though the bundled schemas of the chosen Gateway API release define it.\n\n## Why it matters\nThe installed release or channel lacks the field: strict field validation (`kubectl apply`'s default) refuses the object, and without it the API server silently drops the field, so the setting has no effect.\n\n## Example\n```yaml\n# the cluster installs the standard channel\nspec:\n  rules:\n  - sessionPersistence: {sessionName: s}   # experimental only\n```\n\n## Fix\nRemove the field, or install the Gateway API release and channel that define it."
);

/// The schema store for a cluster: the bundled schemas with each installed Gateway API CRD
/// in place of gwctl's own description of its kind, and the Gateway API kinds the cluster
/// does not install removed. Returns the CRDs that could not be converted, with why.
pub fn installed_store(bundled: Store, crds: &[Value]) -> (Store, Vec<String>) {
    let mut store = bundled;
    let mut problems = Vec::new();
    let mut installed = BTreeSet::new();
    for crd in crds {
        let name = crd
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("(unnamed)");
        match store.add_crd(crd) {
            Ok(_) => {
                if let Some(k) = crd.pointer("/spec/names/kind").and_then(Value::as_str) {
                    installed.insert(k.to_owned());
                }
            }
            Err(e) => problems.push(format!("CustomResourceDefinition {name}: {e}")),
        }
    }
    if problems.is_empty() {
        store.retain(|k| k.group != GATEWAY_GROUP || installed.contains(&k.kind));
    }
    (store, problems)
}

/// The rules among `rules` whose answer depends on objects of `kind` ([`RuleMeta::reads`]),
/// in the order given.
pub fn reading<'r>(
    rules: &'r [&'static RuleMeta],
    kind: &'r str,
) -> impl Iterator<Item = &'static RuleMeta> + 'r {
    rules
        .iter()
        .copied()
        .filter(move |r| r.reads.contains(&kind))
}

/// One warning per kind that could not be read, and every finding that depends on it
/// removed from `diagnostics`. `rules` is the catalogue, in code order: with a kind unread,
/// a reference to one of its objects would look missing, so the findings of the rules that
/// read it ([`RuleMeta::reads`]) are dropped.
pub fn skipped(
    skipped: &[Skipped],
    server: &str,
    rules: &[&'static RuleMeta],
    diagnostics: &mut Vec<Diagnostic>,
) {
    // A finding carries its rule, so what it reads decides whether it stays.
    diagnostics.retain(|d| {
        !skipped
            .iter()
            .any(|s| d.rule.reads.contains(&s.kind.as_str()))
    });
    for s in skipped {
        let codes: Vec<&str> = reading(rules, &s.kind).map(|r| r.code).collect();
        let mut message = format!("could not read {s}");
        if s.kind == "CustomResourceDefinition" {
            message.push_str("; validated against gwctl's bundled Gateway API schemas instead of the installed CRDs");
        } else if codes.is_empty() {
            message.push_str("; objects of this kind are not checked, and references to them may be reported as missing");
        } else {
            message.push_str(&format!("; skipped {}", codes.join(", ")));
        }
        diagnostics.push(
            Diagnostic::new(&READ_SKIPPED, message)
                .file_hint(format!("cluster:{server}"))
                .help("grant get and list on this kind to the identity gwctl runs as"),
        );
    }
}

/// What identifies a finding across the live and the overlaid state: code, object (kind,
/// namespace with the default filled in, name; not the version, which a change may bump),
/// field and message. Positions differ between a live object's text and a file's.
type FindingKey = (
    String,
    Option<(String, Option<String>, String)>,
    Option<String>,
    String,
);

fn finding_key(d: &Diagnostic, default_ns: &str) -> FindingKey {
    let object = d.object.as_deref().map(|o| {
        let group = o.api_version.rsplit_once('/').map_or("", |(g, _)| g);
        let ns = o
            .namespace
            .clone()
            .or_else(|| namespaced(group, &o.kind).then(|| default_ns.to_owned()));
        (o.kind.clone(), ns, o.name.clone())
    });
    (
        d.code().to_owned(),
        object,
        d.field.as_deref().map(str::to_owned),
        d.message.to_string(),
    )
}

/// Mark each finding of the overlaid state `new` or `existing`, and add the findings of the
/// live state that the overlay no longer has as `fixed`. Both runs must share one source map
/// (see `Snapshot::overlay`), so a fixed finding still points into its live object's text.
pub fn compare(live: Vec<Diagnostic>, overlay: &mut Vec<Diagnostic>, default_ns: &str) {
    let mut before: BTreeMap<FindingKey, usize> = BTreeMap::new();
    for d in &live {
        *before.entry(finding_key(d, default_ns)).or_default() += 1;
    }
    let mut after: BTreeMap<FindingKey, usize> = BTreeMap::new();
    for d in overlay.iter_mut() {
        let key = finding_key(d, default_ns);
        let left = before.get_mut(&key);
        d.status = Some(match left {
            Some(n) if *n > 0 => {
                *n -= 1;
                Change::Existing
            }
            _ => Change::New,
        });
        *after.entry(key).or_default() += 1;
    }
    for mut d in live {
        let key = finding_key(&d, default_ns);
        match after.get_mut(&key) {
            Some(n) if *n > 0 => *n -= 1,
            _ => {
                d.status = Some(Change::Fixed);
                overlay.push(d);
            }
        }
    }
}

/// Findings about local files that only the installed CRDs give (the bundled schemas of
/// `bundled_release` accept the kind, version or field) become GW602/GW603/GW604 warnings that
/// name the installed release. `bundled` are the schema findings of the same local objects
/// against the bundled store.
pub fn not_installed(
    diagnostics: &mut [Diagnostic],
    bundled: &[Diagnostic],
    local_files: &BTreeSet<FileId>,
    bundle: Option<&Bundle>,
    installed: &Store,
    bundled_release: crate::schema::Release,
) {
    let release = bundle.map_or_else(
        || "the installed Gateway API CRDs".to_owned(),
        |b| format!("the installed {b} CRDs"),
    );
    // A field the bundled schemas reject too is reported under GW101, GW102 or GW120 there
    // (the last two say which release or channel has it): one family.
    let family = |d: &Diagnostic| {
        if d.is(&CHANNEL_FIELD) || d.is(&RELEASE_FIELD) {
            UNKNOWN_FIELD.code
        } else {
            d.code()
        }
    };
    let seen: BTreeSet<(&str, Option<&crate::diag::ObjectRef>, Option<&str>)> = bundled
        .iter()
        .map(|d| (family(d), d.object.as_deref(), d.field.as_deref()))
        .collect();
    for d in diagnostics.iter_mut() {
        if !d
            .primary
            .as_ref()
            .is_some_and(|p| local_files.contains(&p.file))
        {
            continue;
        }
        let meta: &'static RuleMeta = if d.is(&UNKNOWN_KIND) {
            &KIND_NOT_INSTALLED
        } else if d.is(&UNSERVED_VERSION) {
            &VERSION_NOT_INSTALLED
        } else if d.is(&UNKNOWN_FIELD) {
            &FIELD_NOT_INSTALLED
        } else {
            continue;
        };
        if seen.contains(&(d.code(), d.object.as_deref(), d.field.as_deref())) {
            // The bundled release rejects it too; its finding says which release or channel
            // has the field, which the installed CRD cannot.
            if let Some(b) = bundled.iter().find(|b| {
                (b.is(&CHANNEL_FIELD) || b.is(&RELEASE_FIELD))
                    && b.object == d.object
                    && b.field == d.field
            }) {
                d.rule = b.rule;
                d.severity = b.severity;
                d.message = b.message.clone();
                d.help = b.help.clone();
            }
            continue;
        }
        let what = match meta {
            m if std::ptr::eq(m, &KIND_NOT_INSTALLED) => format!(
                "{} is not installed in the cluster: {release} define no such kind",
                d.object
                    .as_ref()
                    .map_or("this kind".to_owned(), |o| o.kind.clone())
            ),
            m if std::ptr::eq(m, &VERSION_NOT_INSTALLED) => {
                let Some(o) = d.object.as_deref() else {
                    continue;
                };
                let (group, version) = o
                    .api_version
                    .rsplit_once('/')
                    .unwrap_or(("", &o.api_version));
                // A CRD answers the same in both channels, so either gives its versions.
                let served = installed
                    .kind(group, &o.kind)
                    .map(|k| k.served_versions(crate::schema::Channel::Standard))
                    .unwrap_or_default();
                d.message = format!(
                    "{} {version} is not served by {release}; they serve {}",
                    o.kind,
                    if served.is_empty() {
                        "no version of it".to_owned()
                    } else {
                        served.join(", ")
                    }
                )
                .into_boxed_str();
                d.rule = meta;
                d.severity = meta.severity;
                d.help = Some(match served.first() {
                    Some(v) => format!(
                        "use `{group}/{v}`, or install a Gateway API release that serves {version}"
                    )
                    .into(),
                    None => "install a Gateway API release and channel that serve it".into(),
                });
                continue;
            }
            _ => format!(
                "`{}` is not defined by {release}, though Gateway API {bundled_release} defines it",
                d.field.as_deref().unwrap_or("this field")
            ),
        };
        d.message = format!("{what} ({})", d.message).into_boxed_str();
        d.rule = meta;
        d.severity = meta.severity;
        d.help = Some(if std::ptr::eq(meta, &FIELD_NOT_INSTALLED) {
            "remove the field, or install a Gateway API release and channel that define it".into()
        } else {
            "install a Gateway API release and channel that serve it, or use what the cluster serves".into()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::refs::backends::{PORT_NOT_FOUND, SERVICE_NOT_FOUND};
    use crate::checks::refs::gateways::{CERT_INVALID, CERT_NOT_FOUND};
    use crate::diag::ObjectRef;

    fn finding(rule: &'static RuleMeta, name: &str, ns: Option<&str>) -> Diagnostic {
        let mut d = Diagnostic::new(rule, format!("about {name}"));
        d.object = Some(std::sync::Arc::new(ObjectRef {
            api_version: "gateway.networking.k8s.io/v1".into(),
            kind: "HTTPRoute".into(),
            namespace: ns.map(str::to_owned),
            name: name.into(),
        }));
        d
    }

    #[test]
    fn compare_tells_new_existing_and_fixed() {
        let live = vec![
            finding(&SERVICE_NOT_FOUND, "a", Some("shop")),
            finding(&PORT_NOT_FOUND, "b", Some("shop")),
        ];
        // `a` is still there (the file names no namespace: the default fills it in), `b`
        // is fixed, `c` is new.
        let mut overlay = vec![
            finding(&SERVICE_NOT_FOUND, "a", None),
            finding(&SERVICE_NOT_FOUND, "c", Some("shop")),
        ];
        compare(live, &mut overlay, "shop");
        let got: Vec<(&str, Option<Change>)> = overlay
            .iter()
            .map(|d| (d.object.as_deref().unwrap().name.as_str(), d.status))
            .collect();
        assert_eq!(
            got,
            [
                ("a", Some(Change::Existing)),
                ("c", Some(Change::New)),
                ("b", Some(Change::Fixed))
            ]
        );
    }

    #[test]
    fn skipped_reads_drop_dependent_findings() {
        let mut diags = vec![
            finding(&CERT_NOT_FOUND, "a", None),
            finding(&SERVICE_NOT_FOUND, "b", None),
        ];
        let s = Skipped {
            kind: "Secret".into(),
            namespace: Some("shop".into()),
            reason: "403 Forbidden".into(),
        };
        // The catalogue is above this module; a part of it that has readers of Secrets and
        // of Services will do (tests/it/catalog.rs checks what the whole catalogue derives).
        let rules = [&CERT_NOT_FOUND, &CERT_INVALID, &SERVICE_NOT_FOUND];
        skipped(&[s], "https://k", &rules, &mut diags);
        let codes: Vec<&str> = diags.iter().map(|d| d.code()).collect();
        assert_eq!(codes, ["GW311", "GW601"]);
        assert!(
            diags[1].message.contains("GW316, GW317"),
            "{}",
            diags[1].message
        );
    }
}
