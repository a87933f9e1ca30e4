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
    Ok((config, opts, settings))
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
