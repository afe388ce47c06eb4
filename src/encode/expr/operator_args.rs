//! Hidden higher-order definitions: `Fold(+, 0, f)` with `Fold` hidden (or
//! RECURSIVE, so never expanded) is an uninterpreted function of its
//! ordinary arguments, one function per operator argument.
//!
//! The operator arguments are LAMBDAs after resolution. Each is written as
//! a key: its structure with its own binders numbered, the definitions and
//! constants it applies by identity, and every value it reads from outside
//! (bound variables of the context, state variables) as an extra argument
//! of the function. Sound because a LAMBDA's meaning is a function of
//! exactly those values: equal keys and equal extra arguments denote the
//! same operator, so the same function symbol may stand for both, and
//! different keys get unrelated symbols (nothing is claimed of them).

use super::super::{Encoder, Res, unsupported};
use crate::semantic::ir::*;
use crate::syntax::ast::UnOp;
use crate::types::Type;
use std::fmt::Write;

/// Deepest operator argument written as a key (LAMBDAs are small).
const MAX_KEY_DEPTH: usize = 64;

/// The encoding of a hidden higher-order application, before its symbol is
/// chosen: the key of its operator arguments and the ordinary arguments
/// with the values the operator arguments read from outside appended.
pub(crate) struct OperatorApplication {
    pub key: String,
    pub terms: Vec<String>,
    pub types: Vec<Type>,
}

/// Writes an operator argument's key.
struct KeyWriter {
    /// Binders of the argument in scope, innermost last.
    binders: Vec<u32>,
    /// Bound variables of the context the argument reads, in order of first
    /// use: extra arguments of the function.
    free: Vec<E>,
    out: String,
    depth: usize,
}

impl KeyWriter {
    /// Write `e`; `None` for what a key cannot name faithfully (primes,
    /// temporal and action operators, EXCEPT, LET).
    fn write(&mut self, e: &E) -> Option<()> {
        self.depth += 1;
        if self.depth > MAX_KEY_DEPTH {
            return None;
        }
        let r = self.write_kind(e);
        self.depth -= 1;
        r
    }

    fn write_all(&mut self, es: &[E]) -> Option<()> {
        self.out.push('(');
        for e in es {
            self.write(e)?;
            self.out.push(' ');
        }
        self.out.push(')');
        Some(())
    }

    /// Open binders `vs` (with their bounds written first, outside them).
    fn bind(&mut self, vs: &[(BVar, Option<E>)]) -> Option<()> {
        for (v, bound) in vs {
            self.out.push('[');
            if let Some(b) = bound {
                self.write(b)?;
            }
            self.out.push(']');
            self.binders.push(v.id);
        }
        Some(())
    }

    fn unbind(&mut self, n: usize) {
        self.binders.truncate(self.binders.len() - n);
    }

    fn write_kind(&mut self, e: &E) -> Option<()> {
        let out_tag = |w: &mut Self, tag: &str| w.out.push_str(tag);
        match &e.kind {
            Kind::Bound(v) => {
                if let Some(pos) = self.binders.iter().rposition(|b| *b == v.id) {
                    let _ = write!(self.out, "#{pos}");
                } else {
                    let k = match self.free.iter().position(|f| same_bound(f, v.id)) {
                        Some(k) => k,
                        None => {
                            self.free.push(e.clone());
                            self.free.len() - 1
                        }
                    };
                    let _ = write!(self.out, "free{k}");
                }
            }
            Kind::Const(c) => {
                let _ = write!(self.out, "c{}", c.0);
            }
            // Its value is an extra argument (see `operator_application`).
            Kind::Var(v) => {
                let _ = write!(self.out, "v{}", v.0);
            }
            Kind::App(d, args) => {
                let _ = write!(self.out, "d{}", d.0);
                self.write_all(args)?;
            }
            Kind::OpParamApp(v, args) => {
                if self.binders.contains(&v.id) {
                    return None;
                }
                let _ = write!(self.out, "p{}", v.id);
                self.write_all(args)?;
            }
            Kind::Lambda(params, body) => {
                let _ = write!(self.out, "lambda{}", params.len());
                for p in params {
                    self.binders.push(p.id);
                }
                self.out.push('(');
                self.write(body)?;
                self.out.push(')');
                self.unbind(params.len());
            }
            Kind::Builtin(b, args) => {
                let _ = write!(self.out, "{b:?}");
                self.write_all(args)?;
            }
            Kind::Int(n) => {
                let _ = write!(self.out, "{n}");
            }
            Kind::Str(s) => {
                let _ = write!(self.out, "{s:?}");
            }
            Kind::Bool(b) => {
                let _ = write!(self.out, "{b}");
            }
            Kind::NatSet => out_tag(self, "Nat"),
            Kind::IntSet => out_tag(self, "Int"),
            Kind::BoolSet => out_tag(self, "BOOLEAN"),
            Kind::StringSet => out_tag(self, "STRING"),
            Kind::Unary(op, a) => {
                if matches!(
                    op,
                    UnOp::Prime | UnOp::Unchanged | UnOp::Enabled | UnOp::Always | UnOp::Eventually
                ) {
                    return None;
                }
                let _ = write!(self.out, "{op:?}");
                self.write_all(std::slice::from_ref(a))?;
            }
            Kind::Binary(op, a, b) => {
                let _ = write!(self.out, "{op:?}");
                self.write_all(&[a.clone(), b.clone()])?;
            }
            Kind::And(items) => {
                out_tag(self, "and");
                self.write_all(items)?;
            }
            Kind::Or(items) => {
                out_tag(self, "or");
                self.write_all(items)?;
            }
            Kind::If(c, t, f) => {
                out_tag(self, "if");
                self.write_all(&[c.clone(), t.clone(), f.clone()])?;
            }
            Kind::Case(arms, other) => {
                out_tag(self, "case");
                for (c, v) in arms {
                    self.write_all(&[c.clone(), v.clone()])?;
                }
                if let Some(o) = other {
                    out_tag(self, "other");
                    self.write(o)?;
                }
            }
            Kind::Forall(vs, body) | Kind::Exists(vs, body) => {
                out_tag(
                    self,
                    if matches!(e.kind, Kind::Forall(..)) {
                        "forall"
                    } else {
                        "exists"
                    },
                );
                self.bind(vs)?;
                self.write(body)?;
                self.unbind(vs.len());
            }
            Kind::Choose(v, bound, body) => {
                out_tag(self, "choose");
                self.bind(&[(v.clone(), bound.clone())])?;
                self.write(body)?;
                self.unbind(1);
            }
            Kind::SetFilter(v, set, body) => {
                out_tag(self, "filter");
                self.bind(&[(v.clone(), Some(set.clone()))])?;
                self.write(body)?;
                self.unbind(1);
            }
            Kind::SetMap(body, vs) | Kind::FnLit(vs, body) => {
                out_tag(
                    self,
                    if matches!(e.kind, Kind::SetMap(..)) {
                        "map"
                    } else {
                        "fn"
                    },
                );
                let vs: Vec<(BVar, Option<E>)> = vs
                    .iter()
                    .map(|(v, s)| (v.clone(), Some(s.clone())))
                    .collect();
                self.bind(&vs)?;
                self.write(body)?;
                self.unbind(vs.len());
            }
            Kind::SetEnum(items) => {
                out_tag(self, "set");
                self.write_all(items)?;
            }
            Kind::Tuple(items) => {
                out_tag(self, "tuple");
                self.write_all(items)?;
            }
            Kind::Product(items) => {
                out_tag(self, "product");
                self.write_all(items)?;
            }
            Kind::FnSet(a, b) => {
                out_tag(self, "fnset");
                self.write_all(&[a.clone(), b.clone()])?;
            }
            Kind::Record(fields) | Kind::RecordSet(fields) => {
                out_tag(
                    self,
                    if matches!(e.kind, Kind::Record(..)) {
                        "record"
                    } else {
                        "recordset"
                    },
                );
                for (name, v) in fields {
                    let _ = write!(self.out, " {name:?}=");
                    self.write(v)?;
                }
            }
            Kind::Apply(f, args) => {
                out_tag(self, "apply");
                self.write(f)?;
                self.write_all(args)?;
            }
            Kind::Field(r, name) => {
                out_tag(self, "field");
                self.write(r)?;
                let _ = write!(self.out, ".{name:?}");
            }
            Kind::Except(..)
            | Kind::Let(..)
            | Kind::RecFnRef(_)
            | Kind::BoxAction(..)
            | Kind::AngleAction(..)
            | Kind::Temporal(..) => return None,
        }
        Some(())
    }
}

fn same_bound(e: &E, id: u32) -> bool {
    matches!(&e.kind, Kind::Bound(v) if v.id == id)
}

impl Encoder<'_> {
    /// The ordinary arguments of higher-order definition `d` applied to
    /// `args`, encoded, with the values its operator arguments read from
    /// outside appended, and the key of those operator arguments.
    pub(crate) fn operator_application(
        &mut self,
        e: &E,
        d: DefId,
        args: &[E],
    ) -> Res<OperatorApplication> {
        let arities = self.prog.def(d).param_arities.clone();
        let name = self.prog.def(d).name.clone();
        let mut writer = KeyWriter {
            binders: Vec::new(),
            free: Vec::new(),
            out: String::new(),
            depth: 0,
        };
        let mut plain = Vec::new();
        let mut state = std::collections::BTreeSet::new();
        for (i, (a, arity)) in args
            .iter()
            .zip(arities.iter().chain(std::iter::repeat(&0)))
            .enumerate()
        {
            if *arity == 0 {
                plain.push(a.clone());
                continue;
            }
            let info = self.levels.expr(self.prog, a);
            if info.action || info.temporal {
                return unsupported(
                    a.span,
                    format!("an action or temporal operator argument of hidden `{name}`"),
                );
            }
            state.extend(info.vars);
            let _ = write!(writer.out, "{i}:");
            if !matches!(a.kind, Kind::Lambda(..)) || writer.write(a).is_none() {
                return unsupported(
                    a.span,
                    format!(
                        "operator argument of hidden `{name}` (cite `{name}` with DEF to expand it)"
                    ),
                );
            }
            writer.out.push(';');
        }
        let mut terms = self.list(&plain)?;
        let mut types: Vec<Type> = plain.iter().map(|a| self.ty(a)).collect();
        for f in &writer.free {
            terms.push(self.term(f)?);
            types.push(self.ty(f));
        }
        for v in state {
            let primed = self.primed;
            terms.push(self.variable(v, primed, e.span)?);
            types.push(self.var_type(v, primed));
        }
        Ok(OperatorApplication {
            key: writer.out,
            terms,
            types,
        })
    }
}
