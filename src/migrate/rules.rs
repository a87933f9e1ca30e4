//! The migration findings (GW5xx): objects `gwctl migrate` refuses to move, and moves whose
//! result needs a person's attention. Each entry is the only copy of that finding's
//! documentation.

use crate::declare_rule;

declare_rule!(
    UNMIGRATABLE_TARGET_NAMESPACE,
    "GW501",
    "unmigratable-target-namespace",
    Deprecated,
    Error,
    "a v1alpha2 BackendTLSPolicy targets another namespace, which v1alpha3 cannot express",
    "## What it checks\nWhen migrating a BackendTLSPolicy from `gateway.networking.k8s.io/v1alpha2` to `v1alpha3`, that `spec.targetRef.namespace` is unset or names the policy's own namespace.\n\n## Why it matters\nv1alpha3 replaced `targetRef` with `targetRefs`, whose entries have no `namespace`: a policy can only target objects in its own namespace. Dropping the namespace would silently attach the policy to a different Service, so gwctl refuses the object and leaves its file unchanged.\n\n## Example\n```yaml\napiVersion: gateway.networking.k8s.io/v1alpha2\nkind: BackendTLSPolicy\nmetadata:\n  name: tls\n  namespace: infra\nspec:\n  targetRef:\n    group: \"\"\n    kind: Service\n    name: auth\n    namespace: apps   # another namespace\n  tls:\n    hostname: auth.example.com\n    wellKnownCACerts: System\n```\n\n## Fix\nMove the policy to the target's namespace (`metadata.namespace: apps`), with any ConfigMaps its `caCertRefs` name, then run `gwctl migrate` again."
);

declare_rule!(
    UNMIGRATABLE_OBJECT,
    "GW502",
    "unmigratable-object",
    Deprecated,
    Error,
    "an object on an old API version cannot be rewritten safely",
    "## What it checks\nThat gwctl can rewrite an object on an old API version in place: the fields it must change are written out (not YAML aliases, anchors, merge keys or tags), have the shape the old version defines (`spec.targetRef` and `spec.tls` are mappings), and do not already exist under their new names.\n\n## Why it matters\n`gwctl migrate` edits the text of your files so that comments and formatting survive. When the fields to change are shared through aliases, or the object is malformed, an edit could change other objects or lose data, so gwctl refuses the object and leaves its file unchanged.\n\n## Example\n```yaml\nspec:\n  targetRef: *shared-target   # an alias: editing it would change the anchor too\n```\n\n## Fix\nWrite the refused fields out in full (or correct their shape) and run `gwctl migrate` again, or migrate the object by hand."
);

declare_rule!(
    NAMESPACE_DEPENDENT_TARGET,
    "GW503",
    "namespace-dependent-target",
    Deprecated,
    Warning,
    "a migrated BackendTLSPolicy has no namespace, and its old target named one",
    "## What it checks\nWhen migrating a BackendTLSPolicy from `v1alpha2` to `v1alpha3`, whether the policy has no `metadata.namespace` while `spec.targetRef.namespace` names one.\n\n## Why it matters\nv1alpha3 targets are always in the policy's own namespace. The migrated policy targets what was meant only when it is applied to the namespace the old target named; applied elsewhere (`kubectl apply -n other`), it attaches to a different Service or to none.\n\n## Example\n```yaml\napiVersion: gateway.networking.k8s.io/v1alpha2\nkind: BackendTLSPolicy\nmetadata:\n  name: tls          # no namespace\nspec:\n  targetRef:\n    group: \"\"\n    kind: Service\n    name: auth\n    namespace: apps\n  tls:\n    hostname: auth.example.com\n    wellKnownCACerts: System\n```\n\n## Fix\nAdd `namespace:` under `metadata` with the namespace the target named, or always apply the file with `-n` and that namespace."
);
