//! Built-in temporal rules. Temporal obligations are not sent to Z3; the
//! ones of the standard invariance proof are checked syntactically here:
//!
//! * INV1: from `Init => I` and `I /\ [Next]_v => I'`, conclude
//!   `Init /\ [][Next]_v => []I` (Spec must be expanded, i.e. cited in DEF).
//! * REF1: from `Init => PInit`, `I_1 /\ ... /\ [Next]_v => [PNext]_w` where
//!   each `I_k` is `J` or `J'` for some `J` with `Spec => []J` among the
//!   facts, conclude `Spec => PInit /\ [][PNext]_w` (both specifications
//!   expanded): the refinement rule of a refinement-mapping proof.

use super::{Hypothesis, Method};
use crate::semantic::ir::*;
use crate::semantic::program::Program;
use crate::syntax::ast::{BinOp, UnOp};
use std::collections::BTreeSet;

/// How to discharge a leaf whose goal or facts are temporal; `None` when
/// the obligation is an ordinary (non-temporal) one for Z3.
pub fn classify(
    prog: &Program,
    goal: &E,
    facts: &[Hypothesis],
    ctx_defs: &BTreeSet<DefId>,
    by_defs: &[DefId],
) -> Option<Method> {
    let expand = |d: DefId| ctx_defs.contains(&d) || by_defs.contains(&d);
    if !mentions_temporal(prog, goal, &expand) {
        return None;
    }
    if invariance_rule(prog, goal, facts, &expand) {
        return Some(Method::TemporalRule("INV1 (invariance)"));
    }
    if refinement_rule(prog, goal, facts, &expand) {
        return Some(Method::TemporalRule("REF1 (refinement)"));
    }
    Some(Method::Unsupported(
        "temporal obligation that no built-in rule (INV1, REF1) matches".into(),
    ))
}

/// Unfold a definition application if it may be expanded.
fn unfold(prog: &Program, e: &E, expand: &dyn Fn(DefId) -> bool) -> E {
    if let Kind::App(d, args) = &e.kind
        && args.is_empty()
        && expand(*d)
        && let DefBody::Expr(b) = &prog.def(*d).body
    {
        return unfold(prog, b, expand);
    }
    e.clone()
}

fn mentions_temporal(prog: &Program, e: &E, expand: &dyn Fn(DefId) -> bool) -> bool {
    let e = unfold(prog, e, expand);
    match &e.kind {
        Kind::Temporal(..) => true,
        _ => crate::semantic::level::children(&e)
            .into_iter()
            .any(|c| mentions_temporal(prog, c, expand)),
    }
}

/// `Init /\ [][Next]_v` (after unfolding): `(Init, Next, v)`.
fn spec_parts(prog: &Program, spec: &E, expand: &dyn Fn(DefId) -> bool) -> Option<(E, E, E)> {
    let spec = unfold(prog, spec, expand);
    let Kind::And(parts) = &spec.kind else {
        return None;
    };
    let [init, always_next] = parts.as_slice() else {
        return None;
    };
    let Kind::Temporal(TemporalOp::Always, boxed) = &always_next.kind else {
        return None;
    };
    let Kind::BoxAction(next, vars) = &boxed[0].kind else {
        return None;
    };
    Some((init.clone(), next.clone(), vars.clone()))
}

fn formulas(facts: &[Hypothesis]) -> Vec<&E> {
    facts
        .iter()
        .filter_map(|h| match h {
            Hypothesis::Formula(f) => Some(f),
            _ => None,
        })
        .collect()
}

fn refinement_rule(
    prog: &Program,
    goal: &E,
    facts: &[Hypothesis],
    expand: &dyn Fn(DefId) -> bool,
) -> bool {
    let Kind::Binary(BinOp::Implies, spec, abstract_spec) = &goal.kind else {
        return false;
    };
    let Some((init, next, vars)) = spec_parts(prog, spec, expand) else {
        return false;
    };
    let Some((pinit, pnext, pvars)) = spec_parts(prog, abstract_spec, expand) else {
        return false;
    };
    let formulas = formulas(facts);
    // Invariants the facts establish for this Spec: `Spec => []J`.
    let invariants: Vec<&E> = formulas
        .iter()
        .filter_map(|f| match &f.kind {
            Kind::Binary(BinOp::Implies, s, concl)
                if same(s, spec) || same(&unfold(prog, s, expand), &unfold(prog, spec, expand)) =>
            {
                match &concl.kind {
                    Kind::Temporal(TemporalOp::Always, j) => Some(&j[0]),
                    _ => None,
                }
            }
            _ => None,
        })
        .collect();
    let invariant_backed = |c: &E| {
        let c = match &c.kind {
            Kind::Unary(UnOp::Prime, inner) => inner,
            _ => c,
        };
        invariants.iter().any(|j| same(j, c))
    };
    let base = formulas.iter().any(
        |f| matches!(&f.kind, Kind::Binary(BinOp::Implies, a, b) if same(a, &init) && same(b, &pinit)),
    );
    let step = formulas.iter().any(|f| {
        let Kind::Binary(BinOp::Implies, hyp, concl) = &f.kind else {
            return false;
        };
        let concl_ok =
            matches!(&concl.kind, Kind::BoxAction(n, v) if same(n, &pnext) && same(v, &pvars));
        let hs = conjuncts(hyp);
        let is_next =
            |h: &E| matches!(&h.kind, Kind::BoxAction(n, v) if same(n, &next) && same(v, &vars));
        concl_ok
            && hs.iter().filter(|h| is_next(h)).count() == 1
            && hs.iter().all(|h| is_next(h) || invariant_backed(h))
    });
    base && step
}

fn invariance_rule(
    prog: &Program,
    goal: &E,
    facts: &[Hypothesis],
    expand: &dyn Fn(DefId) -> bool,
) -> bool {
    let Kind::Binary(BinOp::Implies, spec, concl) = &goal.kind else {
        return false;
    };
    let Kind::Temporal(TemporalOp::Always, inv) = &concl.kind else {
        return false;
    };
    let Some((init, next, vars)) = spec_parts(prog, spec, expand) else {
        return false;
    };
    let inv = &inv[0];
    let formulas = formulas(facts);
    let base = formulas.iter().any(
        |f| matches!(&f.kind, Kind::Binary(BinOp::Implies, a, b) if same(a, &init) && same(b, inv)),
    );
    let step = formulas.iter().any(|f| {
        let Kind::Binary(BinOp::Implies, hyp, post) = &f.kind else {
            return false;
        };
        let Kind::And(hs) = &hyp.kind else {
            return false;
        };
        let [i, bx] = hs.as_slice() else {
            return false;
        };
        let boxed_ok =
            matches!(&bx.kind, Kind::BoxAction(n, v) if same(n, &next) && same(v, &vars));
        let post_ok = matches!(&post.kind, Kind::Unary(UnOp::Prime, p) if same(p, inv));
        same(i, inv) && boxed_ok && post_ok
    });
    base && step
}

/// Structural equality of resolved expressions (spans and types ignored).
pub fn same(a: &E, b: &E) -> bool {
    use Kind::*;
    match (&a.kind, &b.kind) {
        (Bound(x), Bound(y)) => x.id == y.id,
        (Const(x), Const(y)) => x == y,
        (Var(x), Var(y)) => x == y,
        (App(d, xs), App(e, ys)) => d == e && all_same(xs, ys),
        (Int(x), Int(y)) => x == y,
        (Str(x), Str(y)) => x == y,
        (Bool(x), Bool(y)) => x == y,
        (Unary(o, x), Unary(p, y)) => o == p && same(x, y),
        (Binary(o, x1, x2), Binary(p, y1, y2)) => o == p && same(x1, y1) && same(x2, y2),
        (And(xs), And(ys))
        | (Or(xs), Or(ys))
        | (Tuple(xs), Tuple(ys))
        | (SetEnum(xs), SetEnum(ys)) => all_same(xs, ys),
        (BoxAction(x1, x2), BoxAction(y1, y2))
        | (AngleAction(x1, x2), AngleAction(y1, y2))
        | (FnSet(x1, x2), FnSet(y1, y2)) => same(x1, y1) && same(x2, y2),
        (NatSet, NatSet) | (IntSet, IntSet) | (BoolSet, BoolSet) | (StringSet, StringSet) => true,
        (Apply(f, xs), Apply(g, ys)) => same(f, g) && all_same(xs, ys),
        (Field(r, n), Field(s, m)) => n == m && same(r, s),
        (Builtin(b, xs), Builtin(c, ys)) => b == c && all_same(xs, ys),
        (Product(xs), Product(ys)) => all_same(xs, ys),
        (If(c, t, f), If(d, u, g)) => same(c, d) && same(t, u) && same(f, g),
        (Record(xs), Record(ys)) | (RecordSet(xs), RecordSet(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .zip(ys)
                    .all(|((n, x), (m, y))| n == m && same(x, y))
        }
        (RecFnRef(d), RecFnRef(e)) => d == e,
        (Temporal(o, xs), Temporal(p, ys)) => o == p && all_same(xs, ys),
        _ => false,
    }
}

fn all_same(xs: &[E], ys: &[E]) -> bool {
    xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same(x, y))
}
