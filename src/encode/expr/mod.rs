//! Encoding of expressions: the dispatch on the construct, primes,
//! UNCHANGED and the binary operators. One submodule per kind of construct.

mod abstraction;
mod defs;
mod functions;
mod quant;
mod records;
mod sets;

use super::{Encoder, Res, unsupported};
use crate::semantic::ir::*;
use crate::semantic::subst;
use crate::syntax::ast::{BinOp, UnOp};
use crate::types::Type;

/// Expansion depth at which we assume a cycle.
const MAX_DEPTH: usize = 200;

impl Encoder<'_> {
    pub(crate) fn formula(&mut self, e: &E) -> Res<String> {
        self.term(e)
    }

    pub(crate) fn list(&mut self, es: &[E]) -> Res<Vec<String>> {
        es.iter().map(|e| self.term(e)).collect()
    }

    pub(crate) fn term(&mut self, e: &E) -> Res<String> {
        let sp = e.span;
        Ok(match &e.kind {
            Kind::Bound(v) => match self.env.get(&v.id) {
                Some(n) => n.clone(),
                None => return unsupported(sp, format!("`{}` is not bound here", v.name)),
            },
            Kind::Const(c) => self.constant(*c, sp)?,
            Kind::Var(v) => self.variable(*v, self.primed, sp)?,
            Kind::App(d, args) => self.app(e, *d, args)?,
            Kind::OpParamApp(v, args) => {
                let name = self.bname(v);
                let mut sorts = Vec::new();
                for a in args {
                    sorts.push(self.sort_of(a)?);
                }
                let rs = self.sort_of(e)?;
                self.declare(&name, &sorts, &rs);
                let a = self.list(args)?;
                format!("({name} {})", a.join(" "))
            }
            Kind::Lambda(..) => return unsupported(sp, "LAMBDA"),
            Kind::Builtin(b, args) => {
                let s = &args[0];
                let Type::Set(elem) = self.ty(s) else {
                    return unsupported(sp, "IsFiniteSet/Cardinality of a non-set");
                };
                let set_sort = self.sort_of(s)?;
                let (base, rs) = match b {
                    Builtin::IsFiniteSet => ("IsFiniteSet", "Bool"),
                    Builtin::Cardinality => ("Cardinality", "Int"),
                };
                self.seen_set_types.insert((*elem).clone());
                let name = format!("|{base}:{}|", set_sort.replace('|', ""));
                self.declare(&name, std::slice::from_ref(&set_sort), rs);
                let st = self.set_term(s)?;
                self.note_ground_set(&set_sort, &st);
                format!("({name} {st})")
            }
            Kind::Int(n) => int_lit(*n),
            Kind::Str(s) => self.string_lit(s),
            Kind::Bool(b) => b.to_string(),
            Kind::NatSet
            | Kind::IntSet
            | Kind::BoolSet
            | Kind::StringSet
            | Kind::SetEnum(_)
            | Kind::SetFilter(..)
            | Kind::SetMap(..)
            | Kind::FnSet(..)
            | Kind::RecordSet(_)
            | Kind::Product(_) => self.set_term(e)?,
            Kind::Unary(op, a) => match op {
                UnOp::Not => format!("(not {})", self.term(a)?),
                UnOp::Neg => format!("(- {})", self.term(a)?),
                UnOp::Prime => self.primed_term(a)?,
                UnOp::Subset | UnOp::Union => self.set_term(e)?,
                UnOp::Domain => {
                    let s = self.sort_of(a)?;
                    let f = self.term(a)?;
                    format!("(|dom_{}| {f})", self.sorts.fun_name(&s))
                }
                UnOp::Unchanged => self.unchanged(a)?,
                UnOp::Enabled => return unsupported(sp, "ENABLED"),
                UnOp::Always | UnOp::Eventually => return unsupported(sp, "temporal formula"),
            },
            Kind::Binary(op, a, b) => self.binary(e, *op, a, b)?,
            Kind::And(es) => format!("(and true {})", self.list(es)?.join(" ")),
            Kind::Or(es) => format!("(or false {})", self.list(es)?.join(" ")),
            Kind::If(c, t, f) => format!(
                "(ite {} {} {})",
                self.term(c)?,
                self.term(t)?,
                self.term(f)?
            ),
            Kind::Case(arms, other) => {
                let mut acc = match other {
                    Some(o) => self.term(o)?,
                    None => self.keyed_unspecified(e, "case")?,
                };
                for (g, v) in arms.iter().rev() {
                    acc = format!("(ite {} {} {acc})", self.term(g)?, self.term(v)?);
                }
                acc
            }
            Kind::Forall(bs, body) => self.quant(true, bs, body)?,
            Kind::Exists(bs, body) => self.quant(false, bs, body)?,
            Kind::Choose(v, s, p) => self.choose(e, v, s.as_ref(), p)?,
            Kind::FnLit(bs, body) => self.fn_lit(e, bs, body)?,
            Kind::RecFnRef(_) => return unsupported(sp, "recursive function reference"),
            Kind::Record(fs) => self.record(e, fs)?,
            Kind::Apply(f, args) => self.apply(e, f, args)?,
            Kind::Field(r, n) => {
                let fam = self.family_sort(r)?;
                let rt = self.term(r)?;
                let known = self
                    .sorts
                    .family_of(&self.prog.types, r.ty)
                    .is_some_and(|f| f.fields.contains_key(n));
                if !known {
                    return unsupported(sp, format!("field `{n}` of this record type"));
                }
                format!(
                    "(|{}.{}| {rt})",
                    fam.trim_matches('|'),
                    super::sorts::sanitize(n)
                )
            }
            Kind::Except(f, ups) => self.except(f, ups)?,
            Kind::Tuple(es) => {
                let s = self.sort_of(e)?;
                let args = self.list(es)?;
                format!("(|mk_{}| {})", s.trim_matches('|'), args.join(" "))
            }
            Kind::BoxAction(a, v) => format!("(or {} {})", self.term(a)?, self.unchanged(v)?),
            Kind::AngleAction(a, v) => {
                format!("(and {} (not {}))", self.term(a)?, self.unchanged(v)?)
            }
            Kind::Temporal(..) => {
                return unsupported(sp, "temporal formula (only built-in rules handle these)");
            }
            Kind::Let(_, body) => self.term(body)?,
        })
    }

    pub(crate) fn primed_term(&mut self, a: &E) -> Res<String> {
        if self.primed {
            return unsupported(a.span, "a prime inside a primed expression");
        }
        self.primed = true;
        let r = self.term(a);
        self.primed = false;
        r
    }

    /// `UNCHANGED v`, component-wise for tuples and expanded definitions.
    pub(crate) fn unchanged(&mut self, v: &E) -> Res<String> {
        match &v.kind {
            Kind::Tuple(es) => {
                let mut parts = Vec::new();
                for x in es {
                    parts.push(self.unchanged(x)?);
                }
                Ok(format!("(and true {})", parts.join(" ")))
            }
            Kind::App(d, args) if args.is_empty() && self.expand.contains(d) => {
                match subst::instantiate(self.prog, *d, &[]) {
                    Some(b) => self.unchanged(&b),
                    None => self.plain_unchanged(v),
                }
            }
            _ => self.plain_unchanged(v),
        }
    }

    pub(crate) fn plain_unchanged(&mut self, v: &E) -> Res<String> {
        let post = self.primed_term(v)?;
        let pre = self.term(v)?;
        Ok(format!("(= {post} {pre})"))
    }

    pub(crate) fn binary(&mut self, e: &E, op: BinOp, a: &E, b: &E) -> Res<String> {
        let bin = |s: &mut Self, f: &str| -> Res<String> {
            Ok(format!("({f} {} {})", s.term(a)?, s.term(b)?))
        };
        match op {
            BinOp::And => bin(self, "and"),
            BinOp::Or => bin(self, "or"),
            BinOp::Implies => bin(self, "=>"),
            BinOp::Eq | BinOp::Neq if is_empty_set(a) || is_empty_set(b) => {
                // `S = {}` as "S has no element": the membership of S is
                // specialised instead of comparing arrays.
                let s = if is_empty_set(a) { b } else { a };
                let Type::Set(elem) = self.ty(s) else {
                    return unsupported(e.span, "comparison of a non-set with {}");
                };
                let sort = self.sort(&elem, e.span)?;
                let y = self.fresh("y");
                let m = self.member(&y, &elem, s)?;
                let empty = format!("(forall (({y} {sort})) (not {m}))");
                Ok(if op == BinOp::Eq {
                    empty
                } else {
                    format!("(not {empty})")
                })
            }
            BinOp::Eq | BinOp::Neq
                if matches!(self.ty(a), Type::Fun(..))
                    && (self.is_fn_lit(a) || self.is_fn_lit(b)) =>
            {
                let eq = self.function_equality(e, a, b)?;
                Ok(if op == BinOp::Eq {
                    eq
                } else {
                    format!("(not {eq})")
                })
            }
            BinOp::Eq | BinOp::Neq if matches!(self.ty(a), Type::Fun(..)) => {
                let (fa, fb) = (self.term(a)?, self.term(b)?);
                self.note_function_pair(e, a, &fa, &fb)?;
                let eq = format!("(= {fa} {fb})");
                Ok(if op == BinOp::Eq {
                    eq
                } else {
                    format!("(not {eq})")
                })
            }
            BinOp::Equiv | BinOp::Eq => bin(self, "="),
            BinOp::Neq => Ok(format!("(not (= {} {}))", self.term(a)?, self.term(b)?)),
            BinOp::Lt => bin(self, "<"),
            BinOp::Le => bin(self, "<="),
            BinOp::Gt => bin(self, ">"),
            BinOp::Ge => bin(self, ">="),
            BinOp::Plus => bin(self, "+"),
            BinOp::Minus => bin(self, "-"),
            BinOp::Times => bin(self, "*"),
            BinOp::Div => bin(self, "div"),
            BinOp::Mod => bin(self, "mod"),
            BinOp::In | BinOp::NotIn => {
                let m = self.in_set(a, b)?;
                Ok(if op == BinOp::In {
                    m
                } else {
                    format!("(not {m})")
                })
            }
            BinOp::Subseteq => self.subseteq(a, b),
            BinOp::Cup | BinOp::Cap | BinOp::SetMinus | BinOp::Range => self.set_term(e),
            BinOp::LeadsTo | BinOp::Cdot => unsupported(e.span, op.symbol()),
        }
    }
}

fn is_empty_set(e: &E) -> bool {
    matches!(&e.kind, Kind::SetEnum(items) if items.is_empty())
}

fn int_lit(n: i64) -> String {
    if n < 0 {
        format!("(- {})", -n)
    } else {
        n.to_string()
    }
}

/// Index of the parenthesis closing the one at `open`.
fn matching_paren(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0i32;
    let mut in_bar = false;
    for (k, &c) in bytes.iter().enumerate().skip(open) {
        match c {
            b'|' => in_bar = !in_bar,
            b'(' if !in_bar => depth += 1,
            b')' if !in_bar => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

fn apply_name(f: &str, args: &[String]) -> String {
    if args.is_empty() {
        f.to_string()
    } else {
        format!("({f} {})", args.join(" "))
    }
}
