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

declare_rule!(
    NOT_EXPRESSIBLE,
    "GW504",
    "not-expressible-in-target",
    Deprecated,
    Error,
    "an object cannot be moved to the version the target release serves without changing what it means",
    "## What it checks\nWhen `gwctl migrate` moves an object to the version the target release (`--to`) serves, that the object fits that version as it is: a TLSRoute moving to `v1` has `hostnames` (required from v1) and at most one rule; a TCPRoute or UDPRoute moving to `v1` has one rule; every listener of an XListenerSet moving to ListenerSet has a `port` (required from v1.5). Any other check the new version's schema or validation rules make and the old version did not is reported here too, with the new version's own message.\n\n## Why it matters\nThe API server rejects an object that breaks its version's schema. gwctl could make such an object fit only by guessing (which hostnames a route without any matched, which port an implementation chose, which of several rules' backends to keep), which would change what the object does, so it refuses the object and leaves its file unchanged.\n\n## Example\n```yaml\napiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TLSRoute\nmetadata:\n  name: passthrough\nspec:\n  parentRefs: [{name: edge}]\n  # no hostnames: every SNI name the listener accepts\n  rules:\n    - backendRefs: [{name: db, port: 5432}]\n```\n\n## Fix\nDo what the message says by hand (add the hostnames, set the port, keep one rule), then run `gwctl migrate` again."
);

declare_rule!(
    REMOVED_FIELD,
    "GW505",
    "removed-field",
    Deprecated,
    Error,
    "an object sets a field that the target release removed",
    "## What it checks\nWhen `gwctl migrate` moves manifests to a release (`--to`), whether an object sets a field that earlier releases had and the target release no longer has in either channel, such as HTTPRoute `spec.rules[].sessionPersistence.idleTimeout`, removed in v1.6.\n\n## Why it matters\nWith strict field validation the API server rejects the object; without it, it drops the field silently, and the behaviour the field asked for is gone. gwctl does not drop a setting you wrote without being told to, so it refuses the object and leaves its file unchanged.\n\n## Example\n```yaml\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: cart\nspec:\n  rules:\n    - sessionPersistence:\n        sessionName: cart\n        idleTimeout: 30m   # removed in v1.6\n```\n\n## Fix\nRun `gwctl migrate --drop-removed-fields` to drop such fields (each dropped field is listed, GW506), or remove them by hand; or migrate to a release that still has them."
);

declare_rule!(
    DROPPED_REMOVED_FIELD,
    "GW506",
    "dropped-removed-field",
    Deprecated,
    Warning,
    "gwctl migrate dropped a field that the target release removed",
    "## What it checks\nWith `gwctl migrate --drop-removed-fields`, each field that gwctl dropped because the target release (`--to`) no longer has it (see GW505).\n\n## Why it matters\nThe field asked for a behaviour the target release does not offer any more: the object is accepted without it, but what the field did is gone, and the implementation may need configuring another way.\n\n## Example\n```yaml\nspec:\n  rules:\n    - sessionPersistence:\n        sessionName: cart\n        idleTimeout: 30m   # dropped for v1.6\n```\n\n## Fix\nNothing to do when losing the behaviour is intended; otherwise look for the implementation's own way to get it, or stay on a release that has the field."
);

declare_rule!(
    NEWER_THAN_TARGET,
    "GW507",
    "newer-than-target",
    Deprecated,
    Error,
    "an object needs a newer release than the one gwctl migrate moves manifests to",
    "## What it checks\nWhen `gwctl migrate` moves manifests to a release (`--to`), whether an object uses a kind, version or field that the target release does not have and only newer releases do (a downgrade), or that no release gwctl can move it to serves.\n\n## Why it matters\nMigrating moves manifests forward; it cannot rewrite a ListenerSet for a release that only has XListenerSet, or drop a field that a newer release added and the object relies on. The object would be rejected by the target release's API server, so gwctl refuses it and leaves its file unchanged.\n\n## Example\n```yaml\n# gwctl migrate --to v1.4\napiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet   # v1.5+\n```\n\n## Fix\nMigrate to a release that has what the object uses (the message names the first), or rewrite the object by hand for the older release."
);
