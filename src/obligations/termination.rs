//! Termination of recursive function definitions.
//!
//! `f[x \in S] == e` means `f == CHOOSE g : g = [x \in S |-> e(g)]`; the
//! defining equation holds only if such a `g` exists. tlasmt assumes the
//! equation only for definitions whose recursion is well-founded on the
//! natural numbers, which it checks as an obligation of its own: for every
//! recursive call `f[a]` in `e`, under the conditions that guard the call,
//! `a \in S /\ 0 =< a /\ a < x`. A function on sequences (`x \in Seq(T)`)
//! is measured by length instead: `a \in S /\ Len(a) \in Nat /\ Len(a) <
//! Len(x)`. Either way each call descends along a relation on `S` under which
//! every chain below `x` is a decreasing chain of naturals, so the relation
//! is well-founded and the equation has a unique solution (the recursion
//! theorem for well-founded relations). Without that obligation the encoder
//! guards the equation by the existence of a fixpoint (so an ill-founded
//! definition proves nothing).

use crate::semantic::ir::*;
use crate::semantic::program::Program;
use crate::syntax::ast::{BinOp, UnOp};
use crate::types::Type;
use std::rc::Rc;

/// Does the body of the function definition `d` call `d`?
pub fn is_recursive(prog: &Program, d: DefId) -> bool {
    fn calls(e: &E, d: DefId) -> bool {
        if let Kind::App(x, _) = &e.kind
            && *x == d
        {
            return true;
        }
        crate::semantic::level::children(e)
            .into_iter()
            .any(|c| calls(c, d))
    }
    match &prog.def(d).body {
        DefBody::RecFn(_, body) => calls(body, d),
        _ => false,
    }
}

/// The termination condition of `d` as a formula, or why none can be built.
pub fn condition(prog: &mut Program, d: DefId) -> Result<E, String> {
    let def = prog.def(d).clone();
    let DefBody::RecFn(bs, body) = &def.body else {
        return Err("not a function definition".into());
    };
    let [(x, set)] = bs.as_slice() else {
        return Err("termination of a function of several arguments is not supported".into());
    };
    let length = if prog.types.resolve(x.ty) == Type::Int {
        None
    } else {
        match sequence_length(prog, set) {
            Some(len) => Some(len),
            None => {
                return Err(
                    "termination is checked only for recursion over integers and over Seq(T) (by length)"
                        .into(),
                );
            }
        }
    };
    let mut calls = Vec::new();
    collect(prog, d, body, &mut Vec::new(), &mut Vec::new(), &mut calls)?;
    let span = body.span;
    let xe = Rc::new(Expr {
        kind: Kind::Bound(x.clone()),
        span,
        ty: x.ty,
    });
    let mut conds = Vec::new();
    for (binders, path, arg) in calls {
        let in_set = prog.mk_bool(Kind::Binary(BinOp::In, arg.clone(), set.clone()), span);
        let (natural, smaller) = match length {
            None => {
                let zero = prog.mk(Kind::Int(0), span, Type::Int);
                (
                    prog.mk_bool(Kind::Binary(BinOp::Le, zero, arg.clone()), span),
                    prog.mk_bool(Kind::Binary(BinOp::Lt, arg.clone(), xe.clone()), span),
                )
            }
            Some(len) => {
                let la = prog.mk(Kind::App(len, vec![arg.clone()]), span, Type::Int);
                let lx = prog.mk(Kind::App(len, vec![xe.clone()]), span, Type::Int);
                let nat = prog.mk(Kind::NatSet, span, Type::Set(Box::new(Type::Int)));
                (
                    prog.mk_bool(Kind::Binary(BinOp::In, la.clone(), nat), span),
                    prog.mk_bool(Kind::Binary(BinOp::Lt, la, lx), span),
                )
            }
        };
        let goal = prog.mk_bool(Kind::And(vec![in_set, natural, smaller]), span);
        let guarded = if path.is_empty() {
            goal
        } else {
            let pc = prog.mk_bool(Kind::And(path), span);
            prog.mk_bool(Kind::Binary(BinOp::Implies, pc, goal), span)
        };
        conds.push(if binders.is_empty() {
            guarded
        } else {
            prog.mk_bool(Kind::Forall(binders, guarded), span)
        });
    }
    let all = prog.mk_bool(Kind::And(conds), span);
    Ok(prog.mk_bool(
        Kind::Forall(vec![(x.clone(), Some(set.clone()))], all),
        span,
    ))
}

/// `Len` of the built-in Sequences when `set` is its `Seq(T)`.
fn sequence_length(prog: &Program, set: &E) -> Option<DefId> {
    let Kind::App(seq, _) = &set.kind else {
        return None;
    };
    let library =
        |d: DefId, name: &str| prog.library_defs.contains(&d) && &*prog.def(d).name == name;
    if !library(*seq, "Seq") {
        return None;
    }
    (0..prog.defs.len() as u32)
        .map(DefId)
        .find(|d| library(*d, "Len"))
}

/// Whether the termination of `d` is measured by sequence length (then its
/// obligation reasons with the Sequences facts, not their definitions).
pub fn by_length(prog: &Program, d: DefId) -> bool {
    match &prog.def(d).body {
        DefBody::RecFn(bs, _) => matches!(bs.as_slice(), [(x, set)]
            if prog.types.resolve(x.ty) != Type::Int && sequence_length(prog, set).is_some()),
        _ => false,
    }
}

type Call = (Vec<(BVar, Option<E>)>, Vec<E>, E);

/// Recursive calls `f[a]` with the binders and conditions above them.
fn collect(
    prog: &mut Program,
    d: DefId,
    e: &E,
    binders: &mut Vec<(BVar, Option<E>)>,
    path: &mut Vec<E>,
    out: &mut Vec<Call>,
) -> Result<(), String> {
    let not = |prog: &mut Program, c: &E| prog.mk_bool(Kind::Unary(UnOp::Not, c.clone()), c.span);
    match &e.kind {
        Kind::Apply(f, args) if matches!(&f.kind, Kind::App(x, _) if *x == d) => {
            for a in args {
                collect(prog, d, a, binders, path, out)?;
            }
            let [a] = args.as_slice() else {
                return Err("a recursive call with several arguments".into());
            };
            out.push((binders.clone(), path.clone(), a.clone()));
            Ok(())
        }
        Kind::App(x, _) if *x == d => {
            Err("the recursive function is used other than applied to an argument".into())
        }
        Kind::If(c, t, f) => {
            collect(prog, d, c, binders, path, out)?;
            path.push(c.clone());
            collect(prog, d, t, binders, path, out)?;
            path.pop();
            let nc = not(prog, c);
            path.push(nc);
            collect(prog, d, f, binders, path, out)?;
            path.pop();
            Ok(())
        }
        Kind::And(items) | Kind::Or(items) => {
            let is_and = matches!(e.kind, Kind::And(_));
            let n = path.len();
            for item in items {
                collect(prog, d, item, binders, path, out)?;
                let guard = if is_and {
                    item.clone()
                } else {
                    not(prog, item)
                };
                path.push(guard);
            }
            path.truncate(n);
            Ok(())
        }
        Kind::Binary(BinOp::Implies, a, b) => {
            collect(prog, d, a, binders, path, out)?;
            path.push(a.clone());
            collect(prog, d, b, binders, path, out)?;
            path.pop();
            Ok(())
        }
        Kind::Forall(bs, body) | Kind::Exists(bs, body) => {
            for (_, s) in bs {
                if let Some(s) = s {
                    collect(prog, d, s, binders, path, out)?;
                }
            }
            let n = binders.len();
            binders.extend(bs.iter().cloned());
            collect(prog, d, body, binders, path, out)?;
            binders.truncate(n);
            Ok(())
        }
        _ => {
            for c in crate::semantic::level::children(e) {
                collect(prog, d, c, binders, path, out)?;
            }
            Ok(())
        }
    }
}
