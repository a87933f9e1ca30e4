//! Session persistence settings (GEP-1619), as a route rule or a BackendLBPolicy writes
//! them. Read leniently from whatever was written: the simulator applies gwctl's defaults
//! for what is absent or of the wrong type.

use serde_json::Value;

use super::boxed;

/// `sessionPersistence` of a route rule or a BackendLBPolicy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionPersistence {
    /// Whether it was written as an object: a route rule's setting of another type is not
    /// applied by the simulator (a policy's is, with every default).
    pub is_object: bool,
    /// `type` (`Cookie` or `Header`).
    pub kind: Option<Box<str>>,
    pub session_name: Option<Box<str>>,
    /// `cookieConfig.lifetimeType`.
    pub lifetime_type: Option<Box<str>>,
    pub idle_timeout: Option<Box<str>>,
    pub absolute_timeout: Option<Box<str>>,
}

impl SessionPersistence {
    pub fn read(v: &Value) -> Self {
        SessionPersistence {
            is_object: v.is_object(),
            kind: boxed(v, "type"),
            session_name: boxed(v, "sessionName"),
            lifetime_type: v
                .pointer("/cookieConfig/lifetimeType")
                .and_then(Value::as_str)
                .map(Box::from),
            idle_timeout: boxed(v, "idleTimeout"),
            absolute_timeout: boxed(v, "absoluteTimeout"),
        }
    }
}
