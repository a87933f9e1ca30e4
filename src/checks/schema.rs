//! The schema pass: every object whose kind the schema store covers is checked against the
//! schema of its version, after the schema's defaults are applied, and then against the
//! schema's CEL rules (`x-kubernetes-validations`); versions the selected
//! Gateway API channel does not serve and kinds the group does not define are reported
//! here too (GW040, GW041).
//!
//! Owns the mapping from [`Violation`]s (field paths) to [`Diagnostic`]s (file positions).
//! Each object's JSON is replaced by its defaulted form, which is what the API server
//! stores and what later passes (CEL, references) must see.

use rayon::prelude::*;

use crate::diag::{Diagnostic, Fix, FixEdit, Label, Replacement};
use crate::fieldpath::{FieldPath, PathSeg};
use crate::load::rules::{UNKNOWN_KIND, UNSERVED_VERSION};
use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::{Inventory, Object, ObjectKey};
use crate::schema::{self, Channel, Lookup, Step, Store, Suggestion, Violation};

/// Check every object; defaults are applied to `inventory`'s objects in place. `live` holds,
/// for objects that replace one already in a cluster, that object's JSON: the old object for
/// CEL transition rules (`oldSelf`), as the API server sees an update.
pub fn check(
    inventory: &mut Inventory,
    store: &Store,
    channel: Channel,
    live: &BTreeMap<ObjectKey, Value>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_then(inventory, store, channel, live, &mut out, |_| ());
    out
}

/// [`check`], appending the findings to `out` (a large run's findings are not held twice
/// while one list is copied into another), then `then` on each object as soon as its own
/// checks are done (its defaults applied), on the same thread: what `then` keeps of an
/// object is taken while the object is at hand, and its results come back in inventory
/// order.
pub fn check_then<P: Send>(
    inventory: &mut Inventory,
    store: &Store,
    channel: Channel,
    live: &BTreeMap<ObjectKey, Value>,
    out: &mut Vec<Diagnostic>,
    then: impl Fn(&mut Object) -> P + Sync,
) -> Vec<P> {
    let keys: Vec<ObjectKey> = if live.is_empty() {
        Vec::new()
    } else {
        inventory
            .objects
            .iter()
            .map(|o| inventory.key_of(o))
            .collect()
    };
    let (found, kept): (Vec<Vec<Diagnostic>>, Vec<P>) = inventory
        .objects
        .par_iter_mut()
        .enumerate()
        .map(|(i, o)| {
            let old = keys.get(i).and_then(|k| live.get(k));
            let found = check_object(o, store, channel, old);
            (found, then(o))
        })
        .unzip();
    out.reserve(found.iter().map(Vec::len).sum());
    out.extend(found.into_iter().flatten());
    kept
}

/// The schema checks of one object (defaults applied in place), as [`check`] runs them on
/// a file's objects; for objects that have no old version in a live cluster.
pub fn check_one(o: &mut Object, store: &Store, channel: Channel) -> Vec<Diagnostic> {
    check_object(o, store, channel, None)
}

/// The schema defaults of one object, applied in place, without any check: for objects
/// read only as context for others' references, whose own findings are not reported.
/// Defaults matter to those references (a listener without `allowedRoutes` admits only
/// routes of its own namespace), so the object is defaulted with the schema
/// [`check_one`] would use for it.
pub fn apply_defaults_only(o: &mut Object, store: &Store, channel: Channel) {
    let schema = match store.lookup(&o.group, &o.version, &o.kind, channel) {
        Lookup::Served(s) => Some(s),
        Lookup::NotServed { schema, .. } => schema,
        Lookup::ExperimentalOnly { .. } => {
            match store.lookup(&o.group, &o.version, &o.kind, Channel::Experimental) {
                Lookup::Served(s) => Some(s),
                Lookup::NotServed { schema, .. } => schema,
                _ => None,
            }
        }
        _ => None,
    };
    if let Some(schema) = schema {
        schema::apply_schema_defaults(schema, &mut o.json);
    }
}

fn check_object(
    o: &mut Object,
    store: &Store,
    channel: Channel,
    old: Option<&Value>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let schema = match store.lookup(&o.group, &o.version, &o.kind, channel) {
        Lookup::NotCovered => return diags,
        Lookup::Served(s) => Some(s),
        Lookup::UnknownKind { kinds } => {
            diags.push(unknown_kind(o, &kinds));
            None
        }
        Lookup::ExperimentalOnly { versions } => {
            // Check the object as the experimental channel would, and say what that channel
            // thinks of this version.
            match store.lookup(&o.group, &o.version, &o.kind, Channel::Experimental) {
                Lookup::Served(s) => {
                    diags.push(
                        Diagnostic::new(
                            &UNSERVED_VERSION,
                            format!(
                                "{} exists only in the experimental channel of Gateway API {} (versions {}), but gwctl checks against the {channel} channel",
                                o.kind,
                                release_of(store),
                                versions.join(", ")
                            ),
                        )
                        .at(o.file, o.span_of(&FieldPath::root().key("kind"), false))
                        .object(Some(o.object_ref()))
                        .field("kind")
                        .help("if your cluster installs the experimental CRDs, lint with `--channel experimental`"),
                    );
                    Some(s)
                }
                Lookup::NotServed {
                    served,
                    schema,
                    note,
                } => {
                    diags.push(unserved(
                        o,
                        store,
                        Channel::Experimental,
                        &served,
                        note.as_deref(),
                    ));
                    schema
                }
                _ => None,
            }
        }
        Lookup::NotServed {
            served,
            schema,
            note,
        } => {
            diags.push(unserved(o, store, channel, &served, note.as_deref()));
            schema
        }
    };
    if let Some(schema) = schema {
        let mut violations = schema::validate(schema, &mut o.json);
        // CEL rules run on the defaulted object, after structural validation, and not at all
        // when a structural error would stop the API server from running them.
        let cel = crate::cel::evaluate_after_schema(schema, &o.json, old, &violations);
        for v in &mut violations {
            other_release_field(o, store, channel, v);
        }
        diags.extend(violations.iter().chain(&cel).map(|v| violation(o, v)));
    }
    diags
}

/// The name of the CRD the store has `o`'s kind from, when it came from one (`--crds`, or
/// the CRDs installed in a cluster) rather than from gwctl's bundled Gateway API schemas.
fn crd_of(store: &Store, o: &Object) -> Option<String> {
    store
        .kind(&o.group, &o.kind)
        .filter(|k| k.origin == schema::Origin::Crd)
        // The API server requires a CRD's name to be `<plural>.<group>`.
        .map(|k| format!("{}.{}", k.plural, k.group))
}

/// Whether `gwctl migrate --to release` moves `o` (its migrations decide, see
/// `crate::migrate::migrations`).
pub fn migrates_to(o: &Object, release: schema::Release) -> bool {
    let opts = crate::migrate::Options {
        release,
        ..Default::default()
    };
    crate::migrate::migrations::find(&o.api_version, &o.kind, &opts).is_some()
}

/// A JSON pointer to `path` in an object.
fn pointer(path: &FieldPath) -> String {
    path.segments()
        .iter()
        .map(|s| match s {
            PathSeg::Key(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
            PathSeg::Index(i) => format!("/{i}"),
        })
        .collect()
}

/// The release the store's bundled kinds are of, for messages.
fn release_of(store: &Store) -> schema::Release {
    store.release().unwrap_or_default()
}

/// An unknown field that another release or channel defines: said as such (GW102, GW120),
/// with the releases that have it, instead of as a misspelling.
fn other_release_field(o: &Object, store: &Store, channel: Channel, v: &mut Violation) {
    let value = if v.is(&schema::rules::UNKNOWN_FIELD) {
        None
    } else if v.is(&schema::rules::ENUM) {
        match o.json.pointer(&pointer(&v.path)) {
            Some(x) => Some(x),
            None => return,
        }
    } else {
        return;
    };
    let Some(kind) = store.kind(&o.group, &o.kind) else {
        return;
    };
    let steps = Step::path(&v.path);
    let avail = match value {
        None => kind.field_availability(&o.version, &steps),
        Some(x) => kind.value_availability(&o.version, &steps, x),
    };
    let Some(avail) = avail.filter(|a| a.anywhere()) else {
        return;
    };
    let release = release_of(store);
    let what = match value {
        None => format!("field `{}`", v.path.last_key().unwrap_or_default()),
        Some(x) => format!("value {x} of `{}`", v.path.last_key().unwrap_or_default()),
    };
    let Some(message) = avail.explain(&what, release, channel) else {
        return;
    };
    let other = match channel {
        Channel::Standard => Channel::Experimental,
        Channel::Experimental => Channel::Standard,
    };
    v.rule = if avail.has(release, other) {
        &schema::rules::CHANNEL_FIELD
    } else {
        &schema::rules::RELEASE_FIELD
    };
    v.message = message;
    v.fix = None;
}

/// GW040 for `o`, whose version is not served: by the store's Gateway API release in
/// `channel`, or by the CRD the kind comes from (which answers the same in every channel).
fn unserved(
    o: &Object,
    store: &Store,
    channel: Channel,
    served: &[String],
    note: Option<&str>,
) -> Diagnostic {
    let crd = crd_of(store, o);
    let crd = crd.as_deref();
    // A bundled kind that only other releases have.
    let kind_absent = crd.is_none()
        && store
            .kind(&o.group, &o.kind)
            .is_some_and(|k| k.versions.is_empty());
    let mut message = match crd {
        Some(crd) => format!(
            "{} {} is not served by CustomResourceDefinition {crd} ({})",
            o.kind,
            o.version,
            if served.is_empty() {
                "it serves no version".to_owned()
            } else {
                format!("it serves {}", served.join(", "))
            }
        ),
        None if kind_absent => {
            format!(
                "{} is not a kind of Gateway API {}",
                o.kind,
                release_of(store)
            )
        }
        None => {
            let served_text = if served.is_empty() {
                format!("the {channel} channel serves no version of it")
            } else {
                format!("the {channel} channel serves {}", served.join(", "))
            };
            format!(
                "{} {} is not served by Gateway API {} ({served_text})",
                o.kind,
                o.version,
                release_of(store)
            )
        }
    };
    if let Some(n) = note {
        message.push_str(&format!("; {n}"));
    }
    let release = release_of(store);
    let help = if migrates_to(o, release) {
        format!(
            "`gwctl migrate --to {}` rewrites the manifest to a version {release} serves, keeping comments and formatting",
            release.minor()
        )
    } else if kind_absent {
        "lint for the Gateway API release your cluster runs (`--gateway-api-version`), or install a release that has this kind"
            .to_owned()
    } else if let Some(v) = served.first() {
        format!("use a served version, such as `{}/{v}`", o.group)
    } else if let Some(crd) = crd {
        format!("mark a version `served: true` in CustomResourceDefinition {crd}")
    } else {
        "if your cluster installs the experimental CRDs, lint with `--channel experimental`"
            .to_owned()
    };
    let field = if kind_absent { "kind" } else { "apiVersion" };
    Diagnostic::new(&UNSERVED_VERSION, message)
        .at(o.file, o.span_of(&FieldPath::root().key(field), false))
        .object(Some(o.object_ref()))
        .field(field)
        .help(help)
}

fn unknown_kind(o: &Object, kinds: &[String]) -> Diagnostic {
    let close = kinds
        .iter()
        .find(|k| k.eq_ignore_ascii_case(&o.kind))
        .or_else(|| {
            kinds.iter().find(|k| {
                k.to_lowercase()
                    .starts_with(&o.kind.to_lowercase()[..o.kind.len().min(4)])
            })
        });
    let mut d = Diagnostic::new(
        &UNKNOWN_KIND,
        format!(
            "`{}` is not a kind of {}; its kinds are {}",
            o.kind,
            o.group,
            kinds.join(", ")
        ),
    )
    .at(o.file, o.span_of(&FieldPath::root().key("kind"), false))
    .object(Some(o.object_ref()))
    .field("kind");
    if let Some(k) = close {
        d = d.help(format!("did you mean `{k}`?"));
    }
    d
}

fn violation(o: &Object, v: &Violation) -> Diagnostic {
    // A field missing at the top of the object is reported at `kind`, not across the
    // whole object.
    let span = if v.path.is_root() {
        o.span_of(&FieldPath::root().key("kind"), true)
    } else {
        o.span_of(&v.path, v.on_key)
    };
    let mut d = Diagnostic::new(v.rule, v.message.clone())
        .at(o.file, span)
        .object(Some(o.object_ref()))
        .field(v.path.to_string());
    for (path, message) in &v.related {
        d = d.secondary(Label::new(o.file, o.span_of(path, true)).with_message(message.clone()));
    }
    d.fix = v.fix.as_ref().and_then(|s| fix(o, v, s)).map(Box::new);
    d
}

/// The edit that makes a violation's suggestion, at the value (or key) it is about; none
/// when that is not written in the object's own text (a default, a missing field).
fn fix(o: &Object, v: &Violation, suggestion: &Suggestion) -> Option<Fix> {
    let place = o.shape.locate(&v.path);
    // `span` is set only when the whole path exists in the text.
    let span = match (place.span, v.on_key) {
        (Some(_), true) => place.key_span?,
        (value, _) => value?,
    };
    if let Suggestion::RenameKey { to, .. } = suggestion {
        // A field written beside it already: the rename would make a duplicate key.
        let mut sibling = v.path.clone();
        sibling.pop();
        if o.shape.locate(&sibling.key(to.clone())).span.is_some() {
            return None;
        }
    }
    let (replacement, safe) = match suggestion {
        Suggestion::Quote => (Replacement::Quote, true),
        Suggestion::Unquote => (Replacement::Unquote, true),
        Suggestion::Value(to) => (Replacement::Scalar(to.as_str().into()), true),
        Suggestion::RenameKey { to, safe } => (Replacement::Scalar(to.as_str().into()), *safe),
    };
    Some(Fix {
        edits: vec![FixEdit { span, replacement }],
        safe,
    })
}
