//! Name resolution: AST expressions and proofs to the resolved IR.

use super::ir::*;
use super::program::*;
use super::proof::*;
use super::subst::{self, Selector};
use crate::source::{Diagnostic, Span};
use crate::syntax::ast::{self, ExprKind, PathSegment};
use crate::types::Type;
use std::rc::Rc;

type R<T> = Result<T, Diagnostic>;

/// Names in scope: a module namespace plus local bindings (innermost last).
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub ns: Namespace,
    locals: Vec<(Rc<str>, Binding)>,
    /// Step labels visible here, innermost last.
    steps: Vec<(String, StepKey, u32)>,
}

impl Scope {
    pub fn lookup(&self, name: &str) -> Option<&Binding> {
        self.locals
            .iter()
            .rev()
            .find(|(n, _)| &**n == name)
            .map(|(_, b)| b)
            .or_else(|| self.ns.names.get(name))
    }

    pub fn push(&mut self, name: Rc<str>, b: Binding) {
        self.locals.push((name, b));
    }

    pub fn mark(&self) -> (usize, usize) {
        (self.locals.len(), self.steps.len())
    }

    pub fn reset(&mut self, mark: (usize, usize)) {
        self.locals.truncate(mark.0);
        self.steps.truncate(mark.1);
    }

    /// Bound variables in scope, for lambda-lifting local definitions.
    fn bound_vars(&self) -> Vec<BVar> {
        let mut out: Vec<BVar> = Vec::new();
        for (name, b) in &self.locals {
            if let Binding::Bound(v) = b {
                // Shadowed names are still captured by id; the latest wins by name.
                out.retain(|w| w.name != *name);
                out.push(v.clone());
            }
        }
        out
    }

    pub(super) fn add_step(&mut self, label: &ast::StepLabel, key: StepKey) {
        if let Some(n) = &label.name {
            self.steps.push((n.clone(), key, label.level));
        }
    }

    pub(super) fn find_step(&self, label: &ast::StepLabel) -> Option<StepKey> {
        let name = label.name.as_ref()?;
        self.steps
            .iter()
            .rev()
            .find(|(n, _, lvl)| n == name && *lvl == label.level)
            .map(|(_, k, _)| *k)
    }
}

pub struct Resolver<'p> {
    pub prog: &'p mut Program,
    pub scope: Scope,
    /// Prefix for definitions of an instanced module (`P!`).
    pub prefix: Option<Rc<str>>,
    pub(super) next_step: u32,
    /// Names of the theorems of the module being loaded, for a clear error
    /// when one is used before it is stated (a proof citing a later theorem).
    pub(super) module_theorems: Vec<String>,
    /// What module-level `USE`/`HIDE` made usable so far in the module
    /// being loaded: the start of every later theorem's proof context.
    pub(super) module_use: ModuleUse,
    /// The text of the file being loaded, to recognise a formula cited as
    /// a fact (`USE N \in Nat`) as the assumption it restates.
    pub(super) source: Option<(crate::source::FileId, Rc<str>)>,
    /// In a proof step's assertion: the right side of the previous step's
    /// `a = b` (or other binary relation), which `@` stands for.
    pub(super) step_at: Option<E>,
    /// The formulas of the steps resolved so far that assert one: a step
    /// name used as a formula (`<4>6. P' <=> <4>4`) stands for it.
    pub(super) step_formulas: std::collections::HashMap<StepKey, E>,
    /// The assumptions of the ASSUME/PROVE and SUFFICES steps resolved so
    /// far (`None` for a nested ASSUME/PROVE): `<1>1!2` is the second.
    pub(super) step_assumptions: std::collections::HashMap<StepKey, Vec<Option<E>>>,
    /// Expression labels of the module being loaded, by the labelled
    /// expression's span (from `ast::Module::labels`).
    pub(super) labels: std::collections::HashMap<Span, Rc<str>>,
    /// The definition whose body is being resolved (labels inside it are
    /// recorded for `Op!lbl`).
    pub(super) current_def: Option<DefId>,
    /// Operators declared `RECURSIVE` and not yet defined: their
    /// definition fills in the declared definition.
    pub(super) recursive_pending: std::collections::HashMap<Rc<str>, DefId>,
}

/// Facts and definitions a module-level `USE` made usable.
#[derive(Clone, Debug, Default)]
pub struct ModuleUse {
    pub facts: Vec<super::proof::Fact>,
    pub defs: Vec<DefId>,
}

fn err(span: Span, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::new(span, msg)
}

impl<'p> Resolver<'p> {
    pub fn new(prog: &'p mut Program, scope: Scope) -> Self {
        Resolver {
            prog,
            scope,
            prefix: None,
            next_step: 0,
            module_theorems: Vec::new(),
            module_use: ModuleUse::default(),
            source: None,
            step_at: None,
            step_formulas: std::collections::HashMap::new(),
            step_assumptions: std::collections::HashMap::new(),
            labels: std::collections::HashMap::new(),
            current_def: None,
            recursive_pending: std::collections::HashMap::new(),
        }
    }

    fn node(&mut self, kind: Kind, span: Span) -> E {
        let ty = self.prog.types.fresh();
        Rc::new(Expr { kind, span, ty })
    }

    fn typed(&mut self, kind: Kind, span: Span, ty: Type) -> E {
        self.prog.mk(kind, span, ty)
    }

    pub fn qualified(&self, name: &str) -> Rc<str> {
        match &self.prefix {
            Some(p) => format!("{p}!{name}").into(),
            None => name.into(),
        }
    }

    // ----- definitions -------------------------------------------------

    /// Resolve a definition and bind its name in the module namespace (or
    /// as a local, for LET and DEFINE). Local definitions are lambda-lifted
    /// over the bound variables in scope.
    pub fn definition(&mut self, d: &ast::Definition, origin: DefOrigin) -> R<DefId> {
        let captured = if origin == DefOrigin::Module {
            Vec::new()
        } else {
            self.scope.bound_vars()
        };
        let name = self.qualified(&d.name.name);
        let declared = match origin {
            DefOrigin::Module => self.recursive_pending.remove(d.name.name.as_str()),
            _ => None,
        };
        let id = match declared {
            Some(id) => {
                let def = self.prog.def_mut(id);
                def.span = d.span;
                id
            }
            None => {
                let ty = self.prog.types.fresh();
                self.prog.add_def(Def {
                    name: name.clone(),
                    params: Vec::new(),
                    param_arities: Vec::new(),
                    body: DefBody::Pending,
                    span: d.span,
                    ty,
                    origin,
                    captured: captured.len(),
                })
            }
        };
        let outer_def = self.current_def.replace(id);
        let mark = self.scope.mark();
        let mut params = captured.clone();
        let mut arities = vec![0; captured.len()];
        let body = match &d.kind {
            ast::DefKind::Operator { params: ps, body } => {
                for p in ps {
                    let v = self.prog.fresh_bvar(&p.name.name);
                    let b = if p.arity == 0 {
                        Binding::Bound(v.clone())
                    } else {
                        Binding::OpParam(v.clone(), p.arity)
                    };
                    self.scope.push(p.name.name.as_str().into(), b);
                    params.push(v);
                    arities.push(p.arity);
                }
                {
                    let def = self.prog.def_mut(id);
                    def.params = params.clone();
                    def.param_arities = arities.clone();
                }
                let body = self.expr(body);
                self.scope.reset(mark);
                DefBody::Expr(body?)
            }
            ast::DefKind::Function { bounds, body } => {
                {
                    let def = self.prog.def_mut(id);
                    def.params = params.clone();
                    def.param_arities = arities.clone();
                }
                // The function's own name is in scope in its body.
                self.scope
                    .push(d.name.name.as_str().into(), Binding::Def(id));
                let bs = self.set_bounds(bounds);
                let result = bs.and_then(|bs| Ok((bs, self.expr(body)?)));
                self.scope.reset(mark);
                let (bs, body) = result?;
                DefBody::RecFn(bs, body)
            }
            ast::DefKind::Instance { .. } => {
                return Err(err(
                    d.span,
                    "unsupported construct: parameterized or local INSTANCE definition",
                ));
            }
        };
        self.current_def = outer_def;
        let def = self.prog.def_mut(id);
        def.params = params;
        def.param_arities = arities;
        def.body = body;
        let binding = Binding::Def(id);
        if origin == DefOrigin::Module {
            self.scope
                .ns
                .names
                .insert(d.name.name.as_str().into(), binding);
        } else {
            self.scope.push(d.name.name.as_str().into(), binding);
        }
        Ok(id)
    }

    // ----- expressions -------------------------------------------------

    fn list(&mut self, es: &[ast::Expr]) -> R<Vec<E>> {
        es.iter().map(|e| self.expr(e)).collect()
    }

    /// Bind the names of bounds; sets are resolved outside the binders.
    pub(super) fn bounds(&mut self, bs: &[ast::Bound]) -> R<Vec<(BVar, Option<E>)>> {
        let mut out = Vec::new();
        let mut pending = Vec::new();
        for b in bs {
            let set = match &b.set {
                Some(s) => Some(self.expr(s)?),
                None => None,
            };
            match &b.pattern {
                ast::BoundPattern::Names(names) => {
                    for n in names {
                        let v = self.prog.fresh_bvar(&n.name);
                        pending.push((n.name.clone(), v.clone()));
                        out.push((v, set.clone()));
                    }
                }
                ast::BoundPattern::Tuple(_) => {
                    return Err(err(
                        b.span,
                        "unsupported construct: tuple pattern in a bound",
                    ));
                }
            }
        }
        for (n, v) in pending {
            self.scope.push(n.as_str().into(), Binding::Bound(v));
        }
        Ok(out)
    }

    fn set_bounds(&mut self, bs: &[ast::Bound]) -> R<Vec<(BVar, E)>> {
        let span = bs.first().map(|b| b.span).unwrap_or_default();
        self.bounds(bs)?
            .into_iter()
            .map(|(v, s)| {
                s.map(|s| (v, s)).ok_or_else(|| {
                    err(span, "this construct needs a bounded variable (`x \\in S`)")
                })
            })
            .collect()
    }

    pub fn expr(&mut self, e: &ast::Expr) -> R<E> {
        let r = self.expr_unlabelled(e)?;
        if let Some(d) = self.current_def
            && let Some(name) = self.labels.get(&e.span).cloned()
        {
            self.prog
                .labels
                .entry((d, name))
                .or_insert_with(|| r.clone());
        }
        Ok(r)
    }

    fn expr_unlabelled(&mut self, e: &ast::Expr) -> R<E> {
        let span = e.span;
        if let Some(r) = self.module_defined_arithmetic(e) {
            return r;
        }
        let kind = match &e.kind {
            ExprKind::Name(path) => return self.name_path(path, span),
            // A step name used as a formula is the formula it asserts.
            ExprKind::StepRef(l) => {
                let key = self.scope.find_step(l);
                return match key.and_then(|k| self.step_formulas.get(&k)) {
                    Some(f) => Ok(f.clone()),
                    None if key.is_none() => {
                        Err(err(span, format!("unknown step `{}`", l.display())))
                    }
                    None => Err(err(
                        span,
                        format!(
                            "step `{}` used as a formula: only a step that asserts a formula (not ASSUME/PROVE, SUFFICES, CASE, PICK...) is one",
                            l.display()
                        ),
                    )),
                };
            }
            ExprKind::Number(n) => return Ok(self.typed(Kind::Int(*n), span, Type::Int)),
            ExprKind::String(s) => {
                return Ok(self.typed(Kind::Str(s.as_str().into()), span, Type::Str));
            }
            ExprKind::Bool(b) => return Ok(self.typed(Kind::Bool(*b), span, Type::Bool)),
            ExprKind::BuiltinSet(s) => match s {
                ast::BuiltinSet::Nat => Kind::NatSet,
                ast::BuiltinSet::Int => Kind::IntSet,
                ast::BuiltinSet::Boolean => Kind::BoolSet,
                ast::BuiltinSet::String => Kind::StringSet,
            },
            ExprKind::Unary(op, a) => {
                let a = self.expr(a)?;
                match op {
                    ast::UnOp::Always => Kind::Temporal(TemporalOp::Always, vec![a]),
                    ast::UnOp::Eventually => Kind::Temporal(TemporalOp::Eventually, vec![a]),
                    _ => Kind::Unary(*op, a),
                }
            }
            ExprKind::Binary(op, a, b) => {
                let (a, b) = (self.expr(a)?, self.expr(b)?);
                match op {
                    ast::BinOp::LeadsTo => Kind::Temporal(TemporalOp::LeadsTo, vec![a, b]),
                    ast::BinOp::And => Kind::And(vec![a, b]),
                    ast::BinOp::Or => Kind::Or(vec![a, b]),
                    _ => Kind::Binary(*op, a, b),
                }
            }
            ExprKind::UserOp(name, args) => return self.user_op(name, args, span),
            ExprKind::ConjList(es) => Kind::And(self.list(es)?),
            ExprKind::DisjList(es) => Kind::Or(self.list(es)?),
            ExprKind::If(c, t, f) => Kind::If(self.expr(c)?, self.expr(t)?, self.expr(f)?),
            ExprKind::Case { arms, other } => {
                let mut rs = Vec::new();
                for (g, v) in arms {
                    rs.push((self.expr(g)?, self.expr(v)?));
                }
                let other = match other {
                    Some(o) => Some(self.expr(o)?),
                    None => None,
                };
                Kind::Case(rs, other)
            }
            ExprKind::Let(defs, body) => {
                let mark = self.scope.mark();
                let mut ids = Vec::new();
                let mut result = Ok(());
                for d in defs {
                    match self.definition(d, DefOrigin::Let) {
                        Ok(id) => ids.push(id),
                        Err(e) => {
                            result = Err(e);
                            break;
                        }
                    }
                }
                let body = result.and_then(|_| self.expr(body));
                self.scope.reset(mark);
                Kind::Let(ids, body?)
            }
            ExprKind::Quant(q, bounds, body) => {
                let mark = self.scope.mark();
                let r = self
                    .bounds(bounds)
                    .and_then(|bs| Ok((bs, self.expr(body)?)));
                self.scope.reset(mark);
                let (bs, body) = r?;
                match q {
                    ast::Quantifier::Forall => Kind::Forall(bs, body),
                    ast::Quantifier::Exists => Kind::Exists(bs, body),
                    _ => {
                        return Err(err(
                            span,
                            "unsupported construct: temporal quantifier \\AA / \\EE",
                        ));
                    }
                }
            }
            ExprKind::Choose(b, body) => {
                let mark = self.scope.mark();
                let r = self
                    .bounds(std::slice::from_ref(b))
                    .and_then(|bs| Ok((bs, self.expr(body)?)));
                self.scope.reset(mark);
                let (mut bs, body) = r?;
                if bs.len() != 1 {
                    return Err(err(span, "CHOOSE binds exactly one variable"));
                }
                let (v, s) = bs.remove(0);
                Kind::Choose(v, s, body)
            }
            ExprKind::SetEnum(es) => Kind::SetEnum(self.list(es)?),
            ExprKind::SetFilter(b, p) => {
                let mark = self.scope.mark();
                let r = self
                    .set_bounds(std::slice::from_ref(b))
                    .and_then(|bs| Ok((bs, self.expr(p)?)));
                self.scope.reset(mark);
                let (mut bs, p) = r?;
                if bs.len() != 1 {
                    return Err(err(span, "a set filter binds exactly one variable"));
                }
                let (v, s) = bs.remove(0);
                Kind::SetFilter(v, s, p)
            }
            ExprKind::SetMap(body, bounds) => {
                let mark = self.scope.mark();
                let r = self
                    .set_bounds(bounds)
                    .and_then(|bs| Ok((bs, self.expr(body)?)));
                self.scope.reset(mark);
                let (bs, body) = r?;
                Kind::SetMap(body, bs)
            }
            ExprKind::FnLiteral(bounds, body) => {
                let mark = self.scope.mark();
                let r = self
                    .set_bounds(bounds)
                    .and_then(|bs| Ok((bs, self.expr(body)?)));
                self.scope.reset(mark);
                let (bs, body) = r?;
                Kind::FnLit(bs, body)
            }
            ExprKind::FnSet(a, b) => Kind::FnSet(self.expr(a)?, self.expr(b)?),
            ExprKind::Record(fs) => {
                let mut out = Vec::new();
                for (n, v) in fs {
                    out.push((Rc::from(n.name.as_str()), self.expr(v)?));
                }
                Kind::Record(out)
            }
            ExprKind::RecordSet(fs) => {
                let mut out = Vec::new();
                for (n, v) in fs {
                    out.push((Rc::from(n.name.as_str()), self.expr(v)?));
                }
                Kind::RecordSet(out)
            }
            ExprKind::Apply(f, args) => Kind::Apply(self.expr(f)?, self.list(args)?),
            ExprKind::Field(r, n) => Kind::Field(self.expr(r)?, n.name.as_str().into()),
            ExprKind::Except(f, ups) => {
                let f = self.expr(f)?;
                let mut out = Vec::new();
                for u in ups {
                    let mut path = Vec::new();
                    for k in &u.path {
                        path.push(match k {
                            ast::ExceptKey::Field(n) => ExceptKey::Field(n.name.as_str().into()),
                            ast::ExceptKey::Index(es) => ExceptKey::Index(self.list(es)?),
                        });
                    }
                    let at = self.prog.fresh_bvar("@");
                    let mark = self.scope.mark();
                    self.scope.push("@".into(), Binding::Bound(at.clone()));
                    let value = self.expr(&u.value);
                    self.scope.reset(mark);
                    out.push(ExceptUpdate {
                        path,
                        at,
                        value: value?,
                    });
                }
                Kind::Except(f, out)
            }
            ExprKind::At => match (self.scope.lookup("@"), &self.step_at) {
                (Some(Binding::Bound(v)), _) => Kind::Bound(v.clone()),
                // In a proof step, `@` is the right side of the previous
                // step's assertion (`<1>1. a = b`, `<1>2. @ = c`).
                (_, Some(rhs)) => return Ok(rhs.clone()),
                _ => {
                    return Err(err(
                        span,
                        "`@` outside an EXCEPT update and not after a proof step `a = b`",
                    ));
                }
            },
            ExprKind::Tuple(es) => Kind::Tuple(self.list(es)?),
            ExprKind::Product(es) => Kind::Product(self.list(es)?),
            ExprKind::BoxAction(a, v) => Kind::BoxAction(self.expr(a)?, self.expr(v)?),
            ExprKind::AngleAction(a, v) => Kind::AngleAction(self.expr(a)?, self.expr(v)?),
            ExprKind::Fairness {
                strong,
                sub,
                action,
            } => Kind::Temporal(
                if *strong {
                    TemporalOp::StrongFair
                } else {
                    TemporalOp::WeakFair
                },
                vec![self.expr(sub)?, self.expr(action)?],
            ),
            ExprKind::Lambda(params, body) => {
                let mark = self.scope.mark();
                let vs: Vec<BVar> = params
                    .iter()
                    .map(|p| self.prog.fresh_bvar(&p.name))
                    .collect();
                for (p, v) in params.iter().zip(&vs) {
                    self.scope
                        .push(p.name.as_str().into(), Binding::Bound(v.clone()));
                }
                let body = self.expr(body);
                self.scope.reset(mark);
                Kind::Lambda(vs, body?)
            }
        };
        Ok(self.node(kind, span))
    }

    /// Resolve a name path in expression position.
    pub fn name_path(&mut self, path: &ast::NamePath, span: Span) -> R<E> {
        if let Some(PathSegment::Step(l)) = path.segments.first() {
            return self.step_subexpression(l, &path.segments[1..], span);
        }
        let (binding, i) = self.path_binding(path, span)?;
        let Some(PathSegment::Name { name, args }) = path.segments.get(i) else {
            return Err(err(span, "a name path must start with a name"));
        };
        let head = self.apply_binding(binding, name, args, span)?;
        self.select_path(head, &path.segments[i + 1..], span)
    }

    /// Follow instance prefixes (`P!Q!Op`) to the binding of the first
    /// non-instance name; returns it with its segment index.
    pub(super) fn path_binding(&mut self, path: &ast::NamePath, span: Span) -> R<(Binding, usize)> {
        let mut ns: Option<Namespace> = None;
        for (i, seg) in path.segments.iter().enumerate() {
            let PathSegment::Name { name, args } = seg else {
                return Err(err(span, "a name path must start with a name"));
            };
            let binding = match &ns {
                Some(n) => n.names.get(name.name.as_str()).cloned(),
                None => self.scope.lookup(&name.name).cloned(),
            };
            match binding {
                Some(Binding::Instance(inst)) if args.is_empty() && i + 1 < path.segments.len() => {
                    ns = Some(self.prog.instances[inst.0 as usize].ns.clone());
                }
                Some(b) => return Ok((b, i)),
                None => {
                    let what = match &ns {
                        Some(_) => format!("unknown name `{}` in the instanced module", name.name),
                        // Theorems already loaded are in scope, so this one
                        // is stated further down.
                        None if self.module_theorems.contains(&name.name) => format!(
                            "theorem `{}` is used before it is stated: a name is in scope only \
                             after its declaration, so a proof may cite only earlier theorems \
                             (and citations cannot form a cycle)",
                            name.name
                        ),
                        None => format!("unknown name `{}`", name.name),
                    };
                    return Err(err(name.span, what));
                }
            }
        }
        Err(err(span, "incomplete name"))
    }

    fn args(&mut self, args: &[ast::Expr]) -> R<Vec<E>> {
        self.list(args)
    }

    /// An argument for an operator parameter of arity `arity`: a LAMBDA,
    /// or the name of an operator of that arity, which stands for
    /// `LAMBDA x1, .., xn : Op(x1, .., xn)`.
    pub(super) fn operator_argument(&mut self, arg: &ast::Expr, arity: usize) -> R<E> {
        let span = arg.span;
        let named = match &arg.kind {
            ExprKind::Lambda(params, _) if params.len() != arity => {
                return Err(err(
                    span,
                    format!(
                        "a LAMBDA of {} parameter(s) where an operator of {arity} is expected",
                        params.len()
                    ),
                ));
            }
            ExprKind::Lambda(..) => return self.expr(arg),
            ExprKind::Name(path) => match path.segments.as_slice() {
                [PathSegment::Name { name, args }] if args.is_empty() => self
                    .scope
                    .lookup(&name.name)
                    .cloned()
                    .map(|b| (b, name.clone())),
                _ => None,
            },
            _ => None,
        };
        let Some((binding, name)) = named else {
            return Err(err(
                span,
                format!("an operator of {arity} argument(s) (a name or a LAMBDA) is expected here"),
            ));
        };
        let vs: Vec<BVar> = (0..arity)
            .map(|i| self.prog.fresh_bvar(&format!("{}_{i}", name.name)))
            .collect();
        let xs: Vec<E> = vs
            .iter()
            .map(|v| self.node(Kind::Bound(v.clone()), span))
            .collect();
        let body = match binding {
            Binding::Def(d) if self.prog.def(d).params.len() - self.captured_count(d) == arity => {
                let mut a = self.captured_args(d, span);
                a.extend(xs);
                self.node(Kind::App(d, a), span)
            }
            Binding::OpParam(v, n) if n == arity => self.node(Kind::OpParamApp(v, xs), span),
            Binding::Builtin(b, n) if n == arity => self.node(Kind::Builtin(b, xs), span),
            _ => {
                return Err(err(
                    span,
                    format!("`{}` is not an operator of {arity} argument(s)", name.name),
                ));
            }
        };
        Ok(self.node(Kind::Lambda(vs, body), span))
    }

    /// The expression a name denotes when applied to `args`.
    pub(super) fn apply_binding(
        &mut self,
        b: Binding,
        name: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> R<Head> {
        let arity_err = |want: usize| {
            err(
                span,
                format!(
                    "`{}` takes {} argument(s), {} given",
                    name.name,
                    want,
                    args.len()
                ),
            )
        };
        Ok(match b {
            Binding::Bound(v) => {
                if !args.is_empty() {
                    return Err(arity_err(0));
                }
                Head::Expr(self.node(Kind::Bound(v), span))
            }
            Binding::OpParam(v, n) => {
                if args.len() != n {
                    return Err(arity_err(n));
                }
                let a = self.args(args)?;
                Head::Expr(self.node(Kind::OpParamApp(v, a), span))
            }
            Binding::Const(c) => {
                if !args.is_empty() {
                    return Err(arity_err(0));
                }
                Head::Expr(self.node(Kind::Const(c), span))
            }
            Binding::Var(v) => {
                if !args.is_empty() {
                    return Err(arity_err(0));
                }
                Head::Expr(self.node(Kind::Var(v), span))
            }
            // An operator constant of an instanced module, substituted by
            // an operator (`WITH Op <- F`): applied by substitution.
            Binding::Subst(e) if !args.is_empty() => match &e.kind {
                Kind::Lambda(params, body) if params.len() == args.len() => {
                    let a = self.args(args)?;
                    let map: std::collections::HashMap<u32, E> =
                        params.iter().map(|p| p.id).zip(a).collect();
                    Head::Expr(subst::subst(self.prog, body, &map))
                }
                _ => return Err(arity_err(0)),
            },
            Binding::Subst(e) => Head::Expr(e),
            Binding::Def(d) => {
                let def = self.prog.def(d);
                let visible = def.params.len() - self.captured_count(d);
                if args.len() != visible {
                    return Err(arity_err(visible));
                }
                let arities: Vec<usize> = def.param_arities[def.captured..].to_vec();
                let mut a = self.captured_args(d, span);
                for (arg, arity) in args.iter().zip(arities) {
                    a.push(if arity > 0 {
                        self.operator_argument(arg, arity)?
                    } else {
                        self.expr(arg)?
                    });
                }
                Head::Def(d, a)
            }
            Binding::Builtin(b, n) => {
                if args.len() != n {
                    return Err(arity_err(n));
                }
                let a = self.args(args)?;
                Head::Expr(self.node(Kind::Builtin(b, a), span))
            }
            Binding::Theorem(t) => {
                if !args.is_empty() {
                    return Err(arity_err(0));
                }
                Head::Theorem(t)
            }
            Binding::Assume(a) => Head::Assume(a),
            Binding::Instance(_) => {
                return Err(err(
                    span,
                    format!("`{}` is an instance, not an expression", name.name),
                ));
            }
            Binding::Pragma => Head::Pragma(name.name.as_str().into()),
        })
    }

    /// Number of leading parameters of a local definition that are
    /// captured bound variables (lambda lifting).
    fn captured_count(&self, d: DefId) -> usize {
        self.prog.def(d).captured
    }

    fn captured_args(&mut self, d: DefId, span: Span) -> Vec<E> {
        let n = self.captured_count(d);
        let params: Vec<BVar> = self.prog.def(d).params[..n].to_vec();
        params
            .into_iter()
            .map(|v| self.node(Kind::Bound(v), span))
            .collect()
    }

    pub(super) fn select_path(&mut self, head: Head, rest: &[PathSegment], span: Span) -> R<E> {
        let mut cur = match (&head, rest.is_empty()) {
            (Head::Expr(e), _) => e.clone(),
            (Head::Def(d, args), true) => {
                let d = *d;
                return Ok(self.node(Kind::App(d, args.clone()), span));
            }
            (Head::Def(d, args), false) => {
                subst::instantiate(self.prog, *d, args).ok_or_else(|| {
                    err(
                        span,
                        "cannot select a subexpression of a function definition",
                    )
                })?
            }
            (Head::Theorem(t), _) => {
                let st = self.prog.theorem(*t).statement.clone();
                if !st.is_plain() {
                    return Err(err(
                        span,
                        "subexpressions of an ASSUME/PROVE theorem are not supported",
                    ));
                }
                st.goal
            }
            (Head::Assume(a), _) => self.prog.assumes[a.0 as usize].body.clone(),
            (Head::Pragma(n), _) => {
                return Err(err(
                    span,
                    format!("`{n}` is a prover pragma, not an expression"),
                ));
            }
        };
        let mut rest = rest;
        // `Op!lbl`: the expression labelled `lbl` in Op's body, with Op's
        // arguments for its parameters.
        if let (Head::Def(d, args), Some(PathSegment::Name { name, args: none })) =
            (&head, rest.first())
            && none.is_empty()
            && let Some(labelled) = self
                .prog
                .labels
                .get(&(*d, name.name.as_str().into()))
                .cloned()
        {
            let params: Vec<u32> = self.prog.def(*d).params.iter().map(|p| p.id).collect();
            let map: std::collections::HashMap<u32, E> =
                params.into_iter().zip(args.iter().cloned()).collect();
            cur = subst::subst(self.prog, &labelled, &map);
            rest = &rest[1..];
        }
        for seg in rest {
            let sel = match seg {
                PathSegment::Index(i) => Selector::Index(*i),
                PathSegment::Args(a) => Selector::Args(self.args(a)?),
                PathSegment::Colon => Selector::Colon,
                PathSegment::Name { name, .. } => {
                    return Err(err(
                        name.span,
                        format!(
                            "unsupported construct: selecting `{}` by name inside an expression",
                            name.name
                        ),
                    ));
                }
                _ => return Err(err(span, "unsupported construct: subexpression selector")),
            };
            cur = subst::select(self.prog, &cur, &sel).map_err(|m| err(span, m))?;
        }
        Ok(cur)
    }
}

/// What the head of a name path denotes before selectors are applied.
pub(super) enum Head {
    Expr(E),
    Def(DefId, Vec<E>),
    Theorem(ThmId),
    Assume(AsmId),
    Pragma(Rc<str>),
}
