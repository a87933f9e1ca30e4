//! The release binary on the examples corpus ([`upstream`]): peak memory (the maximum
//! resident set size) and CPU time of `gwctl lint` in each output format, and with a report
//! written to a file, as the README's Performance table gives them. Each run is a child
//! process measured on its own ([`usage`]).
//!
//! Run with `cargo bench --bench binary` (Linux and other Unix systems with `wait4`).

mod upstream;
mod usage;

use std::path::Path;

use usage::{Usage, median, run};

const RUNS: usize = 5;

fn main() {
    // `cargo bench` passes harness flags (`--bench`); a name filters the cases.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let bin = Path::new(env!("CARGO_BIN_EXE_gwctl"));
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
