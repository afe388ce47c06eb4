//! Stage 4: proof obligations, formed from a hierarchical proof as TLAPS
//! forms them.
//!
//! Context rules (TLAPS): definitions are hidden unless cited with DEF or
//! made usable with USE DEF (proof-local DEFINEs are usable); the
//! hypotheses of the enclosing ASSUME/PROVE, CASE and HAVE steps, NEW domain
//! facts, unnamed steps and USE'd facts are usable; named steps, theorems
//! and assumptions are used only when cited. Inside its own proof a step's
//! name denotes its assumptions; after it, its assertion.

mod auto;
mod enabled;
mod goal_steps;
mod monotone;
mod native;
mod temporal;
pub use temporal::same;
pub mod termination;

use crate::semantic::ir::*;
use crate::semantic::program::{AsmId, Program, TheoremOrigin, ThmId};
use crate::semantic::proof::*;
use crate::source::Span;
use crate::syntax::ast::{BinOp, UnOp};
use crate::types::Type;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

/// A hypothesis of an obligation.
#[derive(Clone, Debug)]
pub enum Hypothesis {
    Formula(E),
    /// `\A news : hyps => goal`, kept structured so the encoder can
    /// quantify over it (and instantiate generic library theorems).
    Sequent(Sequent),
    /// A trusted standard-library theorem (generic; instantiated per sort).
    Library(ThmId),
}

/// How an obligation is discharged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Method {
    /// Sent to Z3.
    Smt,
    /// Checked by a built-in temporal rule (named).
    TemporalRule(&'static str),
    /// The proof says OMITTED or is missing: never counted as proved.
    Omitted,
    /// Cannot be checked: the reason.
    Unsupported(String),
}

#[derive(Clone, Debug)]
pub struct Obligation {
    pub id: usize,
    /// Step labels from the theorem down, e.g. `["<1>2", "<2>1", "<3>1", "<4>4"]`.
    pub path: Vec<String>,
    pub span: Span,
    pub method: Method,
    pub news: Vec<(BVar, Option<E>)>,
    pub hyps: Vec<Hypothesis>,
    pub goal: E,
    /// Definitions the obligation may expand.
    pub expand: BTreeSet<DefId>,
    /// Library theorems it relies on (trusted facts).
    pub library: Vec<ThmId>,
    /// Obligations (ids of the same theorem) whose statements it assumes,
    /// as its last hypotheses, in this order: if one of them is not proved,
    /// the driver checks it again without them.
    pub relies_on: Vec<usize>,
    /// Encode Boolean definitions with parameters inline rather than as
    /// symbols with defining axioms (measured: a monotonicity lemma proves
    /// in 0.1 s inlined and times out with symbols).
    pub inline_predicates: bool,
    /// Temporal subformulas made opaque for Z3 (see `push_goal`): a model
    /// of the obligation is then no counterexample.
    pub dropped_temporal: bool,
    /// Why PTL did not prove this temporal obligation, which then went to
    /// Z3 with its temporal subformulas opaque: reported if Z3 fails too.
    pub temporal_note: Option<String>,
}

/// The proof tree for the report: one node per step.
#[derive(Clone, Debug)]
pub struct ProofNode {
    pub label: String,
    pub span: Span,
    pub obligations: Vec<usize>,
    pub children: Vec<ProofNode>,
}

#[derive(Clone)]
struct Ctx {
    news: Vec<(BVar, Option<E>)>,
    hyps: Vec<Hypothesis>,
    goal: E,
    defs: BTreeSet<DefId>,
    /// What each step asserts, for citation after the step.
    facts: HashMap<StepKey, Hypothesis>,
    /// What each step assumes, for citation inside its own proof.
    inside: HashMap<StepKey, Vec<Hypothesis>>,
    path: Vec<String>,
    /// Every hypothesis holds in every state of a behavior whenever it
    /// holds in the first (constant, `[]F`, or a fact proved in such a
    /// context): what is proved here may then be boxed by PTL.
    rigid: bool,
    /// The facts (by their formula) that hold in every state: theorems and
    /// steps proved in a rigid context.
    always: Vec<E>,
}

/// The formula that identifies a hypothesis (a sequent: its goal).
fn hyp_key(h: &Hypothesis) -> Option<&E> {
    match h {
        Hypothesis::Formula(f) => Some(f),
        Hypothesis::Sequent(s) => Some(&s.goal),
        Hypothesis::Library(_) => None,
    }
}

impl Ctx {
    /// Does `h` hold in every state (see `rigid`)?
    fn is_always(&self, prog: &Program, h: &Hypothesis) -> bool {
        temporal::holds_always(prog, h)
            || hyp_key(h).is_some_and(|k| self.always.iter().any(|a| Rc::ptr_eq(a, k)))
    }

    /// Add a hypothesis to the context.
    fn assume(&mut self, prog: &Program, h: Hypothesis) {
        self.rigid &= self.is_always(prog, &h);
        self.hyps.push(h);
    }

    /// Record that `h` (proved or true in every state) holds in every state.
    fn mark_always(&mut self, h: &Hypothesis) {
        if let Some(k) = hyp_key(h) {
            self.always.push(k.clone());
        }
    }
}

pub struct Builder<'p> {
    pub prog: &'p mut Program,
    pub obligations: Vec<Obligation>,
}

impl<'p> Builder<'p> {
    pub fn new(prog: &'p mut Program) -> Self {
        Builder {
            prog,
            obligations: Vec::new(),
        }
    }

    /// Obligations of one theorem's proof.
    pub fn theorem(&mut self, id: ThmId) -> ProofNode {
        let t = self.prog.theorem(id).clone();
        let name = t.name.as_deref().unwrap_or("<unnamed>").to_string();
        let mut ctx = Ctx {
            news: t.statement.news.clone(),
            hyps: Vec::new(),
            goal: t.statement.goal.clone(),
            defs: BTreeSet::new(),
            facts: HashMap::new(),
            inside: HashMap::new(),
            path: vec![name.clone()],
            rigid: true,
            always: Vec::new(),
        };
        for h in &t.statement.hyps {
            ctx.assume(self.prog, hyp_of(h));
        }
        // A NEW constant's domain is a hypothesis too.
        for (_, dom) in &t.statement.news {
            if let Some(d) = dom {
                ctx.rigid &= temporal::holds_always(self.prog, &Hypothesis::Formula(d.clone()));
            }
        }
        let mut node = ProofNode {
            label: name,
            span: t.span,
            obligations: Vec::new(),
            children: Vec::new(),
        };
        // A proof that cites its own theorem proves nothing, whatever its
        // obligations say.
        let refused = t.circular.as_ref().map(|d| (d.span, d.message.clone()));
        if let Some((span, why)) = refused {
            self.refuse(&ctx, span, why, &mut node);
            return node;
        }
        match &t.proof {
            Some(p) => {
                // What module-level USE made usable before the theorem.
                let at = ctx.clone();
                let used = &t.module_use;
                self.use_facts(&mut ctx, &at, &used.facts, &used.defs, &mut node);
                self.proof(&mut ctx, p, &mut node);
                self.monotonicity_aids(&mut node);
            }
            None => {
                let ob = self.push(&ctx, t.span, Method::Omitted, Vec::new(), Vec::new());
                node.obligations.push(ob);
            }
        }
        node
    }

    /// The termination obligation of a recursive function definition.
    pub fn termination(&mut self, d: DefId) -> (ProofNode, usize) {
        let def = self.prog.def(d).clone();
        let label = format!("termination of {}", def.name);
        // Every definition expanded; for a length measure not the library's
        // (Len, Tail ...): the Sequences facts say what is needed of them.
        let by_length = termination::by_length(self.prog, d);
        let all: BTreeSet<DefId> = (0..self.prog.defs.len() as u32)
            .map(DefId)
            .filter(|d| !self.prog.recursive_ops.contains(d))
            .filter(|d| !(by_length && self.prog.library_defs.contains(d)))
            .collect();
        let (goal, method) = match termination::condition(self.prog, d) {
            Ok(g) => (g, Method::Smt),
            Err(why) => (
                self.prog.mk_bool(Kind::Bool(false), def.span),
                Method::Unsupported(why),
            ),
        };
        let id = self.obligations.len();
        self.obligations.push(Obligation {
            id,
            path: vec![label.clone()],
            span: def.span,
            method,
            news: Vec::new(),
            hyps: Vec::new(),
            goal,
            expand: all,
            library: Vec::new(),
            relies_on: Vec::new(),
            inline_predicates: false,
            dropped_temporal: false,
            temporal_note: None,
        });
        if by_length {
            let ob = &self.obligations[id];
            let native = native::sequence_facts(self.prog, &[&ob.goal], &ob.expand);
            let ob = &mut self.obligations[id];
            ob.hyps
                .extend(native.iter().map(|t| Hypothesis::Library(*t)));
            ob.library = native;
        }
        let node = ProofNode {
            label,
            span: def.span,
            obligations: vec![id],
            children: Vec::new(),
        };
        (node, id)
    }

    fn push(
        &mut self,
        ctx: &Ctx,
        span: Span,
        method: Method,
        extra: Vec<Hypothesis>,
        defs: Vec<DefId>,
    ) -> usize {
        self.push_goal(ctx, ctx.goal.clone(), span, method, extra, defs)
    }

    fn push_goal(
        &mut self,
        ctx: &Ctx,
        goal: E,
        span: Span,
        method: Method,
        extra: Vec<Hypothesis>,
        defs: Vec<DefId>,
    ) -> usize {
        let mut hyps = ctx.hyps.clone();
        hyps.extend(extra);
        let mut expand = ctx.defs.clone();
        expand.extend(defs);
        // A RECURSIVE operator is never expanded (see `recursive_ops`).
        expand.retain(|d| !self.prog.recursive_ops.contains(d));
        // `ENABLED A` for Z3: the existential over A's primed variables
        // (TLAPS's ExpandENABLED), where A's definitions may be expanded.
        let mut goal = goal;
        let mut dropped_temporal = false;
        if method == Method::Smt {
            // Temporal subformulas are opaque truths about the behavior for
            // Z3 (see `encode::expr::temporal_atoms`), as hidden temporal
            // definitions are; the obligation is then weaker than its TLA+
            // meaning, so a model of it is no counterexample.
            let usable = |d: DefId| expand.contains(&d);
            dropped_temporal = temporal::mentions_temporal(self.prog, &goal, &usable)
                || hyps.iter().any(|h| {
                    hypothesis_formulas(h)
                        .iter()
                        .any(|f| temporal::mentions_temporal(self.prog, f, &usable))
                });
            if let Some(g) = enabled::expand(self.prog, &goal, &expand) {
                goal = g;
            }
            for h in hyps.iter_mut() {
                if let Hypothesis::Formula(f) = h
                    && let Some(g) = enabled::expand(self.prog, f, &expand)
                {
                    *f = g;
                }
            }
        }
        // What TLAPS's SMT backend knows of the operators it mentions.
        let native = {
            let mut formulas: Vec<&E> = vec![&goal];
            formulas.extend(ctx.news.iter().filter_map(|(_, d)| d.as_ref()));
            formulas.extend(hyps.iter().flat_map(hypothesis_formulas));
            native::sequence_facts(self.prog, &formulas, &expand)
        };
        for t in native {
            if !hyps
                .iter()
                .any(|h| matches!(h, Hypothesis::Library(u) if *u == t))
            {
                hyps.push(Hypothesis::Library(t));
            }
        }
        let library = hyps
            .iter()
            .filter_map(|h| match h {
                Hypothesis::Library(t) => Some(*t),
                _ => None,
            })
            .collect();
        let id = self.obligations.len();
        self.obligations.push(Obligation {
            id,
            path: ctx.path.clone(),
            span,
            method,
            news: ctx.news.clone(),
            hyps,
            goal,
            expand,
            library,
            relies_on: Vec::new(),
            inline_predicates: false,
            dropped_temporal,
            temporal_note: None,
        });
        id
    }

    fn proof(&mut self, ctx: &mut Ctx, p: &RProof, node: &mut ProofNode) {
        match p {
            RProof::Obvious(span) => {
                let ob = self.leaf(ctx, *span, false, &[], &[]);
                node.obligations.extend(ob);
            }
            RProof::By(by) => {
                let ob = self.leaf(ctx, by.span, by.only, &by.facts, &by.defs);
                node.obligations.extend(ob);
            }
            RProof::Omitted(span) => {
                let ob = self.push(ctx, *span, Method::Omitted, Vec::new(), Vec::new());
                node.obligations.push(ob);
            }
            RProof::Steps(steps, _) => {
                let mut local = ctx.clone();
                for s in steps {
                    let child = self.step(&mut local, s);
                    node.children.push(child);
                }
            }
        }
    }

    /// A BY / OBVIOUS leaf: one obligation, plus one per formula fact.
    fn leaf(
        &mut self,
        ctx: &Ctx,
        span: Span,
        only: bool,
        facts: &[Fact],
        defs: &[DefId],
    ) -> Vec<usize> {
        let mut extra = Vec::new();
        // Per fact of `extra`: does it hold in every state?
        let mut extra_always: Vec<bool> = Vec::new();
        let mut problems = Vec::new();
        let mut formula_facts = Vec::new();
        let mut theorem_goals: Vec<E> = Vec::new();
        for f in facts {
            match f {
                Fact::Step(k, sp) => {
                    if let Some(inside) = ctx.inside.get(k) {
                        for h in inside {
                            extra_always.push(ctx.is_always(self.prog, h));
                            extra.push(h.clone());
                        }
                    } else if let Some(h) = ctx.facts.get(k) {
                        extra_always.push(ctx.is_always(self.prog, h));
                        extra.push(h.clone());
                    } else {
                        problems.push((
                            *sp,
                            "a step cannot be cited before it is proved".to_string(),
                        ));
                    }
                }
                Fact::Theorem(t, sp) => match self.theorem_fact(*t) {
                    Ok(fact) => {
                        if let Hypothesis::Formula(g) = &fact {
                            theorem_goals.push(g.clone());
                        }
                        // A theorem is valid: true in every state.
                        extra_always.push(true);
                        extra.push(fact)
                    }
                    Err(why) => problems.push((*sp, why)),
                },
                Fact::Assume(a, sp) => match self.assumption_fact(*a) {
                    Ok(fact) => {
                        extra_always.push(temporal::holds_always(self.prog, &fact));
                        extra.push(fact)
                    }
                    Err(why) => problems.push((*sp, why)),
                },
                Fact::Expr(e) => {
                    formula_facts.push(e.clone());
                    // Fixed below, once the other facts are known.
                    extra_always.push(false);
                    extra.push(Hypothesis::Formula(e.clone()));
                }
                Fact::Pragma(..) => {}
            }
        }
        for d in defs {
            if self.prog.recursive_ops.contains(d) {
                let def = self.prog.def(*d);
                problems.push((
                    span,
                    format!(
                        "`{}` is a RECURSIVE operator: tlasmt does not expand it (nothing \
                         shows its recursion terminates; a recursive function \
                         `f[x \\in S] == ...` is expanded once its termination is proved)",
                        def.name
                    ),
                ));
            }
        }
        let mut base = ctx.clone();
        if only {
            base.hyps.clear();
        }
        let mut obs = Vec::new();
        if let Some((sp, why)) = problems.into_iter().next() {
            obs.push(self.push(&base, sp, Method::Unsupported(why), extra, defs.to_vec()));
            return obs;
        }
        // A formula written among the facts must itself be proved, from the
        // context and the cited facts but not from the formulas cited with
        // it (two false formulas would prove each other).
        let proved_facts: Vec<Hypothesis> = extra
            .iter()
            .filter(|h| {
                !matches!(h, Hypothesis::Formula(f)
                    if formula_facts.iter().any(|e| Rc::ptr_eq(f, e)))
            })
            .cloned()
            .collect();
        for e in &formula_facts {
            obs.push(self.push_goal(
                &base,
                e.clone(),
                e.span,
                Method::Smt,
                proved_facts.clone(),
                defs.to_vec(),
            ));
        }
        // `F'` for a cited theorem `F` without assumptions: a theorem is
        // valid, so true in every state, in particular the next one (what
        // TLAPS's PTL proves for `MsgsTypeLemma'`). The theorem itself is
        // checked where it is proved.
        let primed_theorem = matches!(&base.goal.kind,
            Kind::Unary(UnOp::Prime, f) if theorem_goals.iter().any(|g| Rc::ptr_eq(g, f) || same(g, f)));
        let mut note = None;
        let method = if primed_theorem {
            Method::TemporalRule("PRIME (a theorem holds in every state)")
        } else {
            // A formula fact is proved here: in every state if the context
            // and the other cited facts are.
            let cited_always = extra
                .iter()
                .zip(&extra_always)
                .filter(|(h, _)| {
                    !matches!(h, Hypothesis::Formula(f)
                        if formula_facts.iter().any(|e| Rc::ptr_eq(f, e)))
                })
                .all(|(_, a)| *a);
            let mut given: Vec<temporal::Given> = base
                .hyps
                .iter()
                .map(|h| temporal::Given {
                    hyp: h,
                    always: ctx.is_always(self.prog, h),
                })
                .collect();
            for (h, a) in extra.iter().zip(&extra_always) {
                let formula_fact = matches!(h, Hypothesis::Formula(f)
                    if formula_facts.iter().any(|e| Rc::ptr_eq(f, e)));
                given.push(temporal::Given {
                    hyp: h,
                    always: *a || (formula_fact && ctx.rigid && cited_always),
                });
            }
            match temporal::classify(self.prog, &base.goal, &given, &base.defs, defs) {
                temporal::Decision::Rule(m) => m,
                temporal::Decision::Smt => Method::Smt,
                temporal::Decision::SmtAfterPtl(why) => {
                    note = Some(why);
                    Method::Smt
                }
            }
        };
        let id = self.push(&base, span, method, extra, defs.to_vec());
        self.obligations[id].temporal_note = note;
        obs.push(id);
        obs
    }

    /// What citing an assumption gives: its body, unless it is an
    /// instanced module's (true only where proved under the mapping) or
    /// ill-sorted.
    fn assumption_fact(&self, a: AsmId) -> Result<Hypothesis, String> {
        let item = &self.prog.assumes[a.0 as usize];
        if item.instanced {
            return Err(
                "an assumption of an instanced module holds only where it is proved \
                        under the substitution: state it as a step (as PNextDef does with P!QA)"
                    .into(),
            );
        }
        Ok(Hypothesis::Formula(item.body.clone()))
    }

    /// What citing a theorem gives. A theorem of an instanced module gives
    /// `ASSUME <the module's assumptions under the substitution> PROVE ..`:
    /// it holds only where they do (PNextDef proves P!QA and
    /// P!BallotAssump to use P!NextDef).
    fn theorem_fact(&mut self, t: ThmId) -> Result<Hypothesis, String> {
        let item = self.prog.theorem(t);
        if item.origin == TheoremOrigin::Library {
            return Ok(Hypothesis::Library(t));
        }
        let mut st = item.statement.clone();
        let mut required = Vec::new();
        for a in &item.requires {
            let asm = &self.prog.assumes[a.0 as usize];
            required.push(Hyp::Fact(asm.body.clone()));
        }
        required.append(&mut st.hyps);
        st.hyps = required;
        Ok(if st.is_plain() {
            Hypothesis::Formula(st.goal)
        } else {
            Hypothesis::Sequent(st)
        })
    }

    fn step(&mut self, ctx: &mut Ctx, s: &RStep) -> ProofNode {
        let label = s.label.display();
        let mut node = ProofNode {
            label: label.clone(),
            span: s.span,
            obligations: Vec::new(),
            children: Vec::new(),
        };
        let mut inner = ctx.clone();
        inner.path.push(label);
        let unnamed = s.label.name.is_none();
        match &s.kind {
            RStepKind::Assert(seq) => {
                inner.news.extend(seq.news.iter().cloned());
                let assumed: Vec<Hypothesis> = seq.hyps.iter().map(hyp_of).collect();
                for h in &assumed {
                    inner.assume(self.prog, h.clone());
                }
                inner.inside.insert(s.key, assumed);
                inner.goal = seq.goal.clone();
                self.step_proof(&mut inner, s, &mut node);
                let fact = sequent_fact(seq);
                let always = ctx.rigid;
                self.record(ctx, s.key, fact, unnamed, always);
            }
            RStepKind::Suffices(seq) => {
                // Prove: the new goal (as a fact) implies the current goal.
                // Citing the step in its own proof gives that fact (as
                // TLAPS: `<1>1. SUFFICES ASSUME H PROVE FALSE BY <1>1`).
                inner.assume(self.prog, sequent_fact(seq));
                inner.inside.insert(s.key, vec![sequent_fact(seq)]);
                self.step_proof(&mut inner, s, &mut node);
                ctx.news.extend(seq.news.iter().cloned());
                let assumed: Vec<Hypothesis> = seq.hyps.iter().map(hyp_of).collect();
                for h in &assumed {
                    ctx.assume(self.prog, h.clone());
                }
                // The rest of the proof is inside the SUFFICES: citing the
                // step gives its assumptions.
                ctx.inside.insert(s.key, assumed);
                ctx.goal = seq.goal.clone();
            }
            RStepKind::Case(c) => {
                inner.assume(self.prog, Hypothesis::Formula(c.clone()));
                inner
                    .inside
                    .insert(s.key, vec![Hypothesis::Formula(c.clone())]);
                self.step_proof(&mut inner, s, &mut node);
                let span = c.span;
                let imp = self.prog.mk_bool(
                    Kind::Binary(BinOp::Implies, c.clone(), ctx.goal.clone()),
                    span,
                );
                let always = ctx.rigid;
                self.record(ctx, s.key, Hypothesis::Formula(imp), unnamed, always);
            }
            RStepKind::Pick(bs, body) => {
                let span = body.span;
                inner.goal = self
                    .prog
                    .mk_bool(Kind::Exists(bs.clone(), body.clone()), span);
                self.step_proof(&mut inner, s, &mut node);
                ctx.news.extend(bs.iter().cloned());
                // The witness is picked in the first state: `P(x)` need
                // not hold in later ones (another x may).
                self.record(
                    ctx,
                    s.key,
                    Hypothesis::Formula(body.clone()),
                    unnamed,
                    false,
                );
            }
            RStepKind::Witness(es) => match self.witness_on(&ctx.goal, &ctx.defs, es) {
                Ok((sides, goal)) => {
                    // As TLAPS: each membership `e \in S` is an obligation
                    // of the WITNESS step, proved in the current context. A
                    // step of this proof asserting exactly that membership
                    // is used even when named (the seed proves `Q(BQ) \in
                    // Quorum` as a named step just before its WITNESS).
                    for side in sides {
                        let same_facts: Vec<Hypothesis> = ctx
                            .facts
                            .values()
                            .filter(|h| matches!(h, Hypothesis::Formula(f) if same(f, &side)))
                            .cloned()
                            .collect();
                        let ob = self.push_goal(
                            &inner,
                            side,
                            s.span,
                            Method::Smt,
                            same_facts,
                            Vec::new(),
                        );
                        node.obligations.push(ob);
                    }
                    ctx.goal = goal;
                }
                Err(why) => {
                    self.refuse(&inner, s.span, why, &mut node);
                }
            },
            RStepKind::Have(f) => match &ctx.goal.kind {
                Kind::Binary(BinOp::Implies, _, g) => {
                    let g = g.clone();
                    ctx.assume(self.prog, Hypothesis::Formula(f.clone()));
                    ctx.goal = g;
                }
                _ => {
                    let why = "HAVE needs a goal of the form `F => G`".to_string();
                    self.refuse(&inner, s.span, why, &mut node);
                }
            },
            RStepKind::Take(bs) => match self.take_on(&ctx.goal, &ctx.defs, bs) {
                Ok(goal) => {
                    ctx.news.extend(bs.iter().cloned());
                    ctx.goal = goal;
                }
                Err(why) => {
                    self.refuse(&inner, s.span, why, &mut node);
                }
            },
            RStepKind::Define(ds) => ctx.defs.extend(ds.iter().copied()),
            RStepKind::Use { hide, facts, defs } => {
                if *hide {
                    for d in defs {
                        ctx.defs.remove(d);
                    }
                } else {
                    self.use_facts(ctx, &inner, facts, defs, &mut node);
                }
            }
            RStepKind::Qed => {
                self.step_proof(&mut inner, s, &mut node);
            }
        }
        node
    }

    /// An obligation that cannot be checked, with the reason.
    /// `USE facts DEF defs`: the definitions and facts become usable in
    /// `ctx`; a formula that is not a known fact must itself be proved (in
    /// the context `at`, the USE's own).
    fn use_facts(
        &mut self,
        ctx: &mut Ctx,
        at: &Ctx,
        facts: &[Fact],
        defs: &[DefId],
        node: &mut ProofNode,
    ) {
        ctx.defs.extend(defs.iter().copied());
        for f in facts {
            match f {
                Fact::Step(k, _) => {
                    if let Some(h) = ctx.facts.get(k).cloned() {
                        ctx.assume(self.prog, h);
                    }
                }
                Fact::Theorem(t, sp) => match self.theorem_fact(*t) {
                    Ok(h) => {
                        ctx.mark_always(&h);
                        ctx.assume(self.prog, h)
                    }
                    Err(why) => self.refuse(at, *sp, why, node),
                },
                Fact::Assume(a, sp) => match self.assumption_fact(*a) {
                    Ok(h) => ctx.assume(self.prog, h),
                    Err(why) => self.refuse(at, *sp, why, node),
                },
                Fact::Expr(e) => {
                    let ob =
                        self.push_goal(ctx, e.clone(), e.span, Method::Smt, Vec::new(), Vec::new());
                    node.obligations.push(ob);
                    let h = Hypothesis::Formula(e.clone());
                    if ctx.rigid {
                        ctx.mark_always(&h);
                    }
                    ctx.assume(self.prog, h);
                }
                Fact::Pragma(..) => {}
            }
        }
    }

    fn refuse(&mut self, ctx: &Ctx, span: Span, why: String, node: &mut ProofNode) {
        let ob = self.push(ctx, span, Method::Unsupported(why), Vec::new(), Vec::new());
        node.obligations.push(ob);
    }

    /// A step's assertion becomes a fact (`always`: proved in a rigid
    /// context, so true in every state); an unnamed step's is usable.
    fn record(
        &mut self,
        ctx: &mut Ctx,
        key: StepKey,
        fact: Hypothesis,
        unnamed: bool,
        always: bool,
    ) {
        if always {
            ctx.mark_always(&fact);
        }
        if unnamed {
            ctx.assume(self.prog, fact.clone());
        }
        ctx.facts.insert(key, fact);
    }

    fn step_proof(&mut self, inner: &mut Ctx, s: &RStep, node: &mut ProofNode) {
        match &s.proof {
            Some(p) => self.proof(inner, p, node),
            None => {
                let ob = self.push(inner, s.span, Method::Omitted, Vec::new(), Vec::new());
                node.obligations.push(ob);
            }
        }
    }
}

fn hyp_of(h: &Hyp) -> Hypothesis {
    match h {
        Hyp::Fact(e) => Hypothesis::Formula(e.clone()),
        Hyp::Sequent(s, _) => Hypothesis::Sequent(s.clone()),
    }
}

fn sequent_fact(seq: &Sequent) -> Hypothesis {
    if seq.is_plain() {
        Hypothesis::Formula(seq.goal.clone())
    } else {
        Hypothesis::Sequent(seq.clone())
    }
}

/// True if `e` is boolean-typed in the store (used by the temporal rules).
pub fn is_bool(prog: &Program, e: &E) -> bool {
    prog.types.resolve(e.ty) == Type::Bool
}

/// Is `e` the prime of `inner` (structurally)?
pub fn is_prime_of(e: &E, inner: &E) -> bool {
    matches!(&e.kind, Kind::Unary(UnOp::Prime, a) if temporal::same(a, inner))
}

/// The formulas of a hypothesis (those of a sequent: its NEW domains,
/// hypotheses and goal).
pub(crate) fn hypothesis_formulas(h: &Hypothesis) -> Vec<&E> {
    fn sequent<'a>(s: &'a Sequent, out: &mut Vec<&'a E>) {
        out.extend(s.news.iter().filter_map(|(_, d)| d.as_ref()));
        for h in &s.hyps {
            match h {
                Hyp::Fact(f) => out.push(f),
                Hyp::Sequent(s, _) => sequent(s, out),
            }
        }
        out.push(&s.goal);
    }
    let mut out = Vec::new();
    match h {
        Hypothesis::Formula(f) => out.push(f),
        Hypothesis::Sequent(s) => sequent(s, &mut out),
        Hypothesis::Library(_) => {}
    }
    out
}

impl Obligation {
    /// Every formula of the obligation: its goal, NEW domains and
    /// hypotheses (with those of cited sequents).
    pub fn formulas(&self) -> Vec<&E> {
        let mut out = vec![&self.goal];
        out.extend(self.news.iter().filter_map(|(_, d)| d.as_ref()));
        out.extend(self.hyps.iter().flat_map(hypothesis_formulas));
        out
    }
}
