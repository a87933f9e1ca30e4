//! JSON values to CEL values, typed by the schema the way the API server types them.
//!
//! Owns [`to_cel`] and [`escape_field`]. Object fields are exposed under their escaped names
//! (`namespace` is `__namespace__`), map keys (`additionalProperties`) are not escaped,
//! fields the schema does not define are left out (the API server prunes or
//! rejects them before CEL runs), `type: number` is a double even when written as `1` and
//! `type: integer` an int even when written as `1.0`, and strings with `format: duration` or
//! `format: date-time` become CEL durations and timestamps. At the root, `metadata` holds
//! only `name` and `generateName`, as in the API server.

use std::collections::HashMap;
use std::sync::Arc;

use kube_cel::cel::Value as Cel;
use kube_cel::cel::objects::{Key, Map};
use serde_json::Value;

use crate::schema::{Additional, Node, SchemaType};

/// CEL's reserved words; a field with one of these names is reachable as `__word__`.
const RESERVED: &[&str] = &[
    "true",
    "false",
    "null",
    "in",
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

/// Whether CEL spells the field `name` otherwise than JSON does (see [`escape_field`]).
pub(crate) fn needs_escape(name: &str) -> bool {
    // Called for every field a rule reads: bytes, not string searches.
    let b = name.as_bytes();
    b.iter().any(|c| matches!(c, b'.' | b'-' | b'/'))
        || b.windows(2).any(|w| w == b"__")
        || (b.len() <= 9 && RESERVED.contains(&name))
}

/// Whether `word` is one of CEL's reserved words, which field names escape as `__word__`.
pub fn is_reserved(word: &str) -> bool {
    RESERVED.contains(&word)
}

/// The name a field has in CEL, as `k8s.io/apiserver/pkg/cel` escapes it: reserved words
/// become `__word__`; `__`, `.`, `-` and `/` become `__underscores__`, `__dot__`, `__dash__`
/// and `__slash__`. A single `_` stays as it is.
pub fn escape_field(name: &str) -> String {
    if RESERVED.contains(&name) {
        return format!("__{name}__");
    }
    if !needs_escape(name) {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len() + 16);
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("__") {
            out.push_str("__underscores__");
            rest = &rest[2..];
            continue;
        }
        match c {
            '.' => out.push_str("__dot__"),
            '-' => out.push_str("__dash__"),
            '/' => out.push_str("__slash__"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Converts the value at the root of an object.
pub fn root_to_cel(v: &Value, node: &Node) -> Cel {
    let Value::Object(m) = v else {
        return to_cel(v, Some(node));
    };
    let mut top = m.clone();
    if let Some(Value::Object(meta)) = m.get("metadata") {
        let kept = meta
            .iter()
            .filter(|(k, _)| *k == "name" || *k == "generateName")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        top.insert("metadata".to_string(), Value::Object(kept));
    }
    to_cel(&Value::Object(top), Some(node))
}

/// Converts `v`, typed by `node` when there is one (without a node, every field is kept).
pub fn to_cel(v: &Value, node: Option<&Node>) -> Cel {
    match v {
        Value::Null => Cel::Null,
        Value::Bool(b) => Cel::Bool(*b),
        Value::Number(n) => {
            let wants = node.and_then(|n| n.types);
            if wants == Some(SchemaType::Number) {
                return Cel::Float(n.as_f64().unwrap_or(f64::NAN));
            }
            if wants == Some(SchemaType::Integer)
                && let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            {
                // Schema validation accepts an integral `1.0` as an integer, and so does
                // the API server, which then stores and evaluates it as the int 1.
                return Cel::Int(f as i64);
            }
            if let Some(i) = n.as_i64() {
                Cel::Int(i)
            } else if let Some(u) = n.as_u64() {
                Cel::UInt(u)
            } else {
                Cel::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => string(s, node.and_then(|n| n.format.as_deref())),
        Value::Array(items) => {
            let item = node.and_then(|n| n.items.as_deref());
            Cel::List(Arc::new(items.iter().map(|i| to_cel(i, item)).collect()))
        }
        Value::Object(m) => {
            let additional = node.and_then(|n| match &n.additional_properties {
                Some(Additional::Schema(s)) => Some(Some(&**s)),
                Some(Additional::Allowed(true)) => Some(None),
                _ => None,
            });
            let keep_unknown = node.is_none_or(|n| n.preserve_unknown_fields);
            let mut out: HashMap<Key, Cel> = HashMap::with_capacity(m.len());
            for (k, child) in m {
                let declared = node.and_then(|n| n.properties.get(k));
                let (key, child_node) = match (declared, additional) {
                    (Some(p), _) => (escape_field(k), Some(p)),
                    // A map's keys are data, not field names: the API server does not escape them.
                    (None, Some(s)) => (k.clone(), s),
                    (None, None) if keep_unknown => (escape_field(k), None),
                    (None, None) => continue,
                };
                out.insert(Key::String(Arc::new(key)), to_cel(child, child_node));
            }
            Cel::Map(Map { map: Arc::new(out) })
        }
    }
}

fn string(s: &str, format: Option<&str>) -> Cel {
    let arc = Arc::new(s.to_string());
    let converted = match format {
        Some("duration") => kube_cel::cel::functions::duration(arc.clone()).ok(),
        Some("date-time") => kube_cel::cel::functions::timestamp(arc.clone()).ok(),
        _ => None,
    };
    // A string that does not parse stays a string; schema validation reports the format.
    converted.unwrap_or(Cel::String(arc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_api_server() {
        assert_eq!(escape_field("namespace"), "__namespace__");
        assert_eq!(escape_field("name"), "name");
        assert_eq!(escape_field("my_field"), "my_field");
        assert_eq!(escape_field("a__b"), "a__underscores__b");
        assert_eq!(escape_field("x-y.z/w"), "x__dash__y__dot__z__slash__w");
    }

    #[test]
    fn numbers_follow_the_schema_type() {
        let mut n = Node::default();
        assert_eq!(to_cel(&serde_json::json!(3), Some(&n)), Cel::Int(3));
        n.types = Some(SchemaType::Number);
        assert_eq!(to_cel(&serde_json::json!(3), Some(&n)), Cel::Float(3.0));
        n.types = Some(SchemaType::Integer);
        assert_eq!(to_cel(&serde_json::json!(3.0), Some(&n)), Cel::Int(3));
    }

    #[test]
    fn drops_fields_the_schema_does_not_define() {
        let mut n = Node::default();
        n.properties.insert("y".into(), Node::default());
        let v = serde_json::json!({"y": 1, "typo": 2});
        let Cel::Map(m) = to_cel(&v, Some(&n)) else {
            panic!()
        };
        assert_eq!(m.map.len(), 1);
    }
}
