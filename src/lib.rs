//! tlasmt: prove TLA+ safety theorems with Z3.
//!
//! The pipeline, one module per stage:
//! `syntax` (tree-sitter -> AST) -> `semantic` (modules, INSTANCE, names,
//! levels) -> `types` -> `obligations` -> `encode` -> `solve` -> `confirm`
//! (models evaluated with `eval`) -> `report`. Beside it, `smtlib` turns the
//! encoder's Z3 scripts into standard SMT-LIB 2.6 (`--dump-smt`) and drives
//! the cvc5 cross-check.

pub mod confirm;
pub mod driver;
pub mod encode;
pub mod eval;
pub mod obligations;
pub mod report;
pub mod semantic;
pub mod smtlib;
pub mod solve;
pub mod source;
pub mod syntax;
pub mod types;
