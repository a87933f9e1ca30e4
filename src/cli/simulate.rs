//! `gwctl simulate`: read the manifests as `lint` does, build the request from the flags,
//! run the simulator and print its trace.
//!
//! Owns turning flags into a [`Request`] and [`Options`], running the same passes lint runs
//! (schema defaults matter to routing: a match without `type` is a PathPrefix), and picking
//! the lint findings about the objects the answer depends on. Exit status: 0 when the
//! simulation ran, whatever the outcome; 2 when it could not.

use std::io::{self, IsTerminal, Read, Write};

use super::{Status, fail};

use super::args::{SimulateArgs, TraceFormat};
use crate::diag::Severity;
use crate::load::{self, Input};
use crate::render;
use crate::sim::{self, Finding, request};

pub fn run(args: &SimulateArgs, color: bool, out: &mut dyn Write) -> io::Result<Status> {
    let (req, mut opts) = match spec(args).build(&args.namespace, args.schema.complete) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let mut inputs = super::inputs(&args.paths);
    if inputs.is_empty() && !args.live.cluster {
        if io::stdin().is_terminal() {
            return fail(
                "no input: give files or folders with the manifests, or pipe them on stdin (`-`)",
            );
        }
        inputs.push(Input::Stdin);
    }
    // The same settings as lint: channel, --crds and --complete mean the same here.
    let mut settings = match super::settings::without_rule_flags(&args.schema)? {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    opts.experimental = settings.channel == crate::schema::Channel::Experimental;
    opts.release = settings.store.release();
    let lopts = args.limits.options(args.namespace.clone());
    let mut loaded = if args.live.cluster {
        // The live state, with any PATHs over it; it is the whole state, so a reference to
        // an object that is not there is a fault, not a guess.
        settings.complete = true;
        let files = if args.paths.is_empty() {
            Vec::new()
        } else {
            inputs
        };
        let namespace = (args.namespace != "default").then(|| args.namespace.clone());
        match load::cluster::load(
            &args
                .live
                .options(namespace, args.context.clone(), files, lopts),
        ) {
            Ok(l) => l,
            Err(e) => return fail(&e.to_string()),
        }
    } else {
        let mut stdin = io::stdin().lock();
        load::load(&inputs, &lopts, &mut stdin as &mut dyn Read)
    };
    if let Some(e) = loaded.errors.first() {
        return fail(&format!("cannot read {e}"));
    }
    for w in &loaded.warnings {
        writeln!(io::stderr(), "gwctl: warning: {w}")?;
    }
    if let Some(message) = refused(&loaded) {
        return fail(&message);
    }
    let diagnostics = crate::lint::analyze(&mut loaded, &settings);
    let graph = crate::graph::Graph::build(&loaded.inventory);
    let mut trace = match sim::simulate(&graph, &req, &opts) {
        Ok(t) => t,
        Err(e) => return fail(&e.0),
    };
    // Findings about the objects the answer depends on, errors and warnings only.
    let mut findings: Vec<Finding> = diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .filter(|d| {
            d.object.as_deref().is_some_and(|o| {
                let ns = o.namespace.as_deref().unwrap_or(&args.namespace);
                trace
                    .involved
                    .iter()
                    .any(|(k, n, name)| *k == o.kind && n == ns && *name == o.name)
            })
        })
        .map(|d| Finding {
            code: d.code().to_owned(),
            name: d.rule.name.to_owned(),
            severity: d.severity.as_str().to_owned(),
            message: d.message.to_string(),
            object: d.object.as_deref().map(|o| o.to_string()),
        })
        .collect();
    findings
        .sort_by(|a, b| (&a.object, &a.code, &a.message).cmp(&(&b.object, &b.code, &b.message)));
    findings.dedup_by(|a, b| a.code == b.code && a.message == b.message && a.object == b.object);
    trace.findings = findings;
    match args.output_format {
        TraceFormat::Human => render::trace::human(&trace, color, out)?,
        TraceFormat::Json => render::trace::json(&trace, out)?,
    }
    out.flush()?;
    if let Some(file) = &args.save_test {
        return save_test(args, file, &trace);
    }
    Ok(Status::Clean)
}

/// `--save-test FILE`: append the request and `trace`'s answer to FILE as a case, by adding
/// text at its end ([`crate::routetest::write::append_case`]); a new file names the PATHs
/// as its `manifests:`, relative to it.
fn save_test(
    args: &SimulateArgs,
    file: &std::path::Path,
    trace: &sim::Trace,
) -> io::Result<Status> {
    let old = match std::fs::read(file) {
        Ok(b) => match String::from_utf8(b) {
            Ok(t) => Some(t),
            Err(_) => {
                return fail(&format!(
                    "--save-test {}: it is not UTF-8 text",
                    file.display()
                ));
            }
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return fail(&format!("--save-test {}: {e}", file.display())),
    };
    let dir = file.parent().unwrap_or(std::path::Path::new(""));
    let manifests: Vec<String> = if args.live.cluster {
        Vec::new()
    } else {
        args.paths
            .iter()
            .filter(|p| p.as_os_str() != "-")
            .map(|p| relative_to(dir, p).to_string_lossy().into_owned())
            .collect()
    };
    let spec = spec(args);
    let name = match &spec.grpc {
        Some(g) => format!("gRPC {g} at {}", spec.url),
        None => format!(
            "{} {}",
            spec.method.as_deref().unwrap_or("GET").to_ascii_uppercase(),
            spec.url
        ),
    };
    let (text, name) =
        match crate::routetest::write::append_case(old.as_deref(), &manifests, &name, &spec, trace)
        {
            Ok(t) => t,
            Err(e) => {
                return fail(&format!(
                    "cannot append a case to {}: {}",
                    file.display(),
                    e.0
                ));
            }
        };
    let written = match &old {
        Some(old) => crate::migrate::write::replace_file(file, old.as_bytes(), text.as_bytes()),
        None => super::lint::write_atomically(file, |w| w.write_all(text.as_bytes())),
    };
    match written {
        Ok(()) => {
            writeln!(
                io::stderr(),
                "gwctl: saved the case \"{name}\" to {}",
                file.display()
            )?;
            Ok(Status::Clean)
        }
        Err(e) => fail(&format!("cannot write {}: {e}", file.display())),
    }
}

/// `path` (relative to the working directory) as seen from `dir` (also relative to it), for
/// a test file's `manifests:`; an absolute path stays as it is.
fn relative_to(dir: &std::path::Path, path: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let plain = |p: &std::path::Path| {
        p.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    };
    if path.is_absolute() || !plain(dir) || !plain(path) {
        return std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    }
    let depth = dir
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .count();
    let mut out = std::path::PathBuf::new();
    for _ in 0..depth {
        out.push("..");
    }
    out.push(path);
    out
}

/// The request the flags describe, as [`request::Spec`] (which `gwctl test` fills from a test
/// file's case).
pub(super) fn spec(args: &SimulateArgs) -> request::Spec {
    request::Spec {
        url: args.url.clone(),
        method: args.method.clone(),
        headers: args.headers.clone(),
        cookies: args.cookies.clone(),
        sni: args.sni.clone(),
        grpc: args.grpc.clone(),
        gateway: args.gateway.clone(),
        service: args.service.clone(),
        from_namespace: args.from_namespace.clone(),
        requests: args.requests,
        seed: args.seed,
    }
}

/// Why the simulator must not run on `loaded`: an input left unread by a limit would make
/// the answer one about other manifests than the user's, so gwctl says so instead (shared
/// with `gwctl test`).
pub(super) fn refused(loaded: &load::Loaded) -> Option<String> {
    let refused = [
        &load::rules::FILE_TOO_LARGE,
        &load::rules::INPUTS_TOO_LARGE,
        &load::rules::TOO_MANY_OBJECTS,
    ];
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| refused.iter().any(|r| d.is(r)))?;
    let file = d
        .primary
        .as_ref()
        .map(|p| loaded.sources.get(p.file).origin.to_string())
        .or_else(|| d.file_hint.as_deref().map(str::to_owned))
        .unwrap_or_default();
    let help = d.help.as_deref().unwrap_or_default();
    Some(format!("{file}: {} ({}); {help}", d.message, d.code()))
}
