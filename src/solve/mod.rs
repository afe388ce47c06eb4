//! Stage 6: run Z3 on an encoded obligation under a deterministic resource
//! limit and a wall-clock timeout.
//!
//! "Proved" means exactly one thing: Z3 answered `unsat` for the negated
//! goal with all hypotheses. `sat` gives a counterexample; anything else is
//! `unknown` or `timeout`, never proved.

pub mod ltl;
mod minimize;
pub mod model;
pub mod pool;
pub mod schedule;

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

/// Set Z3 global parameters (`key=value`) for all later checks. Z3 itself
/// only prints a warning for an unknown parameter or a value it cannot
/// read, and goes on with its default: so each one is read back, and any
/// that did not take is an error naming the offending text.
pub fn set_z3_params(params: &[String]) -> Result<(), String> {
    // Z3's warnings are ours to report.
    z3::set_global_param("warning", "false");
    for kv in params {
        let (k, v) = kv
            .split_once('=')
            .map(|(k, v)| (k.trim(), v.trim()))
            .filter(|(k, v)| !k.is_empty() && !v.is_empty())
            .ok_or_else(|| format!("Z3 parameter `{kv}` is not of the form key=value"))?;
        if z3::get_global_param(k).is_none() {
            return Err(format!("Z3 parameter `{kv}`: Z3 has no parameter `{k}`"));
        }
        z3::set_global_param(k, v);
        match z3::get_global_param(k) {
            Some(now) if same_param_value(&now, v) => {}
            now => {
                return Err(format!(
                    "Z3 parameter `{kv}`: Z3 does not accept `{v}` for `{k}` (its value stays `{}`)",
                    now.unwrap_or_default()
                ));
            }
        }
    }
    Ok(())
}

/// Whether Z3's reading of a parameter (`now`) is the value given: Z3
/// prints numbers and Booleans in its own way (`1.50` reads back `1.5`).
fn same_param_value(now: &str, given: &str) -> bool {
    if now.eq_ignore_ascii_case(given) {
        return true;
    }
    matches!((now.parse::<f64>(), given.parse::<f64>()), (Ok(a), Ok(b)) if a == b)
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
    /// `sat`: the model read as TLA+ values, the minimised one first (see
    /// `minimize`); empty if Z3 gave no model. A model is a
    /// counterexample only once confirmed (see `crate::confirm`).
    Failed(Vec<model::ModelValues>),
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
        (slice, Engine::FiniteUniverse),
    ];
    let mut first: Option<SolveResult> = None;
    for (budget, engine) in schedule {
        let mut r = attempt(
            script,
            Limits {
                timeout: budget,
                ..limits
            },
            engine,
        );
        if matches!(r.outcome, Outcome::Proved) && !engine.proves() {
            tracing::debug!("{engine:?} answered unsat: not taken as a proof");
            r.outcome = Outcome::Unknown(format!("{engine:?} answered unsat"));
        }
        if matches!(
            r.outcome,
            Outcome::Proved | Outcome::Failed(_) | Outcome::Error(_)
        ) {
            tracing::debug!(
                "{engine:?} decided after {:.3} s (this try {:.3} s)",
                start.elapsed().as_secs_f64(),
                r.elapsed.as_secs_f64()
            );
            return SolveResult {
                outcome: r.outcome,
                elapsed: start.elapsed(),
            };
        }
        tracing::debug!(
            "{engine:?} inconclusive after {:.3} s: {:?}",
            r.elapsed.as_secs_f64(),
            r.outcome
        );
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
    /// Model-based instantiation on the script without the injectivity of
    /// the embeddings into the universe, so that a model may have finitely
    /// many universe values (with `emb_Int` injective, every model's
    /// universe is infinite and Z3 answers `unknown`). A model is only a
    /// candidate, which `confirm` evaluates before anything is called a
    /// counterexample; its `unsat` is not taken (see [`Engine::proves`]).
    FiniteUniverse,
}

impl Engine {
    /// Whether this engine's `unsat` proves an obligation. Not for the
    /// engines without E-matching: measured, on the invalid
    /// `ASSUME NEW f \in [Nat -> Nat] PROVE [f EXCEPT ![-1] = 5][-1] = 5`
    /// the pinned Z3 answers `unsat` with model-based instantiation alone
    /// when the script has `lambda` terms (and `unknown` on the same script
    /// with them lifted to functions, as do the other engines and cvc5): a
    /// solver bug. They are kept for the models they find.
    fn proves(self) -> bool {
        !matches!(self, Engine::ModelOnly | Engine::FiniteUniverse)
    }

    fn params(self) -> &'static [(&'static str, &'static str, &'static str)] {
        // (parameter, value while active, value to restore)
        match self {
            Engine::Default => &[],
            Engine::SatCore => &[("sat.euf", "true", "false")],
            Engine::Mbqi => &[
                ("smt.auto_config", "false", "true"),
                ("smt.mbqi", "true", "true"),
            ],
            Engine::ModelOnly | Engine::FiniteUniverse => &[
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
    let weakened;
    let script = if matches!(engine, Engine::FiniteUniverse) {
        weakened = without_injectivity(script);
        &weakened
    } else {
        script
    };
    let r = z3::with_z3_config(&z3::Config::new(), || check_in_context(script, limits));
    for (k, _, restore) in engine.params() {
        z3::set_global_param(k, restore);
    }
    r
}

/// `script` without the axioms `inv(emb(x)) = x` (see
/// [`Engine::FiniteUniverse`]).
fn without_injectivity(script: &crate::encode::Script) -> crate::encode::Script {
    let mut text = script
        .text
        .lines()
        .filter(|l| !script.infinite_model_axioms.iter().any(|a| a == l))
        .collect::<Vec<_>>()
        .join("\n");
    // Injectivity at the script's ground embedded terms stays: distinct
    // values the obligation names stay distinct, and a model says which
    // value each universe element stands for.
    text.push('\n');
    for (emb, args) in ground_applications(&script.text, "(|emb_", 1) {
        let inv = emb.replacen("|emb_", "|inv_", 1);
        let arg = &args[0];
        text.push_str(&format!("(assert (= ({inv} ({emb} {arg})) {arg}))\n"));
    }
    // Likewise a function sort's `mk` axioms (see `encode::sorts`), which
    // make the sort as large as the arrays: kept at the ground `mk` terms.
    for (mk, args) in ground_applications(&script.text, "(|mk_Fun", 2) {
        let n = &mk[4..mk.len() - 1];
        let (a, d) = (&args[0], &args[1]);
        let f = format!("({mk} {a} {d})");
        text.push_str(&format!("(assert (= (|dom_{n}| {f}) {d}))\n"));
        if let Some(sort) = domain_sort(&script.text, n) {
            text.push_str(&format!(
                "(assert (forall ((x {sort})) (=> (select {d} x) (= (select (|app_{n}| {f}) x) (select {a} x)))))\n"
            ));
        }
    }
    crate::encode::Script {
        text,
        ..script.clone()
    }
}

/// The applications `(|head| t..)` (head starting with `prefix`) of the
/// script whose arguments `t..` name no bound variable (binders are `|%i.j|` or, in axioms, plain words;
/// only constants `|..|`, numerals and operator applications over them
/// are kept), at most a few hundred.
fn ground_applications(text: &str, prefix: &str, arity: usize) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let after = &rest[i + 1..];
        let Some(end) = after
            .find('|')
            .and_then(|j| after[j + 1..].find('|').map(|k| j + k + 2))
        else {
            break;
        };
        let head = &after[..end];
        rest = &after[end..];
        let mut args = Vec::new();
        let mut tail = &after[end..];
        for _ in 0..arity {
            tail = tail.trim_start();
            let Some(arg) = balanced_term(tail) else {
                break;
            };
            tail = &tail[arg.len()..];
            args.push(arg.to_string());
        }
        if args.len() == arity
            && args.iter().all(|a| is_closed(a))
            && !out.iter().any(|(h, a)| h == head && *a == args)
        {
            out.push((head.to_string(), args));
            if out.len() >= 400 {
                break;
            }
        }
    }
    out
}

/// The domain sort of function sort `n`, from its declarations.
fn domain_sort<'t>(text: &'t str, n: &str) -> Option<&'t str> {
    let decl = format!("(declare-fun |dom_{n}| (|{n}|) (Array ");
    let at = text.find(&decl)? + decl.len();
    balanced_term(&text[at..])
}

/// The term at the start of `s`: an atom or a parenthesised expression.
fn balanced_term(s: &str) -> Option<&str> {
    if let Some(body) = s.strip_prefix('|') {
        return body.find('|').map(|j| &s[..j + 2]);
    }
    if !s.starts_with('(') {
        let end = s.find([' ', ')', '(']).unwrap_or(s.len());
        return (end > 0).then(|| &s[..end]);
    }
    let (mut depth, mut quoted) = (0usize, false);
    for (i, c) in s.char_indices() {
        match c {
            '|' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return Some(&s[..=i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// Does the term use only quoted constants, numerals and operators (no
/// binder: `|%..|` or a plain lower-case word that is not an operator)?
fn is_closed(term: &str) -> bool {
    const OPERATORS: [&str; 12] = [
        "select", "store", "ite", "and", "or", "not", "true", "false", "as", "const", "Array",
        "Int",
    ];
    if term.contains("|%") || term.contains("lambda") || term.contains("forall") {
        return false;
    }
    let mut quoted = false;
    let mut word = String::new();
    for c in term.chars().chain(std::iter::once(' ')) {
        if c == '|' {
            quoted = !quoted;
            continue;
        }
        if quoted {
            continue;
        }
        if c.is_alphanumeric() || c == '_' || c == '.' {
            word.push(c);
            continue;
        }
        let plain = !word.is_empty() && !word.chars().all(|c| c.is_ascii_digit());
        if plain && !OPERATORS.contains(&word.as_str()) {
            return false;
        }
        word.clear();
    }
    true
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
    let (result, interrupted) = timed_check(&solver, limits.timeout);
    let outcome = match result {
        SatResult::Unsat => Outcome::Proved,
        SatResult::Sat if !interrupted => {
            let mut models = Vec::new();
            if let Some(m) = solver.get_model() {
                models.push(model::read(&m, script));
            }
            // The process is killed past its limit (plus at least 2 s of
            // grace, see `pool`): minimise within part of what is left.
            let left = limits.timeout.saturating_sub(start.elapsed()) + Duration::from_secs(1);
            let deadline = Instant::now() + MINIMIZE_BUDGET.min(left);
            let spent = start.elapsed();
            if let Some(small) = minimize::smaller_model(script, spent, deadline) {
                let mut v = model::read(&small, script);
                v.minimized = true;
                models.insert(0, v);
            }
            Outcome::Failed(models)
        }
        SatResult::Sat => Outcome::Failed(Vec::new()),
        SatResult::Unknown => {
            let reason = solver.get_reason_unknown().unwrap_or_default();
            if interrupted || reason.contains("timeout") || reason.contains("canceled") {
                Outcome::Timeout
            } else {
                bounded_model(script, start, limits).unwrap_or(Outcome::Unknown(reason))
            }
        }
    };
    SolveResult {
        outcome,
        elapsed: start.elapsed(),
    }
}

/// The time a smaller model is searched for at most (see `minimize`).
const MINIMIZE_BUDGET: Duration = Duration::from_millis(1500);

/// When Z3 gives up (its quantifier instantiation is incomplete), a model
/// with the sets of the obligation bounded to few elements (see
/// `minimize`), searched for in the rest of the try's budget. Measured:
/// the weakened-quorum theorem with its definitions expanded, on which Z3
/// answers `unknown` in 0.1 s, has one with a single element in 7 ms.
fn bounded_model(
    script: &crate::encode::Script,
    start: Instant,
    limits: Limits,
) -> Option<Outcome> {
    let spent = start.elapsed();
    let left = limits.timeout.saturating_sub(spent).min(MINIMIZE_BUDGET);
    let m = minimize::smaller_model(script, spent, Instant::now() + left)?;
    let mut v = model::read(&m, script);
    v.minimized = true;
    Some(Outcome::Failed(vec![v]))
}

/// `solver.check()` under a wall-clock limit: Z3's own `timeout` is not
/// honoured in every phase (a lambda-heavy script ran for minutes past
/// it), so a watchdog thread interrupts the context at the limit. Returns
/// the result and whether the watchdog fired.
fn timed_check(solver: &Solver, timeout: Duration) -> (SatResult, bool) {
    let mut params = Params::new();
    params.set_u32("timeout", timeout.as_millis().min(u32::MAX as u128) as u32);
    solver.set_params(&params);
    let ctx = z3::Context::thread_local();
    let handle = ctx.handle();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let fired = std::sync::atomic::AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        let (fired, handle) = (&fired, &handle);
        scope.spawn(move || {
            if done_rx.recv_timeout(timeout).is_err() {
                fired.store(true, std::sync::atomic::Ordering::SeqCst);
                handle.interrupt();
            }
        });
        let r = solver.check();
        let _ = done_tx.send(());
        r
    });
    (result, fired.load(std::sync::atomic::Ordering::SeqCst))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ground_embeddings_skip_bound_variables() {
        let text = "(assert (= (|emb_Int| |n#0|) (|emb_Int| (+ |%0.0| 1))))\n\
                    (assert (forall ((x Int)) (! (= (|inv_Int| (|emb_Int| x)) x) :pattern ((|emb_Int| x)))))\n\
                    (assert (select |v_S| (|emb_Int| (+ |n#0| (- 2)))))";
        let found = ground_applications(text, "(|emb_", 1);
        assert_eq!(
            found,
            vec![
                ("|emb_Int|".to_string(), vec!["|n#0|".to_string()]),
                ("|emb_Int|".to_string(), vec!["(+ |n#0| (- 2))".to_string()]),
            ]
        );
    }
}
