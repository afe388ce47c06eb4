//! Lowering of the tree-sitter-tlaplus concrete syntax tree to [`ast`].
//!
//! Two passes: first every ERROR/MISSING node of the module becomes a syntax
//! diagnostic. If there are any, the tree is not lowered at all, because the
//! shapes tree-sitter builds while recovering from errors would only produce
//! follow-up noise. Otherwise the `module` node is walked top-down; anything
//! the AST cannot represent becomes an "unsupported construct" diagnostic
//! rather than being dropped.
//!
//! The walk is split by topic: [`units`] (module-level units, declarations,
//! definitions), [`expr`] (expressions and bounds), [`names`] (name paths,
//! step references), [`proof`] (theorems, ASSUME/PROVE, proofs),
//! [`annotations`] (Apalache `@type:` comments) and [`errors`] (syntax error
//! reporting).

mod annotations;
mod comments;
mod errors;
mod expr;
mod long_lines;
mod names;
mod nesting;
mod proof;
mod units;

use std::borrow::Cow;
use std::path::Path;

use tree_sitter::{Node, Parser, Tree};

use super::ast::{self, Ident};
use crate::source::{Diagnostic, FileId, SourceMap, Span};
use long_lines::Relocation;

/// At most this many diagnostics are reported for one file; the rest are
/// summarised in one final diagnostic.
const MAX_DIAGNOSTICS: usize = 20;

/// Parse `text` (the contents of `path`) and lower its first module.
///
/// The file is added to `map` so that the spans in the result (or in the
/// diagnostics) can be rendered. Text outside the first module is ignored.
pub fn parse_module(
    map: &mut SourceMap,
    path: &Path,
    text: String,
) -> Result<ast::Module, Vec<Diagnostic>> {
    let file = map.add(path.to_path_buf(), text);
    let text = map.file(file).text.as_str();
    run_with_large_stack(|| parse_and_lower(text, file)).unwrap_or_else(|| {
        Err(vec![Diagnostic::new(
            Span::new(file, 0, 0),
            "internal error: the parser crashed on this file",
        )])
    })
}

/// Stack for [`parse_and_lower`]. Lowering recurses once per nesting level
/// of the syntax tree, and in debug builds a level takes ~12 KiB; with this
/// stack the [`expr`] depth limit is hit long before the stack runs out,
/// whatever the caller's stack size (test threads get only 2 MiB).
const STACK_SIZE: usize = 64 << 20;

/// Run `f` on a scoped thread with a [`STACK_SIZE`] stack (inline if no
/// thread can be spawned). `None` if `f` panicked: a bug, but one that
/// should become a diagnostic rather than take the caller down.
fn run_with_large_stack<T: Send>(f: impl Fn() -> T + Sync) -> Option<T> {
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("tlasmt-parse".into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, &f);
        match spawned {
            Ok(handle) => handle.join().ok(),
            Err(_) => Some(f()),
        }
    })
}

fn parse_and_lower(text: &str, file: FileId) -> Result<ast::Module, Vec<Diagnostic>> {
    // Large comments are blanked (see `comments`): same offsets.
    let blanked = comments::blank_large(text);
    let text = blanked.as_deref().unwrap_or(text);
    // Very long lines are parsed split (see `long_lines`); every offset of
    // the tree is then one of the split text, mapped back by `reloc`.
    let (text, reloc) = match long_lines::split(text) {
        long_lines::Split::Unchanged => (Cow::Borrowed(text), Relocation::default()),
        long_lines::Split::Pieces(split, reloc) => (Cow::Owned(split), reloc),
        long_lines::Split::TooLong(at) => {
            return Err(vec![Diagnostic::new(
                Span::new(file, at, at + 1),
                "line too long for the TLA+ parser without spaces to break it at: add spaces or line breaks",
            )]);
        }
        long_lines::Split::TooDeep(at, len) => {
            return Err(vec![Diagnostic::new(
                Span::new(file, at, at + len),
                "expression nested too deeply",
            )]);
        }
    };
    let text = text.as_ref();
    let relocate = |mut diags: Vec<Diagnostic>| {
        for d in &mut diags {
            d.span = reloc.span(d.span);
        }
        diags
    };
    nesting::check(text, file, || {
        let _ = parse_tree(text, file);
    })
    .map_err(|d| relocate(vec![d]))?;
    let tree = parse_tree(text, file)?;
    let root = tree.root_node();
    let module = first_module(root);
    // Without a module node, syntax errors are only worth reporting if the
    // text has a module header at all (then the module failed to parse).
    let error_root = match module {
        Some(m) => Some(m),
        None if root.has_error() && errors::has_module_keyword(root) => Some(root),
        None => None,
    };
    if let Some(error_root) = error_root {
        let syntax_errors = errors::syntax_errors(error_root, text, file);
        if let Some(at) = comments::unclosed(text).filter(|_| !syntax_errors.is_empty()) {
            // The parse went wrong where the comment swallowed the text, or
            // at the end: point at the comment instead.
            return Err(relocate(vec![Diagnostic::new(
                Span::new(file, at, at + 2),
                "unclosed comment: this `(*` has no matching `*)`",
            )]));
        }
        if !syntax_errors.is_empty() {
            return Err(cap_diagnostics(relocate(syntax_errors)));
        }
    }
    let Some(module) = module else {
        return Err(vec![Diagnostic::new(
            Span::new(file, 0, 0),
            "no module found: expected a `---- MODULE Name ----` header",
        )]);
    };

    let mut lowerer = Lowerer::new(text, file, root, &reloc);
    match lowerer.module(module) {
        Ok(lowered) if lowerer.diags.is_empty() => Ok(lowered),
        _ => {
            if lowerer.diags.is_empty() {
                // Every `Err(Reported)` is created together with a
                // diagnostic; this is a safety net, not an expected path.
                lowerer.diags.push(Diagnostic::new(
                    lowerer.span(module),
                    "internal error: lowering failed without a diagnostic",
                ));
            }
            Err(cap_diagnostics(lowerer.diags))
        }
    }
}

fn parse_tree(text: &str, file: FileId) -> Result<Tree, Vec<Diagnostic>> {
    let internal = |message: &str| vec![Diagnostic::new(Span::new(file, 0, 0), message)];
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_tlaplus::LANGUAGE.into())
        .map_err(|_| internal("internal error: cannot load the TLA+ grammar"))?;
    parser
        .parse(text, None)
        .ok_or_else(|| internal("internal error: the TLA+ parser returned no tree"))
}

/// The first `module` node of a source file, if the file has one.
fn first_module(root: Node<'_>) -> Option<Node<'_>> {
    if root.kind() != "source_file" {
        return None;
    }
    named_children(root)
        .into_iter()
        .find(|n| n.kind() == "module")
}

/// Keep the first [`MAX_DIAGNOSTICS`] diagnostics and summarise the rest.
fn cap_diagnostics(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if diags.len() > MAX_DIAGNOSTICS {
        let omitted = diags.len() - MAX_DIAGNOSTICS;
        let span = diags[MAX_DIAGNOSTICS].span;
        diags.truncate(MAX_DIAGNOSTICS);
        diags.push(Diagnostic::new(
            span,
            format!("too many errors; {omitted} more not shown"),
        ));
    }
    diags
}

/// Marker error: a diagnostic describing the problem has already been pushed
/// to [`Lowerer::diags`], so callers only need to stop (or move on to the
/// next unit/step).
#[derive(Debug, Clone, Copy)]
struct Reported;

type Lower<T> = Result<T, Reported>;

/// State of one lowering run.
struct Lowerer<'a> {
    src: &'a str,
    file: FileId,
    /// From offsets of `src` to offsets of the file (`src` is the file's
    /// text with long lines split).
    reloc: &'a Relocation,
    diags: Vec<Diagnostic>,
    /// Byte ranges of all comments, sorted by end offset (for annotations).
    comments: Vec<(usize, usize)>,
    /// Current expression nesting depth (guards against stack overflow).
    depth: usize,
    /// Level of the innermost proof step sequence being lowered (0 outside
    /// proofs); `<*>` and `<+>` labels resolve against it.
    step_level: u32,
    /// Expression labels met (see `Module::labels`).
    labels: Vec<(Span, String)>,
}

impl<'a> Lowerer<'a> {
    fn new(src: &'a str, file: FileId, root: Node<'_>, reloc: &'a Relocation) -> Self {
        Lowerer {
            src,
            file,
            reloc,
            diags: Vec::new(),
            comments: annotations::collect_comments(root),
            depth: 0,
            step_level: 0,
            labels: Vec::new(),
        }
    }

    fn span(&self, n: Node<'_>) -> Span {
        self.reloc
            .span(Span::new(self.file, n.start_byte(), n.end_byte()))
    }

    /// The source text of a node.
    fn text(&self, n: Node<'_>) -> &'a str {
        self.src.get(n.start_byte()..n.end_byte()).unwrap_or("")
    }

    fn ident(&self, n: Node<'_>) -> Ident {
        Ident {
            name: self.text(n).to_string(),
            span: self.span(n),
        }
    }

    fn error(&mut self, n: Node<'_>, message: impl Into<String>) -> Reported {
        self.diags.push(Diagnostic::new(self.span(n), message));
        Reported
    }

    fn unsupported(&mut self, n: Node<'_>, what: &str) -> Reported {
        self.error(n, format!("unsupported construct: {what}"))
    }

    /// The tree does not have the shape the grammar promises. Cannot happen
    /// for error-free trees, but is reported instead of panicking.
    fn malformed(&mut self, n: Node<'_>, expected: &str) -> Reported {
        let message = format!(
            "internal error: malformed syntax tree: expected {expected} in `{}`",
            n.kind()
        );
        self.error(n, message)
    }

    /// The (named, non-comment) node in field `name` of `n`.
    fn field<'t>(&mut self, n: Node<'t>, name: &str) -> Lower<Node<'t>> {
        match field_children(n, name).into_iter().next() {
            Some(child) => Ok(child),
            None => Err(self.malformed(n, &format!("field `{name}`"))),
        }
    }

    /// The `i`-th named, non-comment child of `n`.
    fn nth_named<'t>(&mut self, n: Node<'t>, i: usize, what: &str) -> Lower<Node<'t>> {
        match named_children(n).into_iter().nth(i) {
            Some(child) => Ok(child),
            None => Err(self.malformed(n, what)),
        }
    }

    /// The last named, non-comment child of `n`.
    fn last_named<'t>(&mut self, n: Node<'t>, what: &str) -> Lower<Node<'t>> {
        match named_children(n).into_iter().last() {
            Some(child) => Ok(child),
            None => Err(self.malformed(n, what)),
        }
    }
}

/// Named children of `n`, without comments.
fn named_children(n: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = n.walk();
    n.named_children(&mut cursor)
        .filter(|c| !c.is_extra())
        .collect()
}

/// Named, non-comment children of `n` in field `name` (fields also cover
/// punctuation such as `(` and `,`, which are skipped).
fn field_children<'t>(n: Node<'t>, name: &str) -> Vec<Node<'t>> {
    let mut cursor = n.walk();
    n.children_by_field_name(name, &mut cursor)
        .filter(|c| c.is_named() && !c.is_extra())
        .collect()
}

/// Whether `n` has an anonymous child token `token` (a keyword such as
/// `SUFFICES` or `ONLY`).
fn has_token(n: Node<'_>, token: &str) -> bool {
    let mut cursor = n.walk();
    n.children(&mut cursor)
        .any(|c| !c.is_named() && c.kind() == token)
}

/// Evaluate every item (so that all diagnostics are collected) and fail if
/// any item failed.
fn collect_all<T>(items: impl IntoIterator<Item = Lower<T>>) -> Lower<Vec<T>> {
    let mut out = Vec::new();
    let mut failed = false;
    for item in items {
        match item {
            Ok(v) => out.push(v),
            Err(Reported) => failed = true,
        }
    }
    if failed { Err(Reported) } else { Ok(out) }
}
