//! The SARIF output format: SARIF 2.1.0, for GitHub code scanning
//! (`github/codeql-action/upload-sarif`) and other SARIF viewers.
//!
//! Wire shape (one log per run; the serde structs below are the whole of it):
//! ```json
//! {
//!   "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
//!   "version": "2.1.0",
//!   "runs": [{
//!     "tool": {"driver": {
//!       "name": "gwctl", "version": "0.1.0", "semanticVersion": "0.1.0",
//!       "informationUri": "https://…",
//!       "rules": [{
//!         "id": "GW030", "name": "duplicate-object",
//!         "shortDescription": {"text": "<summary>"},
//!         "fullDescription": {"text": "<first paragraph of the docs>"},
//!         "help": {"text": "<docs as plain text>", "markdown": "<docs>"},
//!         "defaultConfiguration": {"level": "error"},
//!         "properties": {"tags": ["input"]}
//!       }]
//!     }},
//!     "invocations": [{"executionSuccessful": true, "toolExecutionNotifications": []}],
//!     "columnKind": "unicodeCodePoints",
//!     "results": [{
//!       "ruleId": "GW030", "ruleIndex": 0, "level": "error",
//!       "message": {"text": "<message>\nhelp: <help>"},
//!       "locations": [{"physicalLocation": {
//!         "artifactLocation": {"uri": "routes.yaml", "uriBaseId": "%SRCROOT%"},
//!         "region": {"startLine": 12, "startColumn": 9, "endLine": 12, "endColumn": 13}
//!       }}],
//!       "relatedLocations": [{"id": 1, "physicalLocation": {…}, "message": {"text": "first defined here"}}],
//!       "partialFingerprints": {"gwctl/v1": "<64 hex digits>"},
//!       "properties": {"object": {…}, "field": "spec.rules[0]"}
//!     }]
//!   }]
//! }
//! ```
//! - `driver.rules` lists the rules that have results in this log, ordered by code;
//!   `ruleIndex` points into it. Listing only those keeps the log small and its content
//!   independent of rules that did not fire.
//! - Levels: error → `error`, warning → `warning`, info → `note`.
//! - Relative paths are given against `%SRCROOT%` (the folder gwctl ran in, which is what
//!   GitHub resolves them against); absolute paths outside it are `file://` URIs. Paths are
//!   percent-encoded, so every `uri` is a valid URI reference.
//! - GitHub needs a line for every result, so a finding about a whole file (a binary file)
//!   is placed on line 1 of it.
//! - `columnKind` is `unicodeCodePoints` because gwctl's columns count characters.
//! - Inputs gwctl could not read are `toolExecutionNotifications` with level `error`, and
//!   make `executionSuccessful` false.
//! - With `lint --cluster FILES` the live state is the baseline: each result has a
//!   `baselineState`, `new`, `unchanged` (in the cluster already) or `absent` (in the
//!   cluster, fixed by the files). An absent result also has `kind: "pass"` and
//!   `level: "none"`, so that no viewer shows it as a problem.
//! - A location in a live object (`lint --cluster`) has the URI
//!   `cluster:Kind/namespace/name` (no namespace part for cluster-scoped kinds) and a
//!   `logicalLocations` entry `{"name", "fullyQualifiedName": "Kind/namespace/name",
//!   "kind": "resource"}`; its region is in the YAML gwctl wrote for the object.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::diag::{Change, Diagnostic, Label, ObjectRef, RuleMeta, Severity};
use crate::lint::report::Report;
use crate::source::{Origin, SourceFile, SourceMap};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a, R> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a, R>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a, R> {
    tool: Tool<'a>,
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    results: R,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text,
    full_description: Text,
    help: Help<'a>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help<'a> {
    text: String,
    markdown: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    /// `pass` for a finding the files fix (`lint --cluster FILES`); otherwise left out, which
    /// means `fail`.
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    level: &'static str,
    /// `new`, `unchanged` or `absent`, only with `lint --cluster FILES`: the live state is
    /// the baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "ResultProperties::is_empty")]
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "gwctl/v1")]
    gwctl: String,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'a ObjectRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

impl ResultProperties<'_> {
    fn is_empty(&self) -> bool {
        self.object.is_none() && self.field.is_none()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    /// The object in the cluster, for a location in a live object.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

pub fn render(report: &Report, sources: &SourceMap, out: &mut dyn Write) -> io::Result<()> {
    let mut used: Vec<&'static RuleMeta> = report.diagnostics.iter().map(|d| d.rule).collect();
    used.sort_by_key(|r| r.code);
    used.dedup_by_key(|r| r.code);
    let fingerprints = super::fingerprints(report, sources);
    let results = report
        .diagnostics
        .iter()
        .zip(fingerprints)
        .map(|(d, fingerprint)| {
            let region = match super::position(d, sources) {
                Some((_, line, col, end_line, end_col)) => Region {
                    start_line: line,
                    start_column: Some(col),
                    end_line: Some(end_line),
                    end_column: Some(end_col),
                },
                None => Region {
                    start_line: 1,
                    start_column: None,
                    end_line: None,
                    end_column: None,
                },
            };
            let mut text = d.message.to_string();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            SarifResult {
                rule_id: d.code(),
                rule_index: used.iter().position(|r| d.is(r)),
                kind: (d.status == Some(Change::Fixed)).then_some("pass"),
                level: match d.status {
                    // Fixed by the files: a result that passes has level `none`.
                    Some(Change::Fixed) => "none",
                    _ => level(d.severity),
                },
                baseline_state: d.status.map(baseline_state),
                message: Text { text },
                locations: vec![primary_location(d, sources, region)],
                related_locations: d
                    .secondary
                    .iter()
                    .enumerate()
                    .map(|(i, l)| related(i + 1, l, sources))
                    .collect(),
                partial_fingerprints: Fingerprints { gwctl: fingerprint },
                properties: ResultProperties {
                    object: d.object.as_deref(),
                    field: d.field.as_deref(),
                },
            }
        });
    let notifications: Vec<Notification> = report
        .errors
        .iter()
        .map(|e| Notification {
            level: "error",
            message: Text {
                text: format!("cannot read {e}"),
            },
            locations: vec![Location {
                id: None,
                physical_location: physical(e.path(), None),
                logical_locations: Vec::new(),
                message: None,
            }],
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "gwctl",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: information_uri(),
                    rules: used.iter().map(|r| rule(r)).collect(),
                },
            },
            invocations: vec![Invocation {
                execution_successful: notifications.is_empty(),
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results: super::Streamed::new(results),
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The project's address from Cargo.toml (`homepage`, else `repository`), else the Gateway
/// API documentation, which is what gwctl's rules refer to.
fn information_uri() -> &'static str {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|u| !u.is_empty())
        .unwrap_or("https://gateway-api.sigs.k8s.io/")
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(r: &'static RuleMeta) -> Rule<'static> {
    Rule {
        id: r.code,
        name: r.name,
        short_description: Text {
            text: r.summary.to_owned(),
        },
        full_description: Text {
            text: first_paragraph(r.docs).unwrap_or_else(|| r.summary.to_owned()),
        },
        help: Help {
            text: super::markdown_to_text(r.docs),
            markdown: r.docs,
        },
        default_configuration: Configuration {
            level: level(r.severity),
        },
        properties: RuleProperties {
            tags: serde_json::to_value(r.category)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .into_iter()
                .collect(),
        },
    }
}

/// The first paragraph of markdown that is not a heading, as plain text: for rules, what
/// the rule checks.
fn first_paragraph(md: &str) -> Option<String> {
    let lines: Vec<&str> = md
        .lines()
        .skip_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        .take_while(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .collect();
    (!lines.is_empty()).then(|| super::markdown_to_text(&lines.join("\n")).replace('\n', " "))
}

/// SARIF's name for how a finding relates to the live state, which is the baseline.
fn baseline_state(c: Change) -> &'static str {
    match c {
        Change::New => "new",
        Change::Existing => "unchanged",
        Change::Fixed => "absent",
    }
}

/// Where a finding is: its file, or for a finding about a whole file the file it names.
fn primary_location(d: &Diagnostic, sources: &SourceMap, region: Region) -> Location {
    match &d.primary {
        Some(l) => in_source(sources.get(l.file), region, None, None),
        None => Location {
            id: None,
            physical_location: physical(d.file_hint.as_deref().unwrap_or_default(), Some(region)),
            logical_locations: Vec::new(),
            message: None,
        },
    }
}

fn related(id: usize, l: &Label, sources: &SourceMap) -> Location {
    let file = sources.get(l.file);
    let (line, col) = file.line_col(l.span.start);
    let (end_line, end_col) = file.line_col(l.span.end);
    let region = Region {
        start_line: line,
        start_column: Some(col),
        end_line: Some(end_line),
        end_column: Some(end_col),
    };
    let message = l.message.as_ref().map(|m| Text {
        text: m.to_string(),
    });
    in_source(file, region, Some(id), message)
}

/// A location in `file`. A live object (`lint --cluster`) has no file in the repository:
/// it is named by a `cluster:` URI and a logical location, `Kind/namespace/name`, without
/// its resourceVersion, which changes on every write and would make viewers treat the same
/// finding as a new one (the region is in the YAML gwctl wrote for the object).
fn in_source(
    file: &SourceFile,
    region: Region,
    id: Option<usize>,
    message: Option<Text>,
) -> Location {
    let (physical_location, logical_locations) = match &file.origin {
        Origin::Cluster(live) => {
            let name = super::live_object_name(live);
            let uri = format!(
                "cluster:{}",
                name.split('/')
                    .map(percent_encode)
                    .collect::<Vec<_>>()
                    .join("/")
            );
            let physical = PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri,
                    uri_base_id: None,
                },
                region: Some(region),
            };
            let logical = LogicalLocation {
                name: live.name.clone(),
                fully_qualified_name: name,
                kind: "resource",
            };
            (physical, vec![logical])
        }
        origin => (physical(&origin.to_string(), Some(region)), Vec::new()),
    };
    Location {
        id,
        physical_location,
        logical_locations,
        message,
    }
}

fn physical(path: &str, region: Option<Region>) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: artifact(path),
        region,
    }
}

fn artifact(path: &str) -> ArtifactLocation {
    if Path::new(path).is_absolute() || path.starts_with('/') {
        // `C:/x` becomes `file:///C:/x`, `/x` becomes `file:///x`.
        let path = path.strip_prefix('/').unwrap_or(path);
        ArtifactLocation {
            uri: format!("file:///{}", percent_encode(path)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: percent_encode(path),
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// Percent-encode a path for a URI: unreserved characters and `/` stay, and so does `:`
/// after a drive letter; everything else (spaces, `%`, `#`, `?`, non-ASCII as UTF-8 bytes)
/// is encoded.
pub fn percent_encode(path: &str) -> String {
    let drive =
        path.len() >= 2 && path.as_bytes()[0].is_ascii_alphabetic() && path.as_bytes()[1] == b':';
    let mut out = String::with_capacity(path.len());
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (drive && i == 1);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded_and_rooted() {
        assert_eq!(percent_encode("a b/c%d#e?.yaml"), "a%20b/c%25d%23e%3F.yaml");
        assert_eq!(percent_encode("é.yaml"), "%C3%A9.yaml");
        assert_eq!(percent_encode("<stdin>"), "%3Cstdin%3E");
        let rel = artifact("deploy/gw.yaml");
        assert_eq!(
            (rel.uri.as_str(), rel.uri_base_id),
            ("deploy/gw.yaml", Some(SRCROOT))
        );
        let abs = artifact("/srv/x y.yaml");
        assert_eq!(
            (abs.uri.as_str(), abs.uri_base_id),
            ("file:///srv/x%20y.yaml", None)
        );
    }

    #[test]
    fn full_description_is_the_first_paragraph() {
        assert_eq!(
            first_paragraph("## What it checks\nThat `x`\nholds.\n\n## Why\nBecause."),
            Some("That x holds.".to_owned())
        );
        assert_eq!(first_paragraph("## Only a heading"), None);
    }
}
