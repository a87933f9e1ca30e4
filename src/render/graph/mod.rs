//! The routing picture ([`crate::picture`]) → DOT, Mermaid, JSON and SVG (`gwctl graph`);
//! the HTML report embeds the SVG.
//!
//! Owns how the picture looks: the words on nodes and edges are the picture's, the colours
//! are the human output's (red for errors, yellow for warnings, green for infos) and refused
//! edges are red and dashed in every format. Every format escapes what it prints, since
//! names, hostnames and reasons are user input.

mod dot;
mod mermaid;
pub mod svg;

use std::io::{self, Write};

use serde::Serialize;

use crate::diag::Severity;
use crate::picture::{EdgeKind, Node, Picture};
use crate::source::SourceMap;

pub use dot::render as dot;
pub use mermaid::render as mermaid;
pub use svg::render as svg;

/// The formats of `gwctl graph`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT (`dot -Tpng`).
    Dot,
    /// A Mermaid flowchart, which GitHub renders in markdown.
    Mermaid,
    /// An SVG drawn by gwctl.
    Svg,
    /// Nodes and edges as JSON.
    Json,
    /// The HTML report: the SVG and the findings, in one self-contained file.
    Html,
}

/// Red, yellow and green, as the human output colours errors, warnings and infos.
pub fn severity_colour(s: Severity) -> &'static str {
    match s {
        Severity::Error => "#c62828",
        Severity::Warning => "#b7791f",
        Severity::Info => "#2e7d32",
    }
}

/// The colour of refused edges: an error's.
pub const REFUSED: &str = "#c62828";

/// The label of an edge as every format shows it: its own label, and the ReferenceGrant
/// that allows it.
pub fn edge_text(e: &crate::picture::Edge) -> Option<String> {
    match (&e.label, &e.grant) {
        (Some(l), Some(g)) => Some(format!("{l} (ReferenceGrant {g})")),
        (None, Some(g)) => Some(format!("ReferenceGrant {g}")),
        (Some(l), None) => Some(l.clone()),
        (None, None) => None,
    }
}

/// Whether an edge is drawn dashed: it carries no traffic (refused), copies it (mirror) or
/// is not traffic at all (policy).
pub fn dashed(kind: EdgeKind) -> bool {
    matches!(
        kind,
        EdgeKind::Refused | EdgeKind::Mirror | EdgeKind::Policy
    )
}

/// A node's full text, one line each: kind, label, every detail, and its findings.
pub fn node_title(n: &Node) -> String {
    let mut lines = vec![format!(
        "{} {}",
        crate::picture::layout::kind_line(n),
        n.label
    )];
    if !n.namespace.is_empty() {
        lines.push(format!("namespace {}", n.namespace));
    }
    lines.extend(n.detail.iter().cloned());
    if n.findings > 0 {
        let worst = n.severity.map_or("", Severity::as_str);
        lines.push(format!(
            "{} finding{} (worst: {worst})",
            n.findings,
            if n.findings == 1 { "" } else { "s" }
        ));
    }
    lines.join("\n")
}

#[derive(Serialize)]
struct JsonPicture<'a> {
    nodes: Vec<JsonNode<'a>>,
    edges: Vec<JsonEdge<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonNode<'a> {
    #[serde(flatten)]
    node: &'a Node,
    source: Option<JsonSource>,
}

#[derive(Serialize)]
struct JsonSource {
    file: String,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonEdge<'a> {
    from: &'a str,
    to: &'a str,
    kind: EdgeKind,
    label: Option<&'a str>,
    grant: Option<&'a str>,
}

/// Where a node is written, as `file`, 1-based line and column.
pub fn source_of(n: &Node, sources: &SourceMap) -> Option<(String, usize, usize)> {
    let at = n.at?;
    let file = sources.get(at.file);
    let (line, column) = file.line_col(at.offset);
    Some((file.origin.to_string(), line, column))
}

/// The picture as one JSON document: nodes (with where each is written) and edges between
/// node ids.
pub fn json(p: &Picture, sources: &SourceMap, out: &mut dyn Write) -> io::Result<()> {
    let doc = JsonPicture {
        nodes: p
            .nodes
            .iter()
            .map(|n| JsonNode {
                node: n,
                source: source_of(n, sources).map(|(file, line, column)| JsonSource {
                    file,
                    line,
                    column,
                }),
            })
            .collect(),
        edges: p
            .edges
            .iter()
            .map(|e| JsonEdge {
                from: &p.nodes[e.from].id,
                to: &p.nodes[e.to].id,
                kind: e.kind,
                label: e.label.as_deref(),
                grant: e.grant.as_deref(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
