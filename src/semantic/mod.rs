//! Stage 2: semantic analysis — modules, EXTENDS, INSTANCE, name
//! resolution, levels. Entry point: [`analyze`].

pub mod alpha;
mod citations;
pub mod ir;
pub mod level;
mod modules;
pub mod program;
pub mod proof;
mod resolve;
mod resolve_ops;
mod resolve_proof;
pub mod subst;

pub use modules::Loader;
pub use program::Program;

use crate::source::{Diagnostic, Errors, SourceMap};
use std::path::{Path, PathBuf};

/// Load `root` (searching `search` for EXTENDS/INSTANCE modules), resolve
/// every name, and infer types.
pub fn analyze(root: &Path, search: &[PathBuf]) -> Result<(Program, SourceMap), Errors> {
    let mut dirs = Vec::new();
    if let Some(parent) = root.parent() {
        dirs.push(if parent.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            parent.to_path_buf()
        });
    }
    dirs.extend(search.iter().cloned());
    let mut loader = Loader::new(dirs);
    let module = match loader.parse_file(root) {
        Ok(m) => m,
        Err(diags) => return Err(Errors::render(&loader.map, &diags)),
    };
    // SANY finds a module by its file name, and refuses a root module whose
    // name is not its file's (for EXTENDS and INSTANCE, `Loader` checks it).
    let stem = root.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if module.name.name != stem {
        let d = Diagnostic::new(
            module.name.span,
            format!(
                "module `{}` is in file `{}`: a module must be in a file of its name (`{}.tla`)",
                module.name.name,
                root.file_name().and_then(|s| s.to_str()).unwrap_or(""),
                module.name.name
            ),
        );
        return Err(Errors::render(&loader.map, &[d]));
    }
    let mut prog = Program::default();
    if let Err(d) = modules::load_root(&mut loader, &module, &mut prog) {
        return Err(Errors::render(&loader.map, &[d]));
    }
    citations::check(&mut prog);
    if let Err(diags) = crate::types::Inferencer::new(&mut prog).program() {
        return Err(Errors::render(&loader.map, &diags));
    }
    Ok((prog, loader.map))
}
