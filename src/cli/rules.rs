//! `gwctl rules` and `gwctl explain`: the rule catalogue ([`crate::rules`]) as a list, and
//! one rule's documentation.

use std::io::{self, Write};

use super::Status;
use super::args::RulesFormat;

/// `gwctl rules`: every rule, one line each or as a JSON array; a rule `lint --fix` has a
/// fix for is marked `[fix: ...]` (JSON: `fix`, null when none).
pub fn list(format: RulesFormat, out: &mut dyn Write) -> io::Result<Status> {
    print_rules(format, out)?;
    Ok(Status::Clean)
}

/// `gwctl explain RULE`: the documentation of the rule with that code or name; a failure
/// when there is none.
pub fn explain(rule: &str, out: &mut dyn Write) -> io::Result<Status> {
    match crate::rules::find(rule) {
        Some(r) => {
            writeln!(
                out,
                "{} {} ({}, default severity {})\n\n{}\n\n{}",
                r.code,
                r.name,
                serde_json::to_value(r.category)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                r.severity,
                r.summary,
                r.docs
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
