//! Scale of `gwctl graph`'s drawing: the picture built from the reference graph, its
//! layered layout, and the SVG written, at 200 and 1,000 routes (the issue's "readable at
//! 200 routes", and five times that to show how it grows). Loading and the lint passes are
//! measured elsewhere (`refs`, `lint`).
//!
//! Run with `cargo bench --bench graph`.

// The allocator the gwctl binary ships with, so that the numbers are the binary's.
gwctl::use_jemalloc!();

use std::fmt::Write as _;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gwctl::graph::Graph;
use gwctl::load::{self, Input, Options};
use gwctl::picture::{Picture, layout};

/// `routes` HTTPRoutes over 10 Gateways with two listeners each, in 20 namespaces; each
/// route with two rules, one to its own Service and one split over two shared ones.
fn corpus(routes: usize) -> String {
    let mut s = String::new();
    for g in 0..10 {
        writeln!(
            s,
            "---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {{name: gw-{g}, namespace: infra}}\nspec:\n  gatewayClassName: example\n  listeners:\n  - {{name: http, protocol: HTTP, port: 80, allowedRoutes: {{namespaces: {{from: All}}}}}}\n  - {{name: https, protocol: HTTPS, port: 443, hostname: \"*.example.com\", allowedRoutes: {{namespaces: {{from: All}}}}, tls: {{certificateRefs: [{{name: cert}}]}}}}"
        )
        .unwrap();
    }
    for r in 0..routes {
        let ns = format!("team-{}", r % 20);
        writeln!(
            s,
            "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: route-{r}, namespace: {ns}}}\nspec:\n  parentRefs: [{{name: gw-{}, namespace: infra}}]\n  hostnames: [app-{r}.example.com]\n  rules:\n  - matches: [{{path: {{type: PathPrefix, value: /api}}}}]\n    backendRefs: [{{name: svc-{r}, port: 80}}]\n  - backendRefs: [{{name: shared-a, port: 80, weight: 90}}, {{name: shared-b, port: 80, weight: 10}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: svc-{r}, namespace: {ns}}}\nspec: {{ports: [{{port: 80}}]}}",
            r % 10
        )
        .unwrap();
    }
    s
}

fn drawing(c: &mut Criterion) {
    let mut group = c.benchmark_group("graph");
    group.sample_size(10);
    for routes in [200usize, 1_000] {
        let text = corpus(routes);
        let loaded = load::load(&[Input::Stdin], &Options::default(), &mut text.as_bytes());
        let graph = Graph::build(&loaded.inventory);
        let picture = Picture::build(&graph);
        group.throughput(Throughput::Elements(routes as u64));
        group.bench_with_input(BenchmarkId::new("picture", routes), &graph, |b, g| {
            b.iter(|| Picture::build(g))
        });
        group.bench_with_input(BenchmarkId::new("layout", routes), &picture, |b, p| {
            b.iter(|| layout::layout(p))
        });
        group.bench_with_input(BenchmarkId::new("svg", routes), &picture, |b, p| {
            b.iter(|| {
                let mut out = Vec::with_capacity(1 << 20);
                gwctl::render::graph::svg(p, &mut out).unwrap();
                out
            })
        });
    }
    group.finish();
}

criterion_group!(benches, drawing);
criterion_main!(benches);
