//! Sets: membership (specialised on the form of the set), set terms,
//! subset, the builtins of FiniteSets.
//!
//! `x \in S` is Boolean for every value `x` and `S` in TLA+. Where `x`'s sort
//! is the element sort of `S`'s, membership is an array read or the
//! specialised formula of `S`'s form; across sorts it goes through the
//! universe: `x` is in a set of sort `T` only if it is the image of a `T`
//! value, and a value of the universe used as a set is read with `U.mem`.

use super::super::univ::UOp;
use super::super::{EncodeError, Encoder, Res, unsupported};
use crate::semantic::ir::*;
use crate::semantic::subst;
use crate::syntax::ast::{BinOp, UnOp};
use crate::types::Type;

use super::super::synth::elem;

impl Encoder<'_> {
    /// `x \in S`. `A \in SUBSET T` is encoded as `A \subseteq T`, so that
    /// both spellings give the same formula (Z3 then sees one atom).
    pub(crate) fn in_set(&mut self, x: &E, set: &E) -> Res<String> {
        if let Kind::Unary(UnOp::Subset, t) = &set.kind
            && matches!(self.ty(x), Type::Set(_))
        {
            return self.subseteq(x, t);
        }
        let term = self.term(x)?;
        let t = self.ty(x);
        self.member(&term, &t, set)
    }

    pub(crate) fn subseteq(&mut self, a: &E, b: &E) -> Res<String> {
        let el = elem(&self.ty(a));
        if matches!(self.unfold_expanded(a, 0).kind, Kind::SetMap(..)) {
            // `{f(r) : r \in S} \subseteq B` as `\A y \in {..} : y \in B`,
            // which `quant` turns into `\A r \in S : f(r) \in B`: the
            // membership `y \in {f(r) : ..}` is an existential whose `y` no
            // E-matching pattern can bind.
            let y = self.prog.fresh_bvar_of("y", el.clone());
            let ye = Expr::bound(&y, a.span);
            let inb = self
                .prog
                .mk_bool(Kind::Binary(BinOp::In, ye, b.clone()), a.span);
            return self.quant(true, &[(y, Some(a.clone()))], &inb);
        }
        let s = self.sort(&el, a.span)?;
        let y = self.fresh("y");
        self.bound_sorts.insert(y.clone(), s.clone());
        let ma = self.member(&y, &el, a)?;
        let mb = self.member(&y, &el, b)?;
        Ok(format!("(forall (({y} {s})) (=> {ma} {mb}))"))
    }

    /// The array of `e`'s elements of sort `el` (a set of another element
    /// sort, or a value of the universe, read at sort `el`).
    pub(crate) fn set_term_as(&mut self, e: &E, el: &Type) -> Res<String> {
        if self.ty(e) == Type::Set(Box::new(el.clone())) {
            return self.set_term(e);
        }
        let u = self.fresh("u");
        let sort = self.sort(el, e.span)?;
        self.bound_sorts.insert(u.clone(), sort.clone());
        let m = self.member(&u, el, e)?;
        let lambda = format!("(lambda (({u} {sort})) {m})");
        // Named as a function of its free variables (`T` in the view
        // `lambda u. u \in T` of a quantified `T`): Z3 cannot E-match a
        // pattern through a lambda's body, so a quantified fact about
        // `P(T \cup {x})` never fires on a ground `T0 \cup {x0}`, while
        // `P(view(T) \cup ..)` matches `P(view(T0) \cup ..)`.
        if !self.abstract_quantifiers {
            return Ok(lambda);
        }
        let array = format!("(Array {sort} Bool)");
        Ok(self.abstract_term(&lambda, &array, false).unwrap_or(lambda))
    }

    /// A set-valued expression of a set sort as an array term.
    pub(crate) fn set_term(&mut self, e: &E) -> Res<String> {
        let t = self.ty(e);
        let Type::Set(el) = &t else {
            return unsupported(e.span, format!("a set expression of sort {t}"));
        };
        self.seen_set_types.insert((**el).clone());
        let es = self.sort(el, e.span)?;
        match &e.kind {
            Kind::SetEnum(items) => {
                let mut acc = format!("((as const (Array {es} Bool)) false)");
                for x in items {
                    let item = self.term_as(x, el)?;
                    self.note_ground_element(&es, &item);
                    acc = format!("(store {acc} {item} true)");
                }
                Ok(acc)
            }
            Kind::Binary(BinOp::Cup, a, b) => Ok(format!(
                "((_ map or) {} {})",
                self.set_term_as(a, el)?,
                self.set_term_as(b, el)?
            )),
            Kind::Binary(BinOp::Cap, a, b) => Ok(format!(
                "((_ map and) {} {})",
                self.set_term_as(a, el)?,
                self.set_term_as(b, el)?
            )),
            Kind::Binary(BinOp::SetMinus, a, b) => Ok(format!(
                "((_ map and) {} ((_ map not) {}))",
                self.set_term_as(a, el)?,
                self.set_term_as(b, el)?
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
                let m = self.member(&x, el, e);
                self.in_lambda -= 1;
                self.env.remove(&key);
                let lambda = format!("(lambda (({x} {es})) {})", m?);
                Ok(self.abstract_lambda(lambda, &format!("(Array {es} Bool)")))
            }
            _ => self.term(e),
        }
    }

    /// A set construct whose operands are not all typed (`a..b` of values
    /// that may not be numbers): its value in the universe.
    pub(crate) fn univ_set(&mut self, e: &E) -> Res<String> {
        match &e.kind {
            Kind::Binary(BinOp::Range, a, b) => {
                let (ua, ub) = (self.univ(a)?, self.univ(b)?);
                let r = self.u_op(UOp::Range);
                Ok(format!("({r} {ua} {ub})"))
            }
            _ => unsupported(e.span, "a set construct of values outside every sort"),
        }
    }

    /// `x \in set`, for a term `x` of sort `xt`, specialised on the form of
    /// `set`.
    pub(crate) fn member(&mut self, x: &str, xt: &Type, set: &E) -> Res<String> {
        self.seen_set_types.insert(xt.clone());
        let sp = set.span;
        match &set.kind {
            Kind::SetEnum(items) => {
                let mut parts = Vec::new();
                let es = self.sort(xt, sp)?;
                for i in items {
                    let it = self.ty(i);
                    let item = self.term(i)?;
                    if it == *xt {
                        self.note_ground_element(&es, &item);
                    }
                    parts.push(self.equal_terms(x, xt, &item, &it, sp)?);
                }
                Ok(format!("(or false {})", parts.join(" ")))
            }
            Kind::SetFilter(v, s, p) => {
                let m = self.member(x, xt, s)?;
                // The filter's variable takes the element sort of `s` when
                // `x` is (then) its image; otherwise `x`'s own sort.
                let st = elem(&self.ty(s));
                let (val, vt) = if st == *xt || st == Type::Univ {
                    let v = self.univ_if(x, xt, &st, sp)?;
                    (v, st)
                } else {
                    let u = self.univ_of(x, xt, sp)?;
                    (self.of_univ(&u, &st, sp)?, st)
                };
                let n = self.bname(v);
                let saved = self.env.clone();
                self.env.insert(v.id, n.clone());
                self.bvar_types.insert(v.id, vt.clone());
                let vs = self.sort(&vt, sp)?;
                self.bound_sorts.insert(n.clone(), vs);
                let body = self.formula(p);
                self.env = saved;
                Ok(format!("(and {m} (let (({n} {val})) {}))", body?))
            }
            Kind::SetMap(body, bs) => {
                self.note_ground_map(set);
                let saved = self.env.clone();
                let mark = self.local_members.len();
                let r = (|| {
                    let mut binders = String::new();
                    let mut guards = Vec::new();
                    for (v, s) in bs {
                        let t = elem(&self.ty(s));
                        self.bvar_types.insert(v.id, t.clone());
                        binders.push_str(&self.bind(v, sp)?);
                        let n = self.bname(v);
                        guards.push(self.member(&n, &t, s)?);
                        self.push_member(v, s);
                    }
                    let bt = self.ty(body);
                    let b = self.term(body)?;
                    let eq = self.equal_terms(x, xt, &b, &bt, sp)?;
                    Ok(format!(
                        "(exists ({binders}) (and {} {eq}))",
                        guards.join(" ")
                    ))
                })();
                self.local_members.truncate(mark);
                self.env = saved;
                r
            }
            Kind::NatSet => match xt {
                Type::Int => Ok(format!("(>= {x} 0)")),
                _ => {
                    let u = self.univ_of(x, xt, sp)?;
                    let is = self.is_of(&u, &Type::Int, sp)?;
                    let i = self.of_univ(&u, &Type::Int, sp)?;
                    Ok(format!("(and {is} (>= {i} 0))"))
                }
            },
            Kind::IntSet | Kind::BoolSet | Kind::StringSet => {
                let t = elem(&self.ty(set));
                if t == *xt {
                    return Ok("true".into());
                }
                let u = self.univ_of(x, xt, sp)?;
                self.is_of(&u, &t, sp)
            }
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
            Kind::Binary(BinOp::Range, lo, hi)
                if self.ty(lo) == Type::Int && self.ty(hi) == Type::Int =>
            {
                let (l, h) = (self.term(lo)?, self.term(hi)?);
                if *xt == Type::Int {
                    return Ok(format!("(and (<= {l} {x}) (<= {x} {h}))"));
                }
                let u = self.univ_of(x, xt, sp)?;
                let is = self.is_of(&u, &Type::Int, sp)?;
                let i = self.of_univ(&u, &Type::Int, sp)?;
                Ok(format!("(and {is} (<= {l} {i}) (<= {i} {h}))"))
            }
            Kind::Unary(UnOp::Subset, s) => {
                // Every element of x is in s (x is a set: every value is).
                let (y, yt, inx) = self.element_of(x, xt, sp)?;
                let m = self.member(&y, &yt, s)?;
                let ys = self.sort(&yt, sp)?;
                Ok(format!("(forall (({y} {ys})) (=> {inx} {m}))"))
            }
            Kind::Unary(UnOp::Union, ss) => {
                // Some element of ss has x as an element.
                let inner = elem(&self.ty(ss));
                let sort = self.sort(&inner, sp)?;
                let y = self.fresh("y");
                self.bound_sorts.insert(y.clone(), sort.clone());
                let m = self.member(&y, &inner, ss)?;
                let inside = self.value_member(x, xt, &y, &inner, sp)?;
                Ok(format!("(exists (({y} {sort})) (and {m} {inside}))"))
            }
            Kind::FnSet(a, b) => self.member_fn_set(x, xt, a, b, sp),
            Kind::RecordSet(fs) => self.member_record_set(x, xt, fs, sp),
            Kind::Product(ss) => self.member_product(x, xt, ss, sp),
            Kind::If(c, a, b) => Ok(format!(
                "(ite {} {} {})",
                self.formula(c)?,
                self.member(x, xt, a)?,
                self.member(x, xt, b)?
            )),
            Kind::Let(_, body) => self.member(x, xt, body),
            Kind::App(d, args) if self.inlines(*d) && !self.is_ground_symbol(*d, args)? => {
                if self.depth > super::MAX_DEPTH {
                    return unsupported(sp, "definition expands without end");
                }
                let body = subst::instantiate(self.prog, *d, args).ok_or_else(|| EncodeError {
                    span: sp,
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
            _ => {
                let st = self.ty(set);
                let s = self.term(set)?;
                self.value_member(x, xt, &s, &st, sp)
            }
        }
    }

    /// `x \in s` for terms `x` of sort `xt` and `s` of sort `st`.
    pub(crate) fn value_member(
        &mut self,
        x: &str,
        xt: &Type,
        s: &str,
        st: &Type,
        sp: crate::source::Span,
    ) -> Res<String> {
        if let Type::Set(_) = st {
            let sort = self.sort(st, sp)?;
            self.note_ground_set(&sort, s);
        }
        match st {
            Type::Set(el) if **el == *xt => Ok(format!("(select {s} {x})")),
            Type::Set(el) if **el == Type::Univ => {
                let u = self.univ_of(x, xt, sp)?;
                Ok(format!("(select {s} {u})"))
            }
            Type::Set(el) => {
                let u = self.univ_of(x, xt, sp)?;
                let is = self.is_of(&u, el, sp)?;
                let v = self.of_univ(&u, el, sp)?;
                Ok(format!("(and {is} (select {s} {v}))"))
            }
            _ => {
                let u = self.univ_of(x, xt, sp)?;
                let su = self.univ_of(s, st, sp)?;
                let mem = self.u_op(UOp::Mem);
                Ok(format!("({mem} {u} {su})"))
            }
        }
    }

    /// A fresh variable `y` ranging over the elements of the value `x` (of
    /// sort `xt`): its name, sort and the formula `y \in x`.
    fn element_of(
        &mut self,
        x: &str,
        xt: &Type,
        sp: crate::source::Span,
    ) -> Res<(String, Type, String)> {
        let yt = elem(xt);
        let y = self.fresh("y");
        let ys = self.sort(&yt, sp)?;
        self.bound_sorts.insert(y.clone(), ys);
        let inx = self.value_member(&y, &yt, x, xt, sp)?;
        Ok((y, yt, inx))
    }

    /// `x` as a term of sort `to`, which is `x`'s own sort or the universe.
    fn univ_if(&mut self, x: &str, xt: &Type, to: &Type, sp: crate::source::Span) -> Res<String> {
        if xt == to {
            Ok(x.to_string())
        } else {
            self.univ_of(x, xt, sp)
        }
    }

    /// `x \in [a -> b]`: a function with domain `a` and values in `b`.
    fn member_fn_set(
        &mut self,
        x: &str,
        xt: &Type,
        a: &E,
        b: &E,
        sp: crate::source::Span,
    ) -> Res<String> {
        let at = elem(&self.ty(a));
        if let Type::Fun(dt, rt) = xt
            && **dt == at
        {
            let s = self.sort(xt, sp)?;
            let fname = self.sorts.fun_name(&s);
            let ds = self.sort(dt, sp)?;
            let dom = self.set_term_as(a, dt)?;
            let y = self.fresh("y");
            self.bound_sorts.insert(y.clone(), ds.clone());
            let inb = self.member(&format!("(select (|app_{fname}| {x}) {y})"), rt, b)?;
            return Ok(format!(
                "(and (= (|dom_{fname}| {x}) {dom}) (forall (({y} {ds})) (=> (select {dom} {y}) {inb})))"
            ));
        }
        // Any other value: through the universe.
        let u = self.univ_of(x, xt, sp)?;
        let (isfcn, dom, app) = (
            self.u_op(UOp::IsFcn),
            self.u_op(UOp::Dom),
            self.u_op(UOp::App),
        );
        let da = self.univ(a)?;
        let y = self.fresh("y");
        self.bound_sorts
            .insert(y.clone(), super::super::univ::UNIV.to_string());
        let iny = self.value_member(&y, &Type::Univ, &format!("({dom} {u})"), &Type::Univ, sp)?;
        let inb = self.member(&format!("({app} {u} {y})"), &Type::Univ, b)?;
        self.note_univ_pair(&format!("({dom} {u})"), &da);
        Ok(format!(
            "(and ({isfcn} {u}) (= ({dom} {u}) {da}) (forall (({y} {})) (=> {iny} {inb})))",
            super::super::univ::UNIV
        ))
    }

    /// `x \in [f1 : S1, ...]`.
    fn member_record_set(
        &mut self,
        x: &str,
        xt: &Type,
        fs: &[(std::rc::Rc<str>, E)],
        sp: crate::source::Span,
    ) -> Res<String> {
        if let Type::Rec(v) = xt {
            self.sort(xt, sp)?;
            let fam = self.sorts.family_of(&self.prog.types, *v).cloned();
            if let Some(fam) = fam
                && let Some(shape) = fam.shape_with(fs.iter().map(|(n, _)| &**n))
            {
                let mut parts = vec![format!("((_ is |mk_{}|) {x})", shape.ctor)];
                for (n, s) in fs {
                    let ft = fam.fields.get(n).cloned().unwrap_or(Type::Univ);
                    let acc = format!(
                        "(|{}_{}| {x})",
                        shape.ctor,
                        super::super::sorts::sanitize(n)
                    );
                    parts.push(self.member(&acc, &ft, s)?);
                }
                return Ok(format!("(and {})", parts.join(" ")));
            }
            return Ok("false".into());
        }
        let u = self.univ_of(x, xt, sp)?;
        let mut keys = Vec::new();
        let mut parts = Vec::new();
        let app = self.u_op(UOp::App);
        // Field names in name order: the same set term as a record's
        // domain (see `Encoder::u_record`).
        let mut fs: Vec<&(std::rc::Rc<str>, E)> = fs.iter().collect();
        fs.sort_by(|a, b| a.0.cmp(&b.0));
        let names: Vec<&str> = fs.iter().map(|(n, _)| &**n).collect();
        for (n, s) in fs {
            let lit = self.string_lit(n);
            keys.push(lit.clone());
            let k = self.univ_of(&lit, &Type::Str, sp)?;
            parts.push(self.member(&format!("({app} {u} {k})"), &Type::Univ, s)?);
        }
        // The universe's record of these fields, declared for its
        // extensionality axiom: a member `m` bound by a quantifier is then
        // known to be `[bal |-> m.bal, ...]` (see `Encoder::u_record`).
        self.u_record_symbol(&names, sp)?;
        self.function_with_domain(&u, "Str", &keys, parts, sp)
    }

    /// `x \in S1 \X ... \X Sn`.
    fn member_product(
        &mut self,
        x: &str,
        xt: &Type,
        ss: &[E],
        sp: crate::source::Span,
    ) -> Res<String> {
        if let Type::Tuple(ts) = xt
            && ts.len() == ss.len()
        {
            let s = self.sort(xt, sp)?;
            let mut parts = Vec::new();
            for (i, (st, t)) in ss.iter().zip(ts).enumerate() {
                let acc = format!("(|{}_{}| {x})", s.trim_matches('|'), i + 1);
                parts.push(self.member(&acc, t, st)?);
            }
            return Ok(format!("(and true {})", parts.join(" ")));
        }
        let u = self.univ_of(x, xt, sp)?;
        let app = self.u_op(UOp::App);
        let mut keys = Vec::new();
        let mut parts = Vec::new();
        for (i, s) in ss.iter().enumerate() {
            let k = (i + 1).to_string();
            keys.push(k.clone());
            let ku = self.univ_of(&k, &Type::Int, sp)?;
            parts.push(self.member(&format!("({app} {u} {ku})"), &Type::Univ, s)?);
        }
        self.function_with_domain(&u, "Int", &keys, parts, sp)
    }

    /// "`u` is a function with the finite domain `keys` (constants of sort
    /// `key_sort`) and `parts` hold".
    fn function_with_domain(
        &mut self,
        u: &str,
        key_sort: &str,
        keys: &[String],
        mut parts: Vec<String>,
        sp: crate::source::Span,
    ) -> Res<String> {
        let (isfcn, dom) = (self.u_op(UOp::IsFcn), self.u_op(UOp::Dom));
        let set = super::super::univ::literal_set(key_sort, keys);
        let kt = if key_sort == "Int" {
            Type::Int
        } else {
            Type::Str
        };
        let set = self.univ_of(&set, &Type::Set(Box::new(kt)), sp)?;
        parts.push(format!("({isfcn} {u})"));
        parts.push(format!("(= ({dom} {u}) {set})"));
        self.note_univ_pair(&format!("({dom} {u})"), &set);
        Ok(format!("(and {})", parts.join(" ")))
    }

    /// `IsFiniteSet(s)` and `Cardinality(s)`. On a finite set literal or
    /// interval, their values are facts of the FiniteSets module and are
    /// stated along.
    pub(crate) fn builtin(&mut self, e: &E, b: Builtin, s: &E) -> Res<String> {
        let sp = e.span;
        let st = self.ty(s);
        let Type::Set(el) = &st else {
            let u = self.univ(s)?;
            let op = match b {
                Builtin::IsFiniteSet => UOp::Finite,
                Builtin::Cardinality => UOp::Card,
            };
            let name = self.u_op(op);
            return Ok(format!("({name} {u})"));
        };
        let set_sort = self.sort(&st, sp)?;
        self.seen_set_types.insert((**el).clone());
        let st_text = self.set_term(s)?;
        self.note_ground_set(&set_sort, &st_text);
        let finite = self.builtin_symbol("IsFiniteSet", &set_sort, "Bool");
        let card = self.builtin_symbol("Cardinality", &set_sort, "Int");
        self.literal_cardinality(s, &st_text, el, &finite, &card)?;
        match b {
            Builtin::IsFiniteSet => Ok(format!("({finite} {st_text})")),
            Builtin::Cardinality if self.ty(e) == Type::Int => Ok(format!("({card} {st_text})")),
            Builtin::Cardinality => {
                let u = self.univ_of(&st_text, &st, sp)?;
                let name = self.u_op(UOp::Card);
                Ok(format!("({name} {u})"))
            }
        }
    }

    /// For a set literal `{a1, ..., an}`: it is finite, and its cardinality
    /// counts the elements distinct from the ones before them. For an
    /// interval `a..b`: finite, with `b - a + 1` elements if `a <= b`.
    fn literal_cardinality(
        &mut self,
        s: &E,
        text: &str,
        el: &Type,
        finite: &str,
        card: &str,
    ) -> Res<()> {
        let key = format!("literal cardinality {text}");
        if !self.free_in(text).is_empty() || self.keyed.contains_key(&key) {
            return Ok(());
        }
        self.keyed.insert(key, String::new());
        let u = self.unfold_expanded(s, 0);
        match &u.kind {
            Kind::SetEnum(items) => {
                let mut terms = Vec::new();
                for i in items {
                    terms.push(self.term_as(i, el)?);
                }
                let mut count = vec!["0".to_string()];
                for (k, t) in terms.iter().enumerate() {
                    let earlier: Vec<String> =
                        terms[..k].iter().map(|p| format!("(= {t} {p})")).collect();
                    count.push(format!("(ite (or false {}) 0 1)", earlier.join(" ")));
                }
                self.axioms.push(format!("({finite} {text})"));
                self.axioms
                    .push(format!("(= ({card} {text}) (+ {}))", count.join(" ")));
            }
            Kind::Binary(BinOp::Range, a, b)
                if self.ty(a) == Type::Int && self.ty(b) == Type::Int =>
            {
                let (a, b) = (self.term(a)?, self.term(b)?);
                self.axioms.push(format!("({finite} {text})"));
                self.axioms.push(format!(
                    "(= ({card} {text}) (ite (<= {a} {b}) (+ (- {b} {a}) 1) 0))"
                ));
            }
            _ => {}
        }
        Ok(())
    }

    /// Is `d(args)` a set-valued definition applied to arguments without
    /// bound variables? Such an application stays a symbol (with its ground
    /// defining equation) rather than being inlined under binders: the
    /// pre- and post-state values can then be compared by congruence.
    pub(crate) fn is_ground_symbol(&mut self, d: DefId, args: &[E]) -> Res<bool> {
        let def = self.prog.def(d);
        if def.origin != DefOrigin::Module {
            return Ok(false);
        }
        let texts = self.list(args)?;
        Ok(self.free_in(&texts.join(" ")).is_empty())
    }

    pub(crate) fn inlines(&self, d: DefId) -> bool {
        let def = self.prog.def(d);
        matches!(def.body, DefBody::Expr(_))
            && def.param_arities.iter().all(|a| *a == 0)
            && (self.expand.contains(&d) || def.origin == DefOrigin::Let)
    }

    /// Remember that `x` ranges over `s` while its binder's body is encoded
    /// (see `justify::known_member`).
    pub(crate) fn push_member(&mut self, v: &BVar, s: &E) {
        let x = Expr::bound(v, s.span);
        let primed = self.primed;
        let s = self.primed_form(s, primed);
        self.local_members.push((x, s));
    }
}
