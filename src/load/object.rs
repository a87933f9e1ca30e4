//! YAML documents → Kubernetes [`Object`]s. Owns what makes a document an object (or a
//! `kind: List` of them): a mapping with a valid `apiVersion`, `kind` and `metadata.name`
//! (GW020–GW024), and the objects defined more than once in a run (GW030).

use rayon::prelude::*;
use regex::Regex;
use serde_json::Value;

use super::rules;
use crate::diag::{Diagnostic, Label};
use crate::fieldpath::FieldPath;
use crate::model::{Inventory, Object};
use crate::source::{FileId, Span};
use crate::yaml::{Node, NodeValue, Scalar, Shape};

/// One document: an object, or a `kind: List` of them.
pub(super) fn document_objects(
    file: FileId,
    document: usize,
    root: Node,
    objects: &mut Vec<Object>,
    diags: &mut Vec<Diagnostic>,
) {
    let is_list = root
        .get("kind")
        .and_then(Node::as_str)
        .is_some_and(|k| k == "List" || k.ends_with("List"))
        && root.get("items").and_then(Node::as_seq).is_some();
    if !is_list {
        if let Some(o) = object(file, document, None, root, diags) {
            objects.push(o);
        }
        return;
    }
    let NodeValue::Map(entries) = root.value else {
        return;
    };
    for entry in entries {
        if entry.key != "items" {
            continue;
        }
        if let NodeValue::Seq(items) = entry.value.value {
            for (i, item) in items.into_iter().enumerate() {
                if let Some(o) = object(file, document, Some(i), item, diags) {
                    objects.push(o);
                }
            }
        }
    }
}

fn dns_subdomain() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$").unwrap()
    })
}

/// A valid namespace name: a DNS-1123 label (at most 63 lower-case letters, digits and `-`,
/// starting and ending with a letter or digit), as the API server requires.
pub fn valid_namespace(ns: &str) -> bool {
    !ns.is_empty()
        && ns.len() <= 63
        && ns
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !ns.starts_with('-')
        && !ns.ends_with('-')
}

fn dns_label() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$").unwrap())
}

fn kind_re() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[A-Za-z][A-Za-z0-9]*$").unwrap())
}

/// Validate the type and object meta of one mapping and build the [`Object`].
fn object(
    file: FileId,
    document: usize,
    list_item: Option<usize>,
    node: Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<Object> {
    if node.as_map().is_none() {
        let what = if list_item.is_some() {
            "list item"
        } else {
            "document"
        };
        diags.push(
            Diagnostic::new(
                &rules::NOT_A_MAPPING,
                format!(
                    "{what} is {}, not a mapping with apiVersion, kind and metadata",
                    node.type_name()
                ),
            )
            .at(file, first_line(&node))
            .help("write one object per document, separated by `---`"),
        );
        return None;
    }
    // Where to point when a top-level field is missing: the object's first key.
    let head = node
        .as_map()
        .and_then(|m| m.first())
        .map(|e| e.key_span)
        .unwrap_or(node.span);
    // Every field is checked, so one run reports all that is wrong with the object.
    let api_version = check_api_version(file, &node, head, diags);
    let kind = check_kind(file, &node, head, diags);
    let ok = api_version.is_some() && kind.is_some();
    let api_version = api_version.unwrap_or_default();
    let kind = kind.unwrap_or_default();
    let (group, version) = parse_api_version(&api_version).unwrap_or_default();

    let metadata = node.get("metadata");
    let name = check_metadata(file, metadata, head, group, &kind, diags);
    let namespace = metadata.and_then(|m| check_namespace(file, m, diags));
    let name = name?;
    if !ok {
        return None;
    }
    let json: Value = node.to_json();
    let shape = Shape::of(&node);
    Some(Object {
        file,
        document,
        list_item,
        api_version: api_version.clone(),
        group: group.to_owned(),
        version: version.to_owned(),
        kind,
        namespace,
        name,
        shape,
        json,
        redacted: false,
        id: std::sync::OnceLock::new(),
    })
}

/// The object's `apiVersion`, or `None` with a finding when it has none or it is not
/// `group/version`.
fn check_api_version(
    file: FileId,
    node: &Node,
    head: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    match node.entry("apiVersion") {
        None => {
            diags.push(
                Diagnostic::new(&rules::INVALID_API_VERSION, "object has no `apiVersion`")
                    .at(file, head)
                    .help("add the group and version, such as `apiVersion: gateway.networking.k8s.io/v1`"),
            );
            None
        }
        Some(e) => match e.value.as_str() {
            Some(s) if parse_api_version(s).is_some() => Some(s.to_owned()),
            Some(s) => {
                diags.push(
                    Diagnostic::new(
                        &rules::INVALID_API_VERSION,
                        format!("`apiVersion` is \"{s}\", expected `group/version` (or `version` for the core group), such as `gateway.networking.k8s.io/v1`"),
                    )
                    .at(file, e.value.span)
                    .field("apiVersion"),
                );
                None
            }
            None => {
                diags.push(
                    Diagnostic::new(
                        &rules::INVALID_API_VERSION,
                        format!("`apiVersion` is {}, expected a string such as `gateway.networking.k8s.io/v1`", e.value.type_name()),
                    )
                    .at(file, e.value.span)
                    .field("apiVersion"),
                );
                None
            }
        },
    }
}

/// The object's `kind`, or `None` with a finding when it has none or it is not a CamelCase
/// name.
fn check_kind(
    file: FileId,
    node: &Node,
    head: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let Some(e) = node.entry("kind") else {
        diags.push(
            Diagnostic::new(&rules::INVALID_KIND, "object has no `kind`")
                .at(file, head)
                .help("add the object's kind, such as `kind: HTTPRoute`"),
        );
        return None;
    };
    match e.value.as_str() {
        Some(s) if kind_re().is_match(s) => Some(s.to_owned()),
        other => {
            let got = other.map_or_else(|| e.value.type_name().to_owned(), |s| format!("\"{s}\""));
            diags.push(
                Diagnostic::new(
                    &rules::INVALID_KIND,
                    format!("`kind` is {got}, expected a CamelCase kind name such as `HTTPRoute`"),
                )
                .at(file, e.value.span)
                .field("kind"),
            );
            None
        }
    }
}

/// The object's name from its `metadata`, or `None` with a finding when it has no
/// `metadata` mapping or no name in it.
fn check_metadata(
    file: FileId,
    metadata: Option<&Node>,
    head: Span,
    group: &str,
    kind: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    match (metadata, metadata.and_then(Node::as_map)) {
        (None, _) => {
            diags.push(
                Diagnostic::new(
                    &rules::INVALID_NAME,
                    "object has no `metadata`, so it has no name",
                )
                .at(file, head)
                .help("add `metadata:` with a `name:`"),
            );
            None
        }
        (Some(m), None) => {
            diags.push(
                Diagnostic::new(
                    &rules::INVALID_NAME,
                    format!(
                        "`metadata` is {}, expected a mapping with a `name`",
                        m.type_name()
                    ),
                )
                .at(file, m.span)
                .field("metadata"),
            );
            None
        }
        (Some(m), Some(_)) => check_name(file, m, group, kind, diags),
    }
}

fn check_name(
    file: FileId,
    meta: &Node,
    group: &str,
    kind: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let Some(e) = meta.entry("name") else {
        let generated = meta.get("generateName").is_some();
        let msg = if generated {
            "object has `metadata.generateName` but no `metadata.name`; `kubectl apply` needs a name, and nothing can refer to a generated one"
        } else {
            "object has no `metadata.name`"
        };
        diags.push(
            Diagnostic::new(&rules::INVALID_NAME, msg)
                .at(file, meta_key_span(meta))
                .field("metadata")
                .help("add `name:` under `metadata`"),
        );
        return None;
    };
    let Some(name) = e.value.as_str() else {
        diags.push(
            Diagnostic::new(
                &rules::INVALID_NAME,
                format!(
                    "`metadata.name` is {}, expected a string",
                    e.value.type_name()
                ),
            )
            .at(file, e.value.span)
            .field("metadata.name"),
        );
        return None;
    };
    // Services and Namespaces are DNS labels; Services must also start with a letter
    // (RFC 1035). Every other kind, Gateway API kinds included, is a DNS subdomain.
    let (ok, expected) = match (group, kind) {
        ("", "Service") => (
            name.len() <= 63
                && dns_label().is_match(name)
                && name.starts_with(|c: char| c.is_ascii_lowercase()),
            "a DNS label: at most 63 lower-case letters, digits and `-`, starting with a letter and ending with a letter or digit",
        ),
        ("", "Namespace") => (
            name.len() <= 63 && dns_label().is_match(name),
            "a DNS label: at most 63 lower-case letters, digits and `-`, starting and ending with a letter or digit",
        ),
        _ => (
            name.len() <= 253 && dns_subdomain().is_match(name),
            "a DNS subdomain: at most 253 lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit",
        ),
    };
    if !ok {
        diags.push(
            Diagnostic::new(
                &rules::INVALID_NAME,
                format!(
                    "`metadata.name` \"{name}\" is not a valid {kind} name; expected {expected}"
                ),
            )
            .at(file, e.value.span)
            .field("metadata.name"),
        );
    }
    Some(name.to_owned())
}

fn check_namespace(file: FileId, meta: &Node, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let e = meta.entry("namespace")?;
    match &e.value.value {
        NodeValue::Scalar(Scalar::Null) => None,
        NodeValue::Scalar(Scalar::String(ns)) if ns.is_empty() => None,
        NodeValue::Scalar(Scalar::String(ns)) => {
            if !valid_namespace(ns) {
                diags.push(
                    Diagnostic::new(
                        &rules::INVALID_NAMESPACE,
                        format!("`metadata.namespace` \"{ns}\" is not a valid namespace name; expected at most 63 lower-case letters, digits and `-`, starting and ending with a letter or digit"),
                    )
                    .at(file, e.value.span)
                    .field("metadata.namespace"),
                );
            }
            Some(ns.to_string())
        }
        _ => {
            diags.push(
                Diagnostic::new(
                    &rules::INVALID_NAMESPACE,
                    format!(
                        "`metadata.namespace` is {}, expected a string",
                        e.value.type_name()
                    ),
                )
                .at(file, e.value.span)
                .field("metadata.namespace"),
            );
            None
        }
    }
}

fn meta_key_span(meta: &Node) -> Span {
    meta.as_map()
        .and_then(|m| m.first())
        .map(|e| e.key_span)
        .unwrap_or(meta.span)
}

fn first_line(node: &Node) -> Span {
    node.span
}

/// Split `group/version` (or a bare core `version`) into its parts.
pub fn parse_api_version(s: &str) -> Option<(&str, &str)> {
    let (group, version) = match s.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", s),
    };
    let group_ok = group.is_empty() || (group.len() <= 253 && dns_subdomain().is_match(group));
    let version_ok = version.len() <= 63 && dns_label().is_match(version);
    (group_ok && version_ok && !(s.contains('/') && group.is_empty())).then_some((group, version))
}

/// The findings about objects defined more than once (GW030), each on a repeat, with the
/// first definition as its label. [`super::load`] adds them; [`super::load_then`] leaves
/// them to its caller, which may add them when it likes: lint adds them after its
/// reference pass, so that a large run does not hold them through that pass's own findings
/// (on a tree copied many times, nearly every object is a repeat).
pub fn duplicates(inventory: &Inventory, diags: &mut Vec<Diagnostic>) {
    let name_path = FieldPath::root().key("metadata").key("name");
    // Where each identity defined twice was first defined, and each repeat with its
    // identity's place in that list.
    let groups = inventory.duplicates();
    let firsts: Vec<Label> = groups
        .iter()
        .map(|dup| {
            Label::new(dup[0].file, dup[0].span_of(&name_path, false))
                .with_message("first defined here")
        })
        .collect();
    let repeats: Vec<(usize, &Object)> = groups
        .iter()
        .enumerate()
        .flat_map(|(g, dup)| dup[1..].iter().map(move |other| (g, *other)))
        .collect();
    // Worded on the pool, straight into the list: on a tree copied many times nearly every
    // object is a repeat, and each finding looks up a position and words a message.
    diags.par_extend(repeats.into_par_iter().map(|(g, other)| {
        let (ns, slash) = match inventory.namespace_of(other) {
            Some(ns) => (ns, "/"),
            None => ("", ""),
        };
        Diagnostic::new(
            &rules::DUPLICATE_OBJECT,
            format!(
                "{} {ns}{slash}{} is defined more than once; whichever is applied last replaces the other",
                other.kind, other.name
            ),
        )
        .at(other.file, other.span_of(&name_path, false))
        .secondary(firsts[g].clone())
        .object(Some(other.object_ref()))
        .field("metadata.name")
        .help("delete or rename one of the definitions")
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_versions_parse() {
        assert_eq!(parse_api_version("v1"), Some(("", "v1")));
        assert_eq!(
            parse_api_version("gateway.networking.k8s.io/v1beta1"),
            Some(("gateway.networking.k8s.io", "v1beta1"))
        );
        // A group without a version is the most common slip.
        assert_eq!(parse_api_version("gateway.networking.k8s.io"), None);
        assert_eq!(parse_api_version("/v1"), None);
        assert_eq!(parse_api_version("a/b/c"), None);
        assert_eq!(parse_api_version("Gateway/V1"), None);
    }
}
