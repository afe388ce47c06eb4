//! tlasmt: prove TLA+ safety theorems with Z3.
//!
//! The pipeline, one module per stage:
//! `syntax` (tree-sitter -> AST) -> `semantic` (modules, INSTANCE, names,
//! levels) -> `types` -> `obligations` -> `encode` -> `solve` -> `report`.

pub mod driver;
pub mod encode;
pub mod obligations;
pub mod report;
pub mod semantic;
pub mod smtlib;
pub mod solve;
pub mod source;
pub mod syntax;
pub mod types;
