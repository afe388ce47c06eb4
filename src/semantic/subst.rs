//! Substitution of bound variables and TLAPS positional subexpression
//! selection (`Inv!2`, `NextDef!2!1!(self)`).

use super::ir::*;
use super::program::Program;
use std::collections::HashMap;
use std::rc::Rc;

/// Replace bound variables by expressions. Binders inside `e` are renamed
/// to fresh variables so that an instantiated body never captures.
pub fn subst(prog: &mut Program, e: &E, map: &HashMap<u32, E>) -> E {
    let mut s = Subst {
        prog,
        map: map.clone(),
        projection: None,
        prime: None,
        unprime: None,
    };
    s.expr(e)
}

/// `e` with primes pushed onto its state variables: `(f[x])'` becomes
/// `f'[x]`, and under `primed` every variable `v` becomes `v'`. Two
/// expressions that mean the same state function then compare equal
/// structurally (binders inside `e` get fresh names, as in [`subst`]).
pub fn push_primes(prog: &mut Program, e: &E, primed: bool) -> E {
    let mut s = Subst {
        prog,
        map: HashMap::new(),
        projection: None,
        prime: Some(primed),
        unprime: None,
    };
    s.expr(e)
}

/// Fresh variables standing for fields, by field name.
pub type FieldVars = Vec<(Rc<str>, BVar)>;

/// `e` with every field `v.f` of the record variable `v` replaced by a
/// fresh variable for `f`, looking through applications (with `v` among
/// the arguments) of the definitions in `unfold`. Returns the new formula
/// and the fresh variables by field name, or `None` if `v` occurs other
/// than in a field.
///
/// For a formula P that reads `v` only through fields f1..fk,
/// `\E v : P` equals `\E x1, ..., xk : P[v.fi := xi]` in TLA+ (the record
/// `[f1 |-> x1, ..., fk |-> xk]` is a witness), and so does `\A`.
pub fn project_fields(
    prog: &mut Program,
    e: &E,
    v: &BVar,
    unfold: &std::collections::BTreeSet<DefId>,
) -> Option<(E, FieldVars)> {
    let mut s = Subst {
        prog,
        map: HashMap::new(),
        prime: None,
        projection: Some(Projection {
            record: v.id,
            unfold: unfold.clone(),
            fields: Vec::new(),
            depth: 0,
        }),
        unprime: None,
    };
    let out = s.expr(e);
    let p = s.projection.take()?;
    (!mentions_bound(&out, v.id)).then_some((out, p.fields))
}

struct Subst<'a> {
    prog: &'a mut Program,
    map: HashMap<u32, E>,
    projection: Option<Projection>,
    /// For `push_primes`: whether the current subterm is under a prime.
    prime: Option<bool>,
    /// For `replace_primed_vars`: what `v'` becomes, by variable.
    unprime: Option<HashMap<VarId, E>>,
}

/// `e` with every primed state variable `v'` replaced by `map[v]` (after
/// [`push_primes`], primes are on variables only): `ENABLED A` as
/// `\E b : A[v' := b]`.
pub fn replace_primed_vars(prog: &mut Program, e: &E, map: HashMap<VarId, E>) -> E {
    let mut s = Subst {
        prog,
        map: HashMap::new(),
        projection: None,
        prime: None,
        unprime: Some(map),
    };
    s.expr(e)
}

/// State of `project_fields`.
struct Projection {
    record: u32,
    unfold: std::collections::BTreeSet<DefId>,
    fields: FieldVars,
    /// Nesting of unfolded definitions (recursive ones are not unfolded
    /// forever).
    depth: usize,
}

impl Subst<'_> {
    fn rebind(&mut self, v: &BVar) -> BVar {
        let mut fresh = self.prog.fresh_bvar(&v.name);
        fresh.ty = v.ty;
        let span = crate::source::Span::default();
        let node = Rc::new(Expr {
            kind: Kind::Bound(fresh.clone()),
            span,
            ty: v.ty,
        });
        self.map.insert(v.id, node);
        fresh
    }

    /// For `project_fields`: the fresh variable for `r.n` if `r` is the
    /// record variable.
    fn projected_field(&mut self, r: &E, n: &Rc<str>, e: &E) -> Option<E> {
        let p = self.projection.as_ref()?;
        if !matches!(&r.kind, Kind::Bound(v) if v.id == p.record) {
            return None;
        }
        let known = p
            .fields
            .iter()
            .find(|(f, _)| f == n)
            .map(|(_, x)| x.clone());
        let x = match known {
            Some(x) => x,
            None => {
                let mut x = self.prog.fresh_bvar(n);
                x.ty = e.ty;
                let p = self.projection.as_mut()?;
                p.fields.push((n.clone(), x.clone()));
                x
            }
        };
        Some(Expr::bound(&x, e.span))
    }

    /// For `project_fields`: the body of an application of an unfolded
    /// definition to the record variable, with the projection applied.
    fn unfold_for_projection(&mut self, d: DefId, args: &[E]) -> Option<E> {
        let p = self.projection.as_ref()?;
        if p.depth >= 16
            || !p.unfold.contains(&d)
            || !args.iter().any(|a| mentions_bound(a, p.record))
        {
            return None;
        }
        let args = self.list(args);
        let body = instantiate(self.prog, d, &args)?;
        self.projection.as_mut()?.depth += 1;
        let out = self.expr(&body);
        self.projection.as_mut()?.depth -= 1;
        Some(out)
    }

    fn bounds(&mut self, bs: &[(BVar, Option<E>)]) -> Vec<(BVar, Option<E>)> {
        // Bounding sets are evaluated outside the binders.
        let sets: Vec<Option<E>> = bs
            .iter()
            .map(|(_, s)| s.as_ref().map(|s| self.expr(s)))
            .collect();
        bs.iter()
            .zip(sets)
            .map(|((v, _), s)| (self.rebind(v), s))
            .collect()
    }

    fn set_bounds(&mut self, bs: &[(BVar, E)]) -> Vec<(BVar, E)> {
        let sets: Vec<E> = bs.iter().map(|(_, s)| self.expr(s)).collect();
        bs.iter()
            .zip(sets)
            .map(|((v, _), s)| (self.rebind(v), s))
            .collect()
    }

    fn list(&mut self, es: &[E]) -> Vec<E> {
        es.iter().map(|e| self.expr(e)).collect()
    }

    fn expr(&mut self, e: &E) -> E {
        if let (Some(map), Kind::Unary(crate::syntax::ast::UnOp::Prime, a)) =
            (&self.unprime, &e.kind)
            && let Kind::Var(v) = &a.kind
            && let Some(r) = map.get(v)
        {
            return r.clone();
        }
        let kind = match &e.kind {
            Kind::Bound(v) => {
                return match self.map.get(&v.id) {
                    Some(r) => r.clone(),
                    None => e.clone(),
                };
            }
            Kind::Var(_) if self.prime == Some(true) => {
                return Rc::new(Expr {
                    kind: Kind::Unary(crate::syntax::ast::UnOp::Prime, e.clone()),
                    span: e.span,
                    ty: e.ty,
                });
            }
            Kind::Unary(crate::syntax::ast::UnOp::Prime, a) if self.prime.is_some() => {
                let saved = self.prime.replace(true);
                let r = self.expr(a);
                self.prime = saved;
                return r;
            }
            Kind::Const(_)
            | Kind::Var(_)
            | Kind::Int(_)
            | Kind::Str(_)
            | Kind::Bool(_)
            | Kind::NatSet
            | Kind::IntSet
            | Kind::BoolSet
            | Kind::StringSet
            | Kind::RecFnRef(_) => return e.clone(),
            Kind::App(d, args) => {
                if let Some(body) = self.unfold_for_projection(*d, args) {
                    return body;
                }
                Kind::App(*d, self.list(args))
            }
            Kind::OpParamApp(v, args) => {
                let args = self.list(args);
                match self.map.get(&v.id).cloned() {
                    Some(r) => match &r.kind {
                        Kind::Lambda(params, body) => {
                            let m: HashMap<u32, E> =
                                params.iter().map(|p| p.id).zip(args).collect();
                            return subst(self.prog, body, &m);
                        }
                        Kind::Bound(w) => Kind::OpParamApp(w.clone(), args),
                        _ => Kind::OpParamApp(v.clone(), args),
                    },
                    None => Kind::OpParamApp(v.clone(), args),
                }
            }
            Kind::Lambda(params, body) => {
                let params: Vec<BVar> = params.iter().map(|p| self.rebind(p)).collect();
                Kind::Lambda(params, self.expr(body))
            }
            Kind::Builtin(b, args) => Kind::Builtin(*b, self.list(args)),
            Kind::Unary(op, a) => Kind::Unary(*op, self.expr(a)),
            Kind::Binary(op, a, b) => Kind::Binary(*op, self.expr(a), self.expr(b)),
            Kind::And(es) => Kind::And(self.list(es)),
            Kind::Or(es) => Kind::Or(self.list(es)),
            Kind::If(c, t, f) => Kind::If(self.expr(c), self.expr(t), self.expr(f)),
            Kind::Case(arms, other) => Kind::Case(
                arms.iter()
                    .map(|(g, v)| (self.expr(g), self.expr(v)))
                    .collect(),
                other.as_ref().map(|o| self.expr(o)),
            ),
            Kind::Forall(bs, body) => {
                let bs = self.bounds(bs);
                Kind::Forall(bs, self.expr(body))
            }
            Kind::Exists(bs, body) => {
                let bs = self.bounds(bs);
                Kind::Exists(bs, self.expr(body))
            }
            Kind::Choose(v, s, body) => {
                let s = s.as_ref().map(|s| self.expr(s));
                let v = self.rebind(v);
                Kind::Choose(v, s, self.expr(body))
            }
            Kind::SetEnum(es) => Kind::SetEnum(self.list(es)),
            Kind::SetFilter(v, s, p) => {
                let s = self.expr(s);
                let v = self.rebind(v);
                Kind::SetFilter(v, s, self.expr(p))
            }
            Kind::SetMap(body, bs) => {
                let bs = self.set_bounds(bs);
                Kind::SetMap(self.expr(body), bs)
            }
            Kind::FnLit(bs, body) => {
                let bs = self.set_bounds(bs);
                Kind::FnLit(bs, self.expr(body))
            }
            Kind::FnSet(a, b) => Kind::FnSet(self.expr(a), self.expr(b)),
            Kind::Record(fs) => {
                Kind::Record(fs.iter().map(|(n, v)| (n.clone(), self.expr(v))).collect())
            }
            Kind::RecordSet(fs) => {
                Kind::RecordSet(fs.iter().map(|(n, v)| (n.clone(), self.expr(v))).collect())
            }
            Kind::Apply(f, args) => Kind::Apply(self.expr(f), self.list(args)),
            Kind::Field(r, n) => {
                if let Some(x) = self.projected_field(r, n, e) {
                    return x;
                }
                Kind::Field(self.expr(r), n.clone())
            }
            Kind::Except(f, ups) => {
                let f = self.expr(f);
                let ups = ups
                    .iter()
                    .map(|u| {
                        let path = u
                            .path
                            .iter()
                            .map(|k| match k {
                                ExceptKey::Field(n) => ExceptKey::Field(n.clone()),
                                ExceptKey::Index(es) => ExceptKey::Index(self.list(es)),
                            })
                            .collect();
                        let at = self.rebind(&u.at);
                        ExceptUpdate {
                            path,
                            at,
                            value: self.expr(&u.value),
                        }
                    })
                    .collect();
                Kind::Except(f, ups)
            }
            Kind::Tuple(es) => Kind::Tuple(self.list(es)),
            Kind::Product(es) => Kind::Product(self.list(es)),
            Kind::BoxAction(a, v) => Kind::BoxAction(self.expr(a), self.expr(v)),
            Kind::AngleAction(a, v) => Kind::AngleAction(self.expr(a), self.expr(v)),
            Kind::Temporal(op, es) => Kind::Temporal(*op, self.list(es)),
            Kind::Let(defs, body) => Kind::Let(defs.clone(), self.expr(body)),
        };
        Rc::new(Expr {
            kind,
            span: e.span,
            ty: e.ty,
        })
    }
}

/// Instantiate a definition's body with arguments.
pub fn instantiate(prog: &mut Program, def: DefId, args: &[E]) -> Option<E> {
    let d = prog.def(def).clone();
    let body = match &d.body {
        DefBody::Expr(b) => b.clone(),
        _ => return None,
    };
    let map: HashMap<u32, E> = d
        .params
        .iter()
        .map(|p| p.id)
        .zip(args.iter().cloned())
        .collect();
    Some(subst(prog, &body, &map))
}

/// Most definitions unfolded at the head of one expression: a cycle of
/// definitions (which the loader refuses anyway) cannot loop.
const MAX_HEAD_UNFOLD: usize = 64;

/// `e` with the 0-ary definitions at its head that `may` allows replaced
/// by their bodies (`vars` to `<<x, y>>`), while not yet `stop`. Never a
/// RECURSIVE operator.
pub fn unfold_head_0ary(prog: &Program, e: &E, may: &dyn Fn(DefId) -> bool) -> E {
    let mut cur = e.clone();
    for _ in 0..MAX_HEAD_UNFOLD {
        let next = match &cur.kind {
            Kind::App(d, args) if args.is_empty() && may(*d) && !prog.recursive_ops.contains(d) => {
                match &prog.def(*d).body {
                    DefBody::Expr(b) => b.clone(),
                    _ => break,
                }
            }
            _ => break,
        };
        cur = next;
    }
    cur
}

/// `e` with the definitions at its head that `may` allows instantiated
/// with their arguments, until the head is one `stop` accepts (then that
/// expression) or no more can be unfolded (then the last one). Never a
/// RECURSIVE operator.
pub fn unfold_head(
    prog: &mut Program,
    e: &E,
    may: &dyn Fn(&Program, DefId) -> bool,
    stop: &dyn Fn(&Kind) -> bool,
) -> E {
    let mut cur = e.clone();
    for _ in 0..MAX_HEAD_UNFOLD {
        if stop(&cur.kind) {
            break;
        }
        let Kind::App(d, args) = &cur.kind else { break };
        if !may(prog, *d) || prog.recursive_ops.contains(d) {
            break;
        }
        match instantiate(prog, *d, args) {
            Some(body) => cur = body,
            None => break,
        }
    }
    cur
}

/// One step of a positional subexpression path.
#[derive(Clone, Debug)]
pub enum Selector {
    Index(u32),
    Args(Vec<E>),
    Colon,
}

/// Select a subexpression of `e`; `Err` says why the selector does not apply.
pub fn select(prog: &mut Program, e: &E, sel: &Selector) -> Result<E, String> {
    match (&e.kind, sel) {
        (Kind::Let(_, body), Selector::Index(1)) => Ok(body.clone()),
        (Kind::Let(_, body), _) => select(prog, body, sel),
        (Kind::And(items) | Kind::Or(items), Selector::Index(i)) => items
            .get(*i as usize - 1)
            .cloned()
            .ok_or_else(|| format!("the list has only {} items", items.len())),
        (Kind::Binary(_, a, b), Selector::Index(i)) => match i {
            1 => Ok(a.clone()),
            2 => Ok(b.clone()),
            _ => Err("a binary operator has 2 operands".into()),
        },
        (Kind::Unary(_, a), Selector::Index(1)) => Ok(a.clone()),
        (Kind::If(c, t, f), Selector::Index(i)) => match i {
            1 => Ok(c.clone()),
            2 => Ok(t.clone()),
            3 => Ok(f.clone()),
            _ => Err("IF/THEN/ELSE has 3 operands".into()),
        },
        (Kind::Forall(bs, body) | Kind::Exists(bs, body), Selector::Args(args)) => {
            if args.len() != bs.len() {
                return Err(format!(
                    "the quantifier binds {} variables, {} given",
                    bs.len(),
                    args.len()
                ));
            }
            let map = bs
                .iter()
                .map(|(v, _)| v.id)
                .zip(args.iter().cloned())
                .collect();
            Ok(subst(prog, body, &map))
        }
        (Kind::Forall(_, body) | Kind::Exists(_, body), Selector::Colon) => Ok(body.clone()),
        // Without bounding sets, `!1` names the body (its variables free).
        (Kind::Forall(bs, body) | Kind::Exists(bs, body), Selector::Index(1))
            if bs.iter().all(|(_, s)| s.is_none()) =>
        {
            Ok(body.clone())
        }
        (Kind::Forall(bs, _) | Kind::Exists(bs, _), Selector::Index(i)) => bs
            .get(*i as usize - 1)
            .and_then(|(_, s)| s.clone())
            .ok_or_else(|| "no such bounding set".into()),
        (Kind::Choose(v, _, body) | Kind::SetFilter(v, _, body), Selector::Args(args))
            if args.len() == 1 =>
        {
            let map = [(v.id, args[0].clone())].into_iter().collect();
            Ok(subst(prog, body, &map))
        }
        (Kind::Case(arms, _), Selector::Index(i)) => arms
            .get(*i as usize - 1)
            .map(|(g, _)| g.clone())
            .ok_or_else(|| "no such CASE arm".into()),
        // `!:` on an expression without bound variables is the expression.
        (_, Selector::Colon) => Ok(e.clone()),
        _ => Err("this selector does not apply to the expression".into()),
    }
}
