//! `gwctl completions` and `gwctl man`: shell completion scripts and the manual page,
//! generated from the clap definitions in [`super::args`].

use std::io::{self, Write};

use clap::CommandFactory;

use super::Status;
use super::args::Cli;

/// `gwctl completions SHELL`: the completion script for `shell`.
pub fn script(shell: clap_complete::Shell, out: &mut dyn Write) -> io::Result<Status> {
    clap_complete::generate(shell, &mut Cli::command(), "gwctl", out);
    Ok(Status::Clean)
}

/// `gwctl man`: the manual page, in roff.
pub fn man(out: &mut dyn Write) -> io::Result<Status> {
    clap_mangen::Man::new(Cli::command()).render(out)?;
    Ok(Status::Clean)
}
