//! The command line: the only module that knows about processes, terminals, stdin and exit
//! codes. Everything else is called as a library.
//!
//! Exit status is a contract: 0 when no finding reaches the failing severity, 1 when one
//! does, 2 when gwctl could not do its job (an unreadable input, a bad flag, no input).

pub mod args;
pub mod migrate;

use std::io::{self, IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::diag::Severity;
use crate::load::{self, Input};
use crate::render::{self, Format};
use crate::report::Report;
use args::{Cli, ColorWhen, Command, LintArgs};

/// What a command concluded, mapped to the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Clean,
    Findings,
    Failure,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        ExitCode::from(match s {
            Status::Clean => 0,
            Status::Findings => 1,
            Status::Failure => 2,
        })
    }
}

/// Run gwctl with the process's arguments and standard streams.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // clap exits 0 for --help and --version, 2 for usage errors, as gwctl does.
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(status) => status.into(),
        // A closed pipe (`gwctl lint | head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(io::stderr(), "gwctl: error: {e}");
            Status::Failure.into()
        }
    }
}

fn color_enabled(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
        }
    }
}

fn run(cli: Cli) -> io::Result<Status> {
    let color = color_enabled(cli.color);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Lint(args) => lint(&args, color, &mut out),
        Command::Migrate(args) => migrate::run(&args, cli.color, &mut out),
        Command::Rules { output_format } => {
            print_rules(output_format, &mut out)?;
            Ok(Status::Clean)
        }
        Command::Explain { rule } => match crate::rules::find(&rule) {
            Some(r) => {
                writeln!(
                    out,
                    "{} {} ({}, default severity {})\n\n{}\n\n{}",
                    r.code,
                    r.name,
                    serde_json::to_value(r.category)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    r.severity,
                    r.summary,
                    r.docs
                )?;
                Ok(Status::Clean)
            }
            None => {
                writeln!(
                    io::stderr(),
                    "gwctl: error: no rule has the code or name \"{rule}\"; `gwctl rules` lists them"
                )?;
                Ok(Status::Failure)
            }
        },
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "gwctl", &mut out);
            Ok(Status::Clean)
        }
    }
}

fn print_rules(format: Format, out: &mut dyn Write) -> io::Result<()> {
    let rules = crate::rules::all();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, rules)?;
            writeln!(out)
        }
        Format::Human => {
            for r in rules {
                writeln!(
                    out,
                    "{}  {:<28} {:<8} {}",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.summary
                )?;
            }
            Ok(())
        }
    }
}

fn lint(args: &LintArgs, color: bool, out: &mut dyn Write) -> io::Result<Status> {
    let stdin_is_tty = io::stdin().is_terminal();
    let mut inputs: Vec<Input> = args
        .paths
        .iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                Input::Stdin
            } else {
                Input::Path(p.clone())
            }
        })
        .collect();
    let implicit_stdin = inputs.is_empty();
    if implicit_stdin {
        if stdin_is_tty {
            return usage_error(
                "no input: give files or folders to lint, or pipe manifests on stdin (`-`)",
            );
        }
        inputs.push(Input::Stdin);
    }
    let cwd = std::env::current_dir()?;
    let config = match crate::config::Config::discover(args.config.as_deref(), &cwd) {
        Ok(c) => c,
        Err(e) => {
            writeln!(io::stderr(), "gwctl: error: configuration file {e}")?;
            return Ok(Status::Failure);
        }
    };
    let opts = load::Options {
        max_file_size: args.max_file_size,
        default_namespace: args.namespace.clone(),
        exclude: config.excludes().map(|set| (set, config.dir.clone())),
        ..Default::default()
    };
    let settings = match settings(args, &config) {
        Ok(s) => s,
        Err(message) => {
            writeln!(io::stderr(), "gwctl: error: {message}")?;
            return Ok(Status::Failure);
        }
    };
    let mut stdin = io::stdin().lock();
    let loaded = load::load(&inputs, &opts, &mut stdin as &mut dyn Read);
    if implicit_stdin
        && loaded.sources.iter().all(|(_, f)| f.text.trim().is_empty())
        && loaded.errors.is_empty()
    {
        return usage_error(
            "no input: stdin was empty; give files or folders to lint, or pipe manifests on stdin (`-`)",
        );
    }
    let mut report = crate::lint::check(loaded, &settings);
    report.normalize();
    match args.output_format {
        Format::Human => render::human::render(&report.report, &report.sources, color, out)?,
        Format::Json => render::json::render(&report.report, &report.sources, out)?,
    }
    out.flush()?;
    Ok(status(&report.report, settings.fail_on))
}

/// The schema store (bundled, plus `--crds`) and channel for a lint run. A CRD file that
/// cannot be read or converted stops the run: linting against a schema the user did not
/// intend would give wrong answers.
fn settings(
    args: &LintArgs,
    config: &crate::config::Config,
) -> Result<crate::lint::Settings, String> {
    let channel = match (args.channel, config.channel.as_deref()) {
        (Some(c), _) => c.into(),
        (None, Some(c)) => c.parse().map_err(|e: String| e)?,
        (None, None) => Default::default(),
    };
    let fail_on = match (args.fail_on, config.fail_on.as_deref()) {
        (Some(s), _) => s.into(),
        (None, Some(s)) => crate::config::parse_severity(s).unwrap_or(Severity::Error),
        (None, None) => Severity::Error,
    };
    let mut settings = crate::lint::Settings {
        channel,
        fail_on,
        complete: args.complete || config.complete.unwrap_or(false),
        select: if args.select.is_empty() {
            config.rules.select.clone()
        } else {
            args.select.clone()
        },
        ignore: args
            .ignore
            .iter()
            .chain(&config.rules.ignore)
            .cloned()
            .collect(),
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

fn status(report: &Report, fail_on: Severity) -> Status {
    if !report.errors.is_empty() {
        Status::Failure
    } else if report.diagnostics.iter().any(|d| d.severity >= fail_on) {
        Status::Findings
    } else {
        Status::Clean
    }
}

fn usage_error(message: &str) -> io::Result<Status> {
    writeln!(
        io::stderr(),
        "gwctl: error: {message}\n\nUsage: gwctl lint [PATH]...\nFor more information, try 'gwctl lint --help'."
    )?;
    Ok(Status::Failure)
}
