//! Build script: records the git commit gwctl is built from, for `gwctl --version`.
//!
//! A build from a git checkout gets `git rev-parse HEAD`; a build from a source archive gets
//! `GWCTL_COMMIT` from the environment when the packager sets it, and otherwise nothing
//! (`--version` then says the commit is unknown). Never fails the build.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
}

fn main() {
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
