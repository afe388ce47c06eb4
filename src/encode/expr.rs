//! Encoding of expressions.

use super::{EncodeError, Encoder, FunctionPair, Res, unsupported};
use crate::semantic::ir::*;
use crate::semantic::subst;
use crate::syntax::ast::{BinOp, UnOp};
use crate::types::Type;
use std::collections::HashMap;
use std::fmt::Write;

/// Expansion depth at which we assume a cycle.
const MAX_DEPTH: usize = 200;

impl Encoder<'_> {
    pub(crate) fn formula(&mut self, e: &E) -> Res<String> {
        self.term(e)
    }

    fn list(&mut self, es: &[E]) -> Res<Vec<String>> {
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

    fn primed_term(&mut self, a: &E) -> Res<String> {
        if self.primed {
            return unsupported(a.span, "a prime inside a primed expression");
        }
        self.primed = true;
        let r = self.term(a);
        self.primed = false;
        r
    }

    /// `UNCHANGED v`, component-wise for tuples and expanded definitions.
    fn unchanged(&mut self, v: &E) -> Res<String> {
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

    fn plain_unchanged(&mut self, v: &E) -> Res<String> {
        let post = self.primed_term(v)?;
        let pre = self.term(v)?;
        Ok(format!("(= {post} {pre})"))
    }

    /// Is `e` a function literal `[x \in S |-> ..]`, possibly through
    /// expanded definitions?
    fn is_fn_lit(&self, e: &E) -> bool {
        match &e.kind {
            Kind::FnLit(..) => true,
            Kind::App(d, _) if self.expand.contains(d) => {
                matches!(&self.prog.def(*d).body, DefBody::Expr(b) if matches!(b.kind, Kind::FnLit(..)))
            }
            _ => false,
        }
    }

    /// `f = g` for functions as TLA+ defines it: same domain, same values
    /// on it. A function literal's values outside its domain are
    /// unspecified symbols of the literal, so comparing the arrays would
    /// also compare those and miss equalities TLA+ has (e.g. a literal and
    /// a state function that equals it on the domain).
    fn function_equality(&mut self, e: &E, a: &E, b: &E) -> Res<String> {
        let (fname, ds) = self.function_sorts(e, a)?;
        let (fa, fb) = (self.term(a)?, self.term(b)?);
        let x = self.fresh("x");
        Ok(format!(
            "(and (= (|dom_{fname}| {fa}) (|dom_{fname}| {fb})) (forall (({x} {ds})) (=> (select (|dom_{fname}| {fa}) {x}) (= (select (|app_{fname}| {fa}) {x}) (select (|app_{fname}| {fb}) {x})))))"
        ))
    }

    /// The name of the function sort of `a` and the SMT sort of its domain.
    fn function_sorts(&mut self, e: &E, a: &E) -> Res<(String, String)> {
        let fsort = self.sort_of(a)?;
        let fname = self.sorts.fun_name(&fsort);
        let Type::Fun(dom, _) = self.ty(a) else {
            return unsupported(e.span, "function equality of non-functions");
        };
        Ok((fname, self.sort(&dom, e.span)?))
    }

    /// Remember a ground equality between functions `fa = fb`: the
    /// obligation gets TLA+'s extensionality for it (see
    /// [`Encoder::extensionality_lemmas`]).
    fn note_function_pair(&mut self, e: &E, a: &E, fa: &str, fb: &str) -> Res<()> {
        if self.ground_frozen || !self.is_ground(fa) || !self.is_ground(fb) {
            return Ok(());
        }
        let (fname, ds) = self.function_sorts(e, a)?;
        let pair = FunctionPair {
            fun: fname,
            domain: ds,
            left: fa.to_string(),
            right: fb.to_string(),
        };
        if !self.function_pairs.contains(&pair) {
            self.function_pairs.push(pair);
        }
        Ok(())
    }

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

    fn subseteq(&mut self, a: &E, b: &E) -> Res<String> {
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

    fn binary(&mut self, e: &E, op: BinOp, a: &E, b: &E) -> Res<String> {
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

    /// Apply a definition: inline if expanded, otherwise an uninterpreted
    /// function of the arguments and of the state the definition reads.
    fn app(&mut self, e: &E, d: DefId, args: &[E]) -> Res<String> {
        let def = self.prog.def(d).clone();
        if let Some(why) = self.prog.ill_sorted.get(&d) {
            return unsupported(
                e.span,
                format!("definition `{}` is ill-sorted ({why})", def.name),
            );
        }
        if args.len() == 1
            && def.params.len() == 1
            && self.ty(e) == Type::Bool
            && !self.unary_predicates.contains(&d)
        {
            self.unary_predicates.push(d);
        }
        let expanded = self.expand.contains(&d) || def.origin == DefOrigin::Let;
        if def.param_arities.iter().any(|a| *a > 0) {
            return unsupported(e.span, format!("higher-order definition `{}`", def.name));
        }
        match &def.body {
            DefBody::RecFn(..) => self.rec_fn(e, d, args, expanded),
            DefBody::Expr(_)
                if expanded
                    && def.origin == DefOrigin::Module
                    && (self.ty(e) != Type::Bool
                        || self.symbolic_predicates && args.len() > def.captured) =>
            {
                self.defined_symbol(e, d, args)
            }
            DefBody::Expr(_) if expanded => {
                if self.depth > MAX_DEPTH {
                    return unsupported(
                        e.span,
                        format!("definition `{}` expands without end", def.name),
                    );
                }
                let body = subst::instantiate(self.prog, d, args).ok_or_else(|| EncodeError {
                    span: e.span,
                    message: "definition body unavailable".into(),
                })?;
                self.depth += 1;
                let r = self.term(&body);
                self.depth -= 1;
                r
            }
            DefBody::Expr(_) => self.opaque(e, d, args, "op"),
            DefBody::Pending => unsupported(e.span, "definition used before it is resolved"),
        }
    }

    /// An expanded definition with a non-Boolean value (a set, a function):
    /// the uninterpreted symbol of the hidden case plus its defining
    /// equation. Equal arguments and states then give equal values by
    /// congruence (`msgs' = msgs` when the variables are unchanged), while
    /// the equation still gives the value. Under binders, the equation is
    /// quantified over the bound variables it mentions.
    fn defined_symbol(&mut self, e: &E, d: DefId, args: &[E]) -> Res<String> {
        let sym = self.opaque(e, d, args, "op")?;
        let ground = self.free_in(&sym).is_empty();
        if ground && self.ty(e) != Type::Bool {
            let args_text = self.list(args)?.join(" ");
            let slot = self.state_pairs.entry((d, args_text)).or_default();
            if self.primed {
                slot.1 = Some(sym.clone());
            } else {
                slot.0 = Some(sym.clone());
            }
        }
        let key = if ground {
            format!("defeq {sym}")
        } else {
            format!("defax {} {}", d.0, self.primed)
        };
        if self.keyed.contains_key(&key) {
            return Ok(sym);
        }
        self.keyed.insert(key, sym.clone());
        if self.depth > MAX_DEPTH {
            return unsupported(
                e.span,
                format!("definition `{}` expands without end", self.prog.def(d).name),
            );
        }
        // A ground application gets a ground equation; otherwise one axiom
        // over the definition's own parameters, triggered by the symbol.
        let def = self.prog.def(d).clone();
        let params: Vec<E> = if ground {
            args.to_vec()
        } else {
            def.params
                .iter()
                .map(|p| {
                    std::rc::Rc::new(Expr {
                        kind: Kind::Bound(p.clone()),
                        span: e.span,
                        ty: p.ty,
                    })
                })
                .collect()
        };
        let saved = self.env.clone();
        let mut binders = String::new();
        if !ground {
            for p in &def.params {
                binders.push_str(&self.bind(p, e.span)?);
            }
        }
        let result = (|| {
            let head = self.opaque(e, d, &params, "op")?;
            let body = subst::instantiate(self.prog, d, &params).ok_or_else(|| EncodeError {
                span: e.span,
                message: "definition body unavailable".into(),
            })?;
            self.depth += 1;
            let value = self.term(&body);
            self.depth -= 1;
            Ok(format!("(= {head} {})", value?))
        })();
        self.env = saved;
        let eq = result?;
        self.axioms.push(if ground {
            eq
        } else {
            format!("(forall ({binders}) {eq})")
        });
        Ok(sym)
    }

    /// Arguments (and sorts) of the state a definition reads.
    fn state_args(&mut self, e: &E, d: DefId) -> Res<(Vec<String>, Vec<String>)> {
        let info = self.levels.def(self.prog, d);
        if info.temporal {
            return unsupported(
                e.span,
                format!("hidden temporal definition `{}`", self.prog.def(d).name),
            );
        }
        if info.action && self.primed {
            return unsupported(e.span, "a prime of an action-level definition");
        }
        let mut terms = Vec::new();
        let mut sorts = Vec::new();
        for v in &info.vars {
            let t = self.variable(*v, self.primed, e.span)?;
            let ty = self.ty_of(self.prog.vars[v.0 as usize].ty);
            sorts.push(self.sort(&ty, e.span)?);
            terms.push(t);
        }
        if info.action {
            for v in &info.vars {
                let t = self.variable(*v, true, e.span)?;
                let ty = self.ty_of(self.prog.vars[v.0 as usize].ty);
                sorts.push(self.sort(&ty, e.span)?);
                terms.push(t);
            }
        }
        Ok((terms, sorts))
    }

    fn opaque(&mut self, e: &E, d: DefId, args: &[E], prefix: &str) -> Res<String> {
        let name = format!("|{prefix}_{}|", self.prog.def(d).name);
        let mut terms = self.list(args)?;
        let mut sorts = Vec::new();
        for a in args {
            sorts.push(self.sort_of(a)?);
        }
        let (st, ss) = self.state_args(e, d)?;
        terms.extend(st);
        sorts.extend(ss);
        let rs = self.sort_of(e)?;
        if terms.is_empty() && !self.declared.contains(&name) {
            // A hidden constant-level definition: its value in a model is
            // part of the counterexample (TLAPS lets it be anything).
            let ty = self.ty(e);
            self.items.push(super::ModelItem {
                name: format!("{} (definition)", self.prog.def(d).name),
                smt: name.clone(),
                ty,
                kind: super::ItemKind::Constant,
            });
        }
        self.declare(&name, &sorts, &rs);
        Ok(if terms.is_empty() {
            name
        } else {
            format!("({name} {})", terms.join(" "))
        })
    }

    /// A (recursive) function definition `f[x \in S] == body`: a function
    /// symbol; when expanded, its domain and defining equation are axioms.
    fn rec_fn(&mut self, e: &E, d: DefId, args: &[E], expanded: bool) -> Res<String> {
        if let Some((od, g)) = &self.rec_override
            && *od == d
        {
            return Ok(g.clone());
        }
        let term = self.opaque(e, d, args, "fn")?;
        if !expanded || !self.rec_fns.insert((d, self.primed)) {
            return Ok(term);
        }
        let def = self.prog.def(d).clone();
        let DefBody::RecFn(bs, body) = &def.body else {
            unreachable!()
        };
        if bs.len() != 1 {
            return unsupported(e.span, "a function definition with several bound variables");
        }
        let saved = self.env.clone();
        let r = (|| {
            let mut binders = String::new();
            for p in &def.params {
                binders.push_str(&self.bind(p, e.span)?);
            }
            // The function applied to its own (bound) parameters.
            let params: Vec<E> = def
                .params
                .iter()
                .map(|p| {
                    std::rc::Rc::new(Expr {
                        kind: Kind::Bound(p.clone()),
                        span: e.span,
                        ty: p.ty,
                    })
                })
                .collect();
            let self_term = self.opaque(e, d, &params, "fn")?;
            let fsort = self.sort_of(e)?;
            let fname = self.sorts.fun_name(&fsort);
            let (x, set) = &bs[0];
            let xn = self.bname(x);
            let xt = self.ty_of(x.ty);
            let xs = self.sort(&xt, e.span)?;
            self.env.insert(x.id, xn.clone());
            let dom = self.set_term(set)?;
            let guard = self.member(&xn, &xt, set)?;
            let value = self.term(body)?;
            let eqs = format!(
                "(and (= (|dom_{fname}| {self_term}) {dom}) (forall (({xn} {xs})) (=> {guard} (= (select (|app_{fname}| {self_term}) {xn}) {value}))))"
            );
            // `f[x \in S] == e` means `f == CHOOSE g : g = [x \in S |-> e(g)]`:
            // when e mentions f, the equation holds only if such a g exists
            // (`f[n \in Nat] == f[n] + 1` has none). The axiom is guarded by
            // that existence, so an ill-founded definition proves nothing.
            let g = self.fresh("g");
            self.rec_override = Some((d, g.clone()));
            let value_g = self.term(body);
            self.rec_override = None;
            let value_g = value_g?;
            let eqs = if value_g == value {
                eqs
            } else if self.assume_termination {
                // The driver adds the termination obligation of `d`.
                self.recursion_used.insert(d);
                eqs
            } else {
                format!(
                    "(=> (exists (({g} {fsort})) (and (= (|dom_{fname}| {g}) {dom}) (forall (({xn} {xs})) (=> {guard} (= (select (|app_{fname}| {g}) {xn}) {value_g}))))) {eqs})"
                )
            };
            Ok(if binders.is_empty() {
                eqs
            } else {
                format!("(forall ({binders}) {eqs})")
            })
        })();
        self.env = saved;
        self.axioms.push(r?);
        Ok(term)
    }

    fn quant(&mut self, forall: bool, bs: &[(BVar, Option<E>)], body: &E) -> Res<String> {
        let (bs, body) = self.through_fields(bs, body);
        let (bs, body) = self.through_set_maps(&bs, &body);
        if bs.is_empty() {
            // Every variable was a record the body does not read.
            return self.term(&body);
        }
        let (bs, body) = (&bs[..], &body);
        // After `through_set_maps`: a witness for `\E Q \in Quorum` is then
        // one for `\E S \in ByzQuorum`, which the context may name.
        // Only outermost existentials: candidates for one nested under
        // another binder would mention terms the instance cannot see, and
        // every disjunct breaks the identity of the goal's subformulas with
        // the hypotheses' (measured on MsgsLemma).
        let witnesses = if forall || self.in_lambda > 0 || self.quant_depth > 0 {
            Vec::new()
        } else {
            self.witness_disjuncts(bs, body)?
        };
        self.quant_depth += 1;
        let q = self.plain_quant(forall, bs, body);
        self.quant_depth -= 1;
        let q = q?;
        if witnesses.is_empty() {
            return Ok(q);
        }
        Ok(format!("(or {q} {})", witnesses.join(" ")))
    }

    fn plain_quant(&mut self, forall: bool, bs: &[(BVar, Option<E>)], body: &E) -> Res<String> {
        let saved = self.env.clone();
        let r = (|| {
            let mut binders = String::new();
            let mut guards = Vec::new();
            for (v, s) in bs {
                binders.push_str(&self.bind(v, body.span)?);
                let n = self.bname(v);
                let t = self.ty_of(v.ty);
                if let Some(s) = s {
                    guards.push(self.member(&n, &t, s)?);
                }
            }
            // `\A x \in S : A => B` as `x \in S /\ A => B`: the shape of an
            // ASSUME/PROVE fact `ASSUME NEW x \in S, A PROVE B` (see
            // `Encoder::sequent`), so that a goal restating a cited
            // sequent is the same term for Z3 (measured: MsgsLemma's QED
            // timed out as `(=> (and S) (=> A B))` vs `(=> (and S A) B)`).
            let mut body = body;
            while forall && let Kind::Binary(BinOp::Implies, lhs, rhs) = &body.kind {
                guards.push(self.term(lhs)?);
                body = rhs;
            }
            let b = self.term(body)?;
            Ok(if forall {
                format!(
                    "(forall ({binders}) (=> (and true {}) {b}))",
                    guards.join(" ")
                )
            } else {
                format!("(exists ({binders}) (and {} {b}))", guards.join(" "))
            })
        })();
        self.env = saved;
        let q = r?;
        if self.abstract_quantifiers
            && self.in_lambda > 0
            && let Some(p) = self.abstract_term(&q, "Bool", false)
        {
            return Ok(p);
        }
        Ok(q)
    }

    /// Unbounded record variables read only through fields become
    /// variables for those fields (see `subst::project_fields`): Z3 then
    /// needs no record of the variable's family as a witness, which it
    /// cannot build (measured: `PICK m : bmsgs' = bmsgs \cup {mm(m)}` in
    /// the refinement of Phase2av timed out; the field `m.val` is enough).
    fn through_fields(
        &mut self,
        bs: &[(BVar, Option<E>)],
        body: &E,
    ) -> (Vec<(BVar, Option<E>)>, E) {
        let mut out = Vec::new();
        let mut body = body.clone();
        for (i, (v, dom)) in bs.iter().enumerate() {
            let later_domains_free = bs[i + 1..]
                .iter()
                .all(|(_, d)| d.as_ref().is_none_or(|d| !mentions_bound(d, v.id)));
            if dom.is_none()
                && later_domains_free
                && matches!(self.ty_of(v.ty), Type::Rec(_))
                && let Some((b, fields)) = subst::project_fields(self.prog, &body, v, &self.expand)
            {
                body = b;
                out.extend(fields.into_iter().map(|(_, x)| (x, None)));
                continue;
            }
            out.push((v.clone(), dom.clone()));
        }
        (out, body)
    }

    /// `\E x \in {e : y \in S} : P(x)` as `\E y \in S : P(e)` (and the
    /// same for `\A`), through expanded definitions such as `Quorum ==
    /// {S \cap Acceptor : S \in ByzQuorum}`: equivalent in TLA+, and Z3 then
    /// needs no witness term it would have to invent (`BQ \cap Acceptor`).
    fn through_set_maps(
        &mut self,
        bs: &[(BVar, Option<E>)],
        body: &E,
    ) -> (Vec<(BVar, Option<E>)>, E) {
        let (out, mut bodies) = self.binders_through_set_maps(bs, vec![body.clone()]);
        (out, bodies.pop().expect("one body in, one out"))
    }

    /// `ASSUME NEW x \in {e : y \in S}, H(x) PROVE G(x)` as `ASSUME NEW
    /// y \in S, H(e) PROVE G(e)`, the shape `quant` gives a goal
    /// `\A x \in {e : y \in S} : ..`. Sequents with nested sequents among
    /// their hypotheses are kept as they are.
    pub(crate) fn sequent_through_set_maps(&mut self, s: &Sequent) -> Sequent {
        let mut formulas = Vec::new();
        for h in &s.hyps {
            match h {
                Hyp::Fact(f) => formulas.push(f.clone()),
                Hyp::Sequent(..) => return s.clone(),
            }
        }
        formulas.push(s.goal.clone());
        let (news, mut formulas) = self.binders_through_set_maps(&s.news, formulas);
        let goal = formulas.pop().expect("the goal was pushed last");
        Sequent {
            news,
            hyps: formulas.into_iter().map(Hyp::Fact).collect(),
            goal,
        }
    }

    /// Binders `x \in {e : y \in S}` replaced by `y \in S`, with `x := e`
    /// in the formulas they scope over (see `through_set_maps`).
    fn binders_through_set_maps(
        &mut self,
        bs: &[(BVar, Option<E>)],
        mut formulas: Vec<E>,
    ) -> (Vec<(BVar, Option<E>)>, Vec<E>) {
        let mut out = Vec::new();
        for (i, (v, dom)) in bs.iter().enumerate() {
            let unfolded = dom.as_ref().map(|d| self.unfold_expanded(d, 0));
            let Some(Kind::SetMap(e, ys)) = unfolded.as_ref().map(|d| &d.kind) else {
                out.push((v.clone(), dom.clone()));
                continue;
            };
            let [(y, ydom)] = ys.as_slice() else {
                out.push((v.clone(), dom.clone()));
                continue;
            };
            // A later domain mentioning v would need the substitution too;
            // keep such (rare) binders as they are.
            if bs[i + 1..]
                .iter()
                .any(|(_, d)| d.as_ref().is_some_and(|d| mentions_bound(d, v.id)))
            {
                out.push((v.clone(), dom.clone()));
                continue;
            }
            let fresh = self.prog.renamed(y);
            let rename = HashMap::from([(y.id, Expr::bound(&fresh, e.span))]);
            let image = subst::subst(self.prog, e, &rename);
            let map = HashMap::from([(v.id, image)]);
            formulas = formulas
                .iter()
                .map(|f| subst::subst(self.prog, f, &map))
                .collect();
            out.push((fresh, Some(ydom.clone())));
        }
        (out, formulas)
    }

    /// `e` with expanded definitions at its head unfolded.
    pub(crate) fn unfold_expanded(&mut self, e: &E, depth: usize) -> E {
        match &e.kind {
            Kind::App(d, args) if depth < 16 && self.expand.contains(d) => {
                match crate::semantic::subst::instantiate(self.prog, *d, args) {
                    Some(b) => self.unfold_expanded(&b, depth + 1),
                    None => e.clone(),
                }
            }
            _ => e.clone(),
        }
    }

    /// Replace a quantified formula inside a set lambda by a predicate over
    /// its free variables and its ground state-dependent subterms, defined
    /// by an axiom. Two sets whose bodies differ only in such subterms (the
    /// pre- and post-state of an unchanged set) then compare by congruence,
    /// which Z3 cannot do under binders. `None` if the formula's symbols
    /// cannot all be accounted for (then it is kept as it is).
    ///
    /// Also used for set and function lambdas (`sort` is then an array
    /// sort) that read ground state-dependent terms (`require_grounds`):
    /// Z3 cannot merge two lambdas whose bodies differ only in terms it
    /// knows to be equal, but it can merge `L(G)` and `L(G')` once `G = G'`.
    fn abstract_term(&mut self, q: &str, sort: &str, require_grounds: bool) -> Option<String> {
        let a = self.abstraction(q)?;
        if a.args.is_empty() || (require_grounds && a.grounds == 0) {
            return None;
        }
        let (binders, canon) = (&a.binders, &a.canon);
        let key = format!("abstract {sort} {binders} {canon}");
        let pred = match self.keyed.get(&key) {
            Some(p) => p.clone(),
            None => {
                let p = self.fresh(if sort == "Bool" { "Q" } else { "L" });
                self.declare(&p, &a.sorts, sort);
                self.abstractions.insert(
                    p.clone(),
                    super::AbstractionUses {
                        binders: binders.clone(),
                        head: a.head.clone(),
                        body: canon.clone(),
                        ground_args: Vec::new(),
                        non_ground: false,
                    },
                );
                self.keyed.insert(key, p.clone());
                p
            }
        };
        let args = a.args.join(" ");
        let ground = self.is_ground(&args);
        if let Some(uses) = self.abstractions.get_mut(&pred) {
            if ground {
                if !uses.ground_args.contains(&a.args) {
                    uses.ground_args.push(a.args.clone());
                }
            } else {
                uses.non_ground = true;
            }
        }
        Some(format!("({pred} {args})"))
    }

    /// `q` with its free variables and maximal ground state-dependent
    /// subterms as parameters, and local names canonical (so alpha-
    /// equivalent texts coincide). `None` if some symbol of `q` cannot be
    /// accounted for.
    fn abstraction(&self, q: &str) -> Option<Abstraction> {
        let free = self.free_in(q);
        // Maximal ground applications of definition symbols, and state
        // variables: abstracted as parameters.
        let mut grounds: Vec<String> = Vec::new();
        let bytes = q.as_bytes();
        let mut i = 0;
        while i < q.len() {
            if q[i..].starts_with("(|op_") {
                let end = matching_paren(bytes, i)?;
                let app = &q[i..=end];
                if !app.contains('#') && !app.contains('!') {
                    if !grounds.iter().any(|g| g == app) {
                        grounds.push(app.to_string());
                    }
                    i = end + 1;
                    continue;
                }
            } else if q[i..].starts_with("|v_") {
                let end = q[i + 1..].find('|')? + i + 1;
                let tok = &q[i..=end];
                if !grounds.iter().any(|g| g == tok) {
                    grounds.push(tok.to_string());
                }
                i = end + 1;
                continue;
            }
            i += 1;
        }
        let mut body = q.to_string();
        let mut params = Vec::new();
        for (k, g) in grounds.iter().enumerate() {
            let sort = if let Some(name) = g.strip_prefix('(') {
                let head = &name[..name.find(' ')?];
                self.result_sorts.get(head)?.clone()
            } else {
                self.result_sorts.get(g.as_str())?.clone()
            };
            let pn = format!("|g!{k}|");
            body = body.replace(g.as_str(), &pn);
            params.push((pn, sort, g.clone()));
        }
        // Every remaining local symbol must be free (a parameter) or bound
        // inside the formula.
        let mut j = 0;
        while let Some(start) = body[j..].find('|') {
            let a = j + start;
            let b = body[a + 1..].find('|')? + a + 1;
            let tok = &body[a..=b];
            j = b + 1;
            if !(tok.contains('#') || tok.contains('!')) || tok.starts_with("|g!") {
                continue;
            }
            let bound_here =
                body.contains(&format!("(({tok} ")) || body.contains(&format!(")({tok} "));
            if !(free.iter().any(|f| f == tok) || bound_here || self.declared.contains(tok)) {
                return None;
            }
        }
        // Canonical local names, so that alpha-equivalent formulas (the
        // pre- and post-state copies of one definition) share a predicate.
        let mut rename: Vec<(String, String)> = Vec::new();
        let mut canon = String::with_capacity(body.len());
        let mut j = 0;
        while let Some(start) = body[j..].find('|') {
            let a = j + start;
            let b = body[a + 1..].find('|')? + a + 1;
            canon.push_str(&body[j..a]);
            let tok = &body[a..=b];
            let local = (tok.contains('#') || tok.contains('!'))
                && !tok.starts_with("|g!")
                && !self.declared.contains(tok);
            if local {
                let n = match rename.iter().find(|(t, _)| t == tok) {
                    Some((_, n)) => n.clone(),
                    None => {
                        let n = format!("|c!{}|", rename.len());
                        rename.push((tok.to_string(), n.clone()));
                        n
                    }
                };
                canon.push_str(&n);
            } else {
                canon.push_str(tok);
            }
            j = b + 1;
        }
        canon.push_str(&body[j..]);
        let canon_of = |t: &str| rename.iter().find(|(x, _)| x == t).map(|(_, n)| n.clone());
        let mut binders = String::new();
        let mut sorts = Vec::new();
        let mut args = Vec::new();
        let mut head = Vec::new();
        for n in &free {
            let s = self.bound_sorts.get(n)?.clone();
            let c = canon_of(n)?;
            write!(binders, "({c} {s})").unwrap();
            sorts.push(s);
            args.push(n.clone());
            head.push(c);
        }
        for (pn, s, g) in &params {
            write!(binders, "({pn} {s})").unwrap();
            sorts.push(s.clone());
            args.push(g.clone());
            head.push(pn.clone());
        }
        Some(Abstraction {
            canon,
            binders,
            sorts,
            args,
            head,
            grounds: params.len(),
        })
    }

    /// A lambda as an abstracted function of its free variables and ground
    /// state-dependent subterms when it has such subterms (see
    /// `abstract_term`), else unchanged.
    fn abstract_lambda(&mut self, lambda: String, sort: &str) -> String {
        if !self.abstract_quantifiers {
            return lambda;
        }
        self.abstract_term(&lambda, sort, true).unwrap_or(lambda)
    }

    fn result_sort_of_fn(&mut self, e: &E) -> Res<String> {
        let Type::Fun(_, rt) = self.ty(e) else {
            return unsupported(e.span, "function literal of non-function type");
        };
        self.sort(&rt, e.span)
    }

    /// Names of bound variables occurring in `text` (free in it).
    fn free_in(&self, text: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .env
            .values()
            .filter(|n| text.contains(n.as_str()) && !self.is_global(n))
            .cloned()
            .collect();
        names.sort();
        names.dedup();
        names
    }

    fn is_global(&self, name: &str) -> bool {
        self.decls_text_has(name)
    }

    fn sort_of_name(&mut self, name: &str) -> Option<String> {
        self.bound_sorts.get(name).cloned()
    }

    /// `CHOOSE x \in S : P`: a witness symbol, one per distinct expression
    /// (so equal CHOOSE expressions denote the same value), with the axiom
    /// `(\E x \in S : P) => P(witness)`.
    fn choose(&mut self, e: &E, v: &BVar, s: Option<&E>, p: &E) -> Res<String> {
        let t = self.ty_of(v.ty);
        let sort = self.sort(&t, e.span)?;
        let x = "|chv|".to_string();
        let saved = self.env.clone();
        self.env.insert(v.id, x.clone());
        let r = (|| {
            let guard = match s {
                Some(s) => self.member(&x, &t, s)?,
                None => "true".into(),
            };
            let body = self.term(p)?;
            Ok((guard, body))
        })();
        self.env = saved;
        let (guard, body) = r?;
        let key = format!("choose {sort} {guard} {body}");
        let free = self.free_in(&key);
        if let Some(f) = self.keyed.get(&key) {
            return Ok(apply_name(f, &free));
        }
        let f = self.fresh("CHOOSE");
        let mut fsorts = Vec::new();
        let mut binders = String::new();
        for n in &free {
            let s = self.sort_of_name(n).unwrap_or_else(|| "Int".into());
            write!(binders, "({n} {s})").unwrap();
            fsorts.push(s);
        }
        self.declare(&f, &fsorts, &sort);
        let witness = apply_name(&f, &free);
        let ax = format!(
            "(=> (exists (({x} {sort})) (and {guard} {body})) (let (({x} {witness})) (and {guard} {body})))"
        );
        self.axioms.push(if binders.is_empty() {
            ax
        } else {
            format!("(forall ({binders}) {ax})")
        });
        self.keyed.insert(key, f.clone());
        Ok(witness)
    }

    /// An unspecified value of `e`'s sort, the same for the same expression.
    fn keyed_unspecified(&mut self, e: &E, what: &str) -> Res<String> {
        let sort = self.sort_of(e)?;
        let key = format!("{what} {sort} {:?}", e.span);
        if let Some(f) = self.keyed.get(&key) {
            return Ok(f.clone());
        }
        let f = self.fresh(what);
        self.declare(&f, &[], &sort);
        self.keyed.insert(key, f.clone());
        Ok(f)
    }

    /// `[x \in S |-> body]`: values outside S are unspecified (a symbol of
    /// the expression and x), the domain is S.
    fn fn_lit(&mut self, e: &E, bs: &[(BVar, E)], body: &E) -> Res<String> {
        if bs.len() != 1 {
            return unsupported(e.span, "a function literal with several bound variables");
        }
        let fsort = self.sort_of(e)?;
        let fname = self.sorts.fun_name(&fsort);
        let (v, set) = &bs[0];
        let t = self.ty_of(v.ty);
        let xs = self.sort(&t, e.span)?;
        let x = self.bname(v);
        let dom = self.set_term(set)?;
        let saved = self.env.clone();
        {
            let bn = self.bname(v);
            self.bound_sorts.insert(bn, xs.clone());
        }
        self.env.insert(v.id, x.clone());
        let r = (|| {
            let guard = self.member(&x, &t, set)?;
            let val = self.term(body)?;
            Ok((guard, val))
        })();
        self.env = saved;
        let (guard, val) = r?;
        // The value outside the domain is a function of what determines the
        // expression: its free variables and ground state-dependent terms,
        // under canonical local names (so the pre- and post-state copies of
        // one definition share it, and compare by congruence).
        let text = format!("(lambda (({x} {xs})) (fnlit {guard} {val}))");
        let Type::Fun(_, rt) = self.ty(e) else {
            return unsupported(e.span, "function literal of non-function type");
        };
        let rs = self.sort(&rt, e.span)?;
        let outside = self.outside_value(&format!("fnlit {fsort}"), &text, &x, &xs, &rs);
        let lambda = format!("(lambda (({x} {xs})) (ite {guard} {val} {outside}))");
        let sort = format!("(Array {xs} {})", self.result_sort_of_fn(e)?);
        let lambda = self.abstract_lambda(lambda, &sort);
        Ok(format!("(|mk_{fname}| {lambda} {dom})"))
    }

    /// The unspecified value at `x` (sort `rs`) of the function that `text`
    /// (a lambda over `x` of sort `xs`) describes outside its domain: a
    /// symbol of the text's free variables and ground state terms, under
    /// canonical local names, so alpha-equivalent copies (pre- and
    /// post-state) share it while different functions never do.
    fn outside_value(&mut self, what: &str, text: &str, x: &str, xs: &str, rs: &str) -> String {
        let (key, free, mut sorts) = match self.abstraction(text) {
            Some(a) => (format!("{what} {} {}", a.binders, a.canon), a.args, a.sorts),
            None => {
                let key = format!("{what} {text}");
                let free = self.free_in(&key);
                let sorts = free
                    .iter()
                    .map(|n| self.sort_of_name(n).unwrap_or_else(|| "Int".into()))
                    .collect();
                (key, free, sorts)
            }
        };
        let undef = match self.keyed.get(&key) {
            Some(u) => u.clone(),
            None => {
                let u = self.fresh("outside");
                sorts.push(xs.to_string());
                self.declare(&u, &sorts, rs);
                self.keyed.insert(key, u.clone());
                u
            }
        };
        let mut args = free;
        args.push(x.to_string());
        format!("({undef} {})", args.join(" "))
    }

    fn family_sort(&mut self, r: &E) -> Res<String> {
        let s = self.sort_of(r)?;
        if !s.starts_with("|Rec") {
            return unsupported(r.span, "field access on a non-record");
        }
        Ok(s)
    }

    fn record(&mut self, e: &E, fs: &[(std::rc::Rc<str>, E)]) -> Res<String> {
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

    fn apply(&mut self, e: &E, f: &E, args: &[E]) -> Res<String> {
        match self.ty(f) {
            Type::Tuple(_) => {
                let Kind::Int(i) = args[0].kind else {
                    return unsupported(e.span, "tuple indexed by a non-literal");
                };
                let s = self.sort_of(f)?;
                let t = self.term(f)?;
                Ok(format!("(|{}_{i}| {t})", s.trim_matches('|')))
            }
            Type::Fun(..) => {
                let s = self.sort_of(f)?;
                let fname = self.sorts.fun_name(&s);
                let ft = self.term(f)?;
                let arg = self.arg_term(args, e)?;
                Ok(format!("(select (|app_{fname}| {ft}) {arg})"))
            }
            other => unsupported(e.span, format!("application of a value of type {other}")),
        }
    }

    /// One argument, or a tuple of several.
    fn arg_term(&mut self, args: &[E], e: &E) -> Res<String> {
        if args.len() == 1 {
            return self.term(&args[0]);
        }
        let ts: Vec<Type> = args.iter().map(|a| self.ty(a)).collect();
        let s = self.sort(&Type::Tuple(ts), e.span)?;
        let a = self.list(args)?;
        Ok(format!("(|mk_{}| {})", s.trim_matches('|'), a.join(" ")))
    }

    fn except(&mut self, f: &E, ups: &[ExceptUpdate]) -> Res<String> {
        let mut cur = self.term(f)?;
        let t = self.ty(f);
        for u in ups {
            cur = self.update(&cur, &t, &u.path, u, f)?;
        }
        Ok(cur)
    }

    fn update(
        &mut self,
        base: &str,
        t: &Type,
        path: &[ExceptKey],
        u: &ExceptUpdate,
        f: &E,
    ) -> Res<String> {
        let Some((first, rest)) = path.split_first() else {
            let at = self.bname(&u.at);
            let saved = self.env.clone();
            self.env.insert(u.at.id, at.clone());
            let v = self.term(&u.value);
            self.env = saved;
            return Ok(format!("(let (({at} {base})) {})", v?));
        };
        let b = self.fresh("base");
        let inner = match first {
            ExceptKey::Index(es) => {
                let Type::Fun(_, range) = t else {
                    return unsupported(f.span, "EXCEPT ![..] on a non-function");
                };
                let s = self.sort(t, f.span)?;
                let fname = self.sorts.fun_name(&s);
                let key = self.arg_term(es, f)?;
                let old = format!("(select (|app_{fname}| {b}) {key})");
                let new = self.update(&old, range, rest, u, f)?;
                // Inside the domain: the old values, `new` at `key`. Outside
                // it the values of `[f EXCEPT ...]` are unspecified, not f's
                // (TLA+ defines it as `[x \in DOMAIN f |-> ...]`): the values
                // are `except_app(stored, domain)`, which agrees with
                // `stored` on the domain and is unconstrained elsewhere.
                // Equal (values, domain) means equal TLA+ functions, whose
                // outside values must agree; nothing else is forced. It is
                // a first-order term, so E-matching still sees
                // `store(maxVVal, self, v)` inside (a lambda would hide it).
                let Type::Fun(dom_ty, _) = t else {
                    unreachable!("checked above")
                };
                let ds = self.sort(dom_ty, f.span)?;
                let rs = self.sort(range, f.span)?;
                let app_fn = format!("|except_app_{fname}|");
                let arr = format!("(Array {ds} {rs})");
                let dom_arr = format!("(Array {ds} Bool)");
                if !self.declared.contains(&app_fn) {
                    self.declare(&app_fn, &[arr.clone(), dom_arr.clone()], &arr);
                    self.axioms.push(format!(
                        "(forall ((s {arr}) (d {dom_arr}) (x {ds})) (! (=> (select d x) (= (select ({app_fn} s d) x) (select s x))) :pattern ((select ({app_fn} s d) x))))"
                    ));
                }
                format!(
                    "(|mk_{fname}| ({app_fn} (store (|app_{fname}| {b}) {key} {new}) (|dom_{fname}| {b})) (|dom_{fname}| {b}))"
                )
            }
            ExceptKey::Field(n) => {
                let Type::Rec(v) = t else {
                    return unsupported(f.span, "EXCEPT !.f on a non-record");
                };
                self.sort(t, f.span)?;
                let fam = self.sorts.family_of(&self.prog.types, *v).cloned().unwrap();
                let Some(ft) = fam.fields.get(n).cloned() else {
                    return unsupported(f.span, format!("EXCEPT on unknown field `{n}`"));
                };
                let famname = fam.sort.trim_matches('|').to_string();
                let old = format!("(|{famname}.{}| {b})", super::sorts::sanitize(n));
                let new = self.update(&old, &ft, rest, u, f)?;
                let mut acc = b.clone();
                for s in fam
                    .shapes
                    .iter()
                    .filter(|s| s.fields.iter().any(|(g, _)| g == n))
                {
                    let args: Vec<String> = s
                        .fields
                        .iter()
                        .map(|(g, _)| {
                            if g == n {
                                new.clone()
                            } else {
                                format!("(|{}_{}| {b})", s.ctor, super::sorts::sanitize(g))
                            }
                        })
                        .collect();
                    acc = format!(
                        "(ite ((_ is |mk_{}|) {b}) (|mk_{}| {}) {acc})",
                        s.ctor,
                        s.ctor,
                        args.join(" ")
                    );
                }
                acc
            }
        };
        Ok(format!("(let (({b} {base})) {inner})"))
    }

    /// A set-valued expression as an array term.
    /// `x \in set` where one of x's sort and the set's element sort is
    /// `Univ` (the other embeds into it; see `Sorts::embedding`).
    fn member_across(&mut self, x: &str, xt: &Type, elem: &Type, set: &E) -> Res<String> {
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
    fn set_term_as(&mut self, e: &E, elem: &Type) -> Res<String> {
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
                    let acc = format!("(|{}_{}| {x})", shape.ctor, super::sorts::sanitize(n));
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

    /// Is `d(args)` a set-valued definition applied to arguments without
    /// bound variables? Such an application stays a symbol (with its ground
    /// defining equation) rather than being inlined under binders: the
    /// pre- and post-state values can then be compared by congruence.
    fn is_ground_symbol(&mut self, d: DefId, args: &[E]) -> Res<bool> {
        let def = self.prog.def(d);
        if def.origin != DefOrigin::Module {
            return Ok(false);
        }
        let texts = self.list(args)?;
        Ok(self.free_in(&texts.join(" ")).is_empty())
    }

    fn inlines(&self, d: DefId) -> bool {
        let def = self.prog.def(d);
        matches!(def.body, DefBody::Expr(_))
            && def.param_arities.iter().all(|a| *a == 0)
            && (self.expand.contains(&d) || def.origin == DefOrigin::Let)
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

/// A text with its free variables and ground subterms made parameters
/// (see `Encoder::abstraction`).
struct Abstraction {
    /// The text over canonical local names and ground parameters.
    canon: String,
    /// `(name sort)` of each parameter, canonical names.
    binders: String,
    sorts: Vec<String>,
    /// The actual arguments: free variables, then ground terms.
    args: Vec<String>,
    /// The parameters' canonical names, in order.
    head: Vec<String>,
    /// How many parameters are ground terms.
    grounds: usize,
}
