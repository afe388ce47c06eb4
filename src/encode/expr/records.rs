//! Records.

use super::super::{EncodeError, Encoder, Res, unsupported};
use crate::semantic::ir::*;

impl Encoder<'_> {
    pub(crate) fn family_sort(&mut self, r: &E) -> Res<String> {
        let s = self.sort_of(r)?;
        if !s.starts_with("|Rec") {
            return unsupported(r.span, "field access on a non-record");
        }
        Ok(s)
    }

    pub(crate) fn record(&mut self, e: &E, fs: &[(std::rc::Rc<str>, E)]) -> Res<String> {
        self.family_sort(e)?;
        let fam = self
            .sorts
            .family_of(&self.prog.types, e.ty)
            .cloned()
            .ok_or_else(|| EncodeError {
                span: e.span,
                message: "record type not registered".into(),
            })?;
        let Some(shape) = fam.shape_with(fs.iter().map(|(n, _)| &**n)) else {
            return unsupported(e.span, "a record shape the type analysis did not record");
        };
        let mut args = Vec::new();
        for (n, _) in &shape.fields {
            let v = fs
                .iter()
                .find(|(m, _)| m == n)
                .map(|(_, v)| v.clone())
                .unwrap();
            args.push(self.term(&v)?);
        }
        Ok(format!("(|mk_{}| {})", shape.ctor, args.join(" ")))
    }
}
