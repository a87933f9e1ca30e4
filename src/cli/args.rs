//! Command-line arguments of every command, as raw values (clap definitions, and the
//! parsers of flag values); [`super`] and its per-command files turn them into work.
//! This module imports nothing from the rest of `cli`, so the command files depend on it
//! and never the other way round.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::render::Format;

/// Lint, simulate and migrate Kubernetes Gateway API manifests.
///
/// gwctl reads manifests from files, folders and stdin, validates them the way the
/// Kubernetes API server would for the Gateway API release you run (v1.1 to v1.6, standard or
/// experimental channel), and reports findings with the file, line and column they are about.
#[derive(Debug, Parser)]
#[command(
    name = "gwctl",
    version,
    long_version = long_version(),
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
    /// do its job (an input it could not read, a bad flag, an output file it could not
    /// write).
    #[command(
        after_help = "Examples:\n  gwctl lint deploy/\n  kubectl get gateways,httproutes -A -o yaml | gwctl lint -\n  gwctl lint --output-format json routes.yaml\n  gwctl lint -o github --output sarif=gwctl.sarif --output junit=gwctl.xml deploy/\n\nPaths in every output are relative to the working directory (absolute paths under it are\nshortened), as CI systems expect."
    )]
    Lint(Box<LintArgs>),

    /// Show where a request goes through the Gateways (or the mesh) in the manifests, and why.
    ///
    /// Offline: the manifests are read as `lint` reads them, and the request is routed the
    /// way a conformant implementation of the chosen Gateway API release would. Exit status:
    /// 0 when the simulation ran, whatever the outcome; 2 when it could not (a bad URL or
    /// flag, an unknown Gateway, an unreadable input).
    #[command(
        after_help = "Examples:\n  gwctl simulate deploy/ --url https://shop.example.com/cart\n  gwctl simulate deploy/ --url http://shop.example.com/api -H 'x-canary: yes' --requests 1000\n  gwctl simulate deploy/ --url http://store.shop:8080/ --service shop/store --from-namespace web\n  gwctl simulate deploy/ --url http://grpc.example.com/ --grpc helloworld.Greeter/SayHello -o json"
    )]
    Simulate(Box<SimulateArgs>),

    /// Check routing expectations: run each case of the test files through the manifests, as
    /// `simulate` would, and report every expectation that does not hold.
    ///
    /// A test file is YAML: `manifests:` (paths relative to the file) and `cases:`, each a
    /// `name`, a `request` (simulate's flags as keys: url, method, headers, cookies, grpc,
    /// sni, gateway, service, fromNamespace, requests, seed) and `expect` (outcome, status,
    /// grpcStatus, route, rule, backends with share and tolerance, redirect, forwarded,
    /// responseHeaders, mirrors, session); only what is written is checked. The JSON Schema
    /// is schemas/gwctl-test.schema.json. A folder is searched for YAML files with a
    /// top-level `cases:`. The manifests are --manifests and every test file's `manifests:`
    /// (never guessed from the folder), read and linted once; the routing graph is built once
    /// for all cases. With --cluster, the live state with the manifests over it. A failed
    /// expectation is a finding (GW801) on its line, and so is each problem of a test file
    /// (GW802-GW806); every output format of `lint` works, JUnit with one test case per
    /// routing case. Exit status: 0 when every case passes, 1 when one fails, 2 when gwctl
    /// could not run (no test file, no manifests, an unreadable input).
    #[command(
        after_help = "Examples:\n  gwctl test tests/routing.yaml\n  gwctl test tests/ --manifests deploy/ -o junit --output junit=routing.xml\n  gwctl test tests/routing.yaml --gateway-api-version v1.4\n  gwctl test tests/ --cluster --manifests deploy/\n  gwctl simulate deploy/ --url http://shop.example.com/api --save-test tests/routing.yaml\n  gwctl test tests/ --update"
    )]
    Test(Box<TestArgs>),

    /// Move manifests on old Gateway API versions to the versions a release serves, keeping
    /// comments and formatting.
    ///
    /// BackendTLSPolicy v1alpha2 → v1 (v1.4+; v1alpha3 before: targetRef → targetRefs, tls →
    /// validation), BackendTLSPolicy v1alpha3 → v1 (v1.4+), BackendLBPolicy →
    /// XBackendTrafficPolicy (v1.3+), XListenerSet → ListenerSet and the parentRefs naming it
    /// (v1.5+), TLSRoute v1alpha2/v1alpha3 → v1 (v1.5+), TCPRoute and UDPRoute v1alpha2 → v1
    /// (v1.6+), GRPCRoute v1alpha2 → v1, ReferenceGrant v1alpha2 → v1beta1, and with --to-v1
    /// GatewayClass, Gateway and HTTPRoute v1beta1 → v1 and ReferenceGrant v1beta1 → v1
    /// (v1.5+). Fields the target release removed refuse their object unless
    /// --drop-removed-fields. Exit status: 0 when nothing is left to do, 1 for --check with
    /// changes or when an object was refused, 2 when gwctl could not do its job.
    #[command(
        after_help = "Examples:\n  gwctl migrate policy.yaml > policy.v1.yaml\n  gwctl migrate --to v1.3 policy.yaml\n  gwctl migrate --to v1.6 --drop-removed-fields --write deploy/\n  gwctl migrate --check deploy/\n  gwctl migrate --write deploy/"
    )]
    Migrate(MigrateArgs),

    /// Report what moving the Gateway API CRDs from one release to another breaks.
    ///
    /// For the manifests (or, with --cluster, the cluster's objects and CRDs): objects at
    /// versions the new release no longer serves, objects it rejects that the old one
    /// accepts, objects stored at a version they do not fit, fields whose defaults change,
    /// stored versions the new CRDs drop, and what the safe-upgrades admission policy
    /// denies. Found by validating and defaulting each object under both releases' bundled
    /// schemas. Exit status as lint's: 0 when nothing blocks the upgrade, 1 when something
    /// does, 2 when gwctl could not do its job.
    #[command(
        after_help = "Examples:\n  gwctl upgrade --from v1.3 --to v1.6 deploy/\n  gwctl upgrade --cluster --to v1.6\n  gwctl upgrade --from v1.4 --to v1.5 --channel experimental -o json deploy/"
    )]
    Upgrade(Box<UpgradeArgs>),

    /// Show the Gateway API conformance features the manifests need, field by field.
    ///
    /// For every object: each conformance feature a field needs (the field, its position,
    /// the feature's profiles, core or extended, and its channel in the chosen release), and
    /// the fields no conformance feature covers, whose support is implementation-specific.
    /// Behaviour no field shows (listener isolation of HTTPS connections, which errors are
    /// retried) is not reported. Exit status: 0 when it ran, 2 when it could not (an
    /// unreadable input, a bad flag).
    #[command(
        after_help = "Examples:\n  gwctl features deploy/\n  gwctl features --gateway-api-version v1.4 -o json routes.yaml"
    )]
    Features(FeaturesArgs),

    /// Show which implementations support every conformance feature the manifests need.
    ///
    /// From the bundled conformance reports of the chosen release (each implementation's
    /// newest, as `lint --implementation NAME` picks it): those that support every feature
    /// `gwctl features` finds, then the others with the features each lacks and why.
    /// Exit status: 0 when it ran, 2 when it could not.
    #[command(
        after_help = "Examples:\n  gwctl implementations deploy/\n  gwctl implementations --gateway-api-version v1.5 -o json deploy/"
    )]
    Implementations(FeaturesArgs),
    /// Draw the routing: GatewayClasses, Gateways, listeners, routes, rules and backends.
    ///
    /// Refused attachments are drawn with the listener's reason, objects with findings in
    /// the colour of the worst, policies pointing at their targets, and the ReferenceGrant
    /// that allows each cross-namespace backend. Formats: DOT (Graphviz), Mermaid (renders
    /// in GitHub markdown), SVG drawn by gwctl, JSON, and the HTML report with the
    /// findings. Exit status: 0 when the picture was drawn, whatever the findings; 2 when
    /// gwctl could not do its job (an unreadable input, a bad flag, a filter that names
    /// nothing).
    #[command(
        after_help = "Examples:\n  gwctl graph deploy/ | dot -Tsvg > routing.svg\n  gwctl graph -o svg deploy/ > routing.svg\n  gwctl graph -o html deploy/ > report.html\n  gwctl graph -o mermaid --gateway infra/web deploy/ >> \"$GITHUB_STEP_SUMMARY\"\n  gwctl graph --cluster -A --route shop/store -o svg > store.svg"
    )]
    Graph(Box<GraphArgs>),

    /// List every rule gwctl checks: code, name, default severity and summary.
    ///
    /// Every rule applies to every Gateway API release gwctl knows; what changes from one
    /// release to the next are the CRDs' own validation rules (reported as GW201), which
    /// `--cel` lists with the releases and channels each applies in.
    Rules {
        #[arg(long, short = 'o', value_enum, default_value_t = RulesFormat::Human)]
        output_format: RulesFormat,

        /// List the CRDs' CEL validation rules instead: kind, field, gwctl's message, and the
        /// releases and channels that have the rule.
        #[arg(long)]
        cel: bool,
    },

    /// Print the documentation of one rule, by code (GW030) or name (duplicate-object).
    Explain {
        /// A rule code or name.
        #[arg(value_parser = RuleNames, hide_possible_values = true)]
        rule: String,
    },

    /// Print a shell completion script.
    ///
    /// Example: `gwctl completions bash > /etc/bash_completion.d/gwctl`
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print gwctl's manual page (roff) to stdout, or a subcommand's, or write them all.
    ///
    /// Examples: `gwctl man > /usr/local/share/man/man1/gwctl.1`, `gwctl man lint`,
    /// `gwctl man --dir /usr/local/share/man/man1` (gwctl.1, gwctl-lint.1, ...).
    Man {
        /// The subcommand whose page to print (lint, simulate, migrate, ...).
        command: Option<String>,
        /// Write gwctl.1 and a page per subcommand (gwctl-lint.1, ...) into this folder
        /// instead of printing one page.
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        dir: Option<std::path::PathBuf>,
    },
}

/// What `gwctl --version` prints after the version: the commit gwctl was built from (when the
/// build could tell) and the Gateway API releases whose schemas it carries, since a finding
/// depends on both.
fn long_version() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        format!(
            "{}\ncommit: {}\nGateway API: {} (standard and experimental channels; default {})",
            env!("CARGO_PKG_VERSION"),
            option_env!("GWCTL_COMMIT").unwrap_or("unknown (built outside a git checkout)"),
            crate::schema::Release::known().join(", "),
            crate::schema::Release::newest(),
        )
    })
}

/// How `gwctl rules` prints the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// One line per rule.
    Human,
    /// A JSON array of rules, with their documentation.
    Json,
}

/// Where one `--output` goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Stdout,
    File(PathBuf),
}

/// One `--output FORMAT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    pub format: Format,
    pub target: Target,
}

/// Parse `FORMAT=PATH`; `-` as PATH is stdout.
pub fn parse_output(s: &str) -> Result<OutputSpec, String> {
    let (format, path) = s
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=PATH, such as sarif=gwctl.sarif; got `{s}`"))?;
    let format = Format::from_str(format, true).map_err(|_| {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_owned()))
            .collect();
        format!(
            "unknown format `{format}`; expected one of: {}",
            names.join(", ")
        )
    })?;
    let target = match path {
        "" => return Err(format!("no PATH after `{s}`; use `-` for stdout")),
        "-" => Target::Stdout,
        p => Target::File(PathBuf::from(p)),
    };
    Ok(OutputSpec { format, target })
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Files, folders (searched recursively for *.yaml, *.yml and *.json, honouring
    /// .gitignore and .gwctlignore) or `-` for stdin. With no PATH, manifests are read
    /// from stdin when it is not a terminal.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to print findings on stdout.
    #[arg(long, short = 'o', value_enum, default_value_t = Format::Human)]
    pub output_format: Format,

    /// Also write findings in FORMAT to PATH, as in `--output sarif=gwctl.sarif`.
    /// Repeatable, so that one run feeds several CI systems. A file is replaced atomically
    /// (written beside it, then renamed), so a reader never sees half of it. PATH `-` is
    /// stdout, in place of --output-format.
    #[arg(long = "output", value_name = "FORMAT=PATH", value_parser = parse_output)]
    pub outputs: Vec<OutputSpec>,

    /// Namespace of objects that do not name one, as `kubectl apply -n` would use
    /// [default: default]. With --cluster, also the only namespace read [default: the
    /// kubeconfig context's namespace].
    #[arg(long, short = 'n', value_name = "NAMESPACE", value_parser = parse_namespace)]
    pub namespace: Option<String>,

    /// Show no progress line. Without it, a run that takes more than a second shows files
    /// read and objects checked on stderr, when stderr is a terminal and neither `CI` nor
    /// `GWCTL_NO_PROGRESS` is set (nor `TERM=dumb`).
    #[arg(long)]
    pub no_progress: bool,

    #[command(flatten)]
    pub limits: LimitArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// The Kubernetes version the cluster runs, such as 1.31 (v1.31 and 1.31.2 are read too):
    /// a finding when it lacks what the Gateway API release's CRDs use (GW605) or is older
    /// than the release supports (GW606). [default: the configuration file's
    /// `kubernetesVersion`; with --cluster, the API server's]
    #[arg(long, value_name = "VERSION", value_parser = parse_kubernetes_version)]
    pub kubernetes_version: Option<crate::schema::KubeMinor>,

    /// The lowest severity that makes the exit status 1.
    /// [default: error, or the configuration file's `failOn`]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,

    /// Read this configuration file instead of the nearest `.gwctl.yaml` found from the
    /// working directory upward.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Report only these rules: codes (GW311), code prefixes (GW3 for every reference rule)
    /// or names (backend-port-not-found). Comma-separated or repeated.
    #[arg(long, value_delimiter = ',', value_name = "RULE", value_parser = RuleNames,
          hide_possible_values = true)]
    pub select: Vec<String>,

    /// Never report these rules (same forms as --select).
    #[arg(long, value_delimiter = ',', value_name = "RULE", value_parser = RuleNames,
          hide_possible_values = true)]
    pub ignore: Vec<String>,

    /// Read a file or folder as context: its objects resolve the PATHs' references, and
    /// only the PATHs are reported on. Repeatable. With --cluster: the kubeconfig context
    /// [default: the current context].
    ///
    /// Context objects take part in every cross-object check (parents, listeners, backends,
    /// grants, policies, precedence, duplicates), but findings are reported only for the
    /// PATHs; a finding on a context object that a PATH causes is reported on the PATH's
    /// object. Added to the configuration file's `context`. A file both named and in the
    /// context is checked. With --cluster, the live state is the context, and --context NAME
    /// is the kubeconfig context to use [default: the current context].
    #[arg(long, value_name = "PATH")]
    pub context: Vec<PathBuf>,

    /// Do not read the configuration file's `context:` (--context PATHs still count): lint
    /// the named PATHs on their own, as before context existed.
    #[arg(long)]
    pub no_context: bool,

    /// Apply the safe fixes of the findings to the files, in place (only the fixed values
    /// change; comments and formatting are kept), then report what remains. With stdin,
    /// print the fixed text on stdout and the findings on stderr.
    #[arg(long, conflicts_with = "cluster", help_heading = "Fixes")]
    pub fix: bool,

    /// With --fix, also apply unsafe fixes: corrections that change meaning if gwctl's guess
    /// is wrong (a field renamed to one two edits away).
    #[arg(long, requires = "fix", help_heading = "Fixes")]
    pub unsafe_fixes: bool,

    /// With --fix, write nothing: print a unified diff of the fixes on stdout. Exit status 1
    /// when there is something to fix.
    #[arg(long, requires = "fix", help_heading = "Fixes")]
    pub diff: bool,

    /// Check every field that needs a conformance feature against this implementation's
    /// bundled conformance report (GW701–GW703): NAME (its newest report for the lint's
    /// release, such as `envoy-gateway`, `istio`, `cilium`) or NAME@VERSION
    /// (`envoy-gateway@v1.9.0`). [default: the configuration file's `implementation`; with
    /// --cluster, each Gateway's GatewayClass `status.supportedFeatures`]
    #[arg(
        long,
        value_name = "NAME[@VERSION]",
        conflicts_with = "conformance_report",
        help_heading = "Conformance"
    )]
    pub implementation: Option<String>,

    /// Check every field that needs a conformance feature against this ConformanceReport
    /// file, such as your own run of the conformance suite (GW701–GW703).
    /// [default: the configuration file's `conformanceReport`]
    #[arg(long, value_name = "FILE", help_heading = "Conformance")]
    pub conformance_report: Option<PathBuf>,

    #[command(flatten)]
    pub live: ClusterArgs,

    /// Set the exit status from the findings the PATHs introduce (new) only, ignoring those
    /// already in the cluster.
    #[arg(long, requires = "cluster", help_heading = "Cluster")]
    pub fail_on_new: bool,

    /// Print only the findings the PATHs introduce (new); implies --fail-on-new.
    #[arg(long, requires = "cluster", help_heading = "Cluster")]
    pub only_new: bool,
}

/// What objects are checked against, shared by `lint` and `simulate`.
#[derive(Debug, Clone, clap::Args)]
pub struct SchemaArgs {
    /// The Gateway API release your cluster runs (v1.1.0 to v1.6.1; a minor such as v1.5
    /// means its newest patch): it fixes which kinds, versions, fields, defaults and rules
    /// exist. [default: the configuration file's `gatewayAPIVersion`; with --cluster, the
    /// installed CRDs' bundle version; else the newest release gwctl knows]
    #[arg(long = "gateway-api-version", value_name = "VERSION", value_parser = parse_release)]
    pub gateway_api_version: Option<crate::schema::Release>,

    /// The Gateway API release channel your cluster installs. Under `standard`, kinds,
    /// versions and fields of the experimental channel are errors that say so.
    /// [default: standard, or the configuration file's `channel`]
    #[arg(long, value_enum)]
    pub channel: Option<ChannelArg>,

    /// The inputs are the whole state (every Service, Secret, Namespace... is in them): a
    /// reference to an object that is not in the inputs is an error, not a warning, and
    /// `simulate` treats a backend Service that is not in them as missing (HTTP 500).
    #[arg(long)]
    pub complete: bool,

    /// CustomResourceDefinition manifests (files or folders) whose schemas are added to, or
    /// replace, the bundled ones: a newer Gateway API release, or an implementation's own
    /// policy kinds. Repeatable.
    #[arg(long = "crds", value_name = "PATH")]
    pub crds: Vec<PathBuf>,
}

/// Flags that read a live cluster, shared by `lint` and `simulate`.
#[derive(Debug, Clone, clap::Args)]
pub struct ClusterArgs {
    /// Read what is running in the cluster of the kubeconfig (read-only). PATHs given too
    /// are put over the live state (lint: findings say whether they are new, existing or
    /// fixed). The live state is complete: missing references are errors.
    #[arg(long, help_heading = "Cluster")]
    pub cluster: bool,

    /// The kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then the in-cluster
    /// service account].
    #[arg(
        long,
        value_name = "FILE",
        requires = "cluster",
        help_heading = "Cluster"
    )]
    pub kubeconfig: Option<PathBuf>,

    /// Read every namespace instead of one.
    #[arg(
        long,
        short = 'A',
        requires = "cluster",
        conflicts_with = "namespace",
        help_heading = "Cluster"
    )]
    pub all_namespaces: bool,

    /// The longest to wait for any one API request, such as 30s, 2m or 500ms.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration, requires = "cluster", help_heading = "Cluster")]
    pub request_timeout: std::time::Duration,
}

impl ClusterArgs {
    /// Options for [`crate::load::cluster`]; `namespace` is the `-n` flag if the user gave one,
    /// `context` the kubeconfig context (`--context`, which each command declares itself, as
    /// it means more to `lint`).
    pub fn options(
        &self,
        namespace: Option<String>,
        context: Option<String>,
        files: Vec<crate::load::Input>,
        load: crate::load::Options,
    ) -> crate::load::cluster::Options {
        crate::load::cluster::Options {
            kubeconfig: self.kubeconfig.clone(),
            context,
            namespace,
            all_namespaces: self.all_namespaces,
            request_timeout: self.request_timeout,
            files,
            load,
            ..Default::default()
        }
    }
}

/// `30s`, `2m`, `500ms`, `1h`, or a number of seconds.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("\"{s}\" is not a duration such as 30s, 2m or 500ms"))?;
    let secs = match unit {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("\"{s}\" has an unknown unit; use ms, s, m or h")),
    };
    if !(secs.is_finite() && secs > 0.0 && secs < 86_400.0 * 365.0) {
        return Err(format!("\"{s}\" is not a positive duration"));
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

/// `-n`, `--from-namespace`: a namespace name is a DNS-1123 label (lower-case letters,
/// digits and `-`, starting and ending with a letter or digit, at most 63 characters), as
/// the API server requires; a bad one would otherwise only show up as objects that match
/// nothing.
pub fn parse_namespace(s: &str) -> Result<String, String> {
    if crate::load::valid_namespace(s) {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "\"{s}\" is not a valid namespace name: it must be at most 63 lower-case letters, \
             digits or '-', starting and ending with a letter or digit (a DNS-1123 label)"
        ))
    }
}

/// A size: bytes (`1048576`), or a whole number with a binary unit: `K`/`KiB` (1024),
/// `M`/`MiB`, `G`/`GiB`, letters in any case (`1k`, `10mib`). The units are binary, as
/// for file sizes everywhere in gwctl; `KB`/`MB`/`GB` are refused rather than guessed,
/// since Kubernetes reads `M` as 10^6 and others read `MB` as either.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let expected = "a size such as 1048576, 512K, 10M or 1G (binary units: KiB, MiB, GiB)";
    if num.is_empty() {
        return Err(format!("\"{s}\" is not {expected}"));
    }
    let shift = match unit.trim_start().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "ki" | "kib" => 10,
        "m" | "mi" | "mib" => 20,
        "g" | "gi" | "gib" => 30,
        u @ ("kb" | "mb" | "gb") => {
            let unit = u[..1].to_ascii_uppercase();
            return Err(format!(
                "\"{s}\": gwctl's units are binary (1K is 1024 bytes); write {num}{unit} or \
                 {num}{unit}iB"
            ));
        }
        _ => return Err(format!("\"{s}\" has an unknown unit; expected {expected}")),
    };
    num.parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("\"{s}\" is not a positive size gwctl can count"))
}

/// `--max-file-size`: [`parse_size`], at most 4 GiB. Positions inside a file are 32-bit
/// offsets, so a file is read up to one byte less ([`crate::load::MAX_SUPPORTED_FILE_SIZE`]).
pub fn parse_file_size(s: &str) -> Result<u64, String> {
    let n = parse_size(s)?;
    if n > crate::load::MAX_SUPPORTED_FILE_SIZE + 1 {
        return Err(format!(
            "\"{s}\" is more than the largest file gwctl reads, 4G"
        ));
    }
    Ok(n.min(crate::load::MAX_SUPPORTED_FILE_SIZE))
}

#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// Files, folders or `-` for stdin, as for `lint`.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The request: scheme://host[:port]/path?query. The port (default 80 for http, 443 for
    /// https) selects listeners; the host is the Host header and SNI. A TLS, TCP or UDP
    /// connection to TLSRoutes, TCPRoutes or UDPRoutes: tls://host[:port] (SNI host, port
    /// 443 by default), tcp://host:port, udp://host:port.
    // This text is also `--help`'s, where `[:port]` is the usual notation, not a doc link.
    #[allow(rustdoc::broken_intra_doc_links)]
    #[arg(long, value_name = "URL")]
    pub url: String,

    /// The request method (POST for --grpc). OPTIONS with `Origin` and
    /// `Access-Control-Request-Method` headers is a CORS preflight.
    #[arg(long, short = 'X', value_name = "METHOD")]
    pub method: Option<String>,

    /// A request header, `Name: value`. Repeatable.
    #[arg(long = "header", short = 'H', value_name = "HEADER")]
    pub headers: Vec<String>,

    /// A cookie the client sends, `name=value`. Repeatable.
    #[arg(long = "cookie", value_name = "NAME=VALUE")]
    pub cookies: Vec<String>,

    /// The SNI of an https request's connection, when it is not the URL's host: a client
    /// reusing a connection set up for another host. When SNI and Host select different
    /// HTTPS listeners the answer is 421 Misdirected Request (GEP-3567).
    #[arg(long, value_name = "HOST")]
    pub sni: Option<String>,

    /// Simulate a gRPC call SERVICE/METHOD against GRPCRoutes (path /SERVICE/METHOD, POST).
    #[arg(long, value_name = "SERVICE/METHOD")]
    pub grpc: Option<String>,

    /// The Gateway that receives the request; needed only when several listen on the port.
    #[arg(long, value_name = "NAMESPACE/NAME")]
    pub gateway: Option<String>,

    /// Simulate a mesh (GAMMA) request to this Service instead of a Gateway. The port
    /// defaults to the URL's.
    #[arg(long, value_name = "NAMESPACE/NAME[:PORT]", conflicts_with = "gateway")]
    pub service: Option<String>,

    /// The caller's namespace for a mesh request: consumer routes apply only to callers in
    /// their own namespace. [default: the --namespace value]
    #[arg(long, value_name = "NAMESPACE", value_parser = parse_namespace)]
    pub from_namespace: Option<String>,

    /// Send this many requests and show how they spread over the backends (at most 100000).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub requests: u64,

    /// Seed of the spread for --requests; the same seed gives the same spread.
    #[arg(long, default_value_t = 0, value_name = "SEED")]
    pub seed: u64,

    /// How to print the trace.
    #[arg(long, short = 'o', value_enum, default_value_t = TraceFormat::Human)]
    pub output_format: TraceFormat,

    /// Also append the request and today's answer as a case to this `gwctl test` file
    /// (created when missing), keeping the file's text and comments: a snapshot of the
    /// routing that `gwctl test` then keeps true.
    #[arg(long, value_name = "FILE")]
    pub save_test: Option<PathBuf>,

    /// Namespace of objects that do not name one, as `kubectl apply -n` would use.
    #[arg(long, short = 'n', default_value = "default", value_name = "NAMESPACE",
          value_parser = parse_namespace)]
    pub namespace: String,

    #[command(flatten)]
    pub limits: LimitArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    #[command(flatten)]
    pub live: ClusterArgs,

    /// The kubeconfig context to use [default: the current context].
    #[arg(
        long,
        value_name = "NAME",
        requires = "cluster",
        help_heading = "Cluster"
    )]
    pub context: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// Files, folders (searched recursively for *.yaml, *.yml and *.json, honouring
    /// .gitignore and .gwctlignore) or `-` for stdin. With no PATH, manifests are read
    /// from stdin when it is not a terminal.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to draw it.
    #[arg(long, short = 'o', value_enum, default_value_t = crate::render::graph::GraphFormat::Dot)]
    pub output_format: crate::render::graph::GraphFormat,

    /// Keep only what touches this Gateway: its class, listeners, the routes that reach it
    /// (or are refused by it), their rules, backends and policies. Repeatable; with other
    /// filters, what touches all of them is kept.
    #[arg(long, value_name = "NAMESPACE/NAME", value_parser = parse_namespaced_name)]
    pub gateway: Vec<(String, String)>,

    /// Keep only what touches this route (of any kind): its parents, rules, backends and
    /// policies. Repeatable.
    #[arg(long, value_name = "NAMESPACE/NAME", value_parser = parse_namespaced_name)]
    pub route: Vec<(String, String)>,

    /// Keep only what touches the objects of this namespace (objects that name none are in
    /// `default`). Repeatable. With --cluster, also the namespace read (one only).
    #[arg(long, short = 'n', value_name = "NAMESPACE", value_parser = parse_namespace)]
    pub namespace: Vec<String>,

    #[command(flatten)]
    pub limits: LimitArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    #[command(flatten)]
    pub live: ClusterArgs,

    /// The kubeconfig context to use [default: the current context].
    #[arg(
        long,
        value_name = "NAME",
        requires = "cluster",
        help_heading = "Cluster"
    )]
    pub context: Option<String>,
}

/// `NAMESPACE/NAME`, both parts valid names.
pub fn parse_namespaced_name(s: &str) -> Result<(String, String), String> {
    match s.split_once('/') {
        Some((ns, name)) if !name.is_empty() && !name.contains('/') => {
            Ok((parse_namespace(ns)?, name.to_owned()))
        }
        _ => Err(format!("\"{s}\" is not NAMESPACE/NAME, such as infra/web")),
    }
}

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Test files, or folders searched (recursively) for YAML files with a top-level
    /// `cases:`.
    #[arg(value_name = "TESTFILE|DIR", required = true)]
    pub paths: Vec<PathBuf>,

    /// Manifests (files or folders, as for `lint`) the cases run through, besides those each
    /// test file names under `manifests:`. Repeatable.
    #[arg(long = "manifests", value_name = "PATH")]
    pub manifests: Vec<PathBuf>,

    /// Rewrite the expectations of failing cases with the answer the manifests give now
    /// (the same keys, today's values), print the diff, write each file atomically, then
    /// report on the updated files. Comments inside a rewritten `expect` are not kept.
    #[arg(long)]
    pub update: bool,

    /// How to print the results on stdout.
    #[arg(long, short = 'o', value_enum, default_value_t = Format::Human)]
    pub output_format: Format,

    /// Also write the results in FORMAT to PATH, as in `--output junit=routing.xml`.
    /// Repeatable; as for `lint`.
    #[arg(long = "output", value_name = "FORMAT=PATH", value_parser = parse_output)]
    pub outputs: Vec<OutputSpec>,

    /// Namespace of objects that do not name one, and the caller's namespace of mesh
    /// requests that name none.
    #[arg(long, short = 'n', default_value = "default", value_name = "NAMESPACE",
          value_parser = parse_namespace)]
    pub namespace: String,

    #[command(flatten)]
    pub limits: LimitArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// With --cluster, the cases run through the live state, with the manifests (if any)
    /// put over it, as `simulate --cluster` does.
    #[command(flatten)]
    pub live: ClusterArgs,

    /// The kubeconfig context to use [default: the current context].
    #[arg(
        long,
        value_name = "NAME",
        requires = "cluster",
        help_heading = "Cluster"
    )]
    pub context: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    /// Files, folders (searched recursively for *.yaml, *.yml and *.json, honouring
    /// .gitignore and .gwctlignore) or `-` for stdin. With no PATH, manifests are read
    /// from stdin when it is not a terminal.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Print a unified diff of what would change instead of the migrated text (the default
    /// when there are several inputs).
    #[arg(long)]
    pub diff: bool,

    /// Rewrite the files in place, atomically, keeping their permissions. A file with a
    /// refused object is not changed at all.
    #[arg(long, short = 'w', conflicts_with_all = ["diff", "check"])]
    pub write: bool,

    /// Change nothing: print a diff of what would change and exit 1 if anything would (for
    /// CI).
    #[arg(long, conflicts_with = "diff")]
    pub check: bool,

    /// Also move GatewayClass, Gateway and HTTPRoute from v1beta1 to v1, and ReferenceGrant
    /// from v1beta1 to v1 for v1.5 and later. Every release still serves v1beta1, with the
    /// same schema (and ReferenceGrant is still stored as v1beta1), so this move is optional.
    #[arg(long)]
    pub to_v1: bool,

    /// The Gateway API release to move the manifests to (v1.1.0 to v1.6.1; a minor such as
    /// v1.5 means its newest patch): every object goes to the version that release serves,
    /// chaining steps in one run. An object the release cannot hold (a kind or field only
    /// newer releases have) is refused. `--gateway-api-version` is accepted as another name.
    /// [default: the configuration file's `gatewayAPIVersion`, else the newest release gwctl
    /// knows]
    #[arg(
        long = "to",
        alias = "gateway-api-version",
        value_name = "VERSION",
        value_parser = parse_release
    )]
    pub to: Option<crate::schema::Release>,

    /// Drop the fields the target release removed (each is listed) instead of refusing
    /// the objects that set them.
    #[arg(long)]
    pub drop_removed_fields: bool,

    /// Show no progress line. Without it, a run that takes more than a second shows files
    /// migrated on stderr, when stderr is a terminal and neither `CI` nor
    /// `GWCTL_NO_PROGRESS` is set (nor `TERM=dumb`).
    #[arg(long)]
    pub no_progress: bool,

    /// Refuse files larger than this: bytes, or with a binary unit (K, M, G: KiB, MiB,
    /// GiB, as in 512K or 10MiB); at most 4G.
    #[arg(long, default_value = "16M", value_name = "SIZE", value_parser = parse_file_size)]
    pub max_file_size: u64,

    /// Read at most this much from all inputs together (same units as --max-file-size);
    /// files past it are reported and left unchanged.
    #[arg(long, default_value = "256M", value_name = "SIZE", value_parser = parse_size)]
    pub max_total_size: u64,
}

#[derive(Debug, clap::Args)]
pub struct UpgradeArgs {
    /// Files, folders (searched recursively for *.yaml, *.yml and *.json, honouring
    /// .gitignore and .gwctlignore) or `-` for stdin. With no PATH (and no --cluster),
    /// manifests are read from stdin when it is not a terminal.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The Gateway API release installed now (v1.1.0 to v1.6.1, or a minor such as v1.3).
    /// [default: the bundle version the installed CRDs are annotated with, from the cluster
    /// with --cluster, or from CRDs in the inputs (`kubectl get crd -o yaml`); required when
    /// neither says]
    #[arg(long, value_name = "VERSION", value_parser = parse_release)]
    pub from: Option<crate::schema::Release>,

    /// The Gateway API release to install. [default: the newest release gwctl knows]
    #[arg(long, value_name = "VERSION", value_parser = parse_release)]
    pub to: Option<crate::schema::Release>,

    /// The channel installed now. [default: the installed CRDs' channel annotation, else
    /// standard]
    #[arg(long, value_enum, value_name = "CHANNEL")]
    pub from_channel: Option<ChannelArg>,

    /// The channel to install. [default: the channel installed now]
    #[arg(long, value_enum)]
    pub channel: Option<ChannelArg>,

    /// The Kubernetes version the cluster runs, such as 1.31: a finding when it lacks what the
    /// target release's CRDs use (GW605) or is older than the release supports (GW606).
    /// [default: with --cluster, the API server's]
    #[arg(long, value_name = "VERSION", value_parser = parse_kubernetes_version)]
    pub kubernetes_version: Option<crate::schema::KubeMinor>,

    /// How to print findings on stdout.
    #[arg(long, short = 'o', value_enum, default_value_t = Format::Human)]
    pub output_format: Format,

    /// Also write findings in FORMAT to PATH, as in `--output sarif=upgrade.sarif`.
    /// Repeatable; PATH `-` is stdout, in place of --output-format.
    #[arg(long = "output", value_name = "FORMAT=PATH", value_parser = parse_output)]
    pub outputs: Vec<OutputSpec>,

    /// Namespace of objects that do not name one [default: default]. With --cluster, also
    /// the only namespace read [default: the kubeconfig context's namespace].
    #[arg(long, short = 'n', value_name = "NAMESPACE", value_parser = parse_namespace)]
    pub namespace: Option<String>,

    #[command(flatten)]
    pub limits: LimitArgs,

    #[command(flatten)]
    pub live: ClusterArgs,

    /// The kubeconfig context to use [default: the current context].
    #[arg(
        long,
        value_name = "NAME",
        requires = "cluster",
        help_heading = "Cluster"
    )]
    pub context: Option<String>,
}

/// How much a run reads, shared by `lint` and `simulate`: inputs past these limits are
/// reported and not read, so memory stays bounded whatever a repository holds.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// Refuse files larger than this (they are reported, not read): bytes, or with a
    /// binary unit (K, M, G: KiB, MiB, GiB, as in 512K or 10MiB); at most 4G.
    #[arg(long, default_value = "16M", value_name = "SIZE", value_parser = parse_file_size)]
    pub max_file_size: u64,

    /// Read at most this much from all inputs together (same units as --max-file-size);
    /// files past it are reported (GW014), not read.
    #[arg(long, default_value = "256M", value_name = "SIZE", value_parser = parse_size)]
    pub max_total_size: u64,

    /// Check at most this many objects (documents and List items) in one run; the rest are
    /// reported (GW015), not checked.
    #[arg(long, default_value_t = crate::load::DEFAULT_MAX_OBJECTS, value_name = "COUNT")]
    pub max_objects: usize,
}

impl LimitArgs {
    /// Loader options with these limits.
    pub fn options(&self, default_namespace: String) -> crate::load::Options {
        crate::load::Options {
            max_file_size: self.max_file_size,
            max_total_size: self.max_total_size,
            max_objects: self.max_objects,
            default_namespace,
            ..Default::default()
        }
    }
}

/// `gwctl features` and `gwctl implementations`.
#[derive(Debug, clap::Args)]
pub struct FeaturesArgs {
    /// Files, folders or `-` for stdin, as for `lint`.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to print the result on stdout.
    #[arg(long, short = 'o', value_enum, default_value_t = FeaturesFormat::Human)]
    pub output_format: FeaturesFormat,

    /// The Gateway API release whose features (and, for `implementations`, whose
    /// conformance reports) count (v1.1.0 to v1.6.1; a minor means its newest patch).
    /// [default: the nearest .gwctl.yaml's `gatewayAPIVersion`, else the newest release
    /// gwctl knows]
    #[arg(long = "gateway-api-version", value_name = "VERSION", value_parser = parse_release)]
    pub gateway_api_version: Option<crate::schema::Release>,

    /// Namespace of objects that do not name one [default: default]: a reference into
    /// another namespace needs a ReferenceGrant.
    #[arg(long, short = 'n', value_name = "NAMESPACE", value_parser = parse_namespace)]
    pub namespace: Option<String>,

    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Output formats of `features` and `implementations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FeaturesFormat {
    /// Text for people, with positions.
    Human,
    /// One JSON document.
    Json,
}

/// Output formats of `simulate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TraceFormat {
    /// A readable trace, for people.
    Human,
    /// One JSON document; see the README for its shape.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Error,
    Warning,
    Info,
}

impl From<SeverityArg> for crate::diag::Severity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Error => crate::diag::Severity::Error,
            SeverityArg::Warning => crate::diag::Severity::Warning,
            SeverityArg::Info => crate::diag::Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChannelArg {
    Standard,
    Experimental,
}

/// `--kubernetes-version`: `1.31`, `v1.31`, `1.31.2`.
fn parse_kubernetes_version(s: &str) -> Result<crate::schema::KubeMinor, String> {
    crate::schema::kube::parse_version(s)
}

/// `--gateway-api-version`: the error lists the releases gwctl knows.
fn parse_release(s: &str) -> Result<crate::schema::Release, String> {
    crate::schema::Release::parse(s)
}

impl From<ChannelArg> for crate::schema::Channel {
    fn from(c: ChannelArg) -> Self {
        match c {
            ChannelArg::Standard => crate::schema::Channel::Standard,
            ChannelArg::Experimental => crate::schema::Channel::Experimental,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_units() {
        for (text, bytes) in [
            ("1024", 1024),
            ("1k", 1024),
            ("1K", 1024),
            ("1KiB", 1024),
            ("10M", 10 << 20),
            ("10MiB", 10 << 20),
            ("10 mi", 10 << 20),
            ("1G", 1 << 30),
            ("7b", 7),
        ] {
            assert_eq!(parse_size(text), Ok(bytes), "{text}");
        }
        // The defaults in --help are the loader's.
        assert_eq!(parse_size("16M"), Ok(crate::load::DEFAULT_MAX_FILE_SIZE));
        assert_eq!(parse_size("256M"), Ok(crate::load::DEFAULT_MAX_TOTAL_SIZE));
        for bad in [
            "",
            "k",
            "1.5M",
            "-1",
            "0",
            "1T",
            "10MB",
            "99999999999999999999G",
        ] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert!(
            parse_size("10MB")
                .unwrap_err()
                .contains("write 10M or 10MiB")
        );
        assert_eq!(
            parse_file_size("4G"),
            Ok(crate::load::MAX_SUPPORTED_FILE_SIZE)
        );
        assert!(parse_file_size("5G").is_err());
    }

    #[test]
    fn namespaces_are_dns_labels() {
        for ok in ["default", "a", "shop-1", &"x".repeat(63)] {
            assert_eq!(parse_namespace(ok).as_deref(), Ok(ok));
        }
        for bad in ["", "Bad_NS", "Shop", "-a", "a-", "a.b", &"x".repeat(64)] {
            assert!(parse_namespace(bad).is_err(), "{bad}");
        }
    }
}

/// Rule codes and names, offered by the shell completions of `--select`, `--ignore` and
/// `explain`. Any text parses: a selector may also be a code prefix (`GW3`), and an unknown
/// one is refused after parsing with the closest rule names, which clap's own "possible
/// values" error could not give.
#[derive(Clone, Copy, Debug)]
struct RuleNames;

impl clap::builder::TypedValueParser for RuleNames {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(crate::rules::all().iter().flat_map(|r| {
            [
                clap::builder::PossibleValue::new(r.code).help(r.summary),
                clap::builder::PossibleValue::new(r.name).help(r.summary),
            ]
        })))
    }
}
