//! The suppression syntax, which the loader reads and the lint pipeline applies.
//!
//! Owns the comment marker (`# gwctl-ignore RULES`), the annotation (`gwctl.io/ignore`) and
//! the rule for a suppression that suppresses nothing (GW060). The loader keeps each file's
//! comments that start with [`MARKER`]; `lint::slim` keeps an object's [`ANNOTATION`]; the
//! pipeline (`lint::suppress`) matches both against findings. They live here, below the rule
//! catalogue and the pipeline, so that neither the loader nor the catalogue imports upward.

use crate::declare_rule;

/// The annotation that suppresses rules for a whole object.
pub const ANNOTATION: &str = "gwctl.io/ignore";
/// The comment (`# gwctl-ignore RULES`) that suppresses rules on its line or the next.
pub const MARKER: &str = "gwctl-ignore";

declare_rule!(
    UNUSED_SUPPRESSION,
    "GW060",
    "unused-suppression",
    Input,
    Warning,
    "a gwctl-ignore comment or annotation suppresses nothing",
    "## What it checks\nThat every `# gwctl-ignore` comment and every `gwctl.io/ignore` annotation suppresses at least one finding, and names real rules.\n\n## Why it matters\nA stale suppression hides the next real problem of that kind at that place, and tells readers something that is no longer true.\n\n## Example\n```yaml\n# gwctl-ignore GW312\nport: 80   # the port is correct now\n```\n\n## Fix\nDelete the suppression."
);
