//! Sets: construction (within the size cap), membership decided from the
//! form of the set (so `x \in Nat`, `f \in [S -> Nat]`, `r \in [a : Int]`
//! need no enumeration), infinity, and the FiniteSets builtins.

use super::env::{Ctx, Res};
use super::expr::{Evaluator, Form, brief, unspecified, unsupported};
use super::value::Value;
use crate::semantic::ir::*;
use crate::source::Span;
use crate::syntax::ast::{BinOp, UnOp};
use std::collections::BTreeSet;
use std::rc::Rc;

/// What is known of a set's size.
#[derive(PartialEq)]
enum Size {
    Finite(usize),
    Infinite,
    Unknown,
}

impl Evaluator<'_> {
    /// Fail if a set of `n` elements would exceed the cap.
    pub(super) fn check_size(&self, n: u128, sp: Span, what: &str) -> Res<()> {
        if n > self.limits.max_set as u128 {
            return unsupported(
                sp,
                format!(
                    "{what} has {n} elements, more than the limit of {}",
                    self.limits.max_set
                ),
            );
        }
        Ok(())
    }

    /// The elements of the finite set `s`.
    pub(super) fn elements(&mut self, s: &E, cx: &Ctx) -> Res<Rc<BTreeSet<Value>>> {
        match self.value(s, cx)? {
            Value::Set(xs) => Ok(xs),
            v => unspecified(
                s.span,
                format!("a set was expected, but the value is {}", brief(&v)),
            ),
        }
    }

    /// Elements as a vector, in value order.
    fn element_list(&mut self, s: &E, cx: &Ctx) -> Res<Vec<Value>> {
        Ok(self.elements(s, cx)?.iter().cloned().collect())
    }

    /// Every tuple of the product of `ranges`, in order.
    pub(super) fn product(&mut self, ranges: &[Vec<Value>], sp: Span) -> Res<Vec<Vec<Value>>> {
        let n = ranges
            .iter()
            .fold(1u128, |acc, xs| acc.saturating_mul(xs.len() as u128));
        self.check_size(n, sp, "the set")?;
        let mut out: Vec<Vec<Value>> = vec![Vec::new()];
        for xs in ranges {
            let mut next = Vec::with_capacity(out.len() * xs.len());
            for prefix in &out {
                for x in xs {
                    self.tick(sp)?;
                    let mut t = prefix.clone();
                    t.push(x.clone());
                    next.push(t);
                }
            }
            out = next;
        }
        Ok(out)
    }

    /// Set enumeration, filter, map, `[S -> T]`, record sets, `\X`.
    pub(super) fn set_expr(&mut self, e: &E, cx: &Ctx) -> Res<Value> {
        let sp = e.span;
        match &e.kind {
            Kind::SetEnum(es) => {
                let mut out = BTreeSet::new();
                for x in es {
                    out.insert(self.value(x, cx)?);
                }
                Ok(Value::Set(Rc::new(out)))
            }
            Kind::SetFilter(v, s, p) => {
                let mut out = BTreeSet::new();
                for x in self.element_list(s, cx)? {
                    if self.boolean(p, &cx.with(v, x.clone()))? {
                        out.insert(x);
                    }
                }
                Ok(Value::Set(Rc::new(out)))
            }
            Kind::SetMap(body, bs) => {
                let mut ranges = Vec::with_capacity(bs.len());
                for (_, s) in bs {
                    ranges.push(self.element_list(s, cx)?);
                }
                let mut out = BTreeSet::new();
                for t in self.product(&ranges, sp)? {
                    let bcx = bs
                        .iter()
                        .zip(t)
                        .fold(cx.clone(), |c, ((v, _), x)| c.with(v, x));
                    out.insert(self.value(body, &bcx)?);
                }
                Ok(Value::Set(Rc::new(out)))
            }
            Kind::FnSet(s, t) => {
                let keys = self.element_list(s, cx)?;
                let vals = self.element_list(t, cx)?;
                let n = (vals.len() as u128).checked_pow(keys.len() as u32);
                self.check_size(n.unwrap_or(u128::MAX), sp, "the function set")?;
                let ranges = vec![vals; keys.len()];
                let funs = self.product(&ranges, sp)?;
                Ok(Value::set(
                    funs.into_iter()
                        .map(|vs| Value::fun(keys.iter().cloned().zip(vs))),
                ))
            }
            Kind::RecordSet(fields) => {
                let mut ranges = Vec::with_capacity(fields.len());
                for (_, s) in fields {
                    ranges.push(self.element_list(s, cx)?);
                }
                let recs = self.product(&ranges, sp)?;
                Ok(Value::set(recs.into_iter().map(|vs| {
                    Value::fun(fields.iter().map(|(f, _)| Value::str(f)).zip(vs))
                })))
            }
            Kind::Product(sets) => {
                let mut ranges = Vec::with_capacity(sets.len());
                for s in sets {
                    ranges.push(self.element_list(s, cx)?);
                }
                let tuples = self.product(&ranges, sp)?;
                Ok(Value::set(tuples.into_iter().map(Value::tuple)))
            }
            _ => unsupported(sp, "not a set expression"),
        }
    }

    /// `\cup`, `\cap`, `\`, `..`. An intersection or difference with an
    /// infinite set is computed by membership in it.
    pub(super) fn set_binary(&mut self, op: BinOp, a: &E, b: &E, sp: Span, cx: &Ctx) -> Res<Value> {
        match op {
            BinOp::Cup => {
                let (x, y) = (self.elements(a, cx)?, self.elements(b, cx)?);
                self.check_size((x.len() + y.len()) as u128, sp, "the union")?;
                Ok(Value::set(x.iter().chain(y.iter()).cloned()))
            }
            BinOp::Cap => match self.elements(a, cx) {
                Ok(xs) => self.filter_by(&xs, b, true, cx),
                Err(ea) => match self.elements(b, cx) {
                    Ok(ys) => self.filter_by(&ys, a, true, cx),
                    Err(_) => Err(ea),
                },
            },
            BinOp::SetMinus => {
                let xs = self.elements(a, cx)?;
                self.filter_by(&xs, b, false, cx)
            }
            _ => {
                let (lo, hi) = (self.int(a, cx)?, self.int(b, cx)?);
                let n = (hi as i128 - lo as i128 + 1).max(0);
                self.check_size(n as u128, sp, "the interval")?;
                Ok(Value::range(lo, hi))
            }
        }
    }

    /// The elements of `xs` that are (`keep_in`) or are not in `s`.
    fn filter_by(&mut self, xs: &BTreeSet<Value>, s: &E, keep_in: bool, cx: &Ctx) -> Res<Value> {
        let mut out = BTreeSet::new();
        for x in xs {
            if self.mem(x, s, cx)? == keep_in {
                out.insert(x.clone());
            }
        }
        Ok(Value::Set(Rc::new(out)))
    }

    pub(super) fn powerset(&mut self, a: &E, sp: Span, cx: &Ctx) -> Res<Value> {
        let xs = self.element_list(a, cx)?;
        let n = 1u128.checked_shl(xs.len() as u32).unwrap_or(u128::MAX);
        self.check_size(n, sp, "SUBSET")?;
        let mut out = BTreeSet::new();
        for mask in 0..(n as u64) {
            self.tick(sp)?;
            let subset = xs
                .iter()
                .enumerate()
                .filter(|(i, _)| mask >> i & 1 == 1)
                .map(|(_, x)| x.clone());
            out.insert(Value::set(subset));
        }
        Ok(Value::Set(Rc::new(out)))
    }

    pub(super) fn union(&mut self, a: &E, sp: Span, cx: &Ctx) -> Res<Value> {
        let mut out = BTreeSet::new();
        for y in self.elements(a, cx)?.iter() {
            match y {
                Value::Set(ys) => {
                    self.check_size((out.len() + ys.len()) as u128, sp, "UNION")?;
                    out.extend(ys.iter().cloned());
                }
                v => {
                    return unspecified(
                        sp,
                        format!("UNION of a set containing {}, which is not a set", brief(v)),
                    );
                }
            }
        }
        Ok(Value::Set(Rc::new(out)))
    }

    /// `a \subseteq b`: every element of `a` is in `b` (by membership, so
    /// `b` may be infinite). An infinite `a` is not a subset of a finite `b`.
    pub(super) fn subseteq(&mut self, a: &E, b: &E, cx: &Ctx) -> Res<bool> {
        match self.element_list(a, cx) {
            Ok(xs) => self.all(xs.len(), |ev, i| ev.mem(&xs[i], b, cx)),
            Err(e) => {
                if e.is_unsupported() && self.infinite(a, cx) && self.elements(b, cx).is_ok() {
                    Ok(false)
                } else {
                    Err(e)
                }
            }
        }
    }

    /// `x \in v` for a value `v`: membership in a non-set is unspecified.
    fn contains(&self, v: &Value, x: &Value, sp: Span) -> Res<bool> {
        match v {
            Value::Set(xs) => Ok(xs.contains(x)),
            v => unspecified(
                sp,
                format!("membership in {}, which is not a set", brief(v)),
            ),
        }
    }

    /// `x \in s`, from the form of `s` where it tells.
    pub(super) fn mem(&mut self, x: &Value, s: &E, cx: &Ctx) -> Res<bool> {
        self.enter(s.span)?;
        let r = self.mem_form(x, s, cx);
        self.leave();
        r
    }

    fn mem_form(&mut self, x: &Value, s: &E, cx: &Ctx) -> Res<bool> {
        let (s, cx) = match self.unfold(s, cx)? {
            Form::Val(v) => return self.contains(&v, x, s.span),
            Form::Expr(s, cx) => (s, cx),
        };
        let cx = &cx;
        let sp = s.span;
        match &s.kind {
            Kind::NatSet => Ok(matches!(x, Value::Int(i) if *i >= 0)),
            Kind::IntSet => Ok(matches!(x, Value::Int(_))),
            Kind::BoolSet => Ok(matches!(x, Value::Bool(_))),
            // A string is a sequence of characters; `""` is `<<>>`.
            Kind::StringSet => Ok(matches!(x, Value::Str(_)) || *x == Value::empty_fun()),
            Kind::SetEnum(es) => self.any(es.len(), |ev, i| Ok(ev.value(&es[i], cx)? == *x)),
            Kind::SetFilter(v, a, p) => self.all(2, |ev, i| match i {
                0 => ev.mem(x, a, cx),
                _ => ev.boolean(p, &cx.with(v, x.clone())),
            }),
            Kind::Binary(BinOp::Cup, a, b) => {
                self.any(2, |ev, i| ev.mem(x, if i == 0 { a } else { b }, cx))
            }
            Kind::Binary(BinOp::Cap, a, b) => {
                self.all(2, |ev, i| ev.mem(x, if i == 0 { a } else { b }, cx))
            }
            Kind::Binary(BinOp::SetMinus, a, b) => self.all(2, |ev, i| match i {
                0 => ev.mem(x, a, cx),
                _ => ev.mem(x, b, cx).map(|m| !m),
            }),
            Kind::Binary(BinOp::Range, a, b) => {
                let (lo, hi) = (self.int(a, cx)?, self.int(b, cx)?);
                Ok(matches!(x, Value::Int(i) if lo <= *i && *i <= hi))
            }
            // Only sets are subsets.
            Kind::Unary(UnOp::Subset, a) => match x {
                Value::Set(xs) => {
                    let xs: Vec<Value> = xs.iter().cloned().collect();
                    self.all(xs.len(), |ev, i| ev.mem(&xs[i], a, cx))
                }
                _ => Ok(false),
            },
            Kind::Unary(UnOp::Union, a) => {
                let ys: Vec<Value> = self.element_list(a, cx)?;
                self.any(ys.len(), |ev, i| ev.contains(&ys[i], x, sp))
            }
            Kind::Unary(UnOp::Domain, f) => self.mem_domain(x, f, sp, cx),
            Kind::FnSet(d, r) => self.mem_fn_set(x, d, r, cx),
            Kind::RecordSet(fields) => {
                let Value::Fun(m) = x else { return Ok(false) };
                let same_fields = m.len() == fields.len()
                    && fields.iter().all(|(f, _)| m.contains_key(&Value::str(f)));
                if !same_fields {
                    return Ok(false);
                }
                self.all(fields.len(), |ev, i| {
                    let (f, t) = &fields[i];
                    ev.mem(&m[&Value::str(f)], t, cx)
                })
            }
            Kind::Product(sets) => {
                let Some(items) = x.as_tuple().filter(|t| t.len() == sets.len()) else {
                    return Ok(false);
                };
                self.all(sets.len(), |ev, i| ev.mem(items[i], &sets[i], cx))
            }
            _ => {
                let v = self.value(&s, cx)?;
                self.contains(&v, x, sp)
            }
        }
    }

    /// `x \in [d -> r]`: a function with domain exactly `d` and values in
    /// `r`. A non-empty string's characters are in no set the evaluator
    /// can build; other non-functions are in no function set.
    fn mem_fn_set(&mut self, x: &Value, d: &E, r: &E, cx: &Ctx) -> Res<bool> {
        let Value::Fun(m) = x else { return Ok(false) };
        let same_domain = match self.value(d, cx) {
            Ok(Value::Set(ds)) => ds.len() == m.len() && ds.iter().eq(m.keys()),
            Ok(v) => {
                return unspecified(
                    d.span,
                    format!("[S -> T] with S = {}, which is not a set", brief(&v)),
                );
            }
            Err(e) if e.is_unsupported() && self.infinite(d, cx) => false,
            Err(e) => return Err(e),
        };
        if !same_domain {
            return Ok(false);
        }
        let vals: Vec<Value> = m.values().cloned().collect();
        self.all(vals.len(), |ev, i| ev.mem(&vals[i], r, cx))
    }

    /// `x \in DOMAIN f`; for a function literal or recursive function,
    /// membership in its domain set.
    fn mem_domain(&mut self, x: &Value, f: &E, sp: Span, cx: &Ctx) -> Res<bool> {
        let head = self.head(f, cx)?;
        if let Some((bs, hcx)) = self.head_bounds(&head) {
            return self.mem_point(x, &bs, &hcx);
        }
        match head {
            super::funs::Head::Val(v) => match v.domain() {
                Some(d) => self.contains(&d, x, sp),
                None => unspecified(
                    sp,
                    format!("DOMAIN of {}, which is not a function", brief(&v)),
                ),
            },
            _ => unsupported(sp, "DOMAIN of a function of unknown form"),
        }
    }

    /// Is `x` a point of the domain given by bounds `x1 \in S1, ...`: `x`
    /// itself for one bound, a tuple for several.
    pub(super) fn mem_point(&mut self, x: &Value, bs: &[(BVar, E)], cx: &Ctx) -> Res<bool> {
        if let [(_, s)] = bs {
            return self.mem(x, s, cx);
        }
        let Some(items) = x.as_tuple().filter(|t| t.len() == bs.len()) else {
            return Ok(false);
        };
        self.all(bs.len(), |ev, i| ev.mem(items[i], &bs[i].1, cx))
    }

    fn size(&mut self, s: &E, cx: &Ctx) -> Size {
        if self.infinite(s, cx) {
            return Size::Infinite;
        }
        match self.elements(s, cx) {
            Ok(xs) => Size::Finite(xs.len()),
            Err(_) => Size::Unknown,
        }
    }

    /// Is the set `s` known to be infinite (from its form)?
    pub(super) fn infinite(&mut self, s: &E, cx: &Ctx) -> bool {
        let Ok(Form::Expr(s, cx)) = self.unfold(s, cx) else {
            return false;
        };
        let cx = &cx;
        match &s.kind {
            Kind::NatSet | Kind::IntSet | Kind::StringSet => true,
            Kind::Unary(UnOp::Subset, a) => self.infinite(a, cx),
            Kind::Binary(BinOp::Cup, a, b) => self.infinite(a, cx) || self.infinite(b, cx),
            Kind::Binary(BinOp::SetMinus, a, b) => {
                self.infinite(a, cx) && self.elements(b, cx).is_ok()
            }
            // [D -> R] is infinite iff D is infinite and R has two or more
            // elements, or D is not empty and R is infinite.
            Kind::FnSet(d, r) => {
                let (sd, sr) = (self.size(d, cx), self.size(r, cx));
                let many = |s: &Size, k: usize| match s {
                    Size::Finite(n) => *n >= k,
                    Size::Infinite => true,
                    Size::Unknown => false,
                };
                (sd == Size::Infinite && many(&sr, 2)) || (sr == Size::Infinite && many(&sd, 1))
            }
            Kind::RecordSet(fields) => {
                let sets: Vec<E> = fields.iter().map(|(_, s)| s.clone()).collect();
                self.infinite_product(&sets, cx)
            }
            Kind::Product(sets) => self.infinite_product(sets, cx),
            _ => false,
        }
    }

    /// A product is infinite iff a factor is infinite and none is empty.
    fn infinite_product(&mut self, sets: &[E], cx: &Ctx) -> bool {
        let sizes: Vec<Size> = sets.iter().map(|s| self.size(s, cx)).collect();
        sizes.contains(&Size::Infinite)
            && sizes
                .iter()
                .all(|s| matches!(s, Size::Infinite | Size::Finite(1..)))
    }

    /// `IsFiniteSet` and `Cardinality`.
    pub(super) fn builtin(&mut self, b: Builtin, args: &[E], sp: Span, cx: &Ctx) -> Res<Value> {
        let [s] = args else {
            return unsupported(sp, format!("{b:?} takes one argument"));
        };
        let r = self.value(s, cx);
        match (b, r) {
            (Builtin::IsFiniteSet, Ok(Value::Set(_))) => Ok(Value::Bool(true)),
            (Builtin::Cardinality, Ok(Value::Set(xs))) => Ok(Value::Int(xs.len() as i64)),
            (_, Ok(v)) => unspecified(sp, format!("{b:?} of {}, which is not a set", brief(&v))),
            (_, Err(e)) if e.is_unsupported() && self.infinite(s, cx) => match b {
                Builtin::IsFiniteSet => Ok(Value::Bool(false)),
                Builtin::Cardinality => unspecified(sp, "Cardinality of an infinite set"),
            },
            (_, Err(e)) => Err(e),
        }
    }
}
