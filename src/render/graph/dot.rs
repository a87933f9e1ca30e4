//! The picture as Graphviz DOT: namespaces as clusters, left to right.

use std::io::{self, Write};

use super::{REFUSED, dashed, edge_text, severity_colour};
use crate::picture::{EdgeKind, Picture};

/// `s` as the inside of a DOT quoted string: backslashes and quotes escaped (so no
/// `\N`-style escape of the user's text reaches Graphviz), line breaks as `\n`.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn render(p: &Picture, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "digraph gwctl {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(
        out,
        "  node [shape=box, style=\"rounded\", fontname=\"sans-serif\", fontsize=11];"
    )?;
    writeln!(
        out,
        "  edge [fontname=\"sans-serif\", fontsize=9, color=\"#666666\"];"
    )?;
    for (gi, ns) in p.namespaces().into_iter().enumerate() {
        let members: Vec<usize> = (0..p.nodes.len())
            .filter(|&i| p.nodes[i].namespace == ns)
            .collect();
        let indent = if ns.is_empty() {
            "  "
        } else {
            writeln!(out, "  subgraph cluster_{gi} {{")?;
            writeln!(out, "    label={};", quoted(&format!("namespace {ns}")))?;
            writeln!(out, "    style=\"rounded,dashed\"; color=\"#999999\";")?;
            "    "
        };
        for i in members {
            let n = &p.nodes[i];
            let mut text = vec![crate::picture::layout::kind_line(n), n.label.clone()];
            text.extend(n.detail.iter().cloned());
            let mut attrs = vec![format!("label={}", quoted(&text.join("\n")))];
            if let Some(s) = n.severity {
                attrs.push(format!("color=\"{}\", penwidth=2", severity_colour(s)));
            }
            if n.missing {
                attrs.push("style=\"rounded,dashed\"".to_owned());
            }
            writeln!(out, "{indent}n{i} [{}];", attrs.join(", "))?;
        }
        if !ns.is_empty() {
            writeln!(out, "  }}")?;
        }
    }
    for e in &p.edges {
        let mut attrs = Vec::new();
        if let Some(l) = edge_text(e) {
            attrs.push(format!("label={}", quoted(&l)));
        }
        if e.kind == EdgeKind::Refused {
            attrs.push(format!("color=\"{REFUSED}\", fontcolor=\"{REFUSED}\""));
        }
        if dashed(e.kind) {
            attrs.push("style=dashed".to_owned());
        }
        if attrs.is_empty() {
            writeln!(out, "  n{} -> n{};", e.from, e.to)?;
        } else {
            writeln!(out, "  n{} -> n{} [{}];", e.from, e.to, attrs.join(", "))?;
        }
    }
    writeln!(out, "}}")
}
