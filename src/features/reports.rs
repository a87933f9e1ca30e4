//! Conformance reports: what an implementation says it passes, feature by feature.
//!
//! Owns [`Report`] (the facts gwctl keeps of one upstream `ConformanceReport`: the
//! implementation, its version, mode, the Gateway API release and channel it ran, and per
//! profile the core and extended results, the features it supports and does not, and the
//! tests it skipped or failed), reading one from a report file ([`Report::from_json`], both
//! `v1alpha1` and `v1` reports, old field spellings included), and the bundled collection
//! ([`bundled`]): upstream's reports for the releases gwctl lints against, kept in
//! `schemas/conformance-reports.txt` in gwctl's own compact form ([`encode`], [`decode`]).
//! The bundle is parsed the first time a command asks for it, never at start-up.

use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::Value;

const BUNDLED: &str = include_str!("../../schemas/conformance-reports.txt");

/// The API versions of `ConformanceReport` gwctl reads.
pub const API_VERSIONS: [&str; 2] = [
    "gateway.networking.k8s.io/v1alpha1",
    "gateway.networking.k8s.io/v1",
];

/// The facts of one conformance report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Where the report came from: upstream's `<release>/<implementation>/<file>` for the
    /// bundled ones, the file's path for a user's.
    pub source: String,
    pub organization: String,
    pub project: String,
    /// The implementation's version, as the report writes it (`v1.9.0`, `1.19.0-pre.2`).
    pub version: String,
    /// The implementation's mode (`default`, `gateway-namespace-mode`); reports before
    /// v1.1 have none.
    pub mode: Option<String>,
    /// The Gateway API release the suite ran (`v1.6.1`).
    pub gateway_api_version: String,
    /// `standard` or `experimental`; reports before v1.1 have none.
    pub channel: Option<String>,
    pub profiles: Vec<Profile>,
}

/// One conformance profile of a report (`GATEWAY-HTTP`, `MESH-HTTP`, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub name: String,
    /// `success`, `partial` or `failure`; `None` when the report has no core part.
    pub core: Option<String>,
    /// The extended part's result, when the report has one.
    pub extended: Option<String>,
    pub supported: Vec<String>,
    pub unsupported: Vec<String>,
    /// Tests skipped, core and extended together.
    pub skipped_tests: Vec<String>,
    /// Tests failed, core and extended together.
    pub failed_tests: Vec<String>,
}

impl Report {
    /// How the implementation is named on the command line: its project, in lower case
    /// with `-` for anything but letters and digits (`envoy-gateway`, `istio`).
    pub fn name(&self) -> String {
        slug(&self.project)
    }

    /// `envoy-gateway v1.9.0` (mode default, experimental channel).
    pub fn describe(&self) -> String {
        format!(
            "{} {} (mode {}, Gateway API {} {} channel)",
            self.name(),
            self.version,
            self.mode.as_deref().unwrap_or("unstated"),
            self.gateway_api_version,
            self.channel.as_deref().unwrap_or("unstated"),
        )
    }

    /// Reads the facts of a `ConformanceReport` document (its JSON). `source` says where
    /// it came from.
    pub fn from_json(source: &str, v: &Value) -> Result<Report, String> {
        let Some(map) = v.as_object() else {
            return Err("not a ConformanceReport: the document is not a mapping".into());
        };
        match map.get("kind").and_then(Value::as_str) {
            Some("ConformanceReport") => {}
            Some(kind) => {
                return Err(format!(
                    "not a ConformanceReport: its kind is {kind}; give a report written by the Gateway API conformance suite"
                ));
            }
            None => {
                return Err(
                    "not a ConformanceReport: it has no kind; give a report written by the Gateway API conformance suite"
                        .into(),
                );
            }
        }
        match map.get("apiVersion").and_then(Value::as_str) {
            Some(a) if API_VERSIONS.contains(&a) => {}
            Some(a) => {
                return Err(format!(
                    "ConformanceReport apiVersion {a} is unknown; gwctl reads {}",
                    API_VERSIONS.join(" and ")
                ));
            }
            None => {
                return Err(format!(
                    "the ConformanceReport has no apiVersion; gwctl reads {}",
                    API_VERSIONS.join(" and ")
                ));
            }
        }
        let text = |v: Option<&Value>| -> Option<String> {
            match v? {
                Value::String(s) => Some(s.clone()),
                // `version: 1.0` unquoted in some reports.
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            }
        };
        let implementation = map.get("implementation").unwrap_or(&Value::Null);
        let field = |key: &str| text(implementation.get(key));
        let gateway_api_version = text(map.get("gatewayAPIVersion"))
            .ok_or("the ConformanceReport has no gatewayAPIVersion: gwctl cannot tell which Gateway API release it ran")?;
        // Reports of v0.7 called the list `profileReports`.
        let profiles = map
            .get("profiles")
            .or_else(|| map.get("profileReports"))
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        Ok(Report {
            source: source.to_owned(),
            organization: field("organization").unwrap_or_default(),
            project: field("project")
                .ok_or("the ConformanceReport names no implementation.project")?,
            version: field("version").unwrap_or_default(),
            mode: text(map.get("mode")),
            gateway_api_version,
            channel: text(map.get("gatewayAPIChannel")),
            profiles: profiles.iter().filter_map(read_profile).collect(),
        })
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// One profile; the result and test lists may sit under a `status` (some v1alpha1
/// reports nest them so).
fn read_profile(p: &Value) -> Option<Profile> {
    let name = p.get("name")?.as_str()?.to_owned();
    let part = |key: &str| p.get(key).filter(|v| v.is_object());
    let result = |part: &Value| {
        part.get("result")
            .or_else(|| part.pointer("/status/result"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let tests = |part: Option<&Value>, key: &str| {
        part.map(|v| {
            let mut t = strings(v.get(key));
            t.extend(strings(v.pointer(&format!("/status/{key}"))));
            t
        })
        .unwrap_or_default()
    };
    let core = part("core");
    let extended = part("extended");
    let mut skipped_tests = tests(core, "skippedTests");
    skipped_tests.extend(tests(extended, "skippedTests"));
    let mut failed_tests = tests(core, "failedTests");
    failed_tests.extend(tests(extended, "failedTests"));
    Some(Profile {
        name,
        core: core.and_then(result),
        extended: extended.and_then(result),
        supported: strings(extended.and_then(|e| e.get("supportedFeatures"))),
        unsupported: strings(extended.and_then(|e| e.get("unsupportedFeatures"))),
        skipped_tests,
        failed_tests,
    })
}

/// `Application Gateway for Containers` → `application-gateway-for-containers`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// The bundled reports, in the order of `schemas/conformance-reports.txt` (by release,
/// then implementation folder, then file), read the first time they are asked for.
pub fn bundled() -> &'static [Report] {
    static REPORTS: OnceLock<Vec<Report>> = OnceLock::new();
    REPORTS.get_or_init(|| {
        decode(BUNDLED).unwrap_or_else(|e| {
            // The file is part of the binary, and a test decodes it.
            panic!("schemas/conformance-reports.txt is broken: {e}")
        })
    })
}

/// The bundled form of `reports`: a table of every feature and test name (`n NAME`,
/// numbered from 0 in order), then per report its source (`r`), its facts (`i`, tab
/// separated: organization, project, version, mode, release, channel; `-` for none) and per
/// profile a `p NAME CORE EXTENDED` line followed by the numbers of its supported (`+`),
/// unsupported (`-`), skipped (`s`) and failed (`f`) names. Names are numbered because the
/// same few dozen feature names fill every report: written out, they were four fifths of
/// the bytes.
pub fn encode(reports: &[Report], header: &str) -> String {
    let mut names: Vec<&str> = reports
        .iter()
        .flat_map(|r| &r.profiles)
        .flat_map(|p| {
            p.supported
                .iter()
                .chain(&p.unsupported)
                .chain(&p.skipped_tests)
                .chain(&p.failed_tests)
        })
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    names.dedup();
    let index = |n: &str| names.binary_search(&n).expect("collected above");
    let mut out = String::from(header);
    for n in &names {
        let _ = writeln!(out, "n {n}");
    }
    let or_dash = |s: Option<&str>| s.unwrap_or("-").to_owned();
    for r in reports {
        let _ = writeln!(out, "r {}", r.source);
        let _ = writeln!(
            out,
            "i {}\t{}\t{}\t{}\t{}\t{}",
            r.organization,
            r.project,
            r.version,
            or_dash(r.mode.as_deref()),
            r.gateway_api_version,
            or_dash(r.channel.as_deref())
        );
        for p in &r.profiles {
            let _ = writeln!(
                out,
                "p {} {} {}",
                p.name,
                or_dash(p.core.as_deref()),
                or_dash(p.extended.as_deref())
            );
            for (tag, list) in [
                ('+', &p.supported),
                ('-', &p.unsupported),
                ('s', &p.skipped_tests),
                ('f', &p.failed_tests),
            ] {
                if !list.is_empty() {
                    let nums: Vec<String> = list.iter().map(|n| index(n).to_string()).collect();
                    let _ = writeln!(out, "{tag} {}", nums.join(" "));
                }
            }
        }
    }
    out
}

/// Reads what [`encode`] wrote.
pub fn decode(text: &str) -> Result<Vec<Report>, String> {
    let mut names: Vec<&str> = Vec::new();
    let mut reports: Vec<Report> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let err = |m: &str| format!("line {}: {m}", i + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (tag, rest) = line.split_once(' ').ok_or_else(|| err("no tag"))?;
        let dash = |s: &str| (s != "-").then(|| s.to_owned());
        match tag {
            "n" => names.push(rest),
            "r" => reports.push(Report {
                source: rest.to_owned(),
                organization: String::new(),
                project: String::new(),
                version: String::new(),
                mode: None,
                gateway_api_version: String::new(),
                channel: None,
                profiles: Vec::new(),
            }),
            "i" => {
                let r = reports
                    .last_mut()
                    .ok_or_else(|| err("facts before a report"))?;
                let f: Vec<&str> = rest.split('\t').collect();
                let [org, project, version, mode, release, channel] = f[..] else {
                    return Err(err("expected six tab-separated facts"));
                };
                r.organization = org.to_owned();
                r.project = project.to_owned();
                r.version = version.to_owned();
                r.mode = dash(mode);
                r.gateway_api_version = release.to_owned();
                r.channel = dash(channel);
            }
            "p" => {
                let r = reports
                    .last_mut()
                    .ok_or_else(|| err("profile before a report"))?;
                let f: Vec<&str> = rest.split(' ').collect();
                let [name, core, extended] = f[..] else {
                    return Err(err("expected a profile's name and two results"));
                };
                r.profiles.push(Profile {
                    name: name.to_owned(),
                    core: dash(core),
                    extended: dash(extended),
                    ..Default::default()
                });
            }
            "+" | "-" | "s" | "f" => {
                let p = reports
                    .last_mut()
                    .and_then(|r| r.profiles.last_mut())
                    .ok_or_else(|| err("a list before a profile"))?;
                let list = match tag {
                    "+" => &mut p.supported,
                    "-" => &mut p.unsupported,
                    "s" => &mut p.skipped_tests,
                    _ => &mut p.failed_tests,
                };
                for n in rest.split(' ') {
                    let name = n
                        .parse::<usize>()
                        .ok()
                        .and_then(|n| names.get(n))
                        .ok_or_else(|| err(&format!("{n} is no name's number")))?;
                    list.push((*name).to_owned());
                }
            }
            _ => return Err(err(&format!("unknown tag {tag}"))),
        }
    }
    Ok(reports)
}

/// Whether a report says an implementation supports one feature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Support<'r> {
    /// Listed as supported, or a core feature of a profile whose core tests passed.
    Supported,
    /// Listed among a profile's unsupported features.
    Unsupported { profile: &'r str },
    /// A core feature of a profile whose core tests did not all pass.
    CoreNotPassed { profile: &'r Profile },
    /// The report runs a profile that tests the feature, and lists it neither way.
    NotListed { profiles: Vec<&'r str> },
    /// The report runs none of the profiles that test the feature.
    NotTested { profiles: Vec<&'static str> },
}

impl Report {
    /// What the report says of `feature`, which `tested_in` profiles test.
    pub fn support(&self, feature: &str, tested_in: &[super::ProfileLevel]) -> Support<'_> {
        if self
            .profiles
            .iter()
            .any(|p| p.supported.iter().any(|f| f == feature))
        {
            return Support::Supported;
        }
        let mut core_failed = None;
        for t in tested_in.iter().filter(|t| t.level == super::Level::Core) {
            for p in self.profiles.iter().filter(|p| p.name == t.profile) {
                match p.core.as_deref() {
                    Some("success") => return Support::Supported,
                    Some(_) => core_failed = core_failed.or(Some(p)),
                    None => {}
                }
            }
        }
        if let Some(profile) = core_failed {
            return Support::CoreNotPassed { profile };
        }
        if let Some(p) = self
            .profiles
            .iter()
            .find(|p| p.unsupported.iter().any(|f| f == feature))
        {
            return Support::Unsupported { profile: &p.name };
        }
        let run: Vec<&str> = self
            .profiles
            .iter()
            .filter(|p| tested_in.iter().any(|t| t.profile == p.name))
            .map(|p| p.name.as_str())
            .collect();
        if run.is_empty() {
            Support::NotTested {
                profiles: tested_in.iter().map(|t| t.profile).collect(),
            }
        } else {
            Support::NotListed { profiles: run }
        }
    }
}

/// `v1.19.0` and `1.19.0` alike, a pre-release (`1.19.0-pre.2`) before its release: for
/// choosing an implementation's newest report.
fn version_key(v: &str) -> (Vec<u64>, bool) {
    let v = v.trim().trim_start_matches('v');
    let (main, pre) = match v.split_once('-') {
        Some((m, _)) => (m, true),
        None => (v, false),
    };
    let nums = main
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    (nums, !pre)
}

/// `v1.5.1` → `v1.5`.
fn minor_of(tag: &str) -> String {
    let t = tag.trim().trim_start_matches('v');
    let mut parts = t.split('.');
    match (parts.next(), parts.next()) {
        (Some(a), Some(b)) => format!("v{a}.{b}"),
        _ => format!("v{t}"),
    }
}

/// The bundled report `spec` (`NAME` or `NAME@VERSION`) names for a lint of `release` in
/// `channel`. A name alone means the implementation's newest report for the release's
/// minor (its `default` mode and the lint's channel first). The error says what is known:
/// the implementations, closest first, or the versions and releases the implementation has
/// reports for.
pub fn find(spec: &str, release: &str, channel: &str) -> Result<&'static Report, String> {
    let all = bundled();
    let (name, version) = match spec.split_once('@') {
        Some((n, v)) => (n.trim(), Some(v.trim())),
        None => (spec.trim(), None),
    };
    let want = slug(name);
    let of_name: Vec<&Report> = all
        .iter()
        .filter(|r| {
            r.name() == want
                || slug(&format!("{} {}", r.organization, r.project)) == want
                || r.source.split('/').nth(1) == Some(want.as_str())
        })
        .collect();
    if of_name.is_empty() {
        let mut known: Vec<String> = all.iter().map(Report::name).collect();
        known.sort();
        known.dedup();
        known.sort_by_key(|k| crate::schema::edit_distance(&want, k));
        return Err(format!(
            "unknown implementation {name:?}; the bundled conformance reports are of {} (closest first)",
            known.join(", ")
        ));
    }
    let minor = minor_of(release);
    let candidates: Vec<&Report> = match version {
        Some(v) => {
            let key = version_key(v);
            let of_version: Vec<&Report> = of_name
                .iter()
                .copied()
                .filter(|r| version_key(&r.version) == key)
                .collect();
            if of_version.is_empty() {
                let mut versions: Vec<&str> = of_name.iter().map(|r| r.version.as_str()).collect();
                versions.sort_by_key(|v| std::cmp::Reverse(version_key(v)));
                versions.dedup();
                return Err(format!(
                    "{name} has no bundled conformance report of version {v}; its reports are of {}",
                    versions.join(", ")
                ));
            }
            // A version names its reports whatever their release; the lint's release first.
            let same: Vec<&Report> = of_version
                .iter()
                .copied()
                .filter(|r| minor_of(&r.gateway_api_version) == minor)
                .collect();
            if same.is_empty() { of_version } else { same }
        }
        None => {
            let same: Vec<&Report> = of_name
                .iter()
                .copied()
                .filter(|r| minor_of(&r.gateway_api_version) == minor)
                .collect();
            if same.is_empty() {
                let mut releases: Vec<String> = of_name
                    .iter()
                    .map(|r| minor_of(&r.gateway_api_version))
                    .collect();
                releases.sort_by_key(|r| std::cmp::Reverse(version_key(r)));
                releases.dedup();
                return Err(format!(
                    "{name} has no bundled conformance report for Gateway API {minor}; it has reports for {}: lint for one of them with --gateway-api-version, name a version (--implementation {name}@VERSION), or give your own report with --conformance-report",
                    releases.join(", ")
                ));
            }
            same
        }
    };
    Ok(candidates
        .into_iter()
        .max_by_key(|r| {
            (
                version_key(&r.version),
                r.mode.as_deref() == Some("default"),
                r.channel.as_deref() == Some(channel),
                r.gateway_api_version == release,
            )
        })
        .expect("not empty"))
}

/// Reads a conformance report file: its first YAML document must be a `ConformanceReport`.
pub fn read_file(path: &std::path::Path) -> Result<Report, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read it: {e}"))?;
    let docs = crate::yaml::parse_json_documents(&text)
        .map_err(|e| format!("not a ConformanceReport: it is not YAML gwctl can read: {e}"))?;
    let doc = docs
        .into_iter()
        .next()
        .ok_or("not a ConformanceReport: the file is empty")?;
    Report::from_json(&path.display().to_string().replace('\\', "/"), &doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_and_versions() {
        assert_eq!(
            slug("Application Gateway for Containers"),
            "application-gateway-for-containers"
        );
        assert_eq!(slug("  nginx-gateway-fabric "), "nginx-gateway-fabric");
        assert!(version_key("v1.9.0") > version_key("1.8.0"));
        assert!(version_key("1.19.0-pre.2") < version_key("1.19.0"));
        assert_eq!(version_key("v1.2"), version_key("1.2"));
        assert_eq!(minor_of("v1.5.1"), "v1.5");
        assert_eq!(minor_of("1.6"), "v1.6");
    }

    /// The shapes of old reports: `profileReports`, results and tests nested under
    /// `status`, lower-case statistics, an unquoted version.
    #[test]
    fn old_report_shapes_are_read() {
        let v = json!({
            "apiVersion": "gateway.networking.k8s.io/v1alpha1",
            "kind": "ConformanceReport",
            "gatewayAPIVersion": "v1.1.0",
            "implementation": {"organization": "Example Org", "project": "Example Proxy", "version": 1.5},
            "profileReports": [
                {"name": "GATEWAY-HTTP",
                 "core": {"result": "partial", "skippedTests": ["A"], "statistics": {"passed": 1}},
                 "extended": {"status": {"result": "success", "failedTests": ["B"]},
                              "supportedFeatures": ["HTTPRouteMethodMatching"],
                              "unsupportedFeatures": ["HTTPRoutePortRedirect"]}},
                {"summary": "a profile without a name is no profile"}
            ]
        });
        let r = Report::from_json("old.yaml", &v).unwrap();
        assert_eq!(r.name(), "example-proxy");
        assert_eq!(r.version, "1.5");
        assert_eq!((r.mode.as_deref(), r.channel.as_deref()), (None, None));
        assert_eq!(r.profiles.len(), 1);
        let p = &r.profiles[0];
        assert_eq!(p.core.as_deref(), Some("partial"));
        assert_eq!(p.extended.as_deref(), Some("success"));
        assert_eq!(p.skipped_tests, ["A"]);
        assert_eq!(p.failed_tests, ["B"]);
        assert_eq!(p.supported, ["HTTPRouteMethodMatching"]);
        assert_eq!(p.unsupported, ["HTTPRoutePortRedirect"]);
        // Round trip through the bundled form.
        let text = encode(std::slice::from_ref(&r), "# test\n");
        assert_eq!(decode(&text).unwrap(), [r]);
    }

    #[test]
    fn what_is_not_a_report_says_so() {
        let e = |v: Value| Report::from_json("x", &v).unwrap_err();
        assert!(e(json!([1])).starts_with("not a ConformanceReport"));
        assert!(e(json!({"kind": "ConfigMap"})).contains("its kind is ConfigMap"));
        assert!(
            e(json!({"kind": "ConformanceReport", "apiVersion": "example.com/v1"}))
                .contains("apiVersion example.com/v1 is unknown")
        );
        assert!(
            e(json!({"kind": "ConformanceReport", "apiVersion": API_VERSIONS[1]}))
                .contains("no gatewayAPIVersion")
        );
        assert!(decode("x 1\n").unwrap_err().contains("unknown tag"));
        assert!(
            decode("r a\np N - -\n+ 7\n")
                .unwrap_err()
                .contains("no name's number")
        );
    }
}
