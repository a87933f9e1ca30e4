//! `gwctl graph`: read the manifests (or a live cluster) as `lint` does, draw the routing
//! picture ([`crate::picture`]) and print it in the chosen format.
//!
//! Owns turning the filter flags into a [`Filter`] and the exit status: 0 when the picture
//! was drawn, whatever the findings (it is a view, and a CI step that adds it to a job
//! summary must not fail for them; `lint` fails the job); 2 when it could not be.

use std::io::{self, IsTerminal, Read, Write};

use super::args::GraphArgs;
use super::{Status, fail, usage_error};
use crate::load::{self, Input};
use crate::picture::{Filter, Picture};
use crate::render::graph::{self, GraphFormat};

pub fn run(args: &GraphArgs, out: &mut dyn Write) -> io::Result<Status> {
    let mut inputs = super::inputs(&args.paths);
    if inputs.is_empty() && !args.live.cluster {
        if io::stdin().is_terminal() {
            return usage_error(
                &mut io::stderr(),
                "graph",
                "no input: give files or folders with the manifests, or pipe them on stdin (`-`)",
            );
        }
        inputs.push(Input::Stdin);
    }
    if args.live.cluster && args.namespace.len() > 1 {
        return usage_error(
            &mut io::stderr(),
            "graph",
            "--namespace is given more than once; with --cluster it names the one namespace to read (or use -A)",
        );
    }
    // The same settings as lint's, so that the findings marked are lint's.
    let mut settings = match super::settings::without_rule_flags(&args.schema)? {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let mut lopts = args.limits.options("default".to_owned());
    let html = args.output_format == GraphFormat::Html;
    lopts.snippets = html;
    let loaded = if args.live.cluster {
        // The live state is the whole state, as for lint and simulate.
        settings.complete = true;
        let files = if args.paths.is_empty() {
            Vec::new()
        } else {
            inputs
        };
        let options = args.live.options(
            args.namespace.first().cloned(),
            args.context.clone(),
            files,
            lopts,
        );
        match load::cluster::load(&options) {
            Ok(l) => l,
            Err(e) => return fail(&e.to_string()),
        }
    } else {
        let mut stdin = io::stdin().lock();
        load::load(&inputs, &lopts, &mut stdin as &mut dyn Read)
    };
    for w in &loaded.warnings {
        writeln!(io::stderr(), "gwctl: warning: {w}")?;
    }
    let mut checked = crate::lint::check_whole(loaded, &settings);
    checked.normalize();
    let status = if checked.report.errors.is_empty() {
        Status::Clean
    } else {
        // Unreadable inputs: the picture of the others is still drawn, but the run failed.
        for e in &checked.report.errors {
            writeln!(io::stderr(), "gwctl: error: cannot read {e}")?;
        }
        Status::Failure
    };
    let built = crate::graph::Graph::build(&checked.inventory);
    let whole = Picture::build(&built);
    let filter = Filter {
        gateways: args.gateway.clone(),
        routes: args.route.clone(),
        namespaces: args.namespace.clone(),
    };
    let mut picture = match whole.keep(&filter) {
        Ok(p) => p,
        Err(message) => return fail(&message),
    };
    let nodes = picture.mark(
        &checked.report.diagnostics,
        &checked.inventory.default_namespace,
    );
    let mut buffered = io::BufWriter::with_capacity(64 * 1024, &mut *out);
    match args.output_format {
        GraphFormat::Dot => graph::dot(&picture, &mut buffered)?,
        GraphFormat::Mermaid => {
            let mut text = Vec::new();
            graph::mermaid(&picture, &mut text)?;
            if let Some(why) = too_big_for_mermaid(picture.edges.len(), text.len()) {
                writeln!(
                    io::stderr(),
                    "gwctl: warning: {why}; keep less with --gateway, --route or --namespace, or draw it with -o svg"
                )?;
            }
            buffered.write_all(&text)?;
        }
        GraphFormat::Svg => graph::svg(&picture, &mut buffered)?,
        GraphFormat::Json => graph::json(&picture, &checked.sources, &mut buffered)?,
        GraphFormat::Html => {
            let drawn = crate::render::html::Drawn {
                picture: &picture,
                nodes: &nodes,
            };
            crate::render::html::render(
                &checked.report,
                &checked.sources,
                Some(&drawn),
                &mut buffered,
            )?
        }
    }
    buffered.flush()?;
    drop(buffered);
    out.flush()?;
    Ok(status)
}

/// Mermaid's own limits (its `maxEdges` and `maxTextSize` settings, which GitHub keeps at
/// their defaults): past either, the renderer shows an error instead of the picture.
const MERMAID_MAX_EDGES: usize = 500;
const MERMAID_MAX_TEXT: usize = 50_000;

/// Why a Mermaid picture of `edges` edges and `bytes` bytes will not render, if it will not.
fn too_big_for_mermaid(edges: usize, bytes: usize) -> Option<String> {
    if edges > MERMAID_MAX_EDGES {
        Some(format!(
            "the picture has {edges} edges, and Mermaid renderers such as GitHub's draw at most {MERMAID_MAX_EDGES}"
        ))
    } else if bytes > MERMAID_MAX_TEXT {
        Some(format!(
            "the picture is {bytes} characters of Mermaid, and renderers such as GitHub's take at most {MERMAID_MAX_TEXT}"
        ))
    } else {
        None
    }
}
