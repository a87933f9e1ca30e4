//! The configuration file: `.gwctl.yaml`, found from the working directory upward (the
//! nearest wins), or named with `--config`. YAML, because the people who write Gateway API
//! manifests live in YAML; unknown keys are errors so a typo never silently does nothing.
//!
//! ```yaml
//! gatewayAPIVersion: v1.4      # the release the cluster runs; default: the newest gwctl knows
//! kubernetesVersion: "1.31"    # the cluster's Kubernetes (quoted): GW605, GW606
//! channel: experimental        # standard (default) | experimental
//! complete: false              # the inputs are the whole state
//! failOn: warning              # error (default) | warning | info
//! rules:
//!   select: [GW1, GW3]         # codes, code prefixes or names; default: all
//!   ignore: [deprecated-api-version]
//!   severity:                  # per code or name: error | warning | info | off
//!     GW314: error             # (`off` unquoted reads as false in YAML 1.1: also off)
//! exclude:                     # globs, relative to the folder holding the file
//!   - "generated/**"
//! context:                     # read for references only (lint), relative to it too
//!   - deploy/
//! implementation: envoy-gateway@v1.9.0   # check features against its bundled report (GW7xx)
//! conformanceReport: conformance/report.yaml  # or against this report, relative to the file
//! ```
//! Command-line flags override the file. Every error names the file and the key
//! (`rules.severity.GW312: ...`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::diag::{RuleMeta, Severity};

pub const FILE_NAME: &str = ".gwctl.yaml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Config {
    /// The Gateway API release: `v1.4`, `v1.5.0`. A number (`1.5` unquoted) is refused, as
    /// YAML would read `1.10` as `1.1`.
    #[serde(rename = "gatewayAPIVersion")]
    pub gateway_api_version: Option<Value>,
    /// The cluster's Kubernetes version: `"1.31"`. A number (`1.30` unquoted) is refused, as
    /// YAML reads it as `1.3`.
    pub kubernetes_version: Option<Value>,
    pub channel: Option<String>,
    pub complete: Option<bool>,
    pub fail_on: Option<String>,
    #[serde(default)]
    pub rules: RulesConfig,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Files and folders (paths or globs, relative to the file's folder) read as context
    /// for `lint`: see [`super::context`].
    #[serde(default)]
    pub context: Vec<String>,
    /// The implementation whose bundled conformance report lint checks features against:
    /// `NAME` or `NAME@VERSION` (`--implementation`).
    pub implementation: Option<String>,
    /// A ConformanceReport file lint checks features against, relative to the file's
    /// folder (`--conformance-report`).
    pub conformance_report: Option<String>,
    /// The folder the file was found in; excludes are relative to it.
    #[serde(skip)]
    pub dir: PathBuf,
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub message: String,
}

/// A severity override: a new severity, or `None` to turn the rule off.
pub type Override = Option<Severity>;

impl Config {
    /// The file named by `explicit`, else the nearest `.gwctl.yaml` from `start` upward,
    /// else the defaults.
    pub fn discover(explicit: Option<&Path>, start: &Path) -> Result<Config, ConfigError> {
        if let Some(p) = explicit {
            return Config::read(p);
        }
        let mut dir = Some(start);
        while let Some(d) = dir {
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                return Config::read(&candidate);
            }
            dir = d.parent();
        }
        Ok(Config {
            dir: start.to_path_buf(),
            ..Default::default()
        })
    }

    pub fn read(path: &Path) -> Result<Config, ConfigError> {
        let err = |message: String| ConfigError {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let docs = crate::yaml::parse_json_documents(&text).map_err(|e| err(e.to_string()))?;
        let mut value = match docs.into_iter().next() {
            // A file of comments only is an empty configuration.
            None | Some(Value::Null) => Value::Object(Default::default()),
            Some(v) => v,
        };
        if !value.is_object() {
            return Err(err(
                "the file must hold a mapping of settings (channel, rules, ...)".into(),
            ));
        }
        severity_off_from_false(&mut value);
        let mut config: Config = serde_json::from_value(value.clone()).map_err(|e| {
            err(match locate_error(&value) {
                Some(key) => format!("{key}: {e}"),
                None => e.to_string(),
            })
        })?;
        config.dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        config.path = Some(path.to_path_buf());
        config.validate().map_err(err)?;
        Ok(config)
    }

    /// The release `gatewayAPIVersion` names, if any.
    pub fn release(&self) -> Result<Option<crate::schema::Release>, String> {
        match &self.gateway_api_version {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => crate::schema::Release::parse(s)
                .map(Some)
                .map_err(|e| format!("gatewayAPIVersion: {e}")),
            Some(other) => Err(format!(
                "gatewayAPIVersion: {other} is not a string; quote it or write the `v`: gatewayAPIVersion: v{other}"
            )),
        }
    }

    /// The Kubernetes version `kubernetesVersion` names, if any.
    pub fn kubernetes(&self) -> Result<Option<crate::schema::KubeMinor>, String> {
        match &self.kubernetes_version {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => crate::schema::kube::parse_version(s)
                .map(Some)
                .map_err(|e| format!("kubernetesVersion: {e}")),
            Some(Value::Number(n)) => Err(format!(
                "kubernetesVersion: the number {n} is not a version; quote it, as YAML reads an unquoted 1.30 as the number 1.3: kubernetesVersion: \"1.30\""
            )),
            Some(other) => Err(format!(
                "kubernetesVersion: {other} is not a string; write a quoted minor such as kubernetesVersion: \"1.31\""
            )),
        }
    }

    fn validate(&self) -> Result<(), String> {
        self.release()?;
        self.kubernetes()?;
        if let Some(c) = &self.channel
            && !matches!(c.as_str(), "standard" | "experimental")
        {
            return Err(format!(
                "channel: \"{c}\" is not a channel; expected \"standard\" or \"experimental\""
            ));
        }
        if let Some(f) = &self.fail_on {
            parse_severity(f).ok_or_else(|| {
                format!(
                    "failOn: \"{f}\" is not a severity; expected \"error\", \"warning\" or \"info\""
                )
            })?;
        }
        for (rule, sev) in &self.rules.severity {
            if crate::rules::find(rule).is_none() {
                return Err(format!(
                    "rules.severity.{rule}: {}",
                    unknown_rule(rule, "code or name")
                ));
            }
            if sev != "off" && parse_severity(sev).is_none() {
                return Err(format!(
                    "rules.severity.{rule}: \"{sev}\" is not a severity; expected error, warning, info or off"
                ));
            }
        }
        if self.implementation.is_some() && self.conformance_report.is_some() {
            return Err(
                "implementation and conformanceReport: give one of them, not both: both name the conformance report to check features against".into(),
            );
        }
        if let Some(i) = &self.implementation
            && i.trim().is_empty()
        {
            return Err("implementation: empty; name an implementation such as envoy-gateway or envoy-gateway@v1.9.0".into());
        }
        check_selectors("rules.select", &self.rules.select)?;
        check_selectors("rules.ignore", &self.rules.ignore)?;
        for (i, g) in self.exclude.iter().enumerate() {
            globset::Glob::new(g).map_err(|e| format!("exclude[{i}]: \"{g}\": {e}"))?;
        }
        for (i, g) in self.context.iter().enumerate() {
            if g.trim().is_empty() {
                return Err(format!("context[{i}]: empty; expected a path or glob"));
            }
            globset::Glob::new(g).map_err(|e| format!("context[{i}]: \"{g}\": {e}"))?;
        }
        Ok(())
    }

    /// Severity overrides by code.
    pub fn overrides(&self) -> BTreeMap<&'static str, Override> {
        self.rules
            .severity
            .iter()
            .filter_map(|(rule, sev)| {
                let code = crate::rules::find(rule)?.code;
                Some((
                    code,
                    if sev == "off" {
                        None
                    } else {
                        parse_severity(sev)
                    },
                ))
            })
            .collect()
    }

    /// A matcher for `exclude`, applied to paths relative to the config's folder.
    pub fn excludes(&self) -> Option<globset::GlobSet> {
        if self.exclude.is_empty() {
            return None;
        }
        let mut b = globset::GlobSetBuilder::new();
        for g in &self.exclude {
            if let Ok(glob) = globset::Glob::new(g) {
                b.add(glob);
            }
        }
        b.build().ok()
    }
}

/// YAML 1.1, which the configuration is read with (as the API server reads manifests),
/// reads an unquoted `off` as the boolean false; under `rules.severity` it can only mean
/// `off`, as the README writes it.
fn severity_off_from_false(config: &mut Value) {
    if let Some(Value::Object(severity)) = config.pointer_mut("/rules/severity") {
        for v in severity.values_mut() {
            if *v == Value::Bool(false) {
                *v = Value::String("off".into());
            }
        }
    }
}

/// The key of `config` (a mapping) that does not deserialize, as a dotted path
/// (`rules.severity.GW312`, `exclude[1]`): each key is tried alone, and inside `rules`
/// each of its keys, so that the error names where to look.
fn locate_error(config: &Value) -> Option<String> {
    let (key, v) = first_bad::<Config>(config)?;
    if key == "rules"
        && let Some((inner, v)) = first_bad::<RulesConfig>(v)
    {
        return Some(format!("rules.{}", within(&inner, v)));
    }
    Some(within(&key, v))
}

/// The first key of mapping `v` whose value alone does not deserialize as part of a `T`.
fn first_bad<T: serde::de::DeserializeOwned>(v: &Value) -> Option<(String, &Value)> {
    v.as_object()?.iter().find_map(|(k, v)| {
        let alone = Value::Object([(k.clone(), v.clone())].into_iter().collect());
        serde_json::from_value::<T>(alone)
            .is_err()
            .then(|| (k.clone(), v))
    })
}

/// `key`, or `key[i]` / `key.name` for the first entry of a list or mapping of strings that
/// is not a string: every list and mapping in the configuration holds strings.
fn within(key: &str, v: &Value) -> String {
    match v {
        Value::Array(items) => match items.iter().position(|x| !x.is_string()) {
            Some(i) => format!("{key}[{i}]"),
            None => key.to_owned(),
        },
        Value::Object(m) => match m.iter().find(|(_, x)| !x.is_string()) {
            Some((k, _)) => format!("{key}.{k}"),
            None => key.to_owned(),
        },
        _ => key.to_owned(),
    }
}

/// Check rule selectors (`--select`, `rules.ignore`...): each must name at least one rule
/// by code, code prefix or name, or it would silently select nothing (or ignore nothing).
/// The error names `key` (with the entry's index when several are given) and the closest
/// codes or names.
pub fn check_selectors(key: &str, selectors: &[String]) -> Result<(), String> {
    for (i, sel) in selectors.iter().enumerate() {
        if crate::rules::all().iter().any(|r| rule_matches(sel, r)) {
            continue;
        }
        let at = if selectors.len() > 1 && !key.starts_with('-') {
            format!("{key}[{i}]")
        } else {
            key.to_owned()
        };
        return Err(format!(
            "{at}: {}",
            unknown_rule(sel, "code, code prefix or name")
        ));
    }
    Ok(())
}

/// `no rule has the code or name "x" (did you mean y?); ...`: the message for a rule a
/// person named that does not exist, with the closest code or name when one is close.
pub fn unknown_rule(typed: &str, forms: &str) -> String {
    let typed = typed.trim();
    if typed.is_empty() {
        return "an empty rule selector; give a rule's code (GW312), a code prefix (GW3) or a name"
            .into();
    }
    let known = crate::rules::all().iter().flat_map(|r| [r.code, r.name]);
    let hint = match crate::schema::suggest(typed, known) {
        Some(close) => format!(" (did you mean {close}?)"),
        None => String::new(),
    };
    format!("no rule has the {forms} \"{typed}\"{hint}; `gwctl rules` lists them")
}

pub fn parse_severity(s: &str) -> Option<Severity> {
    match s {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        _ => None,
    }
}

/// Whether a selector (from `select`, `ignore` or a suppression) names a rule: its name, its
/// code, or a code prefix (`GW3` is every reference rule), case-insensitively.
pub fn rule_matches(selector: &str, rule: &RuleMeta) -> bool {
    let sel = selector.trim();
    if sel.is_empty() {
        return false;
    }
    let upper = sel.to_ascii_uppercase();
    rule.code.starts_with(&upper) || rule.name.eq_ignore_ascii_case(sel)
}
