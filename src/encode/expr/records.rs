//! Records and tuples.
//!
//! A record of a family's shape, with field values of the family's field
//! sorts, is a constructor application of the family's datatype. Any other
//! record is a value of the universe: a function whose domain is the set
//! of its field names (`U.dom`) and whose values are the fields (`U.app`).
//! `r.f` is the field where every shape of `r`'s family has `f` (or the
//! field's sort is flexible); otherwise it is `U.app(r, "f")`, which the
//! coherence axioms of the family's embedding make the field on records
//! that have it, and leave unspecified on the others.

use super::super::univ::UOp;
use super::super::{EncodeError, Encoder, Res, unsupported};
use crate::semantic::ir::*;
use crate::types::Type;

impl Encoder<'_> {
    pub(crate) fn record(&mut self, e: &E, fs: &[(std::rc::Rc<str>, E)]) -> Res<String> {
        let t = self.ty(e);
        let Type::Rec(v) = t else {
            return self.univ_record(e, fs);
        };
        self.sort(&t, e.span)?;
        let fam = self
            .sorts
            .family_of(&self.prog.types, v)
            .cloned()
            .ok_or_else(|| EncodeError {
                span: e.span,
                message: "record type not registered".into(),
            })?;
        let Some(shape) = fam.shape_with(fs.iter().map(|(n, _)| &**n)) else {
            return self.univ_record(e, fs);
        };
        let mut args = Vec::new();
        for (n, ft) in &shape.fields {
            let v = fs
                .iter()
                .find(|(m, _)| m == n)
                .map(|(_, v)| v.clone())
                .unwrap();
            args.push(self.term_as(&v, ft)?);
        }
        Ok(format!("(|mk_{}| {})", shape.ctor, args.join(" ")))
    }

    /// A record as a value of the universe (see `Encoder::u_record`).
    fn univ_record(&mut self, e: &E, fs: &[(std::rc::Rc<str>, E)]) -> Res<String> {
        let mut fields = Vec::new();
        for (n, v) in fs {
            fields.push((n.clone(), self.univ(v)?));
        }
        self.u_record(&fields, e.span)
    }

    /// `r.n`.
    pub(crate) fn field(&mut self, e: &E, r: &E, n: &str) -> Res<String> {
        let want = self.ty(e);
        if let Type::Rec(v) = self.ty(r)
            && self.family_fields(v).and_then(|fs| fs.get(n).cloned()) == Some(want.clone())
        {
            let fam = self.sort_of(r)?;
            let rt = self.term(r)?;
            return Ok(format!(
                "(|{}.{}| {rt})",
                fam.trim_matches('|'),
                super::super::sorts::sanitize(n)
            ));
        }
        let ru = self.univ(r)?;
        let lit = self.string_lit(&std::rc::Rc::from(n));
        let k = self.univ_of(&lit, &Type::Str, e.span)?;
        let app = self.u_op(UOp::App);
        let u = format!("({app} {ru} {k})");
        if want == Type::Univ {
            return Ok(u);
        }
        self.absorb(&u, &want, e.span)
    }

    /// `<<e1, ..., en>>`.
    pub(crate) fn tuple(&mut self, e: &E, es: &[E]) -> Res<String> {
        let t = self.ty(e);
        let Type::Tuple(ts) = &t else {
            return unsupported(e.span, "a tuple of non-tuple sort");
        };
        let s = self.sort(&t, e.span)?;
        let mut args = Vec::new();
        for (x, xt) in es.iter().zip(ts) {
            args.push(self.term_as(x, xt)?);
        }
        let ctor = format!("|mk_{}|", s.trim_matches('|'));
        Ok(if args.is_empty() {
            ctor
        } else {
            format!("({ctor} {})", args.join(" "))
        })
    }
}
