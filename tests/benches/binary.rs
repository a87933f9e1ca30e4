//! The release binary on the examples corpus ([`upstream`]): peak memory (the maximum
//! resident set size) and CPU time of `gwctl lint` in each output format, and with a report
//! written to a file, as the README's Performance table gives them. Each run is a child
//! process whose own resource usage is read when it is reaped (`wait4`), so nothing of this
//! process is counted.
//!
//! Run with `cargo bench --bench binary` (Linux and other Unix systems with `wait4`).

mod upstream;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 5;

struct Usage {
    cpu: Duration,
    wall: Duration,
    /// Kilobytes of 1,024 bytes, as Linux reports `ru_maxrss`.
    max_rss_kb: u64,
}

#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also returns its resource usage"
)]
fn run(bin: &str, args: &[&str]) -> Usage {
    let start = Instant::now();
    let child = Command::new(bin)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the gwctl binary runs");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for the kernel to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `child` is this process's child and not yet reaped (`Child` is never waited
    // on); `status` and `usage` are valid, writable locations.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    let code = libc::WEXITSTATUS(status);
    assert!(
        libc::WIFEXITED(status) && code <= 1,
        "gwctl {args:?} ended with status {status:#x}: it could not do its job"
    );
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Usage {
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        wall,
        max_rss_kb: usage.ru_maxrss as u64,
    }
}

fn median<T: Ord + Copy>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    // `cargo bench` passes harness flags (`--bench`); a name filters the cases.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let bin = env!("CARGO_BIN_EXE_gwctl");
    let dir = upstream::examples_x100();
    let corpus = dir.to_str().expect("a UTF-8 path");
    let report = std::env::temp_dir().join(format!("gwctl-bench-{}.sarif", std::process::id()));
    let report_arg = format!("sarif={}", report.display());
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (
            "human",
            vec!["--output-format", "human", "--color", "never"],
        ),
        ("json", vec!["--output-format", "json"]),
        ("sarif", vec!["--output-format", "sarif"]),
        ("junit", vec!["--output-format", "junit"]),
        ("github", vec!["--output-format", "github"]),
        ("gitlab", vec!["--output-format", "gitlab"]),
        ("compact", vec!["--output-format", "compact"]),
        (
            "compact + sarif to a file",
            vec!["--output-format", "compact", "--output", &report_arg],
        ),
    ];
    println!("gwctl lint {corpus}: median of {RUNS} runs (peak memory: KB of 1,024 bytes)");
    println!(
        "{:<28} {:>14} {:>12} {:>12}",
        "output", "peak memory", "CPU", "wall"
    );
    for (name, format) in cases {
        if filter.as_deref().is_some_and(|f| !name.contains(f)) {
            continue;
        }
        let mut args = vec!["lint"];
        args.extend(format);
        args.push(corpus);
        let runs: Vec<Usage> = (0..RUNS).map(|_| run(bin, &args)).collect();
        println!(
            "{:<28} {:>11} KB {:>9.0} ms {:>9.0} ms",
            name,
            median(runs.iter().map(|u| u.max_rss_kb).collect()),
            median(runs.iter().map(|u| u.cpu).collect()).as_secs_f64() * 1e3,
            median(runs.iter().map(|u| u.wall).collect()).as_secs_f64() * 1e3,
        );
    }
    let _ = std::fs::remove_file(&report);
}
