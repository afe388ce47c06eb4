//! Syntax errors: tree-sitter's ERROR and MISSING nodes as diagnostics.

use tree_sitter::Node;

use crate::source::{Diagnostic, FileId, Span};

/// Longest excerpt of source quoted in a syntax error message.
const MAX_QUOTE_CHARS: usize = 30;

/// One diagnostic per ERROR or MISSING node under `root`, in source order.
///
/// The walk is iterative (trees of garbled input can be very deep) and skips
/// subtrees without errors. It does not descend into ERROR nodes: whatever
/// is inside belongs to the same error.
pub(super) fn syntax_errors(root: Node<'_>, src: &str, file: FileId) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if !root.has_error() {
        return diags;
    }
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        let descend = if node.is_error() {
            if is_module_level(node) {
                module_level_errors(node, src, file, &mut diags);
            } else {
                diags.push(error_diagnostic(node, src, file));
            }
            false
        } else if node.is_missing() {
            diags.push(missing_diagnostic(node, src, file));
            false
        } else {
            node.has_error()
        };
        if descend && cursor.goto_first_child() {
            continue;
        }
        // Move to the next node in pre-order that is not below `node`.
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return diags;
            }
        }
    }
}

/// Node kinds that are complete module-level units.
const UNIT_KINDS: &[&str] = &[
    "extends",
    "variable_declaration",
    "constant_declaration",
    "recursive_declaration",
    "use_or_hide",
    "local_definition",
    "operator_definition",
    "function_definition",
    "instance",
    "module_definition",
    "assumption",
    "theorem",
    "module",
    "single_line",
];

/// An ERROR node holding a whole module: tree-sitter found no parse for the
/// module as a whole and wrapped everything, header included, in one ERROR.
fn is_module_level(node: Node<'_>) -> bool {
    let mut cursor = node.walk();
    node.children(&mut cursor)
        .any(|c| !c.is_named() && c.kind() == "MODULE")
}

/// Whether a `MODULE` keyword occurs anywhere under `root`, i.e. whether
/// the text tried to be a module.
pub(super) fn has_module_keyword(root: Node<'_>) -> bool {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if !node.is_named() && node.kind() == "MODULE" {
            return true;
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return false;
            }
        }
    }
}

/// Localise the problem in a module-level ERROR node. Its children are the
/// header, complete units, and "loose" pieces of the unit(s) that could not
/// be parsed. Each run of loose pieces is reported: by the ERROR/MISSING
/// nodes inside it if there are any, otherwise as a whole.
fn module_level_errors(node: Node<'_>, src: &str, file: FileId, out: &mut Vec<Diagnostic>) {
    let mut cursor = node.walk();
    let children: Vec<Node<'_>> = node
        .children(&mut cursor)
        .filter(|c| !c.is_extra())
        .collect();
    // Skip the header: everything up to the `----` after `MODULE Name`.
    let module_kw = children
        .iter()
        .position(|c| !c.is_named() && c.kind() == "MODULE")
        .unwrap_or(0);
    let body_start = children
        .iter()
        .skip(module_kw)
        .position(|c| c.kind() == "single_line")
        .map_or(module_kw + 1, |i| module_kw + i + 1);

    let mut region: Vec<Node<'_>> = Vec::new();
    let mut saw_end = false;
    for &child in children.get(body_start..).unwrap_or(&[]) {
        let is_end = matches!(child.kind(), "====" | "double_line");
        let complete_unit = UNIT_KINDS.contains(&child.kind());
        if is_end || complete_unit {
            report_region(&region, src, file, out);
            region.clear();
            saw_end |= is_end;
            if complete_unit {
                out.extend(syntax_errors(child, src, file));
            }
        } else {
            region.push(child);
        }
    }
    report_region(&region, src, file, out);
    // The `====` may also have been swallowed by a broken unit; only a
    // module whose text has no such line is really missing it.
    let text = src.get(node.start_byte()..node.end_byte()).unwrap_or("");
    let has_end_line = text.lines().any(|l| l.starts_with("===="));
    if !saw_end && !has_end_line {
        let end = node.end_byte();
        out.push(Diagnostic::new(
            Span::new(file, end, end),
            "missing `====` at the end of the module",
        ));
    }
}

/// Report a run of loose pieces that could not be parsed into a unit.
fn report_region(region: &[Node<'_>], src: &str, file: FileId, out: &mut Vec<Diagnostic>) {
    let (Some(first), Some(last)) = (region.first(), region.last()) else {
        return;
    };
    let before = out.len();
    for &piece in region {
        if piece.is_error() {
            out.push(error_diagnostic(piece, src, file));
        } else {
            out.extend(syntax_errors(piece, src, file));
        }
    }
    if out.len() == before {
        out.push(Diagnostic::new(
            Span::new(file, first.start_byte(), last.end_byte()),
            "syntax error: this unit could not be parsed",
        ));
    }
}

fn error_diagnostic(node: Node<'_>, src: &str, file: FileId) -> Diagnostic {
    let span = Span::new(file, node.start_byte(), node.end_byte());
    let first = first_token(node, src);
    let whole = shorten(
        src.get(node.start_byte()..node.end_byte())
            .unwrap_or("")
            .trim(),
    );
    let message = if first.is_empty() {
        format!("syntax error {}", context_after(src, node.end_byte()))
    } else if first == whole {
        // The rendered diagnostic quotes the span; don't say it twice.
        "syntax error: unexpected text".to_string()
    } else {
        format!("syntax error: unexpected `{first}`")
    };
    Diagnostic::new(span, message)
}

fn missing_diagnostic(node: Node<'_>, src: &str, file: FileId) -> Diagnostic {
    let span = Span::new(file, node.start_byte(), node.end_byte());
    // Anonymous node kinds are the token text itself (`)`, `PROVE`); named
    // ones are grammar rule names (`identifier`).
    let what = if node.kind() == "identifier_ref" {
        "identifier".to_string()
    } else if node.is_named() {
        node.kind().replace('_', " ")
    } else {
        format!("`{}`", node.kind())
    };
    Diagnostic::new(
        span,
        format!("missing {what} {}", context_after(src, node.start_byte())),
    )
}

/// The text of the first leaf token of `node`, shortened to one line.
fn first_token<'s>(node: Node<'_>, src: &'s str) -> &'s str {
    let mut leaf = node;
    while let Some(child) = leaf.child(0) {
        leaf = child;
    }
    let text = src.get(leaf.start_byte()..leaf.end_byte()).unwrap_or("");
    // A zero-width first leaf says nothing; quote the node itself instead.
    let text = if text.trim().is_empty() {
        src.get(node.start_byte()..node.end_byte()).unwrap_or("")
    } else {
        text
    };
    shorten(text.trim())
}

/// "before `next word`" or "at end of file", to locate a zero-width error.
fn context_after(src: &str, offset: usize) -> String {
    let rest = src.get(offset..).unwrap_or("").trim_start();
    let word = rest.split_whitespace().next().unwrap_or("");
    if word.is_empty() {
        "at end of file".to_string()
    } else {
        format!("before `{}`", shorten(word))
    }
}

/// The first line of `text`, cut to [`MAX_QUOTE_CHARS`] characters.
fn shorten(text: &str) -> &str {
    let line = text.lines().next().unwrap_or("");
    match line.char_indices().nth(MAX_QUOTE_CHARS) {
        Some((i, _)) => &line[..i],
        None => line,
    }
}
