//! Confirming a counterexample: an obligation's hypotheses and goal
//! evaluated in a model.

use super::env::Ctx;
use super::expr::{Evaluator, Form};
use super::value::Value;
use super::{EvalError, Interp, Limits};
use crate::obligations::{Hypothesis, Obligation};
use crate::semantic::ir::{BVar, E, Kind};
use crate::semantic::program::Program;
use crate::source::Span;
use crate::syntax::ast::BinOp;

/// The outcome of [`confirm`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every hypothesis (and NEW domain fact) is TRUE and the goal FALSE.
    /// `relied_on_universe`: some result relied on the caller's finite
    /// universe being all values ([`Evaluator::relied_on_universe`]), so
    /// the counterexample is one only if the universe is taken as the
    /// range of unbounded quantifiers.
    Confirmed { relied_on_universe: bool },
    /// Not a confirmed counterexample: why, and where.
    NotConfirmed { why: String, span: Span },
}

/// Evaluate `ob` in the model `interp`: a counterexample is confirmed only
/// if every NEW domain fact and hypothesis is TRUE and the goal FALSE.
/// Definitions in `ob.expand` are expanded, the others asked of
/// [`Interp::opaque`] first. Trusted library facts are valid theorems,
/// true in every model: they are not evaluated.
///
/// A goal the evaluator cannot decide (`\A x \in Nat : P`) is FALSE if an
/// instance of it is: its `\A` is tried at the universe's values (those in
/// the bound, see [`Evaluator::refute`]).
pub fn confirm(prog: &Program, ob: &Obligation, interp: &dyn Interp, limits: Limits) -> Verdict {
    confirm_with_witness(prog, ob, interp, limits).0
}

/// [`confirm`], and the values of the goal's `\A` variables at which it is
/// FALSE when that was shown by an instance ([`Evaluator::refute`]).
pub fn confirm_with_witness(
    prog: &Program,
    ob: &Obligation,
    interp: &dyn Interp,
    limits: Limits,
) -> (Verdict, Vec<(BVar, Value)>) {
    let verdict = |v: Verdict| (v, Vec::new());
    let mut ev = Evaluator::new(prog, interp, &ob.expand).with_limits(limits);
    let not = |why: String, span: Span| verdict(Verdict::NotConfirmed { why, span });
    let failed = |subject: &str, e: EvalError| match e {
        EvalError::Unspecified { why, span } => {
            not(format!("{subject} is unspecified: {why}"), span)
        }
        EvalError::Unsupported { what, span } => {
            not(format!("{subject} cannot be evaluated: {what}"), span)
        }
    };
    for (v, dom) in &ob.news {
        let Some(d) = dom else { continue };
        let Some(x) = interp.symbol(v, &[]) else {
            return not(format!("the model gives no value to `{}`", v.name), d.span);
        };
        match ev.member(&x, d) {
            Ok(true) => {}
            Ok(false) => {
                return not(
                    format!("the model's `{}` = {x} is outside its NEW domain", v.name),
                    d.span,
                );
            }
            Err(e) => return failed(&format!("the NEW domain of `{}`", v.name), e),
        }
    }
    for h in &ob.hyps {
        let (r, span) = match h {
            Hypothesis::Formula(f) => (ev.eval_bool(f), f.span),
            Hypothesis::Sequent(s) => (ev.sequent(s), s.goal.span),
            Hypothesis::Library(_) => continue,
        };
        match r {
            Ok(true) => {}
            Ok(false) => return not("a hypothesis is FALSE in the model".into(), span),
            Err(e) => return failed("a hypothesis", e),
        }
    }
    match ev.eval_bool(&ob.goal) {
        Ok(false) => verdict(Verdict::Confirmed {
            relied_on_universe: ev.relied_on_universe(),
        }),
        Ok(true) => not("the goal is TRUE in the model".into(), ob.goal.span),
        Err(e) => match ev.refute(&ob.goal) {
            Some(witness) => (
                Verdict::Confirmed {
                    relied_on_universe: ev.relied_on_universe(),
                },
                witness,
            ),
            None => failed("the goal", e),
        },
    }
}

/// Tuples of candidate values tried at most per `\A` refuted.
const MAX_INSTANCES: usize = 20_000;

impl Evaluator<'_> {
    /// Is the formula `e` FALSE, as shown by a false instance? Looks
    /// through definitions, conjunctions (one false conjunct) and `H => G`
    /// (H TRUE, G false); a `\A` is false if its body is false for values
    /// of the universe ([`Interp::universe`]) in its bounds. A false
    /// instance is a genuine witness, whatever values the universe lacks.
    /// Returns the values of the `\A` variables of the false instance
    /// (outermost first), `None` if none is found.
    pub fn refute(&mut self, e: &E) -> Option<Vec<(BVar, Value)>> {
        self.start();
        self.refute_in(e, &Ctx::default(), 0)
    }

    fn refute_in(&mut self, e: &E, cx: &Ctx, depth: usize) -> Option<Vec<(BVar, Value)>> {
        if depth > 16 || self.exhausted {
            return None;
        }
        match self.boolean(e, cx) {
            Ok(b) => return (!b).then(Vec::new),
            Err(_) if self.exhausted => return None,
            Err(_) => {}
        }
        let Ok(Form::Expr(e, cx)) = self.unfold(e, cx) else {
            return None;
        };
        match &e.kind {
            Kind::And(items) => items.iter().find_map(|i| self.refute_in(i, &cx, depth + 1)),
            Kind::Binary(BinOp::Implies, h, g) if self.boolean(h, &cx) == Ok(true) => {
                self.refute_in(g, &cx, depth + 1)
            }
            Kind::Forall(bs, body) => self.false_instance(bs, body, &cx, depth),
            _ => None,
        }
    }

    /// A tuple of candidate values in the bounds of `bs` at which `body`
    /// is FALSE.
    fn false_instance(
        &mut self,
        bs: &[(BVar, Option<E>)],
        body: &E,
        cx: &Ctx,
        depth: usize,
    ) -> Option<Vec<(BVar, Value)>> {
        let mut ranges: Vec<Vec<Value>> = Vec::with_capacity(bs.len());
        for (v, bound) in bs {
            let pool = self.interp.universe(v)?.to_vec();
            let range = match bound {
                None => pool,
                Some(s) => match self.elements(s, cx) {
                    Ok(xs) => xs.iter().cloned().collect(),
                    Err(_) => pool
                        .into_iter()
                        .filter(|x| self.mem(x, s, cx) == Ok(true))
                        .collect(),
                },
            };
            if range.is_empty() {
                return None;
            }
            ranges.push(range);
        }
        let total = ranges
            .iter()
            .try_fold(1usize, |acc, r| acc.checked_mul(r.len()))
            .unwrap_or(usize::MAX);
        for i in 0..total.min(MAX_INSTANCES) {
            let mut icx = cx.clone();
            let mut rest = i;
            let mut instance = Vec::with_capacity(bs.len());
            for ((v, _), xs) in bs.iter().zip(&ranges).rev() {
                let x = xs[rest % xs.len()].clone();
                icx = icx.with(v, x.clone());
                instance.push((v.clone(), x));
                rest /= xs.len();
            }
            if let Some(inner) = self.refute_in(body, &icx, depth + 1) {
                instance.reverse();
                instance.extend(inner);
                return Some(instance);
            }
            if self.exhausted {
                return None;
            }
        }
        None
    }
}
