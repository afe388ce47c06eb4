//! Confirming a counterexample: an obligation's hypotheses and goal
//! evaluated in a model.

use super::expr::Evaluator;
use super::{EvalError, Interp, Limits};
use crate::obligations::{Hypothesis, Obligation};
use crate::semantic::program::Program;
use crate::source::Span;

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
pub fn confirm(prog: &Program, ob: &Obligation, interp: &dyn Interp, limits: Limits) -> Verdict {
    let mut ev = Evaluator::new(prog, interp, &ob.expand).with_limits(limits);
    let not = |why: String, span: Span| Verdict::NotConfirmed { why, span };
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
        Ok(false) => Verdict::Confirmed {
            relied_on_universe: ev.relied_on_universe(),
        },
        Ok(true) => not("the goal is TRUE in the model".into(), ob.goal.span),
        Err(e) => failed("the goal", e),
    }
}
