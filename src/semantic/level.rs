//! Levels: which state variables an expression reads, whether it is an
//! action (contains primes) or temporal formula.

use super::ir::*;
use super::program::Program;
use std::collections::{BTreeSet, HashMap};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LevelInfo {
    /// State variables read, directly or through definitions.
    pub vars: BTreeSet<VarId>,
    /// Contains a prime, UNCHANGED or `[A]_v` (action level).
    pub action: bool,
    /// Contains `[]`, `<>`, `~>`, fairness (temporal level).
    pub temporal: bool,
    /// Reads a `NEW VARIABLE` or `NEW STATE` parameter (state level).
    pub state_params: bool,
}

impl LevelInfo {
    pub fn level(&self) -> Level {
        if self.temporal {
            Level::Temporal
        } else if self.action {
            Level::Action
        } else if self.vars.is_empty() && !self.state_params {
            Level::Constant
        } else {
            Level::State
        }
    }

    fn join(&mut self, other: &LevelInfo) {
        self.vars.extend(other.vars.iter().copied());
        self.action |= other.action;
        self.temporal |= other.temporal;
        self.state_params |= other.state_params;
    }
}

/// Memoized level analysis over a program.
#[derive(Default)]
pub struct Levels {
    defs: HashMap<DefId, LevelInfo>,
    primed: HashMap<DefId, Vec<bool>>,
}

impl Levels {
    pub fn def(&mut self, prog: &Program, d: DefId) -> LevelInfo {
        if let Some(i) = self.defs.get(&d) {
            return i.clone();
        }
        // Recursive functions: assume nothing while visiting.
        self.defs.insert(d, LevelInfo::default());
        let info = match &prog.def(d).body {
            DefBody::Expr(e) => self.expr(prog, e),
            DefBody::RecFn(bs, body) => {
                let mut i = self.expr(prog, body);
                for (_, s) in bs {
                    i.join(&self.expr(prog, s));
                }
                i
            }
            DefBody::Pending => LevelInfo::default(),
        };
        self.defs.insert(d, info.clone());
        info
    }

    /// For each parameter of `d`: does its body prime it, put it under
    /// UNCHANGED or a subscript `[A]_p`, or pass it to such a parameter of
    /// another definition? Such a parameter is not *Leibniz*: `d(x)` and
    /// `d(y)` may differ although `x = y` (`x'` need not equal `y'`), so
    /// `d` cannot be a function of its argument's value.
    pub fn primed_params(&mut self, prog: &Program, d: DefId) -> Vec<bool> {
        if let Some(p) = self.primed.get(&d) {
            return p.clone();
        }
        let def = prog.def(d);
        let n = def.params.len();
        // Recursive definitions: assume Leibniz while visiting.
        self.primed.insert(d, vec![false; n]);
        let body = match &def.body {
            DefBody::Expr(e) => Some(e.clone()),
            DefBody::RecFn(_, b) => Some(b.clone()),
            DefBody::Pending => None,
        };
        let mut out = vec![false; n];
        if let Some(b) = body {
            for (i, p) in def.params.iter().enumerate() {
                out[i] = self.primes_bound(prog, &b, p.id, false);
            }
        }
        self.primed.insert(d, out.clone());
        out
    }

    /// Whether every occurrence of the constant (bound variable or operator
    /// parameter) `id` in `e` stands for its value in the current state or
    /// step: none under a prime, UNCHANGED, ENABLED, an action's subscript or
    /// a temporal operator, in a non-Leibniz parameter of a definition, or in
    /// an argument of a flexible (NEW ACTION ...) operator. Then any
    /// expression may be substituted for `id` (a fact `\A v : P(v)` gives
    /// `P(e)`); otherwise only a constant one: from the valid `\A v : (x = v)'
    /// => x' = v`, substituting `x` for `v` gives the invalid `x' = x' => x' = x`.
    pub fn leibniz_in(&mut self, prog: &Program, e: &E, id: u32) -> bool {
        !self.primes_bound(prog, e, id, false)
    }

    /// Does `e` prime the bound variable `id` (`under` a prime already)?
    fn primes_bound(&mut self, prog: &Program, e: &E, id: u32, under: bool) -> bool {
        use crate::syntax::ast::UnOp;
        match &e.kind {
            Kind::Bound(v) => under && v.id == id,
            Kind::OpParamApp(v, args) => {
                let flexible = prog.flexible_params.contains_key(&v.id);
                (under && v.id == id)
                    || args
                        .iter()
                        .any(|a| self.primes_bound(prog, a, id, under || flexible))
            }
            // Re-evaluated in other states: as good as primed.
            Kind::Temporal(_, args) => args.iter().any(|a| self.primes_bound(prog, a, id, true)),
            Kind::Unary(UnOp::Prime | UnOp::Unchanged | UnOp::Enabled, a) => {
                self.primes_bound(prog, a, id, true)
            }
            Kind::BoxAction(a, v) | Kind::AngleAction(a, v) => {
                self.primes_bound(prog, a, id, under) || self.primes_bound(prog, v, id, true)
            }
            Kind::App(d, args) => {
                let primed = self.primed_params(prog, *d);
                args.iter().enumerate().any(|(i, a)| {
                    let p = under || primed.get(i).copied().unwrap_or(false);
                    self.primes_bound(prog, a, id, p)
                })
            }
            _ => children(e)
                .into_iter()
                .any(|c| self.primes_bound(prog, c, id, under)),
        }
    }

    pub fn expr(&mut self, prog: &Program, e: &E) -> LevelInfo {
        let mut info = LevelInfo::default();
        self.visit(prog, e, &mut info);
        info
    }

    fn visit(&mut self, prog: &Program, e: &E, info: &mut LevelInfo) {
        match &e.kind {
            Kind::Var(v) => {
                info.vars.insert(*v);
            }
            Kind::Bound(v) | Kind::OpParamApp(v, _) => match prog.flexible_params.get(&v.id) {
                Some(Level::State) => info.state_params = true,
                Some(Level::Action) => info.action = true,
                Some(Level::Temporal) => info.temporal = true,
                _ => {}
            },
            Kind::App(d, args) => {
                let di = self.def(prog, *d);
                info.join(&di);
                for a in args {
                    self.visit(prog, a, info);
                }
                return;
            }
            Kind::RecFnRef(d) => {
                let di = self.def(prog, *d);
                info.join(&di);
            }
            Kind::Unary(
                crate::syntax::ast::UnOp::Prime | crate::syntax::ast::UnOp::Unchanged,
                _,
            ) => {
                info.action = true;
            }
            Kind::BoxAction(..) | Kind::AngleAction(..) => info.action = true,
            Kind::Temporal(..) => info.temporal = true,
            Kind::Let(defs, _) => {
                for d in defs {
                    let di = self.def(prog, *d);
                    info.join(&di);
                }
            }
            _ => {}
        }
        for c in children(e) {
            self.visit(prog, c, info);
        }
    }
}

/// Direct subexpressions of an expression (not looking into definitions).
pub fn children(e: &E) -> Vec<&E> {
    let mut out: Vec<&E> = Vec::new();
    match &e.kind {
        Kind::Bound(_)
        | Kind::Const(_)
        | Kind::Var(_)
        | Kind::Int(_)
        | Kind::Str(_)
        | Kind::Bool(_)
        | Kind::NatSet
        | Kind::IntSet
        | Kind::BoolSet
        | Kind::StringSet
        | Kind::RecFnRef(_) => {}
        Kind::App(_, es)
        | Kind::OpParamApp(_, es)
        | Kind::Builtin(_, es)
        | Kind::And(es)
        | Kind::Or(es)
        | Kind::SetEnum(es)
        | Kind::Tuple(es)
        | Kind::Product(es)
        | Kind::Temporal(_, es) => out.extend(es),
        Kind::Lambda(_, b) | Kind::Unary(_, b) | Kind::Field(b, _) | Kind::Let(_, b) => out.push(b),
        Kind::Binary(_, a, b)
        | Kind::FnSet(a, b)
        | Kind::BoxAction(a, b)
        | Kind::AngleAction(a, b) => {
            out.push(a);
            out.push(b);
        }
        Kind::If(a, b, c) => out.extend([a, b, c]),
        Kind::Case(arms, other) => {
            for (g, v) in arms {
                out.push(g);
                out.push(v);
            }
            out.extend(other);
        }
        Kind::Forall(bs, b) | Kind::Exists(bs, b) => {
            out.extend(bs.iter().filter_map(|(_, s)| s.as_ref()));
            out.push(b);
        }
        Kind::Choose(_, s, b) => {
            out.extend(s);
            out.push(b);
        }
        Kind::SetFilter(_, s, p) => out.extend([s, p]),
        Kind::SetMap(b, bs) | Kind::FnLit(bs, b) => {
            out.extend(bs.iter().map(|(_, s)| s));
            out.push(b);
        }
        Kind::Record(fs) | Kind::RecordSet(fs) => out.extend(fs.iter().map(|(_, v)| v)),
        Kind::Apply(f, args) => {
            out.push(f);
            out.extend(args);
        }
        Kind::Except(f, ups) => {
            out.push(f);
            for u in ups {
                for k in &u.path {
                    if let ExceptKey::Index(es) = k {
                        out.extend(es);
                    }
                }
                out.push(&u.value);
            }
        }
    }
    out
}
