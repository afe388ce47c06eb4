//! Formulas Z3 cannot look into, as opaque truths: temporal subformulas
//! (`<>Q`, `[]P(k)`, `WF_v(A)`) and `ENABLED A` where A's primes are
//! hidden. One Boolean function per formula, of the bound variables it
//! reads from outside (and, for ENABLED, of the state variables it reads):
//! the same function for formulas equal up to the names of their bound
//! variables, free ones included, at the same argument sorts.
//!
//! Sound because an obligation is one formula evaluated on one behavior:
//! there a temporal formula's truth depends only on the values of its free
//! (rigid) variables, and `ENABLED A`'s on those and on the current state
//! of the variables A reads; so reasoning valid for every such function is
//! valid for the behavior's. Nothing else is known of them (not even
//! `[]P => P`), so a model is no counterexample (`dropped_temporal` for
//! temporal ones; the evaluator refuses ENABLED, so no model with one is
//! ever confirmed).

use super::super::{Encoder, Res, unsupported};
use crate::semantic::alpha;
use crate::semantic::ir::*;

impl Encoder<'_> {
    /// The opaque truth of temporal formula `e`.
    pub(crate) fn temporal_atom(&mut self, e: &E) -> Res<String> {
        if self.primed {
            return unsupported(e.span, "a prime of a temporal formula");
        }
        self.opaque_atom(e, false, "temporal")
    }

    /// The opaque truth of `ENABLED A` (`e`), A's primes being hidden.
    pub(crate) fn enabled_atom(&mut self, e: &E) -> Res<String> {
        self.opaque_atom(e, true, "enabled")
    }

    /// `e` as a Boolean function of its free bound variables (and of the
    /// current values of the state variables it reads, if `state`).
    fn opaque_atom(&mut self, e: &E, state: bool, prefix: &str) -> Res<String> {
        let free = free_bound_vars(e);
        if state
            && let Some(v) = free.iter().find(|v| {
                matches!(
                    self.prog.flexible_params.get(&v.id),
                    Some(Level::Action | Level::Temporal)
                )
            })
        {
            // `ENABLED A` for a NEW ACTION A depends on the whole state, not
            // on A's truth on the current step.
            return unsupported(
                e.span,
                format!("ENABLED of the NEW ACTION parameter `{}`", v.name),
            );
        }
        let mut sorts = Vec::new();
        let mut terms = Vec::new();
        for v in &free {
            let x = Expr::bound(v, e.span);
            sorts.push(self.sort_of(&x)?);
            terms.push(self.term(&x)?);
        }
        if state {
            let info = self.levels.expr(self.prog, e);
            if info.temporal {
                return unsupported(e.span, "a temporal formula under ENABLED");
            }
            let primed = self.primed;
            for v in info.vars {
                terms.push(self.variable(v, primed, e.span)?);
                let t = self.var_type(v, primed);
                sorts.push(self.sort(&t, e.span)?);
            }
        }
        let found = self.opaque_atoms.iter().position(|(a, a_free, a_sorts)| {
            *a_sorts == sorts && alpha::same_with_free(a, e, a_free, &free)
        });
        let k = match found {
            Some(k) => k,
            None => {
                self.opaque_atoms
                    .push((e.clone(), free.clone(), sorts.clone()));
                self.opaque_atoms.len() - 1
            }
        };
        let name = format!("|{prefix}~{k}|");
        self.declare(&name, &sorts, "Bool");
        Ok(if terms.is_empty() {
            name
        } else {
            format!("({name} {})", terms.join(" "))
        })
    }
}
