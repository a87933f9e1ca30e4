//! `gwctl features` and `gwctl implementations`: read the manifests, ask
//! [`crate::features`] what each object needs of the chosen release's conformance features
//! (and which bundled implementations support them), and print it.

use std::io::{self, IsTerminal, Write};

use super::args::{FeaturesArgs, FeaturesFormat};
use super::{Status, usage_error};
use crate::load::{self, Input, Loaded};

/// The manifests `args` name, loaded; `Err` with the run's status when they cannot be.
pub(super) fn load_inputs(args: &FeaturesArgs, command: &str) -> Result<Loaded, Status> {
    let mut inputs = super::inputs(&args.paths);
    if inputs.is_empty() {
        if io::stdin().is_terminal() {
            return Err(usage_error(
                &mut io::stderr(),
                command,
                "no input: give files or folders to read, or pipe manifests on stdin (`-`)",
            )
            .unwrap_or(Status::Failure));
        }
        inputs.push(Input::Stdin);
    }
    let opts = args
        .limits
        .options(args.namespace.clone().unwrap_or_else(|| "default".into()));
    let loaded = load::load(&inputs, &opts, &mut io::stdin().lock());
    let mut err = io::stderr();
    if !loaded.errors.is_empty() {
        for e in &loaded.errors {
            let _ = writeln!(err, "gwctl: error: {e}");
        }
        return Err(Status::Failure);
    }
    let unreadable = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .count();
    if unreadable > 0 {
        // What could not be read needs nothing; lint says what is wrong with it.
        let _ = writeln!(
            err,
            "gwctl: warning: {unreadable} input finding{} (objects that could not be read are left out); run `gwctl lint` on the same inputs to see {}",
            if unreadable == 1 { "" } else { "s" },
            if unreadable == 1 { "it" } else { "them" }
        );
    }
    Ok(loaded)
}

/// The release whose features count: `--gateway-api-version`, else the nearest
/// `.gwctl.yaml`'s `gatewayAPIVersion` (as lint reads it), else the newest.
fn release(args: &FeaturesArgs) -> Result<crate::schema::Release, String> {
    if let Some(r) = args.gateway_api_version {
        return Ok(r);
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let config = crate::lint::config::Config::discover(None, &cwd)
        .map_err(|e| format!("configuration file {e}"))?;
    Ok(config
        .release()
        .map_err(|e| format!("configuration file {e}"))?
        .unwrap_or_default())
}

/// `gwctl features [PATH]...`.
pub fn run(args: &FeaturesArgs, out: &mut dyn Write) -> io::Result<Status> {
    let release = match release(args) {
        Ok(r) => r,
        Err(e) => return super::fail(&e),
    };
    let loaded = match load_inputs(args, "features") {
        Ok(l) => l,
        Err(status) => return Ok(status),
    };
    let objects = crate::features::of_inventory(&loaded.inventory, release);
    let tag = release.tag();
    match args.output_format {
        FeaturesFormat::Human => {
            crate::render::features::human(&objects, &loaded.sources, tag, out)?
        }
        FeaturesFormat::Json => crate::render::features::json(&objects, &loaded.sources, tag, out)?,
    }
    Ok(Status::Clean)
}

/// `gwctl implementations [PATH]...`.
pub fn implementations(args: &FeaturesArgs, out: &mut dyn Write) -> io::Result<Status> {
    let release = match release(args) {
        Ok(r) => r,
        Err(e) => return super::fail(&e),
    };
    let loaded = match load_inputs(args, "implementations") {
        Ok(l) => l,
        Err(status) => return Ok(status),
    };
    let objects = crate::features::of_inventory(&loaded.inventory, release);
    let verdicts = crate::features::verdicts(&objects, release);
    let tag = release.tag();
    match args.output_format {
        FeaturesFormat::Human => crate::render::features::implementations_human(
            &objects,
            &verdicts,
            tag,
            release.minor(),
            out,
        )?,
        FeaturesFormat::Json => {
            crate::render::features::implementations_json(&objects, &verdicts, tag, out)?
        }
    }
    Ok(Status::Clean)
}
