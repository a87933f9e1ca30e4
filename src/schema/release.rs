//! The Gateway API releases gwctl knows and the conditions its schema description is
//! written with.
//!
//! Owns [`Release`] (what `--gateway-api-version` chooses), the registry behind it
//! (`schemas/releases.yaml`: each release's patches, the Kubernetes minors it supports and
//! what its bundle [`Shipped`] besides CRDs), [`KubeMinor`], and [`Cond`], the `x-gwctl-in` markers of the kind files: which
//! releases, channels and API versions a field, rule, version or kind exists in.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;
use std::sync::OnceLock;

use serde_json::Value;

use super::Channel;

/// `schemas/releases.yaml`, as the build script wrote it in JSON (`src/build.rs`).
const RELEASES: &str = include_str!(concat!(env!("OUT_DIR"), "/releases.json"));

/// One schema of Gateway API: a release whose patches validate alike.
#[derive(Debug)]
pub struct Entry {
    /// `v1.2` when every patch of the minor validates alike, `v1.5.0` when patches differ.
    pub name: String,
    /// The upstream tags it stands for, oldest first.
    pub patches: Vec<String>,
    /// False for releases known only for the shapes they served.
    pub selectable: bool,
    /// The Kubernetes minors upstream supported at release: (oldest, newest).
    pub kubernetes: Option<(KubeMinor, KubeMinor)>,
    /// The objects the release's install bundle holds besides its CRDs (`ships`).
    pub ships: Vec<Shipped>,
}

/// An object a release's install bundle holds besides its CRDs: its API and kind, as
/// `ships` in `schemas/releases.yaml` lists it (`admissionregistration.k8s.io/v1
/// ValidatingAdmissionPolicy`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shipped {
    /// `admissionregistration.k8s.io/v1`.
    pub api_version: String,
    /// `ValidatingAdmissionPolicy`.
    pub kind: String,
}

impl Shipped {
    /// `APIVERSION KIND`, with exactly one space between two non-empty words and a group
    /// version (`group/version`, or a core `v1`).
    fn parse(s: &str) -> Option<Shipped> {
        let (api_version, kind) = s.split_once(' ')?;
        let well_formed = |w: &str| !w.is_empty() && !w.contains(char::is_whitespace);
        (well_formed(api_version)
            && well_formed(kind)
            && api_version.split('/').count() <= 2
            && kind.starts_with(|c: char| c.is_ascii_uppercase()))
        .then(|| Shipped {
            api_version: api_version.to_owned(),
            kind: kind.to_owned(),
        })
    }
}

impl fmt::Display for Shipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.api_version, self.kind)
    }
}

impl Entry {
    /// `v1.5` for `v1.5.0`, `v1.5.1` and `v1.5`.
    pub fn minor(&self) -> &str {
        minor_of(&self.name)
    }
}

fn minor_of(tag: &str) -> &str {
    match tag.match_indices('.').nth(1) {
        Some((i, _)) => &tag[..i],
        None => tag,
    }
}

/// A Kubernetes minor version, `1.31`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeMinor(pub u32, pub u32);

impl KubeMinor {
    /// `1.31`, `v1.31`, `1.31.4` (the patch is ignored).
    pub fn parse(s: &str) -> Option<KubeMinor> {
        let s = s.strip_prefix('v').unwrap_or(s);
        let mut parts = s.splitn(3, '.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?;
        // A server may say `1.31+` (some managed offerings do); the digits are what count.
        let digits: String = minor.chars().take_while(char::is_ascii_digit).collect();
        Some(KubeMinor(major, digits.parse().ok()?))
    }
}

impl fmt::Display for KubeMinor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

/// The releases, oldest first.
pub fn entries() -> &'static [Entry] {
    static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        let doc = serde_json::from_str(RELEASES).map_err(|e| e.to_string());
        doc.and_then(|d| read_entries(&d)).unwrap_or_else(|e| {
            // The file is part of the binary and a unit test reads it.
            panic!("schemas/releases.yaml is broken: {e}")
        })
    })
}

fn read_entries(doc: &Value) -> Result<Vec<Entry>, String> {
    let list = doc
        .get("releases")
        .and_then(Value::as_array)
        .ok_or("no `releases` list")?;
    let mut out: Vec<Entry> = Vec::new();
    for e in list {
        let name = e
            .get("name")
            .and_then(Value::as_str)
            .ok_or("a release needs `name`")?
            .to_string();
        let patches: Vec<String> = e
            .get("patches")
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        if patches.is_empty()
            || patches
                .iter()
                .any(|p| parse_tag(p).is_none_or(|t| t.2.is_none()))
        {
            return Err(format!("{name}: `patches` must list tags such as v1.2.1"));
        }
        let kubernetes = match e.get("kubernetes") {
            None => None,
            Some(k) => {
                let get = |key: &str| {
                    k.get(key)
                        .and_then(Value::as_str)
                        .and_then(KubeMinor::parse)
                        .ok_or_else(|| {
                            format!("{name}: kubernetes.{key} must be a minor such as '1.31'")
                        })
                };
                Some((get("oldest")?, get("newest")?))
            }
        };
        let ships = match e.get("ships") {
            None => Vec::new(),
            Some(list) => list
                .as_array()
                .ok_or_else(|| format!("{name}: `ships` must be a list"))?
                .iter()
                .map(|s| {
                    s.as_str().and_then(Shipped::parse).ok_or_else(|| {
                        format!(
                            "{name}: `ships` entries are `APIVERSION KIND`, such as 'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy'; not {s}"
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        if let Some(prev) = out.last()
            && parse_tag(&prev.patches[prev.patches.len() - 1]) >= parse_tag(&patches[0])
        {
            return Err(format!("{name}: releases must be listed oldest first"));
        }
        out.push(Entry {
            selectable: e.get("selectable").and_then(Value::as_bool).unwrap_or(true),
            name,
            patches,
            kubernetes,
            ships,
        });
    }
    Ok(out)
}

/// `v1.5.1` → (1, 5, Some(1)); `1.5` → (1, 5, None).
fn parse_tag(s: &str) -> Option<(u32, u32, Option<u32>)> {
    let s = s.strip_prefix('v').unwrap_or(s);
    let mut parts = s.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    let patch = match parts.next() {
        Some(p) => Some(p.parse().ok()?),
        None => None,
    };
    if parts.next().is_some() {
        return None;
    }
    Some((major, minor, patch))
}

/// A Gateway API release chosen for a run: an [`Entry`] and the patch the user named.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Release {
    entry: usize,
    patch: usize,
}

impl Default for Release {
    /// The newest release gwctl knows.
    fn default() -> Release {
        Release::newest()
    }
}

impl Release {
    pub fn newest() -> Release {
        let entry = entries().len() - 1;
        Release {
            entry,
            patch: entries()[entry].patches.len() - 1,
        }
    }

    /// The newest patch of `entry`.
    pub fn of_entry(entry: usize) -> Release {
        Release {
            entry,
            patch: entries()[entry].patches.len() - 1,
        }
    }

    /// Reads `v1.5.1`, `v1.5` (its newest patch) or the same without the `v`.
    pub fn parse(s: &str) -> Result<Release, String> {
        let wanted = parse_tag(s.trim()).filter(|_| !s.trim().is_empty());
        let found = wanted.and_then(|(major, minor, patch)| {
            entries()
                .iter()
                .enumerate()
                .filter(|(_, e)| e.selectable)
                .flat_map(|(i, e)| {
                    e.patches
                        .iter()
                        .enumerate()
                        .map(move |(j, p)| (i, j, p.as_str()))
                })
                .rfind(|(_, _, p)| {
                    let t = parse_tag(p).expect("checked when read");
                    (t.0, t.1) == (major, minor) && patch.is_none_or(|x| t.2 == Some(x))
                })
        });
        match found {
            Some((entry, patch, _)) => Ok(Release { entry, patch }),
            None => Err(format!(
                "unknown Gateway API release {:?}; gwctl knows {} (a minor such as v1.5 means its newest patch; the leading `v` may be left out)",
                s,
                Release::known().join(", ")
            )),
        }
    }

    /// Every patch gwctl can target, oldest first: `v1.1.0, v1.1.1, v1.2.0, ...`.
    pub fn known() -> Vec<&'static str> {
        entries()
            .iter()
            .filter(|e| e.selectable)
            .flat_map(|e| e.patches.iter().map(String::as_str))
            .collect()
    }

    /// Every selectable entry, newest patch of each, oldest first.
    pub fn all() -> Vec<Release> {
        (0..entries().len())
            .filter(|&i| entries()[i].selectable)
            .map(Release::of_entry)
            .collect()
    }

    pub fn entry_index(self) -> usize {
        self.entry
    }

    pub fn entry(self) -> &'static Entry {
        &entries()[self.entry]
    }

    /// The tag: `v1.4.1`.
    pub fn tag(self) -> &'static str {
        &self.entry().patches[self.patch]
    }

    /// `v1.4`.
    pub fn minor(self) -> &'static str {
        self.entry().minor()
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// Where a piece of the description is asked about: a release entry, a channel, an API
/// version of the kind.
#[derive(Clone, Copy, Debug)]
pub struct At<'a> {
    pub entry: usize,
    pub channel: Channel,
    pub version: &'a str,
}

/// An `x-gwctl-in` marker: alternatives separated by `,`, each a conjunction of at most one
/// release range, one channel and one set of API versions, separated by spaces:
///
/// - `v1.2+` (from the first entry of v1.2 on), `v1.1-v1.3`, `-v1.3` (up to the last entry of
///   v1.3), `v1.5.0` (that entry alone), `v1.4` (every entry of v1.4);
/// - `standard`, `experimental`;
/// - `v1` or `v1alpha3|v1` (API versions of the kind; they have no dot, releases do).
///
/// `experimental v1.2+, standard v1.4+` reads "in the experimental channel since v1.2 and in
/// both since v1.4".
#[derive(Clone, Debug, PartialEq)]
pub struct Cond {
    alternatives: Vec<Alt>,
}

#[derive(Clone, Debug, PartialEq, Default)]
struct Alt {
    /// Entry indexes, inclusive.
    from: Option<usize>,
    to: Option<usize>,
    channel: Option<Channel>,
    versions: Vec<String>,
}

impl Cond {
    /// [`Cond::parse`], each text once per thread: the description repeats a few dozen
    /// conditions on thousands of nodes that selecting a schema reads, and the simulator
    /// asks the same few for every request.
    pub fn parsed(s: &str) -> Result<Rc<Cond>, String> {
        thread_local! {
            static PARSED: RefCell<HashMap<String, Rc<Cond>>> = RefCell::new(HashMap::new());
        }
        if let Some(c) = PARSED.with(|p| p.borrow().get(s).cloned()) {
            return Ok(c);
        }
        let c = Rc::new(Cond::parse(s)?);
        PARSED.with(|p| p.borrow_mut().insert(s.to_owned(), c.clone()));
        Ok(c)
    }

    pub fn parse(s: &str) -> Result<Cond, String> {
        let mut alternatives = Vec::new();
        for alt in s.split(',') {
            let mut a = Alt::default();
            let mut seen_range = false;
            for term in alt.split_whitespace() {
                if let Ok(c) = term.parse::<Channel>() {
                    if a.channel.replace(c).is_some() {
                        return Err(format!("{s:?}: two channels in one alternative"));
                    }
                } else if term.contains('.') {
                    if std::mem::replace(&mut seen_range, true) {
                        return Err(format!("{s:?}: two release ranges in one alternative"));
                    }
                    (a.from, a.to) = range(term).map_err(|e| format!("{s:?}: {e}"))?;
                } else if term.starts_with('v') && term.len() > 1 {
                    if !a.versions.is_empty() {
                        return Err(format!("{s:?}: two version sets in one alternative"));
                    }
                    a.versions = term.split('|').map(String::from).collect();
                } else {
                    return Err(format!("{s:?}: cannot read {term:?}"));
                }
            }
            if a == Alt::default() {
                return Err(format!("{s:?}: an empty alternative"));
            }
            alternatives.push(a);
        }
        Ok(Cond { alternatives })
    }

    pub fn holds(&self, at: At<'_>) -> bool {
        self.alternatives.iter().any(|a| {
            a.from.is_none_or(|f| at.entry >= f)
                && a.to.is_none_or(|t| at.entry <= t)
                && a.channel.is_none_or(|c| c == at.channel)
                && (a.versions.is_empty() || a.versions.iter().any(|v| v == at.version))
        })
    }
}

/// `v1.2+`, `v1.1-v1.3`, `-v1.3`, `v1.4`, `v1.5.0` → inclusive entry bounds.
fn range(term: &str) -> Result<(Option<usize>, Option<usize>), String> {
    if let Some(from) = term.strip_suffix('+') {
        return Ok((Some(bound(from, false)?), None));
    }
    if let Some(to) = term.strip_prefix('-') {
        return Ok((None, Some(bound(to, true)?)));
    }
    if let Some((from, to)) = term.split_once('-') {
        return Ok((Some(bound(from, false)?), Some(bound(to, true)?)));
    }
    Ok((Some(bound(term, false)?), Some(bound(term, true)?)))
}

/// The first (or, for an upper bound, last) entry `tag` names: a minor names all its entries,
/// a patch the entry that holds it.
fn bound(tag: &str, upper: bool) -> Result<usize, String> {
    let (major, minor, patch) = parse_tag(tag).ok_or_else(|| format!("cannot read {tag:?}"))?;
    let matches = |e: &Entry| {
        e.patches.iter().any(|p| {
            let t = parse_tag(p).expect("checked when read");
            (t.0, t.1) == (major, minor) && patch.is_none_or(|x| t.2 == Some(x))
        })
    };
    let mut hits = entries().iter().enumerate().filter(|(_, e)| matches(e));
    let hit = if upper { hits.next_back() } else { hits.next() };
    hit.map(|(i, _)| i)
        .ok_or_else(|| format!("unknown release {tag:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(cond: &str, release: &str, channel: Channel, version: &str) -> bool {
        let entry = Release::parse(release).unwrap().entry_index();
        Cond::parse(cond).unwrap().holds(At {
            entry,
            channel,
            version,
        })
    }

    #[test]
    fn the_registry_reads() {
        let e = entries();
        assert_eq!(e[0].name, "v1.0");
        assert!(!e[0].selectable);
        assert_eq!(Release::newest().tag(), "v1.6.1");
        assert_eq!(Release::newest().minor(), "v1.6");
        assert!(Release::known().contains(&"v1.2.0"));
        assert!(!Release::known().contains(&"v1.0.0"));
    }

    #[test]
    fn bundles_list_what_they_ship_besides_crds() {
        let ships = |tag: &str| Release::parse(tag).unwrap().entry().ships.clone();
        assert!(ships("v1.4").is_empty());
        let vap = ships("v1.5.0");
        assert_eq!(
            vap.iter().map(Shipped::to_string).collect::<Vec<_>>(),
            [
                "admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy",
                "admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding"
            ]
        );
        assert_eq!(ships("v1.5.1"), vap);
        assert_eq!(ships("v1.6.0"), vap);
        let entry = |ships: &str| {
            let text =
                format!("releases:\n  - {{name: v1.5.0, patches: [v1.5.0], ships: {ships}}}\n");
            crate::yaml::parse_json_documents(&text).unwrap().remove(0)
        };
        assert!(read_entries(&entry("['v1 ConfigMap']")).is_ok());
        for bad in [
            "'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy'",
            "['ValidatingAdmissionPolicy']",
            "['a/b/c Kind']",
            "['v1  ConfigMap']",
            "['v1 configMap']",
            "[1]",
        ] {
            let e = read_entries(&entry(bad)).unwrap_err();
            assert!(e.contains("ships"), "{bad}: {e}");
        }
    }

    #[test]
    fn releases_parse_as_users_write_them() {
        assert_eq!(Release::parse("v1.5").unwrap().tag(), "v1.5.1");
        assert_eq!(Release::parse("1.5").unwrap().tag(), "v1.5.1");
        assert_eq!(Release::parse("v1.5.0").unwrap().tag(), "v1.5.0");
        assert_eq!(Release::parse("v1.2.0").unwrap().tag(), "v1.2.0");
        assert_eq!(
            Release::parse("v1.2.0").unwrap().entry_index(),
            Release::parse("v1.2.1").unwrap().entry_index()
        );
        assert_eq!(Release::parse("v1.1").unwrap().tag(), "v1.1.1");
        for bad in ["v1.9", "v2", "latest", "", "v1.0", "v1.5.9", "v1.5.1.1"] {
            let e = Release::parse(bad).unwrap_err();
            assert!(e.contains("v1.6.1"), "{bad}: {e}");
        }
    }

    #[test]
    fn conditions_hold_where_they_say() {
        use Channel::*;
        assert!(holds("v1.2+", "v1.2", Standard, "v1"));
        assert!(!holds("v1.2+", "v1.1.1", Standard, "v1"));
        assert!(holds(
            "experimental v1.2+, standard v1.4+",
            "v1.3",
            Experimental,
            "v1"
        ));
        assert!(!holds(
            "experimental v1.2+, standard v1.4+",
            "v1.3",
            Standard,
            "v1"
        ));
        assert!(holds(
            "experimental v1.2+, standard v1.4+",
            "v1.4.0",
            Standard,
            "v1"
        ));
        assert!(holds("v1.1-v1.3", "v1.3", Standard, "v1"));
        assert!(!holds("v1.1-v1.3", "v1.4", Standard, "v1"));
        assert!(holds("-v1.1.0", "v1.1.0", Standard, "v1"));
        assert!(!holds("-v1.1.0", "v1.1.1", Standard, "v1"));
        assert!(holds("v1.5", "v1.5.0", Standard, "v1"));
        assert!(holds("v1.5", "v1.5.1", Standard, "v1"));
        assert!(holds("v1alpha3|v1", "v1.5", Standard, "v1"));
        assert!(!holds("v1alpha3|v1", "v1.5", Standard, "v1alpha2"));
        for bad in ["", "v1.9+", "standard experimental", "bogus", "v1.2+ v1.3+"] {
            assert!(Cond::parse(bad).is_err(), "{bad}");
        }
    }
}
