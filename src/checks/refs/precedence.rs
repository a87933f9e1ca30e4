//! Match precedence: matches that can never win. Two HTTPRoute (or GRPCRoute) matches that
//! are identical, on the same listener and hostname, compete; Gateway API gives the request to
//! the oldest route, then the first by namespace/name, then the first rule. The loser never
//! receives traffic for that match.
//!
//! Matches are grouped by (listener, hostname, normalised match) in one hash map, so the
//! pass is linear in the number of matches; only identical hostnames compete, since a more
//! specific hostname always takes precedence over a wildcard or an absent one.

use std::collections::{BTreeMap, HashMap};

use serde_json::json;

use crate::declare_rule;
use crate::graph::{Match, Route, RouteKind, ValueMatch};

use super::Context;

declare_rule!(
    UNREACHABLE_RULE,
    "GW401",
    "unreachable-rule",
    Correctness,
    Warning,
    "a route rule can never receive traffic: an identical match earlier in the route always wins",
    "## What it checks\nRules whose every match is identical (path, method, headers, query parameters; for GRPCRoute service, method and headers) to a match of an earlier rule of the same route, on every listener and hostname the route attaches to. (Identical matches in different routes are GW402.)\n\n## Why it matters\nThe rule is dead configuration: its backends and filters never see a request, usually because a rule was copied and not changed.\n\n## Example\n```yaml\nrules:\n- matches: [{path: {type: PathPrefix, value: /api}}]\n  backendRefs: [{name: api-v1, port: 80}]\n- matches: [{path: {type: PathPrefix, value: /api}}]   # never wins\n  backendRefs: [{name: api-v2, port: 80}]\n```\n\n## Fix\nMake the matches differ (a header, a longer path), merge the rules, or delete the dead one."
);

declare_rule!(
    DUPLICATE_MATCH,
    "GW402",
    "duplicate-route-match",
    Correctness,
    Warning,
    reads: ["Gateway"],
    "two routes have an identical match on the same listener and hostname",
    "## What it checks\nMatches of different routes that are identical and attach to the same listener with the same hostname. The finding is on the losing route and names the winner: the oldest route (creationTimestamp), then namespace/name alphabetically.\n\n## Why it matters\nOnly one route receives those requests; which one depends on creation order, so a redeploy can silently switch traffic.\n\n## Example\nTwo HTTPRoutes for `shop.example.com` that both route `PathPrefix /` on the same Gateway.\n\n## Fix\nGive one route a more specific match or a different hostname, or merge the routes."
);

/// (route, rule, match) indexes.
type Entry = (usize, usize, usize);

pub fn check(cx: &mut Context) {
    let g = cx.graph;
    // Ordered, so that when a match loses in several places the winner it is reported
    // against is the same on every run (the first place, not whichever a hash visits first).
    let mut groups: BTreeMap<(usize, usize, String, String), Vec<Entry>> = BTreeMap::new();
    // How many (listener, hostname) places each route competes in.
    let mut places: Vec<usize> = vec![0; g.routes.len()];
    for (ri, route) in g.routes.iter().enumerate() {
        if !matches!(route.kind, RouteKind::Http | RouteKind::Grpc) {
            continue;
        }
        let mut keys = Vec::new();
        for parent in &route.parents {
            if let Some(att) = g.attachment(ri, parent.index) {
                for li in att.accepted() {
                    let hosts: Vec<String> = if route.hostnames.is_empty() {
                        vec!["*".into()]
                    } else {
                        route.hostnames.clone()
                    };
                    for h in hosts {
                        keys.push((att.gateway, li, h));
                    }
                }
            }
        }
        keys.sort();
        keys.dedup();
        places[ri] = keys.len();
        for (rule_i, rule) in route.rules.iter().enumerate() {
            for (mi, m) in rule.matches().iter().enumerate() {
                let mk = match_key(m);
                for (gw, li, h) in &keys {
                    groups
                        .entry((*gw, *li, h.clone(), mk.clone()))
                        .or_default()
                        .push((ri, rule_i, mi));
                }
            }
        }
    }
    // For each losing match: how many places it loses, and to whom (first winner seen).
    let mut lost: HashMap<Entry, (usize, Entry)> = HashMap::new();
    for entries in groups.values_mut() {
        if entries.len() < 2 {
            continue;
        }
        entries.sort_by(|a, b| precedence(&g.routes[a.0], a).cmp(&precedence(&g.routes[b.0], b)));
        let winner = entries[0];
        for e in &entries[1..] {
            let slot = lost.entry(*e).or_insert((0, winner));
            slot.0 += 1;
        }
    }
    let mut keys: Vec<&Entry> = lost.keys().collect();
    keys.sort();
    let mut rule_reported = std::collections::HashSet::new();
    for e in keys {
        let (count, winner) = lost[e];
        let (ri, rule_i, mi) = *e;
        if count < places[ri] || rule_reported.contains(&(ri, rule_i)) {
            continue;
        }
        let route = &g.routes[ri];
        let rule = &route.rules[rule_i];
        let n_matches = rule.matches().len();
        let all_lost = (0..n_matches).all(|m| {
            lost.get(&(ri, rule_i, m))
                .is_some_and(|(c, _)| *c >= places[ri])
        });
        let wr = &g.routes[winner.0];
        let winner_path = wr.rules[winner.1].path.key("matches").index(winner.2);
        let why = why_wins(wr, route);
        if all_lost && winner.0 == ri {
            rule_reported.insert((ri, rule_i));
            let d = cx
                .finding(&UNREACHABLE_RULE, route.object, &rule.path, false, format!(
                    "rule {rule_i} of {} {}/{} never receives traffic: {} identical to rule {} of {} {}/{}, which takes precedence ({why})",
                    route.kind.as_str(), route.namespace, route.name,
                    if n_matches == 1 { "its match is" } else { "each of its matches is" },
                    winner.1, wr.kind.as_str(), wr.namespace, wr.name))
                .secondary(cx.label(wr.object, &winner_path, "this match wins"));
            cx.report(d);
        } else if winner.0 != ri || !all_lost {
            let d = cx
                .finding(&DUPLICATE_MATCH, route.object, &rule.path.key("matches").index(mi), false, format!(
                    "this match is identical to one of {} {}/{} on the same listener and hostname; {}/{} receives those requests ({why})",
                    wr.kind.as_str(), wr.namespace, wr.name, wr.namespace, wr.name))
                .secondary(cx.label(wr.object, &winner_path, "this match wins"));
            cx.report(d);
        }
    }
}

/// A canonical text for a match: header names compared case-insensitively, list order of
/// headers and query parameters ignored, defaults filled in.
fn match_key(m: &Match) -> String {
    let list = |conditions: &[ValueMatch], fold_case: bool| {
        let mut v: Vec<(String, String, String)> = conditions
            .iter()
            .map(|h| {
                (
                    if fold_case {
                        h.name.to_ascii_lowercase()
                    } else {
                        h.name.to_string()
                    },
                    h.kind.as_str().to_owned(),
                    h.value.to_string(),
                )
            })
            .collect();
        v.sort();
        v
    };
    match m {
        Match::Grpc(m) => json!({
            "type": m.method.kind.as_str(),
            "service": m.method.service.as_deref().unwrap_or(""),
            "method": m.method.method.as_deref().unwrap_or(""),
            "headers": list(&m.headers, true),
        })
        .to_string(),
        Match::Http(m) => json!({
            "path": [m.path.kind.as_str(), &*m.path.value],
            "method": m.method.as_deref().unwrap_or(""),
            "headers": list(&m.headers, true),
            "query": list(&m.query_params, false),
        })
        .to_string(),
    }
}

fn created(route: &Route) -> Option<String> {
    route.created().map(str::to_owned)
}

/// Sort key: oldest first (no timestamp counts as newest), then namespace/name, then rule.
fn precedence(route: &Route, e: &Entry) -> (bool, String, String, String, usize, usize) {
    let c = created(route);
    (
        c.is_none(),
        c.unwrap_or_default(),
        route.namespace.clone(),
        route.name.clone(),
        e.1,
        e.2,
    )
}

fn why_wins(winner: &Route, loser: &Route) -> &'static str {
    if std::ptr::eq(winner, loser) {
        "it comes first in the route"
    } else if created(winner) != created(loser) && created(winner).is_some() {
        "its route is older"
    } else {
        "its route comes first by namespace/name"
    }
}
