//! The picture as a Mermaid flowchart (`flowchart LR`), which GitHub renders in markdown:
//! namespaces as subgraphs, nodes with findings in the severity's colour, refused edges
//! dashed and red.

use std::io::{self, Write};

use super::{REFUSED, dashed, edge_text, severity_colour};
use crate::diag::Severity;
use crate::picture::{EdgeKind, Picture};

/// `s` for the inside of a Mermaid quoted label: the characters Mermaid or the HTML it
/// makes would read (quotes, `#`, angle brackets, `&`, backticks) as Mermaid's entity codes.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub fn render(p: &Picture, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "flowchart LR")?;
    for (gi, ns) in p.namespaces().into_iter().enumerate() {
        let indent = if ns.is_empty() {
            "  "
        } else {
            writeln!(out, "  subgraph ns{gi}[\"namespace {}\"]", text(ns))?;
            "    "
        };
        for (i, n) in p
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.namespace == ns)
        {
            let mut lines = vec![
                format!("<i>{}</i>", text(&crate::picture::layout::kind_line(n))),
                text(&n.label),
            ];
            lines.extend(n.detail.iter().map(|d| text(d)));
            writeln!(out, "{indent}n{i}[\"{}\"]", lines.join("<br/>"))?;
        }
        if !ns.is_empty() {
            writeln!(out, "  end")?;
        }
    }
    let mut refused = Vec::new();
    for (k, e) in p.edges.iter().enumerate() {
        let arrow = if dashed(e.kind) { "-.->" } else { "-->" };
        match edge_text(e) {
            Some(l) => writeln!(out, "  n{} {arrow}|\"{}\"| n{}", e.from, text(&l), e.to)?,
            None => writeln!(out, "  n{} {arrow} n{}", e.from, e.to)?,
        }
        if e.kind == EdgeKind::Refused {
            refused.push(k.to_string());
        }
    }
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        let members: Vec<String> = (0..p.nodes.len())
            .filter(|&i| p.nodes[i].severity == Some(s))
            .map(|i| format!("n{i}"))
            .collect();
        if !members.is_empty() {
            writeln!(
                out,
                "  classDef {} stroke:{},stroke-width:3px",
                s.as_str(),
                severity_colour(s)
            )?;
            writeln!(out, "  class {} {}", members.join(","), s.as_str())?;
        }
    }
    let missing: Vec<String> = (0..p.nodes.len())
        .filter(|&i| p.nodes[i].missing)
        .map(|i| format!("n{i}"))
        .collect();
    if !missing.is_empty() {
        writeln!(out, "  classDef missing stroke-dasharray:4 3")?;
        writeln!(out, "  class {} missing", missing.join(","))?;
    }
    if !refused.is_empty() {
        writeln!(
            out,
            "  linkStyle {} stroke:{REFUSED},color:{REFUSED}",
            refused.join(",")
        )?;
    }
    Ok(())
}
