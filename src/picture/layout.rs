//! Where each node of a [`Picture`] goes in the SVG drawing: a layered layout, left to
//! right, as traffic flows.
//!
//! The picture is layered by nature: a node's column is its kind's
//! ([`NodeKind::column`]), so no layer assignment is needed. Within a column, nodes are
//! grouped by namespace and ordered by barycentre sweeps: each node moves to the mean
//! position of its neighbours in the columns already placed, left to right, then right to
//! left, a few times, which removes most edge crossings; a namespace's group moves to the
//! mean of its nodes. Heights then follow three passes (see [`layout`]'s comments): level
//! with what sends a node traffic, centred on what only it sends traffic to, and level
//! again; never closer to the node above than a gap. Text widths are estimated from the
//! characters (no font is read), so the result depends on the picture alone, and every
//! coordinate is a whole number: the same picture always gives the same bytes.

use super::{NodeKind, Picture};

/// Font size of a node's label, in pixels; detail lines are smaller.
pub const LABEL_SIZE: f64 = 13.0;
pub const SMALL_SIZE: f64 = 11.0;
/// Height of one line of text in a node.
pub const LINE: i64 = 15;
/// Inner margin of a node.
pub const PAD: i64 = 8;
/// Detail lines shown per node (a route's first hostnames, a rule's first matches).
pub const MAX_DETAIL: usize = 3;
/// The most characters of a line drawn; longer ones end in `…` (the full text is in the
/// node's tooltip).
pub const MAX_CHARS: usize = 40;
const MIN_WIDTH: i64 = 90;
/// Horizontal room between columns, for the edges and their labels.
const COLUMN_GAP: i64 = 150;
/// Vertical room between nodes, and extra room where a namespace's group starts.
const NODE_GAP: i64 = 10;
const GROUP_GAP: i64 = 34;
const MARGIN: i64 = 24;

/// A placed rectangle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
}

/// A namespace's nodes in one column, drawn as a box behind them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub namespace: String,
    pub rect: Rect,
}

/// The placed picture.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// One per node, in [`Picture::nodes`] order.
    pub nodes: Vec<Rect>,
    pub groups: Vec<Group>,
    pub width: i64,
    pub height: i64,
}

/// The lines a node shows: its kind, its label, then its detail, each cut to
/// [`MAX_CHARS`].
pub fn lines(node: &super::Node) -> Vec<String> {
    let mut out = vec![kind_line(node), cut(&node.label)];
    out.extend(node.detail.iter().take(MAX_DETAIL).map(|d| cut(d)));
    if node.detail.len() > MAX_DETAIL {
        out.push(format!("+{} more", node.detail.len() - MAX_DETAIL));
    }
    out
}

/// What the first line of a node says it is.
pub fn kind_line(node: &super::Node) -> String {
    match node.kind {
        NodeKind::Listener => "listener".to_owned(),
        NodeKind::Rule => "rule".to_owned(),
        _ => node.object_kind.clone(),
    }
}

/// `s` cut to [`MAX_CHARS`] characters, ending in `…` when cut.
pub fn cut(s: &str) -> String {
    if s.chars().count() <= MAX_CHARS {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(MAX_CHARS - 1).collect();
    out.push('…');
    out
}

/// The estimated width of `text` at font size `size` in a sans-serif face: narrow letters,
/// wide letters and the rest at their typical share of the em.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' '
            | '/' | '(' | ')' | '[' | ']' => 0.32,
            'm' | 'w' | 'M' | 'W' | '@' | '…' => 0.92,
            c if c.is_ascii_uppercase() => 0.72,
            c if c.is_ascii_digit() => 0.64,
            _ => 0.62,
        })
        .sum::<f64>()
        * size
}

/// The size of a node's box.
fn node_size(node: &super::Node) -> (i64, i64) {
    let lines = lines(node);
    let widest = lines
        .iter()
        .enumerate()
        // The label is bold: about a tenth wider.
        .map(|(i, l)| match i {
            1 => text_width(l, LABEL_SIZE) * 1.1,
            _ => text_width(l, SMALL_SIZE),
        })
        .fold(0.0, f64::max);
    let w = (widest.ceil() as i64 + 2 * PAD).max(MIN_WIDTH);
    let h = lines.len() as i64 * LINE + 2 * PAD - 4;
    (w, h)
}

/// Sweeps of the barycentre ordering: odd, so that the last
/// goes left to right and each column ends ordered by what sends it traffic (a route's
/// rules next to the route, rather than next to the other rules of a shared backend).
const SWEEPS: usize = 5;

/// Place every node of `picture`.
pub fn layout(picture: &Picture) -> Layout {
    let n = picture.nodes.len();
    if n == 0 {
        return Layout {
            width: 2 * MARGIN,
            height: 2 * MARGIN,
            ..Layout::default()
        };
    }
    let sizes: Vec<(i64, i64)> = picture.nodes.iter().map(node_size).collect();
    // Namespace rank: nodes of one namespace stay together in each column.
    let namespaces = picture.namespaces();
    let ns_rank: Vec<usize> = picture
        .nodes
        .iter()
        .map(|node| {
            namespaces
                .binary_search(&node.namespace.as_str())
                .unwrap_or(0)
        })
        .collect();
    let columns_used: std::collections::BTreeSet<usize> =
        picture.nodes.iter().map(|n| n.kind.column()).collect();
    // Columns without nodes take no room.
    let column_of: Vec<usize> = picture
        .nodes
        .iter()
        .map(|node| {
            columns_used
                .iter()
                .position(|&c| c == node.kind.column())
                .unwrap_or(0)
        })
        .collect();
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); columns_used.len()];
    // Nodes come in id order, which is stable; that is the starting order.
    for i in 0..n {
        columns[column_of[i]].push(i);
    }
    for col in &mut columns {
        col.sort_by_key(|&i| ns_rank[i]);
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &picture.edges {
        if e.from != e.to {
            neighbours[e.from].push(e.to);
            neighbours[e.to].push(e.from);
        }
    }

    // Orders: position of each node in its column, normalised to 0..1.
    let mut pos = vec![0.0f64; n];
    let set_positions = |columns: &Vec<Vec<usize>>, pos: &mut Vec<f64>| {
        for col in columns {
            let len = col.len() as f64;
            for (k, &i) in col.iter().enumerate() {
                pos[i] = (k as f64 + 0.5) / len;
            }
        }
    };
    set_positions(&columns, &mut pos);
    for sweep in 0..SWEEPS {
        let order: Vec<usize> = if sweep % 2 == 0 {
            (1..columns.len()).collect()
        } else {
            (0..columns.len().saturating_sub(1)).rev().collect()
        };
        for c in order {
            let fixed = |j: usize| {
                if sweep % 2 == 0 {
                    column_of[j] < c
                } else {
                    column_of[j] > c
                }
            };
            let mut keyed: Vec<(usize, f64, usize)> = columns[c]
                .iter()
                .map(|&i| {
                    let ns: Vec<f64> = neighbours[i]
                        .iter()
                        .filter(|&&j| fixed(j))
                        .map(|&j| pos[j])
                        .collect();
                    let bary = if ns.is_empty() {
                        pos[i]
                    } else {
                        ns.iter().sum::<f64>() / ns.len() as f64
                    };
                    (ns_rank[i], bary, i)
                })
                .collect();
            // A namespace's nodes stay together, its group placed at the mean of its
            // nodes' barycentres: groups follow the flow rather than the alphabet, which
            // would put a namespace's routes far from its Gateway's listeners.
            let mut group_sum: std::collections::BTreeMap<usize, (f64, usize)> =
                std::collections::BTreeMap::new();
            for &(rank, bary, _) in &keyed {
                let e = group_sum.entry(rank).or_insert((0.0, 0));
                e.0 += bary;
                e.1 += 1;
            }
            let group_at = |rank: usize| {
                let (sum, count) = group_sum[&rank];
                sum / count as f64
            };
            // Ties keep the namespace and id order, so the result never depends on the
            // sort's stability across platforms.
            keyed.sort_by(|a, b| {
                group_at(a.0)
                    .total_cmp(&group_at(b.0))
                    .then(a.0.cmp(&b.0))
                    .then(a.1.total_cmp(&b.1))
                    .then(a.2.cmp(&b.2))
            });
            columns[c] = keyed.into_iter().map(|(_, _, i)| i).collect();
            let len = columns[c].len() as f64;
            for (k, &i) in columns[c].iter().enumerate() {
                pos[i] = (k as f64 + 0.5) / len;
            }
        }
    }

    // x: each column as wide as its widest node.
    let mut xs = Vec::with_capacity(columns.len());
    let mut x = MARGIN;
    let mut widths = Vec::with_capacity(columns.len());
    for col in &columns {
        let w = col.iter().map(|&i| sizes[i].0).max().unwrap_or(MIN_WIDTH);
        xs.push(x);
        widths.push(w);
        x += w + COLUMN_GAP;
    }
    let width = x - COLUMN_GAP + MARGIN;

    // y: first stacked; then, left to right, each node goes level with what sends it
    // traffic (the mean centre of its neighbours in the columns to its left); then, right to
    // left, each node goes to the middle of what only it sends traffic to (a Gateway
    // between its listeners, a route between its rules), leaving a node whose targets are
    // shared (a rule to a Service many rules use) where it is. No node goes above the one
    // before it in its column (plus a gap), so each column keeps its order.
    let mut y = vec![0i64; n];
    let stack = |col: &[usize], want: &dyn Fn(usize) -> i64, y: &mut Vec<i64>| {
        let mut bottom = MARGIN;
        let mut prev_ns = None;
        for &i in col {
            let gap = if prev_ns != Some(ns_rank[i]) {
                GROUP_GAP
            } else {
                NODE_GAP
            };
            let top = bottom + gap;
            y[i] = want(i).max(top);
            bottom = y[i] + sizes[i].1;
            prev_ns = Some(ns_rank[i]);
        }
    };
    for col in &columns {
        stack(col, &|_| 0, &mut y);
    }
    // How many neighbours each node has in the columns to its left.
    let left_count: Vec<usize> = (0..n)
        .map(|j| {
            let mut left: Vec<usize> = neighbours[j]
                .iter()
                .copied()
                .filter(|&k| column_of[k] < column_of[j])
                .collect();
            left.sort_unstable();
            left.dedup();
            left.len()
        })
        .collect();
    let mean_centre = |of: &mut dyn Iterator<Item = usize>, y: &[i64]| -> Option<i64> {
        let (mut sum, mut count) = (0i64, 0i64);
        for j in of {
            sum += y[j] + sizes[j].1 / 2;
            count += 1;
        }
        (count > 0).then(|| sum / count)
    };
    let forward = |y: &mut Vec<i64>| {
        for (c, column) in columns.iter().enumerate().skip(1) {
            let wanted: std::collections::HashMap<usize, i64> = column
                .iter()
                .map(|&i| {
                    let mut left = neighbours[i].iter().copied().filter(|&j| column_of[j] < c);
                    let w = mean_centre(&mut left, y).map_or(y[i], |m| m - sizes[i].1 / 2);
                    (i, w)
                })
                .collect();
            stack(column, &|i| wanted[&i], y);
        }
    };
    forward(&mut y);
    for c in (0..columns.len().saturating_sub(1)).rev() {
        let wanted: std::collections::HashMap<usize, i64> = columns[c]
            .iter()
            .map(|&i| {
                let mut own = neighbours[i]
                    .iter()
                    .copied()
                    .filter(|&j| column_of[j] > c && left_count[j] == 1);
                let w = mean_centre(&mut own, &y).map_or(y[i], |m| m - sizes[i].1 / 2);
                (i, w)
            })
            .collect();
        stack(&columns[c], &|i| wanted[&i], &mut y);
    }
    // Centring moved some parents down past where their other children were put level with
    // them (a ListenerSet beside its Gateway's first position): once more left to right.
    forward(&mut y);
    // The drawing starts at the margin (with room for the first group's label).
    let top = (0..n).map(|i| y[i]).min().unwrap_or(0);
    let lift = top - (MARGIN + GROUP_GAP);
    for v in &mut y {
        *v -= lift;
    }
    let height = (0..n).map(|i| y[i] + sizes[i].1).max().unwrap_or(0) + MARGIN;

    let nodes: Vec<Rect> = (0..n)
        .map(|i| {
            let c = column_of[i];
            Rect {
                x: xs[c],
                y: y[i],
                w: widths[c],
                h: sizes[i].1,
            }
        })
        .collect();

    // A box behind each run of one namespace's nodes in a column (none for the
    // cluster-scoped GatewayClasses).
    let mut groups = Vec::new();
    for col in &columns {
        let mut k = 0;
        while k < col.len() {
            let ns = &picture.nodes[col[k]].namespace;
            let mut end = k;
            while end + 1 < col.len() && picture.nodes[col[end + 1]].namespace == *ns {
                end += 1;
            }
            if !ns.is_empty() {
                let first = nodes[col[k]];
                let last = nodes[col[end]];
                groups.push(Group {
                    namespace: ns.clone(),
                    rect: Rect {
                        x: first.x - 8,
                        y: first.y - 22,
                        w: first.w + 16,
                        h: last.y + last.h - first.y + 30,
                    },
                });
            }
            k = end + 1;
        }
    }
    Layout {
        nodes,
        groups,
        width,
        height: height + 8,
    }
}
