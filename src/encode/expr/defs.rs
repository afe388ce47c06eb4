//! Definitions: inlined when expanded, uninterpreted symbols of their
//! arguments and the state they read when hidden, recursive functions.

use super::super::{EncodeError, Encoder, Res, unsupported};
use super::*;
use crate::semantic::ir::*;
use crate::semantic::subst;
use crate::types::Type;

/// An operator's signature: its argument sorts and its result sort.
type Signature = (Vec<Type>, Type);

impl Encoder<'_> {
    /// Apply a definition: inline if expanded, otherwise an uninterpreted
    /// function of the arguments and of the state the definition reads.
    pub(crate) fn app(&mut self, e: &E, d: DefId, args: &[E]) -> Res<String> {
        let def = self.prog.def(d).clone();
        let higher_order = def.param_arities.iter().any(|a| *a > 0);
        let expanded = self.is_expanded(d);
        if higher_order {
            // Operator arguments are LAMBDAs: an expanded definition is
            // instantiated (beta-reduced); a hidden one is a function of
            // its operator arguments' keys (see `operator_args`).
            if expanded && matches!(def.body, DefBody::Expr(_)) {
                return self.inline(e, d, args);
            }
            return if self.ty(e) != Type::Bool
                && self.formula_def(d, super::super::synth::FORMULA_DEPTH)
            {
                self.hidden_formula_value(e, d, args)
            } else {
                self.opaque(e, d, args, "op")
            };
        }
        let t = self.ty(e);
        if t == Type::Bool {
            self.note_unary_predicate(d, args);
        }
        // A definition that primes a parameter is substitution, not a
        // function of the argument's value: inline it (or, hidden, give
        // the symbol the primed arguments too, see `opaque`).
        let leibniz = !self.levels.primed_params(self.prog, d).contains(&true);
        match &def.body {
            DefBody::RecFn(..) => self.rec_fn(e, d, args, expanded),
            DefBody::Expr(_)
                if expanded
                    && leibniz
                    && def.origin == DefOrigin::Module
                    && (t != Type::Bool
                        || self.symbolic_predicates && args.len() > def.captured) =>
            {
                self.defined_symbol(e, d, args)
            }
            DefBody::Expr(_) if expanded => self.inline(e, d, args),
            DefBody::Expr(_) if self.formula_def(d, super::super::synth::FORMULA_DEPTH) => {
                self.hidden_formula_value(e, d, args)
            }
            DefBody::Expr(_) => self.opaque(e, d, args, "op"),
            DefBody::Pending => unsupported(e.span, "definition used before it is resolved"),
        }
    }

    /// A hidden formula used as a value: a value of the universe whose
    /// truth is the formula's (see `hidden_truth`).
    fn hidden_formula_value(&mut self, e: &E, d: DefId, args: &[E]) -> Res<String> {
        let truth = self.hidden_truth(e)?;
        let value = self.opaque(e, d, args, "val")?;
        let tr = self.u_true(e.span)?;
        let link = format!("(= {truth} (= {value} {tr}))");
        let free = self.free_in(&link);
        let key = format!("truth link {link}");
        if let std::collections::hash_map::Entry::Vacant(slot) = self.keyed.entry(key) {
            slot.insert(String::new());
            let mut binders = String::new();
            for n in &free {
                let s = self.bound_sorts.get(n).cloned().unwrap_or_default();
                binders.push_str(&format!("({n} {s})"));
            }
            self.axioms.push(if free.is_empty() {
                link
            } else {
                format!("(forall ({binders}) (! {link} :pattern ({value})))")
            });
        }
        Ok(value)
    }

    /// The body of definition `d` with `args` substituted (operator
    /// arguments beta-reduced), encoded in place of the application `e`.
    fn inline(&mut self, e: &E, d: DefId, args: &[E]) -> Res<String> {
        if self.depth > MAX_DEPTH {
            let name = &self.prog.def(d).name;
            return unsupported(e.span, format!("definition `{name}` expands without end"));
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

    /// The truth of a hidden definition whose body is a formula: a Boolean
    /// symbol of its arguments and state.
    pub(crate) fn hidden_truth(&mut self, e: &E) -> Res<String> {
        match &e.kind {
            Kind::Unary(crate::syntax::ast::UnOp::Prime, inner) => {
                if self.primed {
                    return unsupported(e.span, "a prime inside a primed expression");
                }
                self.primed = true;
                let r = self.hidden_truth(inner);
                self.primed = false;
                r
            }
            Kind::App(d, args) => {
                self.note_unary_predicate(*d, args);
                self.opaque_as(e, *d, args, "op", "Bool")
            }
            Kind::OpParamApp(..) => {
                let t = self.ty(e);
                let x = self.term(e)?;
                if t == Type::Bool {
                    return Ok(x);
                }
                // A value used as a formula: true where it is TRUE.
                let u = self.univ_of(&x, &t, e.span)?;
                let tr = self.u_true(e.span)?;
                Ok(format!("(= {u} {tr})"))
            }
            _ => unsupported(e.span, "not a hidden definition"),
        }
    }

    /// Remember a predicate with one parameter applied in the obligation:
    /// where the operator parameter of an induction schema is instantiated.
    fn note_unary_predicate(&mut self, d: DefId, args: &[E]) {
        if args.len() == 1
            && self.prog.def(d).params.len() == 1
            && self.prog.def(d).param_arities.iter().all(|a| *a == 0)
            && !self.unary_predicates.contains(&d)
        {
            self.unary_predicates.push(d);
        }
    }

    /// An expanded definition with a non-Boolean value (a set, a function):
    /// the uninterpreted symbol of the hidden case plus its defining
    /// equation. Equal arguments and states then give equal values by
    /// congruence (`msgs' = msgs` when the variables are unchanged), while
    /// the equation still gives the value. Under binders, the equation is
    /// quantified over the bound variables it mentions.
    pub(crate) fn defined_symbol(&mut self, e: &E, d: DefId, args: &[E]) -> Res<String> {
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
            let restriction: Vec<String> = args
                .iter()
                .map(|a| match self.known_set_of(a) {
                    Some(s) => format!("{:?}", s.span),
                    None => "-".into(),
                })
                .collect();
            let head = sym.split(' ').next().unwrap_or("").to_string();
            format!(
                "defax {} {} {head} {}",
                d.0,
                self.primed,
                restriction.join(",")
            )
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
        let mark = self.local_members.len();
        let mut binders = String::new();
        let mut guards = Vec::new();
        if !ground {
            // The axiom holds for all values of the parameters; it is
            // stated for the sorts of this application's arguments (a
            // weaker fact), and for the sets the arguments are known to be
            // in, so that the body sees the same facts as the application.
            for (p, a) in def.params.iter().zip(args) {
                let t = self.ty(a);
                self.bvar_types.insert(p.id, t.clone());
                binders.push_str(&self.bind(p, e.span)?);
                if let Some(s) = self.known_set_of(a) {
                    let n = self.bname(p);
                    guards.push(self.member(&n, &t, &s)?);
                    self.push_member(p, &s);
                }
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
        self.local_members.truncate(mark);
        self.env = saved;
        let eq = result?;
        self.axioms.push(if ground {
            eq
        } else if guards.is_empty() {
            format!("(forall ({binders}) {eq})")
        } else {
            format!("(forall ({binders}) (=> (and {}) {eq}))", guards.join(" "))
        });
        Ok(sym)
    }

    /// Arguments (and their sorts) of the state a definition reads.
    pub(crate) fn state_args(&mut self, e: &E, d: DefId) -> Res<(Vec<String>, Vec<Type>)> {
        let info = self.levels.def(self.prog, d);
        if info.temporal {
            // A hidden temporal formula is a truth about the one behavior
            // the obligation speaks of: an unknown function of its
            // arguments (any such function is possible, so what holds for
            // all of them holds for the behavior's).
            if self.primed {
                return unsupported(
                    e.span,
                    format!(
                        "a prime of the temporal definition `{}`",
                        self.prog.def(d).name
                    ),
                );
            }
            return Ok((Vec::new(), Vec::new()));
        }
        if info.action && self.primed {
            return unsupported(e.span, "a prime of an action-level definition");
        }
        let mut terms = Vec::new();
        let mut types = Vec::new();
        let states: &[bool] = if info.action {
            &[false, true]
        } else {
            &[false]
        };
        for &post in states {
            for v in &info.vars {
                let primed = post || self.primed;
                terms.push(self.variable(*v, primed, e.span)?);
                types.push(self.var_type(*v, primed));
            }
        }
        Ok((terms, types))
    }

    pub(crate) fn opaque(&mut self, e: &E, d: DefId, args: &[E], prefix: &str) -> Res<String> {
        let rs = self.sort_of(e)?;
        self.opaque_as(e, d, args, prefix, &rs)
    }

    /// The uninterpreted symbol of `d` applied to `args` (and to the state
    /// `d` reads, and to the primed arguments of parameters `d` primes),
    /// with result sort `rs`. One symbol per signature.
    pub(crate) fn opaque_as(
        &mut self,
        e: &E,
        d: DefId,
        args: &[E],
        prefix: &str,
        rs: &str,
    ) -> Res<String> {
        if self.prog.def(d).param_arities.iter().any(|a| *a > 0) {
            return self.opaque_higher_order(e, d, args, prefix, rs);
        }
        let base = format!("{prefix}_{}", self.def_symbol(d));
        let mut terms = self.list(args)?;
        let mut types: Vec<Type> = args.iter().map(|a| self.ty(a)).collect();
        let primed = self.levels.primed_params(self.prog, d);
        for (a, p) in args.iter().zip(&primed) {
            if *p {
                if self.primed {
                    return unsupported(a.span, "a prime inside a primed expression");
                }
                self.primed = true;
                let t = self.term(a);
                let ty = self.ty(a);
                self.primed = false;
                terms.push(t?);
                types.push(ty);
            }
        }
        self.applied_symbol(e, d, &base, terms, types, rs, true)
    }

    /// The symbol `base` of definition `d` applied to `terms` (of `types`)
    /// and to the state `d` reads, with result sort `rs`; declared at its
    /// signature. A constant one may be listed as a model item (`item`).
    #[allow(clippy::too_many_arguments)]
    fn applied_symbol(
        &mut self,
        e: &E,
        d: DefId,
        base: &str,
        mut terms: Vec<String>,
        mut types: Vec<Type>,
        rs: &str,
        item: bool,
    ) -> Res<String> {
        let (st, stypes) = self.state_args(e, d)?;
        terms.extend(st);
        types.extend(stypes);
        let result = if rs == "Bool" { Type::Bool } else { self.ty(e) };
        let mut sorts = Vec::new();
        for t in &types {
            sorts.push(self.sort(t, e.span)?);
        }
        let name = self.signature_name(base, &types, &result);
        if item && terms.is_empty() && !self.declared.contains(&name) {
            // A hidden constant-level definition: its value in a model is
            // part of the counterexample (TLAPS lets it be anything).
            self.items.push(super::super::ModelItem {
                name: format!("{} (definition)", self.prog.def(d).name),
                smt: name.clone(),
                ty: result.clone(),
                kind: super::super::ItemKind::Constant,
                bvar: None,
                def: Some(d),
            });
        }
        self.declare(&name, &sorts, rs);
        Ok(if terms.is_empty() {
            name
        } else {
            format!("({name} {})", terms.join(" "))
        })
    }

    /// `opaque_as` for a definition with operator parameters: one symbol
    /// per key of the operator arguments (see `operator_args`).
    fn opaque_higher_order(
        &mut self,
        e: &E,
        d: DefId,
        args: &[E],
        prefix: &str,
        rs: &str,
    ) -> Res<String> {
        if self.levels.primed_params(self.prog, d).contains(&true) {
            let name = self.prog.def(d).name.clone();
            return unsupported(e.span, format!("hidden `{name}` primes a parameter"));
        }
        let app = self.operator_application(e, d, args)?;
        let next = self.operator_keys.len();
        let k = *self.operator_keys.entry(app.key).or_insert(next);
        let base = format!("{prefix}_{}${k}", self.def_symbol(d));
        // No model item: the definition's value differs per operator.
        self.applied_symbol(e, d, &base, app.terms, app.types, rs, false)
    }

    /// The part of definition `d`'s symbols that names it: its TLA+ name
    /// made a legal symbol (see `names::mangle`), with `~k` added if
    /// another definition of the obligation has the same name. Distinct
    /// definitions must not share a symbol: a LET `f[n \in Nat] == ...`
    /// and a proof's `DEFINE f[n \in Nat] == ...` would otherwise get
    /// both defining equations on one symbol.
    fn def_symbol(&mut self, d: DefId) -> String {
        if let Some(s) = self.def_symbols.get(&d) {
            return s.clone();
        }
        let plain = super::super::names::mangle(&self.prog.def(d).name).into_owned();
        let mut name = plain.clone();
        let mut k = 1;
        while !self.def_symbols_taken.insert(name.clone()) {
            k += 1;
            name = format!("{plain}~{k}");
        }
        self.def_symbols.insert(d, name.clone());
        name
    }

    /// The SMT name of symbol `base` at a signature: `|base|` for the
    /// first signature met, `|base@k|` for others (the same definition
    /// applied to arguments of other sorts; see `signature_links`).
    fn signature_name(&mut self, base: &str, args: &[Type], result: &Type) -> String {
        let sig = (args.to_vec(), result.clone());
        let known = self.signatures.entry(base.to_string()).or_default();
        let k = match known.iter().position(|s| *s == sig) {
            Some(k) => k,
            None => {
                known.push(sig);
                known.len() - 1
            }
        };
        signature_symbol(base, k)
    }

    /// One hidden definition applied to arguments of several sorts is one
    /// TLA+ operator: each signature's symbol equals a symbol over the
    /// universe at the arguments' images (so that `P(S)` for a set `S` of
    /// integers and `P(s)` for a value `s` of the universe agree when `s` is
    /// the image of `S`).
    pub(crate) fn signature_links(&mut self, span: crate::source::Span) -> Res<Vec<String>> {
        let mut out = Vec::new();
        let bases: Vec<(String, Vec<Signature>)> = self
            .signatures
            .iter()
            .filter(|(_, sigs)| sigs.len() > 1)
            .map(|(b, s)| (b.clone(), s.clone()))
            .collect();
        for (base, sigs) in bases {
            let boolean = sigs.iter().all(|(_, r)| *r == Type::Bool);
            // A formula's truth and a value are not the same thing: link
            // only signatures of one kind.
            if !boolean && sigs.iter().any(|(_, r)| *r == Type::Bool) {
                continue;
            }
            let rsort = if boolean {
                "Bool"
            } else {
                super::super::univ::UNIV
            };
            let arity = sigs[0].0.len();
            let canonical = format!("|{base}@U|");
            self.declare(
                &canonical,
                &vec![super::super::univ::UNIV.to_string(); arity],
                rsort,
            );
            for (k, (args, result)) in sigs.iter().enumerate() {
                let sym = signature_symbol(&base, k);
                let mut binders = String::new();
                let mut vars = Vec::new();
                let mut images = Vec::new();
                for (i, t) in args.iter().enumerate() {
                    let v = format!("x{i}");
                    let s = self.sort(t, span)?;
                    binders.push_str(&format!("({v} {s})"));
                    images.push(self.univ_of(&v, t, span)?);
                    vars.push(v);
                }
                let (head, image_call) = if arity == 0 {
                    (sym.clone(), canonical.clone())
                } else {
                    (
                        format!("({sym} {})", vars.join(" ")),
                        format!("({canonical} {})", images.join(" ")),
                    )
                };
                let value = if boolean {
                    head.clone()
                } else {
                    self.univ_of(&head, result, span)?
                };
                let eq = format!("(= {value} {image_call})");
                out.push(if arity == 0 {
                    eq
                } else {
                    format!("(forall ({binders}) (! {eq} :pattern ({head})))")
                });
            }
        }
        Ok(out)
    }

    /// A set the term `a` is known to be in, with no variable bound
    /// locally (so that it can restrict an axiom's parameter).
    fn known_set_of(&mut self, a: &E) -> Option<E> {
        if !matches!(a.kind, Kind::Bound(_)) {
            return None;
        }
        let key = self.primed_form(a, self.primed);
        let candidates: Vec<E> = self
            .local_members
            .iter()
            .chain(self.facts.member.iter())
            .filter(|(x, _)| crate::obligations::same(x, &key))
            .map(|(_, s)| s.clone())
            .collect();
        candidates.into_iter().find(|s| self.closed_in_context(s))
    }

    /// Does `s` mention no bound variable but the obligation's context
    /// constants?
    fn closed_in_context(&self, s: &E) -> bool {
        let mut todo = vec![s];
        while let Some(x) = todo.pop() {
            if let Kind::Bound(v) = &x.kind {
                match self.env.get(&v.id) {
                    Some(n) if self.is_ground(n) => {}
                    _ => return false,
                }
            }
            if matches!(x.kind, Kind::Unary(crate::syntax::ast::UnOp::Prime, _)) {
                return false;
            }
            todo.extend(crate::semantic::level::children(x));
        }
        true
    }

    /// A (recursive) function definition `f[x \in S] == body`: a function
    /// symbol; when expanded, its domain and defining equation are axioms.
    pub(crate) fn rec_fn(&mut self, e: &E, d: DefId, args: &[E], expanded: bool) -> Res<String> {
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
            let Type::Fun(xt, range) = self.ty(e) else {
                return unsupported(e.span, "a recursive function of non-function sort");
            };
            let xs = self.sort(&xt, e.span)?;
            self.env.insert(x.id, xn.clone());
            self.bvar_types.insert(x.id, (*xt).clone());
            self.bound_sorts.insert(xn.clone(), xs.clone());
            let dom = self.set_term_as(set, &xt)?;
            let guard = self.member(&xn, &xt, set)?;
            let value = self.term_as(body, &range)?;
            let eqs = format!(
                "(and (= (|dom_{fname}| {self_term}) {dom}) (forall (({xn} {xs})) (=> {guard} (= (select (|app_{fname}| {self_term}) {xn}) {value}))))"
            );
            // `f[x \in S] == e` means `f == CHOOSE g : g = [x \in S |-> e(g)]`:
            // when e mentions f, the equation holds only if such a g exists
            // (`f[n \in Nat] == f[n] + 1` has none). The axiom is guarded by
            // that existence, so an ill-founded definition proves nothing.
            let g = self.fresh("g");
            // Bound (by the existential below): what mentions it is no
            // ground term (no definition axiom may be stated for it).
            self.bound_sorts.insert(g.clone(), fsort.clone());
            self.lambda_vars += 1;
            let key = u32::MAX - self.lambda_vars;
            self.env.insert(key, g.clone());
            self.rec_override = Some((d, g.clone()));
            let value_g = self.term_as(body, &range);
            self.rec_override = None;
            self.env.remove(&key);
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
}

/// The SMT name of signature `k` of symbol `base`.
fn signature_symbol(base: &str, k: usize) -> String {
    if k == 0 {
        format!("|{base}|")
    } else {
        format!("|{base}@{k}|")
    }
}
