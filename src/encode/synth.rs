//! Sort synthesis: the sort of every term, bottom-up, from the sorts of
//! the symbols the obligation justifies (see `justify`).
//!
//! The invariant: if `ty(e)` is a sort `T`, the TLA+ value of `e` is
//! represented in `T` in every model of the obligation. Operators whose
//! result TLA+ specifies for every argument of their operands' sorts keep a
//! typed result (`a + b` for integers, `S \cup T`, `[S -> T]`, a record).
//! Operators TLA+ leaves unspecified on some arguments (`f[x]` outside
//! `DOMAIN f`, `r.f` without field `f`, `a \div b` for `b <= 0`, CHOOSE
//! with nothing to choose, CASE with no true arm) keep a typed result only
//! where the obligation shows the argument is in the operator's domain, or
//! where the result sort is *flexible*: an uninterpreted sort can hold any
//! value (it stands for a set of values large enough to contain every value
//! the obligation's terms of that sort take), so an unspecified value is
//! still one of its values. Everything else is a value of the universe.

use super::Encoder;
use crate::semantic::ir::*;
use crate::syntax::ast::{BinOp, UnOp};
use crate::types::Type;

/// How deep definitions are followed when deciding whether a definition's
/// body is a formula.
pub(crate) const FORMULA_DEPTH: usize = 16;

/// Is every value of `t`'s sort able to stand for an unspecified value?
/// Uninterpreted sorts (and sets of them: every value is a set, whose
/// elements an uninterpreted sort can hold) are; integers, Booleans,
/// strings, functions, records and tuples are not.
pub(crate) fn flexible(t: &Type) -> bool {
    match t {
        Type::Atom(_) | Type::Var(_) | Type::Univ => true,
        Type::Set(e) => flexible(e),
        _ => false,
    }
}

/// The flexible part of a candidate type: what a symbol that no fact of
/// the obligation types may be given (see [`flexible`]).
pub(crate) fn flex(t: &Type) -> Type {
    match t {
        Type::Atom(_) | Type::Var(_) | Type::Univ => t.clone(),
        Type::Set(e) => Type::Set(Box::new(flex(e))),
        _ => Type::Univ,
    }
}

/// The common sort of two terms that may stand in the same place (the
/// branches of an IF, the elements of a set): the sort itself if equal,
/// the universe otherwise.
pub(crate) fn join(a: &Type, b: &Type) -> Type {
    if a == b {
        return a.clone();
    }
    match (a, b) {
        (Type::Set(x), Type::Set(y)) => Type::Set(Box::new(join(x, y))),
        _ => Type::Univ,
    }
}

/// The element sort of a set sort; the universe for any other sort (every
/// value is a set, whose elements are values).
pub(crate) fn elem(t: &Type) -> Type {
    match t {
        Type::Set(e) => (**e).clone(),
        _ => Type::Univ,
    }
}

impl Encoder<'_> {
    /// The sort of a term (see the module comment).
    pub(crate) fn ty(&mut self, e: &E) -> Type {
        let t = self.natural_ty(e);
        if t == Type::Univ
            && matches!(e.kind, Kind::Field(..) | Kind::Apply(..))
            && let Some(a) = self.absorbing_sort(e)
        {
            return a;
        }
        t
    }

    /// A field or application read through the universe whose hint is an
    /// uninterpreted sort, and which mentions no bound variable (only
    /// constants, state and context constants): the sort can hold its value
    /// (it stands for a set of values, which may as well contain this one
    /// more), so the term is given that sort, the encoder stating that its
    /// value is in the sort's image (see `absorb`). Under a bound variable
    /// the values it takes need not form a set, so it stays in the universe.
    fn absorbing_sort(&mut self, e: &E) -> Option<Type> {
        let c = self.candidate(e);
        if !matches!(c, Type::Atom(_) | Type::Var(_)) {
            return None;
        }
        let mut todo = vec![e];
        while let Some(x) = todo.pop() {
            if let Kind::Bound(v) = &x.kind
                && !self.context_ids.contains(&v.id)
            {
                return None;
            }
            todo.extend(crate::semantic::level::children(x));
        }
        Some(c)
    }

    /// The sort of `e` from its operands' (before absorption).
    fn natural_ty(&mut self, e: &E) -> Type {
        match &e.kind {
            Kind::Bound(v) => self.bvar_type(v),
            Kind::Const(c) => self.const_type(*c),
            Kind::Var(v) => self.var_type(*v, self.primed),
            Kind::App(d, args) => self.app_type(e, *d, args),
            // An operator constant's value may be anything.
            Kind::OpParamApp(v, _) if self.prog.op_constants.contains(&v.id) => Type::Univ,
            Kind::OpParamApp(..) => flex(&self.candidate(e)),
            Kind::Lambda(..) | Kind::Temporal(..) => Type::Bool,
            Kind::Builtin(Builtin::IsFiniteSet, _) => Type::Bool,
            Kind::Builtin(Builtin::Cardinality, args) => {
                if matches!(self.ty(&args[0]), Type::Set(_)) && self.statically_finite(&args[0]) {
                    Type::Int
                } else {
                    Type::Univ
                }
            }
            Kind::Int(_) => Type::Int,
            Kind::Str(_) => Type::Str,
            Kind::Bool(_) => Type::Bool,
            Kind::NatSet | Kind::IntSet => Type::Set(Box::new(Type::Int)),
            Kind::BoolSet => Type::Set(Box::new(Type::Bool)),
            Kind::StringSet => Type::Set(Box::new(Type::Str)),
            Kind::Unary(op, a) => self.unary_type(*op, a),
            Kind::Binary(op, a, b) => self.binary_type(*op, a, b),
            Kind::And(_) | Kind::Or(_) => Type::Bool,
            Kind::Forall(..) | Kind::Exists(..) => Type::Bool,
            Kind::BoxAction(..) | Kind::AngleAction(..) => Type::Bool,
            Kind::If(_, t, f) => {
                let (tt, tf) = (self.ty(t), self.ty(f));
                join(&tt, &tf)
            }
            Kind::Case(arms, other) => {
                let mut t: Option<Type> = None;
                for (_, v) in arms.iter() {
                    let tv = self.ty(v);
                    t = Some(t.map_or(tv.clone(), |t| join(&t, &tv)));
                }
                if let Some(o) = other {
                    let to = self.ty(o);
                    t = Some(t.map_or(to.clone(), |t| join(&t, &to)));
                }
                let t = t.unwrap_or(Type::Univ);
                // With no true arm and no OTHER the value is unspecified.
                if other.is_none() && !flexible(&t) {
                    Type::Univ
                } else {
                    t
                }
            }
            Kind::Choose(v, s, _) => self.choose_type(v, s.as_ref()),
            Kind::SetEnum(items) => {
                let mut t: Option<Type> = None;
                for x in items {
                    let tx = self.ty(x);
                    t = Some(t.map_or(tx.clone(), |t| join(&t, &tx)));
                }
                // The empty set is a set of every sort: take the hint's.
                Type::Set(Box::new(t.unwrap_or_else(|| elem(&self.candidate(e)))))
            }
            Kind::SetFilter(v, s, _) => {
                let ts = self.ty(s);
                let te = elem(&ts);
                self.bvar_types.insert(v.id, te.clone());
                Type::Set(Box::new(te))
            }
            Kind::SetMap(body, bs) => {
                for (v, s) in bs {
                    let te = elem(&self.ty(s));
                    self.bvar_types.insert(v.id, te);
                }
                Type::Set(Box::new(self.ty(body)))
            }
            Kind::FnLit(bs, body) => {
                let mut doms = Vec::new();
                let mark = self.local_members.len();
                for (v, s) in bs {
                    let te = elem(&self.ty(s));
                    self.bvar_types.insert(v.id, te.clone());
                    doms.push(te);
                    // The body's applications `g[v]` are read knowing
                    // `v \in s`, as the encoder reads them.
                    self.push_member(v, s);
                }
                let dom = if doms.len() == 1 {
                    doms.pop().unwrap()
                } else {
                    Type::Tuple(doms)
                };
                let range = self.ty(body);
                self.local_members.truncate(mark);
                Type::Fun(Box::new(dom), Box::new(range))
            }
            Kind::RecFnRef(d) => self.rec_fn_type(*d),
            Kind::FnSet(a, b) => {
                let (ta, tb) = (elem(&self.ty(a)), elem(&self.ty(b)));
                Type::Set(Box::new(Type::Fun(Box::new(ta), Box::new(tb))))
            }
            Kind::Record(fs) => self.record_type(e, fs),
            Kind::RecordSet(fs) => self.record_set_type(e, fs),
            Kind::Apply(f, args) => self.apply_type(f, args),
            Kind::Field(r, n) => self.field_type(r, n),
            Kind::Except(f, ups) => self.except_type(f, ups),
            Kind::Tuple(es) => Type::Tuple(es.iter().map(|x| self.ty(x)).collect()),
            Kind::Product(es) => Type::Set(Box::new(Type::Tuple(
                es.iter().map(|x| elem(&self.ty(x))).collect(),
            ))),
            Kind::Let(_, body) => self.ty(body),
        }
    }

    /// The type the global inference gave `e`: a hint (which uninterpreted
    /// sorts to share, how records group into families), never a fact.
    pub(crate) fn candidate(&self, e: &E) -> Type {
        self.candidate_of(e.ty)
    }

    pub(crate) fn candidate_of(&self, v: TyVar) -> Type {
        let t = self.prog.types.resolve(v);
        self.apply_tysubst(t)
    }

    fn bvar_type(&mut self, v: &BVar) -> Type {
        if let Some(t) = self.bvar_types.get(&v.id) {
            return t.clone();
        }
        flex(&self.candidate_of(v.ty))
    }

    fn const_type(&mut self, c: ConstId) -> Type {
        if let Some(t) = self.symbols.consts.get(&c) {
            return t.clone();
        }
        flex(&self.candidate_of(self.prog.consts[c.0 as usize].ty))
    }

    pub(crate) fn var_type(&mut self, v: VarId, primed: bool) -> Type {
        if let Some(t) = self.symbols.vars.get(&(v, primed)) {
            return t.clone();
        }
        flex(&self.candidate_of(self.prog.vars[v.0 as usize].ty))
    }

    /// A hidden (not expanded) definition whose body is a formula.
    pub(crate) fn hidden_formula(&self, e: &E) -> bool {
        match &e.kind {
            Kind::Unary(UnOp::Prime, inner) => !self.primed && self.hidden_formula(inner),
            Kind::App(d, _) => !self.is_expanded(*d) && self.formula_def(*d, FORMULA_DEPTH),
            Kind::OpParamApp(..) => self.candidate(e) == Type::Bool,
            _ => false,
        }
    }

    pub(crate) fn is_expanded(&self, d: DefId) -> bool {
        self.expand.contains(&d) || self.prog.def(d).origin == DefOrigin::Let
    }

    /// Is the body of definition `d` a formula (its value a Boolean in
    /// TLA+, for any arguments)?
    pub(crate) fn formula_def(&self, d: DefId, depth: usize) -> bool {
        match &self.prog.def(d).body {
            DefBody::Expr(b) => self.is_formula(b, depth),
            _ => false,
        }
    }

    fn is_formula(&self, e: &E, depth: usize) -> bool {
        if depth == 0 {
            return false;
        }
        match &e.kind {
            Kind::Bool(_)
            | Kind::And(_)
            | Kind::Or(_)
            | Kind::Forall(..)
            | Kind::Exists(..)
            | Kind::BoxAction(..)
            | Kind::AngleAction(..)
            | Kind::Temporal(..)
            | Kind::Builtin(Builtin::IsFiniteSet, _) => true,
            Kind::Unary(op, _) => matches!(
                op,
                UnOp::Not | UnOp::Unchanged | UnOp::Enabled | UnOp::Always | UnOp::Eventually
            ),
            Kind::Binary(op, _, _) => matches!(
                op,
                BinOp::And
                    | BinOp::Or
                    | BinOp::Implies
                    | BinOp::Equiv
                    | BinOp::Eq
                    | BinOp::Neq
                    | BinOp::In
                    | BinOp::NotIn
                    | BinOp::Subseteq
                    | BinOp::LeadsTo
            ),
            Kind::App(d, _) => self.formula_def(*d, depth - 1),
            Kind::Let(_, b) => self.is_formula(b, depth - 1),
            Kind::If(_, t, f) => self.is_formula(t, depth - 1) && self.is_formula(f, depth - 1),
            _ => false,
        }
    }

    fn app_type(&mut self, e: &E, d: DefId, args: &[E]) -> Type {
        let def = self.prog.def(d).clone();
        if self.is_expanded(d) && !matches!(def.body, DefBody::RecFn(..)) {
            if self.depth > super::expr::MAX_DEPTH {
                return Type::Univ;
            }
            let Some(body) = crate::semantic::subst::instantiate(self.prog, d, args) else {
                return Type::Univ;
            };
            self.depth += 1;
            let t = self.ty(&body);
            self.depth -= 1;
            return t;
        }
        if let DefBody::RecFn(..) = def.body {
            return self.rec_fn_type(d);
        }
        if self.formula_def(d, FORMULA_DEPTH) {
            // A hidden formula's value: unknown (its truth is a symbol of its
            // own, see `hidden_truth`).
            return Type::Univ;
        }
        flex(&self.candidate(e))
    }

    /// A function defined by `f[x \in S] == body`: its domain sort from
    /// `S`; its range sort the candidate's, if the body (read with `f` of
    /// that sort) has it, else the universe.
    pub(crate) fn rec_fn_type(&mut self, d: DefId) -> Type {
        if let Some(t) = self.rec_fn_types.get(&d) {
            return t.clone();
        }
        let def = self.prog.def(d).clone();
        let DefBody::RecFn(bs, body) = &def.body else {
            return Type::Univ;
        };
        let mut doms = Vec::new();
        for (v, s) in bs {
            let te = elem(&self.ty(s));
            self.bvar_types.insert(v.id, te.clone());
            doms.push(te);
        }
        let dom = if doms.len() == 1 {
            doms.pop().unwrap()
        } else {
            Type::Tuple(doms)
        };
        let range = match self.candidate_of(def.ty) {
            Type::Fun(_, r) => *r,
            _ => Type::Univ,
        };
        let assumed = Type::Fun(Box::new(dom.clone()), Box::new(range.clone()));
        self.rec_fn_types.insert(d, assumed.clone());
        let got = self.ty(body);
        if got == range {
            return assumed;
        }
        let t = Type::Fun(Box::new(dom), Box::new(Type::Univ));
        self.rec_fn_types.insert(d, t.clone());
        t
    }

    fn unary_type(&mut self, op: UnOp, a: &E) -> Type {
        match op {
            UnOp::Not | UnOp::Unchanged | UnOp::Enabled | UnOp::Always | UnOp::Eventually => {
                Type::Bool
            }
            UnOp::Neg => {
                if self.ty(a) == Type::Int {
                    Type::Int
                } else {
                    Type::Univ
                }
            }
            UnOp::Prime => {
                let saved = self.primed;
                self.primed = true;
                let t = self.ty(a);
                self.primed = saved;
                t
            }
            UnOp::Subset => Type::Set(Box::new(Type::Set(Box::new(elem(&self.ty(a)))))),
            UnOp::Union => Type::Set(Box::new(elem(&elem(&self.ty(a))))),
            UnOp::Domain => match self.ty(a) {
                Type::Fun(d, _) => Type::Set(d),
                Type::Rec(_) => Type::Set(Box::new(Type::Str)),
                Type::Tuple(_) => Type::Set(Box::new(Type::Int)),
                _ => Type::Univ,
            },
        }
    }

    fn binary_type(&mut self, op: BinOp, a: &E, b: &E) -> Type {
        match op {
            BinOp::Plus | BinOp::Minus | BinOp::Times => {
                if self.ty(a) == Type::Int && self.ty(b) == Type::Int {
                    Type::Int
                } else {
                    Type::Univ
                }
            }
            BinOp::Div | BinOp::Mod => {
                if self.ty(a) == Type::Int && self.ty(b) == Type::Int && positive_literal(b) {
                    Type::Int
                } else {
                    Type::Univ
                }
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                if self.ty(a) == Type::Int && self.ty(b) == Type::Int {
                    Type::Bool
                } else {
                    Type::Univ
                }
            }
            BinOp::Range => {
                if self.ty(a) == Type::Int && self.ty(b) == Type::Int {
                    Type::Set(Box::new(Type::Int))
                } else {
                    Type::Univ
                }
            }
            BinOp::Cup => {
                let (ta, tb) = (self.ty(a), self.ty(b));
                Type::Set(Box::new(join(&elem(&ta), &elem(&tb))))
            }
            // Elements of `A \cap B` and `A \ B` are elements of A.
            BinOp::Cap | BinOp::SetMinus => Type::Set(Box::new(elem(&self.ty(a)))),
            _ => Type::Bool,
        }
    }

    fn choose_type(&mut self, v: &BVar, s: Option<&E>) -> Type {
        let t = match s {
            Some(s) => elem(&self.ty(s)),
            None => flex(&self.candidate_of(v.ty)),
        };
        self.bvar_types.insert(v.id, t.clone());
        // With nothing to choose the value is unspecified: only a flexible
        // sort can hold it.
        if flexible(&t) { t } else { Type::Univ }
    }

    /// A record literal has its family's sort when every field value has
    /// the family's sort for that field.
    fn record_type(&mut self, e: &E, fs: &[(std::rc::Rc<str>, E)]) -> Type {
        let Some(fields) = self.family_fields(e.ty) else {
            return Type::Univ;
        };
        for (n, v) in fs {
            let tv = self.ty(v);
            if fields.get(n) != Some(&tv) {
                return Type::Univ;
            }
        }
        self.candidate(e)
    }

    fn record_set_type(&mut self, e: &E, fs: &[(std::rc::Rc<str>, E)]) -> Type {
        let rec = elem(&self.candidate(e));
        let Type::Rec(v) = rec else {
            return Type::Set(Box::new(Type::Univ));
        };
        let Some(fields) = self.family_fields(v) else {
            return Type::Set(Box::new(Type::Univ));
        };
        for (n, s) in fs {
            let te = elem(&self.ty(s));
            if fields.get(n) != Some(&te) {
                return Type::Set(Box::new(Type::Univ));
            }
        }
        Type::Set(Box::new(Type::Rec(v)))
    }

    /// The field types of the record family of `v`, if it is one with at
    /// least one known shape.
    pub(crate) fn family_fields(
        &self,
        v: TyVar,
    ) -> Option<std::collections::BTreeMap<std::rc::Rc<str>, Type>> {
        let Type::Rec(root) = self.candidate_of(v) else {
            return None;
        };
        if self.prog.types.shapes_of(root).is_empty() {
            return None;
        }
        Some(
            self.prog
                .types
                .record_fields(root)
                .into_iter()
                .map(|(n, t)| (n, self.prog.types.resolve(t)))
                .collect(),
        )
    }

    /// Does every record shape of family `v` have field `n`?
    pub(crate) fn all_shapes_have(&self, v: TyVar, n: &str) -> bool {
        let root = self.prog.types.find(v);
        let shapes = self.prog.types.shapes_of(root);
        !shapes.is_empty() && shapes.iter().all(|s| s.iter().any(|f| &**f == n))
    }

    fn apply_type(&mut self, f: &E, args: &[E]) -> Type {
        match self.ty(f) {
            Type::Fun(a, b) => {
                let arg_t = if args.len() == 1 {
                    self.ty(&args[0])
                } else {
                    Type::Tuple(args.iter().map(|x| self.ty(x)).collect())
                };
                if arg_t == *a && (flexible(&b) || self.in_domain(f, args)) {
                    *b
                } else {
                    Type::Univ
                }
            }
            Type::Tuple(ts) => match args {
                [a] => match a.kind {
                    Kind::Int(i) if i >= 1 && (i as usize) <= ts.len() => {
                        ts[i as usize - 1].clone()
                    }
                    _ => Type::Univ,
                },
                _ => Type::Univ,
            },
            Type::Rec(v) => match args {
                [a] => match &a.kind {
                    Kind::Str(n) => self.field_of_family(v, n),
                    _ => Type::Univ,
                },
                _ => Type::Univ,
            },
            _ => Type::Univ,
        }
    }

    fn field_type(&mut self, r: &E, n: &str) -> Type {
        match self.ty(r) {
            Type::Rec(v) => self.field_of_family(v, n),
            _ => Type::Univ,
        }
    }

    /// The sort of field `n` of a record of family `v`: the field's sort if
    /// every shape has the field or the sort is flexible, else the universe.
    pub(crate) fn field_of_family(&self, v: TyVar, n: &str) -> Type {
        let Some(fields) = self.family_fields(v) else {
            return Type::Univ;
        };
        match fields.get(n) {
            Some(t) if flexible(t) || self.all_shapes_have(v, n) => t.clone(),
            _ => Type::Univ,
        }
    }

    fn except_type(&mut self, f: &E, ups: &[ExceptUpdate]) -> Type {
        let tf = self.ty(f);
        if !matches!(tf, Type::Fun(..) | Type::Rec(_)) {
            return Type::Univ;
        }
        for u in ups {
            let mut cur = tf.clone();
            for k in &u.path {
                cur = match (k, &cur) {
                    (ExceptKey::Index(es), Type::Fun(a, b)) => {
                        let kt = if es.len() == 1 {
                            self.ty(&es[0])
                        } else {
                            Type::Tuple(es.iter().map(|x| self.ty(x)).collect())
                        };
                        if kt != **a {
                            return Type::Univ;
                        }
                        (**b).clone()
                    }
                    (ExceptKey::Field(n), Type::Rec(v)) => {
                        let Some(fields) = self.family_fields(*v) else {
                            return Type::Univ;
                        };
                        match fields.get(n) {
                            Some(t) => t.clone(),
                            None => return Type::Univ,
                        }
                    }
                    _ => return Type::Univ,
                };
            }
            self.bvar_types.insert(u.at.id, cur.clone());
            if self.ty(&u.value) != cur {
                return Type::Univ;
            }
        }
        tf
    }
}

/// Is `e` an integer literal greater than zero?
fn positive_literal(e: &E) -> bool {
    matches!(e.kind, Kind::Int(n) if n > 0)
}

/// Is every element of `t`'s SMT sort a TLA+ value of the sort? Not for
/// arrays over the universe (`(Array U Bool)` holds "the set of all
/// values", which is no value): a universal fact may be stated for the
/// values of a sort only where this holds.
pub(crate) fn value_complete(t: &Type) -> bool {
    match t {
        Type::Set(e) => **e != Type::Univ && value_complete(e),
        Type::Fun(a, b) => **a != Type::Univ && value_complete(a) && value_complete(b),
        Type::Tuple(ts) => ts.iter().all(value_complete),
        _ => true,
    }
}
