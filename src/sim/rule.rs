//! What the winning rule says about forwarding beyond matches, filters and backends: its
//! `name`, its `timeouts` and its (experimental) `retry`, each only where the cluster's
//! release and channel have it, and the retry budget an XBackendTrafficPolicy sets for the
//! backend the request went to. Owns their answer types in the [`Trace`]; the steps record
//! the settings as data and `render::trace` words them.

use serde::Serialize;

use super::step::{BackendStep, Step, Unavailable};
use super::{Options, Trace};
use crate::graph;

/// Where `timeouts` exists: every experimental release, and standard from v1.2.
pub const TIMEOUTS_IN: &str = "experimental, v1.2+";
/// Where `retry` exists: experimental from v1.2.
pub const RETRY_IN: &str = "experimental v1.2+";

/// `timeouts` of the winning rule, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timeouts {
    pub request: Option<String>,
    pub backend_request: Option<String>,
}

/// `retry` of the winning rule, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retry {
    pub codes: Vec<i64>,
    pub attempts: Option<i64>,
    pub backoff: Option<String>,
}

/// The status codes every implementation must retry when a rule lists them; others are
/// optional (HTTPRouteRetryStatusCode).
pub const RETRY_CODES_REQUIRED: [i64; 4] = [500, 502, 503, 504];

/// Where XBackendTrafficPolicy (and its retry budget) exists.
pub const TRAFFIC_POLICY_IN: &str = "experimental v1.3+";

/// The retry budget of the backend a request went to, from an XBackendTrafficPolicy, with
/// the schema's defaults for what the policy leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryBudget {
    /// `XBackendTrafficPolicy NAMESPACE/NAME`.
    pub source: String,
    pub percent: i64,
    pub interval: String,
    pub min_retries: i64,
    pub min_retry_interval: String,
}

/// Record the winning rule's timeouts and retry for a request that is forwarded, and the
/// retry budget of the backend it went to.
pub(super) fn forwarding(t: &mut Trace, graph: &graph::Graph, rule: &graph::Rule, opts: &Options) {
    timeouts_and_retry(t, rule, opts);
    if let Some(b) = retry_budget(t, graph, opts) {
        t.step(Step::Backend(BackendStep::RetryBudget(b.clone())));
        t.retry_budget = Some(b);
    }
}

/// The oldest XBackendTrafficPolicy with a `retryConstraint` targeting the Service the
/// request went to, where the cluster has the kind.
fn retry_budget(t: &mut Trace, graph: &graph::Graph, opts: &Options) -> Option<RetryBudget> {
    let b = t.backends[t.forwarded.backend?].clone();
    if !opts.has(TRAFFIC_POLICY_IN) {
        return None;
    }
    let mut policies: Vec<_> = graph
        .policies
        .iter()
        .filter(|p| p.object.kind == "XBackendTrafficPolicy" && p.namespace == b.namespace)
        .filter(|p| {
            p.targets
                .iter()
                .any(|(r, _)| r.group.is_empty() && r.kind == "Service" && r.name == b.name)
        })
        .collect();
    policies.sort_by(|x, y| {
        (x.created().is_none(), x.created(), &x.object.name).cmp(&(
            y.created().is_none(),
            y.created(),
            &y.object.name,
        ))
    });
    // The oldest policy of a target wins (GW325), with or without a retry constraint.
    let p = policies.first()?;
    t.involve(&p.object.kind, &p.namespace, &p.object.name);
    let rc = p.retry_constraint.as_ref()?;
    Some(RetryBudget {
        source: format!("XBackendTrafficPolicy {}/{}", p.namespace, p.object.name),
        percent: rc.budget_percent.unwrap_or(20),
        interval: rc.budget_interval.as_deref().unwrap_or("10s").to_owned(),
        min_retries: rc.min_count.unwrap_or(10),
        min_retry_interval: rc.min_interval.as_deref().unwrap_or("1s").to_owned(),
    })
}

fn timeouts_and_retry(t: &mut Trace, rule: &graph::Rule, opts: &Options) {
    if let Some(tm) = &rule.timeouts {
        if opts.has(TIMEOUTS_IN) {
            let tm = Timeouts {
                request: tm.request.as_deref().map(str::to_owned),
                backend_request: tm.backend_request.as_deref().map(str::to_owned),
            };
            t.step(Step::Backend(BackendStep::Timeouts(tm.clone())));
            t.timeouts = Some(tm);
        } else {
            t.step(Step::Unavailable(Unavailable {
                stage: "backend",
                what: "the rule's timeouts field".into(),
                marker: TIMEOUTS_IN,
                cluster: opts.cluster(),
                ignored: true,
            }));
        }
    }
    if let Some(r) = &rule.retry {
        if opts.has(RETRY_IN) {
            let r = Retry {
                codes: r.codes.clone(),
                attempts: r.attempts,
                backoff: r.backoff.as_deref().map(str::to_owned),
            };
            t.step(Step::Backend(BackendStep::Retry {
                retry: r.clone(),
                within: t.timeouts.as_ref().and_then(|tm| tm.request.clone()),
            }));
            t.retry = Some(r);
        } else {
            t.step(Step::Unavailable(Unavailable {
                stage: "backend",
                what: "the rule's retry field".into(),
                marker: RETRY_IN,
                cluster: opts.cluster(),
                ignored: true,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Release;
    use crate::sim::cors::CORS_IN;
    use crate::sim::route::{MIRROR_SHARE_IN, REDIRECT_CODES_IN};

    fn at(release: &str, experimental: bool) -> Options {
        Options {
            release: Some(Release::parse(release).unwrap()),
            experimental,
            ..Options::default()
        }
    }

    #[test]
    fn markers_follow_the_releases_and_channels() {
        for marker in [
            TIMEOUTS_IN,
            RETRY_IN,
            TRAFFIC_POLICY_IN,
            CORS_IN,
            MIRROR_SHARE_IN,
            REDIRECT_CODES_IN,
        ] {
            assert!(
                crate::schema::release::Cond::parse(marker).is_ok(),
                "{marker}"
            );
            // Without a known release (only --crds), everything counts as present.
            assert!(Options::default().has(marker), "{marker}");
        }
        assert!(!at("v1.4", false).has(CORS_IN));
        assert!(at("v1.4", true).has(CORS_IN));
        assert!(at("v1.5", false).has(CORS_IN));
        assert!(!at("v1.2", true).has(CORS_IN));
        assert!(!at("v1.1", false).has(TIMEOUTS_IN));
        assert!(at("v1.1", true).has(TIMEOUTS_IN));
        assert!(at("v1.2", false).has(TIMEOUTS_IN));
        assert!(!at("v1.6", false).has(RETRY_IN));
        assert!(at("v1.2", true).has(RETRY_IN));
        assert!(!at("v1.4", true).has(REDIRECT_CODES_IN));
        assert!(at("v1.5.0", false).has(REDIRECT_CODES_IN));
        assert!(!at("v1.2", false).has(MIRROR_SHARE_IN));
        assert!(at("v1.3", false).has(MIRROR_SHARE_IN));
        assert_eq!(at("v1.4.0", true).cluster(), "v1.4.0, experimental channel");
    }
}
