//! Definitions: inlined when expanded, uninterpreted symbols of their
//! arguments and the state they read when hidden, recursive functions.

use super::super::{EncodeError, Encoder, Res, unsupported};
use super::*;
use crate::semantic::ir::*;
use crate::semantic::subst;
use crate::types::Type;

impl Encoder<'_> {
    /// Apply a definition: inline if expanded, otherwise an uninterpreted
    /// function of the arguments and of the state the definition reads.
    pub(crate) fn app(&mut self, e: &E, d: DefId, args: &[E]) -> Res<String> {
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
    pub(crate) fn state_args(&mut self, e: &E, d: DefId) -> Res<(Vec<String>, Vec<String>)> {
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

    pub(crate) fn opaque(&mut self, e: &E, d: DefId, args: &[E], prefix: &str) -> Res<String> {
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
            self.items.push(super::super::ModelItem {
                name: format!("{} (definition)", self.prog.def(d).name),
                smt: name.clone(),
                ty,
                kind: super::super::ItemKind::Constant,
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
}
