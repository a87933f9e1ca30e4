//! A child process's own resource usage, for the benches that run the release binary
//! (`binary`, `kubeconform`): CPU time (user and system), wall time and peak memory, read
//! when the child is reaped (`wait4`), so nothing of the bench's own process is counted.
//! Linux and other Unix systems with `wait4`.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Clone, Copy)]
pub struct Usage {
    pub cpu: Duration,
    pub wall: Duration,
    /// Kilobytes of 1,024 bytes, as Linux reports `ru_maxrss`.
    pub max_rss_kb: u64,
}

/// Runs `bin` with `args` (no input, output discarded) and measures it. A run that ends with
/// a status above 1 could not do its job (both gwctl and kubeconform exit 1 for findings):
/// that fails the bench rather than measure a failure.
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also returns its resource usage"
)]
pub fn run(bin: &Path, args: &[impl AsRef<OsStr>]) -> Usage {
    let start = Instant::now();
    let child = Command::new(bin)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for the kernel to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `child` is this process's child and not yet reaped (`Child` is never waited
    // on); `status` and `usage` are valid, writable locations.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    let shown: Vec<_> = args.iter().map(|a| a.as_ref().to_string_lossy()).collect();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1,
        "{} {shown:?} ended with status {status:#x}: it could not do its job",
        bin.display()
    );
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Usage {
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        wall,
        max_rss_kb: usage.ru_maxrss as u64,
    }
}

pub fn median<T: Ord + Copy>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}
