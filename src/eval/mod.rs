//! Evaluation of TLA+ expressions (the resolved IR) over finite values.
//!
//! Used to confirm a counterexample before it is reported (evaluate an
//! obligation's hypotheses and goal in the model the solver returned:
//! [`confirm`]), and meant as the core of a bounded model checker.
//!
//! # Interface
//!
//! The caller supplies the model through [`Interp`]: values of constants,
//! of state variables in the current and the next state, of the `NEW`/`PICK`
//! symbols of a proof context, of hidden definitions, and the finite
//! universe over which unbounded `\A`, `\E`, `CHOOSE` range. An
//! [`Evaluator`] evaluates expressions in it; [`Evaluator::eval`] returns a
//! [`Value`] or an [`EvalError`]:
//! - [`EvalError::Unspecified`]: TLA+ does not determine the value (`f[x]`
//!   outside `DOMAIN f`, `1 \div 0`, `"a" + 1`, `CHOOSE x \in {} : TRUE`,
//!   a CASE with no true arm, `~ 3`, `Cardinality(Nat)`, ...);
//! - [`EvalError::Unsupported`]: the evaluator cannot compute it (an
//!   infinite set enumerated, a set over the size cap, a missing model
//!   value, a temporal operator, the step budget or depth limit reached).
//!
//! # The model of TLA+ the evaluator computes in
//!
//! Evaluation happens in one fixed model of TLA+ that extends the caller's
//! values. Where TLA+ leaves a value open, the evaluator either reports
//! `Unspecified` or commits to a choice consistent with every TLA+ axiom;
//! since the result is always the value of the expression in a genuine
//! TLA+ model, "hypotheses TRUE and goal FALSE" is a genuine
//! counterexample. The choices:
//! - values of different kinds are different: no Boolean, integer, string,
//!   model value, set or function equals a value of another kind (TLA+
//!   does not say whether `1 = TRUE`; a model where they differ exists);
//! - a string is a sequence of characters that are values of their own:
//!   `"" = <<>>` (so the empty string is represented as the empty
//!   function), `DOMAIN "ab" = 1..2`, and a non-empty string equals no
//!   function the evaluator builds (`"ab"[1]`, a character, is
//!   `Unsupported`);
//! - `FALSE /\ e` is `FALSE` and `TRUE \/ e` is `TRUE` for every `e`, in
//!   either order; `FALSE => e` and `e => TRUE` are `TRUE`. On other
//!   non-Boolean operands the connectives are `Unspecified`;
//! - `CHOOSE x : P` is the least value, in the order of [`Value`], of the
//!   extension of `P` (so it depends only on that extension, as TLA+
//!   requires); a CASE with several true arms is the least of their values
//!   (TLA+ defines CASE by CHOOSE).
//!
//! Unbounded quantifiers range over the caller's finite universe, which is
//! not all values: a result that relied on the universe being all values
//! is flagged ([`Evaluator::relied_on_universe`], [`Verdict::Confirmed`]).
//!
//! Membership (`x \in S`, `\notin`, the right side of `\subseteq`) is
//! decided structurally without enumerating `S`: `Nat`, `Int`, `STRING`,
//! `BOOLEAN`, `SUBSET`, `[S -> T]`, record sets, `\X`, `a..b`, filters,
//! unions, intersections, differences and `DOMAIN` of a function literal.
//! Function literals and recursive functions are applied without building
//! them (`[n \in Nat |-> n + 1][3]`, `fact[5]`).
//!
//! Operator application is substitution (call by name, with the argument
//! evaluated at most once per state): `Op(p) == p'` applied to `x` is `x'`.
//! Definitions in the caller's `expand` set and LET definitions are
//! expanded; for the others [`Interp::opaque`] is asked first. A value the
//! model gives a hidden definition need not agree with its body: a
//! counterexample that uses one is a counterexample to the obligation with
//! the definition hidden, not necessarily to the theorem. To confirm that
//! a theorem is false, expand every definition.
//!
//! Integers are 64-bit; an overflow is `Unsupported` (TLA+ specifies the
//! value, the evaluator cannot compute it).

mod env;
mod expr;
mod funs;
mod logic;
mod obligation;
mod print;
mod sets;
mod value;

pub use expr::Evaluator;
pub use obligation::{Verdict, confirm, confirm_with_witness};
pub use value::{Atom, Value};

use crate::semantic::ir::{BVar, ConstId, DefId, VarId};
use crate::source::Span;

/// The model an expression is evaluated in. Every method may return `None`
/// for "no value": evaluation then reports `Unsupported` (or, for
/// [`Interp::opaque`], expands the definition).
///
/// Values must be given in canonical form: an element of a solver's
/// universe sort that stands for an integer, string, set or function is
/// that [`Value`], not an atom, since atoms differ from every other value;
/// the elements of an uninterpreted sort are atoms with distinct names.
pub trait Interp {
    /// The value of a declared constant.
    fn constant(&self, c: ConstId) -> Option<Value>;

    /// The value of a state variable in the current (`primed == false`) or
    /// the next state.
    fn variable(&self, v: VarId, primed: bool) -> Option<Value>;

    /// The value of a free bound variable: a `NEW`/`PICK` symbol of the
    /// proof context (`args` empty) or a `NEW F(_)` operator applied to
    /// `args`.
    fn symbol(&self, v: &BVar, args: &[Value]) -> Option<Value>;

    /// The value of a definition that is not expanded, applied to `args`,
    /// in the current or next state. `None`: expand its body.
    fn opaque(&self, _d: DefId, _args: &[Value], _primed: bool) -> Option<Value> {
        None
    }

    /// The values an unbounded `\A v`, `\E v`, `CHOOSE v` (or an unbounded
    /// `NEW v` of a cited sequent) ranges over. `None`: such a quantifier
    /// is `Unsupported`.
    fn universe(&self, _v: &BVar) -> Option<&[Value]> {
        None
    }
}

/// Why an expression has no value here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalError {
    /// TLA+ leaves the value unspecified.
    Unspecified { why: String, span: Span },
    /// The evaluator cannot compute the value.
    Unsupported { what: String, span: Span },
}

impl EvalError {
    pub fn span(&self) -> Span {
        match self {
            EvalError::Unspecified { span, .. } | EvalError::Unsupported { span, .. } => *span,
        }
    }

    pub fn is_unsupported(&self) -> bool {
        matches!(self, EvalError::Unsupported { .. })
    }
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EvalError::Unspecified { why, .. } => write!(f, "unspecified: {why}"),
            EvalError::Unsupported { what, .. } => write!(f, "cannot evaluate: {what}"),
        }
    }
}

/// Bounds on the work of one evaluation; exceeding one is `Unsupported`,
/// never a hang or a stack overflow.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Evaluation steps (expression nodes visited, elements enumerated)
    /// per call of [`Evaluator::eval`].
    pub max_steps: u64,
    /// Nesting of evaluation (recursive definitions, deep expressions).
    pub max_depth: usize,
    /// Bytes of stack an evaluation may use beyond where it began (about
    /// 0.8 KB per level of nesting in a release build, more in a debug
    /// build). The default leaves room on a 2 MiB thread stack.
    pub max_stack: usize,
    /// Elements of any set or function built.
    pub max_set: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_steps: 5_000_000,
            max_depth: 2000,
            max_stack: 1 << 20,
            max_set: 100_000,
        }
    }
}

#[cfg(test)]
mod tests;
