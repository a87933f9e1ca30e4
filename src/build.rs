//! Build script: records the git commit gwctl is built from, for `gwctl --version`, and
//! turns the bundled description (`schemas/*.yaml`) into JSON for the binary.
//!
//! The description is written in YAML for people; reading that YAML was a third of a small
//! lint's time, every run. The build reads it once, with the same scalar rules as gwctl's
//! reader (`src/yaml/scalar.rs`, go-yaml v2's), and the binary parses JSON, several times
//! faster. A unit test (`schema::bundled`) holds the JSON equal to gwctl's own reading of
//! the YAML. The description uses no anchors, aliases, tags or merge keys; the build fails
//! on them, and on duplicate keys, rather than guess.
//!
//! A build from a git checkout gets `git rev-parse HEAD`; a build from a source archive gets
//! `GWCTL_COMMIT` from the environment when the packager sets it, and otherwise nothing
//! (`--version` then says the commit is unknown). Never fails the build.

use std::path::PathBuf;
use std::process::Command;

use granit_parser::{Event, Parser};
use serde_json::{Map, Value};

#[path = "yaml/scalar.rs"]
#[allow(dead_code, reason = "the build uses only `resolve`")]
mod scalar;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
}

fn main() {
    description_to_json();
    println!("cargo:rerun-if-env-changed=GWCTL_COMMIT");
    let commit = std::env::var("GWCTL_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]));
    if let Some(commit) = commit {
        println!("cargo:rustc-env=GWCTL_COMMIT={commit}");
    }
    // Run again when HEAD moves: HEAD itself (a checkout), the branch it points to (a commit)
    // and packed-refs (where git may keep that branch).
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    watched.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for name in watched {
        if let Some(path) = git(&["rev-parse", "--git-path", &name])
            && std::path::Path::new(&path).exists()
        {
            println!("cargo:rerun-if-changed={path}");
        }
    }
}

/// `schemas/NAME.yaml` → `$OUT_DIR/NAME.json`, for every file of the description.
fn description_to_json() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=schemas");
    println!("cargo:rerun-if-changed=src/yaml/scalar.rs");
    let mut names: Vec<PathBuf> = std::fs::read_dir("schemas")
        .expect("the schemas folder is part of the source")
        .map(|e| e.expect("a readable schemas folder").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    names.sort();
    for path in names {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let json = yaml_to_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_stem().expect("a file name").to_string_lossy();
        let dest = out.join(format!("{name}.json"));
        std::fs::write(&dest, serde_json::to_string(&json).expect("JSON"))
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
    }
}

/// One YAML document as JSON, the way gwctl reads it.
fn yaml_to_json(text: &str) -> Result<Value, String> {
    enum Frame {
        Seq(Vec<Value>),
        Map(Map<String, Value>, Option<String>),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Value> = None;
    let mut parser = Parser::new_from_str(text);
    let at = |span: &granit_parser::Span| format!("line {}", span.start.line());
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| e.to_string())?;
        let value = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
            Event::DocumentStart(..) if root.is_some() => {
                return Err("more than one document".into());
            }
            Event::DocumentStart(..) => continue,
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return Err(format!("{}: anchors and tags are not used here", at(&span)));
                }
                scalar::resolve(&text, style, None).value
            }
            Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag)
                if anchor != 0 || tag.is_some() =>
            {
                return Err(format!("{}: anchors and tags are not used here", at(&span)));
            }
            Event::SequenceStart(..) => {
                stack.push(Frame::Seq(Vec::new()));
                continue;
            }
            Event::MappingStart(..) => {
                stack.push(Frame::Map(Map::new(), None));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(items)) => Value::Array(items),
                Some(Frame::Map(m, None)) => Value::Object(m),
                _ => return Err(format!("{}: unbalanced structure", at(&span))),
            },
            _ => return Err(format!("{}: aliases are not used here", at(&span))),
        };
        match stack.last_mut() {
            None => root = Some(value),
            Some(Frame::Seq(items)) => items.push(value),
            Some(Frame::Map(m, pending)) => match pending.take() {
                None => {
                    let key = match value {
                        Value::String(k) => k,
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        other => return Err(format!("{}: key {other} is not a string", at(&span))),
                    };
                    if key == "<<" || m.contains_key(&key) {
                        return Err(format!("{}: key {key:?} repeated or merged", at(&span)));
                    }
                    *pending = Some(key);
                }
                Some(key) => {
                    m.insert(key, value);
                }
            },
        }
    }
    root.ok_or_else(|| "no document".to_string())
}
