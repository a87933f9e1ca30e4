//! What was read from the cluster, and its merge with local files: the live state alone
//! ([`Snapshot::live`]) or with files over it ([`Snapshot::overlay`]). Pure: no client, so
//! the merge is tested without a cluster.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Bundle, Skipped};
use crate::load::{Loaded, Options as LoadOptions};
use crate::model::ObjectKey;
use crate::source::{LiveOrigin, Origin};
use crate::yaml;

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

    /// The object as YAML ([`yaml::to_yaml`]), for the loader to read as it reads a file.
    /// Secrets get a comment saying why they have no data.
    fn to_yaml(&self) -> String {
        let mut out = String::new();
        if self.redacted {
            out.push_str("# gwctl read this Secret's metadata only; its data is never read.\n");
        }
        out.push_str(&yaml::to_yaml(&self.json));
        out
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
    /// The Kubernetes minor the API server's `/version` gives.
    pub kubernetes: Option<crate::schema::KubeMinor>,
    /// Why `/version` could not be read (or said nothing gwctl can read), when it could not.
    pub kubernetes_unread: Option<String>,
}

impl Snapshot {
    fn add_to(&self, loaded: &mut Loaded, opts: &LoadOptions, skip: &BTreeSet<ObjectKey>) {
        let kept: Vec<&LiveObject> = self
            .objects
            .iter()
            .filter(|o| !skip.contains(&o.key()))
            .collect();
        let first_object = loaded.inventory.objects.len();
        let first_file = loaded
            .add_texts(
                kept.iter().map(|o| (o.origin(), o.to_yaml())).collect(),
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
    pub fn live(&self, opts: &LoadOptions) -> Loaded {
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
    pub fn overlay(&self, mut local: Loaded, opts: &LoadOptions) -> Loaded {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GATEWAY_GROUP;
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
        let text = live(json.clone()).to_yaml();
        let mut loaded = Loaded::default();
        loaded.add_text(Origin::Stdin, text.clone(), &LoadOptions::default());
        assert!(
            loaded.diagnostics.is_empty(),
            "{text}\n{:?}",
            loaded.diagnostics
        );
        assert_eq!(loaded.inventory.objects[0].json, json, "{text}");
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
        let opts = LoadOptions::default();
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
    fn origin_names_the_object() {
        assert_eq!(
            live(json!({})).origin().to_string(),
            "cluster:HTTPRoute/shop/web@7"
        );
    }
}
