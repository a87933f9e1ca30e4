//! `gwctl migrate`'s engine: moves objects on old Gateway API versions to the versions a
//! chosen release ([`Options::release`], `--to`) serves, by editing the original text, so
//! comments, key order, quoting, indentation and every unrelated byte survive. What the
//! target release says of a moved object (served or not, fields it removed or does not
//! have yet, checks it adds) is in [`target`].
//!
//! Owns the edit machinery: [`Cx`] hands each migration primitives that turn node positions
//! into [`Edit`]s (rename a key, replace a scalar, wrap a mapping in a one-item list, drop an
//! entry); [`migrate_text`] collects the edits of every object, sorts them, rejects overlaps,
//! applies them, then re-reads the result and checks that every document is exactly the
//! semantic conversion of the input (a mismatch is a bug in gwctl and is never returned as a
//! result). It repeats until nothing changes, so migrating migrated text is a no-op.
//! An object that cannot be moved safely is refused with a [`Diagnostic`] (GW5xx, see
//! [`rules`]), and then nothing in its file changes, so no file is ever half-migrated.
//!
//! The migrations themselves live in [`migrations`], one file each; a move that needs
//! several steps (TLSRoute v1alpha2 → v1) is one migration to the final version, or steps
//! that later rounds chain. Writing files back is in
//! [`write`](mod@write); the command line is in `crate::cli::migrate`.

pub mod migrations;
pub mod rules;
pub mod target;
pub mod write;

use serde_json::Value;

use crate::diag::{Diagnostic, ObjectRef, RuleMeta};
use crate::source::{FileId, Span};
use crate::yaml::{self, Comment, Entry, IssueKind, Node, NodeValue};

use migrations::Migration;

/// Rounds of migrate → re-read before gwctl gives up looking for a fixpoint. One round
/// moves everything; the second must find nothing to do.
const MAX_ROUNDS: usize = 4;

/// Why an object is not migrated: an error finding (boxed, as findings are large).
pub type Refusal = Box<Diagnostic>;

/// Which migrations to run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Also move GatewayClass, Gateway and HTTPRoute from v1beta1 to v1 (still served in
    /// every release, so only on request).
    pub to_v1: bool,
    /// The Gateway API release the result must be served by: it decides which migrations
    /// run and to which version.
    pub release: crate::schema::Release,
    /// Drop fields the target release removed (each reported as GW506) instead of
    /// refusing their objects (GW505).
    pub drop_removed_fields: bool,
}

/// Replace the text at `span` with `text` (an insertion when `span` is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// One object that was moved to a new version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// The object as it was named before the move.
    pub object: ObjectRef,
    /// What it became: its new `apiVersion` (and kind, when that changed), or what else
    /// changed in it.
    pub to: String,
    /// Where the object starts in the input.
    pub span: Span,
}

/// The result of migrating one file's text.
#[derive(Debug)]
pub struct Outcome {
    /// The migrated text; the input itself when nothing changed or an object was refused.
    pub text: String,
    pub moved: Vec<Moved>,
    /// Refusals (errors) and warnings, positioned in the input.
    pub diagnostics: Vec<Diagnostic>,
    /// An object was refused, so the text was left as it was.
    pub refused: bool,
}

/// gwctl could not migrate a file at all.
#[derive(Debug)]
pub enum Failure {
    /// The input has problems (invalid YAML, duplicate keys, ...) that make editing it
    /// unsafe; the findings say what they are.
    Unreadable(Vec<Diagnostic>),
    /// The rewrite did not re-read as the expected conversion. A bug in gwctl; the text is
    /// not used.
    SelfCheck(String),
}

/// Migrate one file's text. `file` positions the diagnostics.
pub fn migrate_text(file: FileId, text: &str, opts: &Options) -> Result<Outcome, Failure> {
    let stream = yaml::parse_stream(text, &yaml::Limits::default());
    let blocking: Vec<Diagnostic> = stream
        .issues
        .iter()
        .filter(|i| i.kind != IssueKind::Yaml11Scalar)
        .map(|i| crate::load::yaml_issue(file, i))
        .collect();
    if !blocking.is_empty() {
        return Err(Failure::Unreadable(blocking));
    }
    let first = plan(file, text, &stream, opts);
    // A text's tree is many times its size: one at a time is held (a 15 MB stream of
    // objects held three trees and their JSON at once, 600 MB).
    drop(stream);
    let diagnostics = first.diagnostics;
    if first.refused {
        return Ok(Outcome {
            text: text.to_owned(),
            moved: Vec::new(),
            diagnostics,
            refused: true,
        });
    }
    let moved = first.moved;
    let mut current = text.to_owned();
    let mut edits = first.edits;
    let mut expected = first.expected;
    for _ in 0..MAX_ROUNDS {
        if edits.is_empty() {
            return Ok(Outcome {
                text: current,
                moved,
                diagnostics,
                refused: false,
            });
        }
        let next = apply(&current, edits).map_err(Failure::SelfCheck)?;
        let stream = verify(&next, &std::mem::take(&mut expected)).map_err(Failure::SelfCheck)?;
        let again = plan(file, &next, &stream, opts);
        drop(stream);
        if again.refused {
            return Err(Failure::SelfCheck(
                "the migrated text was refused when migrated again".into(),
            ));
        }
        current = next;
        edits = again.edits;
        expected = again.expected;
    }
    Err(Failure::SelfCheck(format!(
        "migration did not settle after {MAX_ROUNDS} rounds"
    )))
}

/// What one round found to do in one text.
struct Plan {
    edits: Vec<Edit>,
    /// The JSON each document must read as once the edits are applied.
    expected: Vec<Option<Value>>,
    moved: Vec<Moved>,
    diagnostics: Vec<Diagnostic>,
    refused: bool,
}

fn plan(file: FileId, text: &str, stream: &yaml::Stream, opts: &Options) -> Plan {
    let mut p = Plan {
        edits: Vec::new(),
        expected: Vec::new(),
        moved: Vec::new(),
        diagnostics: Vec::new(),
        refused: false,
    };
    let cx = Objects {
        file,
        text,
        comments: &stream.comments,
        opts,
    };
    for doc in &stream.documents {
        let Some(root) = &doc.root else {
            p.expected.push(None);
            continue;
        };
        let mut json = root.to_json();
        // A `kind: List` holds objects in `items`, as `kubectl get -o yaml` prints them.
        let is_list = root
            .get("kind")
            .and_then(Node::as_str)
            .is_some_and(|k| k == "List" || k.ends_with("List"))
            && root.get("items").and_then(Node::as_seq).is_some();
        if let Some(items_entry) = root.entry("items").filter(|_| is_list) {
            let items = &items_entry.value;
            // Items written through an alias, or anchored and shared, would be edited where
            // the anchor is, changing more than the item.
            let gap = Span::new(items_entry.key_span.end, items.span.start);
            let list_shared = cx.raw(items.span).starts_with(['*', '&', '!'])
                || items.span.start < items_entry.key_span.end
                || has_properties(cx.raw(gap));
            for (i, item) in items.as_seq().unwrap_or(&[]).iter().enumerate() {
                let shared = list_shared
                    || item.span.start < items.span.start
                    || item.span.end > items.span.end;
                if let Some(converted) = cx.object(item, shared, &mut p)
                    && let Some(slot) = json.get_mut("items").and_then(|v| v.get_mut(i))
                {
                    *slot = converted;
                }
            }
        } else if let Some(converted) = cx.object(root, false, &mut p) {
            json = converted;
        }
        p.expected.push(Some(json));
    }
    p
}

/// What planning the objects of one text needs.
struct Objects<'a> {
    file: FileId,
    text: &'a str,
    comments: &'a [Comment],
    opts: &'a Options,
}

impl Objects<'_> {
    fn raw(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or_default()
    }

    /// Plan one object's move; returns its converted JSON when its text changes. `shared`
    /// says the object is reached through a YAML alias or anchor, which refuses any edit.
    ///
    /// In order: the object's own migration (if the target release serves a newer version),
    /// the references to kinds that moved ([`migrations::RETARGETS`]), then what the target
    /// release says of the result ([`target`]): a kind or version it does not serve, or a
    /// field it does not have, and for a moved object anything its new version rejects that
    /// its old version accepted.
    fn object(&self, node: &Node, shared: bool, p: &mut Plan) -> Option<Value> {
        let (file, text, comments) = (self.file, self.text, self.comments);
        let api_entry = node.entry("apiVersion")?;
        let api = api_entry.value.as_str()?;
        let kind = node.get("kind").and_then(Node::as_str)?;
        let (group, version) = api.rsplit_once('/')?;
        if !GATEWAY_GROUPS.contains(&group) {
            return None;
        }
        let meta = node.get("metadata");
        let object = ObjectRef {
            api_version: api.to_owned(),
            kind: kind.to_owned(),
            namespace: meta
                .and_then(|m| m.get("namespace"))
                .and_then(Node::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            name: meta
                .and_then(|m| m.get("name"))
                .and_then(Node::as_str)
                .unwrap_or_default()
                .to_owned(),
        };
        let mut cx = Cx {
            text,
            file,
            comments,
            object: object.clone(),
            edits: Vec::new(),
            warnings: Vec::new(),
        };
        let mut json = node.to_json();
        let result = self.plan_object(&mut cx, node, api_entry, (group, version, kind), &mut json);
        let result = result.and_then(|what| {
            if cx.edits.is_empty() {
                return Ok(what);
            }
            if shared {
                return Err(cx.shared_refusal(node.span, "items"));
            }
            if let Some(span) = cx.shared_part(node, node.span, false) {
                return Err(cx.refuse(
                    &rules::UNMIGRATABLE_OBJECT,
                    span,
                    "",
                    "the object is written through a YAML alias, anchor or merge key; gwctl only rewrites objects that are written out in place",
                    "write the object out in full, then migrate again",
                ));
            }
            Ok(what)
        });
        match result {
            Ok(what) => {
                let changed = !cx.edits.is_empty();
                p.edits.append(&mut cx.edits);
                p.diagnostics.append(&mut cx.warnings);
                if let Some(to) = what {
                    p.moved.push(Moved {
                        object,
                        to,
                        span: node.span,
                    });
                }
                changed.then_some(json)
            }
            Err(d) => {
                p.diagnostics.append(&mut cx.warnings);
                p.diagnostics.push(*d);
                p.refused = true;
                None
            }
        }
    }

    /// The edits of one object, made in `cx`, and its converted JSON in `json`; returns
    /// what it was moved to (for `--write`'s list), when it was moved.
    fn plan_object(
        &self,
        cx: &mut Cx<'_>,
        node: &Node,
        api_entry: &Entry,
        (group, version, kind): (&str, &str, &str),
        json: &mut Value,
    ) -> Result<Option<String>, Refusal> {
        let opts = self.opts;
        let store = crate::schema::Store::for_release(opts.release);
        let original = json.clone();
        let mut what = Vec::new();
        let moved = migrations::find(&format!("{group}/{version}"), kind, opts);
        if let Some((m, to)) = moved {
            cx.run(m, to, node, api_entry)?;
            if let Some(obj) = json.as_object_mut() {
                obj.insert("apiVersion".into(), Value::String(to.to_owned()));
                if let Some(k) = m.to_kind {
                    obj.insert("kind".into(), Value::String(k.to_owned()));
                }
            }
            if let Some(convert) = m.convert {
                convert(json);
            }
            what.push(match m.to_kind {
                Some(k) => format!("{to} {k}"),
                None => to.to_owned(),
            });
        }
        for r in migrations::RETARGETS {
            if (r.applies)(kind, opts) && (r.rewrite)(cx, node)? {
                (r.convert)(json);
                what.push(r.what.to_owned());
            }
        }
        // What the object is once moved.
        let (new_group, new_version, new_kind) = match moved {
            Some((m, to)) => {
                let (g, v) = to.rsplit_once('/').unwrap_or(("", to));
                (g, v, m.new_kind())
            }
            None => (group, version, kind),
        };
        if store.kind(new_group, new_kind).is_none() {
            // Not a kind of the bundled releases (an implementation's own CRD).
            return Ok((!what.is_empty()).then(|| what.join(", ")));
        }
        let Some(schema) = target::served(&store, new_group, new_version, new_kind) else {
            return Err(self.not_served(cx, node, &store, (new_group, new_version, new_kind)));
        };
        if let Some((m, _)) = moved
            && m.convert.is_none()
            // Only where the target release still serves the old version: a schema from
            // another release would mix that release's own differences (which `gwctl
            // upgrade` reports) into the version's.
            && let Some(old_schema) = target::served(&store, group, version, kind)
            && let Some(v) =
                target::new_violations(old_schema, &original, schema, json).into_iter().next()
        {
            let span = node_at(node, &v.path).map_or(api_entry.value.span, |n| n.span);
            let new_kind = m.new_kind();
            return Err(cx.refuse(
                &rules::NOT_EXPRESSIBLE,
                span,
                &v.path.to_string(),
                format!(
                    "{new_kind} {new_version} of Gateway API {} would reject the moved object: {}",
                    opts.release, v.message
                ),
                "change the object so that it fits the new version, then migrate again",
            ));
        }
        let missing = target::missing_fields(&store, schema, json);
        if !missing.is_empty() {
            self.missing_fields(cx, node, moved.and_then(|(m, _)| m.convert), missing, json)?;
            what.push("removed fields dropped".to_owned());
        }
        Ok((!what.is_empty()).then(|| what.join(", ")))
    }

    /// GW507 for an object whose kind and version the target release does not serve, and
    /// which no migration moves.
    fn not_served(
        &self,
        cx: &Cx<'_>,
        node: &Node,
        store: &crate::schema::Store,
        (group, version, kind): (&str, &str, &str),
    ) -> Refusal {
        let release = self.opts.release;
        let span = node.get("apiVersion").map_or(node.span, |n| n.span);
        let (message, help) = match target::version_elsewhere(store, group, version, kind) {
            target::Elsewhere::After(r) => (
                format!(
                    "Gateway API {release} does not serve {kind} {group}/{version}, which {r} added; migrating does not move objects back to older releases"
                ),
                format!(
                    "migrate to {} or later (`--to {}`), or rewrite the object by hand for {release}",
                    r.minor(),
                    r.minor()
                ),
            ),
            target::Elsewhere::Before(r) => (
                format!(
                    "Gateway API {release} does not serve {kind} {group}/{version} (last served by {r}), and gwctl knows no migration for it"
                ),
                format!(
                    "rewrite the object for a kind and version {release} serves, or migrate to {} (`--to {}`)",
                    r.minor(),
                    r.minor()
                ),
            ),
            target::Elsewhere::Nowhere => (
                format!("no Gateway API release gwctl knows serves {kind} {group}/{version}"),
                "check the apiVersion and kind".to_owned(),
            ),
        };
        cx.refuse(&rules::NEWER_THAN_TARGET, span, "apiVersion", message, help)
    }

    /// Refuse fields the target release lacks, or with `--drop-removed-fields` drop those
    /// it removed (a field only newer releases have is always refused).
    fn missing_fields(
        &self,
        cx: &mut Cx<'_>,
        node: &Node,
        converted: Option<fn(&mut Value)>,
        missing: Vec<target::Missing>,
        json: &mut Value,
    ) -> Result<(), Refusal> {
        let release = self.opts.release;
        let mut refusals = Vec::new();
        for m in missing {
            let field = m.path.to_string();
            // A migration that reshapes the object moved its fields: their old place is not
            // the path in the new version.
            let at = if converted.is_none() {
                entry_at(node, &m.path)
            } else {
                None
            };
            let span = at.map_or(node.span, |(_, e)| e.key_span);
            match m.elsewhere {
                target::Elsewhere::After(r) => refusals.push(cx.refuse(
                    &rules::NEWER_THAN_TARGET,
                    span,
                    &field,
                    format!(
                        "`{field}` is not a field of Gateway API {release}; {r} added it, and migrating does not move objects back to older releases"
                    ),
                    format!(
                        "migrate to {} or later (`--to {}`), or remove the field by hand",
                        r.minor(),
                        r.minor()
                    ),
                )),
                target::Elsewhere::Before(r) if self.opts.drop_removed_fields => {
                    let Some((map, entry)) = at else {
                        refusals.push(cx.refuse(
                            &rules::REMOVED_FIELD,
                            span,
                            &field,
                            format!(
                                "`{field}` is not a field of Gateway API {release} (last in {r}), and gwctl cannot drop it in the same run that reshapes the object"
                            ),
                            format!(
                                "migrate to {} first (`--to {}`), then to {release} with --drop-removed-fields",
                                r.minor(),
                                r.minor()
                            ),
                        ));
                        continue;
                    };
                    cx.drop_entry(map, entry, &field)?;
                    remove_at(json, &m.path);
                    let d = Diagnostic::new(
                        &rules::DROPPED_REMOVED_FIELD,
                        format!(
                            "dropped `{field}`, which Gateway API {release} removed (last in {r})"
                        ),
                    )
                    .at(cx.file, span)
                    .object(Some(cx.object.clone()))
                    .field(field.as_str())
                    .help("what the field asked for no longer happens; configure it another way if your implementation offers one");
                    cx.warn(d);
                }
                target::Elsewhere::Before(r) => refusals.push(cx.refuse(
                    &rules::REMOVED_FIELD,
                    span,
                    &field,
                    format!(
                        "`{field}` is not a field of Gateway API {release}, which removed it (last in {r})"
                    ),
                    "drop it by hand, or run again with --drop-removed-fields, which drops it and lists what it dropped",
                )),
                target::Elsewhere::Nowhere => {}
            }
        }
        let mut refusals = refusals.into_iter();
        match refusals.next() {
            None => Ok(()),
            Some(first) => {
                // Every field is reported; the first refuses the object.
                for r in refusals {
                    cx.warn(*r);
                }
                Err(first)
            }
        }
    }
}

/// The API groups whose objects `migrate` looks at.
const GATEWAY_GROUPS: &[&str] = &["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"];

/// The node at `path` in an object's tree.
fn node_at<'n>(node: &'n Node, path: &crate::fieldpath::FieldPath) -> Option<&'n Node> {
    let mut at = node;
    for seg in path.segments() {
        at = match seg {
            crate::fieldpath::PathSeg::Key(k) => at.get(k)?,
            crate::fieldpath::PathSeg::Index(i) => at.as_seq()?.get(*i)?,
        };
    }
    Some(at)
}

/// The mapping holding the field at `path`, and the field's entry.
fn entry_at<'n>(
    node: &'n Node,
    path: &crate::fieldpath::FieldPath,
) -> Option<(&'n Node, &'n Entry)> {
    let mut parent = path.clone();
    let Some(crate::fieldpath::PathSeg::Key(k)) = parent.pop() else {
        return None;
    };
    let map = node_at(node, &parent)?;
    Some((map, map.entry(&k)?))
}

/// Remove the field at `path` from JSON.
fn remove_at(json: &mut Value, path: &crate::fieldpath::FieldPath) {
    let mut at = json;
    let segs = path.segments();
    let Some((last, init)) = segs.split_last() else {
        return;
    };
    for seg in init {
        let next = match seg {
            crate::fieldpath::PathSeg::Key(k) => at.get_mut(&**k),
            crate::fieldpath::PathSeg::Index(i) => at.get_mut(*i),
        };
        let Some(next) = next else {
            return;
        };
        at = next;
    }
    if let (crate::fieldpath::PathSeg::Key(k), Some(m)) = (last, at.as_object_mut()) {
        m.shift_remove(&**k);
    }
}

/// Apply edits to `text`: sorted by position; overlapping edits are a bug in a migration.
pub fn apply(text: &str, mut edits: Vec<Edit>) -> Result<String, String> {
    // Stable: insertions at the same offset keep the order they were made in.
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for e in &edits {
        if e.span.start < at {
            return Err(format!(
                "two edits overlap at byte {} (a bug in a migration)",
                e.span.start
            ));
        }
        let (Some(keep), Some(_)) = (
            text.get(at..e.span.start),
            text.get(e.span.start..e.span.end),
        ) else {
            return Err(format!(
                "an edit at bytes {}..{} does not fall on character boundaries",
                e.span.start, e.span.end
            ));
        };
        out.push_str(keep);
        out.push_str(&e.text);
        at = e.span.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    Ok(out)
}

/// Re-read migrated text and compare every document with what the conversion must give.
fn verify(text: &str, expected: &[Option<Value>]) -> Result<yaml::Stream, String> {
    let stream = yaml::parse_stream(text, &yaml::Limits::default());
    if let Some(i) = stream
        .issues
        .iter()
        .find(|i| i.kind != IssueKind::Yaml11Scalar)
    {
        return Err(format!(
            "the migrated text does not read back: {} (at byte {})",
            i.message, i.span.start
        ));
    }
    if stream.documents.len() != expected.len() {
        return Err(format!(
            "the migrated text has {} documents instead of {}",
            stream.documents.len(),
            expected.len()
        ));
    }
    for (i, (doc, want)) in stream.documents.iter().zip(expected).enumerate() {
        let got = doc.root.as_ref().map(Node::to_json);
        if got.as_ref() != want.as_ref() {
            return Err(format!(
                "document {} of the migrated text does not read back as the expected conversion",
                i + 1
            ));
        }
    }
    Ok(stream)
}

/// What a migration works with: the object's text and position, and the edits it makes.
pub struct Cx<'a> {
    pub text: &'a str,
    pub file: FileId,
    pub object: ObjectRef,
    comments: &'a [Comment],
    edits: Vec<Edit>,
    warnings: Vec<Diagnostic>,
}

impl<'a> Cx<'a> {
    fn run(&mut self, m: &Migration, to: &str, node: &Node, api: &Entry) -> Result<(), Refusal> {
        self.entry_written_out(api, "apiVersion")?;
        self.replace_string(&api.value, to);
        if let Some(new_kind) = m.to_kind
            && let Some(kind) = node.entry("kind")
        {
            self.entry_written_out(kind, "kind")?;
            self.replace_string(&kind.value, new_kind);
        }
        match m.rewrite {
            Some(rewrite) => rewrite(self, node),
            None => Ok(()),
        }
    }

    /// The text of a span.
    pub fn raw(&self, span: Span) -> &'a str {
        self.text.get(span.start..span.end).unwrap_or_default()
    }

    pub fn edit(&mut self, span: Span, text: impl Into<String>) {
        self.edits.push(Edit {
            span,
            text: text.into(),
        });
    }

    pub fn insert(&mut self, at: usize, text: impl Into<String>) {
        self.edit(Span::point(at), text);
    }

    /// An error that refuses this object.
    pub fn refuse(
        &self,
        meta: &'static RuleMeta,
        span: Span,
        field: &str,
        message: impl Into<String>,
        help: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Refusal {
        Box::new(
            Diagnostic::new(meta, message)
                .at(self.file, span)
                .object(Some(self.object.clone()))
                .field(field)
                .help(help),
        )
    }

    /// A warning about this object's move; the move goes ahead.
    pub fn warn(&mut self, d: Diagnostic) {
        self.warnings.push(d);
    }

    /// Replace a string scalar's text, keeping its quoting style when the value is written
    /// literally; otherwise (escapes, folded lines) write a double-quoted string, which YAML
    /// and JSON read alike.
    pub fn replace_string(&mut self, node: &Node, new: &str) {
        let old = node.as_str().unwrap_or_default();
        let text = requote(self.raw(node.span), old, new);
        self.edit(node.span, text);
    }

    /// Rename a mapping key in place, keeping its quoting style.
    pub fn rename_key(&mut self, entry: &Entry, new: &str) {
        let text = requote(self.raw(entry.key_span), &entry.key, new);
        self.edit(entry.key_span, text);
    }

    /// Refuse the object unless `node` (and with `deep`, everything under it) is written out
    /// in place: no aliases, anchors, tags or merged entries, whose edit would reach other
    /// values or would not be seen at all.
    pub fn written_out(&self, node: &Node, field: &str, deep: bool) -> Result<(), Refusal> {
        match self.shared_part(node, node.span, deep) {
            None => Ok(()),
            Some(span) => Err(self.shared_refusal(span, field)),
        }
    }

    /// [`Cx::written_out`] for a mapping entry and everything under it, including the text
    /// between its key and its value, where an anchor or a tag would sit.
    pub fn entry_written_out(&self, e: &Entry, field: &str) -> Result<(), Refusal> {
        let gap = Span::new(e.key_span.end, e.value.span.start);
        if self.raw(e.key_span).starts_with(['*', '&', '!'])
            || e.value.span.start < e.key_span.end
            || has_properties(self.raw(gap))
        {
            return Err(self.shared_refusal(e.value.span, field));
        }
        self.written_out(&e.value, field, true)
    }

    fn shared_refusal(&self, span: Span, field: &str) -> Refusal {
        self.refuse(
            &rules::UNMIGRATABLE_OBJECT,
            span,
            field,
            format!(
                "`{field}` uses a YAML alias, anchor, merge key or tag; gwctl only rewrites fields that are written out in place"
            ),
            "write the value out in full instead of sharing it through an anchor, then migrate again",
        )
    }

    /// The first place under `node` that is not plain, written-out YAML.
    fn shared_part(&self, node: &Node, within: Span, deep: bool) -> Option<Span> {
        let raw = self.raw(node.span);
        if raw.starts_with(['*', '&', '!'])
            || node.span.start < within.start
            || node.span.end > within.end
        {
            return Some(node.span);
        }
        let mut prev = node.span.start;
        match &node.value {
            NodeValue::Scalar(_) => None,
            NodeValue::Map(entries) => {
                for e in entries {
                    if e.key_span.start < prev
                        || e.key_span.end > node.span.end
                        || self.raw(e.key_span).starts_with(['*', '&', '!'])
                        || (deep && has_properties(self.raw(Span::new(prev, e.key_span.start))))
                    {
                        return Some(e.key_span);
                    }
                    if e.value.span.start < e.key_span.end
                        || (deep
                            && has_properties(
                                self.raw(Span::new(e.key_span.end, e.value.span.start)),
                            ))
                    {
                        return Some(e.value.span);
                    }
                    if deep && let Some(s) = self.shared_part(&e.value, node.span, true) {
                        return Some(s);
                    }
                    prev = e.value.span.end.max(e.key_span.end);
                }
                None
            }
            NodeValue::Seq(items) => {
                for item in items {
                    if item.span.start < prev
                        || (deep && has_properties(self.raw(Span::new(prev, item.span.start))))
                    {
                        return Some(item.span);
                    }
                    if deep && let Some(s) = self.shared_part(item, node.span, true) {
                        return Some(s);
                    }
                    prev = item.span.end;
                }
                None
            }
        }
    }

    fn line_start(&self, at: usize) -> usize {
        self.text[..at].rfind('\n').map_or(0, |i| i + 1)
    }

    /// Offset just past the newline that ends the line holding `at` (or the end of text).
    fn next_line(&self, at: usize) -> usize {
        self.text[at..]
            .find('\n')
            .map_or(self.text.len(), |i| at + i + 1)
    }

    /// The line break to write for a line ending at `line_end`: that line's own, or for a
    /// last line without one, the file's.
    fn eol(&self, line_end: usize) -> &'static str {
        let head = &self.text[..line_end];
        let crlf = if head.ends_with('\n') {
            head.ends_with("\r\n")
        } else {
            self.text.contains("\r\n")
        };
        if crlf { "\r\n" } else { "\n" }
    }

    /// Comments that start within `span`, found by binary search (they are in text order).
    fn comments_in(&self, span: Span) -> &'a [Comment] {
        let lo = self.comments.partition_point(|c| c.span.start < span.start);
        let hi = self.comments.partition_point(|c| c.span.start < span.end);
        &self.comments[lo..hi.max(lo)]
    }

    /// Turn the mapping `map` (the value of a key being renamed to a plural) into a list
    /// holding it as its only item, leaving out the entries named in `drop`.
    ///
    /// Block style: `- ` goes before the first kept key and every other line of the
    /// mapping moves two columns right, so nested values, block scalars and comments keep
    /// their relative indentation. Flow style (`{...}`, and so JSON): the mapping is
    /// wrapped in `[...]`. Dropped entries lose their lines; comments on them are kept.
    pub fn wrap_in_list(&mut self, map: &Node, drop: &[&str], field: &str) -> Result<(), Refusal> {
        let Some(entries) = map.as_map() else {
            return Err(self.refuse(
                &rules::UNMIGRATABLE_OBJECT,
                map.span,
                field,
                format!("`{field}` is {}, expected a mapping", map.type_name()),
                "correct the field, then migrate again",
            ));
        };
        let kept: Vec<&Entry> = entries
            .iter()
            .filter(|e| !drop.contains(&e.key.as_str()))
            .collect();
        let dropped: Vec<&Entry> = entries
            .iter()
            .filter(|e| drop.contains(&e.key.as_str()))
            .collect();
        let Some(first) = kept.first() else {
            return Err(self.refuse(
                &rules::UNMIGRATABLE_OBJECT,
                map.span,
                field,
                format!("`{field}` has no fields left once its namespace is dropped; expected group, kind and name"),
                "add the target's group, kind and name, then migrate again",
            ));
        };
        if map.flow {
            self.insert(map.span.start, "[");
            self.insert(map.span.end, "]");
            for d in dropped {
                self.drop_flow_entry(d, field)?;
            }
            return Ok(());
        }
        // YAML also breaks lines at a lone carriage return; lines here are split at `\n`.
        let region = &self.text[self.line_start(map.span.start)..map.span.end];
        if region.replace("\r\n", "").contains('\r') {
            return Err(self.layout_refusal(map.span, field));
        }
        for e in entries {
            let ls = self.line_start(e.key_span.start);
            if !self.text[ls..e.key_span.start].bytes().all(|b| b == b' ') {
                return Err(self.layout_refusal(e.key_span, field));
            }
        }
        // Every line indented as the mapping's keys must start one of its entries, and no
        // line after the last entry may be: anything else (a merge key `<<` that merges
        // nothing, which the tree does not show) would be left behind by re-indenting.
        let column = first.key_span.start - self.line_start(first.key_span.start);
        let mut line = self.line_start(map.span.start);
        let mut past_end = false;
        while line < self.text.len() {
            let next = self.next_line(line);
            past_end |= line >= map.span.end;
            let content = self.text[line..next].trim_end();
            let body = content.trim_start_matches(' ');
            let indent = content.len() - body.len();
            if !(body.is_empty() || body.starts_with('#')) {
                if past_end && indent < column {
                    break;
                }
                let starts_entry = entries.iter().any(|e| e.key_span.start == line + indent);
                // A list may sit at its key's indentation (`key:` then `- item`).
                let list_item = body == "-" || body.starts_with("- ");
                if indent <= column && (past_end || !(starts_entry || list_item)) {
                    return Err(self.shared_refusal(Span::new(line, next), field));
                }
            }
            if next == line {
                break;
            }
            line = next;
        }
        let mut removed: Vec<Span> = Vec::new();
        for d in &dropped {
            let start = self.line_start(d.key_span.start);
            let end = self.next_line(d.value.span.end.max(d.key_span.end));
            let rest = self.text[d.value.span.end.max(d.key_span.end)..end].trim_start();
            if !(rest.is_empty() || rest.starts_with('#')) {
                return Err(self.layout_refusal(d.key_span, field));
            }
            // Keep what people wrote about the dropped field, as comment lines at the
            // indentation the entry will have.
            let shift = if d.key_span.start > first.key_span.start {
                2
            } else {
                0
            };
            let indent = " ".repeat(d.key_span.start - start + shift);
            let eol = self.eol(end);
            let mut keep = String::new();
            for c in self.comments_in(Span::new(start, end)) {
                keep.push_str(&indent);
                keep.push_str(self.raw(c.span).trim_end_matches('\r'));
                keep.push_str(eol);
            }
            if !self.text[..end].ends_with('\n') && keep.ends_with(eol) {
                keep.truncate(keep.len() - eol.len());
            }
            self.edit(Span::new(start, end), keep);
            removed.push(Span::new(start, end));
        }
        self.insert(first.key_span.start, "- ");
        let from = self.line_start(first.key_span.start);
        let mut line = self.next_line(from);
        while line < map.span.end {
            let next = self.next_line(line);
            let content = &self.text[line..next];
            let blank = content.trim().is_empty();
            let gone = removed.iter().any(|r| r.start <= line && line < r.end);
            // A line indented less than the mapping's keys is not part of it (the span of
            // a trailing block scalar can reach into the next line), or is a comment whose
            // place does not matter.
            let inside = content.len() - content.trim_start_matches(' ').len() >= column;
            if !blank && !gone && inside {
                self.insert(line, "  ");
            }
            if next == line {
                break;
            }
            line = next;
        }
        Ok(())
    }

    /// Remove one `key: value` entry from the mapping `map`: its whole line (and the lines
    /// of its value) in block style, the entry and its comma in flow style. Refused when it
    /// is the mapping's only entry (an emptied block mapping would read as null) or when it
    /// does not have its lines to itself.
    pub fn drop_entry(&mut self, map: &Node, e: &Entry, field: &str) -> Result<(), Refusal> {
        self.entry_written_out(e, field)?;
        if map.as_map().is_none_or(|m| m.len() < 2) {
            return Err(self.refuse(
                &rules::UNMIGRATABLE_OBJECT,
                e.key_span,
                field,
                format!("`{field}` is the only field of its mapping; gwctl does not empty a mapping, as an empty block mapping reads as null"),
                "remove the field (and the mapping holding it, if nothing else is left) by hand, then migrate again",
            ));
        }
        if map.flow {
            return self.drop_flow_entry(e, field);
        }
        let start = self.line_start(e.key_span.start);
        if !self.text[start..e.key_span.start]
            .bytes()
            .all(|b| b == b' ')
        {
            return Err(self.layout_refusal(e.key_span, field));
        }
        let value_end = e.value.span.end.max(e.key_span.end);
        let end = if self.text[..value_end].ends_with('\n') {
            value_end
        } else {
            self.next_line(value_end)
        };
        let rest = self.text[value_end..end].trim();
        if !(rest.is_empty() || rest.starts_with('#')) {
            return Err(self.layout_refusal(e.key_span, field));
        }
        self.edit(Span::new(start, end), "");
        Ok(())
    }

    fn layout_refusal(&self, span: Span, field: &str) -> Refusal {
        self.refuse(
            &rules::UNMIGRATABLE_OBJECT,
            span,
            field,
            format!("`{field}` is laid out in a way gwctl cannot re-indent safely (a key that does not start its own line, or a line break that is a lone carriage return)"),
            "put each key of the mapping on its own line, with `\\n` or `\\r\\n` line breaks, then migrate again",
        )
    }

    /// Remove one `key: value` from a flow mapping, with the comma that separates it, and
    /// its line when it has one to itself (as in pretty-printed JSON).
    fn drop_flow_entry(&mut self, e: &Entry, field: &str) -> Result<(), Refusal> {
        let bytes = self.text.as_bytes();
        let value_end = e.value.span.end.max(e.key_span.end);
        let mut after = value_end;
        while after < bytes.len() && matches!(bytes[after], b' ' | b'\t' | b'\r' | b'\n') {
            after += 1;
        }
        let refusal = || {
            self.refuse(
                &rules::UNMIGRATABLE_OBJECT,
                e.key_span,
                field,
                format!("`{field}.{}` is next to a comment inside a flow mapping; gwctl will not guess where the comment belongs", e.key),
                "move the comment out of the `{...}` mapping, then migrate again",
            )
        };
        let span = match bytes.get(after) {
            Some(b',') => {
                let mut end = after + 1;
                while end < bytes.len() && matches!(bytes[end], b' ' | b'\t') {
                    end += 1;
                }
                let ls = self.line_start(e.key_span.start);
                let line_end = self.next_line(value_end);
                let own_line = self.text[ls..e.key_span.start].trim().is_empty()
                    && end <= line_end
                    && self.text[end..line_end].trim().is_empty();
                if own_line {
                    Span::new(ls, line_end)
                } else {
                    Span::new(e.key_span.start, end)
                }
            }
            Some(b'}') => {
                let mut before = e.key_span.start;
                while before > 0 && matches!(bytes[before - 1], b' ' | b'\t' | b'\r' | b'\n') {
                    before -= 1;
                }
                match before.checked_sub(1).map(|i| bytes[i]) {
                    Some(b',') => Span::new(before - 1, value_end),
                    Some(b'{') => Span::new(e.key_span.start, value_end),
                    _ => return Err(refusal()),
                }
            }
            _ => return Err(refusal()),
        };
        if !self.comments_in(span).is_empty() {
            return Err(refusal());
        }
        self.edit(span, "");
        Ok(())
    }
}

/// Text between nodes holds only indicators, spaces and comments; an anchor (`&`), tag (`!`)
/// or alias (`*`) there means the node is shared or retyped.
fn has_properties(gap: &str) -> bool {
    gap.lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .any(|l| l.contains(['&', '!', '*']))
}

/// Whether `s` can be written as a plain YAML scalar and read back as the same string:
/// names, paths and API versions, nothing YAML could take for another type or syntax.
pub fn plain_ok(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-' | '_'))
}

/// The text for a string scalar that replaces `raw` (which reads as `old`) and reads as
/// `new`, in the same quoting style when `raw` writes `old` literally. Also `lint --fix`'s.
pub fn requote(raw: &str, old: &str, new: &str) -> String {
    if raw == old && plain_ok(new) {
        return new.to_owned();
    }
    if raw.len() >= 2
        && raw.starts_with('\'')
        && raw.ends_with('\'')
        && &raw[1..raw.len() - 1] == old
        && !new.contains(['\'', '\n'])
    {
        return format!("'{new}'");
    }
    // Double quotes, and anything else: a JSON string is a valid YAML double-quoted scalar.
    serde_json::to_string(new).unwrap_or_else(|_| format!("\"{new}\""))
}

#[cfg(test)]
mod tests;
