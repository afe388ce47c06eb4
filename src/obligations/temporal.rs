//! Built-in temporal rules. Temporal obligations are not sent to Z3; the
//! ones of the standard invariance proof are checked syntactically here:
//!
//! * INV1: from `Init => I` and `I /\ [Next]_v => I'`, conclude
//!   `Init /\ [][Next]_v => []I` (Spec must be expanded, i.e. cited in DEF).

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
    Some(Method::Unsupported(
        "temporal obligation that no built-in rule (INV1) matches".into(),
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
    let spec = unfold(prog, spec, expand);
    let Kind::And(parts) = &spec.kind else {
        return false;
    };
    let [init, always_next] = parts.as_slice() else {
        return false;
    };
    let Kind::Temporal(TemporalOp::Always, boxed) = &always_next.kind else {
        return false;
    };
    let Kind::BoxAction(next, vars) = &boxed[0].kind else {
        return false;
    };
    let inv = &inv[0];
    let formulas: Vec<&E> = facts
        .iter()
        .filter_map(|h| match h {
            Hypothesis::Formula(f) => Some(f),
            _ => None,
        })
        .collect();
    let base = formulas.iter().any(
        |f| matches!(&f.kind, Kind::Binary(BinOp::Implies, a, b) if same(a, init) && same(b, inv)),
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
        let boxed_ok = matches!(&bx.kind, Kind::BoxAction(n, v) if same(n, next) && same(v, vars));
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
        (BoxAction(x1, x2), BoxAction(y1, y2)) => same(x1, y1) && same(x2, y2),
        (Temporal(o, xs), Temporal(p, ys)) => o == p && all_same(xs, ys),
        _ => false,
    }
}

fn all_same(xs: &[E], ys: &[E]) -> bool {
    xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same(x, y))
}
