//! The finding codes of the CEL pass (GW2xx) and their documentation.
//!
//! One rule per code the evaluator emits; it reports findings with these, so a code is
//! written once.

use crate::declare_rule;

declare_rule!(
    RULE_VIOLATED,
    "GW201",
    "cel-rule-violated",
    Schema,
    Error,
    "a validation rule of the kind's schema returns false",
    "## What it checks\n\
     The CEL rules (`x-kubernetes-validations`) that the Gateway API CRDs, or a CRD you \
     passed, attach to fields. gwctl applies the schema defaults first and then evaluates \
     every rule where the API server would: only where its field is present, once per list \
     item for rules on list items. Rules that compare two versions of an object \
     (`oldSelf`) only run when an old object is given.\n\n\
     ## Why it matters\n\
     The API server evaluates the same rules and rejects the object when one returns false, \
     so `kubectl apply` fails.\n\n\
     ## Example\n\
     ```yaml\nspec:\n  listeners:\n  - name: web\n    port: 80\n    protocol: HTTP\n  - name: web      # GW201: listener names must be unique\n    port: 8080\n    protocol: HTTP\n```\n\n\
     ## Fix\n\
     Change the object as the message says. For rules about duplicates in a list, the \
     finding points at the later entry and names the earlier one; for rules that test each \
     entry of a list on its own (`tls` set on an HTTP listener, `hostname` on a TCP one), \
     it points at the entry that breaks the rule, at the field the rule tests."
);

declare_rule!(
    RULE_NOT_EVALUABLE,
    "GW202",
    "cel-rule-not-evaluable",
    Schema,
    Error,
    "a validation rule fails with an error, so the object is rejected",
    "## What it checks\n\
     Rules whose evaluation ends in an error that decides the result, such as reading a \
     field that is not set (`no such key`). CEL lets `true || error` be true and \
     `false && error` be false, but `false || error` is an error.\n\n\
     ## Why it matters\n\
     The API server rejects the object with \"could not be evaluated\", even though no rule \
     said the object was wrong. A known case is Gateway API v1.1.0's session persistence \
     rule, which errors when `cookieConfig` is absent and `absoluteTimeout` is unset (fixed \
     in v1.1.1).\n\n\
     ## Example\n\
     ```yaml\nsessionPersistence:\n  type: Header\n  sessionName: session   # GW202 on a v1.1.0 cluster\n```\n\n\
     ## Fix\n\
     Set the field the rule reads. For the session persistence case add \
     `cookieConfig: {lifetimeType: Session}` or an `absoluteTimeout`, which both v1.1.0 and \
     v1.1.1 accept."
);

declare_rule!(
    RULE_UNSUPPORTED,
    "GW203",
    "cel-rule-unsupported",
    Schema,
    Warning,
    "a validation rule uses something gwctl cannot evaluate, so it was not checked",
    "## What it checks\n\
     Rules that gwctl cannot evaluate offline: they call a function or macro its CEL \
     engine does not provide (`sortBy`, `cel.bind`, two-variable comprehensions, struct \
     literals), or they do not compile with it. Gateway API's own rules are all \
     supported; this concerns rules of CRDs you pass.\n\n\
     ## Why it matters\n\
     gwctl cannot tell whether the API server accepts the object. It never counts such a \
     rule as passed.\n\n\
     ## Example\n\
     ```yaml\nx-kubernetes-validations:\n- rule: \"cel.bind(n, self.name, n != '')\"   # GW203\n```\n\n\
     ## Fix\n\
     Nothing to change in the object. Check the rule against a cluster (`kubectl apply \
     --dry-run=server`)."
);

declare_rule!(
    RULES_NOT_CHECKED,
    "GW204",
    "cel-rules-not-checked",
    Schema,
    Info,
    "the validation rules were not checked because the object breaks its schema",
    "## What it checks\n\
     Nothing by itself: it says that the CEL rules of an object were skipped. The API \
     server skips them when schema validation finds a wrong type, a missing required \
     field, a value outside an enum, or a string, list or map longer than allowed, and \
     gwctl does the same.\n\n\
     ## Why it matters\n\
     Once the schema findings are fixed, the rules run and may find more problems.\n\n\
     ## Example\n\
     ```yaml\nspec:\n  listeners:\n  - name: web\n    port: 80\n    protocol: HTTP2   # not in the enum: rules are not checked (GW204)\n```\n\n\
     ## Fix\n\
     Fix the schema findings and lint again."
);

declare_rule!(
    RULE_OVER_BUDGET,
    "GW205",
    "cel-cost-budget-exceeded",
    Schema,
    Error,
    "a validation rule was not evaluated: its cost budget is exceeded",
    "## What it checks\n\
     The work one rule would do on the value it is placed on. The API server stops a rule \
     that goes past its per-expression cost limit (1,000,000 units) and rejects the \
     object. gwctl's CEL engine cannot count cost as it evaluates, so before running a \
     rule that iterates (`all`, `exists`, `map`, `filter`, `in` on a list, set functions, \
     `distinct`) it \
     estimates the work from the value's size (one unit per list item, map entry and \
     scalar, one per ten bytes of text), multiplied by the longest list or map for each \
     level of iteration beyond the first, and does not evaluate a rule whose estimate \
     is over the limit.\n\n\
     ## Why it matters\n\
     The API server rejects the object when the real cost is over its limit. The \
     Gateway API schemas bound every list (`maxItems`), so this concerns CRDs you pass \
     whose lists are unbounded; the estimate is an upper bound, so a rule may be \
     reported that the API server would finish.\n\n\
     ## Example\n\
     ```yaml\nx-kubernetes-validations:\n- rule: \"self.all(a, self.exists_one(b, a.name == b.name))\"   # GW205 on 5,000 items\n```\n\n\
     ## Fix\n\
     Make the list shorter; in your CRD, bound it with `maxItems`."
);
