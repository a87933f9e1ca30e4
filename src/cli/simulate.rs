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
use crate::sim::{self, Finding, Options, Request, request};

pub fn run(args: &SimulateArgs, color: bool, out: &mut dyn Write) -> io::Result<Status> {
    let (req, mut opts) = match build(args) {
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
    let cwd = std::env::current_dir()?;
    let config = match crate::lint::config::Config::discover(None, &cwd) {
        Ok(c) => c,
        Err(e) => return fail(&format!("configuration file {e}")),
    };
    // The same settings as lint: channel, --crds and --complete mean the same here.
    let mut settings = match super::settings::from_flags(&args.schema, None, &[], &[], &config) {
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
    // An input left unread by a limit would make the answer one about other manifests than
    // the user's; say so instead of simulating on part of them.
    let refused = [
        &load::rules::FILE_TOO_LARGE,
        &load::rules::INPUTS_TOO_LARGE,
        &load::rules::TOO_MANY_OBJECTS,
    ];
    if let Some(d) = loaded
        .diagnostics
        .iter()
        .find(|d| refused.iter().any(|r| d.is(r)))
    {
        let file = d
            .primary
            .as_ref()
            .map(|p| loaded.sources.get(p.file).origin.to_string())
            .or_else(|| d.file_hint.as_deref().map(str::to_owned))
            .unwrap_or_default();
        let help = d.help.as_deref().unwrap_or_default();
        return fail(&format!("{file}: {} ({}); {help}", d.message, d.code()));
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
    Ok(Status::Clean)
}

fn ns_name(flag: &str, v: &str) -> Result<(String, String), String> {
    match v.split_once('/') {
        Some((ns, n)) if !ns.is_empty() && !n.is_empty() && !n.contains('/') => {
            Ok((ns.to_owned(), n.to_owned()))
        }
        _ => Err(format!("{flag} \"{v}\" is not NAMESPACE/NAME")),
    }
}

/// The request and options the flags describe.
fn build(args: &SimulateArgs) -> Result<(Request, Options), String> {
    let url = request::parse_url(&args.url)?;
    if request::is_stream(&url.scheme) {
        // A TLS, TCP or UDP connection carries no HTTP request to describe.
        let http_only = [
            ("--grpc", args.grpc.is_some()),
            ("-X/--method", args.method.is_some()),
            ("-H/--header", !args.headers.is_empty()),
            ("--cookie", !args.cookies.is_empty()),
            ("--service", args.service.is_some()),
        ];
        if let Some((flag, _)) = http_only.iter().find(|(_, set)| *set) {
            return Err(format!(
                "{flag} describes an HTTP request; a {}:// connection has none",
                url.scheme
            ));
        }
    }
    let grpc = args.grpc.as_deref().map(request::parse_grpc).transpose()?;
    let port = url
        .port
        .or_else(|| request::default_port(&url.scheme))
        .unwrap_or(80);
    let mut headers = Vec::new();
    for h in &args.headers {
        headers.push(request::parse_header(h)?);
    }
    for c in &args.cookies {
        let (n, v) = request::parse_cookie(c)?;
        headers.push(("Cookie".to_owned(), format!("{n}={v}")));
    }
    let method = match (&args.method, &grpc) {
        _ if request::is_stream(&url.scheme) => String::new(),
        (Some(m), _) => {
            let m = m.trim().to_ascii_uppercase();
            if m.is_empty() || !m.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(format!("method \"{m}\" is not an HTTP method"));
            }
            m
        }
        (None, Some(_)) => "POST".to_owned(),
        (None, None) => "GET".to_owned(),
    };
    let path = match &grpc {
        Some((s, m)) => format!("/{s}/{m}"),
        None => url.path.clone(),
    };
    if grpc.is_some()
        && !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        headers.push(("content-type".to_owned(), "application/grpc".to_owned()));
    }
    let req = Request {
        method,
        scheme: url.scheme.clone(),
        host: url.host.clone(),
        port,
        path,
        query: if grpc.is_some() {
            String::new()
        } else {
            url.query.clone()
        },
        headers,
        grpc,
    };
    let gateway = args
        .gateway
        .as_deref()
        .map(|g| ns_name("--gateway", g))
        .transpose()?;
    let service = match &args.service {
        Some(s) => {
            let (nsn, port) =
                match s.rsplit_once(':') {
                    Some((a, p)) => (
                        a,
                        Some(p.parse::<u16>().ok().filter(|&p| p > 0).ok_or_else(|| {
                            format!("--service port \"{p}\" is not a port number")
                        })?),
                    ),
                    None => (s.as_str(), None),
                };
            let (ns, n) = ns_name("--service", nsn)?;
            Some((ns, n, port.or(url.port)))
        }
        None => None,
    };
    let sni = match &args.sni {
        None => None,
        Some(_) if url.scheme != "https" => {
            return Err("--sni applies to https requests only: it is the TLS server name the connection was set up with".into());
        }
        Some(_) if args.service.is_some() => {
            return Err("--sni applies to requests to a Gateway, not to a mesh --service".into());
        }
        Some(s) => {
            let s = s.trim().to_ascii_lowercase();
            if s.is_empty()
                || !s
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
            {
                return Err(format!("--sni \"{s}\" is not a host name"));
            }
            Some(s)
        }
    };
    let opts = Options {
        sni,
        gateway,
        service,
        from_namespace: args
            .from_namespace
            .clone()
            .unwrap_or_else(|| args.namespace.clone()),
        requests: args.requests,
        seed: args.seed,
        complete: args.schema.complete,
        experimental: false,
        release: None,
    };
    Ok((req, opts))
}
