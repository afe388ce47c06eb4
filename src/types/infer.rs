//! Unification-based type inference over the resolved program.
//!
//! Definitions are monomorphic (each has one type in the program); library
//! theorems may stay generic, and are instantiated per sort by the encoder.

use super::store::{Mismatch, Type};
use crate::semantic::ir::*;
use crate::semantic::program::Program;
use crate::semantic::proof::{Fact, RProof, RStepKind};
use crate::source::{Diagnostic, Span};
use crate::syntax::ast::{BinOp, UnOp};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::rc::Rc;

pub struct Inferencer<'p> {
    prog: &'p mut Program,
    done_defs: HashSet<DefId>,
    /// Every field access `r.f`: where, the type of `r`, and `f`.
    fields: Vec<(Span, TyVar, Rc<str>)>,
}

type R = Result<(), Diagnostic>;

impl<'p> Inferencer<'p> {
    pub fn new(prog: &'p mut Program) -> Self {
        Inferencer {
            prog,
            done_defs: HashSet::new(),
            fields: Vec::new(),
        }
    }

    /// Infer every definition, assumption and theorem. The types found
    /// are *hints* (see `encode::synth`): which uninterpreted sorts values
    /// share and how records group into families. A part that does not
    /// unify (TLA+ is untyped) is recorded and left with the types found so
    /// far; nothing is refused for it.
    pub fn program(mut self) -> Result<(), Vec<Diagnostic>> {
        self.all().map_err(|d| vec![d])?;
        self.warn_missing_fields();
        Ok(())
    }

    /// A warning for each `r.f` where no record shape that `r` may have
    /// (the record literals and record sets of its family) has the field
    /// `f`: legal TLA+ (an unspecified value), but most likely a typo.
    fn warn_missing_fields(&mut self) {
        let mut seen = HashSet::new();
        for (span, r, field) in std::mem::take(&mut self.fields) {
            let shapes = self.prog.types.shapes_of(r);
            if shapes.is_empty() || shapes.iter().any(|s| s.contains(&field)) || !seen.insert(span)
            {
                continue;
            }
            let known: BTreeSet<&str> = shapes.iter().flatten().map(|f| f.as_ref()).collect();
            let known: Vec<&str> = known.into_iter().collect();
            self.prog.warnings.push(Diagnostic::new(
                span,
                format!(
                    "no record here has a field `{field}` (fields: {}): its value is unspecified",
                    known.join(", ")
                ),
            ));
        }
    }

    fn all(&mut self) -> R {
        for i in 0..self.prog.defs.len() {
            self.def(DefId(i as u32))?;
        }
        for i in 0..self.prog.assumes.len() {
            let body = self.prog.assumes[i].body.clone();
            if let Err(d) = self.expect_bool(&body) {
                self.prog.assumes[i].ill_sorted = Some(d.message.clone());
            }
        }
        for i in 0..self.prog.theorems.len() {
            let t = self.prog.theorems[i].clone();
            if let Err(d) = self.sequent(&t.statement) {
                self.prog.theorems[i].ill_sorted = Some(d.clone());
                continue;
            }
            if let Some(Err(d)) = t.proof.as_ref().map(|p| self.proof(p)) {
                self.prog.theorems[i].proof_ill_sorted = Some(d.clone());
            }
        }
        Ok(())
    }

    fn unify(&mut self, a: TyVar, b: TyVar, span: Span) -> R {
        self.prog
            .types
            .unify(a, b)
            .map_err(|Mismatch { left, right }| {
                Diagnostic::new(
                    span,
                    format!("ill-sorted expression: `{left}` does not match `{right}`"),
                )
            })
    }

    fn unify_with(&mut self, a: TyVar, t: Type, span: Span) -> R {
        let b = self.prog.types.of(t);
        self.unify(a, b, span)
    }

    fn expect_bool(&mut self, e: &E) -> R {
        self.expr(e)?;
        self.unify_with(e.ty, Type::Bool, e.span)
    }

    /// Are `a` and `b` two different base sorts (already determined)? A
    /// failed unification is not undone, so this is asked first.
    fn mixed_sorts(&self, a: TyVar, b: TyVar) -> bool {
        let (a, b) = (self.prog.types.resolve(a), self.prog.types.resolve(b));
        a.is_base() && b.is_base() && a != b
    }

    fn set_elem(&mut self, set: &E) -> Result<TyVar, Diagnostic> {
        let elem = self.prog.types.fresh();
        let s = self.prog.types.set_of(elem);
        self.unify(set.ty, s, set.span)?;
        Ok(elem)
    }

    /// Infer a definition; an ill-sorted one is recorded, not fatal.
    pub fn def(&mut self, d: DefId) -> R {
        if !self.done_defs.insert(d) {
            return Ok(());
        }
        if let Err(diag) = self.def_body(d) {
            self.prog.ill_sorted.insert(d, diag.message.clone());
        }
        Ok(())
    }

    fn def_body(&mut self, d: DefId) -> R {
        let def = self.prog.def(d).clone();
        match &def.body {
            DefBody::Expr(e) => {
                self.expr(e)?;
                self.unify(def.ty, e.ty, def.span)
            }
            DefBody::RecFn(bs, body) => {
                let mut doms = Vec::new();
                for (v, s) in bs {
                    self.expr(s)?;
                    let elem = self.set_elem(s)?;
                    self.unify(v.ty, elem, s.span)?;
                    doms.push(v.ty);
                }
                let dom = if doms.len() == 1 {
                    doms[0]
                } else {
                    self.prog.types.tuple(doms)
                };
                let f = self.prog.types.fun(dom, body.ty);
                self.unify(def.ty, f, def.span)?;
                self.expr(body)
            }
            DefBody::Pending => Ok(()),
        }
    }

    fn sequent(&mut self, s: &Sequent) -> R {
        for (v, dom) in &s.news {
            if let Some(d) = dom {
                self.expr(d)?;
                let elem = self.set_elem(d)?;
                self.unify(v.ty, elem, d.span)?;
            }
        }
        for h in &s.hyps {
            match h {
                Hyp::Fact(e) => self.expect_bool(e)?,
                Hyp::Sequent(s, _) => self.sequent(s)?,
            }
        }
        self.expect_bool(&s.goal)
    }

    fn proof(&mut self, p: &RProof) -> R {
        match p {
            RProof::Obvious(_) | RProof::Omitted(_) => Ok(()),
            RProof::By(by) => self.facts(&by.facts),
            RProof::Steps(steps, _) => {
                for s in steps {
                    match &s.kind {
                        RStepKind::Assert(q) | RStepKind::Suffices(q) => self.sequent(q)?,
                        RStepKind::Case(e) | RStepKind::Have(e) => self.expect_bool(e)?,
                        RStepKind::Pick(bs, body) => {
                            self.bounds(bs)?;
                            self.expect_bool(body)?;
                        }
                        RStepKind::Take(bs) => self.bounds(bs)?,
                        RStepKind::Witness(es) => {
                            for e in es {
                                self.expr(e)?;
                            }
                        }
                        RStepKind::Define(ds) => {
                            for d in ds {
                                self.def(*d)?;
                            }
                        }
                        RStepKind::Use { facts, .. } => self.facts(facts)?,
                        RStepKind::Qed => {}
                    }
                    if let Some(p) = &s.proof {
                        self.proof(p)?;
                    }
                }
                Ok(())
            }
        }
    }

    fn facts(&mut self, facts: &[Fact]) -> R {
        for f in facts {
            if let Fact::Expr(e) = f {
                self.expect_bool(e)?;
            }
        }
        Ok(())
    }

    fn bounds(&mut self, bs: &[(BVar, Option<E>)]) -> R {
        for (v, s) in bs {
            if let Some(s) = s {
                self.expr(s)?;
                let elem = self.set_elem(s)?;
                self.unify(v.ty, elem, s.span)?;
            }
        }
        Ok(())
    }

    fn set_bounds(&mut self, bs: &[(BVar, E)]) -> R {
        for (v, s) in bs {
            self.expr(s)?;
            let elem = self.set_elem(s)?;
            self.unify(v.ty, elem, s.span)?;
        }
        Ok(())
    }

    pub fn expr(&mut self, e: &E) -> R {
        let sp = e.span;
        match &e.kind {
            Kind::Bound(v) => self.unify(e.ty, v.ty, sp),
            Kind::Const(c) => {
                let t = self.prog.consts[c.0 as usize].ty;
                self.unify(e.ty, t, sp)
            }
            Kind::Var(v) => {
                let t = self.prog.vars[v.0 as usize].ty;
                self.unify(e.ty, t, sp)
            }
            Kind::App(d, args) => {
                self.def(*d)?;
                let mut def = self.prog.def(*d).clone();
                // A standard-library operator (Len, Append, ...) is generic:
                // each use gets its own copy of its type, so that `Len` of a
                // sequence of numbers and of messages do not make numbers
                // and messages one type.
                if self.prog.library_defs.contains(d) {
                    let mut tys: Vec<TyVar> = def.params.iter().map(|p| p.ty).collect();
                    tys.push(def.ty);
                    let copies = self.prog.types.instantiate(&tys);
                    for (p, t) in def.params.iter_mut().zip(&copies) {
                        p.ty = *t;
                    }
                    def.ty = copies[copies.len() - 1];
                }
                for ((p, arity), a) in def.params.iter().zip(&def.param_arities).zip(args) {
                    if *arity > 0 {
                        // An operator argument is typed like the function
                        // its parameter `F(_)` is (see OpParamApp).
                        let Kind::Lambda(vs, body) = &a.kind else {
                            return Err(Diagnostic::new(
                                a.span,
                                "unsupported construct: operator argument that is not a LAMBDA or an operator name",
                            ));
                        };
                        self.expr(body)?;
                        let dom = if vs.len() == 1 {
                            vs[0].ty
                        } else {
                            let ts = vs.iter().map(|v| v.ty).collect();
                            self.prog.types.tuple(ts)
                        };
                        let f = self.prog.types.fun(dom, body.ty);
                        self.unify(p.ty, f, a.span)?;
                        self.unify(a.ty, f, a.span)?;
                        continue;
                    }
                    self.expr(a)?;
                    self.unify(p.ty, a.ty, a.span)?;
                }
                self.unify(e.ty, def.ty, sp)
            }
            Kind::OpParamApp(v, args) => {
                // An operator parameter F(_) is typed like a function of its
                // argument(s).
                for a in args {
                    self.expr(a)?;
                }
                let dom = if args.len() == 1 {
                    args[0].ty
                } else {
                    let ts = args.iter().map(|a| a.ty).collect();
                    self.prog.types.tuple(ts)
                };
                let f = self.prog.types.fun(dom, e.ty);
                self.unify(v.ty, f, sp)
            }
            Kind::Lambda(..) => Err(Diagnostic::new(sp, "unsupported construct: LAMBDA")),
            Kind::Builtin(b, args) => {
                let s = &args[0];
                self.expr(s)?;
                self.set_elem(s)?;
                let t = match b {
                    Builtin::IsFiniteSet => Type::Bool,
                    Builtin::Cardinality => Type::Int,
                };
                self.unify_with(e.ty, t, sp)
            }
            Kind::Int(_) => self.unify_with(e.ty, Type::Int, sp),
            Kind::Str(_) => self.unify_with(e.ty, Type::Str, sp),
            Kind::Bool(_) => self.unify_with(e.ty, Type::Bool, sp),
            Kind::NatSet | Kind::IntSet => {
                self.unify_with(e.ty, Type::Set(Box::new(Type::Int)), sp)
            }
            Kind::BoolSet => self.unify_with(e.ty, Type::Set(Box::new(Type::Bool)), sp),
            Kind::StringSet => self.unify_with(e.ty, Type::Set(Box::new(Type::Str)), sp),
            Kind::Unary(op, a) => self.unary(e, *op, a),
            Kind::Binary(op, a, b) => self.binary(e, *op, a, b),
            Kind::And(es) | Kind::Or(es) => {
                for x in es {
                    self.expect_bool(x)?;
                }
                self.unify_with(e.ty, Type::Bool, sp)
            }
            Kind::If(c, t, f) => {
                self.expect_bool(c)?;
                self.expr(t)?;
                self.expr(f)?;
                self.unify(t.ty, f.ty, f.span)?;
                self.unify(e.ty, t.ty, sp)
            }
            Kind::Case(arms, other) => {
                for (g, v) in arms {
                    self.expect_bool(g)?;
                    self.expr(v)?;
                    self.unify(e.ty, v.ty, v.span)?;
                }
                if let Some(o) = other {
                    self.expr(o)?;
                    self.unify(e.ty, o.ty, o.span)?;
                }
                Ok(())
            }
            Kind::Forall(bs, body) | Kind::Exists(bs, body) => {
                self.bounds(bs)?;
                self.expect_bool(body)?;
                self.unify_with(e.ty, Type::Bool, sp)
            }
            Kind::Choose(v, s, body) => {
                if let Some(s) = s {
                    self.expr(s)?;
                    let elem = self.set_elem(s)?;
                    self.unify(v.ty, elem, s.span)?;
                }
                self.expect_bool(body)?;
                self.unify(e.ty, v.ty, sp)
            }
            Kind::SetEnum(es) => {
                let elem = self.prog.types.fresh();
                for x in es {
                    self.expr(x)?;
                    self.unify(elem, x.ty, x.span)?;
                }
                let s = self.prog.types.set_of(elem);
                self.unify(e.ty, s, sp)
            }
            Kind::SetFilter(v, s, p) => {
                self.expr(s)?;
                let elem = self.set_elem(s)?;
                self.unify(v.ty, elem, s.span)?;
                self.expect_bool(p)?;
                self.unify(e.ty, s.ty, sp)
            }
            Kind::SetMap(body, bs) => {
                self.set_bounds(bs)?;
                self.expr(body)?;
                let s = self.prog.types.set_of(body.ty);
                self.unify(e.ty, s, sp)
            }
            Kind::FnLit(bs, body) => {
                self.set_bounds(bs)?;
                self.expr(body)?;
                let dom = if bs.len() == 1 {
                    bs[0].0.ty
                } else {
                    let ts = bs.iter().map(|(v, _)| v.ty).collect();
                    self.prog.types.tuple(ts)
                };
                let f = self.prog.types.fun(dom, body.ty);
                self.unify(e.ty, f, sp)
            }
            Kind::RecFnRef(d) => {
                self.def(*d)?;
                let t = self.prog.def(*d).ty;
                self.unify(e.ty, t, sp)
            }
            Kind::FnSet(a, b) => {
                self.expr(a)?;
                self.expr(b)?;
                let ea = self.set_elem(a)?;
                let eb = self.set_elem(b)?;
                let f = self.prog.types.fun(ea, eb);
                let s = self.prog.types.set_of(f);
                self.unify(e.ty, s, sp)
            }
            Kind::Record(fs) => {
                let mut fields = BTreeMap::new();
                for (n, v) in fs {
                    self.expr(v)?;
                    fields.insert(n.clone(), v.ty);
                }
                let names: BTreeSet<_> = fields.keys().cloned().collect();
                let r = self.prog.types.record(fields);
                self.prog.types.add_shape(r, names);
                self.unify(e.ty, r, sp)
            }
            Kind::RecordSet(fs) => {
                let mut fields = BTreeMap::new();
                for (n, v) in fs {
                    self.expr(v)?;
                    let elem = self.set_elem(v)?;
                    fields.insert(n.clone(), elem);
                }
                let names: BTreeSet<_> = fields.keys().cloned().collect();
                let r = self.prog.types.record(fields);
                self.prog.types.add_shape(r, names);
                let s = self.prog.types.set_of(r);
                self.unify(e.ty, s, sp)
            }
            Kind::Apply(f, args) => {
                self.expr(f)?;
                for a in args {
                    self.expr(a)?;
                }
                // Tuple indexing with a literal: t[2].
                if let (Type::Tuple(ts), [arg]) = (self.prog.types.resolve(f.ty), args.as_slice()) {
                    if let Kind::Int(i) = arg.kind
                        && i >= 1
                        && (i as usize) <= ts.len()
                    {
                        let t = self.prog.types.of(ts[i as usize - 1].clone());
                        return self.unify(e.ty, t, sp);
                    }
                    return Err(Diagnostic::new(
                        arg.span,
                        "a tuple is indexed by a number literal within its length",
                    ));
                }
                let dom = if args.len() == 1 {
                    args[0].ty
                } else {
                    let ts = args.iter().map(|a| a.ty).collect();
                    self.prog.types.tuple(ts)
                };
                let fty = self.prog.types.fun(dom, e.ty);
                self.unify(f.ty, fty, sp)
            }
            Kind::Field(r, name) => {
                self.expr(r)?;
                self.fields.push((sp, r.ty, name.clone()));
                let t = self.prog.types.field_of(r.ty, name).map_err(|m| {
                    Diagnostic::new(
                        sp,
                        format!("ill-sorted expression: `{}` is not {}", m.left, m.right),
                    )
                })?;
                self.unify(e.ty, t, sp)
            }
            Kind::Except(f, ups) => {
                self.expr(f)?;
                self.unify(e.ty, f.ty, sp)?;
                for u in ups {
                    let mut cur = f.ty;
                    for k in &u.path {
                        cur = match k {
                            ExceptKey::Field(n) => {
                                self.prog.types.field_of(cur, n).map_err(|m| {
                                    Diagnostic::new(
                                        u.value.span,
                                        format!(
                                            "ill-sorted EXCEPT: `{}` is not {}",
                                            m.left, m.right
                                        ),
                                    )
                                })?
                            }
                            ExceptKey::Index(es) => {
                                for x in es {
                                    self.expr(x)?;
                                }
                                let dom = if es.len() == 1 {
                                    es[0].ty
                                } else {
                                    let ts = es.iter().map(|x| x.ty).collect();
                                    self.prog.types.tuple(ts)
                                };
                                let rng = self.prog.types.fresh();
                                let fty = self.prog.types.fun(dom, rng);
                                self.unify(cur, fty, u.value.span)?;
                                rng
                            }
                        };
                    }
                    self.unify(u.at.ty, cur, u.value.span)?;
                    self.expr(&u.value)?;
                    self.unify(u.value.ty, cur, u.value.span)?;
                }
                Ok(())
            }
            Kind::Tuple(es) => {
                for x in es {
                    self.expr(x)?;
                }
                let t = self.prog.types.tuple(es.iter().map(|x| x.ty).collect());
                self.unify(e.ty, t, sp)
            }
            Kind::Product(es) => {
                let mut elems = Vec::new();
                for x in es {
                    self.expr(x)?;
                    elems.push(self.set_elem(x)?);
                }
                let t = self.prog.types.tuple(elems);
                let s = self.prog.types.set_of(t);
                self.unify(e.ty, s, sp)
            }
            Kind::BoxAction(a, v) | Kind::AngleAction(a, v) => {
                self.expect_bool(a)?;
                self.expr(v)?;
                self.unify_with(e.ty, Type::Bool, sp)
            }
            Kind::Temporal(op, es) => {
                match op {
                    TemporalOp::WeakFair | TemporalOp::StrongFair => {
                        self.expr(&es[0])?;
                        self.expect_bool(&es[1])?;
                    }
                    _ => {
                        for x in es {
                            self.expect_bool(x)?;
                        }
                    }
                }
                self.unify_with(e.ty, Type::Bool, sp)
            }
            Kind::Let(defs, body) => {
                for d in defs {
                    self.def(*d)?;
                }
                self.expr(body)?;
                self.unify(e.ty, body.ty, sp)
            }
        }
    }

    fn unary(&mut self, e: &E, op: UnOp, a: &E) -> R {
        let sp = e.span;
        self.expr(a)?;
        match op {
            UnOp::Not | UnOp::Enabled | UnOp::Always | UnOp::Eventually => {
                self.unify_with(a.ty, Type::Bool, a.span)?;
                self.unify_with(e.ty, Type::Bool, sp)
            }
            UnOp::Neg => {
                self.unify_with(a.ty, Type::Int, a.span)?;
                self.unify_with(e.ty, Type::Int, sp)
            }
            UnOp::Prime => self.unify(e.ty, a.ty, sp),
            UnOp::Unchanged => self.unify_with(e.ty, Type::Bool, sp),
            UnOp::Subset => {
                let s = self.prog.types.set_of(a.ty);
                self.set_elem(a)?;
                self.unify(e.ty, s, sp)
            }
            UnOp::Union => {
                let inner = self.set_elem(a)?;
                let elem = self.prog.types.fresh();
                let s = self.prog.types.set_of(elem);
                self.unify(inner, s, a.span)?;
                self.unify(e.ty, s, sp)
            }
            UnOp::Domain => {
                let dom = self.prog.types.fresh();
                let rng = self.prog.types.fresh();
                let f = self.prog.types.fun(dom, rng);
                self.unify(a.ty, f, a.span)
                    .map_err(|d| d.with_note("DOMAIN is supported on functions only"))?;
                let s = self.prog.types.set_of(dom);
                self.unify(e.ty, s, sp)
            }
        }
    }

    fn binary(&mut self, e: &E, op: BinOp, a: &E, b: &E) -> R {
        let sp = e.span;
        self.expr(a)?;
        self.expr(b)?;
        let result = match op {
            BinOp::And
            | BinOp::Or
            | BinOp::Implies
            | BinOp::Equiv
            | BinOp::LeadsTo
            | BinOp::Cdot => {
                self.unify_with(a.ty, Type::Bool, a.span)?;
                self.unify_with(b.ty, Type::Bool, b.span)?;
                Type::Bool
            }
            BinOp::Eq | BinOp::Neq => {
                self.unify(a.ty, b.ty, sp)?;
                Type::Bool
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                self.unify_with(a.ty, Type::Int, a.span)?;
                self.unify_with(b.ty, Type::Int, b.span)?;
                Type::Bool
            }
            BinOp::In | BinOp::NotIn => {
                let elem = self.set_elem(b)?;
                // Membership in a set of the universe (see `Type::Univ`).
                let univ = [a.ty, elem]
                    .iter()
                    .any(|t| self.prog.types.resolve(*t) == Type::Univ);
                if !(univ && self.mixed_sorts(a.ty, elem)) {
                    self.unify(a.ty, elem, sp)?;
                }
                Type::Bool
            }
            BinOp::Subseteq => {
                self.set_elem(a)?;
                self.unify(a.ty, b.ty, sp)?;
                Type::Bool
            }
            BinOp::Cup | BinOp::Cap | BinOp::SetMinus => {
                let ea = self.set_elem(a)?;
                // Sets of two sorts combine as sets of the universe: TLA+
                // is untyped, and `(Ballot \cup {-1}) \cap Acceptor = {}`
                // is a meaningful assumption (see `Type::Univ`). (A
                // non-set `b` is reported by the unification below.)
                if let Type::Set(eb) = self.prog.types.resolve(b.ty)
                    && eb.is_base()
                {
                    let eb = self.prog.types.of(*eb);
                    if self.mixed_sorts(ea, eb) {
                        return self.unify_with(e.ty, Type::Set(Box::new(Type::Univ)), sp);
                    }
                }
                self.unify(a.ty, b.ty, sp)?;
                return self.unify(e.ty, a.ty, sp);
            }
            BinOp::Plus | BinOp::Minus | BinOp::Times | BinOp::Div | BinOp::Mod => {
                self.unify_with(a.ty, Type::Int, a.span)?;
                self.unify_with(b.ty, Type::Int, b.span)?;
                Type::Int
            }
            BinOp::Range => {
                self.unify_with(a.ty, Type::Int, a.span)?;
                self.unify_with(b.ty, Type::Int, b.span)?;
                Type::Set(Box::new(Type::Int))
            }
        };
        self.unify_with(e.ty, result, sp)
    }
}
