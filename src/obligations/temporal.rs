//! Temporal obligations, decided as TLAPS's `PTL` backend decides them:
//! the obligation is abstracted to propositional linear temporal logic and
//! that formula's validity decided exactly (`solve::ltl`).
//!
//! The abstraction: the Boolean connectives, `[]`, `<>`, `~>` (as
//! `[](P => <>Q)`), `WF`/`SF` (by their TLA+ definitions, `ENABLED <<A>>_v`
//! an atom), `[A]_v` as `A \/ UNCHANGED v`, `<<A>>_v` as `A /\ ~UNCHANGED v`
//! and a primed state formula `F'` as *next* `F`; every other subformula is
//! an atom, one per distinct formula. It is sound because every behavior
//! gives its atoms a truth value at each position under which the
//! abstraction evaluates as the TLA+ formula does; a valid abstraction is
//! therefore true of every behavior.
//!
//! Which facts hold in *every* state (may be boxed): theorems, constant
//! formulas, `[]F`, and steps proved in a context whose every hypothesis is
//! such a fact (the builder tracks this). Every other hypothesis holds in
//! the first state only: a step proved from `ASSUME x = 0` is not boxed.

use super::Hypothesis;
use super::Method;
use crate::semantic::ir::*;
use crate::semantic::level::Levels;
use crate::semantic::program::Program;
use crate::solve::ltl::{self, Ltl, Verdict};
use crate::syntax::ast::{BinOp, UnOp};
use std::collections::BTreeSet;
use std::rc::Rc;

/// Tableau nodes allowed per try (measured: the invariance and refinement
/// steps of BPConProof need fewer than 100).
const PTL_BUDGET: usize = 200_000;

/// A hypothesis of a temporal obligation and whether it holds in every
/// state of the behavior (rather than in the first only).
pub struct Given<'a> {
    pub hyp: &'a Hypothesis,
    pub always: bool,
}

/// How a leaf is discharged.
pub enum Decision {
    /// By a built-in rule (PTL proved it).
    Rule(Method),
    /// An ordinary obligation for Z3.
    Smt,
    /// A temporal goal PTL did not prove (why): Z3 tries it with its
    /// temporal subformulas opaque (first-order reasoning about temporal
    /// formulas, such as `(\A k : P(k) => <>Q) => ((\E k : P(k)) => <>Q)`).
    SmtAfterPtl(String),
}

/// How to discharge a leaf whose goal may be temporal.
pub fn classify(
    prog: &mut Program,
    goal: &E,
    given: &[Given],
    ctx_defs: &BTreeSet<DefId>,
    by_defs: &[DefId],
) -> Decision {
    let recursive = prog.recursive_ops.clone();
    let expand =
        |d: DefId| (ctx_defs.contains(&d) || by_defs.contains(&d)) && !recursive.contains(&d);
    let mut levels = Levels::default();
    // Temporal only through hidden definitions (`P(0)` with `P(m) == Spec
    // => <>(cnt = m)` hidden): PTL if it proves it, else Z3, for which they
    // are opaque truths about the behavior (first-order reasoning such as
    // an induction over `P`).
    let hidden_only = !mentions_temporal(prog, goal, &expand);
    if hidden_only && levels.expr(prog, goal).level() != Level::Temporal {
        return Decision::Smt;
    }
    // First with only the temporal definitions expanded (few atoms, small
    // tableau), then with every usable definition expanded.
    let mut failure = String::new();
    let mut decided: Option<Ltl> = None;
    for unfold_all in [false, true] {
        let mut abs = Abstraction {
            prog,
            levels: &mut levels,
            expand: &expand,
            unfold_all,
            atoms: Vec::new(),
        };
        let f = abs.obligation(goal, given);
        if decided.as_ref() == Some(&f) {
            // Nothing more to unfold: the same formula, the same verdict.
            break;
        }
        let verdict = ltl::decide(&f, PTL_BUDGET);
        decided = Some(f.clone());
        match verdict {
            Verdict::Valid => {
                return Decision::Rule(Method::TemporalRule("PTL (propositional temporal logic)"));
            }
            Verdict::TooLarge => {
                tracing::debug!("PTL too large: {} atoms, formula {f:?}", abs.atoms.len());
                failure = "PTL: the temporal abstraction is too large to decide".into();
            }
            Verdict::Invalid { prefix, cycle } => {
                let initially = given
                    .iter()
                    .filter(|g| !g.always && !hypothesis_is_constant(abs.prog, abs.levels, g.hyp))
                    .count();
                let note = match initially {
                    0 => String::new(),
                    n => format!(
                        " ({n} of the hypotheses hold in the first state only: they were \
                         assumed, or proved from an assumption, about the first state)"
                    ),
                };
                failure = format!(
                    "PTL: not valid in propositional temporal logic with the facts given{note}; \
                     countermodel of the abstraction: {}",
                    abs.describe(&prefix, &cycle)
                );
            }
        }
    }
    if hidden_only {
        return Decision::Smt;
    }
    Decision::SmtAfterPtl(failure)
}

/// An atom of the abstraction.
enum Atom {
    Formula(E),
    Unchanged(E),
    /// `ENABLED <<A>>_v`
    Enabled(E, E),
}

struct Abstraction<'a> {
    prog: &'a mut Program,
    levels: &'a mut Levels,
    expand: &'a dyn Fn(DefId) -> bool,
    unfold_all: bool,
    atoms: Vec<Atom>,
}

/// Definitions nested deeper than this are atoms (a guard against
/// definitions that unfold forever).
const MAX_UNFOLD: usize = 64;

impl Abstraction<'_> {
    fn obligation(&mut self, goal: &E, given: &[Given]) -> Ltl {
        let mut hyps = Vec::new();
        for g in given {
            let Some(h) = self.hypothesis(g.hyp) else {
                continue;
            };
            let rigid = g.always || hypothesis_is_constant(self.prog, self.levels, g.hyp);
            hyps.push(if rigid { Ltl::always(h) } else { h });
        }
        let goal = self.formula(goal, 0);
        Ltl::implies(Ltl::And(hyps), goal)
    }

    fn hypothesis(&mut self, h: &Hypothesis) -> Option<Ltl> {
        match h {
            Hypothesis::Formula(f) => Some(self.formula(f, 0)),
            // A sequent with NEW parameters is a quantified formula: dropped
            // (dropping a hypothesis is sound).
            Hypothesis::Sequent(s) if s.news.is_empty() => {
                let mut hs = Vec::new();
                for h in &s.hyps {
                    match h {
                        Hyp::Fact(f) => hs.push(self.formula(f, 0)),
                        Hyp::Sequent(..) => return None,
                    }
                }
                Some(Ltl::implies(Ltl::And(hs), self.formula(&s.goal, 0)))
            }
            Hypothesis::Sequent(_) | Hypothesis::Library(_) => None,
        }
    }

    fn formula(&mut self, e: &E, depth: usize) -> Ltl {
        let d = depth;
        match &e.kind {
            Kind::Bool(true) => Ltl::True,
            Kind::Bool(false) => Ltl::False,
            Kind::Unary(UnOp::Not, a) => Ltl::negate(self.formula(a, d)),
            Kind::And(xs) => Ltl::And(xs.iter().map(|x| self.formula(x, d)).collect()),
            Kind::Or(xs) => Ltl::Or(xs.iter().map(|x| self.formula(x, d)).collect()),
            Kind::Binary(op @ (BinOp::And | BinOp::Or | BinOp::Implies | BinOp::Equiv), a, b) => {
                let (a, b) = (self.formula(a, d), self.formula(b, d));
                match op {
                    BinOp::And => Ltl::And(vec![a, b]),
                    BinOp::Or => Ltl::Or(vec![a, b]),
                    BinOp::Implies => Ltl::implies(a, b),
                    _ => Ltl::Equiv(Box::new(a), Box::new(b)),
                }
            }
            Kind::Temporal(TemporalOp::Always, xs) => Ltl::always(self.formula(&xs[0], d)),
            Kind::Unary(UnOp::Always, a) => Ltl::always(self.formula(a, d)),
            Kind::Temporal(TemporalOp::Eventually, xs) => Ltl::eventually(self.formula(&xs[0], d)),
            Kind::Unary(UnOp::Eventually, a) => Ltl::eventually(self.formula(a, d)),
            Kind::Temporal(TemporalOp::LeadsTo, xs) => {
                let (p, q) = (self.formula(&xs[0], d), self.formula(&xs[1], d));
                Ltl::always(Ltl::implies(p, Ltl::eventually(q)))
            }
            // WF_v(A) == <>[](ENABLED <<A>>_v) => []<><<A>>_v
            // SF_v(A) == []<>(ENABLED <<A>>_v) => []<><<A>>_v
            Kind::Temporal(op @ (TemporalOp::WeakFair | TemporalOp::StrongFair), xs) => {
                let (v, a) = (&xs[0], &xs[1]);
                let enabled = self.enabled(a, v);
                let enabled_often = match op {
                    TemporalOp::WeakFair => Ltl::eventually(Ltl::always(enabled)),
                    _ => Ltl::always(Ltl::eventually(enabled)),
                };
                let taken = self.angle(a, v, d);
                Ltl::implies(enabled_often, Ltl::always(Ltl::eventually(taken)))
            }
            Kind::BoxAction(a, v) => {
                let a = self.formula(a, d);
                Ltl::Or(vec![a, self.unchanged(v)])
            }
            Kind::AngleAction(a, v) => self.angle(a, v, d),
            Kind::Unary(UnOp::Unchanged, v) => self.unchanged(v),
            Kind::Unary(UnOp::Enabled, inner) => match &inner.kind {
                Kind::AngleAction(a, v) => self.enabled(a, v),
                _ => self.atom(Atom::Formula(e.clone())),
            },
            Kind::Unary(UnOp::Prime, f) => match self.levels.expr(self.prog, f).level() {
                Level::Constant => self.formula(f, d),
                Level::State => Ltl::next(self.formula(f, d)),
                _ => self.atom(Atom::Formula(e.clone())),
            },
            Kind::App(def, args) if d < MAX_UNFOLD && self.unfolds(*def) => {
                let body = match &self.prog.def(*def).body {
                    DefBody::Expr(b) if args.is_empty() => Some(b.clone()),
                    DefBody::Expr(_) => crate::semantic::subst::instantiate(self.prog, *def, args),
                    _ => None,
                };
                match body {
                    Some(b) => self.formula(&b, d + 1),
                    None => self.atom(Atom::Formula(e.clone())),
                }
            }
            _ => self.atom(Atom::Formula(e.clone())),
        }
    }

    fn angle(&mut self, a: &E, v: &E, d: usize) -> Ltl {
        let a = self.formula(a, d);
        let unchanged = self.unchanged(v);
        Ltl::And(vec![a, Ltl::negate(unchanged)])
    }

    /// A subscript with its usable definitions expanded (`vars == x`), so
    /// that `[Next]_vars` and `[Next]_x` share their `UNCHANGED` atom.
    fn subscript(&self, v: &E) -> E {
        crate::semantic::subst::unfold_head_0ary(self.prog, v, self.expand)
    }

    fn unchanged(&mut self, v: &E) -> Ltl {
        let v = self.subscript(v);
        self.atom(Atom::Unchanged(v))
    }

    fn enabled(&mut self, a: &E, v: &E) -> Ltl {
        let v = self.subscript(v);
        self.atom(Atom::Enabled(a.clone(), v))
    }

    fn unfolds(&mut self, d: DefId) -> bool {
        (self.expand)(d) && (self.unfold_all || self.levels.def(self.prog, d).temporal)
    }

    fn atom(&mut self, atom: Atom) -> Ltl {
        let eq = |x: &E, y: &E| Rc::ptr_eq(x, y) || same(x, y);
        let found = self.atoms.iter().position(|a| match (a, &atom) {
            (Atom::Formula(x), Atom::Formula(y)) | (Atom::Unchanged(x), Atom::Unchanged(y)) => {
                eq(x, y)
            }
            (Atom::Enabled(a, v), Atom::Enabled(b, w)) => eq(a, b) && eq(v, w),
            _ => false,
        });
        Ltl::Atom(found.unwrap_or_else(|| {
            self.atoms.push(atom);
            self.atoms.len() - 1
        }))
    }

    /// The countermodel as text: each position's atoms.
    fn describe(&self, prefix: &[ltl::Position], cycle: &[ltl::Position]) -> String {
        let position = |p: &ltl::Position| {
            let parts: Vec<String> = p
                .truths
                .iter()
                .map(|&(a, t)| {
                    let text = match &self.atoms[a] {
                        Atom::Formula(f) => show(self.prog, f),
                        Atom::Unchanged(v) => format!("UNCHANGED {}", show(self.prog, v)),
                        Atom::Enabled(a, v) => {
                            format!("ENABLED <<{}>>_{}", show(self.prog, a), show(self.prog, v))
                        }
                    };
                    if t { text } else { format!("~({text})") }
                })
                .collect();
            if parts.is_empty() {
                "(anything)".to_string()
            } else {
                parts.join(", ")
            }
        };
        let mut out = Vec::new();
        for (i, p) in prefix.iter().chain(cycle).enumerate() {
            out.push(format!("state {}: {}", i + 1, position(p)));
        }
        format!(
            "{}; then from state {} on repeated",
            out.join("; "),
            prefix.len() + 1
        )
    }
}

fn hypothesis_is_constant(prog: &Program, levels: &mut Levels, h: &Hypothesis) -> bool {
    super::hypothesis_formulas(h)
        .iter()
        .all(|f| levels.expr(prog, f).level() == Level::Constant)
}

/// Does this hypothesis hold in every state whenever it holds in the
/// first: a constant formula or `[]F` (sequents: all constant)?
pub fn holds_always(prog: &Program, h: &Hypothesis) -> bool {
    let mut levels = Levels::default();
    if let Hypothesis::Formula(f) = h
        && matches!(
            &f.kind,
            Kind::Temporal(TemporalOp::Always, _) | Kind::Unary(UnOp::Always, _)
        )
    {
        return true;
    }
    hypothesis_is_constant(prog, &mut levels, h)
}

/// A short rendering of a formula for countermodels (deep parts elided).
fn show(prog: &Program, e: &E) -> String {
    show_depth(prog, e, 3)
}

fn show_depth(prog: &Program, e: &E, depth: usize) -> String {
    if depth == 0 {
        return "...".into();
    }
    let sub = |x: &E| show_depth(prog, x, depth - 1);
    match &e.kind {
        Kind::Bound(v) => v.name.to_string(),
        Kind::Const(c) => prog.consts[c.0 as usize].name.to_string(),
        Kind::Var(v) => prog.vars[v.0 as usize].name.to_string(),
        Kind::Int(i) => i.to_string(),
        Kind::Str(s) => format!("{s:?}"),
        Kind::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Kind::App(d, args) if args.is_empty() => prog.def(*d).name.to_string(),
        Kind::App(d, args) => {
            let args: Vec<String> = args.iter().map(sub).collect();
            format!("{}({})", prog.def(*d).name, args.join(", "))
        }
        Kind::Unary(UnOp::Prime, a) => match &a.kind {
            Kind::Var(_) | Kind::App(_, _) => format!("{}'", sub(a)),
            _ => format!("({})'", sub(a)),
        },
        Kind::Unary(UnOp::Not, a) => format!("~{}", sub(a)),
        Kind::Binary(op, a, b) => format!("{} {} {}", sub(a), op.symbol(), sub(b)),
        Kind::Tuple(xs) => {
            let xs: Vec<String> = xs.iter().map(sub).collect();
            format!("<<{}>>", xs.join(", "))
        }
        Kind::Temporal(TemporalOp::Always, xs) => format!("[]{}", sub(&xs[0])),
        Kind::Temporal(TemporalOp::Eventually, xs) => format!("<>{}", sub(&xs[0])),
        _ => "...".into(),
    }
}

/// Does `e` contain a temporal operator, looking into the 0-ary
/// definitions `expand` allows?
pub(super) fn mentions_temporal(prog: &Program, e: &E, expand: &dyn Fn(DefId) -> bool) -> bool {
    let e = unfold(prog, e, expand);
    match &e.kind {
        Kind::Temporal(..) | Kind::Unary(UnOp::Always | UnOp::Eventually, _) => true,
        _ => crate::semantic::level::children(&e)
            .into_iter()
            .any(|c| mentions_temporal(prog, c, expand)),
    }
}

/// Unfold a definition application if it may be expanded.
fn unfold(prog: &Program, e: &E, expand: &dyn Fn(DefId) -> bool) -> E {
    crate::semantic::subst::unfold_head_0ary(prog, e, expand)
}

/// Equality up to the names of bound variables (see `semantic::alpha`).
pub fn same(a: &E, b: &E) -> bool {
    crate::semantic::alpha::same(a, b)
}
