//! `gwctl rules` and `gwctl explain`: the rule catalogue ([`crate::rules`]) as a list, and
//! one rule's documentation.

use std::io::{self, Write};

use super::Status;
use super::args::RulesFormat;

/// `gwctl rules`: every rule, one line each or as a JSON array; a rule `lint --fix` has a
/// fix for is marked `[fix: ...]` (JSON: `fix`, null when none). With `cel`, the CRDs'
/// validation rules of every release instead.
pub fn list(format: RulesFormat, cel: bool, out: &mut dyn Write) -> io::Result<Status> {
    if cel {
        print_cel_rules(format, out)?;
    } else {
        print_rules(format, out)?;
    }
    Ok(Status::Clean)
}

/// The CEL rules of the bundled description, grouped by kind: field, message, releases.
fn print_cel_rules(format: RulesFormat, out: &mut dyn Write) -> io::Result<()> {
    let all = crate::schema::cel_catalog();
    match format {
        RulesFormat::Json => {
            let list: Vec<serde_json::Value> = all
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "kind": e.kind,
                        "field": e.path,
                        "message": e.message,
                        "standard": e.availability.ranges(crate::schema::Channel::Standard),
                        "experimental": e.availability.ranges(crate::schema::Channel::Experimental),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)
        }
        RulesFormat::Human => {
            let mut kind = "";
            for e in &all {
                if e.kind != kind {
                    if !kind.is_empty() {
                        writeln!(out)?;
                    }
                    kind = &e.kind;
                    writeln!(out, "{kind}")?;
                }
                let field = if e.path.is_empty() { "." } else { &e.path };
                writeln!(
                    out,
                    "  {field}: {}  [{}]",
                    e.message,
                    e.availability.describe()
                )?;
            }
            Ok(())
        }
    }
}

/// `gwctl explain RULE`: the documentation of the rule with that code or name; a failure
/// when there is none.
pub fn explain(rule: &str, out: &mut dyn Write) -> io::Result<Status> {
    match crate::rules::find(rule) {
        Some(r) => {
            writeln!(
                out,
                "{} {} ({}, default severity {})\n\n{}\n\n{}\n\n## Releases\n{}",
                r.code,
                r.name,
                serde_json::to_value(r.category)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                r.severity,
                r.summary,
                r.docs,
                releases(r)
            )?;
            Ok(Status::Clean)
        }
        None => {
            writeln!(
                io::stderr(),
                "gwctl: error: {}",
                crate::lint::config::unknown_rule(rule, "code or name")
            )?;
            Ok(Status::Failure)
        }
    }
}

/// What `explain` says of the releases a rule applies in.
fn releases(r: &crate::diag::RuleMeta) -> String {
    let known = crate::schema::Release::known();
    let span = format!(
        "{}–{}",
        known.first().copied().unwrap_or_default(),
        known.last().copied().unwrap_or_default()
    );
    if *r == crate::cel::rules::RULE_VIOLATED {
        format!(
            "Every Gateway API release gwctl knows ({span}); the CEL rules themselves differ from \
             release to release: `gwctl rules --cel` lists each with the releases and channels \
             that have it."
        )
    } else {
        format!("Every Gateway API release gwctl knows ({span}).")
    }
}

fn print_rules(format: RulesFormat, out: &mut dyn Write) -> io::Result<()> {
    let rules = crate::rules::all();
    match format {
        RulesFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, rules)?;
            writeln!(out)
        }
        RulesFormat::Human => {
            // A rule whose findings `lint --fix` can fix is marked, and says how.
            for r in rules {
                write!(
                    out,
                    "{}  {:<28} {:<8} {}",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.summary
                )?;
                match r.fix {
                    Some(fix) => writeln!(out, " [fix: {fix}]")?,
                    None => writeln!(out)?,
                }
            }
            Ok(())
        }
    }
}
