//! Command-line arguments, as raw values; [`super`] turns them into work.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::render::Format;

/// Lint, simulate and migrate Kubernetes Gateway API manifests.
///
/// gwctl reads manifests from files, folders and stdin, validates them the way the
/// Kubernetes API server would for Gateway API v1.1, and reports findings with the file,
/// line and column they are about.
#[derive(Debug, Parser)]
#[command(
    name = "gwctl",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// When to colour output: auto (only on a terminal, honouring NO_COLOR and
    /// CLICOLOR_FORCE), always or never.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check manifests and report findings.
    ///
    /// Exit status: 0 when no finding is an error, 1 when any is, 2 when gwctl could not
    /// do its job (an input it could not read, a bad flag).
    #[command(
        after_help = "Examples:\n  gwctl lint deploy/\n  kubectl get gateways,httproutes -A -o yaml | gwctl lint -\n  gwctl lint --output-format json routes.yaml"
    )]
    Lint(LintArgs),

    /// List every rule gwctl checks: code, name, default severity and summary.
    Rules {
        #[arg(long, short = 'o', value_enum, default_value_t = Format::Human)]
        output_format: Format,
    },

    /// Print the documentation of one rule, by code (GW030) or name (duplicate-object).
    Explain {
        /// A rule code or name.
        rule: String,
    },

    /// Print a shell completion script.
    ///
    /// Example: `gwctl completions bash > /etc/bash_completion.d/gwctl`
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Files, folders (searched recursively for *.yaml, *.yml and *.json, honouring
    /// .gitignore and .gwctlignore) or `-` for stdin. With no PATH, manifests are read
    /// from stdin when it is not a terminal.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to print findings.
    #[arg(long, short = 'o', value_enum, default_value_t = Format::Human)]
    pub output_format: Format,

    /// Namespace of objects that do not name one, as `kubectl apply -n` would use.
    #[arg(long, short = 'n', default_value = "default", value_name = "NAMESPACE")]
    pub namespace: String,

    /// Refuse files larger than this many bytes (they are reported, not read).
    #[arg(long, default_value_t = 16 * 1024 * 1024, value_name = "BYTES")]
    pub max_file_size: u64,

    /// The Gateway API release channel your cluster installs. Under `standard`, kinds,
    /// versions and fields of the experimental channel are errors that say so.
    #[arg(long, value_enum, default_value_t = ChannelArg::Standard)]
    pub channel: ChannelArg,

    /// CustomResourceDefinition manifests (files or folders) whose schemas are added to, or
    /// replace, the bundled ones: a newer Gateway API release, or an implementation's own
    /// policy kinds. Repeatable.
    #[arg(long = "crds", value_name = "PATH")]
    pub crds: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChannelArg {
    Standard,
    Experimental,
}

impl From<ChannelArg> for crate::schema::Channel {
    fn from(c: ChannelArg) -> Self {
        match c {
            ChannelArg::Standard => crate::schema::Channel::Standard,
            ChannelArg::Experimental => crate::schema::Channel::Experimental,
        }
    }
}
