//! Ground instances of cited facts, made in TLA+ before encoding.
//!
//! A cited fact `ASSUME NEW S \in SUBSET T, IsFiniteSet(S) PROVE P(S)` is
//! sent to Z3 quantified, and Z3 must find the instance a proof needs by
//! E-matching. When the needed `S` is a set-builder such as
//! `{m.bal : m \in mA(self)}`, the instance's hypotheses are quantified
//! formulas over an array term that Z3 must first unfold, while the
//! obligation states the same facts about the set-builder directly; Z3 rarely
//! connects the two (MaxBallotProp under Refinement's Phase1b step).
//!
//! So the fact is also instantiated at the TLA+ expressions the obligation
//! itself applies the fact's operators to: if the fact mentions
//! `IsFiniteSet(S)` and the obligation `IsFiniteSet(S(self))`, the
//! instance at `S := S(self)` is encoded by the same code as the
//! obligation's own formulas, so its hypotheses come out as the very
//! formulas the obligation states. An instance of a proved or assumed fact
//! is true, so adding it is sound whatever expressions are chosen.

use super::{Encoder, Res};
use crate::obligations::{Hypothesis, Obligation};
use crate::semantic::ir::*;
use crate::semantic::level::children;
use crate::semantic::subst::subst;
use crate::syntax::ast::{BinOp, UnOp};
use crate::types::Type;
use itertools::Itertools;
use std::collections::{HashMap, HashSet};

/// At most this many instances of one cited fact.
const MAX_INSTANCES: usize = 16;

/// An operator application's head and argument position: where a fact's
/// parameter and an obligation's expression can meet.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub(super) enum Slot {
    Def(DefId, usize),
    Builtin(Builtin, usize),
    /// The set of a membership `x \in S` or `x \notin S`.
    SetOfMembership,
    /// An operand of a set operator or of `..` (`S \subseteq T`, `a .. b`).
    SetOperand(BinOp, usize),
    /// The operand of `SUBSET`, `UNION` or `DOMAIN`.
    SetUnary(UnOp),
    /// Component `i` of a tuple of length `n`.
    TupleItem(usize, usize),
}

pub(super) fn slots_of(e: &E) -> Vec<(Slot, &E)> {
    match &e.kind {
        Kind::App(d, args) => args
            .iter()
            .enumerate()
            .map(|(i, a)| (Slot::Def(*d, i), a))
            .collect(),
        Kind::Builtin(b, args) => args
            .iter()
            .enumerate()
            .map(|(i, a)| (Slot::Builtin(*b, i), a))
            .collect(),
        Kind::Binary(BinOp::In, x, s) => match &s.kind {
            // `x \in SUBSET S` is `x \subseteq S`.
            Kind::Unary(UnOp::Subset, inner) => vec![
                (Slot::SetOfMembership, s),
                (Slot::SetOperand(BinOp::Subseteq, 0), x),
                (Slot::SetOperand(BinOp::Subseteq, 1), inner),
            ],
            _ => vec![(Slot::SetOfMembership, s)],
        },
        Kind::Binary(BinOp::NotIn, _, s) => vec![(Slot::SetOfMembership, s)],
        Kind::Tuple(items) => items
            .iter()
            .enumerate()
            .map(|(i, x)| (Slot::TupleItem(items.len(), i), x))
            .collect(),
        Kind::Binary(
            op @ (BinOp::Subseteq | BinOp::Cup | BinOp::Cap | BinOp::SetMinus | BinOp::Range),
            a,
            b,
        ) => vec![(Slot::SetOperand(*op, 0), a), (Slot::SetOperand(*op, 1), b)],
        Kind::Unary(op @ (UnOp::Subset | UnOp::Union | UnOp::Domain), a) => {
            vec![(Slot::SetUnary(*op), a)]
        }
        _ => Vec::new(),
    }
}

/// Every subexpression of `e`.
fn subexpressions(e: &E) -> Vec<&E> {
    let mut out = Vec::new();
    let mut todo = vec![e];
    while let Some(x) = todo.pop() {
        out.push(x);
        todo.extend(children(x));
    }
    out
}

/// Does `e` mention only the bound variables in `allowed`?
fn closed_over(e: &E, allowed: &HashSet<u32>) -> bool {
    subexpressions(e)
        .into_iter()
        .all(|x| !matches!(&x.kind, Kind::Bound(v) if !allowed.contains(&v.id)))
}

/// The expressions an obligation applies operators to, by slot, mentioning
/// no variables but its context constants.
#[derive(Default)]
pub(crate) struct ArgumentPool {
    pub(super) by_slot: HashMap<Slot, Vec<E>>,
    context: HashSet<u32>,
}

/// Most definition bodies unfolded while looking for operator arguments.
const MAX_UNFOLDS: usize = 64;

impl ArgumentPool {
    /// The pool of `formulas` and of the bodies of the definitions they
    /// apply that the obligation expands (`unfold` gives them): the
    /// expressions a cited fact needs are often inside one, as the `+` and
    /// `0` of `Sum(f, S) == FoldFunctionOnSet(+, 0, f, S)`.
    pub(crate) fn new<'e>(
        formulas: impl Iterator<Item = &'e E>,
        context: &HashSet<u32>,
        unfold: &mut dyn FnMut(&E) -> Option<E>,
    ) -> Self {
        let mut pool = ArgumentPool {
            context: context.clone(),
            ..ArgumentPool::default()
        };
        let formulas: Vec<&E> = formulas.collect();
        for f in &formulas {
            pool.add(f);
        }
        let mut bodies: Vec<E> = Vec::new();
        let mut todo: Vec<E> = formulas.into_iter().cloned().collect();
        while let Some(f) = todo.pop() {
            for x in subexpressions(&f) {
                if bodies.len() >= MAX_UNFOLDS {
                    break;
                }
                if let Some(body) = unfold(x) {
                    bodies.push(body.clone());
                    todo.push(body);
                }
            }
        }
        for b in &bodies {
            pool.add(b);
        }
        pool
    }

    /// Add the arguments `f` applies operators to.
    fn add(&mut self, f: &E) {
        for x in subexpressions(f) {
            for (slot, arg) in slots_of(x) {
                if closed_over(arg, &self.context) || self.is_closed_operator(arg) {
                    self.insert(slot, arg);
                }
            }
        }
    }

    /// A LAMBDA reading no bound variables but its own and the context's.
    fn is_closed_operator(&self, arg: &E) -> bool {
        matches!(arg.kind, Kind::Lambda(..))
            && free_bound_vars(arg)
                .iter()
                .all(|v| self.context.contains(&v.id))
    }

    fn insert(&mut self, slot: Slot, arg: &E) {
        let list = self.by_slot.entry(slot).or_default();
        if !list.iter().any(|y| crate::obligations::same(y, arg)) {
            list.push(arg.clone());
        }
    }
}

/// Rounds of instantiation: the goals of one round's instances feed the
/// pool of the next, so a cited `\A v, j : P(v, j) \subseteq 1 .. j-1`
/// taken at the goal's `P(v, j)` puts `1 .. j-1` where the parameters of
/// `FS_Interval` and then `FS_Subset` meet it.
const ROUNDS: usize = 2;

/// A fact as a sequent whose parameters include its goal's leading
/// universal quantifiers: `\A v, j : P(v, j)` has the parameters `v`, `j`
/// (`ASSUME NEW x, H PROVE \A y : G` is `ASSUME NEW x, NEW y, H PROVE G`,
/// as `H` cannot mention `y`).
fn with_parameters(mut st: Sequent) -> Sequent {
    while let Kind::Forall(bs, body) = &st.goal.kind {
        st.news.extend(bs.iter().cloned());
        st.goal = body.clone();
    }
    st
}

/// A ground instance of a cited fact: its hypotheses (the parameters'
/// bounds first) and its goal, with the parameters replaced.
pub(crate) struct Instance {
    hyps: Vec<E>,
    goal: E,
}

impl Encoder<'_> {
    /// Instances of the cited facts at the pool's expressions (see the
    /// module comment), by fact: every parameter at the expressions the
    /// obligation (or an earlier round's instance) puts where the fact
    /// puts it, at most [`MAX_INSTANCES`] combinations per fact. Facts with
    /// nested sequents are left to E-matching.
    pub(crate) fn cited_instances(
        &mut self,
        facts: &[Sequent],
        pool: &mut ArgumentPool,
    ) -> Vec<Vec<Instance>> {
        let mut out: Vec<Vec<Instance>> = facts.iter().map(|_| Vec::new()).collect();
        let mut chosen: Vec<Vec<Vec<E>>> = facts.iter().map(|_| Vec::new()).collect();
        for _ in 0..ROUNDS {
            let mut fresh = Vec::new();
            for (i, s) in facts.iter().enumerate() {
                let room = MAX_INSTANCES - chosen[i].len();
                tracing::trace!(
                    "fact {i}: {} parameters, {} instances so far",
                    s.news.len(),
                    chosen[i].len()
                );
                for combination in self.combinations(s, pool, &chosen[i], room) {
                    let instance = self.instance(s, &combination);
                    // The goal only: the hypotheses restate the fact's own
                    // bounds (`S \in SUBSET Ballot` would offer `SUBSET
                    // Ballot` for the `S` of `x \in S`).
                    fresh.push(instance.goal.clone());
                    out[i].push(instance);
                    chosen[i].push(combination);
                }
            }
            if fresh.is_empty() {
                break;
            }
            for f in &fresh {
                pool.add(f);
            }
        }
        out
    }

    /// Up to `room` combinations of candidates for `s`'s parameters not
    /// among those already `chosen`.
    fn combinations(
        &mut self,
        s: &Sequent,
        pool: &ArgumentPool,
        chosen: &[Vec<E>],
        room: usize,
    ) -> Vec<Vec<E>> {
        if room == 0 || s.news.is_empty() || s.hyps.iter().any(|h| matches!(h, Hyp::Sequent(..))) {
            return Vec::new();
        }
        let mut choices = Vec::new();
        for (v, dom) in &s.news {
            let candidates = self.candidates_for(s, v, dom.as_ref(), pool);
            tracing::trace!("parameter {}: {} candidate(s)", v.name, candidates.len());
            if candidates.is_empty() {
                return Vec::new();
            }
            choices.push(candidates);
        }
        let same_combination =
            |a: &[E], b: &[E]| a.iter().zip(b).all(|(x, y)| crate::obligations::same(x, y));
        choices
            .into_iter()
            .multi_cartesian_product()
            .filter(|c| !chosen.iter().any(|d| same_combination(c, d)))
            .take(room)
            .collect()
    }

    /// `s` with its parameters replaced by `combination`.
    fn instance(&mut self, s: &Sequent, combination: &[E]) -> Instance {
        let map: HashMap<u32, E> = s
            .news
            .iter()
            .zip(combination)
            .map(|((v, _), c)| (v.id, c.clone()))
            .collect();
        let mut hyps = Vec::new();
        for (v, dom) in &s.news {
            if let Some(d) = dom {
                let d = subst(self.prog, d, &map);
                let c = map[&v.id].clone();
                let span = c.span;
                hyps.push(self.prog.mk_bool(Kind::Binary(BinOp::In, c, d), span));
            }
        }
        for h in &s.hyps {
            if let Hyp::Fact(f) = h {
                hyps.push(subst(self.prog, f, &map));
            }
        }
        let goal = subst(self.prog, &s.goal, &map);
        Instance { hyps, goal }
    }

    /// An instance as an SMT assertion.
    pub(crate) fn encode_instance(&mut self, instance: &Instance) -> Res<String> {
        // Asserted: its hypotheses stand negated, its goal asserted.
        let outer = self.polarity;
        let r = (|| {
            let mut parts = Vec::new();
            self.polarity = -1;
            for h in &instance.hyps {
                parts.push(self.formula(h)?);
            }
            self.polarity = 1;
            let goal = self.formula(&instance.goal)?;
            Ok(format!("(=> (and true {}) {goal})", parts.join(" ")))
        })();
        self.polarity = outer;
        r
    }

    /// The pool's expressions that may stand for the parameter `v` of the
    /// fact `s`: those in the slots where `s` puts `v`, of a sort that may
    /// be `v`'s. Any instance of a true fact is true; the sort only narrows
    /// the candidates to the plausible ones.
    fn candidates_for(
        &mut self,
        s: &Sequent,
        v: &BVar,
        dom: Option<&E>,
        pool: &ArgumentPool,
    ) -> Vec<E> {
        let mut slots: Vec<Slot> = Vec::new();
        let facts = s.hyps.iter().filter_map(|h| match h {
            Hyp::Fact(f) => Some(f),
            Hyp::Sequent(..) => None,
        });
        let bounds = s.news.iter().filter_map(|(_, d)| d.as_ref());
        for f in facts.chain(bounds).chain(std::iter::once(&s.goal)) {
            for x in subexpressions(f) {
                for (slot, arg) in slots_of(x) {
                    if matches!(&arg.kind, Kind::Bound(w) if w.id == v.id) && !slots.contains(&slot)
                    {
                        slots.push(slot);
                    }
                }
            }
        }
        let want = match dom {
            Some(d) => super::synth::elem(&self.ty(d)),
            None => self.candidate_of(v.ty),
        };
        let mut candidates: Vec<E> = Vec::new();
        for slot in &slots {
            for c in pool.by_slot.get(slot).into_iter().flatten() {
                let tc = self.ty(c);
                // A universe value may be of any sort, and a generic
                // parameter (a type variable) be of any.
                let fits = want == Type::Univ
                    || tc == Type::Univ
                    || generic(&want)
                    || super::synth::join(&tc, &want) != Type::Univ;
                if fits && !candidates.iter().any(|y| crate::obligations::same(y, c)) {
                    candidates.push(c.clone());
                }
            }
        }
        let exprs = super::ground::sequent_exprs(s);
        let formulas: Vec<&E> = exprs.iter().collect();
        candidates.retain(|c| self.substitutable(&formulas, v.id, c));
        candidates
    }
}

impl Encoder<'_> {
    /// Whether `c` may be substituted for the constant `id` in `formulas`:
    /// always if `c` is constant, otherwise only where `id` stands for its
    /// value throughout (see `Levels::leibniz_in`).
    pub(super) fn substitutable(&mut self, formulas: &[&E], id: u32, c: &E) -> bool {
        use crate::semantic::ir::Level;
        if self.levels.expr(self.prog, c).level() == Level::Constant {
            return true;
        }
        formulas
            .iter()
            .all(|f| self.levels.leibniz_in(self.prog, f, id))
    }
}

/// Substitutions for the operator parameters of one fact.
pub(crate) type OperatorChoices = Option<Vec<HashMap<u32, E>>>;

impl Encoder<'_> {
    /// For each hypothesis of `ob`: its ground instances (see
    /// `cited_instances`) and the substitutions of its operator parameters
    /// (see `operator_substitutions`). A fact with operator parameters is
    /// instantiated at each substitution: its other parameters are then
    /// found like any fact's (`FoldFunctionOnSetType`'s `S` and `T` once
    /// its `op` is `+`).
    pub(crate) fn hypothesis_instances(
        &mut self,
        ob: &Obligation,
        stated: &[&E],
    ) -> Vec<(Vec<Instance>, OperatorChoices)> {
        let context: HashSet<u32> = ob.news.iter().map(|(v, _)| v.id).collect();
        let mut unfold = |x: &E| match &x.kind {
            Kind::App(d, args) if self.expand.contains(d) => {
                crate::semantic::subst::instantiate(self.prog, *d, args)
            }
            _ => None,
        };
        let mut pool = ArgumentPool::new(
            stated.iter().copied().chain([&ob.goal]),
            &context,
            &mut unfold,
        );
        let choices: Vec<OperatorChoices> = ob
            .hyps
            .iter()
            .map(|h| match h {
                Hypothesis::Sequent(s) => self.operator_substitutions(s, &pool),
                Hypothesis::Library(t) => {
                    let statement = self.prog.theorem(*t).statement.clone();
                    self.operator_substitutions(&statement, &pool)
                }
                Hypothesis::Formula(_) => None,
            })
            .collect();
        let mut facts = Vec::new();
        let mut owner = Vec::new();
        for (i, h) in ob.hyps.iter().enumerate() {
            let fact = self.as_fact(h);
            match &choices[i] {
                Some(ms) => {
                    for m in ms {
                        facts.push(super::ground::substitute_sequent(self.prog, &fact, m));
                        owner.push(i);
                    }
                }
                None => {
                    facts.push(fact);
                    owner.push(i);
                }
            }
        }
        let mut out: Vec<(Vec<Instance>, OperatorChoices)> =
            choices.into_iter().map(|c| (Vec::new(), c)).collect();
        for (k, instances) in self
            .cited_instances(&facts, &mut pool)
            .into_iter()
            .enumerate()
        {
            out[owner[k]].0.extend(instances);
        }
        out
    }
}

impl Encoder<'_> {
    /// A hypothesis as a fact to instantiate (see `instances`): a cited
    /// sequent or library theorem, or a formula, with their leading
    /// universal quantifiers as parameters.
    pub(crate) fn as_fact(&self, h: &Hypothesis) -> Sequent {
        let st = match h {
            Hypothesis::Sequent(s) => s.clone(),
            Hypothesis::Library(t) => self.prog.theorem(*t).statement.clone(),
            Hypothesis::Formula(f) => Sequent {
                news: Vec::new(),
                hyps: Vec::new(),
                goal: f.clone(),
            },
        };
        with_parameters(st)
    }
}

/// At most this many candidate witnesses per existential, and per goal.
const WITNESSES_PER_QUANTIFIER: usize = 3;
pub(crate) const WITNESSES_PER_GOAL: usize = 16;

/// Terms that may witness an existential of the goal: the obligation's
/// context constants (NEW, PICK) and the named sets it mentions (a step's
/// `DEFINE S == {m.val : m \in SM}`). Zenon finds such witnesses by
/// unification; Z3's E-matching cannot when the witness is a set (the
/// existential's body compares a set-builder over the bound set with the
/// hypothesis' set-builder over `S`, and no pattern binds a set through a
/// lambda).
pub(crate) fn witness_pool<'e>(
    news: &[(BVar, Option<E>)],
    formulas: impl Iterator<Item = &'e E>,
    is_named_set: impl Fn(&E) -> bool,
) -> Vec<E> {
    let mut terms: Vec<E> = news
        .iter()
        .map(|(v, _)| Expr::bound(v, crate::source::Span::default()))
        .collect();
    for f in formulas {
        for x in subexpressions(f) {
            if is_named_set(x) && !terms.iter().any(|t| crate::obligations::same(t, x)) {
                terms.push(x.clone());
            }
        }
    }
    terms
}

impl Encoder<'_> {
    /// `P(c)` for candidate witnesses `c` of `\E x \in S, rest : P(x)`
    /// (with `c \in S` and the rest still quantified), while the goal is
    /// encoded. `(\E x : P(x)) \/ (c \in S /\ P(c))` is equivalent to the
    /// existential, so the disjuncts are sound in any position; they give Z3
    /// the instance it could not find.
    pub(crate) fn witness_disjuncts(
        &mut self,
        bs: &[(BVar, Option<E>)],
        body: &E,
    ) -> Res<Vec<String>> {
        let Some(pool) = self.witnesses.clone() else {
            return Ok(Vec::new());
        };
        let Some(((v, dom), rest)) = bs.split_first() else {
            return Ok(Vec::new());
        };
        let want = match dom {
            Some(d) => super::synth::elem(&self.ty(d)),
            None => self.candidate_of(v.ty),
        };
        // Terms of the wanted sort first, then sets whose elements may be
        // of it: `{m.val : m \in SM}` of universe values (its messages are
        // not typed) witnesses `\E S \in SUBSET Value` all the same. Any
        // term may witness an existential; the sort only selects the
        // plausible ones (a set of records for `SUBSET Value` is not, and
        // as a candidate it only slows Z3 down).
        let mut exact: Vec<E> = Vec::new();
        let mut compatible: Vec<E> = Vec::new();
        for c in pool.iter() {
            let tc = self.ty(c);
            if tc == want {
                exact.push(c.clone());
            } else if may_hold(&tc, &want) {
                compatible.push(c.clone());
            }
        }
        let mut scope: Vec<&E> = vec![body];
        scope.extend(rest.iter().filter_map(|(_, d)| d.as_ref()));
        let candidates: Vec<E> = exact
            .into_iter()
            .chain(compatible)
            .filter(|c| self.substitutable(&scope, v.id, c))
            .take(WITNESSES_PER_QUANTIFIER)
            .collect();
        let mut out = Vec::new();
        for c in candidates {
            if self.witness_budget == 0 {
                break;
            }
            self.witness_budget -= 1;
            let map = HashMap::from([(v.id, c.clone())]);
            let inner = if rest.is_empty() {
                subst(self.prog, body, &map)
            } else {
                let ex = self
                    .prog
                    .mk_bool(Kind::Exists(rest.to_vec(), body.clone()), body.span);
                subst(self.prog, &ex, &map)
            };
            let mut parts = Vec::new();
            if let Some(d) = dom {
                parts.push(self.in_set(&c, d)?);
            }
            parts.push(self.formula(&inner)?);
            out.push(format!("(and true {})", parts.join(" ")));
        }
        Ok(out)
    }
}

/// Whether a sort is a type variable (of a generic library fact), or a
/// set of one.
fn generic(t: &Type) -> bool {
    match t {
        Type::Var(_) => true,
        Type::Set(e) => generic(e),
        Type::Fun(a, b) => generic(a) || generic(b),
        Type::Tuple(ts) => ts.iter().any(generic),
        _ => false,
    }
}

/// Whether a set of sort `have` may be a value of sort `want` other than
/// by being of it: its elements are universe values, which may be of any
/// sort (`Set(Univ)` for `Set(VALUE)`), at any depth of sets.
fn may_hold(have: &Type, want: &Type) -> bool {
    match (have, want) {
        (Type::Set(a), Type::Set(b)) => **a == Type::Univ || (a != b && may_hold(a, b)),
        _ => false,
    }
}
