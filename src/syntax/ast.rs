//! The typed syntax tree of a TLA+ module, with source spans.
//!
//! This is what the tree-sitter concrete syntax tree is lowered to. It keeps
//! the shape of the source (bulleted lists stay n-ary, names stay unresolved
//! paths) because TLAPS subexpression names (`Inv!2`, `NextDef!2!1!(self)`)
//! are defined on that shape. Resolution happens in `semantic`.

use crate::source::Span;

/// An identifier with its span.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A parsed module.
#[derive(Clone, Debug)]
pub struct Module {
    pub name: Ident,
    pub extends: Vec<Ident>,
    pub units: Vec<Unit>,
    pub span: Span,
    /// Labels `lbl :: e`: the span of each labelled `e` and its label
    /// (labels are transparent in expressions; `Op!lbl` selects by them).
    pub labels: Vec<(Span, String)>,
}

/// A top-level (or nested-module) unit.
#[derive(Clone, Debug)]
pub enum Unit {
    Constants(Vec<Decl>),
    Variables(Vec<Decl>),
    /// `RECURSIVE Op(_, _)` declarations.
    Recursive(Vec<Decl>),
    Assume(Assume),
    Definition(Definition),
    Instance(Instance),
    Theorem(Theorem),
    UseHide(UseHide),
    /// A nested `---- MODULE ... ----` (not supported beyond parsing).
    Submodule(Box<Module>),
}

/// A declared constant, variable or recursive operator.
#[derive(Clone, Debug)]
pub struct Decl {
    pub name: Ident,
    /// Number of arguments of an operator constant `C(_, _)`; 0 otherwise.
    pub arity: usize,
    /// Text of an Apalache `@type:` annotation in a comment right before the
    /// declaration, without the `@type:` prefix and trailing `;`.
    pub type_annotation: Option<(String, Span)>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Assume {
    pub name: Option<Ident>,
    pub body: Expr,
    pub span: Span,
}

/// A parameter of an operator definition: `x` or `F(_, _)`.
#[derive(Clone, Debug)]
pub struct Param {
    pub name: Ident,
    pub arity: usize,
}

/// `Op(p1, p2) == body`, `f[x \in S] == body`, or `I == INSTANCE M ...`.
#[derive(Clone, Debug)]
pub struct Definition {
    pub name: Ident,
    pub local: bool,
    pub kind: DefKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum DefKind {
    /// `Op(params) == body` (also used for infix/prefix/postfix user operators).
    Operator { params: Vec<Param>, body: Expr },
    /// `f[x \in S, y \in T] == body` (possibly recursive).
    Function { bounds: Vec<Bound>, body: Expr },
    /// `I(params) == INSTANCE M WITH ...`
    Instance {
        params: Vec<Param>,
        instance: Instance,
    },
}

/// `INSTANCE M WITH x <- e, ...` (unnamed when at top level).
#[derive(Clone, Debug)]
pub struct Instance {
    pub module: Ident,
    pub substitutions: Vec<(Ident, Expr)>,
    pub local: bool,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TheoremKind {
    Theorem,
    Lemma,
    Proposition,
    Corollary,
}

#[derive(Clone, Debug)]
pub struct Theorem {
    pub kind: TheoremKind,
    pub name: Option<Ident>,
    pub statement: Statement,
    pub proof: Option<Proof>,
    pub span: Span,
}

/// What a theorem or a proof step asserts.
#[derive(Clone, Debug)]
pub enum Statement {
    Expr(Expr),
    AssumeProve(AssumeProve),
}

/// `ASSUME a1, a2 PROVE goal`.
#[derive(Clone, Debug)]
pub struct AssumeProve {
    pub assumptions: Vec<Assumption>,
    pub goal: Expr,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Assumption {
    /// `NEW x`, `NEW x \in S`, `NEW CONSTANT x`, `NEW VARIABLE x`, `NEW F(_)`.
    New(NewDecl),
    /// A plain assumed formula (or an `Inv` style name used as a fact).
    Fact(Expr),
    /// A nested `ASSUME ... PROVE ...` used as an assumption.
    Nested(AssumeProve),
    /// `DEFINE`-style local definition inside ASSUME (rare).
    Definition(Definition),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewLevel {
    /// `NEW x` or `NEW CONSTANT x`.
    Constant,
    Variable,
    State,
    Action,
    Temporal,
}

#[derive(Clone, Debug)]
pub struct NewDecl {
    pub level: NewLevel,
    pub name: Ident,
    /// Arity of an operator parameter `NEW F(_, _)`.
    pub arity: usize,
    /// `NEW x \in S`.
    pub domain: Option<Expr>,
    pub span: Span,
}

/// A proof: a leaf (`BY`, `OBVIOUS`, `OMITTED`) or a sequence of steps.
#[derive(Clone, Debug)]
pub enum Proof {
    Terminal(TerminalProof),
    Steps(Vec<Step>, Span),
}

#[derive(Clone, Debug)]
pub enum TerminalProof {
    Obvious(Span),
    Omitted(Span),
    By(By),
}

/// `BY [ONLY] facts [DEF defs]`.
#[derive(Clone, Debug)]
pub struct By {
    pub only: bool,
    pub facts: Vec<Expr>,
    pub defs: Vec<NamePath>,
    pub span: Span,
}

/// A step label: `<2>3`, `<2>a`, or the unnamed `<2>` / `<2>.`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepLabel {
    pub level: u32,
    /// `Some("3")` for `<2>3`; `None` for an unnamed step.
    pub name: Option<String>,
    pub span: Span,
}

impl StepLabel {
    /// The label as written, e.g. `<2>3` or `<2>`.
    pub fn display(&self) -> String {
        match &self.name {
            Some(n) => format!("<{}>{}", self.level, n),
            None => format!("<{}>", self.level),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Step {
    pub label: StepLabel,
    pub kind: StepKind,
    pub proof: Option<Proof>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum StepKind {
    /// `<n>k. stmt` — an assertion (expression or ASSUME/PROVE).
    Assert(Statement),
    /// `SUFFICES stmt`.
    Suffices(Statement),
    /// `CASE expr`.
    Case(Expr),
    /// `PICK x \in S, y : P`.
    Pick { bounds: Vec<Bound>, body: Expr },
    /// `WITNESS e1, e2` (each may be `e \in S`).
    Witness(Vec<Expr>),
    /// `HAVE expr`.
    Have(Expr),
    /// `TAKE x \in S, ...`.
    Take(Vec<Bound>),
    /// `DEFINE defs`.
    Define(Vec<Definition>),
    /// `USE` / `HIDE` inside a proof.
    UseHide(UseHide),
    /// `QED`.
    Qed,
}

/// `USE [ONLY] facts DEF defs` or `HIDE facts DEF defs`.
#[derive(Clone, Debug)]
pub struct UseHide {
    pub hide: bool,
    pub only: bool,
    pub facts: Vec<Expr>,
    pub defs: Vec<NamePath>,
    pub span: Span,
}

/// A bound `x, y \in S`, `<<x, y>> \in S` or the unbounded `x`.
#[derive(Clone, Debug)]
pub struct Bound {
    pub pattern: BoundPattern,
    pub set: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum BoundPattern {
    /// `x, y \in S` binds each name to an element of S.
    Names(Vec<Ident>),
    /// `<<x, y>> \in S` binds the components of a tuple.
    Tuple(Vec<Ident>),
}

impl BoundPattern {
    pub fn names(&self) -> &[Ident] {
        match self {
            BoundPattern::Names(n) | BoundPattern::Tuple(n) => n,
        }
    }
}

/// A possibly qualified name, with subexpression selectors:
/// `x`, `Op(a, b)`, `M!Op(a)`, `NextDef!2!1!(self)`, `2avInv2!(m)!1`,
/// `KnowsSafeAt(ac, b, v)!1!1`.
#[derive(Clone, Debug)]
pub struct NamePath {
    pub segments: Vec<PathSegment>,
    pub span: Span,
}

impl NamePath {
    /// A plain unqualified name without arguments or selectors.
    pub fn as_simple_name(&self) -> Option<&Ident> {
        match self.segments.as_slice() {
            [PathSegment::Name { name, args }] if args.is_empty() => Some(name),
            _ => None,
        }
    }

    /// Render the path as written (arguments elided as `(...)`).
    pub fn display(&self) -> String {
        let parts: Vec<String> = self
            .segments
            .iter()
            .map(|s| match s {
                PathSegment::Name { name, args } if args.is_empty() => name.name.clone(),
                PathSegment::Name { name, args } => format!("{}({})", name.name, args.len()),
                PathSegment::Index(i) => i.to_string(),
                PathSegment::Args(a) => format!("({})", a.len()),
                PathSegment::Left => "<<".into(),
                PathSegment::Right => ">>".into(),
                PathSegment::Colon => ":".into(),
                PathSegment::At => "@".into(),
                PathSegment::Step(label) => label.display(),
            })
            .collect();
        parts.join("!")
    }
}

#[derive(Clone, Debug)]
pub enum PathSegment {
    /// An operator/module/definition name, applied to `args` (may be empty).
    Name {
        name: Ident,
        args: Vec<Expr>,
    },
    /// `!3`: the 3rd operand / conjunct / disjunct.
    Index(u32),
    /// `!(x, y)`: instantiate the bound variables of a quantifier/LAMBDA.
    Args(Vec<Expr>),
    /// `!<<` / `!>>`: left/right operand.
    Left,
    Right,
    /// `!:` — the body of a bound construct, bound variables left free.
    Colon,
    /// `!@` — the @ of an EXCEPT.
    At,
    /// A proof step used as the head of a path: the `<1>2` of `<1>2!1`.
    /// (Addition to the original contract.)
    Step(StepLabel),
}

/// An expression with its span.
#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    Not,
    /// Arithmetic negation `-x`.
    Neg,
    /// Postfix prime `e'`.
    Prime,
    /// `SUBSET S` (power set).
    Subset,
    /// `UNION S`.
    Union,
    Domain,
    Unchanged,
    Enabled,
    /// `[]F`.
    Always,
    /// `<>F`.
    Eventually,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    And,
    Or,
    Implies,
    Equiv,
    Eq,
    Neq,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Subseteq,
    Cup,
    Cap,
    SetMinus,
    Plus,
    Minus,
    Times,
    /// `\div`
    Div,
    /// `%`
    Mod,
    /// `a .. b`
    Range,
    /// `~>`
    LeadsTo,
    /// `\cdot` (action composition)
    Cdot,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::And => "/\\",
            BinOp::Or => "\\/",
            BinOp::Implies => "=>",
            BinOp::Equiv => "<=>",
            BinOp::Eq => "=",
            BinOp::Neq => "#",
            BinOp::Lt => "<",
            BinOp::Le => "=<",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "\\in",
            BinOp::NotIn => "\\notin",
            BinOp::Subseteq => "\\subseteq",
            BinOp::Cup => "\\cup",
            BinOp::Cap => "\\cap",
            BinOp::SetMinus => "\\",
            BinOp::Plus => "+",
            BinOp::Minus => "-",
            BinOp::Times => "*",
            BinOp::Div => "\\div",
            BinOp::Mod => "%",
            BinOp::Range => "..",
            BinOp::LeadsTo => "~>",
            BinOp::Cdot => "\\cdot",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    Forall,
    Exists,
    /// Temporal `\AA` / `\EE` (unsupported by the encoder).
    TemporalForall,
    TemporalExists,
}

/// A component of an EXCEPT path: `.f` or `[e]`.
#[derive(Clone, Debug)]
pub enum ExceptKey {
    Field(Ident),
    Index(Vec<Expr>),
}

#[derive(Clone, Debug)]
pub struct ExceptUpdate {
    pub path: Vec<ExceptKey>,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    /// A name, operator application or subexpression reference.
    Name(NamePath),
    /// A proof step reference used as a fact: `<2>3`.
    StepRef(StepLabel),
    Number(i64),
    String(String),
    Bool(bool),
    /// The built-in sets `Nat`, `Int`, `BOOLEAN`, `STRING`.
    BuiltinSet(BuiltinSet),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// An infix/prefix/postfix operator symbol the lowering does not map to a
    /// built-in (e.g. a user-defined `\prec`); resolved by name later.
    UserOp(Ident, Vec<Expr>),
    /// A bulleted `/\` list.
    ConjList(Vec<Expr>),
    /// A bulleted `\/` list.
    DisjList(Vec<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Case {
        arms: Vec<(Expr, Expr)>,
        other: Option<Box<Expr>>,
    },
    Let(Vec<Definition>, Box<Expr>),
    Quant(Quantifier, Vec<Bound>, Box<Expr>),
    Choose(Box<Bound>, Box<Expr>),
    SetEnum(Vec<Expr>),
    /// `{x \in S : P}`
    SetFilter(Box<Bound>, Box<Expr>),
    /// `{e : x \in S, y \in T}`
    SetMap(Box<Expr>, Vec<Bound>),
    /// `[x \in S |-> e]`
    FnLiteral(Vec<Bound>, Box<Expr>),
    /// `[S -> T]`
    FnSet(Box<Expr>, Box<Expr>),
    /// `[f1 |-> e1, ...]`
    Record(Vec<(Ident, Expr)>),
    /// `[f1 : S1, ...]`
    RecordSet(Vec<(Ident, Expr)>),
    /// `f[a]` or `f[a, b]`.
    Apply(Box<Expr>, Vec<Expr>),
    /// `r.f`
    Field(Box<Expr>, Ident),
    Except(Box<Expr>, Vec<ExceptUpdate>),
    /// `@` inside an EXCEPT update.
    At,
    Tuple(Vec<Expr>),
    /// `S \X T \X U`
    Product(Vec<Expr>),
    /// `[A]_v`
    BoxAction(Box<Expr>, Box<Expr>),
    /// `<<A>>_v`
    AngleAction(Box<Expr>, Box<Expr>),
    /// `WF_v(A)` / `SF_v(A)`.
    Fairness {
        strong: bool,
        sub: Box<Expr>,
        action: Box<Expr>,
    },
    Lambda(Vec<Ident>, Box<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BuiltinSet {
    Nat,
    Int,
    Boolean,
    String,
}
