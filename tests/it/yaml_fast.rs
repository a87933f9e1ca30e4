//! The fast YAML reader (`src/yaml/fast.rs`) against granit-parser: for every YAML file the
//! repository and `../shared` hold, and for thousands of mutations of them, reading a stream
//! the usual way (fast reader first, granit-parser from the first document it declines)
//! gives exactly what granit-parser alone gives: the same trees with the same spans, the same
//! documents, findings and comments. A mutation that the fast reader reads differently is a
//! bug in it; one it declines costs time only.

use std::path::{Path, PathBuf};

use gwctl::yaml::{self, Limits, Stream};

use crate::common;
use crate::common::rng::Rng;

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// Every YAML file of the repository's tests and of `../shared`'s examples and conformance
/// manifests (the CRDs are read too: they mostly exercise the hand-over).
fn corpus() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    yaml_files(&root.join("tests"), &mut paths);
    if let Some(shared) = common::shared_gateway_api() {
        yaml_files(&shared, &mut paths);
    }
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some((p, text))
        })
        .collect()
}

/// Panics with the first difference between the two readings of `text`.
fn assert_same(what: &str, text: &str) {
    let limits = Limits::default();
    let usual = yaml::parse_stream(text, &limits);
    let general = yaml::parse_stream_general(text, &limits);
    let show = |s: &Stream| {
        (
            s.documents
                .iter()
                .map(|d| (d.root.clone(), d.span, d.broken))
                .collect::<Vec<_>>(),
            s.issues.clone(),
            s.comments.clone(),
        )
    };
    let (a, b) = (show(&usual), show(&general));
    if a != b {
        let first =
            a.0.iter()
                .zip(&b.0)
                .position(|(x, y)| x != y)
                .map(|i| format!("document {i}:\n fast: {:?}\n granit: {:?}", a.0[i], b.0[i]));
        panic!(
            "{what}: the fast reader reads this differently from granit-parser (stops at {:?})\n{text:?}\n{}\ndocuments {} vs {}; issues {:?} vs {:?}; comments {:?} vs {:?}",
            yaml::fast_reader_stops_at(text),
            first.unwrap_or_default(),
            a.0.len(),
            b.0.len(),
            a.1,
            b.1,
            a.2,
            b.2,
        );
    }
}

#[test]
fn every_yaml_file_reads_the_same_through_the_fast_reader() {
    let files = corpus();
    assert!(files.len() > 100, "only {} YAML files found", files.len());
    for (path, text) in &files {
        assert_same(&path.display().to_string(), text);
    }
}

/// The fast reader is worth having only if it reads the manifests people write: all of the
/// upstream examples (v1.1.0 and v1.6.1) but a handful are read by it whole.
#[test]
fn the_fast_reader_takes_the_upstream_examples() {
    let Some(shared) = common::shared_gateway_api() else {
        return;
    };
    let mut paths = Vec::new();
    yaml_files(&shared.join("v1.1.0/examples"), &mut paths);
    yaml_files(&shared.join("v1.6.1/examples"), &mut paths);
    assert!(paths.len() > 100, "{} examples", paths.len());
    let declined: Vec<_> = paths
        .iter()
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            yaml::fast_reader_stops_at(&text).is_some()
        })
        .collect();
    assert!(
        declined.len() * 20 <= paths.len(),
        "the fast reader declines {} of {} examples: {declined:#?}",
        declined.len(),
        paths.len()
    );
}

/// Text that YAML gives meaning to, and that edits of manifests get wrong.
const PIECES: &[&str] = &[
    " ",
    "  ",
    ":",
    ": ",
    "-",
    "- ",
    "#",
    " #",
    "\"",
    "'",
    "''",
    "\n",
    "\n  ",
    "\n- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    ", ",
    "a",
    "x: y",
    "|",
    ">",
    "&a",
    "*a",
    "!!str ",
    "?",
    "---",
    "\n---\n",
    "...",
    "%",
    "\t",
    "\r\n",
    "\\",
    "é",
    "~",
    "null",
    "yes",
    "0x1F",
    "1e3",
    ".inf",
    "<<: ",
    "\u{feff}",
    "`",
    "@",
    "\"a\\nb\"",
    "|-\n    x\n",
    ">+\n  a\n\n  b\n",
    "|\n",
    "\n      more",
    "\n\n   more",
    "{a: [b, c]}",
    "{a: b, c: {}}",
    "[{a: b}]",
    "\"\\u00e9\\t\"",
    "\\",
    "\\x41",
    "  # c\n",
    "'a''b'",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut s = text.to_owned();
    for _ in 0..1 + rng.below(3) {
        let mut at = rng.below(s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        match rng.below(4) {
            0 => {
                let piece = PIECES[rng.below(PIECES.len())];
                s.insert_str(at, piece);
            }
            1 => {
                let mut end = (at + 1 + rng.below(4)).min(s.len());
                while !s.is_char_boundary(end) {
                    end += 1;
                }
                s.replace_range(at..end, "");
            }
            2 => {
                // Indent or outdent the line by one or two spaces.
                let start = s[..at].rfind('\n').map_or(0, |i| i + 1);
                if rng.below(2) == 0 {
                    s.insert_str(start, if rng.below(2) == 0 { " " } else { "  " });
                } else if s[start..].starts_with(' ') {
                    s.remove(start);
                }
            }
            _ => {
                // Repeat a line (duplicate keys, list entries).
                let start = s[..at].rfind('\n').map_or(0, |i| i + 1);
                let end = s[at..].find('\n').map_or(s.len(), |i| at + i + 1);
                let line = s[start..end].to_owned();
                s.insert_str(end, &line);
                if !line.ends_with('\n') {
                    s.insert(end, '\n');
                }
            }
        }
    }
    s
}

#[test]
fn mutated_manifests_read_the_same_through_the_fast_reader() {
    let files: Vec<_> = corpus()
        .into_iter()
        // The CRDs are long and the fast reader declines them at once; mutations of small
        // manifests reach far more of its decisions per second.
        .filter(|(_, t)| t.len() < 8_000)
        .collect();
    let seeds: u64 = std::env::var("GWCTL_YAML_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // How many mutations the fast reader read at least in part: the comparison says little
    // if it declines them all.
    let mut read_fast = 0;
    for n in 0..seeds {
        let (path, text) = &files[rng.below(files.len())];
        let seed = rng.next();
        let mutated = mutate(text, &mut Rng(seed | 1));
        assert_same(
            &format!("{} mutated (mutation {n}, seed {seed})", path.display()),
            &mutated,
        );
        if yaml::fast_reader_stops_at(&mutated).is_none_or(|(at, _)| at != 0) {
            read_fast += 1;
        }
    }
    eprintln!("the fast reader read {read_fast} of {seeds} mutations at least in part");
    assert!(
        read_fast * 2 >= seeds,
        "the fast reader read only {read_fast} of {seeds} mutations"
    );
}

/// Hand-written cases around the reader's decisions, each compared with granit-parser.
#[test]
fn edge_cases_read_the_same_through_the_fast_reader() {
    let cases = [
        "",
        "\n",
        "# only\n",
        "---\n",
        "---\n---\n",
        "---\n# c\n---\na: 1\n",
        "a: 1\n---\n",
        "a: 1\n\n\n",
        "a: 1",
        "a: 1\n   ",
        "  a: 1\n  b:\n    - x\n",
        "  a: 1\nb: 2\n",
        "a:\n- x\n- y: 1\n  z: 2\nb: 3\n",
        "a:\n  - x\n  -  y\n",
        "- a\n- b: 1\n",
        "a: [x, \"y\", 'z']\nb: {}\nc: []\n",
        "a: [x,y]\n",
        "a: [ ]\n",
        "a: [x, ]\n",
        "a: b # c\nd: e#f\n",
        "'k': v\n\"m n\": 'it''s'\n",
        "\"a\" : b\n",
        "a:b: c\n",
        "a: b: c\n",
        "a: http://x:80/y\n",
        "a: -1\nb: -x\nc: :x\n",
        "a:\nb:\n",
        "a:\n  # c\n  b: 1\n",
        "a: 1\n# c\n---\n# d\n",
        "a: 1\n  b: 2\n",
        "a:\n    b: 1\n  c: 2\n",
        "a: yes\nb: 0x10\nc: 1e3\nd: .inf\ne: ~\nf: null\n",
        "a: 1\na: 2\n",
        "- - a\n",
        "-\n  a: 1\n",
        "key with spaces: v\n",
        "a: é\n\u{e9}: 2\n",
        "a: '\u{85}'\n",
        "---x\n",
        "--- a\n",
        "a: \"\"\nb: ''\n",
        "a: 'x\n  y'\n",
        "a: [a,\n  b]\n",
        "a: b c\n  d e  \n\n  f\nz: 1\n",
        "a: b c # x\n  d\n",
        "- b c\n  d\n- e\n",
        "a: b\n  - c\n",
        "a: |-\n  x\n   y\n\n# c\nz: >\n  p\n  q\n\n  r\n",
        "a: |+\n  x\n\n",
        "a: |\n  x",
        "a: |\n\n  x\n",
        "a: |2\n   x\n",
        "a: >\n  x\n    y\n  z\n",
        "- |\n  x\n- y\n",
        "a:\n  b: |\n    x\n  c: 1\n",
        "a: {b: 1, c: [x, {d: e}], \"f\": 'g'}\n",
        "- {n: x, v: Off}\n",
        "a: {b: }\n",
        "a: {b: c,}\n",
        "a: {b}\n",
        "a: {\"b\":c}\n",
        "a: [x: y]\n",
        "a: \"\\u00e9\\\"\\n\\t\\/\\\\\"\n",
        "a: \"\\ud800\"\n",
        "a: \"\\x41\\N\"\n",
        "a :\nb: 1\n",
        "\"a\" :\n",
    ];
    for text in cases {
        assert_same("edge case", text);
    }
}
