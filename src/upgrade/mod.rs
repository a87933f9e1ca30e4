//! `gwctl upgrade`'s findings: what moving a cluster's Gateway API CRDs from release A to
//! release B breaks, for the objects of the manifests (or of the cluster) and for the
//! installed CRDs.
//!
//! Owns the comparison of two releases: each object is validated and defaulted under both
//! releases' bundled schemas ([`crate::schema::Store::for_release`]), so every difference
//! the bundled releases hold is found without a list kept here. The command line
//! (`crate::cli::upgrade`) reads the inputs or the cluster and renders what this returns.
//! The one thing not derived from the schemas is the safe-upgrades admission policy
//! ([`safe_upgrades_floor`]), which upstream ships as a separate object.
//!
//! Not here yet: whether the cluster's Kubernetes can run B (the floors per release are in
//! [`crate::schema::kube`]; `lint --kubernetes-version` reports them).

pub mod rules;

use serde_json::Value;

use crate::diag::{Diagnostic, ObjectRef};
use crate::fieldpath::{FieldPath, PathSeg};
use crate::migrate::target;
use crate::model::{Inventory, Object};
use crate::schema::{self, Channel, Lookup, Release, Store};

/// The upgrade asked about: the release and channel installed, and those to install.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub from: Release,
    pub to: Release,
    pub from_channel: Channel,
    pub to_channel: Channel,
}

/// The API groups of the Gateway API kinds.
const GROUPS: &[&str] = &["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"];

/// The findings about each Gateway API object of `inventory`.
pub fn objects(inventory: &Inventory, plan: &Plan) -> Vec<Diagnostic> {
    let a = Store::for_release(plan.from);
    let b = Store::for_release(plan.to);
    let mut out = Vec::new();
    for o in &inventory.objects {
        if GROUPS.contains(&o.group.as_str()) {
            object(o, plan, &a, &b, &mut out);
        }
    }
    out
}

/// The schema `store` serves `o`'s version with in `channel`.
fn served<'s>(store: &'s Store, o: &Object, channel: Channel) -> Option<&'s schema::ObjectSchema> {
    match store.lookup(&o.group, &o.version, &o.kind, channel) {
        Lookup::Served(s) => Some(s),
        _ => None,
    }
}

fn object(o: &Object, plan: &Plan, a: &Store, b: &Store, out: &mut Vec<Diagnostic>) {
    // What A does not serve is not the upgrade's doing: `lint` reports it.
    let Some(schema_a) = served(a, o, plan.from_channel) else {
        return;
    };
    let Some(schema_b) = served(b, o, plan.to_channel) else {
        out.push(not_served(o, plan, b));
        return;
    };
    for v in target::new_violations(schema_a, &o.json, schema_b, &o.json) {
        let (from, to) = (plan.from, plan.to);
        out.push(
            Diagnostic::new(
                &rules::REJECTED_AFTER,
                format!(
                    "Gateway API {to} rejects this {}, which {from} accepts: {}",
                    o.kind, v.message
                ),
            )
            .at(o.file, o.span_of(&v.path, v.on_key))
            .object(Some(o.object_ref()))
            .field(v.path.to_string())
            .help(format!(
                "change the object so that both {from} and {to} accept it, and apply it before installing {to}"
            )),
        );
    }
    if let Some(d) = storage_misfit(o, plan, b, schema_b) {
        out.push(d);
    }
    defaults(o, plan, schema_a, schema_b, out);
}

/// The migrate step that moves `o` for release `to`, as the help of a finding says it.
fn migrate_hint(o: &Object, to: Release) -> Option<String> {
    let opts = crate::migrate::Options {
        release: to,
        ..Default::default()
    };
    let (m, version) = crate::migrate::migrations::find(&o.api_version, &o.kind, &opts)?;
    let kind = m.new_kind();
    Some(format!(
        "`gwctl migrate --to {}` moves it to {kind} {version}, keeping comments and formatting, and says what it cannot move",
        to.minor()
    ))
}

/// GW520 for an object that B does not serve.
fn not_served(o: &Object, plan: &Plan, b: &Store) -> Diagnostic {
    let served = b
        .kind(&o.group, &o.kind)
        .map(|k| k.served_versions(plan.to_channel))
        .unwrap_or_default();
    let what = if served.is_empty() {
        format!("{} has no {} at all", plan.to, o.kind)
    } else {
        format!("it serves {}", served.join(", "))
    };
    let help = migrate_hint(o, plan.to).unwrap_or_else(|| {
        if served.is_empty() {
            format!(
                "remove the object, or keep a release that has {} (or its experimental channel, `--channel experimental`)",
                o.kind
            )
        } else {
            format!("change `apiVersion` to `{}/{}`", o.group, served[0])
        }
    });
    Diagnostic::new(
        &rules::VERSION_NOT_SERVED_AFTER,
        format!(
            "Gateway API {} ({} channel) does not serve {} {}, which {} serves; {what}",
            plan.to, plan.to_channel, o.kind, o.api_version, plan.from
        ),
    )
    .at(
        o.file,
        o.span_of(&FieldPath::root().key("apiVersion"), false),
    )
    .object(Some(o.object_ref()))
    .field("apiVersion")
    .help(help)
}

/// GW522: B serves the object's version but stores the kind at another version, whose
/// schema the object (converted, which for Gateway API changes only `apiVersion`) breaks.
fn storage_misfit(
    o: &Object,
    plan: &Plan,
    b: &Store,
    schema_b: &schema::ObjectSchema,
) -> Option<Diagnostic> {
    let kind = b.kind(&o.group, &o.kind)?;
    let storage = kind.versions.iter().find(|v| {
        v.in_channel(plan.to_channel)
            .is_some_and(|s| s.storage && s.served)
    })?;
    if storage.name == o.version {
        return None;
    }
    let stored_schema = storage.schema(plan.to_channel);
    let mut stored = o.json.clone();
    if let Some(m) = stored.as_object_mut() {
        m.insert(
            "apiVersion".into(),
            Value::String(format!("{}/{}", o.group, storage.name)),
        );
    }
    let v = target::new_violations(schema_b, &o.json, stored_schema, &stored)
        .into_iter()
        .next()?;
    let help = migrate_hint(o, plan.to).unwrap_or_else(|| {
        format!(
            "change the object so that {} {} accepts it",
            o.kind, storage.name
        )
    });
    Some(
        Diagnostic::new(
            &rules::STORAGE_VERSION_MISFIT,
            format!(
                "Gateway API {} still serves {} {}, but stores it as {}, which rejects this object: {}",
                plan.to, o.kind, o.version, storage.name, v.message
            ),
        )
        .at(o.file, o.span_of(&v.path, v.on_key))
        .object(Some(o.object_ref()))
        .field(v.path.to_string())
        .help(help),
    )
}

/// GW525: fields the object leaves unset that A and B default differently.
fn defaults(
    o: &Object,
    plan: &Plan,
    schema_a: &schema::ObjectSchema,
    schema_b: &schema::ObjectSchema,
    out: &mut Vec<Diagnostic>,
) {
    let mut under_a = o.json.clone();
    schema::apply_schema_defaults(schema_a, &mut under_a);
    let mut under_b = o.json.clone();
    schema::apply_schema_defaults(schema_b, &mut under_b);
    if under_a == under_b {
        return;
    }
    let mut changes = Vec::new();
    let mut path = FieldPath::root();
    diff_unset(&o.json, &under_a, &under_b, &mut path, &mut changes);
    for (path, da, db) in changes {
        // What a controller reports is not the user's to set.
        if matches!(path.segments().first(), Some(PathSeg::Key(k)) if k == "status") {
            continue;
        }
        let say = |r: Release, v: &Option<Value>| match v {
            Some(v) => format!("{r} defaults it to {v}"),
            None => format!("{r} leaves it unset"),
        };
        out.push(
            Diagnostic::new(
                &rules::DEFAULT_CHANGED,
                format!(
                    "`{path}` is not set: {} and {}",
                    say(plan.from, &da),
                    say(plan.to, &db)
                ),
            )
            .at(o.file, o.span_of(&path, true))
            .object(Some(o.object_ref()))
            .field(path.to_string())
            .help("set the field to the value you mean, so that the object behaves the same under both releases"),
        );
    }
}

/// The paths, unset in `orig`, where the defaulted `a` and `b` differ, with the two values.
fn diff_unset(
    orig: &Value,
    a: &Value,
    b: &Value,
    path: &mut FieldPath,
    out: &mut Vec<(FieldPath, Option<Value>, Option<Value>)>,
) {
    match (orig, a, b) {
        (Value::Object(o), Value::Object(ma), Value::Object(mb)) => {
            let mut keys: Vec<&String> = ma.keys().chain(mb.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let (va, vb) = (ma.get(k.as_str()), mb.get(k.as_str()));
                if va == vb {
                    continue;
                }
                path.push(PathSeg::Key(k.clone().into()));
                match o.get(k.as_str()) {
                    Some(child) => {
                        if let (Some(va), Some(vb)) = (va, vb) {
                            diff_unset(child, va, vb, path, out);
                        }
                    }
                    None => out.push((path.clone(), va.cloned(), vb.cloned())),
                }
                path.pop();
            }
        }
        (Value::Array(o), Value::Array(la), Value::Array(lb))
            if o.len() == la.len() && o.len() == lb.len() =>
        {
            for (i, ((o, a), b)) in o.iter().zip(la).zip(lb).enumerate() {
                if a != b {
                    path.push(PathSeg::Index(i));
                    diff_unset(o, a, b, path, out);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}

/// A Gateway API CRD as installed in the cluster.
#[derive(Debug, Clone)]
pub struct InstalledCrd {
    pub name: String,
    pub group: String,
    pub kind: String,
    pub plural: String,
    /// `status.storedVersions`.
    pub stored: Vec<String>,
    /// The version `spec.versions` marks as the storage version.
    pub storage: Option<String>,
    /// Where `status.storedVersions` is written, for a CRD read from a file (`kubectl get
    /// crd -o yaml`); a CRD read from a cluster is named by the run's place.
    pub at: Option<(crate::source::FileId, crate::source::Span)>,
}

impl InstalledCrd {
    /// Reads a CRD's JSON; `None` for CRDs of other groups.
    pub fn read(crd: &Value) -> Option<InstalledCrd> {
        let spec = crd.get("spec")?;
        let group = spec.get("group")?.as_str()?;
        if !GROUPS.contains(&group) {
            return None;
        }
        let s = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_owned();
        Some(InstalledCrd {
            name: s(crd.pointer("/metadata/name")),
            group: group.to_owned(),
            kind: s(spec.pointer("/names/kind")),
            plural: s(spec.pointer("/names/plural")),
            stored: crd
                .pointer("/status/storedVersions")
                .and_then(Value::as_array)
                .map(|l| {
                    l.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            storage: spec
                .get("versions")
                .and_then(Value::as_array)
                .and_then(|vs| {
                    vs.iter()
                        .find(|v| v.get("storage").and_then(Value::as_bool) == Some(true))
                })
                .map(|v| s(v.get("name"))),
            at: None,
        })
    }

    /// The Gateway API CRDs among the objects of the inputs, positioned in their files.
    pub fn in_inventory(inventory: &Inventory) -> Vec<InstalledCrd> {
        inventory
            .objects
            .iter()
            .filter(|o| o.group == "apiextensions.k8s.io" && o.kind == "CustomResourceDefinition")
            .filter_map(|o| {
                let mut crd = InstalledCrd::read(&o.json)?;
                let path = FieldPath::root().key("status").key("storedVersions");
                crd.at = Some((o.file, o.span_of(&path, false)));
                Some(crd)
            })
            .collect()
    }
}

/// GW523: installed CRDs whose `status.storedVersions` lists a version B's CRD of the kind
/// does not list. `place` names the cluster, as the findings' file.
pub fn stored_versions(crds: &[InstalledCrd], plan: &Plan, place: &str) -> Vec<Diagnostic> {
    let b = Store::for_release(plan.to);
    let mut out = Vec::new();
    for crd in crds {
        let Some(kind) = b.kind(&crd.group, &crd.kind) else {
            continue;
        };
        // B does not install this kind at all: its CRD is left as it is.
        let listed: Vec<&str> = kind
            .versions
            .iter()
            .filter(|v| v.in_channel(plan.to_channel).is_some())
            .map(|v| v.name.as_str())
            .collect();
        if listed.is_empty() {
            continue;
        }
        let new_storage = kind
            .versions
            .iter()
            .find(|v| v.in_channel(plan.to_channel).is_some_and(|s| s.storage))
            .map(|v| v.name.clone());
        for stored in crd.stored.iter().filter(|v| !listed.contains(&v.as_str())) {
            let keep = crd
                .storage
                .clone()
                .or_else(|| new_storage.clone())
                .unwrap_or_default();
            let d = Diagnostic::new(
                &rules::STORED_VERSION_REMOVED,
                format!(
                    "CustomResourceDefinition {} has objects stored at {stored} (status.storedVersions), which Gateway API {} ({} channel) no longer lists; the API server refuses the new CRD until {stored} is gone from storedVersions",
                    crd.name, plan.to, plan.to_channel
                ),
            );
            let d = match crd.at {
                Some((file, span)) => d.at(file, span),
                None => d.file_hint(place),
            };
            out.push(
                d.object(Some(ObjectRef {
                    api_version: "apiextensions.k8s.io/v1".into(),
                    kind: "CustomResourceDefinition".into(),
                    namespace: None,
                    name: crd.name.clone(),
                }))
                .field("status.storedVersions")
                .help(format!(
                    "before upgrading, rewrite every stored {} at {keep} (`kubectl get {} -A -o json | kubectl replace -f -`), then drop {stored} from the CRD's stored versions (`kubectl patch customresourcedefinition {} --subresource=status --type=merge -p '{{\"status\":{{\"storedVersions\":[\"{keep}\"]}}}}'`), as the release notes' cleanup step says",
                    crd.kind, crd.plural, crd.name
                )),
            );
        }
    }
    out
}

/// The oldest minor the safe-upgrades ValidatingAdmissionPolicy of `release` and `channel`
/// lets CRDs be installed at, and `None` when the release installs no such policy. Read
/// from upstream's policies (`config/crd/*/gateway.networking.k8s.io_vap_safeupgrades.yaml`):
/// v1.5 refuses bundle versions `v1.[0-4].N`; v1.6's standard policy refuses `v1.[0-5].N`,
/// its experimental one `v1.[0-4]`. Whether a release ships the policy at all comes from
/// `ships` in schemas/releases.yaml.
pub fn safe_upgrades_floor(release: Release, channel: Channel) -> Option<(u32, u32)> {
    let ships = release
        .entry()
        .ships
        .iter()
        .any(|s| s.kind == "ValidatingAdmissionPolicy");
    if !ships {
        return None;
    }
    let minor = minor_number(release);
    Some(if minor >= 6 && channel == Channel::Standard {
        (1, 6)
    } else {
        (1, 5)
    })
}

/// The minor number of a release (`v1.5.1` → 5).
fn minor_number(r: Release) -> u32 {
    r.minor()
        .rsplit('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0)
}

/// GW524: what the safe-upgrades policy that A installed denies of installing B.
pub fn safe_upgrades(plan: &Plan, place: &str) -> Vec<Diagnostic> {
    let Some(floor) = safe_upgrades_floor(plan.from, plan.from_channel) else {
        return Vec::new();
    };
    let policy = "safe-upgrades.gateway.networking.k8s.io";
    let help = format!(
        "if this is intended, delete the ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding {policy} before installing {}; otherwise choose a release and channel the policy allows",
        plan.to
    );
    let mut out = Vec::new();
    if plan.from_channel == Channel::Standard && plan.to_channel == Channel::Experimental {
        out.push(
            Diagnostic::new(
                &rules::SAFE_UPGRADES_DENIED,
                format!(
                    "the {policy} ValidatingAdmissionPolicy that Gateway API {} installed denies installing experimental-channel CRDs over the installed standard ones",
                    plan.from
                ),
            )
            .file_hint(place)
            .help(help.clone()),
        );
    }
    if (1, minor_number(plan.to)) < floor {
        out.push(
            Diagnostic::new(
                &rules::SAFE_UPGRADES_DENIED,
                format!(
                    "the {policy} ValidatingAdmissionPolicy that Gateway API {} ({} channel) installed denies installing CRDs older than v{}.{}, such as {}'s",
                    plan.from, plan.from_channel, floor.0, floor.1, plan.to
                ),
            )
            .file_hint(place)
            .help(help),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(s: &str) -> Release {
        Release::parse(s).unwrap()
    }

    fn plan(from: &str, to: &str, from_channel: Channel, to_channel: Channel) -> Plan {
        Plan {
            from: release(from),
            to: release(to),
            from_channel,
            to_channel,
        }
    }

    #[test]
    fn the_safe_upgrades_policy_comes_with_v1_5_and_its_floor_depends_on_the_channel() {
        assert_eq!(
            safe_upgrades_floor(release("v1.4"), Channel::Standard),
            None
        );
        assert_eq!(
            safe_upgrades_floor(release("v1.5"), Channel::Standard),
            Some((1, 5))
        );
        assert_eq!(
            safe_upgrades_floor(release("v1.6"), Channel::Standard),
            Some((1, 6))
        );
        assert_eq!(
            safe_upgrades_floor(release("v1.6"), Channel::Experimental),
            Some((1, 5))
        );
        let (s, e) = (Channel::Standard, Channel::Experimental);
        // Before v1.5 nothing is installed to deny anything.
        assert!(safe_upgrades(&plan("v1.4", "v1.2", s, e), "here").is_empty());
        // Experimental over standard, and older than the floor, each once.
        assert_eq!(safe_upgrades(&plan("v1.5", "v1.6", s, e), "here").len(), 1);
        assert_eq!(safe_upgrades(&plan("v1.6", "v1.4", e, e), "here").len(), 1);
        assert_eq!(safe_upgrades(&plan("v1.6", "v1.5", s, s), "here").len(), 1);
        assert!(safe_upgrades(&plan("v1.6", "v1.5", e, e), "here").is_empty());
        assert!(safe_upgrades(&plan("v1.5", "v1.6", e, s), "here").is_empty());
    }

    #[test]
    fn defaults_are_compared_only_where_the_object_says_nothing() {
        let orig = serde_json::json!({"spec": {"a": {}, "set": 1, "list": [{}]}});
        let a = serde_json::json!({"spec": {"a": {}, "set": 1, "list": [{"x": 1}]}});
        let b =
            serde_json::json!({"spec": {"a": {"n": 2}, "set": 1, "list": [{"x": 2}], "new": true}});
        let mut out = Vec::new();
        diff_unset(&orig, &a, &b, &mut FieldPath::root(), &mut out);
        let paths: Vec<String> = out.iter().map(|(p, _, _)| p.to_string()).collect();
        assert_eq!(paths, ["spec.a.n", "spec.list[0].x", "spec.new"]);
        assert_eq!(out[1].1, Some(serde_json::json!(1)));
        assert_eq!(out[2].1, None);
    }

    #[test]
    fn crds_of_other_groups_are_not_read() {
        let crd = serde_json::json!({"metadata": {"name": "x.example.com"}, "spec": {"group": "example.com"}});
        assert!(InstalledCrd::read(&crd).is_none());
    }
}
