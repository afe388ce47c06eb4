//! tlasmt: prove TLA+ safety theorems with Z3.
//!
//! The pipeline, one module per stage:
//! `syntax` (tree-sitter -> AST) -> `semantic` (modules, INSTANCE, names,
//! levels) -> `types` -> `obligations` -> `encode` -> `solve` -> `confirm` (models
//! evaluated with `eval`) -> `report`.

pub mod confirm;
pub mod driver;
pub mod encode;
pub mod eval;
pub mod obligations;
pub mod report;
pub mod semantic;
pub mod solve;
pub mod source;
pub mod syntax;
pub mod types;
