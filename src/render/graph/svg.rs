//! The picture as SVG, drawn by gwctl from [`crate::picture::layout`]: no Graphviz needed,
//! and the same picture gives the same bytes (whole-number coordinates, stable order).
//!
//! The SVG stands alone (its styles are inline) and is embedded as it is in the HTML
//! report, which finds nodes by their `data-node` attribute (the node's index) and edges by
//! `data-from`/`data-to`.

use std::io::{self, Write};

use super::{dashed, edge_text, node_title};
use crate::picture::layout::{self, LINE, Layout, PAD};
use crate::picture::{EdgeKind, Picture};

/// `s` escaped for XML text and attribute values.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and line breaks are not allowed in XML.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Colours by severity and the styles of nodes and edges; the HTML report's CSS adds the
/// states it toggles (selected, dimmed).
const STYLE: &str = "\
.gw-ns rect{fill:#f6f8fa;stroke:#d0d7de;stroke-dasharray:4 3}\
.gw-ns text{fill:#57606a;font-size:11px}\
.gw-node rect{fill:#fff;stroke:#57606a;stroke-width:1.2}\
.gw-node.missing rect{stroke-dasharray:5 3;fill:#fafafa}\
.gw-node.error rect{stroke:#c62828;stroke-width:3}\
.gw-node.warning rect{stroke:#b7791f;stroke-width:3}\
.gw-node.info rect{stroke:#2e7d32;stroke-width:3}\
.gw-node .k{fill:#57606a;font-size:11px;font-style:italic}\
.gw-node .l{fill:#1f2328;font-size:13px;font-weight:600}\
.gw-node .d{fill:#57606a;font-size:11px}\
.gw-edge path{fill:none;stroke:#8c959f;stroke-width:1.3}\
.gw-edge.dashed path{stroke-dasharray:6 4}\
.gw-edge.refused path{stroke:#c62828}\
.gw-edge text{fill:#57606a;font-size:10px}\
.gw-edge.refused text{fill:#c62828}";

pub fn render(p: &Picture, out: &mut dyn Write) -> io::Result<()> {
    let l = layout::layout(p);
    render_laid_out(p, &l, out)
}

/// [`render`] with a layout made already.
pub fn render_laid_out(p: &Picture, l: &Layout, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"gw-graph\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\">",
        w = l.width,
        h = l.height
    )?;
    writeln!(out, "<style>{STYLE}</style>")?;
    writeln!(
        out,
        "<defs><marker id=\"gw-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0 0L10 5L0 10z\" fill=\"#8c959f\"/></marker>\
<marker id=\"gw-arrow-refused\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0 0L10 5L0 10z\" fill=\"#c62828\"/></marker></defs>"
    )?;
    writeln!(out, "<g class=\"gw-groups\">")?;
    for g in &l.groups {
        let r = g.rect;
        writeln!(
            out,
            "<g class=\"gw-ns\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\"/><text x=\"{}\" y=\"{}\">namespace {}</text></g>",
            r.x,
            r.y,
            r.w,
            r.h,
            r.x + 8,
            r.y + 14,
            xml(&layout::cut(&g.namespace))
        )?;
    }
    writeln!(out, "</g>")?;
    writeln!(out, "<g class=\"gw-edges\">")?;
    for e in &p.edges {
        let (a, b) = (l.nodes[e.from], l.nodes[e.to]);
        // Out of the right side into the left side when the edge goes right; the other way
        // round when it goes back (a mesh Service to its route, a policy to its target);
        // round the right side when both are in one column.
        let (x1, x2) = if b.x > a.x {
            (a.x + a.w, b.x)
        } else if b.x < a.x {
            (a.x, b.x + b.w)
        } else {
            (a.x + a.w, b.x + b.w)
        };
        let (y1, y2) = (a.y + a.h / 2, b.y + b.h / 2);
        let bend = if b.x == a.x {
            60
        } else {
            ((x2 - x1).abs() / 2).max(30)
        };
        let (c1, c2) = if b.x > a.x {
            (x1 + bend, x2 - bend)
        } else if b.x < a.x {
            (x1 - bend, x2 + bend)
        } else {
            (x1 + bend, x2 + bend)
        };
        let mut class = String::from("gw-edge");
        if dashed(e.kind) {
            class.push_str(" dashed");
        }
        if e.kind == EdgeKind::Refused {
            class.push_str(" refused");
        }
        let marker = if e.kind == EdgeKind::Refused {
            "gw-arrow-refused"
        } else {
            "gw-arrow"
        };
        let text = edge_text(e);
        write!(
            out,
            "<g class=\"{class}\" data-from=\"{}\" data-to=\"{}\"><path d=\"M{x1} {y1}C{c1} {y1} {c2} {y2} {x2} {y2}\" marker-end=\"url(#{marker})\"/>",
            e.from, e.to
        )?;
        if let Some(t) = &text {
            // The label sits on the curve a third of the way along, where edges from one
            // node have not yet converged on a shared target; cut short, the whole text in
            // its title.
            let at = |p0: i64, p1: i64, p2: i64, p3: i64| -> i64 {
                let t = 0.3f64;
                let u = 1.0 - t;
                (u * u * u * p0 as f64
                    + 3.0 * u * u * t * p1 as f64
                    + 3.0 * u * t * t * p2 as f64
                    + t * t * t * p3 as f64)
                    .round() as i64
            };
            let (mx, my) = (at(x1, c1, c2, x2), at(y1, y1, y2, y2) - 4);
            write!(
                out,
                "<text x=\"{mx}\" y=\"{my}\" text-anchor=\"middle\"><title>{}</title>{}</text>",
                xml(t),
                xml(&layout::cut(t))
            )?;
        }
        writeln!(out, "</g>")?;
    }
    writeln!(out, "</g>")?;
    writeln!(out, "<g class=\"gw-nodes\">")?;
    for (i, (n, r)) in p.nodes.iter().zip(&l.nodes).enumerate() {
        let mut class = format!("gw-node {}", n.kind.as_str());
        if let Some(s) = n.severity {
            class.push(' ');
            class.push_str(s.as_str());
        }
        if n.missing {
            class.push_str(" missing");
        }
        write!(
            out,
            "<g class=\"{class}\" data-node=\"{i}\" id=\"gw-node-{i}\" tabindex=\"0\"><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/>",
            xml(&node_title(n)),
            r.x,
            r.y,
            r.w,
            r.h
        )?;
        for (k, line) in layout::lines(n).iter().enumerate() {
            let class = match k {
                0 => "k",
                1 => "l",
                _ => "d",
            };
            let baseline = r.y + PAD + (k as i64) * LINE + 10;
            write!(
                out,
                "<text class=\"{class}\" x=\"{}\" y=\"{baseline}\">{}</text>",
                r.x + PAD,
                xml(line)
            )?;
        }
        writeln!(out, "</g>")?;
    }
    writeln!(out, "</g>")?;
    writeln!(out, "</svg>")?;
    Ok(())
}
