//! Findings as data.
//!
//! Owns [`Diagnostic`] (one finding: its rule, severity, message, where, which object, which
//! field), [`Severity`], [`Label`], [`RuleMeta`] (the static description of a rule, which
//! `gwctl rules` and `gwctl explain` print) and [`declare_rule!`](crate::declare_rule), the one way to declare a
//! rule. Every pass (loading, schemas, CEL, references) produces findings, and every output
//! format renders them; nothing here knows how they are found or shown. Imports only
//! [`crate::source`].

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::source::{FileId, Span};

/// How serious a finding is. Ordered so that `Error > Warning > Info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a finding relates to the live cluster when local files are linted over it
/// (`lint --cluster FILES`): introduced by the files, already there, or gone with them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    New,
    Existing,
    Fixed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Existing => "existing",
            Change::Fixed => "fixed",
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The object a finding is about, as `kubectl` would name it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjectRef {
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {}/{}", self.kind, ns, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

/// A place in a source file, with an optional note on what is there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: Option<Cow<'static, str>>,
}

impl Label {
    pub fn new(file: FileId, span: Span) -> Self {
        Label {
            file,
            span,
            message: None,
        }
    }

    pub fn with_message(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        self.message = Some(message.into());
        self
    }
}

/// One finding.
#[derive(Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule that found it: its code (`GW001`, the key for configuration and
    /// suppression), name and documentation travel with the finding, so no later stage
    /// looks a code up again.
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    /// What is wrong, in lower case without a final period; quotes the user's value and says
    /// what was expected.
    pub message: Box<str>,
    /// Where it is. `None` only when no file position exists (an unreadable file still names
    /// its path through `file_hint`).
    pub primary: Option<Label>,
    /// Other places that explain the finding ("first defined here").
    pub secondary: Vec<Label>,
    /// A file the finding is about when there is no position in it (unreadable, binary).
    pub file_hint: Option<Box<str>>,
    /// Shared: an object's findings (and the report's list of objects) hold one copy of
    /// its name, and a `Diagnostic` is 90 bytes smaller without four strings inline.
    pub object: Option<Arc<ObjectRef>>,
    /// Field path in the object, as `spec.listeners[1].port`.
    pub field: Option<Box<str>>,
    /// How to fix it, when gwctl can tell.
    pub help: Option<Cow<'static, str>>,
    /// Set only when local files are linted over a live cluster.
    pub status: Option<Change>,
    /// A mechanical edit of the file that fixes the finding (`lint --fix`), when gwctl can
    /// tell what was meant. Boxed: few findings have one.
    pub fix: Option<Box<Fix>>,
}

/// How a finding is fixed: replacements of byte ranges in the file of its primary label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub edits: Vec<FixEdit>,
    /// Safe fixes only write what the author evidently meant and are applied by `--fix`;
    /// the others (a guess that changes meaning if wrong) need `--unsafe-fixes`.
    pub safe: bool,
}

/// One replacement. The text for a scalar depends on how it is written (quotes), which
/// only the file's text shows; it is worked out when the fix is applied, and a range that
/// no longer holds what the fix was made for is left alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixEdit {
    pub span: Span,
    pub replacement: Replacement,
}

/// What a [`FixEdit`] writes in place of its range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Replacement {
    /// The plain scalar in the range (a word such as `yes`), as a double-quoted string.
    Quote,
    /// A quoted string in the range that holds a decimal integer, without its quotes.
    Unquote,
    /// A scalar (a value or a mapping key) that reads as this string, quoted as the
    /// original was where that is possible.
    Scalar(Box<str>),
}

impl Diagnostic {
    pub fn new(meta: &'static RuleMeta, message: impl Into<String>) -> Self {
        Diagnostic {
            rule: meta,
            severity: meta.severity,
            message: message.into().into_boxed_str(),
            primary: None,
            secondary: Vec::new(),
            file_hint: None,
            object: None,
            field: None,
            help: None,
            status: None,
            fix: None,
        }
    }

    /// The rule's stable code, such as `GW001`.
    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    /// Whether this finding is one of `rule`'s.
    pub fn is(&self, rule: &RuleMeta) -> bool {
        self.rule.code == rule.code
    }

    pub fn at(mut self, file: FileId, span: Span) -> Self {
        self.primary = Some(Label::new(file, span));
        self
    }

    pub fn label(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        if let Some(p) = &mut self.primary {
            p.message = Some(message.into());
        }
        self
    }

    pub fn secondary(mut self, label: Label) -> Self {
        // Most findings have one or two; a vector grown by pushing has room for four, and a
        // run holds every finding to the end.
        self.secondary.reserve_exact(1);
        self.secondary.push(label);
        self
    }

    pub fn object(mut self, object: Option<impl Into<Arc<ObjectRef>>>) -> Self {
        self.object = object.map(Into::into);
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        let f = field.into();
        self.field = (!f.is_empty()).then(|| f.into_boxed_str());
        self
    }

    pub fn help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn file_hint(mut self, file: impl Into<String>) -> Self {
        self.file_hint = Some(file.into().into_boxed_str());
        self
    }

    /// Order used for output: by file, then position, then code, so that output does not
    /// depend on the order in which passes or threads ran.
    pub fn sort_key(&self) -> (Option<FileId>, usize, usize, &'static str, &str) {
        match &self.primary {
            Some(l) => (
                Some(l.file),
                l.span.start,
                l.span.end,
                self.rule.code,
                &self.message,
            ),
            None => (None, 0, 0, self.rule.code, &self.message),
        }
    }
}

// By hand so that a finding prints its rule's code rather than the rule's whole
// documentation.
impl fmt::Debug for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Diagnostic")
            .field("code", &self.rule.code)
            .field("severity", &self.severity)
            .field("message", &self.message)
            .field("primary", &self.primary)
            .field("secondary", &self.secondary)
            .field("file_hint", &self.file_hint)
            .field("object", &self.object)
            .field("field", &self.field)
            .field("help", &self.help)
            .field("status", &self.status)
            .field("fix", &self.fix)
            .finish()
    }
}

impl PartialOrd for Diagnostic {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Diagnostic {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

/// What kind of problem a rule finds; shown in `gwctl rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// The input cannot be read as Kubernetes objects.
    Input,
    /// The API server would reject the object.
    Schema,
    /// The object is accepted but will not work as written.
    Correctness,
    /// Works today, but is likely a mistake or fragile.
    Suspicious,
    /// Uses a version or form that is going away.
    Deprecated,
}

/// Static description of one finding code. Declared only with [`declare_rule!`](crate::declare_rule), and listed
/// once in the catalogue (`crate::rules`).
#[derive(Debug, Serialize)]
pub struct RuleMeta {
    /// `GW` and three digits: 0xx input, 1xx schema, 2xx CEL, 3xx references, 4xx conflicts,
    /// 5xx deprecations, 6xx live cluster, 7xx conformance reports.
    pub code: &'static str,
    /// Kebab-case name that states the problem (`duplicate-object`).
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// One line, lower case, for `gwctl rules`.
    pub summary: &'static str,
    /// Markdown for `gwctl explain`: what it checks, why it matters, an example, the fix.
    pub docs: &'static str,
    /// Kinds of other objects (`Secret`, `Service`, ...) whose presence or content the
    /// rule's answer depends on. When a live cluster's objects of such a kind cannot be read,
    /// a reference to one of them would look missing, so the rule's findings are dropped
    /// (see `checks::cluster::skipped`). Not part of `gwctl rules` output.
    #[serde(skip)]
    pub reads: &'static [&'static str],
    /// What `lint --fix` does about the rule's findings, in a few words; `None` when it has
    /// no fix. Shown by `gwctl rules`.
    pub fix: Option<&'static str>,
}

/// Codes are unique (the catalogue test checks it), so a rule is its code: comparing two
/// findings' rules need not compare their documentation.
impl PartialEq for RuleMeta {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

impl Eq for RuleMeta {}

/// Declares a `pub static` [`RuleMeta`], the only way a rule is declared:
///
/// ```text
/// declare_rule!(NAME, "GW301", "kebab-name", Category, Severity, "summary", "docs");
/// declare_rule!(NAME, "GW301", "kebab-name", Category, Severity, reads: ["Gateway"], "summary", "docs");
/// declare_rule!(NAME, "GW103", "kebab-name", Category, Severity, fix: "what --fix does", "summary", "docs");
/// ```
///
/// `fix` says, in a few words, what `lint --fix` does about the rule's findings
/// ([`RuleMeta::fix`]); the docs must say it too. `reads` lists the kinds the rule's answer depends on ([`RuleMeta::reads`]). The docs
/// string is the rule's only documentation. Every declared rule must also be listed in
/// `crate::rules::ALL`; the catalogue's tests scan the sources for this macro to make sure.
#[macro_export]
macro_rules! declare_rule {
    ($id:ident, $code:literal, $name:literal, $cat:ident, $sev:ident, $summary:literal, $docs:literal $(,)?) => {
        $crate::declare_rule!(@full $id, $code, $name, $cat, $sev, None, [], $summary, $docs);
    };
    ($id:ident, $code:literal, $name:literal, $cat:ident, $sev:ident, fix: $fix:literal, $summary:literal, $docs:literal $(,)?) => {
        $crate::declare_rule!(@full $id, $code, $name, $cat, $sev, Some($fix), [], $summary, $docs);
    };
    ($id:ident, $code:literal, $name:literal, $cat:ident, $sev:ident, reads: [$($kind:literal),* $(,)?], $summary:literal, $docs:literal $(,)?) => {
        $crate::declare_rule!(@full $id, $code, $name, $cat, $sev, None, [$($kind),*], $summary, $docs);
    };
    (@full $id:ident, $code:literal, $name:literal, $cat:ident, $sev:ident, $fix:expr, [$($kind:literal),*], $summary:literal, $docs:literal) => {
        pub static $id: $crate::diag::RuleMeta = $crate::diag::RuleMeta {
            code: $code,
            name: $name,
            category: $crate::diag::Category::$cat,
            severity: $crate::diag::Severity::$sev,
            summary: $summary,
            docs: $docs,
            reads: &[$($kind),*],
            fix: $fix,
        };
    };
}
