//! Facts with operator parameters (`ASSUME NEW op(_, _) ...`, the
//! library's NatInductiveDef): Z3 cannot quantify over operators, so such a
//! fact is stated only at substitutions of its operator parameters by the
//! LAMBDAs the obligation passes where the fact passes them (see
//! `operator_substitutions`); each substituted fact is then an ordinary
//! first-order one. An instance of a true fact is true, and leaving the fact
//! out when nothing fits only weakens the obligation.

use super::Encoder;
use super::instances::{ArgumentPool, slots_of};
use crate::semantic::ir::*;
use itertools::Itertools;
use std::collections::HashMap;

/// At most this many substitutions for the operator parameters of a fact.
const MAX_OPERATOR_INSTANCES: usize = 8;

/// Is `arg` the operator parameter `id` passed as an argument, that is
/// `LAMBDA x1, .., xn : id(x1, .., xn)` (how a name passed where an
/// operator is expected is resolved)? Its arity if so.
fn passes_operator(arg: &E, id: u32) -> Option<usize> {
    let Kind::Lambda(params, body) = &arg.kind else {
        return None;
    };
    let Kind::OpParamApp(w, args) = &body.kind else {
        return None;
    };
    let eta = w.id == id
        && args.len() == params.len()
        && args
            .iter()
            .zip(params)
            .all(|(a, p)| matches!(&a.kind, Kind::Bound(b) if b.id == p.id));
    eta.then_some(params.len())
}

impl Encoder<'_> {
    /// The operator parameters (`NEW op(_, _)`) of a fact.
    pub(crate) fn operator_params(&self, st: &Sequent) -> Vec<BVar> {
        st.news
            .iter()
            .filter(|(v, dom)| {
                dom.is_none() && (self.prog.op_params.contains(&v.id) || self.is_op_param(st, v))
            })
            .map(|(v, _)| v.clone())
            .collect()
    }

    /// Substitutions for a fact's operator parameters: each parameter by
    /// the LAMBDAs the obligation passes where the fact passes the
    /// parameter (the `+` of `FoldFunctionOnSet(+, 0, f, S)` for the `op` of
    /// `FoldFunctionOnSet(op, base, fun, inds)`). `None` if the fact has no
    /// operator parameter; empty if one of them has no candidate. An
    /// instance of a true fact is true, so any choice is sound.
    pub(crate) fn operator_substitutions(
        &mut self,
        st: &Sequent,
        pool: &ArgumentPool,
    ) -> Option<Vec<HashMap<u32, E>>> {
        let ops = self.operator_params(st);
        if ops.is_empty() {
            return None;
        }
        let mut choices: Vec<Vec<E>> = Vec::new();
        for op in &ops {
            let mut candidates: Vec<E> = Vec::new();
            super::ground::visit(st, &mut |x| {
                for (slot, arg) in slots_of(x) {
                    let Some(arity) = passes_operator(arg, op.id) else {
                        continue;
                    };
                    for c in pool.by_slot.get(&slot).into_iter().flatten() {
                        let fits = matches!(&c.kind, Kind::Lambda(ps, _) if ps.len() == arity);
                        if fits && !candidates.iter().any(|y| crate::obligations::same(y, c)) {
                            candidates.push(c.clone());
                        }
                    }
                }
            });
            tracing::debug!(
                "operator parameter {}: {} candidate(s)",
                op.name,
                candidates.len()
            );
            let exprs = super::ground::sequent_exprs(st);
            let formulas: Vec<&E> = exprs.iter().collect();
            candidates.retain(|c| self.substitutable(&formulas, op.id, c));
            if candidates.is_empty() {
                return Some(Vec::new());
            }
            choices.push(candidates);
        }
        Some(
            choices
                .into_iter()
                .multi_cartesian_product()
                .take(MAX_OPERATOR_INSTANCES)
                .map(|c| ops.iter().map(|v| v.id).zip(c).collect())
                .collect(),
        )
    }
}

impl Encoder<'_> {
    /// A cited fact with operator parameters, stated at the substitutions
    /// chosen for them (`operator_choices`). With none, it is left out (a
    /// weaker obligation) and noted, so that a model is not confirmed
    /// against it.
    pub(crate) fn operator_fact(&mut self, s: &Sequent, span: crate::source::Span) -> Vec<String> {
        let choices = self.operator_choices.take().unwrap_or_default();
        let mut out = Vec::new();
        for m in &choices {
            let inst = super::ground::substitute_sequent(self.prog, s, m);
            let encoded = self.sequent(&inst, span).and_then(|f| {
                let mut v = vec![f];
                v.extend(self.universe_instance(&inst, span)?);
                Ok(v)
            });
            match encoded {
                Ok(v) => out.extend(v),
                Err(e) => tracing::debug!("operator instance left out: {}", e.message),
            }
        }
        if out.is_empty() {
            let names = self
                .operator_params(s)
                .iter()
                .map(|v| v.name.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            self.incomplete
                .insert(format!("(the fact with operator parameter(s) {names})"));
        }
        out
    }

    /// A library theorem with operator parameters at the given
    /// substitutions: each at the candidate sorts of its type variables and
    /// for all values of its NEW constants (the obligation's terms may be
    /// values of the universe).
    pub(crate) fn operator_library_fact(
        &mut self,
        st: &Sequent,
        fact_name: &str,
        choices: &[HashMap<u32, E>],
        span: crate::source::Span,
    ) -> Vec<String> {
        let mut out = Vec::new();
        for m in choices {
            let inst = super::ground::substitute_sequent(self.prog, st, m);
            match self.generic_instances(&inst, fact_name, span) {
                Ok(v) => out.extend(v),
                Err(e) => tracing::debug!("library instance {fact_name} left out: {}", e.message),
            }
            self.univ_news = true;
            let general = self.sequent(&inst, span);
            self.univ_news = false;
            match general {
                Ok(g) if !out.contains(&g) => out.push(g),
                Ok(_) => {}
                Err(e) => tracing::debug!("library instance {fact_name} left out: {}", e.message),
            }
        }
        if out.is_empty() {
            self.incomplete.insert(fact_name.to_string());
        }
        out
    }
}
