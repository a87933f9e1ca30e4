//! Which releases and channels have a kind, a version or a field, and how to say it.
//!
//! Owns [`Availability`]: answered from the bundled description (markers kept), it lets a
//! finding about something the chosen release lacks say where it does exist ("needs Gateway
//! API v1.5", "exists in the experimental channel of v1.3+", "was removed in v1.2").

use serde_json::Value;

use super::Channel;
use super::bundled::{IN, Source};
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

    /// Why `what` is not usable at `release` in `channel`, in a sentence without a full
    /// stop; `None` when it is there. `what` reads like "ListenerSet" or "field `cors`".
    pub fn explain(&self, what: &str, release: Release, channel: Channel) -> Option<String> {
        if self.has(release, channel) {
            return None;
        }
        let here = release.entry_index();
        let other = match channel {
            Channel::Standard => Channel::Experimental,
            Channel::Experimental => Channel::Standard,
        };
        let later = (here + 1..self.cells.len()).find(|&e| self.cells[e][channel as usize]);
        let other_now = self.cells[here][other as usize];
        let target = format!("this lint targets {release} ({channel})");
        if let Some(e) = later {
            let mut s = format!(
                "{what} needs Gateway API {} ({channel}); {target}",
                start_text(e)
            );
            if other_now {
                s.push_str(&format!(
                    "; the {other} channel of {} has it",
                    self.ranges(other).join(", ")
                ));
            }
            return Some(s);
        }
        if other_now || self.cells[here + 1..].iter().any(|c| c[other as usize]) {
            return Some(format!(
                "{what} exists only in the {other} channel of {}; {target}",
                self.ranges(other).join(", ")
            ));
        }
        let last = (0..here)
            .rev()
            .find(|&e| self.cells[e][0] || self.cells[e][1])?;
        let removed = start_text(last + 1);
        let was: Vec<String> = [Channel::Standard, Channel::Experimental]
            .iter()
            .filter(|&&c| !self.ranges(c).is_empty())
            .map(|&c| format!("{} {c}", self.ranges(c).join(", ")))
            .collect();
        let was = if was.is_empty() {
            // Only a release lint cannot target (v1.0) had it.
            format!("{} only", entries()[last].name)
        } else {
            was.join(", ")
        };
        Some(format!(
            "{what} was removed in Gateway API {removed} (it is in {was}); {target}"
        ))
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

impl Source {
    pub(crate) fn kind_availability(&self) -> Availability {
        Availability::from_fn(|e, c| self.versions_at(e, c).next().is_some())
    }

    pub(crate) fn version_availability(&self, version: &str) -> Availability {
        Availability::from_fn(|e, c| self.versions_at(e, c).any(|v| v == version))
    }

    /// Where the field at `path` of `version` exists: every node on the way must.
    pub(crate) fn field_availability(&self, version: &str, path: &[Step<'_>]) -> Availability {
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
        })
    }
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
    fn explanations_name_the_release() {
        let v1_1 = Release::parse("v1.1.1").unwrap();
        let grpc_old = source("GRPCRoute").version_availability("v1alpha2");
        let newest = Release::newest();
        let said = grpc_old
            .explain("GRPCRoute v1alpha2", newest, Channel::Experimental)
            .unwrap();
        assert!(said.contains("removed in Gateway API v1.2"), "{said}");
        assert!(grpc_old.explain("x", v1_1, Channel::Experimental).is_none());
    }
}
