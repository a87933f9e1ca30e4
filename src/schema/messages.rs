//! Wording shared by the validator's messages.
//!
//! Owns how values, types and patterns are named in findings: a user's value is quoted as
//! JSON (long strings shortened), types are named as a YAML author thinks of them ("a
//! mapping", "a list"), and the patterns the bundled schemas use are said in words.

use serde_json::Value;

use super::node::SchemaType;

/// Longest string quoted in full; longer ones are cut, keeping the message readable.
const MAX_QUOTED_CHARS: usize = 64;

/// A user's value as a message quotes it: `"text"`, `80`, `true`, `null`, or "a mapping" /
/// "a list" for containers.
pub fn quote(v: &Value) -> String {
    match v {
        Value::String(s) => quote_str(s),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Object(_) => "a mapping".into(),
        Value::Array(_) => "a list".into(),
    }
}

pub fn quote_str(s: &str) -> String {
    if s.chars().count() > MAX_QUOTED_CHARS {
        let cut: String = s.chars().take(MAX_QUOTED_CHARS - 4).collect();
        let q = serde_json::to_string(&cut).unwrap_or_default();
        format!("{}…\"", &q[..q.len() - 1])
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// "the string \"80\"", "the integer 80", "a mapping": what was found where something else
/// was expected.
pub fn found(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) if n.is_f64() => format!("the number {n}"),
        Value::Number(n) => format!("the integer {n}"),
        Value::String(s) => format!("the string {}", quote_str(s)),
        Value::Object(_) => "a mapping".into(),
        Value::Array(_) => "a list".into(),
    }
}

pub fn type_name(t: SchemaType) -> &'static str {
    match t {
        SchemaType::Object => "a mapping",
        SchemaType::Array => "a list",
        SchemaType::String => "a string",
        SchemaType::Integer => "an integer",
        SchemaType::Number => "a number",
        SchemaType::Boolean => "a boolean (true or false)",
    }
}

/// `"A", "B" or "C"`.
pub fn one_of_values(values: &[Value]) -> String {
    let quoted: Vec<String> = values.iter().map(quote).collect();
    match quoted.as_slice() {
        [] => "nothing".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A bound as written in a schema: integers without a fraction.
pub fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// The bundled schemas' patterns, said in words. Keyed by the exact pattern text.
const PATTERN_WORDS: &[(&str, &str)] = &[
    (
        r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        "an API group: empty for the core group, or a lower-case DNS subdomain such as \"example.com\"",
    ),
    (
        r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$",
        "a kind: letters, digits and '-', starting with a letter and ending with a letter or digit",
    ),
    (
        r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
        "a namespace name: lower-case letters, digits and '-', starting and ending with a letter or digit",
    ),
    (
        r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        "a lower-case DNS subdomain such as \"example.com\": letters, digits, '-' and '.'",
    ),
    (
        r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        "a lower-case DNS name such as \"example.com\", optionally starting with \"*.\"",
    ),
    (
        r"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$",
        "an HTTP header name: letters, digits and !#$%&'*+-.^_`|~",
    ),
    (
        r"^([0-9]{1,5}(h|m|s|ms)){1,4}$",
        "a duration such as \"10s\", \"1h30m\" or \"500ms\": one to four numbers of up to 5 digits, each followed by h, m, s or ms",
    ),
    (
        r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$",
        "a controller name of the form \"example.com/path\"",
    ),
    (
        r"^Hostname|IPAddress|NamedAddress|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$",
        "IPAddress, Hostname, NamedAddress, or a domain-prefixed type such as \"example.com/custom\"",
    ),
    (
        r"^[a-zA-Z0-9]([-a-zSA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$",
        "a protocol such as HTTP, HTTPS, TLS, TCP or UDP, or a domain-prefixed one such as \"example.com/proto\"",
    ),
    (
        r"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
        "a condition reason in CamelCase: letters, digits, '_', ',' and ':'",
    ),
    (
        r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
        "a condition type such as \"Ready\" or \"example.com/Ready\"",
    ),
];

/// What a pattern expects: words for the patterns gwctl knows, the pattern itself otherwise.
pub fn pattern_expectation(source: &str) -> String {
    PATTERN_WORDS
        .iter()
        .find(|(p, _)| *p == source)
        .map(|(_, words)| (*words).to_string())
        .unwrap_or_else(|| format!("a value matching the pattern {source}"))
}

/// Edit distance, for "did you mean" on unknown fields.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The known name a mistyped one most likely meant: same letters in another case, or at
/// most two edits away (and fewer than half its length).
pub fn suggest<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    if unknown.len() > 64 {
        return None;
    }
    let lower = unknown.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for k in known {
        let d = if k.to_lowercase() == lower {
            0
        } else {
            distance(&lower, &k.to_lowercase())
        };
        if d <= 2 && d * 2 < unknown.chars().count().max(2) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

/// The one known name within [`suggest`]'s reach of `unknown`, with its distance (0 for a
/// difference of case alone); `None` when none or several are, as then gwctl cannot tell
/// which was meant.
pub fn unique_suggestion<'a>(
    unknown: &str,
    known: impl Iterator<Item = &'a str>,
) -> Option<(&'a str, usize)> {
    if unknown.len() > 64 {
        return None;
    }
    let lower = unknown.to_lowercase();
    let mut fits = known.filter_map(|k| {
        let d = distance(&lower, &k.to_lowercase());
        (d <= 2 && d * 2 < unknown.chars().count().max(2)).then_some((k, d))
    });
    match (fits.next(), fits.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// "listener" for a list at `…listeners`: the noun for one entry of a list, from the list's
/// field name, for messages about list entries.
pub fn entry_noun(list_field: Option<&str>) -> String {
    match list_field {
        Some(f) if f.ends_with("ies") && f.len() > 3 => format!("{}y", &f[..f.len() - 3]),
        Some(f) if f.ends_with('s') && f.len() > 1 && !f.ends_with("ss") => {
            f[..f.len() - 1].to_string()
        }
        _ => "entry".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quotes_and_names() {
        assert_eq!(quote(&json!("a\"b")), r#""a\"b""#);
        assert_eq!(quote(&json!(80)), "80");
        let long = "x".repeat(200);
        assert!(quote(&json!(long)).ends_with("…\""));
        assert_eq!(found(&json!("80")), "the string \"80\"");
        assert_eq!(
            one_of_values(&[json!("A"), json!("B"), json!("C")]),
            r#""A", "B" or "C""#
        );
        assert_eq!(number(65535.0), "65535");
        assert_eq!(entry_noun(Some("listeners")), "listener");
        assert_eq!(entry_noun(Some("policies")), "policy");
        assert_eq!(entry_noun(Some("add")), "entry");
    }

    #[test]
    fn suggests_close_names_only() {
        let known = ["hostname", "port", "protocol", "name"];
        assert_eq!(suggest("hostName", known.iter().copied()), Some("hostname"));
        assert_eq!(suggest("protocl", known.iter().copied()), Some("protocol"));
        assert_eq!(suggest("zzz", known.iter().copied()), None);
        assert_eq!(suggest("a", known.iter().copied()), None);
        assert_eq!(
            unique_suggestion("hostName", known.iter().copied()),
            Some(("hostname", 0))
        );
        assert_eq!(
            unique_suggestion("protocl", known.iter().copied()),
            Some(("protocol", 1))
        );
        // Two candidates within reach: gwctl cannot tell which was meant.
        assert_eq!(
            unique_suggestion("pame", ["name", "pane"].into_iter()),
            None
        );
    }
}
