//! `gwctl features` and `gwctl implementations` output: per object, the conformance
//! features its fields need and the fields no feature covers, with their positions; per
//! implementation, whether it supports them. Human text and JSON; all of the wording is here.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde_json::{Value, json};

use crate::features::{ObjectFeatures, Used};
use crate::source::{SourceMap, Span};

/// `file:line:col` of `span` in `file`.
fn place(sources: &SourceMap, file: crate::source::FileId, span: Span) -> (String, usize, usize) {
    let f = sources.get(file);
    let (line, col) = f.line_col(span.start);
    (f.origin.to_string(), line, col)
}

/// `extended in GATEWAY-HTTP`, `core in GATEWAY-HTTP, MESH-HTTP`, and the channel when it
/// is experimental; for a feature the release does not name, that.
fn feature_facts(u: &Used, release: &str) -> String {
    let Some(info) = &u.info else {
        return format!("not a conformance feature of {release}");
    };
    let mut levels: Vec<String> = Vec::new();
    for level in [
        crate::features::Level::Core,
        crate::features::Level::Extended,
    ] {
        let names: Vec<&str> = u
            .profiles
            .iter()
            .filter(|p| p.level == level)
            .map(|p| p.profile)
            .collect();
        // A Gateway-wide feature is in every Gateway profile: said so, not listed.
        let every_gateway = names.len() >= 3
            && names.iter().all(|n| n.starts_with("GATEWAY-"))
            && ["GATEWAY-HTTP", "GATEWAY-GRPC", "GATEWAY-TLS"]
                .iter()
                .all(|p| names.contains(p));
        if every_gateway {
            levels.push(format!("{} in every GATEWAY profile", level.as_str()));
        } else if !names.is_empty() {
            levels.push(format!("{} in {}", level.as_str(), names.join(", ")));
        }
    }
    let mut s = if levels.is_empty() {
        "in no profile".to_owned()
    } else {
        levels.join("; ")
    };
    if info.channel.as_deref() == Some("experimental") {
        s.push_str("; experimental channel");
    }
    s
}

/// The distinct features `objects` need, sorted.
pub fn distinct(objects: &[ObjectFeatures<'_>]) -> BTreeSet<&'static str> {
    objects
        .iter()
        .flat_map(|o| o.used.iter().map(|(u, _)| u.feature))
        .collect()
}

/// Human output of `gwctl features`.
pub fn human(
    objects: &[ObjectFeatures<'_>],
    sources: &SourceMap,
    release: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    if objects.is_empty() {
        return writeln!(
            out,
            "no object needs a conformance feature of Gateway API {release}"
        );
    }
    for o in objects {
        let (file, line, col) = place(sources, o.object.file, o.object.shape.span());
        writeln!(out, "{file}:{line}:{col}: {}", o.object.object_ref())?;
        let mut rows: Vec<(usize, String, String, String, String)> = o
            .used
            .iter()
            .map(|(u, span)| {
                let (_, l, c) = place(sources, o.object.file, *span);
                (
                    span.start,
                    format!("{l}:{c}"),
                    u.path.to_string(),
                    u.feature.to_owned(),
                    format!("{}; {}", u.what, feature_facts(u, release)),
                )
            })
            .chain(o.uncovered.iter().map(|(u, span)| {
                let (_, l, c) = place(sources, o.object.file, *span);
                (
                    span.start,
                    format!("{l}:{c}"),
                    u.path.to_string(),
                    "implementation-specific".to_owned(),
                    format!("{}; no conformance feature covers it", u.what),
                )
            }))
            .collect();
        // Down the object, as its text reads.
        rows.sort_by_key(|r| r.0);
        let w0 = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
        let w1 = rows.iter().map(|r| r.2.len()).max().unwrap_or(0);
        let w2 = rows.iter().map(|r| r.3.len()).max().unwrap_or(0);
        for (_, pos, field, feature, facts) in rows {
            writeln!(out, "  {pos:<w0$}  {field:<w1$}  {feature:<w2$}  {facts}")?;
        }
    }
    let features = distinct(objects);
    let uncovered: usize = objects.iter().map(|o| o.uncovered.len()).sum();
    writeln!(
        out,
        "\n{} object{} need {} feature{} of Gateway API {release}: {}",
        objects.len(),
        if objects.len() == 1 { "" } else { "s" },
        features.len(),
        if features.len() == 1 { "" } else { "s" },
        features.iter().copied().collect::<Vec<_>>().join(", ")
    )?;
    if uncovered > 0 {
        writeln!(
            out,
            "{uncovered} implementation-specific field{}: no conformance report says whether an implementation supports {}",
            if uncovered == 1 { "" } else { "s" },
            if uncovered == 1 { "it" } else { "them" }
        )?;
    }
    Ok(())
}

/// JSON output of `gwctl features`.
pub fn json(
    objects: &[ObjectFeatures<'_>],
    sources: &SourceMap,
    release: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    let value = json_value(objects, sources, release);
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}

/// The JSON document of `gwctl features`.
pub fn json_value(objects: &[ObjectFeatures<'_>], sources: &SourceMap, release: &str) -> Value {
    let objs: Vec<Value> = objects
        .iter()
        .map(|o| {
            let (file, line, column) = place(sources, o.object.file, o.object.shape.span());
            let at = |span: Span| {
                let (_, l, c) = place(sources, o.object.file, span);
                (l, c)
            };
            json!({
                "file": file,
                "line": line,
                "column": column,
                "object": &*o.object.object_ref(),
                "features": o.used.iter().map(|(u, span)| {
                    let (l, c) = at(*span);
                    json!({
                        "feature": u.feature,
                        "field": u.path.to_string(),
                        "line": l,
                        "column": c,
                        "what": u.what,
                        "known": u.info.is_some(),
                        "channel": u.info.as_ref().and_then(|i| i.channel.clone()),
                        "group": u.info.as_ref().and_then(|i| i.group.clone()),
                        "profiles": u.profiles,
                    })
                }).collect::<Vec<_>>(),
                "implementationSpecific": o.uncovered.iter().map(|(u, span)| {
                    let (l, c) = at(*span);
                    json!({"field": u.path.to_string(), "line": l, "column": c, "what": u.what})
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "gatewayAPIVersion": release,
        "features": distinct(objects),
        "objects": objs,
    })
}

/// A few words on why a report does not show a feature supported.
fn why_missing(s: &crate::features::reports::Support<'_>) -> String {
    use crate::features::reports::Support;
    match s {
        Support::Supported => "supported".to_owned(),
        Support::Unsupported { profile } => format!("unsupported in {profile}"),
        Support::CoreNotPassed { profile } => format!(
            "core of {}, whose core tests were {}",
            profile.name,
            profile.core.as_deref().unwrap_or("unstated")
        ),
        Support::NotListed { profiles } => format!("not listed in {}", profiles.join(", ")),
        Support::NotTested { profiles } => {
            format!("in no profile it runs ({})", profiles.join(", "))
        }
    }
}

/// `envoy-gateway v1.9.0 (mode default, Gateway API v1.6.1 experimental channel)`.
fn implementation(v: &crate::features::Verdict) -> String {
    v.report.describe()
}

/// Human output of `gwctl implementations`.
pub fn implementations_human(
    objects: &[ObjectFeatures<'_>],
    verdicts: &[crate::features::Verdict],
    release: &str,
    minor: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    let features = distinct(objects);
    writeln!(
        out,
        "the manifests need {} feature{} of Gateway API {release}: {}",
        features.len(),
        if features.len() == 1 { "" } else { "s" },
        features.iter().copied().collect::<Vec<_>>().join(", ")
    )?;
    if verdicts.is_empty() {
        return writeln!(
            out,
            "no bundled conformance report is of Gateway API {minor}: choose a release with --gateway-api-version"
        );
    }
    let (all, some): (Vec<_>, Vec<_>) = verdicts.iter().partition(|v| v.missing.is_empty());
    writeln!(
        out,
        "\nsupport every feature ({} of {} implementations with a report for {minor}):",
        all.len(),
        verdicts.len()
    )?;
    if all.is_empty() {
        writeln!(out, "  none")?;
    }
    for v in &all {
        writeln!(out, "  {}", implementation(v))?;
    }
    if !some.is_empty() {
        writeln!(out, "\nmissing features:")?;
        for v in &some {
            writeln!(out, "  {}", implementation(v))?;
            for (f, s) in &v.missing {
                writeln!(out, "    {f}: {}", why_missing(s))?;
            }
        }
    }
    let uncovered: usize = objects.iter().map(|o| o.uncovered.len()).sum();
    if uncovered > 0 {
        writeln!(
            out,
            "\n{uncovered} implementation-specific field{}: no report says whether an implementation supports {} (`gwctl features` lists {})",
            if uncovered == 1 { "" } else { "s" },
            if uncovered == 1 { "it" } else { "them" },
            if uncovered == 1 { "it" } else { "them" },
        )?;
    }
    Ok(())
}

/// JSON output of `gwctl implementations`.
pub fn implementations_json(
    objects: &[ObjectFeatures<'_>],
    verdicts: &[crate::features::Verdict],
    release: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    let value = json!({
        "gatewayAPIVersion": release,
        "features": distinct(objects),
        "implementationSpecificFields": objects.iter().map(|o| o.uncovered.len()).sum::<usize>(),
        "implementations": verdicts.iter().map(|v| json!({
            "name": v.report.name(),
            "organization": v.report.organization,
            "project": v.report.project,
            "version": v.report.version,
            "mode": v.report.mode,
            "gatewayAPIVersion": v.report.gateway_api_version,
            "channel": v.report.channel,
            "report": v.report.source,
            "supportsAll": v.missing.is_empty(),
            "missing": v.missing.iter().map(|(f, s)| json!({
                "feature": f,
                "why": why_missing(s),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}
