//! JSON → YAML text: the writer that turns a value gwctl read as JSON (a live object) back
//! into a YAML document that this module's reader reads as exactly that JSON.
//!
//! Block style throughout; a string is written plain only when every YAML reader (1.1 and
//! 1.2 alike) takes it for a string, else double-quoted with JSON escapes; a multi-line
//! string (a PEM bundle) becomes a literal block when that reads back the same. So the
//! reader reports no finding on gwctl's own text.

use serde_json::{Map, Value};

/// Serialise `v` to YAML, in block style, quoting every string that a YAML 1.1 reader could
/// take for something else, so that reading the text back yields exactly `v` and no
/// [`Issue`](super::Issue).
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, m, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, m: &Map<String, Value>, level: usize) {
    for (k, v) in m {
        indent(out, level);
        out.push_str(&quote(k));
        out.push(':');
        write_value(out, v, level);
    }
}

/// The value after `key:` or `- `, with its own line break.
fn write_value(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, m, level + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            for item in a {
                indent(out, level);
                out.push('-');
                match item {
                    Value::Object(m) if !m.is_empty() => {
                        // `- key: value` with the rest of the mapping aligned under the key.
                        out.push(' ');
                        let mut first = true;
                        for (k, v) in m {
                            if !first {
                                indent(out, level + 2);
                            }
                            first = false;
                            out.push_str(&quote(k));
                            out.push(':');
                            write_value(out, v, level + 2);
                        }
                    }
                    Value::Array(a) if !a.is_empty() => {
                        write_value(out, item, level + 2);
                    }
                    other => {
                        out.push(' ');
                        write_scalar(out, other, level + 2);
                    }
                }
            }
        }
        other => {
            out.push(' ');
            write_scalar(out, other, level + 2);
        }
    }
}

fn write_scalar(out: &mut String, v: &Value, level: usize) {
    if let Some(block) = v.as_str().and_then(|s| literal_block(s, level)) {
        out.push_str(&block);
        return;
    }
    out.push_str(&scalar(v));
    out.push('\n');
}

/// A multi-line string (a PEM bundle) as a literal block, when that reads back the same.
fn literal_block(s: &str, level: usize) -> Option<String> {
    let body = s.strip_suffix('\n')?;
    if body.is_empty()
        || body.ends_with('\n')
        || body.starts_with([' ', '\t'])
        || body.lines().any(|l| {
            l.ends_with([' ', '\t', '\r']) || l.is_empty() || l.chars().any(char::is_control)
        })
    {
        return None;
    }
    let mut out = String::from("|\n");
    for line in body.lines() {
        indent(&mut out, level);
        out.push_str(line);
        out.push('\n');
    }
    Some(out)
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quote(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// A string as a plain scalar when it is unmistakably a string to every YAML reader, else
/// double-quoted with JSON escapes (a JSON string is a valid YAML double-quoted scalar).
fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "nan" | "inf"
        );
    if plain {
        s.to_owned()
    } else {
        Value::String(s.to_owned()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, parse_stream};
    use serde_json::json;

    /// The text read back: its one document's JSON, and the reader's issues.
    fn read_back(text: &str) -> (Value, usize) {
        let stream = parse_stream(text, &Limits::default());
        let root = stream.documents[0].root.as_ref().expect("a document");
        (root.to_json(), stream.issues.len())
    }

    #[test]
    fn strings_a_yaml_reader_could_misread_are_quoted() {
        let v = json!({"a": ["on", "No", "0755", "1_000", "1e3", "~", "", "null", "-x", "a b",
                             "x: y", "#c", "*a", "ok/fine.name-1"],
                       "yes": {"nested": [[], {}, [1, [2]], {"k": null}]},
                       "n": [true, 1.5, -3, null]});
        let text = to_yaml(&v);
        assert_eq!(read_back(&text), (v, 0), "{text}");
        // Only strings that every reader takes as strings stay plain.
        assert!(text.contains("- ok/fine.name-1\n"), "{text}");
        assert!(text.contains("- \"on\"\n"), "{text}");
    }

    #[test]
    fn pem_bundles_become_literal_blocks_when_they_read_back_the_same() {
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        let v = json!({"ca": pem, "odd": "a\n\n b \n", "list": [pem]});
        let text = to_yaml(&v);
        assert_eq!(read_back(&text), (v, 0), "{text}");
        assert!(text.starts_with("ca: |\n  -----BEGIN"), "{text}");
        assert!(text.contains("odd: \"a\\n\\n b \\n\""), "{text}");
    }

    #[test]
    fn a_value_that_is_not_a_mapping_is_one_scalar() {
        assert_eq!(to_yaml(&json!({})), "{}\n");
        assert_eq!(to_yaml(&json!("yes")), "\"yes\"\n");
        assert_eq!(to_yaml(&json!(7)), "7\n");
    }
}
