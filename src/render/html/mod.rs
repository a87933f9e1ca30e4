//! The HTML report (`gwctl lint --output html=report.html`, `gwctl graph -o html`): one
//! self-contained file, its styles and script inline, that loads nothing from the network.
//!
//! Owns the page: the summary, the routing picture as gwctl's SVG, and the findings grouped
//! by file and then by rule, each with its source lines. The page is complete without
//! JavaScript (everything is in the HTML, in reading order); the script only filters
//! (by severity, by rule, by the node clicked in the picture) and shows a clicked node's
//! source position. Filtering never walks the findings' DOM: findings are hidden by one
//! generated style sheet of attribute selectors, and the groups left empty by their ids,
//! worked out from a compact array of the findings' severities, rules and nodes; so a
//! click costs the same at 10,000 findings as at ten. Everything from the inputs (names,
//! messages, file text) is escaped.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Arc;

use super::graph::{node_title, source_of};
use crate::diag::{Diagnostic, Severity};
use crate::lint::report::Report;
use crate::picture::Picture;
use crate::source::{FileId, SourceMap};

const CSS: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// Lines of source shown around a finding's position.
const CONTEXT_LINES: usize = 1;
/// The most lines of one snippet: a finding about a whole object shows its first lines.
const MAX_SNIPPET_LINES: usize = 8;

/// The routing picture of a run, with the node each finding is about ([`Picture::mark`]).
pub struct Drawn<'a> {
    pub picture: &'a Picture,
    /// One per finding of the report, in order.
    pub nodes: &'a [Option<usize>],
}

/// `s` escaped for HTML text and attribute values.
pub fn esc(s: &str) -> String {
    super::graph::svg::xml(s)
}

/// JSON that is safe inside a `<script>` element: no `<` can close it.
fn script_json(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Render the report; `drawn` is the routing picture, when there is one.
pub fn render(
    report: &Report,
    sources: &SourceMap,
    drawn: Option<&Drawn>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let summary = super::human::summary(report, false);
    write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
<title>gwctl report</title>\n<style>{CSS}</style>\n<style id=\"gw-filter\"></style>\n</head>\n<body>\n"
    )?;
    writeln!(
        out,
        "<header><h1>gwctl report</h1><p class=\"summary\">{}</p>",
        esc(&summary)
    )?;
    write!(out, "<p class=\"counts\">")?;
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        write!(
            out,
            "<span class=\"badge {s}\">{} {s}{}</span> ",
            report.count(s),
            if report.count(s) == 1 { "" } else { "s" }
        )?;
    }
    writeln!(out, "</p>")?;
    for e in &report.errors {
        writeln!(
            out,
            "<p class=\"load-error\">cannot read {}</p>",
            esc(&e.to_string())
        )?;
    }
    writeln!(out, "</header>")?;

    // The controls need the script; without it they are not shown.
    let rules: BTreeMap<&str, (&str, usize)> =
        report.diagnostics.iter().fold(BTreeMap::new(), |mut m, d| {
            m.entry(d.code()).or_insert((d.rule.name, 0)).1 += 1;
            m
        });
    writeln!(out, "<nav id=\"gw-controls\" hidden>")?;
    write!(out, "<fieldset><legend>severity</legend>")?;
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        write!(
            out,
            "<label class=\"{s}\"><input type=\"checkbox\" name=\"sev\" value=\"{s}\" checked> {s}</label>"
        )?;
    }
    writeln!(out, "</fieldset>")?;
    write!(
        out,
        "<label>rule <select id=\"gw-rule\"><option value=\"\">every rule</option>"
    )?;
    for (code, (name, n)) in &rules {
        write!(
            out,
            "<option value=\"{code}\">{code} {} ({n})</option>",
            esc(name)
        )?;
    }
    writeln!(out, "</select></label>")?;
    writeln!(
        out,
        "<span id=\"gw-count\" aria-live=\"polite\"></span> <button type=\"button\" id=\"gw-clear\">show all</button>"
    )?;
    writeln!(out, "</nav>")?;

    if let Some(d) = drawn {
        writeln!(out, "<section id=\"gw-graph\"><h2>Routing</h2>")?;
        if d.picture.nodes.is_empty() {
            writeln!(
                out,
                "<p>no Gateway API routing objects to draw (Gateways, routes, policies)</p>"
            )?;
        } else {
            writeln!(
                out,
                "<p class=\"hint\">refused attachments are red and dashed; a node's border is the colour of its worst finding. <span class=\"js-only\">Click a node to see its findings.</span></p>"
            )?;
            writeln!(out, "<div id=\"gw-node-info\" hidden></div>")?;
            writeln!(out, "<div class=\"graph-scroll\">")?;
            let layout = crate::picture::layout::layout(d.picture);
            super::graph::svg::render_laid_out(d.picture, &layout, out)?;
            writeln!(out, "</div>")?;
        }
        writeln!(out, "</section>")?;
    }

    writeln!(out, "<section id=\"gw-findings\"><h2>Findings</h2>")?;
    if report.diagnostics.is_empty() {
        writeln!(out, "<p>no findings</p>")?;
    }
    let node_of = |i: usize| drawn.and_then(|d| d.nodes.get(i).copied().flatten());
    // Findings by file (as their position names it), then by rule; in position order within.
    let mut by_file: BTreeMap<(u8, String), BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (i, d) in report.diagnostics.iter().enumerate() {
        let file = match (&d.primary, &d.file_hint) {
            (Some(l), _) => (0, sources.get(l.file).origin.to_string()),
            (None, Some(f)) => (0, f.to_string()),
            (None, None) => (1, "not about a file".to_owned()),
        };
        by_file
            .entry(file)
            .or_default()
            .entry(d.code())
            .or_default()
            .push(i);
    }
    // Per finding: [severity, rule, node, group]; groups are the rule groups, in order.
    let rule_index: BTreeMap<&str, usize> =
        rules.keys().enumerate().map(|(i, c)| (*c, i)).collect();
    let mut compact: Vec<serde_json::Value> =
        vec![serde_json::Value::Null; report.diagnostics.len()];
    let mut texts: BTreeMap<FileId, Option<Lines>> = BTreeMap::new();
    let mut group = 0usize;
    for (fi, ((_, file), rule_groups)) in by_file.iter().enumerate() {
        writeln!(
            out,
            "<section class=\"file\" id=\"gw-file-{fi}\" data-groups=\"{}\"><h3>{}</h3>",
            (group..group + rule_groups.len())
                .map(|g| g.to_string())
                .collect::<Vec<_>>()
                .join(" "),
            esc(file)
        )?;
        for (code, members) in rule_groups {
            let d0 = &report.diagnostics[members[0]];
            writeln!(
                out,
                "<details class=\"rule-group\" id=\"gw-group-{group}\" open><summary><span class=\"code\">{code}</span> {} <span class=\"n\">({})</span></summary>",
                esc(d0.rule.name),
                members.len()
            )?;
            for &i in members {
                let d = &report.diagnostics[i];
                let node = node_of(i);
                compact[i] = serde_json::json!([
                    d.severity as u8,
                    rule_index[d.code()],
                    node.map_or(-1, |n| n as i64),
                    group
                ]);
                finding(d, i, node, sources, &mut texts, out)?;
            }
            writeln!(out, "</details>")?;
            group += 1;
        }
        writeln!(out, "</section>")?;
    }
    writeln!(out, "</section>")?;

    // What the script needs: the findings in compact form, the rules, the groups' files,
    // and each node's title and source position.
    let nodes: Vec<serde_json::Value> = drawn
        .map(|d| {
            d.picture
                .nodes
                .iter()
                .map(|n| {
                    serde_json::json!({
                        "title": node_title(n),
                        "source": source_of(n, sources)
                            .map(|(f, l, c)| format!("{f}:{l}:{c}")),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let data = serde_json::json!({
        "findings": compact,
        "rules": rules.keys().collect::<Vec<_>>(),
        "severities": ["info", "warning", "error"],
        "groups": group,
        "nodes": nodes,
    });
    writeln!(
        out,
        "<script type=\"application/json\" id=\"gw-data\">{}</script>",
        script_json(&data)
    )?;
    writeln!(out, "<script>{SCRIPT}</script>")?;
    writeln!(out, "</body>\n</html>")
}

/// A file's text as shown, with where each line starts: a file's findings each take a few
/// of its lines, found without reading the text from its start again.
struct Lines {
    text: Arc<str>,
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: Arc<str>) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            // A final line break ends the last line; it starts none.
            .filter(|&start| start < text.len())
            .collect();
        Lines { text, starts }
    }

    /// Line `n` (1-based), without its line break.
    fn line(&self, n: usize) -> Option<&str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        let end = self.starts.get(n).copied().unwrap_or(self.text.len());
        let line = self.text.get(start..end)?;
        let line = line.strip_suffix('\n').unwrap_or(line);
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// One finding: severity, position, message, object and field, its source lines, help.
fn finding(
    d: &Diagnostic,
    i: usize,
    node: Option<usize>,
    sources: &SourceMap,
    texts: &mut BTreeMap<FileId, Option<Lines>>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let sev = d.severity.as_str();
    let node_attr = node.map_or(String::new(), |n| format!(" data-node=\"{n}\""));
    write!(
        out,
        "<div class=\"finding {sev}\" id=\"gw-f{i}\" data-sev=\"{sev}\" data-rule=\"{}\"{node_attr}>",
        d.code()
    )?;
    let pos = super::position(d, sources)
        .map(|(file, line, col, _, _)| format!("{file}:{line}:{col}"))
        .or_else(|| d.file_hint.as_deref().map(str::to_owned));
    write!(out, "<p class=\"head\"><span class=\"sev\">{sev}</span> ")?;
    if let Some(p) = pos {
        write!(out, "<span class=\"pos\">{}</span> ", esc(&p))?;
    }
    writeln!(out, "{}</p>", esc(&super::titled_message(d)))?;
    let mut about = Vec::new();
    if let Some(o) = d.object.as_deref() {
        about.push(format!("in {o}"));
    }
    if let Some(f) = d.field.as_deref() {
        about.push(format!("field {f}"));
    }
    if let Some(n) = node {
        about.push(format!(
            "<a href=\"#gw-node-{n}\" class=\"to-node\" data-node=\"{n}\">in the picture</a>"
        ));
    }
    if !about.is_empty() {
        // Object and field are escaped here; the link is gwctl's own markup.
        let text: Vec<String> = about
            .into_iter()
            .map(|a| if a.starts_with("<a ") { a } else { esc(&a) })
            .collect();
        writeln!(out, "<p class=\"about\">{}</p>", text.join(", "))?;
    }
    if let Some(l) = &d.primary {
        let text = texts
            .entry(l.file)
            .or_insert_with(|| sources.get(l.file).shown_text().ok().map(Lines::new));
        if let Some(text) = text {
            let file = sources.get(l.file);
            let (first, _) = file.line_col(l.span.start);
            let (last, _) = file.line_col(l.span.end.max(l.span.start));
            let from = first.saturating_sub(CONTEXT_LINES).max(1);
            let to = (last + CONTEXT_LINES).min(first + MAX_SNIPPET_LINES - 1);
            let lines: Vec<(usize, &str)> = (from..=to)
                .map_while(|n| Some((n, text.line(n)?)))
                .collect();
            if !lines.is_empty() {
                write!(out, "<pre class=\"snippet\">")?;
                for (n, line) in lines {
                    let mark = if (first..=last).contains(&n) {
                        " hit"
                    } else {
                        ""
                    };
                    // Lines are blocks, so no line break goes between them.
                    write!(
                        out,
                        "<span class=\"line{mark}\"><span class=\"ln\">{n:>4}</span> {}</span>",
                        esc(line)
                    )?;
                }
                writeln!(out, "</pre>")?;
            }
        }
    }
    if let Some(h) = &d.help {
        writeln!(out, "<p class=\"help\">help: {}</p>", esc(h))?;
    }
    writeln!(out, "</div>")
}
