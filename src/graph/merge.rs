//! A Gateway's listeners merged with those of the ListenerSets it admits (GEP-1713).
//!
//! Owns three decisions, made once per run and shared by lint and simulate: which
//! ListenerSets a Gateway admits (`spec.allowedListeners.namespaces`: `None` by default,
//! `Same`, `All`, `Selector`); the order in which their listeners join the Gateway's (the
//! Gateway's own first, then ListenerSets oldest first, then by namespace/name, as the
//! ListenerSet API documents); and which listeners conflict with one earlier in that order
//! and are therefore not served (the earlier one is accepted, as GEP-1713 and upstream's
//! ListenerSet conflict conformance tests require). Conflicts among a Gateway's own listeners
//! are not decided here: the Gateway's CEL rules and GW322 report those.

use std::cmp::Ordering;

use super::{Graph, ListenerSet, ListenersFrom, Refusal, View};
use crate::graph::{GatewayData, Listener};

/// Why a listener conflicts with one that takes precedence over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictKind {
    /// The same port, with protocols that cannot share one (`ProtocolConflict`).
    Protocol,
    /// The same port and protocol family and the same hostname (`HostnameConflict`):
    /// nothing tells the two apart.
    Hostname,
    /// Two TCP, or two UDP, listeners on one port: they are told apart by port only.
    Port,
}

/// A conflict with the listener at merged index `with`, which takes precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conflict {
    pub with: usize,
    pub kind: ConflictKind,
}

/// One listener of the merged list: the Gateway's own (`set: None`, `index` into its
/// `spec.listeners`) or an admitted ListenerSet's (`index` into that ListenerSet's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergedListener {
    pub set: Option<usize>,
    pub index: usize,
    /// Set when this listener conflicts with an earlier one: it is not served.
    pub conflict: Option<Conflict>,
}

/// A Gateway's merged listeners and the ListenerSets that name it.
#[derive(Debug, Clone, Default)]
pub struct Merged {
    /// The Gateway's own listeners (at the same index as in `spec.listeners`), then those
    /// of each admitted ListenerSet, in precedence order. Attachments and the simulator
    /// index listeners by their place here.
    pub listeners: Vec<MergedListener>,
    /// Every ListenerSet whose parentRef names this Gateway, in precedence order, with
    /// whether the Gateway admits it (a [`Refusal::Namespace`] when not).
    pub sets: Vec<(usize, Result<(), Refusal>)>,
}

impl Merged {
    /// Whether ListenerSet `si` names this Gateway and is admitted.
    pub fn admits(&self, si: usize) -> Option<&Result<(), Refusal>> {
        self.sets.iter().find(|(s, _)| *s == si).map(|(_, r)| r)
    }
}

/// The merged listeners of every Gateway, in [`Graph::gateways`] order.
pub(super) fn merge_all(graph: &Graph) -> Vec<Merged> {
    let mut by_gateway: Vec<Vec<usize>> = vec![Vec::new(); graph.gateways.len()];
    for (si, set) in graph.listener_sets.iter().enumerate() {
        // Only the first definition of a ListenerSet counts; the loader reports the others.
        if graph.listener_set_index(&set.kind, &set.namespace, &set.name) != Some(si) {
            continue;
        }
        if let Some(gi) = graph.listener_set_gateway(si) {
            by_gateway[gi].push(si);
        }
    }
    by_gateway
        .into_iter()
        .enumerate()
        .map(|(gi, sets)| merge(graph, gi, sets))
        .collect()
}

/// ListenerSet precedence: the oldest first (one without a creationTimestamp, as in a
/// manifest not yet applied, after those with one), then by namespace/name.
fn precedence(a: &ListenerSet, b: &ListenerSet) -> Ordering {
    (a.created().is_none(), a.created(), &a.namespace, &a.name).cmp(&(
        b.created().is_none(),
        b.created(),
        &b.namespace,
        &b.name,
    ))
}

fn merge(graph: &Graph, gi: usize, mut sets: Vec<usize>) -> Merged {
    let gw = &graph.gateways[gi];
    sets.sort_by(|&a, &b| precedence(&graph.listener_sets[a], &graph.listener_sets[b]));
    let mut m = Merged {
        listeners: (0..gw.listeners.len())
            .map(|index| MergedListener {
                set: None,
                index,
                conflict: None,
            })
            .collect(),
        sets: Vec::new(),
    };
    for si in sets {
        let set = &graph.listener_sets[si];
        let admitted = admits(graph, gw, set);
        if admitted.is_ok() {
            for (index, l) in set.listeners.iter().enumerate() {
                // Only listeners that are served can push a later one out.
                let conflict = m
                    .listeners
                    .iter()
                    .enumerate()
                    .filter(|(_, ml)| ml.conflict.is_none())
                    .find_map(|(with, ml)| {
                        conflict(resolve(graph, gi, ml), l).map(|kind| Conflict { with, kind })
                    });
                m.listeners.push(MergedListener {
                    set: Some(si),
                    index,
                    conflict,
                });
            }
        }
        m.sets.push((si, admitted));
    }
    m
}

/// The listener `ml` stands for on Gateway `gi`.
fn resolve<'g>(graph: &'g Graph, gi: usize, ml: &MergedListener) -> &'g Listener {
    match ml.set {
        None => &graph.gateways[gi].listeners[ml.index],
        Some(s) => &graph.listener_sets[s].listeners[ml.index],
    }
}

/// Protocol families that can share a port (told apart by hostname or SNI within one).
pub(crate) fn family(protocol: &str) -> Option<&'static str> {
    match protocol {
        "HTTP" => Some("HTTP"),
        "HTTPS" | "TLS" => Some("TLS"),
        "TCP" => Some("TCP"),
        "UDP" => Some("UDP"),
        // Implementation-specific protocols are not judged.
        _ => None,
    }
}

/// Whether `later` conflicts with `earlier`, and how. Listeners on different ports never
/// do; UDP shares a port number with the TCP-based protocols; HTTPS and TLS share a port,
/// told apart by SNI, so the same hostname on both conflicts as it does within one protocol.
pub fn conflict(earlier: &Listener, later: &Listener) -> Option<ConflictKind> {
    if earlier.port.is_none() || earlier.port != later.port {
        return None;
    }
    let (a, b) = (family(&earlier.protocol)?, family(&later.protocol)?);
    if (a == "UDP") != (b == "UDP") {
        return None;
    }
    if a != b {
        return Some(ConflictKind::Protocol);
    }
    match a {
        "TCP" | "UDP" => Some(ConflictKind::Port),
        _ => (earlier.hostname == later.hostname).then_some(ConflictKind::Hostname),
    }
}

/// Whether Gateway `gw` admits ListenerSet `set` (`spec.allowedListeners.namespaces`).
fn admits(graph: &Graph, gw: &View<GatewayData>, set: &ListenerSet) -> Result<(), Refusal> {
    let refuse = |why: String| {
        Err(Refusal::Namespace {
            why,
            unlabelled: false,
        })
    };
    match &gw.allowed_listeners.from {
        ListenersFrom::All => Ok(()),
        ListenersFrom::None => refuse(
            "admits no ListenerSets (spec.allowedListeners.namespaces.from is None, the default)"
                .into(),
        ),
        ListenersFrom::Same if set.namespace == gw.namespace => Ok(()),
        ListenersFrom::Same => refuse(format!(
            "admits only ListenerSets in its own namespace \"{}\" (allowedListeners.namespaces.from: Same), not \"{}\"",
            gw.namespace, set.namespace
        )),
        ListenersFrom::Selector(sel) => {
            let (labels, known) = graph.namespace_labels(&set.namespace);
            if sel.matches(&labels) {
                return Ok(());
            }
            Err(Refusal::Namespace {
                why: format!(
                    "admits only ListenerSets in namespaces matching its selector {}, and \"{}\" does not match",
                    sel.describe(),
                    set.namespace
                ),
                // As for routes: without the Namespace object only its name label is known.
                unlabelled: !known && sel.could_match_with_more_labels(&labels),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fieldpath::FieldPath;
    use crate::graph::From;

    fn listener(protocol: &str, port: i64, hostname: Option<&str>) -> Listener {
        Listener {
            index: 0,
            path: FieldPath::root(),
            name: "l".into(),
            port: Some(port),
            protocol: protocol.into(),
            hostname: hostname.map(str::to_owned),
            from: From::Same,
            allowed_kinds: None,
            tls_mode: None,
            tls_set: false,
            tls_options: 0,
            selector_set: false,
            certificate_refs: Vec::new(),
            ca_refs: Vec::new(),
        }
    }

    #[test]
    fn conflicts_follow_the_distinct_listener_rules() {
        let http = |h| listener("HTTP", 80, h);
        assert_eq!(
            conflict(&http(Some("a.com")), &http(Some("a.com"))),
            Some(ConflictKind::Hostname)
        );
        assert_eq!(
            conflict(&http(None), &http(None)),
            Some(ConflictKind::Hostname)
        );
        assert_eq!(conflict(&http(Some("a.com")), &http(Some("b.com"))), None);
        assert_eq!(conflict(&http(None), &http(Some("b.com"))), None);
        assert_eq!(
            conflict(&http(None), &listener("TCP", 80, None)),
            Some(ConflictKind::Protocol)
        );
        assert_eq!(
            conflict(&http(None), &listener("HTTPS", 80, None)),
            Some(ConflictKind::Protocol)
        );
        assert_eq!(conflict(&http(None), &listener("UDP", 80, None)), None);
        assert_eq!(
            conflict(&listener("UDP", 53, None), &listener("UDP", 53, None)),
            Some(ConflictKind::Port)
        );
        assert_eq!(
            conflict(
                &listener("HTTPS", 443, Some("a.com")),
                &listener("TLS", 443, Some("b.com"))
            ),
            None
        );
        assert_eq!(conflict(&http(None), &listener("HTTP", 8080, None)), None);
        assert_eq!(
            conflict(&http(None), &listener("example.com/quic", 80, None)),
            None
        );
    }

    #[test]
    fn a_listener_set_defined_twice_merges_once() {
        let yaml = "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw}\n\
            spec: {allowedListeners: {namespaces: {from: Same}}, listeners: [{name: a, port: 80, protocol: HTTP}]}\n\
            ---\napiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {name: ls}\n\
            spec: {parentRef: {name: gw}, listeners: [{name: b, port: 80, protocol: HTTP, hostname: b.com}]}\n\
            ---\napiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {name: ls}\n\
            spec: {parentRef: {name: gw}, listeners: [{name: b, port: 80, protocol: HTTP, hostname: b.com}]}\n";
        let loaded = crate::load::load(
            &[crate::load::Input::Stdin],
            &crate::load::Options::default(),
            &mut yaml.as_bytes(),
        );
        let graph = Graph::build(&loaded.inventory);
        let m = graph.merged(0);
        assert_eq!(m.sets.len(), 1, "{m:?}");
        assert_eq!(m.listeners.len(), 2, "{m:?}");
        assert!(m.listeners.iter().all(|l| l.conflict.is_none()), "{m:?}");
        assert_eq!(graph.listener(0, 1).hostname.as_deref(), Some("b.com"));
    }
}
