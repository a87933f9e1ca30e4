//! The performance targets' corpus: the upstream Gateway API v1.1.0 examples copied 100
//! times into `target/examples-corpus/` (about 7,000 files and 9,300 objects), generated from
//! `../shared/gateway-api/v1.1.0/examples` on first use and kept across runs (never
//! committed).

use std::path::{Path, PathBuf};

const COPIES: usize = 100;

/// The corpus folder, written first if an earlier run has not completed it.
pub fn examples_x100() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    write_corpus(
        &root.join("../shared/gateway-api/v1.1.0/examples"),
        &root.join("target/examples-corpus"),
    )
}

/// Copy every file under `from` into `to/copy-NNN/`, `COPIES` times.
fn write_corpus(from: &Path, to: &Path) -> PathBuf {
    let done = to.join(".complete");
    if done.exists() {
        return to.to_path_buf();
    }
    let mut files = Vec::new();
    let mut stack = vec![from.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
            panic!(
                "cannot read the upstream examples in {}: {e}",
                dir.display()
            )
        });
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 50, "no examples under {}", from.display());
    for copy in 0..COPIES {
        for f in &files {
            let dest = to
                .join(format!("copy-{copy:03}"))
                .join(f.strip_prefix(from).unwrap());
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(f, &dest).unwrap();
        }
    }
    std::fs::write(&done, "").unwrap();
    to.to_path_buf()
}
