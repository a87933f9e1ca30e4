//! What the target release says of an object once it is moved: whether it serves the
//! object's kind and version at all, which of the object's fields it no longer has (or does
//! not have yet), and whether it rejects a moved object that its old version accepted.
//!
//! Every answer comes from the bundled schemas of the releases ([`Store::for_release`] and
//! the availability of each field), never from a list kept here, so a new release is covered
//! once its schemas are bundled.

use serde_json::Value;

use crate::fieldpath::FieldPath;
use crate::schema::{self, Channel, Lookup, ObjectSchema, Release, Step, Store, Violation};

/// The schema `store`'s release serves `group/version, kind` with: the experimental
/// channel's when it serves the version (it has every field of the standard one), else the
/// standard channel's; `None` when neither channel serves it.
pub fn served<'s>(
    store: &'s Store,
    group: &str,
    version: &str,
    kind: &str,
) -> Option<&'s ObjectSchema> {
    [Channel::Experimental, Channel::Standard]
        .into_iter()
        .find_map(|c| match store.lookup(group, version, kind, c) {
            Lookup::Served(s) => Some(s),
            _ => None,
        })
}

/// Where a kind, version or field exists besides the target release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Elsewhere {
    /// Only releases before the target have it; the newest of them.
    Before(Release),
    /// A release after the target has it; the oldest of them.
    After(Release),
    /// No release gwctl knows has it (a misspelling, or another project's field).
    Nowhere,
}

/// Where `avail` says something is, seen from `release`.
fn elsewhere(avail: &schema::Availability, release: Release) -> Elsewhere {
    let at = |i: usize| {
        let r = Release::of_entry(i);
        avail.has(r, Channel::Standard) || avail.has(r, Channel::Experimental)
    };
    let n = crate::schema::release::entries().len();
    let target = release.entry_index();
    if let Some(i) = (target + 1..n).find(|&i| at(i)) {
        return Elsewhere::After(Release::of_entry(i));
    }
    match (0..target).rev().find(|&i| at(i)) {
        Some(i) => Elsewhere::Before(Release::of_entry(i)),
        None => Elsewhere::Nowhere,
    }
}

/// Where the kind's version is served, when `store`'s release does not serve it.
pub fn version_elsewhere(store: &Store, group: &str, version: &str, kind: &str) -> Elsewhere {
    let release = store.release().unwrap_or_default();
    let n = crate::schema::release::entries().len();
    let serves = |i: usize| {
        let s = Store::for_release(Release::of_entry(i));
        served(&s, group, version, kind).is_some()
    };
    let target = release.entry_index();
    if let Some(i) = (target + 1..n).find(|&i| serves(i)) {
        return Elsewhere::After(Release::of_entry(i));
    }
    match (0..target).rev().find(|&i| serves(i)) {
        Some(i) => Elsewhere::Before(Release::of_entry(i)),
        None => Elsewhere::Nowhere,
    }
}

/// A field of the object that the target release's schema does not have.
#[derive(Debug, Clone)]
pub struct Missing {
    pub path: FieldPath,
    pub elsewhere: Elsewhere,
}

/// The object's fields that `schema` (of `store`'s release) does not know, with where they
/// exist instead. Fields no release has are left to `lint` (GW101), as migrating does not
/// make them any worse.
pub fn missing_fields(store: &Store, schema: &ObjectSchema, object: &Value) -> Vec<Missing> {
    let mut copy = object.clone();
    let violations = schema::validate(schema, &mut copy);
    let Some(kind) = store.kind(&schema.group, &schema.kind) else {
        return Vec::new();
    };
    let release = store.release().unwrap_or_default();
    violations
        .into_iter()
        .filter(|v| v.is(&schema::rules::UNKNOWN_FIELD))
        .filter_map(|v| {
            let steps = Step::path(&v.path);
            let avail = kind.field_availability(&schema.version, &steps)?;
            match elsewhere(&avail, release) {
                Elsewhere::Nowhere => None,
                e => Some(Missing {
                    path: v.path.clone(),
                    elsewhere: e,
                }),
            }
        })
        .collect()
}

/// Schema and CEL findings of `object` under `schema`, without unknown fields (which
/// [`missing_fields`] answers).
pub fn violations(schema: &ObjectSchema, object: &Value) -> Vec<Violation> {
    let mut copy = object.clone();
    let mut found = schema::validate(schema, &mut copy);
    let cel = crate::cel::evaluate_after_schema(schema, &copy, None, &found);
    found.extend(cel);
    found.retain(|v| {
        !v.is(&schema::rules::UNKNOWN_FIELD) && !v.is(&crate::cel::rules::RULES_NOT_CHECKED)
    });
    found
}

/// The findings the moved object has under its new schema that the object did not have
/// under its old one: what the move would break.
pub fn new_violations(
    old_schema: &ObjectSchema,
    old: &Value,
    new_schema: &ObjectSchema,
    new: &Value,
) -> Vec<Violation> {
    let before: Vec<(&str, String)> = violations(old_schema, old)
        .iter()
        .map(|v| (v.code(), v.path.to_string()))
        .collect();
    violations(new_schema, new)
        .into_iter()
        .filter(|v| !before.contains(&(v.code(), v.path.to_string())))
        .collect()
}
