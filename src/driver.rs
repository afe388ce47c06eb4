//! Runs the pipeline for the selected theorems: analyse, form obligations,
//! encode, solve, and collect results for the report.

use crate::encode::Encoder;
use crate::obligations::{Builder, Method, Obligation, ProofNode};
use crate::semantic::{self, Program};
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
    Failed(Option<solve::model::Counterexample>),
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
    let ids = select(&prog, req)?;
    let mut theorems = Vec::new();
    for id in ids {
        let mut builder = Builder::new(&mut prog);
        let mut tree = if req.auto {
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
        let prepared: Vec<Prepared> = obligations
            .into_iter()
            .map(|ob| prepare(&mut prog, &map, ob, req, &name, true))
            .collect();
        let uses: Vec<Vec<crate::semantic::ir::DefId>> =
            prepared.iter().map(|p| p.used.clone()).collect();
        let recursion: std::collections::BTreeSet<_> = uses.iter().flatten().copied().collect();
        let mut results = finish(prepared, req);
        retry_inlined(&mut prog, &map, &mut results, req, &name);
        // A result that assumes other obligations' statements (the last
        // hypotheses, see `Obligation::relies_on`) stands only if they are
        // proved; otherwise it is checked again without them.
        let retry: Vec<usize> = (0..results.len())
            .filter(|&i| {
                results[i]
                    .obligation
                    .relies_on
                    .iter()
                    .any(|&j| !results[j].status.is_proved())
            })
            .collect();
        let again: Vec<Prepared> = retry
            .iter()
            .map(|&i| {
                let mut ob = results[i].obligation.clone();
                let keep = ob.hyps.len().saturating_sub(ob.relies_on.len());
                ob.hyps.truncate(keep);
                ob.relies_on.clear();
                prepare(&mut prog, &map, ob, req, &name, true)
            })
            .collect();
        for (i, r) in retry.into_iter().zip(finish(again, req)) {
            results[i] = r;
        }
        // Recursive definitions whose equations were used: their termination.
        for d in recursion {
            let mut b = Builder::new(&mut prog);
            b.obligations = results.iter().map(|r| r.obligation.clone()).collect();
            let (node, _) = b.termination(d);
            let ob = b.obligations.pop().expect("termination obligation");
            let p = prepare(&mut prog, &map, ob, req, &name, false);
            let r = finish(vec![p], req).pop().expect("one result");
            if !r.status.is_proved() {
                // What relied on the equation of `d` is not proved either.
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
        let cites = if req.auto {
            Vec::new()
        } else {
            cited_theorems(&prog, id)
        };
        theorems.push(TheoremReport {
            name,
            tree,
            results,
            cites,
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

fn select(prog: &Program, req: &Request) -> anyhow::Result<Vec<crate::semantic::program::ThmId>> {
    use crate::semantic::program::{TheoremOrigin, ThmId};
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
    script: Option<crate::encode::Script>,
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
            match encoder.obligation(&ob) {
                Err(e) => {
                    let why = format!("{} (at {})", e.message, map.location(e.span));
                    decided(ob, Status::Unsupported(why))
                }
                Ok(script) => {
                    if let Some(dir) = &req.dump_smt {
                        let file = dir.join(format!(
                            "{}_{}_{}.smt2",
                            theorem,
                            ob.id,
                            sanitize(&ob.path[1..].join("_"))
                        ));
                        let _ = std::fs::create_dir_all(dir);
                        let _ = std::fs::write(file, format!("{}(check-sat)\n", script.text));
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
                        script: Some(script),
                    }
                }
            }
        }
    }
}

/// Solve the encoded obligations (in parallel solver processes) and
/// return every result in order.
fn finish(prepared: Vec<Prepared>, req: &Request) -> Vec<ObResult> {
    let scripts: Vec<&crate::encode::Script> =
        prepared.iter().filter_map(|p| p.script.as_ref()).collect();
    let mut solved = solve::isolate::check_all(&scripts, req.limits, req.jobs).into_iter();
    prepared
        .into_iter()
        .map(|p| {
            let mut r = p.result;
            if p.script.is_some() {
                let s = solved.next().expect("one result per script");
                let incomplete = p.script.as_ref().map_or(&[][..], |s| &s.incomplete[..]);
                r.status = match s.outcome {
                    Outcome::Proved => Status::Proved,
                    // The model may violate a fact that was left out.
                    Outcome::Failed(_) if !incomplete.is_empty() => Status::Unknown(format!(
                        "Z3 found a model, but the cited facts {} could not be encoded, so it is no counterexample",
                        incomplete.join(", ")
                    )),
                    Outcome::Failed(cx) => Status::Failed(cx),
                    Outcome::Unknown(why) => Status::Unknown(why),
                    Outcome::Timeout => Status::Timeout,
                    Outcome::Error(e) => Status::Error(e),
                };
                r.time = r.encode_time + s.elapsed;
            }
            r
        })
        .collect()
}

/// Obligations Z3 gave up on (timeout, unknown) get a second try, on half
/// the budget, with Boolean definitions inlined instead of symbols with
/// defining axioms: neither encoding dominates (measured: KnowsSafeAtDef,
/// two unfoldings of one definition, proves only inlined; most action
/// steps prove only with symbols). A model is a counterexample in either.
fn retry_inlined(
    prog: &mut Program,
    map: &SourceMap,
    results: &mut [ObResult],
    req: &Request,
    theorem: &str,
) {
    let retry: Vec<usize> = (0..results.len())
        .filter(|&i| {
            let r = &results[i];
            matches!(r.status, Status::Timeout | Status::Unknown(_))
                && matches!(r.obligation.method, Method::Smt)
                && !r.obligation.inline_predicates
        })
        .collect();
    if retry.is_empty() {
        return;
    }
    let mut half = req.clone();
    half.limits.timeout = req.limits.timeout / 2;
    let again: Vec<Prepared> = retry
        .iter()
        .map(|&i| {
            let mut ob = results[i].obligation.clone();
            ob.inline_predicates = true;
            prepare(prog, map, ob, &half, theorem, true)
        })
        .collect();
    for (i, r) in retry.into_iter().zip(finish(again, &half)) {
        let spent = results[i].time + r.time;
        if r.status.is_proved() || matches!(r.status, Status::Failed(_)) {
            results[i] = r;
        }
        results[i].time = spent;
    }
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}
