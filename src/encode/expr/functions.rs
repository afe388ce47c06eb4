//! Functions: literals, application, EXCEPT, DOMAIN, equality.
//!
//! A term of a function sort is a TLA+ function with a domain of the
//! domain sort. `f[x]` has the range sort where `x` is shown to be in
//! `DOMAIN f` (or the range sort is flexible, see `synth`); otherwise it is
//! the universe's `U.app`, which agrees with `f` on its domain and leaves
//! every other application unspecified. `[f EXCEPT ...]` of a value of the
//! universe is a function with `f`'s domain, defined by its values.

use super::super::univ::{UNIV, UOp};
use super::super::{Encoder, FunctionPair, Res, unsupported};
use crate::semantic::ir::*;
use crate::types::Type;

impl Encoder<'_> {
    /// Is `e` a function literal `[x \in S |-> ..]`, possibly through
    /// expanded definitions?
    pub(crate) fn is_fn_lit(&self, e: &E) -> bool {
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
    pub(crate) fn function_equality(&mut self, e: &E, a: &E, b: &E) -> Res<String> {
        for (lit, other) in [(a, b), (b, a)] {
            if let Some(l) = self.fn_lit_of(lit)
                && let Kind::FnLit(bs, body) = &l.kind
                && bs.len() == 1
            {
                return self.equal_to_literal(e, other, &bs[0], body);
            }
        }
        let (fa, fb) = (self.term(a)?, self.term(b)?);
        self.extensional_equality(e, a, &fa, &fb)
    }

    /// A function literal's membership guard and value at its variable
    /// `v \in set`, named `x` of sort `xs`; `t` and `rt` are the domain and
    /// range types.
    fn literal_at(
        &mut self,
        v: &BVar,
        set: &E,
        body: &E,
        (t, rt): (&Type, &Type),
        (x, xs): (&str, &str),
    ) -> Res<(String, String)> {
        let saved = self.env.clone();
        self.bound_sorts.insert(x.to_string(), xs.to_string());
        self.bvar_types.insert(v.id, t.clone());
        self.env.insert(v.id, x.to_string());
        let mark = self.local_members.len();
        self.push_member(v, set);
        let r = (|| {
            let guard = self.member(x, t, set)?;
            let val = self.term_as(body, rt)?;
            Ok((guard, val))
        })();
        self.local_members.truncate(mark);
        self.env = saved;
        r
    }

    /// The literal that `e` is, through expanded definitions.
    fn fn_lit_of(&mut self, e: &E) -> Option<E> {
        match &e.kind {
            Kind::FnLit(..) => Some(e.clone()),
            Kind::App(d, args) if self.expand.contains(d) => {
                let body = crate::semantic::subst::instantiate(self.prog, *d, args)?;
                self.fn_lit_of(&body)
            }
            _ => None,
        }
    }

    /// `f = [x \in S |-> body]` as `DOMAIN f = S /\ \A x \in S : f[x] = body`
    /// (TLA+'s function equality with the literal's values read off). The
    /// literal as a term would put its values behind `mk` and a lambda, and
    /// Z3 then often fails to meet the two quantifiers at a common point
    /// (measured: `Init => Inv` with `pc = [p \in 0 .. N-1 |-> "a"]` and a
    /// goal `\E i \in 0 .. N-1 : pc[i] # "Done"` timed out; read off, 0.01 s).
    fn equal_to_literal(&mut self, e: &E, f: &E, (v, set): &(BVar, E), body: &E) -> Res<String> {
        let ft = self.ty(f);
        let Type::Fun(t, rt) = &ft else {
            return unsupported(e.span, "function equality of non-functions");
        };
        let (fname, xs) = self.function_sorts(e, f)?;
        let ff = self.term(f)?;
        let dom = self.set_term_as(set, t)?;
        let x = self.bname(v);
        let (guard, val) = self.literal_at(v, set, body, (t, rt), (&x, &xs))?;
        Ok(format!(
            "(and (= (|dom_{fname}| {ff}) {dom}) (forall (({x} {xs})) (=> {guard} (= (select (|app_{fname}| {ff}) {x}) {val}))))"
        ))
    }

    /// `fa = fb` for terms of `a`'s function sort, spelled out as TLA+
    /// defines it (same domain, same values on it). In the intended model
    /// of a function sort (its elements are TLA+ functions, see `sorts`)
    /// this is Z3's `=`; written out, its negation gives Z3 the point where
    /// two functions differ.
    pub(crate) fn extensional_equality(&mut self, e: &E, a: &E, fa: &str, fb: &str) -> Res<String> {
        let (fname, ds) = self.function_sorts(e, a)?;
        let x = self.fresh("x");
        Ok(format!(
            "(and (= (|dom_{fname}| {fa}) (|dom_{fname}| {fb})) (forall (({x} {ds})) (=> (select (|dom_{fname}| {fa}) {x}) (= (select (|app_{fname}| {fa}) {x}) (select (|app_{fname}| {fb}) {x})))))"
        ))
    }

    /// The name of the function sort of `a` and the SMT sort of its domain.
    pub(crate) fn function_sorts(&mut self, e: &E, a: &E) -> Res<(String, String)> {
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
    pub(crate) fn note_function_pair(&mut self, e: &E, a: &E, fa: &str, fb: &str) -> Res<()> {
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

    /// `[x \in S |-> body]`: values outside S are unspecified (a symbol of
    /// the expression and x), the domain is S.
    pub(crate) fn fn_lit(&mut self, e: &E, bs: &[(BVar, E)], body: &E) -> Res<String> {
        if bs.len() != 1 {
            return unsupported(e.span, "a function literal with several bound variables");
        }
        let ft = self.ty(e);
        let Type::Fun(t, rt) = &ft else {
            return unsupported(e.span, "function literal of non-function sort");
        };
        let fsort = self.sort(&ft, e.span)?;
        let fname = self.sorts.fun_name(&fsort);
        let (v, set) = &bs[0];
        let xs = self.sort(t, e.span)?;
        let x = self.bname(v);
        let dom = self.set_term_as(set, t)?;
        let (guard, val) = self.literal_at(v, set, body, (t, rt), (&x, &xs))?;
        // The value outside the domain is a function of what determines the
        // expression: its free variables and ground state-dependent terms,
        // under canonical local names (so the pre- and post-state copies of
        // one definition share it, and compare by congruence).
        let text = format!("(lambda (({x} {xs})) (fnlit {guard} {val}))");
        let rs = self.sort(rt, e.span)?;
        let outside =
            self.outside_value(&format!("fnlit {fsort}"), &text, (&x, &xs), &rs, e.span)?;
        let lambda = format!("(lambda (({x} {xs})) (ite {guard} {val} {outside}))");
        let sort = format!("(Array {xs} {rs})");
        let lambda = self.abstract_lambda(lambda, &sort);
        Ok(format!("(|mk_{fname}| {lambda} {dom})"))
    }

    /// The unspecified value at `x` (sort `rs`) of the function that `text`
    /// (a lambda over `x` of sort `xs`) describes outside its domain: a
    /// symbol of the text's free variables and ground state terms, under
    /// canonical local names, so alpha-equivalent copies (pre- and
    /// post-state) share it while different functions never do.
    pub(crate) fn outside_value(
        &mut self,
        what: &str,
        text: &str,
        (x, xs): (&str, &str),
        rs: &str,
        span: crate::source::Span,
    ) -> Res<String> {
        let (key, free, mut sorts) = match self.abstraction(text) {
            Some(a) => (format!("{what} {} {}", a.binders, a.canon), a.args, a.sorts),
            None => {
                let free = self.free_in(text);
                let sorts = self.free_sorts(&free, span)?;
                // As for CHOOSE: the free names' sorts are part of the key;
                // the text's own binders under canonical names, so
                // alpha-equivalent literals share the value.
                let canon = crate::encode::canonical::canonical_binders(text);
                let key = format!("{what} {canon} {}", sorts.join(" "));
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
        Ok(format!("({undef} {})", args.join(" ")))
    }

    pub(crate) fn apply(&mut self, e: &E, f: &E, args: &[E]) -> Res<String> {
        let t = self.ty(e);
        match self.ty(f) {
            Type::Tuple(ts) => {
                if let [a] = args
                    && let Kind::Int(i) = a.kind
                    && i >= 1
                    && (i as usize) <= ts.len()
                {
                    let s = self.sort_of(f)?;
                    let ft = self.term(f)?;
                    return Ok(format!("(|{}_{i}| {ft})", s.trim_matches('|')));
                }
            }
            Type::Fun(a, b) if *b == t && *a == self.arg_type(args) => {
                let s = self.sort_of(f)?;
                let fname = self.sorts.fun_name(&s);
                let ft = self.term(f)?;
                let arg = self.arg_term(args, e)?;
                return Ok(format!("(select (|app_{fname}| {ft}) {arg})"));
            }
            Type::Rec(_) => {
                if let [a] = args
                    && let Kind::Str(n) = &a.kind
                {
                    return self.field(e, f, n);
                }
            }
            _ => {}
        }
        let fu = self.univ(f)?;
        let arg = self.arg_term(args, e)?;
        let at = self.arg_type(args);
        let au = self.univ_of(&arg, &at, e.span)?;
        let app = self.u_op(UOp::App);
        let u = format!("({app} {fu} {au})");
        if t == Type::Univ {
            return Ok(u);
        }
        self.absorb(&u, &t, e.span)
    }

    /// The sort of an argument list: one argument's, or a tuple's.
    fn arg_type(&mut self, args: &[E]) -> Type {
        if args.len() == 1 {
            return self.ty(&args[0]);
        }
        Type::Tuple(args.iter().map(|a| self.ty(a)).collect())
    }

    /// One argument, or a tuple of several.
    pub(crate) fn arg_term(&mut self, args: &[E], e: &E) -> Res<String> {
        if args.len() == 1 {
            return self.term(&args[0]);
        }
        let ts: Vec<Type> = args.iter().map(|a| self.ty(a)).collect();
        let s = self.sort(&Type::Tuple(ts), e.span)?;
        let a = self.list(args)?;
        Ok(format!("(|mk_{}| {})", s.trim_matches('|'), a.join(" ")))
    }

    pub(crate) fn except(&mut self, e: &E, f: &E, ups: &[ExceptUpdate]) -> Res<String> {
        let t = self.ty(f);
        if self.ty(e) != t || !matches!(t, Type::Fun(..) | Type::Rec(_)) {
            return self.univ_except(e, f, ups);
        }
        let mut cur = self.term(f)?;
        for u in ups {
            cur = self.update(&cur, &t, &u.path, u, f)?;
        }
        Ok(cur)
    }

    /// `[f EXCEPT ![k] = v, ...]` in the universe: the function with `f`'s
    /// domain whose value at `k` is `v` (if `k` is in the domain) and `f`'s
    /// elsewhere (`[x \in DOMAIN f |-> IF x = k THEN v ELSE f[x]]`).
    fn univ_except(&mut self, e: &E, f: &E, ups: &[ExceptUpdate]) -> Res<String> {
        let mut cur = self.univ(f)?;
        for u in ups {
            cur = self.univ_update(&cur, &u.path, u, e)?;
        }
        Ok(cur)
    }

    fn univ_update(
        &mut self,
        base: &str,
        path: &[ExceptKey],
        u: &ExceptUpdate,
        e: &E,
    ) -> Res<String> {
        let Some((first, rest)) = path.split_first() else {
            let at = self.bname(&u.at);
            let saved = self.env.clone();
            self.env.insert(u.at.id, at.clone());
            self.bvar_types.insert(u.at.id, Type::Univ);
            self.bound_sorts.insert(at.clone(), UNIV.to_string());
            let v = self.univ(&u.value);
            self.env = saved;
            return Ok(format!("(let (({at} {base})) {})", v?));
        };
        let key = match first {
            ExceptKey::Index(es) => {
                let arg = self.arg_term(es, e)?;
                let at = self.arg_type(es);
                self.univ_of(&arg, &at, e.span)?
            }
            ExceptKey::Field(n) => {
                let lit = self.string_lit(n);
                self.univ_of(&lit, &Type::Str, e.span)?
            }
        };
        let app = self.u_op(UOp::App);
        let old = format!("({app} {base} {key})");
        let new = self.univ_update(&old, rest, u, e)?;
        Ok(self.u_except(base, &key, &new))
    }

    /// `DOMAIN f`.
    pub(crate) fn domain(&mut self, e: &E, a: &E) -> Res<String> {
        match self.ty(a) {
            Type::Fun(..) => {
                let s = self.sort_of(a)?;
                let f = self.term(a)?;
                Ok(format!("(|dom_{}| {f})", self.sorts.fun_name(&s)))
            }
            Type::Tuple(ts) => {
                let keys: Vec<String> = (1..=ts.len()).map(|i| i.to_string()).collect();
                Ok(super::super::univ::literal_set("Int", &keys))
            }
            Type::Rec(v) => {
                let sort = self.sort_of(a)?;
                let r = self.term(a)?;
                let Some(fam) = self.sorts.family_of(&self.prog.types, v).cloned() else {
                    return unsupported(e.span, "DOMAIN of a record of unknown shape");
                };
                let _ = sort;
                let mut acc: Option<String> = None;
                for shape in fam.shapes.iter().rev() {
                    let keys: Vec<String> = shape
                        .fields
                        .iter()
                        .map(|(n, _)| self.string_lit(n))
                        .collect();
                    let set = super::super::univ::literal_set("Str", &keys);
                    acc = Some(match acc {
                        None => set,
                        Some(rest) => {
                            format!("(ite ((_ is |mk_{}|) {r}) {set} {rest})", shape.ctor)
                        }
                    });
                }
                acc.ok_or_else(|| super::super::EncodeError {
                    span: e.span,
                    message: "DOMAIN of a record of no known shape".into(),
                })
            }
            _ => {
                let u = self.univ(a)?;
                let dom = self.u_op(UOp::Dom);
                Ok(format!("({dom} {u})"))
            }
        }
    }

    pub(crate) fn update(
        &mut self,
        base: &str,
        t: &Type,
        path: &[ExceptKey],
        u: &ExceptUpdate,
        f: &E,
    ) -> Res<String> {
        let Some((first, rest)) = path.split_first() else {
            let at = self.bname(&u.at);
            // `@` is bound (by the `let` below) at the sort of the value
            // it replaces; symbols made inside the new value (a CHOOSE
            // witness, a CASE) take it as an argument of that sort.
            let at_sort = self.sort(t, f.span)?;
            let saved = self.env.clone();
            self.env.insert(u.at.id, at.clone());
            self.bvar_types.insert(u.at.id, t.clone());
            self.bound_sorts.insert(at.clone(), at_sort);
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
                let old = format!("(|{famname}.{}| {b})", super::super::sorts::sanitize(n));
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
                                format!("(|{}_{}| {b})", s.ctor, super::super::sorts::sanitize(g))
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
}
