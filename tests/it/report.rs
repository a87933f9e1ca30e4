//! The HTML report (`lint --output html=PATH`, `graph -o html`): self-contained, escaped,
//! snapshotted for the example; and tested in a real headless Chromium
//! ([`common::browser`]): readable with scripts off, no console errors, one row per finding
//! of the JSON output, a click
//! on a node filters the findings to it, the filters by severity and rule work, and a
//! screenshot is written to the target folder. A report of 10,000 findings is measured.

use std::path::Path;
use std::time::Instant;

use serde_json::Value;

use crate::common;

use common::{browser, fixtures, gwctl, snapshot_settings, stderr, stdout};

/// Lint `args` in tests/fixtures with the JSON on stdout and the HTML report written to
/// `html`; the JSON's findings.
fn lint_with_report(args: &[&str], html: &Path) -> Vec<Value> {
    let o = gwctl()
        .current_dir(fixtures())
        .args(["lint", "-o", "json"])
        .arg(format!("--output=html={}", html.display()))
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.code().is_some_and(|c| c < 2), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    v["diagnostics"].as_array().unwrap().clone()
}

#[test]
fn the_report_is_one_self_contained_file() {
    let tmp = tempfile::tempdir().unwrap();
    let html = tmp.path().join("report.html");
    let findings = lint_with_report(&["graph/platform.yaml"], &html);
    let page = std::fs::read_to_string(&html).unwrap();
    // Nothing is loaded from elsewhere: no links, sources, imports or remote URLs (the
    // SVG's namespace is a name, not a load).
    for needle in [
        "<link",
        " src=",
        "@import",
        "url(http",
        "href=\"http",
        "fetch(",
        "XMLHttpRequest",
    ] {
        assert!(!page.contains(needle), "{needle} in the report");
    }
    assert!(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"gw-graph\""));
    // One row per finding, in the page as written (so without JavaScript too).
    assert_eq!(
        page.matches("<div class=\"finding ").count(),
        findings.len()
    );
    assert!(page.contains("checked 1 file, 24 objects: 3 errors, 3 warnings, 0 infos"));
}

#[test]
fn the_example_report_is_snapshotted() {
    let o = gwctl()
        .current_dir(fixtures())
        .args(["lint", "--output", "html=-", "example/gateway.yaml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let page = stdout(&o);
    // The inline style sheet and script are the same in every report; the snapshot holds
    // what the run put in the page.
    let start = page.find("<style>").unwrap();
    let end = page.find("</style>").unwrap();
    let page = format!("{}<style>…</style>{}", &page[..start], &page[end + 8..]);
    let start = page.rfind("<script>").unwrap();
    let page = format!("{}<script>…</script>\n</body>\n</html>\n", &page[..start]);
    snapshot_settings("report").bind(|| insta::assert_snapshot!("example.html", page));
}

#[test]
fn user_text_is_escaped() {
    // A listener hostname and a rule name that carry markup: the schema findings quote them.
    let yaml = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: a}\n\
spec:\n  parentRefs: [{name: gw}]\n  hostnames: [\"<img src=x onerror=alert(1)>\"]\n  rules:\n  - name: \"</script><script>alert(2)</script>\"\n";
    for args in [
        vec!["lint", "--output", "html=-", "-"],
        vec!["graph", "-o", "html", "-"],
    ] {
        let o = gwctl().args(&args).write_stdin(yaml).output().unwrap();
        let page = stdout(&o);
        assert!(page.contains("<!doctype html>"), "{args:?}: {}", stderr(&o));
        assert!(!page.contains("<img src=x"), "{args:?}");
        assert!(!page.contains("<script>alert(2)"), "{args:?}");
        assert!(
            page.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{args:?}"
        );
    }
}

/// Findings shown (not hidden by a filter), counted in the page.
const VISIBLE: &str =
    "[...document.querySelectorAll('.finding')].filter(e => e.offsetParent !== null).length";

/// Scroll node `n` of the picture into view; the centre of its box.
fn node_centre(b: &mut browser::Browser, n: usize) -> (f64, f64) {
    let v = b.eval(&format!(
        "(() => {{ const g = document.querySelector('.gw-node[data-node=\"{n}\"]'); \
         g.scrollIntoView({{block: 'center', inline: 'center'}}); \
         const r = g.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()"
    ));
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

#[test]
fn the_report_works_in_a_browser() {
    let Some(exe) = browser::find() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let html = tmp.path().join("report.html");
    let findings = lint_with_report(&["graph/platform.yaml"], &html);
    // The node to click, from the same picture as JSON: the route with the most findings.
    let o = gwctl()
        .current_dir(fixtures())
        .args(["graph", "-o", "json", "graph/platform.yaml"])
        .output()
        .unwrap();
    let picture: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let nodes = picture["nodes"].as_array().unwrap();
    let (n, node) = nodes
        .iter()
        .enumerate()
        .max_by_key(|(i, n)| (n["findings"].as_u64(), std::cmp::Reverse(*i)))
        .unwrap();
    let mine = node["findings"].as_u64().unwrap();
    assert!(mine >= 1 && (mine as usize) < findings.len());

    let mut b = browser::Browser::start(&exe, 1400, 1000);
    // Without JavaScript the page reads whole: every finding and the picture shown, and
    // no filter controls that could not work.
    b.call(
        "Emulation.setScriptExecutionDisabled",
        serde_json::json!({"value": true}),
    );
    b.open(&format!("file://{}", html.display()));
    assert_eq!(b.eval(VISIBLE), findings.len());
    assert_eq!(
        b.eval("document.querySelector('.gw-graph').getBoundingClientRect().height > 100"),
        true
    );
    assert_eq!(
        b.eval("document.getElementById('gw-controls').offsetParent === null"),
        true
    );
    b.call(
        "Emulation.setScriptExecutionDisabled",
        serde_json::json!({"value": false}),
    );
    b.open(&format!("file://{}", html.display()));
    assert_eq!(
        b.eval("document.getElementById('gw-controls').offsetParent !== null"),
        true
    );
    assert_eq!(
        b.eval("document.querySelectorAll('.finding').length"),
        findings.len()
    );
    assert_eq!(b.eval(VISIBLE), findings.len());
    assert_eq!(
        b.eval("document.getElementById('gw-count').textContent"),
        format!("{0} of {0} findings shown", findings.len())
    );

    // A click on the node shows only its findings, and where it is written.
    let (x, y) = node_centre(&mut b, n);
    b.click(x, y);
    assert_eq!(b.eval(VISIBLE), mine);
    assert_eq!(
        b.eval(&format!(
            "[...document.querySelectorAll('.finding')].filter(e => e.offsetParent !== null && e.dataset.node !== '{n}').length"
        )),
        0
    );
    let info = b.eval("document.getElementById('gw-node-info').innerText");
    let info = info.as_str().unwrap();
    assert!(info.contains("written at graph/platform.yaml:"), "{info}");
    assert!(info.contains(node["label"].as_str().unwrap()), "{info}");
    let png = b.screenshot();
    assert!(png.starts_with(b"\x89PNG"));
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gwctl-report.png");
    std::fs::write(&shot, &png).unwrap();
    eprintln!("screenshot: {}", shot.display());

    // "show all", then the severity and rule filters.
    b.eval("document.getElementById('gw-clear').click()");
    assert_eq!(b.eval(VISIBLE), findings.len());
    b.eval("document.querySelector('input[name=sev][value=error]').click()");
    let not_errors = findings.iter().filter(|f| f["severity"] != "error").count();
    assert_eq!(b.eval(VISIBLE), not_errors);
    b.eval("document.getElementById('gw-clear').click()");
    let code = findings[0]["code"].as_str().unwrap();
    b.eval(&format!(
        "(() => {{ const s = document.getElementById('gw-rule'); s.value = '{code}'; \
         s.dispatchEvent(new Event('change', {{bubbles: true}})); }})()"
    ));
    let of_rule = findings.iter().filter(|f| f["code"] == code).count();
    assert_eq!(b.eval(VISIBLE), of_rule);
    // Groups left empty by a filter are hidden too.
    assert_eq!(
        b.eval("[...document.querySelectorAll('.rule-group')].filter(e => e.offsetParent !== null).length"),
        1
    );
    let errors = b.errors();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

/// `count` routes on one Gateway, each with one rule of ten backendRefs to a Service that
/// is not in the inputs: ten warnings a route.
fn many_findings(routes: usize) -> String {
    let mut y = String::from(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: infra}\n\
spec:\n  gatewayClassName: c\n  listeners: [{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}]\n",
    );
    for i in 0..routes {
        y.push_str(&format!(
            "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: r{i}, namespace: ns{}}}\n\
spec:\n  parentRefs: [{{name: gw, namespace: infra}}]\n  hostnames: [r{i}.example.com]\n  rules:\n  - backendRefs:\n",
            i % 20
        ));
        for k in 0..10 {
            y.push_str(&format!("    - {{name: svc{k}, port: 80}}\n"));
        }
    }
    y
}

#[test]
fn a_report_of_ten_thousand_findings_stays_usable() {
    let Some(exe) = browser::find() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("many.yaml");
    std::fs::write(&input, many_findings(1000)).unwrap();
    let html = tmp.path().join("report.html");
    let started = Instant::now();
    let findings = lint_with_report(&[input.to_str().unwrap()], &html);
    let lint = started.elapsed();
    assert!(findings.len() >= 10_000, "{}", findings.len());
    let size = std::fs::metadata(&html).unwrap().len();

    let mut b = browser::Browser::start(&exe, 1400, 1000);
    let started = Instant::now();
    b.open(&format!("file://{}", html.display()));
    let load = started.elapsed();
    assert_eq!(
        b.eval("document.querySelectorAll('.finding').length"),
        findings.len()
    );
    // A click through the page's own handler, with the style recalculation and layout it
    // causes, timed in the page.
    let click_ms = b.eval(
        "(() => { const t = performance.now(); \
         document.querySelector('.gw-node.rule').dispatchEvent(new MouseEvent('click', {bubbles: true})); \
         void document.body.offsetHeight; return performance.now() - t; })()",
    );
    assert_eq!(b.eval(VISIBLE), 10);
    let filter_ms = b.eval(
        "(() => { const t = performance.now(); document.getElementById('gw-clear').click(); \
         document.querySelector('input[name=sev][value=warning]').click(); \
         void document.body.offsetHeight; return performance.now() - t; })()",
    );
    let click_ms = click_ms.as_f64().unwrap();
    let filter_ms = filter_ms.as_f64().unwrap();
    eprintln!(
        "{} findings: lint with the report {lint:.2?}, report {:.1} MB, page load {load:.2?}, \
         node click {click_ms:.0} ms, severity filter {filter_ms:.0} ms",
        findings.len(),
        size as f64 / 1e6
    );
    // Generous bounds, for a busy 2-core machine: what is checked is that a click does not
    // grow with the findings' DOM.
    assert!(
        click_ms < 3000.0 && filter_ms < 3000.0,
        "{click_ms} {filter_ms}"
    );
    let errors = b.errors();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}
