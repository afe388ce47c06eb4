//! Functions, records and tuples: literals, application (without building
//! a function literal or a recursive function first), DOMAIN, EXCEPT.

use super::env::{Ctx, Res};
use super::expr::{Evaluator, Form, brief, unspecified, unsupported};
use super::value::Value;
use crate::semantic::ir::*;
use crate::source::Span;
use std::collections::BTreeMap;
use std::rc::Rc;

/// What a function expression denotes, for application and DOMAIN.
#[derive(Clone)]
pub(super) enum Head {
    Val(Value),
    /// A function literal `[x \in S |-> e]` (the node) in its context.
    Lit(E, Ctx),
    /// A recursive function definition, in a context binding its
    /// parameters.
    Rec(DefId, Ctx),
}

impl Evaluator<'_> {
    /// Resolve a function expression without building it.
    pub(super) fn head(&mut self, f: &E, cx: &Ctx) -> Res<Head> {
        let (f, cx) = match self.unfold(f, cx)? {
            Form::Val(v) => return Ok(Head::Val(v)),
            Form::Expr(f, cx) => (f, cx),
        };
        match &f.kind {
            Kind::FnLit(..) => Ok(Head::Lit(f, cx)),
            Kind::RecFnRef(d) => Ok(Head::Rec(*d, cx)),
            Kind::App(d, args) if matches!(self.prog.def(*d).body, DefBody::RecFn(..)) => {
                if let Some(v) = self.opaque_value(*d, args, &cx) {
                    return Ok(Head::Val(v));
                }
                let bcx = self.bind_params(*d, args, f.span, &cx)?;
                Ok(Head::Rec(*d, bcx))
            }
            _ => Ok(Head::Val(self.value(&f, &cx)?)),
        }
    }

    /// The bounds of a function literal or recursive function head.
    pub(super) fn head_bounds(&self, head: &Head) -> Option<(Vec<(BVar, E)>, Ctx)> {
        match head {
            Head::Val(_) => None,
            Head::Lit(e, cx) => match &e.kind {
                Kind::FnLit(bs, _) => Some((bs.clone(), cx.clone())),
                _ => None,
            },
            Head::Rec(d, cx) => match &self.prog.def(*d).body {
                DefBody::RecFn(bs, _) => Some((bs.clone(), cx.clone())),
                _ => None,
            },
        }
    }

    /// Function constructs: literals, records, tuples, application, field
    /// access, EXCEPT.
    pub(super) fn fun_expr(&mut self, e: &E, cx: &Ctx) -> Res<Value> {
        let sp = e.span;
        match &e.kind {
            Kind::FnLit(bs, _) => {
                let head = Head::Lit(e.clone(), cx.clone());
                self.build(&head, bs, sp, cx)
            }
            Kind::RecFnRef(d) => self.rec_value(*d, cx, sp),
            Kind::Record(fields) => {
                let mut m = BTreeMap::new();
                for (f, v) in fields {
                    m.insert(Value::str(f), self.value(v, cx)?);
                }
                Ok(Value::Fun(Rc::new(m)))
            }
            Kind::Tuple(es) => {
                let mut items = Vec::with_capacity(es.len());
                for x in es {
                    items.push(self.value(x, cx)?);
                }
                Ok(Value::tuple(items))
            }
            Kind::Apply(f, args) => {
                let head = self.head(f, cx)?;
                let arg = self.argument(args, cx)?;
                self.apply(head, &arg, None, sp)
            }
            Kind::Field(r, name) => {
                let head = self.head(r, cx)?;
                self.apply(head, &Value::str(name), Some(name), sp)
            }
            Kind::Except(f, ups) => {
                let mut cur = self.value(f, cx)?;
                for u in ups {
                    cur = self.except(cur, &u.path, u, sp, cx)?;
                }
                Ok(cur)
            }
            _ => unsupported(sp, "not a function expression"),
        }
    }

    /// The argument of `f[a]` or `f[a, b]` (a tuple).
    fn argument(&mut self, args: &[E], cx: &Ctx) -> Res<Value> {
        if let [a] = args {
            return self.value(a, cx);
        }
        let mut items = Vec::with_capacity(args.len());
        for a in args {
            items.push(self.value(a, cx)?);
        }
        Ok(Value::tuple(items))
    }

    /// `f[arg]` (or `f.field`).
    fn apply(&mut self, head: Head, arg: &Value, field: Option<&str>, sp: Span) -> Res<Value> {
        match head {
            Head::Val(v) => apply_value(&v, arg, field, sp),
            Head::Lit(e, cx) => {
                let Kind::FnLit(bs, body) = &e.kind else {
                    return unsupported(sp, "not a function literal");
                };
                let bcx = self.bind_point(bs, arg, &cx, sp)?;
                self.value(body, &bcx)
            }
            Head::Rec(d, cx) => self.rec_apply(d, arg, &cx, sp),
        }
    }

    /// Bind the bound variables of a function's domain to the point `arg`,
    /// which must be in the domain.
    fn bind_point(&mut self, bs: &[(BVar, E)], arg: &Value, cx: &Ctx, sp: Span) -> Res<Ctx> {
        if !self.mem_point(arg, bs, cx)? {
            return unspecified(
                sp,
                format!(
                    "the function is applied to {}, outside its domain",
                    brief(arg)
                ),
            );
        }
        if let [(v, _)] = bs {
            return Ok(cx.with(v, arg.clone()));
        }
        // A point of a product domain is a tuple (checked by `mem_point`).
        let items = arg.as_tuple().unwrap_or_default();
        Ok(bs
            .iter()
            .zip(items)
            .fold(cx.clone(), |c, ((v, _), x)| c.with(v, x.clone())))
    }

    /// `f[arg]` for a recursive function, memoized for module definitions
    /// without parameters (their value depends only on the state).
    fn rec_apply(&mut self, d: DefId, arg: &Value, cx: &Ctx, sp: Span) -> Res<Value> {
        let prog = self.prog;
        let def = prog.def(d);
        let DefBody::RecFn(bs, body) = &def.body else {
            return unsupported(sp, format!("`{}` is not a recursive function", def.name));
        };
        let key = (def.params.is_empty() && def.origin == DefOrigin::Module)
            .then(|| (d, arg.clone(), cx.primed));
        if let Some(r) = key.as_ref().and_then(|k| self.memo.get(k)) {
            return r.clone();
        }
        let bcx = self.bind_point(bs, arg, cx, sp)?;
        let r = self.value(body, &bcx);
        if let Some(k) = key
            && !matches!(r, Err(super::EvalError::Unsupported { .. }))
        {
            self.memo.insert(k, r.clone());
        }
        r
    }

    /// A recursive function as a value (its domain must be finite).
    pub(super) fn rec_value(&mut self, d: DefId, cx: &Ctx, sp: Span) -> Res<Value> {
        let prog = self.prog;
        let DefBody::RecFn(bs, _) = &prog.def(d).body else {
            return unsupported(sp, "not a recursive function");
        };
        let head = Head::Rec(d, cx.clone());
        self.build(&head, bs, sp, cx)
    }

    /// Build a function literal or recursive function over its (finite)
    /// domain.
    fn build(&mut self, head: &Head, bs: &[(BVar, E)], sp: Span, cx: &Ctx) -> Res<Value> {
        let points = self.domain_points(bs, sp, cx)?;
        let mut m = BTreeMap::new();
        for p in points {
            let v = self.apply(head.clone(), &p, None, sp)?;
            m.insert(p, v);
        }
        Ok(Value::Fun(Rc::new(m)))
    }

    /// The points of the domain `x1 \in S1, ...` (tuples for several).
    fn domain_points(&mut self, bs: &[(BVar, E)], sp: Span, cx: &Ctx) -> Res<Vec<Value>> {
        let mut ranges: Vec<Vec<Value>> = Vec::with_capacity(bs.len());
        for (_, s) in bs {
            ranges.push(self.elements(s, cx)?.iter().cloned().collect());
        }
        if let [xs] = ranges.as_slice() {
            return Ok(xs.clone());
        }
        Ok(self
            .product(&ranges, sp)?
            .into_iter()
            .map(Value::tuple)
            .collect())
    }

    /// `DOMAIN f`.
    pub(super) fn domain(&mut self, f: &E, sp: Span, cx: &Ctx) -> Res<Value> {
        let head = self.head(f, cx)?;
        match self.head_bounds(&head) {
            Some((bs, hcx)) => Ok(Value::set(self.domain_points(&bs, sp, &hcx)?)),
            None => {
                let Head::Val(v) = head else {
                    return unsupported(sp, "DOMAIN of an unknown function");
                };
                v.domain().map_or_else(
                    || {
                        unspecified(
                            sp,
                            format!("DOMAIN of {}, which is not a function", brief(&v)),
                        )
                    },
                    Ok,
                )
            }
        }
    }

    /// One update `![k1][k2].f = e` of an EXCEPT applied to `f`: a key
    /// outside the domain leaves `f` unchanged (`[f EXCEPT ![a] = e]` is
    /// `[x \in DOMAIN f |-> IF x = a THEN e ELSE f[x]]`).
    fn except(
        &mut self,
        f: Value,
        path: &[ExceptKey],
        up: &ExceptUpdate,
        sp: Span,
        cx: &Ctx,
    ) -> Res<Value> {
        let Some((first, rest)) = path.split_first() else {
            return unsupported(sp, "an EXCEPT update without a path");
        };
        let key = match first {
            ExceptKey::Field(n) => Value::str(n),
            ExceptKey::Index(es) => self.argument(es, cx)?,
        };
        match &f {
            Value::Fun(m) => {
                let Some(old) = m.get(&key) else {
                    return Ok(f);
                };
                let new = if rest.is_empty() {
                    self.value(&up.value, &cx.with(&up.at, old.clone()))?
                } else {
                    self.except(old.clone(), rest, up, sp, cx)?
                };
                let mut m = (**m).clone();
                m.insert(key, new);
                Ok(Value::Fun(Rc::new(m)))
            }
            Value::Str(s) => match key {
                Value::Int(i) if 1 <= i && i <= s.chars().count() as i64 => {
                    unsupported(sp, "EXCEPT on a character of a string")
                }
                _ => Ok(f),
            },
            v => unspecified(
                sp,
                format!("EXCEPT on {}, which is not a function", brief(v)),
            ),
        }
    }
}

/// `v[arg]` for a value.
fn apply_value(v: &Value, arg: &Value, field: Option<&str>, sp: Span) -> Res<Value> {
    let outside = || match field {
        Some(n) => unspecified(sp, format!("{} has no field `{n}`", brief(v))),
        None => unspecified(
            sp,
            format!(
                "{} is applied to {}, outside its domain",
                brief(v),
                brief(arg)
            ),
        ),
    };
    match v {
        Value::Fun(m) => m.get(arg).cloned().map_or_else(outside, Ok),
        Value::Str(s) => match arg {
            Value::Int(i) if 1 <= *i && *i <= s.chars().count() as i64 => unsupported(
                sp,
                "a character of a string (characters are not values here)",
            ),
            _ => outside(),
        },
        _ => unspecified(
            sp,
            format!("{} is not a function, but is applied", brief(v)),
        ),
    }
}
