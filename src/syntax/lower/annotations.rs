//! Apalache type annotations: `\* @type: Set(ACC);` or `(* @type: Int; *)`
//! in the comments right before a declared CONSTANT/VARIABLE.
//!
//! Comments are tree-sitter extras and may be attached anywhere in the tree
//! (even inside the preceding unit), so instead of looking at siblings we
//! collect every comment's byte range once and scan the source backwards
//! from each declared name.

use tree_sitter::Node;

use super::Lowerer;
use crate::source::Span;

const TYPE_TAG: &str = "@type:";

/// Byte ranges of all comments under `root`, sorted by end offset.
pub(super) fn collect_comments(root: Node<'_>) -> Vec<(usize, usize)> {
    let mut comments = Vec::new();
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        let is_comment = matches!(node.kind(), "comment" | "block_comment");
        if is_comment {
            comments.push((node.start_byte(), node.end_byte()));
        }
        if !is_comment && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                comments.sort_by_key(|&(_, end)| end);
                return comments;
            }
        }
    }
}

impl Lowerer<'_> {
    /// The `@type:` annotation for a name declared at byte `start`.
    ///
    /// Looks at the comments between the previous token and `start`, nearest
    /// first. `keyword` is the range of the `CONSTANT(S)`/`VARIABLE(S)`
    /// keyword: for the first name of a declaration the annotation may also
    /// come before the keyword (`\* @type: Int;` on the line above).
    pub(super) fn type_annotation(
        &self,
        start: usize,
        keyword: (usize, usize),
    ) -> Option<(String, Span)> {
        let mut pos = start;
        let mut skipped_keyword = false;
        loop {
            pos = self.skip_whitespace_back(pos);
            if let Some((c_start, c_end)) = self.comment_ending_at(pos) {
                if let Some(found) = self.annotation_in(c_start, c_end) {
                    return Some(found);
                }
                pos = c_start;
            } else if pos == keyword.1 && !skipped_keyword {
                skipped_keyword = true;
                pos = keyword.0;
            } else {
                return None;
            }
        }
    }

    fn skip_whitespace_back(&self, pos: usize) -> usize {
        let before = self.src.get(..pos).unwrap_or("");
        before.trim_end().len()
    }

    fn comment_ending_at(&self, pos: usize) -> Option<(usize, usize)> {
        let i = self
            .comments
            .binary_search_by_key(&pos, |&(_, end)| end)
            .ok()?;
        self.comments.get(i).copied()
    }

    /// The text after `@type:` up to the next `;` (or the end of the comment)
    /// in the comment at `start..end`, trimmed, with its span.
    fn annotation_in(&self, start: usize, end: usize) -> Option<(String, Span)> {
        let comment = self.src.get(start..end)?;
        let tag = comment.find(TYPE_TAG)?;
        let body_start = tag + TYPE_TAG.len();
        let rest = comment.get(body_start..)?;
        let body_len = match rest.find(';') {
            Some(i) => i,
            // No `;`: the type runs to the end of the comment.
            None => rest.strip_suffix("*)").unwrap_or(rest).len(),
        };
        let body = rest.get(..body_len)?;
        let trimmed = body.trim();
        if trimmed.is_empty() {
            return None;
        }
        let lead = body.len() - body.trim_start().len();
        let abs_start = start + body_start + lead;
        let span = self
            .reloc
            .span(Span::new(self.file, abs_start, abs_start + trimmed.len()));
        Some((trimmed.to_string(), span))
    }
}
