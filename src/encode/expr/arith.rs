//! Arithmetic and comparisons: SMT integer arithmetic on integers; the
//! universe's operators (specified on the images of integers only, see
//! `univ`) on anything else. `\div` and `%` are integer division only for a
//! positive divisor, as in the standard modules: a divisor that is not a
//! positive literal goes through the universe, where the coherence axiom
//! is guarded by `b > 0`.

use super::super::univ::UOp;
use super::super::{Encoder, Res};
use crate::semantic::ir::*;
use crate::syntax::ast::BinOp;
use crate::types::Type;

impl Encoder<'_> {
    pub(crate) fn arith(&mut self, e: &E, op: BinOp, a: &E, b: &E) -> Res<String> {
        if self.ty(e) == Type::Int {
            let smt = match op {
                BinOp::Plus => "+",
                BinOp::Minus => "-",
                BinOp::Times => "*",
                BinOp::Div => "div",
                _ => "mod",
            };
            return Ok(format!("({smt} {} {})", self.term(a)?, self.term(b)?));
        }
        let uop = match op {
            BinOp::Plus => UOp::Plus,
            BinOp::Minus => UOp::Minus,
            BinOp::Times => UOp::Times,
            BinOp::Div => UOp::Div,
            _ => UOp::Mod,
        };
        let (ua, ub) = (self.univ(a)?, self.univ(b)?);
        let name = self.u_op(uop);
        Ok(format!("({name} {ua} {ub})"))
    }

    /// `a < b` etc.: a Boolean on integers, else the universe's `<` (a value
    /// that is `TRUE` or `FALSE` on the images of integers).
    pub(crate) fn comparison(&mut self, e: &E, op: BinOp, a: &E, b: &E) -> Res<String> {
        if self.ty(e) == Type::Bool {
            let smt = match op {
                BinOp::Lt => "<",
                BinOp::Le => "<=",
                BinOp::Gt => ">",
                _ => ">=",
            };
            return Ok(format!("({smt} {} {})", self.term(a)?, self.term(b)?));
        }
        let (ua, ub) = (self.univ(a)?, self.univ(b)?);
        let (uop, x, y) = match op {
            BinOp::Lt => (UOp::Lt, ua, ub),
            BinOp::Le => (UOp::Le, ua, ub),
            BinOp::Gt => (UOp::Lt, ub, ua),
            _ => (UOp::Le, ub, ua),
        };
        let name = self.u_op(uop);
        Ok(format!("({name} {x} {y})"))
    }

    pub(crate) fn negation(&mut self, e: &E, a: &E) -> Res<String> {
        if self.ty(e) == Type::Int {
            return Ok(format!("(- {})", self.term(a)?));
        }
        let ua = self.univ(a)?;
        let name = self.u_op(UOp::Neg);
        Ok(format!("({name} {ua})"))
    }
}
