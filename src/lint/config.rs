//! The configuration file: `.gwctl.yaml`, found from the working directory upward (the
//! nearest wins), or named with `--config`. YAML, because the people who write Gateway API
//! manifests live in YAML; unknown keys are errors so a typo never silently does nothing.
//!
//! ```yaml
//! channel: experimental        # standard (default) | experimental
//! complete: false              # the inputs are the whole state
//! failOn: warning              # error (default) | warning | info
//! rules:
//!   select: [GW1, GW3]         # codes, code prefixes or names; default: all
//!   ignore: [deprecated-api-version]
//!   severity:                  # per code or name: error | warning | info | off
//!     GW314: error
//! exclude:                     # globs, relative to the folder holding the file
//!   - "generated/**"
//! context:                     # read for references only (lint), relative to it too
//!   - deploy/
//! ```
//! Command-line flags override the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{RuleMeta, Severity};

pub const FILE_NAME: &str = ".gwctl.yaml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Config {
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
        let value = docs
            .into_iter()
            .next()
            .unwrap_or(serde_json::Value::Object(Default::default()));
        let mut config: Config = serde_json::from_value(value).map_err(|e| err(e.to_string()))?;
        config.dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        config.path = Some(path.to_path_buf());
        config.validate().map_err(err)?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        if let Some(c) = &self.channel
            && !matches!(c.as_str(), "standard" | "experimental")
        {
            return Err(format!(
                "channel is \"{c}\"; expected \"standard\" or \"experimental\""
            ));
        }
        if let Some(f) = &self.fail_on {
            parse_severity(f).ok_or_else(|| {
                format!("failOn is \"{f}\"; expected \"error\", \"warning\" or \"info\"")
            })?;
        }
        for (rule, sev) in &self.rules.severity {
            if crate::rules::find(rule).is_none() {
                return Err(format!(
                    "rules.severity names \"{rule}\", which is no rule's code or name (`gwctl rules` lists them)"
                ));
            }
            if sev != "off" && parse_severity(sev).is_none() {
                return Err(format!(
                    "rules.severity.{rule} is \"{sev}\"; expected error, warning, info or off"
                ));
            }
        }
        for g in &self.exclude {
            globset::Glob::new(g).map_err(|e| format!("exclude pattern \"{g}\": {e}"))?;
        }
        for g in &self.context {
            if g.trim().is_empty() {
                return Err("context has an empty entry; expected a path or glob".to_owned());
            }
            globset::Glob::new(g).map_err(|e| format!("context pattern \"{g}\": {e}"))?;
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
