//! The analysed program: every definition, constant, variable, assumption
//! and theorem reachable from the root module, with its name scope.

use super::ir::*;
use crate::source::Span;
use crate::syntax::ast;
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ThmId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AsmId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InstId(pub u32);

/// What a name in scope denotes.
#[derive(Clone, Debug)]
pub enum Binding {
    Def(DefId),
    Const(ConstId),
    Var(VarId),
    Bound(BVar),
    /// An operator parameter `F(_, _)` of a definition or a `NEW F(_)`.
    OpParam(BVar, usize),
    /// A constant/variable of an instanced module, replaced by an expression.
    Subst(E),
    Builtin(super::ir::Builtin, usize),
    Theorem(ThmId),
    Assume(AsmId),
    Instance(InstId),
    /// A TLAPS backend pragma (`Zenon`, `Isa`, `Z3T(10)`...): ignored.
    Pragma,
}

/// A module namespace.
#[derive(Clone, Debug, Default)]
pub struct Namespace {
    pub names: HashMap<Rc<str>, Binding>,
}

/// A named instance `P == INSTANCE M WITH ...`.
#[derive(Clone, Debug)]
pub struct InstanceNs {
    pub name: Rc<str>,
    pub ns: Namespace,
}

/// A module-level assumption.
#[derive(Clone, Debug)]
pub struct AssumeItem {
    pub name: Option<Rc<str>>,
    pub body: E,
    pub span: Span,
    /// From an instanced module: must be proved under the substitution
    /// before it may be used (not yet supported: such uses are refused).
    pub instanced: bool,
    /// Set when the assumption does not type-check: it cannot be used.
    pub ill_sorted: Option<String>,
    /// Its formula's source text, whitespace-normalised: a formula cited
    /// as a fact with the same text is this assumption (TLAPS finds such a
    /// fact among the hidden ones instead of proving it again).
    pub text: Option<String>,
}

/// Where a theorem comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TheoremOrigin {
    /// Stated in a user module: its proof is checked.
    User,
    /// A standard-library fact (FiniteSetTheorems...): trusted, listed as
    /// such in the report.
    Library,
    /// A theorem of an instanced module.
    Instanced,
}

#[derive(Clone, Debug)]
pub struct TheoremItem {
    pub name: Option<Rc<str>>,
    pub kind: ast::TheoremKind,
    pub statement: Sequent,
    pub proof: Option<super::proof::RProof>,
    pub span: Span,
    pub origin: TheoremOrigin,
    /// Module that states the theorem.
    pub module: Rc<str>,
    /// A type error in the statement: the theorem can be neither checked
    /// nor cited.
    pub ill_sorted: Option<crate::source::Diagnostic>,
    /// A type error in the proof: the proof is not checked, but the
    /// statement may be cited.
    pub proof_ill_sorted: Option<crate::source::Diagnostic>,
    /// The proof cites the theorem itself, directly or through theorems
    /// that cite it back (`semantic::citations`): the proof is refused, at
    /// the citation, but the statement may be cited.
    pub circular: Option<crate::source::Diagnostic>,
    /// For a theorem of an instanced module: the instanced module's
    /// assumptions (under the substitution). The theorem holds only where
    /// they do, so citing it makes them hypotheses to prove.
    pub requires: Vec<AsmId>,
    /// What module-level `USE` made usable before the theorem: its proof
    /// starts with these facts and definitions.
    pub module_use: super::resolve::ModuleUse,
}

#[derive(Debug, Default)]
pub struct Program {
    pub defs: Vec<Def>,
    pub consts: Vec<ConstDecl>,
    pub vars: Vec<VarDecl>,
    pub assumes: Vec<AssumeItem>,
    pub theorems: Vec<TheoremItem>,
    pub instances: Vec<InstanceNs>,
    /// The root module's scope (after EXTENDS).
    pub root: Namespace,
    pub root_name: Rc<str>,
    next_bvar: u32,
    pub types: crate::types::TypeStore,
    /// Definitions whose body is ill-sorted, with the reason.
    pub ill_sorted: std::collections::HashMap<DefId, String>,
    /// Non-fatal problems found during analysis.
    pub warnings: Vec<crate::source::Diagnostic>,
    /// The operator constants (`CONSTANT Op(_)`), by their variable's id:
    /// arbitrary operators, applied to values of the universe.
    pub op_constants: std::collections::HashSet<u32>,
    /// Parameters declared `NEW VARIABLE`, `NEW STATE`, `NEW ACTION` or
    /// `NEW TEMPORAL` (by their variable's id), with their level: unlike a
    /// constant their value may change from state to state.
    pub flexible_params: std::collections::HashMap<u32, Level>,
    /// Operator parameters (`NEW F(_)`), by their variable's id: symbols
    /// of their arguments, never values.
    pub op_params: std::collections::HashSet<u32>,
    /// Operators declared `RECURSIVE`. They are never expanded: nothing
    /// shows that their recursion terminates, and the equation `F(x) =
    /// body` of one that does not (`F(x) == F(x) + 1`) would be false.
    /// Used hidden, they are opaque, which is sound.
    pub recursive_ops: std::collections::HashSet<DefId>,
    /// Trusted facts about the built-in Sequences operators (what TLAPS's
    /// SMT backend knows natively), given to the obligations that mention
    /// their operators (`obligations::native`).
    pub sequence_facts: Vec<ThmId>,
    /// Definitions of the built-in library modules: generic for type
    /// inference (each use has its own type).
    pub library_defs: std::collections::HashSet<DefId>,
    /// `lbl :: e` inside a definition's body: `e`, by definition and label
    /// (in terms of the definition's parameters), for `Op!lbl`.
    pub labels: std::collections::HashMap<(DefId, Rc<str>), E>,
}

impl Program {
    pub fn def(&self, id: DefId) -> &Def {
        &self.defs[id.0 as usize]
    }

    pub fn def_mut(&mut self, id: DefId) -> &mut Def {
        &mut self.defs[id.0 as usize]
    }

    pub fn add_def(&mut self, def: Def) -> DefId {
        self.defs.push(def);
        DefId(self.defs.len() as u32 - 1)
    }

    /// A new variable with `v`'s name and type (renaming apart).
    pub fn renamed(&mut self, v: &BVar) -> BVar {
        self.next_bvar += 1;
        BVar {
            id: self.next_bvar,
            name: v.name.clone(),
            ty: v.ty,
        }
    }

    pub fn fresh_bvar(&mut self, name: &str) -> BVar {
        self.next_bvar += 1;
        BVar {
            id: self.next_bvar,
            name: name.into(),
            ty: self.types.fresh(),
        }
    }

    /// A fresh bound variable of a known type.
    pub fn fresh_bvar_of(&mut self, name: &str, ty: crate::types::Type) -> BVar {
        let v = self.fresh_bvar(name);
        BVar {
            ty: self.types.of(ty),
            ..v
        }
    }

    pub fn theorem_by_name(&self, name: &str) -> Option<ThmId> {
        self.theorems
            .iter()
            .position(|t| {
                t.origin == TheoremOrigin::User
                    && t.name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .map(|i| ThmId(i as u32))
    }

    pub fn theorem(&self, id: ThmId) -> &TheoremItem {
        &self.theorems[id.0 as usize]
    }

    /// Build an expression node of a known type.
    pub fn mk(&mut self, kind: Kind, span: Span, ty: crate::types::Type) -> E {
        let ty = self.types.of(ty);
        Rc::new(Expr { kind, span, ty })
    }

    pub fn mk_bool(&mut self, kind: Kind, span: Span) -> E {
        self.mk(kind, span, crate::types::Type::Bool)
    }
}
