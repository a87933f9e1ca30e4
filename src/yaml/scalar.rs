//! How a YAML scalar becomes a JSON value, the way Kubernetes reads it.
//!
//! `kubectl` and the API server turn YAML into JSON with `sigs.k8s.io/yaml`, which decodes with
//! go-yaml v2: a YAML 1.1 reader. So `on`, `yes` and `n` are booleans, `0777` is octal 511,
//! `0b101` is binary and `1_000` is 1000, although YAML 1.2 (and most editors and other
//! tools) read all of those as strings or decimals. gwctl reproduces go-yaml v2 so that it
//! sees the values the cluster will see, and reports every plain scalar on which the two
//! readings differ, because such a value is almost always a surprise to whoever wrote it.
//!
//! Floats with an integral value become JSON integers, as Go's `encoding/json` prints
//! `float64(80)` as `80`; this is why `port: 80.0` is accepted by the API server.

use serde_json::{Number, Value};

use granit_parser::ScalarStyle;

/// The JSON value of a scalar, and, for plain scalars, how YAML 1.2 would have read it
/// differently (if it would).
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub value: Value,
    /// Set when YAML 1.2's core schema reads the same text differently.
    pub yaml12_differs: Option<String>,
}

const YAML11_TRUE: &[&str] = &["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"];
const YAML11_FALSE: &[&str] = &["n", "N", "no", "No", "NO", "off", "Off", "OFF"];
const TRUE: &[&str] = &["true", "True", "TRUE"];
const FALSE: &[&str] = &["false", "False", "FALSE"];
const NULL: &[&str] = &["", "~", "null", "Null", "NULL"];

/// Resolve a scalar by its style and explicit core tag (`!!str`, `!!int`, ...), if any.
pub fn resolve(text: &str, style: ScalarStyle, core_tag: Option<&str>) -> Resolved {
    match core_tag {
        Some("str") => return plain_string(text),
        Some("null") => return no_diff(Value::Null),
        Some("bool") | Some("int") | Some("float") => {
            // An explicit tag forces the type; if the text does not parse as that type,
            // go-yaml fails, and the closest faithful reading is the text itself.
            let r = resolve_plain(text);
            let matches = matches!(
                (core_tag, &r.value),
                (Some("bool"), Value::Bool(_)) | (Some("int" | "float"), Value::Number(_))
            );
            return if matches { r } else { plain_string(text) };
        }
        _ => {}
    }
    match style {
        ScalarStyle::Plain => resolve_plain(text),
        _ => plain_string(text),
    }
}

fn no_diff(value: Value) -> Resolved {
    Resolved {
        value,
        yaml12_differs: None,
    }
}

fn plain_string(text: &str) -> Resolved {
    no_diff(Value::String(text.to_owned()))
}

/// go-yaml v2's `resolve` for an untagged plain scalar.
pub fn resolve_plain(text: &str) -> Resolved {
    if NULL.contains(&text) {
        return no_diff(Value::Null);
    }
    if TRUE.contains(&text) {
        return no_diff(Value::Bool(true));
    }
    if FALSE.contains(&text) {
        return no_diff(Value::Bool(false));
    }
    if YAML11_TRUE.contains(&text) {
        return Resolved {
            value: Value::Bool(true),
            yaml12_differs: Some("a string".into()),
        };
    }
    if YAML11_FALSE.contains(&text) {
        return Resolved {
            value: Value::Bool(false),
            yaml12_differs: Some("a string".into()),
        };
    }
    if NonFinite::spelled(text).is_some() {
        // JSON has no infinities or NaN; sigs.k8s.io/yaml fails on them (see
        // [`non_finite`], which the reader reports). Keep the text, so that the schema
        // reports a type error at the right place instead of guessing.
        return plain_string(text);
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return plain_string(text);
    }
    if let Some(r) = resolve_int(text) {
        return r;
    }
    if let Some(f) = parse_go_yaml_float(text) {
        return no_diff(float_value(f));
    }
    plain_string(text)
}

/// A float that JSON cannot hold: what go-yaml v2 reads `.inf`, `-.inf` or `.nan` as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonFinite {
    PosInf,
    NegInf,
    NaN,
}

impl NonFinite {
    /// go-yaml v2's spellings (YAML 1.1's): `.inf`, `.Inf`, `.INF`, each also with `+` or
    /// `-`, and `.nan`, `.NaN`, `.NAN`.
    fn spelled(text: &str) -> Option<NonFinite> {
        let (sign, rest) = match text.as_bytes().first() {
            Some(b'+') => (Some(false), &text[1..]),
            Some(b'-') => (Some(true), &text[1..]),
            _ => (None, text),
        };
        match (sign, rest) {
            (Some(true), ".inf" | ".Inf" | ".INF") => Some(NonFinite::NegInf),
            (_, ".inf" | ".Inf" | ".INF") => Some(NonFinite::PosInf),
            (None, ".nan" | ".NaN" | ".NAN") => Some(NonFinite::NaN),
            _ => None,
        }
    }

    /// As Go prints the value, and as Kubernetes' error quotes it (`unsupported value: +Inf`).
    pub fn go_name(self) -> &'static str {
        match self {
            NonFinite::PosInf => "+Inf",
            NonFinite::NegInf => "-Inf",
            NonFinite::NaN => "NaN",
        }
    }

    /// The text sigs.k8s.io/yaml makes of it as a mapping key (keys become strings, so
    /// a key is no error): `.inf`, `-.inf`, `.nan`.
    pub fn key_text(self) -> &'static str {
        match self {
            NonFinite::PosInf => ".inf",
            NonFinite::NegInf => "-.inf",
            NonFinite::NaN => ".nan",
        }
    }
}

/// Whether go-yaml v2 reads this scalar as an infinite or NaN float: an untagged plain
/// scalar, or any scalar tagged `!!float`, spelled as YAML 1.1 spells them. As a value, such
/// a float makes sigs.k8s.io/yaml's conversion to JSON fail, so kubectl and the API server
/// refuse the whole document ("json: unsupported value: +Inf"); a quoted `'.inf'` is a
/// string.
pub fn non_finite(text: &str, style: ScalarStyle, core_tag: Option<&str>) -> Option<NonFinite> {
    match core_tag {
        Some("float") => NonFinite::spelled(text),
        None if style == ScalarStyle::Plain => NonFinite::spelled(text),
        _ => None,
    }
}

/// Integers as go-yaml v2 reads them: underscores removed, then Go's `ParseInt(s, 0, 64)`
/// (decimal, `0x`, `0o`, a leading `0` for octal, `0b`), falling back to unsigned, then float.
fn resolve_int(text: &str) -> Option<Resolved> {
    let cleaned: String = text.chars().filter(|&c| c != '_').collect();
    let (neg, body) = match cleaned.as_bytes().first()? {
        b'-' => (true, &cleaned[1..]),
        b'+' => (false, &cleaned[1..]),
        _ => (false, &cleaned[..]),
    };
    if body.is_empty() {
        return None;
    }
    let (radix, digits, kind) =
        if let Some(d) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, d, Kind::Hex)
        } else if let Some(d) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, d, Kind::Binary)
        } else if let Some(d) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, d, Kind::OctalO)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..], Kind::OctalZero)
        } else {
            (10, body, Kind::Decimal)
        };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok()?;
    let value = if neg {
        let m = i128::try_from(magnitude).ok()?;
        match i64::try_from(-m) {
            Ok(v) => Value::Number(v.into()),
            Err(_) => float_value(-(magnitude as f64)),
        }
    } else if let Ok(v) = i64::try_from(magnitude) {
        Value::Number(v.into())
    } else if let Ok(v) = u64::try_from(magnitude) {
        Value::Number(v.into())
    } else {
        float_value(magnitude as f64)
    };
    let underscores = text.contains('_');
    let yaml12_differs = match kind {
        Kind::OctalZero => {
            let decimal = digits.trim_start_matches('0');
            let decimal = if decimal.is_empty() { "0" } else { decimal };
            Some(format!(
                "the number {}{decimal}",
                if neg { "-" } else { "" }
            ))
        }
        Kind::Binary => Some("a string".into()),
        _ if underscores => Some("a string".into()),
        _ => None,
    };
    Some(Resolved {
        value,
        yaml12_differs,
    })
}

enum Kind {
    Decimal,
    Hex,
    Binary,
    OctalO,
    OctalZero,
}

/// go-yaml v2's float form: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, after
/// removing underscores.
fn parse_go_yaml_float(text: &str) -> Option<f64> {
    let s: String = text.chars().filter(|&c| c != '_').collect();
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if int_digits == 0 && i == frac_start {
            return None;
        }
    } else if int_digits == 0 {
        return None;
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        i += 1;
        if i < b.len() && matches!(b[i], b'-' | b'+') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// A float as Go's `encoding/json` would print it and the API server read it back: integral
/// values below 1e21 become integers.
fn float_value(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        if f >= i64::MIN as f64 && f < i64::MAX as f64 {
            return Value::Number((f as i64).into());
        }
        if f >= 0.0 && f < u64::MAX as f64 {
            return Value::Number((f as u64).into());
        }
    }
    Number::from_f64(f)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v(s: &str) -> Value {
        resolve_plain(s).value
    }

    #[test]
    fn yaml11_booleans_are_booleans_and_flagged() {
        for t in ["yes", "Yes", "on", "ON", "y", "Y"] {
            let r = resolve_plain(t);
            assert_eq!(r.value, json!(true), "{t}");
            assert!(r.yaml12_differs.is_some(), "{t}");
        }
        for t in ["no", "off", "N"] {
            assert_eq!(v(t), json!(false), "{t}");
        }
        assert_eq!(resolve_plain("true").yaml12_differs, None);
        assert_eq!(v("True"), json!(true));
    }

    #[test]
    fn numbers_follow_go_yaml_v2() {
        assert_eq!(v("0777"), json!(511));
        assert!(resolve_plain("0777").yaml12_differs.is_some());
        assert_eq!(v("0o17"), json!(15));
        assert_eq!(v("0x1F"), json!(31));
        assert_eq!(v("0b101"), json!(5));
        assert_eq!(v("1_000"), json!(1000));
        assert!(resolve_plain("1_000").yaml12_differs.is_some());
        assert_eq!(v("-42"), json!(-42));
        assert_eq!(v("+7"), json!(7));
        assert_eq!(v("80.0"), json!(80));
        assert_eq!(v("1e3"), json!(1000));
        assert_eq!(v("1.5"), json!(1.5));
        assert_eq!(v("18446744073709551615"), json!(18446744073709551615u64));
        assert_eq!(resolve_plain("80").yaml12_differs, None);
        assert_eq!(resolve_plain("0").value, json!(0));
    }

    #[test]
    fn strings_nulls_and_tags() {
        assert_eq!(v("~"), Value::Null);
        assert_eq!(v(""), Value::Null);
        assert_eq!(v("2001-12-14"), json!("2001-12-14"));
        assert_eq!(v("1:20"), json!("1:20"));
        assert_eq!(v(".inf"), json!(".inf"));
        let nf = |t: &str, style, tag| non_finite(t, style, tag).map(NonFinite::go_name);
        for t in [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"] {
            assert_eq!(nf(t, ScalarStyle::Plain, None), Some("+Inf"), "{t}");
        }
        for t in ["-.inf", "-.Inf", "-.INF"] {
            assert_eq!(nf(t, ScalarStyle::Plain, None), Some("-Inf"), "{t}");
        }
        for t in [".nan", ".NaN", ".NAN"] {
            assert_eq!(nf(t, ScalarStyle::Plain, None), Some("NaN"), "{t}");
        }
        for t in [
            ".iNf", "inf", "+.nan", "-.nan", ".Nan", "..inf", ".inf ", "1.inf", "nan",
        ] {
            assert_eq!(nf(t, ScalarStyle::Plain, None), None, "{t}");
        }
        assert_eq!(nf(".inf", ScalarStyle::SingleQuoted, None), None);
        assert_eq!(nf(".inf", ScalarStyle::Plain, Some("str")), None);
        assert_eq!(
            nf(".nan", ScalarStyle::DoubleQuoted, Some("float")),
            Some("NaN")
        );
        // Not valid octal, so go-yaml falls back to reading it as the float 8.
        assert_eq!(v("08"), json!(8));
        assert_eq!(
            resolve("yes", ScalarStyle::DoubleQuoted, None).value,
            json!("yes")
        );
        assert_eq!(
            resolve("80", ScalarStyle::Plain, Some("str")).value,
            json!("80")
        );
        assert_eq!(
            resolve("80", ScalarStyle::SingleQuoted, Some("int")).value,
            json!(80)
        );
    }
}
