//! Typed, lenient views of the objects the reference graph connects: the only way the
//! checks and the simulator read an object's content. Each kind's view is read once, from
//! the object's defaulted JSON, right after its schema checks; afterwards the JSON may be
//! cut down (lint keeps only what suppression reads), so whatever a check or the simulator
//! needs of an object must be a field of its view. A new kind or field is added here, once,
//! and every reader sees it.
//!
//! Every view keeps the [`FieldPath`] of what it was read from, so findings can point at
//! the exact field. Reading is lenient: a field of the wrong type is treated as absent (or,
//! where today's readers quote it, kept as written), because the schema pass has already
//! reported it.
//!
//! One file per kind: [`gateway`] (its Gateway-wide `spec.tls` in [`gateway_tls`]),
//! [`route`] (with its [`matches`] and [`filters`]),
//! [`service`], [`grant`], [`policy`], and the core kinds referenced from Gateway API objects
//! ([`secret`], [`configmap`], [`namespace`], [`class`] for GatewayClass); [`session`] is
//! shared by route rules and BackendLBPolicies; [`extended`] holds what route rules gained
//! after v1.1 (timeouts, retry, mirror shares, CORS); [`targeting`] keeps the Gateway API
//! targets of policies of any other kind.

mod class;
mod configmap;
mod extended;
mod filters;
mod gateway;
mod gateway_tls;
mod grant;
mod listenerset;
mod matches;
mod namespace;
mod policy;
mod route;
mod secret;
mod service;
mod session;
mod targeting;

pub use class::ClassData;
pub use configmap::ConfigMapData;
pub use extended::{Cors, MirrorShare, Retry, RetryConstraint, Timeouts};
pub use filters::{
    ExtensionRef, Filter, HeaderModifier, PathModifier, RequestMirror, RequestRedirect, UrlRewrite,
};
pub use gateway::{AllowedListeners, From, GatewayData, LabelSelector, Listener, ListenersFrom};
pub use gateway_tls::{GatewayTls, PerPortTls};
pub use grant::{GrantData, GrantFrom, GrantTo};
pub use listenerset::{ListenerSetData, X_GATEWAY_GROUP, is_listener_set_kind};
pub use matches::{GrpcMatch, GrpcMethodMatch, HttpMatch, Match, MatchType, PathMatch, ValueMatch};
pub use namespace::NamespaceData;
pub use policy::{PolicyData, SubjectAltName};
pub use route::{BackendRef, ParentRef, RouteData, RouteKind, Rule};
pub use secret::SecretData;
pub use service::ServiceData;
pub use session::SessionPersistence;
pub use targeting::TargetingData;

use serde_json::Value;

use crate::fieldpath::FieldPath;
use crate::model::{GATEWAY_GROUP, Object};

/// `v[key]` when it is a string.
fn s<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

/// `v[key]` when it is a string, owned and boxed (views keep many short strings).
fn boxed(v: &Value, key: &str) -> Option<Box<str>> {
    s(v, key).map(Box::from)
}

/// `v[key]` when it is an array; empty otherwise.
fn arr<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn int(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(Value::as_i64)
}

/// `metadata.creationTimestamp`, for "oldest wins" precedence between routes and between
/// policies.
fn created(object: &Object) -> Option<Box<str>> {
    object
        .json
        .pointer("/metadata/creationTimestamp")
        .and_then(Value::as_str)
        .map(Box::from)
}

/// What a view read from an object, together with the object (for its identity and for
/// the positions of findings). Fields of the data are reached through `Deref`.
#[derive(Debug, Clone)]
pub struct View<'a, T> {
    pub object: &'a Object,
    /// Boxed from the moment it is read, so that it is never copied again: lint holds
    /// every object's view from its file's reading to the reference pass, and moving
    /// views between the per-file lists, the run's list and the graph's lists would
    /// hold two copies of them all at the end of loading.
    pub data: Box<T>,
}

impl<T> std::ops::Deref for View<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.data
    }
}

pub type Gateway<'a> = View<'a, GatewayData>;
pub type ListenerSet<'a> = View<'a, ListenerSetData>;
pub type Route<'a> = View<'a, RouteData>;
pub type Service<'a> = View<'a, ServiceData>;
pub type Grant<'a> = View<'a, GrantData>;
pub type Policy<'a> = View<'a, PolicyData>;
pub type Secret<'a> = View<'a, SecretData>;
pub type ConfigMap<'a> = View<'a, ConfigMapData>;
pub type Namespace<'a> = View<'a, NamespaceData>;
pub type Class<'a> = View<'a, ClassData>;
pub type Targeting<'a> = View<'a, TargetingData>;

/// The view of one object, read before the graph is assembled: lint reads each object's
/// view right after the object is validated, so that the object's full JSON need not be
/// kept for the whole run.
#[derive(Debug, Clone)]
pub enum Prepared {
    Gateway(Box<GatewayData>),
    ListenerSet(Box<ListenerSetData>),
    Route(Box<RouteData>),
    Service(Box<ServiceData>),
    Grant(Box<GrantData>),
    Policy(Box<PolicyData>),
    Secret(Box<SecretData>),
    ConfigMap(Box<ConfigMapData>),
    Namespace(Box<NamespaceData>),
    Class(Box<ClassData>),
    /// A policy of a kind gwctl does not otherwise view, for its Gateway API targets.
    Targeting(Box<TargetingData>),
}

impl Prepared {
    /// The view of `object` (in `namespace`, its namespace once applied), if the graph has
    /// one for its kind.
    pub fn read(object: &Object, namespace: String) -> Option<Prepared> {
        Some(match (object.group.as_str(), object.kind.as_str()) {
            (GATEWAY_GROUP, "Gateway") => {
                Prepared::Gateway(Box::new(GatewayData::read(object, namespace)))
            }
            (group, kind) if is_listener_set_kind(group, kind) => {
                Prepared::ListenerSet(Box::new(ListenerSetData::read(object, namespace)))
            }
            (GATEWAY_GROUP, kind) if RouteKind::from_kind(kind).is_some() => {
                Prepared::Route(Box::new(RouteData::read(object, namespace)))
            }
            (GATEWAY_GROUP, "ReferenceGrant") => {
                Prepared::Grant(Box::new(GrantData::read(object, namespace)))
            }
            (GATEWAY_GROUP, "BackendTLSPolicy" | "BackendLBPolicy") => {
                Prepared::Policy(Box::new(PolicyData::read(object, namespace)))
            }
            // BackendLBPolicy's successor (v1.3+, experimental): same targets and session
            // persistence.
            (X_GATEWAY_GROUP, "XBackendTrafficPolicy") => {
                Prepared::Policy(Box::new(PolicyData::read(object, namespace)))
            }
            (GATEWAY_GROUP, "GatewayClass") => Prepared::Class(Box::new(ClassData::read(object))),
            ("", "Service") => Prepared::Service(Box::new(ServiceData::read(object))),
            ("", "Secret") => Prepared::Secret(Box::new(SecretData::read(object))),
            ("", "ConfigMap") => Prepared::ConfigMap(Box::new(ConfigMapData::read(object))),
            ("", "Namespace") => Prepared::Namespace(Box::new(NamespaceData::read(object))),
            (group, _) if !group.is_empty() => {
                Prepared::Targeting(Box::new(TargetingData::read(object, namespace)?))
            }
            _ => return None,
        })
    }
}

/// A reference to another object, with where it was written.
#[derive(Debug, Clone)]
pub struct ObjectRefAt {
    pub path: FieldPath,
    pub group: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// Whether `namespace` was written (rather than defaulted to the referrer's).
    pub explicit_namespace: bool,
}

impl ObjectRefAt {
    fn read(v: &Value, path: FieldPath, own_ns: &str, group: &str, kind: &str) -> Self {
        let explicit = s(v, "namespace").is_some();
        ObjectRefAt {
            path,
            group: s(v, "group").unwrap_or(group).to_owned(),
            kind: s(v, "kind").unwrap_or(kind).to_owned(),
            namespace: s(v, "namespace").unwrap_or(own_ns).to_owned(),
            name: s(v, "name").unwrap_or_default().to_owned(),
            explicit_namespace: explicit,
        }
    }
}

#[cfg(test)]
mod tests;
