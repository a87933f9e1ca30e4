//! The command line: the only module that knows about processes, terminals, stdin and exit
//! codes. Everything else is called as a library. It reads flags and writes output; the
//! work is done by the library modules it calls.
//!
//! Exit status is a contract: 0 when no finding reaches the failing severity, 1 when one
//! does, 2 when gwctl could not do its job (an unreadable input, a bad flag, no input, an
//! output file that could not be written).
//!
//! This file owns the entry point, the dispatch to one file per command, [`Status`] and its
//! exit codes, and what every command shares: the colour choice, and making input paths
//! relative to the working directory, so that every output names files the way CI systems
//! resolve them. [`args`] holds the clap definitions of all commands.

pub mod args;
mod completions;
mod features;
mod fix;
mod graph;
mod lint;
pub mod migrate;
mod progress;
mod rules;
mod settings;
mod simulate;
mod test;
mod upgrade;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use crate::load::Input;
use args::{Cli, ColorWhen, Command};

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

/// Whether what is written to `stream` is coloured: as `--color` says, and under `auto`
/// when `stream` is a terminal (honouring NO_COLOR and CLICOLOR_FORCE).
fn color_enabled(when: ColorWhen, stream: &impl anstream::stream::RawStream) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never,
    }
}

/// Say on stderr why gwctl could not do its job; the run failed.
fn fail(message: &str) -> io::Result<Status> {
    writeln!(io::stderr(), "gwctl: error: {message}")?;
    Ok(Status::Failure)
}

/// A usage error of `gwctl COMMAND` that clap cannot see (no input, stdin with `--write`),
/// said on `err` the way clap says its own; the run failed.
fn usage_error(err: &mut dyn Write, command: &str, message: &str) -> io::Result<Status> {
    writeln!(
        err,
        "gwctl: error: {message}\n\nUsage: gwctl {command} [PATH]...\nFor more information, try 'gwctl {command} --help'."
    )?;
    Ok(Status::Failure)
}

fn run(cli: Cli) -> io::Result<Status> {
    let color = color_enabled(cli.color, &io::stdout());
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Lint(args) => lint::run(&args, color, &mut out),
        Command::Simulate(args) => simulate::run(&args, color, &mut out),
        Command::Test(args) => test::run(&args, color, &mut out),
        Command::Migrate(args) => migrate::run(&args, cli.color, &mut out),
        Command::Upgrade(args) => upgrade::run(&args, color, &mut out),
        Command::Features(args) => features::run(&args, &mut out),
        Command::Implementations(args) => features::implementations(&args, &mut out),
        Command::Graph(args) => graph::run(&args, &mut out),
        Command::Rules { output_format, cel } => rules::list(output_format, cel, &mut out),
        Command::Explain { rule } => rules::explain(&rule, &mut out),
        Command::Completions { shell } => completions::script(shell, &mut out),
        Command::Man { command, dir } => {
            completions::man(command.as_deref(), dir.as_deref(), &mut out)
        }
    }
}

/// The working directory, to shorten absolute input paths under it. Both the physical
/// directory and `$PWD` (which keeps the symbolic links the user went through) are tried.
struct WorkingDir {
    roots: Vec<PathBuf>,
}

impl WorkingDir {
    fn get() -> Self {
        let mut roots = Vec::new();
        if let Ok(d) = std::env::current_dir() {
            roots.push(d);
        }
        if let Some(pwd) = std::env::var_os("PWD").map(PathBuf::from) {
            // $PWD is only trusted when it names the same folder; a stale one is ignored.
            let same = pwd.is_absolute()
                && roots.first().is_some_and(|d| {
                    pwd.canonicalize().ok().as_ref() == d.canonicalize().ok().as_ref()
                });
            if same && !roots.contains(&pwd) {
                roots.push(pwd);
            }
        }
        WorkingDir { roots }
    }

    /// `p` relative to the working directory when it is an absolute path under it;
    /// otherwise `p` as given.
    fn relative(&self, p: &Path) -> PathBuf {
        if !p.is_absolute() {
            return p.to_path_buf();
        }
        for root in &self.roots {
            if let Ok(rest) = p.strip_prefix(root) {
                return if rest.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    rest.to_path_buf()
                };
            }
        }
        p.to_path_buf()
    }
}

/// PATH arguments as inputs: `-` is stdin, and absolute paths under the working directory
/// are made relative, so every output names files as CI systems expect.
pub(crate) fn inputs(paths: &[std::path::PathBuf]) -> Vec<Input> {
    let workdir = WorkingDir::get();
    paths
        .iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                Input::Stdin
            } else {
                Input::Path(workdir.relative(p))
            }
        })
        .collect()
}
