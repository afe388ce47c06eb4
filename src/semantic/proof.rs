//! Resolved proofs: the TLAPS proof language with names resolved.

use super::ir::*;
use super::program::{AsmId, ThmId};
use crate::source::Span;
use crate::syntax::ast::StepLabel;
use std::rc::Rc;

/// A unique key of a proof step in the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StepKey(pub u32);

#[derive(Clone, Debug)]
pub enum RProof {
    Obvious(Span),
    Omitted(Span),
    By(RBy),
    Steps(Vec<RStep>, Span),
}

/// A fact cited in BY or USE.
#[derive(Clone, Debug)]
pub enum Fact {
    Step(StepKey, Span),
    Theorem(ThmId, Span),
    Assume(AsmId, Span),
    /// A formula written in the fact list (proved as part of the step's
    /// obligation? No: TLAPS treats it as a fact that must itself be proved;
    /// we add it as a hypothesis and as an extra goal conjunct).
    Expr(E),
    /// A backend pragma such as `Zenon` or `Z3T(10)`: ignored.
    Pragma(Rc<str>, Span),
}

impl Fact {
    pub fn span(&self) -> Span {
        match self {
            Fact::Step(_, s) | Fact::Theorem(_, s) | Fact::Assume(_, s) | Fact::Pragma(_, s) => *s,
            Fact::Expr(e) => e.span,
        }
    }

    /// Whether both cite the same theorem, assumption or step (for HIDE).
    pub fn same_citation(&self, other: &Fact) -> bool {
        match (self, other) {
            (Fact::Theorem(a, _), Fact::Theorem(b, _)) => a == b,
            (Fact::Assume(a, _), Fact::Assume(b, _)) => a == b,
            (Fact::Step(a, _), Fact::Step(b, _)) => a == b,
            _ => false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct RBy {
    pub only: bool,
    pub facts: Vec<Fact>,
    pub defs: Vec<DefId>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct RStep {
    pub label: StepLabel,
    pub key: StepKey,
    pub kind: RStepKind,
    pub proof: Option<RProof>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum RStepKind {
    Assert(Sequent),
    Suffices(Sequent),
    Case(E),
    Pick(Vec<(BVar, Option<E>)>, E),
    Witness(Vec<E>),
    Have(E),
    Take(Vec<(BVar, Option<E>)>),
    Define(Vec<DefId>),
    Use {
        hide: bool,
        facts: Vec<Fact>,
        defs: Vec<DefId>,
    },
    Qed,
}
