//! Scale of `gwctl test`: routing cases over HTTPRoutes, with the routing graph built once
//! per run and shared by every case. The target is 10,000 cases over 1,000
//! HTTPRoutes in under a second of CPU; the two series show how the time grows with the
//! cases (routes fixed at 1,000) and with the routes (cases fixed at 1,000). Each iteration
//! is what `gwctl test` does after reading its inputs: parse the test file, build the graph,
//! run every case and check its expectations.
//!
//! Run with `cargo bench --bench routetest`.

// The allocator the gwctl binary ships with, so that the numbers are the binary's.
gwctl::use_jemalloc!();

use std::fmt::Write as _;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gwctl::graph::Graph;
use gwctl::load::{self, Input, Options};
use gwctl::routetest::{self, Runner, Settings};
use gwctl::source::FileId;

/// One Gateway with 10 listeners on port 80 (one per `zone-N` wildcard), and `routes`
/// HTTPRoutes in 10 namespaces, each with its host, a weighted /api rule over two Services
/// and a default rule.
fn manifests(routes: usize) -> String {
    let mut s = String::from(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: infra}\nspec:\n  gatewayClassName: example\n  listeners:\n",
    );
    for z in 0..10 {
        writeln!(
            s,
            "  - {{name: zone-{z}, port: 80, protocol: HTTP, hostname: \"*.zone-{z}.example.com\", allowedRoutes: {{namespaces: {{from: All}}}}}}"
        )
        .unwrap();
    }
    for r in 0..routes {
        let ns = format!("team-{}", r % 10);
        writeln!(
            s,
            "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: route-{r}, namespace: {ns}}}\nspec:\n  parentRefs: [{{name: gw, namespace: infra}}]\n  hostnames: [app-{r}.zone-{}.example.com]\n  rules:\n  - name: api\n    matches: [{{path: {{type: PathPrefix, value: /api}}}}]\n    backendRefs: [{{name: api-{r}, port: 80, weight: 90}}, {{name: canary-{r}, port: 80, weight: 10}}]\n  - matches: [{{path: {{type: PathPrefix, value: /}}}}]\n    backendRefs: [{{name: web-{r}, port: 80}}]",
            r % 10
        )
        .unwrap();
    }
    s
}

/// `cases` cases spread over the routes, half to /api (expecting the 90/10 split), half to
/// the default rule.
fn test_file(cases: usize, routes: usize) -> String {
    let mut s = String::from("cases:\n");
    for c in 0..cases {
        let r = c % routes;
        let host = format!("app-{r}.zone-{}.example.com", r % 10);
        if c % 2 == 0 {
            writeln!(
                s,
                "  - name: case {c}\n    request: {{url: http://{host}/api/items}}\n    expect:\n      outcome: routed\n      route: {{namespace: team-{}, name: route-{r}}}\n      rule: api\n      backends: [{{name: api-{r}, share: 90}}, {{name: canary-{r}, share: 10}}]",
                r % 10
            )
            .unwrap();
        } else {
            writeln!(
                s,
                "  - name: case {c}\n    request: {{url: http://{host}/}}\n    expect: {{status: 200, rule: 1, backends: [{{name: web-{r}}}]}}"
            )
            .unwrap();
        }
    }
    s
}

fn run(loaded: &load::Loaded, tests: &str) -> usize {
    let file = routetest::file::parse(FileId(0), tests);
    let graph = Graph::build(&loaded.inventory);
    let runner = Runner::new(
        &graph,
        Settings {
            namespace: "default".into(),
            ..Default::default()
        },
        Vec::new(),
    );
    let word = gwctl::render::trace::step_message;
    file.cases
        .iter()
        .filter(|c| runner.run(file.file, c, &word).failed())
        .count()
}

fn scale(c: &mut Criterion) {
    let opts = Options {
        max_file_size: u64::MAX / 2,
        max_total_size: u64::MAX / 2,
        max_objects: usize::MAX,
        ..Default::default()
    };
    let mut group = c.benchmark_group("test");
    group.sample_size(10);
    let series = [
        (
            "cases-over-1000-routes",
            [(1_000, 1_000), (10_000, 1_000)].as_slice(),
        ),
        (
            "routes-under-1000-cases",
            [(1_000, 100), (1_000, 10_000)].as_slice(),
        ),
    ];
    for (name, points) in series {
        for &(cases, routes) in points {
            let text = manifests(routes);
            let loaded = load::load(&[Input::Stdin], &opts, &mut text.as_bytes());
            let tests = test_file(cases, routes);
            assert_eq!(run(&loaded, &tests), 0, "every case passes");
            group.throughput(Throughput::Elements(cases as u64));
            let param = if name.starts_with("cases") {
                cases
            } else {
                routes
            };
            group.bench_with_input(BenchmarkId::new(name, param), &tests, |b, tests| {
                b.iter(|| run(&loaded, tests))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, scale);
criterion_main!(benches);
