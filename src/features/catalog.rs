//! The conformance features each Gateway API release names, with their channel and
//! group, and the profiles they belong to.
//!
//! Owns the bundled catalogue (`schemas/conformance-features.txt`, gwctl's compact form of
//! upstream's `pkg/features` at each tag: [`encode`] writes it, [`decode`] reads it), the
//! lookups over it ([`Catalog::lookup`], [`Catalog::names`]) and [`membership`], which
//! profiles a feature is tested in and whether as core or extended. Parsed the first time a
//! command asks.

use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::Serialize;

const BUNDLED: &str = include_str!("../../schemas/conformance-features.txt");

/// What a release says of one feature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Info {
    /// `standard` or `experimental`; `None` where the release did not say (v1.1).
    pub channel: Option<String>,
    /// Upstream's group: `HTTPRouteExtended`, `GatewayCore`...; `None` where it had none.
    pub group: Option<String>,
}

/// One feature's history: the releases where what is said of it changes (`None`: gone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    pub name: String,
    pub changes: Vec<(String, Option<Info>)>,
}

/// The releases the catalogue has a table for, oldest first, and every feature's history.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    pub releases: Vec<String>,
    pub features: Vec<History>,
}

/// The bundled catalogue.
pub fn bundled() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        decode(BUNDLED).unwrap_or_else(|e| {
            // The file is part of the binary, and a test decodes it.
            panic!("schemas/conformance-features.txt is broken: {e}")
        })
    })
}

/// `v1.5.1` → (1, 5, 1).
fn version(tag: &str) -> Option<(u32, u32, u32)> {
    let mut p = tag.strip_prefix('v').unwrap_or(tag).split('.');
    let major = p.next()?.parse().ok()?;
    let minor = p.next()?.parse().ok()?;
    let patch = p.next().map_or(Some(0), |s| s.parse().ok())?;
    Some((major, minor, patch))
}

impl Catalog {
    /// The catalogue's table for release `tag`: its own, else the newest older one of the
    /// same minor (v1.4.1 is read with v1.4.0's: patches add no feature).
    fn table_for(&self, tag: &str) -> Option<usize> {
        let want = version(tag)?;
        self.releases
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((i, version(r)?)))
            .filter(|(_, v)| (v.0, v.1) == (want.0, want.1) && *v <= want)
            .map(|(i, _)| i)
            .next_back()
    }

    /// What release `tag` says of feature `name`; `None` when the release has no such
    /// feature.
    pub fn lookup(&self, tag: &str, name: &str) -> Option<Info> {
        let table = self.table_for(tag)?;
        let f = self.features.iter().find(|f| f.name == name)?;
        at(f, &self.releases, table)
    }

    /// Every feature release `tag` names, by name.
    pub fn names(&self, tag: &str) -> Vec<(&str, Info)> {
        let Some(table) = self.table_for(tag) else {
            return Vec::new();
        };
        self.features
            .iter()
            .filter_map(|f| Some((f.name.as_str(), at(f, &self.releases, table)?)))
            .collect()
    }
}

/// What `f`'s history says at the table numbered `table`.
fn at(f: &History, releases: &[String], table: usize) -> Option<Info> {
    f.changes
        .iter()
        .rfind(|(r, _)| {
            releases
                .iter()
                .position(|x| x == r)
                .is_some_and(|i| i <= table)
        })
        .and_then(|(_, info)| info.clone())
}

/// Reads upstream's table (`conformance-features.tsv`: `## RELEASE` headings, then
/// `FEATURE<TAB>CHANNEL<TAB>GROUP` lines, `?` for a channel not said) into a catalogue.
pub fn from_tables(tsv: &str) -> Result<Catalog, String> {
    let mut releases: Vec<String> = Vec::new();
    let mut rows: Vec<(usize, String, Info)> = Vec::new();
    for (i, line) in tsv.lines().enumerate() {
        if let Some(r) = line.strip_prefix("## ") {
            releases.push(r.trim().to_owned());
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut f = line.split('\t');
        let (Some(name), Some(channel), group) = (f.next(), f.next(), f.next()) else {
            return Err(format!("line {}: expected FEATURE, CHANNEL, GROUP", i + 1));
        };
        let table = releases
            .len()
            .checked_sub(1)
            .ok_or_else(|| format!("line {}: a feature before any release", i + 1))?;
        let channel = match channel {
            "?" | "" => None,
            c => Some(c.to_ascii_lowercase()),
        };
        let group = group
            .map(|g| g.trim_end_matches("Features"))
            .filter(|g| !g.is_empty())
            .map(str::to_owned);
        rows.push((table, name.to_owned(), Info { channel, group }));
    }
    let mut names: Vec<&str> = rows.iter().map(|(_, n, _)| n.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let features = names
        .iter()
        .map(|name| {
            let mut changes = Vec::new();
            let mut last: Option<Info> = None;
            for (t, r) in releases.iter().enumerate() {
                let now = rows
                    .iter()
                    .find(|(tt, n, _)| *tt == t && n == name)
                    .map(|(_, _, info)| info.clone());
                if now != last {
                    changes.push((r.clone(), now.clone()));
                    last = now;
                }
            }
            History {
                name: (*name).to_owned(),
                changes,
            }
        })
        .collect();
    Ok(Catalog { releases, features })
}

/// The bundled form: `releases` and the tables' releases, then one line per feature: its
/// name and, at each release where what is said of it changes,
/// `RELEASE:CHANNEL:GROUP` (`-` for none; `RELEASE:gone` when it is no longer named).
pub fn encode(c: &Catalog, header: &str) -> String {
    let mut out = String::from(header);
    let _ = writeln!(out, "releases {}", c.releases.join(" "));
    for f in &c.features {
        out.push_str(&f.name);
        for (r, info) in &f.changes {
            match info {
                Some(i) => {
                    let _ = write!(
                        out,
                        " {r}:{}:{}",
                        i.channel.as_deref().unwrap_or("-"),
                        i.group.as_deref().unwrap_or("-")
                    );
                }
                None => {
                    let _ = write!(out, " {r}:gone");
                }
            }
        }
        out.push('\n');
    }
    out
}

/// Reads what [`encode`] wrote.
pub fn decode(text: &str) -> Result<Catalog, String> {
    let mut c = Catalog::default();
    for (i, line) in text.lines().enumerate() {
        let err = |m: &str| format!("line {}: {m}", i + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(r) = line.strip_prefix("releases ") {
            c.releases = r.split(' ').map(str::to_owned).collect();
            continue;
        }
        let mut words = line.split(' ');
        let name = words.next().unwrap_or_default().to_owned();
        let mut changes = Vec::new();
        for w in words {
            let parts: Vec<&str> = w.split(':').collect();
            let dash = |s: &str| (s != "-").then(|| s.to_owned());
            let change = match parts[..] {
                [r, "gone"] => (r.to_owned(), None),
                [r, channel, group] => (
                    r.to_owned(),
                    Some(Info {
                        channel: dash(channel),
                        group: dash(group),
                    }),
                ),
                _ => return Err(err(&format!("{w:?} is not RELEASE:CHANNEL:GROUP"))),
            };
            if !c.releases.contains(&change.0) {
                return Err(err(&format!("{} is not among the releases", change.0)));
            }
            changes.push(change);
        }
        c.features.push(History { name, changes });
    }
    Ok(c)
}

/// Core or extended, within one profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Core,
    Extended,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Core => "core",
            Level::Extended => "extended",
        }
    }
}

/// The Gateway profiles every Gateway-wide feature is tested in. GATEWAY-TCP and
/// GATEWAY-UDP are profiles from v1.6 on, when TCPRoute became a feature of its own.
fn gateway_profiles(tcp_udp: bool) -> &'static [&'static str] {
    if tcp_udp {
        &[
            "GATEWAY-HTTP",
            "GATEWAY-GRPC",
            "GATEWAY-TLS",
            "GATEWAY-TCP",
            "GATEWAY-UDP",
        ]
    } else {
        &["GATEWAY-HTTP", "GATEWAY-GRPC", "GATEWAY-TLS"]
    }
}

/// Which profiles test feature `name` (of `group`) in release `tag`, and how: upstream's
/// profile definitions (conformance/utils/suite/profiles.go), which group by feature group.
/// BackendTLSPolicy's core features are extended features of GATEWAY-HTTP; HTTPRoute's
/// extended features are GATEWAY-HTTP's (mesh tests that need one also need MESH-HTTP,
/// which has its own `Mesh...` variants of some).
pub fn membership(c: &Catalog, tag: &str, name: &str, group: &str) -> Vec<(&'static str, Level)> {
    let tcp_udp = c.lookup(tag, "TCPRoute").is_some();
    let all = |profiles: &[&'static str], level| profiles.iter().map(|p| (*p, level)).collect();
    match group {
        "GatewayCore" | "ReferenceGrantCore" => all(gateway_profiles(tcp_udp), Level::Core),
        "GatewayExtended" => all(gateway_profiles(tcp_udp), Level::Extended),
        "HTTPRouteCore" => all(&["GATEWAY-HTTP", "MESH-HTTP"], Level::Core),
        "GRPCRouteCore" => all(&["GATEWAY-GRPC", "MESH-GRPC"], Level::Core),
        "GRPCRouteExtended" => all(&["GATEWAY-GRPC"], Level::Extended),
        "TLSRouteCore" => all(&["GATEWAY-TLS"], Level::Core),
        "TLSRouteExtended" => all(&["GATEWAY-TLS"], Level::Extended),
        "MeshCore" => all(&["MESH-HTTP", "MESH-GRPC"], Level::Core),
        "MeshExtended" => all(&["MESH-HTTP"], Level::Extended),
        g if g.starts_with("HTTPRoute") || g.starts_with("BackendTLSPolicy") => {
            all(&["GATEWAY-HTTP"], Level::Extended)
        }
        g if g.starts_with("TCPRoute") || name == "TCPRoute" => {
            all(&["GATEWAY-TCP"], Level::Extended)
        }
        _ if name == "UDPRoute" => all(&["GATEWAY-UDP"], Level::Extended),
        _ => Vec::new(),
    }
}
