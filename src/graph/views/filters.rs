//! Route filters as values: one variant per filter type gwctl interprets, and
//! [`Filter::Other`] for the rest (a type of a later release, an implementation's, or a
//! `type` that is missing), which keeps the type as written. A filter type of a new release
//! becomes a new variant here and a new arm where the simulator applies filters.
//!
//! Fields are read leniently, as the simulator has always read them: a missing or
//! wrong-typed name or value reads as empty.

use serde_json::Value;

use super::{Cors, MirrorShare, arr, boxed, s};

/// One entry of a rule's or a backendRef's `filters`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    RequestHeaderModifier(HeaderModifier),
    ResponseHeaderModifier(HeaderModifier),
    UrlRewrite(UrlRewrite),
    RequestRedirect(RequestRedirect),
    RequestMirror(RequestMirror),
    ExtensionRef(ExtensionRef),
    /// `CORS` (experimental since v1.3, standard since v1.5).
    Cors(Cors),
    /// A filter type gwctl does not interpret: its `type` when it is a string.
    Other(Option<Box<str>>),
}

impl Filter {
    /// Every filter of a `filters` list, in order.
    pub(super) fn read_all(filters: &[Value]) -> Box<[Filter]> {
        filters.iter().map(Filter::read).collect()
    }

    fn read(f: &Value) -> Self {
        let part = |key: &str| f.get(key).unwrap_or(&Value::Null);
        match s(f, "type") {
            Some("RequestHeaderModifier") => {
                Filter::RequestHeaderModifier(HeaderModifier::read(part("requestHeaderModifier")))
            }
            Some("ResponseHeaderModifier") => {
                Filter::ResponseHeaderModifier(HeaderModifier::read(part("responseHeaderModifier")))
            }
            Some("URLRewrite") => Filter::UrlRewrite(UrlRewrite::read(part("urlRewrite"))),
            Some("RequestRedirect") => {
                Filter::RequestRedirect(RequestRedirect::read(part("requestRedirect")))
            }
            Some("RequestMirror") => {
                let mut m = RequestMirror::read(
                    f.pointer("/requestMirror/backendRef")
                        .unwrap_or(&Value::Null),
                );
                m.share = MirrorShare::read(part("requestMirror"));
                Filter::RequestMirror(m)
            }
            Some("ExtensionRef") => Filter::ExtensionRef(ExtensionRef::read(part("extensionRef"))),
            Some("CORS") => Filter::Cors(Cors::read(part("cors"))),
            other => Filter::Other(other.map(Box::from)),
        }
    }

    /// The filter's `type` as written; `None` when it is missing or not a string.
    pub fn type_name(&self) -> Option<&str> {
        Some(match self {
            Filter::RequestHeaderModifier(_) => "RequestHeaderModifier",
            Filter::ResponseHeaderModifier(_) => "ResponseHeaderModifier",
            Filter::UrlRewrite(_) => "URLRewrite",
            Filter::RequestRedirect(_) => "RequestRedirect",
            Filter::RequestMirror(_) => "RequestMirror",
            Filter::ExtensionRef(_) => "ExtensionRef",
            Filter::Cors(_) => "CORS",
            Filter::Other(t) => return t.as_deref(),
        })
    }
}

/// `requestHeaderModifier` or `responseHeaderModifier`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderModifier {
    /// (name, value)
    pub set: Vec<(String, String)>,
    /// (name, value)
    pub add: Vec<(String, String)>,
    pub remove: Vec<String>,
}

impl HeaderModifier {
    fn read(m: &Value) -> Self {
        let pairs = |key: &str| {
            arr(m, key)
                .iter()
                .map(|h| {
                    (
                        s(h, "name").unwrap_or_default().to_owned(),
                        s(h, "value").unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        };
        HeaderModifier {
            set: pairs("set"),
            add: pairs("add"),
            remove: arr(m, "remove")
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect(),
        }
    }
}

/// The `path` of a URLRewrite or RequestRedirect.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathModifier {
    /// `type` (`ReplaceFullPath` or `ReplacePrefixMatch`) when it is a string.
    pub kind: Option<Box<str>>,
    pub replace_full_path: Option<Box<str>>,
    pub replace_prefix_match: Option<Box<str>>,
}

impl PathModifier {
    fn read(pm: &Value) -> Self {
        PathModifier {
            kind: boxed(pm, "type"),
            replace_full_path: boxed(pm, "replaceFullPath"),
            replace_prefix_match: boxed(pm, "replacePrefixMatch"),
        }
    }
}

/// `urlRewrite`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrlRewrite {
    pub hostname: Option<Box<str>>,
    /// Present whenever `path` is written, whatever it holds.
    pub path: Option<PathModifier>,
}

impl UrlRewrite {
    fn read(m: &Value) -> Self {
        UrlRewrite {
            hostname: boxed(m, "hostname"),
            path: m.get("path").map(PathModifier::read),
        }
    }
}

/// `requestRedirect`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestRedirect {
    pub scheme: Option<Box<str>>,
    pub hostname: Option<Box<str>>,
    /// `port` when it is a non-negative integer.
    pub port: Option<u64>,
    /// Present whenever `path` is written, whatever it holds.
    pub path: Option<PathModifier>,
    /// `statusCode` when it is a non-negative integer.
    pub status_code: Option<u64>,
}

impl RequestRedirect {
    fn read(m: &Value) -> Self {
        RequestRedirect {
            scheme: boxed(m, "scheme"),
            hostname: boxed(m, "hostname"),
            port: m.get("port").and_then(Value::as_u64),
            path: m.get("path").map(PathModifier::read),
            status_code: m.get("statusCode").and_then(Value::as_u64),
        }
    }
}

/// `requestMirror.backendRef`, as the trace describes it. (The reference itself, with its
/// defaults, is in [`super::Rule::mirrors`].)
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestMirror {
    /// `namespace` as written (no default).
    pub namespace: Option<Box<str>>,
    pub name: Option<Box<str>>,
    /// `port` as its JSON text, whatever its type: the trace quotes it as written.
    pub port: Option<Box<str>>,
    /// `percent` or `fraction` of the filter's `requestMirror`; `None` mirrors every
    /// request.
    pub share: Option<MirrorShare>,
}

impl RequestMirror {
    fn read(b: &Value) -> Self {
        RequestMirror {
            namespace: boxed(b, "namespace"),
            name: boxed(b, "name"),
            port: b.get("port").map(|p| p.to_string().into()),
            share: None,
        }
    }
}

/// `extensionRef`: named, not interpreted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtensionRef {
    pub group: Option<Box<str>>,
    pub kind: Option<Box<str>>,
    pub name: Option<Box<str>>,
}

impl ExtensionRef {
    fn read(e: &Value) -> Self {
        ExtensionRef {
            group: boxed(e, "group"),
            kind: boxed(e, "kind"),
            name: boxed(e, "name"),
        }
    }
}
