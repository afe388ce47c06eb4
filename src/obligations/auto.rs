//! `--auto`: check an invariance theorem `Spec => []Inv` without its proof.
//!
//! `Spec` is unfolded to `Init /\ [][Next]_vars`; `Next` is split into its
//! actions (through disjunctions, existential quantifiers over parameters,
//! and definitions); `Inv` into its conjuncts. The obligations are
//! `Init => C` and `Inv /\ A => C'` for every action `A` (and the stuttering
//! step) and conjunct `C`, with every definition expanded and the module's
//! assumptions as hypotheses.

use super::{Builder, Hypothesis, Method, ProofNode};
use crate::semantic::ir::*;
use crate::semantic::program::{TheoremOrigin, ThmId};
use crate::semantic::subst;
use crate::source::Span;
use crate::syntax::ast::{BinOp, UnOp};
use std::collections::BTreeSet;

/// An action of `Next`: its name, parameters (with domains) and formula.
struct Action {
    name: String,
    params: Vec<(BVar, Option<E>)>,
    body: E,
}

impl Builder<'_> {
    /// Obligations for `Spec => []Inv` checked without hints.
    pub fn auto_invariance(&mut self, id: ThmId) -> ProofNode {
        let t = self.prog.theorem(id).clone();
        let name = t.name.as_deref().unwrap_or("<unnamed>").to_string();
        let mut root = ProofNode {
            label: name.clone(),
            span: t.span,
            obligations: Vec::new(),
            children: Vec::new(),
        };
        let all: BTreeSet<DefId> = (0..self.prog.defs.len() as u32)
            .map(DefId)
            .filter(|d| !self.prog.recursive_ops.contains(d))
            .collect();
        let base = self.base_ctx(&name, &t.statement, all);
        let parts = match self.invariance_parts(&t.statement.goal) {
            Ok(p) => p,
            Err(why) => {
                let ob = self.push(
                    &base,
                    t.span,
                    Method::Unsupported(why),
                    Vec::new(),
                    Vec::new(),
                );
                root.obligations.push(ob);
                return root;
            }
        };
        let (init, next, vars, inv) = parts;
        let conjuncts = self.conjuncts(&inv);
        // Init => C for each conjunct C.
        let mut init_node = node("Init", init.span);
        for (cname, c) in &conjuncts {
            let mut ctx = base.clone();
            ctx.path.push(format!("Init => {cname}"));
            ctx.hyps.push(Hypothesis::Formula(init.clone()));
            let lib = self.finite_set_facts(c);
            let ob = self.push_goal(&ctx, c.clone(), c.span, Method::Smt, lib, Vec::new());
            init_node.children.push(leaf(cname, c.span, ob));
        }
        root.children.push(init_node);
        // Inv /\ A => C' for each action A and conjunct C.
        let mut actions = Vec::new();
        self.split_actions(&next, Vec::new(), "Next".into(), &mut actions, 0);
        let stutter = self
            .prog
            .mk_bool(Kind::Unary(UnOp::Unchanged, vars.clone()), vars.span);
        actions.push(Action {
            name: "stuttering (UNCHANGED vars)".into(),
            params: Vec::new(),
            body: stutter,
        });
        // Monotonicity lemmas (see `monotone`): proved once, then assumed
        // by the action obligations whose conjunct uses the definition.
        let lemmas = self.monotonicity_lemmas(&inv);
        let mut lemma_node = node("monotonicity", t.span);
        let mut proved_lemmas = Vec::new();
        for lemma in &lemmas {
            let id = self.push_lemma(&base, lemma);
            let name = self.prog.def(lemma.def).name.to_string();
            lemma_node
                .children
                .push(leaf(&name, lemma.formula.span, id));
            proved_lemmas.push((lemma.def, id, lemma.formula.clone(), lemma.vars.clone()));
        }
        if !lemma_node.children.is_empty() {
            root.children.push(lemma_node);
        }
        for a in actions {
            let mut anode = node(&a.name, a.body.span);
            // A lemma is no use (and measurably slows Z3 down) for an action
            // that leaves its variables unchanged: frames follow by
            // congruence.
            let kept = self.unchanged_vars(&a.body, 0);
            for (cname, c) in &conjuncts {
                let mut ctx = base.clone();
                ctx.path.push(a.name.clone());
                ctx.path.push(format!("{cname}'"));
                ctx.news.extend(a.params.iter().cloned());
                ctx.hyps.push(Hypothesis::Formula(inv.clone()));
                ctx.hyps.push(Hypothesis::Formula(a.body.clone()));
                // A conjunction is checked one conjunct at a time
                // (`TypeOK'!1` ...): equivalent, and much easier for Z3
                // than one query with a disjunction of negated conjuncts.
                let parts = self.conjunct_parts(c);
                let mut cnode = node(&format!("{cname}'"), c.span);
                for (i, part) in parts.iter().enumerate() {
                    let goal = self
                        .prog
                        .mk_bool(Kind::Unary(UnOp::Prime, part.clone()), part.span);
                    let mut hyps = self.finite_set_facts(part);
                    let uses = super::monotone::reachable_defs(self.prog, part);
                    let relied: Vec<&(DefId, usize, E, BTreeSet<VarId>)> = proved_lemmas
                        .iter()
                        .filter(|(d, _, _, vars)| uses.contains(d) && !vars.is_subset(&kept))
                        .collect();
                    hyps.extend(
                        relied
                            .iter()
                            .map(|(_, _, f, _)| Hypothesis::Formula(f.clone())),
                    );
                    let ob = self.push_goal(&ctx, goal, part.span, Method::Smt, hyps, Vec::new());
                    self.obligations[ob].relies_on =
                        relied.iter().map(|(_, id, _, _)| *id).collect();
                    if parts.len() == 1 {
                        cnode.obligations.push(ob);
                    } else {
                        cnode
                            .children
                            .push(leaf(&format!("{cname}'!{}", i + 1), part.span, ob));
                    }
                }
                anode.children.push(cnode);
            }
            root.children.push(anode);
        }
        root
    }

    /// The context: the module's assumptions and the trusted library facts.
    /// Assumptions that mix sorts (BPCon's BallotAssump: ballots are no
    /// acceptors) are left out: they say nothing an invariant of a typed
    /// spec needs, and measured, their quantifier over the universe turns
    /// an --auto step that proves in 0.9 s into a timeout at 30 s.
    fn base_ctx(&mut self, name: &str, st: &Sequent, all: BTreeSet<DefId>) -> super::Ctx {
        let hyps: Vec<Hypothesis> = self
            .prog
            .assumes
            .iter()
            .filter(|a| !a.instanced && a.ill_sorted.is_none())
            .filter(|a| !mixes_sorts(self.prog, &a.body))
            .map(|a| Hypothesis::Formula(a.body.clone()))
            .collect();
        super::Ctx {
            news: st.news.clone(),
            hyps,
            goal: st.goal.clone(),
            defs: all,
            facts: Default::default(),
            inside: Default::default(),
            path: vec![format!("{name} (auto)")],
            // Only the module's constant assumptions.
            rigid: true,
            always: Vec::new(),
        }
    }

    /// The FiniteSetTheorems facts, for a conjunct that speaks about
    /// finiteness or cardinality (other obligations do not need them).
    fn finite_set_facts(&mut self, c: &E) -> Vec<Hypothesis> {
        if !mentions_finiteness(self.prog, c, 0) {
            return Vec::new();
        }
        (0..self.prog.theorems.len())
            .filter(|&i| {
                let th = &self.prog.theorems[i];
                // Induction schemas (a nested ASSUME/PROVE) cannot be
                // instantiated by the encoder: leave them out rather than
                // have every model count as incomplete.
                th.origin == TheoremOrigin::Library
                    && th.module.as_ref() == "FiniteSetTheorems"
                    && !th
                        .statement
                        .hyps
                        .iter()
                        .any(|h| matches!(h, crate::semantic::ir::Hyp::Sequent(..)))
            })
            .map(|i| Hypothesis::Library(ThmId(i as u32)))
            .collect()
    }

    /// Unfold a 0-ary definition.
    pub(super) fn unfold(&mut self, e: &E) -> E {
        match &e.kind {
            Kind::App(d, args) => match subst::instantiate(self.prog, *d, args) {
                Some(b) => self.unfold(&b),
                None => e.clone(),
            },
            _ => e.clone(),
        }
    }

    /// `Spec => []Inv` with `Spec == Init /\ [][Next]_vars`.
    fn invariance_parts(&mut self, goal: &E) -> Result<(E, E, E, E), String> {
        let shape = "--auto needs a theorem of the form `Spec => []Inv` with `Spec == Init /\\ [][Next]_vars`";
        let Kind::Binary(BinOp::Implies, spec, concl) = &goal.kind else {
            return Err(shape.into());
        };
        let Kind::Temporal(TemporalOp::Always, inv) = &concl.kind else {
            return Err(shape.into());
        };
        let spec = self.unfold(spec);
        let Kind::And(parts) = &spec.kind else {
            return Err(shape.into());
        };
        let [init, always] = parts.as_slice() else {
            return Err(shape.into());
        };
        let Kind::Temporal(TemporalOp::Always, boxed) = &always.kind else {
            return Err(shape.into());
        };
        let Kind::BoxAction(next, vars) = &boxed[0].kind else {
            return Err(shape.into());
        };
        Ok((init.clone(), next.clone(), vars.clone(), inv[0].clone()))
    }

    /// Conjuncts of the invariant, named after their definitions.
    fn conjuncts(&mut self, inv: &E) -> Vec<(String, E)> {
        let name = |p: &crate::semantic::program::Program, e: &E, i: usize| match &e.kind {
            Kind::App(d, args) if args.is_empty() => p.def(*d).name.to_string(),
            _ => format!("Inv!{}", i + 1),
        };
        let body = self.unfold(inv);
        let flat = conjuncts(&body);
        if flat.len() <= 1 {
            return vec![(name(self.prog, inv, 0), inv.clone())];
        }
        flat.iter()
            .enumerate()
            .map(|(i, c)| (name(self.prog, c, i), (*c).clone()))
            .collect()
    }

    /// The conjuncts of an invariant conjunct (through 0-ary definitions).
    fn conjunct_parts(&mut self, c: &E) -> Vec<E> {
        let body = self.unfold(c);
        let flat = conjuncts(&body);
        if flat.len() <= 1 {
            return vec![c.clone()];
        }
        flat.into_iter().cloned().collect()
    }

    /// Split an action formula into disjuncts, collecting existential
    /// parameters and unfolding definitions; names follow the definitions
    /// (`acceptor(self)!2` is the 2nd disjunct inside `acceptor`).
    fn split_actions(
        &mut self,
        e: &E,
        params: Vec<(BVar, Option<E>)>,
        name: String,
        out: &mut Vec<Action>,
        depth: usize,
    ) {
        if depth > 20 {
            out.push(Action {
                name,
                params,
                body: e.clone(),
            });
            return;
        }
        match &e.kind {
            Kind::Or(items) if items.len() > 1 => {
                for (i, item) in items.iter().enumerate() {
                    self.split_actions(
                        item,
                        params.clone(),
                        format!("{name}!{}", i + 1),
                        out,
                        depth + 1,
                    );
                }
            }
            // `C /\ (A \/ B)` (PlusCal's `either ... or` with shared
            // UNCHANGED): one action per disjunct, each with `C`.
            Kind::And(items)
                if items
                    .iter()
                    .filter(|i| matches!(&i.kind, Kind::Or(d) if d.len() > 1))
                    .count()
                    == 1 =>
            {
                let k = items
                    .iter()
                    .position(|i| matches!(&i.kind, Kind::Or(d) if d.len() > 1))
                    .unwrap_or(0);
                let Kind::Or(disjuncts) = &items[k].kind else {
                    unreachable!()
                };
                for (i, d) in disjuncts.iter().enumerate() {
                    let mut conj = items.clone();
                    conj[k] = d.clone();
                    let e2 = self.prog.mk_bool(Kind::And(conj), d.span);
                    self.split_actions(
                        &e2,
                        params.clone(),
                        format!("{name}!{}", i + 1),
                        out,
                        depth + 1,
                    );
                }
            }
            Kind::Exists(bs, body) => {
                let mut ps = params.clone();
                ps.extend(bs.iter().cloned());
                self.split_actions(body, ps, name, out, depth + 1);
            }
            Kind::App(d, args) => {
                let def_name = self.prog.def(*d).name.to_string();
                let arg_names: Vec<String> = args.iter().map(short).collect();
                let label = if arg_names.is_empty() {
                    def_name
                } else {
                    format!("{def_name}({})", arg_names.join(", "))
                };
                match subst::instantiate(self.prog, *d, args) {
                    Some(b) if splits(&b) => self.split_actions(&b, params, label, out, depth + 1),
                    _ => {
                        let mut params = params;
                        let body = self.lift_existentials(e, &mut params, 0);
                        out.push(Action {
                            name: label,
                            params,
                            body,
                        })
                    }
                }
            }
            _ => {
                let mut params = params;
                let body = self.lift_existentials(e, &mut params, 0);
                out.push(Action { name, params, body })
            }
        }
    }

    /// `A /\ (\E x \in S : B)` as a hypothesis is `A /\ B` for a new
    /// constant `x \in S`: lift such existentials (through definitions and
    /// nested conjunctions) into the action's parameters, so the obligation
    /// names the witness (e.g. the message a step sends) as a constant.
    /// Each lifted variable is renamed apart first, so two quantifiers that
    /// came from one definition never merge.
    fn lift_existentials(&mut self, e: &E, params: &mut Vec<(BVar, Option<E>)>, depth: usize) -> E {
        if depth > 20 {
            return e.clone();
        }
        match &e.kind {
            Kind::And(items) => {
                let lifted: Vec<E> = items
                    .iter()
                    .map(|i| self.lift_existentials(i, params, depth + 1))
                    .collect();
                self.prog.mk_bool(Kind::And(lifted), e.span)
            }
            Kind::Exists(bs, body) => {
                let mut map = std::collections::HashMap::new();
                for (v, dom) in bs {
                    let fresh = self.prog.renamed(v);
                    let dom = dom.as_ref().map(|d| subst::subst(self.prog, d, &map));
                    map.insert(v.id, Expr::bound(&fresh, e.span));
                    params.push((fresh, dom));
                }
                let body = subst::subst(self.prog, body, &map);
                self.lift_existentials(&body, params, depth + 1)
            }
            Kind::App(d, args) => match subst::instantiate(self.prog, *d, args) {
                Some(b) if matches!(b.kind, Kind::Exists(..) | Kind::And(_)) && has_exists(&b) => {
                    self.lift_existentials(&b, params, depth + 1)
                }
                _ => e.clone(),
            },
            _ => e.clone(),
        }
    }
}

/// Does a conjunction (through nested conjunctions) contain an existential?
fn has_exists(e: &E) -> bool {
    match &e.kind {
        Kind::Exists(..) => true,
        Kind::And(items) => items.iter().any(has_exists),
        _ => false,
    }
}

/// Does `e` (through definitions) mention IsFiniteSet or Cardinality?
fn mentions_finiteness(prog: &crate::semantic::program::Program, e: &E, depth: usize) -> bool {
    if depth > 30 {
        return false;
    }
    match &e.kind {
        Kind::Builtin(..) => true,
        Kind::App(d, args) => {
            args.iter().any(|a| mentions_finiteness(prog, a, depth + 1))
                || match &prog.def(*d).body {
                    DefBody::Expr(b) => mentions_finiteness(prog, b, depth + 1),
                    _ => false,
                }
        }
        _ => crate::semantic::level::children(e)
            .into_iter()
            .any(|c| mentions_finiteness(prog, c, depth + 1)),
    }
}

/// Does an action formula split further (disjunction, existential, definition)?
fn splits(e: &E) -> bool {
    match &e.kind {
        Kind::Or(items) => items.len() > 1,
        Kind::And(items) => items
            .iter()
            .any(|i| matches!(&i.kind, Kind::Or(d) if d.len() > 1)),
        Kind::Exists(..) | Kind::App(..) => true,
        _ => false,
    }
}

fn short(e: &E) -> String {
    match &e.kind {
        Kind::Bound(v) => v.name.to_string(),
        Kind::Int(n) => n.to_string(),
        _ => "_".into(),
    }
}

/// Does `e` (or a definition it applies) combine sets of different sorts,
/// that is, have a subexpression of a type over the universe?
fn mixes_sorts(prog: &crate::semantic::Program, e: &E) -> bool {
    use crate::types::Type;
    fn has_univ(t: &Type) -> bool {
        match t {
            Type::Univ => true,
            Type::Set(x) => has_univ(x),
            Type::Fun(a, b) => has_univ(a) || has_univ(b),
            Type::Tuple(ts) => ts.iter().any(has_univ),
            _ => false,
        }
    }
    let mut todo = vec![e.clone()];
    for d in super::monotone::reachable_defs(prog, e) {
        if let DefBody::Expr(b) = &prog.def(d).body {
            todo.push(b.clone());
        }
    }
    while let Some(x) = todo.pop() {
        if has_univ(&prog.types.resolve(x.ty)) {
            return true;
        }
        todo.extend(crate::semantic::level::children(&x).into_iter().cloned());
    }
    false
}

fn node(label: &str, span: Span) -> ProofNode {
    ProofNode {
        label: label.to_string(),
        span,
        obligations: Vec::new(),
        children: Vec::new(),
    }
}

fn leaf(label: &str, span: Span, ob: usize) -> ProofNode {
    ProofNode {
        label: label.to_string(),
        span,
        obligations: vec![ob],
        children: Vec::new(),
    }
}
