//! What a run is checked with: the configuration file (`--config`, or the nearest
//! `.gwctl.yaml`) with the flags over it, turned into the loader's options and the check
//! settings (schema store with `--crds`, channel, failing severity, rule selection).
//! Shared by `lint` and `simulate`, so the same flags mean the same in both.

use std::io;

use super::args::{self, LintArgs};
use crate::diag::Severity;
use crate::load::{self, Input};
use crate::render;

/// What every lint run starts from: the configuration file (`--config`, or the nearest
/// `.gwctl.yaml`), the loader's options, and the check settings with flags over the file.
pub fn prepare(
    args: &LintArgs,
) -> Result<
    (
        crate::lint::config::Config,
        load::Options,
        crate::lint::Settings,
    ),
    String,
> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let config = crate::lint::config::Config::discover(args.config.as_deref(), &cwd)
        .map_err(|e| format!("configuration file {e}"))?;
    let opts = load::Options {
        exclude: config.excludes().map(|set| (set, config.dir.clone())),
        ..args
            .limits
            .options(args.namespace.clone().unwrap_or_else(|| "default".into()))
    };
    let mut settings = from_flags(
        &args.schema,
        args.fail_on,
        &args.select,
        &args.ignore,
        &config,
    )?;
    settings.kubernetes = match args.kubernetes_version {
        Some(k) => Some(k),
        None => config
            .kubernetes()
            .map_err(|e| format!("configuration file {e}"))?,
    };
    settings.conformance = conformance_target(args, &config, &settings)?.map(std::sync::Arc::new);
    Ok((config, opts, settings))
}

/// The conformance report lint checks features against: `--implementation`,
/// `--conformance-report`, else the configuration file's `implementation` or
/// `conformanceReport` (flags win over the file; errors name the flag or the key).
fn conformance_target(
    args: &LintArgs,
    config: &crate::lint::config::Config,
    settings: &crate::lint::Settings,
) -> Result<Option<crate::features::check::Target>, String> {
    use crate::features::{check::Target, reports};
    let release = settings.store.release().unwrap_or_default();
    let channel = settings.channel.as_str();
    let config_key = |key: &str| match &config.path {
        Some(p) => format!("configuration file {}: {key}", p.display()),
        None => key.to_owned(),
    };
    let by_name = |spec: &str, place: String, key: String| {
        reports::find(spec, release.tag(), channel)
            .map(|r| Target {
                report: r.clone(),
                place,
            })
            .map_err(|e| format!("{key}: {e}"))
    };
    let by_file = |path: &std::path::Path, key: String| {
        let report =
            reports::read_file(path).map_err(|e| format!("{key}: {}: {e}", path.display()))?;
        // Feature names are a release's; a report of a release gwctl does not know cannot
        // be read against the lint's.
        if crate::schema::Release::parse(&report.gateway_api_version).is_err() {
            return Err(format!(
                "{key}: {}: the report ran Gateway API {}, a release gwctl does not know (it knows {}); give a report of the release the cluster runs",
                path.display(),
                report.gateway_api_version,
                crate::schema::Release::known().join(", ")
            ));
        }
        Ok(Target {
            place: path.display().to_string().replace('\\', "/"),
            report,
        })
    };
    if let Some(spec) = &args.implementation {
        return by_name(
            spec,
            format!("--implementation {spec}"),
            "--implementation".into(),
        )
        .map(Some);
    }
    if let Some(path) = &args.conformance_report {
        return by_file(path, "--conformance-report".into()).map(Some);
    }
    if let Some(spec) = &config.implementation {
        return by_name(
            spec,
            format!("implementation: {spec}"),
            config_key("implementation"),
        )
        .map(Some);
    }
    if let Some(file) = &config.conformance_report {
        return by_file(&config.dir.join(file), config_key("conformanceReport")).map(Some);
    }
    Ok(None)
}

/// The settings of a command that reads manifests as `lint` does but has no rule flags
/// (`simulate`, `test`, `graph`): the nearest `.gwctl.yaml` from the working directory,
/// with the schema flags over it, so that the release, channel and `--crds` mean what they
/// mean for `lint`. The inner error is a message for the user (exit status 2).
pub fn without_rule_flags(
    args: &args::SchemaArgs,
) -> std::io::Result<Result<crate::lint::Settings, String>> {
    let cwd = std::env::current_dir()?;
    Ok(match crate::lint::config::Config::discover(None, &cwd) {
        Ok(config) => from_flags(args, None, &[], &[], &config),
        Err(e) => Err(format!("configuration file {e}")),
    })
}

/// The schema store (bundled, plus `--crds`) and channel for a lint run. A CRD file that
/// cannot be read or converted stops the run: linting against a schema the user did not
/// intend would give wrong answers.
pub fn from_flags(
    args: &args::SchemaArgs,
    fail_on: Option<args::SeverityArg>,
    select: &[String],
    ignore: &[String],
    config: &crate::lint::config::Config,
) -> Result<crate::lint::Settings, String> {
    let release = match args.gateway_api_version {
        Some(r) => r,
        None => config
            .release()
            .map_err(|e| format!("configuration file {e}"))?
            .unwrap_or_default(),
    };
    let channel = match (args.channel, config.channel.as_deref()) {
        (Some(c), _) => c.into(),
        (None, Some(c)) => c.parse().map_err(|e: String| e)?,
        (None, None) => Default::default(),
    };
    let fail_on = match (fail_on, config.fail_on.as_deref()) {
        (Some(s), _) => s.into(),
        (None, Some(s)) => crate::lint::config::parse_severity(s).unwrap_or(Severity::Error),
        (None, None) => Severity::Error,
    };
    // A mistyped rule would select nothing (every check off, exit 0) or ignore nothing.
    crate::lint::config::check_selectors("--select", select)?;
    crate::lint::config::check_selectors("--ignore", ignore)?;
    let mut settings = crate::lint::Settings {
        store: crate::schema::Store::for_release(release),
        channel,
        fail_on,
        complete: args.complete || config.complete.unwrap_or(false),
        select: if select.is_empty() {
            config.rules.select.clone()
        } else {
            select.to_vec()
        },
        ignore: ignore.iter().chain(&config.rules.ignore).cloned().collect(),
        overrides: config.overrides(),
        ..Default::default()
    };
    if args.crds.is_empty() {
        return Ok(settings);
    }
    let inputs: Vec<Input> = args.crds.iter().map(|p| Input::Path(p.clone())).collect();
    let loaded = load::load(&inputs, &load::Options::default(), &mut io::empty());
    if let Some(e) = loaded.errors.first() {
        return Err(format!("--crds: cannot read {e}"));
    }
    if let Some(d) = loaded
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
    {
        let at = render::position(d, &loaded.sources)
            .map(|(f, l, c, ..)| format!("{f}:{l}:{c}: "))
            .unwrap_or_default();
        return Err(format!("--crds: {at}{}", d.message));
    }
    let mut added = 0;
    for o in &loaded.inventory.objects {
        if o.kind != "CustomResourceDefinition" {
            continue;
        }
        let file = loaded.sources.get(o.file).origin.to_string();
        settings
            .store
            .add_crd(&o.json)
            .map_err(|e| format!("--crds: {file}: CustomResourceDefinition {}: {e}", o.name))?;
        added += 1;
    }
    if added == 0 {
        return Err(format!(
            "--crds: no CustomResourceDefinition found in {}",
            args.crds
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(settings)
}
