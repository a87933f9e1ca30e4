//! The lint pipeline: inputs → every check → one report.
//!
//! Owns the order of passes: input findings from loading; per object, with a conformance
//! report given, its fields against the report (GW701, GW703), then schema validation
//! with defaults applied and CEL (for the kinds the schema store covers), then the object's
//! view for the reference graph; then the cross-object rules over the graph; then, given
//! the cluster's Kubernetes version, the findings about it (GW605, GW606), and the report's
//! release against the lint's (GW702); then
//! suppressions, rule selection and severity overrides. [`load_and_check`] runs the
//! per-object passes as each file is read, so a large run holds only what the later passes
//! need of each object; [`check`] runs them on objects loaded already (a live cluster's),
//! and [`analyze`] keeps whole objects for the simulator. Knows nothing about output.
//!
//! Beside the passes: [`config`] (the `.gwctl.yaml` file and what a rule selector matches),
//! [`context`] (files read only so that the named files' references resolve against them),
//! [`suppress`] (`# gwctl-ignore` comments and annotations applied to the findings) and
//! [`report`] (the run's result, which renderers take) and [`live`] (lint over a live
//! cluster: the installed CRDs as the schema store, findings of local files over the live
//! state marked new, existing or fixed).

pub mod config;
pub mod context;
pub mod fix;
pub mod live;
pub mod report;
pub mod suppress;

use crate::diag::RuleMeta;
use crate::load::suppression::UNUSED_SUPPRESSION;
use crate::load::{self, Loaded};
use crate::schema::{Channel, KubeMinor, Store};
use crate::source::SourceMap;
use config::rule_matches;
use report::Report;

/// What the checks are run against.
#[derive(Clone, Debug)]
pub struct Settings {
    pub store: Store,
    pub channel: Channel,
    /// The inputs are the whole state: references to absent objects are errors.
    pub complete: bool,
    /// "Now" for certificate validity, in seconds since the Unix epoch.
    pub now: i64,
    /// Report only rules matching one of these (all when empty); see [`rule_matches`].
    pub select: Vec<String>,
    /// Never report rules matching one of these.
    pub ignore: Vec<String>,
    /// The lowest severity that fails the run (exit status 1).
    pub fail_on: crate::diag::Severity,
    /// Per-rule severity changes; `None` turns a rule off.
    pub overrides: std::collections::BTreeMap<&'static str, config::Override>,
    /// The Kubernetes version the cluster runs (`--kubernetes-version`, `kubernetesVersion:`):
    /// checked against what the release and channel need ([`crate::checks::kubernetes`]).
    pub kubernetes: Option<KubeMinor>,
    /// The conformance report fields are checked against (`--implementation`,
    /// `--conformance-report`, or the configuration file's keys): GW701–GW703.
    pub conformance: Option<std::sync::Arc<crate::features::check::Target>>,
    /// Without [`Settings::conformance`], check features against each Gateway's
    /// GatewayClass `status.supportedFeatures` (lint over a live cluster: [`live`]).
    pub class_features: bool,
}

/// Where the findings about the Kubernetes version of [`Settings::kubernetes`] are placed:
/// they are about no file. (Over a live cluster, [`live`] places them at the cluster.)
pub const KUBERNETES_PLACE: &str = "--kubernetes-version";

impl Settings {
    /// Whether findings of this rule are reported under `select` and `ignore`.
    pub fn enabled(&self, rule: &RuleMeta) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| rule_matches(s, rule)))
            && !self.ignore.iter().any(|s| rule_matches(s, rule))
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            store: Store::bundled(),
            channel: Channel::default(),
            complete: false,
            now: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
            select: Vec::new(),
            ignore: Vec::new(),
            overrides: Default::default(),
            fail_on: crate::diag::Severity::Error,
            kubernetes: None,
            conformance: None,
            class_features: false,
        }
    }
}

/// A finished lint run: the report, the sources its positions refer to, and the objects
/// that were checked. Every object's JSON is cut down to its suppression annotation once
/// its view is taken (the checks read views only); [`analyze`] keeps whole objects.
pub struct Checked {
    pub report: Report,
    pub sources: SourceMap,
    pub inventory: crate::model::Inventory,
}

impl Checked {
    pub fn normalize(&mut self) {
        self.report.normalize();
    }
}

/// Every check on the loaded objects: the loader's findings, then the schema pass (defaults,
/// structure, CEL) and the cross-object rules. Defaults are applied to the objects in place,
/// so callers that go on to use them (the simulator) see what the API server would store.
pub fn analyze(loaded: &mut Loaded, settings: &Settings) -> Vec<crate::diag::Diagnostic> {
    analyze_keeping(loaded, settings, true)
}

/// [`analyze`]; without `keep_json`, each object's JSON is cut down to what the later
/// passes read as soon as its schema checks are done (see [`slim`]), so that a large run
/// never holds the JSON of every object at once.
fn analyze_keeping(
    loaded: &mut Loaded,
    settings: &Settings,
    keep_json: bool,
) -> Vec<crate::diag::Diagnostic> {
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    let default_namespace = loaded.inventory.default_namespace.clone();
    for o in &loaded.inventory.objects {
        diagnostics.extend(conformance(o, &default_namespace, settings));
    }
    if settings.class_features
        && settings.conformance.is_none()
        && let Some(release) = settings.store.release()
    {
        let classes = crate::features::check::ClassFeatures::read(&loaded.inventory);
        if !classes.is_empty() {
            for o in &loaded.inventory.objects {
                let ns = o.namespace.as_deref().unwrap_or(&default_namespace);
                diagnostics.extend(crate::features::check::class_findings(
                    o, ns, release, &classes,
                ));
            }
        }
    }
    let prepared = crate::checks::schema::check_then(
        &mut loaded.inventory,
        &settings.store,
        settings.channel,
        &loaded.live,
        &mut diagnostics,
        |o| take_view(o, &default_namespace, keep_json),
    );
    references(loaded, prepared, settings, &mut diagnostics).let_go();
    diagnostics
}

/// A lint run: [`analyze`], then suppressions, rule selection and severity overrides.
pub fn check(mut loaded: Loaded, settings: &Settings) -> Checked {
    let diagnostics = analyze_keeping(&mut loaded, settings, false);
    finish(loaded, diagnostics, settings)
}

/// [`check`], every object keeping its whole (defaulted) JSON, so that the reference graph
/// can be built again from [`Checked::inventory`] (`gwctl graph`).
pub fn check_whole(mut loaded: Loaded, settings: &Settings) -> Checked {
    let diagnostics = analyze_keeping(&mut loaded, settings, true);
    finish(loaded, diagnostics, settings)
}

/// [`check`] on what [`load::load`] reads from `inputs`, in one pass: each object is
/// validated (schema with defaults, CEL), its view taken and its JSON cut down as soon as
/// its file is read, so that the run never holds every object's full JSON at once. The
/// result is the same as loading first and checking after.
pub fn load_and_check(
    inputs: &[load::Input],
    opts: &load::Options,
    stdin: &mut dyn std::io::Read,
    settings: &Settings,
) -> Checked {
    load_and_check_keeping(inputs, opts, stdin, settings, false)
}

/// [`load_and_check`]; with `keep_json`, every object keeps its whole (defaulted) JSON, so
/// that the reference graph can be built again from [`Checked::inventory`] after the run
/// (the routing picture of the HTML report). That holds every object at once.
pub fn load_and_check_keeping(
    inputs: &[load::Input],
    opts: &load::Options,
    stdin: &mut dyn std::io::Read,
    settings: &Settings,
    keep_json: bool,
) -> Checked {
    let (mut loaded, prepared) = load::load_then(inputs, opts, stdin, &|o, found| {
        found.extend(conformance(o, &opts.default_namespace, settings));
        found.extend(crate::checks::schema::check_one(
            o,
            &settings.store,
            settings.channel,
        ));
        take_view(o, &opts.default_namespace, keep_json)
    });
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    references_and_duplicates(&loaded, prepared, settings, &mut diagnostics);
    finish(loaded, diagnostics, settings)
}

/// The findings about `o`'s fields under the run's conformance report, if any; read from
/// the object as written, before its schema defaults (no default needs a feature).
fn conformance(
    o: &crate::model::Object,
    default_namespace: &str,
    settings: &Settings,
) -> Vec<crate::diag::Diagnostic> {
    let (Some(target), Some(release)) = (&settings.conformance, settings.store.release()) else {
        return Vec::new();
    };
    let ns = o.namespace.as_deref().unwrap_or(default_namespace);
    crate::features::check::object_findings(o, ns, release, target)
}

/// What the reference graph needs of an object, read right after its schema checks (so
/// with defaults); without `keep_json`, the object's JSON is then cut down ([`slim`]).
fn take_view(
    o: &mut crate::model::Object,
    default_namespace: &str,
    keep_json: bool,
) -> Option<crate::graph::Prepared> {
    let namespace = o
        .namespace
        .clone()
        .unwrap_or_else(|| default_namespace.to_owned());
    let view = crate::graph::Prepared::read(o, namespace);
    if !keep_json {
        slim(o);
    }
    view
}

/// The cross-object rules, over the graph of the objects' views (one per object, in
/// inventory order); returns the graph, for the caller to let go of.
fn references<'a>(
    loaded: &'a Loaded,
    prepared: Vec<Option<crate::graph::Prepared>>,
    settings: &Settings,
    diagnostics: &mut Vec<crate::diag::Diagnostic>,
) -> crate::graph::Graph<'a> {
    let graph = crate::graph::Graph::from_prepared(&loaded.inventory, prepared);
    if let (Some(target), Some(release)) = (&settings.conformance, settings.store.release()) {
        diagnostics.extend(crate::features::check::graph_findings(
            &graph, release, target,
        ));
    }
    crate::checks::refs::check_into(
        &graph,
        &settings.store,
        settings.channel,
        settings.complete,
        settings.now,
        diagnostics,
    );
    graph
}

/// [`references`], then the objects defined twice (GW030), for a run whose loader left
/// those to it ([`load::duplicates`]): once the graph is let go of, so that a large run
/// does not hold both.
fn references_and_duplicates(
    loaded: &Loaded,
    prepared: Vec<Option<crate::graph::Prepared>>,
    settings: &Settings,
    diagnostics: &mut Vec<crate::diag::Diagnostic>,
) {
    references(loaded, prepared, settings, diagnostics).let_go();
    load::duplicates(&loaded.inventory, diagnostics);
}

/// Suppressions, rule selection and severity overrides on a run's findings.
fn finish(
    loaded: Loaded,
    diagnostics: Vec<crate::diag::Diagnostic>,
    settings: &Settings,
) -> Checked {
    finish_with(loaded, diagnostics, settings, &|_| false)
}

/// [`finish`] for a run with context files (`in_context` tells them): a context file is
/// read for its objects only, so its findings, the unused suppressions in it included, are
/// dropped, and it is counted apart from the files checked.
fn finish_with(
    loaded: Loaded,
    mut diagnostics: Vec<crate::diag::Diagnostic>,
    settings: &Settings,
    in_context: &dyn Fn(crate::source::FileId) -> bool,
) -> Checked {
    // Suppressions first, so that one for a rule turned off below is not reported unused.
    suppress::apply(
        &loaded,
        &mut diagnostics,
        settings.enabled(&UNUSED_SUPPRESSION),
    );
    diagnostics.retain(|d| !d.primary.as_ref().is_some_and(|p| in_context(p.file)));
    diagnostics.extend(kubernetes(settings, settings.kubernetes, KUBERNETES_PLACE));
    if let (Some(target), Some(release)) = (&settings.conformance, settings.store.release()) {
        diagnostics.extend(crate::features::check::report_findings(
            target,
            release,
            settings.channel,
        ));
    }
    select(&mut diagnostics, settings);
    let object_refs: Vec<_> = loaded
        .inventory
        .objects
        .iter()
        .filter(|o| !in_context(o.file))
        .map(|o| (o.file, o.object_ref()))
        .collect();
    let context_files = loaded
        .sources
        .iter()
        .filter(|(id, _)| in_context(*id))
        .count();
    let report = Report {
        files: loaded.sources.len() - context_files,
        objects: object_refs.len(),
        context_files,
        object_refs,
        diagnostics,
        errors: loaded.errors,
        warnings: loaded.warnings,
        cases: None,
    };
    Checked {
        report,
        sources: loaded.sources,
        inventory: loaded.inventory,
    }
}

/// The findings about Kubernetes version `kube` for the store's release and the channel,
/// placed at `place`; none without a version.
fn kubernetes(
    settings: &Settings,
    kube: Option<KubeMinor>,
    place: &str,
) -> Vec<crate::diag::Diagnostic> {
    match (kube, settings.store.release()) {
        (Some(kube), Some(release)) => {
            crate::checks::kubernetes::check(release, settings.channel, kube, place)
        }
        _ => Vec::new(),
    }
}

/// Rule selection (`select`, `ignore`) and severity overrides, as every finding of a run
/// goes through them.
fn select(diagnostics: &mut Vec<crate::diag::Diagnostic>, settings: &Settings) {
    diagnostics.retain(|d| settings.enabled(d.rule));
    diagnostics.retain_mut(|d| match settings.overrides.get(d.code()) {
        None => true,
        Some(None) => false,
        Some(Some(sev)) => {
            d.severity = *sev;
            true
        }
    });
}

/// Cut an object's JSON down to what is read of it after its view is taken: only its
/// suppression annotation, the same for every kind, since the checks read objects only
/// through their views ([`crate::graph::Prepared`]). A route's or Gateway's JSON, with
/// defaults applied, is most of a run's memory, and labels and annotations
/// (`kubectl.kubernetes.io/last-applied-configuration` repeats the whole object) are no
/// small part of it.
fn slim(o: &mut crate::model::Object) {
    use serde_json::{Map, Value};

    let mut kept = Map::new();
    if let Some(ignore) = o
        .json
        .get_mut("metadata")
        .and_then(|m| m.get_mut("annotations"))
        .and_then(|a| a.get_mut(crate::load::suppression::ANNOTATION))
    {
        let mut annotations = Map::new();
        annotations.insert(
            crate::load::suppression::ANNOTATION.to_owned(),
            ignore.take(),
        );
        let mut meta = Map::new();
        meta.insert("annotations".to_owned(), Value::Object(annotations));
        kept.insert("metadata".to_owned(), Value::Object(meta));
    }
    o.json = Value::Object(kept);
}
