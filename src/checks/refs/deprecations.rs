//! Deprecations: objects at a version the selected channel still serves but deprecates.
//! (Versions it does not serve at all are GW040, from the schema pass.)

use crate::declare_rule;
use crate::fieldpath::FieldPath;

use super::Context;

declare_rule!(
    DEPRECATED_VERSION,
    "GW510",
    "deprecated-api-version",
    Deprecated,
    Warning,
    "an object uses a deprecated Gateway API version",
    "## What it checks\nObjects at a version that the selected Gateway API v1.1 channel still serves but deprecates: GRPCRoute `v1alpha2` (use `v1`) and ReferenceGrant `v1alpha2` (use `v1beta1`), both served only by the experimental channel.\n\n## Why it matters\nThe API server answers with a deprecation warning today, and a later release stops serving the version; the standard channel of v1.1 already does not.\n\n## Example\n```yaml\napiVersion: gateway.networking.k8s.io/v1alpha2\nkind: GRPCRoute\n```\n\n## Fix\nRun `gwctl migrate`, which rewrites the apiVersion and keeps comments and formatting."
);

pub fn check(cx: &mut Context) {
    for o in &cx.graph.inventory.objects {
        if !o.is_gateway_api() {
            continue;
        }
        let Some(kind) = cx.store.kind(&o.group, &o.kind) else {
            continue;
        };
        let Some(v) = kind.version(&o.version) else {
            continue;
        };
        let Some(info) = v.in_channel(cx.channel) else {
            continue;
        };
        if !(info.served && info.deprecated) {
            continue;
        }
        let served = kind.served_versions(cx.channel);
        let newest = served
            .iter()
            .find(|s| **s != o.version)
            .cloned()
            .unwrap_or_default();
        let mut d = cx.finding(
            &DEPRECATED_VERSION,
            o,
            &FieldPath::root().key("apiVersion"),
            false,
            format!(
                "{} {} is deprecated{}",
                o.kind,
                o.version,
                if newest.is_empty() {
                    String::new()
                } else {
                    format!("; use {}/{newest}", o.group)
                }
            ),
        );
        d.help =
            Some("`gwctl migrate` rewrites the apiVersion, keeping comments and formatting".into());
        cx.report(d);
    }
}
