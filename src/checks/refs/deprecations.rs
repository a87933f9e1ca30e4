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
    "## What it checks\nObjects at a version that the chosen Gateway API release and channel still serve but deprecate, such as BackendTLSPolicy `v1alpha3` (v1.4+, use `v1`), TLSRoute `v1alpha2` and `v1alpha3` (v1.5+, use `v1`), TCPRoute and UDPRoute `v1alpha2` (v1.6+), and in v1.1 GRPCRoute `v1alpha2` (use `v1`) and ReferenceGrant `v1alpha2` (use `v1beta1`). The message names the version to move to: the one the release stores.\n\n## Why it matters\nThe API server answers with a deprecation warning today, and a later release stops serving the version; often the standard channel already does not.\n\n## Example\n```yaml\napiVersion: gateway.networking.k8s.io/v1alpha2\nkind: GRPCRoute\n```\n\n## Fix\nRun `gwctl migrate` where it knows the move (it rewrites the apiVersion and keeps comments and formatting); otherwise change the apiVersion and lint again."
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
        // The version to move to: the stored one, else any served one not deprecated.
        let current = |v: &&crate::schema::VersionInfo| {
            v.name != o.version
                && v.in_channel(cx.channel)
                    .is_some_and(|i| i.served && !i.deprecated)
        };
        let newest = kind
            .versions
            .iter()
            .filter(current)
            .find(|v| v.in_channel(cx.channel).is_some_and(|i| i.storage))
            .or_else(|| kind.versions.iter().find(current))
            .map(|v| v.name.clone())
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
        // Whether a migration moves it, to what the linted release serves.
        let release = cx.store.release().unwrap_or_default();
        d.help = Some(if crate::checks::schema::migrates_to(o, release) {
            "`gwctl migrate` rewrites the apiVersion, keeping comments and formatting".into()
        } else if newest.is_empty() {
            "the next Gateway API release may stop serving this version".into()
        } else {
            format!(
                "change the apiVersion to `{}/{newest}`, then lint again for what that version rejects",
                o.group
            )
            .into()
        });
        cx.report(d);
    }
}
