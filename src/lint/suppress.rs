//! Suppressing findings where they occur, and reporting suppressions that suppress nothing.
//!
//! Two forms, both naming rules by code, code prefix or name:
//! - a comment `# gwctl-ignore GW312 backend-port-not-found -- reason` alone on the line above
//!   the finding, or at the end of the finding's own line;
//! - the annotation `gwctl.io/ignore: "GW312, GW314"` on an object, for every finding about
//!   that object (the form that survives `kubectl apply` and reaches cluster input).
//!
//! Text after ` -- ` is a reason for readers and is ignored. A suppression that matched no
//! finding is reported (GW060) so stale ones do not pile up.

use super::config::rule_matches;
use crate::diag::Diagnostic;
use crate::load::Loaded;
use crate::load::suppression::{ANNOTATION, MARKER, UNUSED_SUPPRESSION};
use crate::source::{FileId, Span};

/// One suppression and whether it was used.
struct Suppression {
    rules: Vec<String>,
    file: FileId,
    span: Span,
    scope: Scope,
    used: bool,
}

enum Scope {
    /// Findings whose primary position is on this 1-based line.
    Line(usize),
    /// Findings about this object, in this file.
    Object(std::sync::Arc<crate::diag::ObjectRef>, FileId),
}

/// Remove suppressed findings from `diagnostics` and add GW060 for unused suppressions.
pub fn apply(loaded: &Loaded, diagnostics: &mut Vec<Diagnostic>, report_unused: bool) {
    let mut sups = collect(loaded);
    if sups.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let Some(p) = &d.primary else { return true };
        let line = loaded.sources.get(p.file).line_col(p.span.start).0;
        let mut suppressed = false;
        for s in sups.iter_mut() {
            let in_scope = match &s.scope {
                Scope::Line(l) => s.file == p.file && *l == line,
                Scope::Object(o, f) => *f == p.file && d.object.as_deref() == Some(&**o),
            };
            if in_scope && s.rules.iter().any(|r| rule_matches(r, d.rule)) {
                s.used = true;
                suppressed = true;
            }
        }
        !suppressed
    });
    if !report_unused {
        return;
    }
    for s in sups.into_iter().filter(|s| !s.used) {
        let unknown: Vec<&String> = s
            .rules
            .iter()
            .filter(|r| !crate::rules::all().iter().any(|m| rule_matches(r, m)))
            .collect();
        let message = if unknown.is_empty() {
            format!(
                "this suppression of {} matches no finding",
                s.rules.join(", ")
            )
        } else {
            format!(
                "this suppression names {}, which {} no rule",
                unknown
                    .iter()
                    .map(|u| format!("\"{u}\""))
                    .collect::<Vec<_>>()
                    .join(", "),
                if unknown.len() == 1 { "is" } else { "are" }
            )
        };
        diagnostics.push(
            Diagnostic::new(&UNUSED_SUPPRESSION, message)
                .at(s.file, s.span)
                .help("delete it, or correct the rule it names"),
        );
    }
}

fn parse_rules(text: &str) -> Vec<String> {
    let text = text.split(" -- ").next().unwrap_or_default();
    text.split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn collect(loaded: &Loaded) -> Vec<Suppression> {
    let mut out = Vec::new();
    for (fi, comments) in loaded.comments.iter().enumerate() {
        let file = FileId(fi as u32);
        let src = loaded.sources.get(file);
        for c in comments {
            let Some(rest) = c.text.trim_start().strip_prefix(MARKER) else {
                continue;
            };
            let (line, _) = src.line_col(c.span.start);
            out.push(Suppression {
                rules: parse_rules(rest),
                file,
                span: c.span,
                scope: Scope::Line(if c.own_line { line + 1 } else { line }),
                used: false,
            });
        }
    }
    for o in &loaded.inventory.objects {
        let Some(value) = o
            .json
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(ANNOTATION))
            .and_then(|v| v.as_str())
        else {
            continue;
        };
        let path = crate::fieldpath::FieldPath::root()
            .key("metadata")
            .key("annotations")
            .key(ANNOTATION);
        out.push(Suppression {
            rules: parse_rules(value),
            file: o.file,
            span: o.span_of(&path, false),
            scope: Scope::Object(o.object_ref(), o.file),
            used: false,
        });
    }
    out
}
