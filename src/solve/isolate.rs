//! Run each Z3 check in a child process that is killed at its deadline.
//!
//! Measured: neither Z3's `timeout` parameter nor an interrupt from a
//! watchdog thread stops Z3 in every phase (its model-based quantifier
//! instantiation once ran 16 minutes past a 5 s limit on a refinement
//! step). A killed process always stops. Children also let obligations be
//! solved in parallel, one per core.
//!
//! The children are `fork`ed, so they inherit the encoded scripts and Z3's
//! global parameters. Fork safety: the parent never runs Z3 itself (only
//! sets global parameters before any child exists); children create their
//! own Z3 context, write their result to a file, and `_exit`.

use super::model::ModelValues;
use super::{Limits, Outcome, SolveResult};
use crate::encode::Script;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Check every script under its limits, at most `jobs` at a time; results
/// in script order.
pub fn check_all(scripts: &[(&Script, Limits)], jobs: usize) -> Vec<SolveResult> {
    let dir = scratch_dir();
    let mut results: Vec<Option<SolveResult>> = vec![None; scripts.len()];
    let mut running: Vec<Child> = Vec::new();
    let mut next = 0;
    while next < scripts.len() || !running.is_empty() {
        while running.len() < jobs.max(1) && next < scripts.len() {
            let file = dir.join(format!("{next}.json"));
            let (script, limits) = scripts[next];
            let child = spawn(script, limits, next, &file);
            match child {
                Ok(c) => running.push(c),
                Err(e) => {
                    results[next] = Some(SolveResult {
                        outcome: Outcome::Error(format!("cannot start a solver process: {e}")),
                        elapsed: Duration::ZERO,
                    })
                }
            }
            next += 1;
        }
        let mut still = Vec::new();
        for c in running {
            match c.poll() {
                Some(r) => results[c.index] = Some(r),
                None => still.push(c),
            }
        }
        running = still;
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = std::fs::remove_dir_all(&dir);
    results
        .into_iter()
        .map(|r| {
            r.unwrap_or(SolveResult {
                outcome: Outcome::Error("no result from the solver process".into()),
                elapsed: Duration::ZERO,
            })
        })
        .collect()
}

struct Child {
    pid: libc::pid_t,
    /// When the child is killed: its timeout, and some grace.
    deadline: Duration,
    index: usize,
    started: Instant,
    file: PathBuf,
}

fn spawn(script: &Script, limits: Limits, index: usize, file: &Path) -> std::io::Result<Child> {
    // SAFETY: see the module comment; the child only runs `child_main` and
    // leaves through `_exit`, never returning into the parent's code.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(std::io::Error::last_os_error());
    }
    if pid == 0 {
        let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            child_main(script, limits, file)
        }))
        .unwrap_or(3);
        // SAFETY: terminates the child without running the parent's
        // destructors or atexit handlers.
        unsafe { libc::_exit(code) };
    }
    // A child that outlives its limit by this much is killed.
    let grace = Duration::from_secs(2).max(limits.timeout / 2);
    Ok(Child {
        pid,
        deadline: limits.timeout + grace,
        index,
        started: Instant::now(),
        file: file.to_path_buf(),
    })
}

fn child_main(script: &Script, limits: Limits, file: &Path) -> i32 {
    let r = super::check(script, limits);
    let wire = Wire::from(&r);
    match serde_json::to_vec(&wire) {
        Ok(bytes) if std::fs::write(file, &bytes).is_ok() => 0,
        _ => 2,
    }
}

impl Child {
    /// The result if the child has finished (or was killed at its deadline).
    fn poll(&self) -> Option<SolveResult> {
        let mut status = 0;
        // SAFETY: plain waitpid on our own child.
        let done = unsafe { libc::waitpid(self.pid, &mut status, libc::WNOHANG) };
        if done == self.pid {
            return Some(self.read(status));
        }
        if self.started.elapsed() < self.deadline {
            return None;
        }
        // SAFETY: kill and reap our own child.
        unsafe {
            libc::kill(self.pid, libc::SIGKILL);
            libc::waitpid(self.pid, &mut status, 0);
        }
        Some(SolveResult {
            outcome: Outcome::Timeout,
            elapsed: self.started.elapsed(),
        })
    }

    fn read(&self, status: i32) -> SolveResult {
        let elapsed = self.started.elapsed();
        let wire: Option<Wire> = std::fs::read(&self.file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        match wire {
            Some(w) => w.into_result(),
            None => SolveResult {
                outcome: Outcome::Error(format!(
                    "the solver process ended without a result (wait status {status})"
                )),
                elapsed,
            },
        }
    }
}

fn scratch_dir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("tlasmt-{}-{n}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// A solver result as it crosses the process boundary.
#[derive(serde::Serialize, serde::Deserialize)]
struct Wire {
    kind: String,
    detail: String,
    models: Vec<ModelValues>,
    elapsed: f64,
}

impl From<&SolveResult> for Wire {
    fn from(r: &SolveResult) -> Self {
        let (kind, detail, models) = match &r.outcome {
            Outcome::Proved => ("proved", String::new(), Vec::new()),
            Outcome::Failed(models) => ("failed", String::new(), models.clone()),
            Outcome::Unknown(w) => ("unknown", w.clone(), Vec::new()),
            Outcome::Timeout => ("timeout", String::new(), Vec::new()),
            Outcome::Error(e) => ("error", e.clone(), Vec::new()),
        };
        Wire {
            kind: kind.into(),
            detail,
            models,
            elapsed: r.elapsed.as_secs_f64(),
        }
    }
}

impl Wire {
    fn into_result(self) -> SolveResult {
        let outcome = match self.kind.as_str() {
            "proved" => Outcome::Proved,
            "failed" => Outcome::Failed(self.models),
            "unknown" => Outcome::Unknown(self.detail),
            "timeout" => Outcome::Timeout,
            _ => Outcome::Error(self.detail),
        };
        SolveResult {
            outcome,
            elapsed: Duration::from_secs_f64(self.elapsed.max(0.0)),
        }
    }
}
