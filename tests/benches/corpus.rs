//! A generated corpus of realistic Gateway API manifests for the benchmarks: per tenant one
//! Namespace, a Gateway with HTTP and HTTPS listeners and its certificate Secret, HTTPRoutes
//! with several rules and filters, a GRPCRoute, Services and a ReferenceGrant; twelve objects
//! per tenant, twenty tenants per file, and the GatewayClass they share. Every reference
//! resolves, so a lint of it has no finding and measures the checks, not the reporting.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub fn tenant(i: usize) -> String {
    let mut s = String::new();
    let ns = format!("tenant-{i}");
    write!(
        s,
        "apiVersion: v1
kind: Namespace
metadata:
  name: {ns}
  labels:
    gateway-access: \"true\"
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: {ns}
spec:
  gatewayClassName: example
  listeners:
  - name: http
    protocol: HTTP
    port: 80
    hostname: \"*.{ns}.example.com\"
    allowedRoutes:
      namespaces:
        from: Same
  - name: https
    protocol: HTTPS
    port: 443
    hostname: \"*.{ns}.example.com\"
    tls:
      mode: Terminate
      certificateRefs:
      - kind: Secret
        name: edge-cert
---
"
    )
    .unwrap();
    for r in 0..4 {
        write!(
            s,
            "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: route-{r}
  namespace: {ns}
  labels:
    app: shop
spec:
  parentRefs:
  - name: edge
    sectionName: https
  hostnames:
  - app{r}.{ns}.example.com
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /api/v{r}
      headers:
      - name: x-canary
        value: \"true\"
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set:
        - name: x-tenant
          value: {ns}
    backendRefs:
    - name: api
      port: 8080
      weight: 90
    - name: api-canary
      port: 8080
      weight: 10
  - matches:
    - path:
        type: Exact
        value: /healthz
    backendRefs:
    - name: api
      port: 8080
---
"
        )
        .unwrap();
    }
    write!(
        s,
        "apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata:
  name: grpc
  namespace: {ns}
spec:
  parentRefs:
  - name: edge
  rules:
  - matches:
    - method:
        service: shop.v1.Cart
        method: Add
    backendRefs:
    - name: cart
      port: 9000
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: {ns}
spec:
  selector:
    app: api
  ports:
  - name: http
    port: 8080
    targetPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: api-canary
  namespace: {ns}
spec:
  ports:
  - port: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: {ns}
spec:
  ports:
  - name: grpc
    port: 9000
---
apiVersion: v1
kind: Secret
metadata:
  name: edge-cert
  namespace: {ns}
type: kubernetes.io/tls
data:
  tls.crt: Y2VydA==
  tls.key: a2V5
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: from-edge
  namespace: {ns}
spec:
  from:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    namespace: {ns}
  to:
  - group: \"\"
    kind: Service
---
"
    )
    .unwrap();
    s
}

/// Objects per tenant, for throughput numbers.
pub const OBJECTS_PER_TENANT: usize = 12;

/// Objects the tenants share (the GatewayClass), written once per corpus.
pub const SHARED_OBJECTS: usize = 1;

/// Write `tenants` tenants into `dir`, twenty per file; returns the folder.
pub fn write_corpus(dir: &Path, tenants: usize) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("class.yaml"),
        "apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: example
spec:
  controllerName: example.com/gateway
",
    )
    .unwrap();
    for file in 0..tenants.div_ceil(20) {
        let mut text = String::new();
        for t in file * 20..((file + 1) * 20).min(tenants) {
            text.push_str(&tenant(t));
        }
        std::fs::write(dir.join(format!("tenants-{file:04}.yaml")), text).unwrap();
    }
    dir.to_path_buf()
}
