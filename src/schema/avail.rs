//! Which releases and channels have a kind, a version or a field, and how to say it.
//!
//! Owns [`Availability`]: answered from the bundled description (markers kept), it lets a
//! finding about something the chosen release lacks say where it does exist ("needs Gateway
//! API v1.5", "exists in the experimental channel of v1.3+", "was removed in v1.2").

use serde_json::Value;

use super::Channel;
use super::bundled::{IN, Source, WHEN};
use super::release::{At, Cond, Release, entries};

/// For each release entry, whether the standard and the experimental channel have it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Availability {
    cells: Vec<[bool; 2]>,
}

impl Availability {
    fn from_fn(mut has: impl FnMut(usize, Channel) -> bool) -> Availability {
        Availability {
            cells: (0..entries().len())
                .map(|e| [has(e, Channel::Standard), has(e, Channel::Experimental)])
                .collect(),
        }
    }

    pub fn has(&self, release: Release, channel: Channel) -> bool {
        self.cells[release.entry_index()][channel as usize]
    }

    /// Whether any release gwctl knows has it.
    pub fn anywhere(&self) -> bool {
        self.cells.iter().any(|c| c[0] || c[1])
    }

    /// The selectable entries of `channel` that have it, as ranges: `v1.3+`, `v1.1–v1.3`.
    pub fn ranges(&self, channel: Channel) -> Vec<String> {
        let es = entries();
        let mut out = Vec::new();
        let mut i = 0;
        while i < es.len() {
            if !(es[i].selectable && self.cells[i][channel as usize]) {
                i += 1;
                continue;
            }
            let start = i;
            while i + 1 < es.len() && self.cells[i + 1][channel as usize] {
                i += 1;
            }
            out.push(range_text(start, i));
            i += 1;
        }
        out
    }

    /// Where it is, seen from `release` and `channel`; `None` when it is there, or nowhere.
    pub fn locate(&self, release: Release, channel: Channel) -> Option<Elsewhere> {
        if self.has(release, channel) {
            return None;
        }
        let here = release.entry_index();
        let other = match channel {
            Channel::Standard => Channel::Experimental,
            Channel::Experimental => Channel::Standard,
        };
        if let Some(e) = (here + 1..self.cells.len()).find(|&e| self.cells[e][channel as usize]) {
            return Some(Elsewhere::Later {
                since: start_text(e),
                other_now: self.cells[here][other as usize].then(|| self.ranges(other).join(", ")),
            });
        }
        if self.cells[here..].iter().any(|c| c[other as usize]) {
            return Some(Elsewhere::OtherChannel {
                other,
                ranges: self.ranges(other).join(", "),
            });
        }
        let last = (0..here)
            .rev()
            .find(|&e| self.cells[e][0] || self.cells[e][1])?;
        let was: Vec<String> = [Channel::Standard, Channel::Experimental]
            .iter()
            .filter(|&&c| !self.ranges(c).is_empty())
            .map(|&c| format!("{} {c}", self.ranges(c).join(", ")))
            .collect();
        Some(Elsewhere::Removed {
            removed_in: start_text(last + 1),
            was: was.join(", "),
        })
    }

    /// A finding's message about `what` (such as "field `cors`"), which `release` and
    /// `channel` lack; `None` when it is there, or in no release at all.
    pub fn explain(&self, what: &str, release: Release, channel: Channel) -> Option<String> {
        Some(match self.locate(release, channel)? {
            Elsewhere::Later { since, other_now } => {
                let mut s = format!(
                    "{what} needs Gateway API {since} ({channel} channel); this lint targets {release}"
                );
                if let Some(r) = other_now {
                    s.push_str(&format!(", whose experimental channel has it ({r})"));
                }
                s
            }
            Elsewhere::OtherChannel { other, ranges } => format!(
                "{what} exists only in the {other} channel ({ranges}); this lint targets the {channel} channel of {release}"
            ),
            Elsewhere::Removed { removed_in, was } if was.is_empty() => {
                format!(
                    "{what} was removed in Gateway API {removed_in}; this lint targets {release}"
                )
            }
            Elsewhere::Removed { removed_in, was } => format!(
                "{what} was removed in Gateway API {removed_in} (it is in {was}); this lint targets {release}"
            ),
        })
    }
}

/// Where something the chosen release and channel lack does exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Elsewhere {
    /// A later release of the same channel has it (`since`: `v1.5`); `other_now`: the other
    /// channel's releases that have it, when the chosen release is one of them.
    Later {
        since: String,
        other_now: Option<String>,
    },
    /// Only the other channel has it, in these releases (`v1.3+`).
    OtherChannel { other: Channel, ranges: String },
    /// Earlier releases had it (`was`: `v1.1–v1.3 experimental`; empty when only a release
    /// lint cannot target had it).
    Removed { removed_in: String, was: String },
}

impl Elsewhere {
    /// The short form, after "GRPCRoute v1alpha2 ...": "was removed in v1.2".
    pub fn clause(&self) -> String {
        match self {
            Elsewhere::Later { since, .. } => format!("it was added in Gateway API {since}"),
            Elsewhere::OtherChannel { other, ranges } => {
                format!("only the {other} channel has it ({ranges})")
            }
            Elsewhere::Removed { removed_in, .. } => {
                format!("it was removed in Gateway API {removed_in}")
            }
        }
    }
}

/// `v1.5+` for the first entry of v1.5 on; `v1.5.1` for an entry of its own.
fn start_text(e: usize) -> String {
    let es = entries();
    let minor = es[e].minor();
    if e > 0 && es[e - 1].minor() == minor {
        es[e].name.clone()
    } else {
        minor.to_string()
    }
}

fn end_text(e: usize) -> String {
    let es = entries();
    let minor = es[e].minor();
    if es.get(e + 1).is_some_and(|n| n.minor() == minor) {
        es[e].name.clone()
    } else {
        minor.to_string()
    }
}

fn range_text(start: usize, end: usize) -> String {
    if end + 1 == entries().len() {
        format!("{}+", start_text(start))
    } else if start_text(start) == end_text(end) {
        start_text(start)
    } else {
        format!("{}–{}", start_text(start), end_text(end))
    }
}

/// One step of a path into an object: a mapping key or a list index.
#[derive(Clone, Copy, Debug)]
pub enum Step<'a> {
    Key(&'a str),
    Index,
}

impl Step<'_> {
    /// The steps of a field path (which list entry does not matter to a schema).
    pub fn path(path: &crate::fieldpath::FieldPath) -> Vec<Step<'_>> {
        path.segments()
            .iter()
            .map(|s| match s {
                crate::fieldpath::PathSeg::Key(k) => Step::Key(k),
                crate::fieldpath::PathSeg::Index(_) => Step::Index,
            })
            .collect()
    }
}

impl Source {
    pub(crate) fn kind_availability(&self) -> Availability {
        Availability::from_fn(|e, c| self.versions_at(e, c).next().is_some())
    }

    pub(crate) fn version_availability(&self, version: &str) -> Availability {
        let mut known = self
            .versions_available
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(a) = known.get(version) {
            return a.clone();
        }
        let a = Availability::from_fn(|e, c| self.versions_at(e, c).any(|v| v == version));
        known.insert(version.to_owned(), a.clone());
        a
    }

    /// Where the field at `path` of `version` exists: every node on the way must.
    pub(crate) fn field_availability(&self, version: &str, path: &[Step<'_>]) -> Availability {
        self.availability_at(version, path, None)
    }

    /// Where the field at `path` of `version` exists and allows `value` (its enum, changed
    /// by `x-gwctl-when` from release to release, lists it).
    pub(crate) fn value_availability(
        &self,
        version: &str,
        path: &[Step<'_>],
        value: &Value,
    ) -> Availability {
        self.availability_at(version, path, Some(value))
    }

    fn availability_at(
        &self,
        version: &str,
        path: &[Step<'_>],
        value: Option<&Value>,
    ) -> Availability {
        // The markers met on the way down, one list per node.
        let mut conds: Vec<Cond> = Vec::new();
        let mut node = self.schema();
        for step in path {
            let next = match step {
                Step::Key(k) => node
                    .get("properties")
                    .and_then(|p| p.get(*k))
                    .or_else(|| node.get("additionalProperties").filter(|a| a.is_object())),
                Step::Index => node.get("items"),
            };
            let Some(next) = next else {
                return Availability::from_fn(|_, _| false);
            };
            if let Some(c) = next.get(IN).and_then(Value::as_str)
                && let Ok(c) = Cond::parse(c)
            {
                conds.push(c);
            }
            node = next;
        }
        Availability::from_fn(|entry, channel| {
            let at = At {
                entry,
                channel,
                version,
            };
            self.versions_at(entry, channel).any(|v| v == version)
                && conds.iter().all(|c| c.holds(at))
                && value.is_none_or(|x| enum_at(node, at).is_none_or(|e| e.contains(x)))
        })
    }
}

/// One CEL rule of the bundled description: where it sits, what it says, where it applies.
#[derive(Clone, Debug)]
pub struct CelEntry {
    pub kind: String,
    /// `spec.rules[*].filters[*]`; empty at the object's root.
    pub path: String,
    /// gwctl's message for the rule.
    pub message: String,
    pub availability: Availability,
}

impl Availability {
    /// `v1.1+` when both channels have it alike, else `standard v1.5+; experimental v1.3+`.
    pub fn describe(&self) -> String {
        let (std, exp) = (
            self.ranges(Channel::Standard).join(", "),
            self.ranges(Channel::Experimental).join(", "),
        );
        match (std.is_empty(), exp.is_empty()) {
            _ if std == exp => std,
            (true, _) => format!("experimental {exp}"),
            (_, true) => format!("standard {std}"),
            _ => format!("standard {std}; experimental {exp}"),
        }
    }

    fn or(&mut self, other: &Availability) {
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            a[0] |= b[0];
            a[1] |= b[1];
        }
    }
}

/// Every CEL rule of every bundled kind with the releases and channels it applies in, rules
/// of one message at one place merged (an expression fixed between releases is one rule to a
/// reader), in the order of the kind files.
pub fn cel_catalog() -> Vec<CelEntry> {
    let mut out: Vec<CelEntry> = Vec::new();
    for src in super::bundled::sources() {
        let mut found = Vec::new();
        collect_rules(
            src,
            src.schema(),
            String::new(),
            &mut Vec::new(),
            &mut found,
        );
        for e in found {
            match out
                .iter_mut()
                .find(|o| o.kind == e.kind && o.path == e.path && o.message == e.message)
            {
                Some(o) => o.availability.or(&e.availability),
                None => out.push(e),
            }
        }
    }
    out.retain(|e| {
        e.availability.ranges(Channel::Standard).len()
            + e.availability.ranges(Channel::Experimental).len()
            > 0
    });
    out
}

fn collect_rules(
    src: &Source,
    node: &Value,
    path: String,
    conds: &mut Vec<Cond>,
    out: &mut Vec<CelEntry>,
) {
    let own = node
        .get(IN)
        .and_then(Value::as_str)
        .and_then(|c| Cond::parse(c).ok());
    let pushed = own.is_some();
    conds.extend(own);
    let mut lists: Vec<(Option<Cond>, &Value)> = Vec::new();
    if let Some(rules) = node.get("x-kubernetes-validations") {
        lists.push((None, rules));
    }
    // A rule list a release gives whole.
    for change in node
        .get(WHEN)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(rules) = change.get("x-kubernetes-validations") {
            let c = change
                .get("in")
                .and_then(Value::as_str)
                .and_then(|c| Cond::parse(c).ok());
            lists.push((c, rules));
        }
    }
    for (extra, rules) in lists {
        for rule in rules.as_array().into_iter().flatten() {
            let Some(message) = rule.get("message").and_then(Value::as_str) else {
                continue;
            };
            let own = rule
                .get(IN)
                .and_then(Value::as_str)
                .and_then(|c| Cond::parse(c).ok());
            let all: Vec<&Cond> = conds.iter().chain(&extra).chain(&own).collect();
            let availability = Availability::from_fn(|entry, channel| {
                src.versions_at(entry, channel).any(|version| {
                    let at = At {
                        entry,
                        channel,
                        version,
                    };
                    all.iter().all(|c| c.holds(at))
                })
            });
            out.push(CelEntry {
                kind: src.kind.clone(),
                path: path.clone(),
                message: message.to_owned(),
                availability,
            });
        }
    }
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (k, p) in props {
            let sub = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            collect_rules(src, p, sub, conds, out);
        }
    }
    if let Some(items) = node.get("items") {
        collect_rules(src, items, format!("{path}[*]"), conds, out);
    }
    if let Some(values) = node.get("additionalProperties").filter(|v| v.is_object()) {
        collect_rules(src, values, format!("{path}.*"), conds, out);
    }
    if pushed {
        conds.pop();
    }
}

/// The enum of a description node `at` a release: its own, as its `x-gwctl-when` changes it.
fn enum_at<'n>(node: &'n Value, at: At<'_>) -> Option<&'n Vec<Value>> {
    let mut list = node.get("enum").and_then(Value::as_array);
    for change in node
        .get(WHEN)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let holds = change
            .get("in")
            .and_then(Value::as_str)
            .and_then(|c| Cond::parse(c).ok())
            .is_some_and(|c| c.holds(at));
        if holds && let Some(e) = change.get("enum") {
            list = e.as_array();
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::bundled::sources;

    fn source(kind: &str) -> &'static Source {
        sources().iter().find(|s| s.kind == kind).unwrap()
    }

    #[test]
    fn ranges_read_as_people_write_them() {
        let a = Availability::from_fn(|e, c| e >= 3 && c == Channel::Experimental);
        assert_eq!(a.ranges(Channel::Experimental), ["v1.2+"]);
        assert!(a.ranges(Channel::Standard).is_empty());
        let b = Availability::from_fn(|e, _| (1..=3).contains(&e));
        assert_eq!(b.ranges(Channel::Standard), ["v1.1–v1.2"]);
    }

    #[test]
    fn the_cel_catalogue_says_where_each_rule_applies() {
        let all = cel_catalog();
        assert!(all.len() > 150, "{}", all.len());
        let cors_once = all
            .iter()
            .find(|e| {
                e.kind == "HTTPRoute"
                    && e.message.contains("CORS")
                    && e.path == "spec.rules[*].filters"
            })
            .expect("the v1.5.1 CORS rule");
        assert_eq!(cors_once.availability.describe(), "v1.5.1+");
        let tls_mode = all
            .iter()
            .find(|e| e.kind == "Gateway" && e.message.starts_with("a TLS listener needs tls"))
            .expect("the v1.5 listener TLS rule");
        assert!(
            tls_mode.availability.describe().starts_with("v1.5"),
            "{tls_mode:?}"
        );
    }

    #[test]
    fn explanations_name_the_release() {
        let v1_1 = Release::parse("v1.1.1").unwrap();
        let grpc_old = source("GRPCRoute").version_availability("v1alpha2");
        let newest = Release::newest();
        let said = grpc_old
            .explain("GRPCRoute v1alpha2", newest, Channel::Experimental)
            .unwrap();
        assert!(said.contains("removed in Gateway API v1.2"), "{said}");
        assert_eq!(
            grpc_old.locate(newest, Channel::Standard).unwrap().clause(),
            "it was removed in Gateway API v1.2"
        );
        assert!(grpc_old.explain("x", v1_1, Channel::Experimental).is_none());
    }
}
