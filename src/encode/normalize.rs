//! Obligations put in the shape Z3 handles best, by steps valid in TLA+:
//! a goal `A \subseteq B` becomes a fresh constant `x \in A` and the goal
//! `x \in B`; a goal `H => G` the hypothesis `H` and the goal `G`; a goal `x \in {y
//! \in S : P(y)}` becomes `x \in S /\ P(x)`; a hypothesis `\E x
//! \in S : P` becomes a fresh constant and the hypothesis `P`; a constant's
//! domain `{y \in S : Q(y)}` becomes `S` and the hypothesis `Q(x)`.
//!
//! Each step is the usual introduction of a fresh name (sound: the
//! obligation before and after are equivalent). What it buys: the fresh
//! constants are terms of the obligation, so they are candidate witnesses
//! for the goal's existentials (see `instances::witness_pool`), where Z3
//! would otherwise have to connect two quantifiers it skolemizes itself
//! (`chosen \subseteq P!chosen`). A goal `\A x : P` is left to Z3: with
//! fresh constants, definitions applied to them are encoded as symbols
//! rather than inline (measured: KnowsSafeAtDef, stated `\A a, b, v :
//! KnowsSafeAt(a, b, v) <=> ..`, went from proved to a timeout).

use super::Encoder;
use crate::obligations::{Hypothesis, Obligation};
use crate::semantic::ir::*;
use crate::semantic::subst::subst;
use crate::syntax::ast::{BinOp, UnOp};
use std::collections::HashMap;

/// Bounds the rewriting (each round removes one binder or connective).
const MAX_STEPS: usize = 32;

impl Encoder<'_> {
    pub(crate) fn normalize(&mut self, ob: &Obligation) -> Obligation {
        let mut ob = ob.clone();
        for _ in 0..MAX_STEPS {
            if !self.normalize_goal(&mut ob) && !self.normalize_context(&mut ob) {
                break;
            }
        }
        ob
    }

    /// One step on the goal; false if none applies.
    fn normalize_goal(&mut self, ob: &mut Obligation) -> bool {
        let goal = self.unfold_expanded(&ob.goal, 0);
        match &goal.kind {
            Kind::Binary(BinOp::Subseteq, a, b) => {
                let Some(elem) = self.element_var(a) else {
                    return false;
                };
                let x = Expr::bound(&elem, a.span);
                ob.news.push((elem, Some(a.clone())));
                ob.goal = self
                    .prog
                    .mk_bool(Kind::Binary(BinOp::In, x, b.clone()), goal.span);
                true
            }
            Kind::Binary(BinOp::In, x, set) => {
                // `x \in S'` for a constant `x` is `(x \in S)'`.
                let (set, primed) = match &set.kind {
                    Kind::Unary(UnOp::Prime, inner) if matches!(x.kind, Kind::Bound(_)) => {
                        (inner.clone(), true)
                    }
                    _ => (set.clone(), false),
                };
                let Kind::SetFilter(y, t, p) = &self.unfold_expanded(&set, 0).kind else {
                    return false;
                };
                let map = HashMap::from([(y.id, x.clone())]);
                let mut q = subst(self.prog, p, &map);
                let mut member = self
                    .prog
                    .mk_bool(Kind::Binary(BinOp::In, x.clone(), t.clone()), goal.span);
                if primed {
                    q = self.prog.mk_bool(Kind::Unary(UnOp::Prime, q), goal.span);
                    member = self
                        .prog
                        .mk_bool(Kind::Unary(UnOp::Prime, member), goal.span);
                }
                ob.goal = self.prog.mk_bool(Kind::And(vec![member, q]), goal.span);
                true
            }
            Kind::Binary(BinOp::Implies, h, g) => {
                ob.hyps.push(Hypothesis::Formula(h.clone()));
                ob.goal = g.clone();
                true
            }
            _ => false,
        }
    }

    /// One step on the context constants' domains or the hypotheses.
    fn normalize_context(&mut self, ob: &mut Obligation) -> bool {
        for i in 0..ob.news.len() {
            let Some(dom) = ob.news[i].1.clone() else {
                continue;
            };
            if let Kind::SetFilter(y, s, p) = &self.unfold_expanded(&dom, 0).kind {
                let v = ob.news[i].0.clone();
                let map = HashMap::from([(y.id, Expr::bound(&v, dom.span))]);
                let q = subst(self.prog, p, &map);
                ob.news[i].1 = Some(s.clone());
                ob.hyps.push(Hypothesis::Formula(q));
                return true;
            }
        }
        for i in 0..ob.hyps.len() {
            let Hypothesis::Formula(h) = &ob.hyps[i] else {
                continue;
            };
            if let Kind::Exists(bs, body) = &self.unfold_expanded(h, 0).kind {
                let (news, body) = self.fresh_binders(bs, body);
                ob.news.extend(news);
                ob.hyps[i] = Hypothesis::Formula(body);
                return true;
            }
        }
        false
    }

    /// Fresh constants for binders (their domains renamed along), and the
    /// body in their terms.
    fn fresh_binders(&mut self, bs: &[(BVar, Option<E>)], body: &E) -> (Vec<(BVar, Option<E>)>, E) {
        let mut map = HashMap::new();
        let mut news = Vec::new();
        for (v, dom) in bs {
            let dom = dom.as_ref().map(|d| subst(self.prog, d, &map));
            let fresh = self.prog.renamed(v);
            map.insert(v.id, Expr::bound(&fresh, body.span));
            news.push((fresh, dom));
        }
        (news, subst(self.prog, body, &map))
    }

    /// A fresh variable for an element of the set `a`, if `a` is a set.
    fn element_var(&mut self, a: &E) -> Option<BVar> {
        let crate::types::Type::Set(elem) = self.ty(a) else {
            return None;
        };
        Some(self.prog.fresh_bvar_of("x", *elem))
    }
}
