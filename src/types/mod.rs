//! Stage 3: types. Apalache-style annotations on constants and variables,
//! unification-based inference for everything else.

mod annotation;
mod infer;
mod store;

pub use annotation::{AnnotType, parse_type};
pub use infer::Inferencer;
pub use store::{Mismatch, Type, TypeStore};

impl TypeStore {
    /// The variable for an annotated type; each record annotation is a family.
    pub fn from_annotation(&mut self, t: &AnnotType) -> crate::semantic::ir::TyVar {
        match t {
            AnnotType::Bool => self.of(Type::Bool),
            AnnotType::Int => self.of(Type::Int),
            AnnotType::Str => self.of(Type::Str),
            AnnotType::Atom(a) => self.of(Type::Atom(std::sync::Arc::from(&**a))),
            AnnotType::Set(e) => {
                let e = self.from_annotation(e);
                self.set_of(e)
            }
            AnnotType::Fun(a, b) => {
                let a = self.from_annotation(a);
                let b = self.from_annotation(b);
                self.fun(a, b)
            }
            AnnotType::Tuple(ts) => {
                let ts = ts.iter().map(|t| self.from_annotation(t)).collect();
                self.tuple(ts)
            }
            AnnotType::Record(fields) => {
                let fields = fields
                    .iter()
                    .map(|(n, t)| (n.clone(), self.from_annotation(t)))
                    .collect();
                self.record(fields)
            }
        }
    }
}
