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
    let opts = load::Options {
        max_file_size: args.max_file_size,
        default_namespace: args.namespace.clone(),
        ..Default::default()
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
    let mut report = crate::lint::check(loaded);
    report.normalize();
    match args.output_format {
        Format::Human => render::human::render(&report.report, &report.sources, color, out)?,
        Format::Json => render::json::render(&report.report, &report.sources, out)?,
    }
    out.flush()?;
    Ok(status(&report.report))
}

fn status(report: &Report) -> Status {
    if !report.errors.is_empty() {
        Status::Failure
    } else if report
        .diagnostics
        .iter()
        .any(|d| d.severity >= Severity::Error)
    {
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
