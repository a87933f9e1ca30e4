//! Cross-object checks (GW3xx references, GW4xx precedence, GW5xx deprecations): what is
//! valid object by object but broken between objects.
//!
//! The [`Graph`] resolves every reference once; each submodule owns the rules about one
//! subject (a route's parents, its backends, a Gateway's class and certificates, its
//! Gateway-wide TLS settings, listeners that cannot serve as written, ListenerSets and the
//! listeners they merge in, policies, match precedence, route rule names, deprecations), with
//! their metadata and documentation beside the check.
//! Grouping by subject rather than one file per rule keeps the shared walk over, say, every
//! parentRef in one place, so the graph is walked once per subject.
//!
//! References to objects absent from the inputs are warnings ("not found in the inputs"),
//! because a linted folder is often only part of a cluster; with `--complete` (or cluster
//! input) the inputs are the whole state and they are errors.

pub mod backends;
pub mod deprecations;
pub mod gateway_tls;
pub mod gateways;
pub mod listeners;
pub mod listenersets;
pub mod parents;
pub mod policies;
pub mod precedence;
pub mod rule_names;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Label, RuleMeta, Severity};
use crate::fieldpath::FieldPath;
use crate::graph::Graph;
use crate::model::Object;
use crate::schema::{Channel, Store};
use crate::source::{FileId, Span};

/// What the checks see.
pub struct Context<'g, 'a> {
    pub graph: &'g Graph<'a>,
    pub store: &'g Store,
    pub channel: Channel,
    /// The inputs are the whole state: missing references are errors.
    pub complete: bool,
    /// Seconds since the Unix epoch, for certificate validity (injected for tests).
    pub now: i64,
    diagnostics: Vec<Diagnostic>,
    /// Where each finding reported so far is in `diagnostics`, to merge repeats.
    reported: HashMap<u64, usize>,
}

impl<'g, 'a> Context<'g, 'a> {
    /// A finding on `o` at `path` (its key when `on_key`).
    pub fn finding(
        &self,
        meta: &'static RuleMeta,
        o: &Object,
        path: &FieldPath,
        on_key: bool,
        message: String,
    ) -> Diagnostic {
        Diagnostic::new(meta, message)
            .at(o.file, o.span_of(path, on_key))
            .object(Some(o.object_ref()))
            .field(path.to_string())
    }

    /// A finding about a reference to an object that is not in the inputs.
    pub fn missing(
        &self,
        meta: &'static RuleMeta,
        o: &Object,
        path: &FieldPath,
        message: String,
    ) -> Diagnostic {
        let mut d = self.finding(meta, o, path, false, message);
        if self.complete {
            d.severity = Severity::Error;
        } else {
            d.severity = Severity::Warning;
            d.message = format!("{} in the inputs", d.message).into_boxed_str();
            d.help = Some(
                "if it exists in the cluster this is fine; lint with --complete when the inputs are the whole state".into(),
            );
        }
        d
    }

    /// A secondary label at `path` of `o`.
    pub fn label(
        &self,
        o: &Object,
        path: &FieldPath,
        message: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Label {
        Label::new(o.file, o.span_of(path, false)).with_message(message)
    }

    /// Adds a finding; the same finding again (same rule, place and message: an expired CA
    /// bundle that two policies use, reported once per referrer) adds its labels to the
    /// first one instead, so each cause is reported once with every referrer as a label.
    pub fn report(&mut self, d: Diagnostic) {
        let Some(p) = &d.primary else {
            self.diagnostics.push(d);
            return;
        };
        let key = finding_key(d.code(), p.file, p.span, &d.message);
        if let Some(&i) = self.reported.get(&key)
            && let Some(first) = self.diagnostics.get_mut(i)
        {
            let same = first.code() == d.code()
                && first.primary.as_ref().map(|f| (f.file, f.span)) == Some((p.file, p.span))
                && first.message == d.message;
            if same {
                for l in d.secondary {
                    if !first.secondary.contains(&l) {
                        first.secondary.push(l);
                    }
                }
            } else {
                // Two findings whose keys collide: both are reported, and only the first is
                // merged with later repeats.
                self.diagnostics.push(d);
            }
            return;
        }
        self.reported.insert(key, self.diagnostics.len());
        self.diagnostics.push(d);
    }
}

/// What [`Context::report`] knows a finding by: a hash of its code, file, span and message.
/// The finding is compared in full on a match; a large run keeps tens of thousands of
/// keys, and a hash is 8 bytes where the parts are 48.
fn finding_key(code: &str, file: FileId, span: Span, message: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (code, file, span, message).hash(&mut h);
    h.finish()
}

/// Run every cross-object check.
pub fn check(
    graph: &Graph,
    store: &Store,
    channel: Channel,
    complete: bool,
    now: i64,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_into(graph, store, channel, complete, now, &mut out);
    out
}

/// [`check`], appending to `out`: a large run's findings are not held twice while one list
/// is copied into another.
pub fn check_into(
    graph: &Graph,
    store: &Store,
    channel: Channel,
    complete: bool,
    now: i64,
    out: &mut Vec<Diagnostic>,
) {
    let context = |diagnostics| Context {
        graph,
        store,
        channel,
        complete,
        now,
        diagnostics,
        reported: HashMap::new(),
    };
    // The subjects are independent of each other: each runs on rayon's pool with a context
    // of its own, and their findings are then reported in this order into one context, which
    // merges a finding two subjects both give exactly as one shared context would have.
    type Check = for<'c, 'g, 'a> fn(&'c mut Context<'g, 'a>);
    const SUBJECTS: [Check; 10] = [
        parents::check,
        backends::check,
        gateways::check,
        gateway_tls::check,
        listeners::check,
        listenersets::check,
        policies::check,
        precedence::check,
        rule_names::check,
        deprecations::check,
    ];
    let found: Vec<Vec<Diagnostic>> = SUBJECTS
        .par_iter()
        .map(|check| {
            let mut cx = context(Vec::new());
            check(&mut cx);
            cx.diagnostics
        })
        .collect();
    let mut cx = context(std::mem::take(out));
    // Sized once: a large run has tens of thousands of findings, and growing the list by
    // doubling would hold most of them twice for a moment.
    cx.diagnostics
        .reserve(found.iter().map(Vec::len).sum::<usize>());
    for d in found.into_iter().flatten() {
        cx.report(d);
    }
    *out = cx.diagnostics;
}
