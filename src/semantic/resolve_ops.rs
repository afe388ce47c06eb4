//! Operators written as symbols: a user's `\prec` or `|`, and the
//! arithmetic operators, which are the Naturals/Integers modules' and not
//! the language's, so a module may define its own.

use super::ir::E;
use super::resolve::Resolver;
use crate::source::{Diagnostic, Span};
use crate::syntax::ast::{self, ExprKind, PathSegment};

type R<T> = Result<T, Diagnostic>;

impl Resolver<'_> {
    /// The application of the operator named by the symbol `name` to
    /// `args`: resolved by name like any definition.
    pub(super) fn user_op(&mut self, name: &ast::Ident, args: &[ast::Expr], span: Span) -> R<E> {
        if self.scope.lookup(&name.name).is_none() && is_standard_symbol(&name.name) {
            return Err(Diagnostic::new(
                span,
                format!("unsupported construct: the operator `{}`", name.name),
            ));
        }
        let path = ast::NamePath {
            segments: vec![PathSegment::Name {
                name: name.clone(),
                args: args.to_vec(),
            }],
            span,
        };
        self.name_path(&path, span)
    }

    /// `a .. b`, `a + b`, `a < b`, `-a`... where the module defines that
    /// operator itself (it does not extend Naturals): the definition, not
    /// the built-in one (which once made `(1 .. 2) = {1, 2}` provable for a
    /// module's own `a .. b == {a}`). `None` for every other expression.
    pub(super) fn module_defined_arithmetic(&mut self, e: &ast::Expr) -> Option<R<E>> {
        let (symbol, args) = match &e.kind {
            ExprKind::Binary(op, a, b) if naturals_operator(*op) => {
                (op.symbol(), vec![(**a).clone(), (**b).clone()])
            }
            // Integers' prefix minus, named `-.` where it is defined.
            ExprKind::Unary(ast::UnOp::Neg, a) => ("-.", vec![(**a).clone()]),
            _ => return None,
        };
        self.scope.lookup(symbol)?;
        let name = ast::Ident {
            name: symbol.into(),
            span: e.span,
        };
        Some(self.user_op(&name, &args, e.span))
    }
}

/// The infix operators of Naturals and Integers that tlasmt builds in.
fn naturals_operator(op: ast::BinOp) -> bool {
    use ast::BinOp::*;
    matches!(
        op,
        Lt | Le | Gt | Ge | Plus | Minus | Times | Div | Mod | Range
    )
}

/// Operator symbols of the standard modules that tlasmt does not encode.
fn is_standard_symbol(name: &str) -> bool {
    matches!(
        name,
        "^" | "\\o" | "\\circ" | "/" | "<" | ">" | "\\prec" | "\\succ" | ":>" | "@@"
    )
}
