//! Scale of the cross-object analysis: routes over 1,000 Gateways at two sizes, so that the
//! growth from one to the other shows whether any pass is quadratic. Measures building the
//! reference graph and running every reference, precedence and policy rule on objects that
//! are already loaded and validated.
//!
//! Run with `cargo bench --bench refs`.

// The allocator the gwctl binary ships with, so that the numbers are the binary's.
gwctl::use_jemalloc!();

use std::fmt::Write as _;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gwctl::graph::Graph;
use gwctl::load::{self, Input, Options};
use gwctl::schema::{Channel, Store};

const GATEWAYS: usize = 1_000;

/// `routes` HTTPRoutes spread over 1,000 Gateways in 100 namespaces, each route with two
/// rules (one a cross-namespace backend with its ReferenceGrant), plus their Services.
fn corpus(routes: usize) -> String {
    let mut s = String::new();
    for g in 0..GATEWAYS {
        let ns = format!("team-{}", g % 100);
        writeln!(
            s,
            "---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {{name: gw-{g}, namespace: {ns}}}\nspec:\n  gatewayClassName: example\n  listeners:\n  - {{name: http, protocol: HTTP, port: 80, allowedRoutes: {{namespaces: {{from: All}}}}}}\n  - {{name: https, protocol: HTTPS, port: 443, hostname: \"*.example.com\", tls: {{certificateRefs: [{{name: cert}}]}}}}"
        )
        .unwrap();
    }
    for n in 0..100 {
        writeln!(
            s,
            "---\napiVersion: v1\nkind: Service\nmetadata: {{name: shared, namespace: backend-{n}}}\nspec: {{ports: [{{port: 80}}]}}\n---\napiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {{name: routes, namespace: backend-{n}}}\nspec:\n  from: [{{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: team-{n}}}]\n  to: [{{group: \"\", kind: Service}}]"
        )
        .unwrap();
    }
    for r in 0..routes {
        let g = r % GATEWAYS;
        let ns = format!("team-{}", g % 100);
        writeln!(
            s,
            "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: route-{r}, namespace: {ns}}}\nspec:\n  parentRefs: [{{name: gw-{g}}}]\n  hostnames: [app-{r}.example.com]\n  rules:\n  - matches: [{{path: {{type: PathPrefix, value: /api}}}}]\n    backendRefs: [{{name: svc-{r}, port: 80}}]\n  - backendRefs: [{{name: shared, namespace: backend-{}, port: 80}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: svc-{r}, namespace: {ns}}}\nspec: {{ports: [{{port: 80}}]}}",
            g % 100
        )
        .unwrap();
    }
    s
}

fn refs_scale(c: &mut Criterion) {
    let store = Store::bundled();
    let mut group = c.benchmark_group("refs");
    group.sample_size(10);
    for routes in [10_000usize, 100_000] {
        let text = corpus(routes);
        // The corpus is one stream far past the default input limits, on purpose.
        let opts = Options {
            max_file_size: u64::MAX / 2,
            max_total_size: u64::MAX / 2,
            max_objects: usize::MAX,
            ..Default::default()
        };
        let loaded = load::load(&[Input::Stdin], &opts, &mut text.as_bytes());
        assert!(
            loaded.diagnostics.is_empty(),
            "{:?}",
            &loaded.diagnostics[..1]
        );
        group.throughput(Throughput::Elements(routes as u64));
        group.bench_with_input(
            BenchmarkId::new("routes-over-1000-gateways", routes),
            &loaded,
            |b, loaded| {
                b.iter(|| {
                    let graph = Graph::build(&loaded.inventory);
                    let found =
                        gwctl::checks::refs::check(&graph, &store, Channel::Standard, false, 0);
                    // Only the GatewayClass and certificate Secret are missing from the corpus.
                    assert!(
                        found.iter().all(|d| matches!(d.code(), "GW315" | "GW316")),
                        "{:?}",
                        found
                            .iter()
                            .find(|d| !matches!(d.code(), "GW315" | "GW316"))
                    );
                    found.len()
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, refs_scale);
criterion_main!(benches);
