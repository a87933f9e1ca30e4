//! `gwctl completions` and `gwctl man`: shell completion scripts and the manual page,
//! generated from the clap definitions in [`super::args`].

use std::io::{self, Write};
use std::path::Path;

use clap::CommandFactory;

use super::args::Cli;
use super::{Status, fail};

/// `gwctl completions SHELL`: the completion script for `shell`.
pub fn script(shell: clap_complete::Shell, out: &mut dyn Write) -> io::Result<Status> {
    clap_complete::generate(shell, &mut Cli::command(), "gwctl", out);
    Ok(Status::Clean)
}

/// `gwctl man [COMMAND] [--dir DIR]`: gwctl's manual page, or a subcommand's (`gwctl-lint`,
/// the name the main page's SUBCOMMANDS section refers to), in roff; with `dir`, every page
/// written into it.
pub fn man(command: Option<&str>, dir: Option<&Path>, out: &mut dyn Write) -> io::Result<Status> {
    // `gwctl help` has no page of its own (`--help` is on every page), so the main page's
    // SUBCOMMANDS section must not refer to a `gwctl-help(1)` that does not exist.
    let mut cli = Cli::command().disable_help_subcommand(true);
    if let Some(dir) = dir {
        return match std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(cli, dir))
        {
            Ok(()) => Ok(Status::Clean),
            Err(e) => fail(&format!(
                "cannot write manual pages to {}: {e}",
                dir.display()
            )),
        };
    }
    let Some(name) = command else {
        clap_mangen::Man::new(cli).render(out)?;
        return Ok(Status::Clean);
    };
    // Building gives subcommands their full display names (`gwctl-lint`), which become the
    // page's title and NAME section.
    cli.build();
    let Some(sub) = cli
        .get_subcommands()
        .find(|s| s.get_name() == name)
        .cloned()
    else {
        let known: Vec<&str> = cli.get_subcommands().map(|s| s.get_name()).collect();
        return fail(&format!(
            "gwctl has no subcommand \"{name}\"; pages exist for: {}",
            known.join(", ")
        ));
    };
    clap_mangen::Man::new(sub).render(out)?;
    Ok(Status::Clean)
}
