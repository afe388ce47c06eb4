//! Ground instances of trusted library facts.
//!
//! A fact such as `FS_AddElement` (`\A S, x : IsFiniteSet(S) =>
//! IsFiniteSet(S \cup {x})`) is sent to Z3 quantified, but Z3's E-matching
//! rarely finds the instance a proof needs: the set in the goal is built by
//! a set-builder, not syntactically `S \cup {x}`. So, besides the quantified
//! fact, we add its instances at the ground terms the obligation itself
//! mentions: the sets it asks about finiteness or cardinality of, and the
//! elements it adds to sets. Instances of a true fact are true, so this is
//! sound whatever terms are chosen; it only decides what Z3 sees directly.

use super::{Encoder, Res};
use crate::semantic::ir::*;
use std::collections::BTreeSet;

/// At most this many ground instances of one library fact.
const MAX_INSTANCES: usize = 64;

impl Encoder<'_> {
    /// Is this SMT term free of bound variables?
    pub(crate) fn is_ground(&self, term: &str) -> bool {
        quoted_tokens(term).all(|t| {
            !self.bound_sorts.contains_key(t)
                || self.decls_text_has(t)
                // bound inside the term itself (a lambda's or quantifier's
                // variable)
                || term.contains(&format!("(({t} "))
                || term.contains(&format!(")({t} "))
        })
    }

    /// Remember a ground set term the obligation asks about.
    pub(crate) fn note_ground_set(&mut self, sort: &str, term: &str) {
        if !self.ground_frozen && self.is_ground(term) {
            remember(&mut self.ground_sets, sort, term);
        }
    }

    /// Remember a ground element the obligation puts into a set.
    pub(crate) fn note_ground_element(&mut self, sort: &str, term: &str) {
        if !self.ground_frozen && self.is_ground(term) {
            remember(&mut self.ground_elements, sort, term);
        }
    }

    /// Remember a set map `{e : x \in S}` without free bound variables:
    /// where image facts (`IsFiniteSet(S) => IsFiniteSet({F(x) : x \in S})`)
    /// are instantiated, with `F` the map's body.
    pub(crate) fn note_ground_map(&mut self, set: &E) {
        if self.ground_frozen {
            return;
        }
        if let Kind::SetMap(_, bs) = &set.kind
            && bs.len() == 1
            && self.ir_is_ground(set)
            && !self
                .ground_maps
                .iter()
                .any(|m| crate::obligations::same(m, set))
        {
            self.ground_maps.push(set.clone());
        }
    }

    /// No variable of `e` is bound outside it (except context constants).
    fn ir_is_ground(&self, e: &E) -> bool {
        let mut todo = vec![e];
        while let Some(e) = todo.pop() {
            if let Kind::Bound(v) = &e.kind
                && let Some(name) = self.env.get(&v.id)
                && !self.is_ground(name)
            {
                return false;
            }
            todo.extend(crate::semantic::level::children(e));
        }
        true
    }

    /// A library fact of the form `ASSUME NEW S, IsFiniteSet(S), NEW F(_)
    /// PROVE IsFiniteSet({F(x) : x \in S})` (FS_Image), instantiated at
    /// every ground set map of the obligation: `F` is second-order, so it
    /// cannot be a quantified variable for Z3. `None` if the fact has
    /// another form.
    pub(crate) fn image_instances(&mut self, st: &Sequent) -> Option<Res<Vec<String>>> {
        let [(s, None), (f, None)] = st.news.as_slice() else {
            return None;
        };
        let [Hyp::Fact(h)] = st.hyps.as_slice() else {
            return None;
        };
        let is_s = |e: &E| matches!(&e.kind, Kind::Bound(v) if v.id == s.id);
        let Kind::Builtin(Builtin::IsFiniteSet, hargs) = &h.kind else {
            return None;
        };
        let Kind::Builtin(Builtin::IsFiniteSet, gargs) = &st.goal.kind else {
            return None;
        };
        let Kind::SetMap(body, bs) = &gargs[0].kind else {
            return None;
        };
        let [(x, dom)] = bs.as_slice() else {
            return None;
        };
        let applies_f = matches!(&body.kind, Kind::OpParamApp(g, args)
            if g.id == f.id && matches!(args.as_slice(), [a] if matches!(&a.kind, Kind::Bound(y) if y.id == x.id)));
        if !(is_s(&hargs[0]) && is_s(dom) && applies_f) {
            return None;
        }
        let maps = self.ground_maps.clone();
        Some((|| {
            let mut out = Vec::new();
            for m in &maps {
                let Kind::SetMap(_, bs) = &m.kind else {
                    continue;
                };
                let domain = &bs[0].1;
                // Same node type as the fact's own `IsFiniteSet(S)` (Bool).
                let finite = |set: &E| {
                    std::rc::Rc::new(Expr {
                        kind: Kind::Builtin(Builtin::IsFiniteSet, vec![set.clone()]),
                        span: h.span,
                        ty: h.ty,
                    })
                };
                let dom_fin = self.formula(&finite(domain))?;
                let map_fin = self.formula(&finite(m))?;
                out.push(format!("(=> {dom_fin} {map_fin})"));
            }
            Ok(out)
        })())
    }

    /// A library schema with one operator parameter `P(_)` that is only
    /// applied (never mapped over a set), such as FS_Induction: instantiated
    /// with `P := LAMBDA y : Q(y)` for each one-parameter user predicate `Q`
    /// the obligation applies (e.g. a hidden `DEFINE P(S) == ...`), at the
    /// sorts `Q` fixes. `None` if the fact has no operator parameter or
    /// another shape (an image fact is `image_instances`' business).
    pub(crate) fn schema_instances(
        &mut self,
        st: &Sequent,
        span: crate::source::Span,
    ) -> Option<Vec<String>> {
        let ops: Vec<&BVar> = st
            .news
            .iter()
            .filter(|(v, dom)| dom.is_none() && self.is_op_param(st, v))
            .map(|(v, _)| v)
            .collect();
        let [op] = ops.as_slice() else {
            return None;
        };
        let op = (*op).clone();
        let args = op_param_args(st, op.id);
        if args.is_empty() || args.iter().any(|a| a.len() != 1) || maps_op_param(st, op.id) {
            return None;
        }
        let arg_ty = args[0][0].ty;
        let mut out = Vec::new();
        for d in self.unary_predicates.clone() {
            let def = self.prog.def(d).clone();
            let param = &def.params[0];
            // The schema's argument type must match the predicate's
            // parameter type; its type variables take the predicate's sorts.
            let mut assignment = std::collections::HashMap::new();
            let schema_ty = self.prog.types.resolve(arg_ty);
            let pred_ty = self.prog.types.resolve(param.ty);
            if !match_type(&self.prog.types, &schema_ty, &pred_ty, &mut assignment) {
                continue;
            }
            let y = self.prog.renamed(param);
            let var = Expr::bound(&y, span);
            let app = self.prog.mk_bool(Kind::App(d, vec![var]), span);
            let lambda = std::rc::Rc::new(Expr {
                kind: Kind::Lambda(vec![y], app.clone()),
                span,
                ty: app.ty,
            });
            // A predicate reading the state only where the schema's
            // parameter stands for its value (library schemas never prime
            // it; a user's own library module might).
            let exprs = sequent_exprs(st);
            let formulas: Vec<&E> = exprs.iter().collect();
            if !self.substitutable(&formulas, op.id, &lambda) {
                continue;
            }
            let mut map = std::collections::HashMap::new();
            map.insert(op.id, lambda);
            let inst = substitute_sequent(self.prog, st, &map);
            self.tysubst = assignment;
            let encoded = self.sequent(&inst, span);
            // Also for all values of the NEW constants (the obligation's
            // terms may be values of the universe).
            self.univ_news = true;
            let general = self.sequent(&inst, span);
            self.univ_news = false;
            self.tysubst.clear();
            out.extend(encoded);
            if let Ok(g) = general
                && !out.contains(&g)
            {
                out.push(g);
            }
        }
        Some(out)
    }

    /// Instances of `(forall binders body)` at the remembered ground terms
    /// of each binder's sort (none if some binder has no candidate).
    pub(crate) fn ground_instances(&self, binders: &[(String, String)], body: &str) -> Vec<String> {
        let mut pools: Vec<Vec<&String>> = Vec::new();
        for (_, sort) in binders {
            let pool = if sort.starts_with("(Array ") && sort.ends_with(" Bool)") {
                self.ground_sets.get(sort)
            } else {
                self.ground_elements.get(sort)
            };
            match pool {
                Some(p) if !p.is_empty() => pools.push(p.iter().collect()),
                _ => return Vec::new(),
            }
        }
        let mut out = BTreeSet::new();
        let mut choice = vec![0usize; pools.len()];
        'all: loop {
            let instance = binders
                .iter()
                .zip(&choice)
                .zip(&pools)
                .fold(body.to_string(), |acc, (((name, _), &i), pool)| {
                    replace_token(&acc, name, pool[i])
                });
            out.insert(instance);
            if out.len() >= MAX_INSTANCES {
                break;
            }
            // Next assignment, odometer order.
            for (k, pool) in pools.iter().enumerate() {
                choice[k] += 1;
                if choice[k] < pool.len() {
                    continue 'all;
                }
                choice[k] = 0;
            }
            break;
        }
        out.into_iter().collect()
    }
}

fn remember(
    pool: &mut std::collections::BTreeMap<String, BTreeSet<String>>,
    sort: &str,
    term: &str,
) {
    pool.entry(sort.to_string())
        .or_default()
        .insert(term.to_string());
}

/// The argument lists of the applications of operator parameter `id`.
fn op_param_args(st: &Sequent, id: u32) -> Vec<Vec<E>> {
    let mut out = Vec::new();
    visit(st, &mut |e| {
        if let Kind::OpParamApp(v, args) = &e.kind
            && v.id == id
        {
            out.push(args.clone());
        }
    });
    out
}

/// Is operator parameter `id` the body of a set map (`{F(x) : x \in S}`)?
fn maps_op_param(st: &Sequent, id: u32) -> bool {
    let mut found = false;
    visit(st, &mut |e| {
        found |= matches!(&e.kind, Kind::SetMap(body, _)
            if matches!(&body.kind, Kind::OpParamApp(v, _) if v.id == id));
    });
    found
}

/// Call `f` on every subexpression of a sequent.
pub(super) fn visit(st: &Sequent, f: &mut dyn FnMut(&E)) {
    let mut todo: Vec<E> = sequent_exprs(st);
    while let Some(e) = todo.pop() {
        f(&e);
        todo.extend(crate::semantic::level::children(&e).into_iter().cloned());
    }
}

/// Every formula of a sequent, nested sequents included.
pub(super) fn sequent_exprs(st: &Sequent) -> Vec<E> {
    let mut out = vec![st.goal.clone()];
    for (_, dom) in &st.news {
        out.extend(dom.iter().cloned());
    }
    for h in &st.hyps {
        match h {
            Hyp::Fact(f) => out.push(f.clone()),
            Hyp::Sequent(inner, _) => out.extend(sequent_exprs(inner)),
        }
    }
    out
}

/// The sequent with the parameters in `map` substituted (and removed from
/// its NEWs).
pub(super) fn substitute_sequent(
    prog: &mut crate::semantic::Program,
    st: &Sequent,
    map: &std::collections::HashMap<u32, E>,
) -> Sequent {
    let news = st
        .news
        .iter()
        .filter(|(v, _)| !map.contains_key(&v.id))
        .map(|(v, dom)| {
            (
                v.clone(),
                dom.as_ref()
                    .map(|d| crate::semantic::subst::subst(prog, d, map)),
            )
        })
        .collect();
    let hyps = st
        .hyps
        .iter()
        .map(|h| match h {
            Hyp::Fact(f) => Hyp::Fact(crate::semantic::subst::subst(prog, f, map)),
            Hyp::Sequent(inner, sp) => Hyp::Sequent(substitute_sequent(prog, inner, map), *sp),
        })
        .collect();
    Sequent {
        news,
        hyps,
        goal: crate::semantic::subst::subst(prog, &st.goal, map),
    }
}

/// Match a type with variables against a concrete type, extending
/// `assignment`; false on a mismatch.
fn match_type(
    store: &crate::types::TypeStore,
    pattern: &crate::types::Type,
    concrete: &crate::types::Type,
    assignment: &mut std::collections::HashMap<TyVar, crate::types::Type>,
) -> bool {
    use crate::types::Type;
    match (pattern, concrete) {
        (Type::Var(v), c) => {
            let v = store.find(*v);
            match assignment.get(&v) {
                Some(prev) => prev == c,
                None => {
                    assignment.insert(v, c.clone());
                    true
                }
            }
        }
        (Type::Set(a), Type::Set(b)) => match_type(store, a, b, assignment),
        (Type::Fun(a1, b1), Type::Fun(a2, b2)) => {
            match_type(store, a1, a2, assignment) && match_type(store, b1, b2, assignment)
        }
        (Type::Tuple(xs), Type::Tuple(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .zip(ys)
                    .all(|(x, y)| match_type(store, x, y, assignment))
        }
        (a, b) => a == b,
    }
}

/// The `|...|`-quoted symbols of an SMT term.
fn quoted_tokens(term: &str) -> impl Iterator<Item = &str> {
    let mut rest = term;
    std::iter::from_fn(move || {
        let start = rest.find('|')?;
        let len = rest[start + 1..].find('|')?;
        let token = &rest[start..start + len + 2];
        rest = &rest[start + len + 2..];
        Some(token)
    })
}

/// Replace the quoted symbol `name` (which includes its bars, so it cannot
/// match inside another symbol) by `term`.
pub(crate) fn replace_token(text: &str, name: &str, term: &str) -> String {
    debug_assert!(name.starts_with('|') && name.ends_with('|'));
    text.replace(name, term)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_tokens_are_found_in_order() {
        let t: Vec<&str> = quoted_tokens("(f |a#1| (g |b!2| c) |d|)").collect();
        assert_eq!(t, vec!["|a#1|", "|b!2|", "|d|"]);
    }

    #[test]
    fn replacement_respects_symbol_boundaries() {
        assert_eq!(
            replace_token("(p |S#3| |S#30|)", "|S#3|", "X"),
            "(p X |S#30|)"
        );
    }
}
