//! Stage 1: parse TLA+ text with tree-sitter-tlaplus and lower the concrete
//! syntax tree to the [`ast`] types.

pub mod ast;
mod lower;

pub use lower::parse_module;
