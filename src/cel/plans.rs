//! Cheaper equivalents of costly upstream expressions.
//!
//! cel-rust copies a value each time an expression names it: the total-matches rule of
//! HTTPRoute and GRPCRoute (v1.2+) names `self`, the whole list of rules, 32 times to add up
//! at most 16 sizes, and came to cost a v1.6 lint more than all its other rules together.
//! [`cheaper`] gives, for such an expression, one that reads `self` once and answers the
//! same for every value the API server lets the rule see: the verdict still comes from CEL,
//! from an expression a test holds equal to the original on generated lists (see the
//! tests below). Findings keep the original expression's text.

/// HTTPRoute `spec.rules`: at most 128 matches over all rules. `matches` is defaulted on
/// every rule, and the list has at most 16 rules (maxItems, checked before CEL runs), which
/// are the two conditions under which the sum of every rule's matches is the original's sum
/// of the first 16.
const HTTP_TOTAL_MATCHES: &str = "(self.size() > 0 ? self[0].matches.size() : 0) + (self.size() > 1 ? self[1].matches.size() : 0) + (self.size() > 2 ? self[2].matches.size() : 0) + (self.size() > 3 ? self[3].matches.size() : 0) + (self.size() > 4 ? self[4].matches.size() : 0) + (self.size() > 5 ? self[5].matches.size() : 0) + (self.size() > 6 ? self[6].matches.size() : 0) + (self.size() > 7 ? self[7].matches.size() : 0) + (self.size() > 8 ? self[8].matches.size() : 0) + (self.size() > 9 ? self[9].matches.size() : 0) + (self.size() > 10 ? self[10].matches.size() : 0) + (self.size() > 11 ? self[11].matches.size() : 0) + (self.size() > 12 ? self[12].matches.size() : 0) + (self.size() > 13 ? self[13].matches.size() : 0) + (self.size() > 14 ? self[14].matches.size() : 0) + (self.size() > 15 ? self[15].matches.size() : 0) <= 128";
const HTTP_TOTAL_MATCHES_ONCE: &str = "self.map(r, r.matches.size()).sum() <= 128";

/// GRPCRoute `spec.rules`: the same, where `matches` may be unset.
const GRPC_TOTAL_MATCHES: &str = "(self.size() > 0 ? (has(self[0].matches) ? self[0].matches.size() : 0) : 0) + (self.size() > 1 ? (has(self[1].matches) ? self[1].matches.size() : 0) : 0) + (self.size() > 2 ? (has(self[2].matches) ? self[2].matches.size() : 0) : 0) + (self.size() > 3 ? (has(self[3].matches) ? self[3].matches.size() : 0) : 0) + (self.size() > 4 ? (has(self[4].matches) ? self[4].matches.size() : 0) : 0) + (self.size() > 5 ? (has(self[5].matches) ? self[5].matches.size() : 0) : 0) + (self.size() > 6 ? (has(self[6].matches) ? self[6].matches.size() : 0) : 0) + (self.size() > 7 ? (has(self[7].matches) ? self[7].matches.size() : 0) : 0) + (self.size() > 8 ? (has(self[8].matches) ? self[8].matches.size() : 0) : 0) + (self.size() > 9 ? (has(self[9].matches) ? self[9].matches.size() : 0) : 0) + (self.size() > 10 ? (has(self[10].matches) ? self[10].matches.size() : 0) : 0) + (self.size() > 11 ? (has(self[11].matches) ? self[11].matches.size() : 0) : 0) + (self.size() > 12 ? (has(self[12].matches) ? self[12].matches.size() : 0) : 0) + (self.size() > 13 ? (has(self[13].matches) ? self[13].matches.size() : 0) : 0) + (self.size() > 14 ? (has(self[14].matches) ? self[14].matches.size() : 0) : 0) + (self.size() > 15 ? (has(self[15].matches) ? self[15].matches.size() : 0) : 0) <= 128";
const GRPC_TOTAL_MATCHES_ONCE: &str =
    "self.map(r, has(r.matches) ? r.matches.size() : 0).sum() <= 128";

/// Whitespace does not change an expression's meaning; compare without it.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The expression to run for `rule`: an equivalent that reads `self` once, where gwctl has
/// one.
pub fn cheaper(rule: &str) -> Option<&'static str> {
    let r = squash(rule);
    [
        (HTTP_TOTAL_MATCHES, HTTP_TOTAL_MATCHES_ONCE),
        (GRPC_TOTAL_MATCHES, GRPC_TOTAL_MATCHES_ONCE),
    ]
    .into_iter()
    .find(|(original, _)| squash(original) == r)
    .map(|(_, once)| once)
}

/// The originals, for the test that they are still the bundled expressions.
#[cfg(test)]
pub(crate) const ORIGINALS: &[&str] = &[HTTP_TOTAL_MATCHES, GRPC_TOTAL_MATCHES];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cel::{BASE, convert};
    use kube_cel::cel::{ExecutionError, Program, Value as Cel};
    use proptest::prelude::*;
    use serde_json::{Value, json};

    fn eval(rule: &str, v: &Value) -> Result<Cel, ExecutionError> {
        let p = Program::compile(rule).unwrap();
        BASE.with(|b| {
            let mut ctx = b.new_inner_scope();
            ctx.add_variable_from_value("self", convert::to_cel(v, None));
            p.execute(&ctx)
        })
    }

    /// A list of up to 16 rules, each with `matches` of up to 20 entries or, when `unset`,
    /// without it.
    fn rules() -> impl Strategy<Value = Value> {
        prop::collection::vec((0usize..20, prop::bool::weighted(0.2)), 0..=16).prop_map(|rs| {
            Value::Array(
                rs.into_iter()
                    .map(|(n, unset)| {
                        if unset {
                            json!({"backendRefs": []})
                        } else {
                            json!({"matches": vec![json!({}); n]})
                        }
                    })
                    .collect(),
            )
        })
    }

    proptest! {
        #[test]
        fn grpc_total_matches_agree(v in rules()) {
            prop_assert_eq!(eval(GRPC_TOTAL_MATCHES, &v), eval(GRPC_TOTAL_MATCHES_ONCE, &v));
        }

        /// HTTPRoute rules always have `matches` (it is defaulted); where it is missing both
        /// fail.
        #[test]
        fn http_total_matches_agree(v in rules()) {
            let (a, b) = (eval(HTTP_TOTAL_MATCHES, &v), eval(HTTP_TOTAL_MATCHES_ONCE, &v));
            match (&a, &b) {
                (Ok(x), Ok(y)) => prop_assert_eq!(x, y),
                _ => prop_assert!(a.is_err() && b.is_err(), "{:?} / {:?}", a, b),
            }
        }
    }

    #[test]
    fn the_limit_is_where_it_was() {
        let over = json!(vec![json!({"matches": vec![json!({}); 64]}); 3]);
        assert_eq!(eval(HTTP_TOTAL_MATCHES_ONCE, &over), Ok(Cel::Bool(false)));
        assert_eq!(eval(HTTP_TOTAL_MATCHES, &over), Ok(Cel::Bool(false)));
        let at = json!(vec![json!({"matches": vec![json!({}); 64]}); 2]);
        assert_eq!(eval(HTTP_TOTAL_MATCHES_ONCE, &at), Ok(Cel::Bool(true)));
        assert!(cheaper(&format!("  {HTTP_TOTAL_MATCHES}\n")).is_some());
        assert!(cheaper("self.size() <= 128").is_none());
    }
}
