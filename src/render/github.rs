//! The GitHub Actions output format: workflow commands that GitHub shows as annotations on
//! the files of a pull request and in the run's summary.
//!
//! Wire shape, one command per line, in report order:
//! ```text
//! ::error file=routes.yaml,line=12,col=9,endLine=12,endColumn=13,title=GW030::the object …%0Ahelp: …
//! ::warning file=a.yaml,line=3,col=7,endLine=3,endColumn=10,title=GW007::…
//! ::notice file=empty.yaml,title=GW050::…
//! ::error file=missing.yaml,title=gwctl::cannot read: no such file or folder
//! ```
//! Severities map error → `::error`, warning → `::warning`, info → `::notice`. A finding
//! without a position names only its file. The message is followed by the help, on its own
//! line, when there is one. With `lint --cluster FILES` the message starts with the
//! finding's status, `[new]` or `[existing]`; a finding the files fix (`fixed`) gets no
//! annotation, since it is not a problem of the change. The runner unescapes `%25`, `%0D` and `%0A` in the message and,
//! in property values, also `%3A` and `%2C`, which would otherwise end the value.

use std::io::{self, Write};

use crate::diag::{Change, Severity};
use crate::lint::report::Report;
use crate::source::SourceMap;

pub fn render(report: &Report, sources: &SourceMap, out: &mut dyn Write) -> io::Result<()> {
    // A finding the files fix (`lint --cluster FILES`) is not a problem of the change: no
    // annotation for it.
    for d in report
        .diagnostics
        .iter()
        .filter(|d| d.status != Some(Change::Fixed))
    {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        match super::position(d, sources) {
            Some((file, line, col, end_line, end_col)) => {
                props.push(("file", file));
                props.push(("line", line.to_string()));
                props.push(("col", col.to_string()));
                props.push(("endLine", end_line.to_string()));
                props.push(("endColumn", end_col.to_string()));
            }
            None => {
                if let Some(f) = &d.file_hint {
                    props.push(("file", f.to_string()));
                }
            }
        }
        props.push(("title", d.code().to_owned()));
        let mut message = super::titled_message(d);
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        writeln!(out, "{}", command_line(command, &props, &message))?;
    }
    for e in &report.errors {
        let props = [("file", e.path().to_owned()), ("title", "gwctl".to_owned())];
        let message = format!("cannot read: {}", super::load_error_message(e));
        writeln!(out, "{}", command_line("error", &props, &message))?;
    }
    Ok(())
}

/// `::command key=value,key=value::message`, every part escaped.
fn command_line(command: &str, props: &[(&str, String)], message: &str) -> String {
    let props: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    format!("::{command} {}::{}", props.join(","), escape_data(message))
}

/// Escape a message: `%` first, so that the escapes added after are not escaped again.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value: as a message, and also `:` and `,`, which end a value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_cr_and_lf() {
        assert_eq!(escape_data("100% done"), "100%25 done");
        assert_eq!(escape_data("a\r\nb\nc"), "a%0D%0Ab%0Ac");
        // A literal `%0A` in the text must come out as text, not as a line break.
        assert_eq!(escape_data("%0A"), "%250A");
        // `:` and `,` are fine in a message.
        assert_eq!(escape_data("a: b, c"), "a: b, c");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("C:\\a,b.yaml"), "C%3A\\a%2Cb.yaml");
        assert_eq!(escape_property("50%\n:,"), "50%25%0A%3A%2C");
    }

    #[test]
    fn command_line_escapes_each_part() {
        let line = command_line(
            "error",
            &[
                ("file", "a,b:c.yaml".to_owned()),
                ("title", "GW001".to_owned()),
            ],
            "bad: 100%\nhelp: fix it",
        );
        assert_eq!(
            line,
            "::error file=a%2Cb%3Ac.yaml,title=GW001::bad: 100%25%0Ahelp: fix it"
        );
    }
}
