//! `gwctl features` and `gwctl implementations`, run as users run them: the human and JSON
//! outputs snapshotted over tests/fixtures/features/, exit codes and bad inputs.

use crate::common;

use common::{fixtures, gwctl, snapshot_settings, stderr, stdout};

fn features_dir() -> std::path::PathBuf {
    fixtures().join("features")
}

#[test]
fn features_human_and_json() {
    let settings = snapshot_settings("features");
    settings.bind(|| {
        let human = gwctl()
            .current_dir(features_dir())
            .args(["features", "shop.yaml"])
            .output()
            .unwrap();
        assert_eq!(human.status.code(), Some(0), "{}", stderr(&human));
        insta::assert_snapshot!("features_shop_human", stdout(&human));
        let json = gwctl()
            .current_dir(features_dir())
            .args(["features", "-o", "json", "shop.yaml"])
            .output()
            .unwrap();
        assert_eq!(json.status.code(), Some(0));
        let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        insta::assert_json_snapshot!("features_shop_json", v);
    });
}

#[test]
fn features_of_an_older_release_say_what_it_does_not_name() {
    // HTTPRoute308RedirectStatusCode is a feature from v1.5 on; at v1.4 no report can list it.
    let out = gwctl()
        .current_dir(features_dir())
        .args(["features", "--gateway-api-version", "v1.4", "shop.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains("HTTPRoute308RedirectStatusCode")
            && text.contains("not a conformance feature of v1.4.1"),
        "{text}"
    );
}

#[test]
fn features_of_nothing_and_of_bad_input() {
    let out = gwctl()
        .args(["features", "-"])
        .write_stdin("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "no object needs a conformance feature of Gateway API v1.6.1\n"
    );
    let out = gwctl()
        .args(["features", "no-such-file.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no-such-file.yaml"),
        "{}",
        stderr(&out)
    );
    // YAML that cannot be read is left out, and said so; the rest is still reported.
    let out = gwctl()
        .args(["features", "-"])
        .write_stdin("a: [\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n  rules:\n  - matches:\n    - method: GET\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("HTTPRouteMethodMatching"));
    assert!(
        stderr(&out).contains("run `gwctl lint`"),
        "{}",
        stderr(&out)
    );
}
