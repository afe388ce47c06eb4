//! Helpers shared by the integration tests that check small modules:
//! write a module into a fresh temporary directory and run the driver on
//! every theorem.

#![allow(dead_code)] // Each test binary uses a different subset.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tlasmt::driver::{self, Report, Request};
use tlasmt::solve::Limits;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh directory under the system's temporary one, named by `tag`.
pub fn fresh_dir(tag: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("tlasmt-{tag}-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Check every theorem of `module` (no extra search path).
pub fn request(module: PathBuf, timeout: Duration, jobs: usize) -> Request {
    Request {
        module,
        search: vec![],
        theorems: vec![],
        all: true,
        limits: Limits {
            timeout,
            rlimit: 0,
            portfolio: true,
        },
        dump_smt: None,
        auto: false,
        line: None,
        jobs,
    }
}

/// Write `body` as module `name` in a fresh directory and check every
/// theorem; `Err` with the message if the module is refused. The
/// directory is removed before returning.
pub fn prove_body(
    tag: &str,
    name: &str,
    body: &str,
    timeout: Duration,
    jobs: usize,
) -> Result<Report, String> {
    let dir = fresh_dir(tag);
    let file = dir.join(format!("{name}.tla"));
    std::fs::write(&file, format!("---- MODULE {name} ----\n{body}\n====\n")).unwrap();
    let r = driver::run(&request(file, timeout, jobs)).map_err(|e| format!("{e:#}"));
    let _ = std::fs::remove_dir_all(&dir);
    r
}

/// Whether each theorem is completely proved, by name.
pub fn proved(report: &Report) -> Vec<(String, bool)> {
    report
        .theorems
        .iter()
        .map(|t| {
            let all = !t.results.is_empty() && t.results.iter().all(|r| r.status.is_proved());
            (t.name.clone(), all)
        })
        .collect()
}

/// Check module `name` with `body` (tag `tag`, per-obligation `timeout`):
/// at least one theorem, every theorem named `Bad*` not proved and every
/// other one proved.
pub fn assert_outcomes_in(tag: &str, name: &str, body: &str, timeout: Duration) {
    let report =
        prove_body(tag, name, body, timeout, 1).unwrap_or_else(|e| panic!("{name} refused: {e}"));
    assert!(!report.theorems.is_empty(), "{name}: no theorem checked");
    for (theorem, ok) in proved(&report) {
        if theorem.starts_with("Bad") {
            assert!(!ok, "{name}: {theorem} proved\n{}", report.to_text());
        } else {
            assert!(ok, "{name}: {theorem} not proved\n{}", report.to_text());
        }
    }
}
