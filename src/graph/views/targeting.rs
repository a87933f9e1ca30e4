//! The view of a policy of a kind gwctl does not otherwise know (an implementation's own,
//! following GEP-713's policy attachment): only its `spec.targetRefs` (or the older single
//! `spec.targetRef`) that point at Gateway API objects, so that a target named by section
//! (an HTTPRoute rule by its `name`) can be checked. What the policy sets is its
//! implementation's business and is not read.

use super::{ObjectRefAt, arr, s};
use crate::fieldpath::FieldPath;
use crate::model::{GATEWAY_GROUP, Object};

/// The Gateway API targets of a policy of another kind.
#[derive(Debug, Clone)]
pub struct TargetingData {
    pub namespace: String,
    /// The targetRefs with group `gateway.networking.k8s.io`, each with its `sectionName`.
    pub targets: Vec<(ObjectRefAt, Option<String>)>,
}

impl TargetingData {
    /// `None` when the object names no Gateway API object in `spec.targetRefs` or
    /// `spec.targetRef`: then it is not a policy of interest, and nothing is kept.
    pub fn read(object: &Object, namespace: String) -> Option<Self> {
        let spec = object.json.get("spec")?;
        let spec_path = FieldPath::root().key("spec");
        let many = arr(spec, "targetRefs")
            .iter()
            .enumerate()
            .map(|(i, t)| (t, spec_path.key("targetRefs").index(i)));
        let one = spec
            .get("targetRef")
            .filter(|t| t.is_object())
            .map(|t| (t, spec_path.key("targetRef")));
        let targets: Vec<_> = many
            .chain(one)
            .filter(|(t, _)| s(t, "group") == Some(GATEWAY_GROUP))
            .map(|(t, path)| {
                (
                    ObjectRefAt::read(t, path, &namespace, GATEWAY_GROUP, ""),
                    s(t, "sectionName")
                        .filter(|n| !n.is_empty())
                        .map(str::to_owned),
                )
            })
            .collect();
        (!targets.is_empty()).then_some(TargetingData { namespace, targets })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{self, Input};

    fn read(yaml: &str) -> Option<TargetingData> {
        let loaded = load::load(
            &[Input::Stdin],
            &load::Options::default(),
            &mut yaml.as_bytes(),
        );
        TargetingData::read(&loaded.inventory.objects[0], "shop".into())
    }

    #[test]
    fn only_gateway_api_targets_are_kept() {
        let t = read(
            "apiVersion: example.com/v1\nkind: RetryPolicy\nmetadata: {name: p}\n\
             spec:\n  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: web, sectionName: checkout}\n\
             \x20 - {group: \"\", kind: Service, name: api}\n",
        )
        .unwrap();
        assert_eq!(t.targets.len(), 1);
        let (r, section) = &t.targets[0];
        assert_eq!((r.kind.as_str(), r.name.as_str()), ("HTTPRoute", "web"));
        assert_eq!(r.namespace, "shop");
        assert_eq!(section.as_deref(), Some("checkout"));
        assert_eq!(r.path.to_string(), "spec.targetRefs[0]");
    }

    #[test]
    fn the_older_single_target_ref_counts_and_objects_without_targets_are_not_kept() {
        let t = read(
            "apiVersion: example.com/v1\nkind: OldPolicy\nmetadata: {name: p}\n\
             spec: {targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw, namespace: infra}}\n",
        )
        .unwrap();
        assert_eq!(t.targets[0].0.namespace, "infra");
        assert_eq!(t.targets[0].1, None);
        assert!(
            read("apiVersion: example.com/v1\nkind: Other\nmetadata: {name: p}\nspec: {x: 1}\n")
                .is_none()
        );
    }
}
