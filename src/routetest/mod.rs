//! `gwctl test`: routing expectations, checked like unit tests of the routing table.
//!
//! A test file ([`mod@file`]) lists cases: a request, as `gwctl simulate` takes it, and what must
//! hold of the answer. This module owns running them: every case through
//! [`crate::sim::simulate`] over one [`Graph`] built for the whole run, each expectation that
//! does not hold a finding (GW801, [`expect`]) on the test file's line, and the test file's
//! own problems (GW802–GW806) as findings too, so that every output format of `lint` carries
//! a test run. [`mod@write`] holds the text edits of
//! `simulate --save-test` and `test --update`, which keep the file's comments and layout.
//! No I/O happens here; the CLI reads and writes
//! files, and words the trace's steps (`render::trace`), which it hands in.

pub mod expect;
pub mod file;
pub mod rules;
pub mod write;

use std::collections::HashMap;

use crate::diag::{Diagnostic, Label, Severity};
use crate::graph::Graph;
use crate::schema::Release;
use crate::sim::step::Step;
use crate::sim::{self, Trace};
use crate::source::FileId;

use file::{BackendExp, Case};
use rules::{BACKEND_NOT_IN_MANIFESTS, EXPECTATION_FAILED, INVALID_REQUEST};

/// What every case of a run shares besides the graph.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The namespace of objects that name none, and the caller's for mesh requests.
    pub namespace: String,
    pub complete: bool,
    pub experimental: bool,
    pub release: Option<Release>,
}

/// The result of one case.
#[derive(Debug)]
pub struct CaseRun {
    /// The answer, when the case's request could be simulated.
    pub trace: Option<Trace>,
    /// The case's findings: its failed expectations, a request that cannot run, expected
    /// backends no route names.
    pub findings: Vec<Diagnostic>,
}

impl CaseRun {
    /// Whether an expectation failed or the request could not run.
    pub fn failed(&self) -> bool {
        self.findings.iter().any(|d| d.severity == Severity::Error)
    }
}

/// Runs cases over one graph. Made once per run: it also gathers, once, every backend a
/// route names, which the expected backends are checked against.
pub struct Runner<'g, 'a> {
    graph: &'g Graph<'a>,
    settings: Settings,
    /// Every backend and mirror a route names: name → (kind, namespace) of each.
    named: HashMap<String, Vec<(String, String)>>,
    /// The lint findings about the manifests (errors and warnings), shown with a failing
    /// case when they are about an object its answer depends on.
    lint: Vec<Diagnostic>,
}

impl<'g, 'a> Runner<'g, 'a> {
    pub fn new(graph: &'g Graph<'a>, settings: Settings, lint: Vec<Diagnostic>) -> Self {
        let mut named: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for r in &graph.routes {
            for rule in &r.rules {
                for b in rule.backends.iter().chain(&rule.mirrors) {
                    let at = named.entry(b.name.clone()).or_default();
                    let k = (b.kind.clone(), b.namespace.clone());
                    if !at.contains(&k) {
                        at.push(k);
                    }
                }
            }
        }
        let lint = lint
            .into_iter()
            .filter(|d| d.severity >= Severity::Warning && d.primary.is_some())
            .collect();
        Runner {
            graph,
            settings,
            named,
            lint,
        }
    }

    fn is_named(&self, b: &BackendExp) -> bool {
        self.named.get(&b.name).is_some_and(|at| {
            at.iter().any(|(k, ns)| {
                b.kind.as_ref().is_none_or(|x| x == k)
                    && b.namespace.as_ref().is_none_or(|x| x == ns)
            })
        })
    }

    /// Run `case` of the test file `file`; `word` words a step of the trace for messages.
    pub fn run(&self, file: FileId, case: &Case, word: &dyn Fn(&Step) -> String) -> CaseRun {
        let mut findings = Vec::new();
        let object = Some(case.object.clone());
        let expected = [
            ("expect.backends", &case.expect.backends),
            ("expect.mirrors", &case.expect.mirrors),
        ];
        let expected = expected
            .iter()
            .flat_map(|(field, list)| list.iter().flat_map(|l| &l.value).map(move |b| (*field, b)));
        for (field, b) in expected {
            if !self.is_named(b) {
                findings.push(
                    Diagnostic::new(
                        &BACKEND_NOT_IN_MANIFESTS,
                        format!(
                            "no route of the manifests names the backend \"{}\"; this case can never pass",
                            b.name
                        ),
                    )
                    .at(file, b.span)
                    .object(object.clone())
                    .field(field),
                );
            }
        }
        let Some(spec) = &case.request else {
            return CaseRun {
                trace: None,
                findings,
            };
        };
        let built = spec.build(&self.settings.namespace, self.settings.complete);
        let trace = built.and_then(|(req, mut opts)| {
            opts.experimental = self.settings.experimental;
            opts.release = self.settings.release;
            opts.brief = true;
            sim::simulate(self.graph, &req, &opts).map_err(|e| e.0)
        });
        let trace = match trace {
            Ok(t) => t,
            Err(message) => {
                findings.push(
                    Diagnostic::new(&INVALID_REQUEST, message)
                        .at(file, case.request_span)
                        .object(object)
                        .field("request"),
                );
                return CaseRun {
                    trace: None,
                    findings,
                };
            }
        };
        let mismatches = expect::check(&trace, &case.expect, word);
        let mut bearing: Vec<Label> = if mismatches.is_empty() {
            Vec::new()
        } else {
            self.bearing_on(&trace).collect()
        };
        for (i, m) in mismatches.into_iter().enumerate() {
            let mut d = Diagnostic::new(&EXPECTATION_FAILED, m.message)
                .at(file, m.span)
                .object(object.clone())
                .field(m.field);
            // The lint findings about what the answer depends on go with the first failure
            // of the case, where they explain it.
            if i == 0 && !bearing.is_empty() {
                for l in bearing.drain(..) {
                    d = d.secondary(l);
                }
                d = d
                    .help("the lint findings marked here are about objects this answer depends on");
            }
            findings.push(d);
        }
        CaseRun {
            trace: Some(trace),
            findings,
        }
    }

    /// The lint findings about objects the answer depends on, as labels on their lines.
    fn bearing_on<'t>(&'t self, trace: &'t Trace) -> impl Iterator<Item = Label> + 't {
        self.lint
            .iter()
            .filter(|d| {
                d.object.as_deref().is_some_and(|o| {
                    let ns = o.namespace.as_deref().unwrap_or(&self.settings.namespace);
                    trace
                        .involved
                        .iter()
                        .any(|(k, n, name)| *k == o.kind && n == ns && *name == o.name)
                })
            })
            .filter_map(|d| {
                let p = d.primary.as_ref()?;
                Some(Label::new(p.file, p.span).with_message(format!(
                    "{}[{}]: {}",
                    d.severity,
                    d.code(),
                    d.message
                )))
            })
    }
}
