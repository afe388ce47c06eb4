//! Sets: membership (specialised on the form of the set), set terms,
//! subset.

use super::super::{EncodeError, Encoder, Res, unsupported};
use super::*;
use crate::semantic::ir::*;
use crate::semantic::subst;
use crate::syntax::ast::{BinOp, UnOp};
use crate::types::Type;

impl Encoder<'_> {
    /// `x \in S`. `A \in SUBSET T` is encoded as `A \subseteq T`, so that
    /// both spellings give the same formula (Z3 then sees one atom).
    pub(crate) fn in_set(&mut self, x: &E, set: &E) -> Res<String> {
        if let Kind::Unary(UnOp::Subset, t) = &set.kind {
            return self.subseteq(x, t);
        }
        let term = self.term(x)?;
        let t = self.ty(x);
        self.member(&term, &t, set)
    }

    pub(crate) fn subseteq(&mut self, a: &E, b: &E) -> Res<String> {
        let Type::Set(elem) = self.ty(a) else {
            return unsupported(a.span, "\\subseteq on non-sets");
        };
        if matches!(self.unfold_expanded(a, 0).kind, Kind::SetMap(..)) {
            // `{f(r) : r \in S} \subseteq B` as `\A y \in {..} : y \in B`,
            // which `quant` turns into `\A r \in S : f(r) \in B`: the
            // membership `y \in {f(r) : ..}` is an existential whose `y` no
            // E-matching pattern can bind.
            let y = self.prog.fresh_bvar_of("y", *elem.clone());
            let ye = Expr::bound(&y, a.span);
            let inb = self
                .prog
                .mk_bool(Kind::Binary(BinOp::In, ye, b.clone()), a.span);
            return self.quant(true, &[(y, Some(a.clone()))], &inb);
        }
        let s = self.sort(&elem, a.span)?;
        let y = self.fresh("y");
        let ma = self.member(&y, &elem, a)?;
        let mb = self.member(&y, &elem, b)?;
        Ok(format!("(forall (({y} {s})) (=> {ma} {mb}))"))
    }

    /// A set-valued expression as an array term.
    /// `x \in set` where one of x's sort and the set's element sort is
    /// `Univ` (the other embeds into it; see `Sorts::embedding`).
    pub(crate) fn member_across(
        &mut self,
        x: &str,
        xt: &Type,
        elem: &Type,
        set: &E,
    ) -> Res<String> {
        let span = set.span;
        let embed = |s: &mut Self, t: &Type| {
            s.sorts
                .embedding(&s.prog.types, t)
                .map_err(|m| EncodeError {
                    span,
                    message: format!("cannot embed the type into the universe: {m}"),
                })
        };
        match (xt, elem) {
            (_, Type::Univ) => {
                let (emb, _) = embed(self, xt)?;
                self.member(&format!("({emb} {x})"), &Type::Univ, set)
            }
            (Type::Univ, _) => {
                let (emb, inv) = embed(self, elem)?;
                let y = format!("({inv} {x})");
                let m = self.member(&y, elem, set)?;
                Ok(format!("(and (= ({emb} {y}) {x}) {m})"))
            }
            _ => unsupported(
                span,
                "membership of a value of one sort in a set of another",
            ),
        }
    }

    /// The array of `e`, a set whose elements are `elem`s or embed into
    /// them (an operand of a set operation of the universe).
    pub(crate) fn set_term_as(&mut self, e: &E, elem: &Type) -> Res<String> {
        match self.ty(e) {
            Type::Set(own) if *own != *elem => {
                let u = self.fresh("u");
                let sort = self.sort(elem, e.span)?;
                let m = self.member(&u, elem, e)?;
                Ok(format!("(lambda (({u} {sort})) {m})"))
            }
            _ => self.set_term(e),
        }
    }

    pub(crate) fn set_term(&mut self, e: &E) -> Res<String> {
        let t = self.ty(e);
        let Type::Set(elem) = &t else {
            return unsupported(e.span, "a set expression of non-set type");
        };
        self.seen_set_types.insert((**elem).clone());
        let es = self.sort(elem, e.span)?;
        match &e.kind {
            Kind::SetEnum(items) => {
                let mut acc = format!("((as const (Array {es} Bool)) false)");
                for x in items {
                    let item = self.term(x)?;
                    self.note_ground_element(&es, &item);
                    acc = format!("(store {acc} {item} true)");
                }
                Ok(acc)
            }
            Kind::Binary(BinOp::Cup, a, b) => Ok(format!(
                "((_ map or) {} {})",
                self.set_term_as(a, elem)?,
                self.set_term_as(b, elem)?
            )),
            Kind::Binary(BinOp::Cap, a, b) => Ok(format!(
                "((_ map and) {} {})",
                self.set_term_as(a, elem)?,
                self.set_term_as(b, elem)?
            )),
            Kind::Binary(BinOp::SetMinus, a, b) => Ok(format!(
                "((_ map and) {} ((_ map not) {}))",
                self.set_term_as(a, elem)?,
                self.set_term_as(b, elem)?
            )),
            Kind::NatSet
            | Kind::IntSet
            | Kind::BoolSet
            | Kind::StringSet
            | Kind::SetFilter(..)
            | Kind::SetMap(..)
            | Kind::FnSet(..)
            | Kind::RecordSet(_)
            | Kind::Product(_)
            | Kind::Binary(BinOp::Range, ..)
            | Kind::Unary(UnOp::Subset | UnOp::Union, _) => {
                let x = self.fresh("x");
                // The lambda variable is in scope like a bound variable, so
                // abstracted quantifiers see it as free.
                self.lambda_vars += 1;
                let key = u32::MAX - self.lambda_vars;
                self.env.insert(key, x.clone());
                self.bound_sorts.insert(x.clone(), es.clone());
                self.in_lambda += 1;
                let m = self.member(&x, elem, e);
                self.in_lambda -= 1;
                self.env.remove(&key);
                let lambda = format!("(lambda (({x} {es})) {})", m?);
                Ok(self.abstract_lambda(lambda, &format!("(Array {es} Bool)")))
            }
            _ => self.term(e),
        }
    }

    /// `x \in set`, specialised on the form of `set`.
    pub(crate) fn member(&mut self, x: &str, xt: &Type, set: &E) -> Res<String> {
        if let Type::Set(elem) = self.ty(set)
            && *elem != *xt
            && elem.is_base()
            && xt.is_base()
        {
            return self.member_across(x, xt, &elem, set);
        }
        self.seen_set_types.insert(xt.clone());
        match &set.kind {
            Kind::SetEnum(items) => {
                let mut parts = Vec::new();
                let es = self.sort(xt, set.span)?;
                for i in items {
                    let item = self.term(i)?;
                    self.note_ground_element(&es, &item);
                    parts.push(format!("(= {x} {item})"));
                }
                Ok(format!("(or false {})", parts.join(" ")))
            }
            Kind::SetFilter(v, s, p) => {
                let m = self.member(x, xt, s)?;
                let n = self.bname(v);
                let saved = self.env.clone();
                self.env.insert(v.id, n.clone());
                let vs = self.sort(xt, set.span)?;
                {
                    let bn = self.bname(v);
                    self.bound_sorts.insert(bn, vs);
                }
                let body = self.term(p);
                self.env = saved;
                Ok(format!("(and {m} (let (({n} {x})) {}))", body?))
            }
            Kind::SetMap(body, bs) => {
                self.note_ground_map(set);
                let saved = self.env.clone();
                let r = (|| {
                    let mut binders = String::new();
                    let mut guards = Vec::new();
                    for (v, s) in bs {
                        binders.push_str(&self.bind(v, set.span)?);
                        let n = self.bname(v);
                        let t = self.ty_of(v.ty);
                        guards.push(self.member(&n, &t, s)?);
                    }
                    let b = self.term(body)?;
                    Ok(format!(
                        "(exists ({binders}) (and {} (= {x} {b})))",
                        guards.join(" ")
                    ))
                })();
                self.env = saved;
                r
            }
            Kind::NatSet => Ok(format!("(>= {x} 0)")),
            Kind::IntSet | Kind::BoolSet | Kind::StringSet => Ok("true".into()),
            Kind::Binary(BinOp::Cup, a, b) => Ok(format!(
                "(or {} {})",
                self.member(x, xt, a)?,
                self.member(x, xt, b)?
            )),
            Kind::Binary(BinOp::Cap, a, b) => Ok(format!(
                "(and {} {})",
                self.member(x, xt, a)?,
                self.member(x, xt, b)?
            )),
            Kind::Binary(BinOp::SetMinus, a, b) => Ok(format!(
                "(and {} (not {}))",
                self.member(x, xt, a)?,
                self.member(x, xt, b)?
            )),
            Kind::Binary(BinOp::Range, lo, hi) => Ok(format!(
                "(and (<= {} {x}) (<= {x} {}))",
                self.term(lo)?,
                self.term(hi)?
            )),
            Kind::Unary(UnOp::Subset, s) => {
                let Type::Set(elem) = xt else {
                    return unsupported(set.span, "SUBSET of a non-set");
                };
                let es = self.sort(elem, set.span)?;
                let y = self.fresh("y");
                let m = self.member(&y, elem, s)?;
                Ok(format!("(forall (({y} {es})) (=> (select {x} {y}) {m}))"))
            }
            Kind::Unary(UnOp::Union, ss) => {
                let st = Type::Set(Box::new(xt.clone()));
                let sort = self.sort(&st, set.span)?;
                let y = self.fresh("y");
                let m = self.member(&y, &st, ss)?;
                Ok(format!(
                    "(exists (({y} {sort})) (and {m} (select {y} {x})))"
                ))
            }
            Kind::FnSet(a, b) => {
                let Type::Fun(dt, rt) = xt else {
                    return unsupported(set.span, "[S -> T] membership of a non-function");
                };
                let s = self.sort(xt, set.span)?;
                let fname = self.sorts.fun_name(&s);
                let ds = self.sort(dt, set.span)?;
                let dom = self.set_term(a)?;
                let y = self.fresh("y");
                let inb = self.member(&format!("(select (|app_{fname}| {x}) {y})"), rt, b)?;
                Ok(format!(
                    "(and (= (|dom_{fname}| {x}) {dom}) (forall (({y} {ds})) (=> (select {dom} {y}) {inb})))"
                ))
            }
            Kind::RecordSet(fs) => {
                let Type::Rec(v) = xt else {
                    return unsupported(set.span, "record-set membership of a non-record");
                };
                self.sort(xt, set.span)?;
                let fam = self.sorts.family_of(&self.prog.types, *v).cloned().unwrap();
                let Some(shape) = fam.shape_with(fs.iter().map(|(n, _)| &**n)) else {
                    return unsupported(
                        set.span,
                        "a record set whose shape the type analysis did not record",
                    );
                };
                let mut parts = vec![format!("((_ is |mk_{}|) {x})", shape.ctor)];
                for (n, s) in fs {
                    let ft = fam.fields.get(n).cloned().unwrap();
                    let acc = format!(
                        "(|{}_{}| {x})",
                        shape.ctor,
                        super::super::sorts::sanitize(n)
                    );
                    parts.push(self.member(&acc, &ft, s)?);
                }
                Ok(format!("(and {})", parts.join(" ")))
            }
            Kind::Product(ss) => {
                let Type::Tuple(ts) = xt else {
                    return unsupported(set.span, "\\X membership of a non-tuple");
                };
                let s = self.sort(xt, set.span)?;
                let mut parts = Vec::new();
                for (i, (st, t)) in ss.iter().zip(ts).enumerate() {
                    let acc = format!("(|{}_{}| {x})", s.trim_matches('|'), i + 1);
                    parts.push(self.member(&acc, t, st)?);
                }
                Ok(format!("(and true {})", parts.join(" ")))
            }
            Kind::If(c, a, b) => Ok(format!(
                "(ite {} {} {})",
                self.term(c)?,
                self.member(x, xt, a)?,
                self.member(x, xt, b)?
            )),
            Kind::Let(_, body) => self.member(x, xt, body),
            Kind::App(d, args) if self.inlines(*d) && !self.is_ground_symbol(*d, args)? => {
                if self.depth > MAX_DEPTH {
                    return unsupported(set.span, "definition expands without end");
                }
                let body = subst::instantiate(self.prog, *d, args).ok_or_else(|| EncodeError {
                    span: set.span,
                    message: "definition body unavailable".into(),
                })?;
                self.depth += 1;
                let r = self.member(x, xt, &body);
                self.depth -= 1;
                r
            }
            Kind::Unary(UnOp::Prime, inner) if !self.primed => {
                self.primed = true;
                let r = self.member(x, xt, inner);
                self.primed = false;
                r
            }
            _ => Ok(format!("(select {} {x})", self.set_term(set)?)),
        }
    }
}
