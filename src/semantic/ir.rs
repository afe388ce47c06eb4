//! The resolved intermediate representation.
//!
//! Names are resolved: a bound variable is a [`BVar`], a module constant a
//! [`ConstId`], a state variable a [`VarId`], a user definition a [`DefId`].
//! Definitions are *not* expanded here: whether a definition is opaque or
//! expanded is decided per proof obligation (TLAPS hides definitions unless
//! they are cited with DEF or USE DEF).
//!
//! Every node carries a type variable ([`TyVar`]) that the `types` stage
//! solves.

use crate::source::Span;
use crate::syntax::ast::{BinOp, UnOp};
use std::rc::Rc;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct DefId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConstId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VarId(pub u32);
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct TyVar(pub u32);

/// A bound variable: quantifier/set-builder/CHOOSE variable, operator
/// parameter, or a `NEW` constant of a proof context. Ids are unique in a
/// program, so substitution never captures.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BVar {
    pub id: u32,
    pub name: Rc<str>,
    pub ty: TyVar,
}

/// TLA+ expression levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Constant,
    State,
    Action,
    Temporal,
}

pub type E = Rc<Expr>;

impl Expr {
    /// The expression that is the bound variable `v`.
    pub fn bound(v: &BVar, span: Span) -> E {
        Rc::new(Expr {
            kind: Kind::Bound(v.clone()),
            span,
            ty: v.ty,
        })
    }
}

/// Does `e` mention the bound variable `id`?
pub fn mentions_bound(e: &E, id: u32) -> bool {
    matches!(&e.kind, Kind::Bound(v) if v.id == id)
        || crate::semantic::level::children(e)
            .into_iter()
            .any(|c| mentions_bound(c, id))
}

/// The bound variables `e` mentions but does not bind, in order of first
/// occurrence (ids are unique in a program, so no variable is both).
pub fn free_bound_vars(e: &E) -> Vec<BVar> {
    fn binders(e: &E, out: &mut std::collections::HashSet<u32>) {
        match &e.kind {
            Kind::Forall(bs, _) | Kind::Exists(bs, _) => out.extend(bs.iter().map(|(v, _)| v.id)),
            Kind::Choose(v, ..) | Kind::SetFilter(v, ..) => {
                out.insert(v.id);
            }
            Kind::SetMap(_, bs) | Kind::FnLit(bs, _) => out.extend(bs.iter().map(|(v, _)| v.id)),
            Kind::Lambda(vs, _) => out.extend(vs.iter().map(|v| v.id)),
            Kind::Except(_, ups) => out.extend(ups.iter().map(|u| u.at.id)),
            _ => {}
        }
        for c in crate::semantic::level::children(e) {
            binders(c, out);
        }
    }
    fn uses(e: &E, out: &mut Vec<BVar>) {
        if let Kind::Bound(v) = &e.kind
            && !out.iter().any(|u| u.id == v.id)
        {
            out.push(v.clone());
        }
        for c in crate::semantic::level::children(e) {
            uses(c, out);
        }
    }
    let mut bound = std::collections::HashSet::new();
    binders(e, &mut bound);
    let mut used = Vec::new();
    uses(e, &mut used);
    used.retain(|v| !bound.contains(&v.id));
    used
}

/// The conjuncts of nested (bulleted or infix) conjunctions.
pub fn conjuncts(e: &E) -> Vec<&E> {
    match &e.kind {
        Kind::And(items) => items.iter().flat_map(conjuncts).collect(),
        _ => vec![e],
    }
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: Kind,
    pub span: Span,
    pub ty: TyVar,
}

/// Operators provided by the standard modules and the core language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Builtin {
    IsFiniteSet,
    Cardinality,
}

#[derive(Clone, Debug)]
pub enum Kind {
    Bound(BVar),
    Const(ConstId),
    Var(VarId),
    /// Application of a user definition (possibly 0-ary).
    App(DefId, Vec<E>),
    /// Application of an operator parameter `F(_)` (a bound operator).
    OpParamApp(BVar, Vec<E>),
    /// Application of a LAMBDA or operator argument passed to a higher-order
    /// definition, after substitution: `(LAMBDA x : body)(args)`.
    Lambda(Vec<BVar>, E),
    Builtin(Builtin, Vec<E>),
    Int(i64),
    Str(Rc<str>),
    Bool(bool),
    /// `Nat`, `Int`, `BOOLEAN`, `STRING`.
    NatSet,
    IntSet,
    BoolSet,
    StringSet,
    Unary(UnOp, E),
    Binary(BinOp, E, E),
    /// n-ary conjunction / disjunction (bulleted lists and flattened `/\`).
    And(Vec<E>),
    Or(Vec<E>),
    If(E, E, E),
    Case(Vec<(E, E)>, Option<E>),
    Forall(Vec<(BVar, Option<E>)>, E),
    Exists(Vec<(BVar, Option<E>)>, E),
    Choose(BVar, Option<E>, E),
    SetEnum(Vec<E>),
    SetFilter(BVar, E, E),
    /// `{e : x \in S, ...}`
    SetMap(E, Vec<(BVar, E)>),
    /// `[x \in S, y \in T |-> e]`
    FnLit(Vec<(BVar, E)>, E),
    /// A recursive function definition `f[x \in S] == body` referenced
    /// inside its own body: the self-reference.
    RecFnRef(DefId),
    FnSet(E, E),
    Record(Vec<(Rc<str>, E)>),
    RecordSet(Vec<(Rc<str>, E)>),
    /// `f[a]`; multiple arguments are a tuple argument.
    Apply(E, Vec<E>),
    Field(E, Rc<str>),
    /// `[f EXCEPT ![a].g = v, ...]`: the `@` inside each value is the
    /// bound variable given.
    Except(E, Vec<ExceptUpdate>),
    Tuple(Vec<E>),
    Product(Vec<E>),
    /// `[A]_v`
    BoxAction(E, E),
    /// `<<A>>_v`
    AngleAction(E, E),
    /// Temporal formulas the encoder rejects (kept for built-in rules).
    Temporal(TemporalOp, Vec<E>),
    /// `LET`-bound definitions are resolved into definitions; the LET body
    /// remains.
    Let(Vec<DefId>, E),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TemporalOp {
    Always,
    Eventually,
    LeadsTo,
    WeakFair,
    StrongFair,
    TemporalForall,
    TemporalExists,
}

#[derive(Clone, Debug)]
pub struct ExceptUpdate {
    pub path: Vec<ExceptKey>,
    /// The `@` of this update, bound to the old value at `path`.
    pub at: BVar,
    pub value: E,
}

#[derive(Clone, Debug)]
pub enum ExceptKey {
    Field(Rc<str>),
    Index(Vec<E>),
}

/// A definition after resolution.
#[derive(Clone, Debug)]
pub struct Def {
    /// Name as the user would write it (`P!ShowsSafeAt` for instanced ones).
    pub name: Rc<str>,
    pub params: Vec<BVar>,
    /// Arities of the parameters (0 for ordinary ones).
    pub param_arities: Vec<usize>,
    pub body: DefBody,
    pub span: Span,
    /// Type of the definition's value (its body).
    pub ty: TyVar,
    /// Defined in a proof (`DEFINE`), a LET, or from the standard library.
    pub origin: DefOrigin,
    /// Leading parameters that are bound variables captured from the
    /// enclosing scope (LET and DEFINE are lambda-lifted).
    pub captured: usize,
}

#[derive(Clone, Debug)]
pub enum DefBody {
    Expr(E),
    /// `f[x \in S] == body`: a (possibly recursive) function.
    RecFn(Vec<(BVar, E)>, E),
    /// Body not yet resolved (definitions are resolved lazily so that
    /// forward references through LET and INSTANCE work).
    Pending,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefOrigin {
    Module,
    Let,
    ProofDefine,
}

#[derive(Clone, Debug)]
pub struct ConstDecl {
    pub name: Rc<str>,
    pub ty: TyVar,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct VarDecl {
    pub name: Rc<str>,
    pub ty: TyVar,
    pub span: Span,
}

/// A resolved statement: `ASSUME NEW x \in S, H PROVE G` or a plain formula.
#[derive(Clone, Debug)]
pub struct Sequent {
    pub news: Vec<(BVar, Option<E>)>,
    pub hyps: Vec<Hyp>,
    pub goal: E,
}

/// A hypothesis of a sequent: a formula or a nested sequent.
#[derive(Clone, Debug)]
pub enum Hyp {
    Fact(E),
    Sequent(Sequent, Span),
}

impl Sequent {
    pub fn formula(goal: E) -> Self {
        Sequent {
            news: Vec::new(),
            hyps: Vec::new(),
            goal,
        }
    }

    pub fn is_plain(&self) -> bool {
        self.news.is_empty() && self.hyps.is_empty()
    }
}
