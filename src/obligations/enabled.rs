//! `ENABLED A` for Z3: the existential over `A`'s primed variables
//! (TLAPS's `ExpandENABLED`). `ENABLED A` holds in a state iff some next
//! state makes `A` true; a next state is any assignment of values to the
//! variables, so `ENABLED A` is `\E b1, ..., bk : A[x1' := b1, ...]` once
//! every prime of `A` is on a variable. That needs `A`'s definitions
//! expanded: an `ENABLED` whose action still applies a hidden definition
//! that reads the next state (or a hidden state function under a prime) is
//! left as it is, and the encoder reports it UNSUPPORTED.

use crate::semantic::ir::*;
use crate::semantic::level::Levels;
use crate::semantic::program::Program;
use crate::semantic::subst;
use crate::syntax::ast::{BinOp, UnOp};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

/// Definitions nested deeper than this are not expanded.
const MAX_DEPTH: usize = 32;

/// `e` with its `ENABLED` subformulas (found through the Boolean structure
/// and the definitions it may expand) replaced by existentials; `None` if
/// there is none to replace.
pub fn expand(prog: &mut Program, e: &E, defs: &BTreeSet<DefId>) -> Option<E> {
    if !mentions_enabled(prog, e, defs, 0) {
        return None;
    }
    Some(formula(prog, e, defs, 0))
}

fn mentions_enabled(prog: &Program, e: &E, defs: &BTreeSet<DefId>, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match &e.kind {
        Kind::Unary(UnOp::Enabled, _) => true,
        Kind::App(d, args) => {
            args.iter()
                .any(|a| mentions_enabled(prog, a, defs, depth + 1))
                || (expandable(prog, *d, defs)
                    && matches!(&prog.def(*d).body,
                        DefBody::Expr(b) if mentions_enabled(prog, b, defs, depth + 1)))
        }
        _ => crate::semantic::level::children(e)
            .into_iter()
            .any(|c| mentions_enabled(prog, c, defs, depth)),
    }
}

fn expandable(prog: &Program, d: DefId, defs: &BTreeSet<DefId>) -> bool {
    (defs.contains(&d) || prog.def(d).origin == DefOrigin::Let) && !prog.recursive_ops.contains(&d)
}

fn mk(prog: &mut Program, kind: Kind, like: &E) -> E {
    prog.mk_bool(kind, like.span)
}

/// Rewrite the `ENABLED`s of a formula, through its Boolean structure.
fn formula(prog: &mut Program, e: &E, defs: &BTreeSet<DefId>, depth: usize) -> E {
    let kind = match &e.kind {
        Kind::Unary(UnOp::Enabled, a) => {
            return enabled(prog, a, defs).unwrap_or_else(|| e.clone());
        }
        k if is_boolean_structure(k) => {
            map_boolean_structure(k, &mut |x| formula(prog, x, defs, depth))
        }
        Kind::App(d, args) if depth < MAX_DEPTH && expandable(prog, *d, defs) => {
            if !mentions_enabled(prog, e, defs, 0) {
                return e.clone();
            }
            return match subst::instantiate(prog, *d, args) {
                Some(body) => formula(prog, &body, defs, depth + 1),
                None => e.clone(),
            };
        }
        _ => return e.clone(),
    };
    mk(prog, kind, e)
}

/// A node of Boolean structure: connective, quantifier or IF.
fn is_boolean_structure(k: &Kind) -> bool {
    matches!(
        k,
        Kind::Unary(UnOp::Not, _)
            | Kind::And(_)
            | Kind::Or(_)
            | Kind::Binary(BinOp::And | BinOp::Or | BinOp::Implies | BinOp::Equiv, ..)
            | Kind::If(..)
            | Kind::Forall(..)
            | Kind::Exists(..)
    )
}

/// A node of Boolean structure rebuilt with `f` applied to its parts (an
/// IF's condition included).
fn map_boolean_structure(k: &Kind, f: &mut dyn FnMut(&E) -> E) -> Kind {
    match k {
        Kind::Unary(op, a) => Kind::Unary(*op, f(a)),
        Kind::And(xs) => Kind::And(xs.iter().map(&mut *f).collect()),
        Kind::Or(xs) => Kind::Or(xs.iter().map(&mut *f).collect()),
        Kind::Binary(op, a, b) => {
            let a = f(a);
            Kind::Binary(*op, a, f(b))
        }
        Kind::If(c, t, g) => {
            let (c, t) = (f(c), f(t));
            Kind::If(c, t, f(g))
        }
        Kind::Forall(bs, body) => Kind::Forall(bs.clone(), f(body)),
        Kind::Exists(bs, body) => Kind::Exists(bs.clone(), f(body)),
        other => other.clone(),
    }
}

/// `ENABLED a` as an existential, or `None` if `a` cannot be opened up.
fn enabled(prog: &mut Program, a: &E, defs: &BTreeSet<DefId>) -> Option<E> {
    let opened = action(prog, a, defs, 0);
    if !primes_only_variables(prog, &opened, false, &mut Levels::default()) {
        return None;
    }
    let pushed = subst::push_primes(prog, &opened, false);
    let mut primed: BTreeMap<VarId, ()> = BTreeMap::new();
    collect_primed(&pushed, &mut primed);
    let mut map = HashMap::new();
    let mut binders = Vec::new();
    for v in primed.keys() {
        let decl = &prog.vars[v.0 as usize];
        let (name, ty) = (format!("{}'", decl.name), decl.ty);
        let b = prog.fresh_bvar_of(&name, prog.types.resolve(ty));
        map.insert(*v, Expr::bound(&b, a.span));
        binders.push((b, None));
    }
    let body = subst::replace_primed_vars(prog, &pushed, map);
    if binders.is_empty() {
        return Some(body);
    }
    Some(mk(prog, Kind::Exists(binders, body), a))
}

/// The action with its expandable definitions expanded and `[A]_v`,
/// `<<A>>_v`, `UNCHANGED v` spelled out, through its Boolean structure.
fn action(prog: &mut Program, e: &E, defs: &BTreeSet<DefId>, depth: usize) -> E {
    let kind = match &e.kind {
        k if is_boolean_structure(k) => {
            map_boolean_structure(k, &mut |x| action(prog, x, defs, depth))
        }
        Kind::BoxAction(a, v) => {
            let a = action(prog, a, defs, depth);
            Kind::Or(vec![a, unchanged(prog, v, defs)])
        }
        Kind::AngleAction(a, v) => {
            let a = action(prog, a, defs, depth);
            let same = unchanged(prog, v, defs);
            let changed = mk(prog, Kind::Unary(UnOp::Not, same), v);
            Kind::And(vec![a, changed])
        }
        Kind::Unary(UnOp::Unchanged, v) => return unchanged(prog, v, defs),
        Kind::App(d, args) if depth < MAX_DEPTH && expandable(prog, *d, defs) => {
            return match subst::instantiate(prog, *d, args) {
                Some(body) => action(prog, &body, defs, depth + 1),
                None => e.clone(),
            };
        }
        _ => return e.clone(),
    };
    mk(prog, kind, e)
}

/// `v' = v`, with `v` expanded where it is a definition that may be
/// (`vars == <<x, y>>`), so that the prime reaches the variables.
fn unchanged(prog: &mut Program, v: &E, defs: &BTreeSet<DefId>) -> E {
    let may = |p: &Program, d: DefId| expandable(p, d, defs);
    let v = &subst::unfold_head(prog, v, &may, &|_| false);
    let primed = Rc::new(Expr {
        kind: Kind::Unary(UnOp::Prime, v.clone()),
        span: v.span,
        ty: v.ty,
    });
    mk(prog, Kind::Binary(BinOp::Eq, primed, v.clone()), v)
}

/// After expansion, may every prime be pushed onto a variable? Not if an
/// unexpanded definition reads the next state (an action), or one that
/// reads the state is primed (`push_primes` primes only its arguments),
/// or a LET, LAMBDA or operator parameter could hide a prime.
fn primes_only_variables(prog: &Program, e: &E, under_prime: bool, levels: &mut Levels) -> bool {
    match &e.kind {
        Kind::Unary(UnOp::Enabled, _)
        | Kind::Temporal(..)
        | Kind::Let(..)
        | Kind::Lambda(..)
        | Kind::OpParamApp(..) => false,
        // A NEW STATE/ACTION/TEMPORAL parameter: its next-state value is
        // not a variable the existential could bind.
        Kind::Bound(v) if prog.flexible_params.contains_key(&v.id) => false,
        Kind::Unary(UnOp::Prime, a) => primes_only_variables(prog, a, true, levels),
        Kind::App(d, args) => {
            let level = levels.def(prog, *d).level();
            level < Level::Action
                && !(under_prime && level >= Level::State)
                && args
                    .iter()
                    .all(|a| primes_only_variables(prog, a, under_prime, levels))
        }
        _ => crate::semantic::level::children(e)
            .into_iter()
            .all(|c| primes_only_variables(prog, c, under_prime, levels)),
    }
}

fn collect_primed(e: &E, out: &mut BTreeMap<VarId, ()>) {
    if let Kind::Unary(UnOp::Prime, a) = &e.kind
        && let Kind::Var(v) = &a.kind
    {
        out.insert(*v, ());
        return;
    }
    for c in crate::semantic::level::children(e) {
        collect_primed(c, out);
    }
}
