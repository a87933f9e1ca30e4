//! Which list entry a failed list rule is about.
//!
//! A rule placed on a list (unique listener names, unique parentRefs, one filter of each
//! type) only says "false" about the whole list. For the Gateway API rules of those shapes,
//! [`Shape::of`] recognises the expression and [`Shape::locate`] finds the offending entry
//! and the entry it clashes with, so the finding can point at the element and name the
//! other one. Rules that test each item on its own (`self.all(l, ...)` over listeners) are
//! placed by [`all_body`] and [`item_field`]: the caller evaluates the rule on each item
//! alone to find the one that fails. The verdict itself always comes from CEL; this only
//! places it.

use serde_json::Value;

/// Upstream expressions (Gateway API v1.1.0) whose verdict is about a pair of list entries.
const R01: &str = "self.all(a1, a1.type == 'IPAddress' ? self.exists_one(a2, a2.type == a1.type && a2.value == a1.value) : true )";
const R02: &str = "self.all(a1, a1.type == 'Hostname' ? self.exists_one(a2, a2.type == a1.type && a2.value == a1.value) : true )";
const R07: &str = "self.all(l1, self.exists_one(l2, l1.name == l2.name))";
const R08: &str = "self.all(l1, self.exists_one(l2, l1.port == l2.port && l1.protocol == l2.protocol && (has(l1.hostname) && has(l2.hostname) ? l1.hostname == l2.hostname : !has(l1.hostname) && !has(l2.hostname))))";
const R11: &str = "self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__)) ? ((!has(p1.sectionName) || p1.sectionName == '') == (!has(p2.sectionName) || p2.sectionName == '') && (!has(p1.port) || p1.port == 0) == (!has(p2.port) || p2.port == 0)): true))";
const R12: &str = "self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) && (((!has(p1.sectionName) || p1.sectionName == '') && (!has(p2.sectionName) || p2.sectionName == '')) || ( has(p1.sectionName) && has(p2.sectionName) && p1.sectionName == p2.sectionName)) && (((!has(p1.port) || p1.port == 0) && (!has(p2.port) || p2.port == 0)) || (has(p1.port) && has(p2.port) && p1.port == p2.port))))";
const R58: &str = "self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) ? ((!has(p1.sectionName) || p1.sectionName == '') == (!has(p2.sectionName) || p2.sectionName == '')) : true))";
const R59: &str = "self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) && (((!has(p1.sectionName) || p1.sectionName == '') && (!has(p2.sectionName) || p2.sectionName == '')) || (has(p1.sectionName) && has(p2.sectionName) && p1.sectionName == p2.sectionName))))";
const R20: &str = "self.filter(f, f.type == 'RequestHeaderModifier').size() <= 1";
const R21: &str = "self.filter(f, f.type == 'ResponseHeaderModifier').size() <= 1";
const R22: &str = "self.filter(f, f.type == 'RequestRedirect').size() <= 1";
const R23: &str = "self.filter(f, f.type == 'URLRewrite').size() <= 1";

/// Every expression above, for the test that checks they still match the bundled schemas.
#[cfg(test)]
pub(crate) const KNOWN: &[&str] = &[R01, R02, R07, R08, R11, R12, R58, R59, R20, R21, R22, R23];

/// The known list-rule shapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Two addresses of this type with the same value (R01, R02).
    UniqueAddress(&'static str),
    /// Two listeners with the same name (R07).
    UniqueListenerName,
    /// Two listeners with the same port, protocol and hostname (R08).
    UniqueListenerEndpoint,
    /// Two parentRefs to the same parent that do not differ in sectionName (and, when
    /// `port` is true, port) (R12, R59).
    UniqueParent { port: bool },
    /// Two parentRefs to the same parent where one sets sectionName (or port) and the other
    /// does not (R11, R58).
    ConsistentParent { port: bool },
    /// A second filter of this type (R20–R23).
    RepeatedFilter(&'static str),
}

/// Whitespace does not change an expression's meaning; compare without it.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

impl Shape {
    pub fn of(rule: &str) -> Option<Shape> {
        let r = squash(rule);
        let table: [(&str, Shape); 12] = [
            (R01, Shape::UniqueAddress("IPAddress")),
            (R02, Shape::UniqueAddress("Hostname")),
            (R07, Shape::UniqueListenerName),
            (R08, Shape::UniqueListenerEndpoint),
            (R11, Shape::ConsistentParent { port: true }),
            (R12, Shape::UniqueParent { port: true }),
            (R58, Shape::ConsistentParent { port: false }),
            (R59, Shape::UniqueParent { port: false }),
            (R20, Shape::RepeatedFilter("RequestHeaderModifier")),
            (R21, Shape::RepeatedFilter("ResponseHeaderModifier")),
            (R22, Shape::RepeatedFilter("RequestRedirect")),
            (R23, Shape::RepeatedFilter("URLRewrite")),
        ];
        table
            .into_iter()
            .find(|(text, _)| squash(text) == r)
            .map(|(_, s)| s)
    }

    /// `(offending, other)` indexes into `list`: the later entry of the first clashing pair
    /// and the earlier one. `None` when no pair is found (the caller then reports the list).
    pub fn locate(self, list: &Value) -> Option<(usize, usize)> {
        let items = list.as_array()?;
        let pair = |same: &dyn Fn(&Value, &Value) -> bool| {
            (1..items.len())
                .find_map(|j| (0..j).find(|&i| same(&items[i], &items[j])).map(|i| (j, i)))
        };
        match self {
            Shape::UniqueAddress(t) => pair(&|a, b| {
                str_of(a, "type") == Some(t)
                    && str_of(b, "type") == Some(t)
                    && a.get("value").is_some()
                    && a.get("value") == b.get("value")
            }),
            Shape::UniqueListenerName => {
                pair(&|a, b| a.get("name").is_some() && a.get("name") == b.get("name"))
            }
            Shape::UniqueListenerEndpoint => pair(&|a, b| {
                a.get("port") == b.get("port")
                    && a.get("protocol") == b.get("protocol")
                    && a.get("hostname") == b.get("hostname")
            }),
            Shape::UniqueParent { port } => pair(&|a, b| {
                same_parent(a, b)
                    && or_empty(a, "sectionName") == or_empty(b, "sectionName")
                    && (!port || port_or_zero(a) == port_or_zero(b))
            }),
            Shape::ConsistentParent { port } => pair(&|a, b| {
                same_parent(a, b)
                    && (or_empty(a, "sectionName").is_empty()
                        != or_empty(b, "sectionName").is_empty()
                        || (port && (port_or_zero(a) == 0) != (port_or_zero(b) == 0)))
            }),
            Shape::RepeatedFilter(t) => {
                pair(&|a, b| str_of(a, "type") == Some(t) && str_of(b, "type") == Some(t))
            }
        }
    }

    /// How the related (earlier) entry `other` is labelled.
    pub fn related_label(self, other: &Value) -> String {
        let q = |key: &str| match other.get(key) {
            Some(Value::String(s)) => format!("{s:?}"),
            Some(v) => v.to_string(),
            None => "unset".to_string(),
        };
        match self {
            Shape::UniqueAddress(t) => format!("first {t} address {}", q("value")),
            Shape::UniqueListenerName => format!("first listener named {}", q("name")),
            Shape::UniqueListenerEndpoint => format!(
                "first listener on port {} with protocol {} and hostname {}",
                q("port"),
                q("protocol"),
                q("hostname")
            ),
            Shape::UniqueParent { .. } | Shape::ConsistentParent { .. } => {
                let kind = other
                    .get("kind")
                    .and_then(Value::as_str)
                    .unwrap_or("parent");
                format!("first reference to {kind} {}", q("name"))
            }
            Shape::RepeatedFilter(t) => format!("first {t} filter"),
        }
    }
}

/// `(x, P)` of a rule written `self.all(x, P)` where `P` does not read `self`: a rule that
/// holds for the list exactly when `P` holds for each item, so the item that breaks it can
/// be found by evaluating the rule on that item alone.
pub fn all_body(rule: &str) -> Option<(&str, &str)> {
    let inner = rule.trim().strip_prefix("self.all(")?.strip_suffix(')')?;
    let (var, body) = inner.split_once(',')?;
    let var = var.trim();
    let ident = |w: &str| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    // The parentheses of `self.all(...)` must be the outer ones: `self.all(a, x).f(b)` ends
    // in `)` too.
    let mut depth = 0i32;
    for c in inner.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        if depth < 0 {
            return None;
        }
    }
    (ident(var) && depth == 0 && !identifiers(body).any(|w| w == "self")).then_some((var, body))
}

/// The field of `item` that `body` (a rule's per-item condition over `var`) tests: of the
/// fields read after the condition's `?` (`l.protocol == 'HTTPS' ? l.tls.mode == ... : true`
/// tests `tls.mode`), the deepest one the item sets. `None` when it sets none of them (a
/// required field is missing): then the item itself is the place.
pub fn item_field(var: &str, body: &str, item: &Value) -> Option<Vec<String>> {
    let tested = body.split_once('?').map_or(body, |(_, then)| then);
    let mut best: Option<Vec<String>> = None;
    let mut rest = tested;
    while let Some(at) = find_word(rest, var) {
        let after = &rest[at + var.len()..];
        let mut path = Vec::new();
        let mut tail = after;
        while let Some(next) = tail.strip_prefix('.') {
            let len = next
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(next.len());
            if len == 0 {
                break;
            }
            path.push(next[..len].to_owned());
            tail = &next[len..];
        }
        let set = path
            .iter()
            .try_fold(item, |v, k| v.get(k.as_str()))
            .is_some();
        if set && !path.is_empty() && best.as_ref().is_none_or(|b| b.len() < path.len()) {
            best = Some(path);
        }
        rest = after;
    }
    best
}

/// The byte offset of `word` in `s` as a whole identifier (not part of a longer one).
fn find_word(s: &str, word: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = s[from..].find(word) {
        let at = from + i;
        let before = s[..at].chars().next_back();
        let after = s[at + word.len()..].chars().next();
        // `x.f` after a `.` is a field named like the variable, not the variable.
        if !before.is_some_and(|c| is_ident(c) || c == '.') && !after.is_some_and(is_ident) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// The identifiers of an expression, outside string literals.
fn identifiers(s: &str) -> impl Iterator<Item = &str> {
    let mut quote: Option<char> = None;
    let mut start: Option<usize> = None;
    let mut words = Vec::new();
    for (i, c) in s.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        let ident = c.is_ascii_alphanumeric() || c == '_';
        match (ident, start) {
            (true, None) => start = Some(i),
            (false, Some(b)) => {
                words.push(&s[b..i]);
                start = None;
            }
            _ => {}
        }
        if c == '\'' || c == '"' {
            quote = Some(c);
        }
    }
    if let Some(b) = start {
        words.push(&s[b..]);
    }
    words.into_iter()
}

fn str_of<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

/// `''` and unset mean the same to R11, R12, R58 and R59.
fn or_empty<'v>(v: &'v Value, key: &str) -> &'v str {
    str_of(v, key).unwrap_or("")
}

fn port_or_zero(v: &Value) -> i64 {
    v.get("port").and_then(Value::as_i64).unwrap_or(0)
}

fn same_parent(a: &Value, b: &Value) -> bool {
    a.get("group") == b.get("group")
        && a.get("kind") == b.get("kind")
        && a.get("name") == b.get("name")
        && or_empty(a, "namespace") == or_empty(b, "namespace")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recognises_shapes_whatever_the_spacing() {
        assert_eq!(
            Shape::of("self.all(l1,self.exists_one(l2, l1.name ==  l2.name))"),
            Some(Shape::UniqueListenerName)
        );
        assert_eq!(Shape::of("self.size() > 0"), None);
    }

    #[test]
    fn per_item_rules_name_the_field_they_test() {
        let tls = "self.all(l, l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has(l.tls) : true)";
        let (var, body) = all_body(tls).unwrap();
        assert_eq!(var, "l");
        let item = json!({"name": "web", "protocol": "HTTP", "tls": {"mode": "Terminate"}});
        assert_eq!(item_field(var, body, &item), Some(vec!["tls".to_owned()]));
        let mode = "self.all(l, (l.protocol == 'HTTPS' && has(l.tls)) ? (l.tls.mode == '' || l.tls.mode == 'Terminate') : true)";
        let (var, body) = all_body(mode).unwrap();
        assert_eq!(
            item_field(var, body, &item),
            Some(vec!["tls".to_owned(), "mode".to_owned()])
        );
        // A field the item does not set is no place to point at.
        assert_eq!(item_field(var, body, &json!({"protocol": "HTTPS"})), None);
        // Rules that compare items with each other, or are not `self.all`, are not per item.
        assert_eq!(all_body(R07), None);
        assert_eq!(all_body("self.size() > 0"), None);
        assert_eq!(all_body("self.all(l, l.x).size() > 0"), None);
        assert!(all_body("self.all(l, l.name != 'self')").is_some());
    }

    #[test]
    fn finds_the_later_duplicate() {
        let l = json!([{"name": "a"}, {"name": "b"}, {"name": "a"}]);
        assert_eq!(Shape::UniqueListenerName.locate(&l), Some((2, 0)));
        let p = json!([
            {"group": "g", "kind": "Gateway", "name": "x", "sectionName": "a"},
            {"group": "g", "kind": "Gateway", "name": "x"}
        ]);
        assert_eq!(
            Shape::ConsistentParent { port: false }.locate(&p),
            Some((1, 0))
        );
        assert_eq!(Shape::UniqueParent { port: true }.locate(&p), None);
        let f =
            json!([{"type": "URLRewrite"}, {"type": "RequestRedirect"}, {"type": "URLRewrite"}]);
        assert_eq!(Shape::RepeatedFilter("URLRewrite").locate(&f), Some((2, 0)));
    }
}
