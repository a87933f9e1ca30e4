//! Route rule names (`rules[].name`, Gateway API v1.4+): a policy that targets a rule by its
//! name (`targetRefs[].sectionName` on an HTTPRoute or GRPCRoute) names a rule the route has
//! (GW354), and, where the schema does not already refuse it, no two rules of a route share a
//! name (GW403).
//!
//! The experimental channel's CRDs refuse duplicate rule names with a CEL rule (reported as
//! GW201); the standard channel has none, and there the duplicate is accepted and every
//! reference by that name is ambiguous. Whether the schema in use has the rule is read from
//! the schema itself, so a release or a `--crds` CRD that adds it silences GW403.

use std::collections::HashMap;

use crate::declare_rule;
use crate::graph::{ObjectRefAt, Route};
use crate::model::{GATEWAY_GROUP, Object};
use crate::schema::Lookup;

use super::Context;

declare_rule!(
    RULE_NOT_FOUND,
    "GW354",
    "policy-rule-not-found",
    Correctness,
    Error,
    "a policy's targetRef names a rule (sectionName) that its HTTPRoute or GRPCRoute does not have",
    "## What it checks\nPolicies of any kind (BackendTLSPolicy, or an implementation's own policy kinds) whose `targetRefs` entry names an HTTPRoute or GRPCRoute with a `sectionName`: that the route exists in the policy's namespace and has a rule with that `name` (`rules[].name`, Gateway API v1.4+). For an HTTPRoute or GRPCRoute, `sectionName` means a rule's name.\n\n## Why it matters\nThe policy must fail to attach when the section does not exist: it applies to nothing, and the route's traffic goes without it (no retry budget, no authentication, whatever the policy sets).\n\n## Example\n```yaml\ntargetRefs:\n- group: gateway.networking.k8s.io\n  kind: HTTPRoute\n  name: shop\n  sectionName: checkuot   # the rule is named `checkout`\n```\n\n## Fix\nUse the name of one of the route's rules, or give the rule that name. Without `--complete`, a route missing from the inputs is a warning."
);

declare_rule!(
    DUPLICATE_RULE_NAME,
    "GW403",
    "duplicate-rule-name",
    Correctness,
    Warning,
    "two rules of a route share a name, which the standard channel does not refuse",
    "## What it checks\nThat no two rules of a route have the same `name` (Gateway API v1.4+), where the schema in use does not refuse it: the experimental channel's CRDs have a CEL rule for it (GW201), the standard channel's do not.\n\n## Why it matters\nRule names exist so that policies (`targetRefs[].sectionName`) and status can name one rule. A name that two rules share names both, or whichever the implementation finds first, so a policy meant for one rule may apply to another; the experimental channel refuses such a route outright, so it breaks on a switch of channel.\n\n## Example\n```yaml\nrules:\n- name: checkout\n  matches: [{path: {value: /cart}}]\n- name: checkout   # copied and not renamed\n  matches: [{path: {value: /pay}}]\n```\n\n## Fix\nGive each rule its own name, and check the policies that name it."
);

pub fn check(cx: &mut Context) {
    duplicate_names(cx);
    rule_targets(cx);
}

/// GW403: the second and later rules with a name an earlier rule has.
fn duplicate_names(cx: &mut Context) {
    // The answer depends only on the schema, so it is asked once per kind and version.
    let mut schema_allows: HashMap<(&str, &str, &str), bool> = HashMap::new();
    for route in &cx.graph.routes {
        if !route.rules.iter().any(|r| r.name.is_some()) {
            continue;
        }
        let o = route.object;
        let key = (o.group.as_str(), o.version.as_str(), o.kind.as_str());
        let check = match schema_allows.get(&key) {
            Some(&c) => c,
            None => *schema_allows
                .entry(key)
                .or_insert(names_need_checking(cx, o)),
        };
        if !check {
            continue;
        }
        let mut first: HashMap<&str, usize> = HashMap::new();
        for rule in &route.rules {
            let Some(name) = rule.name.as_deref() else {
                continue;
            };
            let Some(&earlier) = first.get(name) else {
                first.insert(name, rule.index);
                continue;
            };
            let earlier_path = route.rules[earlier].path.key("name");
            let mut d = cx
                .finding(
                    &DUPLICATE_RULE_NAME,
                    route.object,
                    &rule.path.key("name"),
                    false,
                    format!(
                        "rule {} has the name \"{name}\" of rule {earlier}: a policy or status that names \"{name}\" cannot tell them apart",
                        rule.index
                    ),
                )
                .secondary(cx.label(route.object, &earlier_path, format!("rule {earlier}")));
            d.help = Some(
                "give each rule its own name (the experimental channel refuses a route with two rules of one name)"
                    .into(),
            );
            cx.report(d);
        }
    }
}

/// Whether the schema `o` is validated with has rule names, and no CEL rule of its own
/// that refuses duplicates. Without `rules[].name` (before v1.4) the schema pass reports the
/// field; with the CEL rule, the CEL pass reports the duplicate.
fn names_need_checking(cx: &Context, o: &Object) -> bool {
    let Lookup::Served(schema) = cx.store.lookup(&o.group, &o.version, &o.kind, cx.channel) else {
        return false;
    };
    let Some(rules) = schema
        .root
        .properties
        .get("spec")
        .and_then(|s| s.properties.get("rules"))
    else {
        return false;
    };
    let has_names = rules
        .items
        .as_ref()
        .is_some_and(|i| i.properties.contains_key("name"));
    // The upstream rule: `self.all(l1, !has(l1.name) || self.exists_one(l2, ... l1.name ==
    // l2.name))`, on the list of rules.
    let refused = rules
        .rules
        .iter()
        .any(|c| c.rule.contains("exists_one") && c.rule.contains(".name =="));
    has_names && !refused
}

/// GW354: targetRefs to an HTTPRoute or GRPCRoute by rule name, from every policy.
fn rule_targets(cx: &mut Context) {
    let g = cx.graph;
    let mut routes: HashMap<(&str, &str, &str), &Route> = HashMap::new();
    for r in &g.routes {
        routes
            .entry((r.kind.as_str(), r.namespace.as_str(), r.name.as_str()))
            .or_insert(r);
    }
    let policies = g
        .policies
        .iter()
        .map(|p| (p.object, p.namespace.as_str(), &p.targets))
        .chain(
            g.other_policies
                .iter()
                .map(|p| (p.object, p.namespace.as_str(), &p.targets)),
        );
    for (policy, namespace, targets) in policies {
        for (t, section) in targets {
            let Some(section) = section else { continue };
            if t.group != GATEWAY_GROUP || !matches!(t.kind.as_str(), "HTTPRoute" | "GRPCRoute") {
                continue;
            }
            match routes.get(&(t.kind.as_str(), t.namespace.as_str(), t.name.as_str())) {
                None => {
                    let d = cx.missing(
                        &RULE_NOT_FOUND,
                        policy,
                        &t.path.key("name"),
                        format!(
                            "{} {namespace}/{} targets rule \"{section}\" of {} {}/{}, which is not defined",
                            policy.kind, policy.name, t.kind, t.namespace, t.name
                        ),
                    );
                    cx.report(d);
                }
                Some(route) => {
                    if route
                        .rules
                        .iter()
                        .any(|r| r.name.as_deref() == Some(section))
                    {
                        continue;
                    }
                    no_such_rule(cx, policy, t, section, route);
                }
            }
        }
    }
}

fn no_such_rule(cx: &mut Context, policy: &Object, t: &ObjectRefAt, section: &str, route: &Route) {
    let names: Vec<String> = route
        .rules
        .iter()
        .filter_map(|r| r.name.as_deref())
        .map(|n| format!("\"{n}\""))
        .collect();
    let have = if names.is_empty() {
        "none of its rules has a name".to_owned()
    } else {
        format!("its rules are named {}", names.join(", "))
    };
    let mut d = cx
        .finding(
            &RULE_NOT_FOUND,
            policy,
            &t.path.key("sectionName"),
            false,
            format!(
                "sectionName \"{section}\" names no rule of {} {}/{}: {have}",
                t.kind, t.namespace, t.name
            ),
        )
        .secondary(cx.label(
            route.object,
            &crate::fieldpath::FieldPath::root().key("spec").key("rules"),
            "rules defined here",
        ));
    d.help = Some(
        if names.is_empty() {
            format!("name the rule the policy is for (rules[].name: {section})")
        } else {
            "use the name of one of the route's rules, or give the rule that name".to_owned()
        }
        .into(),
    );
    cx.report(d);
}
