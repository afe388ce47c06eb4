//! Functions: literals, application, EXCEPT, equality.

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
        let (fname, ds) = self.function_sorts(e, a)?;
        let (fa, fb) = (self.term(a)?, self.term(b)?);
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
    pub(crate) fn outside_value(
        &mut self,
        what: &str,
        text: &str,
        x: &str,
        xs: &str,
        rs: &str,
    ) -> String {
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

    pub(crate) fn result_sort_of_fn(&mut self, e: &E) -> Res<String> {
        let Type::Fun(_, rt) = self.ty(e) else {
            return unsupported(e.span, "function literal of non-function type");
        };
        self.sort(&rt, e.span)
    }

    pub(crate) fn apply(&mut self, e: &E, f: &E, args: &[E]) -> Res<String> {
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
    pub(crate) fn arg_term(&mut self, args: &[E], e: &E) -> Res<String> {
        if args.len() == 1 {
            return self.term(&args[0]);
        }
        let ts: Vec<Type> = args.iter().map(|a| self.ty(a)).collect();
        let s = self.sort(&Type::Tuple(ts), e.span)?;
        let a = self.list(args)?;
        Ok(format!("(|mk_{}| {})", s.trim_matches('|'), a.join(" ")))
    }

    pub(crate) fn except(&mut self, f: &E, ups: &[ExceptUpdate]) -> Res<String> {
        let mut cur = self.term(f)?;
        let t = self.ty(f);
        for u in ups {
            cur = self.update(&cur, &t, &u.path, u, f)?;
        }
        Ok(cur)
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
