//! gwctl's own sources as text, for the tests that read the code itself (the rule
//! catalogue's completeness, the module layers).

use std::path::Path;

/// Every `.rs` file under `src/`, as (path relative to the crate, such as `src/diag.rs`,
/// text), sorted by path.
pub fn source_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut dirs = vec![root.join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).unwrap();
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// `text` with every comment (doc comments too) blanked out; string literals kept.
pub fn without_comments(text: &str) -> String {
    blank(text, false)
}

/// `text` with every comment and the contents of every string and char literal blanked out,
/// so that what is left is code: a path written in a comment or a message is not a use.
pub fn code_only(text: &str) -> String {
    blank(text, true)
}

/// Replaces comments (and, with `strings`, literal contents) by spaces, keeping line breaks
/// so that line numbers stay right. A small lexer for what gwctl's sources use: line and
/// nested block comments, strings with escapes, raw strings, byte strings, char literals
/// and lifetimes.
fn blank(text: &str, strings: bool) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let keep = |out: &mut Vec<u8>, c: u8, blank: bool| {
        out.push(if blank && c != b'\n' { b' ' } else { c });
    };
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == b'/' && next == Some(b'/') {
            while i < b.len() && b[i] != b'\n' {
                out.push(b' ');
                i += 1;
            }
        } else if c == b'/' && next == Some(b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    keep(&mut out, b[i], true);
                    i += 1;
                }
            }
        } else if c == b'r' && matches!(next, Some(b'"' | b'#')) && !ident_before(b, i) {
            // A raw string: r"...", r#"..."#, with as many #s at the end as at the start.
            let mut j = i + 1;
            while b.get(j) == Some(&b'#') {
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let hashes = j - i - 1;
            out.extend_from_slice(&b[i..=j]);
            i = j + 1;
            while i < b.len() {
                if b[i] == b'"'
                    && b[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|&&h| h == b'#')
                        .count()
                        == hashes
                {
                    out.extend_from_slice(&b[i..i + 1 + hashes]);
                    i += 1 + hashes;
                    break;
                }
                keep(&mut out, b[i], strings);
                i += 1;
            }
        } else if c == b'"' {
            out.push(c);
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' && i + 1 < b.len() {
                    keep(&mut out, b[i], strings);
                    i += 1;
                }
                keep(&mut out, b[i], strings);
                i += 1;
            }
            if i < b.len() {
                out.push(b'"');
                i += 1;
            }
        } else if c == b'\'' {
            // A char literal ('x', '\n', '\u{1F600}') or a lifetime ('a, 'static).
            let end = if next == Some(b'\\') {
                b[i + 2..]
                    .iter()
                    .position(|&x| x == b'\'')
                    .map(|p| i + 2 + p)
            } else {
                let len = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                (b.get(i + 1 + len) == Some(&b'\'')).then_some(i + 1 + len)
            };
            match end {
                Some(end) => {
                    out.push(b'\'');
                    for &x in &b[i + 1..end] {
                        keep(&mut out, x, strings);
                    }
                    out.push(b'\'');
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    // Only ASCII bytes were replaced, and only inside literals and comments, whole.
    String::from_utf8_lossy(&out).into_owned()
}

fn ident_before(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}
