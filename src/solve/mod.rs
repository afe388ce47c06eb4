//! Stage 6: run Z3 on an encoded obligation under a deterministic resource
//! limit and a wall-clock timeout.
//!
//! "Proved" means exactly one thing: Z3 answered `unsat` for the negated
//! goal with all hypotheses. `sat` gives a counterexample; anything else is
//! `unknown` or `timeout`, never proved.

pub mod isolate;
pub mod model;

use std::time::{Duration, Instant};
use z3::{Params, SatResult, Solver};

/// Solver limits, settable from the command line.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub timeout: Duration,
    /// Z3 `rlimit` (deterministic resource units); 0 = none.
    pub rlimit: u32,
    /// After an inconclusive first try with Z3's default core, spend the
    /// rest of the budget on its SAT-based core (`sat.euf`). Measured: some
    /// obligations flip between 0.02 s and timeout with the default core
    /// depending on symbol names alone, and the SAT core proves them.
    pub portfolio: bool,
}

/// Set Z3 global parameters (`key=value`) for all later checks.
pub fn set_z3_params(params: &[String]) -> Result<(), String> {
    for kv in params {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| format!("Z3 parameter `{kv}` is not of the form key=value"))?;
        z3::set_global_param(k.trim(), v.trim());
    }
    Ok(())
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(10),
            rlimit: 0,
            portfolio: true,
        }
    }
}

#[derive(Clone, Debug)]
pub enum Outcome {
    Proved,
    /// `sat`: the model rendered in TLA+ notation, if one could be built.
    Failed(Option<model::Counterexample>),
    Unknown(String),
    Timeout,
    /// Z3 rejected the script (an encoder bug): the message.
    Error(String),
}

#[derive(Clone, Debug)]
pub struct SolveResult {
    pub outcome: Outcome,
    pub elapsed: Duration,
}

/// Check one script, in a fresh Z3 context (declarations made by one
/// script must not leak into the next).
pub fn check(script: &crate::encode::Script, limits: Limits) -> SolveResult {
    // Z3 prints warnings (e.g. about patterns) to the terminal; the report
    // is ours to print.
    z3::set_global_param("warning", "false");
    let start = Instant::now();
    if !limits.portfolio {
        return attempt(script, limits, Engine::Default);
    }
    // Short slices first (most obligations take well under a second), then
    // the default core gets whatever budget is left.
    let slice = limits.timeout.div_f64(5.0).min(Duration::from_secs(1));
    let schedule = [
        (slice, Engine::Default),
        (slice, Engine::SatCore),
        (slice, Engine::Mbqi),
        (slice, Engine::ModelOnly),
    ];
    let mut first: Option<SolveResult> = None;
    for (budget, engine) in schedule {
        let r = attempt(
            script,
            Limits {
                timeout: budget,
                ..limits
            },
            engine,
        );
        if matches!(
            r.outcome,
            Outcome::Proved | Outcome::Failed(_) | Outcome::Error(_)
        ) {
            return SolveResult {
                outcome: r.outcome,
                elapsed: start.elapsed(),
            };
        }
        first.get_or_insert(r);
    }
    let rest = limits.timeout.saturating_sub(start.elapsed());
    let last = attempt(
        script,
        Limits {
            timeout: rest,
            ..limits
        },
        Engine::Default,
    );
    let outcome = match last.outcome {
        Outcome::Proved | Outcome::Failed(_) | Outcome::Error(_) => last.outcome,
        other => match first {
            Some(SolveResult {
                outcome: Outcome::Unknown(w),
                ..
            }) => Outcome::Unknown(w),
            _ => other,
        },
    };
    SolveResult {
        outcome,
        elapsed: start.elapsed(),
    }
}

/// Z3 configurations of the portfolio (measured on this project's
/// obligations: each proves, or finds models for, some the others do not).
#[derive(Clone, Copy, Debug)]
enum Engine {
    /// Z3's default SMT core.
    Default,
    /// The SAT-based core (`sat.euf=true`).
    SatCore,
    /// Model-based quantifier instantiation without auto-configuration:
    /// finds counterexamples over sets of sets that the others miss.
    Mbqi,
    /// Model-based instantiation alone (no E-matching): measured, finds in
    /// 0.02 s the counterexample of a refinement mutation (a fake
    /// acceptor's 2b message entering msgs) that the others miss in 20 s.
    ModelOnly,
}

impl Engine {
    fn params(self) -> &'static [(&'static str, &'static str, &'static str)] {
        // (parameter, value while active, value to restore)
        match self {
            Engine::Default => &[],
            Engine::SatCore => &[("sat.euf", "true", "false")],
            Engine::Mbqi => &[
                ("smt.auto_config", "false", "true"),
                ("smt.mbqi", "true", "true"),
            ],
            Engine::ModelOnly => &[
                ("smt.auto_config", "false", "true"),
                ("smt.mbqi", "true", "true"),
                ("smt.ematching", "false", "true"),
            ],
        }
    }
}

/// One run of Z3 in a fresh context with the given engine.
fn attempt(script: &crate::encode::Script, limits: Limits, engine: Engine) -> SolveResult {
    for (k, v, _) in engine.params() {
        z3::set_global_param(k, v);
    }
    let r = z3::with_z3_config(&z3::Config::new(), || check_in_context(script, limits));
    for (k, _, restore) in engine.params() {
        z3::set_global_param(k, restore);
    }
    r
}

fn check_in_context(script: &crate::encode::Script, limits: Limits) -> SolveResult {
    let start = Instant::now();
    let solver = Solver::new();
    let mut params = Params::new();
    params.set_u32(
        "timeout",
        limits.timeout.as_millis().min(u32::MAX as u128) as u32,
    );
    if limits.rlimit > 0 {
        params.set_u32("rlimit", limits.rlimit);
    }
    solver.set_params(&params);
    solver.from_string(script.text.as_str());
    if let Some(msg) = last_error() {
        return SolveResult {
            outcome: Outcome::Error(msg),
            elapsed: start.elapsed(),
        };
    }
    // Z3's own `timeout` is not honoured in every phase (a lambda-heavy
    // script ran for minutes past it), so a watchdog thread interrupts the
    // context at the wall-clock limit.
    let ctx = z3::Context::thread_local();
    let handle = ctx.handle();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let fired = std::sync::atomic::AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        let (fired, handle) = (&fired, &handle);
        scope.spawn(move || {
            if done_rx.recv_timeout(limits.timeout).is_err() {
                fired.store(true, std::sync::atomic::Ordering::SeqCst);
                handle.interrupt();
            }
        });
        let r = solver.check();
        let _ = done_tx.send(());
        r
    });
    let interrupted = fired.load(std::sync::atomic::Ordering::SeqCst);
    let outcome = match result {
        SatResult::Unsat => Outcome::Proved,
        SatResult::Sat if !interrupted => {
            let found = solver.get_model().map(|m| model::render(&m, script));
            // Only with time to spare: the process is killed at the limit.
            let spare = start.elapsed() + MINIMIZE_TIMEOUT * MINIMIZE_SIZES.len() as u32;
            let small = if spare < limits.timeout {
                smaller_model(&solver, script)
            } else {
                None
            };
            Outcome::Failed(small.or(found))
        }
        SatResult::Sat => Outcome::Failed(None),
        SatResult::Unknown => {
            let reason = solver.get_reason_unknown().unwrap_or_default();
            if interrupted || reason.contains("timeout") || reason.contains("canceled") {
                Outcome::Timeout
            } else {
                Outcome::Unknown(reason)
            }
        }
    };
    SolveResult {
        outcome,
        elapsed: start.elapsed(),
    }
}

/// Universes of at most this many elements are tried for a smaller
/// counterexample, each for at most `MINIMIZE_TIMEOUT`.
const MINIMIZE_SIZES: [usize; 3] = [1, 2, 3];
const MINIMIZE_TIMEOUT: Duration = Duration::from_millis(200);

/// A counterexample over few elements of each uninterpreted sort (Z3's
/// first model often has dozens of acceptors, which hides the point). A
/// model of the script with more constraints is a model of the script, so
/// the verdict does not change; `None` when no small model is found in time.
fn smaller_model(solver: &Solver, script: &crate::encode::Script) -> Option<model::Counterexample> {
    let sorts: Vec<&str> = script
        .text
        .lines()
        .filter_map(|l| l.strip_prefix("(declare-sort ")?.strip_suffix(" 0)"))
        .collect();
    if sorts.is_empty() {
        return None;
    }
    let mut params = Params::new();
    params.set_u32("timeout", MINIMIZE_TIMEOUT.as_millis() as u32);
    solver.set_params(&params);
    for k in MINIMIZE_SIZES {
        solver.push();
        let mut bound = String::new();
        for (n, sort) in sorts.iter().enumerate() {
            let names: Vec<String> = (0..k).map(|i| format!("|min!{n}!{i}|")).collect();
            for c in &names {
                bound.push_str(&format!("(declare-fun {c} () {sort})\n"));
            }
            let eqs: String = names.iter().map(|c| format!(" (= x {c})")).collect();
            bound.push_str(&format!("(assert (forall ((x {sort})) (or false{eqs})))\n"));
        }
        solver.from_string(bound);
        let small = match last_error() {
            None if solver.check() == SatResult::Sat => {
                solver.get_model().map(|m| model::render(&m, script))
            }
            _ => None,
        };
        solver.pop(1);
        if small.is_some() {
            return small;
        }
    }
    None
}

/// The error Z3 recorded for the thread's context, if any.
fn last_error() -> Option<String> {
    let ctx = z3::Context::thread_local();
    let raw = ctx.get_z3_context();
    // SAFETY: `raw` is the live thread-local context; the message is a
    // static C string owned by Z3.
    unsafe {
        let code = z3_sys::Z3_get_error_code(raw);
        if code == z3_sys::ErrorCode::Ok {
            return None;
        }
        let msg = z3_sys::Z3_get_error_msg(raw, code);
        let text = if msg.is_null() {
            format!("{code:?}")
        } else {
            std::ffi::CStr::from_ptr(msg).to_string_lossy().into_owned()
        };
        // Reset so later checks on this thread start clean.
        z3_sys::Z3_set_error(raw, z3_sys::ErrorCode::Ok);
        Some(text)
    }
}
