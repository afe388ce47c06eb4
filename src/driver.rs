//! Runs the pipeline for the selected theorems: analyse, form obligations,
//! encode, solve, and collect results for the report.

use crate::confirm::{Confirmation, Counterexample};
use crate::encode::Encoder;
use crate::obligations::{Builder, Method, Obligation, ProofNode};
use crate::semantic::ir::DefId;
use crate::semantic::{self, Program};
use crate::solve::schedule::SoFar;
use crate::solve::{self, Limits, Outcome};
use crate::source::SourceMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What the user asked for.
#[derive(Clone, Debug)]
pub struct Request {
    pub module: PathBuf,
    pub search: Vec<PathBuf>,
    /// Theorem names (case-insensitive); empty with `all` = every theorem.
    pub theorems: Vec<String>,
    pub all: bool,
    pub limits: Limits,
    /// Write each obligation's SMT-LIB script into this directory.
    pub dump_smt: Option<PathBuf>,
    /// Ignore the proofs: check invariance theorems action by action.
    pub auto: bool,
    /// Only the theorem of the root module whose text contains this line
    /// (1-based), named or not (as tlapm's `--line`).
    pub line: Option<usize>,
    /// Solver processes run at the same time.
    pub jobs: usize,
}

/// One solver process per core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The status of one obligation.
#[derive(Clone, Debug)]
pub enum Status {
    Proved,
    /// A counterexample: a model of the solver in which the obligation,
    /// with every definition expanded, evaluates to hypotheses TRUE and
    /// goal FALSE (see `confirm`).
    Failed(Box<Counterexample>),
    /// The solver found a model, but it is not a confirmed counterexample:
    /// why, and the model.
    Unconfirmed {
        why: String,
        model: Option<Box<Counterexample>>,
    },
    Unknown(String),
    Timeout,
    TemporalRule(&'static str),
    Omitted,
    Unsupported(String),
    /// An internal error (the encoder produced something Z3 rejected).
    Error(String),
}

impl Status {
    pub fn is_proved(&self) -> bool {
        matches!(self, Status::Proved | Status::TemporalRule(_))
    }
}

#[derive(Clone, Debug)]
pub struct ObResult {
    pub obligation: Obligation,
    pub status: Status,
    pub time: Duration,
    pub encode_time: Duration,
}

#[derive(Debug)]
pub struct TheoremReport {
    pub name: String,
    pub tree: ProofNode,
    pub results: Vec<ObResult>,
    /// User theorems its proof cites: they are assumed here, and checked
    /// only when they are selected too.
    pub cites: Vec<crate::semantic::program::ThmId>,
    /// Input errors that refused the proof (a circular citation), shown
    /// as `file:line:col: error: ...` above the proof trees.
    pub errors: Vec<crate::source::Diagnostic>,
}

/// User theorems cited (BY / USE) anywhere in a theorem's proof.
fn cited_theorems(
    prog: &Program,
    id: crate::semantic::program::ThmId,
) -> Vec<crate::semantic::program::ThmId> {
    use crate::semantic::program::TheoremOrigin;
    use crate::semantic::proof::{Fact, RProof, RStepKind};
    fn facts(fs: &[Fact], out: &mut std::collections::BTreeSet<crate::semantic::program::ThmId>) {
        for f in fs {
            if let Fact::Theorem(t, _) = f {
                out.insert(*t);
            }
        }
    }
    fn walk(p: &RProof, out: &mut std::collections::BTreeSet<crate::semantic::program::ThmId>) {
        match p {
            RProof::By(by) => facts(&by.facts, out),
            RProof::Steps(steps, _) => {
                for s in steps {
                    if let RStepKind::Use { facts: fs, .. } = &s.kind {
                        facts(fs, out);
                    }
                    if let Some(p) = &s.proof {
                        walk(p, out);
                    }
                }
            }
            RProof::Obvious(_) | RProof::Omitted(_) => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    if let Some(p) = &prog.theorem(id).proof {
        walk(p, &mut out);
    }
    out.into_iter()
        .filter(|t| *t != id && prog.theorem(*t).origin == TheoremOrigin::User)
        .collect()
}

#[derive(Debug)]
pub struct Report {
    pub theorems: Vec<TheoremReport>,
    pub map: SourceMap,
    pub prog: Program,
    pub analysis_time: Duration,
    pub total_time: Duration,
}

/// Run the request. Errors are input errors (rendered with locations).
pub fn run(req: &Request) -> anyhow::Result<Report> {
    let start = Instant::now();
    let (mut prog, map) = semantic::analyze(&req.module, &req.search)?;
    let analysis_time = start.elapsed();
    let ids = select(&prog, &map, req)?;
    // Every theorem's obligations first, so that the solver processes are
    // shared by all of them: one slow obligation does not hold up the rest.
    let mut trees = Vec::new();
    let mut work: Vec<(Obligation, String)> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (t, &id) in ids.iter().enumerate() {
        let mut builder = Builder::new(&mut prog);
        let tree = if req.auto {
            builder.auto_invariance(id)
        } else {
            builder.theorem(id)
        };
        let obligations = builder.obligations;
        let name = prog
            .theorem(id)
            .name
            .as_deref()
            .unwrap_or("<unnamed>")
            .to_string();
        owner.extend(std::iter::repeat_n(t, obligations.len()));
        work.extend(obligations.into_iter().map(|ob| (ob, name.clone())));
        trees.push((name, tree));
    }
    let names: Vec<&str> = trees.iter().map(|(n, _)| n.as_str()).collect();
    let mut solved = solve_scheduled(&mut prog, &map, work, req, true);
    recheck_without_unproved(&mut prog, &map, &mut solved, &owner, &names, req);
    for s in solved.iter_mut() {
        explain_temporal_failure(&mut s.result);
    }
    let mut per_theorem: Vec<Vec<Solved>> = (0..ids.len()).map(|_| Vec::new()).collect();
    for (s, t) in solved.into_iter().zip(owner) {
        per_theorem[t].push(s);
    }
    let mut theorems = Vec::new();
    for ((id, (name, mut tree)), solved) in ids.into_iter().zip(trees).zip(per_theorem) {
        let results = with_terminations(&mut prog, &map, &mut tree, solved, &name, req);
        let (cites, errors) = if req.auto {
            // `--auto` ignores the proofs, and so their citations.
            (Vec::new(), Vec::new())
        } else {
            let circular = prog.theorem(id).circular.iter().cloned().collect();
            (cited_theorems(&prog, id), circular)
        };
        theorems.push(TheoremReport {
            name,
            tree,
            results,
            cites,
            errors,
        });
    }
    Ok(Report {
        theorems,
        map,
        prog,
        analysis_time,
        total_time: start.elapsed(),
    })
}

fn select(
    prog: &Program,
    map: &SourceMap,
    req: &Request,
) -> anyhow::Result<Vec<crate::semantic::program::ThmId>> {
    use crate::semantic::program::{TheoremOrigin, ThmId};
    let in_root = |t: &crate::semantic::program::TheoremItem| {
        t.origin == TheoremOrigin::User && t.module == prog.root_name
    };
    if let Some(line) = req.line {
        let at = prog.theorems.iter().position(|t| {
            let file = map.file(t.span.file);
            let first = file.line_col(t.span.start as usize).0;
            let last = file.line_col(t.span.end as usize).0;
            in_root(t) && (first..=last).contains(&line)
        });
        return match at {
            Some(i) => Ok(vec![ThmId(i as u32)]),
            None => anyhow::bail!(
                "{}:{line}:1: error: no theorem of the module is at line {line}",
                req.module.display()
            ),
        };
    }
    if req.all {
        return Ok((0..prog.theorems.len())
            .map(|i| ThmId(i as u32))
            .filter(|id| {
                let t = prog.theorem(*id);
                t.origin == TheoremOrigin::User && t.module == prog.root_name
            })
            .collect());
    }
    let mut out = Vec::new();
    for name in &req.theorems {
        match prog.theorem_by_name(name) {
            Some(id) => out.push(id),
            None => {
                let known: Vec<&str> = prog
                    .theorems
                    .iter()
                    .filter(|t| t.origin == TheoremOrigin::User)
                    .filter_map(|t| t.name.as_deref())
                    .collect();
                anyhow::bail!(
                    "no theorem named `{name}` in {} (theorems: {})",
                    req.module.display(),
                    known.join(", ")
                );
            }
        }
    }
    Ok(out)
}

/// An obligation ready for the solver, or already decided without it.
struct Prepared {
    result: ObResult,
    /// The script and the obligation as it encodes it.
    script: Option<(crate::encode::Script, Obligation)>,
    /// Recursive definitions whose equations the script assumes.
    used: Vec<crate::semantic::ir::DefId>,
}

/// Encode one obligation (`assume_termination`: use recursive equations
/// unguarded, their termination being checked separately).
fn prepare(
    prog: &mut Program,
    map: &SourceMap,
    ob: Obligation,
    req: &Request,
    theorem: &str,
    assume_termination: bool,
) -> Prepared {
    let start = Instant::now();
    let decided = |ob: Obligation, status: Status| Prepared {
        result: ObResult {
            obligation: ob,
            status,
            time: start.elapsed(),
            encode_time: Duration::ZERO,
        },
        script: None,
        used: Vec::new(),
    };
    match &ob.method {
        Method::TemporalRule(r) => decided(ob.clone(), Status::TemporalRule(r)),
        Method::Omitted => decided(ob.clone(), Status::Omitted),
        Method::Unsupported(why) => {
            let why = why.clone();
            decided(ob, Status::Unsupported(why))
        }
        Method::Smt => {
            let mut encoder = Encoder::new(prog, ob.expand.clone());
            encoder.assume_termination = assume_termination;
            if ob.inline_predicates {
                encoder.symbolic_predicates = false;
            }
            match encoder.obligation_normalized(&ob) {
                Err(e) => {
                    let why = format!("{} (at {})", e.message, map.location(e.span));
                    decided(ob, Status::Unsupported(why))
                }
                Ok((script, normalized)) => {
                    if let Some(dir) = &req.dump_smt {
                        let file = dir.join(format!(
                            "{}_{}_{}{}.smt2",
                            theorem,
                            ob.id,
                            sanitize(&ob.path[1..].join("_")),
                            if ob.inline_predicates { "_inlined" } else { "" }
                        ));
                        let _ = std::fs::create_dir_all(dir);
                        // `TLASMT_DUMP_Z3=1`: the script exactly as Z3
                        // gets it (for studying a solver run).
                        let text = if std::env::var_os("TLASMT_DUMP_Z3").is_some() {
                            format!("{}(check-sat)\n", script.text)
                        } else {
                            crate::smtlib::dump(&script.text)
                        };
                        let _ = std::fs::write(file, text);
                    }
                    let encode_time = start.elapsed();
                    Prepared {
                        used: script.recursion.clone(),
                        result: ObResult {
                            obligation: ob,
                            status: Status::Unknown("not checked".into()),
                            time: encode_time,
                            encode_time,
                        },
                        script: Some((script, normalized)),
                    }
                }
            }
        }
    }
}

/// The theorem's results, followed by the termination obligations of the
/// recursive definitions whose equations they used; what used an equation
/// whose termination is not proved is not proved either.
fn with_terminations(
    prog: &mut Program,
    map: &SourceMap,
    tree: &mut ProofNode,
    solved: Vec<Solved>,
    name: &str,
    req: &Request,
) -> Vec<ObResult> {
    let uses: Vec<Vec<DefId>> = solved.iter().map(|s| s.used.clone()).collect();
    let recursion: std::collections::BTreeSet<DefId> = uses.iter().flatten().copied().collect();
    let mut results: Vec<ObResult> = solved.into_iter().map(|s| s.result).collect();
    for d in recursion {
        let mut b = Builder::new(prog);
        b.obligations = results.iter().map(|r| r.obligation.clone()).collect();
        let (node, _) = b.termination(d);
        let ob = b.obligations.pop().expect("termination obligation");
        let r = solve_scheduled(prog, map, vec![(ob, name.to_string())], req, false)
            .pop()
            .expect("one result")
            .result;
        if !r.status.is_proved() {
            let why = format!(
                "relies on the defining equation of `{}`, whose termination is not proved",
                prog.def(d).name
            );
            for (res, used) in results.iter_mut().zip(&uses) {
                if used.contains(&d) && res.status.is_proved() {
                    res.status = Status::Unsupported(why.clone());
                }
            }
        }
        results.push(r);
        tree.children.push(node);
    }
    results
}

/// A result that assumes other obligations' statements (the last
/// hypotheses, see `Obligation::relies_on`) stands only if they are
/// proved; otherwise it is checked again without them. `relies_on` indexes
/// the theorem's own obligations (`owner` gives each one's theorem, whose
/// obligations are contiguous).
fn recheck_without_unproved(
    prog: &mut Program,
    map: &SourceMap,
    solved: &mut [Solved],
    owner: &[usize],
    names: &[&str],
    req: &Request,
) {
    let mut first_of = vec![0; names.len()];
    for (i, &t) in owner.iter().enumerate().rev() {
        first_of[t] = i;
    }
    let retry: Vec<usize> = (0..solved.len())
        .filter(|&i| {
            let base = first_of[owner[i]];
            solved[i]
                .result
                .obligation
                .relies_on
                .iter()
                .any(|&j| !solved[base + j].result.status.is_proved())
        })
        .collect();
    let again: Vec<(Obligation, String)> = retry
        .iter()
        .map(|&i| {
            let mut ob = solved[i].result.obligation.clone();
            let keep = ob.hyps.len().saturating_sub(ob.relies_on.len());
            ob.hyps.truncate(keep);
            ob.relies_on.clear();
            (ob, names[owner[i]].to_string())
        })
        .collect();
    for (i, s) in retry
        .into_iter()
        .zip(solve_scheduled(prog, map, again, req, true))
    {
        solved[i] = s;
    }
}

/// A solved obligation and the recursive definitions whose equations the
/// encoding that decided it assumed.
struct Solved {
    result: ObResult,
    used: Vec<DefId>,
}

/// Solve obligations, each on the tries of `solve::schedule::plan`;
/// results in input order. A model that is not confirmed and whose
/// obligation hides definitions gets one more chance with them expanded
/// (`retry_with_definitions`).
fn solve_scheduled(
    prog: &mut Program,
    map: &SourceMap,
    work: Vec<(Obligation, String)>,
    req: &Request,
    assume_termination: bool,
) -> Vec<Solved> {
    let mut out = solve_tries(prog, map, &work, req, assume_termination);
    retry_with_definitions(prog, map, &work, &mut out, req, assume_termination);
    out
}

/// Every obligation's tries, run on the worker pool.
fn solve_tries(
    prog: &mut Program,
    map: &SourceMap,
    work: &[(Obligation, String)],
    req: &Request,
    assume_termination: bool,
) -> Vec<Solved> {
    let mut tries = Scheduled {
        prog,
        map,
        work,
        req,
        assume_termination,
        next: vec![0; work.len()],
        out: (0..work.len()).map(|_| None).collect(),
        running: (0..work.len()).map(|_| Vec::new()).collect(),
    };
    solve::schedule::run(&mut tries, req.jobs);
    tries
        .out
        .into_iter()
        .map(|s| s.expect("every obligation gets a first try"))
        .collect()
}

/// The state of `solve_tries`: per obligation, the number of its next try,
/// its result so far, and its tries in flight (number, encoding).
struct Scheduled<'a> {
    prog: &'a mut Program,
    map: &'a SourceMap,
    work: &'a [(Obligation, String)],
    req: &'a Request,
    assume_termination: bool,
    next: Vec<usize>,
    out: Vec<Option<Solved>>,
    running: Vec<Vec<(usize, Prepared)>>,
}

impl Scheduled<'_> {
    fn so_far(&self, i: usize) -> SoFar {
        let Some(s) = &self.out[i] else {
            // A try is still running: the next one is speculative, as if
            // that one ended inconclusive.
            if self.running[i].is_empty() {
                return SoFar::Nothing;
            }
            return SoFar::Inconclusive;
        };
        if !matches!(s.result.obligation.method, Method::Smt) {
            return SoFar::Decided;
        }
        match &s.result.status {
            Status::Timeout | Status::Unknown(_) => SoFar::Inconclusive,
            // Z3 itself crashed (seen: an abort in one engine of the
            // portfolio, not reproducible alone): the next try runs.
            Status::Error(e) if e.starts_with("the solver process ended without a result") => {
                SoFar::Inconclusive
            }
            Status::Unconfirmed { .. } => SoFar::Unconfirmed,
            _ => SoFar::Decided,
        }
    }

    /// Record a try's result: the first decisive one stands; a model that
    /// was not confirmed says more than a later timeout or `unknown`.
    fn settle(&mut self, i: usize, k: usize, mut solved: Solved) {
        let before = self.out[i].take();
        if let Some(prev) = before {
            if matches!(prev.result.status, Status::Proved | Status::Failed(_)) {
                self.out[i] = Some(prev);
                return;
            }
            solved.result.time += prev.result.time;
            if matches!(prev.result.status, Status::Unconfirmed { .. })
                && matches!(solved.result.status, Status::Timeout | Status::Unknown(_))
            {
                solved.result.status = prev.result.status.clone();
            }
        }
        tracing::debug!(
            "try {k}: {} {:?} {:?} after {:.3} s",
            self.work[i].1,
            solved.result.obligation.path,
            solved.result.status,
            solved.result.time.as_secs_f64()
        );
        self.out[i] = Some(solved);
    }
}

impl solve::schedule::Tries for Scheduled<'_> {
    fn count(&self) -> usize {
        self.work.len()
    }

    fn next_try(&mut self, i: usize) -> Option<(usize, &crate::encode::Script, Limits)> {
        let (ob, theorem) = &self.work[i];
        // Some obligations are built with definitions inlined already.
        let symbols = !ob.inline_predicates;
        loop {
            let k = self.next[i];
            if k >= solve::schedule::TRIES {
                return None;
            }
            self.next[i] += 1;
            let Some(t) = solve::schedule::plan(k, symbols, self.so_far(i)) else {
                continue;
            };
            let mut ob = ob.clone();
            ob.inline_predicates = t.inline;
            let limits = Limits {
                timeout: self.req.limits.timeout.mul_f64(t.share),
                portfolio: self.req.limits.portfolio && t.slices,
                ..self.req.limits
            };
            let p = prepare(
                self.prog,
                self.map,
                ob,
                self.req,
                theorem,
                self.assume_termination,
            );
            if p.script.is_none() {
                // Decided without the solver (not an SMT step, or not
                // encodable).
                self.settle(
                    i,
                    k,
                    Solved {
                        result: p.result,
                        used: p.used,
                    },
                );
                continue;
            }
            self.running[i].push((k, p));
            let script = self.running[i].last().and_then(|(_, p)| p.script.as_ref());
            return script.map(|(s, _)| (k, s, limits));
        }
    }

    fn record(&mut self, i: usize, k: usize, s: solve::SolveResult) -> bool {
        let Some(at) = self.running[i].iter().position(|(n, _)| *n == k) else {
            return false;
        };
        let (_, p) = self.running[i].remove(at);
        let mut r = p.result;
        if let Some((script, normalized)) = &p.script {
            r.status = match s.outcome {
                Outcome::Proved => Status::Proved,
                Outcome::Failed(models) => {
                    model_status(self.prog, self.map, script, normalized, &models)
                }
                Outcome::Unknown(why) => Status::Unknown(why),
                Outcome::Timeout => Status::Timeout,
                Outcome::Error(e) => Status::Error(e),
            };
            r.time = r.encode_time + s.elapsed;
        }
        self.settle(
            i,
            k,
            Solved {
                result: r,
                used: p.used,
            },
        );
        let decided = self.so_far(i) == SoFar::Decided;
        if decided {
            self.running[i].clear();
        }
        decided
    }
}

/// An obligation whose model is not confirmed and that uses hidden
/// definitions is solved again with all of them expanded: a model of that
/// is one where the definitions have their values, so it may confirm (a
/// counterexample to the theorem, hence to the obligation too); a proof of
/// it says the obligation needs those definitions cited.
fn retry_with_definitions(
    prog: &mut Program,
    map: &SourceMap,
    work: &[(Obligation, String)],
    out: &mut [Solved],
    req: &Request,
    assume_termination: bool,
) {
    let mut retry = Vec::new();
    let mut again = Vec::new();
    for (i, (ob, theorem)) in work.iter().enumerate() {
        if !matches!(out[i].result.status, Status::Unconfirmed { .. }) {
            continue;
        }
        let hidden = hidden_definitions(prog, ob);
        if hidden.is_empty() {
            continue;
        }
        let mut ob = ob.clone();
        ob.expand.extend(hidden.iter().copied());
        retry.push((i, hidden));
        again.push((ob, theorem.clone()));
    }
    if again.is_empty() {
        return;
    }
    let solved = solve_tries(prog, map, &again, req, assume_termination);
    for ((i, hidden), s) in retry.into_iter().zip(solved) {
        let names = definition_list(prog, &hidden);
        let r = &mut out[i].result;
        r.time += s.result.time;
        match s.result.status {
            Status::Failed(mut cx) => {
                cx.note = Some(format!(
                    "found with the hidden definitions expanded: {names}"
                ));
                r.status = Status::Failed(cx);
            }
            Status::Proved => {
                if let Status::Unconfirmed { why, .. } = &mut r.status {
                    why.push_str(&format!(
                        "; with the hidden definitions {names} expanded, the obligation is proved"
                    ));
                }
            }
            _ => {}
        }
    }
}

/// Definitions the obligation uses, directly or through the bodies of
/// others, that it does not expand.
fn hidden_definitions(prog: &Program, ob: &Obligation) -> std::collections::BTreeSet<DefId> {
    use crate::semantic::ir::{DefBody, DefOrigin, E, Kind};
    let mut todo: Vec<&E> = ob.formulas();
    let mut seen = std::collections::BTreeSet::new();
    while let Some(e) = todo.pop() {
        if let Kind::App(d, _) | Kind::RecFnRef(d) = &e.kind
            && seen.insert(*d)
        {
            match &prog.def(*d).body {
                DefBody::Expr(b) => todo.push(b),
                DefBody::RecFn(bs, b) => {
                    todo.extend(bs.iter().map(|(_, s)| s));
                    todo.push(b);
                }
                DefBody::Pending => {}
            }
        }
        todo.extend(crate::semantic::level::children(e));
    }
    seen.into_iter()
        .filter(|d| !ob.expand.contains(d) && prog.def(*d).origin != DefOrigin::Let)
        .collect()
}

/// `A, B, C` (at most six names, then how many more).
fn definition_list(prog: &Program, defs: &std::collections::BTreeSet<DefId>) -> String {
    let names: Vec<&str> = defs.iter().map(|d| &*prog.def(*d).name).collect();
    if names.len() <= 6 {
        names.join(", ")
    } else {
        format!("{} and {} more", names[..6].join(", "), names.len() - 6)
    }
}

/// A temporal obligation that neither PTL nor Z3 (temporal subformulas
/// opaque) proved: PTL's countermodel is the better explanation.
fn explain_temporal_failure(r: &mut ObResult) {
    let Some(note) = &r.obligation.temporal_note else {
        return;
    };
    let z3 = match &r.status {
        Status::Proved | Status::TemporalRule(_) | Status::Omitted => return,
        Status::Timeout => "timeout".to_string(),
        Status::Unconfirmed { .. } | Status::Failed(_) => "a model".to_string(),
        Status::Unknown(w) | Status::Unsupported(w) | Status::Error(w) => w.clone(),
    };
    r.status = Status::Unsupported(format!(
        "{note}; Z3, with the temporal subformulas opaque: {z3}"
    ));
}

/// FAILED if a model is a confirmed counterexample, otherwise why not.
/// Cited library facts left out of the script do not matter to a
/// confirmed one: they are valid, so true in it.
fn model_status(
    prog: &Program,
    map: &SourceMap,
    script: &crate::encode::Script,
    normalized: &Obligation,
    models: &[solve::model::ModelValues],
) -> Status {
    match crate::confirm::confirm(prog, map, script, normalized, models) {
        Confirmation::Confirmed(cx) if normalized.dropped_temporal => Status::Unconfirmed {
            why: "the obligation's temporal subformulas were opaque for Z3; the model \
                  may not extend to a behavior in which they have its truth values"
                .into(),
            model: Some(Box::new(cx)),
        },
        Confirmation::Confirmed(cx) => Status::Failed(Box::new(cx)),
        Confirmation::NotConfirmed { mut why, model } => {
            if !script.incomplete.is_empty() {
                why.push_str(&format!(
                    "; the cited facts {} could not be encoded, so the model may violate them",
                    script.incomplete.join(", ")
                ));
            }
            Status::Unconfirmed {
                why,
                model: model.map(Box::new),
            }
        }
    }
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}
