//! Boolean connectives, quantifiers, CHOOSE, CASE and sequents: the
//! constructs whose TLA+ value may be decided without some of their parts.

use super::EvalError;
use super::env::{Ctx, Res};
use super::expr::{Evaluator, keep, unspecified, unsupported};
use super::value::Value;
use crate::semantic::ir::*;
use crate::source::Span;
use std::collections::BTreeSet;

impl Evaluator<'_> {
    /// Conjunction of `n` items, left to right: FALSE as soon as one is
    /// FALSE (whatever the others are), TRUE if all are TRUE, otherwise
    /// the most telling error.
    pub(super) fn all(
        &mut self,
        n: usize,
        mut item: impl FnMut(&mut Self, usize) -> Res<bool>,
    ) -> Res<bool> {
        self.fold(n, false, &mut item)
    }

    /// Disjunction: TRUE as soon as one item is TRUE.
    pub(super) fn any(
        &mut self,
        n: usize,
        mut item: impl FnMut(&mut Self, usize) -> Res<bool>,
    ) -> Res<bool> {
        self.fold(n, true, &mut item)
    }

    /// The common part of `all` (`decisive` FALSE) and `any` (TRUE).
    fn fold(
        &mut self,
        n: usize,
        decisive: bool,
        item: &mut impl FnMut(&mut Self, usize) -> Res<bool>,
    ) -> Res<bool> {
        let mut pending = None;
        for i in 0..n {
            match item(self, i) {
                Ok(b) if b == decisive => return Ok(decisive),
                Ok(_) => {}
                Err(e) => {
                    keep(&mut pending, e);
                    if self.exhausted {
                        break;
                    }
                }
            }
        }
        pending.map_or(Ok(!decisive), Err)
    }

    /// `a => b` given `a`'s result: TRUE if `a` is FALSE or `b` is TRUE.
    pub(super) fn implies(
        &mut self,
        a: Res<bool>,
        b: impl FnOnce(&mut Self) -> Res<bool>,
    ) -> Res<bool> {
        match a {
            Ok(false) => Ok(true),
            Ok(true) => b(self),
            Err(ea) => match b(self) {
                Ok(true) => Ok(true),
                Ok(false) => Err(ea),
                Err(eb) => Err(if eb.is_unsupported() && !ea.is_unsupported() {
                    eb
                } else {
                    ea
                }),
            },
        }
    }

    /// `CASE p1 -> e1 [] ...`: TLA+ defines it as `CHOOSE v` among the
    /// values of the true arms, so with several true arms it is the least
    /// of their values; OTHER applies when no arm is true.
    pub(super) fn case(
        &mut self,
        arms: &[(E, E)],
        other: Option<&E>,
        sp: Span,
        cx: &Ctx,
    ) -> Res<Value> {
        let mut pending = None;
        let mut chosen: Option<Value> = None;
        for (guard, arm) in arms {
            match self.boolean(guard, cx) {
                Ok(true) => match self.value(arm, cx) {
                    Ok(v) => {
                        if chosen.as_ref().is_none_or(|c| v < *c) {
                            chosen = Some(v);
                        }
                    }
                    Err(e) => keep(&mut pending, e),
                },
                Ok(false) => {}
                Err(e) => keep(&mut pending, e),
            }
        }
        if let Some(e) = pending {
            return Err(e);
        }
        match (chosen, other) {
            (Some(v), _) => Ok(v),
            (None, Some(o)) => self.value(o, cx),
            (None, None) => unspecified(sp, "no arm of the CASE is true and it has no OTHER"),
        }
    }

    /// The finite universe for an unbounded binder, in value order.
    pub(super) fn universe(&mut self, v: &BVar, sp: Span) -> Res<Vec<Value>> {
        let Some(u) = self.interp.universe(v) else {
            return unsupported(
                sp,
                format!(
                    "an unbounded quantifier over `{}` (no universe given)",
                    v.name
                ),
            );
        };
        let set: BTreeSet<Value> = u.iter().cloned().collect();
        Ok(set.into_iter().collect())
    }

    /// The values each binder ranges over; `None` if one range is empty
    /// (the quantifier is then vacuous, whatever the other ranges are).
    fn ranges(
        &mut self,
        bs: &[(BVar, Option<E>)],
        sp: Span,
        cx: &Ctx,
    ) -> Res<Option<Vec<Vec<Value>>>> {
        let mut out = Vec::with_capacity(bs.len());
        let mut pending = None;
        for (v, s) in bs {
            let r = match s {
                Some(s) => self.elements(s, cx).map(|xs| xs.iter().cloned().collect()),
                None => self.universe(v, sp),
            };
            match r {
                Ok(xs) if xs.is_empty() => return Ok(None),
                Ok(xs) => out.push(xs),
                Err(e) => keep(&mut pending, e),
            }
        }
        match pending {
            Some(e) => Err(e),
            None => Ok(Some(out)),
        }
    }

    pub(super) fn quantifier(
        &mut self,
        forall: bool,
        bs: &[(BVar, Option<E>)],
        body: &E,
        sp: Span,
        cx: &Ctx,
    ) -> Res<bool> {
        let Some(ranges) = self.ranges(bs, sp, cx)? else {
            self.note_exhaustive(bs.iter().any(|(_, s)| s.is_none()));
            return Ok(forall);
        };
        let n = self.tuples(&ranges, sp)?;
        let item = |ev: &mut Self, i: usize| {
            let mut icx = cx.clone();
            let mut rest = i;
            for ((v, _), xs) in bs.iter().zip(&ranges).rev() {
                icx = icx.with(v, xs[rest % xs.len()].clone());
                rest /= xs.len();
            }
            ev.boolean(body, &icx)
        };
        let r = if forall {
            self.all(n, item)
        } else {
            self.any(n, item)
        };
        if r == Ok(forall) {
            self.note_exhaustive(bs.iter().any(|(_, s)| s.is_none()));
        }
        r
    }

    /// Record that a result relied on the universe holding every value:
    /// an unbounded `\A` found TRUE or `\E` found FALSE by trying every
    /// element of it. (A witness found in it, for `\E`, `CHOOSE` or
    /// against `\A`, is a witness among all values too.)
    fn note_exhaustive(&mut self, unbounded: bool) {
        if unbounded {
            self.universe_relied_on = true;
        }
    }

    /// The number of tuples of the product of `ranges`, if within limits.
    pub(super) fn tuples(&mut self, ranges: &[Vec<Value>], sp: Span) -> Res<usize> {
        let n = ranges
            .iter()
            .try_fold(1usize, |acc, xs| acc.checked_mul(xs.len()));
        match n {
            Some(n) if n as u64 <= self.limits.max_steps => Ok(n),
            _ => unsupported(sp, "a quantifier over too many tuples of values"),
        }
    }

    /// `CHOOSE v \in s : p`: the least value of the extension of `p`.
    pub(super) fn choose(
        &mut self,
        v: &BVar,
        s: Option<&E>,
        p: &E,
        sp: Span,
        cx: &Ctx,
    ) -> Res<Value> {
        let range: Vec<Value> = match s {
            Some(s) => self.elements(s, cx)?.iter().cloned().collect(),
            None => self.universe(v, sp)?,
        };
        let mut pending = None;
        for x in range {
            match self.boolean(p, &cx.with(v, x.clone())) {
                // A smaller candidate of unknown truth could be the choice.
                Ok(true) => return pending.map_or(Ok(x), Err),
                Ok(false) => {}
                Err(e) => keep(&mut pending, e),
            }
            if self.exhausted {
                break;
            }
        }
        Err(pending.unwrap_or(EvalError::Unspecified {
            why: "CHOOSE has no value satisfying its predicate".into(),
            span: sp,
        }))
    }

    /// `\A news : hyps => goal`, from the `i`-th NEW on (a NEW's domain may
    /// mention the earlier ones).
    pub(super) fn sequent_from(&mut self, s: &Sequent, i: usize, cx: &Ctx) -> Res<bool> {
        let Some((v, dom)) = s.news.get(i) else {
            let hyps = self.all(s.hyps.len(), |ev, k| match &s.hyps[k] {
                Hyp::Fact(f) => ev.boolean(f, cx),
                Hyp::Sequent(inner, _) => ev.sequent_from(inner, 0, cx),
            });
            return self.implies(hyps, |ev| ev.boolean(&s.goal, cx));
        };
        let sp = dom.as_ref().map_or(s.goal.span, |d| d.span);
        let range: Vec<Value> = match dom {
            Some(d) => self.elements(d, cx)?.iter().cloned().collect(),
            None => self.universe(v, sp)?,
        };
        let r = self.all(range.len(), |ev, k| {
            ev.sequent_from(s, i + 1, &cx.with(v, range[k].clone()))
        });
        if r == Ok(true) {
            self.note_exhaustive(dom.is_none());
        }
        r
    }
}
