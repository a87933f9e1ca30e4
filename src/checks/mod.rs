//! The checks that run over loaded objects, in the API server's order: schema defaults and
//! structure first, then the passes that need defaulted objects.

pub mod cluster;
pub mod kubernetes;
pub mod refs;
pub mod schema;
