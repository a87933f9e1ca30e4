//! `gwctl upgrade`: reads the manifests (or, with `--cluster`, the cluster's objects and
//! CRDs, with any PATHs over them), asks [`crate::upgrade`] what moving the Gateway API CRDs
//! from `--from` to `--to` breaks, and writes the findings as `lint` does, in every format
//! and to every `--output`, with lint's exit status.

use std::io::{self, IsTerminal, Read, Write};

use super::args::UpgradeArgs;
use super::lint::{emit, output_plan, status};
use super::{Status, fail, usage_error};
use crate::diag::Severity;
use crate::lint::Checked;
use crate::lint::report::Report;
use crate::load::{self, Input, Loaded};
use crate::schema::{Channel, Release};
use crate::upgrade::{self, InstalledCrd, Plan};

/// `gwctl upgrade [PATH]...`, or with `--cluster` the live state with any PATHs over it.
pub fn run(args: &UpgradeArgs, color: bool, out: &mut dyn Write) -> io::Result<Status> {
    let outputs = match output_plan(args.output_format, &args.outputs) {
        Ok(p) => p,
        Err(message) => return usage_error(&mut io::stderr(), "upgrade", &message),
    };
    let to = args.to.unwrap_or_default();
    let load_opts = args
        .limits
        .options(args.namespace.clone().unwrap_or_else(|| "default".into()));
    let inputs = super::inputs(&args.paths);
    // The cluster's Kubernetes, for the findings about what the target release needs.
    let mut kubernetes = args.kubernetes_version;
    let (loaded, plan, cluster) = if args.live.cluster {
        let local = (!inputs.is_empty()).then(|| {
            let mut stdin = io::stdin().lock();
            load::load(&inputs, &load_opts, &mut stdin as &mut dyn Read)
        });
        let opts = args.live.options(
            args.namespace.clone(),
            args.context.clone(),
            Vec::new(),
            load_opts.clone(),
        );
        let refs: Vec<&crate::model::Object> = local
            .iter()
            .flat_map(|l| l.inventory.objects.iter())
            .collect();
        let snapshot = match load::cluster::fetch(&opts, &refs) {
            Ok(s) => s,
            Err(e) => return fail(&e.to_string()),
        };
        kubernetes = kubernetes.or(snapshot.kubernetes);
        let bundle = snapshot.bundle.clone().unwrap_or_default();
        let from = match (args.from, bundle.version.as_deref()) {
            (Some(r), _) => r,
            (None, Some(v)) => match Release::parse(v) {
                Ok(r) => r,
                Err(e) => {
                    return fail(&format!(
                        "the installed Gateway API CRDs are bundle version {v}: {e}; give the installed release with --from"
                    ));
                }
            },
            (None, None) => {
                return fail(
                    "cannot tell which Gateway API release the cluster runs: its CRDs have no gateway.networking.k8s.io/bundle-version annotation; give it with --from",
                );
            }
        };
        let plan = plan(args, from, to, &bundle);
        let crds: Vec<InstalledCrd> = snapshot
            .crds
            .iter()
            .filter_map(InstalledCrd::read)
            .collect();
        let place = format!("cluster:{}", snapshot.server);
        let loaded = match local {
            Some(l) => snapshot.overlay(l, &load_opts),
            None => snapshot.live(&load_opts),
        };
        (loaded, plan, Some((crds, place)))
    } else {
        let mut inputs = inputs;
        if inputs.is_empty() {
            if io::stdin().is_terminal() {
                return usage_error(
                    &mut io::stderr(),
                    "upgrade",
                    "no input: give files or folders to check, or pipe manifests on stdin (`-`), or use --cluster",
                );
            }
            inputs.push(Input::Stdin);
        }
        let loaded = load::load(&inputs, &load_opts, &mut io::stdin().lock());
        // CRDs in the inputs (`kubectl get crd -o yaml`) say which release is installed.
        let bundle = installed_bundle(&loaded.inventory);
        let from = match (args.from, bundle.version.as_deref().map(Release::parse)) {
            (Some(r), _) => r,
            (None, Some(Ok(r))) => r,
            _ => {
                return usage_error(
                    &mut io::stderr(),
                    "upgrade",
                    "--from is required without --cluster (unless the inputs hold the installed CRDs): name the Gateway API release installed now, such as --from v1.3",
                );
            }
        };
        let plan = plan(args, from, to, &bundle);
        (loaded, plan, None)
    };
    let mut checked = check(loaded, &plan, cluster.as_ref(), kubernetes);
    checked.normalize();
    let st = status(&checked.report, Severity::Error, false);
    emit(&outputs, &checked, st, color, None, out)
}

/// The release and channel the Gateway API CRDs among `inventory`'s objects are annotated
/// with (the first that says).
fn installed_bundle(inventory: &crate::model::Inventory) -> load::cluster::Bundle {
    let annotation = |o: &crate::model::Object, key: &str| {
        o.json
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(key))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let crds: Vec<&crate::model::Object> = inventory
        .objects
        .iter()
        .filter(|o| o.kind == "CustomResourceDefinition" && InstalledCrd::read(&o.json).is_some())
        .collect();
    load::cluster::Bundle {
        version: crds
            .iter()
            .find_map(|o| annotation(o, "gateway.networking.k8s.io/bundle-version")),
        channel: crds
            .iter()
            .find_map(|o| annotation(o, "gateway.networking.k8s.io/channel")),
    }
}

/// The upgrade from `from` to `to`: the channel installed now is the flag's, else the
/// installed CRDs' (`bundle`), else standard; the target channel is the same unless given.
fn plan(args: &UpgradeArgs, from: Release, to: Release, bundle: &load::cluster::Bundle) -> Plan {
    let from_channel = args
        .from_channel
        .map(Channel::from)
        .or_else(|| bundle.channel.as_deref().and_then(|c| c.parse().ok()))
        .unwrap_or_default();
    Plan {
        from,
        to,
        from_channel,
        to_channel: args.channel.map_or(from_channel, Channel::from),
    }
}

/// The upgrade's findings over what was loaded, as a lint report.
fn check(
    loaded: Loaded,
    plan: &Plan,
    cluster: Option<&(Vec<InstalledCrd>, String)>,
    kubernetes: Option<crate::schema::KubeMinor>,
) -> Checked {
    // What the loader found that keeps objects from being read (invalid YAML, ...) is
    // reported; an object defined twice is lint's business, not the upgrade's.
    let mut diagnostics = loaded.diagnostics;
    diagnostics.retain(|d| !d.is(&crate::load::rules::DUPLICATE_OBJECT));
    diagnostics.extend(upgrade::objects(&loaded.inventory, plan));
    // Findings about the upgrade itself are placed at the cluster, or named by the upgrade.
    let place = cluster.map_or_else(
        || format!("upgrade {} → {}", plan.from, plan.to),
        |(_, p)| p.clone(),
    );
    // CRDs in the inputs (`kubectl get crd -o yaml`) are read as installed ones too.
    let mut crds = InstalledCrd::in_inventory(&loaded.inventory);
    if let Some((live, _)) = cluster {
        crds.extend(live.iter().cloned());
    }
    diagnostics.extend(upgrade::stored_versions(&crds, plan, &place));
    diagnostics.extend(upgrade::safe_upgrades(plan, &place));
    // Kubernetes too old for the target release (GW605, GW606): what its CRDs and bundle use.
    if let Some(kube) = kubernetes {
        diagnostics.extend(crate::checks::kubernetes::check(
            plan.to,
            plan.to_channel,
            kube,
            &place,
        ));
    }
    let report = Report {
        diagnostics,
        files: loaded.sources.len(),
        objects: loaded.inventory.objects.len(),
        context_files: 0,
        object_refs: loaded
            .inventory
            .objects
            .iter()
            .map(|o| (o.file, o.object_ref()))
            .collect(),
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
