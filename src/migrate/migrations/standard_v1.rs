//! GatewayClass, Gateway and HTTPRoute `v1beta1` → `v1`, only with `--to-v1`. v1.1 stores
//! them as v1 but still serves v1beta1 without deprecation, and every version of each CRD
//! has the same schema, so the move is an `apiVersion` change that users opt into.

use super::Migration;

const FROM: &str = "gateway.networking.k8s.io/v1beta1";
const TO: &[&str] = &["gateway.networking.k8s.io/v1"];

pub static GATEWAY_CLASS: Migration = Migration {
    kind: "GatewayClass",
    from: FROM,
    to_kind: None,
    to: TO,
    opt_in: true,
    rewrite: None,
    convert: None,
};

pub static GATEWAY: Migration = Migration {
    kind: "Gateway",
    from: FROM,
    to_kind: None,
    to: TO,
    opt_in: true,
    rewrite: None,
    convert: None,
};

pub static HTTP_ROUTE: Migration = Migration {
    kind: "HTTPRoute",
    from: FROM,
    to_kind: None,
    to: TO,
    opt_in: true,
    rewrite: None,
    convert: None,
};
