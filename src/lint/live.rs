//! Lint over a live cluster: the installed CRDs as the schema store, and the findings of
//! local files over the live state marked new, existing or fixed.
//!
//! The command line reads the cluster once ([`crate::load::cluster::fetch`]) and the local
//! files, and prints what this module returns. Both states are linted from the same
//! snapshot with the same settings, so the difference between their findings is the
//! files' doing. Nothing here talks to the cluster or the terminal.

use std::collections::BTreeSet;

use super::{Checked, Settings};
use crate::checks::cluster as checks;
use crate::load::cluster::Snapshot;
use crate::load::{self, Loaded};
use crate::schema::{KubeMinor, Release, Store};
use crate::source::FileId;

/// What a lint over the cluster checks with.
pub struct Setup {
    /// The settings of the flags and the configuration file, made complete (the live state
    /// is the whole state), with the installed CRDs' schemas and channel where they apply.
    pub settings: Settings,
    /// The schemas gwctl bundles (with `--crds`), to tell what only the installed CRDs
    /// reject.
    bundled: Store,
    /// Installed CRDs that cannot be used, each with why; when there is any, every kind is
    /// validated against the bundled schemas instead.
    pub unusable_crds: Vec<String>,
    /// What the user should know about the installed release, once: a bundle version gwctl
    /// does not know, or CRDs of different releases; or that the cluster's Kubernetes
    /// version could not be read.
    pub notes: Vec<String>,
    /// The cluster's Kubernetes version: the user's (`--kubernetes-version`,
    /// `kubernetesVersion:`), else the API server's. Its findings are about the cluster, so
    /// they are made once, not in each of the two states compared.
    pub kubernetes: Option<KubeMinor>,
}

/// The settings to lint `snapshot` with, from `settings` as the flags and configuration
/// file made them. `channel_chosen` and `release_chosen`: the user named a release channel
/// or a Gateway API release, which the installed one does not override.
pub fn setup(
    snapshot: &Snapshot,
    mut settings: Settings,
    channel_chosen: bool,
    release_chosen: bool,
) -> Setup {
    // The state is complete, and its schemas are the installed CRDs'; its GatewayClasses
    // say which features their controllers support.
    settings.complete = true;
    settings.class_features = true;
    let mut notes = Vec::new();
    let kubernetes = settings.kubernetes.take().or(snapshot.kubernetes);
    if let (None, Some(why)) = (kubernetes, &snapshot.kubernetes_unread) {
        notes.push(format!(
            "cannot read the cluster's Kubernetes version ({why}); whether it can run the Gateway API release (GW605, GW606) is not checked; give it with --kubernetes-version"
        ));
    }
    let versions = bundle_versions(&snapshot.crds);
    if versions.len() > 1 {
        notes.push(format!(
            "the installed Gateway API CRDs come from different releases ({}); upgrade them together",
            versions
                .iter()
                .map(|(v, crds)| format!("{v}: {}", crds.join(", ")))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    // The installed release, unless the user chose one: the bundled schemas of that release
    // fill in what the installed CRDs cannot say (and tell which findings only they give).
    if let (false, Some(v)) = (
        release_chosen,
        snapshot.bundle.as_ref().and_then(|b| b.version.as_deref()),
    ) {
        match Release::parse(v) {
            Ok(r) => settings.store = Store::for_release(r),
            Err(_) => notes.push(format!(
                "the installed Gateway API CRDs are bundle version {v}, which this gwctl does not know; validating against the installed CRDs, with the bundled {} schemas where they say nothing",
                Release::newest()
            )),
        }
    }
    let bundled = settings.store.clone();
    let mut unusable_crds = Vec::new();
    // Only a complete set of installed CRDs replaces the bundled schemas: with some missing,
    // gwctl could not tell a kind the cluster lacks from one it may not read.
    let crds_skipped = snapshot
        .skipped
        .iter()
        .any(|s| s.kind == "CustomResourceDefinition");
    if !snapshot.crds.is_empty() && !crds_skipped {
        let (store, problems) = checks::installed_store(settings.store.clone(), &snapshot.crds);
        if problems.is_empty() {
            settings.store = store;
        }
        unusable_crds = problems;
    }
    // The installed channel, unless the user chose one.
    let installed_channel = snapshot
        .bundle
        .as_ref()
        .and_then(|b| b.channel.as_deref())
        .and_then(|c| c.parse().ok());
    if let (false, Some(c)) = (channel_chosen, installed_channel) {
        settings.channel = c;
    }
    Setup {
        settings,
        bundled,
        unusable_crds,
        notes,
        kubernetes,
    }
}

/// Bundle version → the CRDs that carry it (`unknown` for CRDs without the annotation).
fn bundle_versions(crds: &[serde_json::Value]) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for crd in crds {
        let version = crd
            .pointer("/metadata/annotations")
            .and_then(|a| a.get("gateway.networking.k8s.io/bundle-version"))
            .and_then(serde_json::Value::as_str)
            .unwrap_or("unknown");
        let name = crd
            .pointer("/metadata/name")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("(unnamed)");
        out.entry(version.to_owned())
            .or_default()
            .push(name.to_owned());
    }
    out
}

/// Lint the live state; or, with `local` (the files, read with `load_opts`), the files put
/// over it, each finding marked new, existing or fixed against the live state's. Kinds the
/// cluster would not let gwctl read are reported, and the findings that depend on them
/// dropped.
pub fn lint(
    snapshot: &Snapshot,
    local: Option<Loaded>,
    mut load_opts: load::Options,
    setup: &Setup,
) -> Checked {
    // Objects of the files that name no namespace land in the cluster's default one.
    load_opts.default_namespace = snapshot.default_namespace.clone();
    let live = super::check(snapshot.live(&load_opts), &setup.settings);
    let mut checked = match local {
        None => live,
        Some(local) => over_live(snapshot, local, &load_opts, setup, live),
    };
    checks::skipped(
        &snapshot.skipped,
        &snapshot.server,
        crate::rules::all(),
        &mut checked.report.diagnostics,
    );
    let mut about_kubernetes = super::kubernetes(
        &setup.settings,
        setup.kubernetes,
        &format!("cluster:{}", snapshot.server),
    );
    super::select(&mut about_kubernetes, &setup.settings);
    checked.report.diagnostics.extend(about_kubernetes);
    // `--fix` edits files and refuses --cluster, so no finding here may offer a fix the
    // user cannot run.
    for d in &mut checked.report.diagnostics {
        d.fix = None;
    }
    checked
}

/// The files in `local` over the live state: their findings, with those only the installed
/// CRDs reject said so, and each marked against `live`'s findings.
fn over_live(
    snapshot: &Snapshot,
    local: Loaded,
    load_opts: &load::Options,
    setup: &Setup,
    live: Checked,
) -> Checked {
    let settings = &setup.settings;
    // One file per live object, before the local files (see Snapshot::overlay).
    let live_files = snapshot.objects.len() as u32;
    // The files' objects against the bundled schemas, to tell what only the
    // installed CRDs reject.
    let mut inventory = crate::model::Inventory::new(snapshot.default_namespace.clone());
    for o in &local.inventory.objects {
        inventory.push(o.clone());
    }
    let bundled = crate::checks::schema::check(
        &mut inventory,
        &setup.bundled,
        settings.channel,
        &Default::default(),
    );
    let local_files: BTreeSet<FileId> = (0..local.sources.len() as u32)
        .map(|i| FileId(i + live_files))
        .collect();
    let mut overlay = super::check(snapshot.overlay(local, load_opts), settings);
    checks::not_installed(
        &mut overlay.report.diagnostics,
        &bundled,
        &local_files,
        snapshot.bundle.as_ref(),
        &settings.store,
        setup.bundled.release().unwrap_or_default(),
    );
    checks::compare(
        live.report.diagnostics,
        &mut overlay.report.diagnostics,
        &snapshot.default_namespace,
    );
    overlay
}
