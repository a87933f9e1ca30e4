//! The GatewayClass view. Today the checks ask only whether a class exists; what they come
//! to read of one (its controller, its parameters) is added here.

use crate::model::Object;

/// What is read of a GatewayClass: nothing yet beyond its identity, which the
/// [`View`](super::View) carries.
#[derive(Debug, Clone, Default)]
pub struct ClassData {}

impl ClassData {
    pub fn read(_object: &Object) -> Self {
        ClassData {}
    }
}
