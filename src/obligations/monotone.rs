//! Monotonicity lemmas for `--auto`.
//!
//! An invariant often says "this record is in a set defined by a predicate
//! over a growing state variable" (BPCon: a 1c message is in `msgs` if some
//! acceptor `KnowsSafeAt` it, and `knowsSent` only grows). Re-establishing
//! it after a step needs "the predicate stays true when the variable
//! grows", which Z3 does not find inside the full obligation (the negated
//! goal gives it no term linking the old witness to the new state).
//!
//! For each Boolean definition with parameters that the invariant uses and
//! that reads only set-valued variables (or functions to sets), we state
//!
//! ```text
//! grows(X1) /\ ... /\ grows(Xn) => \A p : D(p) => D(p)'
//! ```
//!
//! where `grows(X)` is `X \subseteq X'` (sets) or `DOMAIN X' = DOMAIN X /\
//! \A z \in DOMAIN X : X[z] \subseteq X'[z]` (functions to sets). The lemma
//! is an obligation of its own; the action obligations that use it are
//! proved only if it is.

use super::{Builder, Ctx, Hypothesis, Method, ProofNode};
use crate::semantic::ir::*;
use crate::semantic::level::Levels;
use crate::source::Span;
use crate::syntax::ast::{BinOp, UnOp};
use crate::types::Type;
use std::collections::{BTreeSet, HashMap};

/// A proposed monotonicity lemma: the definition and the formula.
pub(super) struct Lemma {
    pub def: DefId,
    pub formula: E,
    /// The growing variables it is about.
    pub vars: BTreeSet<VarId>,
}

impl Builder<'_> {
    /// Lemmas for the definitions reachable from `root`.
    pub(super) fn monotonicity_lemmas(&mut self, root: &E) -> Vec<Lemma> {
        let mut levels = Levels::default();
        reachable_defs(self.prog, root)
            .into_iter()
            .filter_map(|d| self.monotonicity_lemma(d, &mut levels))
            .collect()
    }

    /// The lemma for `d`, if `d` is a Boolean operator with (ordinary)
    /// parameters that reads only variables that can grow.
    fn monotonicity_lemma(&mut self, d: DefId, levels: &mut Levels) -> Option<Lemma> {
        let def = self.prog.def(d).clone();
        let DefBody::Expr(_) = def.body else {
            return None;
        };
        if def.params.is_empty()
            || def.param_arities.iter().any(|a| *a > 0)
            || self.prog.types.resolve(def.ty) != Type::Bool
        {
            return None;
        }
        let vars = levels.def(self.prog, d).vars;
        if vars.is_empty() || !vars.iter().all(|v| self.growable(*v)) {
            return None;
        }
        Some(Lemma {
            def: d,
            formula: self.lemma(d, &def, &vars),
            vars,
        })
    }

    /// Proof mode: an obligation whose goal reads an expanded definition D
    /// under a prime, and whose hypotheses read D unprimed, also gets D's
    /// monotonicity lemma (when D has one), as a hypothesis it relies on.
    /// The lemma is an obligation of its own, with the same definitions
    /// expanded, under a "monotonicity" node of the theorem: it follows
    /// from the definitions the step cites, so the step is still proved
    /// from what it cites. Measured: MsgsLemma's "KnowsSafeAt stays true
    /// as knowsSent grows" proves in 0.02 s with it, and times out without.
    pub(super) fn monotonicity_aids(&mut self, root: &mut ProofNode) {
        let mut levels = Levels::default();
        // (definition, what its proof may expand) -> (obligation, lemma)
        type Made = HashMap<(DefId, BTreeSet<DefId>), Option<(usize, E)>>;
        let mut made = Made::new();
        let mut lemma_node = ProofNode {
            label: "monotonicity".into(),
            span: root.span,
            obligations: Vec::new(),
            children: Vec::new(),
        };
        for i in 0..self.obligations.len() {
            let ob = &self.obligations[i];
            if ob.method != Method::Smt {
                continue;
            }
            let mut primed = BTreeSet::new();
            uses_under_prime(self.prog, &ob.goal, &ob.expand, true, false, &mut primed, 0);
            if primed.is_empty() {
                continue;
            }
            let mut plain = BTreeSet::new();
            let domains = ob.news.iter().filter_map(|(_, d)| d.as_ref());
            for f in domains.chain(ob.hyps.iter().flat_map(super::hypothesis_formulas)) {
                {
                    uses_under_prime(self.prog, f, &ob.expand, false, false, &mut plain, 0);
                }
            }
            let expand = ob.expand.clone();
            let path = ob.path.clone();
            for d in primed.intersection(&plain).copied().collect::<Vec<_>>() {
                // The definitions the lemma's proof may expand: D's and
                // those it reaches that the obligation expands too.
                let key = (d, expanded_reach(self.prog, d, &expand));
                let entry = match made.get(&key) {
                    Some(e) => e.clone(),
                    None => {
                        let e = self.monotonicity_lemma(d, &mut levels).map(|lemma| {
                            let name = self.prog.def(d).name.to_string();
                            let id = self.push_lemma_with(&path[..1], &key.1, &lemma);
                            lemma_node.children.push(ProofNode {
                                label: name,
                                span: lemma.formula.span,
                                obligations: vec![id],
                                children: Vec::new(),
                            });
                            (id, lemma.formula)
                        });
                        made.insert(key, e.clone());
                        e
                    }
                };
                if let Some((id, formula)) = entry {
                    let ob = &mut self.obligations[i];
                    ob.hyps.push(Hypothesis::Formula(formula));
                    ob.relies_on.push(id);
                }
            }
        }
        if !lemma_node.children.is_empty() {
            root.children.push(lemma_node);
        }
    }

    /// A monotonicity lemma's own obligation, with `expand` expanded.
    fn push_lemma_with(
        &mut self,
        prefix: &[String],
        expand: &BTreeSet<DefId>,
        lemma: &Lemma,
    ) -> usize {
        let mut path = prefix.to_vec();
        path.push("monotonicity".into());
        path.push(self.prog.def(lemma.def).name.to_string());
        let id = self.obligations.len();
        self.obligations.push(super::Obligation {
            id,
            path,
            span: lemma.formula.span,
            method: Method::Smt,
            news: Vec::new(),
            hyps: Vec::new(),
            goal: lemma.formula.clone(),
            expand: expand.clone(),
            library: Vec::new(),
            relies_on: Vec::new(),
            inline_predicates: true,
            dropped_temporal: false,
            temporal_note: None,
        });
        id
    }

    /// Push the lemma's own obligation; returns its id.
    pub(super) fn push_lemma(&mut self, base: &Ctx, lemma: &Lemma) -> usize {
        let mut ctx = base.clone();
        ctx.path.push("monotonicity".into());
        ctx.path.push(self.prog.def(lemma.def).name.to_string());
        let id = self.push_goal(
            &ctx,
            lemma.formula.clone(),
            lemma.formula.span,
            Method::Smt,
            Vec::new(),
            Vec::new(),
        );
        self.obligations[id].inline_predicates = true;
        id
    }

    fn growable(&self, v: VarId) -> bool {
        match self.prog.types.resolve(self.prog.vars[v.0 as usize].ty) {
            Type::Set(_) => true,
            Type::Fun(_, r) => matches!(*r, Type::Set(_)),
            _ => false,
        }
    }

    fn lemma(&mut self, d: DefId, def: &Def, vars: &BTreeSet<VarId>) -> E {
        let span = def.span;
        let growth: Vec<E> = vars.iter().map(|v| self.grows(*v, span)).collect();
        let params: Vec<BVar> = def.params.iter().map(|p| self.prog.renamed(p)).collect();
        let args: Vec<E> = params.iter().map(|p| Expr::bound(p, span)).collect();
        let app = self.prog.mk_bool(Kind::App(d, args), span);
        let app_next = self
            .prog
            .mk_bool(Kind::Unary(UnOp::Prime, app.clone()), span);
        let mut step = self
            .prog
            .mk_bool(Kind::Binary(BinOp::Implies, app, app_next), span);
        // A parameter used as an argument of a growing function must be in
        // its domain: outside it, `X[p]` and `X'[p]` are unrelated
        // unspecified values, and the lemma would be false.
        let DefBody::Expr(body) = &def.body else {
            unreachable!("checked by the caller")
        };
        for (x, i) in indexed_vars(self.prog, body, &def.params) {
            let ty = self.prog.types.resolve(self.prog.vars[x.0 as usize].ty);
            let Type::Fun(dom, _) = ty.clone() else {
                continue;
            };
            let var = self.prog.mk(Kind::Var(x), span, ty);
            let domain = self
                .prog
                .mk(Kind::Unary(UnOp::Domain, var), span, Type::Set(dom));
            let member = self.prog.mk_bool(
                Kind::Binary(BinOp::In, Expr::bound(&params[i], span), domain),
                span,
            );
            step = self
                .prog
                .mk_bool(Kind::Binary(BinOp::Implies, member, step), span);
        }
        let all = self.prog.mk_bool(
            Kind::Forall(params.into_iter().map(|p| (p, None)).collect(), step),
            span,
        );
        let premise = self.prog.mk_bool(Kind::And(growth), span);
        self.prog
            .mk_bool(Kind::Binary(BinOp::Implies, premise, all), span)
    }

    /// `X \subseteq X'`, or pointwise for a function to sets.
    fn grows(&mut self, v: VarId, span: Span) -> E {
        let ty = self.prog.types.resolve(self.prog.vars[v.0 as usize].ty);
        let x = self.prog.mk(Kind::Var(v), span, ty.clone());
        let x_next = self
            .prog
            .mk(Kind::Unary(UnOp::Prime, x.clone()), span, ty.clone());
        match ty {
            Type::Fun(dom, range) => {
                let dom_set = Type::Set(dom.clone());
                let d = self
                    .prog
                    .mk(Kind::Unary(UnOp::Domain, x.clone()), span, dom_set.clone());
                let d_next = self
                    .prog
                    .mk(Kind::Unary(UnOp::Domain, x_next.clone()), span, dom_set);
                let same_domain = self
                    .prog
                    .mk_bool(Kind::Binary(BinOp::Eq, d_next, d.clone()), span);
                let z = BVar {
                    id: self.prog.fresh_bvar("z").id,
                    name: "z".into(),
                    ty: self.prog.types.of(*dom),
                };
                let at = |b: &mut Self, f: &E| {
                    b.prog.mk(
                        Kind::Apply(f.clone(), vec![Expr::bound(&z, span)]),
                        span,
                        (*range).clone(),
                    )
                };
                let (now, next) = (at(self, &x), at(self, &x_next));
                let sub = self
                    .prog
                    .mk_bool(Kind::Binary(BinOp::Subseteq, now, next), span);
                let pointwise = self
                    .prog
                    .mk_bool(Kind::Forall(vec![(z, Some(d))], sub), span);
                self.prog
                    .mk_bool(Kind::And(vec![same_domain, pointwise]), span)
            }
            _ => self
                .prog
                .mk_bool(Kind::Binary(BinOp::Subseteq, x, x_next), span),
        }
    }
}

/// Pairs (state variable `X`, parameter index `i`) such that `X[p_i]`
/// occurs in `body`, also inside definitions applied to `p_i` (LET
/// definitions are lambda-lifted, so `knowsSent[ac]` inside KnowsSafeAt's
/// LET is in another definition's body).
fn indexed_vars(
    prog: &crate::semantic::Program,
    body: &E,
    params: &[BVar],
) -> BTreeSet<(VarId, usize)> {
    let mut out = BTreeSet::new();
    // (expression, parameter ids in scope with their index, depth)
    let ids: Vec<(u32, usize)> = params.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let mut todo = vec![(body.clone(), ids, 0usize)];
    while let Some((e, ids, depth)) = todo.pop() {
        let index_of = |x: &E| match &x.kind {
            Kind::Bound(p) => ids.iter().find(|(id, _)| *id == p.id).map(|(_, i)| *i),
            _ => None,
        };
        if let Kind::Apply(f, args) = &e.kind
            && let Kind::Var(x) = &f.kind
            && let [arg] = args.as_slice()
            && let Some(i) = index_of(arg)
        {
            out.insert((*x, i));
        }
        if let Kind::App(d, args) = &e.kind
            && depth < 8
            && let DefBody::Expr(b) = &prog.def(*d).body
        {
            let inner: Vec<(u32, usize)> = prog
                .def(*d)
                .params
                .iter()
                .zip(args)
                .filter_map(|(q, a)| index_of(a).map(|i| (q.id, i)))
                .collect();
            if !inner.is_empty() {
                todo.push((b.clone(), inner, depth + 1));
            }
        }
        for c in crate::semantic::level::children(&e) {
            todo.push((c.clone(), ids.clone(), depth));
        }
    }
    out
}

impl Builder<'_> {
    /// Variables an action leaves unchanged by one of its conjuncts
    /// (`UNCHANGED <<x, y>>`, `UNCHANGED x`, `x' = x`), through definitions.
    pub(super) fn unchanged_vars(&mut self, e: &E, depth: usize) -> BTreeSet<VarId> {
        let mut out = BTreeSet::new();
        if depth > 12 {
            return out;
        }
        match &e.kind {
            Kind::And(items) => {
                for i in items {
                    out.extend(self.unchanged_vars(i, depth + 1));
                }
            }
            Kind::Unary(UnOp::Unchanged, v) => match &self.unfold(v).kind {
                Kind::Var(x) => {
                    out.insert(*x);
                }
                Kind::Tuple(items) => out.extend(items.iter().filter_map(|i| match &i.kind {
                    Kind::Var(x) => Some(*x),
                    _ => None,
                })),
                _ => {}
            },
            Kind::Binary(BinOp::Eq, a, b) => {
                if let (Kind::Unary(UnOp::Prime, p), Kind::Var(y)) = (&a.kind, &b.kind)
                    && matches!(&p.kind, Kind::Var(x) if x == y)
                {
                    out.insert(*y);
                }
            }
            Kind::App(d, args) => {
                if let Some(b) = crate::semantic::subst::instantiate(self.prog, *d, args) {
                    out.extend(self.unchanged_vars(&b, depth + 1));
                }
            }
            _ => {}
        }
        out
    }
}

/// Definitions of `expand` applied in `e`, through the bodies of expanded
/// definitions, primed (`want_primed`) or unprimed.
fn uses_under_prime(
    prog: &crate::semantic::Program,
    e: &E,
    expand: &BTreeSet<DefId>,
    want_primed: bool,
    primed: bool,
    out: &mut BTreeSet<DefId>,
    depth: usize,
) {
    if depth > 24 {
        return;
    }
    let primed = primed || matches!(&e.kind, Kind::Unary(UnOp::Prime, _));
    if let Kind::App(d, _) = &e.kind
        && expand.contains(d)
    {
        if primed == want_primed {
            out.insert(*d);
        }
        if let DefBody::Expr(b) = &prog.def(*d).body {
            uses_under_prime(prog, b, expand, want_primed, primed, out, depth + 1);
        }
    }
    for c in crate::semantic::level::children(e) {
        uses_under_prime(prog, c, expand, want_primed, primed, out, depth + 1);
    }
}

/// `d` and the definitions of `expand` its body reaches through them.
fn expanded_reach(
    prog: &crate::semantic::Program,
    d: DefId,
    expand: &BTreeSet<DefId>,
) -> BTreeSet<DefId> {
    let mut out = BTreeSet::from([d]);
    let mut todo = vec![d];
    while let Some(d) = todo.pop() {
        let DefBody::Expr(b) = &prog.def(d).body else {
            continue;
        };
        for e in reachable_defs_shallow(b) {
            if expand.contains(&e) && out.insert(e) {
                todo.push(e);
            }
        }
    }
    out
}

/// Definitions applied in `e` (not inside their bodies).
fn reachable_defs_shallow(e: &E) -> BTreeSet<DefId> {
    let mut out = BTreeSet::new();
    let mut todo = vec![e.clone()];
    while let Some(e) = todo.pop() {
        if let Kind::App(d, _) = &e.kind {
            out.insert(*d);
        }
        todo.extend(crate::semantic::level::children(&e).into_iter().cloned());
    }
    out
}

/// Definitions applied in `root` or, transitively, in their bodies.
pub(super) fn reachable_defs(prog: &crate::semantic::Program, root: &E) -> BTreeSet<DefId> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![root.clone()];
    while let Some(e) = todo.pop() {
        if let Kind::App(d, _) = &e.kind
            && seen.insert(*d)
            && let DefBody::Expr(b) = &prog.def(*d).body
        {
            todo.push(b.clone());
        }
        todo.extend(crate::semantic::level::children(&e).into_iter().cloned());
    }
    seen
}
