//! The findings of `gwctl upgrade` (GW52x): what moving a cluster's Gateway API CRDs from
//! one release to another breaks. Each entry is the only copy of that finding's
//! documentation.

use crate::declare_rule;

declare_rule!(
    VERSION_NOT_SERVED_AFTER,
    "GW520",
    "version-not-served-after-upgrade",
    Deprecated,
    Error,
    "an object is at a version the release upgraded to no longer serves",
    "## What it checks\nFor `gwctl upgrade --from vA --to vB`, objects at an API version that vA serves in its channel and vB does not: TLSRoute `v1alpha2` in v1.5+ standard, BackendLBPolicy from v1.3, XListenerSet from v1.5, and every other version the two releases' bundled CRDs disagree on.\n\n## Why it matters\nOnce vB's CRDs are installed, the API server refuses to create or update objects at that version, so applying the manifests fails (and controllers reading that version stop seeing the objects).\n\n## Example\n```yaml\n# gwctl upgrade --from v1.4 --to v1.5\napiVersion: gateway.networking.x-k8s.io/v1alpha1\nkind: XListenerSet\n```\n\n## Fix\nRun the `gwctl migrate --to vB` the help line names: it moves the manifests to the versions vB serves, keeping comments and formatting, and says what it cannot move."
);

declare_rule!(
    REJECTED_AFTER,
    "GW521",
    "rejected-after-upgrade",
    Deprecated,
    Error,
    "an object that the current release accepts breaks a check of the release upgraded to",
    "## What it checks\nFor `gwctl upgrade --from vA --to vB`, objects that vA's schema and CEL rules accept and vB's reject, at the same version: HTTPRoute `rules` needs at least one entry from v1.5, retry `attempts` must be at least 1 from v1.6, and every other check that tightened. gwctl finds them by validating each object with both releases' bundled schemas, not from a list.\n\n## Why it matters\nObjects already stored keep working until they are next written; then the API server rejects the update, often in the middle of a rollout or from a controller.\n\n## Example\n```yaml\n# gwctl upgrade --from v1.4 --to v1.5\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nspec:\n  rules: []   # minItems 1 from v1.5\n```\n\n## Fix\nChange the object so that both releases accept it (the message quotes vB's check), and apply it before upgrading the CRDs."
);

declare_rule!(
    STORAGE_VERSION_MISFIT,
    "GW522",
    "storage-version-misfit",
    Deprecated,
    Warning,
    "an object is still served at its version after the upgrade, but is stored at a version it does not fit",
    "## What it checks\nFor `gwctl upgrade --from vA --to vB`, objects whose version vB still serves but whose kind vB stores at another version, when the object does not fit that storage version's schema. A v1alpha2 TCPRoute with two rules under v1.6 experimental is served, but stored as v1, which allows one rule.\n\n## Why it matters\nThe API server converts every object it writes to the storage version. An object that does not fit it is rejected on the next write, though the version it is written at is still served; conversions between Gateway API versions only change `apiVersion`.\n\n## Example\n```yaml\n# gwctl upgrade --from v1.5 --to v1.6 --channel experimental\napiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nspec:\n  rules:\n    - backendRefs: [{name: a, port: 5432}]\n    - backendRefs: [{name: b, port: 5432}]\n```\n\n## Fix\nRun the `gwctl migrate` the help line names (it refuses what it cannot move and says what to change), or change the object so that it fits the storage version."
);

declare_rule!(
    STORED_VERSION_REMOVED,
    "GW523",
    "stored-version-removed",
    Deprecated,
    Error,
    "a CRD in the cluster has stored objects at a version the release upgraded to removes",
    "## What it checks\nWith `gwctl upgrade --cluster`, each installed Gateway API CustomResourceDefinition's `status.storedVersions` against the versions vB's CRD lists.\n\n## Why it matters\nThe API server refuses a CRD update that drops a version still listed in `status.storedVersions`, so `kubectl apply` of vB's CRDs fails for that kind; objects stored at the old version must be rewritten first.\n\n## Example\n```text\nerror[GW523]: CustomResourceDefinition grpcroutes.gateway.networking.k8s.io has objects stored at v1alpha2, which Gateway API v1.2.1 no longer lists\n```\n\n## Fix\nThe cleanup step of the upstream release notes: rewrite every stored object at the current storage version (read and replace each one, for example `kubectl get grpcroutes -A -o json | kubectl replace -f -`), then set `status.storedVersions` to the storage version alone (`kubectl patch crd ... --subresource=status`), then upgrade."
);

declare_rule!(
    SAFE_UPGRADES_DENIED,
    "GW524",
    "safe-upgrades-denied",
    Deprecated,
    Error,
    "the safe-upgrades admission policy of the installed release will deny the CRD update",
    "## What it checks\nFor `gwctl upgrade --from vA --to vB`, whether vA (v1.5 and later) installed the `safe-upgrades.gateway.networking.k8s.io` ValidatingAdmissionPolicy and it denies installing vB: experimental-channel CRDs over standard ones, or CRDs of a release older than the policy allows (before v1.5; v1.6's standard policy also refuses v1.5).\n\n## Why it matters\nThe API server denies every CRD update of the upgrade, and `kubectl apply` of the bundle fails part way.\n\n## Example\n```text\nerror[GW524]: the safe-upgrades ValidatingAdmissionPolicy of Gateway API v1.5.1 denies installing experimental CRDs over the installed standard ones\n```\n\n## Fix\nIf the change is intended, delete the ValidatingAdmissionPolicy and its binding `safe-upgrades.gateway.networking.k8s.io` before installing vB (as its message says); otherwise install vB's standard channel, or a release the policy allows."
);

declare_rule!(
    DEFAULT_CHANGED,
    "GW525",
    "default-changed-after-upgrade",
    Deprecated,
    Warning,
    "a field an object leaves unset gets a different default in the release upgraded to",
    "## What it checks\nFor `gwctl upgrade --from vA --to vB`, each object defaulted by vA's schema and by vB's: a field the object leaves unset whose default differs (or that only one release defaults). gwctl compares the two defaulted objects; nothing is listed by hand.\n\n## Why it matters\nThe object is accepted by both releases, but its behaviour changes silently when it is next written.\n\n## Example\n```text\nwarning[GW525]: Gateway API v1.4.1 defaults `spec.listeners[0].port` to 0 and v1.5.1 leaves it unset\n```\n\n## Fix\nSet the field to the value you want, so that the object means the same under both releases."
);
