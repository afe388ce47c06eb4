//! Temporal subformulas in a Z3 obligation: `<>Q`, `[]P(k)`, `WF_v(A)`
//! are opaque truths, one Boolean function per formula of the bound
//! variables it reads from outside (the same function for formulas equal
//! up to the names of their bound variables, free ones included, at the
//! same argument sorts).
//!
//! Sound because an obligation is one formula evaluated on one behavior:
//! there a temporal formula's truth depends only on the values of its free
//! (rigid) variables, so any reasoning valid for every such function is
//! valid for the behavior's. The encoding knows nothing else of them (not
//! even `[]P => P`), so a model is no counterexample (`dropped_temporal`).

use super::super::{Encoder, Res, unsupported};
use crate::semantic::alpha;
use crate::semantic::ir::*;

impl Encoder<'_> {
    /// The opaque truth of temporal formula `e`.
    pub(crate) fn temporal_atom(&mut self, e: &E) -> Res<String> {
        if self.primed {
            return unsupported(e.span, "a prime of a temporal formula");
        }
        let free = free_bound_vars(e);
        let mut sorts = Vec::new();
        let mut terms = Vec::new();
        for v in &free {
            let x = Expr::bound(v, e.span);
            sorts.push(self.sort_of(&x)?);
            terms.push(self.term(&x)?);
        }
        let found = self.temporal_atoms.iter().position(|(a, a_free, a_sorts)| {
            *a_sorts == sorts && alpha::same_with_free(a, e, a_free, &free)
        });
        let k = match found {
            Some(k) => k,
            None => {
                self.temporal_atoms
                    .push((e.clone(), free.clone(), sorts.clone()));
                self.temporal_atoms.len() - 1
            }
        };
        let name = format!("|temporal~{k}|");
        self.declare(&name, &sorts, "Bool");
        Ok(if terms.is_empty() {
            name
        } else {
            format!("({name} {})", terms.join(" "))
        })
    }
}
