//! Connectives, IF and CASE.
//!
//! The connectives are *boolified*, as TLAPS reads them: an operand stands
//! for its truth ("it equals TRUE"), and the result is a Boolean. So
//! `~x` and `x = FALSE` differ for a value `x` that is not a Boolean, and
//! `~~x = x` holds only for Booleans. IF reads its condition the same way.

use super::super::{Encoder, Res};
use crate::semantic::ir::*;

impl Encoder<'_> {
    /// A connective applied to the truths of its operands.
    pub(crate) fn connective(&mut self, e: &E, op: &str, es: &[&E]) -> Res<String> {
        let mut truths = Vec::new();
        let outer = self.polarity;
        for (i, x) in es.iter().enumerate() {
            self.polarity = match op {
                "not" => -outer,
                "=>" if i == 0 => -outer,
                "=" => 0,
                _ => outer,
            };
            let t = self.formula(x);
            self.polarity = outer;
            truths.push(t?);
        }
        Ok(match (&e.kind, op) {
            (Kind::And(_), _) => format!("(and true {})", truths.join(" ")),
            (Kind::Or(_), _) => format!("(or false {})", truths.join(" ")),
            (_, "not") => format!("(not {})", truths[0]),
            _ => format!("({op} {})", truths.join(" ")),
        })
    }

    /// `IF c THEN t ELSE f`.
    pub(crate) fn if_term(&mut self, e: &E, c: &E, t: &E, f: &E) -> Res<String> {
        let sort = self.ty(e);
        let outer = self.polarity;
        self.polarity = 0;
        let cond = self.formula(c);
        self.polarity = outer;
        let cond = cond?;
        let (a, b) = (self.term_as(t, &sort)?, self.term_as(f, &sort)?);
        Ok(format!("(ite {cond} {a} {b})"))
    }

    /// `CASE p1 -> e1 [] ... [] OTHER -> e0` is `CHOOSE v : (p1 /\ v = e1)
    /// \/ ... \/ (~(p1 \/ ...) /\ v = e0)`: a value of a true arm, not
    /// necessarily the first; with no true arm and no OTHER, unspecified.
    /// Encoded as a witness symbol (a function of the free variables, one per
    /// CASE expression) with that disjunction as its axiom (without OTHER,
    /// the axiom also holds when no arm is true).
    pub(crate) fn case_term(&mut self, e: &E, arms: &[(E, E)], other: Option<&E>) -> Res<String> {
        let sort_t = self.ty(e);
        let sort = self.sort(&sort_t, e.span)?;
        let c = "|casev|".to_string();
        let mut guards = Vec::new();
        let mut disjuncts = Vec::new();
        for (g, v) in arms {
            let g = self.formula(g)?;
            let v = self.term_as(v, &sort_t)?;
            disjuncts.push(format!("(and {g} (= {c} {v}))"));
            guards.push(g);
        }
        let none = format!("(not (or false {}))", guards.join(" "));
        match other {
            Some(o) => {
                let o = self.term_as(o, &sort_t)?;
                disjuncts.push(format!("(and {none} (= {c} {o}))"));
            }
            None => disjuncts.push(none),
        }
        let body = format!("(or {})", disjuncts.join(" "));
        self.witness_symbol("CASE", &sort, &c, &body, e.span)
    }
}
