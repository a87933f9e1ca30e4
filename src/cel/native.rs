//! A fast path for rules that pass: the common part of CEL evaluated directly on the JSON
//! object, typed by its schema, without converting it into cel-rust's values.
//!
//! cel-rust converts every bound variable into its own map types, copies a value each time
//! an expression selects a field of it or a comprehension binds an item, and allocates for
//! every intermediate result; on a large lint that is most of the time CEL takes. Almost
//! every rule passes on almost every object, so [`passes`] answers one question only: does
//! this expression certainly evaluate to `true` on this value? It reads fields, `has()`,
//! literals, comparisons, `in`, `&&`/`||`/`!`, the conditional, indexes, `size()`,
//! `startsWith`/`endsWith`/`contains`/`matches` and the comprehension macros, with CEL's
//! types as [`super::convert::to_cel`] gives them. On anything else (another function, an
//! error, a value of a type it does not follow, a duration or timestamp) it gives up, and
//! so does it when the verdict is `false`: the rule then runs in cel-rust as before, which
//! alone decides failures, their messages and positions. A test holds the two equal on
//! every upstream example and on mutated fixtures.

use kube_cel::cel::common::ast::{Expr, IdedExpr, LiteralValue};
use serde_json::{Map, Value};

use super::convert::escape_field;
use crate::schema::{Additional, Node, SchemaType};

/// A value during evaluation: JSON from the object (typed by its schema node) or a value
/// the expression made.
#[derive(Clone, Debug)]
enum V<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Double(f64),
    Str(&'a str),
    Obj(&'a Map<String, Value>, Option<&'a Node>),
    /// A list from the object; its items are typed by the node's `items`.
    Arr(&'a [Value], Option<&'a Node>),
    /// A list the expression built (a literal, or a comprehension's accumulator).
    List(Vec<V<'a>>),
}

/// Whether `expr` certainly evaluates to `true` with `self` bound to `v` (typed by `node`);
/// `false` when the fast path cannot tell, which includes every rule that fails.
pub(super) fn passes(expr: &IdedExpr, v: &Value, node: &Node) -> bool {
    let this = typed(v, Some(node));
    let Some(this) = this else {
        return false;
    };
    // Room for a few nested comprehensions' variables, so binding them never grows it.
    let mut env: Vec<(&str, V<'_>)> = Vec::with_capacity(8);
    env.push(("self", this));
    matches!(eval(expr, &mut env), Some(V::Bool(true)))
}

/// A JSON value as CEL sees it under `node`, as `to_cel` types it; `None` for what the fast
/// path leaves to cel-rust (durations, timestamps, unsigned integers).
fn typed<'a>(v: &'a Value, node: Option<&'a Node>) -> Option<V<'a>> {
    Some(match v {
        Value::Null => V::Null,
        Value::Bool(b) => V::Bool(*b),
        Value::Number(n) => {
            let wants = node.and_then(|n| n.types);
            if wants == Some(SchemaType::Number) {
                V::Double(n.as_f64()?)
            } else if wants == Some(SchemaType::Integer)
                && let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            {
                V::Int(f as i64)
            } else if let Some(i) = n.as_i64() {
                V::Int(i)
            } else if n.is_u64() {
                return None;
            } else {
                V::Double(n.as_f64()?)
            }
        }
        Value::String(s) => {
            if matches!(
                node.and_then(|n| n.format.as_deref()),
                Some("duration" | "date-time")
            ) {
                return None;
            }
            V::Str(s)
        }
        Value::Array(items) => V::Arr(items, node.and_then(|n| n.items.as_deref())),
        Value::Object(m) => V::Obj(m, node),
    })
}

/// The field a CEL expression names `name` (escaped as CEL spells it) in an object typed
/// by `node`, as `to_cel` keys it: declared fields escaped, map keys as they are, unknown
/// fields kept only where the schema preserves them. `None` when absent.
fn field<'a>(
    m: &'a Map<String, Value>,
    node: Option<&'a Node>,
    name: &str,
) -> Option<(&'a Value, Option<&'a Node>)> {
    let additional = node.and_then(|n| match &n.additional_properties {
        Some(Additional::Schema(s)) => Some(Some(&**s)),
        Some(Additional::Allowed(true)) => Some(None),
        _ => None,
    });
    let keep_unknown = node.is_none_or(|n| n.preserve_unknown_fields);
    // The common case: the key as written, which CEL spells the same (no escape needed).
    // Objects are small; comparing a few keys is cheaper than hashing one.
    let found = if m.len() <= 8 {
        m.iter().find(|(k, _)| k.as_str() == name)
    } else {
        m.get_key_value(name)
    };
    if let Some((k, v)) = found {
        let declared = node.and_then(|n| n.properties.get(k));
        match (declared, additional) {
            (Some(p), _) if !super::convert::needs_escape(k) => return Some((v, Some(p))),
            (None, Some(s)) => return Some((v, s)),
            (None, None) if keep_unknown && !super::convert::needs_escape(k) => {
                return Some((v, None));
            }
            _ => {}
        }
    }
    if !name.contains("__") {
        return None;
    }
    // A reserved word (`__namespace__`): only the key `namespace` escapes to it where no
    // key is kept as it is written (escaping is one to one), so look that key up directly.
    if additional.is_none()
        && let Some(word) = name.strip_prefix("__").and_then(|n| n.strip_suffix("__"))
        && super::convert::is_reserved(word)
    {
        let (k, v) = m.get_key_value(word)?;
        let declared = node.and_then(|n| n.properties.get(k));
        return match declared {
            Some(p) => Some((v, Some(p))),
            None if keep_unknown => Some((v, None)),
            None => None,
        };
    }
    let key_of = |k: &'a String| -> Option<(String, Option<&'a Node>)> {
        let declared = node.and_then(|n| n.properties.get(k));
        match (declared, additional) {
            (Some(p), _) => Some((escape_field(k), Some(p))),
            (None, Some(s)) => Some((k.clone(), s)),
            (None, None) if keep_unknown => Some((escape_field(k), None)),
            (None, None) => None,
        }
    };
    // An escaped name (`__namespace__`): the last key that escapes to it, as a map built
    // key by key keeps the last.
    m.iter().rev().find_map(|(k, v)| {
        key_of(k)
            .filter(|(cel, _)| cel == name)
            .map(|(_, n)| (v, n))
    })
}

fn eval<'a>(e: &'a IdedExpr, env: &mut Vec<(&'a str, V<'a>)>) -> Option<V<'a>> {
    match &e.expr {
        Expr::Literal(_) => literal(e),
        Expr::Ident(name) => env
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone()),
        Expr::Select(s) => {
            let V::Obj(m, node) = eval(&s.operand, env)? else {
                return None;
            };
            match field(m, node, &s.field) {
                Some(_) if s.test => Some(V::Bool(true)),
                None if s.test => Some(V::Bool(false)),
                Some((v, n)) => typed(v, n),
                // No such key: an error in CEL.
                None => None,
            }
        }
        Expr::Call(c) => call(&c.func_name, c.target.as_deref(), &c.args, env),
        Expr::Comprehension(c) => {
            if c.iter_var2.is_some() {
                return None;
            }
            let items = list_items(eval(&c.iter_range, env)?)?;
            let accu = eval(&c.accu_init, env)?;
            let depth = env.len();
            env.push((c.accu_var.as_str(), accu));
            let mut out = None;
            'run: {
                for item in items {
                    env.push((c.iter_var.as_str(), item));
                    let go = eval(&c.loop_cond, env);
                    let V::Bool(go) = go? else {
                        break 'run;
                    };
                    if !go {
                        env.pop();
                        break;
                    }
                    let Some(next) = eval(&c.loop_step, env) else {
                        break 'run;
                    };
                    env.pop();
                    env[depth].1 = next;
                }
                out = eval(&c.result, env);
            }
            env.truncate(depth);
            out
        }
        Expr::List(l) => l
            .elements
            .iter()
            .map(|x| eval(x, env))
            .collect::<Option<Vec<_>>>()
            .map(V::List),
        Expr::Map(_) | Expr::Struct(_) | Expr::Unspecified => None,
    }
}

/// The items of a list, typed as CEL sees them; `None` for anything that is not a list, or a
/// list with an item the fast path leaves to cel-rust.
fn list_items(v: V<'_>) -> Option<Vec<V<'_>>> {
    match v {
        V::List(items) => Some(items),
        V::Arr(items, node) => items.iter().map(|x| typed(x, node)).collect(),
        _ => None,
    }
}

/// The value of a literal the fast path handles; `None` for anything else.
fn literal(e: &IdedExpr) -> Option<V<'_>> {
    let Expr::Literal(l) = &e.expr else {
        return None;
    };
    match l {
        LiteralValue::Boolean(b) => Some(V::Bool(*b.inner())),
        LiteralValue::Int(i) => Some(V::Int(*i.inner())),
        LiteralValue::Double(d) => Some(V::Double(*d.inner())),
        LiteralValue::String(s) => Some(V::Str(s.inner())),
        LiteralValue::Null => Some(V::Null),
        LiteralValue::Bytes(_) | LiteralValue::UInt(_) => None,
    }
}

fn call<'a>(
    name: &str,
    target: Option<&'a IdedExpr>,
    args: &'a [IdedExpr],
    env: &mut Vec<(&'a str, V<'a>)>,
) -> Option<V<'a>> {
    match (name, target, args) {
        ("_&&_", None, [a, b]) => {
            let l = eval(a, env);
            if let Some(V::Bool(false)) = l {
                return Some(V::Bool(false));
            }
            match (l, eval(b, env)?) {
                (Some(V::Bool(true)), V::Bool(r)) => Some(V::Bool(r)),
                // An error and `false` is `false` in CEL.
                (_, V::Bool(false)) => Some(V::Bool(false)),
                _ => None,
            }
        }
        ("_||_", None, [a, b]) => {
            let l = eval(a, env);
            if let Some(V::Bool(true)) = l {
                return Some(V::Bool(true));
            }
            match (l, eval(b, env)?) {
                (Some(V::Bool(false)), V::Bool(r)) => Some(V::Bool(r)),
                (_, V::Bool(true)) => Some(V::Bool(true)),
                _ => None,
            }
        }
        ("!_", None, [a]) => match eval(a, env)? {
            V::Bool(b) => Some(V::Bool(!b)),
            _ => None,
        },
        ("@not_strictly_false", None, [a]) => match eval(a, env)? {
            V::Bool(b) => Some(V::Bool(b)),
            _ => None,
        },
        ("_?_:_", None, [c, t, f]) => match eval(c, env)? {
            V::Bool(true) => eval(t, env),
            V::Bool(false) => eval(f, env),
            _ => None,
        },
        ("_==_", None, [a, b]) => equal(&eval(a, env)?, &eval(b, env)?).map(V::Bool),
        ("_!=_", None, [a, b]) => equal(&eval(a, env)?, &eval(b, env)?).map(|x| V::Bool(!x)),
        ("@in", None, [a, b]) => {
            let x = eval(a, env)?;
            // A list of literals (`self.type in ['Exact', 'PathPrefix']`) is compared in
            // place rather than built: no element can fail, so stopping at the first equal
            // one answers the same.
            if let Expr::List(l) = &b.expr
                && l.optional_indices.is_empty()
                && l.elements.iter().all(|e| literal(e).is_some())
            {
                return any_equal(&x, l.elements.iter().filter_map(literal)).map(V::Bool);
            }
            any_equal(&x, list_items(eval(b, env)?)?).map(V::Bool)
        }
        ("_<_" | "_<=_" | "_>_" | "_>=_", None, [a, b]) => {
            let ord = match (eval(a, env)?, eval(b, env)?) {
                (V::Int(x), V::Int(y)) => x.cmp(&y),
                (V::Str(x), V::Str(y)) => x.cmp(y),
                (V::Double(x), V::Double(y)) => x.partial_cmp(&y)?,
                _ => return None,
            };
            Some(V::Bool(match name {
                "_<_" => ord.is_lt(),
                "_<=_" => ord.is_le(),
                "_>_" => ord.is_gt(),
                _ => ord.is_ge(),
            }))
        }
        ("_+_", None, [a, b]) => match (eval(a, env)?, eval(b, env)?) {
            (V::Int(x), V::Int(y)) => x.checked_add(y).map(V::Int),
            (V::List(mut x), V::List(y)) => {
                x.extend(y);
                Some(V::List(x))
            }
            _ => None,
        },
        ("_-_", None, [a, b]) => match (eval(a, env)?, eval(b, env)?) {
            (V::Int(x), V::Int(y)) => x.checked_sub(y).map(V::Int),
            _ => None,
        },
        ("_[_]", None, [a, i]) => match (eval(a, env)?, eval(i, env)?) {
            (V::Arr(items, node), V::Int(i)) => typed(items.get(usize::try_from(i).ok()?)?, node),
            (V::List(items), V::Int(i)) => items.into_iter().nth(usize::try_from(i).ok()?),
            (V::Obj(m, node), V::Str(k)) => {
                let (v, n) = field(m, node, k)?;
                typed(v, n)
            }
            _ => None,
        },
        // Kubernetes' list library: the sum of a list of integers (0 when empty) or of
        // doubles; anything else is left to cel-rust.
        ("sum", Some(x), []) => {
            let mut items = list_items(eval(x, env)?)?.into_iter();
            let Some(first) = items.next() else {
                return Some(V::Int(0));
            };
            items
                .try_fold(first, |acc, x| match (acc, x) {
                    (V::Int(a), V::Int(b)) => a.checked_add(b).map(V::Int),
                    (V::Double(a), V::Double(b)) => Some(V::Double(a + b)),
                    _ => None,
                })
                .filter(|s| matches!(s, V::Int(_) | V::Double(_)))
        }
        ("size", Some(x), []) | ("size", None, [x]) => {
            let n = match eval(x, env)? {
                V::Str(s) => s.chars().count(),
                V::Arr(items, _) => items.len(),
                V::List(items) => items.len(),
                _ => return None,
            };
            i64::try_from(n).ok().map(V::Int)
        }
        ("startsWith" | "endsWith" | "contains", Some(t), [a]) => {
            let (V::Str(s), V::Str(p)) = (eval(t, env)?, eval(a, env)?) else {
                return None;
            };
            Some(V::Bool(match name {
                "startsWith" => s.starts_with(p),
                "endsWith" => s.ends_with(p),
                _ => s.contains(p),
            }))
        }
        ("matches", Some(t), [a]) => {
            let (V::Str(s), V::Str(p)) = (eval(t, env)?, eval(a, env)?) else {
                return None;
            };
            super::regex_matches(s, p).ok().map(V::Bool)
        }
        _ => None,
    }
}

/// CEL equality where the fast path is sure of it: values of the same scalar type, and
/// null. Anything else (lists, maps, an int against a double) is left to cel-rust.
fn equal(a: &V<'_>, b: &V<'_>) -> Option<bool> {
    match (a, b) {
        (V::Null, V::Null) => Some(true),
        (V::Bool(x), V::Bool(y)) => Some(x == y),
        (V::Int(x), V::Int(y)) => Some(x == y),
        (V::Double(x), V::Double(y)) => Some(x == y),
        (V::Str(x), V::Str(y)) => Some(x == y),
        _ => None,
    }
}

fn any_equal<'a>(x: &V<'a>, items: impl IntoIterator<Item = V<'a>>) -> Option<bool> {
    for item in items {
        if equal(x, &item)? {
            return Some(true);
        }
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube_cel::cel::Program;
    use serde_json::json;

    /// With a schema that keeps every field, as `to_cel` does without one.
    fn pass(rule: &str, v: Value) -> bool {
        let p = Program::compile(rule).unwrap();
        let node = Node {
            preserve_unknown_fields: true,
            ..Node::default()
        };
        passes(p.expression(), &v, &node)
    }

    /// `sum()` (Kubernetes' list library) is what gwctl's cheaper total-matches rule of
    /// HTTPRoute and GRPCRoute runs (see `plans`); leaving it to cel-rust sent every route
    /// there.
    #[test]
    fn sums_lists_of_numbers() {
        let rules = json!([{"matches": [{}, {}]}, {"matches": [{}]}]);
        assert!(pass(
            "self.map(r, r.matches.size()).sum() == 3",
            rules.clone()
        ));
        assert!(pass(
            "self.map(r, has(r.matches) ? r.matches.size() : 0).sum() <= 128",
            rules
        ));
        assert!(pass("[].sum() == 0", json!({})));
        assert!(pass("[1.5, 2.5].sum() == 4.0", json!({})));
        // Not confirmed: strings, mixed numbers, an overflow.
        assert!(!pass("['a'].sum() == 'a'", json!({})));
        assert!(!pass("[1, 2.0].sum() == 3.0", json!({})));
        assert!(!pass("[9223372036854775807, 1].sum() > 0", json!({})));
    }

    /// Reserved words are found by the key they escape, without escaping every key; a list
    /// of literals after `in` is compared in place.
    #[test]
    fn reads_reserved_names_and_literal_lists() {
        let v = json!({"namespace": "a", "group": "", "kind": "Service"});
        assert!(pass(
            "has(self.__namespace__) && self.__namespace__ == 'a'",
            v.clone()
        ));
        assert!(pass("!has(self.__in__)", v.clone()));
        assert!(pass("self.kind in ['Gateway', 'Service']", v.clone()));
        assert!(pass("!(self.kind in ['Gateway'])", v.clone()));
        assert!(pass("!(self.kind in [])", v.clone()));
        // A list with an element the fast path cannot read is left to cel-rust.
        assert!(!pass("self.kind in ['Service', b'x']", v));
    }

    #[test]
    fn confirms_what_passes_and_leaves_the_rest() {
        let listeners = json!([
            {"name": "a", "protocol": "HTTP", "port": 80},
            {"name": "b", "protocol": "HTTPS", "port": 443, "tls": {"mode": "Terminate"}}
        ]);
        let rule = "self.all(l, l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has(l.tls) : true)";
        assert!(pass(rule, listeners.clone()));
        assert!(pass(
            "self.all(l1, self.exists_one(l2, l1.name == l2.name))",
            listeners.clone()
        ));
        assert!(pass(
            "self.filter(l, l.port > 100).size() == 1",
            listeners.clone()
        ));
        assert!(pass(
            "self.map(l, l.port).size() == 2 && self[1].tls.mode == 'Terminate'",
            listeners.clone()
        ));
        // False, errors and what the fast path does not follow: cel-rust decides.
        assert!(!pass("self.all(l, has(l.tls))", listeners.clone()));
        assert!(!pass("self[2].name == 'c'", listeners.clone()));
        assert!(!pass(
            "self[0].tls.mode == 'x' || true == false",
            listeners.clone()
        ));
        assert!(!pass("self[0].port == 80.0", listeners.clone()));
        assert!(!pass(
            "self.exists(l, l.name.lowerAscii() == 'a')",
            listeners
        ));
        // CEL's error absorption: `error || true` is true.
        assert!(pass("self.missing == 1 || true", json!({})));
        assert!(pass(
            "self.value.matches('^/') && self.value.startsWith('/a')",
            json!({"value": "/a/b"})
        ));
        assert!(pass("size(self.value) == 2", json!({"value": "é/"})));
    }
}
