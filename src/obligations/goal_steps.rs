//! Proof steps that transform the goal: WITNESS and TAKE (through the
//! usable definitions at its top).

use super::{Builder, same};
use crate::semantic::ir::*;
use crate::syntax::ast::BinOp;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

impl Builder<'_> {
    pub(super) fn witness_on(
        &mut self,
        goal: &E,
        defs: &BTreeSet<DefId>,
        es: &[E],
    ) -> Result<(Vec<E>, E), String> {
        let goal = self.usable_head(goal, defs, |k| matches!(k, Kind::Exists(..)));
        self.witness(&goal, es)
    }

    pub(super) fn take_on(
        &mut self,
        goal: &E,
        defs: &BTreeSet<DefId>,
        bs: &[(BVar, Option<E>)],
    ) -> Result<E, String> {
        let goal = self.usable_head(goal, defs, |k| matches!(k, Kind::Forall(..)));
        self.take(&goal, bs)
    }

    /// The goal with its usable definitions at the top expanded until it
    /// has the form `wanted` asks for (`USE DEF P` then `WITNESS` on a goal
    /// `P` that is `\E x : ...`); the goal unchanged otherwise.
    fn usable_head(&mut self, goal: &E, defs: &BTreeSet<DefId>, wanted: fn(&Kind) -> bool) -> E {
        let may = |_: &crate::semantic::program::Program, d: DefId| defs.contains(&d);
        let cur = crate::semantic::subst::unfold_head(self.prog, goal, &may, &wanted);
        if wanted(&cur.kind) { cur } else { goal.clone() }
    }

    /// `WITNESS e1 \in T1, ...` on a goal `\E x \in S, ... : P`: the
    /// memberships to prove (`e1 \in T1`, and `T1 \subseteq S` when `T1` is
    /// not `S`; `e1 \in S` for a bare `e1`) and the new goal `P(e1, ...)`.
    fn witness(&mut self, goal: &E, es: &[E]) -> Result<(Vec<E>, E), String> {
        let Kind::Exists(bs, body) = &goal.kind else {
            return Err("WITNESS needs an existential goal".into());
        };
        if es.len() > bs.len() {
            return Err(format!(
                "WITNESS gives {} witnesses for {} variables",
                es.len(),
                bs.len()
            ));
        }
        let mut map = HashMap::new();
        let mut sides = Vec::new();
        for ((v, set), e) in bs.iter().zip(es) {
            let (w, given) = match &e.kind {
                Kind::Binary(BinOp::In, w, t) => (w.clone(), Some(t.clone())),
                _ => (e.clone(), None),
            };
            if let Some(set) = set {
                let set = crate::semantic::subst::subst(self.prog, set, &map);
                match given {
                    Some(t) => {
                        sides.push(e.clone());
                        if !same(&t, &set) {
                            let sub = Kind::Binary(BinOp::Subseteq, t, set);
                            sides.push(self.prog.mk_bool(sub, e.span));
                        }
                    }
                    None => {
                        let member = Kind::Binary(BinOp::In, w.clone(), set);
                        sides.push(self.prog.mk_bool(member, e.span));
                    }
                }
            }
            map.insert(v.id, w);
        }
        let rest: Vec<(BVar, Option<E>)> = bs[es.len()..].to_vec();
        let mut inner = crate::semantic::subst::subst(self.prog, body, &map);
        if !rest.is_empty() {
            inner = self.prog.mk_bool(Kind::Exists(rest, inner), goal.span);
        }
        Ok((sides, inner))
    }

    /// `TAKE x \in S` on a goal `\A y \in S : P`: new goal `P(x)`.
    fn take(&mut self, goal: &E, bs: &[(BVar, Option<E>)]) -> Result<E, String> {
        let Kind::Forall(gbs, body) = &goal.kind else {
            return Err("TAKE needs a universal goal".into());
        };
        if bs.len() > gbs.len() {
            return Err("TAKE names more variables than the goal quantifies".into());
        }
        let mut map = HashMap::new();
        for ((gv, _), (v, _)) in gbs.iter().zip(bs) {
            let e = Rc::new(Expr {
                kind: Kind::Bound(v.clone()),
                span: goal.span,
                ty: v.ty,
            });
            map.insert(gv.id, e);
        }
        let rest: Vec<(BVar, Option<E>)> = gbs[bs.len()..].to_vec();
        let mut inner = crate::semantic::subst::subst(self.prog, body, &map);
        if !rest.is_empty() {
            inner = self.prog.mk_bool(Kind::Forall(rest, inner), goal.span);
        }
        Ok(inner)
    }
}
