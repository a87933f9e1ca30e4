//! A fake Kubernetes API server for the `--cluster` tests: plain HTTP on an ephemeral
//! 127.0.0.1 port, serving the paths gwctl reads with responses in the real API formats
//! (discovery documents, lists paginated with `limit` and `metadata.continue`, `Status`
//! objects for errors, CRDs). One thread per connection; each connection answers one request
//! and closes, which the client handles like any server that does not keep connections.
//!
//! `/version` answers as a Kubernetes 1.35 API server does, or with what a test sets.
//!
//! It misbehaves where a test asks: a path answers 401/403/404/410, or answers slowly. Secret
//! lists always carry `data` and a `last-applied-configuration` annotation holding the secret
//! value, whatever the client asked for, so a test can show gwctl never keeps them.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

pub const GW: &str = "gateway.networking.k8s.io";
/// Planted in every Secret the server sends; must appear in no output.
pub const SECRET_VALUE: &str = "hunter2-TOP-SECRET-VALUE";

/// What the fake server serves. Shared with the server thread; tests set it up before
/// running gwctl.
#[derive(Default)]
pub struct State {
    /// Objects by list path (`/apis/GROUP/VERSION/namespaces/NS/PLURAL`), in list order.
    pub lists: BTreeMap<String, Vec<Value>>,
    /// Single objects by path (`.../configmaps/NAME`, CRDs).
    pub objects: BTreeMap<String, Value>,
    /// Paths (without query) that answer with this status code and a `Status` body.
    pub fail: BTreeMap<String, u16>,
    /// Every request answers 401 (expired credentials).
    pub unauthorized: bool,
    /// Every request waits this long before answering.
    pub delay: Option<Duration>,
    /// Lists answer 410 Gone to every request that carries a `continue` token.
    pub expire_continue: bool,
    /// The most items the server puts in one page, whatever `limit` asks (the API server may
    /// also return fewer items than asked).
    pub page_cap: Option<usize>,
    /// Gateway API versions served, preferred first; empty: the group is not installed.
    pub versions: Vec<&'static str>,
    /// What `GET /version` answers (a `version.Info`); `null` answers 404.
    pub kubernetes: Value,
    /// Requests received, as `METHOD path?query`.
    pub log: Vec<String>,
}

pub struct FakeApi {
    pub state: Arc<Mutex<State>>,
    pub port: u16,
}

impl FakeApi {
    /// A server for a cluster that installs Gateway API v1 and v1beta1.
    pub fn start() -> FakeApi {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            versions: vec!["v1", "v1beta1"],
            kubernetes: version_info("1", "35", "v1.35.2"),
            ..Default::default()
        }));
        let shared = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let state = shared.clone();
                std::thread::spawn(move || {
                    let _ = serve(conn, &state);
                });
            }
        });
        FakeApi { state, port }
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }

    /// Add an object to the list it belongs to (namespaced unless it has no namespace).
    pub fn add(&self, plural: &str, obj: Value) {
        let api_version = obj["apiVersion"].as_str().unwrap().to_owned();
        let prefix = if api_version.contains('/') {
            format!("/apis/{api_version}")
        } else {
            format!("/api/{api_version}")
        };
        let path = match obj["metadata"]["namespace"].as_str() {
            Some(ns) => format!("{prefix}/namespaces/{ns}/{plural}"),
            None => format!("{prefix}/{plural}"),
        };
        self.with(|s| {
            s.objects.insert(
                format!("{path}/{}", obj["metadata"]["name"].as_str().unwrap()),
                obj.clone(),
            );
            s.lists.entry(path).or_default().push(obj);
        });
    }

    /// Serve the CRDs of Gateway API `tag` in `channel` (from ../shared), changed by
    /// `edit` (given each CRD's plural), with the bundle annotations upstream sets. `None`
    /// when the shared data is missing (a skip outside CI).
    pub fn install_crds(
        &self,
        tag: &str,
        channel: &str,
        edit: impl Fn(&str, &mut Value),
    ) -> Option<()> {
        let dir = super::shared_gateway_api()?
            .join(tag)
            .join("crd")
            .join(channel);
        let inputs: Vec<gwctl::load::Input> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| gwctl::load::Input::Path(e.unwrap().path()))
            .collect();
        let loaded = gwctl::load::load(&inputs, &Default::default(), &mut std::io::empty());
        for o in &loaded.inventory.objects {
            if o.kind != "CustomResourceDefinition" {
                continue;
            }
            let mut crd = o.json.clone();
            crd["metadata"]["annotations"]["gateway.networking.k8s.io/bundle-version"] =
                Value::String(tag.to_owned());
            crd["metadata"]["annotations"]["gateway.networking.k8s.io/channel"] =
                Value::String(channel.to_owned());
            let plural = crd["spec"]["names"]["plural"].as_str().unwrap().to_owned();
            edit(&plural, &mut crd);
            self.with(|s| {
                s.objects.insert(
                    format!(
                        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{}",
                        o.name
                    ),
                    crd,
                )
            });
        }
        Some(())
    }

    pub fn log(&self) -> Vec<String> {
        self.with(|s| s.log.clone())
    }

    /// A kubeconfig in `dir` pointing at this server, context namespace `shop`.
    pub fn kubeconfig(&self, dir: &Path) -> PathBuf {
        let path = dir.join("kubeconfig");
        std::fs::write(
            &path,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: http://127.0.0.1:{}\ncontexts:\n- name: fake\n  context: {{cluster: fake, user: ci, namespace: shop}}\n- name: other\n  context: {{cluster: fake, user: ci, namespace: other}}\ncurrent-context: fake\nusers:\n- name: ci\n  user: {{token: test-token}}\n",
                self.port
            ),
        )
        .unwrap();
        path
    }
}

/// What `/version` answers: `version.Info`, as the API server writes it.
pub fn version_info(major: &str, minor: &str, git_version: &str) -> Value {
    json!({"major": major, "minor": minor, "gitVersion": git_version,
           "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
           "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.25.0", "compiler": "gc",
           "platform": "linux/amd64"})
}

fn status(code: u16, reason: &str, message: &str) -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
           "message": message, "reason": reason, "code": code})
}

fn decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn serve(conn: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("/").to_owned();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let query: BTreeMap<String, String> = query
        .split('&')
        .filter(|q| !q.is_empty())
        .map(|q| {
            let (k, v) = q.split_once('=').unwrap_or((q, ""));
            (decode(k), decode(v))
        })
        .collect();
    let delay = {
        let mut s = state.lock().unwrap();
        s.log.push(format!("{method} {target}"));
        s.delay
    };
    if let Some(d) = delay {
        std::thread::sleep(d);
    }
    let (code, body) = if method != "GET" {
        (
            405,
            status(405, "MethodNotAllowed", "the fake API is read-only"),
        )
    } else {
        answer(path, &query, &state.lock().unwrap())
    };
    let body = body.to_string();
    let mut conn = conn;
    write!(
        conn,
        "HTTP/1.1 {code} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    conn.flush()
}

fn discovery_resources(version: &str) -> Vec<Value> {
    let r = |name: &str, kind: &str, namespaced: bool| {
        json!({"name": name, "singularName": kind.to_lowercase(), "namespaced": namespaced,
               "kind": kind, "verbs": ["get", "list", "watch"]})
    };
    let status = |name: &str, kind: &str| {
        json!({"name": format!("{name}/status"), "singularName": "", "namespaced": true,
               "kind": kind, "verbs": ["get", "patch", "update"]})
    };
    match version {
        "v1" => vec![
            r("gatewayclasses", "GatewayClass", false),
            r("gateways", "Gateway", true),
            status("gateways", "Gateway"),
            r("httproutes", "HTTPRoute", true),
            status("httproutes", "HTTPRoute"),
            r("grpcroutes", "GRPCRoute", true),
        ],
        "v1beta1" => vec![
            r("gatewayclasses", "GatewayClass", false),
            r("gateways", "Gateway", true),
            r("httproutes", "HTTPRoute", true),
            r("referencegrants", "ReferenceGrant", true),
        ],
        _ => vec![],
    }
}

fn answer(path: &str, query: &BTreeMap<String, String>, s: &State) -> (u16, Value) {
    if s.unauthorized {
        return (401, status(401, "Unauthorized", "Unauthorized"));
    }
    if let Some(&code) = s.fail.get(path) {
        let (reason, message) = match code {
            403 => (
                "Forbidden",
                format!("{path} is forbidden: User \"ci\" cannot list this resource"),
            ),
            404 => (
                "NotFound",
                "the server could not find the requested resource".to_owned(),
            ),
            410 => (
                "Expired",
                "The provided continue parameter is too old".to_owned(),
            ),
            _ => ("InternalError", "boom".to_owned()),
        };
        return (code, status(code, reason, &message));
    }
    if path == "/version" && !s.kubernetes.is_null() {
        return (200, s.kubernetes.clone());
    }
    if path == "/apis" {
        let groups: Vec<Value> = if s.versions.is_empty() {
            vec![]
        } else {
            vec![json!({
                "name": GW,
                "versions": s.versions.iter().map(|v| json!({"groupVersion": format!("{GW}/{v}"), "version": v})).collect::<Vec<_>>(),
                "preferredVersion": {"groupVersion": format!("{GW}/{}", s.versions[0]), "version": s.versions[0]}
            })]
        };
        return (
            200,
            json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}),
        );
    }
    if path == "/api" {
        return (
            200,
            json!({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []}),
        );
    }
    if let Some(v) = path
        .strip_prefix(&format!("/apis/{GW}/"))
        .filter(|v| s.versions.contains(v))
    {
        {
            return (
                200,
                json!({"kind": "APIResourceList", "apiVersion": "v1",
                                "groupVersion": format!("{GW}/{v}"), "resources": discovery_resources(v)}),
            );
        }
    }
    if let Some(obj) = s.objects.get(path) {
        let mut obj = obj.clone();
        if path.contains("/secrets/") {
            plant(&mut obj);
        }
        return (200, obj);
    }
    // A list: every object of a list path under it (all namespaces when the path has none).
    let plural = path.rsplit('/').next().unwrap_or("");
    let mut items: Vec<Value> = Vec::new();
    let mut matched = false;
    for (p, objs) in &s.lists {
        let all_ns = {
            // `/apis/G/V/PLURAL` lists `/apis/G/V/namespaces/*/PLURAL` too.
            let prefix = path.strip_suffix(plural).unwrap_or("");
            p.starts_with(&format!("{prefix}namespaces/")) && p.ends_with(&format!("/{plural}"))
        };
        if p == path || all_ns {
            matched = true;
            items.extend(objs.iter().cloned());
        }
    }
    let known_list = matched
        || [
            "services",
            "secrets",
            "namespaces",
            "configmaps",
            "gateways",
            "httproutes",
            "gatewayclasses",
            "referencegrants",
            "grpcroutes",
        ]
        .contains(&plural);
    if !known_list {
        return (
            404,
            status(
                404,
                "NotFound",
                "the server could not find the requested resource",
            ),
        );
    }
    if let Some(ty) = query
        .get("fieldSelector")
        .and_then(|sel| sel.strip_prefix("type="))
    {
        items.retain(|o| o["type"] == ty);
    }
    let start: usize = match query.get("continue") {
        Some(_) if s.expire_continue => {
            return (
                410,
                status(
                    410,
                    "Expired",
                    "The provided continue parameter is too old to display a consistent list result.",
                ),
            );
        }
        Some(c) => c
            .strip_prefix("offset-")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0),
        None => 0,
    };
    let limit: usize = query
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(usize::MAX)
        .min(s.page_cap.unwrap_or(usize::MAX));
    let end = start.saturating_add(limit).min(items.len());
    let mut page: Vec<Value> = items.get(start..end).unwrap_or(&[]).to_vec();
    // List items carry no apiVersion/kind, as the real API sends them.
    for o in &mut page {
        if let Some(m) = o.as_object_mut() {
            m.remove("apiVersion");
            m.remove("kind");
        }
        if plural == "secrets" {
            plant(o);
        }
    }
    let mut meta = json!({"resourceVersion": "900"});
    if end < items.len() {
        meta["continue"] = json!(format!("offset-{end}"));
        meta["remainingItemCount"] = json!(items.len() - end);
    }
    (
        200,
        json!({"kind": "List", "apiVersion": "v1", "metadata": meta, "items": page}),
    )
}

/// What a careless server (or a proxy that ignores `as=PartialObjectMetadataList`) sends.
fn plant(secret: &mut Value) {
    secret["data"] = json!({"tls.crt": base64(SECRET_VALUE), "tls.key": base64(SECRET_VALUE), "password": SECRET_VALUE});
    secret["metadata"]["annotations"] = json!({
        "kubectl.kubernetes.io/last-applied-configuration":
            format!("{{\"stringData\":{{\"password\":\"{SECRET_VALUE}\"}}}}"),
        "note": SECRET_VALUE
    });
}

/// Base64 without a dependency, for planting encoded values.
pub fn base64(s: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in s.as_bytes().chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
